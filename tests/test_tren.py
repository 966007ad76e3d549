"""Tren: the projection engine on constructed series, the builders against independently
computed numbers, and the page in AppTest (demo, empty, URL state, interactions)."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from page_support import open_page
from streamlit.testing.v1 import AppTest

from metrics.charts import grafik_tren as charts_tren
from metrics.core import bahasa, formatting
from metrics.core import periode as per
from metrics.engine import benchmark, tren

ROOT = Path(__file__).resolve().parent.parent
P = per.parse("2026-10")
PAGE = "pages/tren_indikator.py"


def line(start: float, slope: float, months: int = 12, end: int = P) -> pd.Series:
    """`months` monthly values ending at `end`, where the value is `start`, changing by `slope`."""
    index = list(range(end - months + 1, end + 1))
    return pd.Series([start + slope * (t - end) for t in index], index=index, dtype=float)


# --------------------------------------------------------------------------- projection


def test_improving_lower_is_better_reaches_the_model_in_the_month_computed_by_hand():
    # 50 now, −2 per month, model 12: (12 − 50) / −2 = 19 months after Oktober 2026 = Mei 2028.
    p = tren.project(line(50, -2), P, model=12, arah="lower", satuan="menit")
    assert p.status == tren.REACHED
    assert p.months_used == 12
    assert p.slope == pytest.approx(-2) and p.fitted_now == pytest.approx(50)
    assert p.reach == per.parse("2028-05")
    assert "Mei 2028" in p.reason and "−2,00\u00a0menit per bulan" in p.reason
    assert p.summary == "sekitar Mei 2028"


def test_improving_higher_is_better_rounds_the_crossing_up_to_a_whole_month():
    # 40 now, +1,5 per month, model 71: 31/1,5 = 20,67 months -> the 21st month (Juli 2028).
    p = tren.project(line(40, 1.5), P, model=71, arah="higher", satuan="%")
    assert p.status == tren.REACHED
    assert p.reach == P + 21 == per.parse("2028-07")
    assert "poin persen per bulan" in p.reason


def test_worsening_is_not_reached_at_the_current_pace():
    p = tren.project(line(60, 1), P, model=12, arah="lower", satuan="menit")
    assert p.status == tren.NOT_REACHED and p.reach is None
    assert "tidak tercapai dengan laju saat ini" in p.reason.lower() and "menjauh" in p.reason
    up = tren.project(line(60, -1), P, model=90, arah="higher", satuan="%")
    assert up.status == tren.NOT_REACHED and up.reach is None


def test_flat_is_not_reached():
    p = tren.project(line(60, 0), P, model=12, arah="lower", satuan="menit")
    assert p.status == tren.NOT_REACHED and p.reach is None
    assert "datar" in p.reason and p.summary == "tidak tercapai: laju datar"


def test_already_at_or_beyond_the_model_whatever_the_trend():
    lower = tren.project(line(11, 0.5), P, model=12, arah="lower", satuan="menit")  # rising, but still below 12
    assert lower.status == tren.ALREADY and lower.reach is None
    assert "melampaui model" in lower.reason
    higher = tren.project(line(90, 0), P, model=90, arah="higher", satuan="%")  # exactly at the model
    assert higher.status == tren.ALREADY


def test_too_few_values_in_the_last_twelve_months():
    values = pd.concat([line(80, -1, months=5, end=P - 20), line(60, -1, months=5)])  # 5 old + 5 recent
    p = tren.project(values, P, model=12, arah="lower", satuan="menit")
    assert p.status == tren.TOO_FEW and p.months_used == 5 and p.slope is None and p.reach is None
    assert "minimal 6" in p.reason


def test_gaps_count_only_reported_months_and_the_fit_is_theil_sen():
    values = line(50, -2).copy()
    values.iloc[[2, 5, 7]] = np.nan
    values.iloc[4] += 3  # noise: the slope is the median of pairwise slopes, not end-to-end
    p = tren.project(values, P, model=12, arah="lower", satuan="menit")
    known = values.dropna()
    x, y = (known.index - P).to_numpy(dtype=float), known.to_numpy()
    i, j = np.triu_indices(len(x), k=1)
    slope = np.median((y[j] - y[i]) / (x[j] - x[i]))
    intercept = np.median(y - slope * x)
    assert p.months_used == 9
    assert p.slope == pytest.approx(slope) and p.fitted_now == pytest.approx(intercept)
    assert p.fitted(P + 3) == pytest.approx(intercept + 3 * slope)


def test_one_typo_cannot_swing_the_projection():
    """Kota Kisaran Timur's 240 minutes in March 2026 among ≈ 42 in every other month: a least-squares
    line would reach the model around 2028; the robust slope stays flat (not reached)."""
    values = pd.Series(42.0 + 0.1 * np.sin(np.arange(12)), index=range(P - 11, P + 1))
    values[per.parse("2026-03")] = 240.0
    p = tren.project(values, P, model=12, arah="lower", satuan="menit")
    assert p.status == tren.NOT_REACHED and p.reach is None
    assert abs(p.slope) < 0.1 and p.fitted_now == pytest.approx(42, abs=0.2)


def test_a_pace_slower_than_ten_years_is_not_reached():
    p = tren.project(line(60, -0.1), P, model=12, arah="lower", satuan="menit")  # 480 months away
    assert p.status == tren.NOT_REACHED and p.reach is None and "10 tahun" in p.reason


def test_only_the_window_ending_at_the_chosen_month_counts():
    values = pd.concat([line(50, -2), pd.Series([200.0] * 3, index=[P + 1, P + 2, P + 3])])
    assert tren.project(values, P, model=12, arah="lower").slope == pytest.approx(-2)


# --------------------------------------------------------------------------- series


def obs(rows):
    return pd.DataFrame(rows, columns=["kode_kecamatan", "periode", "indikator", "nilai"]).assign(
        periode=lambda f: f["periode"].map(per.parse), demo=True, sumber="uji")


def test_series_has_a_nan_row_for_every_missing_month_and_semester_indicators_only_their_months():
    o = obs([
        ("A", "2026-01", "waktu_tunggu", 30), ("A", "2026-03", "waktu_tunggu", 28),
        ("B", "2026-02", "waktu_tunggu", 50),
        ("A", "2025-12", "ikm", 70), ("B", "2025-12", "ikm", 75), ("A", "2026-06", "ikm", 72),
    ])
    months = tren.months_shown(o, "waktu_tunggu", "bulanan", per.parse("2025-10"), per.parse("2026-04"))
    assert months == list(range(per.parse("2026-01"), per.parse("2026-04") + 1))  # from the first report
    frame = tren.series(o, "waktu_tunggu", ["A", "B"], months)
    assert len(frame) == 8
    a = frame[frame["kode_kecamatan"] == "A"]["nilai"].tolist()
    assert a[0] == 30 and np.isnan(a[1]) and a[2] == 28 and np.isnan(a[3])
    semester = tren.months_shown(o, "ikm", "semesteran", per.parse("2025-01"), per.parse("2026-10"))
    assert semester == [per.parse("2025-12"), per.parse("2026-06")]
    assert tren.months_shown(o, "ipp", "tahunan", per.parse("2025-01"), per.parse("2026-10")) == []
    med = tren.median(o, "ikm", ["A", "B"], semester)
    assert med["median"].tolist() == [72.5, 72.0] and med["n"].tolist() == [2, 1]


def test_targets_for_everyone_and_for_the_chosen_kecamatan():
    t = pd.DataFrame({
        "indikator": ["waktu_tunggu", "waktu_tunggu", "waktu_tunggu", "ikm"],
        "nilai": [30.0, 25.0, 20.0, 80.0],
        "tanggal": pd.to_datetime(["2026-12-31", "2026-06-30", "2026-06-30", "2026-12-31"]),
        "kode_kecamatan": [None, "12.09.19", "12.09.20", None],
        "batch": ["demo-x", "user-1", "user-1", "demo-x"],
    })
    out = tren.targets(t, "waktu_tunggu", ["12.09.19"], {"demo-x"})
    assert out["nilai"].tolist() == [25.0, 30.0]
    assert out["periode"].tolist() == [per.parse("2026-06"), per.parse("2026-12")]
    assert out["demo"].tolist() == [False, True]
    assert tren.targets(t.iloc[0:0], "waktu_tunggu").empty


def test_default_kecamatan_are_the_three_best_and_three_worst(demo_store):
    card = benchmark.scorecard(demo_store, demo_store.latest_period())
    rows = card[card["indikator"] == "waktu_tunggu"].sort_values("selisih")
    chosen = tren.default_kecamatan(card, "waktu_tunggu")
    assert chosen == list(rows["kode_kecamatan"].iloc[:3]) + list(rows["kode_kecamatan"].iloc[-3:])


def test_units_in_indonesian():
    assert formatting.nilai(1234.5, "menit") == "1.234,5\u00a0menit"
    assert formatting.nilai(70.25, "%") == "70,2\u00a0%" or formatting.nilai(70.25, "%") == "70,3\u00a0%"
    assert formatting.nilai(82, "indeks 25–100") == "82,0"
    assert formatting.nilai(21, "jenis") == "21\u00a0jenis"
    assert formatting.nilai(float("nan"), "menit") == "—"


# --------------------------------------------------------------------------- builders


@pytest.fixture(scope="module")
def demo(demo_store):
    latest = demo_store.latest_period()
    first = demo_store.periods()[0]
    observasi = demo_store.observasi(first, latest)
    cat = benchmark.catalog(demo_store)
    names = benchmark.names(demo_store)
    asahan = list(demo_store.kecamatan("Asahan")["kode"])
    return dict(latest=latest, first=first, observasi=observasi, cat=cat, names=names, asahan=asahan)


def build_trend(demo, code, chosen):
    meta = demo["cat"].indikator.loc[code]
    months = tren.months_shown(demo["observasi"], code, meta["frekuensi"], demo["first"], demo["latest"])
    frame = tren.series(demo["observasi"], code, chosen, months)
    med = tren.median(demo["observasi"], code, demo["asahan"], months)
    return meta, months, frame, med


def test_trend_chart_shows_exactly_the_data_the_pandas_median_and_the_model(demo, demo_store):
    o = demo["observasi"]
    _, months, _, _ = build_trend(demo, "waktu_tunggu", [])
    wide = (o[(o["indikator"] == "waktu_tunggu")].pivot(index="periode", columns="kode_kecamatan", values="nilai")
            .reindex(months))
    gappy = next(k for k in demo["asahan"] if wide[k].isna().any())  # the demo has missing reports
    chosen = ["12.09.19", gappy]
    meta, months, frame, med = build_trend(demo, "waktu_tunggu", chosen)
    batches = demo_store.batches()
    demo_batches = set(batches.loc[batches["demo"], "id"])
    target = tren.targets(demo_store.target_indikator(), "waktu_tunggu", chosen, demo_batches)
    fig = charts_tren.trend_chart(frame, med, meta, demo["names"], target, months)
    by_name = {t.name: t for t in fig.data}

    # Each kecamatan: one point per month, the observed value or NaN (a gap), never joined.
    for kode in chosen:
        trace = by_name[demo["names"][kode]]
        assert list(trace.x) == months and trace.connectgaps is False
        np.testing.assert_allclose(np.array(trace.y, dtype=float), wide[kode].to_numpy(), equal_nan=True)
    assert np.isnan(np.array(by_name[demo["names"][gappy]].y, dtype=float)).any()

    # The median of the 25 Asahan kecamatan, computed here with pandas.
    expected = wide[demo["asahan"]].median(axis=1, skipna=True)
    median = by_name["Median 25 kecamatan Asahan"]
    np.testing.assert_allclose(np.array(median.y, dtype=float), expected.to_numpy(), equal_nan=True)

    model = next(t for t in fig.data if t.name.startswith("Model"))
    assert list(model.y) == [12.0, 12.0] and "Nilai contoh untuk Kecamatan Cimahi Tengah" in model.name.replace(
        "<br>", " "
    )
    assert "Sumber: Nilai contoh" in model.hovertext[0]
    target_trace = next(t for t in fig.data if t.name.startswith("Target"))
    assert list(target_trace.y) == [30.0, 30.0] and "Desember 2026" in target_trace.name
    assert "DATA CONTOH" in target_trace.hovertext[0]

    assert "(menit)" in fig.layout.title.text and formatting.bulan(demo["latest"]) in fig.layout.title.text
    assert "lebih rendah lebih baik" in fig.layout.yaxis.title.text
    assert fig.layout.separators == ",."
    assert all(label.split()[0] in {"Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"}
               for label in fig.layout.xaxis.ticktext)
    hovers = [h for h in by_name[demo["names"]["12.09.19"]].hovertext]
    assert all("Sumber: DATA CONTOH" in h and "Periode: " in h for h in hovers)
    assert "Oktober 2026" in hovers[-1] and "menit" in hovers[-1]


def test_a_confirmed_outlier_does_not_stretch_the_axis_and_is_shown_at_its_edge(demo):
    """The demo's confirmed 240 minutes (Kota Kisaran Timur, March 2026) is far above every other
    value: the y axis is set by the ordinary values, the outlier marked at the axis's edge with its real
    value, the line's own data unchanged, and the chart says a value lies outside the axis."""
    chosen = ["12.09.19", "12.09.20"]
    meta, months, frame, med = build_trend(demo, "waktu_tunggu", chosen)
    fig = charts_tren.trend_chart(frame, med, meta, demo["names"], None, months)
    confirmed = frame[frame["dikonfirmasi"]]
    assert list(confirmed["nilai"]) == [240.0]
    ordinary = max(frame.loc[~frame["dikonfirmasi"], "nilai"].max(), med["median"].max(), float(meta["model"]))
    bottom, top = fig.layout.yaxis.range
    assert bottom == 0 and ordinary < top < 240  # every ordinary value shown, the outlier left out
    marker = next(t for t in fig.data if t.name == "⚑ Nilai di luar kebiasaan, dikonfirmasi")
    assert list(marker.x) == [per.parse("2026-03")] and list(marker.y) == [top]  # at the edge
    assert marker.cliponaxis is False
    assert "240,0\u00a0menit (dikonfirmasi)" in marker.text[0]
    assert "240,0\u00a0menit" in marker.hovertext[0] and "di luar sumbu" in marker.hovertext[0].lower()
    line = next(t for t in fig.data if t.name == demo["names"]["12.09.20"])
    assert 240.0 in list(line.y)  # nothing altered: the line still goes to its real value
    assert "1 nilai dikonfirmasi di luar sumbu" in fig.layout.title.text
    # Without a confirmed outlier beyond them, the axis is left to Plotly as before and no note is added.
    meta, months, frame, med = build_trend(demo, "waktu_tunggu", ["12.09.19"])
    fig = charts_tren.trend_chart(frame, med, meta, demo["names"], None, months)
    assert fig.layout.yaxis.range is None and "di luar sumbu" not in fig.layout.title.text


def test_the_small_multiples_and_the_projection_leave_the_confirmed_outlier_at_the_edge_too(demo):
    meta, months, frame, med = build_trend(demo, "waktu_tunggu", demo["asahan"])
    fig = charts_tren.small_multiples(frame, med, meta, demo["names"], months)
    top = fig.layout.yaxis.range[1]
    assert frame.loc[~frame["dikonfirmasi"], "nilai"].max() < top < 240  # one scale for all 25, set by the rest
    marker = next(t for t in fig.data if t.name == "⚑ Nilai di luar kebiasaan, dikonfirmasi")
    assert list(marker.y) == [top] and "240,0\u00a0menit (dikonfirmasi)" in marker.text[0]
    assert "di luar sumbu" in fig.layout.title.text
    meta, months, frame, med = build_trend(demo, "waktu_tunggu", ["12.09.20"])
    projection = tren.project(frame.set_index("periode")["nilai"], demo["latest"], 12.0, "lower", "menit")
    fig = charts_tren.projection_chart(frame, projection, meta, "Kota Kisaran Timur")
    assert fig.layout.yaxis.range[1] < 240 and "di luar sumbu" in fig.layout.title.text
    marker = next(t for t in fig.data if t.name == "⚑ Nilai di luar kebiasaan, dikonfirmasi")
    assert "240,0\u00a0menit (dikonfirmasi)" in marker.text[0]


def test_semester_indicator_is_plotted_at_its_reporting_months_only(demo):
    meta, months, frame, med = build_trend(demo, "ikm", ["12.09.19"])
    assert len(months) == 6 and all(per.fmt(m)[5:] in ("06", "12") for m in months)
    fig = charts_tren.trend_chart(frame, med, meta, demo["names"], None, months)
    assert list(fig.data[0].x) == months


def test_small_multiples_have_25_panels_with_the_data_the_median_and_the_model(demo):
    meta, months, frame, med = build_trend(demo, "tte", demo["asahan"])
    fig = charts_tren.small_multiples(frame, med, meta, demo["names"], months, highlight=["12.09.19"])
    titles = [a.text for a in fig.layout.annotations if a.yref == "paper"]
    assert len(titles) == 25
    assert "<b>Kota Kisaran Barat</b>" in titles
    plain = [t.replace("<b>", "").replace("</b>", "") for t in titles]
    assert plain == sorted(plain)
    for kode in demo["asahan"]:
        nama = demo["names"][kode]
        trace = next(t for t in fig.data if t.name == nama)
        expected = frame[frame["kode_kecamatan"] == kode]["nilai"].to_numpy()
        np.testing.assert_allclose(np.array(trace.y, dtype=float), expected, equal_nan=True)
        panel = [t for t in fig.data if t.xaxis == trace.xaxis]
        assert any(t.name == "Model" and list(t.y) == [90.0, 90.0] for t in panel)
        assert any(t.name == "Median Asahan" for t in panel)
    assert all(getattr(fig.layout, name).matches == "y" for name in fig.layout
               if name.startswith("yaxis") and name != "yaxis")  # one y scale for all 25
    # A range on the shared x axes empties every panel in plotly.js: none is set.
    assert all(getattr(fig.layout, name).range is None for name in fig.layout if name.startswith("xaxis"))
    assert "(%)" in fig.layout.title.text and "Oktober 2026" in fig.layout.title.text


def test_the_demo_typo_does_not_make_kisaran_timur_reach_the_model(demo):
    """The demo's 240-minute typo (12.09.20, March 2026) no longer turns 'not reached' into 2028."""
    _, _, frame, _ = build_trend(demo, "waktu_tunggu", ["12.09.20"])
    values = frame.set_index("periode")["nilai"]
    assert values[per.parse("2026-03")] == 240
    assert tren.project(values, demo["latest"], 12.0, "lower", "menit").status == tren.NOT_REACHED


def test_projection_chart_draws_the_engine_line_to_the_reach_month(demo):
    meta, months, frame, med = build_trend(demo, "waktu_tunggu", ["12.09.19"])
    projection = tren.project(frame.set_index("periode")["nilai"], demo["latest"], 12.0, "lower", "menit")
    assert projection.status == tren.REACHED
    fig = charts_tren.projection_chart(frame, projection, meta, "Kota Kisaran Barat")
    fitted = next(t for t in fig.data if t.name == "Garis tren 12 bulan")
    assert list(fitted.x) == [projection.first, projection.reach]
    np.testing.assert_allclose(fitted.y, [projection.fitted(projection.first), projection.fitted(projection.reach)])
    assert fitted.y[-1] <= 12.0 + 1e-9  # reached by then
    assert any(shape.x0 == projection.reach for shape in fig.layout.shapes)
    assert formatting.bulan(projection.reach) in " ".join(a.text for a in fig.layout.annotations)


# --------------------------------------------------------------------------- page


def app(db, use_db, with_demo=True, **query) -> AppTest:
    return open_page(db, use_db, PAGE, with_demo=with_demo, **query)


def projection_table(at):
    return at.dataframe[0].value


def test_tren_on_demo_data(demo_db, demo_store, use_db):
    at = app(demo_db, use_db)
    assert not at.exception
    assert at.title[0].value == "Tren indikator"
    assert any("DATA CONTOH" in w.value for w in at.warning)
    assert at.selectbox(key="indikator").value == "waktu_tunggu"
    latest = demo_store.latest_period()
    card = benchmark.scorecard(demo_store, latest)
    default = tren.default_kecamatan(card, "waktu_tunggu")
    assert at.multiselect(key="kecamatan").value == default
    names = benchmark.names(demo_store)
    table = projection_table(at)
    assert list(table["Kecamatan"]) == [names[k] for k in default]
    assert (at.metric[1].label, at.metric[1].value) == ("Model (menit)", "12,0")  # the unit in the label
    assert at.metric[2].value == "30,0"  # the demo target
    assert "lebih rendah lebih baik" in at.caption[0].value
    assert "kecamatan" not in at.query_params and "indikator" not in at.query_params  # defaults stay out of the URL


def test_tren_on_an_empty_database(empty_db, use_db):
    at = app(empty_db, use_db, with_demo=False)
    assert not at.exception
    assert at.title[0].value == "Tren indikator"
    assert "Belum ada data layanan" in at.info[0].value


def test_url_chooses_indicator_and_kecamatan(demo_db, use_db):
    at = app(demo_db, use_db, indikator="ikm", kecamatan="12.09.19,12.09.20")
    assert not at.exception
    assert at.selectbox(key="indikator").value == "ikm"
    assert at.multiselect(key="kecamatan").value == ["12.09.19", "12.09.20"]
    table = projection_table(at)
    assert list(table["Kecamatan"]) == ["Kota Kisaran Barat", "Kota Kisaran Timur"]
    assert table["Model tercapai"].str.startswith("data terlalu sedikit").all()  # semesteran: 2 values a year
    assert "semesteran" in at.caption[0].value


@pytest.mark.parametrize("query", [
    {"indikator": "indeks", "kecamatan": "12.09.19,bukan,32.77.02"},
    {"indikator": "'; DROP TABLE observasi; --", "kecamatan": "zzz"},
    {"indikator": "x" * 300, "kecamatan": ","},
])
def test_invalid_url_values_fall_back_quietly(demo_db, demo_store, use_db, query):
    at = app(demo_db, use_db, **query)
    assert not at.exception
    assert at.selectbox(key="indikator").value == "waktu_tunggu"
    chosen = at.multiselect(key="kecamatan").value
    if query["kecamatan"].startswith("12.09.19"):
        assert chosen == ["12.09.19"]  # the valid one is kept, Cimahi and junk dropped
    else:
        card = benchmark.scorecard(demo_store, demo_store.latest_period())
        assert chosen == tren.default_kecamatan(card, "waktu_tunggu")


def test_choosing_indicator_kecamatan_and_period(demo_db, demo_store, use_db):
    at = app(demo_db, use_db)
    at.selectbox(key="indikator").set_value("tte").run()
    assert not at.exception
    assert at.caption[0].value.startswith("Dokumen keluaran bertanda tangan elektronik")
    assert at.query_params["indikator"] in (["tte"], "tte")
    assert (at.metric[1].label, at.metric[1].value) == ("Model (%)", "90,0")

    at.multiselect(key="kecamatan").set_value(["12.09.08", "12.09.15"]).run()
    assert list(projection_table(at)["Kecamatan"]) == ["Meranti", "Bandar Pulau"]
    assert at.query_params["kecamatan"] in (["12.09.08,12.09.15"], "12.09.08,12.09.15")

    at.sidebar.selectbox(key="periode").set_value("2025-06").run()
    assert not at.exception
    june = per.parse("2025-06")
    values = demo_store.observasi(june - 11, june)
    table = projection_table(at)
    for kode, shown in zip(["12.09.08", "12.09.15"], table["Nilai terakhir"], strict=True):
        mine = values[(values["kode_kecamatan"] == kode) & (values["indikator"] == "tte")].sort_values("periode")
        assert shown == formatting.nilai(mine["nilai"].iloc[-1], "%")
    assert "Juni 2025" in at.caption[0].value

    at.selectbox(key="proyeksi").set_value("12.09.15").run()
    assert not at.exception
    assert at.query_params["proyeksi"] in (["12.09.15"], "12.09.15")


def test_a_month_before_the_indicator_was_reported_gives_a_message(demo_db, use_db):
    at = app(demo_db, use_db, periode="2023-12", indikator="waktu_tunggu")
    assert not at.exception
    assert any("Belum ada data Rata-rata waktu tunggu" in i.value for i in at.info)


def test_a_kecamatan_without_data_gives_a_message(demo_db, use_db):
    # In the demo, Tanjung Balai first reports permohonan_daring after Januari 2024.
    at = app(demo_db, use_db, periode="2024-01", indikator="permohonan_daring", kecamatan="12.09.08,12.09.10")
    assert not at.exception
    assert any("Tanjung Balai" in w.value and "Tidak ada data" in w.value for w in at.warning)
    table = projection_table(at)
    assert list(table["Model tercapai"]) == ["data terlalu sedikit (1 dari minimal 6 nilai)",
                                             "data terlalu sedikit (0 dari minimal 6 nilai)"]
    assert list(table["Nilai terakhir"])[1] == "—"


# --------------------------------------------------------------------------- English (?bahasa=en)


def test_projection_texts_and_units_in_english():
    with bahasa.dalam("en"):
        reached = tren.project(line(50, -2), P, model=12, arah="lower", satuan="menit")
        flat = tren.project(line(60, 0), P, model=12, arah="lower", satuan="menit")
        few = tren.project(line(60, -1, months=5), P, model=12, arah="lower", satuan="menit")
        already = tren.project(line(11, 0.5), P, model=12, arah="lower", satuan="menit")
        slow = tren.project(line(60, -0.1), P, model=12, arah="lower", satuan="menit")
        percent = tren.project(line(40, 1.5), P, model=71, arah="higher", satuan="%")
        units = [formatting.nilai(1234.5, "menit"), formatting.nilai(70.25, "%"), formatting.nilai(21, "jenis"),
                 formatting.nilai(82, "indeks 25–100"), tren.pace_unit(1.255, "%"), tren.arah_teks("lower"),
                 tren.frekuensi_teks("semesteran")]
    # The same numbers as in Indonesian; only the words and the number format change.
    assert reached.reach == per.parse("2028-05") and reached.summary == "around May 2028"
    assert reached.reason == "At the current pace (−2.00\u00a0minutes per month) the model is reached around May 2028."
    assert flat.status == tren.NOT_REACHED and flat.summary == "not reached (flat)"
    assert few.summary == "too little data (5 of at least 6 values)" and "at least 6 needed" in few.reason
    assert already.summary == "already at or beyond the model"
    assert already.reason == "Already at or beyond the model: latest value 11.0\u00a0minutes, model 12.0\u00a0minutes."
    assert slow.summary == "not reached within 10 years"
    assert "+1.50 percentage points per month" in percent.reason
    assert units[0] == "1,234.5\u00a0minutes" and units[1] in ("70.2%", "70.3%") and units[2] == "21\u00a0types"
    assert units[3] == "82.0" and units[4] in ("1.25 percentage points", "1.26 percentage points")
    assert units[5:] == ["lower is better", "half-yearly"]
    # and back in Indonesian
    assert tren.project(line(50, -2), P, model=12, arah="lower", satuan="menit").summary == "sekitar Mei 2028"


def test_trend_chart_in_english_has_english_words_months_and_numbers(demo, demo_store):
    with bahasa.dalam("en"):
        meta, months, frame, med = build_trend(demo, "waktu_tunggu", ["12.09.19"])
        batches = demo_store.batches()
        target = tren.targets(demo_store.target_indikator(), "waktu_tunggu", ["12.09.19"],
                              set(batches.loc[batches["demo"], "id"]))
        fig = charts_tren.trend_chart(frame, med, meta, demo["names"], target, months)
        latest = formatting.bulan(demo["latest"])
        last_median = med.dropna(subset=["median"]).iloc[-1]
        expected_median = formatting.nilai(last_median["median"], "menit")
        expected_value = formatting.nilai(frame["nilai"].dropna().iloc[-1], "menit")
    assert latest == "October 2026"
    title = fig.layout.title.text
    assert title.startswith("Average waiting time before service (minutes)") and latest in title
    assert "gap = month without a report" in title and "lower is better" in title
    assert fig.layout.yaxis.title.text == "minutes (lower is better)"
    assert fig.layout.xaxis.title.text == "Month"
    assert fig.layout.separators == ".,"
    assert all(label.split()[0] in {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                                    "Dec"} for label in fig.layout.xaxis.ticktext)
    by_name = {t.name: t for t in fig.data}
    median = by_name["Median of the 25 Asahan kecamatan"]
    assert f"<b>Asahan median</b>: {expected_median}<br>of {int(last_median['n'])} reporting kecamatan" in \
        median.hovertext[-1]
    assert "." in expected_median and "," not in expected_median
    point = by_name[demo["names"]["12.09.19"]].hovertext[-1]
    assert f": {expected_value}<br>Period: {latest}<br>Source: DEMO DATA" in point
    target_trace = next(t for t in fig.data if t.name.startswith("Target"))
    assert target_trace.name.replace("<br>", " ") == "Target December 2026: 30.0\u00a0minutes (all kecamatan)"
    assert "Applies to all kecamatan<br>Source: DEMO DATA" in target_trace.hovertext[0]
    assert next(t for t in fig.data if t.name.startswith("Model")).name.startswith("Model 12.0\u00a0minutes — ")


def test_small_multiples_and_projection_in_english(demo):
    with bahasa.dalam("en"):
        meta, months, frame, med = build_trend(demo, "tte", demo["asahan"])
        grid = charts_tren.small_multiples(frame, med, meta, demo["names"], months)
        meta, months, frame, med = build_trend(demo, "waktu_tunggu", ["12.09.19"])
        projection = tren.project(frame.set_index("periode")["nilai"], demo["latest"], 12.0, "lower", "menit")
        fig = charts_tren.projection_chart(frame, projection, meta, "Kota Kisaran Barat")
        reach = formatting.bulan(projection.reach)
    assert grid.layout.title.text.startswith("Output documents with electronic signature in 25 kecamatan (%)")
    assert "dashed orange = model 90.0%" in grid.layout.title.text
    assert {t.name for t in grid.data} >= {"Asahan median", "Model"}
    assert fig.layout.title.text.startswith("Projection for Kota Kisaran Barat: Average waiting time before service")
    assert f"trend line from {projection.months_used} values in the 12 months up to October 2026" in \
        fig.layout.title.text
    assert any(t.name == "12-month trend line" for t in fig.data)
    assert f"± {reach}" in [a.text for a in fig.layout.annotations] and reach.split()[0] in (
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December")


def test_tren_page_in_english(demo_db, demo_store, use_db):
    at = app(demo_db, use_db, bahasa="en")
    assert not at.exception
    assert at.title[0].value == "Indicator trends"
    assert at.selectbox(key="indikator").label == "Indicator"
    assert "Average waiting time before service" in at.selectbox(key="indikator").options
    assert at.multiselect(key="kecamatan").label == "Kecamatan (at most 8)"
    assert at.metric[0].label == "Asahan median (minutes)" and at.metric[3].label == "At the model"
    assert at.metric[1].value == "12.0"  # the model
    assert at.metric[2].value == "30.0"  # the demo target
    latest = demo_store.latest_period()
    card = benchmark.scorecard(demo_store, latest)
    rows = card[card["indikator"] == "waktu_tunggu"]
    assert at.metric[3].value == f"{int((rows['skor'] >= 100).sum())} of {len(rows)}"
    observasi = demo_store.observasi(latest, latest)
    asahan = demo_store.kecamatan("Asahan")["kode"]
    month = observasi[(observasi["indikator"] == "waktu_tunggu") & observasi["kode_kecamatan"].isin(asahan)]
    with bahasa.dalam("en"):
        assert at.metric[0].value == formatting.angka(month["nilai"].median(), 1)
    assert at.caption[0].value.startswith("Average waiting time before service · unit minutes · lower is better · "
                                          "reported monthly")
    assert at.caption[0].value.endswith("October 2026")
    table = projection_table(at)
    assert list(table.columns) == ["Kecamatan", "Latest value", "Pace per month", "Values used", "Model reached"]
    assert all(v.endswith("\u00a0minutes") for v in table["Latest value"] if v != "—")
    assert at.header[0].value == "When will the model be reached?"
    assert at.header[1].value == "All 25 kecamatan"
