"""Numbers and months as Indonesian readers expect them (1.234,5 · Desember 2024), via Babel.

One place for formats, so every page, chart and export says the same thing the same way.
Missing values are shown as an em dash, never as zero.
"""

from __future__ import annotations

import pandas as pd
from babel.dates import format_date
from babel.numbers import format_decimal

from metrics import periode as per

LOCALE = "id"
MISSING = "—"


def _missing(value) -> bool:
    """None, NaN and pandas' NA are all 'missing'."""
    return value is None or bool(pd.isna(value))


def angka(value, decimals: int = 1) -> str:
    """1234.5 -> '1.234,5'."""
    if _missing(value):
        return MISSING
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=LOCALE)


def nilai(value, satuan: str, decimals: int = 1) -> str:
    """A value with its unit: '65,0 menit', '70,0 %'; scales such as 'indeks 0–5' add nothing."""
    if _missing(value):
        return MISSING
    if satuan.startswith(("indeks", "skor")):
        return angka(value, decimals)
    return f"{angka(value, decimals)} {satuan}"


def persen(fraction, decimals: int = 0) -> str:
    """0.705 -> '70,5 %' (Indonesian style puts a space before %)."""
    if _missing(fraction):
        return MISSING
    return f"{angka(fraction * 100, decimals)} %"


def bulan(index: int | None, short: bool = False) -> str:
    """Month index -> 'Desember 2024' (or 'Des 2024')."""
    if index is None:
        return MISSING
    return format_date(per.to_date(index), "MMM yyyy" if short else "MMMM yyyy", locale=LOCALE)


def tanggal(value, short: bool = False) -> str:
    """A date as '11 Desember 2024' (or '11 Des 2024'); missing as an em dash."""
    if _missing(value):
        return MISSING
    return format_date(pd.Timestamp(value).date(), "d MMM yyyy" if short else "d MMMM yyyy", locale=LOCALE)


def peringkat(rank) -> str:
    return MISSING if _missing(rank) else str(int(rank))


def gerak(change) -> str:
    """Rank movement: '▲ 3', '▼ 2', '= 0', or 'baru' when there was no previous rank."""
    if _missing(change):
        return "baru"
    change = int(change)
    if change > 0:
        return f"▲ {change}"
    if change < 0:
        return f"▼ {-change}"
    return "="
