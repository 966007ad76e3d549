"""The validation context and the checks every file kind shares: headers, kecamatan and
indikator codes, value ranges, cell parsing and duplicated rows."""

from __future__ import annotations

import datetime as dt
import difflib
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from metrics.core import bahasa, formatting
from metrics.core import periode as per
from metrics.data.store import Store
from metrics.engine.benchmark import region
from metrics.ingest.readers import Masalah, Tabel
from metrics.ingest.values import BadValue, fmt_value, suggest, text_or_none

FORMULA_START = ("=", "+", "-", "@")
MAX_TEXT = 500  # characters of a free text cell (sumber, catatan, bukti, oleh, responden)


@dataclass
class CheckContext:
    store: Store
    today: dt.date
    kecamatan: pd.DataFrame
    indikator: pd.DataFrame
    inovasi: list[str]
    problems: list[Masalah] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @cached_property
    def names(self) -> dict[str, str]:
        return dict(zip(self.kecamatan["kode"], self.kecamatan["nama"], strict=True))

    @cached_property
    def codes(self) -> frozenset[str]:
        """Every known kecamatan code (built once: at national scale there are 7 300)."""
        return frozenset(self.kecamatan["kode"])

    @cached_property
    def bounds(self) -> dict[str, tuple[float, float]]:
        """Allowed (low, high) of each indicator, read once (a .loc per row cost 0,4 ms)."""
        return {kode: (low, high) for kode, low, high
                in zip(self.indikator.index, self.indikator["batas_min"], self.indikator["batas_max"], strict=True)}

    @cached_property
    def asahan_codes(self) -> frozenset[str]:
        return frozenset(self.kecamatan.loc[self.kecamatan["wilayah"] == region(), "kode"])

    def add(self, table: Tabel, row: int | None, column: str | None, value, message: str) -> None:
        self.problems.append(Masalah(message, table.lembar, row, column, value))



def check_header(ctx: CheckContext, table: Tabel, required: list[str], optional: list[str],
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
    counts = Counter(n for n in table.header if n)  # linear: a file may carry thousands of headers
    for name in sorted(n for n, k in counts.items() if k > 1):
        ctx.problems.append(Masalah(bahasa.t("impor.judul_ganda", nama=name), table.lembar, None, name))
        ok = False
    return ok


def data_rows(table: Tabel):
    """(row number, {column: value}) per data row."""
    for number, cells in table.rows:
        values = {name: (cells[i] if i < len(cells) else None) for i, name in enumerate(table.header) if name}
        yield number, values


def text_cell(ctx: CheckContext, table: Tabel, row: int, column: str, value) -> str | None:
    """A free text cell, at most MAX_TEXT characters (an export would cut it silently)."""
    text = text_or_none(value)
    if text is not None and len(text) > MAX_TEXT:
        ctx.add(table, row, column, text[:40] + "…", bahasa.t("impor.teks_terlalu_panjang", n=len(text), maks=MAX_TEXT))
        return None
    control = formatting.kendali(text)
    if control:  # a bell or an escape sequence would ring or run in a terminal, and break every XLSX export
        ctx.add(
            table, row, column, formatting.tanpa_kendali(text[:40]), bahasa.t("impor.karakter_kendali", kode=control)
        )
        return None
    return text


def _squash(name) -> str:
    return "".join(str(name).split()).casefold()


def kecamatan_code(ctx: CheckContext, table: Tabel, row: int, value, asahan_only: bool = False, nama=None) -> str | None:
    """The kecamatan code of a row; the optional `kecamatan` name beside it must be the code's name
    (case and spaces aside) or empty."""
    text = text_or_none(value)
    if text is None:
        ctx.add(table, row, "kode_kecamatan", value, bahasa.t("impor.kec_kosong"))
        return None
    codes = ctx.asahan_codes if asahan_only else ctx.codes
    if text not in codes:
        ctx.add(table, row, "kode_kecamatan", text,
                bahasa.t("impor.kec_tak_dikenal_asahan" if asahan_only else "impor.kec_tak_dikenal", kode=text)
                + suggest(text, sorted(codes), {k: v for k, v in ctx.names.items() if k in codes}))
        return None
    given = text_or_none(nama)
    if given is not None and _squash(given) != _squash(ctx.names[text]):
        ctx.add(table, row, "kecamatan", given[:80],
                bahasa.t("impor.nama_kecamatan_salah", nama=given[:80], kode=text, harapan=ctx.names[text]))
    return text


def indicator_code(ctx: CheckContext, table: Tabel, row: int | None, value, column: str = "indikator") -> str | None:
    text = text_or_none(value)
    if text is None:
        ctx.add(table, row, column, value, bahasa.t("impor.ind_kosong"))
        return None
    code = text.lower()
    if code not in ctx.indikator.index:
        names = dict(zip(ctx.indikator.index, bahasa.names(ctx.indikator), strict=True))
        ctx.add(table, row, column, text, bahasa.t("impor.ind_tak_ada", kode=text) + suggest(code, list(names), names))
        return None
    return code


def in_range(ctx: CheckContext, table: Tabel, row: int, column: str, indikator: str, value: float) -> bool:
    low, high = ctx.bounds[indikator]
    if not low <= value <= high:
        unit = formatting.satuan(ctx.indikator.loc[indikator, "satuan"])
        ctx.add(
            table,
            row,
            column,
            fmt_value(value),
            bahasa.t(
                "impor.di_luar_rentang",
                nilai=fmt_value(value),
                indikator=indikator,
                satuan=unit,
                rendah=fmt_value(low),
                tinggi=fmt_value(high),
            ),
        )
        return False
    return True



def parse_cell(ctx: CheckContext, table: Tabel, row: int, column: str, value, parser, *args):
    try:
        return parser(value, *args)
    except BadValue as exc:
        shown = "" if value is None else (f"{value:%Y-%m-%d}" if isinstance(value, dt.date) else str(value))
        prefix = f"'{shown}' " if shown else ""
        ctx.add(table, row, column, shown or None, prefix + str(exc))
        return None


def formula_note(ctx: CheckContext, texts) -> None:
    risky = [t for t in texts if isinstance(t, str) and t.startswith(FORMULA_START)]
    if risky:
        ctx.notes.append(bahasa.t("impor.teks_rumus", n=len(risky)))



def check_duplicates(ctx: CheckContext, frame: pd.DataFrame, key: list[str], value: str | None, column: str | None = None) -> None:
    complete = frame.dropna(subset=key)
    seen: dict[tuple, tuple] = {}
    for record in complete.to_dict("records"):
        k = tuple(record[c] for c in key)
        if k in seen:
            first = seen[k]
            where = (bahasa.t("impor.di_baris_lembar", baris=first["_baris"], lembar=first["_lembar"])
                     if first["_lembar"] else bahasa.t("impor.di_baris", baris=first["_baris"]))
            shown = ", ".join(str(per.fmt(v) if c == "periode" else v) for c, v in zip(key, k, strict=True))
            if value is None or first[value] == record[value]:
                msg = bahasa.t("impor.baris_ganda", kunci=shown, tempat=where)
            else:
                msg = bahasa.t("impor.bertentangan", tempat=where, kunci=shown, sana=fmt_value(first[value]),
                               sini=fmt_value(record[value]))
            ctx.problems.append(Masalah(msg, record["_lembar"], record["_baris"], value or column,
                                        None if value is None else record[value]))
        else:
            seen[k] = record
