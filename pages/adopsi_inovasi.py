"""Inovasi: where adoption of each innovation stands, what is late, whether it moves the numbers."""

import datetime as dt

import pandas as pd
import streamlit as st

from metrics import adopsi, akses, formatting, ui
from metrics import charts_adopsi as charts
from metrics import periode as per

st.title("Adopsi inovasi")
periode = ui.require_period("belum ada bulan untuk melihat tahap adopsi inovasi")

events = ui.events()
kecamatan_all = ui.table("kecamatan")
asahan = kecamatan_all[kecamatan_all["wilayah"] == "Asahan"]
kec_codes = list(asahan["kode"])
kec_names = asahan.set_index("kode")["nama"]
inovasi = ui.table("inovasi")
inv_codes = list(inovasi.index)
short = {k: adopsi.short_name(k, inovasi.loc[k, "nama"]) for k in inv_codes}
batches = ui.table("batches").set_index("id")["demo"]
month = formatting.bulan(periode)
end = per.month_end(periode)
first_event = per.from_date(events["tanggal"].min()) if len(events) else periode
dari = min(ui.periods()[0], first_event)
history = ui.stage_history(dari, periode)
event_demo = events["batch"].map(batches).fillna(False).astype(bool)
if len(events) and event_demo.all():
    source = "DATA CONTOH"
elif event_demo.any():
    source = "DATA CONTOH dan catatan Tiru"
else:
    source = "catatan adopsi Tiru"

matrix = adopsi.stage_matrix(events, kec_codes, inv_codes, periode)
status = adopsi.target_status(events, ui.table("target"), kec_codes, end)
terlambat = status[status["terlambat"]]
late_cells = set(zip(terlambat["kode_kecamatan"], terlambat["inovasi"]))

st.caption(
    f"Tahap di akhir {month} (pilih bulan di bilah samping). Tahap: 0 Belum · 1 Direncanakan · 2 Uji coba · "
    "3 Berjalan · 4 Terlembaga (SOP/regulasi dan anggaran). Tahap sel = peristiwa terakhir yang bertanggal "
    "paling lambat akhir bulan itu (tanggal sama: yang dicatat terakhir). **Terlambat** = tanggal target sudah "
    f"lewat pada akhir {month} dan tahapnya masih di bawah target; pada hari tanggal target belum terlambat."
)

# ----------------------------------------------------------------- KPIs
adopted = int((matrix["tahap"] >= adopsi.BERJALAN).sum())
late_by_inovasi = terlambat.groupby("inovasi")["kode_kecamatan"].nunique()
this_month = events[pd.to_datetime(events["tanggal"]).map(per.from_date) == periode] if len(events) else events
kpis = st.columns(3)
kpis[0].metric("Berjalan atau terlembaga", f"{adopted} / {len(matrix)}", border=True,
               help="Pasangan kecamatan × inovasi pada tahap 3 atau 4, dari 25 kecamatan × 10 inovasi.")
kpis[1].metric("Kecamatan terlambat", f"{terlambat['kode_kecamatan'].nunique()} / {len(kec_codes)}", border=True,
               help="Kecamatan yang terlambat pada sedikitnya satu target inovasi.")
kpis[2].metric(f"Peristiwa {formatting.bulan(periode, short=True)}", str(len(this_month)), border=True,
               help="Perubahan tahap yang bertanggal di bulan ini.")
if len(late_by_inovasi):
    ranked_late = late_by_inovasi.sort_values(ascending=False)
    st.markdown(
        "**Paling tertinggal:** " + " · ".join(f"{short[c]} ({n} kecamatan terlambat)" for c, n in ranked_late.items()))
else:
    st.markdown(f"**Tidak ada kecamatan yang terlambat dari target** pada akhir {month}.")

# ----------------------------------------------------------------- matrix and stage bars
cell_lines: dict[tuple[str, str], list[str]] = {}
for e in adopsi.normalise_events(events).itertuples():
    if e.tanggal.date() <= end:
        mark = " (DATA CONTOH)" if batches.get(e.batch, False) else ""
        cell_lines.setdefault((e.kode_kecamatan, e.inovasi), []).append(
            f"{formatting.tanggal(e.tanggal, short=True)}: {e.tahap} {adopsi.TAHAP[e.tahap]}{mark}")
with st.container(border=True):
    order = list(asahan.sort_values("nama")["kode"])
    shown = matrix.set_index("kode_kecamatan").loc[order].reset_index()
    st.plotly_chart(charts.stage_matrix(shown, kec_names, short, cell_lines, late_cells, periode, source),
                    width="stretch", config={"displayModeBar": False}, key="matriks")
left, right = st.columns([3, 2], gap="medium")
with left, st.container(border=True):
    st.plotly_chart(charts.stage_bars(matrix, short, late_by_inovasi.to_dict(), periode, source), width="stretch",
                    config={"displayModeBar": False}, key="sebaran")
    targets = adopsi.target_summary(status)
with right, st.container(border=True):
    st.markdown(f"**Target Sekda** · status pada akhir {month}")
    if targets.empty:
        st.write("Belum ada target adopsi.")
    else:
        st.dataframe(
            pd.DataFrame({
                "Inovasi": [short[c] for c in targets["inovasi"]],
                "Target": [f"{adopsi.TAHAP[t]} · {formatting.tanggal(d, short=True)}" for t, d in
                           zip(targets["tahap"], targets["tanggal"])],
                "Tercapai": [f"{a}/{b}" for a, b in zip(targets["tercapai"], targets["berlaku"])],
                "Terlambat": targets["terlambat"].astype(int),
            }),
            hide_index=True, width="stretch", key="tabel_target",
        )

# ----------------------------------------------------------------- per innovation
st.subheader("Per inovasi")
chosen = ui.url_selectbox("Inovasi", inv_codes, "inovasi", format_func=lambda c: inovasi.loc[c, "nama"])
links = list(inovasi.loc[chosen, "indikator"])
catalog = ui.catalog()
ind_names = catalog.indikator["nama"]
counts = adopsi.adoption_counts(history[history["inovasi"] == chosen])
first_shown = max(dari, first_event - 1)
counts = counts[counts["periode"] >= first_shown]
chosen_targets = ui.table("target")
chosen_targets = chosen_targets[(chosen_targets["inovasi"] == chosen) & chosen_targets["kode_kecamatan"].isna()]
curve, side = st.columns(2, gap="medium")
with curve, st.container(border=True):
    st.plotly_chart(charts.adoption_curve(counts, inovasi.loc[chosen, "nama"], chosen_targets, periode, source,
                                          len(kec_codes)),
                    width="stretch", config={"displayModeBar": False}, key="kurva")
with side, st.container(border=True):
    late_here = terlambat[terlambat["inovasi"] == chosen].sort_values(["hari_terlambat", "kode_kecamatan"],
                                                                    ascending=[False, True])
    st.markdown(f"**Terlambat dari target, akhir {month}**")
    if late_here.empty:
        due = status[(status["inovasi"] == chosen)]
        st.write("Tidak ada kecamatan yang terlambat." if len(due) else "Inovasi ini belum memiliki target.")
    else:
        st.dataframe(
            pd.DataFrame({
                "Kecamatan": late_here["kode_kecamatan"].map(kec_names),
                "Tahap kini": [f"{t} {adopsi.TAHAP[t]}" for t in late_here["tahap_kini"]],
                "Terlambat": [f"{formatting.angka(h, 0)} hari" for h in late_here["hari_terlambat"]],
            }),
            hide_index=True, width="stretch", key="tabel_terlambat",
        )
    st.markdown(f"**Siapa berikutnya** · kecamatan belum Berjalan dengan kesenjangan terbesar pada indikator "
                f"terkait ({', '.join(ind_names.get(i, i) for i in links)}), {month}")
    # Every candidate once (the per-kecamatan panel below uses the full list too).
    everyone = adopsi.next_adopters(matrix, ui.scorecard(periode), inovasi["indikator"], top=len(kec_codes))
    nxt = everyone[(everyone["inovasi"] == chosen) & (everyone["urutan"] <= adopsi.NEXT_TOP)]
    if nxt.empty:
        st.write("Tidak ada kandidat: semua kecamatan sudah Berjalan, atau indikator terkait belum bernilai.")
    else:
        st.dataframe(
            pd.DataFrame({
                "#": nxt["urutan"],
                "Kecamatan": nxt["kode_kecamatan"].map(kec_names),
                "Tahap kini": [f"{t} {adopsi.TAHAP[t]}" for t in nxt["tahap"]],
                "Kesenjangan": [formatting.angka(v, 1) for v in nxt["kesenjangan"]],
            }),
            hide_index=True, width="stretch", key="tabel_berikutnya",
            column_config={"Kesenjangan": st.column_config.TextColumn(
                help="Σ bobot × (100 − skor) pada indikator terkait yang bernilai bulan ini; makin besar makin jauh "
                     "dari model.")},
        )

# ----------------------------------------------------------------- impact
with st.container(border=True):
    st.markdown(f"**Dampak yang terkait: {inovasi.loc[chosen, 'nama']}** · perubahan indikator 3 bulan sebelum → "
                f"3 bulan sesudah kecamatan mencapai Berjalan, dibandingkan kecamatan yang belum mengadopsi pada "
                f"bulan yang sama (selisih dari selisih), data sampai {month}")
    effects = ui.impact(dari, periode)
    effects = effects[effects["inovasi"] == chosen]
    rows = []
    for r in effects.itertuples():
        unit = catalog.indikator["satuan"].get(r.indikator, "")
        if pd.isna(r.efek):
            arti = f"tidak ada perkiraan: {r.alasan}"
        else:
            arti = "membaik" if r.membaik else ("memburuk" if r.membaik is False else "tidak berubah")
            arti += " (" + ("lebih rendah" if r.arah == "lower" else "lebih tinggi") + " lebih baik)"
        rows.append({
            "Indikator": f"{ind_names.get(r.indikator, r.indikator)} ({unit})",
            "Pengadopsi": formatting.angka(r.perubahan_adopter, 1),
            "Pembanding": formatting.angka(r.perubahan_kontrol, 1),
            "Selisih (asosiasi)": "—" if pd.isna(r.efek) else f"{'+' if r.efek >= 0 else '−'}"
                                                              f"{formatting.angka(abs(r.efek), 1)}",
            "Arti": arti,
            "n": f"{r.n_adopter} / {r.n_kontrol}",
        })
    st.dataframe(
        pd.DataFrame(rows), hide_index=True, width="stretch", key="tabel_dampak",
        column_config={
            "Pengadopsi": st.column_config.TextColumn(help="Rata-rata perubahan (sesudah − sebelum) di kecamatan "
                                                           "yang mencapai Berjalan."),
            "Pembanding": st.column_config.TextColumn(help="Rata-rata perubahan pada bulan yang sama di kecamatan "
                                                           "yang belum mengadopsi."),
            "Selisih (asosiasi)": st.column_config.TextColumn(help="Pengadopsi − pembanding, dalam satuan indikator."),
            "n": st.column_config.TextColumn(help="Kecamatan pengadopsi / kecamatan pembanding yang dihitung."),
        },
    )
    st.caption(
        f"**Asosiasi, bukan bukti sebab-akibat.** Kecamatan yang lebih dulu mengadopsi bisa berbeda dengan yang "
        f"belum (misalnya lebih siap), dan hal lain dapat berubah pada bulan yang sama. Bulan pencapaian Berjalan "
        f"sendiri tidak dihitung. Perkiraan hanya ditampilkan bila ada ≥ {adopsi.MIN_GROUP} kecamatan pengadopsi, "
        f"masing-masing dengan ≥ {adopsi.MIN_GROUP} pembanding. Sumber: {source}."
    )

# ----------------------------------------------------------------- per kecamatan
st.subheader("Per kecamatan")
by_name = list(asahan.sort_values("nama")["kode"])
kode = ui.url_selectbox("Kecamatan", by_name, "kecamatan", format_func=lambda c: kec_names.get(c, c))
name = kec_names[kode]
timeline_col, next_col = st.columns([3, 2], gap="medium")
segments = adopsi.stage_segments(events, kode, inv_codes, per.to_date(first_shown), end)
with timeline_col, st.container(border=True):
    st.plotly_chart(charts.timeline(segments, name, short, periode, source), width="stretch",
                    config={"displayModeBar": False}, key="linimasa")
with next_col, st.container(border=True):
    own = matrix[matrix["kode_kecamatan"] == kode].set_index("inovasi")["tahap"]
    st.markdown(f"**{name}: yang sudah diadopsi** (Berjalan/Terlembaga, akhir {month})")
    done = [short[c] for c in inv_codes if own[c] >= adopsi.BERJALAN]
    st.write(", ".join(done) if done else "Belum ada inovasi yang Berjalan.")
    mine = terlambat[terlambat["kode_kecamatan"] == kode]
    if len(mine):
        st.warning("Terlambat: " + "; ".join(
            f"{short[r.inovasi]} (target {adopsi.TAHAP[r.tahap]} per {formatting.tanggal(r.tanggal, short=True)}, kini "
            f"{adopsi.TAHAP[r.tahap_kini]})" for r in mine.itertuples()), icon=":material/schedule:")
    here = everyone[everyone["kode_kecamatan"] == kode].sort_values("kesenjangan", ascending=False)
    candidates = everyone.groupby("inovasi").size()
    st.markdown("**Yang dapat diadopsi berikutnya** · inovasi belum Berjalan, urut kesenjangan berbobot pada "
                "indikator terkaitnya")
    if here.empty:
        st.write("Tidak ada: semua inovasi sudah Berjalan, atau indikator terkait belum bernilai bulan ini.")
    else:
        st.dataframe(
            pd.DataFrame({
                "Inovasi": [short[c] for c in here["inovasi"]],
                "Tahap kini": [f"{t} {adopsi.TAHAP[t]}" for t in here["tahap"]],
                "Kesenjangan berbobot": [formatting.angka(v, 1) for v in here["kesenjangan"]],
                "Urutan di kabupaten": [f"{u} dari {candidates[c]}" for u, c in zip(here["urutan"], here["inovasi"])],
            }),
            hide_index=True, width="stretch", key="tabel_kecamatan_berikutnya",
        )

# ----------------------------------------------------------------- history and recording
st.subheader(f"Riwayat dan pencatatan: {name} · {short[chosen]}")
all_events = ui.events(with_undone=True)
cell = adopsi.cell_events(all_events, kode, chosen)
if cell.empty:
    st.write("Belum ada peristiwa tercatat untuk pasangan ini.")
else:
    st.dataframe(
        pd.DataFrame({
            "Tanggal": [formatting.tanggal(d, short=True) for d in cell["tanggal"]],
            "Tahap": [f"{t} {adopsi.TAHAP[t]}" for t in cell["tahap"]],
            "Bukti": cell["bukti"].fillna(""),
            "Dicatat oleh": cell["oleh"].fillna(""),
            "Urutan catat": cell["urutan"],
            "Status": [
                f"dibatalkan oleh {o}: {a}" if pd.notna(w) else ("berlaku · DATA CONTOH" if batches.get(b, False) else "berlaku")
                for w, o, a, b in zip(cell["batal_waktu"], cell["batal_oleh"], cell["batal_alasan"], cell["batch"])
            ],
        }),
        hide_index=True, width="stretch", key="tabel_riwayat",
        column_config={"Urutan catat": st.column_config.NumberColumn(
            help="Urutan pencatatan: pada tanggal yang sama, yang dicatat terakhir yang berlaku.")},
    )

ui.show_notice()

with st.container(border=True):
    st.markdown("**Catat perubahan tahap**")
    account = akses.sign_in_form("masuk_adopsi")
    if not akses.configured_accounts() and not account:
        st.info(
            "Pencatatan belum tersedia di server ini: hanya admin yang terdaftar di berkas rahasia server "
            "(`.streamlit/secrets.toml`, bagian `[[akun]]`) yang dapat mencatat atau membatalkan peristiwa. "
            "Hubungi Bagian Organisasi untuk mendapatkan akses.",
            icon=":material/lock:",
        )
    elif not account:
        st.caption("Masuk sebagai admin untuk mencatat atau membatalkan peristiwa adopsi.")
    elif not akses.can_record_adoption(account):
        st.info(f"Akun **{account['nama']}** (peran {account['peran']}) belum dapat mencatat adopsi; saat ini "
                "hanya admin.", icon=":material/lock:")
    else:
        store = ui.store()
        with st.form("catat_adopsi", clear_on_submit=False, border=False):
            a, b = st.columns(2)
            f_kec = a.selectbox("Kecamatan", by_name, index=by_name.index(kode),
                                format_func=lambda c: kec_names.get(c, c), key="f_kecamatan")
            f_inv = b.selectbox("Inovasi", inv_codes, index=inv_codes.index(chosen),
                                format_func=lambda c: inovasi.loc[c, "nama"], key="f_inovasi")
            c, d = st.columns(2)
            f_tahap = c.selectbox("Tahap baru", list(adopsi.TAHAP), format_func=lambda t: f"{t} {adopsi.TAHAP[t]}",
                                  key="f_tahap")
            f_tanggal = d.date_input("Tanggal perubahan", value=dt.date.today(), max_value=dt.date.today(),
                                     format="DD/MM/YYYY", key="f_tanggal")
            f_bukti = st.text_area("Bukti (catatan atau tautan)", key="f_bukti",
                                   placeholder="mis. SK Camat No. …, foto loket, tautan dokumen")
            f_oleh = st.text_input("Dicatat oleh", value=account["nama"], key="f_oleh")
            if st.form_submit_button("Simpan peristiwa", type="primary"):
                ui.save(lambda: store.record_adoption(f_kec, f_inv, int(f_tahap), f_tanggal, f_bukti, f_oleh),
                        lambda _: f"Tercatat: {kec_names[f_kec]} · {short[f_inv]} → {f_tahap} "
                                  f"{adopsi.TAHAP[int(f_tahap)]} per {formatting.tanggal(f_tanggal, short=True)}.")
        live = cell[cell["batal_waktu"].isna()] if len(cell) else cell
        if len(live):
            st.markdown("**Batalkan peristiwa yang salah catat** (tetap tersimpan di riwayat)")
            with st.form("batal_adopsi", border=False):
                labels = {r.id: f"{formatting.tanggal(r.tanggal, short=True)} · {r.tahap} {adopsi.TAHAP[r.tahap]} · {r.oleh or ''}"
                          for r in live.itertuples()}
                f_id = st.selectbox("Peristiwa", list(labels), format_func=labels.get, key="u_id")
                f_alasan = st.text_input("Alasan pembatalan", key="u_alasan")
                if st.form_submit_button("Batalkan peristiwa"):
                    ui.save(lambda: store.undo_adoption(f_id, account["nama"], f_alasan),
                            lambda _: f"Dibatalkan: {labels[f_id]}.")
