"""Expected answers for the notebooks' exercises, one module per chapter (``ch03`` for ``03_response``).

Each module defines ``EXERCISES: dict[str, helpers.exercises.Exercise]`` keyed by exercise id
("03.1", "03.2", ...). Expected answers are functions that compute the answer from ``data/`` (or from
the project's files), never literals. ``helpers.exercises.check`` imports a chapter's module only
when one of its exercises is checked.
"""
