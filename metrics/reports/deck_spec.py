"""The meeting deck's specs: the dataclasses Mode Rapat (pages/rapat.py), the PowerPoint pack
(metrics/reports/pptx_pack.py) and the rapor read, the Inputs they are built from (`gather`),
the small text and colour helpers they share, and a spec drawn with Plotly for the screen.

The slides themselves are built in metrics/reports/slides.py. No Streamlit here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from metrics.charts import common as charts
from metrics.core import bahasa, formatting
from metrics.core import periode as per
from metrics.core.bahasa import t
from metrics.data.store import Store
from metrics.engine import adopsi, benchmark
from metrics.engine import bulan as siklus
from metrics.presentation import keadaan, tampil
from metrics.presentation.keadaan import Keadaan

REPORT_LOOKBACK = 24  # months searched back for a silent kecamatan's last report (as on Ringkasan)
MISSING_FILL = "#E5E8EB"
# Indeks Tiru bands (benchmark.BANDS, best first) and their colours (charts.BAND_COLOURS),
# with a text colour that stays readable on each fill.
BAND_FILLS = [("#0072B2", "#FFFFFF"), ("#56B4E9", "#1F2A36"), ("#E69F00", "#1F2A36"), ("#D55E00", "#FFFFFF")]


# --------------------------------------------------------------------------- specs


@dataclass(frozen=True)
class Metric:
    label: str
    value: str
    delta: str | None = None  # as st.metric reads it (Mode Rapat)
    help: str | None = None
    delta_cetak: str | None = None  # as printed (the pack), when it differs: a true minus sign


@dataclass(frozen=True)
class Series:
    name: str
    values: list  # floats, None = no data
    dashed: bool = False  # a reference line (the model at 100)
    # the bars' pattern ('' solid, '/' hatched, '.' dotted; Plotly's shapes, in the pack MSO_PATTERN):
    # series of one bar chart differ by more than colour, for greyscale print and colour-blind readers
    pola: str = ""


@dataclass(frozen=True)
class Chart:
    """A chart as data. kind: line | bar (vertical) | barh (horizontal) | stacked (horizontal).

    For barh/stacked the first category is drawn at the top."""

    kind: str
    title: str
    categories: list[str]
    series: list[Series]
    axis_title: str = ""
    minimum: float | None = None
    maximum: float | None = None
    number_format: str = "0.0"
    colours: list[str] | None = None  # one per series


@dataclass(frozen=True)
class Table:
    columns: list[str]
    rows: list[list[str]]
    widths: list[float] | None = None  # relative column widths
    heat: list[list[float | None]] | None = None  # per cell: score 0–100 to colour, None = plain
    heat_columns: tuple[int, ...] = ()  # columns coloured by `heat`


@dataclass(frozen=True)
class Slide:
    key: str
    title: str
    subtitle: str = ""
    metrics: list[Metric] = field(default_factory=list)
    chart: Chart | None = None
    tables: list[Table] = field(default_factory=list)  # one, or two side by side
    points: list[str] = field(default_factory=list)
    notes: str = ""  # sources and definitions: slide notes in the pack, a caption on the page
    frames: dict = field(default_factory=dict)  # engine frames the page may chart with charts.py


@dataclass(frozen=True)
class Deck:
    periode: int
    demo: bool
    slides: list[Slide]
    bulan: str = ""  # the month's status when it is not final: "sementara · 12 dari 25 melapor"
    model: str = ""  # model_label(): the sample model values' label, while they are used

    @property
    def footer(self) -> str:
        text = t("rapat.footer", bulan=formatting.bulan(self.periode))
        text = " · ".join(part for part in (text, self.bulan, self.model) if part)
        return f"{text} · {demo_label()}" if self.demo else text


@dataclass(frozen=True)
class Inputs:
    """The engine's frames for one month (see gather)."""

    periode: int
    table: pd.DataFrame  # benchmark.league_table(periode)
    history: pd.DataFrame  # benchmark.composite_history up to periode
    status: pd.DataFrame  # benchmark.reporting_status(periode)
    card: pd.DataFrame  # benchmark.scorecard(periode)
    catalog: benchmark.Catalog
    events: pd.DataFrame  # Store.adopsi()
    targets: pd.DataFrame  # Store.target()
    inovasi: pd.DataFrame  # Store.inovasi()
    kecamatan: pd.DataFrame  # Store.kecamatan(benchmark.region())
    demo: bool
    bulan: str = ""  # bulan.notice(periode): the month's status when it is not final, else ""
    keadaan: Keadaan | None = None  # the month's state as of the app's today (presentation/keadaan.py)


def gather(store: Store, periode: int) -> Inputs:
    cat = benchmark.catalog(store)
    kecamatan = store.kecamatan(benchmark.region())
    first = store.periods()[0]
    months = siklus.month_table(store)
    return Inputs(
        periode=periode,
        table=benchmark.league_table(store, periode),
        history=benchmark.composite_history(store, min(first, periode), periode),
        status=benchmark.reporting_status(store.observasi(periode - REPORT_LOOKBACK, periode), kecamatan, periode,
                                          cat.indikator["frekuensi"]),
        card=benchmark.scorecard(store, periode),
        catalog=cat,
        events=store.adopsi(),
        targets=store.target(),
        inovasi=store.inovasi(),
        kecamatan=kecamatan,
        demo=store.has_demo(),
        bulan=siklus.notice(months, periode) or "",
        keadaan=keadaan.dari_tabel(months, periode, store.has_demo(), per.hari_ini()),
    )


# --------------------------------------------------------------------------- helpers


def model_label(catalog: benchmark.Catalog) -> str:
    """'Nilai model: nilai contoh (bukan angka resmi)' while any scored model value is one Tiru
    shipped (the store gives model_sumber_en only for those), else ''."""
    sample = catalog.scored.get("model_sumber_en")
    return t("rapat.pptx.model_contoh") if sample is not None and sample.notna().any() else ""


def demo_label() -> str:
    """'DATA CONTOH' / 'DEMO DATA'."""
    return t("istilah.data_contoh")


def source(demo: bool) -> str:
    return demo_label() if demo else t("rapat.sumber_laporan")


def heat_colours(score) -> tuple[str, str]:
    """(fill, text) for a 0–100 score by the Indeks Tiru bands; grey when missing."""
    if score is None or pd.isna(score):
        return MISSING_FILL, "#5A6570"
    for (lowest, _), colours in zip(benchmark.BANDS, BAND_FILLS, strict=True):
        if score >= lowest:
            return colours
    return BAND_FILLS[-1]


def points_to_model(median) -> str:
    """The kabupaten's gap to the model (100 − median Indeks) with its unit: "54,3 poin"; "–" without a median."""
    if median is None or pd.isna(median):
        return formatting.angka(None, 1)
    return t("istilah.kpi.jarak_nilai", nilai=formatting.angka(100 - tampil.indeks(median), 1))


def movement(change) -> str:
    """Rank movement in words that print anywhere: 'naik 3', 'turun 2', 'peringkat sama', 'baru'
    (presentation/tampil.peringkat_kata: never 'tetap', which read as "unchanged" beside a fall)."""
    return tampil.peringkat_kata(change)


def of(a, b) -> str:
    """'3 dari 25' / '3 of 25'."""
    return t("rapat.dari", a=a, b=b)


# --------------------------------------------------------------------------- readings of the inputs


def pillar_matrix(inputs: Inputs) -> pd.DataFrame:
    """Pillar scores (0–100) per Asahan kecamatan in league-table order; columns = pillar codes."""
    pillars = list(inputs.catalog.pilar.index)
    codes = list(inputs.table["kode_kecamatan"])
    if inputs.card.empty:
        return pd.DataFrame(index=codes, columns=pillars, dtype=float)
    return inputs.card.groupby(["kode_kecamatan", "pilar"])["skor"].mean().unstack().reindex(index=codes,
                                                                                             columns=pillars)


def late_targets(inputs: Inputs) -> pd.DataFrame:
    """adopsi.target_status on the last day of the month."""
    codes = list(inputs.kecamatan["kode"])
    return adopsi.target_status(inputs.events, inputs.targets, codes, per.month_end(inputs.periode))


def innovation_name(inputs: Inputs, inovasi: str) -> str:
    """An innovation's short name in the active language (catalogue name as the fallback)."""
    names = bahasa.names(inputs.inovasi)
    return adopsi.short_name(inovasi, names.get(inovasi))


# --------------------------------------------------------------------------- on screen


def labels(chart: Chart, series: Series) -> list[str]:
    """The value label of each bar as text, the same in the pack and Mode Rapat: '−1,4' / '81,5' / '3'
    (tampil.bertanda for a signed format, formatting.angka otherwise); '' without a value and for a
    stacked segment of 0."""
    decimals = 0 if chart.number_format.startswith("0;") or chart.number_format == "0" else 1
    return [("" if v is None or (chart.kind == "stacked" and v == 0) else
             (tampil.bertanda(v, decimals) if chart.number_format.startswith("+") else formatting.angka(v, decimals)))
            for v in series.values]


def figure(chart: Chart) -> go.Figure:
    """A chart spec drawn with Plotly for Mode Rapat: the same series as the pack's native chart."""
    fig = go.Figure()
    colours = chart.colours or charts.PALETTE
    horizontal = chart.kind in ("barh", "stacked")
    for series, colour in zip(chart.series, colours, strict=True):
        texts = labels(chart, series)
        if chart.kind == "line":
            fig.add_trace(go.Scatter(x=chart.categories, y=series.values, name=series.name, mode="lines",
                                     line={"color": colour}))
            continue
        bar_colours = colour
        if chart.kind == "barh" and chart.number_format.startswith("+"):
            bar_colours = [colour if (v or 0) >= 0 else "#D55E00" for v in series.values]
        values = series.values
        fig.add_trace(go.Bar(
            x=values if horizontal else chart.categories, y=chart.categories if horizontal else values,
            orientation="h" if horizontal else "v", name=series.name, text=texts,
            marker={"color": bar_colours, "pattern": {"shape": series.pola, "fgcolor": "#FFFFFF", "solidity": 0.35,
                                                       "fillmode": "overlay"}},
            textposition="inside" if chart.kind == "stacked" else "outside", cliponaxis=False,
            hovertemplate="%{y}: %{x}<extra></extra>" if horizontal else "%{x}: %{y}<extra></extra>",
        ))
    value_range = [chart.minimum, chart.maximum * 1.08] if chart.minimum is not None and chart.maximum else None
    if value_range is None and horizontal and chart.number_format.startswith("+"):
        # room on both sides for the signed labels outside the bars: a long negative bar's "−1,8"
        # must not run into the kecamatan names on the axis
        shown = [v for series in chart.series for v in series.values if v is not None] + [0.0]
        span = (max(shown) - min(shown)) or 1.0
        value_range = [min(shown) - 0.2 * span, max(shown) + 0.2 * span]
    value_axis = {"title_text": chart.axis_title, "range": value_range, "gridcolor": "#E5E8EB", "zeroline": True,
                  "zerolinecolor": "#8A96A3"}
    if horizontal:
        fig.update_xaxes(**value_axis)
        fig.update_yaxes(autorange="reversed", automargin=True)
    else:
        fig.update_yaxes(**value_axis)
    fig.update_layout(
        title={"text": chart.title, "x": 0, "xanchor": "left"},
        separators=formatting.separators(),
        plot_bgcolor="white",
        paper_bgcolor="white",
        barmode="stack" if chart.kind == "stacked" else "group",
        bargap=0.3,
        showlegend=len(chart.series) > 1,
        legend={"orientation": "h", "y": -0.15, "x": 0},
        margin={"l": 10, "r": 40, "t": 60, "b": 40},
        font={"family": "sans-serif", "color": "#1F2A36"},
    )
    return fig


def heat_figure(table: Table, height: int | None = None) -> go.Figure:
    """A heat table (the pillar slide) as a Plotly heatmap with the pack's band colours: all
    25 rows fit one screen, where an HTML table would not. Without a height it fills its container."""
    columns = [table.columns[j] for j in table.heat_columns]
    labels = [f"{row[0]}  {row[1]}" if row[0] != "—" else f"—  {row[1]}" for row in table.rows]
    palette = [fill for fill, _ in BAND_FILLS] + [MISSING_FILL]

    def band(score) -> int:
        if score is None or pd.isna(score):
            return len(BAND_FILLS)
        return next(i for i, (lowest, _) in enumerate(benchmark.BANDS) if score >= lowest)

    z = [[band(row[j]) for j in table.heat_columns] for row in table.heat]
    text = [[row[j] for j in table.heat_columns] for row in table.rows]
    ink = [[(BAND_FILLS[b][1] if b < len(BAND_FILLS) else "#5A6570") for b in zrow] for zrow in z]
    scale = []
    for i, colour in enumerate(palette):
        scale += [[i / len(palette), colour], [(i + 1) / len(palette), colour]]
    fig = go.Figure(go.Heatmap(
        x=columns, y=labels, z=z, zmin=0, zmax=len(palette) - 1e-9, colorscale=scale, showscale=False,
        xgap=2, ygap=2, hoverinfo="skip",
    ))
    cells = [(i, j) for i in range(len(labels)) for j in range(len(columns))]
    fig.add_trace(go.Scatter(
        x=[columns[j] for _, j in cells], y=[labels[i] for i, _ in cells], mode="text",
        text=[text[i][j] for i, j in cells], textfont={"color": [ink[i][j] for i, j in cells], "size": 14},
        hoverinfo="skip", showlegend=False,
    ))
    fig.update_xaxes(side="top", showgrid=False, tickfont={"size": 15})
    fig.update_yaxes(autorange="reversed", showgrid=False, tickfont={"size": 13}, automargin=True)
    fig.update_layout(height=height, margin={"l": 10, "r": 10, "t": 30, "b": 10}, plot_bgcolor="white",
                      paper_bgcolor="white", font={"family": "sans-serif", "color": "#1F2A36"})
    return fig
