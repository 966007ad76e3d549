"""Clear messages for what a hostile run met (#21.8), each in Indonesian and English."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from metrics.core import bahasa
from metrics.core import periode as per
from metrics.ingest import readers

ROOT = Path(__file__).resolve().parent.parent
HEADER = "kode_kecamatan,periode,indikator,nilai,sumber,catatan\n"
ROW = "12.09.08,2026-10,tte,50,laporan camat,{catatan}\n"


def _read(content: bytes, name: str = "berkas.csv", kode: str = "id"):
    with bahasa.dalam(kode):
        tables, problems, notes = readers.read(content, name)
        return tables, [p.teks() for p in problems], notes


@pytest.mark.parametrize("kode, kata", [("id", "baris 3"), ("en", "row 3")])
def test_one_stray_windows_1252_byte_in_a_utf8_file_names_the_row(kode, kata):
    content = (HEADER + ROW.format(catatan="Kecamatan Sei Kepayang – Barat") + ROW.format(catatan="x")).encode()
    content = content.replace(b"x\n", b"\x96\n")  # one en dash saved by Windows-1252 in a UTF-8 file
    tables, problems, _ = _read(content, kode=kode)
    assert not tables and problems and kata in problems[0].lower() and "UTF-8" in problems[0], problems


def test_a_whole_windows_1252_file_is_still_read_with_a_note():
    content = (HEADER + ROW.format(catatan="Sei Kepayang – Barat")).encode("cp1252")
    tables, problems, notes = _read(content)
    assert tables and not problems and any("Windows-1252" in n for n in notes)
    assert tables[0].rows[0][1][5] == "Sei Kepayang – Barat"


def _encrypted() -> bytes:
    """An Office-encrypted workbook as Excel saves it: an OLE file holding EncryptionInfo and EncryptedPackage."""
    head = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    names = "EncryptionInfo".encode("utf-16-le") + b"\0" * 20 + "EncryptedPackage".encode("utf-16-le")
    return head + names + b"\0" * 4096


@pytest.mark.parametrize("kode, kata", [("id", "kata sandi"), ("en", "password")])
def test_a_password_protected_xlsx_is_called_encrypted(kode, kata):
    _, problems, _ = _read(_encrypted(), "rahasia.xlsx", kode)
    assert problems and kata in problems[0] and ".xls)" not in problems[0], problems


@pytest.mark.parametrize("kode", ["id", "en"])
def test_excel_sep_line_is_understood(kode):
    content = ("sep=;\n" + HEADER.replace(",", ";") + ROW.format(catatan="").replace(",", ";")).encode()
    tables, problems, _ = _read(content, kode=kode)
    assert not problems and tables[0].header[:2] == ["kode_kecamatan", "periode"], problems
    assert tables[0].rows[0][0] == 3  # rows keep their line numbers in the file


@pytest.mark.parametrize("kode, kata", [("id", "terlalu panjang"), ("en", "too long")])
def test_a_megabyte_cell_gets_our_message(kode, kata):
    content = (HEADER + ROW.format(catatan='"' + "a" * 1_000_000 + '"')).encode()
    _, problems, _ = _read(content, kode=kode)
    assert problems and kata in problems[0] and "field limit" not in problems[0], problems
    assert ("baris 2" if kode == "id" else "row 2") in problems[0].lower()


def _xlsx_with_twice_written_cell() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "observasi"
    for row in [HEADER.strip().split(","), ROW.format(catatan="").strip().split(",")]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    patched = io.BytesIO()
    with zipfile.ZipFile(patched, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":  # D2 written twice: 50, then 99
                data = re.sub(rb'(<c r="D2"[^>]*>.*?</c>)', rb'\1<c r="D2" t="n"><v>99</v></c>', data, count=1)
            target.writestr(info, data)
    return patched.getvalue()


@pytest.mark.parametrize("kode, kata", [("id", "dua kali"), ("en", "twice")])
def test_a_cell_written_twice_is_named(kode, kata):
    _, problems, _ = _read(_xlsx_with_twice_written_cell(), "ganda.xlsx", kode)
    assert problems and kata in problems[0] and "D2" in problems[0], problems


@pytest.mark.parametrize("kode, kata", [("id", "tersembunyi"), ("en", "hidden")])
def test_a_hidden_sheet_is_named(kode, kata):
    book = openpyxl.Workbook()
    book.active.title = "observasi"
    book.active.append(HEADER.strip().split(","))
    hidden = book.create_sheet("lama")
    hidden.append(HEADER.strip().split(","))
    hidden.append(ROW.format(catatan="").strip().split(","))
    hidden.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    _, problems, _ = _read(out.getvalue(), "tersembunyi.xlsx", kode)
    assert problems and kata in problems[0] and "lama" in problems[0], problems


@pytest.mark.parametrize("kode, kata", [("id", "di luar"), ("en", "outside")])
def test_a_far_future_today_is_a_clear_error_not_a_traceback(tmp_path, demo_db, kode, kata):
    done = subprocess.run([sys.executable, "-m", "metrics", "--bahasa", kode, "adopsi"], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=False,
                          env={**os.environ, "TIRU_DB": str(demo_db), "TIRU_HARI_INI": "9999-12-31"})
    assert done.returncode == 1 and "Traceback" not in done.stderr and kata in done.stderr, done.stderr
    assert "TIRU_HARI_INI" in done.stderr


def test_hari_ini_keeps_ordinary_dates(monkeypatch):
    monkeypatch.setenv("TIRU_HARI_INI", "2026-12-02")
    assert per.hari_ini().isoformat() == "2026-12-02"


def test_the_documented_hash_command_works():
    """The command docs/operasi.md gives for a password hash, run as written."""
    text = (ROOT / "docs" / "operasi.md").read_text(encoding="utf-8")
    command = re.search(r"\.venv/bin/python -c '([^']*hash_password[^']*)'", text).group(1)
    done = subprocess.run([sys.executable, "-c", command.replace('"..."', '"uji-sandi"')], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0 and done.stdout.startswith("$argon2id$"), done.stderr
    for path in [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]:  # every mention imports from where it lives
        for found in re.findall(r"from (metrics[\w.]*) import hash_password", path.read_text(encoding="utf-8")):
            assert found == "metrics.app.akses", (path.name, found)
