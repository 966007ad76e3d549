"""`tiru bench` in its quick mode: every figure is in the JSON report.

Speed goals are shown by the benchmark's own output (README, "Kinerja"), not asserted
here: timings on a shared CI machine would make the suite flaky, not faster.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from metrics import ingest
from metrics.data import wilayah
from metrics.ingest import readers
from metrics.ops import beban, bench_apptest

ROOT = Path(__file__).resolve().parent.parent


def test_quick_bench_reports_every_figure(tmp_path):
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [sys.executable, "-m", "metrics", "bench", "--skala", "asahan", "--cepat", "--json", str(out)],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(out.read_text(encoding="utf-8"))

    assert report["skala"] == "asahan" and report["perintah"].startswith("tiru bench")
    assert {"cpu", "inti", "ram_gb", "python", "streamlit", "duckdb", "loadavg", "loadavg_akhir"} <= set(
        report["mesin"]
    )
    assert report["basis_data"]["baris"]["kecamatan"] == 28

    # Every page registered in app.py, with a median and p95 over the reruns, and no error.
    assert [p["berkas"] for p in report["halaman"]] == [p["berkas"] for p in bench_apptest.registered_pages()]
    for page in report["halaman"]:
        assert page["n"] == 3 and page["median_ms"] > 0 and page["p95_ms"] >= page["median_ms"] * 0.5
        assert page["galat"] == 0, page

    cold = report["mulai_dingin"]
    assert cold["halaman_ok"] and cold["basis_data_dibangun"]
    assert 0 < cold["sampai_sehat_s"] <= cold["sampai_halaman_pertama_s"]

    paths = {item["jalur"]: item for item in report["impor"]}
    assert set(paths) == {"ingest", "store.write"}
    for item in paths.values():
        assert item["lingkup"] == "kabupaten" and item["baris"] == 25 * 13 and item["detik"] > 0 and item["apa"]
    assert paths["ingest"]["berubah"] == 25 * 13  # every value of the month changed: nothing skipped
    assert paths["ingest"]["siapkan_s"] + paths["ingest"]["tulis_s"] <= paths["ingest"]["detik"] + 0.01

    (load,) = report["beban"]
    assert load["sesi"] == 10
    # the crowd met a warm server: it waited for `tiru serve`'s warm-up to say it was done
    assert report["tembolok_hangat_s"] > 0
    assert f"server aplikasi hangat (tembolok terisi, tiru serve) {report['tembolok_hangat_s']:.1f} s" in done.stdout
    for side in ("lantai", "aplikasi", "lantai_setelan"):
        assert load[side]["muat"] == 10 * 3
        assert load[side]["galat"] == 0, load[side]["masalah"]
        assert load[side]["p95_ms"] >= load[side]["p50_ms"] > 0
    assert load["rasio_p95"] > 0 and load["rasio_p95_setelan"] > 0
    assert "lantai dengan setelan server Tiru" in done.stdout

    # The largest upload the limits allow, XLSX and CSV, passes the dry run with its time and memory.
    # The costliest workbook the limits let through is measured beside them (its data is not valid).
    assert [u["berkas"] for u in report["unggah_terbesar"]] == ["xlsx", "csv", "xlsx-mahal"]
    *largest, costliest = report["unggah_terbesar"]
    for upload in largest:
        assert upload["lolos"] and upload["baris"] == ingest.MAX_ROWS and upload["sel"] <= ingest.MAX_CELLS
    assert not costliest["lolos"] and costliest["sel"] == readers.MAX_CELL_TAGS
    for upload in report["unggah_terbesar"]:
        assert upload["detik"] > 0 and upload["rss_puncak_mb"] >= upload["rss_awal_mb"] > 0
    assert len([t for t in report["target"] if t["target"].startswith("uji coba unggahan terbesar")]) == 3
    assert any(n.startswith("uji coba unggahan terbesar") for n in [t["target"] for t in report["target"]])

    assert report["memori"]["rss_puncak_mb"] > 0 and report["memori"]["soak"] is None
    names = [t["target"] for t in report["target"]]
    assert len([n for n in names if n.startswith("rerun hangat")]) == len(report["halaman"])
    assert any(n.startswith("mulai dingin") for n in names) and any(n.startswith("impor") for n in names)
    assert all(t["tercapai"] in (True, False, None) for t in report["target"])

    # The configured kabupaten is named; the largest one's pages are rerun as the kabupaten's are (#25).
    assert report["wilayah"]["kode"] == "12.09" and report["wilayah"]["kecamatan"] == 25
    largest = report["kabupaten_terbesar"]
    assert largest["kode"] == wilayah.terbesar()
    assert largest["kecamatan"] == len(wilayah.kecamatan_codes(largest["kode"]))
    assert [p["berkas"] for p in largest["halaman"]] == [p["berkas"] for p in report["halaman"]]
    assert all(page["n"] == 3 and page["median_ms"] > 0 and page["galat"] == 0 for page in largest["halaman"])
    assert len(report["target_25"]) == len(largest["halaman"])
    assert "Rerun hangat kabupaten terbesar" in done.stdout and largest["kabupaten"] in done.stdout
    # #24's goals are targets; the quick run has no 30- or 50-session crowd, and says so.
    assert [t["tercapai"] for t in report["target_24"]] == [None, None]
    assert "Target issue #24" in done.stdout and "Target issue #25" in done.stdout
    assert "Kabupaten Asahan (12.09, 25 kecamatan)" in done.stdout

    # The printed report names the machine and says target by target whether it was met.
    assert "Mesin:" in done.stdout and "Target issue #7" in done.stdout
    assert "TERCAPAI" in done.stdout or "MELESET" in done.stdout
    assert "ScriptRunContext" not in done.stdout + done.stderr  # the output without warning noise


def test_the_page_reruns_say_nothing_of_bare_mode():
    """AppTest's constructor makes Streamlit warn of a missing ScriptRunContext; the bench drops
    that one warning (bench_apptest.bare_mode_quiet), and only while it reruns pages. Checked on the
    logger's own filter: whether Streamlit prints the warning at all depends on what ran before in
    the process (the quick bench's output is checked above)."""
    import logging

    from streamlit.runtime.scriptrunner_utils import script_run_context

    logger = logging.getLogger(script_run_context.__name__)

    def record(message: str) -> logging.LogRecord:
        return logger.makeRecord(logger.name, logging.WARNING, __file__, 0, message, (), None)

    bare = "Thread 'MainThread': missing ScriptRunContext! This warning can be ignored when running in bare mode."
    assert logger.filter(record(bare))
    with bench_apptest.bare_mode_quiet():
        assert not logger.filter(record(bare))
        assert logger.filter(record("another warning"))  # only that one message
    assert logger.filter(record(bare))


def test_percentile_and_pages():
    assert beban.percentile([1, 2, 3, 4, 5], 50) == 3
    assert beban.percentile([10, 20], 95) == 19.5
    assert beban.percentile([], 95) is None
    pages = bench_apptest.registered_pages()
    assert pages[0]["url"] == "" and all(p["judul"] for p in pages)
    assert {"peringkat", "profil"} <= {p["url"] for p in pages}


def test_the_load_through_nginx_in_front_of_two_processes_reports_its_ratio(nginx, tmp_path, demo_db):
    """The scale-out comparison of `tiru bench` (30 sessions in the real run; 4 here)."""
    import shutil

    db = tmp_path / "tiru.duckdb"
    shutil.copy(demo_db, db)
    result = beban.scaled_load(db, tmp_path, 2, 4, floor_p95=100.0, timeout=120)
    assert result["proses"] == 2 and result["sesi"] == 4
    assert result["aplikasi"]["galat"] == 0 and result["aplikasi"]["p95_ms"] > 0
    assert result["rasio_p95"] == round(result["aplikasi"]["p95_ms"] / 100.0, 2)


def test_the_soak_reports_what_failed_in_its_first_pass(monkeypatch):
    """An error while the first pass fills the caches is counted and named, not only counted."""
    from types import SimpleNamespace

    codes = wilayah.kecamatan_codes("12.09")

    def crowd(url, plans, timeout):
        failed = plans[0][2] == ("profil", f"kecamatan={codes[0]}&periode=2026-01")  # the first ten
        return {"galat": int(failed), "masalah": ["waktu habis"] if failed else []}

    monkeypatch.setattr(beban, "crowd", crowd)
    app = SimpleNamespace(ws_url="ws://-", rss_mb=lambda: {"VmRSS": 100.0})
    result = beban.soak(app, 0, ["2026-01", "2026-02"], codes, 1)
    assert result["galat"] == result["galat_pemanasan"] == 1 and result["masalah"] == ["waktu habis"]
    assert result["sesi_pemanasan"] == 2 * len(codes) and result["putaran"] == 0


def test_the_crowd_waits_for_the_servers_own_warm_up(tmp_path, demo_desember, capsys):
    """serve.warm() says on the server's log when the caches are filled, in the server's language, and
    Server.wait_warm finds that line (None while it is not there: the floors never warm)."""
    from metrics.core import bahasa
    from metrics.ops import serve

    import gc

    try:
        serve.warm()
    finally:
        gc.unfreeze()  # warm() freezes what is alive, for a server: not for the rest of this test process
    said = capsys.readouterr().out
    assert said.startswith("tiru: Tembolok halaman bulan bawaan terisi (")
    log = tmp_path / "server.log"
    log.write_text("starting\n", encoding="utf-8")
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        server = beban.Server(sleeper, 0, 0.0, log)
        assert server.wait_warm(timeout=0.3) is None
        with bahasa.dalam("en"):
            english = bahasa.t("cli.pesan.tembolok_hangat", detik="2,0")
        log.write_text(f"starting\ntiru: {english}\n", encoding="utf-8")
        assert server.wait_warm(timeout=5) > 0
    finally:
        sleeper.kill()
        sleeper.wait()
