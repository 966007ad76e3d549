"""Sharing (#15): the Bagikan control on every page, PNG export of every chart, Excel of every
table, Tren's time window in the URL, Profil's Bandingkan links."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from metrics.core import bahasa, formatting
from metrics.core import periode as per
from metrics.engine import benchmark, tren
from metrics.presentation import tabel
from metrics.reports import teks_bagikan as ringkas
from metrics.reports import tabel_excel

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))


def open_page(demo_db, use_db, page, **query):
    from page_support import open_page as opened

    at = opened(demo_db, use_db, page, **query)
    assert not at.exception, at.exception
    return at


def share_texts(at) -> tuple[str, str]:
    """(the link, the summary) of the Bagikan popover, opened."""
    from page_support import open_share

    codes = open_share(at)
    assert not at.exception, at.exception
    assert len(codes) >= 2, codes
    return codes[0], codes[1]


def default_month(demo_store) -> int:
    from metrics.engine import bulan
    return bulan.default_month(bulan.month_table(demo_store, per.hari_ini())) or demo_store.latest_period()


# --------------------------------------------------------------------------- the share control


@pytest.mark.parametrize("page", PAGES)
def test_every_page_has_the_share_control_with_the_month_pinned(demo_db, demo_store, use_db, page):
    at = open_page(demo_db, use_db, page)
    assert [p.proto.popover.label for p in at.get("popover")].count("Bagikan") == 1
    link, summary = share_texts(at)
    month = per.fmt(default_month(demo_store))
    assert f"periode={month}" in link
    assert summary.endswith(link)
    assert summary.startswith("Tiru · ")
    assert "DATA CONTOH" in summary


def test_the_link_keeps_the_pages_parameters_and_the_language(demo_db, use_db):
    at = open_page(demo_db, use_db, "pages/kecamatan.py", kecamatan="12.09.20", bahasa="en", periode="2026-03")
    link, summary = share_texts(at)
    assert link == "profil?kecamatan=12.09.20&periode=2026-03&bahasa=en"
    assert "DEMO DATA" in summary and "March 2026" in summary


def test_the_share_texts_are_drawn_only_when_the_popover_is_opened(demo_db, use_db):
    """A closed Bagikan sends no texts: every page drew and sent them, and few open it (#24)."""
    at = open_page(demo_db, use_db, "pages/tabel_peringkat.py")
    assert [p.proto.popover.label for p in at.get("popover")].count("Bagikan") == 1
    assert not at.get("code") and not any(x.value == bahasa.t("bagikan.tautan") for x in at.get("text"))
    link, _ = share_texts(at)
    assert link.startswith("peringkat?periode=")


def test_a_widget_changed_in_this_run_is_in_the_link(demo_db, use_db):
    """The control is drawn after the page: a kecamatan picked just now is in the link."""
    at = open_page(demo_db, use_db, "pages/kecamatan.py")
    at.selectbox(key="kecamatan").set_value("12.09.20").run()
    link, _ = share_texts(at)
    assert "kecamatan=12.09.20" in link


def test_ringkasan_summary_says_the_engines_median_and_ranked_count(demo_db, demo_store, use_db):
    at = open_page(demo_db, use_db, "pages/ikhtisar_kabupaten.py")
    _, summary = share_texts(at)
    periode = default_month(demo_store)
    table = benchmark.league_table(demo_store, periode)
    median = table.loc[table["diperingkat"], "skor"].median()
    assert f"Median Indeks Tiru kecamatan Asahan: {formatting.angka(median, 1)} dari 100" in summary
    assert f"Diperingkat: {int(table['diperingkat'].sum())} dari {len(table)} kecamatan." in summary
    assert formatting.bulan(periode) in summary.splitlines()[0]


def test_profil_summary_says_the_engines_rank_and_index(demo_db, demo_store, use_db):
    at = open_page(demo_db, use_db, "pages/kecamatan.py", kecamatan="12.09.13")
    _, summary = share_texts(at)
    table = benchmark.league_table(demo_store, default_month(demo_store)).set_index("kode_kecamatan")
    row = table.loc["12.09.13"]
    assert row["diperingkat"]
    assert (f"Air Batu: peringkat {int(row['peringkat'])} dari {int(table['diperingkat'].sum())} "
            f"(rentang {int(row['peringkat_min'])}–{int(row['peringkat_max'])}), "
            f"Indeks Tiru {formatting.angka(row['skor'], 1)} dari 100.") in summary


def test_summaries_are_plain_text_and_say_when_nothing_is_ranked():
    empty = pd.DataFrame({"kode_kecamatan": ["a"], "kecamatan": ["A"], "diperingkat": [False], "skor": [40.0],
                          "peringkat": [None], "cakupan": [0.5]})
    text = ringkas.ringkasan("Ringkasan", pd.DataFrame({"periode": [], "median": []}), empty, 300, False)
    assert "belum ada" in text and "DATA CONTOH" not in text
    unranked = ringkas.profil("Profil", empty.iloc[0], 0, 300, True)
    assert "A: belum diperingkat (cakupan data 50\u00a0%), Indeks Tiru 40,0 dari 100." in unranked
    series = pd.DataFrame({"periode": [299, 300], "median": [50.04, 51.26]})
    assert "naik 1,3 poin dari" in ringkas.ringkasan("R", series, empty, 300, False)  # as shown: 50,0 → 51,3
    with bahasa.dalam("en"):
        assert ringkas.umum("Trends", 300, True).splitlines()[1].startswith("DEMO DATA")


# --------------------------------------------------------------------------- charts: PNG


@pytest.mark.parametrize("page", [p for p in PAGES if not p.endswith("rapat.py")])
def test_every_chart_offers_the_png_camera_and_nothing_else(demo_db, use_db, page):
    at = open_page(demo_db, use_db, page, kecamatan="12.09.19") if page.endswith("kecamatan.py") \
        else open_page(demo_db, use_db, page)
    charts = at.get("plotly_chart")
    if page.endswith(("metode.py", "kelola_data.py")):
        assert not charts
    else:
        assert charts, "a page with charts shows none"
    for chart in charts:
        config = json.loads(chart.proto.config)
        assert config["displayModeBar"] == "hover" and config["displaylogo"] is False
        assert "toImage" not in config["modeBarButtonsToRemove"]
        assert {"zoom2d", "pan2d", "autoScale2d", "resetScale2d"} <= set(config["modeBarButtonsToRemove"])
        options = config["toImageButtonOptions"]
        assert options["format"] == "png" and options["scale"] == 2
        assert re.fullmatch(r"tiru-[a-z0-9.-]+-\d{4}-\d{2}", options["filename"]), options["filename"]


def test_profil_chart_file_is_named_after_the_kecamatan_and_month(demo_db, use_db):
    at = open_page(demo_db, use_db, "pages/kecamatan.py", kecamatan="12.09.19", periode="2026-03")
    names = [json.loads(c.proto.config)["toImageButtonOptions"]["filename"] for c in at.get("plotly_chart")]
    assert names == ["tiru-profil-pilar-12.09.19-2026-03", "tiru-profil-peringkat-12.09.19-2026-03"]


def test_mode_rapat_keeps_its_toolbar_hidden(demo_db, use_db):
    at = open_page(demo_db, use_db, "pages/rapat.py")
    for chart in at.get("plotly_chart"):
        assert json.loads(chart.proto.config)["displayModeBar"] is False


def test_every_plotly_chart_goes_through_the_one_helper():
    calls = {
        p.relative_to(ROOT).as_posix()
        for p in [*(ROOT / "pages").glob("*.py"), *(ROOT / "metrics" / "app").glob("*.py")]
        if "st.plotly_chart(" in p.read_text(encoding="utf-8")
    }
    assert calls == {"metrics/app/bagikan.py", "metrics/app/rapat.py"}


# --------------------------------------------------------------------------- tables: Excel


def workbook(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def test_excel_keeps_numbers_numeric_neutralises_formulas_and_has_the_header():
    frame = pd.DataFrame({"Kecamatan": ["=HYPERLINK(\"http://x\")", "Air Batu", "@SUM(A1)"],
                          "Indeks": ["1.234,5", "—", "12,0"], "Cakupan": ["70 %", "100 %", "5 %"],
                          "Kode": ["12.09.19", "12.09.20", "12.09.21"], "n": [1, 2, 3],
                          "Nilai": ["65,0 menit", "—", "12,0 menit"]})
    sheet = workbook(tabel_excel.to_bytes(frame, "#### Kartu skor · Oktober 2026", 2026 * 12 + 9, True))
    assert sheet.title == "Kartu skor · Oktober 2026"
    header = [sheet.cell(r, 1).value for r in range(1, tabel_excel.HEADER_ROWS + 1)]
    assert header[0] == "Tiru · Kartu skor · Oktober 2026"
    assert header[1] == "Periode: Oktober 2026 (2026-10)"
    assert header[2].startswith("DATA CONTOH")
    top = tabel_excel.HEADER_ROWS + 1
    assert [c.value for c in sheet[top]] == ["Kecamatan", "Indeks", "Cakupan", "Kode", "n", "Nilai"]
    rows = [[c for c in row] for row in sheet.iter_rows(min_row=top + 1)]
    assert rows[0][0].value == "'=HYPERLINK(\"http://x\")" and rows[2][0].value == "'@SUM(A1)"
    assert rows[0][1].value == 1234.5 and rows[0][1].number_format == "#,##0.0"
    assert rows[1][1].value == "—"  # missing stays missing, never 0
    assert rows[0][2].value == pytest.approx(0.7) and rows[0][2].number_format == "0%"
    assert rows[0][3].value == "12.09.19"  # a code is text
    assert rows[2][4].value == 3 and isinstance(rows[2][4].value, int)
    assert rows[0][5].value == "65,0 menit"  # values with units stay as shown


def test_excel_reads_english_numbers_in_english():
    with bahasa.dalam("en"):
        sheet = workbook(tabel_excel.to_bytes(pd.DataFrame({"Index": ["1,234.5", "7.0"]}), "Ranking", None, False))
        assert sheet.cell(2, 1).value == "Period: —" and sheet.cell(3, 1).value is None
    assert sheet.cell(tabel_excel.HEADER_ROWS + 2, 1).value == 1234.5


def test_peringkat_excel_download_is_the_league_table_with_numbers(demo_db, demo_store, use_db, monkeypatch):
    from page_support import record_downloads

    captured = record_downloads(monkeypatch)
    at = open_page(demo_db, use_db, "pages/tabel_peringkat.py", periode="2026-09")
    label, build, kwargs = captured["unduh_excel_peringkat"]
    assert label == "Unduh Excel" and kwargs["on_click"] == "ignore" and callable(build)
    assert kwargs["file_name"] == "tiru-peringkat-2026-09.xlsx"
    sheet = workbook(build())
    assert sheet.cell(2, 1).value == "Periode: September 2026 (2026-09)"
    assert sheet.cell(3, 1).value.startswith("DATA CONTOH")
    top = tabel_excel.HEADER_ROWS + 1
    columns = [c.value for c in sheet[top]]
    table = benchmark.league_table(demo_store, per.parse("2026-09"))
    first = table[table["diperingkat"]].sort_values("peringkat").iloc[0]
    row = [c.value for c in sheet[top + 1]]
    assert first["kecamatan"] in row
    indeks = row[columns.index(tabel.league_columns()["indeks"])]
    assert isinstance(indeks, float) and indeks == pytest.approx(round(first["skor"], 1))
    assert any(d.label == "Unduh Excel" for d in at.get("download_button"))


@pytest.mark.parametrize("page, n", [("pages/tabel_peringkat.py", 1), ("pages/kecamatan.py", 2),
                                     ("pages/banding.py", 1), ("pages/tren_indikator.py", 1),
                                     ("pages/adopsi_inovasi.py", 3), ("pages/metode.py", 4),
                                     ("pages/kelola_data.py", 2), ("pages/ikhtisar_kabupaten.py", 2)])
def test_main_tables_have_an_excel_download(demo_db, use_db, page, n):
    at = open_page(demo_db, use_db, page)
    assert sum(d.label == "Unduh Excel" for d in at.get("download_button")) >= n


# --------------------------------------------------------------------------- Tren's window


def test_window_start():
    assert tren.window_start(100, 150, "semua") == 100
    assert tren.window_start(100, 150, "24") == 127
    assert tren.window_start(100, 150, "12") == 139
    assert tren.window_start(145, 150, "12") == 145  # never before the first month with data


def test_tren_window_in_the_url_narrows_the_months(demo_db, demo_store, use_db):
    periode = per.parse("2026-09")
    wide = open_page(demo_db, use_db, "pages/tren_indikator.py", periode="2026-09")
    narrow = open_page(demo_db, use_db, "pages/tren_indikator.py", periode="2026-09", jendela="12")
    p0 = demo_store.periods()[0]
    first = formatting.bulan(tren.months_shown(demo_store.observasi(p0, periode), "waktu_tunggu", "bulanan", p0,
                                               periode)[0])
    assert first != formatting.bulan(periode - 11)
    assert any(first in c.value for c in wide.caption)
    assert any(formatting.bulan(periode - 11) in c.value for c in narrow.caption)
    assert not any(first in c.value for c in narrow.caption)
    assert narrow.query_params["jendela"] in ("12", ["12"])
    link, _ = share_texts(narrow)
    assert "jendela=12" in link
    assert narrow.selectbox(key="jendela").value == "12"
    assert wide.selectbox(key="jendela").value == "semua" and "jendela" not in wide.query_params


# --------------------------------------------------------------------------- Profil's Bandingkan


def test_profil_links_its_similar_kecamatan_into_perbandingan_and_tren(demo_db, demo_store, use_db):
    from metrics.engine import similarity

    at = open_page(demo_db, use_db, "pages/kecamatan.py", kecamatan="12.09.19")
    similar = similarity.most_similar(demo_store.kecamatan("Asahan"), "12.09.19")["kode"]
    group = ",".join(["12.09.19", *similar])
    links = {p.proto.page: p.proto.query_string for p in at.get("page_link")}
    from urllib.parse import parse_qs
    assert parse_qs(links["perbandingan"]) == {"banding": [group]}
    assert parse_qs(links["tren"]) == {"kecamatan": [group]}
    banding = open_page(demo_db, use_db, "pages/banding.py", banding=group)
    assert banding.multiselect(key="banding").value == group.split(",")
    trend = open_page(demo_db, use_db, "pages/tren_indikator.py", kecamatan=group)
    assert trend.multiselect(key="kecamatan").value == group.split(",")


def test_the_ombudsman_chart_is_footed_with_its_own_real_source_not_the_months_demo_state(demo_db, use_db):
    """The Ombudsman series is real and not monthly: its PNG must not say "final (contoh) · Sumber:
    DATA CONTOH" as the demo month's charts do (#19's footer), but where it comes from."""
    at = open_page(demo_db, use_db, "pages/ikhtisar_kabupaten.py")
    footers = {}
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        title = spec["layout"]["title"]["text"]
        footers[title] = [a["text"] for a in spec["layout"].get("annotations", []) if a.get("name") == "tiru-kaki"]
    (ombudsman,) = [f for title, f in footers.items() if "Ombudsman" in title]
    assert ombudsman and "DATA CONTOH" not in ombudsman[0] and "contoh" not in ombudsman[0]
    assert "Ombudsman RI" in ombudsman[0]
    others = [f for title, f in footers.items() if "Ombudsman" not in title]
    assert others and all("DATA CONTOH" in f[0] for f in others)  # the demo's own charts still say so
