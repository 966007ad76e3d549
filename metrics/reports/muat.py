"""Fitting text into the PowerPoint pack's boxes without knowing the viewer's fonts.

The pack asks for the theme font (Calibri). A computer without Calibri or its metric twin
Carlito (LibreOffice on Debian's default fonts) draws DejaVu Sans instead, about 15 % wider:
table cells then wrap, rows grow, and a table runs over the footer and off the slide. So
the pack measures its text with Bitstream Vera (reportlab's bundled font, the same Latin
metrics as DejaVu Sans), wider than Calibri, Carlito, Arial and Liberation Sans: what fits
in Vera fits in any of them. Tables get their font size, column widths and row heights from
their contents and row count (`table_fit`); the footer its size (`width`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from reportlab.pdfbase import pdfmetrics

from metrics.reports import cetak  # noqa: F401  (registers the Vera fonts as TiruSans / TiruSans-Bold)

SIZES = (16, 14, 13, 12, 11, 10)  # a table's font sizes, largest first
LINE = 1.25  # em per line: DejaVu Sans needs 1.17, Calibri 1.22
EMU_PER_PT = 12700


def width(text: str, size: float, bold: bool = False) -> float:
    """Points `text` takes at `size` in the wide reference font."""
    return pdfmetrics.stringWidth(text, "TiruSans-Bold" if bold else "TiruSans", size)


def lines(text: str, room: float, size: float, bold: bool = False) -> int:
    """Lines `text` takes when wrapped at spaces in `room` points (an over-long word breaks inside)."""
    count = 0
    for paragraph in str(text).split("\n"):
        count += 1
        used, space = 0.0, width(" ", size, bold)
        for word in paragraph.split(" "):
            w = width(word, size, bold)
            if used and used + space + w > room:
                count, used = count + 1, 0.0
            if w > room:
                count += int(w // room)
                used = w - (w // room) * room
            else:
                used += (space if used else 0.0) + w
    return count


@dataclass(frozen=True)
class TableFit:
    size: int  # font size in points, every cell
    widths: list[int]  # column widths, EMU
    heights: list[int]  # row heights, EMU (header first)
    pad_x: int  # cell margins, EMU
    pad_y: int
    fits: bool  # False: even the smallest size overflows the room


def _columns(natural: list[float], least: list[float], shares: list[float], room: float) -> list[float]:
    """Column widths in points: every column its natural (one-line) width when all fit, the spare
    room shared by `shares`; otherwise narrow columns their natural width, columns whose longest
    word needs more their `least`, and the others the rest by their shares (they wrap between words)."""
    total = sum(shares)
    if sum(natural) <= room:
        spare = room - sum(natural)
        return [n + spare * s / total for n, s in zip(natural, shares, strict=True)]
    fixed: dict[int, float] = {}
    while True:
        flexible = [j for j in range(len(natural)) if j not in fixed]
        if not flexible:
            break
        rest, share = room - sum(fixed.values()), sum(shares[j] for j in flexible)
        settled = {j: natural[j] for j in flexible if natural[j] <= rest * shares[j] / share}
        settled.update({j: least[j] for j in flexible if least[j] >= rest * shares[j] / share})
        if not settled:
            break
        fixed.update(settled)
    flexible = [j for j in range(len(natural)) if j not in fixed]
    rest, share = room - sum(fixed.values()), sum(shares[j] for j in flexible) or 1.0
    return [fixed[j] if j in fixed else rest * shares[j] / share for j in range(len(natural))]


def table_fit(header: list[str], rows: list[list[str]], shares: list[float] | None, room_w: int, room_h: int,
              sizes=SIZES, most_per_row: int = int(0.42 * 914400)) -> TableFit:
    """The largest font size at which the table fits `room_w` × `room_h` EMU with its text wrapped
    in the reference font; rows are as tall as their text needs, and no taller than `most_per_row`
    unless their text needs it. Falls back to the smallest size (`fits` False) when nothing fits."""
    cells = [list(map(str, header))] + [list(map(str, r)) for r in rows]
    shares = shares or [1.0] * len(header)
    room, tall = room_w / EMU_PER_PT, room_h / EMU_PER_PT
    pad_x = 0.06 * 72
    attempt = None
    for size in sizes:
        for pad_y in (0.03 * 72, 0.0):
            natural = [max(width(row[j], size, bold=i == 0) for i, row in enumerate(cells)) + 2 * pad_x + 2
                       for j in range(len(header))]
            least = [max(width(word, size, bold=i == 0) for i, row in enumerate(cells) for word in row[j].split())
                     + 2 * pad_x + 2 if any(row[j].strip() for row in cells) else 2 * pad_x for j in range(len(header))]
            if sum(least) > room and size != sizes[-1]:  # a word would break inside itself: try smaller
                continue
            columns = _columns(natural, least, shares, room)
            needed = [max(lines(row[j], columns[j] - 2 * pad_x - 1, size, bold=i == 0) for j in range(len(header)))
                      * size * LINE + 2 * pad_y for i, row in enumerate(cells)]
            even = min(most_per_row / EMU_PER_PT, tall / len(cells))
            heights = [max(n, even) for n in needed]
            if sum(heights) > tall:
                heights = needed
            attempt = TableFit(
                size,
                [int(c * EMU_PER_PT) for c in columns],
                [math.ceil(x * EMU_PER_PT) for x in heights],
                int(pad_x * EMU_PER_PT),
                int(pad_y * EMU_PER_PT),
                sum(heights) <= tall and sum(columns) <= room + 0.5,  # a word wider than its column overflows
            )
            if attempt.fits:
                return attempt
    return attempt
