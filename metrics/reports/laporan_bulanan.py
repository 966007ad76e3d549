"""The monthly brief for the Sekda to hand to the Bupati: 2–4 A4 pages of findings written
from the engine's numbers.

Two halves:

- `brief(inputs)` is pure: it reads the month's engine frames (deck_spec.Inputs: league table,
  Indeks history, reporting status, scorecard, adoption events and targets) and returns a
  Brief — KPIs and a list of Findings, each a headline, sentences and small tables, every
  number in them taken from those frames (no sentence states anything the numbers do not).
  The findings: where the kabupaten stands against the model (median Indeks, its change,
  spread, bands, pillars), who moved (Δ Indeks among kecamatan ranked in both months; those
  entering or leaving the ranking are named as such, never as risers or fallers), who is late
  on reporting (benchmark.reporting_status) and on innovations (adopsi.target_status), and
  what to decide (suggestions derived from the same numbers).
- `to_bytes(inputs)` writes it with reportlab in the look of the rapor (reports/cetak.py):
  page 1 is the summary (KPIs, the headlines, the decisions), the pages after it the
  details, sources and method. DATA CONTOH is marked on every page while demo data is shown.

Every text is in metrics/core/teks/laporan.toml; write inside `bahasa.dalam("en")` for English.
A sparse month (nobody ranked, no targets, one kecamatan) gets plain sentences saying so;
`is_empty(inputs)` says when there is nothing at all to report for the month.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Spacer
from reportlab.platypus import Table as PdfTable

from metrics.core import bahasa, formatting
from metrics.core import periode as per
from metrics.core.bahasa import t
from metrics.engine import adopsi, benchmark, scoring
from metrics.presentation import berkas, tampil
from metrics.reports import cetak
from metrics.reports.deck_spec import (
    Inputs,
    Metric,
    Table,
    demo_label,
    innovation_name,
    late_targets,
    of,
    pillar_matrix,
    points_to_model,
    source,
)

MOVERS = 5  # risers and fallers listed
NAMES = 8  # names written out in one sentence before "and n more"
TREND_MONTHS = 6  # months in the kabupaten trend table
CHART_MONTHS = 24  # months in the trend chart on page 1
DECISIONS = 7  # most suggestions on page 1
LATE_TARGETS = 2  # late targets named one by one among them (the rest in one line)
FALL_ATTENTION = 1.0  # a fall in the Index of more than this many points asks for an explanation


@dataclass(frozen=True)
class Finding:
    key: str  # posisi | gerak | laporan | inovasi | putuskan
    headline: str
    sentences: list[str]
    tables: list[Table] = field(default_factory=list)
    pokok: str = ""  # what page 1 says after the headline
    data: dict = field(default_factory=dict)  # the engine's numbers behind the sentences


@dataclass(frozen=True)
class Brief:
    periode: int
    demo: bool
    metrics: list[Metric]
    findings: list[Finding]
    sources: list[str]
    keadaan: str = ""  # the month's state line (presentation/keadaan.py), "" without one
    final: bool = True  # the month is closed: its figures no longer change

    def finding(self, key: str) -> Finding:
        return next(f for f in self.findings if f.key == key)


# --------------------------------------------------------------------------- pure readings


def movement(history: pd.DataFrame, periode: int) -> tuple[pd.DataFrame, list[str], list[str]]:
    """Δ Indeks since the previous month among kecamatan ranked in both months — the change of the
    shown Indeks (presentation/tampil.py), as on every page — and who entered or left the ranking.

    Returns (changes, masuk, keluar): changes has kode_kecamatan, skor_sebelumnya, skor,
    perubahan, peringkat (this month), sorted by perubahan descending then code; masuk are the
    codes ranked now but not last month, keluar those ranked last month but not now.
    """
    moved = tampil.gerak_bulan(history, periode)
    both = moved[moved["status_gerak"].isin(["naik", "turun", "tetap"])]
    changes = both[["kode_kecamatan", "skor_sebelumnya", "skor", "peringkat", "perubahan"]].astype(
        {"skor_sebelumnya": float, "skor": float, "perubahan": float})
    changes = changes.sort_values(["perubahan", "kode_kecamatan"], ascending=[False, True]).reset_index(drop=True)
    masuk = sorted(moved.loc[moved["status_gerak"] == "masuk", "kode_kecamatan"])
    keluar = sorted(moved.loc[moved["status_gerak"] == "keluar", "kode_kecamatan"])
    return changes, masuk, keluar


def is_empty(inputs: Inputs) -> bool:
    """Nothing to report for the month: no Asahan kecamatan has a valid value and none reported."""
    return inputs.card.empty and int(inputs.status["dilaporkan"].sum()) == 0


def _names(names: list[str]) -> str:
    """'A, B, C' — at most NAMES written out, then 'and n more'."""
    if len(names) <= NAMES:
        return ", ".join(names)
    return t("laporan.daftar_lainnya", daftar=", ".join(names[:NAMES]), n=len(names) - NAMES)


def _points(value) -> str:
    return tampil.besaran(value)


def _direction(change: float) -> str:
    return t("laporan.arah.naik") if change > 0 else t("laporan.arah.turun") if change < 0 else t("laporan.arah.tetap")


# --------------------------------------------------------------------------- findings


def _position(inputs: Inputs, names: pd.Series) -> Finding:
    month, table = formatting.bulan(inputs.periode), inputs.table
    series = benchmark.kabupaten_series(inputs.history[inputs.history["periode"] <= inputs.periode])
    by_month = series.set_index("periode")
    ranked = table[table["diperingkat"]].sort_values(["skor", "kode_kecamatan"], ascending=[False, True])
    unranked = table[~table["diperingkat"]]
    bands = benchmark.band_counts(table)
    median = by_month["median"].get(inputs.periode) if len(ranked) else None
    data = {"series": series, "median": median, "bands": bands, "ranked": ranked, "unranked": unranked}
    sentences = []
    if median is None or pd.isna(median):
        headline = t("laporan.posisi.judul_kosong", bulan=month)
        sentences.append(t("laporan.posisi.tak_ada_peringkat", bulan=month, ambang=formatting.persen(
            scoring.COVERAGE_THRESHOLD)))
    else:
        headline = t("laporan.posisi.judul", median=tampil.indeks_teks(median),
                     jarak=formatting.angka(100 - tampil.indeks(median), 1))
        sentences.append(t("laporan.posisi.median", bulan=month, n=len(ranked), median=tampil.indeks_teks(median),
                           jarak=formatting.angka(100 - tampil.indeks(median), 1)))
        previous = by_month["median"].get(inputs.periode - 1)
        first = series.dropna(subset=["median"])
        parts = []
        if previous is not None and pd.notna(previous):
            change = tampil.perubahan(median, previous)
            parts.append(t("laporan.posisi.banding_lalu", bulan=formatting.bulan(inputs.periode - 1),
                           arah=_direction(change), poin=_points(change)))
            parts += _same_kecamatan(inputs, change)
        else:
            parts.append(t("laporan.posisi.tanpa_lalu", bulan=formatting.bulan(inputs.periode - 1)))
        if len(first) and int(first["periode"].iloc[0]) < inputs.periode - 1:
            start = first.iloc[0]
            change = tampil.perubahan(median, start["median"])
            parts.append(t("laporan.posisi.banding_awal", bulan=formatting.bulan(int(start["periode"])),
                           awal=formatting.angka(start["median"], 1), arah=_direction(change), poin=_points(change)))
        sentences.append(" ".join(parts))
        best, worst = ranked.iloc[0], ranked.iloc[-1]
        if len(ranked) == 1:
            sentences.append(t("laporan.posisi.satu", nama=best["kecamatan"], skor=tampil.indeks_teks(best["skor"])))
        else:
            now = by_month.loc[inputs.periode]
            sentences.append(t("laporan.posisi.sebaran", q1=formatting.angka(now["q1"], 1),
                               q3=formatting.angka(now["q3"], 1), tertinggi=best["kecamatan"],
                               skor_tinggi=tampil.indeks_teks(best["skor"]), terendah=worst["kecamatan"],
                               skor_rendah=tampil.indeks_teks(worst["skor"])))
    counted = [t("laporan.posisi.pita_item", n=int(n), pita=pita)
               for pita, n in zip(bands["pita"], bands["jumlah"], strict=True) if n]
    sentences.append(t("laporan.posisi.pita", daftar="; ".join(counted)))
    if len(unranked):
        sentences.append(t("laporan.posisi.belum", n=len(unranked), ambang=formatting.persen(
            scoring.COVERAGE_THRESHOLD), daftar=_names(list(unranked["kecamatan"]))))
    pillars = pillar_matrix(inputs).median().dropna()
    if len(pillars) >= 2:
        pillar_names = bahasa.names(inputs.catalog.pilar)
        low, high = pillars.idxmin(), pillars.idxmax()
        data["pilar"] = pillars
        sentences.append(t("laporan.posisi.pilar", lemah=pillar_names[low], skor_lemah=formatting.angka(pillars[low], 0),
                           kuat=pillar_names[high], skor_kuat=formatting.angka(pillars[high], 0)))
    recent = series[series["periode"] > inputs.periode - TREND_MONTHS]
    rows = [[formatting.bulan(int(r.periode)), formatting.angka(r.median, 1),
             f"{formatting.angka(r.q1, 1)}–{formatting.angka(r.q3, 1)}" if pd.notna(r.q1) else formatting.MISSING,
             formatting.angka(r.max, 1), formatting.angka(r.min, 1),
             str(int(r.n)) if pd.notna(r.n) else "0"] for r in recent.itertuples()]
    tables = [Table([t("laporan.kolom.bulan"), t("laporan.kolom.median"), t("laporan.kolom.kuartil"),
                     t("laporan.kolom.tertinggi"), t("laporan.kolom.terendah"), t("laporan.kolom.diperingkat")],
                    rows, [1.6, 1, 1.3, 1, 1, 1])] if rows else []
    return Finding("posisi", headline, sentences, tables, sentences[1] if len(ranked) else sentences[0], data)


def _same_kecamatan(inputs: Inputs, change: float) -> list[str]:
    """The median change among the kecamatan ranked in both months, when it reads differently from the
    change of the kabupaten's median: with drop-outs the latter mostly measures who reported (#19)."""
    changes, _, _ = movement(inputs.history, inputs.periode)
    if changes.empty:
        return []
    same = float(changes["perubahan"].median())
    if tampil.bertanda(same) == tampil.bertanda(change):
        return []
    return [t("laporan.posisi.banding_sama", n=len(changes), perubahan=tampil.bertanda(same))]


def _movers(inputs: Inputs, names: pd.Series) -> Finding:
    month, previous = formatting.bulan(inputs.periode), formatting.bulan(inputs.periode - 1)
    changes, masuk, keluar = movement(inputs.history, inputs.periode)
    up, down = changes[changes["perubahan"] > 0], changes[changes["perubahan"] < 0].iloc[::-1]
    data = {"perubahan": changes, "naik": up.head(MOVERS), "turun": down.head(MOVERS), "masuk": masuk,
            "keluar": keluar}

    def listed(frame: pd.DataFrame) -> str:
        return ", ".join(t("laporan.gerak.item", nama=names[r.kode_kecamatan], perubahan=tampil.bertanda(r.perubahan),
                           sebelum=tampil.indeks_teks(r.skor_sebelumnya), sekarang=tampil.indeks_teks(r.skor))
                         for r in frame.head(3).itertuples())

    sentences = []
    if changes.empty:
        headline = t("laporan.gerak.judul_kosong")
        sentences.append(t("laporan.gerak.tak_terbanding", lalu=previous, bulan=month))
    else:
        steady = int((changes["perubahan"] == 0).sum())
        headline = t("laporan.gerak.judul", naik=len(up), turun=len(down))
        sentences.append(t("laporan.gerak.hitung", n=len(changes), lalu=previous, bulan=month, naik=len(up),
                           turun=len(down), tetap=steady))
        sentences.append(t("laporan.gerak.naik", daftar=listed(up)) if len(up) else t("laporan.gerak.tidak_naik"))
        sentences.append(t("laporan.gerak.turun", daftar=listed(down)) if len(down) else t("laporan.gerak.tidak_turun"))
    if masuk:
        sentences.append(t("laporan.gerak.masuk", daftar=_names([names[k] for k in masuk])))
    awaited, keluar_lain = _awaited(inputs, keluar)
    if awaited:
        state = inputs.keadaan
        key = "laporan.gerak.keluar_terlambat" if state.jatuh_tempo else "laporan.gerak.menunggu"
        sentences.append(t(key, bulan=month, tanggal=formatting.tanggal(state.tenggat), n=state.hari_terlambat,
                           daftar=_names([names[k] for k in awaited])))
    if keluar_lain:
        sentences.append(t("laporan.gerak.keluar", daftar=_names([names[k] for k in keluar_lain])))
    if masuk or keluar:
        sentences.append(t("laporan.gerak.catatan_masuk"))

    def rows(frame: pd.DataFrame) -> list[list[str]]:
        return [[names[r.kode_kecamatan], tampil.bertanda(r.perubahan), tampil.indeks_teks(r.skor),
                 formatting.peringkat(r.peringkat)] for r in frame.head(MOVERS).itertuples()]

    columns = [t("laporan.kolom.delta"), t("istilah.indeks_tiru"), t("istilah.peringkat")]
    tables = [] if changes.empty else [
        Table([t("laporan.gerak.kolom_naik")] + columns, rows(up) or [[t("laporan.gerak.tidak_ada"), "", "", ""]],
              [2.2, 0.8, 1, 0.9]),
        Table([t("laporan.gerak.kolom_turun")] + columns, rows(down) or [[t("laporan.gerak.tidak_ada"), "", "", ""]],
              [2.2, 0.8, 1, 0.9])]
    return Finding("gerak", headline, sentences, tables, " ".join(sentences[1:3] if len(changes) else sentences[:1]),
                   data)


def _awaited(inputs: Inputs, keluar: list[str]) -> tuple[list[str], list[str]]:
    """Those leaving the ranking split in two: whose report of a month not yet final is still
    incomplete (awaited: before the deadline they are not late, after it they are), and the others."""
    state = inputs.keadaan
    if state is None or state.final:
        return [], list(keluar)
    status = inputs.status
    incomplete = set(status.loc[status["dilaporkan"] < status["diharapkan"], "kode"])
    return [k for k in keluar if k in incomplete], [k for k in keluar if k not in incomplete]


def _months_due(inputs: Inputs, months: int) -> int:
    """Months without a report that were due: this month's only once its deadline has passed."""
    state = inputs.keadaan
    return months if state is None or state.final or state.jatuh_tempo else months - 1


def _silent_text(inputs: Inputs, r) -> str:
    due = _months_due(inputs, int(r.bulan_tanpa_laporan))
    if due <= 1:
        return t("laporan.lapor.terakhir_satu", nama=r.nama, bulan=formatting.bulan(int(r.terakhir)))
    return t("laporan.lapor.terakhir", nama=r.nama, bulan=formatting.bulan(int(r.terakhir)), n=due)


def _reporting(inputs: Inputs) -> Finding:
    month, status = formatting.bulan(inputs.periode), inputs.status
    silent = status[status["dilaporkan"] == 0].sort_values(["terakhir", "kode"], na_position="first")
    partial = status[(status["dilaporkan"] > 0) & (status["dilaporkan"] < status["diharapkan"])]
    complete = int((status["dilaporkan"] >= status["diharapkan"]).sum())
    headline = t("laporan.lapor.judul", lengkap=complete, n=len(status), bulan=month, diam=len(silent),
                 sebagian=len(partial))
    sentences = [t("laporan.lapor.hitung", bulan=month, lengkap=complete, n=len(status), sebagian=len(partial),
                   diam=len(silent), harap=int(status["diharapkan"].max()) if len(status) else 0)]
    state = inputs.keadaan
    if state is not None and not state.final:
        sentences.append(t("laporan.lapor.tenggat", bulan=month, keadaan=state.tenggat_teks()))
    lapsed, never = silent[silent["terakhir"].notna()], silent[silent["terakhir"].isna()]
    if len(lapsed):
        shown = [_silent_text(inputs, r) for r in lapsed.itertuples()]
        sentences.append(t("laporan.lapor.diam", daftar="; ".join(shown[:NAMES]) + (
            t("laporan.lapor.lainnya", n=len(shown) - NAMES) if len(shown) > NAMES else "")))
    if len(never):
        sentences.append(t("laporan.lapor.tak_pernah", n=len(never), daftar=_names(list(never["nama"]))))
    if len(partial):
        sentences.append(t("laporan.lapor.sebagian", daftar=_names(
            [t("laporan.lapor.sebagian_item", nama=r.nama, a=int(r.dilaporkan), b=int(r.diharapkan))
             for r in partial.itertuples()])))
    if silent.empty and partial.empty:
        sentences.append(t("laporan.lapor.semua", bulan=month))
    return Finding("laporan", headline, sentences, [], " ".join(sentences[1:]),
                   {"diam": silent, "sebagian": partial, "lengkap": complete})


def _target_label(inputs: Inputs, inovasi: str, tahap: int) -> str:
    return t("laporan.inovasi.target", nama=innovation_name(inputs, inovasi), tahap=adopsi.nama_tahap(int(tahap)))


def _innovations(inputs: Inputs, status: pd.DataFrame, names: pd.Series) -> Finding:
    month = formatting.bulan(inputs.periode)
    if status.empty:
        return Finding("inovasi", t("laporan.inovasi.judul_kosong"), [t("laporan.inovasi.tanpa_target")], [],
                       t("laporan.inovasi.tanpa_target"), {"status": status, "terlambat": status})
    late = status[status["terlambat"]]
    summary = adopsi.target_summary(status).sort_values(["tanggal", "inovasi"]).reset_index(drop=True)
    end = pd.Timestamp(per.month_end(inputs.periode))
    late_targets_ = summary[summary["terlambat"] > 0]
    headline = (t("laporan.inovasi.judul", kecamatan=late["kode_kecamatan"].nunique(), n=len(late_targets_),
                  total=len(summary)) if len(late) else t("laporan.inovasi.judul_tepat"))
    sentences = [t("laporan.inovasi.hitung", n=len(summary), bulan=month, lewat=int((summary["tanggal"] < end).sum()))]
    rows = []
    for r in summary.itertuples():
        label = _target_label(inputs, r.inovasi, r.tahap)
        due = r.tanggal < end
        rows.append([label, formatting.tanggal(r.tanggal), of(int(r.tercapai), int(r.berlaku)),
                     str(int(r.terlambat)) if r.terlambat else formatting.MISSING,
                     str(int(r.berlaku - r.tercapai - r.terlambat)) if not due else formatting.MISSING])
        if r.terlambat:
            who = late[(late["inovasi"] == r.inovasi) & (late["tahap"] == r.tahap) & (late["tanggal"] == r.tanggal)]
            sentences.append(t("laporan.inovasi.terlambat", target=label, tanggal=formatting.tanggal(r.tanggal),
                               tercapai=int(r.tercapai), berlaku=int(r.berlaku), n=int(r.terlambat),
                               daftar=_names([names.get(k, k) for k in who["kode_kecamatan"]])))
        elif not due:
            sentences.append(t("laporan.inovasi.belum_tempo", target=label, tanggal=formatting.tanggal(r.tanggal),
                               tercapai=int(r.tercapai), berlaku=int(r.berlaku)))
    if late.empty:
        sentences.append(t("laporan.inovasi.tak_terlambat", bulan=month))
    if len(late):
        worst = late_targets_.sort_values(["terlambat", "tanggal"], ascending=[False, True]).iloc[0]
        pokok = t("laporan.inovasi.pokok", target=_target_label(inputs, worst["inovasi"], worst["tahap"]),
                  tanggal=formatting.tanggal(worst["tanggal"]), n=int(worst["terlambat"]),
                  berlaku=int(worst["berlaku"]))
    else:
        pokok = sentences[-1]
    table = Table([t("istilah.target"), t("laporan.kolom.tenggat"), t("istilah.tercapai"), t("istilah.terlambat"),
                   t("laporan.kolom.belum_tempo")], rows, [2.6, 1.3, 1, 0.8, 1.1])
    return Finding("inovasi", headline, sentences, [table], pokok, {"status": status, "terlambat": late,
                                                                     "ringkas": summary})


def _decisions(inputs: Inputs, found: dict[str, Finding], names: pd.Series) -> Finding:
    """Suggested decisions, each from a number in the findings above: late targets first (the
    action plan's deadlines), then silent reporters, steep falls, unranked kecamatan, the
    weakest pillar's innovations, and the risers to learn from."""
    month = formatting.bulan(inputs.periode)
    items = []
    late = found["inovasi"].data["terlambat"]
    if len(late):
        groups = sorted(late.groupby(["inovasi", "tahap", "tanggal"]), key=lambda g: (-len(g[1]), g[0][2], g[0][0]))
        for (inovasi, tahap, tanggal), who in groups[:LATE_TARGETS]:
            items.append(t("laporan.putus.terlambat", n=len(who), daftar=_names([names.get(k, k) for k in
                                                                                 who["kode_kecamatan"]]),
                           target=_target_label(inputs, inovasi, tahap), tanggal=formatting.tanggal(tanggal),
                           hari=int(who["hari_terlambat"].max())))
        if len(groups) > LATE_TARGETS:
            items.append(t("laporan.putus.terlambat_lain", n=len(groups) - LATE_TARGETS))
    silent = found["laporan"].data["diam"]
    if len(silent):
        longest = silent.iloc[0]
        due = _months_due(inputs, int(longest["bulan_tanpa_laporan"])) if pd.notna(longest["terakhir"]) else 0
        state = inputs.keadaan
        ask = (t("laporan.putus.lapor_sementara", daftar=_names(list(silent["nama"])), bulan=month,
                 keadaan=state.tenggat_teks()) if state is not None and not state.final
               else t("laporan.putus.lapor", daftar=_names(list(silent["nama"])), bulan=month))
        items.append(ask + " " + (t("laporan.putus.lapor_lama", nama=longest["nama"], n=due) if due > 1 else ""))
    down = found["gerak"].data["turun"]
    down = down[down["perubahan"] < -FALL_ATTENTION].head(3)
    if len(down):
        items.append(t("laporan.putus.turun", batas=formatting.angka(FALL_ATTENTION, 0), daftar=", ".join(
            f"{names[r.kode_kecamatan]} ({tampil.bertanda(r.perubahan)})" for r in down.itertuples())))
    unranked = found["posisi"].data["unranked"]
    if len(unranked):
        items.append(t("laporan.putus.lengkapi", daftar=_names(list(unranked["kecamatan"])),
                       ambang=formatting.persen(scoring.COVERAGE_THRESHOLD)))
    pillars = found["posisi"].data.get("pilar")
    if pillars is not None:
        weakest = pillars.idxmin()
        item = _pillar_push(inputs, weakest, float(pillars[weakest]))
        if item:
            items.append(item)
    up = found["gerak"].data["naik"].head(2)
    if len(up):
        items.append(t("laporan.putus.naik", daftar=", ".join(
            f"{names[r.kode_kecamatan]} ({tampil.bertanda(r.perubahan)})" for r in up.itertuples())))
    items = [i.strip() for i in items[:DECISIONS]] or [t("laporan.putus.tidak_ada")]
    return Finding("putuskan", t("laporan.putus.judul"), items, [], "", {"butir": items})


def _pillar_push(inputs: Inputs, pilar: str, skor: float) -> str | None:
    """The weakest pillar's innovation that the most kecamatan have not yet put into practice."""
    indikator = inputs.catalog.indikator
    codes = set(indikator.index[indikator["pilar"] == pilar])
    linked = [k for k, links in inputs.inovasi["indikator"].items()
              if isinstance(links, (list, tuple, np.ndarray)) and codes & set(links)]
    if not linked:
        return None
    matrix = adopsi.stage_matrix(inputs.events, list(inputs.kecamatan["kode"]), linked, inputs.periode)
    behind = matrix[matrix["tahap"] < adopsi.BERJALAN].groupby("inovasi").size().reindex(linked, fill_value=0)
    if behind.max() == 0:
        return None
    top = behind.sort_values(ascending=False, kind="stable").index[0]
    return t("laporan.putus.pilar", pilar=bahasa.names(inputs.catalog.pilar)[pilar], skor=formatting.angka(skor, 0),
             inovasi=innovation_name(inputs, top), n=int(behind[top]), total=len(inputs.kecamatan),
             tahap=adopsi.nama_tahap(adopsi.BERJALAN))


def brief(inputs: Inputs) -> Brief:
    """The month's findings in the active language (see the module docstring)."""
    names = inputs.kecamatan.set_index("kode")["nama"]
    # adopsi.target_status cannot read an empty target table (its date column has no dtype): no targets, no status
    status = late_targets(inputs) if len(inputs.targets) else pd.DataFrame()
    found = {f.key: f for f in (_position(inputs, names), _movers(inputs, names), _reporting(inputs),
                                _innovations(inputs, status, names))}
    found["putuskan"] = _decisions(inputs, found, names)
    median = found["posisi"].data["median"]
    late = found["inovasi"].data["terlambat"]
    metrics = [
        Metric(t("istilah.kpi.median_indeks"), tampil.indeks_teks(median)),
        Metric(t("istilah.kpi.jarak"), points_to_model(median)),
        Metric(t("istilah.kpi.diperingkat"), of(int(inputs.table["diperingkat"].sum()), len(inputs.table))),
        Metric(t("istilah.kpi.belum_melapor"), str(len(found["laporan"].data["diam"]))),
        Metric(t("laporan.kpi.terlambat"), str(late["kode_kecamatan"].nunique()) if len(late) else "0"),
    ]
    model_sources = sorted(set(inputs.catalog.scored["model_sumber"].dropna()))
    month = formatting.bulan(inputs.periode)
    sources = [
        t("laporan.sumber.periode", bulan=month, lalu=formatting.bulan(inputs.periode - 1),
          akhir=formatting.tanggal(per.month_end(inputs.periode))),
        t("laporan.sumber.angka", sumber=source(inputs.demo)),
        t("laporan.sumber.model", sumber="; ".join(model_sources) or formatting.MISSING),
        t("laporan.sumber.inovasi", tanggal=formatting.tanggal(per.month_end(inputs.periode))),
        t("laporan.sumber.metode", ambang=formatting.persen(scoring.COVERAGE_THRESHOLD)),
    ]
    state = inputs.keadaan
    line = t("laporan.keadaan", bulan=month, keadaan=state.baris()) if state is not None else ""
    if line:
        sources.insert(1, line)
    return Brief(inputs.periode, inputs.demo, metrics, list(found.values()), sources, line,
                 state is None or state.final)


# --------------------------------------------------------------------------- the PDF


def _table(table: Table, width: float) -> PdfTable:
    total = sum(table.widths or [1.0] * len(table.columns))
    widths = [width * w / total for w in (table.widths or [1.0] * len(table.columns))]
    return cetak.grid([cetak.header_row(table.columns)] + [[cetak.p(v) for v in row] for row in table.rows], widths)


BULLET = cetak.style("bullet", 9, leftIndent=11, firstLineIndent=-11, spaceAfter=2.5)
LEAD = cetak.style("lead", 10, leading=13.5, spaceAfter=3)
DECISION = cetak.style("decision", 9.5, leading=12.5, leftIndent=14, firstLineIndent=-14, spaceAfter=3.5)
SECTION = cetak.style("section", 12.5, bold=True, spaceBefore=9, spaceAfter=2)
MEDIAN, QUARTILE, MODEL = colors.HexColor("#0072B2"), colors.HexColor("#8AB8DA"), colors.HexColor("#D55E00")
TITLE = cetak.style("brieftitle", 18, bold=True, leading=22)
HEADLINE = cetak.style("headline", 9.5, bold=True, colour=cetak.MUTED, spaceAfter=3)


def _trend(series: pd.DataFrame, width: float, height: float = 46 * mm) -> Drawing | None:
    """The kabupaten's median Indeks with its quartiles against the model (100), the last
    CHART_MONTHS months — the same series as Ringkasan's chart."""
    recent = series.tail(CHART_MONTHS)
    if recent["median"].notna().sum() < 2:
        return None
    drawing = Drawing(width, height)
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 22, 16, width - 30, height - 40

    def values(column):
        return [None if pd.isna(v) else float(v) for v in recent[column]]

    chart.data = [values("median"), values("q1"), values("q3"), [100.0] * len(recent)]
    every = max(1, len(recent) // 8)
    chart.categoryAxis.categoryNames = [formatting.bulan(int(m), short=True) if i % every == 0 else ""
                                        for i, m in enumerate(recent["periode"])]
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName, axis.labels.fontSize, axis.labels.fillColor = "TiruSans", 6.5, cetak.MUTED
        axis.strokeColor = cetak.LINE
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.gridStrokeColor, chart.valueAxis.visibleGrid = cetak.LINE, True
    chart.valueAxis.labelTextFormat = lambda v: formatting.angka(v, 0)
    styles = [(MEDIAN, 2.2, None), (QUARTILE, 0.9, None), (QUARTILE, 0.9, None), (MODEL, 1.1, (3, 2))]
    for i, (colour, line_width, dash) in enumerate(styles):
        chart.lines[i].strokeColor, chart.lines[i].strokeWidth = colour, line_width
        if dash:
            chart.lines[i].strokeDashArray = dash
    drawing.add(chart)
    drawing.add(String(0, height - 9, t("laporan.grafik.judul", dari=formatting.bulan(int(recent["periode"].iloc[0])),
                                                               sampai=formatting.bulan(int(recent["periode"].iloc[-1]))),
                       fontName="TiruSans-Bold", fontSize=8.5, fillColor=cetak.INK))
    x, y = 0, height - 19
    for label, colour in [(t("laporan.grafik.median"), MEDIAN), (t("laporan.grafik.kuartil"), QUARTILE),
                          (t("istilah.model_100"), MODEL)]:
        drawing.add(Line(x, y + 2.5, x + 12, y + 2.5, strokeColor=colour, strokeWidth=2))
        drawing.add(String(x + 16, y, label, fontName="TiruSans", fontSize=7, fillColor=cetak.MUTED))
        x += 16 + stringWidth(label, "TiruSans", 7) + 14
    return drawing


def _summary_page(report: Brief, width: float) -> list:
    month = formatting.bulan(report.periode)
    story = [cetak.masthead(t("laporan.kicker", bulan=month.upper()), report.demo, width,
                            t("laporan.demo", label=demo_label())),
             cetak.p(t("laporan.judul", bulan=month), TITLE),
             cetak.p(t("laporan.subjudul", bulan=month) if not report.keadaan or report.final else
                     t("laporan.subjudul_sementara", bulan=month), cetak.FACTS)]
    if report.keadaan:
        story.append(cetak.p(report.keadaan, HEADLINE))
    story += [Spacer(1, 6), cetak.kpi_row(report.metrics, width), Spacer(1, 6)]
    trend = _trend(report.finding("posisi").data["series"], width)
    if trend is not None:
        story.append(trend)
    story.append(cetak.p(t("laporan.pokok"), SECTION))
    for f in report.findings:
        if f.key != "putuskan":
            story.append(Paragraph(f"• <b>{escape(f.headline)}.</b> {escape(f.pokok)}".replace("→", t("rapor.panah")),
                                   BULLET))
    decisions = report.finding("putuskan")
    story.append(cetak.p(t("laporan.putus.judul"), SECTION))
    story.append(cetak.p(t("laporan.putus.pengantar"), cetak.NOTE))
    story.append(Spacer(1, 3))
    for i, line in enumerate(decisions.sentences, start=1):
        story.append(cetak.p(f"{i}.  {line}", DECISION))
    story.append(Spacer(1, 4))
    story.append(cetak.p(t("laporan.rincian"), cetak.NOTE))
    return story


def _detail_pages(report: Brief, width: float) -> list:
    story = []
    for number, f in enumerate((f for f in report.findings if f.key != "putuskan"), start=1):
        head = [cetak.p(f"{number}. {t(f'laporan.bagian.{f.key}')}", SECTION), cetak.p(f.headline, HEADLINE)]
        body = [cetak.p(s, LEAD) for s in f.sentences]
        if len(f.tables) == 2:
            half = (width - 6 * mm) / 2
            pair = PdfTable([[_table(f.tables[0], half), _table(f.tables[1], half)]], colWidths=[half + 6 * mm, half],
                            style=[("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 0)])
            body += [Spacer(1, 3), pair]
        else:
            body += [x for table in f.tables for x in (Spacer(1, 3), _table(table, width))]
        story.append(KeepTogether(head + body[:2]))
        story.extend(body[2:])
    story.append(cetak.p(t("laporan.sumber.judul"), SECTION))
    story.extend(cetak.p(f"• {s}", cetak.style("src", 8, colour=cetak.MUTED, leftIndent=9, firstLineIndent=-9,
                                                 spaceAfter=1.5)) for s in report.sources)
    return story


def to_bytes(inputs: Inputs) -> bytes:
    """The brief of the month as a PDF (A4 portrait) in the active language."""
    report = brief(inputs)
    buffer = io.BytesIO()
    month = formatting.bulan(inputs.periode)
    shown = inputs.keadaan.judul() if inputs.keadaan is not None else month
    on_page = cetak.footer(t("laporan.footer", bulan=shown, sumber=source(inputs.demo),
                             tanggal=formatting.tanggal(per.hari_ini())), t("laporan.kicker", bulan=month.upper()),
                           demo_label() if inputs.demo else "")
    doc = cetak.document(buffer, t("laporan.judul", bulan=month))
    story = _summary_page(report, cetak.WIDTH) + [PageBreak()] + _detail_pages(report, cetak.WIDTH)
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()


def write(inputs: Inputs, path: Path) -> Path:
    data = to_bytes(inputs)  # built in full before the file is opened: nothing half-written
    path = Path(path)
    path.write_bytes(data)
    return path


def filename(periode_text: str) -> str:
    return berkas.nama("laporan-bulanan", periode_text, akhiran="pdf")
