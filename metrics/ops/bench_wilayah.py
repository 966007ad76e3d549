"""The parts of `tiru bench` that follow the configured region (issue #25) and the goals of lean
sessions (issue #24).

- **wilayah**: the configuration the measured database was built for (its meta table): the app
  is served under it, the crowd opens its kecamatan's profiles and the import writes its kecamatan.
- **kabupaten terbesar**: the kabupaten/kota with the most kecamatan in the national list
  (data/reference/kecamatan_indonesia.csv, found there, not named here), its deterministic demo
  database built, every page's warm rerun timed in AppTest as at the kabupaten scale (≤ 150 ms).
- **beban kabupaten**: at national scale, the same 30-session crowd on the configured kabupaten's
  own demo database, in the same run on the same machine, after the national servers stopped:
  what "the national crowd within 1,5× the kabupaten figure" compares with.

Targets print [TERCAPAI], [BELUM] or [—] (not measured in this run, with the reason); none of
them changes the bench's exit status.
"""

from __future__ import annotations

import time
from pathlib import Path

from metrics.data import wilayah
from metrics.data.build import DATA_DIR, ROOT, build
from metrics.ops.beban import APP, app_env, app_plan, configuration, crowd, kecamatan, serve, warm_up
from metrics.ops.bench_apptest import page_reruns

TARGET_RATIO_TUNED_30 = 10.0  # issue #24: 30 sessions within 10× the tuned empty page's p95
TARGET_NATIONAL_30 = 1.5  # issue #24: the national crowd within 1,5× the kabupaten crowd of the same run
TARGET_RERUN_LARGEST_MS = 150  # issue #25: the kabupaten target, for the largest kabupaten
MARKS = {True: "TERCAPAI", False: "BELUM", None: "—"}


def region(db: Path) -> dict:
    """What the measured database is for: the kabupaten, its kecamatan count, the model."""
    config = configuration(db)
    return {"kode": config.kode, "kabupaten": config.kabupaten, "nama": config.nama,
            "kecamatan": len(wilayah.kecamatan_codes(config.kode)), "model": config.model,
            "model_nama": config.model_nama}


def largest(work: Path, reruns: int, model: str) -> dict:
    """Warm reruns of every page for the largest kabupaten's demo database (against `model`)."""
    kode = wilayah.terbesar()
    config = wilayah.baca(kode, model)
    db = work / f"tiru-terbesar-{kode}.duckdb"
    started = time.perf_counter()
    build(db, DATA_DIR, with_demo=True, config=config)
    built = time.perf_counter() - started
    return {**region(db), "dibangun_s": round(built, 1), "ukuran_mb": round(db.stat().st_size / 1e6, 1),
            "halaman": page_reruns(db, reruns)}


def kabupaten_crowd(work: Path, size: int, timeout: float) -> dict:
    """`size` sessions at once on the configured kabupaten's demo database (no synthetic rows), one
    process as deployed, warmed as the national one was."""
    db = work / "tiru-kabupaten-pembanding.duckdb"
    build(db, DATA_DIR, with_demo=True)
    codes = kecamatan(db)
    app = serve(APP, app_env(db), work, cwd=ROOT)
    try:
        app.wait_healthy()
        warm_up(app, codes, timeout)
        result = crowd(app.ws_url, [app_plan(i, codes) for i in range(size)], timeout)
    finally:
        app.stop()
    return {**region(db), "sesi": size, "aplikasi": result}


# --------------------------------------------------------------------------- targets


def _number(value) -> str:
    return f"{value:g}".replace(".", ",") if isinstance(value, float) else str(value)


def _target(name: str, limit: str, value, met, why: str = "") -> dict:
    return {"target": name, "batas": limit, "nilai": value, "tercapai": met, "catatan": why}


def targets_24(report: dict) -> list[dict]:
    """Issue #24's goals: 30 sessions within 10× the tuned floor, 50 sessions without error, and at
    national scale the 30-session crowd within 1,5× the kabupaten one of the same run."""
    rows = {row["sesi"]: row for row in report["beban"]}
    thirty, fifty = rows.get(30), rows.get(50)
    ratio = thirty.get("rasio_p95_setelan") if thirty else None
    out = [_target("30 sesi: p95 aplikasi / p95 lantai setelan Tiru", f"≤ {_number(TARGET_RATIO_TUNED_30)}×", ratio,
                   None if ratio is None else ratio <= TARGET_RATIO_TUNED_30,
                   "" if thirty else "tidak diukur: --sesi tanpa 30")]
    errors = fifty["aplikasi"]["galat"] if fifty else None
    out.append(_target("50 sesi: galat", "0", errors, None if errors is None else errors == 0,
                       "" if fifty else "tidak diukur: --sesi tanpa 50"))
    if report["skala"] == "nasional":
        kab = report.get("beban_kabupaten")
        national = thirty["aplikasi"]["p95_ms"] if thirty else None
        base = kab["aplikasi"]["p95_ms"] if kab else None
        ratio = round(national / base, 2) if national and base else None
        name = "30 sesi nasional: p95 / p95 kabupaten" + (f" {kab['kabupaten']} (run yang sama)" if kab else "")
        out.append(_target(name, f"≤ {_number(TARGET_NATIONAL_30)}×", ratio,
                           None if ratio is None else ratio <= TARGET_NATIONAL_30,
                           "" if kab else "tidak diukur: --sesi tanpa 30"))
    return out


def targets_25(report: dict) -> list[dict]:
    """Issue #25's goal: the largest kabupaten's pages rerun within the kabupaten target."""
    big = report.get("kabupaten_terbesar")
    if not big:
        return []
    limit = TARGET_RERUN_LARGEST_MS
    return [_target(f"rerun hangat {big['kabupaten']} {page['judul']} (median)", f"≤ {limit} ms", page["median_ms"],
                    None if page["median_ms"] is None else page["median_ms"] <= limit and not page["galat"])
            for page in big["halaman"]]


# --------------------------------------------------------------------------- report


def ms(value) -> str:
    return "—" if value is None else f"{value:,.0f}".replace(",", ".")


def page_lines(pages: list[dict]) -> list[str]:
    lines = [f"  {'halaman':<18} {'pertama':>9} {'median':>8} {'p95':>8}  n"]
    for page in pages:
        flag = "  GALAT" if page["galat"] else ""
        lines.append(f"  {page['judul']:<18} {ms(page['pertama_ms']):>7}ms {ms(page['median_ms']):>6}ms "
                     f"{ms(page['p95_ms']):>6}ms  {page['n']}{flag}")
    return lines


def region_line(where: dict) -> str:
    return (f"{where['kabupaten']} ({where['kode']}, {where['kecamatan']} kecamatan) terhadap model "
            f"{where['model_nama']} ({where['model']})")


def largest_lines(report: dict) -> list[str]:
    """The largest kabupaten's page reruns (after the configured kabupaten's)."""
    big = report.get("kabupaten_terbesar")
    if not big:
        return ["", "Rerun hangat kabupaten terbesar: tidak dijalankan (--tanpa-terbesar)"] \
            if "kabupaten_terbesar" in report else []
    return ["", f"Rerun hangat kabupaten terbesar / largest kabupaten (paling banyak kecamatan dalam "
                f"data/reference/kecamatan_indonesia.csv): {region_line(big)}; basis data demo "
                f"{big['ukuran_mb']} MB, dibangun dalam {big['dibangun_s']} s:", *page_lines(big["halaman"])]


def kabupaten_crowd_lines(report: dict) -> list[str]:
    """The national run's kabupaten crowd (after the load figures)."""
    kab = report.get("beban_kabupaten")
    if not kab:
        return []
    app = kab["aplikasi"]
    return [f"  {kab['sesi']:>4}  kabupaten pembanding (issue #24), run yang sama, sesudah beban nasional: basis data "
            f"demo {kab['kabupaten']} tanpa baris sintetis, satu proses: p50 {ms(app['p50_ms'])}ms, "
            f"p95 {ms(app['p95_ms'])}ms, galat {app['galat']}"]


def target_lines(report: dict) -> list[str]:
    """#24's and #25's targets (after #7's)."""
    lines = []
    for issue, key in (("#24 (sesi ramping)", "target_24"), ("#25 (kabupaten terbesar)", "target_25")):
        if not report.get(key):
            continue
        lines += ["", f"Target issue {issue}:"]
        for t in report[key]:
            why = f" — {t['catatan']}" if t["catatan"] else ""
            value = "—" if t["nilai"] is None else _number(t["nilai"])
            lines.append(f"  [{MARKS[t['tercapai']]:^8}] {t['target']}: {value} (target {t['batas']}){why}")
        if key == "target_24":
            lines.append("  (rerun hangat ≤ 150 ms kabupaten / ≤ 400 ms nasional dan mulai dingin ≤ 5 s: "
                         "lihat Target issue #7)")
    return lines


def render(report: dict) -> list[str]:
    """The three parts in the order the bench prints them, for a report without the rest."""
    return largest_lines(report) + kabupaten_crowd_lines(report) + target_lines(report)
