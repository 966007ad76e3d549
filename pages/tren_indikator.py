"""Tren: one indicator over the months for chosen kecamatan, against the Asahan median, the
model and the target; all 25 as small multiples; when the model level would be reached."""

import streamlit as st

from metrics.app import bagikan, tampilan, ui
from metrics.core import bahasa, formatting
from metrics.core.bahasa import t
from metrics.engine import benchmark, tren
from metrics.reports import teks_bagikan as ringkas

ui.title(t("tren.halaman.judul"))
periode = ui.require_period(t("tren.halaman.akibat_kosong"))

catalog = ui.catalog()
indikator = catalog.indikator
kecamatan = ui.table("kecamatan")
asahan = kecamatan[kecamatan["wilayah"] == benchmark.region()]
names = kecamatan.set_index("kode")["nama"]
codes = list(catalog.scored.index)

left, window = st.columns([3, 1], gap="medium")
right = st.container()  # the kecamatan chips get the full width: none is cut at 1280 px (#15.4)
code = ui.url_selectbox(t("istilah.indikator"), codes, "indikator", default="waktu_tunggu", container=left,
                        format_func=lambda c: bahasa.nama(indikator.loc[c]),
                        help=t("tren.halaman.indikator_bantuan"))
meta = indikator.loc[code]
nama = bahasa.nama(meta)
satuan = meta["satuan"]  # the catalogue's unit, for formatting.nilai; shown via formatting.satuan
card = ui.scorecard(periode)
chosen = ui.url_multiselect(
    t("tren.halaman.kecamatan", n=8), list(asahan["kode"]), "kecamatan", default=tren.default_kecamatan(card, code),
    max_selections=8, container=right, format_func=lambda k: names.get(k, k),
    help=t("tren.halaman.kecamatan_bantuan"),
)

jendela = ui.url_selectbox(t("tren.halaman.jendela"), list(tren.JENDELA), "jendela", container=window,
                          format_func=lambda j: t(f"tren.halaman.jendela_{j}"), help=t("tren.halaman.jendela_bantuan"))
first = tren.window_start(ui.periods()[0], periode, jendela)
view = tampilan.trend(periode, code, tuple(chosen), first)
months = view.months
month = formatting.bulan(periode)
st.caption(t("tren.halaman.keterangan", indikator=nama, satuan=formatting.satuan(satuan),
             arah=tren.arah_teks(meta["arah"]), frekuensi=tren.frekuensi_teks(meta["frekuensi"]),
             dari=formatting.bulan(months[0] if months else first), sampai=month))
if not months:
    st.info(t("tren.halaman.belum_ada", indikator=nama, bulan=month), icon=":material/info:")
    st.stop()

median, frame, target = view.median, view.frame, view.target
bagikan.summary(ringkas.tren(t("tren.halaman.judul"), nama, satuan, median, meta["model"], periode, ui.has_demo()))
latest_median = median.dropna(subset=["median"]).tail(1)
now = card[card["indikator"] == code]
kpis = ui.kpi_row("kpi-tren")


def in_unit(label: str) -> str:
    """A KPI label with the unit, so the value stays a short number ("minutes" would be cut off)."""
    return f"{label} ({formatting.satuan(satuan)})"


def number(value) -> str:
    return formatting.angka(value, formatting.decimals_for(satuan))


kpis.metric(
    in_unit(t("istilah.median_asahan")), number(latest_median["median"].iloc[0]) if len(latest_median) else "—",
    border=True,
    help=(t("tren.halaman.median_bantuan", bulan=formatting.bulan(int(latest_median["periode"].iloc[0])))
          if len(latest_median) else t("tren.halaman.median_kosong")),
)
kpis.metric(in_unit(t("istilah.model")), number(meta["model"]), border=True,
            help=t("istilah.sumber_isi", sumber=ui.plain(meta["model_sumber"])))
if len(target):
    target_help = t("tren.halaman.target_contoh_bantuan" if target["demo"].iloc[0] else "tren.halaman.target_bantuan",
                    bulan=formatting.bulan(int(target["periode"].iloc[0])))
else:
    target_help = t("tren.halaman.target_kosong")
kpis.metric(in_unit(t("istilah.target")), number(target["nilai"].iloc[0]) if len(target) else "—",
            border=True, help=target_help)
kpis.metric(
    t("tren.halaman.mencapai"), t("tren.halaman.mencapai_nilai", n=int((now["skor"] >= 100).sum()), dari=len(now)),
    border=True, help=t("tren.halaman.mencapai_bantuan", bulan=month),
)

if not chosen:
    st.info(t("tren.halaman.pilih_kecamatan"), icon=":material/info:")
no_data = [names.get(k, k) for k, g in frame.groupby("kode_kecamatan", sort=False) if g["nilai"].isna().all()]
if no_data:
    st.warning(t("tren.halaman.tanpa_data", indikator=nama, bulan=month, kecamatan=", ".join(no_data)),
               icon=":material/warning:")

with st.container(border=True):
    bagikan.chart(view.figure, f"tren-{code}")
    st.caption(t("tren.halaman.catatan_grafik_berkala" if meta["frekuensi"] != "bulanan"
                 else "tren.halaman.catatan_grafik", sumber=ui.plain(meta["model_sumber"])))

st.header(t("tren.halaman.kapan"))
st.caption(t("tren.halaman.kapan_keterangan", jendela=tren.WINDOW_MONTHS, bulan=month, minimal=tren.MIN_POINTS))
if chosen:
    bagikan.table(view.projection_table, f"tren-{code}", f"{t('tren.halaman.kapan')} · {nama}",
                  hide_index=True, width="stretch")
    which = ui.url_selectbox(t("tren.halaman.proyeksi_untuk"), list(view.projected), "proyeksi", default=chosen[0],
                             format_func=lambda k: names.get(k, k))
    with st.container(border=True):
        bagikan.chart(tampilan.projection_figure(periode, code, tuple(chosen), first, which),
                      f"tren-{code}-proyeksi-{which}")
        st.caption(view.projected[which].reason)
else:
    st.write(t("tren.halaman.pilih_proyeksi"))

st.header(t("tren.halaman.semua", n=len(asahan)))
with st.container(border=True):
    bagikan.chart(ui.small_multiples(code, first, periode, tuple(chosen)), f"tren-{code}-semua")
