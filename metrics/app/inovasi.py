"""The Inovasi page's cached views and its recording forms (pages/adopsi_inovasi.py).

The month's derived tables and charts are built once per month and day the month counts up
to (cutoff()) by the cached functions below (ui.cached: database generation, language and
today are in every key); a rerun that only changes the chosen innovation or kecamatan reuses
them, and a new day (today's events count) builds them anew at once. Results are shared by
every session: never changed in place.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pandas as pd
import streamlit as st

from metrics.app import akses, ui
from metrics.charts import grafik_adopsi as charts
from metrics.core import bahasa, formatting
from metrics.core import periode as per
from metrics.core.bahasa import t
from metrics.engine import adopsi, adopsi_tabel, benchmark

def base() -> SimpleNamespace:
    """What every part of the page shares (cheap: the reads are cached): codes, names, the source line."""
    events = ui.events()
    kecamatan = ui.table("kecamatan")
    asahan = kecamatan[kecamatan["wilayah"] == benchmark.region()]
    inovasi = ui.table("inovasi")
    batches = ui.table("batches").set_index("id")["demo"]
    event_demo = events["batch"].map(batches).fillna(False).astype(bool)
    if len(events) and event_demo.all():
        source = t("istilah.data_contoh")
    elif event_demo.any():
        source = t("inovasi.halaman.sumber.campuran")
    else:
        source = t("inovasi.halaman.sumber.tiru")
    return SimpleNamespace(
        events=events, inovasi=inovasi, batches=batches, source=source,
        kec_codes=list(asahan["kode"]), by_name=list(asahan.sort_values("nama")["kode"]),
        kec_names=asahan.set_index("kode")["nama"], inv_codes=list(inovasi.index),
        inv_names=bahasa.names(inovasi, "nama"),
        short={k: adopsi.short_name(k, bahasa.nama(inovasi.loc[k])) for k in inovasi.index},
    )


def adoption_period() -> int | None:
    """The month the adoption views show (adopsi.month_shown): the picker's month, or the current month
    when the picker shows the latest month with observations or there is none. None when there are
    neither observations nor adoption events (nothing to show yet)."""
    if not ui.periods() and ui.events().empty:
        return None
    return adopsi.month_shown(ui.selected_period(), ui.periods(), per.hari_ini())


def cutoff(periode: int) -> dt.date:
    """The day the month's adoption views count up to (adopsi.cutoff): its last day, or today in the
    current month. Part of the key of every cached view below that depends on it."""
    return adopsi.cutoff(periode, per.hari_ini())


def month_label(periode: int) -> str:
    """'Desember 2026', or 'Desember 2026 (sampai 2 Des 2026)' for the current month, counted up to today."""
    day = cutoff(periode)
    return formatting.bulan(periode) if day == per.month_end(periode) else t(
        "inovasi.halaman.sampai_hari_ini", bulan=formatting.bulan(periode), tanggal=formatting.tanggal(day))


def months_shown(events: pd.DataFrame, periode: int) -> tuple[int, int]:
    """(dari, first_shown): the first month of the history read, and the first month the charts show
    (the month before the first event, not before dari)."""
    first_event = per.from_date(events["tanggal"].min()) if len(events) else periode
    dari = min(ui.periods()[:1] + [first_event, periode])
    return dari, max(dari, first_event - 1)


@ui.cached
def month_view(periode: int, end: dt.date) -> dict:
    """The month's stages, target status, late cells, candidates and each cell's event lines, counted up
    to day `end` (cutoff(periode))."""
    b = base()
    matrix = adopsi.stage_matrix(b.events, b.kec_codes, b.inv_codes, periode)
    status = adopsi.target_status(b.events, ui.table("target"), b.kec_codes, end)
    terlambat = status[status["terlambat"]]
    late_cells = set(zip(terlambat["kode_kecamatan"], terlambat["inovasi"], strict=True))
    late_by_inovasi = terlambat.groupby("inovasi")["kode_kecamatan"].nunique()
    return {
        "matrix": matrix, "status": status, "terlambat": terlambat, "late_by_inovasi": late_by_inovasi,
        "late_cells": late_cells, "cell_lines": adopsi_tabel.cell_lines(b.events, b.batches, end),
        "targets": adopsi.target_summary(status),
        # Every candidate once (per innovation and per kecamatan below).
        "everyone": adopsi.next_adopters(matrix, ui.scorecard(periode), b.inovasi["indikator"],
                                         top=len(b.kec_codes)),
    }


@ui.cached
def overview_charts(periode: int, end: dt.date):
    """The stage matrix (≈0,1 s to build) and the stage bars of the month, counted up to day `end`."""
    b, view = base(), month_view(periode, end)
    shown = view["matrix"].set_index("kode_kecamatan").loc[b.by_name].reset_index()
    return (charts.stage_matrix(shown, b.kec_names, b.short, view["cell_lines"], view["late_cells"], periode,
                                b.source),
            charts.stage_bars(view["matrix"], b.short, view["late_by_inovasi"].to_dict(), periode, b.source))


@ui.cached
def curve_chart(periode: int, dari: int, first_shown: int, chosen: str):
    """The adoption curve of one innovation up to the month."""
    b = base()
    history = ui.stage_history(dari, periode)
    counts = adopsi.adoption_counts(history[history["inovasi"] == chosen])
    counts = counts[counts["periode"] >= first_shown]
    targets = ui.table("target")
    targets = targets[(targets["inovasi"] == chosen) & targets["kode_kecamatan"].isna()]
    return charts.adoption_curve(counts, b.inv_names[chosen], targets, periode, b.source, len(b.kec_codes))


@ui.cached
def timeline_chart(periode: int, first_shown: int, kode: str):
    """One kecamatan's stage timeline up to the end of the month."""
    b = base()
    segments = adopsi.stage_segments(b.events, kode, b.inv_codes, per.to_date(first_shown), per.month_end(periode))
    return charts.timeline(segments, b.kec_names[kode], b.short, periode, b.source)


def recording_forms(b: SimpleNamespace, kode: str, chosen: str, cell: pd.DataFrame) -> None:
    """Sign-in, then the forms that record a stage change and undo one of the cell's events
    (for accounts that may record adoption; the store checks again)."""
    st.markdown(t("inovasi.halaman.catat.judul"))
    account = akses.sign_in_form("masuk_adopsi")
    if not akses.configured_accounts() and not account:
        st.info(t("inovasi.halaman.catat.belum_tersedia"), icon=":material/lock:")
        return
    if not account:
        st.caption(t("inovasi.halaman.catat.masuk"))
        return
    if not akses.can_record_adoption(account):
        st.info(t("inovasi.halaman.catat.tanpa_akses", nama=account["nama"], peran=account["peran"]),
                icon=":material/lock:")
        return
    store, kec_names, short, by_name = ui.store(), b.kec_names, b.short, b.by_name
    with st.form("catat_adopsi", clear_on_submit=False, border=False):
        a, c = st.columns(2)
        f_kec = a.selectbox(t("istilah.kecamatan"), by_name, index=by_name.index(kode),
                            format_func=ui.in_language(lambda k: kec_names.get(k, k)), key="f_kecamatan")
        f_inv = c.selectbox(t("istilah.inovasi"), b.inv_codes, index=b.inv_codes.index(chosen),
                            format_func=ui.in_language(b.inv_names.get), key="f_inovasi")
        c, d = st.columns(2)
        f_tahap = c.selectbox(t("inovasi.halaman.catat.tahap"), list(adopsi.TAHAP),
                              format_func=ui.in_language(adopsi.label_tahap), key="f_tahap")
        f_tanggal = d.date_input(t("inovasi.halaman.catat.tanggal"), value=per.hari_ini(),
                                 max_value=per.hari_ini(), format="DD/MM/YYYY", key="f_tanggal")
        f_bukti = st.text_area(t("inovasi.halaman.catat.bukti"), key="f_bukti",
                               placeholder=t("inovasi.halaman.catat.bukti_contoh"))
        st.caption(t("inovasi.halaman.catat.oleh_catatan", nama=account["nama"]))  # the audit name is never typed
        if st.form_submit_button(t("inovasi.halaman.catat.simpan"), type="primary"):
            ui.save(lambda: store.record_adoption(f_kec, f_inv, int(f_tahap), f_tanggal, f_bukti, account["nama"]),
                    lambda _: t("inovasi.halaman.catat.tercatat", kecamatan=kec_names[f_kec], inovasi=short[f_inv],
                                tahap=adopsi.label_tahap(f_tahap),
                                tanggal=formatting.tanggal(f_tanggal, short=True)))
    live = cell[cell["batal_waktu"].isna()] if len(cell) else cell
    if len(live):
        st.markdown(t("inovasi.halaman.catat.batal_judul"))
        with st.form("batal_adopsi", border=False):
            labels = adopsi_tabel.event_labels(live)
            f_id = st.selectbox(t("inovasi.halaman.catat.peristiwa"), list(labels), format_func=labels.get,
                                key="u_id")
            f_alasan = st.text_input(t("inovasi.halaman.catat.alasan"), key="u_alasan")
            if st.form_submit_button(t("inovasi.halaman.catat.batalkan")):
                ui.save(lambda: store.undo_adoption(f_id, account["nama"], f_alasan),
                        lambda _: t("inovasi.halaman.catat.dibatalkan", label=labels[f_id]))
