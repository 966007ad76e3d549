"""Importing files: read CSV/XLSX, validate every cell, preview, then write one batch.

Pure engine (no Streamlit). The page and the CLI call the same three steps:

    rencana = prepare(store, content, "januari.xlsx", jenis="auto", akun=akun)   # dry run
    rencana.masalah / rencana.perubahan / rencana.laporan()                        # what to fix / what changes
    hasil = impor(store, rencana, oleh="nama", demo="hapus" | "pertahankan" | None, akun=akun)

Rules (messages in the active language, metrics/core/teks/impor.toml; every problem listed, not
only the first; each names the file's sheet, row and column and what was expected):

- Files: at most MAX_BYTES and MAX_ROWS rows; CSV in UTF-8 (with or without BOM),
  UTF-16 with BOM or Windows-1252, separated by comma, semicolon or tab; XLSX only (old
  .xls is refused). XLSX is read with defusedxml active (openpyxl uses it when installed);
  zip entries may not inflate beyond MAX_UNZIPPED or 100×; formulas count with their stored
  value (a formula without a stored value is an error naming the cell); merged cells are
  refused (every cell must hold its own value).
- Numbers: 12,5 · 1.234,5 · 1.234.567 · 1234.5 · 1234; a trailing % is dropped (75 % = 75).
  '1.234' (a dot followed by exactly three digits, no comma) is ambiguous and refused.
- Periods: YYYY-MM (or a date cell), from EARLIEST up to the current month.
- Values within the indicator's batas_min…batas_max from the catalogue.
- Text a spreadsheet would run as a formula (=, +, -, @) is kept as text; every export and
  the downloadable report neutralise it.
- Roles: an operator may import only observasi, skm and adopsi rows of their own kecamatan;
  a viewer nothing; an admin everything. The CLI (akun=None) is the server administrator.
- Changes: a row is new (no current value), changed (value, sumber or catatan differ from
  the current effective one) or unchanged. Only new and changed rows are written; a file
  with nothing new writes no batch ("tidak ada perubahan").
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import hashlib
import io
import math
import re
import secrets
import zipfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from metrics.core import bahasa, formatting
from metrics.core import periode as per
from metrics.data import store as store_mod
from metrics.data import writer
from metrics.data.build import DATA_DIR
from metrics.data.store import RejectedChange, Store
from metrics.engine import ikm as ikm_mod

MAX_BYTES = 5 * 1024 * 1024  # 5 MB: a month of 25 kecamatan is a few kB
MAX_ROWS = 20_000
MAX_UNZIPPED = 40 * 1024 * 1024
EARLIEST = "2020-01"
JENIS = ("observasi", "skm", "adopsi", "target", "model")
HELPER_SHEETS = {"petunjuk", "daftar"}
ADMIN_ONLY = {"target", "model"}
FORMULA_START = ("=", "+", "-", "@")
DEFAULT_SUMBER = "laporan kecamatan"  # sumber of a value whose file left it empty (the batch keeps the file name)

COLUMNS = {  # required, optional
    "observasi": (["kode_kecamatan", "periode", "indikator", "nilai"], ["sumber", "catatan", "kecamatan", "batch"]),
    "skm": (["kode_kecamatan", "periode", "responden"] + ikm_mod.UNSUR, ["kecamatan"]),
    "adopsi": (["kode_kecamatan", "inovasi", "tahap", "tanggal"], ["bukti", "oleh", "kecamatan"]),
    "target": (["tanggal"], ["inovasi", "tahap", "indikator", "nilai", "kode_kecamatan", "kecamatan"]),
    "model": (["indikator", "nilai", "sumber", "tanggal"], ["nama"]),
}


class Ditolak(RejectedChange):
    """The file cannot be imported; `masalah` lists every problem. Nothing was written."""

    def __init__(self, masalah: list[Masalah]):
        self.masalah = masalah
        lines = [m.teks() for m in masalah[:50]]
        more = "\n" + bahasa.t("impor.ditolak_lain", n=len(masalah) - 50) if len(masalah) > 50 else ""
        super().__init__(bahasa.t("impor.ditolak", n=len(masalah)) + "\n" + "\n".join(lines) + more)


class DemoBelumDiputuskan(RejectedChange):
    """The database still holds demo data and the import did not say what to do with it."""


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


@dataclass
class Rencana:
    """The dry run: what the file holds, what is wrong, and what would change."""

    berkas: str
    sha256: str
    content: bytes
    jenis: str | None
    masalah: list[Masalah]
    catatan: list[str]
    records: pd.DataFrame  # normalised rows ready to write
    perubahan: pd.DataFrame  # status baru / berubah / sama with lama and baru values
    baris: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.masalah

    def counts(self) -> dict[str, int]:
        status = self.perubahan["status"] if len(self.perubahan) else pd.Series(dtype=str)
        return {k: int((status == k).sum()) for k in ("baru", "berubah", "sama")}

    def laporan(self) -> pd.DataFrame:
        """The dry-run report (one row per problem) to show and to download."""
        return pd.DataFrame(
            [{"lembar": m.lembar or "", "baris": m.baris or "", "kolom": m.kolom or "",
              "nilai": "" if m.nilai is None else str(m.nilai), "masalah": m.pesan} for m in self.masalah],
            columns=["lembar", "baris", "kolom", "nilai", "masalah"],
        )


@dataclass
class Hasil:
    batch: str | None
    baru: int
    berubah: int
    sama: int
    demo_dihapus: int = 0

    def teks(self) -> str:
        counts = bahasa.t("impor.hitungan", baru=self.baru, berubah=self.berubah, sama=self.sama)
        if self.batch is None:
            return bahasa.t("impor.tanpa_perubahan", hitungan=counts)
        demo = " " + bahasa.t("impor.demo_dihapus", n=self.demo_dihapus) if self.demo_dihapus else ""
        return bahasa.t("impor.diimpor", batch=self.batch, hitungan=counts) + demo


# --------------------------------------------------------------------------- reading files


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


# --------------------------------------------------------------------------- cell parsers

_INT = re.compile(r"^[+-]?\d+$")
_COMMA_DEC = re.compile(r"^[+-]?\d+,\d+$")
_ID_FULL = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+,\d+$")
_ID_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3}){2,}$")
_AMBIGUOUS = re.compile(r"^[+-]?\d{1,3}\.\d{3}$")
_DOT_DEC = re.compile(r"^[+-]?\d+\.\d+$")


class _Bad(ValueError):
    """A cell that does not parse; the message says what was expected."""


def number_style(values) -> str | None:
    """'id' when the column writes decimals with a comma (12,5 · 1.234,5), 'en' when some value has a
    dot decimal that cannot be a thousands separator (12.5 · 64.99074); None when undecided."""
    texts = [str(v).replace(" ", "").rstrip("%") for v in values if isinstance(v, str)]
    if any(_COMMA_DEC.match(t) or _ID_FULL.match(t) or _ID_THOUSANDS.match(t) for t in texts):
        return "id"
    if any(_DOT_DEC.match(t) and not _AMBIGUOUS.match(t) for t in texts):
        return "en"
    return None


def angka(value, style: str | None = None) -> float:
    """An Indonesian or plain number; raises _Bad with the expectation. `style` (number_style of the
    column) settles '1.234': 'id' reads 1234, 'en' reads 1,234; None refuses it as ambiguous."""
    if value is None:
        raise _Bad(bahasa.t("impor.angka_kosong", harapan=bahasa.t("impor.contoh_angka")))
    if isinstance(value, bool) or isinstance(value, (dt.date, dt.datetime)):
        raise _Bad(bahasa.t("impor.bukan_angka", harapan=bahasa.t("impor.contoh_angka")))
    if isinstance(value, (int, float)):
        if math.isnan(value) or math.isinf(value):
            raise _Bad(bahasa.t("impor.bukan_angka", harapan=bahasa.t("impor.contoh_angka")))
        return float(value)
    text = str(value).replace(" ", "").replace("\u00a0", "")
    text = text.removesuffix("%")
    if _INT.match(text) or _DOT_DEC.match(text):
        if _AMBIGUOUS.match(text) and style == "id":
            return float(text.replace(".", ""))
        if _AMBIGUOUS.match(text) and style != "en":
            raise _Bad(bahasa.t("impor.ambigu"))
        return float(text)
    if _COMMA_DEC.match(text):
        return float(text.replace(",", "."))
    if _ID_FULL.match(text) or _ID_THOUSANDS.match(text):
        return float(text.replace(".", "").replace(",", "."))
    raise _Bad(bahasa.t("impor.bukan_angka", harapan=bahasa.t("impor.contoh_angka")))


def bulan(value, today: dt.date) -> int:
    """A month index from YYYY-MM or a date cell, within EARLIEST…this month."""
    if isinstance(value, (dt.datetime, dt.date)):
        index = per.from_date(value)
    elif value is None:
        raise _Bad(bahasa.t("impor.bulan_kosong"))
    else:
        text = str(value).strip()
        match = re.match(r"^(\d{4})-(\d{1,2})(-01)?$", text)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise _Bad(bahasa.t("impor.bulan_salah"))
        index = int(match.group(1)) * 12 + int(match.group(2)) - 1
    _check_month(index, today)
    return index


def _check_month(index: int, today: dt.date) -> None:
    if index > per.from_date(today):
        raise _Bad(bahasa.t("impor.bulan_masa_depan", bulan=per.fmt(per.from_date(today))))
    if index < per.parse(EARLIEST):
        raise _Bad(bahasa.t("impor.bulan_terlalu_awal", awal=EARLIEST))


def tanggal(value, today: dt.date, future_ok: bool = False) -> dt.date:
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif value is None:
        raise _Bad(bahasa.t("impor.tanggal_kosong"))
    else:
        text = str(value).strip()
        day = None
        for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
            try:
                day = dt.datetime.strptime(text, pattern).date()
                break
            except ValueError:
                continue
        if day is None:
            raise _Bad(bahasa.t("impor.tanggal_salah"))
    if day < dt.date(2020, 1, 1):
        raise _Bad(bahasa.t("impor.tanggal_terlalu_awal"))
    if not future_ok and day > today:
        raise _Bad(bahasa.t("impor.tanggal_masa_depan", hari=f"{today:%Y-%m-%d}"))
    return day


def bulat(value, low: int, high: int) -> int:
    if value is None:
        raise _Bad(bahasa.t("impor.bulat_kosong", rendah=low, tinggi=high))
    try:
        number = angka(value)
    except _Bad:
        raise _Bad(bahasa.t("impor.bulat_salah", rendah=low, tinggi=high)) from None
    if number != int(number) or not low <= number <= high:
        raise _Bad(bahasa.t("impor.bulat_salah", rendah=low, tinggi=high))
    return int(number)


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() or None


def _suggest(value: str, options, names: dict[str, str] | None = None) -> str:
    """' Maksudnya …?' from the closest code or name, or ''."""
    text = str(value).strip()
    names = names or {}
    by_name = {n.lower(): k for k, n in names.items()}
    if text.lower() in by_name:
        code = by_name[text.lower()]
        return " " + bahasa.t("impor.tulis_kode", kode=code, nama=names[code])
    close = difflib.get_close_matches(text, list(options), n=1, cutoff=0.6)
    if close:
        label = f"{close[0]} ({names[close[0]]})" if close[0] in names else close[0]
        return " " + bahasa.t("impor.maksudnya", saran=label)
    close = difflib.get_close_matches(text.lower(), list(by_name), n=1, cutoff=0.6)
    if close:
        code = by_name[close[0]]
        return " " + bahasa.t("impor.maksudnya", saran=f"{code} ({names[code]})")
    return ""


# --------------------------------------------------------------------------- validation


@dataclass
class _Ctx:
    store: Store
    today: dt.date
    kecamatan: pd.DataFrame
    indikator: pd.DataFrame
    inovasi: list[str]
    problems: list[Masalah] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @cached_property
    def names(self) -> dict[str, str]:
        return dict(zip(self.kecamatan["kode"], self.kecamatan["nama"]))

    @cached_property
    def codes(self) -> frozenset[str]:
        """Every known kecamatan code (built once: at national scale there are 7 300)."""
        return frozenset(self.kecamatan["kode"])

    @cached_property
    def bounds(self) -> dict[str, tuple[float, float]]:
        """Allowed (low, high) of each indicator, read once (a .loc per row cost 0,4 ms)."""
        return {kode: (low, high) for kode, low, high
                in zip(self.indikator.index, self.indikator["batas_min"], self.indikator["batas_max"])}

    @cached_property
    def asahan_codes(self) -> frozenset[str]:
        return frozenset(self.kecamatan.loc[self.kecamatan["wilayah"] == "Asahan", "kode"])

    def add(self, table: Tabel, row: int | None, column: str | None, value, message: str) -> None:
        self.problems.append(Masalah(message, table.lembar, row, column, value))


def _detect(tables: list[Tabel]) -> str | None:
    raw = set().union(*(set(t.header) for t in tables)) if tables else set()
    known = sorted({c for required, optional in COLUMNS.values() for c in required + optional})
    headers = set()
    for name in raw:  # a misspelt header still tells the kind; validation then names it
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.75)
        headers.add(close[0] if close else name)
    sheet_months = [t for t in tables if t.lembar and re.match(r"^\d{4}-\d{1,2}$", t.lembar.strip())]
    if set(ikm_mod.UNSUR) <= headers or {"u1", "u2", "u3"} <= headers:
        return "skm"
    if sheet_months:
        return "observasi"
    if {"periode", "indikator", "nilai"} & headers and "kode_kecamatan" in headers and "periode" in headers:
        return "observasi"
    if "inovasi" in headers and ({"bukti", "oleh"} & headers):
        return "adopsi"
    if "kode_kecamatan" in headers and {"inovasi", "tahap", "tanggal"} <= headers and len(tables) == 1 \
            and tables[0].lembar and tables[0].lembar.strip().lower() == "adopsi":
        return "adopsi"
    if {"inovasi", "tahap", "tanggal"} <= headers or ({"indikator", "nilai", "tanggal"} <= headers
                                                      and "sumber" not in headers):
        return "target"
    if {"indikator", "nilai", "sumber", "tanggal"} <= headers:
        return "model"
    if "kode_kecamatan" in headers and "periode" in headers:
        return "observasi"
    return None


def _check_header(ctx: _Ctx, table: Tabel, required: list[str], optional: list[str],
                  extra_ok=lambda name: False) -> bool:
    """Missing required columns and misspelt ones (with a suggestion). True when usable."""
    known = required + optional
    present = set(table.header)
    ok = True
    missing = [c for c in required if c not in present]
    for position, name in enumerate(table.header):
        if not name or name in known or extra_ok(name):
            continue
        close = difflib.get_close_matches(name, [c for c in known if c not in present], n=1, cutoff=0.6)
        letter = bahasa.t("impor.huruf_kolom", huruf=table.letters[position]) if position < len(table.letters) else ""
        if close:
            ctx.problems.append(Masalah(bahasa.t("impor.judul_tak_dikenal", nama=name, huruf=letter, saran=close[0]),
                                        table.lembar, 1 if table.letters else None, name, name))
            if close[0] in missing:
                missing.remove(close[0])
            ok = False
        else:
            ctx.notes.append(bahasa.t("impor.kolom_diabaikan_lembar", nama=name, lembar=table.lembar) if table.lembar
                             else bahasa.t("impor.kolom_diabaikan", nama=name))
    for name in missing:
        ctx.problems.append(Masalah(bahasa.t("impor.kolom_wajib_hilang", nama=name, wajib=", ".join(required),
                                             opsional=", ".join(optional)), table.lembar, None, name))
        ok = False
    duplicated = {n for n in table.header if n and table.header.count(n) > 1}
    for name in sorted(duplicated):
        ctx.problems.append(Masalah(bahasa.t("impor.judul_ganda", nama=name), table.lembar, None, name))
        ok = False
    return ok


def _rows(table: Tabel):
    """(row number, {column: value}) per data row."""
    for number, cells in table.rows:
        values = {name: (cells[i] if i < len(cells) else None) for i, name in enumerate(table.header) if name}
        yield number, values


def _kec(ctx: _Ctx, table: Tabel, row: int, value, asahan_only: bool = False) -> str | None:
    text = _text(value)
    if text is None:
        ctx.add(table, row, "kode_kecamatan", value, bahasa.t("impor.kec_kosong"))
        return None
    codes = ctx.asahan_codes if asahan_only else ctx.codes
    if text not in codes:
        ctx.add(table, row, "kode_kecamatan", text,
                bahasa.t("impor.kec_tak_dikenal_asahan" if asahan_only else "impor.kec_tak_dikenal", kode=text)
                + _suggest(text, sorted(codes), {k: v for k, v in ctx.names.items() if k in codes}))
        return None
    return text


def _ind(ctx: _Ctx, table: Tabel, row: int | None, value, column: str = "indikator") -> str | None:
    text = _text(value)
    if text is None:
        ctx.add(table, row, column, value, bahasa.t("impor.ind_kosong"))
        return None
    code = text.lower()
    if code not in ctx.indikator.index:
        names = dict(zip(ctx.indikator.index, bahasa.names(ctx.indikator)))
        ctx.add(table, row, column, text, bahasa.t("impor.ind_tak_ada", kode=text) + _suggest(code, list(names), names))
        return None
    return code


def _in_range(ctx: _Ctx, table: Tabel, row: int, column: str, indikator: str, value: float) -> bool:
    low, high = ctx.bounds[indikator]
    if not low <= value <= high:
        unit = formatting.satuan(ctx.indikator.loc[indikator, "satuan"])
        ctx.add(table, row, column, _fmt(value), bahasa.t("impor.di_luar_rentang", nilai=_fmt(value), indikator=indikator,
                                                          satuan=unit, rendah=_fmt(low), tinggi=_fmt(high)))
        return False
    return True


def _fmt(value, kode: str | None = None) -> str:
    """A number with up to 4 decimals as the language writes it (1.234,5 / 1,234.5); `kode` fixes the
    language (notes stored in the database stay Indonesian). Anything else (a date) as text."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return str(value)
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    if (kode or bahasa.aktif()) == "en":
        return text
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def _parse(ctx: _Ctx, table: Tabel, row: int, column: str, value, parser, *args):
    try:
        return parser(value, *args)
    except _Bad as exc:
        shown = "" if value is None else (f"{value:%Y-%m-%d}" if isinstance(value, dt.date) else str(value))
        prefix = f"'{shown}' " if shown else ""
        ctx.add(table, row, column, shown or None, prefix + str(exc))
        return None


def _formula_note(ctx: _Ctx, texts) -> None:
    risky = [t for t in texts if isinstance(t, str) and t.startswith(FORMULA_START)]
    if risky:
        ctx.notes.append(bahasa.t("impor.teks_rumus", n=len(risky)))


def _observasi(ctx: _Ctx, tables: list[Tabel], berkas: str) -> pd.DataFrame:
    wide = [t for t in tables if t.lembar and re.match(r"^\s*\d{4}-\d{1,2}\s*$", t.lembar)]
    records = []
    if wide:
        for table in tables:
            if table not in wide:
                ctx.problems.append(Masalah(bahasa.t("impor.lembar_bukan_bulan", lembar=table.lembar), table.lembar))
        for table in wide:
            month = _parse(ctx, table, None, None, table.lembar.strip(), bulan, ctx.today)
            if month is None:
                continue
            indicator_cols = [h for h in table.header if h in ctx.indikator.index]
            if "kode_kecamatan" not in table.header:
                ctx.problems.append(Masalah(bahasa.t("impor.lebar_tanpa_kode"), table.lembar, None, "kode_kecamatan"))
                continue
            for position, name in enumerate(table.header):
                if name and name not in ("kode_kecamatan", "kecamatan", "sumber", "catatan") and name not in indicator_cols:
                    names = dict(zip(ctx.indikator.index, bahasa.names(ctx.indikator)))
                    ctx.problems.append(Masalah(bahasa.t("impor.bukan_kode_indikator", nama=name)
                                                + _suggest(name, list(names)), table.lembar, 1, name, name))
            style = number_style(v for _, vals in _rows(table) for c, v in vals.items() if c in indicator_cols)
            for row, values in _rows(table):
                filled = [c for c in indicator_cols if values.get(c) is not None]
                if not filled:
                    continue
                kode = _kec(ctx, table, row, values.get("kode_kecamatan"))
                for column in filled:
                    nilai = _parse(ctx, table, row, column, values[column], angka, style)
                    if nilai is None or not _in_range(ctx, table, row, column, column, nilai):
                        continue
                    records.append({"kode_kecamatan": kode, "periode": month, "indikator": column, "nilai": nilai,
                                    "sumber": _text(values.get("sumber")), "catatan": _text(values.get("catatan")),
                                    "_lembar": table.lembar, "_baris": row})
    else:
        required, optional = COLUMNS["observasi"]
        for table in tables:
            if not _check_header(ctx, table, required, optional):
                continue
            style = number_style(values.get("nilai") for _, values in _rows(table))
            for row, values in _rows(table):
                kode = _kec(ctx, table, row, values.get("kode_kecamatan"))
                month = _parse(ctx, table, row, "periode", values.get("periode"), bulan, ctx.today)
                indikator = _ind(ctx, table, row, values.get("indikator"))
                nilai = _parse(ctx, table, row, "nilai", values.get("nilai"), angka, style)
                if indikator and nilai is not None:
                    _in_range(ctx, table, row, "nilai", indikator, nilai)
                records.append({"kode_kecamatan": kode, "periode": month, "indikator": indikator, "nilai": nilai,
                                "sumber": _text(values.get("sumber")), "catatan": _text(values.get("catatan")),
                                "_lembar": table.lembar, "_baris": row})
    frame = pd.DataFrame(records, columns=["kode_kecamatan", "periode", "indikator", "nilai", "sumber", "catatan",
                                           "_lembar", "_baris"])
    _duplicates(ctx, frame, ["kode_kecamatan", "periode", "indikator"], "nilai")
    frame["sumber"] = frame["sumber"].fillna(DEFAULT_SUMBER)
    _formula_note(ctx, list(frame["sumber"]) + list(frame["catatan"]))
    return frame


def _duplicates(ctx: _Ctx, frame: pd.DataFrame, key: list[str], value: str | None, column: str | None = None) -> None:
    complete = frame.dropna(subset=key)
    seen: dict[tuple, tuple] = {}
    for record in complete.to_dict("records"):
        k = tuple(record[c] for c in key)
        if k in seen:
            first = seen[k]
            where = (bahasa.t("impor.di_baris_lembar", baris=first["_baris"], lembar=first["_lembar"])
                     if first["_lembar"] else bahasa.t("impor.di_baris", baris=first["_baris"]))
            shown = ", ".join(str(per.fmt(v) if c == "periode" else v) for c, v in zip(key, k))
            if value is None or first[value] == record[value]:
                msg = bahasa.t("impor.baris_ganda", kunci=shown, tempat=where)
            else:
                msg = bahasa.t("impor.bertentangan", tempat=where, kunci=shown, sana=_fmt(first[value]),
                               sini=_fmt(record[value]))
            ctx.problems.append(Masalah(msg, record["_lembar"], record["_baris"], value or column,
                                        None if value is None else record[value]))
        else:
            seen[k] = record


def _semester(ctx: _Ctx, table: Tabel, row: int, value) -> int | None:
    """Month index of the semester's last month (06 or 12), from YYYY-MM, a date or YYYY-S1/S2."""
    text = _text(value) if not isinstance(value, (dt.date, dt.datetime)) else None
    match = re.match(r"^(\d{4})-?S([12])$", text or "", re.IGNORECASE)
    if match:
        end = int(match.group(1)) * 12 + (5 if match.group(2) == "1" else 11)
    else:
        month = _parse(ctx, table, row, "periode", value, bulan, ctx.today)
        if month is None:
            return None
        end = month - month % 12 + (5 if month % 12 < 6 else 11)
    if end > per.from_date(ctx.today):
        ctx.add(table, row, "periode", text or str(value),
                bahasa.t("impor.semester_belum_selesai", bulan=per.fmt(end)))
        return None
    if end < per.parse(EARLIEST):
        ctx.add(table, row, "periode", text or str(value), bahasa.t("impor.semester_terlalu_awal", awal=EARLIEST))
        return None
    return end


def _skm(ctx: _Ctx, tables: list[Tabel]) -> tuple[pd.DataFrame, pd.DataFrame]:
    required, optional = COLUMNS["skm"]
    records = []
    for table in tables:
        if not _check_header(ctx, table, required, optional, extra_ok=lambda n: True):
            continue
        for row, values in _rows(table):
            kode = _kec(ctx, table, row, values.get("kode_kecamatan"))
            end = _semester(ctx, table, row, values.get("periode"))
            responden = _text(values.get("responden"))
            if responden is None:
                ctx.add(table, row, "responden", None, bahasa.t("impor.responden_kosong"))
            answers = {u: _parse(ctx, table, row, u, values.get(u), bulat, 1, 4) for u in ikm_mod.UNSUR}
            records.append({"kode_kecamatan": kode, "periode": end, "responden": responden, **answers,
                            "_lembar": table.lembar, "_baris": row})
    raw = pd.DataFrame(records, columns=["kode_kecamatan", "periode", "responden", *ikm_mod.UNSUR, "_lembar", "_baris"])
    _duplicates(ctx, raw, ["kode_kecamatan", "periode", "responden"], None, "responden")
    if ctx.problems or raw.empty:
        return raw, pd.DataFrame()
    result = ikm_mod.ikm_from_responses(raw, by=["kode_kecamatan", "periode"])
    small = result[result["sampel_kecil"]]
    for r in small.itertuples():
        ctx.notes.append(bahasa.t("impor.sampel_kecil", kode=r.kode_kecamatan, bulan=per.fmt(r.periode),
                                  n=r.responden, minimum=ikm_mod.MIN_RESPONDENTS))
    return raw, result


def _adopsi(ctx: _Ctx, tables: list[Tabel]) -> pd.DataFrame:
    required, optional = COLUMNS["adopsi"]
    records = []
    for table in tables:
        if not _check_header(ctx, table, required, optional):
            continue
        for row, values in _rows(table):
            kode = _kec(ctx, table, row, values.get("kode_kecamatan"), asahan_only=True)
            inovasi = _text(values.get("inovasi"))
            if inovasi is None or inovasi.lower() not in ctx.inovasi:
                ctx.add(table, row, "inovasi", inovasi, bahasa.t("impor.inovasi_tak_ada", inovasi=inovasi or "")
                        + _suggest((inovasi or "").lower(), ctx.inovasi))
                inovasi = None
            tahap = _parse(ctx, table, row, "tahap", values.get("tahap"), bulat, 0, 4)
            day = _parse(ctx, table, row, "tanggal", values.get("tanggal"), tanggal, ctx.today)
            records.append({"kode_kecamatan": kode, "inovasi": inovasi and inovasi.lower(), "tahap": tahap,
                            "tanggal": day, "bukti": _text(values.get("bukti")), "oleh": _text(values.get("oleh")),
                            "_lembar": table.lembar, "_baris": row})
    frame = pd.DataFrame(records, columns=["kode_kecamatan", "inovasi", "tahap", "tanggal", "bukti", "oleh",
                                           "_lembar", "_baris"])
    _duplicates(ctx, frame, ["kode_kecamatan", "inovasi", "tahap", "tanggal"], None, "tahap")
    _formula_note(ctx, list(frame["bukti"]) + list(frame["oleh"]))
    return frame


def _target(ctx: _Ctx, tables: list[Tabel]) -> pd.DataFrame:
    required, optional = COLUMNS["target"]
    records = []
    for table in tables:
        if not _check_header(ctx, table, required, optional):
            continue
        by_stage = "inovasi" in table.header
        if not by_stage and not {"indikator", "nilai"} <= set(table.header):
            ctx.problems.append(Masalah(bahasa.t("impor.target_kolom"), table.lembar))
            continue
        for row, values in _rows(table):
            raw_kode = values.get("kode_kecamatan")
            kode = None if _text(raw_kode) is None else _kec(ctx, table, row, raw_kode, asahan_only=True)
            day = _parse(ctx, table, row, "tanggal", values.get("tanggal"), tanggal, ctx.today, True)
            record = {"kode_kecamatan": kode, "tanggal": day, "_lembar": table.lembar, "_baris": row,
                      "inovasi": None, "tahap": None, "indikator": None, "nilai": None}
            if by_stage:
                inovasi = _text(values.get("inovasi"))
                if inovasi is None or inovasi.lower() not in ctx.inovasi:
                    ctx.add(table, row, "inovasi", inovasi, bahasa.t("impor.inovasi_tak_ada", inovasi=inovasi or "")
                            + _suggest((inovasi or "").lower(), ctx.inovasi))
                else:
                    record["inovasi"] = inovasi.lower()
                record["tahap"] = _parse(ctx, table, row, "tahap", values.get("tahap"), bulat, 1, 4)
            else:
                record["indikator"] = _ind(ctx, table, row, values.get("indikator"))
                record["nilai"] = _parse(ctx, table, row, "nilai", values.get("nilai"), angka)
                if record["indikator"] and record["nilai"] is not None:
                    _in_range(ctx, table, row, "nilai", record["indikator"], record["nilai"])
            records.append(record)
    frame = pd.DataFrame(records, columns=["inovasi", "tahap", "indikator", "nilai", "tanggal", "kode_kecamatan",
                                           "_lembar", "_baris"])
    stages = frame[frame["inovasi"].notna()].assign(_k=lambda f: f["kode_kecamatan"].fillna("*"))
    _duplicates(ctx, stages, ["inovasi", "tahap", "_k"], "tanggal")
    values = frame[frame["indikator"].notna()].assign(_k=lambda f: f["kode_kecamatan"].fillna("*"))
    _duplicates(ctx, values, ["indikator", "tanggal", "_k"], "nilai")
    return frame


def _model(ctx: _Ctx, tables: list[Tabel]) -> pd.DataFrame:
    required, optional = COLUMNS["model"]
    records = []
    for table in tables:
        if not _check_header(ctx, table, required, optional):
            continue
        for row, values in _rows(table):
            indikator = _ind(ctx, table, row, values.get("indikator"))
            nilai = _parse(ctx, table, row, "nilai", values.get("nilai"), angka)
            sumber = _text(values.get("sumber"))
            if sumber is None:
                ctx.add(table, row, "sumber", None, bahasa.t("impor.sumber_kosong"))
            day = _parse(ctx, table, row, "tanggal", values.get("tanggal"), tanggal, ctx.today)
            if indikator and nilai is not None and _in_range(ctx, table, row, "nilai", indikator, nilai):
                problem = model_problem(ctx.indikator.loc[indikator], nilai)
                if problem:
                    ctx.add(table, row, "nilai", _fmt(nilai), problem)
            records.append({"indikator": indikator, "nilai": nilai, "sumber": sumber, "tanggal": day,
                            "_lembar": table.lembar, "_baris": row})
    frame = pd.DataFrame(records, columns=["indikator", "nilai", "sumber", "tanggal", "_lembar", "_baris"])
    _duplicates(ctx, frame, ["indikator"], "nilai")
    return frame


def model_problem(row: pd.Series, model: float | None = None, lantai: float | None = None) -> str | None:
    """Why a model value / floor pair cannot be scored (the model must beat the floor), or None."""
    model = row["model"] if model is None else model
    lantai = row["lantai"] if lantai is None else lantai
    if pd.isna(row.get("pilar")) or pd.isna(lantai) or pd.isna(model):
        return None
    if row["arah"] == "higher" and not model > lantai:
        return bahasa.t("impor.model_lebih_tinggi", model=_fmt(model), lantai=_fmt(lantai))
    if row["arah"] == "lower" and not model < lantai:
        return bahasa.t("impor.model_lebih_rendah", model=_fmt(model), lantai=_fmt(lantai))
    return None


# --------------------------------------------------------------------------- roles


def check_role(jenis: str | None, kecamatan_codes, akun: dict | None) -> list[Masalah]:
    """Who may write what: None = the CLI (server administrator)."""
    if akun is None or jenis is None:
        return []
    peran = akun.get("peran")
    if peran == "admin":
        return []
    if peran != "operator":
        return [Masalah(bahasa.t("impor.hanya_melihat", nama=akun.get("nama"), peran=peran))]
    if jenis in ADMIN_ONLY:
        return [Masalah(bahasa.t("impor.jenis_hanya_admin", jenis=jenis))]
    own = akun.get("kode_kecamatan")
    if not own:
        return [Masalah(bahasa.t("impor.operator_tanpa_kode", nama=akun.get("nama")))]
    problems = []
    for lembar, baris, kode in kecamatan_codes:
        if kode is not None and kode != own:
            problems.append(Masalah(bahasa.t("impor.bukan_kecamatan_akun", kode=kode, milik=own),
                                    lembar, baris, "kode_kecamatan", kode))
    return problems


# --------------------------------------------------------------------------- dry run


def prepare(store: Store, content: bytes, berkas: str, jenis: str = "auto", akun: dict | None = None,
            today: dt.date | None = None) -> Rencana:
    """Read and validate a file and preview its changes; writes nothing."""
    berkas = Path(berkas or "berkas").name
    today = today or dt.date.today()
    sha = hashlib.sha256(content).hexdigest()
    tables, problems, notes = read(content, berkas)
    empty = pd.DataFrame()
    if problems:
        return Rencana(berkas, sha, content, None if jenis == "auto" else jenis, problems, notes, empty, empty)
    if jenis == "auto":
        jenis = _detect(tables)
        if jenis is None:
            headers = ", ".join(sorted({h for t in tables for h in t.header if h})) or bahasa.t("impor.tidak_ada")
            return Rencana(berkas, sha, content, None, [Masalah(
                bahasa.t("impor.jenis_tak_dikenali", judul=headers, pilihan=", ".join(JENIS)))], notes, empty, empty)
    if jenis not in JENIS:
        return Rencana(berkas, sha, content, None,
                       [Masalah(bahasa.t("impor.jenis_salah", jenis=jenis, pilihan=", ".join(JENIS)))],
                       notes, empty, empty)
    ctx = _Ctx(store, today, store.kecamatan(), store.indikator(), list(store.inovasi().index), notes=notes)
    extra: dict = {}
    if jenis == "observasi":
        records = _observasi(ctx, tables, berkas)
    elif jenis == "skm":
        records, result = _skm(ctx, tables)
        extra["skm"] = result
    elif jenis == "adopsi":
        records = _adopsi(ctx, tables)
    elif jenis == "target":
        records = _target(ctx, tables)
    else:
        records = _model(ctx, tables)
    rows = len(records)
    if not ctx.problems and records.empty:
        ctx.problems.append(Masalah(bahasa.t("impor.tanpa_nilai")))
    codes = []
    if "kode_kecamatan" in records.columns:
        codes = list(zip(records["_lembar"], records["_baris"], records["kode_kecamatan"]))
    ctx.problems.extend(check_role(jenis, codes, akun))
    plan = Rencana(berkas, sha, content, jenis, ctx.problems, ctx.notes, records, empty, rows, extra)
    if plan.ok:
        plan.perubahan = _diff(store.query, plan, exclude_demo=False)
    return plan


# --------------------------------------------------------------------------- changes

def _same_text(a, b) -> bool:
    a = None if a is None or (isinstance(a, float) and math.isnan(a)) or pd.isna(a) else a
    b = None if b is None or (isinstance(b, float) and math.isnan(b)) or pd.isna(b) else b
    return a == b


def _observation_rows(plan: Rencana) -> pd.DataFrame:
    if plan.jenis == "skm":
        result = plan.extra["skm"]
        return pd.DataFrame({
            "kode_kecamatan": result["kode_kecamatan"], "periode": result["periode"], "indikator": "ikm",
            "nilai": result["ikm"],
            "sumber": f"SKM berkas {plan.berkas} (PermenPAN-RB 14/2017)",
            "catatan": [f"{n} responden" + (" (sampel kecil)" if small else "")
                        for n, small in zip(result["responden"], result["sampel_kecil"])],
        })
    return plan.records[["kode_kecamatan", "periode", "indikator", "nilai", "sumber", "catatan"]]


def _diff(query, plan: Rencana, exclude_demo: bool) -> pd.DataFrame:
    """status baru / berubah / sama per row, with lama (current) and baru values; `query` is a
    Store.query or a connection's execute inside the write."""
    jenis = plan.jenis
    out = []
    if jenis in ("observasi", "skm"):
        incoming = _observation_rows(plan)
        current = store_mod.current_observations(query, incoming, with_demo=not exclude_demo)
        current["periode"] = [per.from_date(v) for v in current["periode"]]
        now = {(r.kode_kecamatan, r.periode, r.indikator): r for r in current.itertuples()}
        for r in incoming.itertuples():
            old = now.get((r.kode_kecamatan, r.periode, r.indikator))
            if old is None:
                status = "baru"
            elif abs(old.nilai - r.nilai) < 1e-9 and _same_text(old.sumber, r.sumber) \
                    and _same_text(old.catatan, r.catatan):
                status = "sama"
            else:
                status = "berubah"
            out.append({"status": status, "kode_kecamatan": r.kode_kecamatan, "periode": per.fmt(r.periode),
                        "kunci": r.indikator, "lama": None if old is None else old.nilai, "baru": r.nilai,
                        "lama_demo": None if old is None else bool(old.demo)})
    elif jenis == "adopsi":
        current = query("""SELECT a.kode_kecamatan, a.inovasi, a.tahap, a.tanggal FROM adopsi a
                           JOIN batch b ON b.id = a.batch
                           WHERE a.batch NOT IN (SELECT batch FROM batch_batal)
                             AND a.id NOT IN (SELECT adopsi_id FROM adopsi_batal) AND ($semua_demo OR NOT b.demo)""",
                        {"semua_demo": not exclude_demo})
        have = {(r.kode_kecamatan, r.inovasi, int(r.tahap), pd.Timestamp(r.tanggal).date())
                for r in current.itertuples()}
        for r in plan.records.itertuples():
            key = (r.kode_kecamatan, r.inovasi, int(r.tahap), r.tanggal)
            out.append({"status": "sama" if key in have else "baru", "kode_kecamatan": r.kode_kecamatan,
                        "periode": f"{r.tanggal:%Y-%m-%d}",
                        "kunci": bahasa.t("impor.kunci_adopsi", inovasi=r.inovasi, tahap=r.tahap),
                        "lama": None, "baru": float(r.tahap), "lama_demo": None})
    elif jenis == "target":
        stages = query("""SELECT t.inovasi, t.tahap, t.kode_kecamatan, t.tanggal FROM target t JOIN batch b ON b.id = t.batch
                          WHERE t.batch NOT IN (SELECT batch FROM batch_batal) AND ($semua_demo OR NOT b.demo)
                          QUALIFY row_number() OVER (PARTITION BY t.inovasi, t.tahap, t.kode_kecamatan
                                                     ORDER BY b.waktu DESC, b.id DESC) = 1""",
                       {"semua_demo": not exclude_demo})
        stage_now = {(r.inovasi, int(r.tahap), None if pd.isna(r.kode_kecamatan) else r.kode_kecamatan):
                     pd.Timestamp(r.tanggal).date() for r in stages.itertuples()}
        values = query("""SELECT t.indikator, t.tanggal, t.kode_kecamatan, t.nilai FROM target_indikator t
                          JOIN batch b ON b.id = t.batch
                          WHERE t.batch NOT IN (SELECT batch FROM batch_batal) AND ($semua_demo OR NOT b.demo)
                          QUALIFY row_number() OVER (PARTITION BY t.indikator, t.tanggal, t.kode_kecamatan
                                                     ORDER BY b.waktu DESC, b.id DESC) = 1""",
                       {"semua_demo": not exclude_demo})
        value_now = {(r.indikator, pd.Timestamp(r.tanggal).date(),
                      None if pd.isna(r.kode_kecamatan) else r.kode_kecamatan): r.nilai for r in values.itertuples()}
        for r in plan.records.itertuples():
            kode = None if pd.isna(r.kode_kecamatan) else r.kode_kecamatan
            if isinstance(r.inovasi, str):
                old = stage_now.get((r.inovasi, int(r.tahap), kode))
                status = "baru" if old is None else ("sama" if old == r.tanggal else "berubah")
                out.append({"status": status, "kode_kecamatan": kode or bahasa.t("impor.semua_kecamatan"),
                            "periode": f"{r.tanggal:%Y-%m-%d}",
                            "kunci": bahasa.t("impor.kunci_target", inovasi=r.inovasi, tahap=int(r.tahap)),
                            "lama": None if old is None else f"{old:%Y-%m-%d}",
                            "baru": f"{r.tanggal:%Y-%m-%d}", "lama_demo": None})
            else:
                old = value_now.get((r.indikator, r.tanggal, kode))
                status = "baru" if old is None else ("sama" if abs(old - r.nilai) < 1e-9 else "berubah")
                out.append({"status": status, "kode_kecamatan": kode or bahasa.t("impor.semua_kecamatan"),
                            "periode": f"{r.tanggal:%Y-%m-%d}", "kunci": r.indikator, "lama": old, "baru": r.nilai, "lama_demo": None})
    elif jenis == "model":
        current = query(f"""WITH e AS ({store_mod._EDITS_SQL})
                            SELECT m.indikator, coalesce(e.nilai, m.nilai) AS nilai, CASE WHEN e.nilai IS NULL THEN m.sumber ELSE e.sumber END AS sumber,
                                   CASE WHEN e.nilai IS NULL THEN m.tanggal ELSE e.tanggal END AS tanggal
                            FROM model m LEFT JOIN e ON e.jenis = 'model' AND e.kode = m.indikator""", {})
        now = {r.indikator: r for r in current.itertuples()}
        for r in plan.records.itertuples():
            old = now.get(r.indikator)
            same = old is not None and abs(old.nilai - r.nilai) < 1e-9 and old.sumber == r.sumber \
                and pd.Timestamp(old.tanggal).date() == r.tanggal
            out.append({"status": "baru" if old is None else ("sama" if same else "berubah"), "kode_kecamatan": "",
                        "periode": f"{r.tanggal:%Y-%m-%d}", "kunci": r.indikator,
                        "lama": None if old is None else old.nilai, "baru": r.nilai, "lama_demo": None})
    return pd.DataFrame(out, columns=["status", "kode_kecamatan", "periode", "kunci", "lama", "baru", "lama_demo"])


class _NothingToDo(Exception):
    pass


def impor(store: Store, plan: Rencana, oleh: str, demo: str | None = None, akun: dict | None = None,
          data_dir: Path = DATA_DIR) -> Hasil:
    """Write a validated plan as one batch (backup first). demo: 'hapus' removes every demo
    value in the same transaction, 'pertahankan' keeps them; None is refused while demo exists.

    Raises Ditolak (plan has problems), DemoBelumDiputuskan, RejectedChange."""
    if not plan.ok:
        raise Ditolak(plan.masalah)
    codes = list(zip(plan.records["_lembar"], plan.records["_baris"], plan.records["kode_kecamatan"])) \
        if "kode_kecamatan" in plan.records.columns else []
    refused = check_role(plan.jenis, codes, akun)
    if refused:
        raise Ditolak(refused)
    if not str(oleh or "").strip():
        raise RejectedChange(bahasa.t("impor.oleh_wajib"))
    if demo not in (None, "hapus", "pertahankan"):
        raise ValueError(demo)
    has_demo = store.has_demo()
    if demo != "hapus" or not has_demo:
        unchanged = _diff(store.query, plan, exclude_demo=False)
        if not unchanged["status"].isin(["baru", "berubah"]).any():
            return Hasil(None, 0, 0, len(unchanged))  # imported before: nothing to decide or write
    if has_demo and demo is None:
        raise DemoBelumDiputuskan(bahasa.t("impor.demo_belum_diputuskan"))
    remove = has_demo and demo == "hapus"
    preview = _diff(store.query, plan, exclude_demo=remove)
    counts = {k: int((preview["status"] == k).sum()) for k in ("baru", "berubah", "sama")}
    if counts["baru"] + counts["berubah"] == 0 and not remove:
        return Hasil(None, **counts)
    if remove and akun is not None and akun.get("peran") != "admin":
        raise RejectedChange(bahasa.t("impor.hapus_demo_admin"))
    state = {}

    def change(con, batch_id):
        query = lambda sql, params: con.execute(sql, params).df()
        removed = writer.remove_demo(con, data_dir) if remove else 0
        diff = _diff(query, plan, exclude_demo=remove)
        n = {k: int((diff["status"] == k).sum()) for k in ("baru", "berubah", "sama")}
        if n["baru"] + n["berubah"] == 0 and not remove:
            raise _NothingToDo
        _insert(con, plan, diff, batch_id, oleh.strip())
        # The batch note is audit data stored in the database: Indonesian whatever the interface language.
        note = f"data contoh dihapus ({removed} baris)" if remove else (
            "data contoh dipertahankan" if has_demo else None)
        writer.summarise(con, batch_id, plan.baris, n["baru"], n["berubah"], n["sama"], note)
        state.update(n, removed=removed)
        return batch_id

    try:
        batch_id = store.write(change, jenis=plan.jenis, oleh=oleh.strip(), berkas=plan.berkas, content=plan.content,
                               backup=True)
    except _NothingToDo:
        return Hasil(None, **counts)
    return Hasil(batch_id, state["baru"], state["berubah"], state["sama"], state["removed"])


def _insert(con, plan: Rencana, diff: pd.DataFrame, batch_id: str, oleh: str) -> None:
    write = diff["status"].isin(["baru", "berubah"]).to_numpy()
    if plan.jenis in ("observasi", "skm"):
        rows = _observation_rows(plan).reset_index(drop=True)[write].copy()
        rows["periode"] = [per.to_date(m) for m in rows["periode"]]
        rows["batch"] = batch_id
        con.register("incoming", rows)
        con.execute("INSERT INTO observasi SELECT kode_kecamatan, periode, indikator, nilai, sumber, catatan, batch "
                    "FROM incoming")
        con.unregister("incoming")
        if plan.jenis == "skm":
            result = plan.extra["skm"].reset_index(drop=True)[write].copy()
            result["periode"] = [per.to_date(m) for m in result["periode"]]
            result["batch"] = batch_id
            cols = ["kode_kecamatan", "periode", "responden", *[f"nrr_{u}" for u in ikm_mod.UNSUR], "ikm", "mutu",
                    "batch"]
            con.register("incoming", result[cols])
            con.execute(f"INSERT INTO skm_hasil ({', '.join(cols)}) SELECT * FROM incoming")
            con.unregister("incoming")
    elif plan.jenis == "adopsi":
        rows = plan.records.reset_index(drop=True)[write].copy()
        rows["id"] = [secrets.token_hex(8) for _ in range(len(rows))]
        rows["oleh"] = rows["oleh"].fillna(oleh)
        rows["batch"] = batch_id
        rows = rows.reset_index(drop=True)
        rows["n"] = range(1, len(rows) + 1)
        con.register("incoming", rows[["n", "id", "kode_kecamatan", "inovasi", "tahap", "tanggal", "bukti", "oleh",
                                       "batch"]])
        con.execute("""INSERT INTO adopsi SELECT (SELECT coalesce(max(urutan), 0) FROM adopsi) + n, id, kode_kecamatan,
                       inovasi, tahap, tanggal, bukti, oleh, batch FROM incoming""")
        con.unregister("incoming")
    elif plan.jenis == "target":
        rows = plan.records.reset_index(drop=True)[write].copy()
        rows["batch"] = batch_id
        stages = rows[rows["inovasi"].notna()]
        values = rows[rows["indikator"].notna()]
        if len(stages):
            con.register("incoming", stages[["inovasi", "tahap", "tanggal", "kode_kecamatan", "batch"]]
                         .astype({"tahap": int}))
            con.execute("INSERT INTO target SELECT * FROM incoming")
            con.unregister("incoming")
        if len(values):
            con.register("incoming", values[["indikator", "nilai", "tanggal", "kode_kecamatan", "batch"]]
                         .astype({"nilai": float}))
            con.execute("INSERT INTO target_indikator SELECT * FROM incoming")
            con.unregister("incoming")
    elif plan.jenis == "model":
        rows = plan.records.reset_index(drop=True)[write].copy()
        for r in rows.itertuples():
            con.execute("INSERT INTO katalog_ubah VALUES ('model', $k, $n, $s, $t, $b)",
                        {"k": r.indikator, "n": r.nilai, "s": r.sumber, "t": r.tanggal, "b": batch_id})


# --------------------------------------------------------------------------- catalogue editors


def edit_catalogue(store: Store, jenis: str, kode: str, nilai: float, oleh: str, akun: dict | None = None,
                   sumber: str | None = None, tanggal: dt.date | None = None) -> str:
    """One admin edit of a model value, a floor or a pillar weight, as its own batch. Returns it."""
    if akun is not None and akun.get("peran") != "admin":
        raise RejectedChange(bahasa.t("impor.katalog_hanya_admin"))
    if not str(oleh or "").strip():
        raise RejectedChange(bahasa.t("impor.pengubah_wajib"))
    try:
        nilai = float(nilai)
    except (TypeError, ValueError):
        raise RejectedChange(bahasa.t("impor.nilai_bukan_angka", nilai=nilai)) from None
    if math.isnan(nilai) or math.isinf(nilai):
        raise RejectedChange(bahasa.t("impor.nilai_tidak_sah"))
    if jenis == "bobot":
        if kode not in store.pilar().index:
            raise RejectedChange(bahasa.t("impor.pilar_tak_ada", kode=kode))
        if nilai < 0:
            raise RejectedChange(bahasa.t("impor.bobot_negatif"))
        others = store.pilar().drop(index=kode)["bobot"].sum()
        if nilai + others <= 0:
            raise RejectedChange(bahasa.t("impor.bobot_nol"))
    elif jenis in ("model", "lantai"):
        catalogue = store.indikator()
        if kode not in catalogue.index or pd.isna(catalogue.loc[kode, "pilar"]):
            raise RejectedChange(bahasa.t("impor.indikator_tak_dinilai", kode=kode))
        row = catalogue.loc[kode]
        if not row["batas_min"] <= nilai <= row["batas_max"]:
            raise RejectedChange(bahasa.t("impor.katalog_di_luar_rentang", nilai=_fmt(nilai), kode=kode,
                                          rendah=_fmt(row["batas_min"]), tinggi=_fmt(row["batas_max"])))
        problem = model_problem(row, model=nilai) if jenis == "model" else model_problem(row, lantai=nilai)
        if problem:
            raise RejectedChange(problem[0].upper() + problem[1:])
        if jenis == "model":
            if not str(sumber or "").strip():
                raise RejectedChange(bahasa.t("impor.sumber_model_wajib"))
            tanggal = tanggal or dt.date.today()
    else:
        raise ValueError(jenis)

    def change(con, batch_id):
        con.execute("INSERT INTO katalog_ubah VALUES ($j, $k, $n, $s, $t, $b)",
                    {"j": jenis, "k": kode, "n": nilai, "s": (sumber or "").strip() or None, "t": tanggal,
                     "b": batch_id})
        writer.summarise(con, batch_id, 1, 0, 1, 0, f"{jenis} {kode} → {_fmt(nilai, 'id')}")  # stored: Indonesian
        return batch_id

    return store.write(change, jenis=f"katalog-{jenis}", oleh=oleh.strip(), berkas="penyunting katalog", backup=True)
