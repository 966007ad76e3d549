"""Kelola Data: upload → uji coba (report) → preview of changes → confirm; batch history with
revert; templates; catalogue editors (admin). Every upload (the dry run too) and write needs sign-in; the engine
(metrics.ingest) enforces roles again. Texts: metrics/core/teks/kelola.toml; the tables
and forms are in metrics/app/kelola.py."""

import datetime as dt

import streamlit as st

from metrics import ingest
from metrics.app import akses, bagikan, kelola, pelaporan, ui
from metrics.core import bahasa, formatting
from metrics.core import periode as per
from metrics.core.bahasa import t

st.title(t("umum.nav.kelola"))
st.caption(t("kelola.keterangan"))

store = ui.store()
ui.show_notice()

with st.container(border=True):
    account = akses.sign_in_form("masuk_kelola")
    if not account:
        if akses.configured_accounts():
            st.caption(t("kelola.akses.uji_coba_terbuka"))
        else:
            st.caption(t("kelola.akses.tanpa_akun"))
    elif account["peran"] == "operator":
        st.caption(t("kelola.akses.operator", kode=account["kode_kecamatan"]))

can_write = akses.can_import(account)
is_admin = akses.is_admin(account)
if is_admin:
    ui.recovery_details()  # the database was rebuilt from data/ at start: where the old file went, how to restore
names = ui.table("kecamatan").set_index("kode")["nama"]

tab_impor, tab_lapor, tab_riwayat, tab_templat, tab_katalog = st.tabs(
    [t("kelola.tab.impor"), t("kelola.tab.pelaporan"), t("kelola.tab.riwayat"), t("kelola.tab.templat"),
     t("kelola.tab.katalog")], key="kelola_tab")

# ----------------------------------------------------------------- import
with tab_impor:
    left, right = st.columns([3, 1])
    counter = st.session_state.setdefault("_kelola_unggah", 0)
    upload = left.file_uploader(  # only for roles that may import: nobody else's upload is parsed
        t("kelola.unggah", mb=ingest.MAX_BYTES // 1024 // 1024), type=["csv", "xlsx", "txt"],
        key=f"unggah_{counter}", max_upload_size=ingest.MAX_BYTES // 1024 // 1024) if can_write else None
    jenis = right.selectbox(
        t("istilah.jenis"), ["auto", *ingest.JENIS], key="jenis_impor",
        format_func=ui.in_language(lambda j: t("kelola.jenis_auto") if j == "auto" else kelola.kind_name(j)))
    if upload is None:
        st.info(t("kelola.belum_unggah") if can_write else t("kelola.unggah_perlu_peran") if account
                else t("kelola.unggah_perlu_masuk"), icon=":material/upload_file:")
    elif (plan := kelola.dry_run(store, upload, jenis, account, can_write)) is None:
        pass  # not signed in, or another upload of this account is still running (dry_run said so)
    else:
        for note in plan.catatan:
            st.caption(t("kelola.catatan", catatan=note))
        if not plan.ok:
            st.error(t("kelola.ditolak", berkas=ui.plain(upload.name), n=len(plan.masalah)), icon=":material/error:")
            report = kelola.problem_report(plan)
            st.dataframe(report, hide_index=True, width="stretch", key="laporan_masalah",
                         column_config={t("kelola.laporan.masalah"): st.column_config.TextColumn(width="large")})
            st.download_button(t("kelola.unduh_laporan"), kelola.csv_bytes(report),
                               file_name=kelola.nama_unduhan("uji-coba", upload.name), mime="text/csv", on_click="ignore",
                               key="unduh_laporan")
        else:
            counts = plan.counts()
            st.success(t("kelola.lolos", berkas=ui.plain(upload.name), jenis=kelola.kind_name(plan.jenis),
                         baris=plan.baris), icon=":material/task_alt:")
            kpis = st.columns(3)
            kpis[0].metric(t("kelola.metrik.baru"), counts["baru"], border=True)
            kpis[1].metric(t("kelola.metrik.berubah"), counts["berubah"], border=True)
            kpis[2].metric(t("kelola.metrik.sama"), counts["sama"], border=True)
            kelola.final_notice(plan, is_admin)
            kelola.plausibility_notice(plan)
            shown = kelola.preview_table(plan, names)
            st.dataframe(shown, hide_index=True, width="stretch", key="pratinjau",
                         height="auto" if len(shown) <= 10 else 400)
            st.download_button(t("kelola.unduh_pratinjau"), kelola.csv_bytes(shown),
                               file_name=kelola.nama_unduhan("pratinjau", upload.name), mime="text/csv", on_click="ignore",
                               key="unduh_pratinjau")
            if counts["baru"] + counts["berubah"] == 0:
                st.info(t("kelola.tanpa_perubahan"), icon=":material/info:")
            elif not can_write:
                st.info(t("kelola.perlu_masuk"), icon=":material/lock:")
            else:
                kelola.confirm_import(store, plan, account, is_admin, counts["baru"] + counts["berubah"], counter)

# ----------------------------------------------------------------- reporting tracker, month status (#13)
with tab_lapor:
    pelaporan.kelola_view(store, account, is_admin)

# ----------------------------------------------------------------- history and revert
with tab_riwayat:
    batches = ui.table("batches").sort_values(["waktu", "id"], ascending=False)
    bagikan.table(kelola.batch_table(batches), "riwayat-batch", t("kelola.tab.riwayat"), hide_index=True, width="stretch",
                  key="tabel_batch", download=kelola.batch_table(batches, full=True), column_config={
                      t("istilah.batch"): st.column_config.TextColumn(pinned=True),
                      t("kelola.riwayat.sidik"): st.column_config.TextColumn(help=t("kelola.riwayat.sidik_bantuan"))})
    st.caption(t("kelola.riwayat.keterangan") + (f" {ui.demo_origin()}." if batches["demo"].any() else ""))
    revertible = kelola.revertible(batches)
    if not is_admin:
        st.caption(t("kelola.batal.hanya_admin"))
    elif revertible.empty:
        st.caption(t("kelola.batal.tidak_ada"))
    else:
        kelola.revert_form(store, account, revertible)

# ----------------------------------------------------------------- templates
with tab_templat:
    st.markdown(t("kelola.templat.penjelasan") +
                (" " + t("kelola.templat.operator", kode=account["kode_kecamatan"])
                 if account and account["peran"] == "operator" else ""))
    months = [per.from_date(dt.date.today()) - k for k in range(24)]
    wide_month = st.selectbox(t("kelola.templat.bulan_lebar"), months, index=1,
                              format_func=ui.in_language(formatting.bulan), key="bulan_templat")
    kelola.template_buttons(store, account, is_admin, wide_month)
    st.caption(t("kelola.templat.format"))

# ----------------------------------------------------------------- catalogue editors
with tab_katalog:
    cat = ui.catalog()
    scored = cat.indikator[cat.indikator["pilar"].notna()]
    indicator_names = bahasa.names(scored)
    pillar_names = bahasa.names(cat.pilar)
    bagikan.table(kelola.catalogue_table(scored, indicator_names, pillar_names), "katalog", t("kelola.tab.katalog"),
                  width="stretch", key="tabel_katalog")
    st.caption(t("kelola.katalog.bobot_pilar", daftar=" · ".join(
        f"{pillar_names[k]} {formatting.angka(r.bobot, 2)}" for k, r in zip(cat.pilar.index, cat.pilar.itertuples(),
                                                                          strict=True))))
    if not is_admin:
        st.caption(t("kelola.katalog.hanya_admin"))
    else:
        kelola.catalogue_forms(store, account, cat.pilar, scored, indicator_names, pillar_names)
    edits = ui.table("catalogue_edits")
    if len(edits):
        st.markdown(t("kelola.katalog.riwayat"))
        bagikan.table(kelola.edits_table(edits), "riwayat-katalog", t("kelola.katalog.riwayat"), hide_index=True,
                      width="stretch", key="riwayat_katalog")
