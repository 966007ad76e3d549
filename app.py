"""Tiru — the frame: page config, navigation, what every page shares, then the page."""

import streamlit as st

from metrics import akses, ui
from metrics.store import StoreError

st.set_page_config(page_title="Tiru · Asahan menuju model Cimahi", page_icon=":material/leaderboard:", layout="wide")

# url_path differs from every file stem: see tests/test_app.py and ENGINEERING.md.
PAGES = [
    st.Page("pages/ikhtisar_kabupaten.py", title="Ringkasan", icon=":material/dashboard:", url_path="ringkasan",
            default=True),
    st.Page("pages/tabel_peringkat.py", title="Peringkat", icon=":material/format_list_numbered:",
            url_path="peringkat"),
    st.Page("pages/kecamatan.py", title="Profil kecamatan", icon=":material/location_city:", url_path="profil"),
    st.Page("pages/banding.py", title="Perbandingan", icon=":material/compare_arrows:", url_path="perbandingan"),
    st.Page("pages/tren_indikator.py", title="Tren", icon=":material/show_chart:", url_path="tren"),
    st.Page("pages/peta_kecamatan.py", title="Peta", icon=":material/map:", url_path="peta"),
    st.Page("pages/adopsi_inovasi.py", title="Inovasi", icon=":material/lightbulb:", url_path="inovasi"),
    st.Page("pages/rapat.py", title="Mode Rapat", icon=":material/slideshow:", url_path="mode-rapat"),
    st.Page("pages/kelola_data.py", title="Kelola Data", icon=":material/upload_file:", url_path="kelola"),
    st.Page("pages/metode.py", title="Metodologi", icon=":material/menu_book:", url_path="metodologi"),
]

page = st.navigation(PAGES)
akses.gate()  # stops with a sign-in form when the server requires sign-in to view ([tiru] wajib_masuk)

st.sidebar.markdown("### Tiru\nLayanan kecamatan Asahan terhadap model Cimahi Tengah")
try:
    ui.period_picker()
    ui.demo_banner()
except StoreError as exc:
    ui.fail_softly(exc)

page.run()
