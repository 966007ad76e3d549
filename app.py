"""Tiru — the frame: page config, navigation, what every page shares, then the page."""

import streamlit as st

from metrics import ui
from metrics.store import StoreError

st.set_page_config(page_title="Tiru · Asahan menuju model Cimahi", page_icon=":material/leaderboard:", layout="wide")

# url_path differs from every file stem: see tests/test_app.py and ENGINEERING.md.
PAGES = [
    st.Page("pages/tabel_peringkat.py", title="Peringkat", icon=":material/format_list_numbered:",
            url_path="peringkat", default=True),
    st.Page("pages/metode.py", title="Metodologi", icon=":material/menu_book:", url_path="metodologi"),
]

page = st.navigation(PAGES)

st.sidebar.markdown("### Tiru\nLayanan kecamatan Asahan terhadap model Cimahi Tengah")
try:
    ui.period_picker()
    ui.demo_banner()
except StoreError as exc:
    ui.fail_softly(exc)

page.run()
