"""The loaders on corrupted copies of the data (in a temporary folder, never in data/).

Each case copies every file of data/ into tmp_path, corrupts one table the way a typing or export
mistake would, and checks that ``load_all`` (or the facts loader) refuses it with a ``ValueError``
naming the table and the column at fault. The last tests run the first code cell of every
notebook on a corrupted copy (through the ``LIPOMIT_DATA_DIR`` override of ``helpers.paths``)
and check that the notebook stops there, with the loader's message. They run the cells as they are
stored in the notebook, in an IPython shell, without a kernel per case (tools/run_loading_cells.py).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import nbformat
import pandas as pd
import pytest

from helpers.engine import tables as tables_mod
from helpers.engine.facts import load_facts, read_facts
from helpers.paths import DATA_DIR, DATA_DIR_ENV, NOTEBOOKS_DIR, PROJECT_ROOT, data_dir

LOADING_NOTEBOOKS = ["01_regimen_and_dosing", "02_cohort", "03_response", "04_survival_hsct", "05_toxicity",
                     "06_abstract_audit"]


def _copy(tmp_path):
    for path in DATA_DIR.glob("*.csv"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def _read(folder, name):
    return pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)


def _write(folder, name, df):
    df.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n")


def _first(df, **where):
    mask = pd.Series(True, index=df.index)
    for col, value in where.items():
        mask &= df[col] == value
    return df.index[mask][0]


def _set(col, value, **where):
    def mutate(df):
        df.loc[_first(df, **where) if where else df.index[0], col] = value
        return df
    return mutate


def _dead_patient(df):
    return _first(df, DTHFL="Y")


def _death_before_start(df):
    i = _dead_patient(df)
    df.loc[i, ["DTHDT", "LSTALVDT"]] = "2023-01-01"
    return df


def _flag_without_date(df):
    i = _dead_patient(df)
    df.loc[i, "DTHDT"] = ""
    return df


def _date_without_flag(df):
    i = _first(df, DTHFL="N")
    df.loc[i, "DTHDT"] = df.loc[i, "LSTALVDT"]
    return df


def _dead_but_ongoing(df):
    df.loc[_dead_patient(df), "EOSSTT"] = "ONGOING"
    return df


def _relapse_after_last_contact(df):
    i = _first(df, DTHFL="N", EOSSTT="ONGOING")
    df.loc[i, "RELDT"] = "2025-07-15"
    return df


def _two_cycles_without_date(df):
    df.loc[_first(df, NCYCLES="2"), "C2SDT"] = ""
    return df


def _after_cutoff(df):
    i = _first(df, DTHFL="N", EOSSTT="ONGOING")
    df.loc[i, "LSTALVDT"] = "2025-12-31"
    return df


def _response_after_relapse(folder):
    adsl, adrs = _read(folder, "adsl"), _read(folder, "adrs")
    i = adsl.index[adsl["RELDT"] != ""][0]
    u = adsl.loc[i, "USUBJID"]
    j = _first(adrs, USUBJID=u, PARAMCD="OVRLRESP", AVISIT="CYCLE 1")
    adsl.loc[i, "RELDT"] = adrs.loc[j, "ADT"]
    adrs.loc[j, "ADT"] = (pd.Timestamp(adrs.loc[j, "ADT"]) + pd.Timedelta(days=1)).date().isoformat()
    _write(folder, "adsl", adsl)
    _write(folder, "adrs", adrs)


def _aval_off_by_one(df):
    df.loc[0, "AVAL"] = str(int(df.loc[0, "AVAL"]) + 1)
    return df


def _os_row_missing(df):
    return df.drop(index=_first(df, PARAMCD="OS")).reset_index(drop=True)


def _alive_with_os_event(df):
    i = _first(df, PARAMCD="OS", CNSR="1", EVNTDESC="ALIVE AT DATA CUT-OFF")
    df.loc[i, ["CNSR", "EVNTDESC"]] = ["0", "DEATH"]
    return df


def _dup(df):
    return pd.concat([df, df.iloc[[0]]], ignore_index=True)


def _orphan(df):
    df.loc[0, "USUBJID"] = "SYN-999"
    return df


def _header_only(df):
    return df.iloc[0:0]


def _ae_after_death(folder):
    adsl, adae = _read(folder, "adsl"), _read(folder, "adae")
    u = adsl.loc[_dead_patient(adsl), "USUBJID"]
    adae.loc[_first(adae, USUBJID=u), "ASTDT"] = "2025-06-29"
    _write(folder, "adae", adae)


def _assessment_before_start(folder):
    adrs = _read(folder, "adrs")
    adrs.loc[0, "ADT"] = "2023-01-02"
    _write(folder, "adrs", adrs)


CORRUPTIONS = [
    # (id, table, mutation of the DataFrame or of the folder, regex the message must match)
    ("age_negative", "adsl", _set("AGE", "-5"), r"table adsl, column AGE, row 1: AGE=-5 is outside"),
    ("age_999", "adsl", _set("AGE", "999"), r"table adsl, column AGE.*outside the plausible range"),
    ("age_text", "adsl", _set("AGE", "forty"), r"table adsl, column AGE.*not a valid int"),
    ("age_fraction", "adsl", _set("AGE", "43.5"), r"table adsl, column AGE.*not a valid int"),
    ("height_in_metres", "adsl", _set("HEIGHTCM", "1.72"), r"table adsl, column HEIGHTCM.*outside"),
    ("weight_1000", "adsl", _set("WEIGHTKG", "1000"), r"table adsl, column WEIGHTKG.*outside"),
    ("weight_nan_text", "adsl", _set("WEIGHTKG", "NaN"), r"table adsl, column WEIGHTKG.*not a valid float"),
    ("weight_inf", "adsl", _set("WEIGHTKG", "inf"), r"table adsl, column WEIGHTKG.*outside"),
    ("bsa_vs_height_weight", "adsl", _set("BSA", "3.4"), r"table adsl, column BSA.*Mosteller"),
    ("sex_unknown", "adsl", _set("SEX", "X"), r"table adsl, column SEX.*not an allowed value"),
    ("date_us_format", "adsl", _set("TRTSDT", "03/02/2024"), r"table adsl, column TRTSDT.*not a date"),
    ("date_not_zero_padded", "adsl", _set("TRTSDT", "2023-11-3"), r"table adsl, column TRTSDT.*not a date"),
    ("date_impossible", "adsl", _set("TRTSDT", "2024-02-30"), r"table adsl, column TRTSDT.*not a date"),
    ("death_before_start", "adsl", _death_before_start, r"table adsl, column LSTALVDT.*before TRTSDT"),
    ("death_flag_without_date", "adsl", _flag_without_date, r"table adsl, column DTHDT.*DTHFL='Y'"),
    ("death_date_without_flag", "adsl", _date_without_flag, r"table adsl, column DTHDT.*DTHFL='N'"),
    ("dead_but_ongoing", "adsl", _dead_but_ongoing, r"table adsl, column EOSSTT"),
    ("relapse_after_last_contact", "adsl", _relapse_after_last_contact, r"table adsl, column RELDT"),
    ("two_cycles_without_date", "adsl", _two_cycles_without_date, r"table adsl, column C2SDT"),
    ("after_cutoff", "adsl", _after_cutoff, r"table adsl, column LSTALVDT.*cut-off"),
    ("adsl_duplicate", "adsl", _dup, r"table adsl, column USUBJID.*appears twice"),
    ("adsl_header_only", "adsl", _header_only, r"table adsl: has no data rows"),
    ("adsl_missing_column", "adsl", lambda df: df.drop(columns=["BSA"]), r"table adsl: missing column"),
    ("adrs_duplicate", "adrs", _dup, r"table adrs, column AVISIT.*duplicate row"),
    ("adrs_orphan", "adrs", _orphan, r"table adrs, column USUBJID.*'SYN-999' is not a patient in adsl"),
    ("adrs_unknown_response", "adrs", _set("AVALC", "VGPR"), r"table adrs, column AVALC"),
    ("adrs_mrd_value_on_response", "adrs", _set("AVALC", "NEGATIVE", PARAMCD="OVRLRESP"),
     r"table adrs, column AVALC.*PARAMCD OVRLRESP"),
    ("adrs_before_start", "adrs", _assessment_before_start, r"table adrs, column ADT.*TRTSDT"),
    ("adrs_response_after_relapse", "adrs", _response_after_relapse, r"table adrs, column ADT.*relapse"),
    ("adrs_header_only", "adrs", _header_only, r"table adrs: has no data rows"),
    ("adtte_aval", "adtte", _aval_off_by_one, r"table adtte, column AVAL.*ADT − STARTDT"),
    ("adtte_end_before_start", "adtte", _set("ADT", "2023-01-01"), r"table adtte, column ADT.*before STARTDT"),
    ("adtte_negative_aval", "adtte", _set("AVAL", "-3"), r"table adtte, column AVAL.*outside"),
    ("adtte_os_row_missing", "adtte", _os_row_missing, r"table adtte, column USUBJID.*no OS row"),
    ("adtte_alive_with_event", "adtte", _alive_with_os_event, r"table adtte, column (ADT|CNSR)"),
    ("adtte_event_text", "adtte", _set("EVNTDESC", "RELAPSE", PARAMCD="OS"), r"table adtte, column EVNTDESC"),
    ("adtte_duplicate", "adtte", _dup, r"table adtte, column PARAMCD.*duplicate row"),
    ("adtte_orphan", "adtte", _orphan, r"table adtte, column USUBJID.*not a patient in adsl"),
    ("adae_grade_6", "adae", _set("AETOXGR", "6"), r"table adae, column AETOXGR"),
    ("adae_orphan", "adae", _orphan, r"table adae, column USUBJID"),
    ("adae_after_death", "adae", _ae_after_death, r"table adae, column ASTDT"),
    ("adae_duplicate", "adae", _dup, r"table adae, column ASTDT.*duplicate row"),
    ("mutations_orphan", "mutations", _orphan, r"table mutations, column USUBJID"),
    ("mutations_duplicate", "mutations", _dup, r"table mutations.*duplicate row"),
    ("regimen_g_for_mg", "regimen", _set("UNIT", "g/m2", DRUGKEY="lipomit"), r"table regimen, column DOSE"),
    ("regimen_lastday_before_firstday", "regimen", _set("LASTDAY", "0", DRUGKEY="cladribine"),
     r"table regimen, column LASTDAY.*before FIRSTDAY"),
    ("regimen_basis_vs_unit", "regimen", _set("BASIS", "flat", DRUGKEY="cytarabine"), r"table regimen, column BASIS"),
    ("regimen_gcsf_per_m2", "regimen", _set("UNIT", "g/m2", DRUGKEY="gcsf"), r"table regimen, column BASIS"),
    ("regimen_duplicate", "regimen", _dup, r"table regimen, column DRUGKEY.*duplicate row"),
    ("regimen_cycles_huge", "regimen", _set("MAXCYCLES", "200000"), r"table regimen, column MAXCYCLES"),
    ("regimen_header_only", "regimen", _header_only, r"table regimen: has no data rows"),
    ("protocol_cutoff_text", "protocol", _set("VALUE", "June 2025", PARAM="CUTOFFDT"), r"table protocol.*CUTOFFDT"),
    ("protocol_missing_param", "protocol", lambda df: df[df["PARAM"] != "CUTOFFDT"], r"table protocol.*CUTOFFDT"),
    ("protocol_ages_swapped", "protocol", _set("VALUE", "70", PARAM="ELIGAGEMIN"), r"table protocol.*ELIGAGEMIN"),
]


def _apply(folder, table, mutate):
    if mutate.__code__.co_varnames[:1] == ("folder",):
        mutate(folder)
    else:
        _write(folder, table, mutate(_read(folder, table)))


def test_there_are_many_corruptions():
    assert len(CORRUPTIONS) >= 50


def test_the_shipped_data_loads():
    assert set(tables_mod.load_all()) == set(tables_mod.SCHEMAS)


def test_an_ne_response_is_accepted(tmp_path):
    folder = _copy(tmp_path)
    adrs = _read(folder, "adrs")
    before = int((adrs["AVALC"] == "NE").sum())
    i = _first(adrs, AVALC="NR")
    adrs.loc[i, "AVALC"] = "NE"
    _write(folder, "adrs", adrs)
    assert (tables_mod.load_all(folder)["adrs"]["AVALC"] == "NE").sum() == before + 1


@pytest.mark.parametrize("table, mutate, message", [c[1:] for c in CORRUPTIONS], ids=[c[0] for c in CORRUPTIONS])
def test_a_corrupted_copy_is_refused(tmp_path, table, mutate, message):
    folder = _copy(tmp_path)
    _apply(folder, table, mutate)
    with pytest.raises(ValueError, match=message):
        tables_mod.load_all(folder)


# --------------------------------------------------------------------------- several faults: the first is named
# The checks run on whole columns at once (helpers/engine/tables.py); the message still names the first
# faulty row (rows in file order), and within one row the first rule in the documented order.


def _rows(folder, name, mutate_rows):
    df = _read(folder, name)
    mutate_rows(df)
    _write(folder, name, df)


def _refused(folder) -> str:
    with pytest.raises(ValueError) as caught:
        tables_mod.load_all(folder)
    return str(caught.value)


def test_of_two_bad_values_in_a_column_the_first_row_is_named(tmp_path):
    folder = _copy(tmp_path)
    adsl = _read(folder, "adsl")
    adsl.loc[4, "AGE"], adsl.loc[1, "AGE"] = "-5", "999"
    _write(folder, "adsl", adsl)
    assert _refused(folder).startswith("table adsl, column AGE, row 2: AGE=999 is outside")
    adsl = _read(folder, "adsl")
    adsl.loc[[1, 4], "AGE"] = "40"
    adsl.loc[6, "TRTSDT"], adsl.loc[2, "TRTSDT"] = "03/02/2024", "2024-02-30"
    _write(folder, "adsl", adsl)
    assert _refused(folder).startswith("table adsl, column TRTSDT, row 3: '2024-02-30' is not a date")


def test_of_two_faulty_rows_the_first_is_named_whatever_the_rules(tmp_path):
    folder = _copy(tmp_path)
    adsl = _read(folder, "adsl")
    dead = list(adsl.index[adsl["DTHFL"] == "Y"])
    later, earlier = dead[1], dead[0]
    adsl.loc[later, "BSA"] = "3.4"            # a later rule (BSA), on the later row ...
    adsl.loc[earlier, "EOSSTT"] = "ONGOING"   # ... an earlier rule on the earlier row
    _write(folder, "adsl", adsl)
    assert _refused(folder).startswith(f"table adsl, column EOSSTT, row {earlier + 1}: EOSSTT='ONGOING'")
    adsl.loc[earlier, "EOSSTT"] = "DEAD"
    adsl.loc[earlier, "BSA"] = "3.4"          # two rules broken in one row, the BSA rule (last) ...
    adsl.loc[later, "EOSSTT"] = "ONGOING"     # ... and the EOSSTT rule on the later row
    _write(folder, "adsl", adsl)
    assert _refused(folder).startswith(f"table adsl, column BSA, row {earlier + 1}: BSA=3.4")
    adsl.loc[earlier, "EOSSTT"] = "ONGOING"   # one row breaking both rules: the earlier rule is named
    _write(folder, "adsl", adsl)
    assert _refused(folder).startswith(f"table adsl, column EOSSTT, row {earlier + 1}:")


def test_of_two_events_after_death_the_first_row_of_adae_is_named(tmp_path):
    folder = _copy(tmp_path)
    adsl, adae = _read(folder, "adsl"), _read(folder, "adae")
    first_dead, second_dead = adsl.loc[adsl["DTHFL"] == "Y", "USUBJID"].iloc[:2]
    j = _first(adae, USUBJID=second_dead)
    k = adae.index[adae["USUBJID"] == first_dead][-1]
    assert k < j
    adae.loc[[j, k], "ASTDT"] = "2025-06-29"
    _write(folder, "adae", adae)
    assert _refused(folder).startswith(f"table adae, column ASTDT, row {k + 1}: ASTDT='2025-06-29' for {first_dead}")


def test_of_two_os_rows_at_fault_the_first_row_is_named(tmp_path):
    folder = _copy(tmp_path)
    adtte = _read(folder, "adtte")
    os_rows = list(adtte.index[adtte["PARAMCD"] == "OS"])
    a, b = os_rows[0], os_rows[1]
    start = pd.Timestamp(adtte.loc[b, "STARTDT"]) - pd.Timedelta(days=1)
    adtte.loc[b, ["STARTDT", "AVAL"]] = [start.date().isoformat(), str(int(adtte.loc[b, "AVAL"]) + 1)]
    # ... the later row breaks the first OS rule (STARTDT = TRTSDT), the earlier row the last (CNSR vs DTHFL)
    adtte.loc[a, ["CNSR", "EVNTDESC"]] = (["1", "ALIVE AT DATA CUT-OFF"] if adtte.loc[a, "CNSR"] == "0"
                                          else ["0", "DEATH"])
    _write(folder, "adtte", adtte)
    message = _refused(folder)
    assert message.startswith(f"table adtte, column CNSR, row {a + 1}: OS CNSR="), message


@pytest.mark.parametrize("content, message", [
    (b"", "not a readable CSV"),
    (b"\xff\xfe\x00garbage\x00\x01", "not a readable CSV|missing column"),
    (b"USUBJID,USUBJID\nSYN-001,SYN-001\n", "appears twice|missing column"),
])
def test_an_unreadable_file_is_refused(tmp_path, content, message):
    folder = _copy(tmp_path)
    (folder / "adsl.csv").write_bytes(content)
    with pytest.raises(ValueError, match=f"table adsl.*({message})"):
        tables_mod.load_all(folder)


def test_a_missing_file_is_refused(tmp_path):
    folder = _copy(tmp_path)
    (folder / "adae.csv").unlink()
    with pytest.raises(ValueError, match="table adae: file adae.csv not found"):
        tables_mod.load_all(folder)


# --------------------------------------------------------------------------- facts loader


def _facts_copy(tmp_path, mutate):
    df = pd.read_csv(DATA_DIR / "abstract_facts.csv", dtype=str, keep_default_na=False)
    path = tmp_path / "abstract_facts.csv"
    mutate(df).to_csv(path, index=False)
    return path


@pytest.mark.parametrize("mutate, message", [
    (lambda f: f.iloc[0:0], "no data rows"),
    (lambda f: f.assign(unit=f["unit"].where(f.index != 5, "kg")), "unit='kg'"),
    (lambda f: f.assign(value=f["value"].mask(f["fact_id"] == "male_pct", "166.7")), "percentage outside"),
    (lambda f: f.assign(value=f["value"].mask(f["fact_id"] == "male_pct", "nan")), "not a finite number"),
    (lambda f: f.assign(denominator=f["denominator"].mask(f["fact_id"] == "crc_c1_pct", "0")), "denominator"),
    (lambda f: f.assign(decimals=f["decimals"].where(f.index != 3, "-1")), "decimals"),
    (lambda f: f.assign(decimals=f["decimals"].where(f.index != 3, "12")), "decimals"),
    (lambda f: f.assign(fact_id=f["fact_id"].where(f.index != 3, " ")), "fact_id"),
    (lambda f: f.assign(numerator=f["numerator"].mask(f["fact_id"] == "crc_c1_pct", "-17")), "numerator"),
])
def test_the_facts_loader_refuses_a_corrupted_copy(tmp_path, mutate, message):
    with pytest.raises(ValueError, match=message):
        read_facts(_facts_copy(tmp_path, mutate))


def test_the_data_folder_override_is_only_an_existing_folder(monkeypatch, tmp_path):
    monkeypatch.delenv(DATA_DIR_ENV, raising=False)
    assert data_dir() == DATA_DIR
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "absent"))
    with pytest.raises(ValueError, match=DATA_DIR_ENV):
        data_dir()
    monkeypatch.setenv(DATA_DIR_ENV, str(_copy(tmp_path)))
    assert data_dir() == tmp_path
    assert len(load_facts()) == len(read_facts(DATA_DIR / "abstract_facts.csv"))


# --------------------------------------------------------------------------- notebooks stop in their loading cell


def _loading_cells(name):
    """The notebook's cells up to and including the first code cell (the one that loads the data)."""
    nb = nbformat.read(NOTEBOOKS_DIR / f"{name}.ipynb", as_version=4)
    first = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    return nb, first


@pytest.mark.parametrize("name", LOADING_NOTEBOOKS)
def test_every_data_notebook_loads_through_the_loaders_in_its_first_code_cell(name):
    nb, first = _loading_cells(name)
    source = nb.cells[first].source
    assert "tables = load_all()" in source and "load_facts()" in source
    # nothing before it reads a CSV by hand
    assert not any("read_csv" in c.source for c in nb.cells if c.cell_type == "code")


NOTEBOOK_CORRUPTIONS = {
    "01_regimen_and_dosing": ("regimen", _set("UNIT", "g/m2", DRUGKEY="lipomit"), "table regimen, column DOSE"),
    "02_cohort": ("adsl", _set("AGE", "999"), "table adsl, column AGE"),
    "03_response": ("adrs", _dup, "table adrs, column AVISIT"),
    "04_survival_hsct": ("adsl", _flag_without_date, "table adsl, column DTHDT"),
    "05_toxicity": ("adae", _orphan, "table adae, column USUBJID"),
    "06_abstract_audit": ("adtte", _aval_off_by_one, "table adtte, column AVAL"),
}


def run_loading_cells(cases: list[dict]) -> dict[str, dict]:
    """tools/run_loading_cells.py on ``cases`` ({"id", "notebook", "data_dir"}): {id: result}.

    It runs each notebook's own cells, read from the .ipynb, up to and including its first code cell,
    in an IPython shell with ``LIPOMIT_DATA_DIR`` set to the case's folder: one process for all cases
    (the stack imported once), a fresh forked copy of it per case (no kernel start per case).
    """
    run = subprocess.run([sys.executable, str(PROJECT_ROOT / "tools" / "run_loading_cells.py")],
                         input=json.dumps(cases), capture_output=True, text=True, timeout=600,
                         env={k: v for k, v in os.environ.items() if k != DATA_DIR_ENV})
    assert run.returncode == 0, f"tools/run_loading_cells.py failed:\n{run.stderr[-3000:]}"
    return {r["id"]: r for r in json.loads(run.stdout)}


@pytest.fixture(scope="module")
def notebook_runs(tmp_path_factory) -> dict[str, dict]:
    """Every notebook case of this module, run in one go: corrupted copies, a bad facts file, a clean copy."""
    cases = []
    for name in LOADING_NOTEBOOKS:
        folder = _copy(tmp_path_factory.mktemp(name))
        table, mutate, _ = NOTEBOOK_CORRUPTIONS[name]
        _apply(folder, table, mutate)
        cases.append({"id": name, "notebook": str(NOTEBOOKS_DIR / f"{name}.ipynb"), "data_dir": str(folder)})
    folder = _copy(tmp_path_factory.mktemp("facts"))
    _facts_copy(folder, lambda f: f.assign(unit=f["unit"].where(f.index != 5, "kg")))
    cases.append({"id": "facts", "notebook": str(NOTEBOOKS_DIR / "02_cohort.ipynb"), "data_dir": str(folder)})
    cases.append({"id": "clean", "notebook": str(NOTEBOOKS_DIR / "03_response.ipynb"),
                  "data_dir": str(_copy(tmp_path_factory.mktemp("clean")))})
    return run_loading_cells(cases)


def _errors(result: dict) -> list[dict]:
    """The errors of the loading cells; the run must have reached the notebook's first code cell."""
    assert "runner_error" not in result, result.get("runner_error")
    assert result["cells"], "no loading cell ran"
    return [c["error"] for c in result["cells"] if c["error"] is not None]


def test_the_runner_runs_exactly_the_cells_up_to_the_first_code_cell(notebook_runs):
    for name in LOADING_NOTEBOOKS:
        nb, first = _loading_cells(name)
        ran = [c["index"] for c in notebook_runs[name]["cells"]]
        assert ran == [i for i, c in enumerate(nb.cells[: first + 1]) if c.cell_type == "code"] == [first], name


@pytest.mark.parametrize("name", LOADING_NOTEBOOKS)
def test_a_corrupted_copy_stops_the_notebook_in_its_loading_cell(name, notebook_runs):
    _, _, message = NOTEBOOK_CORRUPTIONS[name]
    result = notebook_runs[name]
    errors = _errors(result)
    assert len(errors) == 1, "the loading cell should fail"
    assert errors[0]["ename"] == "ValueError", errors[0]
    assert message in errors[0]["evalue"], errors[0]
    assert message in result["stdout"], "the fellow should see the loader's message under the cell"


def test_a_corrupted_facts_file_stops_a_notebook(notebook_runs):
    errors = _errors(notebook_runs["facts"])
    assert len(errors) == 1 and "unit='kg'" in errors[0]["evalue"], errors


def test_a_clean_copy_runs_the_loading_cell(notebook_runs):
    assert _errors(notebook_runs["clean"]) == [], notebook_runs["clean"]["stdout"][-2000:]
    assert "patients in ADSL" in notebook_runs["clean"]["stdout"]  # the cell ran to its end


def test_no_test_wrote_into_data():
    tracked = json.dumps(sorted(p.name for p in DATA_DIR.iterdir()))
    assert "SYN-999" not in "".join(p.read_text() for p in DATA_DIR.glob("*.csv"))
    assert "abstract_facts.csv" in tracked
