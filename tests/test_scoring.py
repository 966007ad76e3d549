"""Hand-computed cases for every scoring rule of docs/metodologi.md."""

import numpy as np
import pandas as pd
import pytest

from metrics.core import periode as per
from metrics.engine import scoring


def catalog(pillars: dict[str, list[tuple[str, str, str, float, float]]], weights: dict[str, float]):
    """pillars: pilar -> [(kode, arah, frekuensi, lantai, model)]."""
    rows = []
    for pilar, indicators in pillars.items():
        for kode, arah, frekuensi, lantai, model in indicators:
            rows.append(dict(kode=kode, arah=arah, frekuensi=frekuensi, pilar=pilar, lantai=lantai, model=model))
    indikator = pd.DataFrame(rows).set_index("kode")
    indikator["urutan"] = range(len(indikator))
    pilar = pd.DataFrame({"bobot": weights}).rename_axis("kode")
    pilar["urutan"] = range(len(pilar))
    return indikator, pilar


def obs(rows):
    return pd.DataFrame(rows, columns=["kode_kecamatan", "periode", "indikator", "nilai"]).assign(
        periode=lambda f: f["periode"].map(per.parse)
    )


SEP = per.parse("2026-09")


class TestAsOf:
    indikator, _ = catalog(
        {"p": [("m", "higher", "bulanan", 0, 100), ("s", "higher", "semesteran", 0, 100),
               ("t", "higher", "tahunan", 0, 100)]},
        {"p": 1.0},
    )

    def values(self, rows, month="2026-09"):
        result = scoring.as_of(obs(rows), self.indikator, per.parse(month))
        return dict(zip(result["indikator"], result["nilai"], strict=True))

    def test_monthly_value_only_for_its_own_month(self):
        assert self.values([("A", "2026-08", "m", 5)]) == {}
        assert self.values([("A", "2026-09", "m", 5)]) == {"m": 5}

    def test_semester_value_valid_six_months(self):
        assert self.values([("A", "2026-04", "s", 7)]) == {"s": 7}  # age 5
        assert self.values([("A", "2026-03", "s", 7)]) == {}  # age 6: expired

    def test_annual_value_valid_twelve_months(self):
        assert self.values([("A", "2025-10", "t", 9)]) == {"t": 9}  # age 11
        assert self.values([("A", "2025-09", "t", 9)]) == {}  # age 12

    def test_future_values_are_ignored_and_latest_wins(self):
        rows = [("A", "2025-12", "t", 1), ("A", "2026-06", "t", 2), ("A", "2026-10", "t", 3)]
        assert self.values(rows) == {"t": 2}


class TestIndicatorScore:
    def test_higher_is_better(self):
        assert scoring.indicator_score(65, "higher", 40, 90) == pytest.approx(50)
        assert scoring.indicator_score(40, "higher", 40, 90) == 0
        assert scoring.indicator_score(30, "higher", 40, 90) == 0  # below the floor: clamped

    def test_lower_is_better(self):
        assert scoring.indicator_score(65, "lower", 120, 10) == pytest.approx(50)
        assert scoring.indicator_score(150, "lower", 120, 10) == 0

    def test_beyond_model_is_clamped_and_flagged(self):
        assert scoring.indicator_score(95, "higher", 40, 90) == 100
        assert scoring.indicator_score(5, "lower", 120, 10) == 100
        assert bool(scoring.beyond_model(95, "higher", 90)) is True
        assert bool(scoring.beyond_model(90, "higher", 90)) is False
        assert bool(scoring.beyond_model(5, "lower", 10)) is True

    def test_gap_to_model_in_units(self):
        assert scoring.gap_to_model(70, "higher", 90) == 20
        assert scoring.gap_to_model(30, "lower", 10) == 20
        assert scoring.gap_to_model(5, "lower", 10) == -5


TWO_PILLARS = catalog(
    {
        "p1": [("a", "higher", "bulanan", 0, 100), ("b", "higher", "bulanan", 0, 100)],
        "p2": [("c", "higher", "bulanan", 0, 100)],
    },
    {"p1": 0.5, "p2": 0.5},
)


def rank_table(rows, kecamatan, cat=TWO_PILLARS, month="2026-09", draws=200):
    indikator, pilar = cat
    return scoring.ranking(obs(rows), indikator, pilar, kecamatan, per.parse(month), draws=draws).set_index(
        "kode_kecamatan"
    )


class TestComposite:
    def test_weights_split_pillar_weight_over_its_indicators(self):
        weights = scoring.indicator_weights(*TWO_PILLARS)
        assert weights.to_dict() == {"a": 0.25, "b": 0.25, "c": 0.5}

    def test_composite_and_coverage(self):
        rows = [("A", "2026-09", "a", 50), ("A", "2026-09", "b", 100), ("A", "2026-09", "c", 20),
                ("B", "2026-09", "a", 50), ("B", "2026-09", "b", 100)]
        table = rank_table(rows, ["A", "B", "C"])
        # A: (0,25·50 + 0,25·100 + 0,5·20) / 1 = 47,5
        assert table.loc["A", "skor"] == pytest.approx(47.5)
        assert table.loc["A", "cakupan"] == pytest.approx(1.0)
        assert table.loc["A", "skor_dilaporkan"] == pytest.approx(47.5)  # nothing missing: the same
        # B: c is missing and counts as 0 (tanpa data = 0): (0,25·50 + 0,25·100 + 0,5·0) / 1 = 37,5;
        # over the reported indicators alone (the labelled aid) (0,25·50 + 0,25·100) / 0,5 = 75.
        assert table.loc["B", "skor"] == pytest.approx(37.5)
        assert table.loc["B", "skor_dilaporkan"] == pytest.approx(75.0)
        assert table.loc["B", "cakupan"] == pytest.approx(0.5)
        assert not table.loc["B", "diperingkat"] and np.isnan(table.loc["B", "peringkat"])
        assert table.loc["B", "belum_ada"] == ["c"]
        # C reported nothing: no score at all, never zero
        assert np.isnan(table.loc["C", "skor"]) and table.loc["C", "cakupan"] == 0
        assert table.loc["A", "peringkat"] == 1

    def test_coverage_threshold_at_exactly_seventy_percent(self):
        # 5 pillars × 2 indicators, each indicator weight 0,1: 7 present = exactly 0,70.
        cat = catalog(
            {f"p{p}": [(f"i{p}{k}", "higher", "bulanan", 0, 100) for k in range(2)] for p in range(5)},
            {f"p{p}": 0.2 for p in range(5)},
        )
        codes = [f"i{p}{k}" for p in range(5) for k in range(2)]
        rows = [("A", "2026-09", c, 80) for c in codes[:7]] + [("B", "2026-09", c, 80) for c in codes[:6]]
        table = rank_table(rows, ["A", "B"], cat)
        assert table.loc["A", "cakupan"] == pytest.approx(0.70)
        assert bool(table.loc["A", "diperingkat"]) is True
        assert table.loc["B", "cakupan"] == pytest.approx(0.60)
        assert bool(table.loc["B", "diperingkat"]) is False


class TestRanks:
    def test_ties_share_the_best_rank(self):
        ranks = scoring.shared_rank(pd.Series([90.0, 80.0, 80.0, 70.0]))
        assert list(ranks) == [1, 2, 2, 4]

    def test_ties_compare_the_one_decimal_shown(self):
        # 80,04 and 79,96 both show as 80,0: the same rank; 79,94 shows as 79,9.
        ranks = scoring.shared_rank(pd.Series([80.04, 79.96, 79.94]))
        assert list(ranks) == [1, 1, 3]

    def test_equal_shown_indeks_are_equal_ranks_in_every_demo_month(self, demo_store):
        """Two kecamatan that show the same Indeks (one decimal) never get different ranks."""
        from metrics.engine import benchmark

        for month in range(per.parse("2024-01"), per.parse("2026-10") + 1, 3):
            table = benchmark.league_table(demo_store, month, draws=0)
            ranked = table[table["diperingkat"]]
            for shown, group in ranked.groupby(ranked["skor"].round(1)):
                assert group["peringkat"].nunique() == 1, (per.fmt(month), shown, group)

    def test_movement_against_previous_month(self):
        rows = []
        for kec, aug, sep in [("A", 90, 60), ("B", 80, 95), ("C", 70, 70)]:
            for code in "abc":
                rows += [(kec, "2026-08", code, aug), (kec, "2026-09", code, sep)]
        rows += [("D", "2026-09", code, 99) for code in "abc"]  # new this month
        table = rank_table(rows, ["A", "B", "C", "D"])
        assert table["peringkat"].to_dict() == {"D": 1, "B": 2, "C": 3, "A": 4}
        assert table["peringkat_sebelumnya"].drop("D").to_dict() == {"B": 2, "C": 3, "A": 1}
        assert np.isnan(table.loc["D", "peringkat_sebelumnya"])
        # Movement counts among the kecamatan ranked in both months (A, B, C): D entering lifts nobody.
        assert table.loc["A", "gerak"] == -2  # 1 → 3 of A, B, C
        assert table.loc["B", "gerak"] == 1  # 2 → 1
        assert table.loc["A", "status_gerak"] == "turun" and table.loc["A", "perubahan"] == -30
        assert table.loc["C", "status_gerak"] == "tetap" and table.loc["C", "gerak"] == 1
        assert np.isnan(table.loc["D", "gerak"]) and table.loc["D", "status_gerak"] == "masuk"


class TestRankCertainty:
    def test_dominating_kecamatan_has_a_certain_rank(self):
        rows = [(kec, "2026-09", code, value) for kec, value in [("A", 90), ("B", 50)] for code in "abc"]
        table = rank_table(rows, ["A", "B"])
        assert (table.loc["A", "peringkat_min"], table.loc["A", "peringkat_max"]) == (1, 1)
        assert (table.loc["B", "peringkat_min"], table.loc["B", "peringkat_max"]) == (2, 2)

    def test_rank_depends_on_weights_when_strengths_differ(self):
        # A strong in p1 (100, 100 vs 0), B strong in p2; equal composites at equal weights.
        rows = [("A", "2026-09", "a", 100), ("A", "2026-09", "b", 100), ("A", "2026-09", "c", 0),
                ("B", "2026-09", "a", 0), ("B", "2026-09", "b", 0), ("B", "2026-09", "c", 100)]
        table = rank_table(rows, ["A", "B"], draws=1000)
        assert table.loc["A", "peringkat"] == table.loc["B", "peringkat"] == 1  # a tie at 50
        for kec in "AB":
            assert (table.loc[kec, "peringkat_min"], table.loc[kec, "peringkat_max"]) == (1, 2)

    def test_draws_are_seeded(self):
        rows = [("A", "2026-09", "a", 80), ("A", "2026-09", "c", 40), ("B", "2026-09", "a", 40),
                ("B", "2026-09", "b", 60), ("B", "2026-09", "c", 70), ("A", "2026-09", "b", 55)]
        first = rank_table(rows, ["A", "B"], draws=500)
        second = rank_table(rows, ["A", "B"], draws=500)
        pd.testing.assert_frame_equal(first, second)


class TestWithholding:
    def test_leaving_out_an_indicator_never_raises_the_indeks(self, demo_store):
        """docs/metodologi.md "Composite and coverage": a missing indicator counts as 0, so withholding
        a bad number cannot pay. Checked for every kecamatan of the demo's latest month and every indicator it reported."""
        from metrics.engine import benchmark

        month = per.parse("2026-10")
        cat = benchmark.catalog(demo_store)
        codes = list(demo_store.kecamatan(benchmark.REGION)["kode"])
        observasi = demo_store.observasi(month - benchmark.LOOKBACK, month)
        observasi = observasi[observasi["kode_kecamatan"].isin(codes)]
        full = scoring.ranking(observasi, cat.indikator, cat.pilar, codes, month, draws=0).set_index("kode_kecamatan")
        card = scoring.scorecard(scoring.as_of(observasi, cat.indikator, month), cat.indikator, cat.pilar)
        checked = 0
        for (kec, indikator), row in card.set_index(["kode_kecamatan", "indikator"]).iterrows():
            dropped = observasi[~((observasi["kode_kecamatan"] == kec) & (observasi["indikator"] == indikator)
                                  & (observasi["periode"] == row["periode_nilai"]))]
            less = scoring.composite(
                scoring.scorecard(scoring.as_of(dropped, cat.indikator, month), cat.indikator, cat.pilar),
                [kec], cat.indikator, cat.pilar).iloc[0]
            assert less["skor"] <= full.loc[kec, "skor"] + 1e-9, (kec, indikator)
            checked += 1
        assert checked > 200  # 25 kecamatan × most of the 12 scored indicators
