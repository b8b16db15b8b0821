"""helpers.flow: every box of the patient-flow diagram is counted from ADSL/ADRS."""
from __future__ import annotations

import pandas as pd
import pytest

from helpers import flow
from helpers.engine.facts import load_facts
from helpers.engine.tables import load_all


@pytest.fixture(scope="module")
def counts():
    t = load_all()
    return flow.flow_counts(t["adsl"], t["adrs"], load_facts()).set_index("box")


def test_boxes_add_up(counts):
    n = counts["n"]
    assert n["crc_c1"] + n["mlfs_pr_c1"] + n["nr_c1"] + n["ne_c1"] == n["enrolled"]
    assert n["crc_lost"] + n["crc_relapsed_early"] + n["crc_completed"] == n["crc_c1"]
    assert n["hsct_direct"] + n["consol_hsct"] + n["no_further"] == n["crc_completed"]
    assert n["group_hsct"] == n["hsct_direct"] + n["consol_hsct"]
    assert n["group_nohsct"] == n["no_further"] + n["crc_relapsed_early"]
    assert n["cycle2_from_crc"] + n["cycle2_from_mlfs_pr"] == n["cycle2"]


def test_abstract_counts_and_its_internal_disagreements(counts):
    assert counts.loc["crc_c1", "abstract"] == 17 and counts.loc["crc_c1", "abstract_elsewhere"] == 16
    assert counts.loc["no_further", "abstract"] == 9 and counts.loc["no_further", "abstract_elsewhere"] == 10
    assert counts.loc["mlfs_pr_c1", "abstract"] == 19 - 17
    assert pd.isna(counts.loc["ne_c1", "abstract"])     # the abstract never names the early death


def _toy():
    adsl = pd.DataFrame({"USUBJID": list("abcdef"), "NCYCLES": [2, 1, 1, 2, 1, 1],
                         "POSTREM": ["HSCT", "NONE", "", "", "", ""], "COMPLFL": ["Y", "Y", "N", "", "", ""],
                         "EOSSTT": ["ONGOING", "DEAD", "DEAD", "ONGOING", "DEAD", "DEAD"],
                         "HSCTGRP": ["HSCT", "NO HSCT", "NO HSCT", "", "", ""]})
    adrs = pd.DataFrame({"USUBJID": list("abcdef") + ["a", "d"], "PARAMCD": ["OVRLRESP"] * 8,
                         "AVISIT": ["CYCLE 1"] * 6 + ["CYCLE 2"] * 2,
                         "AVALC": ["CR", "CRi", "CRh", "PR", "NR", "NE", "CR", "CR"]})
    return adsl, adrs


def test_hand_counted_toy_cohort():
    adsl, adrs = _toy()
    c = flow.flow_counts(adsl, adrs, load_facts()).set_index("box")["n"]
    assert (c["enrolled"], c["crc_c1"], c["mlfs_pr_c1"], c["nr_c1"], c["ne_c1"]) == (6, 3, 1, 1, 1)
    assert (c["cycle2"], c["cycle2_from_crc"], c["cycle2_from_mlfs_pr"], c["crc_c2"]) == (2, 1, 1, 2)
    assert (c["crc_completed"], c["crc_relapsed_early"], c["hsct_direct"], c["no_further"]) == (2, 1, 1, 1)
    assert (c["group_hsct"], c["group_nohsct"]) == (1, 2)


def test_missing_column_and_missing_response_are_refused():
    adsl, adrs = _toy()
    with pytest.raises(ValueError, match="POSTREM"):
        flow.flow_counts(adsl.drop(columns="POSTREM"), adrs, load_facts())
    with pytest.raises(ValueError, match="without a cycle-1 response"):
        flow.flow_counts(adsl, adrs[adrs["USUBJID"] != "e"], load_facts())


def test_draw_flow_marks_disagreements(counts):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots()
    flow.draw_flow(counts.reset_index(), ax)
    thick = [t.get_text().split("\n")[0] for t in ax.texts
             if t.get_bbox_patch() is not None and t.get_bbox_patch().get_linewidth() > 2]
    plt.close(fig)
    assert set(thick) == {"CRc after cycle 1", "No further therapy"}
    with pytest.raises(ValueError, match="lacks"):
        flow.draw_flow(counts.reset_index().iloc[:3], ax)


def test_implied_counts_are_labelled_as_such(counts):
    """The abstract prints 4 + 2 + 9, never 15; 19 − 17 is implied too: the box says so."""
    assert counts.loc["crc_completed", "abstract_how"] == "sum"
    assert counts.loc["mlfs_pr_c1", "abstract_how"] == "difference"
    assert counts.loc["hsct_direct", "abstract_how"] == "printed"
    assert counts.loc["ne_c1", "abstract_how"] == ""
    assert "abstract (sum): 15" in flow.box_text(counts.loc["crc_completed"])
    assert "\nabstract: 4" in flow.box_text(counts.loc["hsct_direct"])
