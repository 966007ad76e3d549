"""The meeting deck as data (metrics/reports/slides.py): the slides, and numbers equal to the engine's."""

import math

import pandas as pd
import pytest

from metrics.core import bahasa, formatting
from metrics.core import periode as per
from metrics.engine import adopsi, benchmark
from metrics.presentation import tampil
from metrics.reports import deck_spec, slides

KEYS = ["judul", "kabupaten", "peringkat", "tabel", "gerak", "pilar", "adopsi", "terlambat", "laporan"]


@pytest.fixture(scope="module")
def inputs(demo_store):
    return deck_spec.gather(demo_store, demo_store.latest_period())


def same(values, expected):
    """Chart values against engine numbers: None where the engine has NaN."""
    assert len(values) == len(expected)
    for got, want in zip(values, expected, strict=True):
        if want is None or (isinstance(want, float) and math.isnan(want)):
            assert got is None
        else:
            assert got == pytest.approx(float(want))


def test_deck_has_the_meeting_slides_in_order_with_the_period_and_demo_label(inputs):
    deck = slides.deck(inputs)
    assert [s.key for s in deck.slides] == KEYS
    assert deck.demo
    assert formatting.bulan(inputs.periode) in deck.footer and "DATA CONTOH" in deck.footer
    assert "nilai contoh (bukan angka resmi)" in deck.footer
    assert all(s.notes for s in deck.slides), "every slide names its source"


def test_focus_slide_only_for_an_asahan_kecamatan(inputs):
    assert [s.key for s in slides.deck(inputs, "12.09.19").slides][-1] == "fokus"
    assert [s.key for s in slides.deck(inputs, "32.77.02").slides] == KEYS  # Cimahi is the model, not a focus
    assert [s.key for s in slides.deck(inputs, "99").slides] == KEYS
    assert slides.check_kecamatan(inputs, "12.09.19") == ["12.09.19"]
    with pytest.raises(ValueError, match="bukan kecamatan Kabupaten Asahan"):
        slides.check_kecamatan(inputs, "99.99.99")


def test_kabupaten_slide_equals_the_engine(demo_store, inputs):
    slide = next(s for s in slides.deck(inputs).slides if s.key == "kabupaten")
    history = benchmark.composite_history(demo_store, demo_store.periods()[0], inputs.periode)
    series = benchmark.kabupaten_series(history)
    chart = slide.chart
    assert chart.categories == [formatting.bulan(m, short=True) for m in series["periode"]]
    same(chart.series[0].values, list(series["median"]))
    same(chart.series[1].values, list(series["q1"]))
    same(chart.series[2].values, list(series["q3"]))
    now = series.set_index("periode").loc[inputs.periode, "median"]
    assert slide.metrics[0].value == formatting.angka(now, 1)
    assert slide.metrics[1].value == f"{formatting.angka(100 - now, 1)} poin"


def test_ranking_slides_equal_the_league_table(demo_store, inputs):
    deck = slides.deck(inputs)
    table = benchmark.league_table(demo_store, inputs.periode)
    ranked = table[table["diperingkat"]]
    chart = next(s for s in deck.slides if s.key == "peringkat").chart
    same(chart.series[0].values, list(ranked["skor"]))
    assert chart.categories[0] == f"1. {ranked['kecamatan'].iloc[0]}"
    tabel = next(s for s in deck.slides if s.key == "tabel")
    rows = tabel.tables[0].rows + tabel.tables[1].rows
    assert [r[1] for r in rows] == list(table["kecamatan"])
    assert [r[2] for r in rows] == [formatting.angka(v, 1) for v in table["skor"]]


def test_movers_and_pillar_heat_equal_the_engine(demo_store, inputs):
    deck = slides.deck(inputs)
    up, down = benchmark.movers(inputs.history, inputs.periode, n=slides.MOVERS)
    gerak = next(s for s in deck.slides if s.key == "gerak")
    same(gerak.chart.series[0].values, list(up["perubahan"]) + list(down["perubahan"])[::-1])
    pilar = next(s for s in deck.slides if s.key == "pilar").tables[0]
    card = benchmark.scorecard(demo_store, inputs.periode)
    first = inputs.table["kode_kecamatan"].iloc[0]
    expected = card[card["kode_kecamatan"] == first].groupby("pilar")["skor"].mean()
    same(pilar.heat[0][2:7], [expected.get(p) for p in inputs.catalog.pilar.index])
    assert len(pilar.rows) == 25


def test_adoption_slides_count_targets_like_the_engine(demo_store, inputs):
    deck = slides.deck(inputs)
    kecamatan = list(demo_store.kecamatan("Asahan")["kode"])
    status = adopsi.target_status(demo_store.adopsi(), demo_store.target(), kecamatan, per.month_end(inputs.periode))
    summary = adopsi.target_summary(status).sort_values(["tanggal", "inovasi"])
    chart = next(s for s in deck.slides if s.key == "adopsi").chart
    same(chart.series[0].values, list(summary["tercapai"].astype(float)))
    same(chart.series[1].values, list(summary["terlambat"].astype(float)))
    late = next(s for s in deck.slides if s.key == "terlambat").tables[0]
    assert sum(int(r[1]) for r in late.rows) == int(status["terlambat"].sum())


def test_reporting_slide_names_the_silent_kecamatan(inputs):
    slide = next(s for s in slides.deck(inputs).slides if s.key == "laporan")
    names = [r[0] for r in slide.tables[0].rows]
    assert {"Sei Kepayang Timur", "Aek Ledong", "Bandar Pasir Mandoge"} <= set(names)
    assert slide.metrics[0].value == "2"


def test_an_early_month_has_no_previous_month_to_compare(demo_store):
    first = demo_store.periods()[0]
    deck = slides.deck(deck_spec.gather(demo_store, first))
    assert [s.key for s in deck.slides] == KEYS
    assert next(s for s in deck.slides if s.key == "gerak").chart.series[0].values == []


def test_heat_colours_follow_the_bands():
    assert deck_spec.heat_colours(95) == deck_spec.BAND_FILLS[0]
    assert deck_spec.heat_colours(59.99) == deck_spec.BAND_FILLS[2]
    assert deck_spec.heat_colours(None)[0] == deck_spec.MISSING_FILL
    assert deck_spec.heat_colours(float("nan"))[0] == deck_spec.MISSING_FILL
    assert (
        deck_spec.movement(2) == "naik 2"
        and deck_spec.movement(-1) == "turun 1"
        and deck_spec.movement(pd.NA) == "baru"
    )


# --------------------------------------------------------------------------- in English


def deck_texts(deck) -> list[str]:
    """Every text of a deck: titles, KPIs, tables, chart titles and names, points, notes."""
    texts = [deck.footer]
    for s in deck.slides:
        texts += [s.title, s.subtitle, s.notes, *s.points]
        texts += [x for m in s.metrics for x in (m.label, m.value, m.delta, m.help) if x]
        for table in s.tables:
            texts += table.columns + [cell for row in table.rows for cell in row]
        if s.chart:
            texts += [s.chart.title, s.chart.axis_title, *s.chart.categories, *(x.name for x in s.chart.series)]
    return [text for text in texts if text]


def test_the_deck_in_english_has_english_texts_and_numbers_equal_to_the_engine(demo_store, inputs):
    with bahasa.dalam("en"):
        deck = slides.deck(inputs, "12.09.19")
        month = formatting.bulan(inputs.periode)
        by_key = {s.key: s for s in deck.slides}
        assert month.split()[0] in ("January", "February", "March", "April", "May", "June", "July", "August",
                                    "September", "October", "November", "December")
        assert (
            deck.footer
            == f"Tiru · Kabupaten Asahan · {month} · Model values: sample values (not official figures) · DEMO DATA"
        )
        assert by_key["judul"].title == "Kecamatan service review meeting"
        assert by_key["judul"].points[0].startswith("Agenda: kabupaten against the model, ranking by Tiru Index")
        assert by_key["judul"].points[0].endswith("kecamatan in focus.")
        assert [s.title for s in deck.slides[1:]] == [
            "Kabupaten against the model", "Ranking by Tiru Index", "Ranking table", "Largest rises and falls",
            "Pillar scores per kecamatan", "Innovation adoption against targets", "Late targets", "Not reported",
            "Focus: Kota Kisaran Barat"]
        # KPIs and chart of the kabupaten slide: English labels, English number format, the engine's numbers
        kabupaten = by_key["kabupaten"]
        series = benchmark.kabupaten_series(inputs.history)
        now = series.set_index("periode").loc[inputs.periode, "median"]
        assert [m.label for m in kabupaten.metrics] == ["Median Tiru Index", "Gap to the model", "Ranked",
                                                       "Not fully reported"]
        assert kabupaten.metrics[0].value == formatting.angka(now, 1) and "." in kabupaten.metrics[0].value
        assert kabupaten.metrics[0].delta.endswith(" since last month")
        assert kabupaten.metrics[2].value == f"{int(inputs.table['diperingkat'].sum())} of {len(inputs.table)}"
        assert [x.name for x in kabupaten.chart.series] == ["Median", "Quartile 1", "Quartile 3", "Model = 100"]
        assert kabupaten.chart.title.startswith("Kabupaten Tiru Index against the model · ")
        assert kabupaten.chart.title.endswith(month)
        assert kabupaten.chart.categories == [formatting.bulan(m, short=True) for m in series["periode"]]
        same(kabupaten.chart.series[0].values, list(series["median"]))
        # ranking table: English headers, movements in words, Indeks Tiru in English format
        tabel = by_key["tabel"]
        assert tabel.tables[0].columns == ["No.", "Kecamatan", "Index", "Range", "Movement"]
        rows = tabel.tables[0].rows + tabel.tables[1].rows
        assert [r[2] for r in rows] == [formatting.angka(v, 1) for v in inputs.table["skor"]]
        assert any("." in r[2] for r in rows) and not any("," in r[2] for r in rows)
        assert {r[4].split(" · ")[-1].split()[0] for r in rows} <= {"up", "down", "same", "entered", "left", "coverage"}
        # pillars by their English names; adoption by English stage names
        assert by_key["pilar"].tables[0].columns[2:-1] == list(inputs.catalog.pilar["nama_en"])
        adoption = by_key["adopsi"]
        assert [x.name for x in adoption.chart.series] == ["Reached", "Late", "Not yet due"]
        stages = tuple(f"({adopsi.nama_tahap(n)})" for n in adopsi.TAHAP)
        assert all(c.endswith(stages) for c in adoption.chart.categories)
        assert "Stages: 0 Not started, 1 Planned, 2 Pilot, 3 Running, 4 Institutionalised." in adoption.notes
        assert " by " in adoption.tables[0].rows[0][0] and " of " in adoption.tables[0].rows[0][1]
        # the focus slide: English KPIs and gap table
        fokus = by_key["fokus"]
        assert [m.label for m in fokus.metrics] == ["Rank", "Rank range", "Movement since last month", "Tiru Index"]
        row = inputs.table.set_index("kode_kecamatan").loc["12.09.19"]
        assert fokus.metrics[0].value == f"{int(row['peringkat'])} of {int(inputs.table['diperingkat'].sum())}"
        assert fokus.metrics[3].value == formatting.angka(row["skor"], 1)
        assert fokus.tables[0].columns == ["Largest gaps", "Value", "Model", "Score", "Index gain"]
        assert fokus.chart.categories == list(inputs.catalog.pilar["nama_en"])
        assert [x.name for x in fokus.chart.series] == ["Kota Kisaran Barat", "Asahan median"]
        assert all("Source: DEMO DATA" in s.notes for s in deck.slides[1:] if s.key != "adopsi")
    assert bahasa.aktif() == "id"


def test_the_english_deck_has_no_indonesian_left(demo_store, inputs):
    from bahasa_support import indonesian_leftovers

    allowed = tuple(sorted(set(demo_store.kecamatan()["nama"]), key=len, reverse=True))
    with bahasa.dalam("en"):
        texts = deck_texts(slides.deck(inputs, "12.09.17"))
    assert not indonesian_leftovers(texts, allowed=allowed)
    indonesian = deck_texts(slides.deck(inputs, "12.09.17"))
    assert indonesian_leftovers(indonesian, allowed=allowed), "the check finds Indonesian where it is"


def test_the_indonesian_default_is_unchanged(inputs):
    deck = slides.deck(inputs, "12.09.19")
    assert deck.slides[0].title == "Rapat evaluasi layanan kecamatan"
    assert deck.footer.endswith(" · DATA CONTOH")
    assert deck.slides[-1].tables[0].columns == ["Celah terbesar", "Nilai", "Model", "Skor", "Tambahan Indeks"]
    assert [x.name for x in deck.slides[1].chart.series] == ["Median", "Kuartil 1", "Kuartil 3", "Model = 100"]
    assert "," in deck.slides[1].metrics[0].value


def test_words_and_errors_in_english():
    with bahasa.dalam("en"):
        assert [deck_spec.movement(2), deck_spec.movement(-1), deck_spec.movement(0), deck_spec.movement(None)] == [
            "up 2", "down 1", "same rank", "new"]  # never "unchanged" beside a fall (#19)
        assert tampil.bertanda(-0.75, 1) == "−0.8" and tampil.bertanda(1234.5, 1) == "+1,234.5"
        assert deck_spec.source(True) == "DEMO DATA" and deck_spec.source(False) == "monthly kecamatan reports"
    assert tampil.bertanda(1234.5, 1) == "+1.234,5"


def test_check_kecamatan_says_it_in_english(inputs):
    with bahasa.dalam("en"), pytest.raises(ValueError, match="is not a kecamatan of Kabupaten Asahan"):
        slides.check_kecamatan(inputs, "99.99.99")
