"""Kelola Data: upload → uji coba (report) → preview of changes → confirm; batch history with
revert; templates; catalogue editors (admin). Every write needs sign-in; the engine
(metrics.ingest) enforces roles again."""

import datetime as dt

import pandas as pd
import streamlit as st

from metrics import akses, export, formatting, ingest, templates, ui
from metrics import periode as per

st.title("Kelola Data")
st.caption(
    "Muat angka bulanan kecamatan dari templat Excel/CSV. Tiru memeriksa setiap sel dulu (uji coba), "
    "menampilkan apa yang akan berubah, dan baru menyimpan setelah Anda mengonfirmasi: seluruh berkas atau "
    "tidak sama sekali. Setiap impor menjadi batch yang dapat dibatalkan."
)

store = ui.store()
ui.show_notice()

with st.container(border=True):
    account = akses.sign_in_form("masuk_kelola")
    if not account:
        if akses.configured_accounts():
            st.caption("Uji coba berkas terbuka untuk siapa saja. Untuk menyimpan, masuk sebagai admin atau operator.")
        else:
            st.caption("Uji coba berkas terbuka untuk siapa saja. Menyimpan memerlukan akun di berkas rahasia server "
                       "(`.streamlit/secrets.toml`, bagian `[[akun]]`); hubungi Bagian Organisasi.")
    elif account["peran"] == "operator":
        st.caption(f"Operator hanya dapat mengimpor observasi, SKM dan adopsi kecamatan {account['kode_kecamatan']}.")

can_write = akses.can_import(account)
is_admin = akses.is_admin(account)
names = ui.table("kecamatan").set_index("kode")["nama"]

tab_impor, tab_riwayat, tab_templat, tab_katalog = st.tabs(
    ["Impor", "Riwayat batch", "Templat", "Nilai model, lantai, bobot"], key="kelola_tab")

# ----------------------------------------------------------------- import
with tab_impor:
    left, right = st.columns([3, 1])
    counter = st.session_state.setdefault("_kelola_unggah", 0)
    upload = left.file_uploader(
        f"Berkas CSV atau XLSX (paling besar {ingest.MAX_BYTES // 1024 // 1024} MB)", type=["csv", "xlsx", "txt"],
        key=f"unggah_{counter}", max_upload_size=ingest.MAX_BYTES // 1024 // 1024)
    jenis = right.selectbox("Jenis", ["auto", *ingest.JENIS], key="jenis_impor",
                            format_func=lambda j: "kenali otomatis" if j == "auto" else j)
    if upload is None:
        st.info("Unduh templat di tab **Templat**, isi, lalu unggah di sini. Tidak ada yang disimpan sebelum Anda "
                "menekan tombol impor.", icon=":material/upload_file:")
    else:
        content = upload.getvalue()
        # Roles narrow what an operator may import; anyone else may check a file (nothing is saved).
        plan = ingest.prepare(store, content, upload.name, jenis, akun=account if can_write else None)
        for note in plan.catatan:
            st.caption(f"Catatan: {note}")
        if not plan.ok:
            st.error(f"**{upload.name}** ditolak: {len(plan.masalah)} masalah. Tidak ada yang disimpan. Perbaiki "
                     "sel-sel berikut lalu unggah lagi.", icon=":material/error:")
            report = plan.laporan()
            st.dataframe(report, hide_index=True, width="stretch", key="laporan_masalah",
                         column_config={"masalah": st.column_config.TextColumn(width="large")})
            st.download_button(
                "Unduh laporan uji coba (CSV)", export.neutralise(report).to_csv(index=False).encode("utf-8-sig"),
                file_name=f"uji-coba-{upload.name}.csv", mime="text/csv", on_click="ignore", key="unduh_laporan")
        else:
            counts = plan.counts()
            st.success(f"**{upload.name}** lolos uji coba: {plan.jenis}, {plan.baris} baris.", icon=":material/task_alt:")
            kpis = st.columns(3)
            kpis[0].metric("Baru", counts["baru"], border=True)
            kpis[1].metric("Berubah", counts["berubah"], border=True)
            kpis[2].metric("Tidak berubah", counts["sama"], border=True)
            preview = plan.perubahan.copy()
            preview["kecamatan"] = preview["kode_kecamatan"].map(names).fillna("")
            shown = pd.DataFrame({
                "Status": preview["status"], "Kode": preview["kode_kecamatan"], "Kecamatan": preview["kecamatan"],
                "Periode/tanggal": preview["periode"], "Indikator/isi": preview["kunci"],
                "Nilai lama": [("" if pd.isna(v) else (formatting.angka(v, 2) if isinstance(v, float) else str(v)))
                               + (" (DATA CONTOH)" if d is True else "")
                               for v, d in zip(preview["lama"], preview["lama_demo"])],
                "Nilai baru": [formatting.angka(v, 2) if isinstance(v, float) else str(v) for v in preview["baru"]],
            })
            order = {"berubah": 0, "baru": 1, "sama": 2}
            shown = shown.sort_values("Status", key=lambda s: s.map(order), kind="stable")
            st.dataframe(shown, hide_index=True, width="stretch", key="pratinjau",
                         height="auto" if len(shown) <= 10 else 400)
            st.download_button(
                "Unduh pratinjau perubahan (CSV)", export.neutralise(shown).to_csv(index=False).encode("utf-8-sig"),
                file_name=f"pratinjau-{upload.name}.csv", mime="text/csv", on_click="ignore", key="unduh_pratinjau")
            if counts["baru"] + counts["berubah"] == 0:
                st.info("Tidak ada perubahan: semua nilai di berkas ini sudah tersimpan. Tidak ada yang perlu diimpor.",
                        icon=":material/info:")
            elif not can_write:
                st.info("Masuk sebagai admin atau operator untuk menyimpan impor ini.", icon=":material/lock:")
            else:
                demo = None
                if ui.has_demo():
                    options = ["hapus", "pertahankan"] if is_admin else ["pertahankan"]
                    demo = st.radio(
                        "Basis data masih berisi **DATA CONTOH**. Apa yang dilakukan dengan data contoh?",
                        options, index=None, key="pilihan_demo",
                        format_func=lambda o: {"hapus": "Hapus semua data contoh (dalam transaksi yang sama)",
                                               "pertahankan": "Pertahankan data contoh (tetap ditandai per baris)"}[o],
                        help="Data nyata tidak pernah dicampur diam-diam dengan data contoh. Hanya admin yang dapat "
                             "menghapus data contoh.")
                oleh = st.text_input("Diimpor oleh", value=account["nama"], key="oleh_impor")
                ready = not ui.has_demo() or demo is not None
                if st.button(f"Impor {counts['baru'] + counts['berubah']} perubahan", type="primary",
                             disabled=not ready, key="konfirmasi_impor"):
                    def imported(result) -> str:
                        st.session_state["_kelola_unggah"] = counter + 1  # a fresh uploader
                        return result.teks()

                    ui.save(lambda: ingest.impor(store, plan, oleh, demo=demo, akun=account), imported)

# ----------------------------------------------------------------- history and revert
with tab_riwayat:
    batches = ui.table("batches").sort_values(["waktu", "id"], ascending=False)
    shown = pd.DataFrame({
        "Batch": batches["id"], "Jenis": batches["jenis"], "Berkas": batches["berkas"], "Oleh": batches["oleh"],
        "Waktu": [f"{w:%Y-%m-%d %H:%M}" for w in batches["waktu"]],
        **{label: ["" if pd.isna(v) else str(int(v)) for v in batches[column]]
           for label, column in (("Baru", "baru"), ("Berubah", "berubah"), ("Tidak berubah", "sama"))},
        "Status": ["DATA CONTOH" if d else (f"dibatalkan {w:%Y-%m-%d %H:%M} oleh {o}" if pd.notna(w) else "berlaku")
                   for d, w, o in zip(batches["demo"], batches["dibatalkan"], batches["dibatalkan_oleh"])],
        "Catatan": batches["catatan"].fillna(""),
        "sha256": batches["sha256"].str[:12],
    })
    st.dataframe(shown, hide_index=True, width="stretch", key="tabel_batch")
    st.caption("Batch terbaru menang per kecamatan × indikator × bulan; riwayat tetap tersimpan. Membatalkan sebuah "
               "batch mengembalikan nilai sebelumnya persis; catatan batch tetap ada untuk audit. Salinan basis data "
               "dibuat otomatis sebelum setiap impor (folder backups/ di samping basis data).")
    revertible = batches[~batches["demo"] & batches["dibatalkan"].isna() & (batches["jenis"] != "batal")]
    if not is_admin:
        st.caption("Hanya admin yang dapat membatalkan batch.")
    elif revertible.empty:
        st.caption("Belum ada batch yang dapat dibatalkan.")
    else:
        with st.form("batal_batch", border=True):
            st.markdown("**Batalkan batch**")
            labels = {r.id: f"{r.id} · {r.berkas} · {r.oleh}" for r in revertible.itertuples()}
            chosen = st.selectbox("Batch", list(labels), format_func=labels.get, key="batch_dibatalkan")
            alasan = st.text_input("Alasan", key="alasan_batal")
            if st.form_submit_button("Batalkan batch ini"):
                ui.save(lambda: store.revert(chosen, account["nama"], alasan),
                        lambda _: f"Batch {chosen} dibatalkan; nilai sebelumnya berlaku lagi.")

# ----------------------------------------------------------------- templates
with tab_templat:
    st.markdown("Templat Excel dengan daftar pilihan (kecamatan, indikator, periode) dan rentang nilai setiap "
                "kolom. Lembar **Petunjuk** menjelaskan aturannya." +
                (f" Templat untuk operator hanya berisi kecamatan {account['kode_kecamatan']}."
                 if account and account["peran"] == "operator" else ""))
    months = [per.from_date(dt.date.today()) - k for k in range(24)]
    wide_month = st.selectbox("Bulan untuk templat lebar", months, index=1, format_func=formatting.bulan,
                              key="bulan_templat")
    short = {"observasi": "Observasi (panjang)", "observasi-lebar": "Observasi (lebar, per bulan)",
             "skm": "Jawaban SKM", "adopsi": "Adopsi inovasi", "target": "Target", "model": "Nilai model"}
    cols = st.columns(3)
    for i, (kind, label) in enumerate(templates.KINDS.items()):
        if kind in ingest.ADMIN_ONLY and not is_admin:
            continue
        cols[i % 3].download_button(
            short[kind], help=label,
            data=lambda kind=kind: templates.build(store, kind, akun=account, months=[wide_month]),
            file_name=f"templat-tiru-{kind}.xlsx", on_click="ignore", key=f"templat_{kind}", width="stretch",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", icon=":material/download:")
    st.caption("Format observasi panjang: `kode_kecamatan, periode (TTTT-BB), indikator, nilai, sumber, catatan`. "
               "SKM: `kode_kecamatan, periode, responden, u1 … u9` (1–4). Angka boleh 12,5 atau 1.234,5.")

# ----------------------------------------------------------------- catalogue editors
with tab_katalog:
    cat = ui.catalog()
    scored = cat.indikator[cat.indikator["pilar"].notna()]
    st.dataframe(pd.DataFrame({
        "Indikator": scored["nama"], "Satuan": scored["satuan"], "Model": [formatting.angka(v, 2) for v in scored["model"]],
        "Lantai": [formatting.angka(v, 2) for v in scored["lantai"]], "Sumber model": scored["model_sumber"],
        "Pilar": scored["pilar"].map(cat.pilar["nama"]),
    }), width="stretch", key="tabel_katalog")
    st.caption("Bobot pilar: " + " · ".join(f"{r.nama} {formatting.angka(r.bobot, 2)}" for r in cat.pilar.itertuples()))
    if not is_admin:
        st.caption("Hanya admin yang dapat mengubah nilai model, lantai dan bobot pilar.")
    else:
        a, b, c = st.columns(3)
        with a.form("ubah_model"):
            st.markdown("**Nilai model**")
            kode = st.selectbox("Indikator", list(scored.index), format_func=lambda k: scored.loc[k, "nama"],
                                key="model_indikator")
            nilai = st.number_input("Nilai baru", value=None, key="model_nilai", format="%.2f")
            sumber = st.text_input("Sumber", key="model_sumber")
            tanggal = st.date_input("Tanggal nilai", value=dt.date.today(), max_value=dt.date.today(),
                                    key="model_tanggal", format="DD/MM/YYYY")
            if st.form_submit_button("Simpan nilai model"):
                ui.save(lambda: ingest.edit_catalogue(store, "model", kode, nilai, account["nama"], akun=account,
                                                      sumber=sumber, tanggal=tanggal),
                        lambda batch: f"Nilai model {kode} disimpan (batch {batch}).")
        with b.form("ubah_lantai"):
            st.markdown("**Lantai**")
            kode = st.selectbox("Indikator", list(scored.index), format_func=lambda k: scored.loc[k, "nama"],
                                key="lantai_indikator")
            nilai = st.number_input("Lantai baru", value=None, key="lantai_nilai", format="%.2f")
            if st.form_submit_button("Simpan lantai"):
                ui.save(lambda: ingest.edit_catalogue(store, "lantai", kode, nilai, account["nama"], akun=account),
                        lambda batch: f"Lantai {kode} disimpan (batch {batch}).")
        with c.form("ubah_bobot"):
            st.markdown("**Bobot pilar**")
            kode = st.selectbox("Pilar", list(cat.pilar.index), format_func=lambda k: cat.pilar.loc[k, "nama"],
                                key="bobot_pilar")
            nilai = st.number_input("Bobot baru", value=None, min_value=0.0, key="bobot_nilai", format="%.2f")
            if st.form_submit_button("Simpan bobot"):
                ui.save(lambda: ingest.edit_catalogue(store, "bobot", kode, nilai, account["nama"], akun=account),
                        lambda batch: f"Bobot pilar {kode} disimpan (batch {batch}).")
    edits = ui.table("catalogue_edits")
    if len(edits):
        st.markdown("**Riwayat perubahan katalog** (terbaru di atas; yang dibatalkan tidak berlaku)")
        st.dataframe(pd.DataFrame({
            "Waktu": [f"{w:%Y-%m-%d %H:%M}" for w in edits["waktu"]], "Jenis": edits["jenis"], "Kode": edits["kode"],
            "Nilai": [formatting.angka(v, 2) for v in edits["nilai"]], "Sumber": edits["sumber"].fillna(""),
            "Oleh": edits["oleh"], "Batch": edits["batch"],
            "Status": ["dibatalkan" if d else "tercatat" for d in edits["dibatalkan"]],
        }), hide_index=True, width="stretch", key="riwayat_katalog")
