"""Builds the binary part of the bad-file corpus deterministically (run by tests/test_ingest.py).

XLSX files are zip archives with timestamps inside, so they are generated rather than
committed; the CSV part of the corpus is committed next to this script.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from openpyxl import Workbook

LONG = ["kode_kecamatan", "periode", "indikator", "nilai", "sumber", "catatan"]


def _save(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _long(rows, title="observasi") -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(LONG)
    for row in rows:
        ws.append(row)
    return wb


def _rewrite(content: bytes, member: str, edit) -> bytes:
    """Copy a zip, passing one member's text through `edit`."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == member:
                data = edit(data.decode("utf-8")).encode("utf-8")
            target.writestr(info.filename, data)
    return out.getvalue()


def formula_with_cached_value() -> bytes:
    """A valid long file whose nilai is the formula =40+5 with its stored value 45."""
    wb = _long([["12.09.08", "2025-06", "waktu_tunggu", "=40+5", "laporan", None]])
    return _rewrite(
        _save(wb),
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace("<f>40+5</f><v></v>", "<f>40+5</f><v>45</v>").replace(
            "<f>40+5</f></c>", "<f>40+5</f><v>45</v></c>"
        ),
    )


def files() -> dict[str, bytes]:
    out = {}
    out["rumus_tanpa_nilai.xlsx"] = _save(_long([["12.09.08", "2025-06", "waktu_tunggu", "=40+5", "laporan", None]]))

    wb = _long([["12.09.08", "2025-06", "waktu_tunggu", 45, "laporan", None],
                [None, "2025-06", "tte", 50, "laporan", None]])
    wb.active.merge_cells("A2:A3")
    out["sel_gabungan.xlsx"] = _save(wb)

    wb = Workbook()
    ws = wb.active
    ws.title = "2025-06"
    ws.append(["kode_kecamatan", "kecamatan", "waktu_tunggu", "tte"])
    ws.append(["12.09.08", "Meranti", 45, 60])
    extra = wb.create_sheet("Sheet2")
    extra.append(["catatan"])
    extra.append(["lain"])
    out["lembar_salah.xlsx"] = _save(wb)

    wb = Workbook()
    ws = wb.active
    ws.title = "2025-06"
    ws.append(["kode_kecamatan", "kecamatan", "waktu_tunggu", "tte_x"])
    ws.append(["12.09.08", "Meranti", 45, 60])
    out["lebar_judul_salah.xlsx"] = _save(wb)

    wb = Workbook()
    ws = wb.active
    ws.title = "2025-07"
    ws.append(["kode_kecamatan", "kecamatan", "tepat_waktu", "ikm"])
    ws.append(["12.09.08", "Meranti", 130, 10])
    out["lebar_di_luar_rentang.xlsx"] = _save(wb)

    out["lebar_bulan_masa_depan.xlsx"] = _rewrite(out["lebar_di_luar_rentang.xlsx"], "xl/workbook.xml",
                                                  lambda xml: xml.replace('name="2025-07"', 'name="2099-07"'))

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("catatan.txt", "bukan buku kerja")
    out["zip_bukan_buku_kerja.xlsx"] = buffer.getvalue()

    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
              '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>')
    out["bom_xml.xlsx"] = _rewrite(_save(_long([["12.09.08", "2025-06", "waktu_tunggu", 45, "x", None]])),
                                   "xl/worksheets/sheet1.xml",
                                   lambda xml: laughs + xml.split("?>", 1)[-1].replace("<t>x</t>", "<t>&lol3;</t>"))

    buffer = io.BytesIO()
    base = _save(_long([["12.09.08", "2025-06", "waktu_tunggu", 45, "x", None]]))
    with zipfile.ZipFile(io.BytesIO(base)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
        target.writestr("xl/media/kosong.bin", b"\0" * (60 * 1024 * 1024))
    out["bom_zip.xlsx"] = buffer.getvalue()

    # issue #12: a value beyond the column limit; more cells than the cell limit (both under 5 MB)
    wb = _long([["12.09.08", "2025-06", "waktu_tunggu", 45, "x", None]])
    wb.active.cell(2, 201, "di luar")
    out["kolom_terlalu_jauh.xlsx"] = _save(wb)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("observasi")
    ws.append(LONG)
    for _ in range(1100):
        ws.append(["12.09.08", "2025-06", "waktu_tunggu", 45, "x", None] + [1] * 194)
    out["terlalu_banyak_sel.xlsx"] = _save(wb)
    return out


def write(directory: Path) -> dict[str, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, content in files().items():
        path = directory / name
        path.write_bytes(content)
        paths[name] = path
    return paths
