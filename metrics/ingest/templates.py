"""Downloadable XLSX templates with dropdowns (data validation) for every import kind.

Each workbook has the data sheet(s), a 'Petunjuk' sheet (rules and the allowed range of
every indicator) and a hidden 'Daftar' sheet holding the dropdown lists (kecamatan codes,
indicator codes, months EARLIEST…this month, innovations, stages). The importer skips
'Petunjuk' and 'Daftar', so a filled template goes back in as it is.

Texts a person reads (instructions, dropdown prompts and error alerts) follow the active
language (metrics/core/teks/templat.toml); sheet names and column headers are read by the
importer and stay the same in both languages, so a template imports the same either way.
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from metrics.core import bahasa, formatting
from metrics.core import periode as per
from metrics.data import wilayah
from metrics.data.store import Store
from metrics.engine import adopsi
from metrics.engine.benchmark import region
from metrics.engine import ikm as ikm_mod
from metrics.ingest.validation import COLUMNS
from metrics.ingest.values import EARLIEST

KINDS = ("observasi", "observasi-lebar", "skm", "adopsi", "target", "model")
ROWS = 500  # validated rows in the long templates
_HEAD = Font(bold=True, color="FFFFFF")
_FILL = PatternFill("solid", fgColor="0072B2")


def label(kind: str) -> str:
    """What a template holds, in the active language ('Observasi (format panjang: …)')."""
    return bahasa.t(f"templat.jenis.{kind.replace('-', '_')}")


def _months(today: dt.date) -> list[str]:
    return [per.fmt(m) for m in range(per.from_date(today), per.parse(EARLIEST) - 1, -1)]


def _lists(wb: Workbook, store: Store, kecamatan: list[str], today: dt.date) -> dict[str, str]:
    ws = wb.create_sheet("Daftar")
    ws.sheet_state = "hidden"
    names = store.kecamatan().set_index("kode")["nama"]
    columns = {
        "kecamatan": kecamatan,
        "indikator": list(store.indikator().index),
        "periode": _months(today),
        "inovasi": list(store.inovasi().index),
        "tahap": [0, 1, 2, 3, 4],
        "nama": [names.get(k, "") for k in kecamatan],
    }
    refs = {}
    for col, (name, values) in enumerate(columns.items(), start=1):
        letter = ws.cell(row=1, column=col).column_letter
        ws.cell(row=1, column=col, value=name)
        for row, value in enumerate(values, start=2):
            ws.cell(row=row, column=col, value=value)
        refs[name] = f"Daftar!${letter}$2:${letter}${len(values) + 1}"
    return refs


def _header(ws, columns: list[str]) -> None:
    for col, name in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=col, value=name)
        cell.font, cell.fill = _HEAD, _FILL
        ws.column_dimensions[cell.column_letter].width = max(14, len(name) + 4)
    ws.freeze_panes = "A2"


def _list(ws, ref: str, cells: str, prompt: str) -> None:
    rule = DataValidation(
        type="list",
        formula1=ref,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=bahasa.t("templat.tidak_di_daftar_judul"),
        error=bahasa.t("templat.tidak_di_daftar"),
        promptTitle=bahasa.t("templat.pilih_judul"),
        prompt=prompt,
    )
    rule.add(cells)
    ws.add_data_validation(rule)


def _range(ws, cells: str, low: float, high: float, whole: bool = False, prompt: str = "") -> None:
    rule = DataValidation(type="whole" if whole else "decimal", operator="between", formula1=f"{low:g}",
                          formula2=f"{high:g}", allow_blank=True, showErrorMessage=True,
                          errorTitle=bahasa.t("templat.di_luar_rentang_judul"),
                          error=bahasa.t("templat.harus_rentang", rendah=low, tinggi=high),
                          promptTitle=bahasa.t("templat.rentang_judul"), prompt=prompt or f"{low}–{high}")
    rule.add(cells)
    ws.add_data_validation(rule)


def _instructions(wb: Workbook, store: Store, kind: str) -> None:
    ws = wb.create_sheet("Petunjuk", 0)
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 90
    t = bahasa.t
    lines = [
        (t("templat.petunjuk.templat"), label(kind)),
        (t("templat.petunjuk.wilayah"), wilayah.aktif().catatan()),  # whose kecamatan the lists hold
        (t("templat.petunjuk.cara_judul"), t("templat.petunjuk.cara", awal=EARLIEST)),
        (t("templat.petunjuk.lalu_judul"), t("templat.petunjuk.lalu")),
        ("", ""),
        (t("istilah.indikator"), t("templat.petunjuk.rentang")),
    ]
    cat = store.indikator()
    lines += [(code, t("templat.petunjuk.baris_indikator", nama=bahasa.nama(row), rendah=f"{row['batas_min']:g}",
                       tinggi=f"{row['batas_max']:g}", satuan=formatting.satuan(row["satuan"]),
                       frekuensi=_frequency(row["frekuensi"])))
              for code, row in cat.iterrows()]
    if kind == "skm":
        lines.append(("u1 … u9", t("templat.petunjuk.skm")))
    for row, (a, b) in enumerate(lines, start=1):
        ws.cell(row=row, column=1, value=a).font = Font(bold=row in (1, 6))
        ws.cell(row=row, column=2, value=b)


def _frequency(frekuensi: str) -> str:
    key = f"templat.frekuensi.{frekuensi}"
    return bahasa.t(key) if key in bahasa.katalog() else frekuensi


def _stages() -> str:
    """'0 Belum · 1 Direncanakan · …' in the active language, for the tahap dropdown."""
    return " · ".join(f"{n} {adopsi.nama_tahap(n)}" for n in range(5))


def build(store: Store, kind: str, akun: dict | None = None, today: dt.date | None = None,
          months: list[int] | None = None) -> bytes:
    """The XLSX template of `kind` (see KINDS); an operator's has only their kecamatan.
    Instructions and prompts are in the active language; sheet names and headers never change."""
    t = bahasa.t
    today = today or per.hari_ini()
    asahan = list(store.kecamatan(region())["kode"])
    everyone = list(store.kecamatan()["kode"])
    own = akun.get("kode_kecamatan") if akun and akun.get("peran") == "operator" else None
    kecamatan = [own] if own else (asahan if kind in ("adopsi", "target", "observasi-lebar") else everyone)
    wb = Workbook()
    wb.remove(wb.active)
    _instructions(wb, store, kind)
    cat = store.indikator()
    last = ROWS + 1
    if kind == "observasi-lebar":
        names = store.kecamatan().set_index("kode")["nama"]
        months = months or [per.from_date(today) - 1]
        lists = None
        for month in months:
            ws = wb.create_sheet(per.fmt(month))
            columns = ["kode_kecamatan", "kecamatan", *cat.index]
            _header(ws, columns)
            for row, kode in enumerate(kecamatan, start=2):
                ws.cell(row=row, column=1, value=kode)
                ws.cell(row=row, column=2, value=names.get(kode, ""))
            end = len(kecamatan) + 1
            for col, code in enumerate(cat.index, start=3):
                letter = ws.cell(row=1, column=col).column_letter
                _range(ws, f"{letter}2:{letter}{end}", cat.loc[code, "batas_min"], cat.loc[code, "batas_max"],
                       prompt=f"{bahasa.nama(cat.loc[code])} ({formatting.satuan(cat.loc[code, 'satuan'])})")
        lists = _lists(wb, store, kecamatan, today)
        for ws in wb.worksheets:
            if ws.title not in ("Petunjuk", "Daftar"):
                _list(ws, lists["kecamatan"], f"A2:A{len(kecamatan) + 1}", t("templat.prompt.kecamatan"))
    else:
        lists = _lists(wb, store, kecamatan, today)
        ws = wb.create_sheet(kind, 1)
        if kind == "observasi":
            columns = ["kode_kecamatan", "periode", "indikator", "nilai", "sumber", "catatan"]
            _header(ws, columns)
            _list(ws, lists["kecamatan"], f"A2:A{last}", t("templat.prompt.kecamatan"))
            _list(ws, lists["periode"], f"B2:B{last}", t("templat.prompt.bulan"))
            _list(ws, lists["indikator"], f"C2:C{last}", t("templat.prompt.indikator"))
            _range(ws, f"D2:D{last}", float(cat["batas_min"].min()), float(cat["batas_max"].max()),
                   prompt=t("templat.prompt.rentang_tiap"))
        elif kind == "skm":
            columns = COLUMNS["skm"][0]
            _header(ws, columns)
            _list(ws, lists["kecamatan"], f"A2:A{last}", t("templat.prompt.kecamatan"))
            _list(ws, lists["periode"], f"B2:B{last}", t("templat.prompt.bulan_survei"))
            for col in range(4, 4 + len(ikm_mod.UNSUR)):
                letter = ws.cell(row=1, column=col).column_letter
                _range(ws, f"{letter}2:{letter}{last}", 1, 4, whole=True, prompt=t("templat.prompt.jawaban"))
        elif kind == "adopsi":
            columns = ["kode_kecamatan", "inovasi", "tahap", "tanggal", "bukti", "oleh"]
            _header(ws, columns)
            _list(ws, lists["kecamatan"], f"A2:A{last}", t("templat.prompt.kecamatan"))
            _list(ws, lists["inovasi"], f"B2:B{last}", t("templat.prompt.inovasi"))
            _list(ws, lists["tahap"], f"C2:C{last}", _stages())
        elif kind == "target":
            columns = ["inovasi", "tahap", "indikator", "nilai", "tanggal", "kode_kecamatan"]
            _header(ws, columns)
            _list(ws, lists["inovasi"], f"A2:A{last}", t("templat.prompt.target_tahap"))
            _range(ws, f"B2:B{last}", 1, 4, whole=True, prompt=t("templat.prompt.tahap"))
            _list(ws, lists["indikator"], f"C2:C{last}", t("templat.prompt.target_nilai"))
            _list(ws, lists["kecamatan"], f"F2:F{last}", t("templat.prompt.semua_kecamatan"))
        elif kind == "model":
            columns = ["indikator", "nilai", "sumber", "tanggal"]
            _header(ws, columns)
            model = cat[cat["pilar"].notna()]
            for row, (code, r) in enumerate(model.iterrows(), start=2):
                ws.cell(row=row, column=1, value=code)
                ws.cell(row=row, column=2, value=float(r["model"]))
                ws.cell(row=row, column=3, value=r["model_sumber"])
                ws.cell(row=row, column=4, value=pd.Timestamp(r["model_tanggal"]).strftime("%Y-%m-%d"))
            _list(ws, lists["indikator"], f"A2:A{last}", t("templat.prompt.indikator"))
        else:
            raise ValueError(kind)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
