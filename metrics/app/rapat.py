"""Mode Rapat on the screen: the slide laid out for a projector, and the meeting's key bindings.

The slides are metrics/reports/slides.py's specs, the ones the PowerPoint pack is written from;
this module only lays them out with Streamlit.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from metrics.app import ui
from metrics.charts import common as charts
from metrics.charts import uraian
from metrics.core import formatting
from metrics.core.bahasa import t
from metrics.reports import deck_spec

CHART_CONFIG = {"displayModeBar": False}
DENSE_ROWS = 13  # a table longer than this is shown in two halves side by side
LONG_VALUE = 12  # characters of a KPI value that fit a quarter of the slide at full size (18 at 1.5rem)
READABLE_PX = 16  # the smallest text on a slide: legible from the back of a meeting room at 1280×720

# Static CSS for the meeting page only (no user text ever goes through HTML here). The page is the
# slide: the frame's DATA CONTOH line is hidden (the slide carries the badge), the title shrinks into
# the navigation bar, and the main block is exactly one screen high; the slide takes what the bar
# leaves, its body what title, points and notes leave, and charts stretch into it (Plotly draws them at
# the height they get), so nothing scrolls at 1280×720 or 1366×768.
STYLE = """<style>
    [data-testid="stHeader"] { background: transparent; pointer-events: none; }
    [data-testid="stHeader"] * { pointer-events: none; }
    [data-testid="stHeader"] button, [data-testid="stHeader"] button *, [data-testid="stHeader"] a {
        pointer-events: auto; }
    .st-key-tiru-contoh { display: none; }
    .stMain [data-testid="stMainBlockContainer"] { padding: 0.5rem 4rem 0.6rem 4rem; height: 100dvh; max-width: none; }
    .stMain [data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] { height: 100%; gap: 0.5rem;
        flex-wrap: nowrap; }
    .st-key-rapat-bar { flex: 0 0 auto; }
    .stMain .st-key-rapat-bar h1 { font-size: 1.15rem; padding: 0; white-space: nowrap; }
    .st-key-rapat-bar [data-testid="stCaptionContainer"] p { font-size: 0.75rem; }
    .st-key-rapat-bar button, .st-key-rapat-bar [data-baseweb="select"] > div { min-height: 2.1rem; }
    .st-key-rapat-bar [data-baseweb="select"] > div > div { padding-top: 0.15rem; padding-bottom: 0.15rem; }
    .st-key-slide [data-testid="stWidgetLabel"] { display: none; }
    .st-key-rapat-clicker { display: none; }
    [data-testid="stLayoutWrapper"]:has(> .st-key-rapat-slide), [data-testid="stLayoutWrapper"]:has(> .st-key-rapat-body),
    [data-testid="stLayoutWrapper"]:has(> .st-key-rapat-chart) { flex: 1 1 0; min-height: 0; }
    .st-key-rapat-slide { flex: 1 1 0; min-height: 0; overflow: hidden; gap: 0.45rem; flex-wrap: nowrap; }
    .st-key-rapat-body { flex: 1 1 0; min-height: 0; gap: 0.6rem; flex-wrap: nowrap; }
    .st-key-rapat-body > [data-testid="stLayoutWrapper"]:last-child:has(> [data-testid="stHorizontalBlock"]) {
        flex: 1 1 0; min-height: 0; }
    .st-key-rapat-body [data-testid="stHorizontalBlock"] { height: 100%; }
    .st-key-rapat-body [data-testid="stColumn"] > [data-testid="stVerticalBlock"] { height: 100%; flex-wrap: nowrap; }
    .st-key-rapat-chart { flex: 1 1 0; min-height: 0; height: 100%; }
    .st-key-rapat-chart > div { flex: 1 1 0; min-height: 0; }
    .st-key-rapat-slide h2 { font-size: 2.2rem; line-height: 1.15; padding: 0; }
    .st-key-rapat-slide [data-testid="stCaptionContainer"] p { font-size: 1.05rem; }
    .st-key-rapat-slide [data-testid="stMarkdownContainer"] li,
    .st-key-rapat-slide [data-testid="stMarkdownContainer"] p { font-size: 1.25rem; }
    .st-key-rapat-slide [data-testid="stTable"] td:not(:first-child):not(:last-child) p,
    .st-key-rapat-slide [data-testid="stTable"] th p { white-space: nowrap; }
    .st-key-rapat-slide .st-key-rapat-notes [data-testid="stCaptionContainer"] p { font-size: 1rem; line-height: 1.35; }
    .st-key-rapat-slide [data-testid="stMetric"] { padding: 0.3rem 0.9rem; }
    .st-key-rapat-slide [data-testid="stMetricLabel"] [data-testid="stMarkdownContainer"] p { font-size: 1.05rem; }
    .st-key-rapat-slide [data-testid="stMetricValue"] [data-testid="stMarkdownContainer"] p {
        font-size: 2.1rem; font-weight: 600; line-height: 1.1; }
    .st-key-rapat-slide [class*="st-key-rapat-panjang"] [data-testid="stMetricValue"] [data-testid="stMarkdownContainer"] p {
        font-size: 1.5rem; line-height: 1.45; }
    .st-key-rapat-slide [class*="st-key-rapat-sangat"] [data-testid="stMetricValue"] [data-testid="stMarkdownContainer"] p {
        font-size: 1.2rem; line-height: 1.8; }
    .st-key-rapat-slide [data-testid="stMetricDelta"] [data-testid="stMarkdownContainer"] p { font-size: 1rem; }
    .st-key-rapat-body [data-testid="stColumn"] > [data-testid="stVerticalBlock"] { gap: 0.6rem; }
    .st-key-rapat-slide [data-testid="stTable"] th,
    .st-key-rapat-slide [data-testid="stTable"] td { padding: 0.12rem 0.5rem; }
    .st-key-rapat-slide [data-testid="stTable"] [data-testid="stMarkdownContainer"] p { font-size: 1.05rem; line-height: 1.3; }
    .st-key-rapat-slide .st-key-rapat-dense [data-testid="stTable"] [data-testid="stMarkdownContainer"] p {
        font-size: 1rem; }
    .st-key-rapat-slide .st-key-rapat-strip [data-testid="stMarkdownContainer"] p { font-size: 1.1rem; text-align: right; }
    .st-key-rapat-slide .stMarkdownBadge { font-size: 1rem !important; }
    </style>"""


def style() -> None:
    st.markdown(STYLE, unsafe_allow_html=True)


def _step(step: int, total: int) -> None:
    current = int(st.session_state.get("slide", "1"))
    st.session_state["slide"] = str(min(max(current + step, 1), total))


def figure(slide: deck_spec.Slide, deck_: deck_spec.Deck) -> go.Figure:
    """The slide's chart: the app's own builders where one fits, else the spec drawn as is."""
    source = deck_spec.source(deck_.demo)
    if slide.key == "kabupaten":
        fig = charts.kabupaten_trend(slide.frames["series"], source)
    elif slide.key == "peringkat":
        fig = charts.composite_bars(slide.frames["table"], deck_.periode, source)
    elif slide.key == "fokus":
        fig = charts.pillar_comparison(slide.frames["pillars"], slide.frames["nama"], deck_.periode, source)
    else:
        fig = deck_spec.figure(slide.chart)
    # No height: the chart takes the height the slide leaves it (height="stretch" in show()). The legend
    # sits above the plot, under the title, where a short chart cannot push it out of the frame.
    fig.update_layout(
        height=None,
        autosize=True,
        margin={"b": 10, "l": 10, "r": 30},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "yref": "paper", "xanchor": "left", "x": 0},
    )
    if slide.key == "peringkat":  # every kecamatan named, one tick per bar
        names = list(fig.data[0].y)
        fig.update_yaxes(tickmode="array", tickvals=names, ticktext=names)
    return projector(fig)


def projector(fig: go.Figure) -> go.Figure:
    """Every text of a chart at least READABLE_PX, read from the back of a meeting room at 1280×720:
    ticks, axis titles, legend, bar labels, annotations, and the title's second line (a <sup>, 70 % of
    the title, becomes a line of its own size)."""
    small, big = READABLE_PX, 20
    title = fig.layout.title.text or ""
    # the title at the top, the legend (if any) between it and the plot: the top margin holds both
    legend = fig.layout.showlegend if fig.layout.showlegend is not None else sum(bool(d.name) for d in fig.data) > 1
    top = 22 + (big * 1.3 if title else 0) + title.count("<br>") * small * 1.4 + (32 if legend else 0) + 6
    fig.update_layout(title_y=1, title_yref="container", title_yanchor="top", title_pad_t=22, margin_t=round(top))
    fig.update_layout(
        font_size=small,
        title_font_size=big,
        legend_font_size=small,
        uniformtext_minsize=small,
        uniformtext_mode="show",  # bar labels never shrunk below it
        title_text=title.replace("<sup>", f'<span style="font-size:{small}px">').replace("</sup>", "</span>"),
    )
    fig.update_xaxes(tickfont_size=small, title_font_size=small, automargin=True)
    fig.update_yaxes(tickfont_size=small, title_font_size=small, automargin=True)
    for annotation in fig.layout.annotations:
        annotation.font.size = max(annotation.font.size or 0, small)
    for trace in fig.data:
        if getattr(trace, "text", None) is not None and hasattr(trace, "textfont"):
            sizes = trace.textfont.size
            trace.textfont.size = max(sizes or 0, small) if not isinstance(sizes, (list, tuple)) else small
    return fig


def _show_table(table: deck_spec.Table) -> None:
    frame = pd.DataFrame(table.rows, columns=table.columns)
    if table.heat is not None:
        styles = [[(f"background-color: {fill}; color: {ink}; text-align: center" if j in table.heat_columns else "")
                   for j, (fill, ink) in enumerate(deck_spec.heat_colours(v) for v in row)]
                  for row in table.heat]
        frame = frame.style.apply(lambda _: pd.DataFrame(styles, index=frame.index, columns=frame.columns), axis=None)
    st.table(frame, hide_index=True)


def _show_tables(tables: list[deck_spec.Table], side_by_side: bool = True) -> None:
    if len(tables) == 1 and len(tables[0].rows) > DENSE_ROWS:
        whole = tables[0]
        half = (len(whole.rows) + 1) // 2
        heat = (whole.heat[:half], whole.heat[half:]) if whole.heat is not None else (None, None)
        tables = [deck_spec.Table(whole.columns, whole.rows[:half], whole.widths, heat[0], whole.heat_columns),
                  deck_spec.Table(whole.columns, whole.rows[half:], whole.widths, heat[1], whole.heat_columns)]
        with st.container(key="rapat-dense"):
            for column, table in zip(st.columns(2, gap="medium"), tables, strict=True):
                with column:
                    _show_table(table)
        return
    if not side_by_side:  # beside a chart: "Naik terbesar" (largest rises) over "Turun terbesar"
        for table in tables:
            _show_table(table)
        return
    for column, table in zip(st.columns(len(tables), gap="medium"), tables, strict=True):
        with column:
            _show_table(table)


def _chart(fig: go.Figure) -> None:
    """A chart as tall as the space the slide leaves it (see STYLE)."""
    with st.container(key="rapat-chart"):
        # Named by its summary for screen readers (#22); a slide has no room for a data table.
        st.plotly_chart(fig, width="stretch", height="stretch", config=CHART_CONFIG, alt=uraian.summary(fig))


def show(slide: deck_spec.Slide, deck_: deck_spec.Deck, number: int) -> None:
    """One slide: title and month strip, then its metrics, chart, tables, points and notes."""
    demo = f" · :red-badge[{deck_spec.demo_label()}]" if deck_.demo else ""
    title, strip = st.columns([3, 1.3], vertical_alignment="bottom")
    title.markdown(f"## {slide.title}")
    with strip.container(key="rapat-strip"):
        st.markdown(f"**{formatting.bulan(deck_.periode)}**{demo} · {number} / {len(deck_.slides)}")
    if slide.subtitle:
        st.caption(slide.subtitle)

    def metrics(columns) -> None:
        for i, (column, metric) in enumerate(zip(columns, slide.metrics, strict=True)):
            # a long value ("+0.4 · unchanged") in a smaller size instead of cut short with "…"
            n = len(metric.value)
            place = (column.container(key=f"rapat-{'panjang' if n <= 2 * LONG_VALUE - 6 else 'sangat'}-{i}")
                     if n > LONG_VALUE else column)
            place.metric(metric.label, metric.value, **ui.delta(metric.delta), border=True, help=metric.help)

    with st.container(key="rapat-body"):
        if slide.metrics:  # one row of KPIs; the chart or table below takes the rest
            metrics(st.columns(len(slide.metrics)))
        if slide.chart and slide.tables:  # a wide table (the focus slide's gaps) gets half the width
            wide = len(slide.tables[0].columns) > 3
            left, right = st.columns([1, 1] if wide else [3, 2], gap="medium")
            with left:
                _chart(figure(slide, deck_))
            with right:
                _show_tables(slide.tables, side_by_side=False)
        elif slide.chart:
            _chart(figure(slide, deck_))
        elif slide.tables and slide.tables[0].heat is not None:
            heat = projector(deck_spec.heat_figure(slide.tables[0]))
            names = list(heat.data[0].y)  # every kecamatan named, never thinned out
            _chart(heat.update_yaxes(tickmode="array", tickvals=names, ticktext=names))
        elif slide.tables:
            _show_tables(slide.tables)
    if slide.points:
        st.markdown("\n".join(f"- {point}" for point in slide.points))
    if slide.notes:
        with st.container(key="rapat-notes"):
            st.caption(slide.notes)


def navigation(prev_col, next_col, number: int, total: int) -> None:
    """Previous and next slide: buttons on the arrow keys in `prev_col` and `next_col`."""
    prev_col.button(t("rapat.halaman.sebelumnya"), icon=":material/chevron_left:", on_click=_step, args=(-1, total),
                    disabled=number == 1, width="stretch", shortcut="Left", key="slide_sebelumnya")
    next_col.button(t("rapat.halaman.berikutnya"), icon=":material/chevron_right:", on_click=_step, args=(1, total),
                    disabled=number == total, width="stretch", shortcut="Right", key="slide_berikutnya")
    # Presentation clickers send PageUp/PageDown: the same two steps, on buttons kept out of sight.
    with st.container(key="rapat-clicker"):
        st.button(t("rapat.halaman.sebelumnya"), on_click=_step, args=(-1, total), disabled=number == 1,
                  shortcut="PageUp", key="slide_sebelumnya_clicker")
        st.button(t("rapat.halaman.berikutnya"), on_click=_step, args=(1, total), disabled=number == total,
                  shortcut="PageDown", key="slide_berikutnya_clicker")
