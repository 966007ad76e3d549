"""What Ringkasan, Peringkat, Profil and Tren show, computed once and shared by every session.

When the room opens the link at once, every session runs its page script on the one core the
process has; a page's time is its script's time (README "Kinerja"). The reads are cached in
`ui`; here the frames, figures and texts made from them are kept whole with `@ui.cached`, per
month (and kecamatan or control), database generation and language, so a session mostly
draws what is already made. Results are shared: pages never change them in place.
"""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from metrics.app import ui
from metrics.charts import common as charts
from metrics.charts import grafik_tren as charts_tren
from metrics.core import bahasa, formatting
from metrics.core.bahasa import t
from metrics.data import wilayah
from metrics.engine import adopsi, benchmark, metodologi, similarity, tren
from metrics.presentation import tabel
from metrics.reports import teks_bagikan as ringkas


# ---- Ringkasan

@ui.cached
def kabupaten_series(periode: int) -> pd.DataFrame:
    """benchmark.kabupaten_series of every month up to `periode`."""
    history = ui.composite_history()
    return benchmark.kabupaten_series(history[history["periode"] <= periode])


@ui.cached
def kabupaten_figure(periode: int, source: str):
    """charts.kabupaten_trend of the median Indeks up to the month."""
    return charts.kabupaten_trend(kabupaten_series(periode), source)


@ui.cached
def band_figure(periode: int):
    """charts.band_bars: how many kecamatan in each band of the Indeks this month."""
    return charts.band_bars(benchmark.band_counts(ui.league_table(periode)), periode)


@ui.cached
def ombudsman_figure():
    return charts.ombudsman_chart(ui.table("ombudsman"))


def ombudsman_missing() -> list[str]:
    """The configured kabupaten/kota (the benchmarked one, the model's) without an Ombudsman row: the series
    is known for a few regions only (data/reference/ombudsman_kepatuhan.csv), the rest is shown as missing."""
    config = wilayah.aktif()
    known = set(ui.table("ombudsman")["kode"].astype(str))
    wanted = dict.fromkeys([(config.kode, config.kabupaten), (config.model_kode_kabupaten, config.model_kabupaten)])
    return [name for kode, name in wanted if kode not in known]


@ui.cached
def kabupaten_summary(periode: int) -> str:
    """Ringkasan's Bagikan text (metrics/reports/bagikan.ringkasan)."""
    return ringkas.ringkasan(t("ringkasan.judul"), kabupaten_series(periode), ui.league_table(periode), periode,
                             ui.has_demo())


@ui.cached
def reporting_gaps(periode: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The month's kecamatan that sent nothing and those that sent part (benchmark.reporting_status)."""
    status = ui.reporting_status(periode)
    return status[status["keadaan"] == "belum"], status[status["keadaan"] == "sebagian"]


@ui.cached
def asahan() -> pd.DataFrame:
    """The Asahan kecamatan (ui.table("kecamatan")) indexed by code, in code order. Shared: never changed."""
    kecamatan = ui.table("kecamatan")
    return kecamatan[kecamatan["wilayah"] == benchmark.region()].set_index("kode")


@ui.cached
def measures() -> dict[str, str]:
    """benchmark.measures: what Peringkat sorts and colours by. Shared: never changed."""
    return benchmark.measures(ui.catalog())


@ui.cached
def league_by_code(periode: int) -> pd.DataFrame:
    """The month's league table indexed by kecamatan code."""
    return ui.league_table(periode).set_index("kode_kecamatan")


@ui.cached
def target_frame(periode: int) -> pd.DataFrame:
    """The Sekda's adoption targets as Ringkasan shows them (ui.target_summary: up to today in the
    current month)."""
    summary = ui.target_summary(periode)
    inovasi_names = bahasa.names(ui.table("inovasi"), "nama")
    return pd.DataFrame({
        t("istilah.inovasi"): [adopsi.short_name(c, inovasi_names[c]) for c in summary["inovasi"]],
        t("istilah.target"): [t("ringkasan.adopsi.target", tahap=stage, nama=adopsi.nama_tahap(stage),
                                tanggal=formatting.tanggal(d))
                              for stage, d in zip(summary["tahap"], summary["tanggal"], strict=True)],
        t("istilah.tercapai"): [t("ringkasan.adopsi.tercapai", tercapai=a, berlaku=b)
                                for a, b in zip(summary["tercapai"], summary["berlaku"], strict=True)],
        t("istilah.terlambat"): [t("ringkasan.adopsi.terlambat", n=int(n)) if n else "—"
                                 for n in summary["terlambat"]],
    })


@ui.cached
def demo_outlier_text() -> str:
    """metodologi.demo_outlier_text: the Metodologi page's sentence on the demo's outlier ('' without one)."""
    return metodologi.demo_outlier_text(ui.store())


@ui.cached
def ombudsman_frame() -> pd.DataFrame:
    """The Ombudsman compliance series with its sources, as Ringkasan's "Sumber" table shows it."""
    ombudsman = ui.table("ombudsman")
    return pd.DataFrame({
        t("ringkasan.ombudsman.wilayah"): ombudsman["wilayah"],
        t("istilah.tahun"): ombudsman["tahun"].astype(str),
        t("ringkasan.ombudsman.nilai"): [formatting.angka(v, 2) for v in ombudsman["nilai"]],
        t("ringkasan.ombudsman.zona"): [charts.zone_name(z) for z in ombudsman["zona"]],
        t("ringkasan.ombudsman.opini"): ombudsman["kategori"].fillna("—"),
        t("istilah.sumber"): ombudsman["sumber"],
    })


@ui.cached
def movers(periode: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """benchmark.movers of the month: (up, down)."""
    return benchmark.movers(ui.composite_history(), periode)


# ---- Peringkat

@ui.cached
def ranked_rows(periode: int, measure: str, group_of: str | None) -> pd.DataFrame:
    """The league table's rows for a sort measure and similar group (benchmark.measure_table)."""
    shown = benchmark.measure_table(ui.league_table(periode), ui.scorecard(periode), measure)
    if measure == benchmark.COMPOSITE:
        shown = shown[shown["diperingkat"]]
    if group_of:
        members = [group_of] + list(most_similar(group_of)["kode"])
        shown = shown[shown["kode_kecamatan"].isin(members)]
    return shown


@ui.cached
def unranked_frame(periode: int) -> pd.DataFrame:
    """tabel.unranked_frame of the month's kecamatan below the coverage threshold."""
    table = ui.league_table(periode)
    return tabel.unranked_frame(table[~table["diperingkat"]], ui.catalog())


@ui.cached
def league_figure(periode: int, source: str):
    """charts.composite_bars of the month's ranked kecamatan."""
    return charts.composite_bars(ui.league_table(periode), periode, source)


@ui.cached
def league_summary(periode: int) -> str:
    """Peringkat's Bagikan text (metrics/reports/bagikan.peringkat)."""
    return ringkas.peringkat(t("peringkat.judul"), ui.league_table(periode), periode, ui.has_demo())


# ---- Profil kecamatan

@ui.cached
def profile_summary(periode: int, kode: str) -> str:
    """Profil's Bagikan text (metrics/reports/bagikan.profil)."""
    table = league_by_code(periode)
    return ringkas.profil(t("umum.nav.profil"), table.loc[kode], int(table["diperingkat"].sum()), periode,
                          ui.has_demo())


@ui.cached
def total_weight() -> float:
    """The scored indicators' weights summed (the Indeks Tiru's denominator)."""
    return float(ui.catalog().weights.sum())


@ui.cached
def profile_scorecard(periode: int, kode: str) -> pd.DataFrame:
    return benchmark.profile_scorecard(ui.scorecard(periode), kode, ui.catalog())


@ui.cached
def profile_table(periode: int, kode: str) -> pd.DataFrame:
    """tabel.profile_table: the scorecard as shown, with 12 months of sparkline."""
    recent = ui.observasi(periode - 11, periode)
    return tabel.profile_table(profile_scorecard(periode, kode), recent[recent["kode_kecamatan"] == kode],
                                   ui.catalog().indikator["frekuensi"], charts.source_label(True))


@ui.cached
def stages(periode: int, kode: str) -> pd.DataFrame:
    """adopsi.stage_matrix of the kecamatan at the end of the month."""
    return adopsi.stage_matrix(ui.table("adopsi"), [kode], list(ui.table("inovasi").index), periode)


@ui.cached
def next_steps(periode: int, kode: str) -> pd.DataFrame:
    return benchmark.next_steps(profile_scorecard(periode, kode), stages(periode, kode),
                                ui.table("inovasi")["indikator"])


@ui.cached
def stage_table(periode: int, kode: str) -> pd.DataFrame:
    return tabel.stage_table(stages(periode, kode), bahasa.names(ui.table("inovasi"), "nama"))


@ui.cached
def similarity_without_location() -> bool:
    """Whether most_similar leaves location out: a centre of the ranked kecamatan is unknown (#25)."""
    kecamatan = ui.table("kecamatan")
    return bool(kecamatan.loc[kecamatan["wilayah"] == benchmark.region(), ["lat", "lon"]].isna().to_numpy().any())


@ui.cached
def most_similar(kode: str) -> pd.DataFrame:
    kecamatan = ui.table("kecamatan")
    return similarity.most_similar(kecamatan[kecamatan["wilayah"] == benchmark.region()], kode)


@ui.cached
def pillar_figure(periode: int, kode: str, nama: str, source: str):
    """charts.pillar_comparison of the kecamatan against the median."""
    return charts.pillar_comparison(benchmark.pillar_comparison(ui.scorecard(periode), kode, ui.catalog()), nama,
                                    periode, source)


@ui.cached
def rank_figure(periode: int, kode: str, nama: str, total: int, source: str):
    """charts.rank_history of the kecamatan up to the month."""
    history = benchmark.rank_history(ui.composite_history(), kode, periode)
    return charts.rank_history(history, nama, total, source)


# ---- Tren

@ui.cached
def trend(periode: int, code: str, chosen: tuple[str, ...], first: int) -> SimpleNamespace:
    """What Tren draws for an indicator, the chosen kecamatan and the window first…periode: the months
    shown (empty: nothing to draw), the Asahan median, the chosen series, their targets and
    projections, the trend chart and the projections as a table."""
    meta = ui.catalog().indikator.loc[code]
    names = asahan()["nama"]
    observasi = ui.observasi(first, periode)
    months = tren.months_shown(observasi, code, meta["frekuensi"], first, periode)
    if not months:
        return SimpleNamespace(months=[])
    median = tren.median(observasi, code, list(names.index), months)
    frame = tren.series(observasi, code, list(chosen), months)
    batches = ui.table("batches")
    demo_batches = set(batches.loc[batches["demo"], "id"]) if len(batches) else set()
    target = tren.targets(ui.table("target_indikator"), code, list(chosen), demo_batches)
    satuan = meta["satuan"]
    projected = tren.projections(frame, periode, float(meta["model"]), meta["arah"], satuan) if chosen else {}
    table = pd.DataFrame({
        t("istilah.kecamatan"): [names.get(k, k) for k in projected],
        t("tren.halaman.kolom.terakhir"): [formatting.nilai(p.latest, satuan) for p in projected.values()],
        t("tren.halaman.kolom.laju"): [tren.laju(p.slope, satuan) for p in projected.values()],
        t("tren.halaman.kolom.dipakai"): [p.months_used for p in projected.values()],
        t("tren.halaman.kolom.tercapai"): [p.summary for p in projected.values()],
    })
    return SimpleNamespace(months=months, median=median, frame=frame, target=target, projected=projected,
                           figure=charts_tren.trend_chart(frame, median, meta, names, target, months),
                           projection_table=table)



@ui.cached
def projection_figure(periode: int, code: str, chosen: tuple[str, ...], first: int, which: str):
    """charts_tren.projection_chart of one chosen kecamatan (trend() has its series and projection)."""
    view = trend(periode, code, chosen, first)
    nama = asahan()["nama"].get(which, which)
    return charts_tren.projection_chart(view.frame[view.frame["kode_kecamatan"] == which], view.projected[which],
                                        ui.catalog().indikator.loc[code], nama)


# ---- Metodologi

@ui.cached
def worked_example(periode: int):
    """metodologi.worked_example: the Indeks of one kecamatan computed step by step."""
    return metodologi.worked_example(ui.store(), periode)


# ---- before the first visitor

def warm() -> None:
    """Fill the caches of the default month's Ringkasan, Peringkat and every Profil (in the default
    language), so the first visitors after a start do not pay for them. `tiru serve` calls it before
    the server takes connections."""
    from metrics.engine import bulan

    months = ui.periods()
    if not months:
        return
    periode = bulan.default_month(ui.month_table()) or months[-1]
    for read in (ui.catalog, ui.has_demo, ui.composite_history, ui.events):
        read()
    for name in ("kecamatan", "inovasi", "adopsi", "ombudsman", "target"):
        ui.table(name)
    for month in (periode, periode - 1):
        if month in months:
            ui.league_table(month)
    ui.scorecard(periode), ui.reporting_status(periode), ui.target_summary(periode)
    kabupaten_series(periode), movers(periode), unranked_frame(periode)
    ranked_rows(periode, benchmark.COMPOSITE, "")
    ui.observasi(periode - 11, periode)
    ui.month_notice(periode)
    source = charts.source_label(ui.has_demo())
    names = asahan()["nama"]
    for kode, nama in names.items():
        profile_table(periode, kode), next_steps(periode, kode), stage_table(periode, kode), most_similar(kode)
        pillar_figure(periode, kode, nama, source), rank_figure(periode, kode, nama, len(names), source)
