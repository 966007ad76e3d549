"""The presentation layer (#19) and each channel's defects, test first: the brief, the CLI table,
Excel, the chart images, the WhatsApp text and the printed texts take their numbers and words from
metrics/presentation, in a final month and in a provisional one before and after its deadline."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sementara_support import KELUAR, NOVEMBER, SEBELUM, SESUDAH

from metrics.core import bahasa, formatting
from metrics.core import periode as per
from metrics.data.store import Store
from metrics.engine import benchmark
from metrics.presentation import keadaan, tampil
from metrics.reports import deck_spec, laporan_bulanan as laporan

OCTOBER = NOVEMBER - 1


def brief_text(report: laporan.Brief) -> str:
    parts = [m.value for m in report.metrics] + list(report.sources) + [report.keadaan]
    for f in report.findings:
        parts += [f.headline, f.pokok, *f.sentences]
        parts += [" ".join(" ".join(r) for r in table.rows) for table in f.tables]
    return "\n".join(parts)


# --------------------------------------------------------------------------- the layer itself


def test_shown_indeks_is_rounded_once_and_movement_is_the_difference_of_shown_values():
    assert tampil.indeks_teks(43.0500001) == "43,1"  # not 43,05 → 43,0 (rounding twice)
    assert tampil.perubahan(79.36, 80.04) == pytest.approx(-0.6)  # 79,4 − 80,0, not −0,68 → −0,7
    assert tampil.bertanda(-0.6) == "−0,6" and tampil.bertanda(0.4) == "+0,4" and tampil.bertanda(0.0) == "0,0"
    values = np.random.default_rng(19).uniform(0, 100, 2000)
    assert all(formatting.angka(tampil.indeks(v), 1) == tampil.indeks_teks(v) for v in values)
    with bahasa.dalam("en"):
        assert tampil.indeks_teks(43.0500001) == "43.1"


def test_rank_words_never_say_tetap_beside_a_fall():
    assert tampil.peringkat_kata(0) == "peringkat sama"
    text = tampil.gerak_teks(-4.8, 0, "turun", rank=tampil.peringkat_kata)
    assert text == "−4,8 · peringkat sama" and "tetap" not in text
    assert tampil.gerak_teks(None, None, "keluar") == "keluar peringkat"


@pytest.mark.parametrize("today, expected", [(SEBELUM, "tenggat 10 Desember 2026, belum jatuh tempo"),
                                             (SESUDAH, "tenggat 10 Desember 2026, terlambat 5 hari")])
def test_the_month_state_says_before_or_after_its_deadline(sementara_db, monkeypatch, today, expected):
    monkeypatch.setenv("TIRU_HARI_INI", today)
    state = keadaan.dari_store(Store(sementara_db), NOVEMBER)
    assert state.status == "sementara" and (state.lengkap, state.total) == (20, 25)
    assert state.baris() == f"sementara · 20 dari 25 melapor lengkap · {expected}"
    assert "DATA CONTOH" in state.kaki() and "November 2026" in state.kaki()
    with bahasa.dalam("en"):
        assert "provisional · 20 of 25 reported in full · deadline 10 December 2026" in state.baris()


# --------------------------------------------------------------------------- the brief


@pytest.mark.parametrize("month", [OCTOBER, NOVEMBER])
def test_the_brief_counts_and_lists_the_shown_movements(sementara_db, monkeypatch, month):
    monkeypatch.setenv("TIRU_HARI_INI", SESUDAH)
    store = Store(sementara_db)
    inputs = deck_spec.gather(store, month)
    report = laporan.brief(inputs)
    counts = tampil.hitung(inputs.table["status_gerak"])
    gerak = report.finding("gerak")
    assert gerak.headline == f"{counts.naik} kecamatan naik dan {counts.turun} turun"
    assert f"{counts.naik} naik, {counts.turun} turun, {counts.tetap} tetap" in gerak.sentences[0]
    changes = gerak.data["perubahan"]
    for r in changes.itertuples():
        assert r.perubahan == pytest.approx(tampil.perubahan(r.skor, r.skor_sebelumnya))
    names = inputs.kecamatan.set_index("kode")["nama"]
    for r in gerak.data["naik"].head(3).itertuples():  # "(−0,6; 80,0 → 79,4)": the change of the shown pair
        item = f"{names[r.kode_kecamatan]} ({tampil.bertanda(r.perubahan)}; {tampil.indeks_teks(r.skor_sebelumnya)}"
        assert item in gerak.sentences[1]


def test_the_brief_states_a_provisional_month_before_its_deadline(sementara_db, monkeypatch):
    monkeypatch.setenv("TIRU_HARI_INI", SEBELUM)
    inputs = deck_spec.gather(Store(sementara_db), NOVEMBER)
    text = brief_text(laporan.brief(inputs))
    assert "sementara · 20 dari 25 melapor lengkap · tenggat 10 Desember 2026, belum jatuh tempo" in text
    names = inputs.kecamatan.set_index("kode")["nama"]
    left = next((s for s in laporan.brief(inputs).finding("gerak").sentences if s.startswith("Keluar peringkat")), "")
    assert not any(names[k] in left for k in KELUAR), left  # not yet due: not "keluar peringkat"
    assert "Sei Kepayang Timur (laporan terakhir" in text and "2 bulan lalu" not in text  # one month was due
    assert "sudah 2 bulan tidak melapor" not in text


def test_the_brief_says_how_late_after_the_deadline(sementara_db, monkeypatch):
    monkeypatch.setenv("TIRU_HARI_INI", SESUDAH)
    inputs = deck_spec.gather(Store(sementara_db), NOVEMBER)
    report = laporan.brief(inputs)
    text = brief_text(report)
    assert "tenggat 10 Desember 2026, terlambat 5 hari" in text
    names = inputs.kecamatan.set_index("kode")["nama"]
    left = next(s for s in report.finding("gerak").sentences if s.startswith("Keluar peringkat"))
    assert all(names[k] in left for k in KELUAR)
    with bahasa.dalam("en"):
        assert "deadline 10 December 2026, 5 days late" in brief_text(laporan.brief(inputs))


def test_the_kabupaten_headline_gives_the_change_among_those_ranked_in_both_months(sementara_db, monkeypatch):
    monkeypatch.setenv("TIRU_HARI_INI", SESUDAH)
    inputs = deck_spec.gather(Store(sementara_db), NOVEMBER)
    report = laporan.brief(inputs)
    moved = tampil.gerak_bulan(inputs.history, NOVEMBER)
    both = moved[moved["status_gerak"].isin(["naik", "turun", "tetap"])]
    assert len(both) == 19
    median_change = tampil.bertanda(both["perubahan"].median())
    posisi = " ".join(report.finding("posisi").sentences)
    assert "19 kecamatan yang diperingkat pada kedua bulan" in posisi and median_change in posisi


# --------------------------------------------------------------------------- the CLI


def cli(monkeypatch, capsys, db, *args, today=None):
    from metrics.ops.cli import main

    monkeypatch.setenv("TIRU_DB", str(db))
    monkeypatch.setenv("TIRU_DEMO", "1")
    if today:
        monkeypatch.setenv("TIRU_HARI_INI", today)
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def test_the_cli_table_rounds_once_and_states_the_month(demo_db, demo_store, monkeypatch, capsys):
    out = cli(monkeypatch, capsys, demo_db, "ranking", "--format", "table", "--periode", "2026-04")
    table = benchmark.league_table(demo_store, per.parse("2026-04"), draws=20)
    lines = {line.split()[0]: line for line in out.splitlines() if line[:5] == "12.09"}
    wrong = [(r.kecamatan, tampil.indeks_teks(r.skor)) for r in table.itertuples()
             if f"  {tampil.indeks_teks(r.skor)}  " not in lines[r.kode_kecamatan]]
    assert not wrong, wrong  # e.g. Sei Kepayang Barat 43,05… is 43,1, not 43,0 (43,05 rounded again)
    assert keadaan.dari_store(demo_store, per.parse("2026-04")).baris() in out
    header = next(line for line in out.splitlines() if line.startswith("Kode"))
    assert "Peringkat bulan lalu (terbit)" in header and "Gerak" in header


def test_the_cli_csv_carries_the_shown_indeks_and_movement(demo_db, demo_store, monkeypatch, capsys):
    import csv

    out = cli(monkeypatch, capsys, demo_db, "ranking", "--periode", "2026-04")
    rows = {r["kode_kecamatan"]: r for r in csv.DictReader(out.splitlines())}
    table = benchmark.league_table(demo_store, per.parse("2026-04"), draws=20)
    for r in table.itertuples():
        row = rows[r.kode_kecamatan]
        assert (float(row["indeks"]) if row["indeks"] else np.nan) == pytest.approx(tampil.indeks(r.skor), nan_ok=True)
        assert (float(row["perubahan"]) if row["perubahan"] else np.nan) == pytest.approx(r.perubahan, nan_ok=True)
        assert row["status_gerak"] == (r.status_gerak or "")


def test_the_cli_table_states_a_provisional_month_and_its_deadline(sementara_db, monkeypatch, capsys):
    out = cli(monkeypatch, capsys, sementara_db, "ranking", "--format", "table", "--periode", "2026-11",
              today=SEBELUM)
    assert "sementara · 20 dari 25 melapor lengkap · tenggat 10 Desember 2026, belum jatuh tempo" in out
    out = cli(monkeypatch, capsys, sementara_db, "--bahasa", "en", "ranking", "--format", "table", "--periode",
              "2026-11", today=SESUDAH)
    assert "provisional · 20 of 25 reported in full · deadline 10 December 2026, 5 days late" in out


# --------------------------------------------------------------------------- Excel


def workbook_rows(data: bytes):
    import io

    import openpyxl

    from metrics.reports import tabel_excel

    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    top = tabel_excel.HEADER_ROWS + 1
    header = [sheet.cell(r, 1).value for r in range(1, top)]
    columns = [c.value for c in sheet[top]]
    return header, columns, [list(r) for r in sheet.iter_rows(min_row=top + 1)]


def test_excel_writes_signed_changes_and_counts_as_numbers():
    from metrics.reports import tabel_excel

    frame = pd.DataFrame(
        {
            "Perubahan": ["+0,4", "−1,2", "0,0", "—"],
            "Dikirim": ["11 dari 25", "0 dari 25", "7 dari 7", "—"],
            "Tren": [[1.0, 2.5], [], [np.nan, 3.0], [4.0]],
        }
    )
    _, _columns, rows = workbook_rows(tabel_excel.to_bytes(frame, "Uji", NOVEMBER, False))
    change = [r[0] for r in rows]
    assert [c.value for c in change[:3]] == [pytest.approx(0.4), pytest.approx(-1.2), 0]
    assert all(isinstance(c.value, (int, float)) for c in change[:3]) and "+" in change[0].number_format
    assert change[3].value == "—"
    counts = [r[1] for r in rows]
    assert [c.value for c in counts[:3]] == [11, 0, 7] and all(isinstance(c.value, int) for c in counts[:3])
    assert counts[0].number_format == '0" dari 25"'
    assert rows[0][2].value == "1,0; 2,5"  # a sparkline's values as text, not a crash


def test_excel_never_fails_silently():
    from metrics.reports import tabel_excel

    class Broken(pd.DataFrame):
        def reset_index(self, *args, **kwargs):
            raise RuntimeError("rusak")

    data = tabel_excel.safe_bytes(Broken({"a": [1]}), "Uji", None, False)
    header, _, _ = workbook_rows(data)
    assert "tidak dapat" in " ".join(str(h) for h in header if h)


def downloads(monkeypatch):
    from page_support import record_downloads

    return record_downloads(monkeypatch)


def test_every_excel_download_of_peringkat_profil_and_the_tracker_works(sementara_db, use_db, monkeypatch):
    from page_support import open_page

    monkeypatch.setenv("TIRU_HARI_INI", SEBELUM)
    store = Store(sementara_db)
    captured = downloads(monkeypatch)
    for page, query in [("pages/tabel_peringkat.py", {"periode": "2026-10"}),
                        ("pages/kecamatan.py", {"periode": "2026-10", "kecamatan": "12.09.19"}),
                        ("pages/kelola_data.py", {})]:
        at = open_page(sementara_db, use_db, page, **query)
        assert not at.exception, at.exception
    assert {"unduh_excel_peringkat", "unduh_excel_profil-kartu", "unduh_excel_pelaporan"} <= set(captured)
    for key, (_, build, _) in captured.items():
        if not str(key).startswith("unduh_excel"):
            continue
        header, columns, rows = workbook_rows(build())
        assert header[0].startswith("Tiru · "), key
    # Peringkat: the movement is a signed number, the shown change
    header, columns, rows = workbook_rows(captured["unduh_excel_peringkat"][1]())
    table = benchmark.league_table(store, OCTOBER, draws=20).set_index("kecamatan")
    name, change = columns.index("Kecamatan"), columns.index("Perubahan Indeks")
    for row in rows:
        expected = table.loc[row[name].value, "perubahan"]
        if pd.isna(expected):
            assert row[change].value in (None, "—")
        else:
            assert row[change].value == pytest.approx(expected) and "+" in row[change].number_format
    # the tracker: its title and its period name the same month
    header, columns, rows = workbook_rows(captured["unduh_excel_pelaporan"][1]())
    assert "November 2026" in header[0] and "November 2026" in header[1], header
    assert "sementara · 20 dari 25 melapor lengkap · tenggat 10 Desember 2026, belum jatuh tempo" in header[2]
    sent = columns.index("Indikator diterima")
    assert all(isinstance(r[sent].value, int) for r in rows)


# --------------------------------------------------------------------------- chart images and WhatsApp


@pytest.mark.parametrize("page, query", [("pages/tabel_peringkat.py", {}), ("pages/ikhtisar_kabupaten.py", {}),
                                         ("pages/kecamatan.py", {"kecamatan": "12.09.19"})])
def test_every_chart_image_carries_period_status_source_and_data_contoh(sementara_db, use_db, monkeypatch, page,
                                                                         query):
    import json

    from page_support import open_page

    monkeypatch.setenv("TIRU_HARI_INI", SEBELUM)
    at = open_page(sementara_db, use_db, page, periode="2026-11", **query)
    assert not at.exception, at.exception
    state = keadaan.dari_store(Store(sementara_db), NOVEMBER)
    charts = at.get("plotly_chart")
    assert charts
    for chart in charts:
        spec = json.loads(chart.proto.spec)
        texts = [a.get("text", "") for a in spec.get("layout", {}).get("annotations", [])]
        footer = next((x for x in texts if x.startswith("Tiru · ")), "").replace("<br>", " · ")
        if "Ombudsman" in spec["layout"]["title"]["text"]:  # real and yearly: its own source, not the month's
            assert footer == bahasa.t("ringkasan.ombudsman.kaki"), texts
            continue
        assert footer == state.kaki_singkat(), texts
        assert "November 2026" in footer and "sementara" in footer and "DATA CONTOH" in footer


def test_whatsapp_texts_state_status_and_source(sementara_db, monkeypatch):
    from metrics.reports import teks_bagikan as ringkas

    monkeypatch.setenv("TIRU_HARI_INI", SESUDAH)
    state = keadaan.dari_store(Store(sementara_db), NOVEMBER)
    text = ringkas.umum("Peringkat", NOVEMBER, True, state)
    assert state.baris() in text and "DATA CONTOH" in text and "terlambat 5 hari" in text
    table = benchmark.league_table(Store(sementara_db), NOVEMBER, draws=20)
    text = ringkas.peringkat("Peringkat", table, NOVEMBER, True, keadaan=state)
    top = table[table["diperingkat"]].iloc[0]
    assert f"{top['kecamatan']} ({tampil.indeks_teks(top['skor'])})" in text and state.baris() in text


# --------------------------------------------------------------------------- the pack and the rapor


def test_the_pack_says_keluar_peringkat_for_leavers_and_never_tetap_beside_a_fall(sementara_db, monkeypatch):
    from metrics.reports import slides

    monkeypatch.setenv("TIRU_HARI_INI", SESUDAH)
    inputs = deck_spec.gather(Store(sementara_db), NOVEMBER)
    spec = slides.deck(inputs)
    rows = [row for s in spec.slides for table in s.tables for row in table.rows]
    names = inputs.kecamatan.set_index("kode")["nama"]
    for kode in KELUAR:
        row = next(r for r in rows if names[kode] in r)
        assert row[-1] == "keluar peringkat", row  # not "cakupan 50 %"
    cells = [c for r in rows for c in r]
    assert not [c for c in cells if c.startswith("−") and "tetap" in c]
    table = inputs.table
    for r in table[table["status_gerak"].isin(["naik", "turun"])].itertuples():
        text = tampil.gerak_teks(r.perubahan, r.gerak, r.status_gerak, rank=deck_spec.movement)
        assert "tetap" not in text


def test_the_rapor_metrics_show_the_shown_indeks_and_movement(sementara_db, monkeypatch):
    from metrics.reports import ringkas_kecamatan

    monkeypatch.setenv("TIRU_HARI_INI", SESUDAH)
    inputs = deck_spec.gather(Store(sementara_db), NOVEMBER)
    common = ringkas_kecamatan.shared(inputs)
    for r in inputs.table.itertuples():
        summary = ringkas_kecamatan.kecamatan_summary(inputs, r.kode_kecamatan, common)
        shown = {m.label: m.value for m in ringkas_kecamatan.rank_metrics(summary)}
        assert shown["Indeks Tiru"] == tampil.indeks_teks(r.skor)
        if r.diperingkat:
            assert "tetap" not in shown["Gerak dari bulan lalu"]


# --------------------------------------------------------------------------- admin notes stay on admin screens

ADMIN_NOTE = ("ganti dengan angka materi studi tiru", "replace with the study-visit figures")


def test_the_admin_note_on_sample_model_values_stays_on_admin_screens(demo_db, demo_store, use_db):
    from page_support import open_page

    catalog = benchmark.catalog(demo_store)
    assert not any(n in s for s in catalog.indikator["model_sumber"].dropna() for n in ADMIN_NOTE)
    assert any(ADMIN_NOTE[0] in s for s in catalog.indikator["model_sumber_admin"].dropna())
    with bahasa.dalam("en"):
        assert not any(n in s for s in benchmark.catalog(demo_store).indikator["model_sumber"].dropna()
                       for n in ADMIN_NOTE)
    report = laporan.brief(deck_spec.gather(demo_store, OCTOBER))
    assert not any(n in brief_text(report) for n in ADMIN_NOTE)
    at = open_page(demo_db, use_db, "pages/kecamatan.py", kecamatan="12.09.19")
    shown = " ".join(str(e.value) for kind in ("caption", "markdown") for e in at.get(kind))
    assert "Nilai contoh" in shown and not any(n in shown for n in ADMIN_NOTE)
    from metrics.app import kelola

    frame = kelola.catalogue_table(catalog.scored, bahasa.names(catalog.scored), bahasa.names(catalog.pilar))
    assert frame.iloc[:, 4].str.contains(ADMIN_NOTE[0]).all()  # the admin's catalogue keeps the instruction


# --------------------------------------------------------------------------- next steps count a missing indicator as its 0


def test_next_steps_and_largest_gaps_count_a_missing_indicator_as_the_0_it_scores(demo_store):
    from metrics.reports import ringkas_kecamatan

    cat = benchmark.catalog(demo_store)
    card = benchmark.scorecard(demo_store, OCTOBER)
    kode = "12.09.25"  # Sei Kepayang Timur: silent in October, half its indicators missing
    profile = benchmark.profile_scorecard(card, kode, cat)
    missing = profile[~profile["ada"]]
    assert len(missing)
    empty = pd.DataFrame({"inovasi": [], "tahap": []})
    steps = benchmark.next_steps(profile, empty, pd.Series(dtype=object), n=3)
    worth = (profile["bobot"] * (100 - profile["skor"].where(profile["ada"], 0))).sort_values(ascending=False)
    assert list(steps["celah_berbobot"]) == pytest.approx(list(worth.head(3)))
    top_missing = missing.assign(celah=missing["bobot"] * 100).sort_values("celah").iloc[-1]
    if top_missing["celah"] >= worth.iloc[2]:
        assert top_missing["indikator"] in set(steps["indikator"])
    step = steps[~steps["ada"]].iloc[0]
    assert step["skor"] == 0 and pd.isna(step["nilai"])
    inputs = deck_spec.gather(demo_store, OCTOBER)
    summary = ringkas_kecamatan.kecamatan_summary(inputs, kode)
    rows = ringkas_kecamatan.gap_rows(summary)
    total = float(cat.weights.sum())
    gain = tampil.bertanda(step["celah_berbobot"] / total)
    assert any(r[0] == step["nama"] and r[1] == "tidak ada data" and r[-1] == gain for r in rows), rows


def test_peringkat_and_ringkasan_say_how_many_are_ranked_and_the_change_among_those_in_both(sementara_db, use_db,
                                                                                             monkeypatch):
    from page_support import open_page, open_share

    monkeypatch.setenv("TIRU_HARI_INI", SESUDAH)
    at = open_page(sementara_db, use_db, "pages/ikhtisar_kabupaten.py", periode="2026-11")
    assert not at.exception, at.exception
    median = next(m for m in at.get("metric") if m.label == "Median Indeks Tiru")
    assert median.proto.help == "Median 20 kecamatan yang diperingkat; model = 100."  # not "25"
    assert any(c.value.startswith("Di antara 19 kecamatan yang diperingkat pada kedua bulan") for c in at.caption)
    summary = open_share(at)[1]
    assert "Di antara 19 kecamatan yang diperingkat pada kedua bulan" in summary  # the WhatsApp text too
    at = open_page(sementara_db, use_db, "pages/tabel_peringkat.py", periode="2026-11")
    captions = [c.value for c in at.caption]
    assert any(c.startswith("Di antara 19 kecamatan yang diperingkat pada kedua bulan") for c in captions), captions


def test_the_peta_table_shows_a_source_as_written(demo_store):
    from metrics.charts import peta as charts_peta

    card = benchmark.scorecard(demo_store, OCTOBER)
    card = card.assign(sumber="Dinas A & B <register>", demo=False)
    meta = benchmark.catalog(demo_store).indikator.loc["waktu_tunggu"]
    frame, _ = charts_peta.indicator_frame(card, meta, demo_store.kecamatan("Asahan"))
    assert "Dinas A &amp; B &lt;register&gt;" in set(frame["sumber"])  # escaped for Plotly's hover
    assert "Dinas A & B <register>" in charts_peta.table_text(frame["sumber"])  # as written in the table


def test_the_median_delta_of_a_kpi_is_the_shown_change_with_an_ascii_sign():
    # st.metric reads the arrow from a leading ASCII '-': every KPI of the kabupaten's median says it so
    assert tampil.median_gerak(0.4) == "+0,4 dari bulan lalu"
    assert tampil.median_gerak(-1.5) == "-1,5 dari bulan lalu"
    assert tampil.median_gerak(0.0) == "0,0 dari bulan lalu"  # no sign on 0 (tampil.bertanda)
    assert tampil.median_gerak(np.nan) is None and tampil.median_gerak(None) is None
    assert tampil.median_gerak(0.04) == "0,0 dari bulan lalu"  # rounded once, as the shown change
    assert tampil.median_gerak(-1.5, layar=False) == "−1,5 dari bulan lalu"  # printed: a true minus
    with bahasa.dalam("en"):
        assert tampil.median_gerak(-0.7) == "-0.7 since last month"


@pytest.mark.parametrize("page", ["pages/ikhtisar_kabupaten.py", "pages/tabel_peringkat.py", "pages/rapat.py"])
def test_a_median_that_did_not_move_has_no_arrow_and_no_colour(demo_db, use_db, page):
    """The demo's median did not move in March 2026 (0,0): st.metric drew a green up arrow for it, as
    for a rise. Unsigned (tampil.bertanda: 0 has no sign) means no arrow and grey."""
    from page_support import open_page

    slide = {"slide": "2"} if page.endswith("rapat.py") else {}  # Mode Rapat: the kabupaten's slide
    at = open_page(demo_db, use_db, page, periode="2026-03", **slide)
    assert not at.exception, at.exception
    (median,) = [m for m in at.get("metric") if m.label == "Median Indeks Tiru"]
    assert median.proto.delta == "0,0 dari bulan lalu"
    assert median.proto.direction == median.proto.MetricDirection.NONE
    assert median.proto.color == median.proto.MetricColor.GRAY
    moved = open_page(demo_db, use_db, page, periode="2026-04", **slide)
    (median,) = [m for m in moved.get("metric") if m.label == "Median Indeks Tiru"]
    assert median.proto.delta[0] in "+-" and median.proto.direction != median.proto.MetricDirection.NONE
