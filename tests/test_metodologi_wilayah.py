"""The Metodologi page's "real data and demo data" table states what is known for the configured
kabupaten (#25): population years, centres and the Ombudsman series read from its database, missing
said as missing, never Asahan's years or sources for another kabupaten."""

from __future__ import annotations

from pathlib import Path

import pytest

from metrics.core import bahasa
from metrics.data import wilayah
from metrics.data.build import DATA_DIR, build
from metrics.data.store import Store
from metrics.engine import metodologi

ROOT = Path(__file__).resolve().parents[1]
BATU_BARA = ("12.19", "32.77.02")


@pytest.fixture(scope="module")
def batu_bara_db(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("metode_bb") / "tiru.duckdb", DATA_DIR, with_demo=False,
                 config=wilayah.baca(*BATU_BARA))


def _table(path: Path, config: wilayah.Konfigurasi) -> str:
    store = Store(path)
    return metodologi.data_table(store.kecamatan(), store.ombudsman(), metodologi.wilayah_roles(config), "contoh")


def _row(table: str, start: str) -> str:
    return next(line for line in table.splitlines() if line.startswith(start))


@pytest.mark.parametrize("kode", ["id", "en"])
def test_another_kabupaten_shows_only_what_is_known_for_it(batu_bara_db, monkeypatch, kode):
    monkeypatch.setenv("TIRU_WILAYAH", BATU_BARA[0])
    with bahasa.dalam(kode):
        table = _table(batu_bara_db, wilayah.baca(*BATU_BARA))
        unknown = bahasa.t("metode.data.status.tidak_diketahui", n=12)
    population = _row(table, "| " + ("Penduduk" if kode == "id" else "Population"))
    centres = _row(table, "| " + ("Titik" if kode == "id" else "Approximate"))
    ombudsman = _row(table, "| " + ("Kepatuhan" if kode == "id" else "Ombudsman"))
    assert "Asahan" not in table and "2010" not in table and "2022" not in table
    assert f"Batu Bara: {unknown}" in population and "Cimahi" in population and "2021" in population
    assert f"Batu Bara: {unknown}" in centres and "Cimahi" in centres
    assert "Batu Bara: " in ombudsman and "2019" not in ombudsman and "2024" in ombudsman  # Cimahi's years only
    with bahasa.dalam(kode):
        assert f"Batu Bara: {bahasa.t('metode.data.status.tidak_tersedia')}" in ombudsman


def test_the_default_keeps_asahans_years_and_counts(demo_db):
    with bahasa.dalam("id"):
        table = _table(demo_db, wilayah.baca("12.09", "32.77.02"))
    population = _row(table, "| Penduduk")
    assert "Asahan: **nyata**, angka tahun 2010, 2021, 2022" in population and "11 dari 25" in population
    assert "Cimahi: **nyata**, angka tahun 2021" in population
    assert "github.com/cahyadsn/wilayah_boundaries" in _row(table, "| Titik")
    assert "2019, 2021, 2022, 2023, 2024" in _row(table, "| Kepatuhan")


@pytest.mark.parametrize("kode", ["id", "en"])
def test_the_metodologi_page_shows_it_for_batu_bara(batu_bara_db, monkeypatch, kode):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("TIRU_WILAYAH", BATU_BARA[0])
    monkeypatch.setenv("TIRU_MODEL", BATU_BARA[1])
    monkeypatch.setenv("TIRU_DB", str(batu_bara_db))
    monkeypatch.setenv("TIRU_DEMO", "0")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["bahasa"] = kode
    at.run()
    at = at.switch_page("pages/metode.py").run()
    assert not at.exception, at.exception
    shown = next(m.value for m in at.markdown if "| data |" in m.value)
    assert "Batu Bara: " in shown and "Asahan" not in shown and "2010" not in shown and "2022" not in shown
