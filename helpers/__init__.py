"""Helpers for the Lipo-MIT + CLAG teaching collection.

One module per topic; import what you need, e.g. ``from helpers import dosing``.
Importing this package is cheap: submodules are loaded only when imported.
"""

__all__ = [
    "paths", "facts", "tables", "generator", "audit", "derive", "plausibility", "eln",
    "dosing", "cohort", "response", "swimmer", "survival", "ensemble", "toxicity", "consistency",
    "exercises", "style",
]
