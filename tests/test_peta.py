"""Peta: frames and map builders against the engine's numbers, the boundary file, offline
drawing, and the page in AppTest (demo, empty, URL state, interactions, TIRU_GEOJSON)."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.colors as pc
import pytest
from page_support import open_page
from streamlit.testing.v1 import AppTest

from metrics.charts import peta as charts_peta
from metrics.core import bahasa, formatting
from metrics.engine import benchmark

ROOT = Path(__file__).resolve().parent.parent
PAGE = "pages/peta_kecamatan.py"
# Real boundaries are not part of the repository (licence, size); a checkout that sits beside the
# project's shared reference data (`../shared/reference/`, also from a worktree one level deeper) uses them.
REFERENCE_GEOJSON = next((folder / "shared" / "reference" / "asahan_cimahi_kecamatan.geojson"
                          for folder in ROOT.parents[:2]
                          if (folder / "shared" / "reference" / "asahan_cimahi_kecamatan.geojson").exists()),
                         ROOT.parent / "shared" / "reference" / "asahan_cimahi_kecamatan.geojson")
needs_reference = pytest.mark.skipif(not REFERENCE_GEOJSON.exists(), reason="shared reference GeoJSON not here")


@pytest.fixture(scope="module")
def demo(demo_store):
    latest = demo_store.latest_period()
    kecamatan = demo_store.kecamatan("Asahan")
    month = demo_store.observasi(latest, latest)
    volume = month[month["indikator"] == "volume_layanan"].set_index("kode_kecamatan")["nilai"]
    return dict(latest=latest, kecamatan=kecamatan, volume=volume,
                table=benchmark.league_table(demo_store, latest), card=benchmark.scorecard(demo_store, latest),
                cat=benchmark.catalog(demo_store))


def coloured(fig):
    return next(t for t in fig.data if t.name != "Tidak ada data" and t.marker.colorscale is not None)


# --------------------------------------------------------------------------- frames and bubbles


def test_bubble_colours_are_the_composite_scores(demo):
    frame, measure = charts_peta.composite_frame(demo["table"], demo["card"], demo["kecamatan"], demo["latest"],
                                                 demo["volume"])
    assert len(frame) == 25
    expected = demo["table"].set_index("kode_kecamatan")["skor"]
    fig = charts_peta.bubble_map(frame, measure, demo["latest"])
    trace = coloured(fig)
    names = demo["kecamatan"].set_index("nama")["kode"]
    shown = pd.Series(list(trace.marker.color), index=[names[n] for n in trace.text])
    np.testing.assert_allclose(shown.to_numpy(), expected[shown.index].to_numpy())
    assert (trace.marker.cmin, trace.marker.cmax) == (0.0, 100.0)
    # bubbles at the kecamatan centres
    centres = demo["kecamatan"].set_index("kode")
    np.testing.assert_allclose(list(trace.x), centres.loc[shown.index, "lon"].to_numpy())
    np.testing.assert_allclose(list(trace.y), centres.loc[shown.index, "lat"].to_numpy())
    assert "Indeks Tiru (skor 0–100)" in fig.layout.title.text and "Oktober 2026" in fig.layout.title.text
    assert all("Sumber: DATA CONTOH" in h and "Periode nilai: Oktober 2026" in h for h in trace.hovertext)
    assert fig.layout.yaxis.scaleanchor == "x" and fig.layout.xaxis.title.text == "Bujur (°)"
    assert fig.layout.separators == ",."


def test_missing_values_are_grey_crossed_bubbles_with_a_hover_that_says_so(demo):
    card = demo["card"][~demo["card"]["kode_kecamatan"].isin(["12.09.10", "12.09.11"])]
    meta = demo["cat"].indikator.loc["waktu_tunggu"]
    frame, measure = charts_peta.indicator_frame(card, meta, demo["kecamatan"], "skor", demo["volume"])
    fig = charts_peta.bubble_map(frame, measure, demo["latest"])
    missing = next(t for t in fig.data if t.name == "Tidak ada data")
    assert set(missing.text) >= {"Tanjung Balai", "Sei Kepayang"}
    assert missing.marker.symbol == "circle-x" and missing.marker.color == charts_peta.MISSING_FILL
    assert all("tidak ada data" in h for h in missing.hovertext)
    assert fig.layout.showlegend
    trace = coloured(fig)
    assert not set(trace.text) & set(missing.text)
    assert not np.isnan(np.array(trace.marker.color, dtype=float)).any()


def test_raw_values_of_a_lower_is_better_indicator_put_better_at_the_same_end(demo):
    meta = demo["cat"].indikator.loc["waktu_tunggu"]
    frame, measure = charts_peta.indicator_frame(demo["card"], meta, demo["kecamatan"], "nilai", demo["volume"])
    rows = demo["card"][demo["card"]["indikator"] == "waktu_tunggu"].set_index("kode_kecamatan")
    values = frame.set_index("kode_kecamatan")["nilai"].dropna()
    np.testing.assert_allclose(values.to_numpy(), rows.loc[values.index, "nilai"].to_numpy())
    assert not measure.higher_better and measure.unit == "menit"
    assert "lebih rendah lebih baik" in measure.colourbar_title
    viridis = pc.get_colorscale("Viridis")
    scale = charts_peta.colourscale(measure)
    assert scale[0][1] == viridis[-1][1] and scale[-1][1] == viridis[0][1]  # low minutes = the yellow end
    higher = charts_peta.colourscale(charts_peta.Measure("x", "%", higher_better=True, score=False))
    assert higher == viridis
    fig = charts_peta.bubble_map(frame, measure, demo["latest"])
    trace = coloured(fig)
    assert trace.marker.cmin == values.min() and trace.marker.cmax == values.max()
    text = frame.set_index("kode_kecamatan").loc["12.09.19", "teks"]
    assert text.startswith(formatting.nilai(rows.loc["12.09.19", "nilai"], "menit"))
    assert "menit" in fig.layout.title.text


def test_partial_composites_are_noted_and_nothing_to_score_is_missing(demo):
    table = demo["table"].copy()
    table.loc[table["kode_kecamatan"] == "12.09.08", ["diperingkat", "cakupan"]] = [False, 0.6]
    table.loc[table["kode_kecamatan"] == "12.09.09", "skor"] = np.nan
    frame, _ = charts_peta.composite_frame(table, demo["card"], demo["kecamatan"], demo["latest"])
    rows = frame.set_index("kode_kecamatan")
    assert rows.loc["12.09.08", "catatan"] == "belum diperingkat (cakupan data 60\u00a0%)"
    assert np.isnan(rows.loc["12.09.09", "nilai"]) and rows.loc["12.09.09", "teks"] == "—"


def test_bubble_sizes_follow_volume_and_are_constant_when_missing():
    sizes = charts_peta.bubble_sizes(pd.Series([100.0, 400.0, np.nan]))
    assert sizes[0] < sizes[1] == charts_peta.SIZE_MAX and sizes[2] == charts_peta.SIZE_CONSTANT
    assert charts_peta.bubble_sizes(pd.Series([np.nan, np.nan])) == [charts_peta.SIZE_CONSTANT] * 2


def test_labels_of_neighbours_do_not_take_the_same_place():
    positions = charts_peta.label_positions([99.60, 99.645], [2.994, 2.986], ["Kota Kisaran Barat",
                                                                               "Kota Kisaran Timur"])
    assert positions[0] != positions[1]
    lone = charts_peta.label_positions([99.0], [3.0], ["Meranti"])
    assert lone == ["top center"]


def test_no_geo_traces_so_nothing_is_downloaded(demo):
    # plotly.js fetches a world topojson from cdn.plot.ly for geo subplots with a locationmode:
    # offline that fails and nothing is drawn. The maps are plain x/y traces.
    frame, measure = charts_peta.composite_frame(demo["table"], demo["card"], demo["kecamatan"], demo["latest"])
    fig = charts_peta.bubble_map(frame, measure, demo["latest"])
    assert {t.type for t in fig.data} == {"scatter"}
    assert "geo" not in fig.to_dict()["layout"] and "mapbox" not in fig.to_dict()["layout"]


# --------------------------------------------------------------------------- boundaries


def test_boundary_file_problems_are_named_in_indonesian(tmp_path):
    with pytest.raises(charts_peta.BoundaryError, match="tidak ditemukan"):
        charts_peta.load_boundaries(tmp_path / "tidak-ada.geojson")
    bad = tmp_path / "rusak.geojson"
    bad.write_text("{bukan json", encoding="utf-8")
    with pytest.raises(charts_peta.BoundaryError, match="bukan JSON"):
        charts_peta.load_boundaries(bad)
    other = tmp_path / "lain.geojson"
    other.write_text(json.dumps({"type": "Feature", "geometry": None}), encoding="utf-8")
    with pytest.raises(charts_peta.BoundaryError, match="FeatureCollection"):
        charts_peta.load_boundaries(other)
    nokode = tmp_path / "tanpa-kode.geojson"
    nokode.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"nama": "x"},
         "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}}]}), encoding="utf-8")
    with pytest.raises(charts_peta.BoundaryError, match="properties.kode"):
        charts_peta.load_boundaries(nokode)


def square(x, y, d=0.05):
    return [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]


def test_choropleth_fills_each_boundary_with_the_colour_bar_colour_of_its_value(demo):
    meta = demo["cat"].indikator.loc["tte"]
    card = demo["card"][demo["card"]["kode_kecamatan"] != "12.09.09"]
    frame, measure = charts_peta.indicator_frame(card, meta, demo["kecamatan"], "skor")
    shapes = {r.kode: {"type": "Polygon", "coordinates": square(r.lon, r.lat)} for r in demo["kecamatan"].itertuples()}
    shapes["12.09.08"] = {"type": "MultiPolygon", "coordinates": [square(99.0, 3.0), square(99.2, 3.0)]}
    del shapes["12.09.32"]  # no boundary: drawn as a bubble
    fig = charts_peta.choropleth_map(frame, shapes, measure, demo["latest"])
    polygons = {t.name: t for t in fig.data if t.fill == "toself"}
    assert len(polygons) == 24
    rows = frame.set_index("nama")
    for nama, trace in polygons.items():
        value = rows.loc[nama, "nilai"]
        if np.isnan(value):
            assert trace.fillcolor == charts_peta.MISSING_FILL and trace.fillpattern.shape == "x"
            assert "tidak ada data" in trace.text
        else:
            position = value / 100
            assert trace.fillcolor == pc.sample_colorscale(pc.get_colorscale("Viridis"), [position])[0]
            assert formatting.angka(rows.loc[nama, "nilai"], 1) in trace.text
    assert list(polygons["Meranti"].x).count(None) == 1  # two rings of a MultiPolygon
    assert {t.type for t in fig.data} == {"scatter"}
    bubbles = [t for t in fig.data if t.fill != "toself" and t.text is not None and "Aek Ledong" in list(t.text)]
    assert bubbles and bubbles[0].marker.size[0] == charts_peta.SIZE_CONSTANT
    assert "GeoJSON" in fig.layout.title.text


@needs_reference
def test_reference_boundaries_load_and_draw():
    shapes = charts_peta.load_boundaries(REFERENCE_GEOJSON)
    assert len(shapes) == 28 and "12.09.19" in shapes and "32.77.02" in shapes


# --------------------------------------------------------------------------- page


def app(db, use_db, with_demo=True, **query) -> AppTest:
    return open_page(db, use_db, PAGE, with_demo=with_demo, **query)


def test_peta_on_demo_data(demo_db, demo, use_db, monkeypatch):
    monkeypatch.delenv("TIRU_GEOJSON", raising=False)
    at = app(demo_db, use_db)
    assert not at.exception
    assert at.title[0].value == "Peta kecamatan"
    assert any("DATA CONTOH" in w.value for w in at.warning)
    assert at.selectbox(key="indikator").value == "indeks"
    listing = at.dataframe[0].value
    ranked = demo["table"].sort_values(["skor", "kecamatan"], ascending=[False, True])
    assert list(listing["Kecamatan"]) == list(ranked["kecamatan"])
    assert list(listing["Indeks Tiru"]) == [formatting.angka(v, 1) for v in ranked["skor"]]
    assert "25 dari 25 kecamatan" in at.caption[0].value
    assert "tanpa ubin peta" in at.caption[1].value


def test_peta_on_an_empty_database_shows_positions_and_a_message(empty_db, use_db, monkeypatch):
    monkeypatch.delenv("TIRU_GEOJSON", raising=False)
    at = app(empty_db, use_db, with_demo=False)
    assert not at.exception
    assert "Belum ada data layanan" in at.info[0].value
    assert not any("DATA CONTOH" in w.value for w in at.warning)


def test_url_chooses_indicator_and_raw_values(demo_db, demo, use_db, monkeypatch):
    monkeypatch.delenv("TIRU_GEOJSON", raising=False)
    at = app(demo_db, use_db, indikator="waktu_tunggu", ukuran="nilai")
    assert not at.exception
    assert at.selectbox(key="ukuran").value == "nilai"
    listing = at.dataframe[0].value.set_index("Kode")
    rows = demo["card"][demo["card"]["indikator"] == "waktu_tunggu"].set_index("kode_kecamatan")
    column = "Rata-rata waktu tunggu sebelum dilayani"
    for kode, row in rows.iterrows():
        assert listing.loc[kode, column].startswith(formatting.nilai(row["nilai"], "menit"))
    missing = sorted(set(demo["kecamatan"]["kode"]) - set(rows.index))
    assert all(listing.loc[k, column] == "—" for k in missing)
    if missing:  # the demo has late reports: they are named
        assert any("Tidak ada data" in w.value for w in at.warning)
    shown = [v for v in listing[column] if v != "—"]
    assert shown == sorted(shown, key=lambda t: float(t.split()[0].replace(".", "").replace(",", ".")))  # best first


@pytest.mark.parametrize("query", [{"indikator": "bukan", "ukuran": "zzz"}, {"indikator": "", "ukuran": ""},
                                   {"indikator": "<script>", "ukuran": "nilai"}])
def test_invalid_url_values_fall_back_to_the_composite(demo_db, use_db, monkeypatch, query):
    monkeypatch.delenv("TIRU_GEOJSON", raising=False)
    at = app(demo_db, use_db, **query)
    assert not at.exception
    assert at.selectbox(key="indikator").value == "indeks"
    assert "Indeks Tiru" in at.dataframe[0].value.columns


def test_choosing_measure_and_period(demo_db, demo_store, use_db, monkeypatch):
    monkeypatch.delenv("TIRU_GEOJSON", raising=False)
    at = app(demo_db, use_db)
    at.selectbox(key="indikator").set_value("tte").run()
    assert not at.exception
    assert "Skor Dokumen keluaran bertanda tangan elektronik" in at.dataframe[0].value.columns
    at.selectbox(key="ukuran").set_value("nilai").run()
    assert "Dokumen keluaran bertanda tangan elektronik" in at.dataframe[0].value.columns
    assert at.query_params["ukuran"] in (["nilai"], "nilai")
    at.sidebar.selectbox(key="periode").set_value("2025-06").run()
    assert not at.exception
    assert at.caption[0].value.startswith("Juni 2025")
    june = benchmark.scorecard(demo_store, 2025 * 12 + 5)
    rows = june[june["indikator"] == "tte"].set_index("kode_kecamatan")
    listing = at.dataframe[0].value.set_index("Kode")
    for kode, row in rows.iterrows():
        assert listing.loc[kode, "Dokumen keluaran bertanda tangan elektronik"].startswith(
            formatting.nilai(row["nilai"], "%"))


@pytest.mark.parametrize("content", [None, "{rusak", json.dumps({"type": "FeatureCollection", "features": []})])
def test_an_unusable_geojson_warns_and_falls_back_to_bubbles(demo_db, use_db, monkeypatch, tmp_path, content):
    path = tmp_path / "batas.geojson"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    monkeypatch.setenv("TIRU_GEOJSON", str(path))
    at = app(demo_db, use_db)
    assert not at.exception
    assert any("TIRU_GEOJSON" in w.value and "gelembung" in w.value for w in at.warning)
    assert "TIRU_GEOJSON" not in at.caption[1].value


def test_a_geojson_without_asahan_kecamatan_warns(demo_db, use_db, monkeypatch, tmp_path):
    path = tmp_path / "lain.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"kode": "99.99.99"},
         "geometry": {"type": "Polygon", "coordinates": square(0, 0)}}]}), encoding="utf-8")
    monkeypatch.setenv("TIRU_GEOJSON", str(path))
    at = app(demo_db, use_db)
    assert not at.exception
    assert any("tidak memuat satu pun kode kecamatan Asahan" in w.value for w in at.warning)


@needs_reference
def test_the_reference_geojson_gives_a_choropleth(demo_db, use_db, monkeypatch):
    monkeypatch.setenv("TIRU_GEOJSON", str(REFERENCE_GEOJSON))
    at = app(demo_db, use_db, indikator="waktu_tunggu")
    assert not at.exception
    assert not any("TIRU_GEOJSON" in w.value for w in at.warning)
    assert "Batas wilayah dari berkas TIRU_GEOJSON" in at.caption[1].value


# --------------------------------------------------------------------------- English (?bahasa=en)


def test_bubble_map_in_english_has_english_words_and_numbers(demo):
    with bahasa.dalam("en"):
        frame, measure = charts_peta.composite_frame(demo["table"], demo["card"], demo["kecamatan"], demo["latest"],
                                                     demo["volume"])
        fig = charts_peta.bubble_map(frame, measure, demo["latest"])
        scores = [formatting.angka(v, 1) for v in demo["table"]["skor"]]
    assert measure.label == "Tiru Index"
    assert fig.layout.title.text.startswith("Tiru Index (score 0–100) by kecamatan<br><sup>October 2026 · "
                                            "yellow = better")
    assert (fig.layout.xaxis.title.text, fig.layout.yaxis.title.text) == ("Longitude (°)", "Latitude (°)")
    assert fig.layout.separators == ".,"
    trace = coloured(fig)
    assert trace.marker.colorbar.title.text == "score 0–100 · yellow = better · (higher is better)"
    assert all("Value period: October 2026" in h and "Source: DEMO DATA" in h and "Service volume: " in h
               for h in trace.hovertext)
    assert set(frame["teks"].dropna()) <= set(scores) and any("." in s for s in scores)
    volume = demo["volume"].dropna()
    kode = volume.index[0]
    nama = demo["kecamatan"].set_index("kode").loc[kode, "nama"]
    with bahasa.dalam("en"):
        expected = f"Service volume: {formatting.angka(volume[kode], 0)}\u00a0applications per month"
    assert expected in next(h for n, h in zip(trace.text, trace.hovertext, strict=True) if n == nama)


def test_indicator_frame_and_notes_in_english(demo):
    meta = demo["cat"].indikator.loc["waktu_tunggu"]
    table = demo["table"].copy()
    table.loc[table["kode_kecamatan"] == "12.09.08", ["diperingkat", "cakupan"]] = [False, 0.6]
    card = demo["card"][demo["card"]["kode_kecamatan"] != "12.09.10"]
    with bahasa.dalam("en"):
        raw, measure = charts_peta.indicator_frame(card, meta, demo["kecamatan"], "nilai", demo["volume"])
        _, score_measure = charts_peta.indicator_frame(card, meta, demo["kecamatan"], "skor")
        composite, _ = charts_peta.composite_frame(table, demo["card"], demo["kecamatan"], demo["latest"])
        fig = charts_peta.bubble_map(raw, measure, demo["latest"])
        row = card[(card["indikator"] == "waktu_tunggu") & (card["kode_kecamatan"] == "12.09.19")].iloc[0]
        expected = f"{formatting.nilai(row['nilai'], 'menit')} (score {formatting.angka(row['skor'], 1)}"
        assert measure.colourbar_title == "minutes<br>yellow = better<br>(lower is better)"
    assert measure.label == "Average waiting time before service" and measure.unit == "menit"
    assert score_measure.label == "Average waiting time before service score"
    assert raw.set_index("kode_kecamatan").loc["12.09.19", "teks"].startswith(expected)
    assert expected.split()[1] == "minutes"
    assert composite.set_index("kode_kecamatan").loc["12.09.08", "catatan"] == "not ranked (data coverage 60%)"
    assert "minutes" in fig.layout.title.text and "yellow = better (lower values)" in fig.layout.title.text
    missing = next(t for t in fig.data if t.name == "No data")
    assert "Tanjung Balai" in list(missing.text)
    assert all("Average waiting time before service: no data" in h for h in missing.hovertext)
    assert "crossed grey = no data" in fig.layout.title.text


def test_boundary_file_problems_are_named_in_english(tmp_path):
    with bahasa.dalam("en"), pytest.raises(charts_peta.BoundaryError, match="not found"):
        charts_peta.load_boundaries(tmp_path / "tidak-ada.geojson")
    bad = tmp_path / "rusak.geojson"
    bad.write_text("{bukan json", encoding="utf-8")
    with bahasa.dalam("en"), pytest.raises(charts_peta.BoundaryError, match="is not valid JSON"):
        charts_peta.load_boundaries(bad)


def test_peta_page_in_english(demo_db, demo, use_db, monkeypatch):
    monkeypatch.delenv("TIRU_GEOJSON", raising=False)
    at = app(demo_db, use_db, bahasa="en")
    assert not at.exception
    assert at.title[0].value == "Kecamatan map"
    assert at.selectbox(key="indikator").label == "Colour by"
    assert at.selectbox(key="indikator").options[0] == "Tiru Index (composite)"
    listing = at.dataframe[0].value
    ranked = demo["table"].sort_values(["skor", "kecamatan"], ascending=[False, True])
    partial = ranked[~ranked["diperingkat"] & ranked["skor"].notna()]
    note = ["Note"] if len(partial) else []
    assert list(listing.columns) == ["Kecamatan", "Tiru Index", *note, "Value period", "Service volume", "Source",
                                     "Code"]
    if note:
        with bahasa.dalam("en"):
            expected = {k: f"not ranked (data coverage {formatting.persen(c)})"
                        for k, c in zip(partial["kode_kecamatan"], partial["cakupan"], strict=True)}
        notes = listing.set_index("Code")["Note"]
        assert {k: notes[k] for k in expected} == expected
        assert set(notes.drop(list(expected))) == {""}
    with bahasa.dalam("en"):
        assert list(listing["Tiru Index"]) == [formatting.angka(v, 1) for v in ranked["skor"]]
        volumes = [formatting.angka(demo["volume"].get(k), 0) for k in ranked["kode_kecamatan"]]
    assert list(listing["Service volume"]) == volumes and any("," in v for v in volumes)
    assert set(listing["Value period"]) == {"October 2026"}
    assert at.caption[0].value == "October 2026 · Tiru Index (score 0–100) · 25 of 25 kecamatan have a value"
    assert at.caption[1].value.startswith("Drawn without map tiles")


def test_peta_page_in_english_with_raw_values(demo_db, demo, use_db, monkeypatch):
    monkeypatch.delenv("TIRU_GEOJSON", raising=False)
    at = app(demo_db, use_db, bahasa="en", indikator="waktu_tunggu", ukuran="nilai")
    assert not at.exception
    assert at.selectbox(key="ukuran").options == ["Score 0–100 (distance to the model)", "Raw value in its unit"]
    column = "Average waiting time before service"
    listing = at.dataframe[0].value.set_index("Code")
    rows = demo["card"][demo["card"]["indikator"] == "waktu_tunggu"].set_index("kode_kecamatan")
    with bahasa.dalam("en"):
        for kode, row in rows.iterrows():
            assert listing.loc[kode, column] == (f"{formatting.nilai(row['nilai'], 'menit')} (score "
                                                 f"{formatting.angka(row['skor'], 1)}"
                                                 f"{', beyond the model' if row['melampaui'] else ''})")
    assert at.caption[-1].value == f"{column}: lower is better; yellow always means better."
    missing = sorted(set(demo["kecamatan"]["kode"]) - set(rows.index))
    if missing:
        assert any(w.value.startswith(f"No {column} data in October 2026 for: ") for w in at.warning)


def test_a_kecamatan_without_a_known_centre_is_not_drawn_and_said_so(demo):
    """Outside Asahan and Cimahi the reference data knows no centres (#25): missing, never placed at 0, 0."""
    kecamatan = demo["kecamatan"].copy()
    kecamatan.loc[kecamatan["kode"].isin(["12.09.10", "12.09.11"]), ["lat", "lon"]] = np.nan
    frame, measure = charts_peta.composite_frame(demo["table"], demo["card"], kecamatan, demo["latest"], demo["volume"])
    fig = charts_peta.bubble_map(frame, measure, demo["latest"])
    drawn = [name for trace in fig.data for name in trace.text]
    assert len(drawn) == 23 and not {"Tanjung Balai", "Sei Kepayang"} & set(drawn)
    assert all(not np.isnan(np.array(trace.x, dtype=float)).any() for trace in fig.data)
    assert min(fig.layout.xaxis.range) > 99 and min(fig.layout.yaxis.range) > 2  # nothing pulled towards 0, 0
    assert "2 kecamatan tanpa titik pusat: tidak digambar, nilainya di tabel" in fig.layout.title.text

    kecamatan[["lat", "lon"]] = np.nan  # a kabupaten without any known centre
    frame, measure = charts_peta.composite_frame(demo["table"], demo["card"], kecamatan, demo["latest"], demo["volume"])
    fig = charts_peta.bubble_map(frame, measure, demo["latest"])
    assert not [name for trace in fig.data for name in trace.text]
    assert "25 kecamatan tanpa titik pusat" in fig.layout.title.text
    assert "peta tidak dapat digambar" in fig.layout.annotations[0].text
    assert fig.layout.xaxis.visible is False
    with bahasa.dalam("en"):
        fig = charts_peta.bubble_map(frame, measure, demo["latest"])
    assert "25 kecamatan without a known centre" in fig.layout.title.text
