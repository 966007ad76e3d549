"""Chart builders show exactly the engine's numbers, titled with unit and period."""

import numpy as np

from metrics import benchmark, charts, formatting
from metrics import periode as per


def test_composite_bars_show_the_ranked_scores(demo_store):
    latest = demo_store.latest_period()
    table = benchmark.league_table(demo_store, latest)
    fig = charts.composite_bars(table, latest, "DATA CONTOH")
    bar = fig.data[0]
    ranked = table[table["diperingkat"]]
    # Best at the top: plotly draws the last category at the top of a horizontal bar chart.
    assert list(bar.y)[::-1] == list(ranked["kecamatan"])
    np.testing.assert_allclose(list(bar.x)[::-1], ranked["skor"].to_numpy())
    assert set(bar.y).isdisjoint(table.loc[~table["diperingkat"], "kecamatan"])
    assert formatting.bulan(latest) in fig.layout.title.text
    assert "0–100" in fig.layout.xaxis.title.text
    assert fig.layout.separators == ",."
    assert all("Sumber: DATA CONTOH" in text and formatting.bulan(latest) in text for text in bar.hovertext)


def test_composite_bars_with_nothing_ranked_is_an_empty_titled_chart(demo_store):
    table = benchmark.league_table(demo_store, per.parse("2024-01"))
    table["diperingkat"] = False
    fig = charts.composite_bars(table, per.parse("2024-01"), "DATA CONTOH")
    assert len(fig.data[0].x) == 0
    assert "Januari 2024" in fig.layout.title.text


def test_indonesian_formats():
    assert formatting.angka(1234.5) == "1.234,5"
    assert formatting.angka(float("nan")) == "—"
    assert formatting.angka(None) == "—"
    assert formatting.persen(0.705, 1) == "70,5 %"
    assert formatting.bulan(per.parse("2024-12")) == "Desember 2024"
    assert formatting.bulan(per.parse("2026-10"), short=True) == "Okt 2026"
    assert formatting.gerak(3) == "▲ 3" and formatting.gerak(-2) == "▼ 2" and formatting.gerak(0) == "="
    assert formatting.gerak(float("nan")) == "baru"
