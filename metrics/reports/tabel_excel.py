"""A table on screen as an Excel workbook (#15 "Unduh Excel"): the same rows and columns, numbers
numeric, a header block with the table's title, the period and DATA CONTOH when demo data shows.

Pages show numbers already formatted in the active language ("1.234,5", "70 %"); a column whose
every non-missing cell is such a number is written back as numbers, with a cell number format
("#,##0.0", "0%") that Excel shows in the viewer's own locale (1.234,5 on an Indonesian Windows).
Anything else stays text, missing stays missing ("—"). Text a spreadsheet would run as a formula
(= + - @ …) gets an apostrophe, as in `tiru export` (metrics/data/export.py).
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

from metrics.core import bahasa, formatting
from metrics.core import periode as per
from metrics.core.bahasa import t
from metrics.data.export import neutralise
from metrics.presentation import berkas

HEADER_ROWS = 5  # title, period, DATA CONTOH and the month's state, made-with, blank; the table starts below
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _number_pattern() -> re.Pattern:
    """A number as formatting.angka writes it in the active language, optionally signed (a movement,
    presentation/tampil.bertanda) or a percentage."""
    group, decimal = (r"\.", ",") if bahasa.aktif() == "id" else (",", r"\.")
    return re.compile(rf"^([-−+]?)(\d{{1,3}}(?:{group}\d{{3}})*|\d+)(?:{decimal}(\d+))?(\s?%)?$")


def _count_pattern() -> re.Pattern:
    """'11 dari 25' as t('istilah.kpi.dari') writes a count in the active language."""
    text = re.escape(t("istilah.kpi.dari", n="NNN", total="TTT"))
    return re.compile("^" + text.replace("NNN", r"(\d+)").replace("TTT", r"(\d+)") + "$")


def _parse(text: str, pattern: re.Pattern) -> tuple[float, str] | None:
    """'1.234,5' -> (1234.5, '#,##0.0'); '70 %' -> (0.7, '0%'); '+0,4' -> (0.4, signed format);
    '11 dari 25' -> (11, '0" dari 25"'); None when not a plain number."""
    count = _count_pattern().match(text.strip())
    if count:
        shown = t("istilah.kpi.dari", n="0", total=count.group(2)).replace("0", "", 1).replace('"', "")
        return int(count.group(1)), f'0"{shown}"'
    match = pattern.match(text.strip())
    if not match:
        return None
    sign, whole, fraction, percent = match.groups()
    digits = re.sub(r"\D", "", whole)
    value = float(f"{digits}.{fraction}" if fraction else digits) * (-1 if sign in ("-", "−") else 1)
    places = len(fraction or "")
    body = "#,##0" + ("." + "0" * places if places else "")
    if percent:
        return value / 100, "0" + ("." + "0" * places if places else "") + "%"
    if sign == "+":
        return value, f'+{body};"−"{body};{body}'  # a movement: the sign shown, as on the page
    return value, body


def numeric(values: pd.Series) -> list[tuple[float, str] | None] | None:
    """The column as (number, number format) per cell (None where missing), or None when some
    non-missing cell is not a number as the app formats numbers."""
    if pd.api.types.is_bool_dtype(values):
        return None
    if pd.api.types.is_numeric_dtype(values):
        return [None if pd.isna(v) else (float(v), "#,##0" if float(v).is_integer() and
                                          pd.api.types.is_integer_dtype(values) else "#,##0.0") for v in values]
    pattern, out, found = _number_pattern(), [], False
    for v in values:
        if isinstance(v, (list, tuple, np.ndarray)):
            return None  # a sparkline's values: written as text (_cell)
        if (
            v is None
            or (not isinstance(v, str) and pd.isna(v))
            or (isinstance(v, str) and v.strip() in ("", formatting.MISSING))
        ):
            out.append(None)
            continue
        parsed = _parse(v, pattern) if isinstance(v, str) else None
        if parsed is None:
            return None
        out.append(parsed)
        found = True
    if not found:
        return None
    signed = next((o[1] for o in out if o and o[1].startswith("+")), None)
    if signed:  # a movement column: every number in it with its sign, 0,0 included
        out = [(o[0], signed) if o else None for o in out]
    return out


def sheet_title(name: str) -> str:
    """A valid sheet name: no []:*?/\\ and at most 31 characters."""
    return _SHEET_FORBIDDEN.sub(" ", str(name)).strip()[:31] or "Tiru"


def _cell(value):
    if value is None or (not isinstance(value, (list, tuple, dict, np.ndarray)) and pd.isna(value)):
        return None
    if isinstance(value, (list, tuple, np.ndarray)):  # a sparkline: its values as the app writes numbers
        return formatting.tanpa_kendali("; ".join(formatting.angka(v, 1) if isinstance(v, (int, float, np.number))
                                                  else str(v) for v in value))
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value if isinstance(value, (int, float, dt.date)) else formatting.tanpa_kendali(str(value))


def to_bytes(frame: pd.DataFrame, judul: str, periode: int | None, demo: bool, today: dt.date | None = None,
             keadaan: str = "") -> bytes:
    """The workbook: a header block, then the table with bold column names; numbers numeric. `keadaan` is
    the month's state and source (presentation/keadaan.py), written beside DATA CONTOH."""
    if hasattr(frame, "data") and not isinstance(frame, pd.DataFrame):  # a pandas Styler
        frame = frame.data
    frame = frame.reset_index(drop=True)
    judul = formatting.tanpa_kendali(
        re.sub(r"[*#]+", "", judul).strip(), "", satu_baris=True
    )  # headings carry Markdown
    columns = [str(c) for c in frame.columns]
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title(judul)
    sheet.cell(1, 1, f"Tiru · {judul}").font = Font(bold=True, size=13)
    sheet.cell(2, 1, t("bagikan.excel.tanpa_periode") if periode is None
               else t("bagikan.excel.periode", bulan=formatting.bulan(periode), kode=per.fmt(periode)))
    if demo:
        sheet.cell(3, 1, " · ".join(x for x in (t("bagikan.teks.data_contoh"), keadaan) if x)).font = Font(
            bold=True, color="C00000")
    elif keadaan:
        sheet.cell(3, 1, keadaan)
    sheet.cell(4, 1, t("bagikan.excel.dibuat", tanggal=formatting.tanggal(today or dt.date.today())))
    top = HEADER_ROWS + 1
    for j, name in enumerate(columns, start=1):
        sheet.cell(top, j, neutralise(pd.DataFrame({"c": [name]}))["c"].iloc[0]).font = Font(bold=True)
    safe = neutralise(frame.astype({c: object for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])}))
    for j, column in enumerate(frame.columns, start=1):
        numbers = numeric(frame[column])
        width = len(columns[j - 1])
        for i, value in enumerate(safe[column], start=top + 1):
            if numbers is not None and numbers[i - top - 1] is not None:
                cell = sheet.cell(i, j, numbers[i - top - 1][0])
                cell.number_format = numbers[i - top - 1][1]
            else:
                cell = sheet.cell(i, j, _cell(value))
            width = max(width, len(str(value)) if value is not None else 0)
        sheet.column_dimensions[cell.column_letter].width = min(max(8, width + 2), 60)
    sheet.freeze_panes = sheet.cell(top + 1, 1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def safe_bytes(frame, judul: str, periode: int | None, demo: bool, today: dt.date | None = None,
               keadaan: str = "") -> bytes:
    """to_bytes, or — when the table cannot be written — a workbook that says so, so that "Unduh
    Excel" never ends in nothing (the download is built on click, where no message can be shown)."""
    try:
        return to_bytes(frame, judul, periode, demo, today, keadaan)
    except Exception as exc:  # any failure becomes a message in the file
        logging.getLogger(__name__).exception("Excel: %s", judul)
        book = Workbook()
        sheet = book.active
        sheet.title = "Tiru"
        sheet.cell(1, 1, t("bagikan.excel.gagal", judul=re.sub(r"[*#]+", "", str(judul)).strip(),
                           galat=type(exc).__name__)).font = Font(bold=True, color="C00000")
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()


def filename(name: str, periode: int | None) -> str:
    """'tiru-peringkat-2026-09.xlsx': ASCII, no spaces (presentation/berkas.py)."""
    return berkas.nama("tiru", berkas.bagian(name) or "tabel", None if periode is None else per.fmt(periode),
                       akhiran="xlsx")
