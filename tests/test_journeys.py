"""More journeys in a real browser (Debian's Chromium via Playwright): switch the language,
download the PowerPoint pack, upload a bad file and read the error, upload a good one and
see the change, an upload over the limit, and `kill -9` of the app in the middle of an
import. Skipped without chromium unless TIRU_REQUIRE_BROWSER=1 (as .ci/run sets).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
from pathlib import Path

import browser_support
import pandas as pd
import pytest
from pptx import Presentation

from metrics import ingest
from metrics.app import akses
from metrics.core import bahasa, formatting
from metrics.core import periode as per
from metrics.data.build import ROOT
from metrics.data.store import Store
from metrics.engine import benchmark

SHOTS = ROOT / "artifacts" / "screenshots" / "e2e"
PASSWORD = "sandi-uji-admin"
# Runs the app with writer.summarise slowed down: an import stops after its rows are inserted,
# before the transaction commits, and says so in a marker file, so the test can kill -9 it there.
SLOW_APP = """
import os, sys, time
import metrics.data.writer as writer
original = writer.summarise
def slow(*args, **kwargs):
    result = original(*args, **kwargs)
    with open(os.environ["JOURNEY_MARKER"], "w") as marker:
        marker.write("MIDWAY")
    time.sleep(600)
    return result
writer.summarise = slow
from metrics.ops.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.fixture
def writable(tmp_path, demo_db) -> tuple[Path, Path]:
    """A copy of the demo database and a secrets file with one admin account."""
    db = tmp_path / "tiru.duckdb"
    shutil.copy(demo_db, db)
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[[akun]]\nnama = "admin"\nperan = "admin"\nhash = "{akses.hash_password(PASSWORD)}"\n',
                       encoding="utf-8")
    return db, secrets


def _open(browser, url: str, heading: str, viewport=(1600, 1000)):
    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]}, accept_downloads=True)
    page.goto(url)
    page.get_by_role("heading", name=heading).first.wait_for(timeout=90_000)
    page.wait_for_load_state("networkidle")
    return page


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _sign_in(page) -> None:
    page.get_by_label("Nama pengguna").fill("admin")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.get_by_role("button", name="Keluar").wait_for(timeout=30_000)  # signed in: the sign-out button


def _upload(page, path: Path) -> None:
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(path))


def _month_file(folder: Path, periode: int, values: dict[str, float], name="bulan-ini.csv") -> Path:
    rows = "".join(f"{kode},{per.fmt(periode)},tte,{value}\n" for kode, value in values.items())
    path = folder / name
    path.write_text("kode_kecamatan,periode,indikator,nilai\n" + rows, encoding="utf-8")
    return path


def _import_in_browser(page, path: Path, changes: int) -> None:
    """On Kelola Data, signed in: upload a good file, keep the demo data, press import."""
    _upload(page, path)
    page.get_by_text("lolos uji coba").first.wait_for(timeout=30_000)
    page.get_by_text("Pertahankan data contoh").first.click()
    page.get_by_role("button", name=f"Impor {changes} perubahan").click()


# --------------------------------------------------------------------------- language


def test_switch_the_language_and_keep_it_while_moving_between_pages(browser, demo_db):
    process, url = browser_support.serve(demo_db)
    try:
        page = _open(browser, f"{url}/peringkat", "Peringkat kecamatan")
        with bahasa.dalam("en"):
            period_label, nav_profile = bahasa.t("umum.periode"), bahasa.t("umum.nav.profil")
        language = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]') \
            .filter(has=page.locator('input[aria-label="Bahasa / Language"]'))
        language.click()
        page.get_by_role("option", name="English").click()
        page.wait_for_function("() => location.search.includes('bahasa=en')", timeout=30_000)
        page.locator(f'[data-testid="stSidebar"] input[aria-label="{period_label}"]').wait_for(timeout=30_000)
        # Numbers follow the language: the median of the ranked kecamatan in English format.
        table = benchmark.league_table(Store(demo_db), Store(demo_db).latest_period())
        with bahasa.dalam("en"):
            median = formatting.angka(table.loc[table["diperingkat"], "skor"].median(), 1)
        page.locator('[data-testid="stMetric"]').filter(has_text=median).first.wait_for(timeout=30_000)
        _shot(page, "bahasa-inggris-peringkat")
        # Another page from the navigation keeps English and ?bahasa=en.
        page.get_by_role("link", name=nav_profile).first.click()
        page.wait_for_function("() => location.pathname.endsWith('/profil')", timeout=30_000)
        page.wait_for_function("() => location.search.includes('bahasa=en')", timeout=30_000)
        page.locator(f'[data-testid="stSidebar"] input[aria-label="{period_label}"]').wait_for(timeout=30_000)
        page.wait_for_load_state("networkidle")
        assert not page.locator('[data-testid="stException"]').count()
        page.close()
    finally:
        browser_support.stop(process)


# --------------------------------------------------------------------------- PowerPoint


def test_download_the_powerpoint_pack_from_mode_rapat(browser, demo_db, tmp_path):
    store = Store(demo_db)
    latest = store.latest_period()
    process, url = browser_support.serve(demo_db)
    try:
        page = _open(browser, f"{url}/mode-rapat", "Mode Rapat", viewport=(1280, 720))
        page.get_by_role("button", name="Atur dan unduh").click()
        with page.expect_download(timeout=90_000) as download:
            page.get_by_role("button", name="Unduh PowerPoint (16:9)").click()
        path = tmp_path / download.value.suggested_filename
        download.value.save_as(path)
        page.close()
    finally:
        browser_support.stop(process)
    assert path.name == f"rapat-{per.fmt(latest)}.pptx"
    deck = Presentation(str(path))
    assert len(deck.slides) >= 8
    texts = " ".join(shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame)
    assert formatting.bulan(latest) in texts
    assert "DATA CONTOH" in texts
    charts = [shape.chart for slide in deck.slides for shape in slide.shapes if shape.has_chart]
    assert charts, "the pack carries native charts"


# --------------------------------------------------------------------------- uploads


def test_upload_a_bad_file_read_the_error_then_a_good_one_and_see_the_change(browser, writable, tmp_path):
    db, secrets = writable
    store = Store(db)
    latest = store.latest_period()
    bad = ROOT / "tests" / "bad_files" / "kecamatan_tak_dikenal.csv"
    expected_problems = len(ingest.prepare(store, bad.read_bytes(), bad.name, "auto").masalah)
    before = db.read_bytes()
    # Every Asahan kecamatan gets TTE 100 % this month: the kabupaten median must move.
    asahan = store.kecamatan(benchmark.REGION)["kode"]
    good = _month_file(tmp_path, latest, {kode: 100.0 for kode in asahan})
    old_median = benchmark.kabupaten_series(benchmark.composite_history(store, latest, latest))["median"].iloc[0]

    process, url = browser_support.serve(db, True, "--secrets.files", str(secrets))
    try:
        page = _open(browser, f"{url}/kelola", "Kelola Data")
        _sign_in(page)  # uploads, the dry run too, need sign-in (#12.2)
        _upload(page, bad)
        page.get_by_text(f"{bad.name} ditolak: {expected_problems} masalah").first.wait_for(timeout=30_000)
        _shot(page, "unggah-berkas-salah")
        assert db.read_bytes() == before, "a refused file writes nothing"

        _import_in_browser(page, good, len(asahan))
        page.get_by_text("Diimpor sebagai batch").first.wait_for(timeout=60_000)
        _shot(page, "unggah-berkas-benar")

        new_median = benchmark.kabupaten_series(benchmark.composite_history(Store(db), latest, latest))["median"].iloc[
            0
        ]
        assert new_median != old_median
        page.goto(url)
        page.get_by_role("heading", name="Ringkasan kabupaten").first.wait_for(timeout=60_000)
        page.locator('[data-testid="stMetric"]').filter(has_text="Median Indeks Tiru") \
            .filter(has_text=formatting.angka(new_median, 1)).first.wait_for(timeout=30_000)
        page.close()
    finally:
        browser_support.stop(process)


def test_an_upload_over_the_limit_is_refused_and_nothing_is_written(browser, writable, tmp_path):
    db, secrets = writable
    before = db.read_bytes()
    big = tmp_path / "terlalu-besar.csv"
    line = "12.09.08,2025-06,tte,50\n"
    big.write_text("kode_kecamatan,periode,indikator,nilai\n" + line * (ingest.MAX_BYTES // len(line) + 100))
    process, url = browser_support.serve(db, True, "--secrets.files", str(secrets))
    try:
        page = _open(browser, f"{url}/kelola", "Kelola Data")
        _sign_in(page)
        _upload(page, big)
        # Streamlit's uploader refuses it before sending (its own English text names the limit).
        page.locator('[data-testid="stFileUploader"]').get_by_text(
            re.compile("too large|smaller|exceeds", re.IGNORECASE)
        ).first.wait_for(timeout=30_000)
        page.wait_for_timeout(1000)
        assert not page.get_by_text("lolos uji coba").count()
        _shot(page, "unggah-terlalu-besar")
        page.close()
    finally:
        browser_support.stop(process)
    assert db.read_bytes() == before


# --------------------------------------------------------------------------- kill -9


def test_kill_9_of_the_app_during_an_import_leaves_the_data_intact(browser, writable, tmp_path, monkeypatch):
    db, secrets = writable
    store = Store(db)
    latest = store.latest_period()
    before = db.read_bytes()
    previous = store.observasi(latest, latest)
    good = _month_file(tmp_path, latest, {"12.09.08": 1.0, "12.09.09": 2.0})
    marker = tmp_path / "midway"
    monkeypatch.setenv("JOURNEY_MARKER", str(marker))

    process, url = browser_support.serve(db, True, "--secrets.files", str(secrets), code=SLOW_APP)
    try:
        page = _open(browser, f"{url}/kelola", "Kelola Data")
        _sign_in(page)
        _import_in_browser(page, good, 2)
        page.wait_for_function("() => true")  # let the click go out
        for _ in range(600):
            if marker.exists():
                break
            page.wait_for_timeout(100)
        assert marker.read_text() == "MIDWAY", "the import reached the middle of its write"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        page.close()
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL
    assert db.read_bytes() == before
    pd.testing.assert_frame_equal(Store(db).observasi(latest, latest), previous)

    # After a restart the app serves the old data, and the same import then succeeds.
    process, url = browser_support.serve(db, True, "--secrets.files", str(secrets))
    try:
        page = _open(browser, f"{url}/kelola", "Kelola Data")
        _sign_in(page)
        _import_in_browser(page, good, 2)
        page.get_by_text("Diimpor sebagai batch").first.wait_for(timeout=60_000)
        page.close()
    finally:
        browser_support.stop(process)
    now = Store(db).observasi(latest, latest).set_index(["kode_kecamatan", "indikator"])["nilai"]
    assert now[("12.09.08", "tte")] == 1.0 and now[("12.09.09", "tte")] == 2.0
    assert not list(db.parent.glob(".tiru.duckdb.*.tmp"))
