"""Kelola Data: upload → uji coba (report) → preview of changes → confirm; batch history with
revert; templates; catalogue editors (admin). Every write needs sign-in; the engine
(metrics.ingest) enforces roles again. Texts: metrics/core/teks/kelola.toml."""

import datetime as dt

import pandas as pd
import streamlit as st

from metrics import ingest
from metrics.app import akses, ui
from metrics.core import bahasa, formatting
from metrics.core import periode as per
from metrics.core.bahasa import t
from metrics.data import export
from metrics.ingest import templates


def kind_name(jenis: str) -> str:
    """A batch or import kind in the active language; unknown kinds as their code."""
    key = f"kelola.jenis.{str(jenis).replace('-', '_')}"
    return t(key) if key in bahasa.katalog() else str(jenis)


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
names = ui.table("kecamatan").set_index("kode")["nama"]

tab_impor, tab_riwayat, tab_templat, tab_katalog = st.tabs(
    [t("kelola.tab.impor"), t("kelola.tab.riwayat"), t("kelola.tab.templat"), t("kelola.tab.katalog")],
    key="kelola_tab")

# ----------------------------------------------------------------- import
with tab_impor:
    left, right = st.columns([3, 1])
    counter = st.session_state.setdefault("_kelola_unggah", 0)
    upload = left.file_uploader(
        t("kelola.unggah", mb=ingest.MAX_BYTES // 1024 // 1024), type=["csv", "xlsx", "txt"],
        key=f"unggah_{counter}", max_upload_size=ingest.MAX_BYTES // 1024 // 1024)
    jenis = right.selectbox(t("istilah.jenis"), ["auto", *ingest.JENIS], key="jenis_impor",
                            format_func=ui.in_language(lambda j: t("kelola.jenis_auto") if j == "auto" else kind_name(j)))
    if upload is None:
        st.info(t("kelola.belum_unggah"), icon=":material/upload_file:")
    else:
        content = upload.getvalue()
        # Roles narrow what an operator may import; anyone else may check a file (nothing is saved).
        plan = ingest.prepare(store, content, upload.name, jenis, akun=account if can_write else None)
        for note in plan.catatan:
            st.caption(t("kelola.catatan", catatan=note))
        if not plan.ok:
            st.error(t("kelola.ditolak", berkas=upload.name, n=len(plan.masalah)), icon=":material/error:")
            report = plan.laporan().rename(columns=lambda c: t(f"kelola.laporan.{c}"))
            st.dataframe(report, hide_index=True, width="stretch", key="laporan_masalah",
                         column_config={t("kelola.laporan.masalah"): st.column_config.TextColumn(width="large")})
            st.download_button(
                t("kelola.unduh_laporan"), export.neutralise(report).to_csv(index=False).encode("utf-8-sig"),
                file_name=f"uji-coba-{upload.name}.csv", mime="text/csv", on_click="ignore", key="unduh_laporan")
        else:
            counts = plan.counts()
            st.success(t("kelola.lolos", berkas=upload.name, jenis=kind_name(plan.jenis), baris=plan.baris),
                       icon=":material/task_alt:")
            kpis = st.columns(3)
            kpis[0].metric(t("kelola.metrik.baru"), counts["baru"], border=True)
            kpis[1].metric(t("kelola.metrik.berubah"), counts["berubah"], border=True)
            kpis[2].metric(t("kelola.metrik.sama"), counts["sama"], border=True)
            order = {"berubah": 0, "baru": 1, "sama": 2}
            preview = plan.perubahan.sort_values("status", key=lambda s: s.map(order), kind="stable")
            preview = preview.assign(kecamatan=preview["kode_kecamatan"].map(names).fillna(""))
            demo_mark = " " + t("kelola.pratinjau.data_contoh")
            shown = pd.DataFrame({
                t("istilah.status"): [t(f"kelola.status.{s}") for s in preview["status"]],
                t("istilah.kode"): preview["kode_kecamatan"],
                t("istilah.kecamatan"): preview["kecamatan"],
                t("kelola.pratinjau.periode"): preview["periode"],
                t("kelola.pratinjau.kunci"): preview["kunci"],
                t("kelola.pratinjau.lama"): [
                    ("" if pd.isna(v) else (formatting.angka(v, 2) if isinstance(v, float) else str(v)))
                    + (demo_mark if d is True else "") for v, d in zip(preview["lama"], preview["lama_demo"])],
                t("istilah.nilai_baru"): [formatting.angka(v, 2) if isinstance(v, float) else str(v)
                                             for v in preview["baru"]],
            })
            st.dataframe(shown, hide_index=True, width="stretch", key="pratinjau",
                         height="auto" if len(shown) <= 10 else 400)
            st.download_button(
                t("kelola.unduh_pratinjau"), export.neutralise(shown).to_csv(index=False).encode("utf-8-sig"),
                file_name=f"pratinjau-{upload.name}.csv", mime="text/csv", on_click="ignore", key="unduh_pratinjau")
            if counts["baru"] + counts["berubah"] == 0:
                st.info(t("kelola.tanpa_perubahan"), icon=":material/info:")
            elif not can_write:
                st.info(t("kelola.perlu_masuk"), icon=":material/lock:")
            else:
                demo = None
                if ui.has_demo():
                    options = ["hapus", "pertahankan"] if is_admin else ["pertahankan"]
                    demo = st.radio(t("kelola.demo.pertanyaan"), options, index=None, key="pilihan_demo",
                                    format_func=ui.in_language(lambda o: t(f"kelola.demo.{o}")),
                                    help=t("kelola.demo.bantuan"))
                oleh = st.text_input(t("kelola.diimpor_oleh"), value=account["nama"], key="oleh_impor")
                ready = not ui.has_demo() or demo is not None
                if st.button(t("kelola.tombol_impor", n=counts["baru"] + counts["berubah"]), type="primary",
                             disabled=not ready, key="konfirmasi_impor"):
                    def imported(result) -> str:
                        st.session_state["_kelola_unggah"] = counter + 1  # a fresh uploader
                        return result.teks()

                    ui.save(lambda: ingest.impor(store, plan, oleh, demo=demo, akun=account), imported)

# ----------------------------------------------------------------- history and revert
with tab_riwayat:
    batches = ui.table("batches").sort_values(["waktu", "id"], ascending=False)
    shown = pd.DataFrame({
        t("istilah.batch"): batches["id"], t("istilah.jenis"): [kind_name(j) for j in batches["jenis"]],
        t("kelola.riwayat.berkas"): batches["berkas"], t("istilah.oleh"): batches["oleh"],
        t("istilah.waktu"): [f"{w:%Y-%m-%d %H:%M}" for w in batches["waktu"]],
        **{t(f"kelola.metrik.{column}"): ["" if pd.isna(v) else str(int(v)) for v in batches[column]]
           for column in ("baru", "berubah", "sama")},
        t("istilah.status"): [
            t("istilah.data_contoh") if d
            else (t("kelola.riwayat.dibatalkan", waktu=f"{w:%Y-%m-%d %H:%M}", oleh=o) if pd.notna(w)
                  else t("kelola.riwayat.berlaku"))
            for d, w, o in zip(batches["demo"], batches["dibatalkan"], batches["dibatalkan_oleh"])],
        t("kelola.riwayat.catatan"): batches["catatan"].fillna(""),
        "sha256": batches["sha256"].str[:12],
    })
    st.dataframe(shown, hide_index=True, width="stretch", key="tabel_batch")
    st.caption(t("kelola.riwayat.keterangan"))
    revertible = batches[~batches["demo"] & batches["dibatalkan"].isna() & (batches["jenis"] != "batal")]
    if not is_admin:
        st.caption(t("kelola.batal.hanya_admin"))
    elif revertible.empty:
        st.caption(t("kelola.batal.tidak_ada"))
    else:
        with st.form("batal_batch", border=True):
            st.markdown(t("kelola.batal.judul"))
            labels = {r.id: f"{r.id} · {r.berkas} · {r.oleh}" for r in revertible.itertuples()}
            chosen = st.selectbox(t("istilah.batch"), list(labels), format_func=labels.get,
                                  key="batch_dibatalkan")
            alasan = st.text_input(t("kelola.batal.alasan"), key="alasan_batal")
            if st.form_submit_button(t("kelola.batal.tombol")):
                ui.save(lambda: store.revert(chosen, account["nama"], alasan),
                        lambda _: t("kelola.batal.selesai", batch=chosen))

# ----------------------------------------------------------------- templates
with tab_templat:
    st.markdown(t("kelola.templat.penjelasan") +
                (" " + t("kelola.templat.operator", kode=account["kode_kecamatan"])
                 if account and account["peran"] == "operator" else ""))
    months = [per.from_date(dt.date.today()) - k for k in range(24)]
    wide_month = st.selectbox(t("kelola.templat.bulan_lebar"), months, index=1,
                              format_func=ui.in_language(formatting.bulan), key="bulan_templat")
    language = bahasa.aktif()
    cols = st.columns(3)
    for i, kind in enumerate(templates.KINDS):
        if kind in ingest.ADMIN_ONLY and not is_admin:
            continue

        def workbook(kind=kind) -> bytes:  # built on click, in this page's language
            with bahasa.dalam(language):
                return templates.build(store, kind, akun=account, months=[wide_month])

        cols[i % 3].download_button(
            t(f"kelola.templat.{kind.replace('-', '_')}"), help=templates.label(kind), data=workbook,
            file_name=f"templat-tiru-{kind}.xlsx", on_click="ignore", key=f"templat_{kind}", width="stretch",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", icon=":material/download:")
    st.caption(t("kelola.templat.format"))

# ----------------------------------------------------------------- catalogue editors
with tab_katalog:
    cat = ui.catalog()
    scored = cat.indikator[cat.indikator["pilar"].notna()]
    indicator_names = bahasa.names(scored)
    pillar_names = bahasa.names(cat.pilar)
    st.dataframe(pd.DataFrame({
        t("istilah.indikator"): indicator_names, t("istilah.satuan"): scored["satuan"].map(formatting.satuan),
        t("istilah.model"): [formatting.angka(v, 2) for v in scored["model"]],
        t("istilah.lantai"): [formatting.angka(v, 2) for v in scored["lantai"]],
        t("kelola.katalog.sumber_model"): scored["model_sumber"],
        t("istilah.pilar"): scored["pilar"].map(pillar_names),
    }), width="stretch", key="tabel_katalog")
    st.caption(t("kelola.katalog.bobot_pilar", daftar=" · ".join(
        f"{pillar_names[k]} {formatting.angka(r.bobot, 2)}" for k, r in zip(cat.pilar.index, cat.pilar.itertuples()))))
    if not is_admin:
        st.caption(t("kelola.katalog.hanya_admin"))
    else:
        a, b, c = st.columns(3)
        indicator_label = ui.in_language(lambda k: indicator_names[k])
        with a.form("ubah_model"):
            st.markdown(t("kelola.katalog.judul_model"))
            kode = st.selectbox(t("istilah.indikator"), list(scored.index), format_func=indicator_label,
                                key="model_indikator")
            nilai = st.number_input(t("istilah.nilai_baru"), value=None, key="model_nilai", format="%.2f")
            sumber = st.text_input(t("istilah.sumber"), key="model_sumber")
            tanggal = st.date_input(t("kelola.katalog.tanggal"), value=dt.date.today(), max_value=dt.date.today(),
                                    key="model_tanggal", format="DD/MM/YYYY")
            if st.form_submit_button(t("kelola.katalog.simpan_model")):
                ui.save(lambda: ingest.edit_catalogue(store, "model", kode, nilai, account["nama"], akun=account,
                                                      sumber=sumber, tanggal=tanggal),
                        lambda batch: t("kelola.katalog.model_disimpan", kode=kode, batch=batch))
        with b.form("ubah_lantai"):
            st.markdown(t("kelola.katalog.judul_lantai"))
            kode = st.selectbox(t("istilah.indikator"), list(scored.index), format_func=indicator_label,
                                key="lantai_indikator")
            nilai = st.number_input(t("kelola.katalog.lantai_baru"), value=None, key="lantai_nilai", format="%.2f")
            if st.form_submit_button(t("kelola.katalog.simpan_lantai")):
                ui.save(lambda: ingest.edit_catalogue(store, "lantai", kode, nilai, account["nama"], akun=account),
                        lambda batch: t("kelola.katalog.lantai_disimpan", kode=kode, batch=batch))
        with c.form("ubah_bobot"):
            st.markdown(t("kelola.katalog.judul_bobot"))
            kode = st.selectbox(t("istilah.pilar"), list(cat.pilar.index),
                                format_func=ui.in_language(lambda k: pillar_names[k]), key="bobot_pilar")
            nilai = st.number_input(t("kelola.katalog.bobot_baru"), value=None, min_value=0.0, key="bobot_nilai",
                                    format="%.2f")
            if st.form_submit_button(t("kelola.katalog.simpan_bobot")):
                ui.save(lambda: ingest.edit_catalogue(store, "bobot", kode, nilai, account["nama"], akun=account),
                        lambda batch: t("kelola.katalog.bobot_disimpan", kode=kode, batch=batch))
    edits = ui.table("catalogue_edits")
    if len(edits):
        st.markdown(t("kelola.katalog.riwayat"))
        st.dataframe(pd.DataFrame({
            t("istilah.waktu"): [f"{w:%Y-%m-%d %H:%M}" for w in edits["waktu"]],
            t("istilah.jenis"): [t(f"kelola.katalog_jenis.{j}") if j in ("model", "lantai", "bobot") else j
                                        for j in edits["jenis"]],
            t("istilah.kode"): edits["kode"],
            t("istilah.nilai"): [formatting.angka(v, 2) for v in edits["nilai"]],
            t("istilah.sumber"): edits["sumber"].fillna(""),
            t("istilah.oleh"): edits["oleh"], t("istilah.batch"): edits["batch"],
            t("istilah.status"): [t("kelola.katalog.dibatalkan") if d else t("kelola.katalog.tercatat")
                                         for d in edits["dibatalkan"]],
        }), hide_index=True, width="stretch", key="riwayat_katalog")
