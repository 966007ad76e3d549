"""Names of the files that leave Tiru (Excel, PDF, CSV, chart PNGs), made from page names, months,
kecamatan codes and names typed in data or uploaded files.

A name from data may hold line breaks, tabs, '/', '..', markup or control characters: each would
break a download, a path or a shell line. `nama` keeps the words and drops the rest, so the file
still says what it holds ('uji-coba-air-joman-barat.csv'): markup tags removed, letters without
their accents, everything else a single '-', lower case, ASCII, at most PANJANG characters.
"""

from __future__ import annotations

import re
import unicodedata

PANJANG = 120  # the stem; the whole name stays well under every file system's 255
_TAG = re.compile(r"<[^<>]*>")
_BUKAN = re.compile(r"[^a-z0-9.]+")


def bagian(text) -> str:
    """One part of a name: 'Air\\nJoman <b>Barat</b>' -> 'air-joman-barat'; '12.09.19' keeps its dots."""
    text = _TAG.sub(" ", str(text))
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = _BUKAN.sub("-", text.lower())
    text = re.sub(r"\.{2,}", "-", text)  # no '..'
    return re.sub(r"-*\.-*", ".", text).strip(".-")


def nama(*parts, akhiran: str) -> str:
    """'tiru-peringkat-2026-11.xlsx': the non-empty parts joined by '-', with the extension `akhiran`."""
    stem = "-".join(p for p in (bagian(x) for x in parts if x is not None) if p)[:PANJANG].strip(".-")
    return f"{stem or 'tiru'}.{akhiran}"
