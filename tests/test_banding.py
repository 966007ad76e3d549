"""Perbandingan: the builders show exactly the engine's numbers; the page in AppTest."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from page_support import open_page
from streamlit.testing.v1 import AppTest

from metrics.charts import banding as cb
from metrics.charts import banding_semua as cbs
from metrics.core import bahasa, formatting
from metrics.core import periode as per
from metrics.data.writer import write
from metrics.engine import benchmark, scoring

ROOT = Path(__file__).resolve().parent.parent
PAGE = "pages/banding.py"


# --------------------------------------------------------------------------- engine data


@pytest.fixture(scope="module")
def engine(demo_store):
    """What the page gets from ui, computed without Streamlit."""
    latest = demo_store.latest_period()
    catalog = benchmark.catalog(demo_store)
    card = benchmark.scorecard(demo_store, latest)
    table = benchmark.league_table(demo_store, latest, draws=50)
    names = table.set_index("kode_kecamatan")["kecamatan"]
    asahan = set(demo_store.kecamatan("Asahan")["kode"])
    observasi = demo_store.observasi(latest - benchmark.LOOKBACK, latest)
    values = scoring.as_of(observasi[observasi["kode_kecamatan"].isin(asahan)], catalog.indikator, latest)
    return {"periode": latest, "catalog": catalog, "card": card, "table": table, "names": names, "values": values}


def _with_gap(card: pd.DataFrame) -> tuple[str, str]:
    """A (kecamatan, indicator) of the demo month without a value (the demo has late reports)."""
    present = set(zip(card["kode_kecamatan"], card["indikator"], strict=True))
    for code in sorted(card["kode_kecamatan"].unique()):
        for ind in card["indikator"].unique():
            if (code, ind) not in present:
                return code, ind
    raise AssertionError("the demo month should have a missing value")


def _traces(fig, kind):
    return [t for t in fig.data if t.type == kind]


# --------------------------------------------------------------------------- grouped bars


def test_bars_show_the_scores_of_each_chosen_kecamatan_and_missing_is_no_bar(engine):
    card, catalog, names, periode = engine["card"], engine["catalog"], engine["names"], engine["periode"]
    gap_code, gap_ind = _with_gap(card)
    chosen = ["12.09.19", gap_code]
    codes = list(catalog.scored.index)
    fig = cb.score_bars(card, chosen, codes, catalog, names, periode)
    bars = {t.name: t for t in _traces(fig, "bar") if t.name != "tidak ada data (arsir)"}
    for code in chosen:
        expected = card[card["kode_kecamatan"] == code].set_index("indikator")["skor"].reindex(codes)
        shown = bars[names[code]].y
        assert [v is None for v in shown] == list(expected.isna())
        np.testing.assert_allclose([v for v in shown if v is not None], expected.dropna().to_numpy())
    # The gap is a hatched 'tidak ada data' column at the kecamatan's place, never a zero bar.
    gap_position = codes.index(gap_ind)
    assert bars[names[gap_code]].y[gap_position] is None
    ghosts = [t for t in fig.data if t.name == "tidak ada data (arsir)" and t.offsetgroup == gap_code]
    assert len(ghosts) == 1 and ghosts[0].y[gap_position] == 100
    assert all(v is None for i, v in enumerate(ghosts[0].y) if codes[i] not in
               set(codes) - set(card.loc[card["kode_kecamatan"] == gap_code, "indikator"]))
    assert "tidak ada data" in ghosts[0].hovertext[gap_position]
    assert ghosts[0].marker.pattern.shape == "/"


def test_median_bar_is_the_pandas_median_of_the_kecamatan_with_a_value(engine):
    card, catalog = engine["card"], engine["catalog"]
    codes = list(catalog.scored.index)
    fig = cb.score_bars(card, ["12.09.19", "12.09.14"], codes, catalog, engine["names"], engine["periode"])
    median = next(t for t in fig.data if t.name == cb.median_label())
    expected = [card.loc[card["indikator"] == c, "skor"].median() for c in codes]
    np.testing.assert_allclose(list(median.y), expected)
    counts = card.groupby("indikator")["skor"].count()
    assert f"dari {counts['tepat_waktu']} kecamatan" in median.hovertext[codes.index("tepat_waktu")]


def test_bars_are_titled_grouped_by_pillar_with_the_model_line_and_honest_hover(engine):
    card, catalog, names, periode = engine["card"], engine["catalog"], engine["names"], engine["periode"]
    fig = cb.score_bars(card, ["12.09.19", "12.09.14"], ["ikm", "waktu_tunggu"], catalog, names, periode)
    month = formatting.bulan(periode)
    assert month in fig.layout.title.text and "0–100" in fig.layout.title.text
    assert fig.layout.separators == ",."
    assert "Skor" in fig.layout.yaxis.title.text
    # Catalogue order whatever the order chosen; pillar under each indicator.
    bar = next(t for t in fig.data if t.name == names["12.09.19"])
    assert list(bar.x[1]) == ["Waktu<br>tunggu", "IKM"]
    # The pillar row keeps a blank line from the (up to 3-line) indicator labels: they never run together (#15.5).
    assert list(bar.x[0]) == [f"<br><b>{catalog.pilar.loc[p, 'nama']}</b>" for p in ("kecepatan", "kepuasan")]
    assert any(s.y0 == 100 and s.y1 == 100 for s in fig.layout.shapes)
    assert any(a.text == "Model (Cimahi Tengah) = 100" for a in fig.layout.annotations)
    row = card.set_index(["kode_kecamatan", "indikator"]).loc[("12.09.19", "waktu_tunggu")]
    hover = bar.hovertext[0]
    shown_value = cb.nilai_teks(row["nilai"], catalog.indikator.loc["waktu_tunggu"])
    assert shown_value.endswith("\u00a0menit") and f"Nilai: {shown_value}" in hover
    assert f"Skor: {formatting.angka(row['skor'], 1)} dari 100" in hover
    assert f"Periode nilai: {formatting.bulan(int(row['periode_nilai']))}" in hover
    assert "Sumber: DATA CONTOH" in hover


def test_score_table_is_the_bars_in_numbers(engine):
    card, catalog, names = engine["card"], engine["catalog"], engine["names"]
    gap_code, gap_ind = _with_gap(card)
    table = cb.score_table(card, ["12.09.19", gap_code], ["ipp", gap_ind], catalog, names)
    assert list(table.columns) == ["Indikator", names["12.09.19"], names[gap_code], cb.median_label()]
    order = [c for c in catalog.scored.index if c in {"ipp", gap_ind}]
    assert list(table["Indikator"]) == [catalog.indikator.loc[c, "nama"] for c in order]
    assert table.loc[order.index(gap_ind), names[gap_code]] == "—"
    skor = card.set_index(["kode_kecamatan", "indikator"])["skor"]
    assert table.loc[order.index("ipp"), names["12.09.19"]] == formatting.angka(skor[("12.09.19", "ipp")], 1)


# --------------------------------------------------------------------------- radar


def test_radar_shows_pillar_means_the_median_and_the_model(engine):
    card, catalog, names, periode = engine["card"], engine["catalog"], engine["names"], engine["periode"]
    chosen = ["12.09.19", "12.09.20", "12.09.14"]
    fig = cb.pillar_radar(card, chosen, catalog, names, periode)
    pillars = list(catalog.pilar.sort_values("urutan").index)
    means = card.groupby(["kode_kecamatan", "pilar"])["skor"].mean().unstack()[pillars]
    traces = {t.name: t for t in fig.data}
    for code in chosen:
        trace = traces[names[code]]
        assert list(trace.theta[:-1]) == list(catalog.pilar.loc[pillars, "nama"])
        assert trace.r[-1] == trace.r[0] and trace.theta[-1] == trace.theta[0]  # closed outline
        np.testing.assert_allclose(list(trace.r[:-1]), means.loc[code].to_numpy())
    np.testing.assert_allclose(list(traces[cb.median_label()].r[:-1]), means.median().to_numpy())
    assert list(traces["Model (Cimahi Tengah) = 100"].r) == [100] * (len(pillars) + 1)
    assert formatting.bulan(periode) in fig.layout.title.text
    assert list(fig.layout.polar.radialaxis.range) == [0, 100]


def test_radar_pillar_without_data_is_a_gap_not_zero(engine):
    card, catalog, names = engine["card"], engine["catalog"], engine["names"]
    card = card[~((card["kode_kecamatan"] == "12.09.19") & (card["pilar"] == "kepatuhan"))]
    fig = cb.pillar_radar(card, ["12.09.19", "12.09.14"], catalog, names, engine["periode"])
    trace = next(t for t in fig.data if t.name == names["12.09.19"])
    position = list(catalog.pilar.sort_values("urutan").index).index("kepatuhan")
    assert trace.r[position] is None and trace.connectgaps is False
    assert "tidak ada data" in trace.hovertext[position]
    table = cb.pillar_score_table(card, ["12.09.19", "12.09.14"], catalog, names)
    assert table.set_index("Kecamatan").loc[names["12.09.19"], catalog.pilar.loc["kepatuhan", "nama"]] == "—"
    assert list(table["Kecamatan"])[-2:] == [cb.median_label(), cb.model_label()]


# --------------------------------------------------------------------------- heatmap


def test_heatmap_is_the_scorecard_pivot_in_league_order(engine):
    card, catalog, table, periode = engine["card"], engine["catalog"], engine["table"], engine["periode"]
    fig = cbs.score_heatmap(card, table, catalog, periode, ["12.09.19"])
    missing_layer, scores, numbers = fig.data
    codes = list(catalog.scored.sort_values("urutan").index)
    pivot = card.pivot(index="kode_kecamatan", columns="indikator", values="skor")
    expected = pivot.reindex(index=list(table["kode_kecamatan"]), columns=codes).to_numpy()
    z = np.array(scores.z, dtype=float)
    np.testing.assert_array_equal(np.isnan(z), np.isnan(expected))
    np.testing.assert_allclose(z[~np.isnan(z)], expected[~np.isnan(expected)])
    assert len(scores.y) == 25
    # Rows: by rank, unranked last; the chosen kecamatan in bold.
    ranked = table[table["diperingkat"]]
    assert scores.y[0] == f"<b>1. {ranked['kecamatan'].iloc[0]}</b>"
    assert all(label.startswith("— ") for label in scores.y[len(ranked):])
    # Missing cells: grey layer with '–' exactly where there is no score.
    grey = np.array(missing_layer.z, dtype=float)
    np.testing.assert_array_equal(~np.isnan(grey), np.isnan(expected))
    assert set(np.array(missing_layer.text)[np.isnan(expected)]) == {"–"}
    # Cell numbers: the score with 0 decimals, Indonesian format.
    shown = dict(zip(zip(numbers.y, numbers.x[1], strict=True), numbers.text, strict=True))
    first = table["kode_kecamatan"].iloc[0]
    assert shown[(scores.y[0], scores.x[1][0])] == formatting.angka(pivot.loc[first, codes[0]], 0)
    assert (scores.zmin, scores.zmax) == (0, 100)
    assert scores.x[0][0] == f"<br><b>{catalog.pilar.loc['kecepatan', 'nama']}</b>"  # apart from the labels (#15.5)
    assert "baik" in scores.colorbar.title.text
    assert formatting.bulan(periode) in fig.layout.title.text


def test_heatmap_is_polarity_aware_lower_waiting_time_is_a_higher_score(engine):
    card = engine["card"]
    waiting = card[card["indikator"] == "waktu_tunggu"].sort_values("nilai")
    assert waiting["skor"].is_monotonic_decreasing
    ikm = card[card["indikator"] == "ikm"].sort_values("nilai")
    assert ikm["skor"].is_monotonic_increasing


def test_heatmap_hover_names_value_period_and_source(engine):
    card, catalog, table = engine["card"], engine["catalog"], engine["table"]
    gap_code, gap_ind = _with_gap(card)
    fig = cbs.score_heatmap(card, table, catalog, engine["periode"])
    scores = fig.data[1]
    codes = list(catalog.scored.sort_values("urutan").index)
    row = list(table["kode_kecamatan"]).index(gap_code)
    assert "tidak ada data" in scores.hovertext[row][codes.index(gap_ind)]
    present = next(
        c for c in codes if c != gap_ind and (gap_code, c) in set(zip(card.kode_kecamatan, card.indikator, strict=True))
    )
    hover = scores.hovertext[row][codes.index(present)]
    assert "Periode nilai:" in hover and "Sumber: DATA CONTOH" in hover and "Nilai:" in hover


# --------------------------------------------------------------------------- scatter


def test_scatter_shows_raw_values_the_model_and_volume_as_size(engine):
    values, catalog, names, periode = engine["values"], engine["catalog"], engine["names"], engine["periode"]
    frame = cbs.scatter_frame(values, names, "waktu_tunggu", "ikm")
    chosen = ["12.09.19", "12.09.14"]
    fig = cbs.indicator_scatter(frame, "waktu_tunggu", "ikm", catalog, periode, chosen)
    points = {}
    for trace in fig.data:
        if trace.name == cb.model_label():
            continue
        for code, x, y, size in zip(trace.customdata, trace.x, trace.y, trace.marker.size, strict=True):
            points[code] = (x, y, size)
    raw = values.set_index(["kode_kecamatan", "indikator"])["nilai"]
    both = [c for c in names.index if (c, "waktu_tunggu") in raw.index and (c, "ikm") in raw.index]
    assert sorted(points) == sorted(both)
    for code in both:
        assert points[code][:2] == (raw[(code, "waktu_tunggu")], raw[(code, "ikm")])
    # Area grows with volume: sizes ordered like the volumes.
    volume = {c: raw.get((c, "volume_layanan")) for c in both}
    ordered = sorted((v, points[c][2]) for c, v in volume.items() if v is not None and not math.isnan(v))
    assert [s for _, s in ordered] == sorted(s for _, s in ordered)
    model = next(t for t in fig.data if t.name == cb.model_label())
    assert (model.x[0], model.y[0]) == (catalog.indikator.loc["waktu_tunggu", "model"],
                                        catalog.indikator.loc["ikm", "model"])
    assert {t.name for t in fig.data} >= {names[c] for c in chosen}
    assert "menit" in fig.layout.xaxis.title.text and "lebih rendah lebih baik" in fig.layout.xaxis.title.text
    assert "lebih rendah" not in fig.layout.yaxis.title.text
    assert formatting.bulan(periode) in fig.layout.title.text
    assert all("Sumber: DATA CONTOH" in h for t in fig.data if t.name != cb.model_label() for h in t.hovertext)


def test_scatter_without_volume_uses_one_size_and_says_so(engine):
    values = engine["values"][engine["values"]["indikator"] != "volume_layanan"]
    frame = cbs.scatter_frame(values, engine["names"], "tte", "permohonan_daring")
    fig = cbs.indicator_scatter(frame, "tte", "permohonan_daring", engine["catalog"], engine["periode"])
    sizes = {s for t in fig.data if t.name != cb.model_label() for s in t.marker.size}
    assert len(sizes) == 1
    assert "ukuran titik tetap" in fig.layout.title.text
    left_out = frame["x"].isna() | frame["y"].isna()
    if left_out.any():
        assert f"{int(left_out.sum())} kecamatan tidak ada data" in fig.layout.title.text


# --------------------------------------------------------------------------- small pieces


def test_default_choice_is_top_two_and_bottom_two():
    table = pd.DataFrame({
        "kode_kecamatan": ["a", "b", "c", "d", "e", "f"],
        "skor": [90, 80, 70, 60, 50, 95],
        "diperingkat": [True, True, True, True, True, False],
        "peringkat": [1, 2, 3, 4, 5, np.nan],
    })
    assert cb.default_choice(table) == ["a", "b", "d", "e"]
    few = table.assign(diperingkat=[True, False, False, False, False, False])
    assert cb.default_choice(few) == ["f", "a", "d", "e"]  # by composite when fewer than 4 ranked
    none = table.assign(diperingkat=False, skor=np.nan)
    assert cb.default_choice(none) == ["a", "b"]


def test_labels():
    assert cb.label_pendek("waktu_tunggu") == "Waktu tunggu"
    assert cb.label_pendek("ikm") == "IKM"
    assert cb.label_pendek("kepatuhan_sp") == "Kepatuhan SP"
    assert cb.axis_label("pengaduan_tuntas", 7) == "Pengad.<br>tuntas"
    assert cb.nilai_teks(float("nan"), pd.Series({"satuan": "menit"})) == "tidak ada data"
    assert cb.nilai_teks(3.456, pd.Series({"satuan": "indeks 0–5", "batas_max": "5"})) == "3,46 (indeks 0–5)"
    assert cb.nilai_teks(25.0, pd.Series({"satuan": "menit", "batas_max": "600"})) == "25\u00a0menit"


def test_model_note_names_the_source(engine):
    note = cb.model_note(engine["catalog"])
    assert note.startswith("Nilai model: ") and "Cimahi Tengah" in note


# --------------------------------------------------------------------------- the page (AppTest)


def app(db, use_db, with_demo=True, **query) -> AppTest:
    return open_page(db, use_db, PAGE, with_demo=with_demo, **query)


def _param(at, key):
    value = at.query_params.get(key)
    return value[0] if isinstance(value, list) else value


def _bars_table(at):
    return at.dataframe[0].value


def test_page_on_demo_data(demo_db, demo_store, use_db):
    at = app(demo_db, use_db)
    assert not at.exception
    assert at.title[0].value == "Perbandingan kecamatan"
    assert any("DATA CONTOH" in w.value for w in at.warning)
    latest = demo_store.latest_period()
    table = benchmark.league_table(demo_store, latest, draws=50)
    names = table.set_index("kode_kecamatan")["kecamatan"]
    default = cb.default_choice(table)
    assert at.multiselect(key="banding").value == default
    assert at.caption[0].value.startswith(formatting.bulan(latest))
    shown = _bars_table(at)
    assert list(shown.columns) == ["Indikator"] + [names[c] for c in default] + [cb.median_label()]
    assert len(shown) == 12
    card = benchmark.scorecard(demo_store, latest).set_index(["kode_kecamatan", "indikator"])["skor"]
    first = shown.set_index("Indikator").loc["Indeks Kepuasan Masyarakat", names[default[0]]]
    assert first == formatting.angka(card[(default[0], "ikm")], 1)
    assert any("Nilai model:" in c.value for c in at.caption)
    assert "banding" not in at.query_params  # the default needs no parameter


def test_choosing_kecamatan_updates_the_view_and_the_url(demo_db, use_db):
    at = app(demo_db, use_db)
    at.multiselect(key="banding").set_value(["12.09.08", "12.09.09", "12.09.10"]).run()
    assert not at.exception
    assert _param(at, "banding") == "12.09.08,12.09.09,12.09.10"
    assert list(_bars_table(at).columns)[1:4] == ["Meranti", "Air Joman", "Tanjung Balai"]
    assert list(at.dataframe[1].value["Kecamatan"]) == ["Meranti", "Air Joman", "Tanjung Balai",
                                                         cb.median_label(), cb.model_label()]


def test_kecamatan_from_the_url(demo_db, use_db):
    at = app(demo_db, use_db, banding="12.09.19,12.09.14")
    assert not at.exception
    assert at.multiselect(key="banding").value == ["12.09.19", "12.09.14"]
    assert list(_bars_table(at).columns)[1:3] == ["Kota Kisaran Barat", "Pulau Rakyat"]


@pytest.mark.parametrize("bad", ["xyz", "12.09.99,32.77.02", "1' OR '1'='1", "," * 50, "9" * 400])
def test_invalid_kecamatan_in_the_url_fall_back_quietly(demo_db, demo_store, use_db, bad):
    at = app(demo_db, use_db, banding=bad)
    assert not at.exception
    table = benchmark.league_table(demo_store, demo_store.latest_period(), draws=10)
    assert at.multiselect(key="banding").value == cb.default_choice(table)


def test_invalid_indicator_and_axis_in_the_url_fall_back_quietly(demo_db, use_db):
    at = app(demo_db, use_db, indikator="nope,<script>", sumbu_x="volume_layanan'--", sumbu_y="x")
    assert not at.exception
    assert len(_bars_table(at)) == 12
    assert at.selectbox(key="sumbu_x").value == "waktu_tunggu"
    assert at.selectbox(key="sumbu_y").value == "ikm"


def test_two_to_eight_kecamatan(demo_db, use_db):
    nine = ",".join(f"12.09.{n:02d}" for n in range(8, 17))
    at = app(demo_db, use_db, banding=nine)
    assert not at.exception
    assert len(at.multiselect(key="banding").value) == cb.MAX_KECAMATAN
    assert at.multiselect(key="banding").proto.max_selections == cb.MAX_KECAMATAN
    at.multiselect(key="banding").set_value(["12.09.19"]).run()
    assert not at.exception
    assert any("paling sedikit 2 kecamatan" in w.value for w in at.warning)
    # The bars and radar wait for a second kecamatan; heatmap and scatter still show all 25.
    assert not at.dataframe
    assert at.selectbox(key="sumbu_x").value == "waktu_tunggu"


def test_choosing_indicators_and_scatter_axes(demo_db, use_db):
    at = app(demo_db, use_db)
    at.multiselect(key="indikator").set_value(["tte", "ikm"]).run()
    assert not at.exception
    assert list(_bars_table(at)["Indikator"]) == ["Indeks Kepuasan Masyarakat",
                                                   "Dokumen keluaran bertanda tangan elektronik"]
    assert _param(at, "indikator") == "tte,ikm"
    at.selectbox(key="sumbu_x").set_value("volume_layanan").run()
    at.selectbox(key="sumbu_y").set_value("tepat_waktu").run()
    assert not at.exception
    assert _param(at, "sumbu_x") == "volume_layanan" and _param(at, "sumbu_y") == "tepat_waktu"
    at.multiselect(key="indikator").set_value([]).run()
    assert any("paling sedikit satu indikator" in i.value for i in at.info)


def test_changing_the_period_in_the_sidebar(demo_db, demo_store, use_db):
    at = app(demo_db, use_db, banding="12.09.19,12.09.14")
    at.sidebar.selectbox(key="periode").set_value("2025-06").run()
    assert not at.exception
    assert at.caption[0].value.startswith("Juni 2025")
    card = benchmark.scorecard(demo_store, per.parse("2025-06")).set_index(["kode_kecamatan", "indikator"])["skor"]
    shown = _bars_table(at).set_index("Indikator")
    expected = formatting.angka(card.get(("12.09.19", "ipp")), 1)
    assert shown.loc["Indeks Pelayanan Publik (PEKPPP mandiri)", "Kota Kisaran Barat"] == expected
    assert at.multiselect(key="banding").value == ["12.09.19", "12.09.14"]  # the choice is kept


def test_period_from_the_url(demo_db, use_db):
    at = app(demo_db, use_db, periode="2024-03")
    assert not at.exception
    assert at.caption[0].value.startswith("Maret 2024")


def test_empty_database_explains_instead_of_failing(empty_db, use_db):
    at = app(empty_db, use_db, with_demo=False)
    assert not at.exception
    assert at.title[0].value == "Perbandingan kecamatan"
    assert "Belum ada data layanan" in at.info[0].value
    assert not any("DATA CONTOH" in w.value for w in at.warning)


def _demo_copy_without(demo_db, tmp_path, where: str) -> Path:
    """A copy of the demo database with some observations deleted through the store's write
    gateway (the fingerprint stays that of data/, so the app does not rebuild it)."""
    db = tmp_path / "tiru.duckdb"
    shutil.copyfile(demo_db, db)
    write(db, lambda con, batch: con.execute(f"DELETE FROM observasi WHERE {where}"),
          jenis="uji", oleh="tests/test_banding.py")
    return db


def test_kecamatan_without_any_data(demo_db, tmp_path, use_db):
    db = _demo_copy_without(demo_db, tmp_path, "kode_kecamatan = '12.09.10'")
    at = app(db, use_db, banding="12.09.08,12.09.10")
    assert not at.exception
    assert any("Tanjung Balai: tidak ada nilai indikator" in w.value for w in at.warning)
    shown = _bars_table(at).set_index("Indikator")
    assert set(shown["Tanjung Balai"]) == {"—"}
    assert "—" not in set(shown["Meranti"])
    assert any("Tidak tampil karena tidak ada data" in c.value and "Tanjung Balai" in c.value for c in at.caption)
    radar_numbers = at.dataframe[1].value.set_index("Kecamatan")
    assert set(radar_numbers.loc["Tanjung Balai"]) == {"—"}


def test_months_with_only_context_values(demo_db, tmp_path, use_db):
    db = _demo_copy_without(demo_db, tmp_path, "indikator <> 'volume_layanan'")
    at = app(db, use_db)
    assert not at.exception
    assert at.title[0].value == "Perbandingan kecamatan"
    assert any("Tidak ada nilai indikator" in i.value for i in at.info)


# --------------------------------------------------------------------------- English (?bahasa=en)


def test_bars_and_table_in_english_have_english_words_and_numbers(engine):
    card, catalog, names, periode = engine["card"], engine["catalog"], engine["names"], engine["periode"]
    with bahasa.dalam("en"):
        fig = cb.score_bars(card, ["12.09.19", "12.09.14"], ["ikm", "waktu_tunggu"], catalog, names, periode)
        table = cb.score_table(card, ["12.09.19", "12.09.14"], ["ipp", "waktu_tunggu"], catalog, names)
        row = card.set_index(["kode_kecamatan", "indikator"]).loc[("12.09.19", "waktu_tunggu")]
        value = cb.nilai_teks(row["nilai"], catalog.indikator.loc["waktu_tunggu"])
        score = formatting.angka(row["skor"], 1)
        month = formatting.bulan(int(row["periode_nilai"]))
        ipp = formatting.angka(card.set_index(["kode_kecamatan", "indikator"])["skor"][("12.09.19", "ipp")], 1)
        title_month = formatting.bulan(periode)
    assert title_month == "October 2026"
    assert fig.layout.title.text.startswith("Score per indicator: chosen kecamatan, Asahan median and the model")
    assert title_month in fig.layout.title.text
    assert fig.layout.separators == ".,"
    assert fig.layout.yaxis.title.text == "Score (0–100, model = 100)"
    assert fig.layout.xaxis.title.text == "Indicators, grouped by pillar"
    bar = next(t for t in fig.data if t.name == names["12.09.19"])
    assert list(bar.x[1]) == ["Waiting<br>time", "IKM"]
    assert list(bar.x[0]) == [f"<br><b>{catalog.pilar.loc[p, 'nama_en']}</b>" for p in ("kecepatan", "kepuasan")]
    assert any(a.text == "Model (Cimahi Tengah) = 100" for a in fig.layout.annotations)
    assert {"Asahan median"} <= {t.name for t in fig.data}
    hover = bar.hovertext[0]
    assert hover.startswith(f"<b>{names['12.09.19']}</b><br>Average waiting time before service<br>")
    assert value.endswith("\u00a0minutes") and f"Value: {value}" in hover
    assert f"Score: {score} of 100" in hover and "." in score
    assert f"Value period: {month}" in hover and "Source: DEMO DATA" in hover
    assert list(table.columns) == ["Indicator", names["12.09.19"], names["12.09.14"], "Asahan median"]
    assert list(table["Indicator"]) == ["Average waiting time before service",
                                        "Public Service Index (PEKPPP self-assessment)"]
    assert table.loc[1, names["12.09.19"]] == ipp and "." in ipp


def test_radar_heatmap_and_scatter_in_english(engine):
    card, catalog, names, periode, table = (engine["card"], engine["catalog"], engine["names"], engine["periode"],
                                            engine["table"])
    pillars = list(catalog.pilar.sort_values("urutan").index)
    with bahasa.dalam("en"):
        radar = cb.pillar_radar(card, ["12.09.19", "12.09.14"], catalog, names, periode)
        numbers = cb.pillar_score_table(card, ["12.09.19", "12.09.14"], catalog, names)
        heat = cbs.score_heatmap(card, table, catalog, periode)
        frame = cbs.scatter_frame(engine["values"], names, "waktu_tunggu", "ikm")
        scatter = cbs.indicator_scatter(frame, "waktu_tunggu", "ikm", catalog, periode, ["12.09.19"])
        mean = card[(card["kode_kecamatan"] == "12.09.19") & (card["pilar"] == pillars[0])]["skor"].mean()
        first = formatting.angka(mean, 1)
        top = table["kode_kecamatan"].iloc[0]
        codes = list(catalog.scored.sort_values("urutan").index)
        cell = card.set_index(["kode_kecamatan", "indikator"]).loc[(top, codes[0])]
        cell_text = (f"Score: {formatting.angka(cell['skor'], 1)}<br>"
                     f"Value: {cb.nilai_teks(cell['nilai'], catalog.indikator.loc[codes[0]])}<br>"
                     f"Value period: {formatting.bulan(int(cell['periode_nilai']))}<br>Source: DEMO DATA")
    assert radar.layout.title.text.startswith("Pillar scores<br><sup>October 2026")
    trace = next(t for t in radar.data if t.name == names["12.09.19"])
    assert list(trace.theta[:-1]) == list(catalog.pilar.loc[pillars, "nama_en"])
    assert trace.hovertext[0].startswith(f"<b>{names['12.09.19']}</b><br>{catalog.pilar.loc[pillars[0], 'nama_en']}"
                                         f" pillar: {first}<br>mean of ")
    assert list(numbers.columns) == ["Kecamatan", *catalog.pilar.loc[pillars, "nama_en"]]
    assert list(numbers["Kecamatan"])[-2:] == ["Asahan median", "Model (Cimahi Tengah)"]
    assert numbers.iloc[0, 1] == first
    assert heat.layout.title.text.startswith("Scores of every kecamatan × every indicator")
    assert "grey cell “–” = no data" in heat.layout.title.text
    assert heat.data[1].colorbar.title.text == "Score<br>0–100<br>(high =<br>good)"
    assert cell_text in heat.data[1].hovertext[0][0]
    assert heat.data[2].text[0] == formatting.angka(cell["skor"], 0)
    assert scatter.layout.title.text.startswith("Waiting time and IKM by kecamatan<br><sup>October 2026 · raw values")
    assert scatter.layout.xaxis.title.text.replace("<br>", " ").startswith(
        "Average waiting time before service (minutes)"
    )
    assert "lower is better" in scatter.layout.xaxis.title.text
    assert scatter.layout.yaxis.title.text.replace("<br>", " ") == "Community Satisfaction Index (index 25–100)"
    assert {"Other Asahan kecamatan", "Model (Cimahi Tengah)"} <= {t.name for t in scatter.data}


def test_labels_in_english():
    with bahasa.dalam("en"):
        assert cb.label_pendek("waktu_tunggu") == "Waiting time"
        assert cb.label_pendek("kepatuhan_sp") == "Service standards"
        assert cb.label_pendek("kode_baru") == "Kode baru"  # not in the catalogue: made from the code
        assert cb.nilai_teks(float("nan"), pd.Series({"satuan": "menit"})) == "no data"
        assert cb.nilai_teks(3.456, pd.Series({"satuan": "indeks 0–5", "batas_max": "5"})) == "3.46 (index 0–5)"
        assert cb.nilai_teks(1250.0, pd.Series({"satuan": "menit", "batas_max": "9999"})) == "1,250\u00a0minutes"
        assert cb.nilai_teks(87.5, pd.Series({"satuan": "%", "batas_max": "100"})) == "87.5%"
    assert cb.nilai_teks(87.5, pd.Series({"satuan": "%", "batas_max": "100"})) == "87,5\u00a0%"


def test_page_in_english(demo_db, demo_store, use_db):
    at = app(demo_db, use_db, bahasa="en")
    assert not at.exception
    assert at.title[0].value == "Kecamatan comparison"
    latest = demo_store.latest_period()
    table = benchmark.league_table(demo_store, latest, draws=50)
    names = table.set_index("kode_kecamatan")["kecamatan"]
    default = cb.default_choice(table)
    assert at.multiselect(key="banding").label == "Kecamatan to compare (2–8)"
    assert at.caption[0].value.startswith("October 2026 · Score 0–100 = distance to the model")
    shown = _bars_table(at)
    assert list(shown.columns) == ["Indicator"] + [names[c] for c in default] + ["Asahan median"]
    card = benchmark.scorecard(demo_store, latest).set_index(["kode_kecamatan", "indikator"])["skor"]
    with bahasa.dalam("en"):
        expected = formatting.angka(card[(default[0], "ikm")], 1)
    assert shown.set_index("Indicator").loc["Community Satisfaction Index", names[default[0]]] == expected
    assert any(c.value.startswith("Model values: ") and c.value.endswith("Details on the Methodology page.")
               for c in at.caption)
    assert list(at.dataframe[1].value["Kecamatan"])[-2:] == ["Asahan median", "Model (Cimahi Tengah)"]
    assert at.selectbox(key="sumbu_x").label == "X axis" and at.selectbox(key="sumbu_x").value == "waktu_tunggu"
    assert "Waiting time" in at.selectbox(key="sumbu_x").options
    at.multiselect(key="banding").set_value(["12.09.19"]).run()
    assert not at.exception
    assert any(w.value.startswith("Choose at least 2 kecamatan (at most 8)") for w in at.warning)


def test_every_kecamatan_and_the_median_are_filled_patterned_bars_in_the_legend(engine):
    # never colour alone, never empty: the patterns are drawn over each bar's colour (only the
    # 'tidak ada data' columns are hollow, on purpose)
    from test_charts import assert_bars_visible

    card, catalog, names, periode = engine["card"], engine["catalog"], engine["names"], engine["periode"]
    chosen = sorted(card["kode_kecamatan"].unique())[:4]
    fig = cb.score_bars(card, chosen, list(catalog.scored.index), catalog, names, periode)
    filled = [t for t in fig.data if t.legendgroup != "tidak_ada_data"]
    assert {t.name for t in filled if t.type == "bar"} >= {names[c] for c in chosen} | {cb.median_label()}
    fig.data = filled
    assert_bars_visible(fig)
