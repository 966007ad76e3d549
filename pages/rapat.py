"""Mode Rapat (?slide=N&kecamatan=KODE): the Sekda's monthly meeting, one large slide at a time.

The slides come from metrics/reports/slides.py, the same specs the PowerPoint pack is written from,
so the screen and the downloaded pack say the same thing, in the page's language (texts in
metrics/core/teks/rapat.toml). The slide layout and key bindings are in metrics/app/rapat.py.
"""

import streamlit as st

from metrics.app import bagikan, rapat, ui
from metrics.core import periode as per
from metrics.core.bahasa import t
from metrics.engine import benchmark
from metrics.reports import pptx_pack, rapor

st.set_page_config(initial_sidebar_state="collapsed")  # the projector shows the slide, not the menu
rapat.style()

# One slim bar (title, previous, slide, next, settings) above the slide; rapat.STYLE gives the slide the rest.
with st.container(key="rapat-bar"):
    title_col, prev_col, pick_col, next_col, tools_col, share_col = st.columns([1.25, 1.35, 3.0, 1.35, 1.65, 1.3],
                                                                                vertical_alignment="center")
bagikan.place(share_col)  # in the bar: the slide keeps its height on a projector
with title_col:
    ui.title(t("umum.nav.rapat"))
periode = ui.selected_period()
if periode is None:
    st.info(t("rapat.halaman.kosong"), icon=":material/info:")
    st.stop()

kecamatan = ui.table("kecamatan")
asahan = kecamatan[kecamatan["wilayah"] == benchmark.region()].set_index("kode")["nama"]
month_text = per.fmt(periode)
with tools_col.popover(t("rapat.halaman.atur"), icon=":material/tune:", width="stretch"):
    fokus = ui.url_selectbox(
        t("rapat.halaman.fokus"), [""] + list(asahan.index), "kecamatan", default="",
        format_func=lambda k: t("rapat.halaman.tanpa_fokus") if not k else f"{asahan[k]} ({k})",
        help=t("rapat.halaman.fokus_bantuan"),
    )
    current = ui.deck(periode, fokus or None)
    # the downloads are built when clicked, in a server thread: bound to this run's language
    st.download_button(
        t("rapat.halaman.unduh_pptx"), data=ui.in_language(lambda: pptx_pack.to_bytes(current)),
        file_name=f"rapat-{month_text}.pptx",
        mime="application/vnd.openxmlformats-officedocument.presentationml.presentation", on_click="ignore",
        icon=":material/slideshow:", width="stretch", help=t("rapat.halaman.unduh_pptx_bantuan"),
    )
    st.download_button(
        t("rapat.halaman.unduh_rapor", n=len(asahan)),
        data=ui.in_language(lambda: rapor.to_bytes(ui.slide_inputs(periode))),
        file_name=rapor.filename(month_text), mime="application/pdf", on_click="ignore",
        icon=":material/picture_as_pdf:", width="stretch", help=t("rapat.halaman.unduh_rapor_bantuan"),
    )

total = len(current.slides)
options = [str(n) for n in range(1, total + 1)]
number = int(ui.url_selectbox(
    t("rapat.halaman.slide"), options, "slide", container=pick_col,
    format_func=lambda v: f"{v} / {total} · {current.slides[int(v) - 1].title}",
    help=t("rapat.halaman.slide_bantuan"),
))
rapat.navigation(prev_col, next_col, number, total)

with st.container(key="rapat-slide"):
    rapat.show(current.slides[number - 1], current, number)
