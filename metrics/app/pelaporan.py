"""The reporting tracker and the month's closing (docs/metodologi.md "The monthly cycle"), as widgets:
on Ringkasan the open month's tracker, on Kelola Data the tracker, every month's status and the
admin's close/reopen forms. Shaping is in metrics/engine/bulan.py; texts in
metrics/core/teks/pelaporan.toml."""

from __future__ import annotations


import pandas as pd
import streamlit as st

from metrics.app import bagikan, ui
from metrics.core import bahasa, formatting
from metrics.core import periode as per
from metrics.core.bahasa import t
from metrics.data import penutupan
from metrics.engine import bulan


@ui.cached
def tracker() -> tuple[int, pd.DataFrame, pd.DataFrame]:
    """(open month, its tracker, punctuality over 12 months) as of today. Shared: never changed in place."""
    return bulan.reporting(ui.store(), per.hari_ini(), ui.month_table())


def _days(n) -> str:
    return t("pelaporan.hari", n=int(n)) if n else "—"


@ui.cached
def tracker_table() -> pd.DataFrame:
    """The tracker as shown: one row per kecamatan, late and missing ones first."""
    _, frame, history = tracker()
    names = bahasa.names(ui.catalog().indikator)
    history = history.set_index("kode")
    return pd.DataFrame({
        t("istilah.kecamatan"): frame["nama"],
        t("pelaporan.kolom.keadaan"): [t(f"pelaporan.keadaan.{k}") for k in frame["keadaan"]],
        t("pelaporan.kolom.dikirim"): [t("istilah.kpi.dari", n=a, total=b)
                                      for a, b in zip(frame["dikirim"], frame["diharapkan"], strict=True)],
        t("pelaporan.kolom.kurang"): [", ".join(names[c] for c in missing) or "—" for missing in frame["kurang"]],
        t("pelaporan.kolom.terlambat"): [_days(n) for n in frame["terlambat_hari"]],
        t("pelaporan.kolom.riwayat"): [
            t("pelaporan.riwayat", tepat=int(h.tepat), terlambat=int(h.terlambat), belum=int(h.belum),
              tanpa=int(h.tanpa_catatan))
            for h in (history.loc[k] for k in frame["kode"])],
    })


def tracker_card() -> None:
    """The open month's tracker in a bordered card (Ringkasan, Kelola Data)."""
    periode, frame, history = tracker()
    status = ui.month_status(periode) or "berjalan"
    counts = frame["keadaan"].value_counts()
    late = int((frame["terlambat_hari"] > 0).sum())
    with st.container(border=True):
        st.markdown(t("pelaporan.judul", bulan=formatting.bulan(periode), status=bulan.status_name(status),
                      tenggat=formatting.tanggal(per.tenggat(periode))))
        st.caption(
            t(
                "pelaporan.ringkas",
                lengkap=int(counts.get("lengkap", 0)),
                sebagian=int(counts.get("sebagian", 0)),
                belum=int(counts.get("belum", 0)),
                terlambat=late,
                total=len(frame),
            )
        )
        shown = tracker_table()
        bagikan.table(shown, "pelaporan", t("pelaporan.judul", bulan=formatting.bulan(periode),
                      status=bulan.status_name(status), tenggat=formatting.tanggal(per.tenggat(periode))),
                      periode=periode, hide_index=True, width="stretch", height=280, key=f"pelacak_{per.fmt(periode)}")
        st.caption(t("pelaporan.keterangan", hari=per.tenggat_hari(), n=bulan.PUNCTUALITY_MONTHS))


def month_list(months: pd.DataFrame) -> pd.DataFrame:
    """Every month with data, newest first: status, reported in full, deadline, last action."""
    months = months.sort_values("periode", ascending=False)
    return pd.DataFrame({
        t("umum.periode"): [formatting.bulan(m) for m in months["periode"]],
        t("istilah.status"): [bulan.status_name(s) for s in months["status"]],
        t("pelaporan.kolom.lengkap"): [t("istilah.kpi.dari", n=n, total=total)
                                      for n, total in zip(months["lengkap"], months["total"], strict=True)],
        t("pelaporan.kolom.tenggat"): [formatting.tanggal(d) for d in months["tenggat"]],
        t("pelaporan.kolom.aksi"): [
            "" if pd.isna(aksi) else t(f"pelaporan.aksi.{aksi}", oleh=oleh, waktu=f"{pd.Timestamp(w):%Y-%m-%d %H:%M}")
            + (f" · {alasan}" if isinstance(alasan, str) and alasan else "")
            + (f" · {t('istilah.data_contoh')}" if demo else "")
            for aksi, oleh, w, alasan, demo in zip(months["aksi"], months["aksi_oleh"], months["aksi_waktu"],
                                                    months["aksi_alasan"], months["aksi_demo"], strict=True)],
    })


def kelola_view(store, account: dict | None, is_admin: bool) -> None:
    """Kelola Data's reporting tab: the tracker, every month's status, closing and reopening."""
    tracker_card()
    months = ui.month_table()
    st.markdown(t("pelaporan.bulan_judul"))
    bagikan.table(month_list(months), "status-bulan", t("pelaporan.bulan_judul"), hide_index=True, width="stretch",
                  key="tabel_bulan")
    st.caption(t("pelaporan.bulan_keterangan", hari=per.tenggat_hari()))
    if not is_admin:
        st.caption(t("pelaporan.hanya_admin"))
        return
    today = per.hari_ini()
    closable = [
        m for m, s in zip(months["periode"], months["status"], strict=True) if s != "final" and per.month_end(m) < today
    ]
    reopenable = [m for m, s in zip(months["periode"], months["status"], strict=True) if s == "final"]
    left, right = st.columns(2)
    with left.form("tutup_bulan"):
        chosen = st.selectbox(t("pelaporan.tutup"), closable[::-1], format_func=ui.in_language(formatting.bulan))
        if st.form_submit_button(t("pelaporan.tutup_tombol"), disabled=not closable):
            ui.save(lambda: penutupan.close_month(store, chosen, account["nama"]),
                    lambda batch: t("pelaporan.ditutup", bulan=formatting.bulan(chosen), batch=batch))
    with right.form("buka_bulan"):
        chosen_open = st.selectbox(t("pelaporan.buka"), reopenable[::-1], format_func=ui.in_language(formatting.bulan))
        reason = st.text_input(t("pelaporan.alasan"))
        if st.form_submit_button(t("pelaporan.buka_tombol"), disabled=not reopenable):
            ui.save(lambda: penutupan.reopen_month(store, chosen_open, account["nama"], reason),
                    lambda batch: t("pelaporan.dibuka", bulan=formatting.bulan(chosen_open), batch=batch))
