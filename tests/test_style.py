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
    assert rc["text.hinting"] == "none"  # unhinted glyphs: the cheaper text drawing every figure relies on
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


def test_margins_are_inches_from_each_edge():
    fig = plt.figure(figsize=(8, 4))
    fig.add_subplot(111)
    style.margins(fig, left_in=1.0, bottom_in=1.2, top_in=0.4, right_in=0.2)
    box = fig.axes[0].get_position()   # figure fractions
    assert (box.x0 * 8, box.y0 * 4) == pytest.approx((1.0, 1.2))
    assert ((1 - box.x1) * 8, (1 - box.y1) * 4) == pytest.approx((0.2, 0.4))
    plt.close(fig)


@pytest.mark.parametrize("kwargs, match", [
    ({"left_in": -0.1, "bottom_in": 1.0}, "left_in=-0.1"),
    ({"left_in": 1.0, "bottom_in": "1"}, "bottom_in='1'"),
    ({"left_in": 5.0, "bottom_in": 1.0, "right_in": 3.0}, "leave no room"),
    ({"left_in": 1.0, "bottom_in": 1.0, "wspace": -1}, "wspace=-1"),
])
def test_margins_refuse_bad_values(kwargs, match):
    fig = plt.figure(figsize=(8, 4))
    with pytest.raises(ValueError, match=match):
        style.margins(fig, **kwargs)
    plt.close(fig)


def test_show_uncropped_turns_off_the_crop_only_in_ipython(monkeypatch):
    import IPython
    import matplotlib_inline.backend_inline as inline
    calls = []
    monkeypatch.setattr(inline, "set_matplotlib_formats", lambda *a, **k: calls.append((a, k)))
    monkeypatch.setattr(IPython, "get_ipython", lambda: None)
    style.show_uncropped()                      # a plain Python process: nothing to configure
    assert calls == []
    monkeypatch.setattr(IPython, "get_ipython", lambda: object())
    style.show_uncropped()                      # in a notebook: PNG, no tight bounding box
    assert calls == [(("png",), {"bbox_inches": None, "pil_kwargs": {"compress_level": 3}})]
