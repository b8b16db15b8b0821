"""helpers.style: one theme, named colours, reproducible figures, cheap import."""
from __future__ import annotations

import hashlib
import io
import os
import re
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from helpers import style  # noqa: E402

HEX = re.compile(r"^#[0-9A-F]{6}$")


@pytest.fixture(autouse=True)
def _restore_global_state(monkeypatch):
    """apply() changes process-wide state; give other tests in this xdist worker theirs back."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    with matplotlib.rc_context():  # restores every rcParam on exit
        yield


def test_named_colours_cover_the_categories():
    assert list(style.RESPONSE_COLORS) == ["CR", "CRh", "CRi", "MLFS", "PR", "NR", "NE"]
    assert list(style.HSCT_COLORS) == ["HSCT", "NO HSCT"]
    assert list(style.ELN_COLORS) == ["FAVORABLE", "INTERMEDIATE", "ADVERSE"]
    for colors in (style.RESPONSE_COLORS, style.HSCT_COLORS, style.ELN_COLORS):
        assert all(HEX.match(c) for c in colors.values())
        assert len(set(colors.values())) == len(colors), "two categories of one kind share a colour"


def test_color_for_is_case_insensitive_and_rejects_unknown():
    assert style.color_for("no  hsct") == style.HSCT_COLORS["NO HSCT"]
    assert style.color_for("cri") == style.RESPONSE_COLORS["CRi"]
    with pytest.raises(ValueError, match=r"category='CRx'.*accepted: CR, CRh"):
        style.color_for("CRx")
    with pytest.raises(ValueError, match=r"category=None"):
        style.color_for(None)


def test_apply_sets_theme_size_and_determinism():
    style.apply()
    rc = matplotlib.rcParams
    assert tuple(rc["figure.figsize"]) == style.FIGSIZE
    assert rc["figure.dpi"] == style.DPI == 100
    assert rc["svg.hashsalt"] == style.SVG_HASHSALT
    assert rc["axes.grid"] is True  # whitegrid
    cycle = [matplotlib.colors.to_hex(c).upper() for c in rc["axes.prop_cycle"].by_key()["color"]]
    assert cycle == list(style.CYCLE)


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_saved_figures_are_byte_identical(fmt):
    style.apply()

    def render() -> str:
        fig, ax = plt.subplots()
        ax.bar(list(style.RESPONSE_COLORS), range(len(style.RESPONSE_COLORS)), color=list(style.RESPONSE_COLORS.values()))
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt)
        plt.close(fig)
        return hashlib.sha256(buffer.getvalue()).hexdigest()

    assert render() == render()


def test_import_is_cheap():
    code = "import sys, helpers.style; print('matplotlib' in sys.modules, 'seaborn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_apply_sets_source_date_epoch_only_if_unset(monkeypatch):
    style.apply()
    assert os.environ["SOURCE_DATE_EPOCH"] == "0"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    style.apply()
    assert os.environ["SOURCE_DATE_EPOCH"] == "1700000000"


def test_one_colour_per_meaning_across_palettes():
    """No colour means two things (issue 12: the same green once meant CR, favourable and HSCT)."""
    seen: dict[str, str] = {}
    for palette, colors in style.MEANING_PALETTES.items():
        for name, hex_color in colors.items():
            key = hex_color.upper()
            assert key not in seen, f"{palette}:{name} reuses the colour of {seen[key]}"
            seen[key] = f"{palette}:{name}"
