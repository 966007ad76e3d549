"""A provisional month on top of the demo (#19): November 2026 reported in full by 20 of the 25
Asahan kecamatan — 19 of October's 22 ranked (so 3 drop out of the ranking) and one that was not
ranked in October — built by `tiru import --dengan-demo` as an operator would.

Read it with TIRU_HARI_INI before the deadline (SEBELUM, 8 December: "belum jatuh tempo") or after
it (SESUDAH, 15 December: "terlambat 5 hari"). 20 of 25 complete is 80 %: the month is sementara.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from metrics.core import periode as per
from metrics.data.store import Store
from metrics.engine import benchmark

NOVEMBER = per.parse("2026-11")
SEBELUM, SESUDAH = "2026-12-08", "2026-12-15"
KELUAR = ["12.09.13", "12.09.14", "12.09.21"]  # the three lowest ranked in October, silent in November
MASUK = "12.09.17"  # partial in October (not ranked), complete in November


def reporters(store: Store) -> list[str]:
    october = benchmark.league_table(store, NOVEMBER - 1, draws=20)
    ranked = list(october.loc[october["diperingkat"], "kode_kecamatan"])
    assert all(k in ranked for k in KELUAR) and MASUK not in ranked
    return sorted([k for k in ranked if k not in KELUAR] + [MASUK])


def november_csv(store: Store) -> str:
    """Each reporter's latest monthly values, nudged up or down by a few per cent (some rise, some fall)."""
    monthly = store.indikator().query("frekuensi == 'bulanan'").index
    recent = store.observasi(NOVEMBER - 6, NOVEMBER - 1)
    recent = recent[recent["indikator"].isin(monthly)].sort_values("periode")
    latest = recent.groupby(["kode_kecamatan", "indikator"])["nilai"].last()
    rows = []
    for i, kode in enumerate(reporters(store)):
        factor = 1 + 0.04 * ((i % 5) - 2) / 2  # −4 % … +4 %
        for code in monthly:
            value = latest.get((kode, code))
            if value is None or pd.isna(value):
                continue
            limit = 100 if code in ("tepat_waktu", "pengaduan_tuntas", "permohonan_daring", "tte") else None
            nudged = value * factor
            rows.append(f"{kode},2026-11,{code},{min(nudged, limit) if limit else nudged:.2f},uji,\n")
    return "kode_kecamatan,periode,indikator,nilai,sumber,catatan\n" + "".join(rows)


def build_sementara(folder: Path, demo_db: Path, monkeypatch) -> Path:
    from metrics.ops.cli import main

    path = folder / "tiru.duckdb"
    shutil.copy(demo_db, path)
    monkeypatch.setenv("TIRU_DB", str(path))
    monkeypatch.setenv("TIRU_DEMO", "1")
    monkeypatch.setenv("TIRU_HARI_INI", SEBELUM)
    upload = folder / "november.csv"
    upload.write_text(november_csv(Store(path)), encoding="utf-8")
    assert main(["import", str(upload), "--oleh", "uji", "--dengan-demo"]) == 0
    return path
