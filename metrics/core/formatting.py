"""Numbers and months in the active language, via Babel: 1.234,5 · Desember 2024 in
Indonesian, 1,234.5 · December 2024 in English (metrics/core/bahasa.py).

One place for formats, so every page, chart and export says the same thing the same way.
Missing values are shown as an em dash, never as zero.
"""

from __future__ import annotations

import decimal
import math
import re

import numpy as np
import pandas as pd
from babel.dates import format_date
from babel.numbers import format_decimal

from metrics.core import bahasa
from metrics.core import periode as per

LOCALES = {"id": "id", "en": "en"}
MISSING = "—"
# Between a number and its unit or '%': a no-break space, so a line never ends in '70,5' and starts
# with '%' (Indonesian typography writes '70,5 %'; English writes '70.5%', with nothing between).
NBSP = "\u00a0"
# Control characters (C0 but tab, line feed and carriage return; DEL; C1): a terminal runs them,
# an XLSX may not hold them (openpyxl's IllegalCharacterError), nobody types them on purpose.
KENDALI = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
KENDALI_SEMUA = re.compile("[\x00-\x1f\x7f-\x9f]")  # with tab and line breaks: for one-line names


def kendali(text: str) -> str | None:
    """The first control character of `text` as U+XXXX, or None."""
    found = KENDALI.search(text) if isinstance(text, str) else None
    return f"U+{ord(found.group()):04X}" if found else None


def tanpa_kendali(text, ganti: str = "\ufffd", satu_baris: bool = False):
    """`text` with each control character replaced (by U+FFFD, or by `ganti`); other values as they are."""
    if not isinstance(text, str):
        return text
    return (KENDALI_SEMUA if satu_baris else KENDALI).sub(ganti, text)


def locale() -> str:
    """The Babel locale of the active language."""
    return LOCALES[bahasa.aktif()]


def separators() -> str:
    """Plotly's `separators` (decimal mark, then thousands mark) for the active language."""
    return ",." if bahasa.aktif() == "id" else ".,"


def _missing(value) -> bool:
    """None, NaN and pandas' NA are all 'missing'."""
    return value is None or bool(pd.isna(value))


def angka(value, decimals: int = 1) -> str:
    """1234.5 -> '1.234,5'."""
    if _missing(value):
        return MISSING
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    try:
        return format_decimal(value, format=pattern, locale=locale())
    except (decimal.InvalidOperation, OverflowError, ValueError):  # inf, or too large for the pattern (1e26)
        number = float(value)
        if math.isinf(number):
            return "∞" if number > 0 else "−∞"
        text = f"{number:.{max(decimals, 1)}e}"
        return text.replace(".", ",") if separators()[0] == "," else text


def bertanda(value, decimals: int = 1, teks=None) -> str:
    """The one rule for a signed number (presentation/tampil.bertanda): rounded first, then signed, so
    0 and what rounds to 0 carry no sign ('0,0', never '+0,0' or '−0,0'); a true minus sign '−'; an
    em dash when missing. `teks` writes the magnitude (default angka), e.g. with a unit."""
    if _missing(value):
        return MISSING
    value = float(np.round(float(value), decimals)) + 0.0  # as tampil.indeks rounds; + 0.0: no negative zero
    sign = "+" if value > 0 else "−" if value < 0 else ""
    return sign + (teks or (lambda v: angka(v, decimals)))(abs(value))


def satuan(text: str) -> str:
    """An indicator's unit (Indonesian, as in the catalogue) in the active language."""
    entry = bahasa.katalog().get(f"satuan.{text}")
    return entry[bahasa.aktif()] if entry else text


def decimals_for(unit: str) -> int:
    """Counts ('jenis', 'permohonan per bulan') have no decimals; everything else one."""
    return 0 if str(unit).startswith(("jenis", "permohonan")) else 1


def nilai(value, unit: str, decimals: int | None = None) -> str:
    """A value with its unit: '65,0 menit', '70,0 %', '21 jenis'; scales such as 'indeks 0–5'
    add nothing. `unit` is the catalogue's Indonesian unit; it is shown in the active language."""
    if _missing(value):
        return MISSING
    decimals = decimals_for(unit) if decimals is None else decimals
    if unit.startswith(("indeks", "skor")):
        return angka(value, decimals)
    if unit == "%":
        return persen(value / 100, decimals)
    return f"{angka(value, decimals)}{NBSP}{satuan(unit)}"


def persen(fraction, decimals: int = 0) -> str:
    """0.705 -> '70,5 %' with a no-break space (Indonesian style puts a space before %; English writes '70.5%')."""
    if _missing(fraction):
        return MISSING
    return f"{angka(fraction * 100, decimals)}{NBSP + '%' if bahasa.aktif() == 'id' else '%'}"


def bulan(index: int | None, short: bool = False) -> str:
    """Month index -> 'Desember 2024' (or 'Des 2024')."""
    if index is None:
        return MISSING
    return format_date(per.to_date(index), "MMM yyyy" if short else "MMMM yyyy", locale=locale())


def tanggal(value, short: bool = False) -> str:
    """A date as '11 Desember 2024' (or '11 Des 2024'); missing as an em dash."""
    if _missing(value):
        return MISSING
    return format_date(pd.Timestamp(value).date(), "d MMM yyyy" if short else "d MMMM yyyy", locale=locale())


def peringkat(rank) -> str:
    return MISSING if _missing(rank) else str(int(rank))


def gerak(change) -> str:
    """Rank movement: '▲ 3', '▼ 2', '=', or 'baru' ('new') when there was no previous rank."""
    if _missing(change):
        return bahasa.t("umum.baru")
    change = int(change)
    if change > 0:
        return f"▲ {change}"
    if change < 0:
        return f"▼ {-change}"
    return "="
