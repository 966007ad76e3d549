"""Chart builders show exactly the engine's numbers, titled with unit and period."""

import numpy as np
import pytest

from metrics.charts import common as charts
from metrics.core import formatting
from metrics.core import periode as per
from metrics.engine import benchmark


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
    assert formatting.persen(0.705, 1) == "70,5\u00a0%"
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
    bars = {t.name: dict(zip(t.x, t.y, strict=True)) for t in fig.data if t.type == "bar"}
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
    assert fig.data[0].y[0] == 3 and np.isnan(fig.data[0].y[1])
    assert "Belum diperingkat (cakupan 50\u00a0%)" in fig.data[0].hovertext[1]
    assert tuple(fig.layout.yaxis.range) == (25.5, 0.5)
    assert list(fig.layout.yaxis.tickvals) == [1, 5, 10, 15, 20, 25]


@pytest.mark.parametrize("total", [2, 12, 42, 51])
def test_rank_history_ticks_reach_the_last_rank_of_any_kabupaten(total):
    """#25: Garut's 42 kecamatan had ticks up to 25 only, its lower ranks unlabelled."""
    import pandas as pd

    history = pd.DataFrame({"periode": [per.parse("2026-10")], "skor": [20.0], "cakupan": [1.0],
                            "diperingkat": [True], "peringkat": [float(total)]})
    ticks = list(charts.rank_history(history, "Meranti", total, "DATA CONTOH").layout.yaxis.tickvals)
    assert ticks[0] == 1 and max(ticks) <= total and total - max(ticks) < 5 and len(ticks) <= 7, ticks


# ---- English (?bahasa=en): same numbers, English texts and formats

def test_composite_bars_in_english(demo_store):
    from metrics.core import bahasa

    latest = demo_store.latest_period()
    table = benchmark.league_table(demo_store, latest, draws=0)
    ranked = table[table["diperingkat"]].sort_values(["peringkat", "kecamatan"])
    with bahasa.dalam("en"):
        fig = charts.composite_bars(table, latest, charts.source_label(True))
        month = formatting.bulan(latest)
        best = ranked.iloc[0]
        score, coverage = formatting.angka(best["skor"], 1), formatting.persen(best["cakupan"])
    assert month.split()[0] in ("January", "February", "March", "April", "May", "June", "July", "August",
                                "September", "October", "November", "December")
    assert fig.layout.title.text.startswith("Tiru Index per kecamatan") and month in fig.layout.title.text
    assert fig.layout.xaxis.title.text.replace("<br>", " ") == "Tiru Index (0–100, Cimahi Tengah model = 100)"
    assert fig.layout.separators == ".,"
    top = fig.data[0].hovertext[-1]  # best at the top = last bar
    assert top.startswith(f"<b>{best['kecamatan']}</b><br>Tiru Index: {score}<br>Rank 1")
    assert f"Data coverage: {coverage}<br>Period: {month}<br>Source: DEMO DATA" in top
    if best["skor"] % 1:
        assert "." in score and "," not in score


def test_kabupaten_trend_and_band_bars_in_english(demo_store):
    from metrics.core import bahasa

    history = benchmark.composite_history(demo_store, demo_store.periods()[0], demo_store.latest_period())
    series = benchmark.kabupaten_series(history)
    table = benchmark.league_table(demo_store, demo_store.latest_period(), draws=0)
    with bahasa.dalam("en"):
        fig = charts.kabupaten_trend(series, charts.source_label(False))
        bands = charts.band_bars(benchmark.band_counts(table), demo_store.latest_period())
        last = series.dropna(subset=["median"]).iloc[-1]
        median_text = formatting.angka(last["median"], 1)
        last_month = formatting.bulan(int(last["periode"]))
    median = next(t for t in fig.data if t.name == "median of 25 kecamatan")
    assert f"<b>{last_month}</b><br>Median: {median_text}<br>Quartiles 1–3:" in median.hovertext[-1]
    assert median.hovertext[-1].endswith("Source: kecamatan reports")
    assert {t.name for t in fig.data if t.name} >= {"range (min–max)", "middle half (quartiles 1–3)"}
    assert "January 2024" in fig.layout.title.text and fig.layout.title.text.startswith("Tiru Index of the kabupaten")
    assert "Study visit<br>Dec 2024" in [a.text for a in fig.layout.annotations]
    assert "Cimahi Tengah model = 100" in [a.text for a in fig.layout.annotations]
    assert all(" " in tick and tick.split()[0] in ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
                                                    "Oct", "Nov", "Dec") for tick in fig.layout.xaxis.ticktext)
    assert (
        bands.data[0].y[0] == "not ranked"
        and bands.layout.xaxis.title.text.replace("<br>", " ") == "number of kecamatan"
    )
    assert bands.layout.title.text.startswith("Kecamatan per band")


def test_ombudsman_chart_in_english(demo_store):
    from metrics.core import bahasa

    with bahasa.dalam("en"):
        fig = charts.ombudsman_chart(demo_store.ombudsman())
    zones = next(t for t in fig.data if t.name == "Kabupaten Asahan: zone only")
    assert list(zones.text) == ["red zone", "yellow zone"]
    assert zones.hovertext[0].startswith("<b>Kabupaten Asahan 2019</b><br>Only the zone was reported: red")
    asahan = next(t for t in fig.data if t.type == "bar" and t.name == "Kabupaten Asahan")
    assert list(asahan.text) == ["70.55", "86.95", "93.37"]  # English decimal point
    assert "Score: 70.55 · yellow zone · rating C<br>Source: https://" in asahan.hovertext[0]
    assert fig.layout.xaxis.title.text == "assessment year"
    assert fig.layout.title.text.startswith(
        "Public service compliance, Ombudsman RI<br><sup>2019–2024 · scale 0–100")


def test_pillar_comparison_and_rank_history_in_english():
    import pandas as pd

    from metrics.core import bahasa

    pillars = pd.DataFrame({"kecamatan": [50.25, float("nan")], "median": [40.0, 30.0]},
                           index=["Speed", "Satisfaction"])
    history = pd.DataFrame({"periode": [per.parse("2026-09"), per.parse("2026-10")], "skor": [1234.5, 40.0],
                            "cakupan": [1.0, 0.507], "diperingkat": [True, False], "peringkat": [3.0, float("nan")]})
    with bahasa.dalam("en"):
        bars = charts.pillar_comparison(pillars, "Meranti", per.parse("2026-10"), charts.source_label(True))
        ranks = charts.rank_history(history, "Meranti", 25, charts.source_label(True))
    assert list(bars.data[0].text) == ["50", "no data"]
    assert bars.data[1].name == "Asahan median"
    assert bars.data[0].hovertext[0] == ("<b>Meranti</b> · Speed<br>Pillar score: 50.2<br>Period: October 2026"
                                         "<br>Source: DEMO DATA")
    assert bars.layout.title.text.startswith("Score per pillar<br><sup>October 2026 · Meranti against the Asahan")
    assert ranks.data[0].hovertext[0] == ("<b>September 2026</b><br>Rank 3 of 25<br>Tiru Index 1,234.5"
                                          "<br>Source: DEMO DATA")
    assert "Not ranked (coverage 51%)" in ranks.data[0].hovertext[1]
    assert ranks.layout.yaxis.title.text == "rank (1 = best)"
    assert ranks.layout.title.text.startswith(
        "Rank history of Meranti<br><sup>September 2026 – October 2026 · out of 25")


# ---- never colour alone, never empty: every bar series filled, patterned over its colour, in the legend

INVISIBLE = {None, "", "white", "#ffffff", "#fff", "rgba(0,0,0,0)", "transparent"}


def assert_bars_visible(fig, background="white"):
    """Every named bar trace is drawn in a colour that stands off the page, a pattern (if any) is drawn
    over that colour (fillmode 'overlay', in a different ink), and the series has a legend swatch when the
    figure has a legend. A pattern in Plotly's default 'replace' mode draws the stripes in the bar's
    colour on a transparent ground: the bar and its legend swatch look empty."""
    legend = fig.layout.showlegend
    for trace in (d for d in fig.data if d.type == "bar" and d.name):
        colours = trace.marker.color if isinstance(trace.marker.color, (list, tuple)) else [trace.marker.color]
        assert all(str(c).lower() not in INVISIBLE | {background} for c in colours), trace.name
        pattern = trace.marker.pattern
        if pattern.shape:
            assert pattern.fillmode == "overlay", f"{trace.name}: pattern replaces the bar's colour"
            assert str(pattern.fgcolor).lower() not in {str(c).lower() for c in colours}, trace.name
        if legend:
            assert trace.showlegend is not False, f"{trace.name} has no legend swatch"


def test_pillar_comparison_bars_are_filled_patterned_and_in_the_legend():
    import pandas as pd

    pillars = pd.DataFrame({"kecamatan": [50.0, 60.0], "median": [40.0, 30.0]}, index=["Kecepatan", "Kepuasan"])
    fig = charts.pillar_comparison(pillars, "Meranti", per.parse("2026-10"), "DATA CONTOH")
    assert [d.name for d in fig.data if d.type == "bar"] == ["Meranti", "Median Asahan"]
    assert len({d.marker.pattern.shape or "" for d in fig.data}) == 2, "the median told apart by pattern too"
    assert_bars_visible(fig)


def test_every_meeting_chart_has_filled_bars_with_a_legend(demo_store):
    from metrics.app import rapat
    from metrics.reports import deck_spec, slides

    deck = slides.deck(deck_spec.gather(demo_store, demo_store.latest_period()), fokus="12.09.19")
    charted = [s for s in deck.slides if s.chart is not None]
    assert any(s.key == "fokus" for s in charted)
    for slide in charted:
        assert_bars_visible(rapat.figure(slide, deck))
        assert_bars_visible(deck_spec.figure(slide.chart))
