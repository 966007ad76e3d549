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


def test_kabupaten_trend_shows_the_series(demo_store):
    history = benchmark.composite_history(demo_store, demo_store.periods()[0], demo_store.latest_period())
    series = benchmark.kabupaten_series(history)
    fig = charts.kabupaten_trend(series, "DATA CONTOH")
    median = next(t for t in fig.data if t.name == "median 25 kecamatan")
    np.testing.assert_allclose(np.array(median.y, dtype=float), series["median"].to_numpy(dtype=float))
    assert "Januari 2024" in fig.layout.title.text and "0–100" in fig.layout.title.text
    assert all(not t.showlegend for t in fig.data if t.name is None)  # helper traces stay out of the legend
    assert "Des 2024" in list(fig.layout.xaxis.ticktext) or "Jan 2025" in list(fig.layout.xaxis.ticktext)


def test_band_bars_and_ombudsman_chart(demo_store):
    table = benchmark.league_table(demo_store, demo_store.latest_period(), draws=0)
    counts = benchmark.band_counts(table)
    fig = charts.band_bars(counts, demo_store.latest_period())
    assert list(fig.data[0].x)[::-1] == list(counts["jumlah"]) and sum(fig.data[0].x) == 25
    ombudsman = demo_store.ombudsman()
    fig = charts.ombudsman_chart(ombudsman)
    bars = {t.name: dict(zip(t.x, t.y)) for t in fig.data if t.type == "bar"}
    assert bars["Kabupaten Asahan"] == {"2022": 70.55, "2023": 86.95, "2024": 93.37}
    assert bars["Kota Cimahi"] == {"2023": 95.27, "2024": 96.13}
    zones = next(t for t in fig.data if t.name == "Kabupaten Asahan: hanya zona")
    assert list(zones.text) == ["zona merah", "zona kuning"]  # zone-only years are not given a score
    assert all("Sumber: https://" in h for t in fig.data for h in t.hovertext)


def test_pillar_comparison_and_rank_history():
    import pandas as pd

    pillars = pd.DataFrame({"kecamatan": [50.0, float("nan")], "median": [40.0, 30.0]},
                           index=["Kecepatan", "Kepuasan"])
    fig = charts.pillar_comparison(pillars, "Meranti", per.parse("2026-10"), "DATA CONTOH")
    assert list(fig.data[0].text) == ["50", "tidak ada data"]
    assert list(fig.data[1].y) == [40.0, 30.0]
    history = pd.DataFrame({"periode": [per.parse("2026-09"), per.parse("2026-10")], "skor": [50.0, 40.0],
                            "cakupan": [1.0, 0.5], "diperingkat": [True, False], "peringkat": [3.0, float("nan")]})
    fig = charts.rank_history(history, "Meranti", 25, "DATA CONTOH")
    assert list(fig.data[0].y)[0] == 3 and np.isnan(list(fig.data[0].y)[1])
    assert "Belum diperingkat (cakupan 50 %)" in fig.data[0].hovertext[1]
    assert tuple(fig.layout.yaxis.range) == (25.5, 0.5)
