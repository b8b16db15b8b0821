"""Helpers for the Lipo-MIT + CLAG teaching collection.

Two layers:

* the chapters' topic modules (``dosing``, ``cohort``, ``eln``, ``response``, ``swimmer``,
  ``survival``, ``toxicity``, ``flow``), plus ``provenance`` (the trial / synthetic label), ``exercises``,
  ``style`` and ``paths``;
* :mod:`helpers.engine`, the engine that turns the abstract into data (facts, tables, derive, audit,
  plausibility, generator, ensemble, consistency, bounds).

Import what you need, e.g. ``from helpers import dosing``. Importing this package is cheap:
submodules are loaded only when imported.
"""

__all__ = [
    "paths", "eln", "dosing", "cohort", "response", "swimmer", "survival", "toxicity",
    "endpoints", "survplot", "provenance", "validate", "exercises", "style", "flow", "engine",
]
