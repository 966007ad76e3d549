"""Rapor kecamatan: one printable A4 page per kecamatan for the camat to take home.

PDF, A4 portrait, written with reportlab. Why PDF rather than PPTX: the rapor is printed
and read on paper or a phone, not presented or edited. A PDF has a fixed layout that
prints the same from any computer or phone (no PowerPoint needed, no font or page-size
surprises, A4 portrait as Indonesian offices print), one file can hold all 25 pages, and
a camat cannot change the numbers by accident. reportlab is the long-standing,
BSD-licensed PDF library of Python (since 2000, still released), with tables that wrap
text; its bundled Bitstream Vera font is embedded, so the page looks the same everywhere
and Indonesian text with –, ·, ≤, ≥ prints correctly. Font, styles, masthead and footer are shared with
the monthly brief in metrics/reports/cetak.py.

Content per page (same numbers as Profil kecamatan and the focus slide, via
ringkas_kecamatan.kecamatan_summary): rank and its range, movement, Indeks Tiru, the scorecard of the
12 indicators, the three largest gaps, innovations and their stages, next steps.

Every line is in the active language (metrics/core/bahasa.py, catalogue metrics/core/teks/rapor.toml
and rapat.toml): write inside `bahasa.dalam("en")` for an English rapor, numbers and months
formatted for that language by metrics/core/formatting.py.
"""

from __future__ import annotations

import io
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepInFrame, PageBreak, Paragraph, Spacer

from metrics.core import formatting
from metrics.core import periode as per
from metrics.core.bahasa import t
from metrics.engine import adopsi, scoring
from metrics.presentation import berkas, tabel
from metrics.reports.cetak import (
    BODY,
    FACTS,
    HEAD,
    MARGIN,
    NOTE,
    TITLE,
    WARN,
    document,
    footer,
    kpi_row,
    masthead,
)
from metrics.reports.cetak import grid as _grid
from metrics.reports.cetak import header_row as _header_row
from metrics.reports.cetak import p as _p
from metrics.reports.cetak import style as _style
from metrics.reports.deck_spec import Inputs, heat_colours, innovation_name, model_label, source
from metrics.reports.ringkas_kecamatan import gap_columns, gap_rows, kecamatan_summary, rank_metrics, shared


def _heat_cell(text: str, score) -> Paragraph:
    _, ink = heat_colours(score)
    return Paragraph(escape(text), _style("heat", 8, bold=True, colour=colors.HexColor(ink), alignment=1))


def _stages(separator: str) -> str:
    """'0 Belum · 1 Direncanakan · …' in the active language."""
    return separator.join(f"{n} {adopsi.nama_tahap(n)}" for n in sorted(adopsi.TAHAP))


# --------------------------------------------------------------------------- one page


def _next_steps(summary: dict, inputs: Inputs) -> list[str]:
    """What the camat can do: linked innovations for the largest gaps, late targets, reporting."""
    stage = summary["stages"].set_index("inovasi")["tahap"]
    lines = []
    for g in summary["gaps"].itertuples():
        if not g.ada:  # the biggest lever of an incomplete report: send the indicator at all
            lines.append(t("rapor.langkah_item.laporkan", nama=g.nama))
        elif g.inovasi:
            todo = ", ".join(t("rapor.langkah_item.inovasi_kini", nama=innovation_name(inputs, c),
                               tahap=adopsi.nama_tahap(int(stage.get(c, 0)))) for c in g.inovasi)
            lines.append(t("rapor.langkah_item.jalankan", nama=g.nama, daftar=todo))
        else:
            lines.append(t("rapor.langkah_item.berjalan", nama=g.nama))
    for r in summary["late"].itertuples():
        lines.append(t("rapor.langkah_item.terlambat", nama=innovation_name(inputs, r.inovasi),
                       tahap=adopsi.nama_tahap(int(r.tahap)), tanggal=formatting.tanggal(r.tanggal),
                       kini=adopsi.nama_tahap(int(r.tahap_kini))))
    own = inputs.status.set_index("kode")
    if summary["kode"] in own.index:
        r = own.loc[summary["kode"]]
        if r["dilaporkan"] < r["diharapkan"]:
            lines.append(t("rapor.langkah_item.laporan", bulan=formatting.bulan(inputs.periode),
                           a=int(r["dilaporkan"]), b=int(r["diharapkan"])))
    missing = summary["profile"].loc[~summary["profile"]["ada"], "nama"]
    if not summary["row"]["diperingkat"] and len(missing):
        lines.append(t("rapor.langkah_item.kirim", daftar=", ".join(missing)))
    return lines or [t("rapor.langkah_item.pertahankan")]


def page(inputs: Inputs, kode: str, width: float, common: dict | None = None) -> list:
    """The flowables of one kecamatan's page (`common`: ringkas_kecamatan.shared(inputs), computed once)."""
    summary = kecamatan_summary(inputs, kode, common)
    facts, month = summary["facts"], formatting.bulan(inputs.periode)
    population = (t("rapor.penduduk", n=formatting.angka(facts["penduduk"], 0), tahun=int(facts["tahun_penduduk"]))
                  if pd.notna(facts["penduduk"]) else t("rapor.penduduk_kosong"))
    story = [
        masthead(t("rapor.kicker", bulan=month.upper()), inputs.demo, width),
        _p(f"{summary['nama']}", TITLE),
        _p(t("rapor.fakta", nama=summary["nama"], kode=kode, desa=int(facts["desa"]), kelurahan=int(facts["kelurahan"]),
             penduduk=population), FACTS),
        Spacer(1, 5),
    ]
    story.append(kpi_row(rank_metrics(summary), width))
    row = summary["row"]
    if note := tabel.zero_note(row):
        story.append(_p(note, NOTE))
    if row["diperingkat"]:
        story.append(_p(t("rapor.diperingkat", peringkat=int(row["peringkat"]), n=summary["n_ranked"],
                          rentang=f"{int(row['peringkat_min'])}–{int(row['peringkat_max'])}",
                          undian=formatting.angka(scoring.CERTAINTY_DRAWS, 0)), NOTE))
    else:  # ranked last month and not now: it left the ranking (engine/scoring.movement), as Profil says
        left = (" " + t("rapor.keluar_peringkat", peringkat=formatting.peringkat(row["peringkat_sebelumnya"]))
                if row["status_gerak"] == "keluar" else "")
        story.append(_p(t("rapor.belum_diperingkat", bulan=month, persen=formatting.persen(row["cakupan"]),
                          ambang=formatting.persen(scoring.COVERAGE_THRESHOLD)) + left,
                        _style("warn", 8.5, bold=True, colour=WARN)))

    # scorecard
    profile = summary["profile"]
    story.append(_p(t("rapor.kartu", bulan=month), HEAD))
    rows = [_header_row(gap_columns()[:4] + [t("istilah.kategori"), t("istilah.periode_nilai")])]
    heat = []
    for i, r in enumerate(profile.itertuples(), start=1):
        beyond = t("rapor.melampaui") if r.melampaui else ""
        shown = (tabel.value_text(r.indikator, r.nilai, r.satuan, r.dikonfirmasi,
                                      tabel.OUTLIER_MARK_PRINT) + beyond) if r.ada else t("istilah.tidak_ada_data")
        rows.append(
            [
                _p(r.nama),
                _p(shown),
                _p(formatting.nilai(r.model, r.satuan)),
                _heat_cell(formatting.angka(r.skor, 0) if r.ada else t("tolok.skor_nol"), r.skor if r.ada else None),
                _p(r.kategori),
                _p(formatting.bulan(int(r.periode_nilai)) if r.ada else "—"),
            ]
        )
        heat.append((i, 3, r.skor if r.ada else None))
    # the score column holds "0 (tanpa data = 0)" too: wide enough for it on two lines, ink matching the grey
    story.append(_grid(rows, [width * f for f in (0.35, 0.16, 0.12, 0.11, 0.13, 0.13)], heat=heat))
    story.append(_p(t("rapor.kartu_catatan"), NOTE))
    if profile["dikonfirmasi"].any():
        story.append(_p(t("rapor.dikonfirmasi", tanda=tabel.OUTLIER_MARK_PRINT), NOTE))

    # three largest gaps
    story.append(_p(t("rapor.celah"), HEAD))
    gaps = gap_rows(summary)
    if gaps:
        story.append(_grid([_header_row(gap_columns())] + [[_p(v) for v in g] for g in gaps],
                           [width * f for f in (0.44, 0.15, 0.15, 0.08, 0.18)]))
        story.append(_p(t("rapor.celah_catatan"), NOTE))
    else:
        story.append(_p(t("rapor.tanpa_celah"), BODY))

    # innovations and stages, two columns
    stages = summary["stages"]
    story.append(_p(t("rapor.inovasi", bulan=month), HEAD))
    items = [[_p(innovation_name(inputs, c)),
              _p(f"{s} · {adopsi.nama_tahap(s)}" + (t("rapor.sejak", tanggal=formatting.tanggal(d)) if pd.notna(d)
                                                    else ""))]
             for c, s, d in zip(stages["inovasi"], stages["tahap"], stages["sejak"], strict=True)]
    half = (len(items) + 1) // 2
    left, right = items[:half], items[half:] + [[_p(""), _p("")]] * (half - len(items[half:]))
    story.append(_grid([a + b for a, b in zip(left, right, strict=True)], [width * f for f in (0.17, 0.33, 0.17, 0.33)],
                       header=False))
    story.append(_p(t("rapor.tahap_catatan", tahap=_stages(" · ")), NOTE))

    # next steps
    story.append(_p(t("rapor.langkah"), HEAD))
    for i, line in enumerate(_next_steps(summary, inputs), start=1):
        story.append(_p(f"{i}. {line}", _style("step", 8.5, leftIndent=10, firstLineIndent=-10, spaceAfter=1.5)))
    return [KeepInFrame(width, A4[1] - 2 * MARGIN - 10 * mm, story, mode="shrink")]


# --------------------------------------------------------------------------- document


def to_bytes(inputs: Inputs, kecamatan: list[str] | None = None) -> bytes:
    """The rapor of the given kecamatan codes (default: all Asahan kecamatan), one page each,
    in the active language."""
    codes = kecamatan or list(inputs.kecamatan["kode"])
    buffer = io.BytesIO()
    month = formatting.bulan(inputs.periode)
    printed = formatting.tanggal(per.hari_ini())  # the day the month's state below is stated for
    # the month's state as every channel states it (presentation/keadaan.py): status, how many reported,
    # the deadline and whether it has passed
    state = inputs.keadaan.baris() if inputs.keadaan is not None else inputs.bulan
    footer_text = t("rapor.footer", bulan=" · ".join(x for x in (month, state) if x), sumber=source(inputs.demo),
                    tanggal=printed)
    on_page = footer(" · ".join(part for part in (footer_text, model_label(inputs.catalog)) if part))
    doc = document(buffer, t("rapor.judul_dokumen", bulan=month))
    width = A4[0] - 2 * MARGIN
    story, common = [], shared(inputs)
    for i, kode in enumerate(codes):
        if i:
            story.append(PageBreak())
        story.extend(page(inputs, kode, width, common))
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()


def write(inputs: Inputs, path: Path, kecamatan: list[str] | None = None) -> Path:
    path = Path(path)
    path.write_bytes(to_bytes(inputs, kecamatan))
    return path


def filename(periode_text: str, kode: str | None = None) -> str:
    """'rapor-120919-2026-11.pdf', one kecamatan; 'rapor-kecamatan-2026-11.pdf', all (presentation/berkas.py)."""
    return berkas.nama("rapor", str(kode).replace(".", "") if kode else "kecamatan", periode_text, akhiran="pdf")
