"""Parsing one cell: numbers (angka, bulat), months (bulan), dates (tanggal), text, suggestions.

A parser raises BadValue with what was expected; the validation turns it into a Masalah.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re

from metrics.core import bahasa
from metrics.core import periode as per

EARLIEST = "2020-01"
# Patterns are ASCII-only: Python's \d (and int(), float(), strptime) also take full-width (５０) and
# Arabic-Indic (٥٠) digits, which no export or spreadsheet formula reads back as the same number.

_INT = re.compile(r"^[+-]?\d+$", re.ASCII)
_COMMA_DEC = re.compile(r"^[+-]?\d+,\d+$", re.ASCII)
_ID_FULL = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+,\d+$", re.ASCII)
_ID_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3}){2,}$", re.ASCII)
_AMBIGUOUS = re.compile(r"^[+-]?\d{1,3}\.\d{3}$", re.ASCII)
_DOT_DEC = re.compile(r"^[+-]?\d+\.\d+$", re.ASCII)
_AMBIGUOUS_COMMA = re.compile(r"^[+-]?[1-9]\d{0,2},\d{3}$", re.ASCII)  # 1,234: a decimal, or thousands in English


class BadValue(ValueError):
    """A cell that does not parse; the message says what was expected."""


def number_style(values) -> str | None:
    """'id' when the column writes decimals with a comma (12,5 · 1.234,5), 'en' when some value has a
    dot decimal that cannot be a thousands separator (12.5 · 64.99074); None when undecided."""
    texts = [str(v).replace(" ", "").rstrip("%") for v in values if isinstance(v, str)]
    if any((_COMMA_DEC.match(t) and not _AMBIGUOUS_COMMA.match(t)) or _ID_FULL.match(t) or _ID_THOUSANDS.match(t)
           for t in texts):
        return "id"
    if any(_DOT_DEC.match(t) and not _AMBIGUOUS.match(t) for t in texts):
        return "en"
    return None


def angka(value, style: str | None = None) -> float:
    """An Indonesian or plain number; raises BadValue with the expectation. `style` (number_style of the
    column) settles '1.234': 'id' reads 1234, 'en' reads 1,234; None refuses it as ambiguous. '1,234'
    likewise: 'id' reads one comma two three four; 'en' and None refuse it (never silently about one)."""
    if value is None:
        raise BadValue(bahasa.t("impor.angka_kosong", harapan=bahasa.t("impor.contoh_angka")))
    if isinstance(value, (bool, dt.date, dt.datetime)):
        raise BadValue(bahasa.t("impor.bukan_angka", harapan=bahasa.t("impor.contoh_angka")))
    if isinstance(value, (int, float)):
        if math.isnan(value) or math.isinf(value):
            raise BadValue(bahasa.t("impor.bukan_angka", harapan=bahasa.t("impor.contoh_angka")))
        return float(value)
    text = str(value).replace(" ", "").replace("\u00a0", "")
    text = text.removesuffix("%")
    if any(c.isdigit() and not c.isascii() for c in text):
        raise BadValue(bahasa.t("impor.angka_bukan_ascii"))
    if _INT.match(text) or _DOT_DEC.match(text):
        if _AMBIGUOUS.match(text) and style == "id":
            return float(text.replace(".", ""))
        if _AMBIGUOUS.match(text) and style != "en":
            raise BadValue(bahasa.t("impor.ambigu"))
        return float(text)
    if _COMMA_DEC.match(text):
        if _AMBIGUOUS_COMMA.match(text) and style != "id":
            raise BadValue(bahasa.t("impor.ambigu_koma"))
        return float(text.replace(",", "."))
    if _ID_FULL.match(text) or _ID_THOUSANDS.match(text):
        return float(text.replace(".", "").replace(",", "."))
    raise BadValue(bahasa.t("impor.bukan_angka", harapan=bahasa.t("impor.contoh_angka")))


def bulan(value, today: dt.date) -> int:
    """A month index from YYYY-MM or a date cell, within EARLIEST…this month."""
    if isinstance(value, (dt.datetime, dt.date)):
        index = per.from_date(value)
    elif value is None:
        raise BadValue(bahasa.t("impor.bulan_kosong"))
    else:
        text = str(value).strip()
        match = re.match(r"^(\d{4})-(\d{1,2})(-01)?$", text, re.ASCII)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise BadValue(bahasa.t("impor.bulan_salah"))
        index = int(match.group(1)) * 12 + int(match.group(2)) - 1
    _check_month(index, today)
    return index


def _check_month(index: int, today: dt.date) -> None:
    if index > per.from_date(today):
        raise BadValue(bahasa.t("impor.bulan_masa_depan", bulan=per.fmt(per.from_date(today))))
    if index < per.parse(EARLIEST):
        raise BadValue(bahasa.t("impor.bulan_terlalu_awal", awal=EARLIEST))


def tanggal(value, today: dt.date, future_ok: bool = False) -> dt.date:
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif value is None:
        raise BadValue(bahasa.t("impor.tanggal_kosong"))
    else:
        text = str(value).strip()
        day = None
        if not text.isascii():
            raise BadValue(bahasa.t("impor.tanggal_salah"))
        for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
            try:
                day = dt.datetime.strptime(text, pattern).date()
                break
            except ValueError:
                continue
        if day is None:
            raise BadValue(bahasa.t("impor.tanggal_salah"))
    if day < dt.date(2020, 1, 1):
        raise BadValue(bahasa.t("impor.tanggal_terlalu_awal"))
    if not future_ok and day > today:
        raise BadValue(bahasa.t("impor.tanggal_masa_depan", hari=f"{today:%Y-%m-%d}"))
    return day


def bulat(value, low: int, high: int) -> int:
    if value is None:
        raise BadValue(bahasa.t("impor.bulat_kosong", rendah=low, tinggi=high))
    try:
        number = angka(value)
    except BadValue:
        raise BadValue(bahasa.t("impor.bulat_salah", rendah=low, tinggi=high)) from None
    if number != int(number) or not low <= number <= high:
        raise BadValue(bahasa.t("impor.bulat_salah", rendah=low, tinggi=high))
    return int(number)


def text_or_none(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() or None


def suggest(value: str, options, names: dict[str, str] | None = None) -> str:
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



def fmt_value(value, kode: str | None = None) -> str:
    """A number with up to 4 decimals as the language writes it (1.234,5 / 1,234.5); `kode` fixes the
    language (notes stored in the database stay Indonesian). Anything else (a date) as text."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return str(value)
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    if (kode or bahasa.aktif()) == "en":
        return text
    return text.replace(",", "_").replace(".", ",").replace("_", ".")
