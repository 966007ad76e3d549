"""The interface languages and the one catalogue of user-facing strings.

Bahasa Indonesia is the default; English is the switch (?bahasa=en in the app, --bahasa en
in the CLI). Every string a user reads comes from the catalogue in metrics/core/teks/*.toml,
where each entry holds both languages side by side:

    [judul]                      # key "ringkasan.judul" in teks/ringkasan.toml
    id = "Ringkasan kabupaten"
    en = "District overview"

`t("ringkasan.judul")` returns it in the active language; `{name}` placeholders are filled
from keyword arguments. No text names a kabupaten or model literally: the region placeholders
(DAERAH: `{daerah}` Asahan, `{daerah_kabupaten}` Kabupaten Asahan, `{model_nama}` Cimahi Tengah, …)
are filled by t() itself from the configuration (TIRU_WILAYAH, TIRU_MODEL; issue #25). The active language is a context variable: the app sets it at the
start of every script run (each Streamlit session runs in its own thread), the CLI once.
Numbers and dates follow it through metrics/core/formatting.py.
"""

from __future__ import annotations

import contextlib
import logging
import string
import tomllib
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from functools import cache
from pathlib import Path

import pandas as pd

BAHASA = {"id": "Bahasa Indonesia", "en": "English"}
DEFAULT = "id"
TEKS = Path(__file__).with_name("teks")

_aktif: ContextVar[str] = ContextVar("bahasa", default=DEFAULT)
log = logging.getLogger(__name__)

# The configured region's names, which catalogue texts name through these placeholders instead of a
# literal kabupaten or model (issue #25). t() fills them itself, so no caller passes them; the values
# come from the data layer (metrics/data/__init__.py registers the provider), since core reads no data.
DAERAH = ("daerah", "daerah_kabupaten", "daerah_kode", "jumlah_kecamatan", "contoh_kecamatan", "kepala_daerah",
          "model_nama", "model_wilayah", "model_kabupaten")
_penyedia: list[Callable[[], Mapping[str, str]]] = []


def daftarkan_daerah(penyedia: Callable[[], Mapping[str, str]]) -> None:
    """Register the function that gives the configured region's names (the DAERAH placeholders)."""
    _penyedia[:] = [penyedia]


@cache
def _fields(text: str) -> tuple[str, ...]:
    """The placeholder names of a catalogue text."""
    return tuple(name for _, name, _, _ in string.Formatter().parse(text) if name)


def _nilai_daerah(text: str, values: dict) -> dict:
    """`values` plus the region names `text` asks for and the caller did not give."""
    wanted = [name for name in _fields(text) if name in DAERAH and name not in values]
    if not wanted or not _penyedia:
        return values
    try:
        daerah = _penyedia[0]()
    except Exception as exc:  # a wrong TIRU_WILAYAH / TIRU_MODEL: its own error says so; this text still shows
        log.info("nama daerah tidak dapat dibaca: %s", exc)  # no traceback: the command's own error is the one line
        daerah = dict.fromkeys(DAERAH, "—")
    return {**{name: daerah[name] for name in wanted}, **values}


def aktif() -> str:
    """The active language code: 'id' or 'en'."""
    return _aktif.get()


def pakai(kode: str | None) -> str:
    """Make `kode` the active language of this thread; anything unknown means Indonesian."""
    kode = kode if kode in BAHASA else DEFAULT
    _aktif.set(kode)
    return kode


@contextlib.contextmanager
def dalam(kode: str):
    """Temporarily use another language (an export in English from an Indonesian session)."""
    token = _aktif.set(kode if kode in BAHASA else DEFAULT)
    try:
        yield
    finally:
        _aktif.reset(token)


@cache
def katalog() -> dict[str, dict[str, str]]:
    """Every entry of metrics/core/teks/*.toml as {'file.key': {'id': …, 'en': …}}."""
    entries: dict[str, dict[str, str]] = {}

    def walk(prefix: str, table: dict) -> None:
        for name, value in table.items():
            key = f"{prefix}.{name}"
            if (
                isinstance(value, dict)
                and set(value) & set(BAHASA)
                and not any(isinstance(v, dict) for v in value.values())
            ):
                entries[key] = value
            elif isinstance(value, dict):
                walk(key, value)
            else:
                raise ValueError(f"{key}: expected a table with 'id' and 'en', found {value!r}")

    for path in sorted(TEKS.glob("*.toml")):
        with path.open("rb") as handle:
            try:
                walk(path.stem, tomllib.load(handle))
            except (tomllib.TOMLDecodeError, ValueError) as exc:
                raise ValueError(f"metrics/core/teks/{path.name}: {exc}") from exc
    return entries


def t(key: str, **values) -> str:
    """The catalogue text of `key` in the active language, placeholders filled.

    A missing key is shown as the key itself (and logged), so a gap is visible rather than
    a crash; tests/test_bahasa.py fails on any such gap.
    """
    entry = katalog().get(key)
    if entry is None:
        log.warning("teks tidak ada di katalog: %s", key)
        return key
    text = entry.get(aktif()) or entry[DEFAULT]
    values = _nilai_daerah(text, values)
    return text.format(**values) if values else text


def nama(row, kolom: str = "nama") -> str:
    """A catalogue row's name (indikator, pilar, inovasi) in the active language.

    Data tables carry `nama` and `nama_en` (and `definisi`/`definisi_en`, …); English falls
    back to the Indonesian text where the English one is missing.
    """
    if aktif() == "en":
        english = row.get(f"{kolom}_en") if hasattr(row, "get") else None
        if english is not None and not pd.isna(english) and str(english).strip():
            return str(english)
    return row[kolom]


def names(frame: pd.DataFrame, kolom: str = "nama") -> pd.Series:
    """The `kolom` column of a catalogue table in the active language (English where present)."""
    if aktif() == "en" and f"{kolom}_en" in frame:
        english = frame[f"{kolom}_en"]
        return english.where(english.notna() & (english.astype("string").str.strip() != ""), frame[kolom])
    return frame[kolom]
