"""What Ringkasan, Peringkat, Profil and Tren show, computed once and shared by every session.

When the room opens the link at once, every session runs its page script on the one core the
process has; a page's time is its script's time (README "Kinerja"). The reads are cached in
`ui`; here the frames, figures and texts made from them are kept whole with `ui.kept`, per
month (and kecamatan or control), database generation and language, so a session mostly
draws what is already made. Results are shared: pages never change them in place.
"""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from metrics.app import ui
from metrics.charts import common as charts
from metrics.charts import tren as charts_tren
from metrics.core import bahasa, formatting
from metrics.core import periode as per
from metrics.core.bahasa import t
from metrics.engine import adopsi, benchmark, similarity, tren
from metrics.presentation import tabel


def figure(key: tuple, builder, *args):
    """builder(*args) kept per `key`, which must determine the arguments (they are not hashed)."""
    return ui.kept(f"gambar:{builder.__module__}.{builder.__qualname__}", key, lambda: builder(*args))


# ---- Ringkasan

def kabupaten_series(periode: int) -> pd.DataFrame:
    """benchmark.kabupaten_series of every month up to `periode`."""
    def build():
        history = ui.composite_history()
        return benchmark.kabupaten_series(history[history["periode"] <= periode])

    return ui.kept("ringkasan.seri", (periode,), build)


def reporting_gaps(periode: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The month's kecamatan that sent nothing and those that sent part (benchmark.reporting_status)."""
    def build():
        status = ui.reporting_status(periode)
        return status[status["keadaan"] == "belum"], status[status["keadaan"] == "sebagian"]

    return ui.kept("ringkasan.belum_lapor", (periode,), build)


def asahan() -> pd.DataFrame:
    """The Asahan kecamatan (ui.table("kecamatan")) indexed by code, in code order."""
    def build():
        kecamatan = ui.table("kecamatan")
        return kecamatan[kecamatan["wilayah"] == benchmark.REGION].set_index("kode")

    return ui.kept("kecamatan.asahan", (), build)


def league_by_code(periode: int) -> pd.DataFrame:
    """The month's league table indexed by kecamatan code."""
    return ui.kept("liga.kode", (periode,), lambda: ui.league_table(periode).set_index("kode_kecamatan"))


def target_frame(periode: int) -> pd.DataFrame:
    """The Sekda's adoption targets as Ringkasan shows them (ui.target_summary: up to today in the
    current month, so today is in the key)."""
    def build():
        summary = ui.target_summary(periode)
        inovasi_names = bahasa.names(ui.table("inovasi"), "nama")
        return pd.DataFrame({
            t("istilah.inovasi"): [adopsi.short_name(c, inovasi_names[c]) for c in summary["inovasi"]],
            t("istilah.target"): [t("ringkasan.adopsi.target", tahap=stage, nama=adopsi.nama_tahap(stage),
                                    tanggal=formatting.tanggal(d))
                                  for stage, d in zip(summary["tahap"], summary["tanggal"])],
            t("istilah.tercapai"): [t("ringkasan.adopsi.tercapai", tercapai=a, berlaku=b)
                                    for a, b in zip(summary["tercapai"], summary["berlaku"])],
            t("istilah.terlambat"): [t("ringkasan.adopsi.terlambat", n=int(n)) if n else "—"
                                     for n in summary["terlambat"]],
        })

    return ui.kept("ringkasan.target", (periode, per.hari_ini()), build)


def ombudsman_frame() -> pd.DataFrame:
    """The Ombudsman compliance series with its sources, as Ringkasan's "Sumber" table shows it."""
    def build():
        ombudsman = ui.table("ombudsman")
        return pd.DataFrame({
            t("ringkasan.ombudsman.wilayah"): ombudsman["wilayah"],
            t("istilah.tahun"): ombudsman["tahun"].astype(str),
            t("ringkasan.ombudsman.nilai"): [formatting.angka(v, 2) for v in ombudsman["nilai"]],
            t("ringkasan.ombudsman.zona"): [charts.zone_name(z) for z in ombudsman["zona"]],
            t("ringkasan.ombudsman.opini"): ombudsman["kategori"].fillna("—"),
            t("istilah.sumber"): ombudsman["sumber"],
        })

    return ui.kept("ringkasan.ombudsman", (), build)


def movers(periode: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """benchmark.movers of the month: (up, down)."""
    return ui.kept("ringkasan.gerak", (periode,), lambda: benchmark.movers(ui.composite_history(), periode))


# ---- Peringkat

def ranked_rows(periode: int, measure: str, group_of: str | None) -> pd.DataFrame:
    """The league table's rows for a sort measure and similar group (benchmark.measure_table)."""
    def build():
        shown = benchmark.measure_table(ui.league_table(periode), ui.scorecard(periode), measure)
        if measure == benchmark.COMPOSITE:
            shown = shown[shown["diperingkat"]]
        if group_of:
            members = [group_of] + list(most_similar(group_of)["kode"])
            shown = shown[shown["kode_kecamatan"].isin(members)]
        return shown

    return ui.kept("peringkat.baris", (periode, measure, group_of), build)


def unranked_frame(periode: int) -> pd.DataFrame:
    """tabel.unranked_frame of the month's kecamatan below the coverage threshold."""
    def build():
        table = ui.league_table(periode)
        return tabel.unranked_frame(table[~table["diperingkat"]], ui.catalog())

    return ui.kept("peringkat.belum", (periode,), build)


# ---- Profil kecamatan

def total_weight() -> float:
    """The scored indicators' weights summed (the Indeks Tiru's denominator)."""
    return ui.kept("profil.bobot", (), lambda: float(ui.catalog().weights.sum()))


def profile_scorecard(periode: int, kode: str) -> pd.DataFrame:
    return ui.kept("profil.kartu", (periode, kode),
                   lambda: benchmark.profile_scorecard(ui.scorecard(periode), kode, ui.catalog()))


def profile_table(periode: int, kode: str) -> pd.DataFrame:
    """tabel.profile_table: the scorecard as shown, with 12 months of sparkline."""
    def build():
        recent = ui.observasi(periode - 11, periode)
        return tabel.profile_table(profile_scorecard(periode, kode), recent[recent["kode_kecamatan"] == kode],
                                       ui.catalog().indikator["frekuensi"], charts.source_label(True))

    return ui.kept("profil.tabel", (periode, kode), build)


def stages(periode: int, kode: str) -> pd.DataFrame:
    """adopsi.stage_matrix of the kecamatan at the end of the month."""
    return ui.kept("profil.tahap", (periode, kode), lambda: adopsi.stage_matrix(
        ui.table("adopsi"), [kode], list(ui.table("inovasi").index), periode))


def next_steps(periode: int, kode: str) -> pd.DataFrame:
    return ui.kept("profil.langkah", (periode, kode), lambda: benchmark.next_steps(
        profile_scorecard(periode, kode), stages(periode, kode), ui.table("inovasi")["indikator"]))


def stage_table(periode: int, kode: str) -> pd.DataFrame:
    return ui.kept("profil.tabel_tahap", (periode, kode), lambda: tabel.stage_table(
        stages(periode, kode), bahasa.names(ui.table("inovasi"), "nama")))


def most_similar(kode: str) -> pd.DataFrame:
    def build():
        kecamatan = ui.table("kecamatan")
        return similarity.most_similar(kecamatan[kecamatan["wilayah"] == benchmark.REGION], kode)

    return ui.kept("profil.mirip", (kode,), build)


def pillar_figure(periode: int, kode: str, nama: str, source: str):
    """charts.pillar_comparison of the kecamatan against the median (name and source follow kode and
    the database)."""
    return ui.kept("profil.gambar_pilar", (periode, kode), lambda: charts.pillar_comparison(
        benchmark.pillar_comparison(ui.scorecard(periode), kode, ui.catalog()), nama, periode, source))


def rank_figure(periode: int, kode: str, nama: str, total: int, source: str):
    """charts.rank_history of the kecamatan up to the month."""
    def build():
        history = benchmark.rank_history(ui.composite_history(), kode, periode)
        return charts.rank_history(history, nama, total, source)

    return ui.kept("profil.gambar_peringkat", (periode, kode), build)


# ---- Tren

def trend(periode: int, code: str, chosen: tuple[str, ...], first: int) -> SimpleNamespace:
    """What Tren draws for an indicator, the chosen kecamatan and the window first…periode: the months
    shown (empty: nothing to draw), the Asahan median, the chosen series, their targets and
    projections, the trend chart and the projections as a table."""
    def build():
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
            t("tren.halaman.kolom.laju"): [formatting.MISSING if p.slope is None else
                                           f"{'+' if p.slope >= 0 else '−'}{tren.pace_unit(abs(p.slope), satuan)}"
                                           for p in projected.values()],
            t("tren.halaman.kolom.dipakai"): [p.months_used for p in projected.values()],
            t("tren.halaman.kolom.tercapai"): [p.summary for p in projected.values()],
        })
        return SimpleNamespace(months=months, median=median, frame=frame, target=target, projected=projected,
                               figure=charts_tren.trend_chart(frame, median, meta, names, target, months),
                               projection_table=table)

    return ui.kept("tren.tampilan", (periode, code, chosen, first), build)


def projection_figure(periode: int, code: str, chosen: tuple[str, ...], first: int, which: str):
    """charts_tren.projection_chart of one chosen kecamatan (trend() has its series and projection)."""
    def build():
        view = trend(periode, code, chosen, first)
        nama = asahan()["nama"].get(which, which)
        return charts_tren.projection_chart(view.frame[view.frame["kode_kecamatan"] == which], view.projected[which],
                                            ui.catalog().indikator.loc[code], nama)

    return ui.kept("tren.proyeksi", (periode, code, chosen, first, which), build)


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
    ui.kept("bulan.pemberitahuan", (periode, per.hari_ini(), per.tenggat_hari()),
            lambda: bulan.notice(ui.month_table(), periode))
    source = charts.source_label(ui.has_demo())
    names = asahan()["nama"]
    for kode, nama in names.items():
        profile_table(periode, kode), next_steps(periode, kode), stage_table(periode, kode), most_similar(kode)
        pillar_figure(periode, kode, nama, source), rank_figure(periode, kode, nama, len(names), source)
