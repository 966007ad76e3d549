"""The views' engine: bands, kabupaten series, movers, reporting, profile, next steps, similarity."""

import numpy as np
import pandas as pd
import pytest

from metrics.core import periode as per
from metrics.engine import benchmark, similarity


def history(rows):
    """rows: (periode 'YYYY-MM', kode, skor, diperingkat, peringkat)."""
    frame = pd.DataFrame(rows, columns=["periode", "kode_kecamatan", "skor", "diperingkat", "peringkat"])
    return frame.assign(periode=frame["periode"].map(per.parse), cakupan=1.0)


def test_band_counts_list_every_band():
    table = pd.DataFrame({"skor": [85, 80, 79.99, 45, 12, 50], "diperingkat": [True] * 5 + [False]})
    counts = benchmark.band_counts(table).set_index("pita")["jumlah"].to_dict()
    assert counts == {"80–100": 2, "60–79": 1, "40–59": 1, "0–39": 1, "belum diperingkat": 1}


def test_kabupaten_series_uses_ranked_only_and_keeps_gaps():
    frame = history([
        ("2026-07", "A", 10, False, None), ("2026-07", "B", 20, False, None),  # nobody ranked: series starts later
        ("2026-08", "A", 40, True, 2), ("2026-08", "B", 60, True, 1), ("2026-08", "C", 5, False, None),
        ("2026-09", "A", 50, False, None),
        ("2026-10", "A", 30, True, 3), ("2026-10", "B", 50, True, 2), ("2026-10", "C", 70, True, 1),
    ])
    series = benchmark.kabupaten_series(frame).set_index("periode")
    assert list(series.index) == [per.parse(m) for m in ("2026-08", "2026-09", "2026-10")]
    assert series.loc[per.parse("2026-08"), "median"] == 50 and series.loc[per.parse("2026-08"), "n"] == 2
    assert np.isnan(series.loc[per.parse("2026-09"), "median"])  # a month without ranked kecamatan is a gap
    oct_ = series.loc[per.parse("2026-10")]
    assert (oct_["median"], oct_["q1"], oct_["q3"], oct_["min"], oct_["max"]) == (50, 40, 60, 30, 70)


def test_movers_compare_kecamatan_ranked_in_both_months():
    frame = history([
        ("2026-09", "A", 40, True, 3), ("2026-09", "B", 60, True, 1), ("2026-09", "C", 50, True, 2),
        ("2026-09", "D", 10, False, None),
        ("2026-10", "A", 55, True, 2), ("2026-10", "B", 58, True, 1), ("2026-10", "C", 45, True, 3),
        ("2026-10", "D", 90, True, None),
    ])
    up, down = benchmark.movers(frame, per.parse("2026-10"))
    assert up[["kode_kecamatan", "perubahan"]].values.tolist() == [["A", 15.0]]
    assert down[["kode_kecamatan", "perubahan"]].values.tolist() == [["C", -5.0], ["B", -2.0]]


def test_reporting_status_counts_monthly_indicators_and_silence():
    frekuensi = pd.Series({"m1": "bulanan", "m2": "bulanan", "s": "semesteran"})
    kecamatan = pd.DataFrame({"kode": ["A", "B", "C", "D"], "nama": ["a", "b", "c", "d"]})
    rows = [("A", "2026-10", "m1"), ("A", "2026-10", "m2"), ("B", "2026-10", "m1"), ("C", "2026-07", "m1"),
            ("C", "2026-10", "s"), ("D", "2026-11", "m1")]
    observasi = pd.DataFrame(rows, columns=["kode_kecamatan", "periode", "indikator"]).assign(
        periode=lambda f: f["periode"].map(per.parse))
    status = benchmark.reporting_status(observasi, kecamatan, per.parse("2026-10"), frekuensi).set_index("kode")
    assert status["dilaporkan"].to_dict() == {"A": 2, "B": 1, "C": 0, "D": 0}
    assert (status["diharapkan"] == 2).all()
    assert status.loc["C", "bulan_tanpa_laporan"] == 3  # a semester value is not a monthly report
    assert pd.isna(status.loc["D", "terakhir"])  # a later report does not count for October


def test_relative_quartile_and_category():
    card = pd.DataFrame({"indikator": ["x"] * 8 + ["ikm"],
                         "skor": [100, 90, 80, 70, 60, 50, 40, 30, 50]})
    assert list(benchmark.relative_quartile(card)[:8]) == [1, 1, 2, 2, 3, 3, 4, 4]
    assert benchmark.category("ikm", 88.31, 4) == "Mutu A · Sangat Baik"  # official category beats quartile
    assert benchmark.category("tte", 50, 2) == "Kuartil 2"


def test_profile_lists_every_scored_indicator_and_missing_ones(demo_store):
    latest = demo_store.latest_period()
    cat = benchmark.catalog(demo_store)
    card = benchmark.scorecard(demo_store, latest)
    profile = benchmark.profile_scorecard(card, "12.09.17", cat)  # partial reporter in the demo
    assert list(profile["indikator"]) == list(cat.scored.index)
    own = card[card["kode_kecamatan"] == "12.09.17"].set_index("indikator")
    assert set(profile.loc[profile["ada"], "indikator"]) == set(own.index)
    assert (profile.loc[~profile["ada"], "kategori"] == "tidak ada data").all()
    assert profile.loc[~profile["ada"], "nilai"].isna().all()
    for r in profile[profile["ada"]].itertuples():
        assert r.skor == pytest.approx(own.loc[r.indikator, "skor"])


def test_next_steps_rank_weighted_gaps_and_suggest_unadopted_innovations():
    profile = pd.DataFrame({
        "indikator": ["a", "b", "c", "d"], "nama": list("ABCD"), "nilai": [1, 2, 3, 4], "model": [9] * 4,
        "skor": [50, 20, 100, 10], "selisih": [1] * 4, "satuan": ["%"] * 4,
        "bobot": [0.2, 0.05, 0.2, 0.1], "ada": [True, True, True, False],
    })
    stages = pd.DataFrame({"inovasi": ["x", "y", "z"], "tahap": [1, 3, 2]})
    links = pd.Series({"x": ["a"], "y": ["a", "b"], "z": ["a"]})
    steps = benchmark.next_steps(profile, stages, links)
    # weighted gaps: a 0,2·50 = 10, b 0,05·80 = 4, c 0 (at the model), d missing: the 0 it scores, 0,1·100 = 10 (#19)
    assert list(steps["indikator"]) == ["a", "d", "b"]
    assert steps["celah_berbobot"].tolist() == pytest.approx([10.0, 10.0, 4.0])
    assert steps["ada"].tolist() == [True, False, True] and steps.loc[1, "skor"] == 0
    assert steps.loc[0, "inovasi"] == ["z", "x"]  # y is already Berjalan; most advanced first
    assert steps.loc[2, "inovasi"] == []


def test_measure_table_sorts_best_first_with_missing_last(demo_store):
    latest = demo_store.latest_period()
    table = benchmark.league_table(demo_store, latest, draws=0)
    card = benchmark.scorecard(demo_store, latest)
    by_wait = benchmark.measure_table(table, card, "waktu_tunggu")
    wait = card[card["indikator"] == "waktu_tunggu"].set_index("kode_kecamatan")
    present = by_wait[by_wait["ukuran_skor"].notna()]
    assert list(present["ukuran_skor"]) == sorted(present["ukuran_skor"], reverse=True)
    assert by_wait["ukuran_skor"].isna().sum() == 25 - len(wait)
    assert list(by_wait["ukuran_skor"].isna()) == sorted(by_wait["ukuran_skor"].isna())
    first = by_wait.iloc[0]
    assert first["ukuran_nilai"] == wait.loc[first["kode_kecamatan"], "nilai"]
    assert first["ukuran_kategori"] == "Kuartil 1"
    by_pillar = benchmark.measure_table(table, card, "pilar:kecepatan")
    pillar = card[card["pilar"] == "kecepatan"].groupby("kode_kecamatan")["skor"].mean()
    assert by_pillar.iloc[0]["ukuran_skor"] == pytest.approx(pillar.max())


def test_most_similar_by_hand():
    kecamatan = pd.DataFrame({
        "kode": ["A", "B", "C", "D"], "nama": list("abcd"),
        "desa": [10, 10, 0, 9], "kelurahan": [0, 0, 12, 1],
        "lat": [1.0, 1.0, 3.0, 1.1], "lon": [99.0, 99.0, 99.5, 99.0],
    })
    similar = similarity.most_similar(kecamatan, "A", n=2)
    assert list(similar["kode"]) == ["B", "D"]  # B identical, D close, C urban and far away
    assert similar.loc[0, "jarak"] == 0


def test_most_similar_in_the_reference_data(demo_store):
    kecamatan = demo_store.kecamatan("Asahan")
    similar = similarity.most_similar(kecamatan, "12.09.19")
    assert len(similar) == 5 and "12.09.19" not in set(similar["kode"])
    assert similar.iloc[0]["kode"] == "12.09.20"  # the other all-kelurahan Kisaran kecamatan


# ---- English: the engine's labels follow the active language

def test_labels_in_english():
    from metrics.core import bahasa

    table = pd.DataFrame({"skor": [85, 12, 50], "diperingkat": [True, True, False]})
    with bahasa.dalam("en"):
        counts = benchmark.band_counts(table).set_index("pita")["jumlah"].to_dict()
        assert benchmark.category("ikm", 88.31, 4) == "Grade A · Very good"
        assert benchmark.category("ikm", 70, 1) == "Grade C · Poor"
        assert benchmark.category("tte", 50, 2) == "Quartile 2"
    assert counts == {"80–100": 1, "60–79": 0, "40–59": 0, "0–39": 1, "not ranked": 1}
    assert benchmark.category("ikm", 70, 1) == "Mutu C · Kurang Baik"  # Indonesian again outside


def test_measures_and_profile_in_english(demo_store):
    from metrics.core import bahasa

    latest = demo_store.latest_period()
    cat = benchmark.catalog(demo_store)
    card = benchmark.scorecard(demo_store, latest)
    with bahasa.dalam("en"):
        options = benchmark.measures(cat)
        profile = benchmark.profile_scorecard(card, "12.09.17", cat)
        by_wait = benchmark.measure_table(benchmark.league_table(demo_store, latest, draws=0), card, "waktu_tunggu")
    assert options["indeks"] == "Tiru Index" and options["pilar:kecepatan"] == "Pillar Speed"
    assert options["waktu_tunggu"] == cat.indikator.loc["waktu_tunggu", "nama_en"]
    assert options["waktu_tunggu"] == "Average waiting time before service"
    assert list(profile["nama"]) == list(cat.scored["nama_en"])
    assert (profile.loc[~profile["ada"], "kategori"] == "no data").all() and (~profile["ada"]).any()
    assert by_wait.iloc[0]["ukuran_kategori"] == "Quartile 1"
    assert set(by_wait.loc[by_wait["ukuran_skor"].isna(), "ukuran_kategori"]) <= {"no data"}


def test_model_sources_written_by_tiru_follow_the_language_and_loaded_ones_stay_as_written(demo_store):
    from metrics.core import bahasa

    indonesian = benchmark.catalog(demo_store).indikator.loc["waktu_tunggu", "model_sumber"]
    with bahasa.dalam("en"):
        english = benchmark.catalog(demo_store).indikator.loc["waktu_tunggu", "model_sumber"]
    assert indonesian.startswith("Nilai contoh untuk Kecamatan Cimahi Tengah (bukan angka resmi)")
    assert english.startswith("Sample value for Kecamatan Cimahi Tengah (not an official figure)")
    # A source the admin loaded has no English wording: it is shown as written in both languages.
    frame = demo_store.indikator().assign(model_sumber="Materi studi tiru Cimahi 2024", model_sumber_en=None)
    with bahasa.dalam("en"):
        assert set(bahasa.names(frame, "model_sumber")) == {"Materi studi tiru Cimahi 2024"}
