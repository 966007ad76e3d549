"""The monthly brief's download button on Ringkasan (the PDF is metrics/reports/laporan_bulanan.py)."""

from __future__ import annotations

import streamlit as st

from metrics.app import ui
from metrics.core import bahasa, formatting
from metrics.core import periode as per
from metrics.core.bahasa import t
from metrics.reports import deck_spec, laporan_bulanan as laporan


@ui.cached
def has_brief(periode: int) -> bool:
    """Whether the month has anything to report: a scorecard, or any kecamatan that reported."""
    return not (ui.scorecard(periode).empty and int(ui.reporting_status(periode)["dilaporkan"].sum()) == 0)


def brief_button(periode: int) -> None:
    """Download the month's brief for the Sekda and the Bupati (PDF), built when clicked; a note
    instead when there is nothing to report for the month."""
    month = formatting.bulan(periode)
    if not has_brief(periode):
        st.caption(t("laporan.tombol.kosong", bulan=month))
        return
    store = ui.store()  # built on click, on another thread: no cached reads there
    language = bahasa.aktif()  # ... and outside this run's language: pass it on

    def brief() -> bytes:
        with bahasa.dalam(language):
            return laporan.to_bytes(deck_spec.gather(store, periode))

    st.download_button(
        t("laporan.tombol.label", bulan=month), icon=":material/picture_as_pdf:", on_click="ignore", data=brief,
        mime="application/pdf", file_name=laporan.filename(per.fmt(periode)), help=t("laporan.tombol.bantuan"),
    )
