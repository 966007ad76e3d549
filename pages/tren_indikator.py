"""Tren: one indicator over the months for chosen kecamatan, against the Asahan median, the
model and the target; all 25 as small multiples; when the model level would be reached."""

import pandas as pd
import streamlit as st

from metrics import charts_tren, formatting, tren, ui


st.title("Tren indikator")
periode = ui.require_period("belum ada tren yang dapat digambar")

catalog = ui.catalog()
indikator = catalog.indikator
kecamatan = ui.table("kecamatan")
asahan = kecamatan[kecamatan["wilayah"] == "Asahan"]
names = kecamatan.set_index("kode")["nama"]
codes = list(catalog.scored.index)

left, right = st.columns([2, 3], gap="medium")
code = ui.url_selectbox("Indikator", codes, "indikator", default="waktu_tunggu", container=left,
                        format_func=lambda c: indikator.at[c, "nama"],
                        help="Indikator yang digambar. Tersimpan di alamat halaman (?indikator=…).")
meta = indikator.loc[code]
card = ui.scorecard(periode)
chosen = ui.url_multiselect(
    "Kecamatan (paling banyak 8)", list(asahan["kode"]), "kecamatan", default=tren.default_kecamatan(card, code),
    max_selections=8, container=right, format_func=lambda k: names.get(k, k),
    help="Bawaan: 3 kecamatan terdekat dan 3 terjauh dari model pada indikator ini, bulan terpilih.",
)

first = ui.periods()[0]
observasi = ui.observasi(first, periode)
months = tren.months_shown(observasi, code, meta["frekuensi"], first, periode)
month = formatting.bulan(periode)
direction = tren.DIRECTION[meta["arah"]]
st.caption(
    f"{meta['nama']} · satuan {meta['satuan']} · {direction} · dilaporkan {meta['frekuensi']} · "
    f"{formatting.bulan(months[0] if months else first)} – {month}"
)
if not months:
    st.info(f"Belum ada data {meta['nama']} sampai {month}. Pilih bulan yang lebih akhir atau indikator lain.",
            icon=":material/info:")
    st.stop()

all_codes = list(asahan["kode"])
median = tren.median(observasi, code, all_codes, months)
frame = tren.series(observasi, code, chosen, months)
batches = ui.table("batches")
demo_batches = set(batches.loc[batches["demo"], "id"]) if len(batches) else set()
target = tren.targets(ui.table("target_indikator"), code, chosen, demo_batches)

latest_median = median.dropna(subset=["median"]).tail(1)
now = card[card["indikator"] == code]
kpis = st.columns(4)
kpis[0].metric(
    "Median Asahan", tren.with_unit(latest_median["median"].iloc[0], meta["satuan"]) if len(latest_median) else "—",
    border=True,
    help=(f"Median kecamatan yang melapor pada {formatting.bulan(int(latest_median['periode'].iloc[0]))}."
          if len(latest_median) else "Belum ada kecamatan yang melapor."),
)
kpis[1].metric("Model", tren.with_unit(meta["model"], meta["satuan"]), border=True,
               help=f"Sumber: {meta['model_sumber']}")
kpis[2].metric(
    "Target", tren.with_unit(target["nilai"].iloc[0], meta["satuan"]) if len(target) else "—", border=True,
    help=(f"Target {formatting.bulan(int(target['periode'].iloc[0]))}"
          f"{' (DATA CONTOH)' if target['demo'].iloc[0] else ''}." if len(target) else "Belum ada target."),
)
kpis[3].metric(
    "Mencapai model", f"{int((now['skor'] >= 100).sum())} dari {len(now)}", border=True,
    help=f"Kecamatan dengan nilai berlaku pada {month} yang setara atau melampaui model.",
)

if not chosen:
    st.info("Pilih satu atau beberapa kecamatan untuk digambar di samping median dan model.", icon=":material/info:")
no_data = [names.get(k, k) for k, g in frame.groupby("kode_kecamatan", sort=False) if g["nilai"].isna().all()]
if no_data:
    st.warning(f"Tidak ada data {meta['nama']} sampai {month} untuk: {', '.join(no_data)}.",
               icon=":material/warning:")

with st.container(border=True):
    st.plotly_chart(charts_tren.trend_chart(frame, median, meta, names, target, months), width="stretch",
                    config={"displayModeBar": False})
    st.caption(
        "Median dihitung dari kecamatan Asahan yang melapor pada bulan itu. Garis terputus = bulan tanpa laporan"
        + ("; indikator ini digambar hanya pada bulan laporannya (tidak dibawa maju)"
           if meta["frekuensi"] != "bulanan" else "")
        + f". Model: {meta['model_sumber']}."
    )

st.subheader("Kapan model tercapai?")
st.caption(
    f"Garis tren kuadrat terkecil dari nilai {tren.WINDOW_MONTHS} bulan terakhir sampai {month} "
    f"(minimal {tren.MIN_POINTS} nilai); perkiraan, bukan janji."
)
if chosen:
    projected = tren.projections(frame, periode, float(meta["model"]), meta["arah"], meta["satuan"])
    st.dataframe(
        pd.DataFrame({
            "Kecamatan": [names.get(k, k) for k in projected],
            "Nilai terakhir": [tren.with_unit(p.latest, meta["satuan"]) for p in projected.values()],
            "Laju per bulan": [formatting.MISSING if p.slope is None else
                               f"{'+' if p.slope >= 0 else '−'}{tren.pace_unit(abs(p.slope), meta['satuan'])}"
                               for p in projected.values()],
            "Nilai dipakai": [p.months_used for p in projected.values()],
            "Model tercapai": [p.summary for p in projected.values()],
        }),
        hide_index=True, width="stretch",
    )
    which = ui.url_selectbox("Gambar proyeksi untuk", list(projected), "proyeksi", default=chosen[0],
                             format_func=lambda k: names.get(k, k))
    with st.container(border=True):
        st.plotly_chart(
            charts_tren.projection_chart(frame[frame["kode_kecamatan"] == which], projected[which], meta,
                                         names.get(which, which)),
            width="stretch", config={"displayModeBar": False},
        )
        st.caption(projected[which].reason)
else:
    st.write("Pilih kecamatan di atas untuk melihat proyeksinya.")

st.subheader("Semua 25 kecamatan")
with st.container(border=True):
    st.plotly_chart(ui.small_multiples(code, first, periode, tuple(chosen)), width="stretch",
                    config={"displayModeBar": False})
