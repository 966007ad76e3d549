"""The meeting deck as data (metrics/slides.py): the slides, and numbers equal to the engine's."""

import math

import pandas as pd
import pytest

from metrics import adopsi, benchmark, formatting, slides
from metrics import periode as per

KEYS = ["judul", "kabupaten", "peringkat", "tabel", "gerak", "pilar", "adopsi", "terlambat", "laporan"]


@pytest.fixture(scope="module")
def inputs(demo_store):
    return slides.gather(demo_store, demo_store.latest_period())


def same(values, expected):
    """Chart values against engine numbers: None where the engine has NaN."""
    assert len(values) == len(expected)
    for got, want in zip(values, expected):
        if want is None or (isinstance(want, float) and math.isnan(want)):
            assert got is None
        else:
            assert got == pytest.approx(float(want))


def test_deck_has_the_meeting_slides_in_order_with_the_period_and_demo_label(inputs):
    deck = slides.deck(inputs)
    assert [s.key for s in deck.slides] == KEYS
    assert deck.demo
    assert formatting.bulan(inputs.periode) in deck.footer and "DATA CONTOH" in deck.footer
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
    assert slide.metrics[1].value == formatting.angka(100 - now, 1)


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
    deck = slides.deck(slides.gather(demo_store, first))
    assert [s.key for s in deck.slides] == KEYS
    assert next(s for s in deck.slides if s.key == "gerak").chart.series[0].values == []


def test_heat_colours_follow_the_bands():
    assert slides.heat_colours(95) == slides.BAND_FILLS[0]
    assert slides.heat_colours(59.99) == slides.BAND_FILLS[2]
    assert slides.heat_colours(None)[0] == slides.MISSING_FILL
    assert slides.heat_colours(float("nan"))[0] == slides.MISSING_FILL
    assert slides.movement(2) == "naik 2" and slides.movement(-1) == "turun 1" and slides.movement(pd.NA) == "baru"
