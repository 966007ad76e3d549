"""Shared fixtures: databases built from the committed sources or from small hand-made ones."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from metrics.data.build import DATA_DIR, build
from metrics.data.store import Store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """The demo database, built once from data/ as the app would."""
    return build(tmp_path_factory.mktemp("demo") / "tiru.duckdb", DATA_DIR, with_demo=True)


@pytest.fixture(scope="session")
def empty_db(tmp_path_factory) -> Path:
    """Reference facts and catalogues only: no observations, events or targets."""
    return build(tmp_path_factory.mktemp("empty") / "tiru.duckdb", DATA_DIR, with_demo=False)


@pytest.fixture(scope="session")
def demo_store(demo_db) -> Store:
    return Store(demo_db)


@pytest.fixture
def small_data_dir(tmp_path) -> Path:
    """A copy of data/ whose demo files are replaced by a few hand-made rows."""
    data = tmp_path / "data"
    for part in ("reference", "catalog"):
        shutil.copytree(DATA_DIR / part, data / part)
    shutil.copy(DATA_DIR / "schema.sql", data / "schema.sql")
    (data / "demo").mkdir()
    (data / "demo" / "observasi.csv").write_text(
        "kode_kecamatan,periode,indikator,nilai,sumber,catatan\n"
        "12.09.08,2026-08,waktu_tunggu,66,uji,\n"
        "12.09.08,2026-09,waktu_tunggu,65,uji,\n"
        "12.09.09,2026-09,waktu_tunggu,120,uji,\n"
        "32.77.02,2026-09,waktu_tunggu,12,uji,\n",
        encoding="utf-8",
    )
    (data / "demo" / "adopsi.csv").write_text(
        "kode_kecamatan,inovasi,tahap,tanggal,bukti,oleh\n"
        "12.09.08,antrean_digital,1,2025-01-10,Rencana aksi,Operator\n"
        "12.09.08,antrean_digital,3,2025-06-02,=HYPERLINK(\"x\"),Operator\n",
        encoding="utf-8",
    )
    (data / "demo" / "target.csv").write_text(
        "inovasi,tahap,tanggal,kode_kecamatan\nantrean_digital,3,2025-12-31,\n", encoding="utf-8"
    )
    (data / "demo" / "target_indikator.csv").write_text(
        "indikator,nilai,tanggal,kode_kecamatan\nwaktu_tunggu,30,2026-12-31,\n", encoding="utf-8"
    )
    return data


@pytest.fixture
def use_db(monkeypatch):
    """Point the app (TIRU_DB) at a database for AppTest runs."""

    def point(path: Path, with_demo: bool = True) -> None:
        monkeypatch.setenv("TIRU_DB", str(path))
        monkeypatch.setenv("TIRU_DEMO", "1" if with_demo else "0")

    return point


@pytest.fixture(scope="module")
def nginx() -> str:
    """Debian's nginx for the scale-out tests: skipped without it, unless TIRU_REQUIRE_NGINX=1."""
    import os

    from metrics.ops import beban

    if not beban.NGINX:
        if os.environ.get("TIRU_REQUIRE_NGINX") == "1":
            pytest.fail("nginx tidak terpasang, padahal TIRU_REQUIRE_NGINX=1 (apt-get install nginx)")
        pytest.skip("nginx not installed (apt-get install nginx); set TIRU_REQUIRE_NGINX=1 to fail instead")
    return beban.NGINX


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium driven by Playwright, one per test module."""
    from browser_support import CHROMIUM, CHROMIUM_ARGS, require_chromium

    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()
