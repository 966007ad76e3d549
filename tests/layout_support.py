"""Where the text of a PDF page lands: every shown text run with its box in page points.

A small visitor over the page's content stream (read with pypdf): it follows the graphics
state (q/Q/cm), the text state (Tm, Td, TD, T*, TL, Tf, Tc, Tw, Tz, Tr) and form XObjects,
and for each Tj/TJ/'/" measures the run from the font's own width table (simple fonts:
/Widths; Type0 fonts: the descendant's /W), so a run's right edge is where the glyphs end,
not a guess. Used for the rapor, the monthly brief and the PowerPoint pack rendered by
LibreOffice: nothing may fall outside the page and no two runs may print over each other.
"""

from __future__ import annotations

from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.generic import ContentStream

ASCENT, DESCENT = 0.75, 0.2  # a run's box: from 0.2 em below the baseline to 0.75 em above (Latin text)
FALLBACK_EM = 0.6  # a glyph width when a font carries no width table (the standard 14): wide on purpose


@dataclass(frozen=True)
class Run:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float  # the font size as drawn on the page (text size × scale of the matrices)
    slanted: bool = False  # drawn rotated (an axis label or title): its box is only a bound

    def overlaps(self, other: Run, slack: float = 0.3) -> bool:
        return (min(self.x1, other.x1) - max(self.x0, other.x0) > slack
                and min(self.y1, other.y1) - max(self.y0, other.y0) > slack)


def _mul(a, b):
    """a × b for PDF matrices [a b c d e f]."""
    return [a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5]]


def _point(m, x, y):
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


class _Font:
    """Widths (in 1/1000 em) by character code, how many bytes a code takes, and text for a code."""

    def __init__(self, font):
        font = font.get_object()
        self.two_byte = font.get("/Subtype") == "/Type0"
        self.widths: dict[int, float] = {}
        self.default = None
        if self.two_byte:
            cid = font["/DescendantFonts"][0].get_object()
            self.default = float(cid.get("/DW", 1000))
            w = list(cid.get("/W", []))
            i = 0
            while i < len(w):
                first = int(w[i])
                if isinstance(w[i + 1].get_object(), list):
                    for k, v in enumerate(w[i + 1].get_object()):
                        self.widths[first + k] = float(v)
                    i += 2
                else:
                    for code in range(first, int(w[i + 1]) + 1):
                        self.widths[code] = float(w[i + 2])
                    i += 3
        else:
            first = int(font.get("/FirstChar", 0))
            for k, v in enumerate(font.get("/Widths", []) or []):
                self.widths[first + k] = float(v)
            descriptor = font.get("/FontDescriptor")
            if descriptor is not None and "/MissingWidth" in descriptor.get_object():
                self.default = float(descriptor.get_object()["/MissingWidth"])
        self.unicode = self._to_unicode(font)

    @staticmethod
    def _to_unicode(font) -> dict[int, str]:
        """The /ToUnicode map's bfchar and bfrange entries (enough for the fonts reportlab and LibreOffice write)."""
        if "/ToUnicode" not in font:
            return {}
        data = font["/ToUnicode"].get_object().get_data().decode("latin-1")
        table, mode = {}, None
        for raw in data.splitlines():
            line = raw.strip()
            if line.endswith("beginbfchar"):
                mode = "char"
            elif line.endswith("beginbfrange"):
                mode = "range"
            elif line.startswith("end"):
                mode = None
            elif mode and line.startswith("<"):
                parts = [p.strip("<> ") for p in line.replace("><", "> <").split()]
                try:
                    if mode == "char" and len(parts) >= 2:
                        table[int(parts[0], 16)] = bytes.fromhex(parts[1]).decode("utf-16-be", "replace")
                    elif mode == "range" and len(parts) >= 3 and not parts[2].startswith("["):
                        lo, hi, start = int(parts[0], 16), int(parts[1], 16), int(parts[2], 16)
                        for code in range(lo, hi + 1):
                            table[code] = chr(start + code - lo)
                except ValueError:
                    continue
        return table

    def codes(self, raw: bytes) -> list[int]:
        if self.two_byte:
            return [raw[i] << 8 | raw[i + 1] for i in range(0, len(raw) - 1, 2)]
        return list(raw)

    def width(self, code: int) -> float:
        if code in self.widths:
            return self.widths[code]
        return self.default if self.default is not None else FALLBACK_EM * 1000

    def text(self, codes: list[int]) -> str:
        return "".join(self.unicode.get(c, chr(c) if not self.two_byte else "?") for c in codes)


def _raw(operand) -> bytes:
    if isinstance(operand, bytes):
        return bytes(operand)
    if hasattr(operand, "original_bytes"):
        return operand.original_bytes
    return str(operand).encode("latin-1", "replace")


def _runs(content, resources, ctm, reader, out: list[Run]) -> None:
    fonts = {name: font for name, font in (resources.get("/Font") or {}).items()} if resources else {}
    xobjects = (resources.get("/XObject") or {}) if resources else {}
    stack, cache = [], {}
    tm = lm = [1, 0, 0, 1, 0, 0]
    state = {"font": None, "size": 0.0, "tc": 0.0, "tw": 0.0, "tz": 1.0, "tl": 0.0, "tr": 0, "rise": 0.0}

    def show(raw: bytes, adjust_before: float = 0.0):
        nonlocal tm
        font = state["font"]
        if font is None:
            return
        size = state["size"]
        if adjust_before:
            tm = _mul([1, 0, 0, 1, -adjust_before / 1000 * size * state["tz"], 0], tm)
        codes = font.codes(raw)
        advance = 0.0
        for code in codes:
            w = font.width(code) / 1000 * size + state["tc"]
            if code == 32 and not font.two_byte:
                w += state["tw"]
            advance += w * state["tz"]
        m = _mul(tm, ctm)
        rise = state["rise"]
        corners = [_point(m, x, y) for x in (0, advance) for y in (rise - DESCENT * size, rise + ASCENT * size)]
        text = font.text(codes)
        if state["tr"] != 3 and text.strip():
            drawn = size * abs(m[0] * m[3] - m[1] * m[2]) ** 0.5
            slanted = abs(m[1]) > 1e-6 or abs(m[2]) > 1e-6
            out.append(Run(text, min(c[0] for c in corners), min(c[1] for c in corners),
                           max(c[0] for c in corners), max(c[1] for c in corners), drawn, slanted))
        tm = _mul([1, 0, 0, 1, advance, 0], tm)

    for operands, operator in ContentStream(content, reader).operations:
        op = operator.decode("latin-1") if isinstance(operator, bytes) else operator
        if op == "q":
            stack.append((ctm, dict(state)))
        elif op == "Q" and stack:
            ctm, saved = stack.pop()
            state.update(saved)
        elif op == "cm":
            ctm = _mul([float(v) for v in operands], ctm)
        elif op == "BT":
            tm = lm = [1, 0, 0, 1, 0, 0]
        elif op == "Tm":
            tm = lm = [float(v) for v in operands]
        elif op in ("Td", "TD"):
            if op == "TD":
                state["tl"] = -float(operands[1])
            tm = lm = _mul([1, 0, 0, 1, float(operands[0]), float(operands[1])], lm)
        elif op == "T*":
            tm = lm = _mul([1, 0, 0, 1, 0, -state["tl"]], lm)
        elif op == "TL":
            state["tl"] = float(operands[0])
        elif op == "Tc":
            state["tc"] = float(operands[0])
        elif op == "Tw":
            state["tw"] = float(operands[0])
        elif op == "Tz":
            state["tz"] = float(operands[0]) / 100
        elif op == "Ts":
            state["rise"] = float(operands[0])
        elif op == "Tr":
            state["tr"] = int(operands[0])
        elif op == "Tf":
            name = operands[0]
            if name not in cache and name in fonts:
                cache[name] = _Font(fonts[name])
            state["font"], state["size"] = cache.get(name), float(operands[1])
        elif op == "Tj":
            show(_raw(operands[0]))
        elif op in ("'", '"'):
            if op == '"':
                state["tw"], state["tc"] = float(operands[0]), float(operands[1])
            tm = lm = _mul([1, 0, 0, 1, 0, -state["tl"]], lm)
            show(_raw(operands[-1]))
        elif op == "TJ":
            pending = 0.0
            for item in operands[0]:
                if isinstance(item, (int, float)) or type(item).__name__ in ("FloatObject", "NumberObject"):
                    pending += float(item)
                else:
                    show(_raw(item), pending)
                    pending = 0.0
            if pending:
                tm = _mul([1, 0, 0, 1, -pending / 1000 * state["size"] * state["tz"], 0], tm)
        elif op == "Do" and operands[0] in xobjects:
            form = xobjects[operands[0]].get_object()
            if form.get("/Subtype") == "/Form":
                matrix = [float(v) for v in form.get("/Matrix", [1, 0, 0, 1, 0, 0])]
                _runs(form, form.get("/Resources") or resources, _mul(matrix, ctm), reader, out)


def text_runs(path) -> list[tuple[tuple[float, float, float, float], list[Run]]]:
    """Per page: its box (x0, y0, x1, y1 in points) and the text runs shown on it."""
    reader = PdfReader(str(path))
    pages = []
    for page in reader.pages:
        box = page.mediabox
        runs: list[Run] = []
        _runs(page.get_contents(), page.get("/Resources"), [1, 0, 0, 1, 0, 0], reader, runs)
        pages.append(((float(box.left), float(box.bottom), float(box.right), float(box.top)), runs))
    return pages


def outside(box, runs: list[Run], margin: float = 0.0) -> list[Run]:
    """Runs not wholly inside `box` shrunk by `margin` points on every side."""
    x0, y0, x1, y1 = box
    return [r for r in runs if r.x0 < x0 + margin - 0.5 or r.x1 > x1 - margin + 0.5
            or r.y0 < y0 + margin - 0.5 or r.y1 > y1 - margin + 0.5]


def _kerned(a: Run, b: Run) -> bool:
    """Two pieces of one line drawn a hair into each other (kerning pairs such as 'T' 'i' come
    as separate runs from some writers), not one text over another."""
    same_line = abs(a.y0 - b.y0) < 0.1 * max(a.size, b.size)
    return same_line and min(a.x1, b.x1) - max(a.x0, b.x0) < 0.25 * max(a.size, b.size)


def overprinted(runs: list[Run]) -> list[tuple[Run, Run]]:
    """Pairs of runs whose boxes overlap: text printed over text (slanted runs left out: the
    bounding boxes of neighbouring rotated letters overlap by geometry alone)."""
    ordered = sorted((r for r in runs if not r.slanted), key=lambda r: r.x0)
    pairs = []
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            if b.x0 >= a.x1:
                break
            if a.overlaps(b) and not _kerned(a, b):
                pairs.append((a, b))
    return pairs


# --------------------------------------------------------------------------- a conservative font metric

def _vera() -> tuple[str, str]:
    """Bitstream Vera (reportlab's bundled font; DejaVu Sans has its Latin metrics): wider than
    Calibri, Carlito, Arial and Liberation Sans, so text that fits in Vera fits in any of them."""
    import os

    import reportlab
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    folder = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    for name, file in (("LayoutVera", "Vera.ttf"), ("LayoutVera-Bold", "VeraBd.ttf")):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, os.path.join(folder, file)))
    return "LayoutVera", "LayoutVera-Bold"


LINE_HEIGHT = 1.2  # em per line (Vera/DejaVu: ascent 0.93 + descent 0.24)


def text_width(text: str, size: float, bold: bool = False) -> float:
    from reportlab.pdfbase import pdfmetrics

    regular, heavy = _vera()
    return pdfmetrics.stringWidth(text, heavy if bold else regular, size)


def wrapped_lines(text: str, width: float, size: float, bold: bool = False) -> int:
    """How many lines `text` takes in `width` points, wrapped at spaces (a word wider than the
    line breaks inside itself, as PowerPoint and LibreOffice do)."""
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        used = 0.0
        for word in paragraph.split(" "):
            w = text_width(word, size, bold)
            space = text_width(" ", size, bold) if used else 0.0
            if used and used + space + w > width:
                lines += 1
                used = 0.0
                space = 0.0
            if w > width:  # broken inside the word
                extra = int(w // width)
                lines += extra
                used = w - extra * width
            else:
                used += space + w
    return lines
