"""Plausibility that works for counts and for the first real months (#20), and "1,234" refused as
ambiguous where the column does not settle it."""

from __future__ import annotations

import pandas as pd
import pytest

from metrics import ingest
from metrics.core import periode as per
from metrics.engine import kewajaran

NOV = per.parse("2026-11")
CATALOGUE = pd.DataFrame({"frekuensi": ["bulanan", "bulanan"], "batas_min": [0.0, 0.0], "batas_max": [100000.0, 600.0],
                          "satuan": ["permohonan per bulan", "menit"]},
                         index=pd.Index(["volume_layanan", "waktu_tunggu"], name="kode"))


def frame(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["kode_kecamatan", "periode", "indikator", "nilai"])


def test_a_count_ten_times_its_usual_value_needs_checking():
    history = frame([("12.09.08", NOV - 12 + i, "volume_layanan", v)
                     for i, v in enumerate([480, 495, 470, 510, 490, 505, 485, 500, 475, 490, 515, 486])])
    incoming = frame([("12.09.08", NOV, "volume_layanan", 4860.0), ("12.09.08", NOV + 1, "volume_layanan", 530.0)])
    found = kewajaran.periksa(incoming, history, CATALOGUE)
    assert list(found["nilai"]) == [4860.0]
    assert found["atas"].iloc[0] < 1000  # a band around the kecamatan's own ~490, not ±5 000


def test_the_first_real_months_are_checked_against_the_other_kecamatan():
    peers = frame([(f"12.09.{10 + i}", NOV, "waktu_tunggu", v)
                   for i, v in enumerate([38, 41, 45, 36, 40, 43, 39, 44, 42, 37])])
    incoming = frame([("12.09.08", NOV, "waktu_tunggu", 240.0), ("12.09.09", NOV, "waktu_tunggu", 46.0)])
    found = kewajaran.periksa(incoming, frame([]), CATALOGUE, sebaya=pd.concat([peers, incoming]))
    assert list(found["kode_kecamatan"]) == ["12.09.08"]
    assert found["n"].iloc[0] == 11  # the other kecamatan of the month (the incoming 46 included), not itself
    # too few others: no check, as before
    assert kewajaran.periksa(incoming, frame([]), CATALOGUE, sebaya=pd.concat([peers.head(3), incoming])).empty


def test_a_comma_thousands_in_a_dot_decimal_column_is_ambiguous():
    with pytest.raises(ingest.BadValue):
        ingest.angka("1,234", ingest.number_style(["64.99074", "1,234"]))
    with pytest.raises(ingest.BadValue):
        ingest.angka("1,234")
    assert ingest.angka("1,234", ingest.number_style(["12,5", "1,234"])) == pytest.approx(1.234)
    assert ingest.angka("0,250") == 0.25 and ingest.angka("12,5") == 12.5
