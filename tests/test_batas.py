"""Exact boundaries (#20): coverage against the 70 % threshold in exact arithmetic, SKM only after
the semester's last day, and one model-against-floor rule for build, import, the admin form and
every write (a revert never leaves a model value equal to its floor)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from cli_support import cli_copy

from metrics import ingest
from metrics.data import build as build_mod
from metrics.data.store import RejectedChange, Store
from metrics.engine import scoring

UNSUR = ",".join(f"u{i}" for i in range(1, 10))


def _card(present: dict[str, list[str]], pillars: dict[str, list[str]], weights: dict[str, float]):
    indikator = pd.DataFrame(
        [{"kode": i, "pilar": p, "arah": "higher", "frekuensi": "bulanan", "lantai": 0.0, "model": 100.0}
         for p, codes in pillars.items() for i in codes]).set_index("kode")
    pilar = pd.DataFrame({"bobot": list(weights.values()), "urutan": range(len(weights))}, index=list(weights))
    card = pd.DataFrame([{"kode_kecamatan": k, "indikator": i, "pilar": indikator.loc[i, "pilar"], "skor": 80.0}
                         for k, codes in present.items() for i in codes])
    return scoring.composite(card, list(present), indikator, pilar).set_index("kode_kecamatan")


def test_coverage_a_hair_below_seventy_percent_is_not_ranked():
    # exact coverage 0,6999999999: below the threshold, although it rounds to 0,70 at nine decimals
    table = _card({"A": ["a"], "B": ["a", "b"]}, {"p": ["a"], "q": ["b"]}, {"p": 0.6999999999, "q": 0.3000000001})
    assert not bool(table.loc["A", "diperingkat"]) and bool(table.loc["B", "diperingkat"])


def test_coverage_exactly_seventy_percent_is_ranked_whatever_the_float_sum():
    # weights whose float sums are not exact: 0,1 + 0,2 + 0,4 = 0,7000000000000001 of 1,0000000000000002
    pillars = {"p": ["a"], "q": ["b"], "r": ["c"], "s": ["d"]}
    table = _card({"A": ["a", "b", "c"]}, pillars, {"r": 0.4, "p": 0.1, "q": 0.2, "s": 0.3})
    assert bool(table.loc["A", "diperingkat"])


@pytest.fixture
def db(empty_db, tmp_path, monkeypatch) -> Path:
    return cli_copy(empty_db, tmp_path / "db", monkeypatch, with_demo=False)


def skm(periode: str) -> bytes:
    lines = [f"kode_kecamatan,periode,responden,{UNSUR}"] + [f"12.09.19,{periode},r{r}," + ",".join(["4"] * 9)
                                                              for r in range(30)]
    return "\n".join(lines).encode()


def test_skm_is_refused_on_the_semesters_last_day_and_accepted_the_day_after(db, monkeypatch):
    monkeypatch.setenv("TIRU_HARI_INI", "2026-12-31")
    assert not ingest.prepare(Store(db), skm("2026-S2"), "skm.csv").ok
    monkeypatch.setenv("TIRU_HARI_INI", "2027-01-01")
    assert ingest.prepare(Store(db), skm("2026-S2"), "skm.csv").ok


def test_one_model_against_floor_rule():
    assert build_mod.model_floor_problem("higher", 90, 80) is None
    assert build_mod.model_floor_problem("higher", 80, 80) and build_mod.model_floor_problem("higher", 70, 80)
    assert build_mod.model_floor_problem("lower", 12, 120) is None
    assert build_mod.model_floor_problem("lower", 120, 120) and build_mod.model_floor_problem("lower", 130, 120)


def test_a_revert_that_would_leave_the_model_on_its_floor_is_refused(db, monkeypatch):
    monkeypatch.setenv("TIRU_HARI_INI", "2026-12-02")
    store = Store(db)
    ingest.edit_catalogue(store, "lantai", "tte", 80, "admin")  # model 90
    raised = ingest.edit_catalogue(store, "model", "tte", 95, "admin", sumber="Materi")
    ingest.edit_catalogue(store, "lantai", "tte", 90, "admin")
    before = db.read_bytes()
    with pytest.raises(RejectedChange, match="tte"):
        store.revert(raised, "admin", "uji")  # the model would be 90 again, on the floor 90
    assert db.read_bytes() == before
