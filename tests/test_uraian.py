"""Text alternatives of the charts (#22): the one-line summary and the data table read from the figure."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from metrics.charts import common, uraian
from metrics.core import bahasa, formatting
from metrics.core import periode as per
from metrics.engine import benchmark


def test_bars_say_their_highest_and_lowest_as_written():
    fig = go.Figure(go.Bar(x=[72.34, 40.0, None], y=["Meranti", "Air Batu", "Sei Kepayang"], orientation="h",
                           name="Indeks Tiru", text=["72,3", "40,0", ""]))
    fig.update_layout(title={"text": "Indeks Tiru<br><sup>Oktober 2026</sup>"})
    assert uraian.summary(fig) == ("Indeks Tiru · Oktober 2026. Indeks Tiru: 2 nilai, tertinggi Meranti (72,3), "
                                   "terendah Air Batu (40,0).")
    data = uraian.table(fig)
    assert list(data.columns) == ["Seri", "Titik", "Nilai"]
    assert data["Nilai"].tolist() == ["72,3", "40,0", formatting.MISSING]  # missing stays missing, not 0


def test_lines_over_months_say_first_and_last():
    months = [per.parse("2025-01"), per.parse("2025-02"), per.parse("2025-03")]
    fig = go.Figure(go.Scatter(x=[per.to_date(m) for m in months], y=[41.0, None, 52.06], name="median",
                               mode="lines+markers"))
    assert "median: Januari 2025 41 → Maret 2025 52,1" in uraian.summary(fig)
    with bahasa.dalam("en"):
        assert "median: January 2025 41 → March 2025 52.1" in uraian.summary(fig)
        assert list(uraian.table(fig).columns) == ["Series", "Point", "Value"]


def test_filled_bands_shapes_and_placeholders_are_not_data():
    fig = go.Figure([
        go.Scatter(x=[1, 2], y=[10, 20], hoverinfo="skip", name="band"),
        go.Scatter(x=[0, 1, 1, 0], y=[0, 0, 1, 1], fill="toself", name="Meranti"),
        go.Bar(x=["a"], y=[100], marker={"color": "rgba(0,0,0,0)"}, name="tidak ada data"),
        go.Bar(x=["a", "b"], y=[3, 5], name="jumlah"),
    ])
    assert uraian.table(fig)["Seri"].unique().tolist() == ["jumlah"]


def test_many_series_are_counted_not_listed():
    fig = go.Figure([go.Scatterpolar(r=[i, i + 1], theta=["A", "B"], name=f"K{i}") for i in range(6)])
    text = uraian.summary(fig)
    assert "K3" in text and "K4" not in text and "dan 2 seri lagi" in text
    assert len(uraian.table(fig)) == 12


def test_heat_map_cells_by_row_and_column():
    fig = go.Figure([
        go.Heatmap(z=[[1.0, None]], x=["a", "b"], y=["Meranti"], colorscale=[[0, "#EEE"], [1, "#EEE"]]),
        go.Heatmap(z=[[70.0, None]], x=["a", "b"], y=["Meranti"]),
    ])
    assert uraian.table(fig).values.tolist() == [["Meranti", "a", "70"], ["Meranti", "b", formatting.MISSING]]


def test_a_real_chart_is_described_from_its_own_numbers(demo_store):
    periode = demo_store.latest_period()
    table = benchmark.league_table(demo_store, periode)
    fig = common.composite_bars(table, periode, "DATA CONTOH")
    ranked = table[table["diperingkat"]]
    best = ranked.sort_values("skor").iloc[-1]
    text = uraian.summary(fig)
    assert f"{len(ranked)} nilai" in text and best["kecamatan"] in text
    assert len(uraian.table(fig)) == len(ranked)


@pytest.mark.parametrize("language", ["id", "en"])
def test_empty_chart_says_so(language):
    with bahasa.dalam(language):
        text = uraian.summary(go.Figure())
    assert text == {"id": "Grafik. tidak ada data.", "en": "Chart. no data."}[language]
    assert uraian.table(go.Figure()).empty and isinstance(uraian.table(go.Figure()), pd.DataFrame)


def test_a_timeline_says_its_spans_as_dates():
    fig = go.Figure(go.Bar(y=["TTE"], x=[31 * 86_400_000], base=["2025-01-01"], orientation="h", name="1 Direncanakan"))
    assert "1 Direncanakan: TTE 1 Jan 2025 – 31 Jan 2025" in uraian.summary(fig)
