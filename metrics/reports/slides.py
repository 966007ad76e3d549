"""The meeting deck as data: what Mode Rapat shows and what the PowerPoint pack holds.

`deck(inputs, fokus)` turns the engine's frames for one month into a list of slide specs —
titles, KPI numbers, tables of formatted text, chart series of plain numbers — so the page
(pages/rapat.py) and the writer (metrics/reports/pptx_pack.py) show exactly the same thing. No
Streamlit here. The specs, the Inputs and `gather(store, periode)`, which reads them from a
Store (CLI, tests), are in metrics/reports/deck_spec.py; the page builds the same Inputs from its
cached reads.

The one-page rapor per kecamatan (metrics/reports/rapor.py) uses `kecamatan_summary`
(metrics/reports/ringkas_kecamatan.py), as the focus slide does, so the two agree.

Every text is in the active language (metrics/core/bahasa.py, catalogue metrics/core/teks/rapat.toml):
build the deck inside `bahasa.dalam("en")` for an English deck. Numbers in tables and KPIs
are text formatted for that language (formatting.angka: 1.234,5 or 1,234.5); chart series
are plain floats (None = no data), the engine's numbers unrounded.
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from metrics.core import bahasa, formatting
from metrics.core import periode as per
from metrics.core.bahasa import t
from metrics.data import wilayah
from metrics.engine import adopsi, benchmark
from metrics.presentation import tampil
from metrics.reports.deck_spec import (
    REPORT_LOOKBACK,
    Chart,
    Deck,
    Inputs,
    Metric,
    Series,
    Slide,
    Table,
    innovation_name,
    late_targets,
    model_label,
    movement,
    of,
    pillar_matrix,
    points_to_model,
    source,
)
from metrics.reports.ringkas_kecamatan import gap_columns, gap_rows, kecamatan_summary, rank_metrics

MOVERS = 5


# --------------------------------------------------------------------------- helpers


def _value(v) -> float | None:
    return None if v is None or pd.isna(v) else float(v)


def _rank_text(row) -> str:
    return f"{int(row.peringkat)}" if row.diperingkat and pd.notna(row.peringkat) else "—"


def _range_text(row) -> str:
    if not row.diperingkat or pd.isna(row.peringkat_min):
        return "—"
    return f"{int(row.peringkat_min)}–{int(row.peringkat_max)}"


def _halves(rows: list) -> tuple[list, list]:
    """A list in two balanced columns (the first the longer by one at most), whatever its length."""
    size = (len(rows) + 1) // 2
    return rows[:size], rows[size:]


# Rows (or bars) one slide holds readable: Asahan's 25 kecamatan on one; a larger kabupaten's list is
# paged over balanced slides (Garut's 42 as 21 + 21, the largest kabupaten's 51 as 26 + 25).
MOST_PER_SLIDE = 26


def _pages(n: int) -> list[slice]:
    """Balanced slices of n rows, none longer than MOST_PER_SLIDE; one (empty) slice for no rows."""
    count = max(1, -(-n // MOST_PER_SLIDE))
    size = max(1, -(-n // count))
    return [slice(i * size, (i + 1) * size) for i in range(count)]


def _part(title: str, i: int, count: int) -> str:
    """The title of page i of count: 'Skor pilar per kecamatan (1/2)'; the agenda names it once."""
    return title if count == 1 else t("rapat.bagian", judul=title, bagian=i + 1, dari=count)


def _kabupaten_now(inputs: Inputs) -> tuple[pd.DataFrame, float | None, float | None]:
    series = benchmark.kabupaten_series(inputs.history[inputs.history["periode"] <= inputs.periode])
    now = series[series["periode"] == inputs.periode]
    before = series[series["periode"] == inputs.periode - 1]
    median = _value(now["median"].iloc[0]) if len(now) else None
    previous = _value(before["median"].iloc[0]) if len(before) else None
    change = None if median is None or previous is None else tampil.perubahan(median, previous)
    return series, median, change


def stage_legend() -> str:
    """'0 Belum, 1 Direncanakan, …' in the active language."""
    return ", ".join(f"{n} {adopsi.nama_tahap(n)}" for n in sorted(adopsi.TAHAP))


def _target_label(inputs: Inputs, inovasi: str, tahap: int, tanggal) -> str:
    return t("rapat.target_label", nama=innovation_name(inputs, inovasi), tahap=adopsi.nama_tahap(int(tahap)),
             tanggal=formatting.tanggal(tanggal))


# --------------------------------------------------------------------------- slides


def _title_slide(inputs: Inputs, agenda: list[str]) -> Slide:
    month = formatting.bulan(inputs.periode)
    ranked = int(inputs.table["diperingkat"].sum())
    return Slide(
        key="judul",
        title=t("rapat.judul.judul"),
        subtitle=t("rapat.judul.subjudul", bulan=month),
        points=[t("rapat.judul.agenda", agenda=", ".join(agenda)),
                t("rapat.judul.cakupan", n=len(inputs.table), ranked=ranked, bulan=month),
                t("rapat.judul.indeks"),
                # the 2024 study visit is Asahan's history with Cimahi Tengah: told only in that configuration
                *([t("rapat.judul.studi")] if wilayah.aktif().bawaan else [])],
        notes=t("rapat.judul.catatan", sumber=source(inputs.demo), tanggal=formatting.tanggal(per.hari_ini())),
    )


def _kabupaten_slide(inputs: Inputs) -> Slide:
    month = formatting.bulan(inputs.periode)
    series, median, change = _kabupaten_now(inputs)
    incomplete = int((inputs.status["keadaan"] != "lengkap").sum())  # as the reporting slide lists them
    months = list(series["periode"])
    chart = Chart(
        kind="line",
        title=t("rapat.kabupaten.grafik", dari=formatting.bulan(months[0]) if months else "", sampai=month),
        categories=[formatting.bulan(m, short=True) for m in months],
        series=[Series(t("rapat.kabupaten.median"), [_value(v) for v in series["median"]]),
                Series(t("rapat.kabupaten.kuartil1"), [_value(v) for v in series["q1"]]),
                Series(t("rapat.kabupaten.kuartil3"), [_value(v) for v in series["q3"]]),
                Series(t("istilah.model_100"), [100.0] * len(months), dashed=True)],
        axis_title=t("istilah.indeks_tiru_skala"), minimum=0, maximum=100,
        colours=["#0072B2", "#8AB8DA", "#8AB8DA", "#D55E00"],
    )
    return Slide(
        key="kabupaten",
        title=t("rapat.kabupaten.judul"),
        subtitle=t("rapat.kabupaten.subjudul", bulan=month),
        metrics=[
            Metric(t("istilah.kpi.median_indeks"), tampil.indeks_teks(median),
                   tampil.median_gerak(change), delta_cetak=tampil.median_gerak(change, layar=False)),
            Metric(t("istilah.kpi.jarak"), points_to_model(median),
                   help=t("rapat.kabupaten.jarak_bantuan")),
            Metric(t("istilah.kpi.diperingkat"), of(int(inputs.table["diperingkat"].sum()), len(inputs.table))),
            Metric(t("istilah.kpi.belum_lengkap"), str(incomplete)),
        ],
        chart=chart,
        notes=" ".join(x for x in (t("rapat.kabupaten.catatan", sumber=source(inputs.demo)), tampil.catatan_sama(
            change, inputs.table["status_gerak"], inputs.table["perubahan"])) if x),
        frames={"series": series},
    )


def _ranking_chart_slides(inputs: Inputs) -> list[Slide]:
    """The ranking as bars, paged when more kecamatan are ranked than one slide names readably; the
    unranked are listed under the last page."""
    month = formatting.bulan(inputs.periode)
    ranked = inputs.table[inputs.table["diperingkat"]]
    unranked = inputs.table[~inputs.table["diperingkat"]]
    points = []
    if len(unranked):
        points.append(t("rapat.peringkat.belum", daftar=", ".join(
            f"{r.kecamatan} ({formatting.persen(r.cakupan)})" for r in unranked.itertuples())))
    pages = _pages(len(ranked))
    return [Slide(
        key="peringkat",
        title=t("rapat.peringkat.judul"),
        subtitle=t("rapat.peringkat.subjudul", bulan=month, n=len(ranked)),
        chart=Chart(
            kind="barh",
            title=t("rapat.peringkat.grafik", bulan=month),
            categories=[f"{_rank_text(r)}. {r.kecamatan}" for r in ranked.iloc[page].itertuples()],
            series=[Series(t("istilah.indeks_tiru"), [_value(v) for v in ranked["skor"].iloc[page]])],
            axis_title=t("rapat.peringkat.sumbu"), minimum=0, maximum=100,
            colours=["#0072B2"],
        ),
        points=points if page == pages[-1] else [],
        notes=t("rapat.peringkat.catatan", sumber=source(inputs.demo)),
        frames={"table": ranked.iloc[page]},  # Mode Rapat's bars (charts.composite_bars): this page's too
    ) for page in pages]


def _ranking_table_slide(inputs: Inputs) -> Slide:
    month = formatting.bulan(inputs.periode)
    rows = [[_rank_text(r), r.kecamatan, tampil.indeks_teks(r.skor), _range_text(r),
             tampil.gerak_teks(r.perubahan, r.gerak, r.status_gerak, rank=movement)
             if r.diperingkat or r.status_gerak == "keluar"  # a leaver says so, as on the page
             else t("rapat.tabel.cakupan", persen=formatting.persen(r.cakupan))]
            for r in inputs.table.itertuples()]
    columns = [t("rapat.no"), t("istilah.kecamatan"), t("rapat.indeks"), t("rapat.tabel.rentang"),
               t("istilah.gerak")]
    widths = [0.55, 2.5, 0.95, 1.05, 1.45]
    left, right = _halves(rows)
    return Slide(
        key="tabel",
        title=t("rapat.tabel.judul"),
        subtitle=t("rapat.tabel.subjudul", bulan=month),
        tables=[Table(columns, left, widths), Table(columns, right, widths)],
        notes=t("rapat.tabel.catatan", undian=formatting.angka(1000, 0), sumber=source(inputs.demo)),
    )


def _movers_slide(inputs: Inputs) -> Slide:
    month = formatting.bulan(inputs.periode)
    names = inputs.table.set_index("kode_kecamatan")["kecamatan"]
    up, down = benchmark.movers(inputs.history, inputs.periode, n=MOVERS)

    def rows(frame: pd.DataFrame) -> list[list[str]]:
        return [[names[r.kode_kecamatan], tampil.bertanda(r.perubahan),
                 f"{formatting.peringkat(r.peringkat)} ({movement(r.gerak)})"]
                for r in frame.itertuples()]

    both = pd.concat([up, down.iloc[::-1]], ignore_index=True)
    columns = [t("rapat.gerak.perubahan"), t("istilah.peringkat")]
    tables = [Table([t("rapat.gerak.naik")] + columns, rows(up) or [[t("rapat.gerak.tidak_naik"), "", ""]],
                    [2.4, 1.1, 1.1]),
              Table([t("rapat.gerak.turun")] + columns, rows(down) or [[t("rapat.gerak.tidak_turun"), "", ""]],
                    [2.4, 1.1, 1.1])]
    return Slide(
        key="gerak",
        title=t("rapat.gerak.judul"),
        subtitle=t("rapat.gerak.subjudul", dari=formatting.bulan(inputs.periode - 1), bulan=month),
        chart=Chart(
            kind="barh",
            title=t("rapat.gerak.grafik", bulan=month),
            categories=[names[k] for k in both["kode_kecamatan"]],
            series=[Series(t("rapat.gerak.perubahan"), [_value(v) for v in both["perubahan"]])],
            axis_title=t("rapat.gerak.sumbu"), number_format="+0.0;-0.0;0.0", colours=["#0072B2"],
        ),
        tables=tables,
        notes=t("rapat.gerak.catatan", sumber=source(inputs.demo)),
    )


def _pillar_slides(inputs: Inputs) -> list[Slide]:
    month = formatting.bulan(inputs.periode)
    matrix = pillar_matrix(inputs)
    pillar_names = list(bahasa.names(inputs.catalog.pilar))
    columns = [t("rapat.no"), t("istilah.kecamatan")] + pillar_names + [t("rapat.indeks")]
    rows, heat = [], []
    for r in inputs.table.itertuples():
        scores = [_value(v) for v in matrix.loc[r.kode_kecamatan]]
        rows.append([_rank_text(r), r.kecamatan] + [formatting.angka(v, 0) if v is not None else "–" for v in scores]
                    + [formatting.angka(r.skor, 0) if r.diperingkat else "—"])
        heat.append([None, None] + scores + [_value(r.skor) if r.diperingkat else None])
    coloured = tuple(range(2, 2 + len(pillar_names) + 1))
    widths = [0.45, 2.0] + [1.1] * len(pillar_names) + [0.9]
    pages = _pages(len(rows))  # a colour-coded row per kecamatan: too wide to halve beside itself
    return [Slide(
        key="pilar",
        title=t("rapat.pilar.judul"),
        subtitle=t("rapat.pilar.subjudul", bulan=month),
        tables=[Table(columns, rows[page], widths, heat[page], coloured)],
        notes=t("rapat.pilar.catatan", sumber=source(inputs.demo)),
    ) for page in pages]


def _adoption_slide(inputs: Inputs, status: pd.DataFrame) -> Slide:
    month = formatting.bulan(inputs.periode)
    summary = adopsi.target_summary(status) if len(status) else pd.DataFrame()
    if summary.empty:
        return Slide(key="adopsi", title=t("rapat.adopsi.judul"), subtitle=t("rapat.akhir", bulan=month),
                     points=[t("rapat.adopsi.kosong")], notes=t("rapat.adopsi.kosong_catatan"))
    summary = summary.sort_values(["tanggal", "inovasi"]).reset_index(drop=True)
    labels = [_target_label(inputs, i, t_, d) for i, t_, d in zip(summary["inovasi"], summary["tahap"],
                                                                   summary["tanggal"], strict=True)]
    due = [
        int(b - a - late)
        for a, b, late in zip(summary["tercapai"], summary["berlaku"], summary["terlambat"], strict=True)
    ]
    rows = [
        [label, of(a, b), f"{int(n)}" if n else "—"]
        for label, a, b, n in zip(labels, summary["tercapai"], summary["berlaku"], summary["terlambat"], strict=True)
    ]
    return Slide(
        key="adopsi",
        title=t("rapat.adopsi.judul"),
        subtitle=t("rapat.adopsi.subjudul", bulan=month),
        chart=Chart(
            kind="stacked",
            title=t("rapat.adopsi.grafik", bulan=month),
            categories=[t("rapat.dengan_tahap", nama=innovation_name(inputs, i), tahap=adopsi.nama_tahap(int(s)))
                        for i, s in zip(summary["inovasi"], summary["tahap"], strict=True)],
            series=[Series(t("istilah.tercapai"), [float(v) for v in summary["tercapai"]]),
                    Series(t("istilah.terlambat"), [float(v) for v in summary["terlambat"]], pola="/"),
                    Series(t("rapat.adopsi.belum_jatuh_tempo"), [float(v) for v in due], pola=".")],
            axis_title=t("istilah.jumlah_kecamatan"), minimum=0, number_format="0;-0;",  # zero counts unlabelled
            colours=["#009E73", "#D55E00", "#BBBBBB"],
        ),
        tables=[Table([t("istilah.target"), t("istilah.tercapai"), t("istilah.terlambat")], rows,
                      [3.2, 1.1, 1.0])],
        notes=t("rapat.adopsi.catatan", tahap=stage_legend(), sumber=source(inputs.demo)),
    )


def _late_slide(inputs: Inputs, status: pd.DataFrame) -> Slide:
    month = formatting.bulan(inputs.periode)
    names = inputs.kecamatan.set_index("kode")["nama"]
    late = status[status["terlambat"]] if len(status) else status
    rows = []
    if len(late):
        for (inovasi, tahap, tanggal), cells in late.groupby(["inovasi", "tahap", "tanggal"], sort=False):
            group = cells.sort_values(["hari_terlambat", "kode_kecamatan"], ascending=[False, True])
            rows.append((tanggal, [_target_label(inputs, inovasi, tahap, tanggal), str(len(group)),
                                   ", ".join(names.get(k, k) for k in group["kode_kecamatan"])]))
        rows = [row for _, row in sorted(rows, key=lambda item: item[0])]
    points = [] if rows else [t("rapat.terlambat.kosong")]
    return Slide(
        key="terlambat",
        title=t("rapat.terlambat.judul"),
        subtitle=t("rapat.terlambat.subjudul", bulan=month),
        tables=[Table([t("istilah.target"), t("rapat.terlambat.jumlah"), t("istilah.kecamatan")], rows,
                      [2.3, 0.7, 6.0])] if rows else [],
        points=points,
        notes=t("rapat.terlambat.catatan", sumber=source(inputs.demo)),
    )


def _silent_text(r) -> str:
    if pd.isna(r.terakhir):
        return t("rapat.laporan.belum_pernah")
    months = int(r.bulan_tanpa_laporan)
    last = formatting.bulan(int(r.terakhir))
    return t("rapat.laporan.terakhir_satu", bulan=last) if months == 1 else t("rapat.laporan.terakhir", bulan=last,
                                                                                n=months)


def _reporting_slide(inputs: Inputs) -> Slide:
    month = formatting.bulan(inputs.periode)
    status = inputs.status
    silent = status[status["dilaporkan"] == 0].sort_values(["terakhir", "kode"], na_position="first")
    partial = status[(status["dilaporkan"] > 0) & (status["dilaporkan"] < status["diharapkan"])]
    rows = [[r.nama, _silent_text(r)] for r in silent.itertuples()]
    for r in partial.itertuples():
        rows.append([r.nama, t("rapat.laporan.sebagian", a=r.dilaporkan, b=r.diharapkan)])
    return Slide(
        key="laporan",
        title=t("rapat.laporan.judul"),
        subtitle=t("rapat.laporan.subjudul", bulan=month),
        metrics=[Metric(t("rapat.laporan.tidak_melapor"), str(len(silent))),
                 Metric(t("rapat.laporan.melapor_sebagian"), str(len(partial))),
                 Metric(t("rapat.laporan.lengkap"), str(int((status["dilaporkan"] >= status["diharapkan"]).sum())))],
        tables=[Table([t("istilah.kecamatan"), t("rapat.laporan.status")], rows, [2.5, 6.0])] if rows else [],
        points=[] if rows else [t("rapat.laporan.semua")],
        notes=t("rapat.laporan.catatan", bulan=month, n=REPORT_LOOKBACK, sumber=source(inputs.demo)),
    )


# --------------------------------------------------------------------------- one kecamatan


def _focus_slide(inputs: Inputs, kode: str) -> Slide:
    month = formatting.bulan(inputs.periode)
    summary = kecamatan_summary(inputs, kode)
    stages = summary["stages"]
    running = [t("rapat.dengan_tahap", nama=innovation_name(inputs, c), tahap=adopsi.nama_tahap(s))
               for c, s in zip(stages["inovasi"], stages["tahap"], strict=True) if s >= 1]
    points = [t("rapat.fokus.inovasi", daftar=", ".join(running) if running else t("rapat.fokus.belum_direncanakan"))]
    if len(summary["late"]):
        points.append(t("rapat.fokus.target_terlambat", daftar=", ".join(
            _target_label(inputs, r.inovasi, r.tahap, r.tanggal) for r in summary["late"].itertuples())))
    pillars = summary["pillars"]
    return Slide(
        key="fokus",
        title=t("rapat.fokus.judul", nama=summary["nama"]),
        subtitle=t("rapat.fokus.subjudul", bulan=month, kode=kode),
        metrics=rank_metrics(summary),
        chart=Chart(
            kind="bar",
            title=t("rapat.fokus.grafik", nama=summary["nama"], bulan=month),
            categories=list(pillars.index),
            series=[Series(summary["nama"], [_value(v) for v in pillars["kecamatan"]]),
                    Series(t("istilah.median_asahan"), [_value(v) for v in pillars["median"]])],
            axis_title=t("istilah.skor_pilar_skala"), minimum=0, maximum=100, number_format="0",
            colours=["#0072B2", "#8A96A3"],
        ),
        tables=[Table([t("rapat.fokus.celah")] + gap_columns()[1:], gap_rows(summary), [2.7, 1.1, 1.1, 0.8, 1.5])],
        points=points,
        frames={"pillars": pillars, "nama": summary["nama"]},
        notes=t("rapat.fokus.catatan", undian=formatting.angka(1000, 0), sumber=source(inputs.demo)),
    )


def check_kecamatan(inputs: Inputs, kode: str | None) -> list[str] | None:
    """[kode] when it is an Asahan kecamatan, None when not given; ValueError (active language) otherwise."""
    if kode is None:
        return None
    if kode not in set(inputs.kecamatan["kode"]):
        raise ValueError(t("rapat.kecamatan_salah", kode=kode))
    return [kode]


# --------------------------------------------------------------------------- the deck


def deck(inputs: Inputs, fokus: str | None = None) -> Deck:
    """All slides for the month, in meeting order; the focus kecamatan (a code) last, if any.

    Texts are in the active language: build inside `bahasa.dalam("en")` for an English deck."""
    status = late_targets(inputs)
    sections = [  # a section is one slide, or the pages of a list too long for one (_pages)
        [_kabupaten_slide(inputs)],
        _ranking_chart_slides(inputs),
        [_ranking_table_slide(inputs)],
        [_movers_slide(inputs)],
        _pillar_slides(inputs),
        [_adoption_slide(inputs, status)],
        [_late_slide(inputs, status)],
        [_reporting_slide(inputs)],
    ]
    if fokus and fokus in set(inputs.table["kode_kecamatan"]):
        sections.append([_focus_slide(inputs, fokus)])
    agenda = list(dict.fromkeys(s[0].title if s[0].key != "fokus" else t("rapat.fokus.agenda") for s in sections))
    agenda = [title[:1].lower() + title[1:] for title in agenda]
    body = [dataclasses.replace(slide, title=_part(slide.title, i, len(section)))
            for section in sections for i, slide in enumerate(section)]
    return Deck(
        periode=inputs.periode,
        demo=inputs.demo,
        model=model_label(inputs.catalog),
        slides=[_title_slide(inputs, agenda)] + body,
        bulan=inputs.keadaan.baris() if inputs.keadaan is not None and not inputs.keadaan.final else inputs.bulan,
    )
