"""What the closing review of #19 left (test first): one signed-number rule for every channel, a
percentage that never breaks from its number, the rapor's month-state line, the pack's bars
readable without colour, and download names made safe from data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sementara_support import NOVEMBER, SEBELUM, SESUDAH

from metrics.core import formatting
from metrics.data.store import Store
from metrics.engine import adopsi_tabel, benchmark, tren
from metrics.presentation import tampil
from metrics.reports import deck_spec, laporan_bulanan as laporan, slides, teks_bagikan

# --------------------------------------------------------------------------- 1. one signed-number rule


def _cli_table(monkeypatch, capsys, db) -> str:
    from metrics.ops.cli import main

    monkeypatch.setenv("TIRU_DB", str(db))
    assert main(["ranking", "--format", "table", "--periode", "2026-11"]) == 0
    return capsys.readouterr().out


def test_a_movement_reads_the_same_in_the_brief_the_pack_the_cli_and_whatsapp(sementara_db, monkeypatch, capsys):
    monkeypatch.setenv("TIRU_HARI_INI", SESUDAH)
    monkeypatch.setenv("TIRU_DEMO", "1")
    store = Store(sementara_db)
    inputs = deck_spec.gather(store, NOVEMBER)
    names = inputs.kecamatan.set_index("kode")["nama"]
    moved = tampil.gerak_bulan(inputs.history, NOVEMBER)
    both = moved[moved["status_gerak"].isin(["naik", "turun"])].sort_values("perubahan")
    report = laporan.brief(inputs)
    brief_rows = {r[0]: r[1] for table in report.finding("gerak").tables for r in table.rows}
    deck = slides.deck(inputs)
    movers = next(s for s in deck.slides if s.key == "gerak")
    pack_rows = {r[0]: r[1] for table in movers.tables for r in table.rows}
    labels = {c: text for series in [deck_spec.figure(movers.chart).data[0]]
              for c, text in zip(series.y, series.text, strict=True)}
    cli_lines = {line.split()[0]: line for line in _cli_table(monkeypatch, capsys, sementara_db).splitlines()
                 if line.startswith("12.09")}
    for r in (both.iloc[0], both.iloc[-1]):  # the largest fall and the largest rise
        shown = tampil.bertanda(r["perubahan"])
        name = names[r["kode_kecamatan"]]
        assert brief_rows[name] == shown and pack_rows[name] == shown and labels[name] == shown
        assert f"  {shown} · " in cli_lines[r["kode_kecamatan"]]
    # the kabupaten's change among the kecamatan ranked in both months: brief, WhatsApp, pack notes
    table = benchmark.league_table(store, NOVEMBER, draws=20)
    series = benchmark.kabupaten_series(inputs.history[inputs.history["periode"] <= NOVEMBER])
    _, same = tampil.gerak_sama(table["status_gerak"], table["perubahan"])
    shown = tampil.bertanda(same)
    posisi = " ".join(report.finding("posisi").sentences)
    whatsapp = teks_bagikan.ringkasan("Ringkasan", series, table, NOVEMBER, True)
    kabupaten = next(s for s in deck.slides if s.key == "kabupaten")
    notes = kabupaten.notes
    median_change = tampil.perubahan(*series.set_index("periode")["median"].loc[[NOVEMBER, NOVEMBER - 1]])
    assert kabupaten.metrics[0].delta_cetak.startswith(tampil.bertanda(median_change) + " ")  # printed in the pack
    for text in (posisi, whatsapp, notes):
        assert f"median perubahan Indeks {shown} poin" in text, text


@pytest.mark.parametrize("value", [0.0, -0.04, 0.04, 0.45, -0.65, 12.3, np.nan])
def test_every_signed_number_follows_one_rule(value):
    """Zero has no sign, a value that rounds to zero neither, a true minus sign: in the pack's and Mode
    Rapat's chart labels, the Inovasi page's estimates and the trend pace as in the brief."""
    shown = tampil.bertanda(value)
    chart = deck_spec.Chart(kind="barh", title="", categories=["A"], series=[deck_spec.Series("s", [None if pd.isna(value) else value])],
                            axis_title="", number_format="+0.0;-0.0;0.0", colours=["#0072B2"])
    label = deck_spec.figure(chart).data[0].text[0]
    assert label == ("" if pd.isna(value) else shown)
    if not pd.isna(value):
        effect = pd.Series({"efek": value, "batas_bawah": np.nan, "batas_atas": np.nan})
        assert adopsi_tabel.difference(effect) == shown
        interval = pd.Series({"efek": value, "batas_bawah": value, "batas_atas": value})
        assert adopsi_tabel.difference(interval).count(shown) == 3
        pace = tren.laju(value, "menit")
        assert pace.startswith(tampil.bertanda(value, 2)) and pace.endswith(formatting.satuan("menit"))
        assert pace[len(tampil.bertanda(value, 2))].isspace()  # the number whole, then its unit


# --------------------------------------------------------------------------- 5. download names from data

HOSTILE = ["Air\nJoman\t<b>Barat</b>/../x", "../../etc/passwd", "<script>alert(1)</script>Pématang Siantar",
           "\x00\x1b[31mmerah\x7f", "   ", "a" * 400]


def _safe(name: str, akhiran: str) -> None:
    stem, dot, ext = name.rpartition(".")
    assert dot and ext == akhiran and stem, name
    assert all(c.isascii() and (c.isalnum() or c in ".-") for c in name), name  # no /, \n, \t, <, >, spaces
    assert not name.startswith((".", "-")) and ".." not in name and len(name) <= 160, name


@pytest.mark.parametrize("hostile", HOSTILE)
def test_a_download_name_made_from_data_is_safe_and_still_readable(hostile):
    from metrics.app import kelola
    from metrics.presentation import berkas
    from metrics.reports import rapor, tabel_excel

    for name, akhiran in [(berkas.nama("uji-coba", hostile, akhiran="csv"), "csv"),
                          (kelola.nama_unduhan("pratinjau", hostile), "csv"),
                          (tabel_excel.filename(hostile, NOVEMBER), "xlsx"),
                          (rapor.filename("2026-11", hostile), "pdf")]:
        _safe(name, akhiran)
    words = [w.lower() for w in "".join(c if c.isalnum() else " " for c in hostile).split()]
    readable = berkas.nama(hostile, akhiran="csv")
    kept = [w for w in words if w.isascii() and w not in ("b", "script") and len(w) < 100]
    assert all(w in readable for w in kept), readable  # the words survive, in order, without the markup
    assert "script" not in readable and "<" not in readable
    assert "pematang-siantar" in berkas.nama("<i>Pématang Siantar</i>", akhiran="pdf")


# --------------------------------------------------------------------------- 2. a number stays with its unit


def test_a_percentage_and_a_unit_never_break_from_their_number():
    """Indonesian typography: '70,5 %' must not wrap between 70,5 and %; a unit neither ('65,0 menit')."""
    from metrics.core import bahasa

    for lang in ("id", "en"):
        with bahasa.dalam(lang):
            for text, number in ((formatting.persen(0.705, 1), formatting.angka(70.5, 1)),
                                 (formatting.nilai(70.5, "%"), formatting.angka(70.5, 1)),
                                 (formatting.nilai(65, "menit"), formatting.angka(65, 1)),
                                 (formatting.nilai(21, "jenis"), formatting.angka(21, 0)),
                                 (formatting.nilai(2.5, "hari kerja"), formatting.angka(2.5, 1))):
                assert text.startswith(number) and text[len(number)] in ("\u00a0", "%"), (lang, text)
    with bahasa.dalam("id"):
        assert formatting.persen(0.705, 1) == formatting.angka(70.5, 1) + "\u00a0%"
    with bahasa.dalam("en"):
        assert formatting.persen(0.705, 1) == formatting.angka(70.5, 1) + "%"


def test_no_catalogue_text_splits_a_number_from_its_percent_sign():
    import re
    import tomllib
    from pathlib import Path

    import metrics.core

    split = re.compile(r"(\d|\}) %")  # '95 %', '{persen} %'
    found = []
    for path in sorted((Path(metrics.core.__file__).parent / "teks").glob("*.toml")):
        def walk(node, key=path.stem):
            if isinstance(node, dict):
                for k, v in node.items():
                    walk(v, f"{key}.{k}")
            elif isinstance(node, str) and split.search(node):
                found.append(key)
        walk(tomllib.loads(path.read_text(encoding="utf-8")))
    assert not found, found


# --------------------------------------------------------------------------- 3. the rapor's month state


@pytest.mark.parametrize("today", [SEBELUM, SESUDAH])
@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_rapor_page_states_the_month_and_its_deadline_in_its_footer_and_fits(sementara_db, monkeypatch,
                                                                                 tmp_path, today, lang):
    from layout_support import outside, overprinted, text_runs
    from reportlab.lib.units import mm

    from metrics.core import bahasa
    from metrics.presentation import keadaan
    from metrics.reports import rapor
    from metrics.reports.cetak import MARGIN

    monkeypatch.setenv("TIRU_HARI_INI", today)
    inputs = deck_spec.gather(Store(sementara_db), NOVEMBER)
    codes = list(inputs.kecamatan["kode"])[:2]
    with bahasa.dalam(lang):
        state = keadaan.dari_store(Store(sementara_db), NOVEMBER)
        path = tmp_path / "rapor.pdf"
        path.write_bytes(rapor.to_bytes(inputs, codes))
        line, printed = state.baris(), formatting.tanggal(state.hari_ini)
        assert state.tenggat_teks() in line  # a provisional month: its deadline, passed or not
    pages = text_runs(path)
    assert len(pages) == len(codes)
    for box, runs in pages:
        footer = " ".join(r.text for r in sorted((r for r in runs if r.y1 < MARGIN), key=lambda r: (-r.y0, r.x0)))
        assert " ".join(line.split()) in " ".join(footer.split()), footer
        assert printed in " ".join(footer.split())  # printed on the day the state is stated for
        assert not outside(box, runs, 5 * mm) and not overprinted(runs)
        assert not [r for r in runs if r.x0 < box[0] + MARGIN - 1 or r.x1 > box[2] - MARGIN + 1]
