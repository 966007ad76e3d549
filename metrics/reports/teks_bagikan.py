"""The WhatsApp-ready summaries of the "Bagikan" control (#15): a few plain-text lines with a
page's key message, from the engine's numbers, in the active language.

Plain text only (no Markdown, no HTML): it is pasted into chat groups. Each function returns the
lines without the link; the app adds the link with the month pinned (metrics/app/bagikan.py).
"""

from __future__ import annotations

import pandas as pd

from metrics.core import formatting
from metrics.core.bahasa import t
from metrics.presentation import tampil
from metrics.presentation.keadaan import Keadaan


def _head(judul: str, periode: int | None, demo: bool, keadaan: Keadaan | None = None) -> list[str]:
    first = (t("bagikan.teks.tanpa_bulan", judul=judul) if periode is None
             else t("bagikan.teks.umum", judul=judul, bulan=formatting.bulan(periode)))
    return [first] + state_lines(keadaan) + ([t("bagikan.teks.data_contoh")] if demo else [])


def state_lines(keadaan: Keadaan | None) -> list[str]:
    """The month's state and the source (presentation/keadaan.py), as every artefact states them."""
    return [] if keadaan is None else [keadaan.baris(), keadaan.sumber()]


def umum(judul: str, periode: int | None, demo: bool, keadaan: Keadaan | None = None) -> str:
    """The fallback of every page: 'Tiru · <page title> · <month>', the month's state and source (and DATA CONTOH)."""
    return "\n".join(_head(judul, periode, demo, keadaan))


def _change(before: float | None, now: float | None, periode: int) -> str:
    if now is None or before is None or pd.isna(before) or pd.isna(now):
        return t("bagikan.teks.gerak_tanpa")
    change = tampil.perubahan(now, before)  # as shown, at one decimal
    month = formatting.bulan(periode - 1)
    if change == 0:
        return t("bagikan.teks.gerak_tetap", bulan=month)
    key = "bagikan.teks.gerak_naik" if change > 0 else "bagikan.teks.gerak_turun"
    return t(key, poin=tampil.besaran(change), bulan=month)


def ringkasan(judul: str, series: pd.DataFrame, table: pd.DataFrame, periode: int, demo: bool) -> str:
    """Ringkasan: the kabupaten's median Indeks Tiru against the model (= 100) and its change,
    how many are ranked. `series` is benchmark.kabupaten_series, `table` benchmark.league_table."""
    by_month = series.set_index("periode")["median"] if len(series) else pd.Series(dtype=float)
    now = by_month.get(periode)
    now = None if now is None or pd.isna(now) else float(now)
    lines = _head(judul, periode, demo)
    if now is None:
        lines.append(t("bagikan.teks.ringkasan_median_kosong"))
    else:
        before = by_month.get(periode - 1)
        lines.append(t("bagikan.teks.ringkasan_median", median=tampil.indeks_teks(now),
                       gerak=_change(before, now, periode)))
        if "status_gerak" in table and before is not None and not pd.isna(before):
            same = tampil.catatan_sama(tampil.perubahan(now, before), table["status_gerak"], table["perubahan"])
            lines += [same] if same else []
    lines.append(t("bagikan.teks.diperingkat", n=int(table["diperingkat"].sum()), total=len(table)))
    return "\n".join(lines)


def peringkat(judul: str, table: pd.DataFrame, periode: int, demo: bool, n: int = 3,
              keadaan: Keadaan | None = None) -> str:
    """Peringkat: how many are ranked and the top `n` with their Indeks."""
    ranked = table[table["diperingkat"]].sort_values(["peringkat", "kecamatan"])
    lines = _head(judul, periode, demo, keadaan)
    lines.append(t("bagikan.teks.diperingkat", n=len(ranked), total=len(table)))
    if len(ranked):
        lines.append(t("bagikan.teks.teratas", daftar="; ".join(
            f"{formatting.peringkat(r.peringkat)}. {r.kecamatan} ({tampil.indeks_teks(r.skor)})"
            for r in ranked.head(n).itertuples())))
    return "\n".join(lines)


def profil(judul: str, row: pd.Series, n_ranked: int, periode: int, demo: bool) -> str:
    """Profil: the kecamatan's rank (with its certainty range) and Indeks Tiru; coverage when unranked.
    `row` is the kecamatan's row of benchmark.league_table."""
    lines = _head(judul, periode, demo)
    if row["diperingkat"]:
        lines.append(t("bagikan.teks.profil_peringkat", nama=row["kecamatan"],
                       peringkat=formatting.peringkat(row["peringkat"]), total=n_ranked,
                       rentang=f"{formatting.peringkat(row['peringkat_min'])}–{formatting.peringkat(row['peringkat_max'])}",
                       indeks=tampil.indeks_teks(row["skor"])))
    else:
        lines.append(t("bagikan.teks.profil_belum", nama=row["kecamatan"], cakupan=formatting.persen(row["cakupan"]),
                       indeks=tampil.indeks_teks(row["skor"])))
    return "\n".join(lines)


def tren(judul: str, indikator: str, satuan: str, median: pd.DataFrame, model, periode: int, demo: bool) -> str:
    """Tren: the indicator's latest Asahan median (tren.median) against the model value."""
    lines = _head(judul, periode, demo)
    latest = median.dropna(subset=["median"]).tail(1)
    if latest.empty:
        lines.append(t("bagikan.teks.tren_kosong", indikator=indikator))
    else:
        lines.append(t("bagikan.teks.tren_median", indikator=indikator,
                       median=formatting.nilai(latest["median"].iloc[0], satuan),
                       bulan=formatting.bulan(int(latest["periode"].iloc[0])), model=formatting.nilai(model, satuan)))
    return "\n".join(lines)
