"""What is known for the configured kabupaten, and what is not, is said (#25): the Metodologi page's
"real data and demo data" table (population years, centres and the Ombudsman series read from its
database, missing said as missing, never Asahan's years or sources for another kabupaten), the demo's
outlier and similarity without location on the same page, and Peta's note on the centres."""

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


def _page(db: Path, monkeypatch, page: str, kode: str, config=BATU_BARA, demo: bool = False):
    """`page` opened on `db` under `config`; TIRU_DEMO as the file was built (else the app rebuilds it)."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("TIRU_WILAYAH", config[0])
    monkeypatch.setenv("TIRU_MODEL", config[1])
    monkeypatch.setenv("TIRU_DB", str(db))
    monkeypatch.setenv("TIRU_DEMO", "1" if demo else "0")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["bahasa"] = kode
    at.run()
    at = at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("kode", ["id", "en"])
def test_the_metodologi_page_shows_it_for_batu_bara(batu_bara_db, monkeypatch, kode):
    at = _page(batu_bara_db, monkeypatch, "pages/metode.py", kode)
    shown = next(m.value for m in at.markdown if "| data |" in m.value)
    assert "Batu Bara: " in shown and "Asahan" not in shown and "2010" not in shown and "2022" not in shown


@pytest.fixture(scope="module")
def batu_bara_demo_db(tmp_path_factory) -> Path:
    """Batu Bara with its generated demo: the pages draw their charts."""
    return build(tmp_path_factory.mktemp("metode_bb_demo") / "tiru.duckdb", DATA_DIR, with_demo=True,
                 config=wilayah.baca(*BATU_BARA))


@pytest.mark.parametrize("kode", ["id", "en"])
def test_peta_does_not_cite_centres_batu_bara_does_not_have(batu_bara_demo_db, monkeypatch, kode):
    with bahasa.dalam(kode):
        drawn = bahasa.t("peta.halaman.catatan_peta")
    at = _page(batu_bara_demo_db, monkeypatch, "pages/peta_kecamatan.py", kode, demo=True)
    assert at.get("plotly_chart")  # the map was drawn (its values listed: no centre to place them)
    notes = " ".join(c.value for c in at.caption)
    assert drawn in notes and "wilayah_boundaries" not in notes  # no centre of Batu Bara is known


def test_peta_cites_the_centres_asahan_has(demo_db, monkeypatch):
    at = _page(demo_db, monkeypatch, "pages/peta_kecamatan.py", "id", config=("12.09", "32.77.02"), demo=True)
    assert "wilayah_boundaries" in " ".join(c.value for c in at.caption)


def _kewajaran(at) -> str:
    return next(m.value for m in at.markdown if m.value.startswith(("**Kontrol kewajaran", "**Plausibility")))


@pytest.mark.parametrize("kode", ["id", "en"])
def test_metodologi_names_the_configured_demos_outlier(batu_bara_demo_db, monkeypatch, kode):
    from metrics.data import demo_wilayah

    config = wilayah.baca(*BATU_BARA)
    outlier = demo_wilayah.pemeran(config, demo_wilayah.katalog(config, DATA_DIR)).outlier[0]
    name = next(k.nama for k in demo_wilayah.katalog(config, DATA_DIR).kecamatan if k.kode == outlier)
    text = _kewajaran(_page(batu_bara_demo_db, monkeypatch, "pages/metode.py", kode, demo=True))
    assert name in text and "Kisaran" not in text
    assert ("Maret 2026" if kode == "id" else "March 2026") in text


def test_metodologi_keeps_asahans_outlier_and_says_none_without_demo(demo_db, batu_bara_db, monkeypatch):
    text = _kewajaran(_page(demo_db, monkeypatch, "pages/metode.py", "id", config=("12.09", "32.77.02"), demo=True))
    assert "Kota Kisaran Timur" in text and "Maret 2026" in text
    text = _kewajaran(_page(batu_bara_db, monkeypatch, "pages/metode.py", "id"))
    assert "pencilan DATA CONTOH" not in text


@pytest.mark.parametrize("kode", ["id", "en"])
def test_metodologi_says_similarity_leaves_location_out_for_batu_bara(batu_bara_db, demo_db, monkeypatch, kode):
    with bahasa.dalam(kode):
        monkeypatch.setenv("TIRU_WILAYAH", BATU_BARA[0])
        said = bahasa.t("metode.mirip.tanpa_letak")
    assert "Batu Bara" in said
    shown = [m.value for m in _page(batu_bara_db, monkeypatch, "pages/metode.py", kode).markdown]
    assert said in shown
    shown = [m.value for m in _page(demo_db, monkeypatch, "pages/metode.py", kode, config=("12.09", "32.77.02"),
                                    demo=True).markdown]
    assert not [m for m in shown if "Asahan" in m and ("letak tidak dipakai" in m or "location is not used" in m)]
