"""Tiru — the frame: page config, navigation, what every page shares, then the page."""

import streamlit as st

from metrics.app import akses, bagikan, ui
from metrics.core.bahasa import t
from metrics.data.store import StoreError


def pages() -> dict[str, st.Page]:
    """The app's pages by file, titles in the active language. url_path differs from every file stem:
    see tests/test_app.py and docs/pengembangan.md."""
    return {
        "pages/ikhtisar_kabupaten.py": st.Page(
            "pages/ikhtisar_kabupaten.py",
            title=t("umum.nav.ringkasan"),
            icon=":material/dashboard:",
            url_path="ringkasan",
            default=True,
        ),
        "pages/tabel_peringkat.py": st.Page(
            "pages/tabel_peringkat.py",
            title=t("umum.nav.peringkat"),
            icon=":material/format_list_numbered:",
            url_path="peringkat",
        ),
        "pages/kecamatan.py": st.Page("pages/kecamatan.py", title=t("umum.nav.profil"), icon=":material/location_city:",
                                      url_path="profil"),
        "pages/banding.py": st.Page("pages/banding.py", title=t("umum.nav.perbandingan"),
                                    icon=":material/compare_arrows:", url_path="perbandingan"),
        "pages/tren_indikator.py": st.Page("pages/tren_indikator.py", title=t("umum.nav.tren"),
                                           icon=":material/show_chart:", url_path="tren"),
        "pages/peta_kecamatan.py": st.Page("pages/peta_kecamatan.py", title=t("umum.nav.peta"), icon=":material/map:",
                                           url_path="peta"),
        "pages/adopsi_inovasi.py": st.Page("pages/adopsi_inovasi.py", title=t("umum.nav.inovasi"),
                                           icon=":material/lightbulb:", url_path="inovasi"),
        "pages/rapat.py": st.Page("pages/rapat.py", title=t("umum.nav.rapat"), icon=":material/slideshow:",
                                  url_path="mode-rapat"),
        "pages/kelola_data.py": st.Page("pages/kelola_data.py", title=t("umum.nav.kelola"),
                                        icon=":material/upload_file:", url_path="kelola"),
        "pages/metode.py": st.Page("pages/metode.py", title=t("umum.nav.metodologi"), icon=":material/menu_book:",
                                   url_path="metodologi"),
    }


with ui.turn():  # script runs take turns (ui.turn)
    ui.requested_language()  # first: every text below follows ?bahasa=
    # The tab icon is a local file: a :material/…: icon would be fetched from fonts.gstatic.com (no request
    # may leave the server: closed networks, privacy).
    st.set_page_config(page_title=t("umum.judul_aplikasi"), page_icon=ui.ICON, layout="wide")

    PAGES = list(ui.session_pages(pages).values())  # made once per session and language

    page = st.navigation(PAGES)
    heading = st.sidebar.empty()  # the sidebar's title, above the language switch
    # Widgets go after st.navigation: one drawn before it loses its state on st.rerun().
    ui.language_picker()
    akses.gate()  # stops with a sign-in form when the server requires sign-in to view ([tiru] wajib_masuk)

    heading.markdown(t("umum.sidebar"))
    ui.page_style()
    try:
        ui.period_picker()
        ui.demo_banner()
        ui.recovery_banner()
    except StoreError as exc:
        ui.fail_softly(exc)

    with bagikan.frame(page.title):  # the Bagikan control above every page, drawn once the page has run
        page.run()
