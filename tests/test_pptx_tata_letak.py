"""The pack stays on its slides with whatever fonts the presenter's computer has: every shape
within the 16:9 slide, every table and text above the footer, measured with a font wider than
Calibri (tests/layout_support.py); and rendered by LibreOffice with the Calibri-compatible font
hidden (Debian's default fonts), no text falls outside a slide or onto the footer."""

import os
import shutil
import subprocess

import pytest
from layout_support import LINE_HEIGHT, outside, overprinted, text_runs, wrapped_lines
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Emu, Pt

from metrics.core import bahasa
from metrics.data.store import Store
from metrics.reports import deck_spec, pptx_pack, slides

DEFAULT_SIZE = Pt(18)  # PowerPoint's size for a run without one


def _pt(emu) -> float:
    return Emu(int(emu)).pt


def frame_height(frame, width) -> float:
    """Points the text of `frame` needs when wrapped in `width` EMU (margins included)."""
    inner = _pt(width - (frame.margin_left or 0) - (frame.margin_right or 0))
    height = _pt((frame.margin_top or 0) + (frame.margin_bottom or 0))
    for paragraph in frame.paragraphs:
        text = "".join(r.text for r in paragraph.runs)
        sizes = [(r.font.size or DEFAULT_SIZE).pt for r in paragraph.runs] or [DEFAULT_SIZE.pt]
        size, bold = max(sizes), any(r.font.bold for r in paragraph.runs)
        lines = wrapped_lines(text, inner, size, bold) if text else 1
        height += lines * size * LINE_HEIGHT + (paragraph.space_after.pt if paragraph.space_after else 0)
    return height


def check_geometry(prs) -> None:
    width, height, footer = prs.slide_width, prs.slide_height, pptx_pack.FOOTER_TOP
    for number, slide in enumerate(prs.slides, start=1):
        for shape in slide.shapes:
            where = f"slide {number}, {shape.name}"
            assert shape.left >= 0 and shape.top >= 0, where
            assert shape.left + shape.width <= width and shape.top + shape.height <= height, f"{where}: off the slide"
            if shape.has_table:
                bottom = _pt(shape.top)
                columns = [c.width for c in shape.table.columns]
                assert sum(columns) <= shape.width + Pt(1), f"{where}: its columns are wider than the table"
                for i, row in enumerate(shape.table.rows):
                    needed = max(_cell_height(cell, columns[j]) for j, cell in enumerate(row.cells))
                    bottom += max(_pt(row.height), needed)
                    assert needed <= _pt(row.height) + 1, (
                        f"{where} row {i}: needs {needed:.1f} pt, has {_pt(row.height):.1f}"
                    )
                assert bottom <= _pt(footer) + 1, f"{where}: the table runs to {bottom:.0f} pt, over the footer"
            elif shape.has_text_frame and shape.text_frame.text.strip():
                needed = frame_height(shape.text_frame, shape.width)
                assert needed <= _pt(shape.height) + 2, (
                    f"{where}: '{shape.text_frame.text[:50]}' needs {needed:.1f} pt, has {_pt(shape.height):.1f}")
            content = shape.has_table or shape.has_chart or (shape.has_text_frame and shape.text_frame.text.strip())
            if content and shape.top < footer:  # every table, chart and text but the footer stays above it
                assert shape.top + shape.height <= footer + Pt(1), f"{where}: reaches into the footer"


def _cell_height(cell, width) -> float:
    frame = cell.text_frame
    inner = _pt(width - cell.margin_left - cell.margin_right)
    height = _pt(cell.margin_top + cell.margin_bottom)
    for paragraph in frame.paragraphs:
        text = "".join(r.text for r in paragraph.runs)
        size = max([(r.font.size or DEFAULT_SIZE).pt for r in paragraph.runs] or [DEFAULT_SIZE.pt])
        bold = any(r.font.bold for r in paragraph.runs)
        height += (wrapped_lines(text, inner, size, bold) if text else 1) * size * LINE_HEIGHT
    return height


@pytest.fixture(scope="module")
def packs(demo_store, sparse_dbs, tmp_path_factory):
    """The demo's latest month with a focus slide, in both languages, and a sparse database's pack."""
    folder = tmp_path_factory.mktemp("packs")
    inputs = deck_spec.gather(demo_store, demo_store.latest_period())
    made = {}
    for lang in ("id", "en"):
        with bahasa.dalam(lang):
            made[lang] = pptx_pack.write(slides.deck(inputs, "12.09.19"), folder / f"pack-{lang}.pptx")
    path, _, _ = sparse_dbs["satu_kecamatan"]
    store = Store(path)
    sparse = deck_spec.gather(store, store.latest_period())
    made["sparse"] = pptx_pack.write(slides.deck(sparse, "12.09.19"), folder / "pack-sparse.pptx")
    return made


@pytest.mark.parametrize("which", ["id", "en", "sparse"])
def test_every_shape_fits_its_slide_and_tables_stay_above_the_footer(packs, which):
    check_geometry(Presentation(str(packs[which])))


def _soffice() -> str | None:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        if os.environ.get("TIRU_REQUIRE_OFFICE") == "1":
            pytest.fail("LibreOffice (soffice) is required (TIRU_REQUIRE_OFFICE=1) but not installed")
        pytest.skip("LibreOffice (soffice) not installed")
    return found


def render(pptx, folder) -> list:
    """`pptx` as a PDF by LibreOffice headless, with Calibri's metric twin (Carlito) hidden, in its own
    profile (a concurrent LibreOffice cannot interfere)."""
    soffice = _soffice()
    config = folder / "fonts.conf"
    config.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                      '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
                      '<selectfont><rejectfont><glob>*Carlito*</glob><glob>*arlito*</glob>'
                      '<pattern><patelt name="family"><string>Carlito</string></patelt></pattern>'
                      '</rejectfont></selectfont></fontconfig>')
    env = dict(os.environ, FONTCONFIG_FILE=str(config), HOME=str(folder))
    subprocess.run([soffice, f"-env:UserInstallation=file://{folder / 'profile'}", "--headless", "--norestore",
                    "--convert-to", "pdf", "--outdir", str(folder), str(pptx)],
                   check=True, env=env, capture_output=True, timeout=240)
    pdf = folder / (pptx.stem + ".pdf")
    assert pdf.exists(), "LibreOffice wrote no PDF"
    return text_runs(pdf)


@pytest.fixture(scope="module")
def large_packs(wilayah_db, tmp_path_factory):
    """The packs of Garut (42 kecamatan, its own Garut Kota the model) and of the kabupaten with the most
    kecamatan (95.03, 51), their latest month, with a focus slide; English for the largest."""
    folder = tmp_path_factory.mktemp("large_packs")
    made = {}
    for name, lang in (("garut_internal", "id"), ("terbesar", "en")):
        state = wilayah_db(name)
        with pytest.MonkeyPatch.context() as mp, bahasa.dalam(lang):
            state.apply(mp)
            store = Store(state.db)
            inputs = deck_spec.gather(store, store.latest_period())
            made[name] = (pptx_pack.write(slides.deck(inputs, state.focus), folder / f"pack-{name}.pptx"), inputs)
    return made


@pytest.mark.parametrize("name", ["garut_internal", "terbesar"])
def test_a_large_kabupatens_pack_fits_and_its_two_column_lists_are_balanced(large_packs, name):
    path, inputs = large_packs[name]
    prs = Presentation(str(path))
    check_geometry(prs)
    named = []
    for number, slide in enumerate(prs.slides, start=1):
        tables = [s.table for s in slide.shapes if s.has_table]
        if len(tables) == 2 and len(tables[0].columns) == len(tables[1].columns):  # one list in two halves
            counts = [len(tb.rows) for tb in tables]
            assert abs(counts[0] - counts[1]) <= 1, f"slide {number}: {counts[0] - 1} rows beside {counts[1] - 1}"
        if any(tb.cell(0, 1).text == bahasa.t("istilah.kecamatan") and len(tb.columns) == 5 for tb in tables):
            named += [tb.cell(i, 1).text for tb in tables for i in range(1, len(tb.rows))]
    assert named == list(inputs.table["kecamatan"])  # the ranking table: every kecamatan once, in order


@pytest.mark.parametrize("which", ["id", "en", "sparse", "garut_internal", "terbesar"])
def test_libreoffice_without_calibri_renders_every_slide_within_its_page(request, which, tmp_path):
    pack = (request.getfixturevalue("large_packs")[which][0] if which in ("garut_internal", "terbesar")
            else request.getfixturevalue("packs")[which])
    prs = Presentation(str(pack))
    pages = render(pack, tmp_path)
    assert len(pages) == len(prs.slides)
    scale = 72 / 914400  # EMU to points
    for number, ((box, runs), slide) in enumerate(zip(pages, prs.slides, strict=True), start=1):
        assert runs, f"slide {number}: no text rendered"
        off = outside(box, runs)
        assert not off, f"slide {number}: off the slide: {[(r.text, r.x0, r.x1, r.y0) for r in off]}"
        footer_line = box[3] - pptx_pack.FOOTER_TOP * scale  # PDF y grows upwards
        footer_text = " ".join(s.text_frame.text for s in slide.shapes
                               if s.has_text_frame and s.top >= pptx_pack.FOOTER_TOP)
        for r in runs:
            if r.y0 < footer_line - 1:  # in the footer band: only the footer's own words
                assert r.y1 <= footer_line + 1 and r.text.strip() in footer_text, (
                    f"slide {number}: '{r.text}' falls onto the footer")
        over = overprinted(runs)
        assert not over, f"slide {number}: text over text: {[(a.text, b.text) for a, b in over]}"
        shown = "".join(r.text for r in runs).replace(" ", "")
        for chart in (s.chart for s in slide.shapes if s.has_chart):
            if chart.chart_type == XL_CHART_TYPE.BAR_CLUSTERED:  # a name per bar, none dropped for room
                missing = [c for c in chart.plots[0].categories if str(c).replace(" ", "") not in shown]
                assert not missing, f"slide {number}: bars without their name: {missing}"
