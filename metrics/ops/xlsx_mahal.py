"""Hand-made XLSX files that cost much to parse while staying under the byte and cell limits (#21.4):
the tests check that each limit refuses its file before parsing, `tiru bench` what the worst file
the limits still allow costs (worst_allowed)."""

import io
import random
import zipfile


def book(n_strings: int = 2_050_000, sheets: int = 1, rows: int = 10, styles: int = 0, empty_rows: int = 0) -> bytes:
    """A workbook with n_strings shared strings, `sheets` sheets (the first with `rows` rows), `styles` cell formats."""
    ct = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'  # noqa: E501 - one XML part
        + "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, sheets + 1)
        )
        + '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    )
    rels = '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'  # noqa: E501 - one XML part
    wb = (
        '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
        + "".join(f'<sheet name="S{i}" sheetId="{i}" r:id="rId{i}"/>' for i in range(1, sheets + 1))
        + "</sheets></workbook>"
    )
    wbrels = (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, sheets + 1)
        )
        + f'<Relationship Id="rId{sheets + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'  # noqa: E501 - one XML part
    )
    sst = (
        '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + "".join(
            f"<si><t>{c}</t></si>"
            for c in random.Random(1).choices("abcdefghijklmnopqrstuvwxyz0123456789", k=n_strings)
        )
        + "</sst>"
    )
    styler = random.Random(2)
    sheet = (
        '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + "".join(f'<row r="{r}"><c r="A{r}" t="s"><v>{r}</v></c></row>' for r in range(1, rows + 1))
        + "".join(  # rows of empty formatted cells: no value, but each one parsed
            f'<row r="{r}">' + "".join(f'<c r="{c}{r}" s="{styler.randint(0, 9)}"/>' for c in "ABCDEFGHIJKLMNOPQRST")
            + "</row>" for r in range(rows + 1, rows + 1 + empty_rows))
        + "</sheetData></worksheet>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", ct)
        z.writestr("_rels/.rels", rels)
        z.writestr("xl/workbook.xml", wb)
        z.writestr("xl/_rels/workbook.xml.rels", wbrels)
        z.writestr("xl/sharedStrings.xml", sst)
        if styles:
            z.writestr(
                "xl/styles.xml",
                f'<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs count="{styles}">'
                + '<xf numFmtId="0"/>' * styles
                + "</cellXfs></styleSheet>",
            )
        for i in range(1, sheets + 1):
            z.writestr(
                f"xl/worksheets/sheet{i}.xml",
                sheet
                if i == 1
                else '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>',
            )
    return out.getvalue()


def worst_allowed() -> bytes:
    """The costliest workbook the limits let through: as many shared strings, sheets, cell formats and
    empty formatted cells as ingest.readers allows."""
    from metrics.ingest import readers

    return book(readers.MAX_SHARED_STRINGS, sheets=readers.MAX_SHEETS, rows=10, styles=readers.MAX_STYLES,
                empty_rows=readers.MAX_CELL_TAGS // 20 - 20)
