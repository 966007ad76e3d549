"""The PowerPoint pack: the Mode Rapat deck (metrics/reports/slides.py) as a 16:9 .pptx.

Charts are native, editable PowerPoint charts fed with the engine's numbers (python-pptx
chart objects with their embedded workbook), not pictures: a presenter can restyle them,
and "Edit data" shows the numbers. Tables are PowerPoint tables; the pillar heatmap is a
table with coloured cells. Every slide has a footer with the period and, while demo data
is shown, DATA CONTOH (DEMO DATA); sources and definitions are in the slide notes. Every slide
is built on the "Title Only" layout with its title in the title placeholder, so PowerPoint's
outline, navigation pane and accessibility checker list the slide titles.

Language: the pack is written in the active language (metrics/core/bahasa.py): the deck's texts
come from the catalogue, and the pack's own texts (footer, demo notice, notes) and the
language tag of every run and of the file follow `bahasa.aktif()`.

Number formats: text in tables and KPIs is formatted by Tiru for the active language
(1.234,5 in Indonesian, 1,234.5 in English). The axes use the format codes '0.0', '0' and
'+0.0;-0.0;0.0': in OOXML '.' means the *viewer's* decimal separator, so an axis reads 45,7 in
PowerPoint with an Indonesian locale and 45.7 with an English one. The bars' value labels are
written as text (deck_spec.labels), because a label is the number a user takes away: it must read
as the table beside it and Mode Rapat do ('−1,4', not '-1.4'; #19). The chart's data stay numbers;
a label does not follow an edit of them (make the pack again instead). No chart value reaches
1 000, so no thousands separator is needed.
"""

from __future__ import annotations

import dataclasses
import io
import math
from pathlib import Path

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_MARKER_STYLE,
    XL_TICK_LABEL_POSITION,
)
from pptx.enum.dml import MSO_LINE_DASH_STYLE, MSO_PATTERN
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from metrics.core import bahasa, formatting
from metrics.core.bahasa import t
from metrics.reports import muat
from metrics.reports.deck_spec import Chart, Deck, Metric, Slide, Table, demo_label, heat_colours
from metrics.reports.deck_spec import labels as label_texts

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)  # 16:9
MARGIN = Inches(0.5)
BODY_TOP = Inches(1.45)
FOOTER_TOP = Inches(7.0)
INK = RGBColor(0x1F, 0x2A, 0x36)
MUTED = RGBColor(0x5A, 0x65, 0x70)
ACCENT = RGBColor(0x00, 0x72, 0xB2)
WARN = RGBColor(0xB0, 0x3A, 0x00)
HEADER_FILL = RGBColor(0x1F, 0x2A, 0x36)
STRIPE = RGBColor(0xF3, 0xF5, 0xF7)
LANGS = {"id": "id-ID", "en": "en-GB"}  # the language tag of text runs (spelling, hyphenation)

LABEL_PT = 12  # a bar's value label
POLA = {"/": MSO_PATTERN.WIDE_UPWARD_DIAGONAL, ".": MSO_PATTERN.PERCENT_50}  # deck_spec.Series.pola
CHART_TYPES = {
    "line": XL_CHART_TYPE.LINE,
    "bar": XL_CHART_TYPE.COLUMN_CLUSTERED,
    "barh": XL_CHART_TYPE.BAR_CLUSTERED,
    "stacked": XL_CHART_TYPE.BAR_STACKED,
}


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def _tint(hex_colour: str, share: float = 0.3) -> RGBColor:
    """The colour mixed into white: the ground of a patterned bar, so it keeps its hue (a late
    target stays vermillion) while its lines still show in greyscale."""
    rgb = [int(hex_colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)]
    return RGBColor(*(round(255 - (255 - c) * share) for c in rgb))


def _text(frame, text: str, size: int, *, bold=False, colour=INK, align=None, first=True):
    """Write one paragraph (replacing the frame's first, or adding one) in the active language."""
    paragraph = frame.paragraphs[0] if first else frame.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    run = paragraph.add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = colour
    run.font._rPr.set("lang", lang())
    return paragraph


def lang() -> str:
    """The language tag of the active language ('id-ID', 'en-GB')."""
    return LANGS[bahasa.aktif()]


def _box(slide, x, y, w, h, *, wrap=True, anchor=MSO_ANCHOR.TOP):
    shape = slide.shapes.add_textbox(x, y, w, h)
    frame = shape.text_frame
    frame.word_wrap = wrap
    frame.vertical_anchor = anchor
    frame.margin_left = frame.margin_right = Inches(0.05)
    return shape, frame


# --------------------------------------------------------------------------- parts


def _title(slide, text: str, x, y, w, h, size: int) -> None:
    """The slide's title in its title placeholder (so PowerPoint's outline and navigation list
    it), placed and styled as the text box it replaced: body font, left-aligned, bottom-anchored."""
    shape = slide.shapes.title
    shape.left, shape.top, shape.width, shape.height = x, y, w, h
    frame = shape.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = MSO_ANCHOR.BOTTOM
    frame.margin_left = frame.margin_right = Inches(0.05)
    frame.margin_top = frame.margin_bottom = Inches(0.05)
    paragraph = _text(frame, text, size, bold=True, align=PP_ALIGN.LEFT)
    paragraph.runs[0].font.name = "+mn-lt"  # the theme's body font, as in the other text boxes


def _header(slide, spec: Slide) -> None:
    _title(slide, spec.title, MARGIN, Inches(0.3), WIDTH - 2 * MARGIN, Inches(0.7), 32)
    if spec.subtitle:
        _, frame = _box(slide, MARGIN, Inches(0.98), WIDTH - 2 * MARGIN, Inches(0.4))
        _text(frame, spec.subtitle, 16, colour=MUTED)


def _footer(slide, deck: Deck, number: int) -> None:
    """Period, the month's status line, model values and DATA CONTOH at the left, on one line at
    the largest size (12 to 10 pt) at which it fits in the wide reference font (metrics/reports/muat.py),
    else on two lines (11 to 9 pt), below the footer line and inside the slide; the slide number at the right."""
    number_w = Inches(1.2)
    box_w = WIDTH - 2 * MARGIN - number_w
    text = (t("rapat.footer", bulan=formatting.bulan(deck.periode))
            + "".join(f"  ·  {part}" for part in (deck.bulan, deck.model) if part))
    demo = f"  ·  {demo_label()}" if deck.demo else ""
    room = Emu(box_w - 2 * Inches(0.05)).pt - 2
    whole, bold = text + demo, bool(demo)  # measured as bold throughout when a part is: on the safe side
    size = next((s for s in (12, 11, 10) if muat.width(whole, s, bold) <= room), None)
    height = Inches(0.35)
    if size is None:
        size = next((s for s in (11, 10) if muat.lines(whole, room, s, bold) <= 2), 9)
        height = Pt(muat.lines(whole, room, size, bold) * size * muat.LINE) + Inches(0.1)
    _, frame = _box(slide, MARGIN, FOOTER_TOP, box_w, height, anchor=MSO_ANCHOR.MIDDLE)
    paragraph = _text(frame, text, size, colour=MUTED)
    if deck.demo:
        run = paragraph.add_run()
        run.text = demo
        run.font._rPr.set("lang", lang())
        run.font.size, run.font.bold, run.font.color.rgb = Pt(size), True, WARN
    _, frame = _box(slide, WIDTH - MARGIN - number_w, FOOTER_TOP, number_w, Inches(0.35), anchor=MSO_ANCHOR.MIDDLE)
    _text(frame, f"{number} / {len(deck.slides)}", 12, colour=MUTED, align=PP_ALIGN.RIGHT)


def _metrics(slide, metrics: list[Metric], x, y, w, h) -> None:
    gap = Inches(0.2)
    width = int((w - gap * (len(metrics) - 1)) / len(metrics))
    for i, metric in enumerate(metrics):
        left = x + i * (width + gap)
        card = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, left, y, width, h)
        card.adjustments[0] = 0.08
        card.fill.solid()
        card.fill.fore_color.rgb = STRIPE
        card.line.color.rgb = _rgb("#D5DAE0")
        frame = card.text_frame
        frame.word_wrap = True
        frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        _text(frame, metric.label, 14, colour=MUTED)
        room = Emu(width - 2 * Inches(0.1)).pt - 2  # the value on one line in the wide reference font (muat.py)
        size = next((s for s in (30, 26, 22, 18) if muat.width(metric.value, s, bold=True) <= room), 16)
        _text(frame, metric.value, size, bold=True, first=False)
        if metric.delta_cetak or metric.delta:
            _text(frame, metric.delta_cetak or metric.delta, 13, colour=MUTED, first=False)


def _table(slide, table: Table, x, y, w, h, sizes=muat.SIZES) -> None:
    """A table sized from its contents and row count (metrics/reports/muat.py), so it stays
    above the footer whatever fonts the viewer has."""
    n_rows = len(table.rows) + 1
    fit = muat.table_fit(list(table.columns), [list(r) for r in table.rows], table.widths, w, h, sizes)
    half, gap = (len(table.rows) + 1) // 2, Inches(0.3)
    each = int((w - gap) / 2)
    if ((not fit.fits or fit.size < 12) and len(table.rows) > 10 and w > Inches(8)  # a long list: two columns,
            and muat.table_fit(list(table.columns), [list(r) for r in table.rows[:half]], table.widths, each, h,
                               sizes).fits):  # when its halves fit side by side (a wide one does not)
        for i, part in enumerate((table.rows[:half], table.rows[half:])):
            spec = dataclasses.replace(
                table, rows=part, heat=table.heat[i * half : (i + 1) * half] if table.heat else None
            )
            _table(slide, spec, x + i * (each + gap), y, each, h)
        return
    size = fit.size
    shape = slide.shapes.add_table(n_rows, len(table.columns), x, y, w, sum(fit.heights))
    grid = shape.table
    for i, column_width in enumerate(fit.widths):
        grid.columns[i].width = Emu(column_width)
    for row, row_height in zip(grid.rows, fit.heights, strict=True):
        row.height = Emu(row_height)
    for i in range(n_rows):
        for j in range(len(table.columns)):
            cell = grid.cell(i, j)
            cell.margin_left = cell.margin_right = Emu(fit.pad_x)
            cell.margin_top = cell.margin_bottom = Emu(fit.pad_y)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
    for j, name in enumerate(table.columns):
        cell = grid.cell(0, j)
        cell.fill.solid()
        cell.fill.fore_color.rgb = HEADER_FILL
        _text(cell.text_frame, name, size, bold=True, colour=RGBColor(0xFF, 0xFF, 0xFF))
    for i, row in enumerate(table.rows, start=1):
        for j, value in enumerate(row):
            cell = grid.cell(i, j)
            colour = INK
            if table.heat is not None and j in table.heat_columns:
                fill, text = heat_colours(table.heat[i - 1][j])
                cell.fill.solid()
                cell.fill.fore_color.rgb = _rgb(fill)
                colour = _rgb(text)
                align = PP_ALIGN.CENTER
            else:
                cell.fill.solid()
                cell.fill.fore_color.rgb = STRIPE if i % 2 == 0 else RGBColor(0xFF, 0xFF, 0xFF)
                align = None
            _text(cell.text_frame, str(value), size, colour=colour, align=align)


def _chart(slide, spec: Chart, x, y, w, h, titled: bool = True) -> None:
    if not spec.categories:  # nothing to draw this month (e.g. nobody ranked): say so instead of a chart
        _points(slide, [spec.title, t("rapat.grafik_kosong")], x, y, w, h, size=18)
        return
    data = CategoryChartData(number_format=spec.number_format)
    data.categories = spec.categories
    for series in spec.series:
        data.add_series(series.name, series.values)
    chart = slide.shapes.add_chart(CHART_TYPES[spec.kind], x, y, w, h, data).chart
    chart.font.size = Pt(13)
    chart.font.color.rgb = INK
    chart.has_title = titled
    if titled:
        chart.chart_title.text_frame.text = spec.title
        chart.chart_title.text_frame.paragraphs[0].runs[0].font.size = Pt(15)
        chart.chart_title.text_frame.paragraphs[0].runs[0].font.bold = True
    value_axis, category_axis = chart.value_axis, chart.category_axis
    if spec.minimum is not None:
        value_axis.minimum_scale = spec.minimum
    if spec.maximum is not None:
        value_axis.maximum_scale = spec.maximum
    if spec.maximum == 100:
        value_axis.major_unit = 20
    if spec.kind == "barh" and spec.minimum is None and spec.number_format.startswith("+"):
        # room on both sides for the signed labels outside the bars (as deck_spec.figure): a long fall's
        # "−1,4" must not run into the kecamatan names, in whatever font the viewer has
        shown = [v for v in spec.series[0].values if v is not None] + [0.0]
        span = (max(shown) - min(shown)) or 1.0
        low, high = min(shown) - 0.35 * span, max(shown) + 0.35 * span
        step = next((s for s in (0.5, 1, 2, 5, 10, 20) if (high - low) / s <= 8), 50)  # ticks through 0
        value_axis.minimum_scale, value_axis.maximum_scale = math.floor(low / step) * step, math.ceil(high / step) * step
        value_axis.major_unit = step
    value_axis.has_major_gridlines = True
    value_axis.major_gridlines.format.line.color.rgb = _rgb("#E5E8EB")
    value_axis.tick_labels.number_format = "0" if spec.maximum == 100 else spec.number_format.split(";")[0].lstrip("+")
    value_axis.tick_labels.number_format_is_linked = False
    value_axis.has_title = bool(spec.axis_title)
    if spec.axis_title:
        value_axis.axis_title.text_frame.text = spec.axis_title
        value_axis.axis_title.text_frame.paragraphs[0].runs[0].font.size = Pt(12)
    category_axis.tick_labels.font.size = Pt(12)
    chart.has_legend = len(spec.series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(13)
    plot = chart.plots[0]
    colours = spec.colours or []
    if spec.kind in ("barh", "stacked"):
        category_axis.reverse_order = True  # first category at the top, as in the table
        category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW  # names clear of negative bars
        _skip_labels(category_axis, 1)  # every kecamatan named, never thinned out
        # a name per bar: the plot (the chart less its axes and title) shared by the bars, with room
        # to spare, or LibreOffice drops every other name when the fallback font is wider than Calibri
        per_bar = (Emu(h).pt - 70) / max(len(spec.categories), 1)
        category_axis.tick_labels.font.size = Pt(max(8, min(13, int(per_bar * 0.78))))
    if spec.kind in ("bar", "barh", "stacked"):
        plot.gap_width = 60
        if spec.kind == "stacked":
            plot.overlap = 100
        plot.has_data_labels = True
        labels = plot.data_labels
        labels.number_format = spec.number_format
        labels.number_format_is_linked = False
        labels.font.size = Pt(LABEL_PT)
        labels.position = XL_LABEL_POSITION.CENTER if spec.kind == "stacked" else XL_LABEL_POSITION.OUTSIDE_END
        for series, spec_series, colour in zip(plot.series, spec.series, colours, strict=True):
            if spec_series.pola:  # a pattern as well as a colour: the series read apart in greyscale too
                series.format.fill.patterned()
                series.format.fill.pattern = POLA[spec_series.pola]
                series.format.fill.fore_color.rgb = _rgb(colour)
                series.format.fill.back_color.rgb = _tint(colour)
            else:
                series.format.fill.solid()
                series.format.fill.fore_color.rgb = _rgb(colour)
            series.invert_if_negative = False
            # each label written as text: a number format is rendered in the viewer's locale ('-1.4' in an
            # Indonesian pack), the text is the one Mode Rapat and the tables show (deck_spec.labels)
            for i, text in enumerate(label_texts(spec, spec_series)):
                if text:
                    _text(series.points[i].data_label.text_frame, text, LABEL_PT)
        if spec.kind == "barh" and any(v is not None and v < 0 for v in spec.series[0].values):
            for i, value in enumerate(spec.series[0].values):  # declines in vermillion
                if value is not None and value < 0:
                    point = plot.series[0].points[i]
                    point.format.fill.solid()
                    point.format.fill.fore_color.rgb = _rgb("#D55E00")
    else:
        category_axis.tick_labels.font.size = Pt(11)
        _skip_labels(category_axis, max(1, len(spec.categories) // 12))
        for i, (series, colour) in enumerate(zip(plot.series, colours, strict=True)):
            series.smooth = False
            series.format.line.color.rgb = _rgb(colour)
            series.format.line.width = Pt(3.5 if i == 0 else 1.5)
            if spec.series[i].dashed:
                series.format.line.dash_style = MSO_LINE_DASH_STYLE.DASH
            if i == 0:  # a marker on the median only
                series.marker.style = XL_MARKER_STYLE.CIRCLE
                series.marker.size = 5
                series.marker.format.fill.solid()
                series.marker.format.fill.fore_color.rgb = _rgb(colour)
            else:
                series.marker.style = XL_MARKER_STYLE.NONE


def _skip_labels(axis, every: int) -> None:
    """Show every n-th category label (python-pptx has no API for c:tickLblSkip)."""
    from pptx.oxml.ns import qn

    element = axis._element
    for tag in ("c:tickLblSkip", "c:tickMarkSkip"):
        for old in element.findall(qn(tag)):
            element.remove(old)
    skip = element.makeelement(qn("c:tickLblSkip"), {"val": str(every)})
    mark = element.makeelement(qn("c:tickMarkSkip"), {"val": str(every)})
    no_multi = element.find(qn("c:noMultiLvlLbl"))
    if no_multi is not None:
        no_multi.addprevious(skip)
        no_multi.addprevious(mark)
    else:
        element.append(skip)
        element.append(mark)


def _points(slide, points: list[str], x, y, w, h, size: int = 16) -> None:
    _, frame = _box(slide, x, y, w, h)
    for i, point in enumerate(points):
        paragraph = _text(frame, f"• {point}", size, first=i == 0)
        paragraph.space_after = Pt(6)


# --------------------------------------------------------------------------- slides


def _title_slide(slide, spec: Slide, deck: Deck) -> None:
    band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, Inches(0.35), HEIGHT)
    band.fill.solid()
    band.fill.fore_color.rgb = ACCENT
    band.line.fill.background()
    _title(slide, spec.title, Inches(1), Inches(0.5), Inches(11.3), Inches(2.0), 44)  # room for two lines
    x, w, y = Inches(1), Inches(11.3), Inches(2.55)
    room = Emu(w - 2 * Inches(0.05)).pt - 2

    def tall(text: str, size: int, bold=False) -> int:  # its height in the wide reference font (muat.py)
        return Pt(muat.lines(text, room, size, bold) * size * muat.LINE) + Inches(0.1)

    _, frame = _box(slide, x, y, w, tall(spec.subtitle, 24))
    _text(frame, spec.subtitle, 24, colour=MUTED)
    y += tall(spec.subtitle, 24) + Inches(0.05)
    if deck.demo:
        note = t("rapat.pptx.demo_judul")
        _, frame = _box(slide, x, y, w, tall(note, 18, True))
        _text(frame, note, 18, bold=True, colour=WARN)
        y += tall(note, 18, True) + Inches(0.15)
    size = next((s for s in (18, 16, 14) if sum(tall(f"• {p}", s) - Inches(0.1) + Pt(6) for p in spec.points)
                 + Inches(0.1) <= FOOTER_TOP - Inches(0.1) - y), 14)
    _points(slide, spec.points, x, y, w, FOOTER_TOP - Inches(0.1) - y, size=size)


def _body(slide, spec: Slide) -> None:
    x, y, w = MARGIN, BODY_TOP, WIDTH - 2 * MARGIN
    bottom = FOOTER_TOP - Inches(0.1)
    if spec.metrics:
        _metrics(slide, spec.metrics, x, y, w, Inches(1.15))
        y += Inches(1.3)
    if spec.points and (spec.chart or spec.tables):
        size = 14 if spec.metrics else 16  # a full slide (KPIs, chart, table) keeps its notes compact
        room = Emu(w - 2 * Inches(0.05)).pt - 2  # measured in the wide reference font (muat.py)
        lines = sum(muat.lines(f"• {p}", room, size) for p in spec.points)
        height = Pt(size * muat.LINE * lines + 6 * len(spec.points)) + Inches(0.1)
        _points(slide, spec.points, x, bottom - height, w, height, size=size)
        bottom -= height + Inches(0.1)
    h = bottom - y
    if spec.chart and spec.tables:
        chart_w = int(w * (0.42 if spec.metrics else 0.52))
        _chart(slide, spec.chart, x, y, chart_w, h, titled=not spec.metrics)  # with KPIs: the subtitle says it
        tx, tw = x + chart_w + Inches(0.25), w - chart_w - Inches(0.25)
        each = int((h - Inches(0.2) * (len(spec.tables) - 1)) / len(spec.tables))
        for i, table in enumerate(spec.tables):
            _table(slide, table, tx, y + i * (each + Inches(0.2)), tw, each)
    elif spec.chart:  # the chart is the slide: its title is the slide's
        _chart(slide, spec.chart, x, y, w, h, titled=bool(spec.metrics))
    elif len(spec.tables) == 2:  # one list in two halves: both at the size the fuller one allows
        half = int((w - Inches(0.3)) / 2)
        size = min(muat.table_fit(list(table.columns), [list(r) for r in table.rows], table.widths, half, h).size
                   for table in spec.tables)
        for i, table in enumerate(spec.tables):
            _table(slide, table, x + i * (half + Inches(0.3)), y, half, h, tuple(s for s in muat.SIZES if s <= size))
    elif spec.tables:
        _table(slide, spec.tables[0], x, y, w, h)
    elif spec.points:
        _points(slide, spec.points, x, y, w, h, size=22)


def presentation(deck: Deck) -> Presentation:
    """The pack of `deck`, its own texts in the active language (build the deck in the same one)."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    prs.core_properties.title = f"{t('rapat.judul.judul')} · {formatting.bulan(deck.periode)}"
    prs.core_properties.language = lang()
    prs.core_properties.author = "Tiru"
    title_only = prs.slide_layouts[5]  # "Title Only": a title placeholder, nothing else
    for number, spec in enumerate(deck.slides, start=1):
        slide = prs.slides.add_slide(title_only)
        if spec.key == "judul":
            _title_slide(slide, spec, deck)
        else:
            _header(slide, spec)
            _body(slide, spec)
        _footer(slide, deck, number)
        notes = spec.notes + (" " + t("rapat.pptx.demo_catatan") if deck.demo else "")
        slide.notes_slide.notes_text_frame.text = notes.strip()
    return prs


def to_bytes(deck: Deck) -> bytes:
    buffer = io.BytesIO()
    presentation(deck).save(buffer)
    return buffer.getvalue()


def write(deck: Deck, path: Path) -> Path:
    path = Path(path)
    path.write_bytes(to_bytes(deck))
    return path
