"""`tiru bench` — how fast Tiru is, measured, with the machine it ran on.

What is measured (each figure says what exactly was timed):

- **halaman**: warm rerun time of every page registered in app.py, in AppTest (in this
  process, the app frame included): one first run, then N timed reruns; median and p95.
- **mulai dingin**: `tiru serve` spawned with TIRU_DB pointing to a file that does not exist
  yet, timed from process start until the first page (Ringkasan) finished for a real websocket
  session — so it includes building the kabupaten database (and warming the caches), both done
  before the server answers its health check.
- **impor**: one month of observations written through `store.write()` (copy of the file,
  one transaction, CHECKPOINT, fsync, os.replace) — the path every import takes; the
  reading and validation of an uploaded file are not part of this figure.
- **beban**: 10, 30 and 50 websocket sessions at once (Streamlit's own protocol, as the
  browser speaks it) each open Ringkasan, Peringkat and Profil; in the same run the same
  number of sessions open an empty "lantai" (floor) page served by a second `streamlit run`
  of a one-line script in a temporary folder (Streamlit's default settings). The app runs as
  deployed: `tiru serve`, with the repository's .streamlit/config.toml. p50/p95 of page loads,
  errors, ratio to floor. For context, a third server shows the same empty page with Tiru's own
  server settings ("lantai setelan": no file watcher, no collection after each run, no magic),
  which costs almost nothing: the ratio to it is what Tiru's pages themselves cost.
- **unggah terbesar**: the largest file the upload limits allow (ingest.MAX_ROWS rows, MAX_CELLS
  cells), XLSX and CSV, and the costliest workbook they let through ("xlsx-mahal"), read and validated by ingest.prepare() (the dry run) in a fresh process:
  seconds (wall and CPU), and peak RSS of that process (VmHWM) above its peak before the file was read.
- **memori**: peak RSS (VmHWM) of the app server process, and RSS growth over a soak of
  repeated sessions (`--soak-minutes`), measured after a first pass that opens every month ×
  kecamatan once (the caches full), which is reported on its own.

The load client runs in this process, on the same machine as the servers: on a 2-core
machine the client's own work is part of what the servers compete with (for both the app
and the floor, so the ratio stays fair).

Here: the run, the import timings, the targets and the printed report; the page reruns are in
bench_apptest.py, the servers, the websocket load, nginx and the soak in beban.py.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import itertools
import json
import os
import platform
import shutil
import sys
import tempfile
import time
import zlib
from pathlib import Path

from metrics.core import periode as per
from metrics.data.build import DATA_DIR, ROOT, build
from metrics.ops import bench_wilayah
from metrics.ops.beban import (APP, app_env, cold_start, configuration, floor_plan, kecamatan, load_test, warm_up,
                               run_session, scaled_load, serve, soak)
from metrics.ops.bench_apptest import environment, page_reruns
from metrics.ops.bench_wilayah import ms as _ms

FLOOR_SCRIPT = "import streamlit as st\n"  # the empty floor page: the cost of Streamlit itself

# Targets of issue #7 (ms, s, ratio, percent).
TARGET_RERUN_MS = {"asahan": 150, "nasional": 400}
TARGET_RATIO_30 = 1.5
TARGET_COLD_S = 5.0
TARGET_IMPORT_S = {"kabupaten": 1.0, "nasional": 5.0}
TARGET_GROWTH_PCT = 10.0
TARGET_UPLOAD = (5.0, 300.0)  # issue #12: the largest allowed upload, dry run: seconds, + MB RSS


# --------------------------------------------------------------------------- machine


def machine() -> dict:
    """CPU model, cores, RAM, OS, Python and the versions that matter."""
    import duckdb
    import pandas
    import streamlit

    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram_gb = None
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    return {
        "cpu": cpu,
        "inti": os.cpu_count(),
        "ram_gb": ram_gb,
        "os": platform.platform(),
        "python": platform.python_version(),
        "streamlit": streamlit.__version__,
        "duckdb": duckdb.__version__,
        "pandas": pandas.__version__,
        "loadavg": [round(v, 2) for v in os.getloadavg()],  # other work on the machine skews every figure
    }



# --------------------------------------------------------------------------- imports


def _month_rows(db: Path, wilayah: tuple[str, ...], month_text: str | None = None) -> tuple[str, list[tuple]]:
    """One month (default: the one after the latest) of every indicator for every kecamatan of
    `wilayah`, values inside each indicator's range."""
    import duckdb

    with contextlib.closing(duckdb.connect(str(db), read_only=True)) as con:
        latest = con.execute("SELECT max(periode) FROM observasi").fetchone()[0]
        month = (per.to_date(per.parse(month_text)) if month_text
                 else (latest.replace(day=28) + dt.timedelta(days=5)).replace(day=1))
        marks = ",".join("?" * len(wilayah))
        codes = [r[0] for r in con.execute(f"SELECT kode FROM kecamatan WHERE wilayah IN ({marks}) ORDER BY kode",
                                           list(wilayah)).fetchall()]
        indicators = con.execute("SELECT kode, batas_min, batas_max FROM indikator ORDER BY urutan").fetchall()
    rows = [(kode, month, ind, round(lo + (hi - lo) * (zlib.crc32(f"{kode}{ind}".encode()) % 97 / 97)), "bench", None)
            for kode in codes for ind, lo, hi in indicators]
    return month.isoformat()[:7], rows


def import_file(db: Path, work: Path, label: str = "kabupaten") -> dict:
    """Time the real import (metrics.ingest) of one month's CSV of every kecamatan of the kabupaten `db`
    was built for (under its configuration).

    The month is the latest one with data (a later month would be in the future and refused),
    every value changed: prepare() reads, validates and previews; impor() backs the file up
    and writes one batch through store.write(). Runs on a scratch copy of `db`.
    """
    from metrics import ingest
    from metrics.data.store import Store

    scratch = work / f"impor-{label}" / "tiru.duckdb"
    scratch.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(db, scratch)
    with environment(**app_env(scratch)):  # the store refuses a file built for another configuration
        store = Store(scratch)
        month = per.fmt(store.latest_period())
        store.close()  # _month_rows opens the file on its own; the store reopens at its next query
        _, rows = _month_rows(scratch, (configuration(scratch).nama,), month)
        lines = ["kode_kecamatan,periode,indikator,nilai,sumber"]
        lines += [f"{kode},{month},{ind},{nilai},tiru bench" for kode, _, ind, nilai, _, _ in rows]
        content = ("\n".join(lines) + "\n").encode()
        started = time.perf_counter()
        plan = ingest.prepare(store, content, f"bench-{month}.csv", "observasi")
        prepared = time.perf_counter()
        if not plan.ok:
            raise RuntimeError("berkas bench ditolak: " + "; ".join(m.teks() for m in plan.masalah[:5]))
        # The month's values are arbitrary within each indicator's range: for some kabupaten one is far
        # from its kecamatan's history. The check runs (and is timed); its finding is confirmed, as
        # `tiru import --terima-peringatan` would, or another kabupaten's import would not be measured.
        result = ingest.impor(store, plan, "tiru bench", demo="pertahankan", terima_peringatan=True)
        done = time.perf_counter()
        store.close()
    size_mb = scratch.stat().st_size / 1e6
    shutil.rmtree(scratch.parent, ignore_errors=True)
    return {"lingkup": label, "periode": month, "baris": len(rows), "detik": round(done - started, 3),
            "siapkan_s": round(prepared - started, 3), "tulis_s": round(done - prepared, 3),
            "berubah": result.berubah + result.baru, "ukuran_berkas_mb": round(size_mb, 1),
            "apa": "metrics.ingest: prepare() (baca CSV + validasi + pratinjau) + impor() (cadangan + store.write())"}


def import_month(db: Path, work: Path, wilayah: tuple[str, ...], label: str) -> dict:
    """Time store.write() of one month of observations on a scratch copy of `db`."""
    import pandas as pd

    from metrics.data.writer import write

    scratch = work / f"impor-{label}.duckdb"
    shutil.copyfile(db, scratch)
    month, rows = _month_rows(scratch, wilayah)
    frame = pd.DataFrame(rows, columns=["kode_kecamatan", "periode", "indikator", "nilai", "sumber", "catatan"])

    def change(con, batch_id):
        con.register("masuk", frame.assign(batch=batch_id))
        con.execute("INSERT INTO observasi SELECT * FROM masuk")
        con.unregister("masuk")
        return len(frame)

    started = time.perf_counter()
    write(scratch, change, jenis="observasi", oleh="tiru bench", berkas=f"bench-{month}.csv")
    seconds = time.perf_counter() - started
    size_mb = scratch.stat().st_size / 1e6
    scratch.unlink(missing_ok=True)
    return {"lingkup": label, "periode": month, "baris": len(frame), "detik": round(seconds, 3),
            "ukuran_berkas_mb": round(size_mb, 1),
            "apa": "store.write(): salin berkas + satu transaksi INSERT + CHECKPOINT + fsync + os.replace "
                   "(tanpa membaca/validasi berkas unggahan)"}


def imports(db: Path, work: Path, skala: str) -> list[dict]:
    """One month's import: through metrics.ingest where it can take the file, else store.write().

    A national month (7 300 × 13 rows) is above ingest.MAX_ROWS, so it is timed on the
    store.write() path that every import ends in; the figure says which path it is.
    """
    try:
        from metrics import ingest
    except ImportError:
        ingest = None
    from metrics.data.synthetic import WILAYAH as SYNTHETIC

    config = configuration(db)
    out = []
    if ingest is not None:
        out.append({**import_file(db, work, "kabupaten"), "jalur": "ingest"})
    out.append({**import_month(db, work, (config.nama,), "kabupaten"), "jalur": "store.write"})
    if skala == "nasional":
        every = tuple(dict.fromkeys((config.nama, config.model_wilayah, SYNTHETIC)))
        out.append({**import_month(db, work, every, "nasional"), "jalur": "store.write"})
    return out



def largest_upload(db: Path, work: Path) -> list[dict]:
    """Dry-run time and peak RSS of the largest XLSX and CSV the upload limits allow, each in a fresh
    process: MAX_ROWS rows of valid observations, padded with ignored columns to MAX_CELLS cells; and
    of the costliest workbook the limits let through (xlsx_mahal.worst_allowed: shared strings, sheets,
    cell formats and empty formatted cells each at its limit)."""
    import subprocess

    import duckdb
    import openpyxl

    from metrics import ingest
    from metrics.ingest import readers
    from metrics.ops import xlsx_mahal

    with contextlib.closing(duckdb.connect(str(db), read_only=True)) as con:
        codes = [r[0] for r in con.execute("SELECT kode FROM kecamatan ORDER BY kode").fetchall()]
        indicators = con.execute("SELECT kode, batas_min FROM indikator ORDER BY urutan").fetchall()
    width = ingest.MAX_CELLS // (ingest.MAX_ROWS + 1)
    header = ["kode_kecamatan", "periode", "indikator", "nilai", "sumber", "catatan"]
    header += [f"tambahan_{i}" for i in range(width - len(header))]
    keys = ((k, m, ind, lo) for m in range(per.parse("2020-01"), per.from_date(dt.date.today()))
            for k in codes for ind, lo in indicators)
    rows = [[k, per.fmt(m), ind, lo, "tiru bench", "catatan"] + ["x"] * (width - 6)
            for k, m, ind, lo in itertools.islice(keys, ingest.MAX_ROWS)]
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("observasi")
    for row in [header, *rows]:
        sheet.append(row)
    files = {"xlsx": work / "unggah-terbesar.xlsx", "csv": work / "unggah-terbesar.csv",
             "xlsx-mahal": work / "unggah-mahal.xlsx"}
    book.save(files["xlsx"])
    files["csv"].write_text("\n".join(",".join(map(str, r)) for r in [header, *rows]) + "\n", encoding="utf-8")
    files["xlsx-mahal"].write_bytes(xlsx_mahal.worst_allowed())
    cells = {"xlsx": (len(rows) + 1) * width, "csv": (len(rows) + 1) * width, "xlsx-mahal": readers.MAX_CELL_TAGS}
    child = (
        "import json, resource, sys, time; from pathlib import Path; from metrics import ingest; "
        "from metrics.data.store import Store; store = Store(Path(sys.argv[1])); store.kecamatan(); "
        "content = Path(sys.argv[2]).read_bytes(); status = Path('/proc/self/status'); "
        # VmHWM: this process's peak (ru_maxrss would carry the forking parent's RSS over the exec)
        "rss = lambda: int(next(l.split()[1] for l in status.read_text().splitlines() if l.startswith('VmHWM')))"
        " / 1024 if status.exists() else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024; "
        "before = rss(); t = time.perf_counter(); c = time.process_time(); "
        "plan = ingest.prepare(store, content, Path(sys.argv[2]).name, 'observasi'); "
        "print(json.dumps({'detik': time.perf_counter() - t, 'cpu_s': time.process_time() - c, 'rss_awal_mb': before, 'rss_puncak_mb': rss(), "
        "'lolos': plan.ok, 'baris': plan.baris}))"
    )
    out = []
    for kind, path in files.items():
        done = subprocess.run([sys.executable, "-c", child, str(db), str(path)], check=True, capture_output=True,
                              text=True, cwd=ROOT, timeout=600)
        result = json.loads(done.stdout.strip().splitlines()[-1])
        out.append(
            {
                "berkas": kind,
                "ukuran_mb": round(path.stat().st_size / 1e6, 2),
                "sel": cells[kind],
                "baris": result["baris"],
                "lolos": result["lolos"],
                "detik": round(result["detik"], 2),
                "cpu_s": round(result["cpu_s"], 2),
                "rss_awal_mb": round(result["rss_awal_mb"]),
                "rss_puncak_mb": round(result["rss_puncak_mb"]),
                "rss_tambah_mb": round(result["rss_puncak_mb"] - result["rss_awal_mb"]),
            }
        )
    return out


# --------------------------------------------------------------------------- the run


def _database(skala: str, work: Path) -> tuple[Path, dict]:
    started = time.perf_counter()
    db = work / f"tiru-{skala}.duckdb"
    if skala == "nasional":
        from metrics.data import synthetic

        counts = synthetic.build_national(db, DATA_DIR)
    else:
        build(db, DATA_DIR, with_demo=True)
        import duckdb

        with contextlib.closing(duckdb.connect(str(db), read_only=True)) as con:
            counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                      for t in ("kecamatan", "observasi", "adopsi")}
    return db, {"baris": counts, "dibangun_s": round(time.perf_counter() - started, 1),
                "ukuran_mb": round(db.stat().st_size / 1e6, 1)}


def _targets(report: dict) -> list[dict]:
    skala = report["skala"]
    out = []

    def target(name: str, limit: str, value, met) -> None:
        out.append({"target": name, "batas": limit, "nilai": value, "tercapai": met})

    limit = TARGET_RERUN_MS[skala]
    for page in report["halaman"]:
        med = page["median_ms"]
        target(f"rerun hangat {page['judul']} (median)", f"≤ {limit} ms", med,
               None if med is None else med <= limit and not page["galat"])
    cold = report.get("mulai_dingin")
    if cold:
        target("mulai dingin sampai halaman pertama", f"≤ {TARGET_COLD_S:g} s", cold["sampai_halaman_pertama_s"],
               cold["halaman_ok"] and cold["sampai_halaman_pertama_s"] <= TARGET_COLD_S)
    for item in report["impor"]:
        if item["lingkup"] == "kabupaten" and item["jalur"] == "store.write" and \
                any(i["jalur"] == "ingest" for i in report["impor"]):
            continue  # the real import is the figure for the target; store.write alone is context
        limit_s = TARGET_IMPORT_S[item["lingkup"]]
        target(f"impor satu bulan ({item['lingkup']}, {item['baris']} baris, {item['jalur']})", f"≤ {limit_s:g} s",
               item["detik"],
               item["detik"] <= limit_s)
    for item in report.get("unggah_terbesar") or []:
        target(
            f"uji coba unggahan terbesar {item['berkas']} ({item['sel']} sel)",
            f"≤ {TARGET_UPLOAD[0]:g} s, ≤ +{TARGET_UPLOAD[1]:g} MB",
            f"{item['detik']} s, +{item['rss_tambah_mb']} MB",
            item["detik"] <= TARGET_UPLOAD[0] and item["rss_tambah_mb"] <= TARGET_UPLOAD[1],
        )
    for row in report["beban"]:
        if row["sesi"] == 30:
            target("30 sesi: p95 aplikasi / p95 lantai", f"≤ {TARGET_RATIO_30:g}", row["rasio_p95"],
                   None if row["rasio_p95"] is None else row["rasio_p95"] <= TARGET_RATIO_30)
        if row["sesi"] == 50:
            target("50 sesi: galat", "0", row["aplikasi"]["galat"], row["aplikasi"]["galat"] == 0)
    soak_result = report["memori"].get("soak")
    if soak_result and soak_result["pertumbuhan_persen"] is not None:
        target(f"pertumbuhan RSS selama soak {soak_result['menit']:g} menit", f"< {TARGET_GROWTH_PCT:g} %",
               soak_result["pertumbuhan_persen"], soak_result["pertumbuhan_persen"] < TARGET_GROWTH_PCT)
    return out


def _tuned_floor(folder: Path) -> Path:
    """The empty floor page in `folder` with the [server] and [runner] settings of Tiru's own
    .streamlit/config.toml (the file watcher, the collection after each run, magic)."""
    import tomllib

    settings = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    (folder / ".streamlit").mkdir(parents=True)
    (folder / "lantai.py").write_text(FLOOR_SCRIPT, encoding="utf-8")
    lines = []
    for section in ("server", "runner"):
        lines.append(f"[{section}]")
        lines += [f"{key} = {json.dumps(value)}" for key, value in settings.get(section, {}).items()
                  if isinstance(value, bool | str)]
    (folder / ".streamlit" / "config.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder / "lantai.py"


def measure(skala: str, reruns: int, sizes: list[int], soak_minutes: float, command: str,
            cold: bool = True, timeout: float = 120, progress=print, largest: bool = True) -> dict:
    report: dict = {"perintah": command, "skala": skala, "waktu": dt.datetime.now().isoformat(timespec="seconds"),
                    "mesin": machine()}
    with tempfile.TemporaryDirectory(prefix="tiru-bench-") as tmp:
        work = Path(tmp)
        progress(f"· membangun basis data ({skala}) …")
        db, report["basis_data"] = _database(skala, work)
        report["wilayah"], codes = bench_wilayah.region(db), kecamatan(db)
        progress(f"· rerun halaman di AppTest ({reruns}× per halaman) …")
        report["halaman"] = page_reruns(db, reruns)
        report["kabupaten_terbesar"] = None
        if largest:
            progress("· kabupaten terbesar: basis data demo dan rerun halaman …")
            report["kabupaten_terbesar"] = bench_wilayah.largest(work, reruns, report["wilayah"]["model"])
        report["mulai_dingin"] = None
        if cold:
            progress("· mulai dingin …")
            report["mulai_dingin"] = cold_start(work)
        progress("· impor satu bulan …")
        report["impor"] = imports(db, work, skala)
        progress("· unggahan terbesar yang diizinkan (uji coba) …")
        report["unggah_terbesar"] = largest_upload(db, work)
        progress("· uji beban (websocket) …")
        app = serve(APP, app_env(db), work, cwd=ROOT)
        floor_dir = work / "lantai"
        floor_dir.mkdir()
        (floor_dir / "lantai.py").write_text(FLOOR_SCRIPT, encoding="utf-8")
        floor = serve(floor_dir / "lantai.py", {}, work, cwd=floor_dir)
        tuned_script = _tuned_floor(work / "lantai-setelan")
        tuned = serve(tuned_script, {}, work, cwd=tuned_script.parent)
        thirty = None
        try:
            app.wait_healthy()
            floor.wait_healthy()
            tuned.wait_healthy()
            # A warm server (beban.warm_up); a room's first crowd after a restart costs more (docs/kinerja.md).
            report["tembolok_hangat_s"] = warm_up(app, codes, timeout)
            run_session(floor.ws_url, floor_plan(0), timeout)
            run_session(tuned.ws_url, floor_plan(0), timeout)
            report["beban"] = load_test(app, floor, sizes, timeout, codes, tuned)
            thirty = next((row for row in report["beban"] if row["sesi"] == 30), None)
            report["memori"] = {"rss_setelah_beban_mb": app.rss_mb().get("VmRSS"), "soak": None}
            if soak_minutes > 0:
                progress(f"· soak {soak_minutes:g} menit …")
                import duckdb

                with contextlib.closing(duckdb.connect(str(db), read_only=True)) as con:
                    months = [r[0].isoformat()[:7] for r in con.execute(
                        "SELECT DISTINCT periode FROM observasi o JOIN kecamatan k ON k.kode = o.kode_kecamatan "
                        "WHERE k.wilayah = ? ORDER BY 1 DESC LIMIT 12", [configuration(db).nama]).fetchall()]
                report["memori"]["soak"] = soak(app, soak_minutes, months, codes, timeout)
            report["memori"]["rss_puncak_mb"] = app.rss_mb().get("VmHWM")
            report["memori"]["lantai_rss_puncak_mb"] = floor.rss_mb().get("VmHWM")
        finally:
            app.stop()
            floor.stop()
            tuned.stop()
        report["beban_skala"] = None
        if thirty:
            progress("· uji beban lewat nginx, 2 proses …")
            report["beban_skala"] = scaled_load(db, work, 2, 30, thirty["lantai"]["p95_ms"], timeout)
        report["beban_kabupaten"] = None
        if skala == "nasional" and thirty:  # #24: the national crowd against the kabupaten's, same run
            progress("· uji beban kabupaten pembanding (30 sesi) …")
            report["beban_kabupaten"] = bench_wilayah.kabupaten_crowd(work, 30, timeout)
    report["mesin"]["loadavg_akhir"] = [round(v, 2) for v in os.getloadavg()]
    report["target"] = _targets(report)
    report["target_24"], report["target_25"] = bench_wilayah.targets_24(report), bench_wilayah.targets_25(report)
    return report


# --------------------------------------------------------------------------- report


def render(report: dict) -> str:
    m = report["mesin"]
    lines = [
        f"Tiru bench — skala {report['skala']} — {report['waktu']}",
        f"Wilayah (konfigurasi basis data yang diukur): {bench_wilayah.region_line(report['wilayah'])}",
        f"Perintah: {report['perintah']}",
        f"Mesin: {m['cpu']}, {m['inti']} inti, RAM {m['ram_gb']} GB; {m['os']}",
        f"       Python {m['python']}, streamlit {m['streamlit']}, duckdb {m['duckdb']}, pandas {m['pandas']}",
        f"       loadavg 1/5/15 menit: awal {m['loadavg']}, akhir {m.get('loadavg_akhir')}"
        + ("  — PERINGATAN: mesin sibuk, angka tidak dapat dibandingkan"
           if max(m["loadavg"] + m.get("loadavg_akhir", [0])) > (m["inti"] or 1) else ""),
        (f"Basis data: {report['basis_data']['baris']} baris, {report['basis_data']['ukuran_mb']} MB, "
        f"dibangun dalam {report['basis_data']['dibangun_s']} s"),
        "",
        "Rerun hangat per halaman (AppTest, bingkai app.py termasuk) / warm rerun per page:",
        *bench_wilayah.page_lines(report["halaman"]),
        *bench_wilayah.largest_lines(report),
    ]
    cold = report.get("mulai_dingin")
    if cold:
        lines += ["", f"Mulai dingin / cold start (termasuk membangun basis data kabupaten): server sehat "
                      f"{cold['sampai_sehat_s']} s, halaman pertama tersaji {cold['sampai_halaman_pertama_s']} s"
                      + ("" if cold["halaman_ok"] else f" — GAGAL: {cold['masalah']}")]
    lines += ["", "Impor satu bulan / one month's import:"]
    for item in report["impor"]:
        parts = (f"; siapkan {item['siapkan_s']:.3f} s + tulis {item['tulis_s']:.3f} s" if "siapkan_s" in item else "")
        lines.append(f"  {item['lingkup']:<10} {item['jalur']:<12} {item['baris']:>6} baris  {item['detik']:.3f} s"
                     f"{parts}  (basis data {item['ukuran_berkas_mb']} MB)")
    for path in dict.fromkeys(item["jalur"] for item in report["impor"]):
        what = next(item["apa"] for item in report["impor"] if item["jalur"] == path)
        lines.append(f"  {path}: {what}")
    lines += [
        "",
        "Unggahan terbesar yang diizinkan, uji coba (ingest.prepare) di proses baru / largest allowed upload:",
    ]
    for item in report.get("unggah_terbesar") or []:
        lines.append(
            f"  {item['berkas']:<10} {item['ukuran_mb']} MB, {item['sel']} sel, {item['baris']} baris "
            f"(lolos: {item['lolos']}): {item['detik']} s (CPU {item['cpu_s']} s), RSS {item['rss_awal_mb']} → "
            f"{item['rss_puncak_mb']} MB (+{item['rss_tambah_mb']} MB)"
        )
    lines += ["", (f"Beban / load (websocket; tiap sesi membuka Ringkasan, Peringkat, Profil kecamatan "
                   f"{report['wilayah']['kabupaten']}; lantai = halaman kosong di proses streamlit kedua, "
                   "dijalankan bersamaan):"),
              ("  server aplikasi hangat (tembolok terisi, tiru serve) "
               + ("tidak dilaporkan; kerumunan tidak menunggu" if report.get("tembolok_hangat_s") is None
                  else f"{report['tembolok_hangat_s']:.1f} s setelah mulai; kerumunan dimulai sesudahnya")),
              f"  {'sesi':>4}  {'lantai p50':>10} {'p95':>7}  {'aplikasi p50':>12} {'p95':>7}  {'rasio':>5}  galat"]
    for row in report["beban"]:
        lan, app = row["lantai"], row["aplikasi"]
        ratio = "—" if row["rasio_p95"] is None else f"{row['rasio_p95']:.2f}"
        lines.append(f"  {row['sesi']:>4}  {_ms(lan['p50_ms']):>8}ms {_ms(lan['p95_ms']):>5}ms  "
                     f"{_ms(app['p50_ms']):>10}ms {_ms(app['p95_ms']):>5}ms  {ratio:>5}  "
                     f"{app['galat']} (lantai {lan['galat']})")
        for problem in app["masalah"]:
            lines.append(f"        masalah: {problem}")
        if row.get("lantai_setelan"):
            tuned, ratio = row["lantai_setelan"], row["rasio_p95_setelan"]
            lines.append(f"        lantai dengan setelan server Tiru (tanpa pemantau berkas, GC, magic): p50 "
                         f"{_ms(tuned['p50_ms'])}ms, p95 {_ms(tuned['p95_ms'])}ms; rasio aplikasi ke lantai ini "
                         f"{'—' if ratio is None else f'{ratio:.2f}'} (target #24 pada 30 sesi: ≤ 10×)")
    scaled = report.get("beban_skala")
    if scaled and scaled.get("dilewati"):
        lines.append(f"  lewat nginx, {scaled['proses']} proses: dilewati — {scaled['dilewati']}")
    elif scaled:
        app, ratio = scaled["aplikasi"], scaled["rasio_p95"]
        lines.append(f"  {scaled['sesi']:>4}  lewat nginx, {scaled['proses']} proses aplikasi (scale-out): "
                     f"p50 {_ms(app['p50_ms'])}ms, p95 {_ms(app['p95_ms'])}ms, rasio ke lantai yang sama "
                     f"{'—' if ratio is None else f'{ratio:.2f}'}, galat {app['galat']}")
    lines += bench_wilayah.kabupaten_crowd_lines(report)
    mem = report["memori"]
    lines += [
        "",
        (
            f"Memori / memory: RSS puncak server aplikasi {mem.get('rss_puncak_mb')} MB "
            f"(lantai {mem.get('lantai_rss_puncak_mb')} MB); setelah uji beban {mem.get('rss_setelah_beban_mb')} MB"
        ),
    ]
    if mem.get("soak"):
        s = mem["soak"]
        lines.append(
            f"  soak {s['menit']:g} menit, {s['sesi']} sesi: RSS {s['rss_awal_mb']} → {s['rss_akhir_mb']} MB "
            f"({s['pertumbuhan_persen']} %), galat {s['galat']} (pemanasan {s.get('galat_pemanasan', '—')}); "
            f"diukur setelah {s['sesi_pemanasan']} sesi "
            f"pemanasan (setiap bulan × kecamatan sekali: {s['rss_sebelum_pemanasan_mb']} → {s['rss_awal_mb']} MB, "
            f"cache terisi)"
        )
        lines.append(f"  RSS per menit soak: {', '.join(str(v) for v in s.get('rss_per_menit_mb', []))} MB")
        for problem in s.get("masalah", []):
            lines.append(f"        masalah: {problem}")
    else:
        lines.append("  soak: tidak dijalankan (--soak-minutes 0 atau --cepat)")
    lines += ["", "Target issue #7:"]
    for t in report["target"]:
        mark = {True: "TERCAPAI", False: "MELESET", None: "—"}[t["tercapai"]]
        lines.append(f"  [{mark:^8}] {t['target']}: {t['nilai']} (target {t['batas']})")
    lines += bench_wilayah.target_lines(report)
    return "\n".join(lines)


def _configured() -> str:
    """The configured kabupaten for the help text (TIRU_WILAYAH), or why it cannot be read."""
    from metrics.data import wilayah
    from metrics.data.kunci import StoreError

    try:
        config = wilayah.aktif()
        found = f"TIRU_WILAYAH={config.kode}: {config.kabupaten}, {len(wilayah.kecamatan_codes(config.kode))} kecamatan"
    except StoreError as exc:
        found = f"TIRU_WILAYAH tidak terbaca: {exc}"
    return found.replace("%", "%%")  # argparse formats help with %


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of `tiru bench` (the CLI adds the subcommand and dispatches to run())."""
    parser.add_argument("--skala", choices=["asahan", "nasional"], default="asahan",
                        help=f"asahan: basis data demo kabupaten yang dikonfigurasi ({_configured()}; nama pilihan "
                             "tetap 'asahan'); nasional: itu + 7.300 kecamatan sintetis × 120 bulan")
    parser.add_argument("--json", type=Path, metavar="PATH", help="tulis angka-angka yang sama sebagai JSON")
    parser.add_argument("--reruns", type=int, default=20, help="rerun terukur per halaman (bawaan 20)")
    parser.add_argument("--sesi", default="10,30,50", help="jumlah sesi uji beban, dipisah koma (bawaan 10,30,50)")
    parser.add_argument("--soak-minutes", type=float, default=1.0,
                        help="lama soak memori dalam menit (bawaan 1; 10 untuk angka lengkap; 0 = tanpa soak)")
    parser.add_argument("--cepat", action="store_true",
                        help="mode cepat untuk CI: 3 rerun, 10 sesi, tanpa soak")
    parser.add_argument("--tanpa-mulai-dingin", action="store_true", help="lewati pengukuran mulai dingin")
    parser.add_argument("--tanpa-terbesar", action="store_true",
                        help="lewati rerun halaman kabupaten terbesar (paling banyak kecamatan, issue #25)")


def run(args: argparse.Namespace, argv: list[str] | None = None) -> int:
    reruns, sizes, soak_minutes = (
        args.reruns,
        [int(s) for s in str(args.sesi).split(",") if s.strip()],
        args.soak_minutes,
    )
    if args.cepat:
        reruns, sizes, soak_minutes = 3, [10], 0.0
    command = "tiru " + " ".join(argv if argv is not None else sys.argv[1:])
    report = measure(args.skala, reruns, sizes, soak_minutes, command, cold=not args.tanpa_mulai_dingin,
                     progress=lambda text: print(text, file=sys.stderr, flush=True), largest=not args.tanpa_terbesar)
    print(render(report))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
        print(f"JSON: {args.json}", file=sys.stderr)
    return 0
