"""A missing indicator counts as 0 and every screen says so (#14): the Profil scorecard marks it
"tanpa data = 0" and shows the Indeks over the reported indicators beside it as a labelled aid; the
rapor says the same."""

import pytest
from page_support import open_page
from pypdf import PdfReader

from metrics.core import formatting
from metrics.engine import benchmark
from metrics.reports import deck_spec, rapor


@pytest.fixture(scope="module")
def gap(demo_store):
    """The default month's first kecamatan with an indicator without data, and its league row."""
    periode = demo_store.latest_period()
    table = benchmark.league_table(demo_store, periode, draws=0)
    row = table[table["belum_ada"].map(len) > 0].iloc[0]
    return periode, row


def test_profil_marks_missing_as_zero_and_shows_the_aid(demo_db, use_db, gap):
    periode, row = gap
    from metrics.core import periode as per

    at = open_page(demo_db, use_db, "pages/kecamatan.py", kecamatan=row["kode_kecamatan"], periode=per.fmt(periode))
    assert not at.exception
    card = next(d.value for d in at.dataframe if "Skor" in d.value.columns)
    assert (card["Skor"] == "0 (tanpa data = 0)").sum() == len(row["belum_ada"])
    texts = " ".join(c.value for c in at.caption) + " ".join(m.value for m in at.markdown)
    assert "tanpa data = 0" in texts
    assert formatting.angka(row["skor_dilaporkan"], 1) in texts


def test_rapor_marks_missing_as_zero_and_shows_the_aid(demo_store, gap, tmp_path):
    periode, row = gap
    path = tmp_path / "rapor.pdf"
    path.write_bytes(rapor.to_bytes(deck_spec.gather(demo_store, periode), [row["kode_kecamatan"]]))
    text = " ".join(PdfReader(str(path)).pages[0].extract_text().split())
    assert "tanpa data = 0" in text
    assert formatting.angka(row["skor_dilaporkan"], 1) in text
