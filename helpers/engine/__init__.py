"""The engine that turns the abstract into data (not a chapter topic).

``facts`` reads the abstract as data, ``tables`` loads and validates the synthetic cohort,
``derive`` and ``audit`` re-derive every printed figure, ``plausibility`` checks the cohort is
clinically coherent, ``generator`` makes cohorts, ``ensemble`` summarises many of them,
``consistency`` checks the abstract against itself, and ``bounds`` proves what every consistent
cohort must share (exact minimum and maximum).
"""

__all__ = ["facts", "tables", "derive", "audit", "plausibility", "generator", "ensemble", "consistency", "kmgrim", "bounds"]
