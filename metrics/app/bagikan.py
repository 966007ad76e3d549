"""Sharing (#15): the "Bagikan" control of every page, every chart's PNG button, every table's
"Unduh Excel".

- `frame(title)` (app.py, around page.run()) reserves a row above the page and, once the page has
  run, draws "Bagikan" there: a link with the month pinned and a WhatsApp-ready summary, each in a
  code box with its own copy button. It is drawn after the page so that the link carries the
  parameters the page's widgets have just written (?kecamatan=…, ?banding=…), and also when the
  page stopped early (st.stop). A page gives its key message with `summary(text)`
  (metrics/reports/teks_bagikan.py builds the texts); without one the summary is "Tiru · page · month".
- `chart(fig, name)` is st.plotly_chart with Plotly's own toolbar reduced to the camera: a PNG
  export in the browser, named after the page, the kecamatan and the month.
- `table(frame, name)` is st.dataframe plus an "Unduh Excel" button whose workbook is built on
  click (metrics/reports/tabel_excel.py).
"""

from __future__ import annotations

import contextlib
import re
from contextvars import ContextVar
from urllib.parse import urlencode

import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import StopException
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from metrics.app import cache, ui
from metrics.charts import common as charts
from metrics.charts import uraian
from metrics.core import bahasa
from metrics.core import periode as per
from metrics.core.bahasa import t
from metrics.presentation import berkas
from metrics.reports import teks_bagikan as teks
from metrics.reports import tabel_excel

SUMMARY_KEY = "_bagikan_teks"
_place: ContextVar = ContextVar("bagikan_tempat", default=None)  # set by place(), per script run
# Everything of Plotly's toolbar but the camera (toImage).
MODEBAR_REMOVE = ["zoom", "pan", "select", "lasso2d", "zoomIn", "zoomOut", "autoScale", "resetScale",
                  "zoom2d", "pan2d", "select2d", "zoomIn2d", "zoomOut2d", "autoScale2d", "resetScale2d",
                  "hoverClosestCartesian", "hoverCompareCartesian", "toggleSpikelines", "toggleHover",
                  "resetViews", "resetViewMapbox", "resetGeo", "hoverClosestGeo", "zoomInGeo", "zoomOutGeo",
                  "resetViewMap", "zoomInMap", "zoomOutMap", "orbitRotation", "tableRotation",
                  "hoverClosestPie", "resetCameraDefault3d", "resetCameraLastSave3d", "hoverClosest3d",
                  "zoom3d", "pan3d", "sendDataToCloud"]


def _page_path() -> str:
    """The current page's url_path ('' for the default page)."""
    ctx = get_script_run_ctx()
    if ctx is None:
        return ""
    info = ctx.pages_manager.get_pages().get(ctx.pages_manager.current_page_script_hash) or {}
    return info.get("url_pathname", "") or ""


def link(periode: int | None) -> str:
    """This page's address with its parameters, ?periode= always set (it then survives the next
    import) and ?bahasa=en when English. Absolute from st.context.url (or the Host header), else
    relative to the app's root."""
    params = {k: v for k, v in st.query_params.to_dict().items() if k not in ("periode", "bahasa")}
    if periode is not None:
        params["periode"] = per.fmt(periode)
    if bahasa.aktif() != bahasa.DEFAULT:
        params["bahasa"] = bahasa.aktif()
    query = urlencode(params, safe=",:")
    base = st.context.url
    if not base:
        host = st.context.headers.get("Host") if st.context.headers else None
        base = f"http://{host}/{_page_path()}".rstrip("/") if host else _page_path()
    return f"{base}?{query}" if query else base


def summary(text: str) -> None:
    """This page's summary for the Bagikan control (plain text lines, without the link)."""
    st.session_state[SUMMARY_KEY] = text


def place(container) -> None:
    """Draw this page's Bagikan control in `container` instead of the row above the page (Mode Rapat:
    beside its controls, so the slide keeps its height)."""
    _place.set(container)


OPEN_KEY = "bagikan_buka"


def _draw(row, title: str) -> None:
    slot = _place.get() or row()
    popover = slot.popover(t("bagikan.tombol"), icon=":material/share:", help=t("bagikan.tombol_bantuan"),
                           key=OPEN_KEY, on_change="rerun")
    if not popover.open:  # its texts are made and sent when it is opened: few open it, every page drew them (#24)
        return
    periode = ui.selected_period()
    state = None if periode is None else ui.month_state(periode)
    body = st.session_state.pop(SUMMARY_KEY, None) or teks.umum(title, periode, ui.has_demo())
    if state is not None and state.baris() not in body:  # every summary states the month and the source
        lines = body.split("\n")
        body = "\n".join(lines[:1] + teks.state_lines(state) + lines[1:])
    address = link(periode)
    with popover:
        # st.text, not markdown or captions: the control comes first in the page, and tests (and
        # screen readers) look for the page's own captions first.
        st.text(t("bagikan.tautan"))
        st.code(address, language=None, wrap_lines=True)
        st.text(t("bagikan.ringkasan"))
        st.code(f"{body}\n{address}", language=None, wrap_lines=True)
        st.text(t("bagikan.salin"))


@contextlib.contextmanager
def frame(title: str):
    """Around page.run(): the Bagikan row above the page, filled once the page has run."""
    st.session_state.pop(SUMMARY_KEY, None)
    token = _place.set(None)
    slot = st.empty()  # takes no room when the control is drawn elsewhere

    def row():
        return slot.container(horizontal=True, horizontal_alignment="right", key="bagikan")

    try:
        try:
            yield
        except StopException:
            _draw(row, title)
            raise
        _draw(row, title)
    finally:
        _place.reset(token)


def _slug(text: str) -> str:
    return berkas.bagian(text)


def file_stem(name: str, periode: int | None = None) -> str:
    """'tiru-profil-12.09.19-2026-09': the page's name, the kecamatan in the URL, the month (default the
    selected one)."""
    parts = ["tiru", name]
    kecamatan = st.query_params.get("kecamatan")
    if kecamatan and "," not in kecamatan:
        parts.append(kecamatan)
    periode = ui.selected_period() if periode is None else periode
    if periode is not None:
        parts.append(per.fmt(periode))
    return "-".join(_slug(p) for p in parts if p)


def chart_config(name: str) -> dict:
    """Plotly's toolbar with the camera only, shown when the pointer is on the chart (always shown, it
    covered the titles of narrow charts): PNG at twice the size, named after page, kecamatan, month."""
    return {"displayModeBar": "hover", "modeBarButtonsToRemove": MODEBAR_REMOVE, "displaylogo": False,
            "toImageButtonOptions": {"format": "png", "filename": file_stem(name), "scale": 2}}


def footer_text() -> str | None:
    """The selected month's footer for chart images (presentation/keadaan.py), None without a month."""
    periode = ui.selected_period()
    if periode is None:
        return None
    return _footer(periode)


@ui.cached
def _footer(periode: int) -> str:
    return ui.month_state(periode).kaki_singkat()


@ui.cached
def _table_line(periode: int) -> str:
    """The month's line in a table's workbook header: status and source."""
    state = ui.month_state(periode)
    return f"{state.baris()} · {state.sumber()}"


def described(fig) -> tuple[str, object]:
    """The figure's text alternative (charts/uraian.py): its one-line summary and its data as a table,
    made once per figure (figures come from shared caches and are never changed)."""
    if "_tiru_uraian" not in fig.__dict__:
        fig.__dict__["_tiru_uraian"] = (uraian.summary(fig), uraian.table(fig))
    return fig.__dict__["_tiru_uraian"]


def chart(fig, name: str, footer: str | None = None, **kwargs):
    """st.plotly_chart with the PNG download; `kwargs` go to st.plotly_chart (width defaults to stretch).
    The figure carries the month, its status, the source and DATA CONTOH in a footer line, so that its
    PNG says them wherever it is sent (#19). The chart is named for screen readers by its one-line
    summary, and "Lihat data" under it shows its numbers as a table (WCAG 1.1.1, #22), drawn only when
    opened (few open it). `footer` replaces the month's footer for a chart that is not of the month's
    data (the Ombudsman series: real, yearly)."""
    kwargs.setdefault("width", "stretch")
    summary, data = described(fig)
    # The title as page text too, shown only on a phone (gaya.PHONE), where Plotly's own is hidden: Plotly
    # does not wrap a title, and most were cut at 390 px.
    lines = [uraian.plain(part) for part in re.split(r"(?i)<br\s*/?>", str(fig.layout.title.text or ""))]
    if any(lines):
        with st.container(key=f"judul-grafik-{name}"):
            st.markdown(f"**{ui.plain(lines[0])}**" + "".join(f"  \n{ui.plain(line)}" for line in lines[1:] if line))
    footer = footer or footer_text()
    if footer and isinstance(fig, cache.ShownFigure):  # shared by every session: a footed copy, kept with it
        fig = fig.footed(footer, charts.with_footer)
    elif footer:  # the caller's own figure
        charts.with_footer(fig, footer)
    shown = st.plotly_chart(fig, config=chart_config(name), alt=summary, **kwargs)
    opened = st.expander(t("grafik.uraian.lihat_data"), icon=":material/table:", key=f"lihat_data_{name}",
                         on_change="rerun")
    if opened.open:
        with opened:
            st.dataframe(data, hide_index=True, width="stretch")
    return shown


def table(data, name: str, title: str, download=None, periode: int | None = None, **kwargs):
    """st.dataframe(data, **kwargs) and an "Unduh Excel" button under it; the workbook of `download`
    (default: `data`; or a function giving it, called only then; titled `title`, with the month —
    `periode`, default the selected month — and DATA CONTOH in its header) is built when clicked, in
    this run's language; a table that cannot be written gives a workbook saying so
    (tabel_excel.safe_bytes). Returns what st.dataframe returns (the selection of a selectable table)."""
    shown = st.dataframe(data, **kwargs)
    data = data if download is None else download
    periode, demo = ui.selected_period() if periode is None else periode, ui.has_demo()
    line = "" if periode is None else _table_line(periode)
    st.download_button(
        t("bagikan.unduh_excel"),
        data=ui.in_language(lambda: tabel_excel.safe_bytes(data() if callable(data) else data, title, periode, demo,
                                                           keadaan=line)),
        file_name=tabel_excel.filename(file_stem(name, periode).removeprefix("tiru-"), None),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore",
        icon=":material/download:", type="tertiary", key=f"unduh_excel_{name}", help=t("bagikan.unduh_excel_bantuan"),
    )
    return shown
