"""Reading an uploaded file: decoding, the CSV and XLSX readers and their size limits.

A reader returns the file's tables (Tabel), the problems that stop reading (Masalah) and notes.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

from metrics.core import bahasa, formatting

MAX_BYTES = 5 * 1024 * 1024  # 5 MB: a month of 25 kecamatan is a few kB
MAX_ROWS = 20_000
MAX_UNZIPPED = 40 * 1024 * 1024
HELPER_SHEETS = {"petunjuk", "daftar"}


@dataclass(frozen=True)
class Masalah:
    pesan: str
    lembar: str | None = None
    baris: int | None = None
    kolom: str | None = None
    nilai: object = None

    def teks(self) -> str:
        where = []
        if self.lembar:
            where.append(bahasa.t("impor.lokasi.lembar", lembar=self.lembar))
        if self.baris:
            where.append(bahasa.t("impor.lokasi.baris", baris=self.baris))
        if self.kolom:
            where.append(bahasa.t("impor.lokasi.kolom", kolom=self.kolom))
        text = (", ".join(where) + ": " if where else "") + self.pesan
        return text[0].upper() + text[1:]


@dataclass
class Tabel:
    """One sheet (or the CSV): normalised header names and (row number, cells) per data row."""

    lembar: str | None
    header: list[str]
    rows: list[tuple[int, list]]
    letters: list[str] = field(default_factory=list)  # XLSX column letters, for messages



def _norm_header(value) -> str:
    text = "" if value is None else str(value)
    text = text.replace("\ufeff", "").strip().lower()
    return re.sub(r"[\s\-]+", "_", text)


def _cell(value):
    if isinstance(value, str):
        value = value.replace("\u00a0", " ").strip()
        return value or None
    return value


def _decode(content: bytes) -> tuple[str | None, str | None]:
    """Text and the encoding used, or (None, reason)."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            return None, bahasa.t("impor.utf16_rusak")
    if content.startswith(b"\xef\xbb\xbf"):
        try:
            return content[3:].decode("utf-8"), "UTF-8 (BOM)"
        except UnicodeDecodeError:
            return None, bahasa.t("impor.bom_bukan_utf8")
    try:
        return content.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return None, bahasa.t("impor.bukan_utf8")


def _read_csv(content: bytes) -> tuple[list[Tabel], list[Masalah], list[str]]:
    text, encoding = _decode(content)
    if text is None:
        return [], [Masalah(bahasa.t("impor.teks_tak_terbaca", alasan=encoding))], []
    if "\x00" in text:
        return [], [Masalah(bahasa.t("impor.biner"))], []
    notes = [] if encoding == "UTF-8" else [bahasa.t("impor.dibaca_sebagai", encoding=encoding)]
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max([",", ";", "\t"], key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header, rows = None, []
    try:
        for cells in reader:
            cells = [_cell(c) for c in cells]
            if not any(c is not None for c in cells):
                continue
            if header is None:
                header = [_norm_header(c) for c in cells]
                continue
            rows.append((reader.line_num, cells))
            if len(rows) > MAX_ROWS:
                return [], [Masalah(bahasa.t("impor.terlalu_banyak_baris", n=MAX_ROWS))], []
    except csv.Error as exc:
        return [], [Masalah(bahasa.t("impor.csv_rusak", baris=reader.line_num, galat=exc), baris=reader.line_num)], []
    if header is None:
        return [], [Masalah(bahasa.t("impor.kosong_tanpa_judul"))], []
    return [Tabel(None, header, rows)], [], notes


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _read_xlsx(content: bytes) -> tuple[list[Tabel], list[Masalah], list[str]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return [], [Masalah(bahasa.t("impor.xlsx_rusak"))], []
    total = sum(i.file_size for i in infos)
    if total > MAX_UNZIPPED or any(i.file_size > 100 * max(i.compress_size, 1) and i.file_size > 1_000_000
                                   for i in infos):
        return [], [Masalah(bahasa.t("impor.bom_zip"))], []
    if "xl/workbook.xml" not in {i.filename for i in infos}:
        return [], [Masalah(bahasa.t("impor.bukan_buku_kerja"))], []
    import openpyxl

    try:
        values_wb = openpyxl.load_workbook(io.BytesIO(content), data_only=True)
        formulas_wb = openpyxl.load_workbook(io.BytesIO(content), data_only=False)
    except Exception as exc:  # noqa: BLE001 - any parser failure (incl. defusedxml refusals) is a bad file
        from defusedxml import DefusedXmlException

        chain, cause = [], exc
        while cause is not None and len(chain) < 10:
            chain.append(cause)
            cause = cause.__cause__ or cause.__context__
        if any(isinstance(c, DefusedXmlException) for c in chain):
            return [], [Masalah(bahasa.t("impor.xml_berbahaya"))], []
        return [], [Masalah(bahasa.t("impor.xlsx_tak_terbaca", galat=type(exc).__name__))], []
    tables, problems, notes = [], [], []
    formula_used = 0
    for ws in values_wb.worksheets:
        if ws.title.strip().lower() in HELPER_SHEETS:
            continue
        if ws.max_row > MAX_ROWS + 1:
            problems.append(Masalah(bahasa.t("impor.lembar_terlalu_panjang", n=ws.max_row, maks=MAX_ROWS),
                                    lembar=ws.title))
            continue
        fws = formulas_wb[ws.title]
        for merged in ws.merged_cells.ranges:
            problems.append(Masalah(bahasa.t("impor.sel_gabungan", sel=merged.coord), lembar=ws.title))
        header, rows, letters = None, [], []
        for row_cells, formula_cells in zip(ws.iter_rows(), fws.iter_rows()):
            cells = []
            for cell, fcell in zip(row_cells, formula_cells):
                value = _cell(cell.value)
                if fcell.data_type == "f":
                    if value is None:
                        problems.append(Masalah(bahasa.t("impor.rumus_tanpa_nilai", sel=fcell.coordinate),
                                                lembar=ws.title, baris=fcell.row, nilai=str(fcell.value)))
                    else:
                        formula_used += 1
                cells.append(value)
            if not any(c is not None for c in cells):
                continue
            if header is None:
                header = [_norm_header(c) for c in cells]
                letters = [_column_letter(i) for i in range(len(cells))]
                continue
            rows.append((row_cells[0].row, cells))
        if header is not None:
            tables.append(Tabel(ws.title, header, rows, letters))
    if formula_used:
        notes.append(bahasa.t("impor.rumus_dipakai", n=formula_used))
    if not tables and not problems:
        problems.append(Masalah(bahasa.t("impor.buku_kerja_kosong")))
    return tables, problems, notes


def too_big(size: int) -> str:
    """The message for a file of `size` bytes over MAX_BYTES ('berkas 5,1 MB melebihi batas 5 MB; …')."""
    return bahasa.t("impor.terlalu_besar", ukuran=formatting.angka(size / 1024 / 1024, 1),
                    batas=MAX_BYTES // 1024 // 1024)


def read(content: bytes, berkas: str) -> tuple[list[Tabel], list[Masalah], list[str]]:
    """Tables of a CSV or XLSX file, problems that stop reading, and notes."""
    if len(content) > MAX_BYTES:
        return [], [Masalah(too_big(len(content)))], []
    if not content.strip():
        return [], [Masalah(bahasa.t("impor.berkas_kosong"))], []
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        return [], [Masalah(bahasa.t("impor.xls_lama"))], []
    if content.startswith(b"PK\x03\x04") or berkas.lower().endswith((".xlsx", ".xlsm")):
        return _read_xlsx(content)
    return _read_csv(content)
