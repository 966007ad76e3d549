"""Real data always wins (#20): for a kecamatan × innovation with any real adoption event the stage
comes from real events only; real targets outrank demo targets of any scope; a real row equal to a
demo row is stored as real (and stays when the demo goes); among real batches the later one wins by
batch sequence, never by the clock."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from metrics import ingest
from metrics.data.store import Store
from metrics.engine import adopsi

KEC, INOV = "12.09.17", "jemput_bola"  # the demo: stage 3 since 2026-06-16, a named target stage 3 by 2026-03-31


@pytest.fixture
def store(demo_desember) -> Store:
    return Store()  # the copy the CLI reads too (conftest)


def imported(store: Store, text: str, name: str, demo: str = "pertahankan") -> ingest.Hasil:
    plan = ingest.prepare(store, text.encode(), name)
    assert plan.ok, plan.masalah
    return ingest.impor(store, plan, "admin", demo=demo)


def stage(store: Store, day=dt.date(2026, 12, 1)) -> int:
    now = adopsi.stage_on(store.adopsi(), day).set_index(["kode_kecamatan", "inovasi"])["tahap"]
    return int(now.get((KEC, INOV), 0))


def test_a_real_event_sets_the_stage_even_when_the_demo_has_a_later_one(store):
    assert stage(store) == 3
    result = imported(store, f"kode_kecamatan,inovasi,tahap,tanggal,bukti,oleh\n{KEC},{INOV},4,2025-10-01,SK camat,\n",
                      "adopsi.csv")
    assert result.baru == 1
    assert stage(store) == 4


def test_a_real_event_equal_to_a_demo_event_is_stored_as_real_and_stays(store):
    result = imported(store, f"kode_kecamatan,inovasi,tahap,tanggal,bukti,oleh\n{KEC},{INOV},3,2026-06-16,Foto,\n",
                      "adopsi.csv")
    assert result.batch is not None and result.baru == 1
    imported(store, "kode_kecamatan,periode,indikator,nilai,sumber,catatan\n12.09.19,2026-11,tte,80,Laporan,\n",
             "hapus.csv", demo="hapus")
    assert stage(store) == 3  # the real event stayed when the demo went


def test_a_real_kabupaten_wide_target_outranks_a_demo_named_target(store):
    imported(store, f"inovasi,tahap,tanggal,kode_kecamatan\n{INOV},2,2026-09-30,\n", "target.csv")
    applied = adopsi.applicable_targets(store.target(), [KEC, "12.09.08"]).set_index(["inovasi", "kode_kecamatan"])
    row = applied.loc[(INOV, KEC)]
    assert int(row["tahap"]) == 2 and pd.Timestamp(row["tanggal"]) == pd.Timestamp("2026-09-30")


def test_a_real_target_equal_to_the_demo_is_stored_as_real(store):
    result = imported(store, "inovasi,tahap,tanggal,kode_kecamatan\ntte,2,2025-09-30,\n", "target.csv")
    assert result.batch is not None and result.berubah == 1  # the demo's row, replaced by an equal real one


def test_the_later_batch_wins_by_sequence_not_by_clock(store, monkeypatch):
    row = "kode_kecamatan,periode,indikator,nilai,sumber,catatan\n12.09.19,2026-11,tte,{v},Laporan,\n"
    monkeypatch.setenv("TIRU_HARI_INI", "2027-03-01")  # a clock that ran ahead
    imported(store, row.format(v=70), "a.csv")
    monkeypatch.setenv("TIRU_HARI_INI", "2026-12-03")
    result = imported(store, row.format(v=75), "b.csv")
    assert result.berubah == 1
    assert store.observasi(per_nov(), per_nov(), "12.09.19").set_index("indikator").loc["tte", "nilai"] == 75
    again = imported(store, row.format(v=75), "c.csv")
    assert again.batch is None and again.sama == 1


def per_nov() -> int:
    from metrics.core import periode as per
    return per.parse("2026-11")
