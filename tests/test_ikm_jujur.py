"""Honest IKM (#14.2): SKM of a semester that has not ended is refused naming the semester and
its end; the number and the letter agree wherever both are shown; a small sample is flagged
wherever an IKM is shown."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cli_support import cli_copy
from pypdf import PdfReader

from metrics import ingest
from metrics.core import bahasa
from metrics.core import periode as per
from metrics.data.store import Store
from metrics.engine import benchmark, ikm
from metrics.reports import deck_spec, rapor

UNSUR = ",".join(f"u{i}" for i in range(1, 10))


@pytest.mark.parametrize("value, shown", [
    (88.31, "88,31"), (88.30, "88,30"), (88.2963, "88,30"), (88.3056, "88,31"),  # both print 88,3 with one decimal
    (76.61, "76,61"), (76.60, "76,60"), (65.00, "65,00"), (64.99, "64,99"),
    (90.0, "90,0"), (100.0, "100,0"), (80.04, "80,0"), (88.2, "88,2"), (88.4, "88,4"),
])
def test_the_ikm_number_shows_two_decimals_where_one_would_hide_the_grade(value, shown):
    assert ikm.teks(value) == shown
    one = ikm.teks(value)
    # Every value printed the same way has the same grade: the text never contradicts the letter.
    assert ikm.mutu(float(one.replace(",", ".")))[0] == ikm.mutu(value)[0]


def test_ikm_text_in_english_and_missing():
    with bahasa.dalam("en"):
        assert ikm.teks(88.31) == "88.31"
    assert ikm.teks(None) == "—"


def test_category_flags_a_small_sample():
    assert benchmark.category("ikm", 100.0, None, responden=10) == "Mutu A · Sangat Baik · sampel kecil (10 responden)"
    assert benchmark.category("ikm", 100.0, None, responden=30) == "Mutu A · Sangat Baik"
    assert benchmark.category("ikm", 100.0, None) == "Mutu A · Sangat Baik"  # count unknown (an IKM file)
    with bahasa.dalam("en"):
        assert (
            benchmark.category("ikm", 100.0, None, responden=10)
            == "Grade A · Very good · small sample (10 respondents)"
        )


@pytest.fixture
def db(empty_db, tmp_path, monkeypatch) -> Path:
    path = cli_copy(empty_db, tmp_path / "db", monkeypatch, with_demo=False)
    return path


def skm(kode: str, periode: str, n: int, answer: int = 4) -> bytes:
    lines = [f"kode_kecamatan,periode,responden,{UNSUR}"]
    lines += [f"{kode},{periode},r{r}," + ",".join([str(answer)] * 9) for r in range(n)]
    return "\n".join(lines).encode()


@pytest.mark.parametrize("periode", ["2026-S2", "2026-12", "2026-08"])
def test_skm_of_a_semester_not_ended_is_refused_naming_its_end(db, monkeypatch, periode):
    monkeypatch.setenv("TIRU_HARI_INI", "2026-12-15")  # in the semester's last month
    plan = ingest.prepare(Store(db), skm("12.09.19", periode, 30), "skm.csv")
    assert not plan.ok
    assert any("2026-S2 berakhir 31 Desember 2026" in m.teks() for m in plan.masalah), plan.masalah
    with bahasa.dalam("en"):
        plan = ingest.prepare(Store(db), skm("12.09.19", periode, 30), "skm.csv")
        assert any("2026-S2 ends on 31 December 2026" in m.teks() for m in plan.masalah), plan.masalah


def test_skm_of_an_ended_semester_is_accepted(db, monkeypatch):
    monkeypatch.setenv("TIRU_HARI_INI", "2027-01-01")
    plan = ingest.prepare(Store(db), skm("12.09.19", "2026-S2", 30), "skm.csv")
    assert plan.ok, plan.masalah


def test_a_small_sample_is_flagged_on_the_profil_and_the_rapor(demo_db, tmp_path, monkeypatch):
    # The demo database: the rapor needs the demo's targets (it fails without any, a separate defect).
    path = tmp_path / "demo" / "tiru.duckdb"
    path.parent.mkdir()
    shutil.copy(demo_db, path)
    monkeypatch.setenv("TIRU_HARI_INI", "2026-07-05")
    store = Store(path)
    plan = ingest.prepare(store, skm("12.09.19", "2026-S1", 10), "skm.csv")
    assert plan.ok, plan.masalah
    ingest.impor(store, plan, "uji", demo="pertahankan")
    june = per.parse("2026-06")
    card = benchmark.scorecard(store, june)
    profile = benchmark.profile_scorecard(card, "12.09.19", benchmark.catalog(store)).set_index("indikator")
    assert profile.loc["ikm", "nilai"] == 100
    assert profile.loc["ikm", "kategori"] == "Mutu A · Sangat Baik · sampel kecil (10 responden)"
    inputs = deck_spec.gather(store, june)
    path = tmp_path / "rapor.pdf"
    path.write_bytes(rapor.to_bytes(inputs, ["12.09.19"]))
    text = " ".join(PdfReader(str(path)).pages[0].extract_text().split())
    assert "sampel kecil (10 responden)" in text
