"""IKM per PermenPAN-RB 14/2017, checked against hand-computed values."""

import pandas as pd
import pytest

from metrics.engine import ikm


@pytest.mark.parametrize(
    "value, letter",
    [
        (64.99, "D"), (65.00, "C"),
        (76.60, "C"), (76.61, "B"),
        (88.30, "B"), (88.31, "A"),
        (25.00, "D"), (100.0, "A"),
        (88.305, "A"),  # rounds half-up to 88,31 as the regulation's two decimals are read
        (64.994, "D"),
    ],
)
def test_mutu_boundaries(value, letter):
    assert ikm.mutu(value)[0] == letter


def test_mutu_names_and_missing():
    assert ikm.mutu(90) == ("A", "Sangat Baik")
    assert ikm.mutu(70) == ("C", "Kurang Baik")
    assert ikm.mutu(None) is None
    assert ikm.mutu(float("nan")) is None
    assert ikm.mutu(24.0) is None


def responses(rows, kec="12.09.19"):
    frame = pd.DataFrame(rows, columns=ikm.UNSUR)
    return frame.assign(kode_kecamatan=kec, periode="2026-06")


def test_exact_one_ninth_weight():
    # All answers 3: index 3, IKM 75,00 exactly (0,111 weights would give 74,925).
    result = ikm.ikm_from_responses(responses([[3] * 9] * 4), by=["kode_kecamatan"])
    assert result.loc[0, "ikm"] == 75.0
    assert result.loc[0, "mutu"] == "C"
    assert result.loc[0, "responden"] == 4
    assert bool(result.loc[0, "sampel_kecil"]) is True


def test_nrr_per_unsur_and_category_boundary_65():
    # 5 respondents, 45 answers summing to 117: index 117/45 = 2,6, IKM 65,00 → C.
    rows = [[3] * 9, [3] * 9, [3] * 9, [2] * 9, [2] * 9]  # sum 117
    result = ikm.ikm_from_responses(responses(rows), by=["kode_kecamatan"])
    assert result.loc[0, "nrr_u1"] == pytest.approx(2.6)
    assert result.loc[0, "ikm"] == pytest.approx(65.0)
    assert result.loc[0, "mutu"] == "C"
    # One answer lower: 116/45 = 2,5778 → IKM 64,44 → D.
    rows[0] = [2] + [3] * 8
    result = ikm.ikm_from_responses(responses(rows), by=["kode_kecamatan"])
    assert result.loc[0, "nrr_u1"] == pytest.approx(2.4)
    assert result.loc[0, "ikm"] == pytest.approx(116 / 45 * 25)
    assert result.loc[0, "mutu"] == "D"


def test_groups_are_computed_separately():
    frame = pd.concat([responses([[4] * 9] * 30, "A"), responses([[1] * 9] * 2, "B")])
    result = ikm.ikm_from_responses(frame, by=["kode_kecamatan"]).set_index("kode_kecamatan")
    assert result.loc["A", "ikm"] == 100 and result.loc["A", "mutu"] == "A"
    assert result.loc["B", "ikm"] == 25 and result.loc["B", "mutu"] == "D"
    assert not result.loc["A", "sampel_kecil"] and result.loc["B", "sampel_kecil"]


def test_category_names_per_language():
    from metrics.core import bahasa

    assert [ikm.nama_mutu(letter) for letter in "ABCD"] == ["Sangat Baik", "Baik", "Kurang Baik", "Tidak Baik"]
    assert [ikm.nama_mutu(letter) for letter, _ in [ikm.mutu(v) for v in (90, 80, 70, 30)]] == [
        name for _, _, name in ikm.MUTU]  # the catalogue keeps the regulation's wording
    with bahasa.dalam("en"):
        assert [ikm.nama_mutu(letter) for letter in "ABCD"] == ["Very good", "Good", "Poor", "Very poor"]
        assert ikm.mutu(90) == ("A", "Sangat Baik")  # the canonical name stays, for files and data
