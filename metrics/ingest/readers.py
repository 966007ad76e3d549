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
MAX_COLUMNS = 200  # the widest template has ~20
MAX_CELLS = 200_000  # rows × columns over the whole file (20 000 rows of 10 columns)
HELPER_SHEETS = {"petunjuk", "daftar"}
# What a workbook costs to parse beyond its cells, checked before parsing (the worst workbook within
# every limit stays within `tiru bench`'s goal, ≤ 5 s and ≤ +300 MB: tests/test_unggah.py).
MAX_SHARED_STRINGS = MAX_CELLS  # more distinct texts than cells read cannot be needed
MAX_SHEETS = 50  # the templates have 2–3
MAX_STYLES = 10_000  # cell formats (<xf>), fonts, fills, borders and number formats together
MAX_CELL_TAGS = 2 * MAX_CELLS  # cells a workbook writes, with a value or not (empty formatted cells cost too)
MAX_PART = 20 * 1024 * 1024  # unzipped bytes of one part (sharedStrings.xml, styles.xml, a sheet)
_SHARED = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s>/]")
_SHEET = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheet[\s>/]")
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s>/]")
_STYLE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:xf|font|fill|border|numFmt|dxf)[\s>/]")


CHECK_EVERY = 1000  # rows read between two questions whether the uploader is still there


class Dibatalkan(Exception):
    """Reading stopped: whoever uploaded the file is gone (the browser was closed); nobody to answer."""


def _check(cancelled, count: int) -> None:
    if cancelled is not None and count % CHECK_EVERY == 0 and cancelled():
        raise Dibatalkan


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


def _mixed_line(content: bytes) -> int | None:
    """The first line that is not UTF-8 in a file whose other lines are UTF-8 with non-ASCII text
    (one stray Windows-1252 byte in a UTF-8 file), or None. Reading such a file as Windows-1252
    would turn every other accented letter or dash into mojibake ("â€“")."""
    bad, utf8_text = None, False
    for number, line in enumerate(content.split(b"\n"), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            bad = bad or number
            continue
        utf8_text = utf8_text or not line.isascii()
        if bad and utf8_text:
            return bad
    return bad if utf8_text else None


def _read_csv(content: bytes, cancelled=None) -> tuple[list[Tabel], list[Masalah], list[str]]:
    text, encoding = _decode(content)
    if text is None:
        return [], [Masalah(bahasa.t("impor.teks_tak_terbaca", alasan=encoding))], []
    if encoding == "Windows-1252" and (line := _mixed_line(content)):
        return [], [Masalah(bahasa.t("impor.utf8_campur", baris=line), baris=line)], []
    if "\x00" in text:
        return [], [Masalah(bahasa.t("impor.biner"))], []
    notes = [] if encoding == "UTF-8" else [bahasa.t("impor.dibaca_sebagai", encoding=encoding)]
    first = next((line for line in text.splitlines() if line.strip()), "")
    hint = re.fullmatch(r"\s*sep=(.)\s*", first)  # Excel's "sep=;" line names the delimiter
    delimiter = hint.group(1) if hint else max([",", ";", "\t"], key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header, rows, cells_seen, start = None, [], 0, 1
    try:
        for count, raw in enumerate(reader, start=1):
            _check(cancelled, count)
            line, start = start, reader.line_num + 1  # a quoted cell may span lines: name where the row starts
            if len(raw) > MAX_COLUMNS:
                return [], [_too_wide(None, line)], []
            cells = [_cell(c) for c in raw]
            if not any(c is not None for c in cells):
                continue
            if hint:  # the sep= line itself is no row
                hint = None
                continue
            cells_seen += len(cells)
            if cells_seen > MAX_CELLS:
                return [], [_too_many_cells(None, line)], []
            if header is None:
                header = [_norm_header(c) for c in cells]
                continue
            if len(cells) != len(header):
                return [], [Masalah(bahasa.t("impor.baris_compang", n=len(cells), judul=len(header)), baris=line)], []
            rows.append((line, cells))
            if len(rows) > MAX_ROWS:
                return [], [_too_many_rows(None, line)], []
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            return [], [Masalah(bahasa.t("impor.sel_terlalu_panjang", maks=formatting.angka(csv.field_size_limit(), 0)),
                                baris=start)], []
        if "unexpected end of data" in str(exc):
            return [], [Masalah(bahasa.t("impor.kutip_tak_tertutup"), baris=start)], []
        return [], [Masalah(bahasa.t("impor.csv_rusak", baris=start, galat=exc), baris=start)], []
    if header is None:
        return [], [Masalah(bahasa.t("impor.kosong_tanpa_judul"))], []
    return [Tabel(None, header, rows)], [], notes


def _too_wide(lembar: str | None, baris: int) -> Masalah:
    return Masalah(bahasa.t("impor.terlalu_banyak_kolom", maks=MAX_COLUMNS), lembar, baris)


def _too_many_cells(lembar: str | None, baris: int) -> Masalah:
    return Masalah(bahasa.t("impor.terlalu_banyak_sel", maks=formatting.angka(MAX_CELLS, 0)), lembar, baris)


def _too_many_rows(lembar: str | None, baris: int) -> Masalah:
    return Masalah(bahasa.t("impor.terlalu_banyak_baris", n=formatting.angka(MAX_ROWS, 0)), lembar, baris)


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _read_xlsx(content: bytes, cancelled=None) -> tuple[list[Tabel], list[Masalah], list[str]]:
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
    costly = _costs(archive, infos)
    if costly:
        return [], [costly], []
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        tables, problems, notes = [], [], []
        formula_used, budget = 0, [MAX_CELLS]
        for ws in book.worksheets:
            if ws.title.strip().lower() in HELPER_SHEETS:
                continue
            if ws.sheet_state != "visible":  # data nobody sees on screen is not imported unseen
                problems.append(Masalah(bahasa.t("impor.lembar_tersembunyi", lembar=ws.title), ws.title))
                continue
            table, sheet_problems, formulas, stop = _read_sheet(ws, budget, cancelled)
            problems += sheet_problems
            formula_used += formulas
            if stop:
                return [], sheet_problems, []
            if table is not None:
                tables.append(table)
        book.close()
    except Dibatalkan:
        raise
    except Exception as exc:
        from defusedxml import DefusedXmlException

        chain, cause = [], exc
        while cause is not None and len(chain) < 10:
            chain.append(cause)
            cause = cause.__cause__ or cause.__context__
        if any(isinstance(c, DefusedXmlException) for c in chain):
            return [], [Masalah(bahasa.t("impor.xml_berbahaya"))], []
        return [], [Masalah(bahasa.t("impor.xlsx_tak_terbaca", galat=type(exc).__name__))], []
    if formula_used:
        notes.append(bahasa.t("impor.rumus_dipakai", n=formula_used))
    if not tables and not problems:
        problems.append(Masalah(bahasa.t("impor.buku_kerja_kosong")))
    return tables, problems, notes


def _count(archive: zipfile.ZipFile, name: str, pattern: re.Pattern) -> int:
    """Occurrences of `pattern` in one part, read in chunks (a tag split between chunks is kept)."""
    found, tail = 0, b""
    with archive.open(name) as part:
        while chunk := part.read(1 << 20):
            data = tail + chunk
            found += len(pattern.findall(data))
            cut = data.rfind(b"<")
            tail = data[cut:] if cut >= 0 and len(data) - cut < 64 else b""
            found -= len(pattern.findall(tail))
    return found


def _costs(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> Masalah | None:
    """What parsing would cost, before openpyxl reads anything: the number of sheets, of cells written
    (with a value or not), of shared strings and of styles (counted while streaming their parts), every part's unzipped size. The
    first limit passed, or None."""
    names = {i.filename.lower(): i.filename for i in infos}
    sheets = max(_count(archive, names["xl/workbook.xml"], _SHEET),
                 sum(1 for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")))
    if sheets > MAX_SHEETS:
        return Masalah(bahasa.t("impor.terlalu_banyak_lembar", n=formatting.angka(sheets, 0), maks=MAX_SHEETS))
    written = sum(_count(archive, names[n], _CELL) for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml"))
    if written > MAX_CELL_TAGS:
        return Masalah(bahasa.t("impor.terlalu_banyak_sel_tertulis", n=formatting.angka(written, 0),
                                maks=formatting.angka(MAX_CELL_TAGS, 0)))
    shared = _count(archive, names["xl/sharedstrings.xml"], _SHARED) if "xl/sharedstrings.xml" in names else 0
    if shared > MAX_SHARED_STRINGS:
        return Masalah(bahasa.t("impor.terlalu_banyak_teks", n=formatting.angka(shared, 0),
                                maks=formatting.angka(MAX_SHARED_STRINGS, 0)))
    styles = _count(archive, names["xl/styles.xml"], _STYLE) if "xl/styles.xml" in names else 0
    if styles > MAX_STYLES:
        return Masalah(bahasa.t("impor.terlalu_banyak_gaya", n=formatting.angka(styles, 0),
                                maks=formatting.angka(MAX_STYLES, 0)))
    big = next((i for i in infos if i.file_size > MAX_PART), None)
    if big:
        return Masalah(
            bahasa.t(
                "impor.bagian_terlalu_besar",
                bagian=big.filename,
                ukuran=formatting.angka(big.file_size / 1024 / 1024, 1),
                batas=MAX_PART // 1024 // 1024,
            )
        )
    return None


def _read_sheet(ws, budget: list[int], cancelled=None) -> tuple[Tabel | None, list[Masalah], int, bool]:
    """One read-only sheet, streamed row by row from its XML: only the cells the file holds are seen
    (no padding to the sheet's stated size, which a file may inflate). Rows without a value do not
    count; the first breach of MAX_COLUMNS, MAX_ROWS or the file's cell budget stops reading (stop=True).
    Returns the table, problems (formulas without a stored value, merged cells), formulas used, stop."""
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    class Parser(WorkSheetParser):
        def parse_cell(self, element):  # the stored value (data_only) and whether a formula produced it
            cell = super().parse_cell(element)
            formula = element.find(FORMULA_TAG)
            cell["formula"] = None if formula is None else "=" + (formula.text or "")
            return cell

    book = ws.parent
    problems, formulas, header, rows, letters = [], 0, None, [], []
    with ws._get_source() as source:
        parser = Parser(source, ws._shared_strings, data_only=True, epoch=book.epoch,
                        date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
        seen_rows = set()
        for count, (number, cells) in enumerate(parser.parse(), start=1):
            _check(cancelled, count)
            values, seen = {}, set()
            if number in seen_rows:
                problems.append(Masalah(bahasa.t("impor.baris_dua_kali"), ws.title, number))
            seen_rows.add(number)
            for cell in cells:
                if cell["column"] in seen:  # the file writes this cell twice: which value was meant?
                    coordinate = f"{_column_letter(cell['column'] - 1)}{cell['row']}"
                    problems.append(Masalah(bahasa.t("impor.sel_dua_kali", sel=coordinate), ws.title, cell["row"]))
                seen.add(cell["column"])
                value = _cell(cell["value"])
                if cell["formula"] is not None:
                    if value is None:
                        coordinate = f"{_column_letter(cell['column'] - 1)}{cell['row']}"
                        problems.append(Masalah(bahasa.t("impor.rumus_tanpa_nilai", sel=coordinate), ws.title,
                                                cell["row"], nilai=cell["formula"]))
                    else:
                        formulas += 1
                if value is not None:
                    if cell["column"] > MAX_COLUMNS:
                        return None, [_too_wide(ws.title, number)], formulas, True
                    values[cell["column"]] = value
            if not values:
                continue
            width = max(values)
            budget[0] -= width
            if budget[0] < 0:
                return None, [_too_many_cells(ws.title, number)], formulas, True
            row = [values.get(c) for c in range(1, width + 1)]
            if header is None:
                header = [_norm_header(c) for c in row]
                letters = [_column_letter(i) for i in range(len(row))]
                continue
            rows.append((number, row))
            if len(rows) > MAX_ROWS:
                return None, [_too_many_rows(ws.title, number)], formulas, True
        merged = getattr(parser, "merged_cells", None)
    for ref in (m.ref for m in (merged.mergeCell if merged else [])):
        problems.append(Masalah(bahasa.t("impor.sel_gabungan", sel=ref), ws.title))
    return (None if header is None else Tabel(ws.title, header, rows, letters)), problems, formulas, False


def too_big(size: int) -> str:
    """The message for a file of `size` bytes over MAX_BYTES ('berkas 5,1 MB melebihi batas 5 MB; …')."""
    return bahasa.t("impor.terlalu_besar", ukuran=formatting.angka(size / 1024 / 1024, 1),
                    batas=MAX_BYTES // 1024 // 1024)


def read(content: bytes, berkas: str, cancelled=None) -> tuple[list[Tabel], list[Masalah], list[str]]:
    """Tables of a CSV or XLSX file, problems that stop reading, and notes. `cancelled()`, asked every
    CHECK_EVERY rows, stops reading with Dibatalkan when it says the uploader is gone."""
    if len(content) > MAX_BYTES:
        return [], [Masalah(too_big(len(content)))], []
    if not content.strip():
        return [], [Masalah(bahasa.t("impor.berkas_kosong"))], []
    if content.startswith(b"\xd0\xcf\x11\xe0"):  # an OLE file: Excel 97–2003, or an encrypted workbook
        if "EncryptedPackage".encode("utf-16-le") in content:
            return [], [Masalah(bahasa.t("impor.xlsx_terkunci"))], []
        return [], [Masalah(bahasa.t("impor.xls_lama"))], []
    if content.startswith(b"PK\x03\x04") or berkas.lower().endswith((".xlsx", ".xlsm")):
        return _read_xlsx(content, cancelled)
    return _read_csv(content, cancelled)
