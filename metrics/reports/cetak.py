"""What the printed reports share: the A4 page, the embedded font, colours and paragraph
styles, striped tables, the masthead with the DATA CONTOH mark, and the footer.

Used by the rapor per kecamatan (metrics/reports/rapor.py) and the monthly brief for the
Sekda (metrics/reports/laporan_bulanan.py), so both look like one office's papers. reportlab's
bundled Bitstream Vera font is embedded, so a page prints the same everywhere and Indonesian
text with –, ·, ≤, ≥ prints correctly. No Streamlit here.
"""

from __future__ import annotations

import os
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from metrics.core import bahasa
from metrics.core.bahasa import t
from metrics.reports.deck_spec import demo_label, heat_colours

MARGIN = 14 * mm
INK = colors.HexColor("#1F2A36")
MUTED = colors.HexColor("#5A6570")
WARN = colors.HexColor("#B03A00")
LINE = colors.HexColor("#D5DAE0")
STRIPE = colors.HexColor("#F3F5F7")
LANGS = {"id": "id-ID", "en": "en-GB"}
WIDTH = A4[0] - 2 * MARGIN  # the text width of an A4 portrait page

_FONT_DIR = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
pdfmetrics.registerFont(TTFont("TiruSans", os.path.join(_FONT_DIR, "Vera.ttf")))
pdfmetrics.registerFont(TTFont("TiruSans-Bold", os.path.join(_FONT_DIR, "VeraBd.ttf")))
pdfmetrics.registerFontFamily("TiruSans", normal="TiruSans", bold="TiruSans-Bold")


def style(name: str, size: float, *, bold=False, colour=INK, leading=None, **extra) -> ParagraphStyle:
    return ParagraphStyle(name, fontName="TiruSans-Bold" if bold else "TiruSans", fontSize=size,
                          leading=leading or size * 1.25, textColor=colour, **extra)


KICKER = style("kicker", 8.5, bold=True, colour=MUTED)
TITLE = style("title", 20, bold=True, leading=24)
FACTS = style("facts", 8.5, colour=MUTED)
DEMO = style("demo", 9, bold=True, colour=WARN, alignment=TA_RIGHT)
HEAD = style("head", 11.5, bold=True, spaceBefore=7, spaceAfter=3)
BODY = style("body", 8.5)
CELL = style("cell", 8)
CELL_BOLD = style("cellbold", 8, bold=True, colour=colors.white)
KPI_LABEL = style("kpilabel", 8, colour=MUTED)
KPI_VALUE = style("kpivalue", 16, bold=True, leading=19)
NOTE = style("note", 7, colour=MUTED)


def p(text, paragraph_style=CELL) -> Paragraph:
    """A paragraph of plain text (escaped: names and sources are data, not markup)."""
    return Paragraph(escape(str(text)).replace("→", t("rapor.panah")), paragraph_style)


PAD = 3  # a cell's left and right padding (points)


def _longest_word(cell) -> float:
    """Points the widest word of a cell's paragraph needs in its font."""
    if not isinstance(cell, Paragraph):
        return 0.0
    words = cell.getPlainText().split()
    return max((pdfmetrics.stringWidth(w, cell.style.fontName, cell.style.fontSize) for w in words), default=0.0)


def fit_widths(rows: list[list], widths: list[float]) -> list[float]:
    """`widths` widened where a column's longest word would not fit (reportlab would break it inside,
    'Peruba' / 'han'), the room taken from columns with some to spare, in proportion; the total kept."""
    need = [max((_longest_word(row[j]) for row in rows), default=0.0) + 2 * PAD + 1 for j in range(len(widths))]
    short = sum(max(n - w, 0.0) for n, w in zip(need, widths, strict=True))
    spare = [max(w - n, 0.0) for n, w in zip(need, widths, strict=True)]
    if not short or sum(spare) < short:
        return widths
    return [max(n, w) if n > w else w - short * s / sum(spare) for n, w, s in zip(need, widths, spare, strict=True)]


def grid(rows: list[list], widths: list[float], *, header=True, heat: list[tuple[int, int, float | None]] = ()):
    """A table with a dark header row and striped rows; `heat` colours (row, column) by a 0–100 score.
    Columns too narrow for their longest word are widened (`fit_widths`)."""
    table = Table(rows, colWidths=fit_widths(rows, widths), repeatRows=1 if header else 0)
    table_style = [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, LINE),
        ("TOPPADDING", (0, 0), (-1, -1), 2.2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.2),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
    ]
    if header:
        table_style.append(("BACKGROUND", (0, 0), (-1, 0), INK))
    for i in range(1 if header else 0, len(rows)):
        if i % 2 == 0:
            table_style.append(("BACKGROUND", (0, i), (-1, i), STRIPE))
    for row, col, score in heat:
        fill, _ = heat_colours(score)
        table_style.append(("BACKGROUND", (col, row), (col, row), colors.HexColor(fill)))
    table.setStyle(TableStyle(table_style))
    return table


def header_row(names: list[str]) -> list:
    return [p(n, CELL_BOLD) for n in names]


def masthead(kicker: str, demo: bool, width: float = WIDTH, demo_text: str | None = None) -> Table:
    """The line above a page's title: what the paper is (left) and, with demo data, the
    DATA CONTOH mark (right)."""
    mark = (demo_text or t("rapor.demo", label=demo_label())) if demo else ""
    return Table([[p(kicker, KICKER), p(mark, DEMO)]], colWidths=[width * 0.55, width * 0.45],
                 style=[("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)])


def kpi_row(metrics: list, width: float = WIDTH) -> Table:
    """Boxed figures side by side: each a deck_spec.Metric (label above, value below)."""
    cells = [[p(m.label, KPI_LABEL) for m in metrics], [p(m.value, KPI_VALUE) for m in metrics]]
    kpis = Table(cells, colWidths=[width / len(metrics)] * len(metrics))
    kpis.setStyle(TableStyle([("BOX", (i, 0), (i, 1), 0.6, LINE) for i in range(len(metrics))]
                             + [("BACKGROUND", (0, 0), (-1, -1), STRIPE), ("TOPPADDING", (0, 0), (-1, -1), 3),
                                ("BOTTOMPADDING", (0, 1), (-1, 1), 5)]))
    return kpis


FOOT = style("foot", 7, colour=MUTED, leading=8.5)
FOOT_BASE = 6 * mm  # the footer's last line: clear of the printer's unprintable edge (about 5 mm)


def footer(text: str, head: str = "", mark: str = ""):
    """A page callback: `text` at the bottom left, wrapped to as many lines as it needs beside the
    page number at the right (never over it, never past the margin); from page 2 on, a running
    head with `head` at the top left and `mark` (DATA CONTOH) at the top right in the warning
    colour (page 1 carries them in its masthead)."""

    def draw(canvas, doc):
        canvas.saveState()
        number = t("rapor.halaman", n=doc.page)
        number_width = pdfmetrics.stringWidth(number, FOOT.fontName, FOOT.fontSize)
        source = p(text, FOOT)
        source.wrap(WIDTH - number_width - 6 * mm, A4[1])
        source.drawOn(canvas, MARGIN, FOOT_BASE - (FOOT.leading - FOOT.fontSize))  # last line on FOOT_BASE
        canvas.setFont(FOOT.fontName, FOOT.fontSize)
        canvas.setFillColor(MUTED)
        canvas.drawRightString(A4[0] - MARGIN, FOOT_BASE, number)
        if doc.page > 1 and (head or mark):
            top = A4[1] - 9 * mm
            canvas.setFont("TiruSans-Bold", 7.5)
            canvas.drawString(MARGIN, top, head)
            canvas.setFillColor(WARN)
            canvas.drawRightString(A4[0] - MARGIN, top, mark)
            canvas.setStrokeColor(LINE)
            canvas.setLineWidth(0.5)
            canvas.line(MARGIN, top - 2 * mm, A4[0] - MARGIN, top - 2 * mm)
        canvas.restoreState()

    return draw


def document(buffer, title: str) -> SimpleDocTemplate:
    """An A4 portrait document in the active language, Tiru as its author."""
    return SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                             bottomMargin=MARGIN, title=title, author="Tiru", lang=LANGS[bahasa.aktif()])
