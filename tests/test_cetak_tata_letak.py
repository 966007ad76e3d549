"""The printed papers stay on their page: every text run of the rapor and the monthly brief lies
within the A4 page and inside the side margins, and nothing prints over anything else (the
footer's source line and the page number least of all), in both languages, for the demo and a
sparse database. Positions come from the PDF itself (tests/layout_support.py)."""

import pytest
from layout_support import outside, overprinted, text_runs
from reportlab.lib.units import mm

from metrics.core import bahasa
from metrics.data.store import Store
from metrics.reports import deck_spec, rapor
from metrics.reports import laporan_bulanan as laporan
from metrics.reports.cetak import MARGIN

EDGE = 5 * mm  # what an office printer leaves unprinted at the paper's edge


def assert_fits(data: bytes, tmp_path, name: str) -> list:
    path = tmp_path / name
    path.write_bytes(data)
    pages = text_runs(path)
    assert pages
    for number, (box, runs) in enumerate(pages, start=1):
        assert runs, f"{name} page {number}: no text found"
        x0, _, x1, _ = box
        off = outside(box, runs, EDGE)
        assert not off, f"{name} page {number}: off the printable page: {[(r.text, r.x0, r.x1, r.y0) for r in off]}"
        wide = [r for r in runs if r.x0 < x0 + MARGIN - 1 or r.x1 > x1 - MARGIN + 1]
        assert not wide, f"{name} page {number}: into the side margin: {[(r.text, r.x0, r.x1) for r in wide]}"
        over = overprinted(runs)
        assert not over, f"{name} page {number}: text over text: {[(a.text, b.text) for a, b in over]}"
    return pages


@pytest.fixture(scope="module")
def inputs(demo_store):
    return deck_spec.gather(demo_store, demo_store.latest_period())


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_rapor_page_fits_and_its_footer_does_not_overprint(inputs, tmp_path, lang):
    with bahasa.dalam(lang):
        pages = assert_fits(rapor.to_bytes(inputs), tmp_path, f"rapor-{lang}.pdf")
        assert len(pages) == len(inputs.kecamatan)
        for _box, runs in pages:  # the page number is printed, on the same page as the source line
            footer = [r for r in runs if r.y1 < MARGIN]
            assert any(("halaman" if lang == "id" else "page") in r.text for r in footer)
            assert any(deck_spec.demo_label() in r.text for r in footer)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_brief_page_fits(inputs, tmp_path, lang):
    with bahasa.dalam(lang):
        assert_fits(laporan.to_bytes(inputs), tmp_path, f"laporan-{lang}.pdf")


def test_rapor_and_brief_of_a_sparse_database_fit(sparse_dbs, tmp_path):
    path, _, _ = sparse_dbs["satu_kecamatan"]
    store = Store(path)
    sparse = deck_spec.gather(store, store.latest_period())
    assert_fits(rapor.to_bytes(sparse, ["12.09.19", "12.09.08"]), tmp_path, "rapor-sparse.pdf")
    assert_fits(laporan.to_bytes(sparse), tmp_path, "laporan-sparse.pdf")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_no_word_of_a_brief_table_is_broken_across_lines(inputs, tmp_path, lang):
    """A column too narrow for its longest word breaks it ('Peruba' / 'han'): every word of every
    table of the brief is drawn whole, in one run."""
    with bahasa.dalam(lang):
        report = laporan.brief(inputs)
        pages = text_runs(_write(laporan.to_bytes(inputs), tmp_path / f"laporan-{lang}.pdf"))
    drawn = " ".join(r.text for _, runs in pages for r in runs)
    words = {w for f in report.findings for table in f.tables
             for cell in [*table.columns, *(v for row in table.rows for v in row)] for w in str(cell).split()}
    broken = sorted(w for w in words if w not in drawn)
    assert not broken, f"words broken across lines: {broken}"


def _write(data: bytes, path):
    path.write_bytes(data)
    return path
