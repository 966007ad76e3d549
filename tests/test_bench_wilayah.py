"""`tiru bench` follows the configuration of the database it measures (#25), reports the largest
kabupaten's reruns, and prints #24's goals as targets. No timing is asserted (see test_bench.py):
the targets are checked on given figures."""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from metrics.data import wilayah
from metrics.data.build import DATA_DIR, build
from metrics.ops import beban, bench, bench_wilayah

N_INDICATORS = 13


@pytest.fixture(scope="module")
def batu_bara(tmp_path_factory):
    return build(tmp_path_factory.mktemp("batu-bara") / "tiru.duckdb", DATA_DIR, with_demo=True,
                 config=wilayah.baca("12.19", "32.77.02"))


def test_the_largest_kabupaten_is_the_one_with_most_kecamatan_in_the_national_list():
    with open(DATA_DIR / wilayah.NATIONAL, encoding="utf-8", newline="") as handle:
        counts = Counter(row["kode_kabupaten"] for row in csv.DictReader(handle))
    most = max(counts.values())
    assert wilayah.terbesar() == min(code for code, n in counts.items() if n == most)
    assert counts[wilayah.terbesar()] > 42  # more than Garut, the large kabupaten of the suite


def test_the_crowd_opens_the_configured_kabupatens_kecamatan(batu_bara):
    codes = beban.kecamatan(batu_bara)
    assert beban.configuration(batu_bara).kode == "12.19"
    assert codes == wilayah.kecamatan_codes("12.19") and len(codes) == 12
    assert beban.app_env(batu_bara) == {"TIRU_DB": str(batu_bara), "TIRU_DEMO": "1", "TIRU_WILAYAH": "12.19",
                                        "TIRU_MODEL": "32.77.02"}
    profiles = [beban.app_plan(i, codes)[2] for i in range(len(codes))]
    assert [page for page, _ in profiles] == ["profil"] * 12
    assert sorted(query.removeprefix("kecamatan=") for _, query in profiles) == codes
    assert bench_wilayah.region(batu_bara)["kabupaten"] == "Kabupaten Batu Bara"


def test_a_session_on_a_batu_bara_database_shows_batu_bara(batu_bara, tmp_path):
    """The app is served under the database's configuration: its pages open without error and the
    profile shown is a Batu Bara kecamatan, with no trace of Asahan."""
    codes = beban.kecamatan(batu_bara)
    app = beban.serve(beban.APP, beban.app_env(batu_bara), tmp_path, cwd=beban.ROOT)
    try:
        app.wait_healthy()
        loads = beban.run_session(app.ws_url, beban.app_plan(3, codes), timeout=120, keep_text=True)
    finally:
        app.stop()
    assert all(load.ok for load in loads), [load.problem for load in loads]
    name = next(row["nama"] for _, row in wilayah.national().iterrows() if row["kode"] == codes[3])
    shown = " ".join(loads[2].texts)
    assert name in shown and "Asahan" not in " ".join(text for load in loads for text in load.texts)


def test_one_months_import_writes_the_configured_kecamatan(batu_bara, tmp_path):
    rows = 12 * N_INDICATORS
    real = bench.import_file(batu_bara, tmp_path)
    assert real["baris"] == real["berubah"] == rows
    (written,) = [item for item in bench.imports(batu_bara, tmp_path, "asahan") if item["jalur"] == "store.write"]
    assert written["lingkup"] == "kabupaten" and written["baris"] == rows


def _load(sesi: int, app_p95: float, tuned_p95: float, galat: int = 0) -> dict:
    return {"sesi": sesi, "aplikasi": {"p95_ms": app_p95, "galat": galat}, "rasio_p95_setelan": round(app_p95 / tuned_p95, 2)}


def test_the_lean_session_goals_are_targets():
    report = {"skala": "asahan", "beban": [_load(10, 500, 50), _load(30, 900, 100), _load(50, 2000, 150, galat=2)]}
    thirty, fifty = bench_wilayah.targets_24(report)
    assert thirty["nilai"] == 9.0 and thirty["tercapai"] is True and thirty["batas"] == "≤ 10×"
    assert fifty["nilai"] == 2 and fifty["tercapai"] is False

    quick = bench_wilayah.targets_24({"skala": "asahan", "beban": [_load(10, 500, 50)]})
    assert [t["tercapai"] for t in quick] == [None, None] and all("tidak diukur" in t["catatan"] for t in quick)


def test_the_national_crowd_is_compared_with_the_kabupaten_crowd_of_the_same_run():
    report = {"skala": "nasional", "beban": [_load(30, 3000, 100)],
              "beban_kabupaten": {"kabupaten": "Kabupaten Asahan", "sesi": 30, "aplikasi": {"p95_ms": 2500, "galat": 0}}}
    national = bench_wilayah.targets_24(report)[-1]
    assert national["nilai"] == 1.2 and national["tercapai"] is True and "Kabupaten Asahan" in national["target"]
    report["beban"] = [_load(30, 4000, 100)]
    assert bench_wilayah.targets_24(report)[-1]["tercapai"] is False
    del report["beban_kabupaten"]
    assert bench_wilayah.targets_24(report)[-1]["tercapai"] is None  # not measured: said so, not guessed


def test_the_report_prints_the_largest_kabupaten_and_both_issues_targets():
    pages = [{"judul": "Ringkasan", "pertama_ms": 900.0, "median_ms": 120.0, "p95_ms": 140.0, "n": 3, "galat": 0},
             {"judul": "Peta", "pertama_ms": 900.0, "median_ms": 170.0, "p95_ms": 190.0, "n": 3, "galat": 0}]
    big = {"kode": "95.03", "kabupaten": "Kabupaten Yahukimo", "nama": "Yahukimo", "kecamatan": 51,
           "model": "32.77.02", "model_nama": "Cimahi Tengah", "dibangun_s": 1.0, "ukuran_mb": 9.0, "halaman": pages}
    report = {"skala": "asahan", "beban": [_load(30, 1500, 100)], "kabupaten_terbesar": big}
    report["target_24"], report["target_25"] = bench_wilayah.targets_24(report), bench_wilayah.targets_25(report)
    assert [t["tercapai"] for t in report["target_25"]] == [True, False]
    text = "\n".join(bench_wilayah.render(report))
    assert "kabupaten terbesar" in text and "Kabupaten Yahukimo (95.03, 51 kecamatan)" in text
    assert "Target issue #24" in text and "Target issue #25" in text
    assert "[ BELUM  ] 30 sesi: p95 aplikasi / p95 lantai setelan Tiru: 15 (target ≤ 10×)" in text
    assert "[TERCAPAI] rerun hangat Kabupaten Yahukimo Ringkasan (median): 120" in text
    assert "[   —    ] 50 sesi: galat: — (target 0) — tidak diukur" in text


def test_the_kabupaten_crowd_of_a_national_run_is_the_configured_kabupatens(monkeypatch, tmp_path):
    """The figure #24's national goal compares with: a crowd on the configured kabupaten's own demo
    database (2 sessions here, 30 in the bench), printed with its kabupaten."""
    monkeypatch.setenv("TIRU_WILAYAH", "12.19")
    result = bench_wilayah.kabupaten_crowd(tmp_path, 2, timeout=120)
    assert result["kode"] == "12.19" and result["sesi"] == 2
    assert result["aplikasi"]["muat"] == 2 * 3 and result["aplikasi"]["galat"] == 0, result["aplikasi"]["masalah"]
    report = {"skala": "nasional", "beban": [], "beban_kabupaten": result}
    report["target_24"] = bench_wilayah.targets_24(report)
    text = "\n".join(bench_wilayah.render(report))
    assert "kabupaten pembanding (issue #24)" in text and "Kabupaten Batu Bara" in text
