"""Where the project's files live, relative to this package (never to the caller's cwd).

The data folder can be overridden by the environment variable ``LIPOMIT_DATA_DIR`` (a folder
holding the same CSV files). It exists for the tests, which run notebooks against corrupted
copies of the data in a temporary folder; readers and notebooks never need to set it.
"""
import os
from pathlib import Path

PROJECT_ROOT: Path = Path(__file__).resolve().parent.parent
DATA_DIR: Path = PROJECT_ROOT / "data"
NOTEBOOKS_DIR: Path = PROJECT_ROOT / "notebooks"
DATA_DIR_ENV = "LIPOMIT_DATA_DIR"


def data_dir() -> Path:
    """The folder the loaders read: ``$LIPOMIT_DATA_DIR`` if set (tests only), else ``DATA_DIR``."""
    override = os.environ.get(DATA_DIR_ENV, "")
    if not override:
        return DATA_DIR
    path = Path(override)
    if not path.is_dir():
        raise ValueError(f"{DATA_DIR_ENV}={override!r} is not accepted; accepted: an existing folder "
                         "holding the data tables (or leave it unset)")
    return path
