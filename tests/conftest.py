"""Shared fixtures: databases built from the committed sources or from small hand-made ones."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cli_support import cli_copy

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
def demo_desember(demo_db, tmp_path, monkeypatch) -> Path:
    """A copy of the demo database that the CLI, Store() and the app read (TIRU_DB); today is
    2 December 2026 (TIRU_HARI_INI), the reporting deadline the default."""
    path = cli_copy(demo_db, tmp_path / "db", monkeypatch, with_demo=True)
    monkeypatch.setenv("TIRU_HARI_INI", "2026-12-02")
    monkeypatch.delenv("TIRU_TENGGAT_HARI", raising=False)
    return path


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


# ---- sparse states (#13 C): every page and command must cope, saying what is missing

FULL_MONTH = {"waktu_tunggu": 30, "waktu_selesai": 3, "tepat_waktu": 80, "ikm": 80, "pengaduan_tuntas": 70,
              "permohonan_daring": 40, "tte": 50, "jenis_layanan": 20, "kewenangan_paten": 60,
              "petugas_terlatih": 50, "kepatuhan_sp": 70, "ipp": 3.5, "volume_layanan": 400}


def _observations(rows) -> str:
    return "kode_kecamatan,periode,indikator,nilai,sumber,catatan\n" + "".join(
        f"{k},{p},{i},{v},uji,\n" for k, p, i, v in rows)


def _sparse(tmp_path_factory, name: str, source: Path, with_demo: bool, files: list[tuple[str, str, list[str]]]):
    """A copy of `source` after importing `files` [(file name, text, extra import options)] with the CLI."""
    from metrics.ops.cli import main

    folder = tmp_path_factory.mktemp(name)
    path = folder / "tiru.duckdb"
    shutil.copy(source, path)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TIRU_DB", str(path))
        mp.setenv("TIRU_DEMO", "1" if with_demo else "0")
        for file_name, text, options in files:
            upload = folder / file_name
            upload.write_text(text, encoding="utf-8")
            assert main(["import", str(upload), "--oleh", "uji", *options]) == 0, file_name
    return path


@pytest.fixture(scope="session")
def sparse_dbs(tmp_path_factory, demo_db, empty_db) -> dict:
    """name -> (database path, with_demo, periode to open or None for the default).

    hapus_demo: the demo removed by `tiru import --hapus-demo` of one observation;
    satu_kecamatan: one kecamatan reported one month (all indicators), nobody else ever;
    tanpa_peringkat: the demo's first month, in which nobody is ranked;
    tanpa_target: three kecamatan reported and adoption events, but no targets;
    hanya_skm: only SKM responses (so only IKM values) for two kecamatan.
    """
    one = [("12.09.19", "2026-09", code, value) for code, value in FULL_MONTH.items()]
    three = [(k, "2026-09", code, value * (1 - 0.1 * i)) for i, k in enumerate(["12.09.08", "12.09.19", "12.09.20"])
             for code, value in FULL_MONTH.items()]
    events = ("kode_kecamatan,inovasi,tahap,tanggal,bukti,oleh\n"
              "12.09.08,antrean_digital,2,2026-08-10,Uji coba,Operator\n12.09.19,tte,3,2026-09-01,SK,Operator\n")
    answers = "kode_kecamatan,periode,responden,u1,u2,u3,u4,u5,u6,u7,u8,u9\n" + "".join(
        f"{k},2026-S1,{r},3,3,4,3,2,3,4,3,3\n" for k in ("12.09.08", "12.09.19") for r in range(1, 36))
    return {
        "hapus_demo": (_sparse(tmp_path_factory, "hapus_demo", demo_db, True, [
            ("satu.csv", _observations([("12.09.19", "2026-09", "waktu_tunggu", 45)]), ["--hapus-demo"])]),
            False, None),
        "satu_kecamatan": (_sparse(tmp_path_factory, "satu_kecamatan", empty_db, False, [
            ("satu.csv", _observations(one), [])]), False, None),
        "tanpa_peringkat": (demo_db, True, "2023-12"),
        "tanpa_target": (_sparse(tmp_path_factory, "tanpa_target", empty_db, False, [
            ("tiga.csv", _observations(three), []), ("adopsi.csv", events, ["--jenis", "adopsi"])]), False, None),
        "hanya_skm": (_sparse(tmp_path_factory, "hanya_skm", empty_db, False, [
            ("skm.csv", answers, ["--jenis", "skm"])]), False, None),
    }


@pytest.fixture(scope="session")
def sementara_db(tmp_path_factory, demo_db) -> Path:
    """The demo with November 2026 provisional: 20 of 25 reported in full, 3 drop-outs (tests/sementara_support.py)."""
    from sementara_support import build_sementara

    with pytest.MonkeyPatch.context() as mp:
        return build_sementara(tmp_path_factory.mktemp("sementara"), demo_db, mp)


# ---- other configurations (#25): another kabupaten and model, built once (tests/wilayah_support.py)

@pytest.fixture(scope="session")
def wilayah_db(tmp_path_factory):
    """name -> wilayah_support.Konfig of that state (built on first use, then shared)."""
    from wilayah_support import STATES, make

    built = {}

    def get(name: str):
        if name not in built:
            built[name] = make(name, tmp_path_factory.mktemp(name), demo_of)
        return built[name]

    def demo_of(kode: str, model: str) -> Path:
        return get(next(n for n, (k, m, demo) in STATES.items() if (k, m, demo) == (kode, model, True))).db

    return get
