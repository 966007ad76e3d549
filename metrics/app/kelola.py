"""The Kelola Data page's tables and forms (pages/kelola_data.py): the import preview and its
confirmation, the batch history and revert, the template buttons, the catalogue editors.

Every write goes through the engine (metrics.ingest.ingest or the Store), which checks the
account's role again; these forms are only shown to the accounts that may use them.
"""

from __future__ import annotations

import contextlib
import sys
import threading

import pandas as pd
import streamlit as st

from metrics import ingest
from metrics.app import ui
from metrics.core import bahasa, formatting
from metrics.core import periode as per
from metrics.core.bahasa import t
from metrics.data import export
from metrics.data.katalog_berlaku import MAX_BOBOT
from metrics.data.store import RejectedChange
from metrics.ingest import templates
from metrics.ingest.readers import Dibatalkan
from metrics.presentation import berkas

_SLOTS: dict[str, threading.Lock] = {}
_SLOTS_GUARD = threading.Lock()


@contextlib.contextmanager
def upload_slot(nama: str):
    """One upload (dry run or import) at a time per account, across the sessions of this process:
    yields True when this one may run, False while another of the same account is still running."""
    with _SLOTS_GUARD:
        lock = _SLOTS.setdefault(str(nama), threading.Lock())
    free = lock.acquire(blocking=False)
    try:
        yield free
    finally:
        if free:
            lock.release()


def dry_run(store, upload, jenis: str, account: dict | None, can_write: bool):
    """The dry run of an uploaded file (ingest.prepare), for signed-in accounts only and one at a
    time per account; None (after saying why) when it may not run now. Reading is bounded by
    ingest's limits (columns, cells, rows), checked while the file streams."""
    if not account or not can_write:  # the page offers no uploader then; refused here again
        st.info(t("kelola.unggah_perlu_peran" if account else "kelola.unggah_perlu_masuk"), icon=":material/lock:")
        return None
    with upload_slot(account["nama"]) as free:
        if not free:
            st.warning(t("kelola.unggah_sibuk"), icon=":material/hourglass_top:")
            return None
        # Roles narrow what an operator may import (metrics.ingest checks the account again).
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        session_id = ctx.session_id if ctx else None
        try:
            return ingest.prepare(store, upload.getvalue(), upload.name, jenis, akun=account,
                                  cancelled=(lambda: _session_gone(session_id)) if session_id else None)
        except Dibatalkan:  # the browser was closed: stop reading, nobody is there to see the result
            print(f"tiru: {t('kelola.unggah_ditinggalkan', berkas=upload.name)}", file=sys.stderr)
            return None


def _session_gone(session_id: str) -> bool:
    """Whether the browser session that uploaded is gone (its websocket closed)."""
    try:
        from streamlit import runtime

        return runtime.exists() and not runtime.get_instance().is_active_session(session_id)
    except Exception:
        return False


def kind_name(jenis: str) -> str:
    """A batch or import kind in the active language; unknown kinds as their code."""
    key = f"kelola.jenis.{str(jenis).replace('-', '_')}"
    return t(key) if key in bahasa.katalog() else str(jenis)


def csv_bytes(shown: pd.DataFrame) -> bytes:
    """A shown table as a download: formulas neutralised, UTF-8 with BOM (opens right in Excel)."""
    return export.neutralise(shown).to_csv(index=False).encode("utf-8-sig")


def problem_report(plan) -> pd.DataFrame:
    """The dry run's problems, one a row, with headers in the active language."""
    return plan.laporan().rename(columns=lambda c: t(f"kelola.laporan.{c}"))


def preview_table(plan, names: pd.Series) -> pd.DataFrame:
    """The changes a file would make (changed first, then new, then unchanged); old values that are
    demo data are marked. `names` maps a kecamatan code to its name."""
    order = {"berubah": 0, "baru": 1, "sama": 2}
    usual = plausibility_texts(plan)
    preview = plan.perubahan.assign(
        _cek=[usual.get((k, p, i), "") for k, p, i in
              zip(plan.perubahan["kode_kecamatan"], plan.perubahan["periode"], plan.perubahan["kunci"], strict=True)])
    preview = preview.assign(_urut=preview["status"].map(order) - 3 * (preview["_cek"] != "")) \
        .sort_values("_urut", kind="stable")  # values that need checking first
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
            + (demo_mark if d is True else "") for v, d in zip(preview["lama"], preview["lama_demo"], strict=True)],
        t("istilah.nilai_baru"): [formatting.angka(v, 2) if isinstance(v, float) else str(v)
                                  for v in preview["baru"]],
    })
    if usual:  # the usual value next to a value that needs checking
        shown[t("kelola.cek.kolom")] = preview["_cek"].to_numpy()
    return shown


def plausibility_texts(plan) -> dict[tuple, str]:
    """(kode_kecamatan, 'YYYY-MM', indikator) -> '⚑ biasanya 42,0 menit (wajar 12,0–72,0)' for each
    value of the plan that needs checking (plan.cek, metrics/engine/kewajaran.py)."""
    satuan = plan.extra.get("satuan", {})

    def shown(v, ind):
        return formatting.nilai(v, satuan[ind]) if ind in satuan else formatting.angka(v, 1)

    return {(r.kode_kecamatan, per.fmt(r.periode), r.indikator):
            t("kelola.cek.isi", biasa=shown(r.biasa, r.indikator), bawah=shown(r.bawah, r.indikator),
              atas=shown(r.atas, r.indikator))
            for r in plan.cek.itertuples()}


def plausibility_notice(plan) -> None:
    """Above the preview: how many values need checking, and that the import needs a confirmation."""
    if len(plan.cek):
        st.warning(t("kelola.cek.peringatan", n=len(plan.cek)), icon=":material/flag:")


def final_notice(plan, is_admin: bool) -> None:
    """Above the preview: how many values fall in months an admin closed, and what to do about it."""
    if plan.bulan_final:
        key = "kelola.final.peringatan" if is_admin else "kelola.final.hanya_admin"
        st.warning(t(key, n=sum(plan.bulan_final.values()), daftar=ingest.final_teks(plan.bulan_final)),
                   icon=":material/lock:")


def confirm_import(store, plan, account: dict, is_admin: bool, n: int, counter: int) -> None:
    """What to do with demo data (while there is some), who imports (the signed-in account, shown, not
    editable) with a free note for the batch, and the button that writes the `n` new and changed
    values; a successful import gives a fresh uploader (key counter + 1). Values in a final month need
    an admin's tick that they are a correction (an operator cannot import them)."""
    demo = None
    if ui.has_demo():
        options = ["hapus", "pertahankan"] if is_admin else ["pertahankan"]
        demo = st.radio(t("kelola.demo.pertanyaan"), options, index=None, key="pilihan_demo",
                        format_func=ui.in_language(lambda o: t(f"kelola.demo.{o}")),
                        help=t("kelola.demo.bantuan"))
    confirmed = False
    if len(plan.cek):
        confirmed = st.checkbox(t("kelola.cek.konfirmasi", n=len(plan.cek)), key="terima_peringatan",
                                help=t("kelola.cek.konfirmasi_bantuan"))
    correction = False
    if plan.bulan_final and is_admin:
        correction = st.checkbox(t("kelola.final.konfirmasi", daftar=ingest.final_teks(plan.bulan_final)),
                                 key="koreksi_final", help=t("kelola.final.konfirmasi_bantuan"))
    st.caption(t("kelola.diimpor_oleh", nama=account["nama"]))
    catatan = st.text_input(t("kelola.catatan_impor"), key="catatan_impor", max_chars=ingest.MAX_TEXT)
    ready = (not ui.has_demo() or demo is not None) and (confirmed or not len(plan.cek)) \
        and (correction or not plan.bulan_final)
    if st.button(t("kelola.tombol_impor", n=n), type="primary", disabled=not ready, key="konfirmasi_impor"):
        def imported(result) -> str:
            st.session_state["_kelola_unggah"] = counter + 1  # a fresh uploader
            return result.teks()

        def write():
            with upload_slot(account["nama"]) as free:
                if not free:
                    raise RejectedChange(t("kelola.unggah_sibuk"))
                return ingest.impor(store, plan, account["nama"], demo=demo, akun=account, catatan=catatan,
                                    terima_peringatan=confirmed, koreksi_final=correction)

        ui.save(write, imported)


def batch_table(batches: pd.DataFrame, full: bool = False) -> pd.DataFrame:
    """The batch history as shown: whether each batch is demo data, undone or in force first, then who,
    when, the counts, the file, the note. On screen the demo's author is "Tiru" (the status says DATA
    CONTOH and the caption where it comes from) and the file's sha256 is cut to 12 characters; the
    download (`full`) has the whole origin and the whole sha256."""
    demo_author = ui.demo_origin() if full else "Tiru"
    return pd.DataFrame({
        t("istilah.batch"): batches["id"], t("istilah.jenis"): [kind_name(j) for j in batches["jenis"]],
        t("istilah.status"): [
            t("istilah.data_contoh") if d
            else (t("kelola.riwayat.dibatalkan", waktu=f"{w:%Y-%m-%d %H:%M}", oleh=o) if pd.notna(w)
                  else t("kelola.riwayat.berlaku"))
            for d, w, o in zip(batches["demo"], batches["dibatalkan"], batches["dibatalkan_oleh"], strict=True)],
        t("istilah.oleh"): [demo_author if o == ui.DEMO_AUTHOR else o for o in batches["oleh"]],
        t("istilah.waktu"): [f"{w:%Y-%m-%d %H:%M}" for w in batches["waktu"]],
        **{t(f"kelola.metrik.{column}"): ["" if pd.isna(v) else str(int(v)) for v in batches[column]]
           for column in ("baru", "berubah", "sama")},
        t("kelola.riwayat.berkas"): batches["berkas"],
        t("kelola.riwayat.catatan"): batches["catatan"].fillna(""),
        t("kelola.riwayat.sidik"): batches["sha256"] if full else batches["sha256"].str[:12],
    })


def revertible(batches: pd.DataFrame) -> pd.DataFrame:
    """The batches an admin may undo: those the store would revert as it says (not demo data, not
    undone yet, not an undo themselves, not an undo of events that no longer count, not a batch that
    only removed the demo: Store.batches' tidak_dapat_dibatalkan)."""
    return batches[batches["tidak_dapat_dibatalkan"].isna()]


def revert_form(store, account: dict, batches: pd.DataFrame) -> None:
    """The admin's form that undoes one of `batches` (revertible ones), with a reason."""
    with st.form("batal_batch", border=True):
        st.markdown(t("kelola.batal.judul"))
        labels = {r.id: f"{r.id} · {r.berkas} · {r.oleh}" for r in batches.itertuples()}
        chosen = st.selectbox(t("istilah.batch"), list(labels), format_func=labels.get,
                              key="batch_dibatalkan")
        alasan = st.text_input(t("kelola.batal.alasan"), key="alasan_batal")
        koreksi = st.checkbox(t("kelola.batal.koreksi_final"), key="batal_koreksi_final",
                              help=t("kelola.final.konfirmasi_bantuan"))
        if st.form_submit_button(t("kelola.batal.tombol")):
            ui.save(lambda: store.revert(chosen, account["nama"], alasan, koreksi_final=koreksi),
                    lambda _: t("kelola.batal.selesai", batch=chosen, akibat=store.revert_effect(chosen)))


def template_buttons(store, account: dict | None, is_admin: bool, wide_month: int) -> None:
    """One download per template kind the account may fill in, three a row; each workbook is built on
    click, in this page's language (a download's data callable runs outside the script thread)."""
    language = bahasa.aktif()
    cols = st.columns(3)
    for i, kind in enumerate(templates.KINDS):
        if kind in ingest.ADMIN_ONLY and not is_admin:
            continue

        def workbook(kind=kind) -> bytes:
            with bahasa.dalam(language):
                return templates.build(store, kind, akun=account, months=[wide_month])

        cols[i % 3].download_button(
            t(f"kelola.templat.{kind.replace('-', '_')}"), help=templates.label(kind), data=workbook,
            file_name=f"templat-tiru-{kind}.xlsx", on_click="ignore", key=f"templat_{kind}", width="stretch",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", icon=":material/download:")


def catalogue_table(scored: pd.DataFrame, indicator_names: dict, pillar_names: dict) -> pd.DataFrame:
    """The scored indicators with their model, floor, the model's source and pillar."""
    return pd.DataFrame({
        t("istilah.indikator"): indicator_names, t("istilah.satuan"): scored["satuan"].map(formatting.satuan),
        t("istilah.model"): [formatting.angka(v, 2) for v in scored["model"]],
        t("istilah.lantai"): [formatting.angka(v, 2) for v in scored["lantai"]],
        t("kelola.katalog.sumber_model"): scored.get("model_sumber_admin", scored["model_sumber"]),
        t("istilah.pilar"): scored["pilar"].map(pillar_names),
    })


def catalogue_forms(store, account: dict, pilar: pd.DataFrame, scored: pd.DataFrame, indicator_names: dict,
                    pillar_names: dict) -> None:
    """The admin's three editors side by side: an indicator's model, its floor, a pillar's weight."""
    a, b, c = st.columns(3)
    indicator_label = ui.in_language(lambda k: indicator_names[k])
    with a.form("ubah_model"):
        st.markdown(t("kelola.katalog.judul_model"))
        kode = st.selectbox(t("istilah.indikator"), list(scored.index), format_func=indicator_label,
                            key="model_indikator")
        nilai = st.number_input(t("istilah.nilai_baru"), value=None, key="model_nilai", format="%.2f")
        sumber = st.text_input(t("istilah.sumber"), key="model_sumber")
        tanggal = st.date_input(t("kelola.katalog.tanggal"), value=per.hari_ini(), max_value=per.hari_ini(),
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
        kode = st.selectbox(t("istilah.pilar"), list(pilar.index),
                            format_func=ui.in_language(lambda k: pillar_names[k]), key="bobot_pilar")
        nilai = st.number_input(t("kelola.katalog.bobot_baru"), value=None, min_value=0.0, max_value=MAX_BOBOT,
                                key="bobot_nilai",
                                format="%.2f")
        if st.form_submit_button(t("kelola.katalog.simpan_bobot")):
            ui.save(lambda: ingest.edit_catalogue(store, "bobot", kode, nilai, account["nama"], akun=account),
                    lambda batch: t("kelola.katalog.bobot_disimpan", kode=kode, batch=batch))


def edits_table(edits: pd.DataFrame) -> pd.DataFrame:
    """The catalogue's edit history as shown."""
    return pd.DataFrame({
        t("istilah.waktu"): [f"{w:%Y-%m-%d %H:%M}" for w in edits["waktu"]],
        t("istilah.jenis"): [t(f"kelola.katalog_jenis.{j}") if j in ("model", "lantai", "bobot") else j
                             for j in edits["jenis"]],
        t("istilah.kode"): edits["kode"],
        t("istilah.nilai"): [formatting.angka(v, 2) for v in edits["nilai"]],
        t("istilah.sumber"): edits["sumber"].fillna(""),
        t("istilah.oleh"): edits["oleh"], t("istilah.batch"): edits["batch"],
        t("istilah.status"): [t("kelola.katalog.dibatalkan") if d else t("kelola.katalog.tercatat")
                              for d in edits["dibatalkan"]],
    })


def nama_unduhan(awalan: str, berkas_unggah: str) -> str:
    """'uji-coba-laporan-november-xlsx.csv': a CSV about an uploaded file, named after it, safely
    (an upload's name is typed by whoever made the file: presentation/berkas.py)."""
    return berkas.nama(awalan, berkas_unggah, akhiran="csv")
