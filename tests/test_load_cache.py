"""load_all validates an unchanged data folder once per process; any change is validated afresh."""
from __future__ import annotations

import os
import shutil

import pytest

from helpers.engine import tables
from helpers.paths import data_dir


@pytest.fixture()
def copy_of_data(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(data_dir(), folder)
    return folder


def test_callers_get_their_own_copies(copy_of_data):
    first = tables.load_all(copy_of_data)
    first["adsl"].loc[0, "AGE"] = 999
    first.pop("adtte")
    again = tables.load_all(copy_of_data)
    assert again["adsl"].loc[0, "AGE"] != 999
    assert set(again) == set(tables.TABLE_NAMES)


def test_a_file_changed_after_a_load_is_validated_again(copy_of_data):
    tables.load_all(copy_of_data)
    path = copy_of_data / "adsl.csv"
    text = path.read_text()
    header, first_row, rest = text.split("\n", 2)
    cells = first_row.split(",")
    age_col = header.split(",").index("AGE")
    cells[age_col] = "x"  # not a number; the file may keep its size: only content and mtime betray it
    path.write_text("\n".join([header, ",".join(cells), rest]))
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    with pytest.raises(ValueError, match="AGE"):
        tables.load_all(copy_of_data)


def test_another_folder_is_validated_on_its_own(copy_of_data, tmp_path):
    tables.load_all(copy_of_data)
    broken = tmp_path / "broken"
    shutil.copytree(copy_of_data, broken)
    (broken / "adae.csv").unlink()
    with pytest.raises(ValueError, match="adae"):
        tables.load_all(broken)


def test_bad_data_dir_is_refused_by_name(tmp_path):
    with pytest.raises(ValueError, match="data_dir"):
        tables.load_all(tmp_path / "no-such-folder")
