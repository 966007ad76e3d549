"""Faults around the store with real data and real people (issue #12): real values against demo
values across rebuilds and upgrades, damaged backups, reverts of every batch kind, the writers'
lock (timeouts, stale files, concurrent reverts), and a database rebuilt from the demo at start.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from metrics.core import periode as per
from metrics.data import build as build_mod
from metrics.data.build import DATA_DIR, ensure_built
from metrics.data.store import Store
from metrics.ops.cli import main

ROOT = Path(__file__).resolve().parent.parent
HEADER = "kode_kecamatan,periode,indikator,nilai,sumber,catatan\n"


@pytest.fixture
def db(demo_db, tmp_path, monkeypatch) -> Path:
    """A copy of the demo database, the CLI pointed at it."""
    path = tmp_path / "db" / "tiru.duckdb"
    path.parent.mkdir()
    shutil.copy(demo_db, path)
    monkeypatch.setenv("TIRU_DB", str(path))
    monkeypatch.setenv("TIRU_DEMO", "1")
    return path


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _read(db: Path, reader):
    store = Store(db)
    try:
        return reader(store)
    finally:
        store.close()


# --------------------------------------------------------------------------- real outranks demo (#12.1)

OCT = per.parse("2026-10")


def _tte_oct(store: Store) -> tuple[float, bool, str]:
    row = store.observasi(OCT, OCT, "12.09.08").set_index("indikator").loc["tte"]
    return float(row["nilai"]), bool(row["demo"]), str(row["sumber"])


def _targets(store: Store) -> tuple:
    stage = store.target().set_index(["inovasi", "tahap"]).loc[("tte", 2)]
    value = store.target_indikator()
    value = value[(value["indikator"] == "waktu_tunggu") & value["kode_kecamatan"].isna()].set_index("tanggal")
    return (pd.Timestamp(stage["tanggal"]).date(), stage["batch"].startswith("demo-"),
            float(value.loc[pd.Timestamp("2026-12-31"), "nilai"]))


def _backdate(db: Path) -> None:
    """The imports happened a day earlier (as they do before a rebuild in real life): the demo
    loaded by the rebuild is then newer, whatever the speed of the machine running the test."""
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE batch SET waktu = waktu - INTERVAL 1 DAY WHERE NOT demo")


def _user_batches(store: Store) -> pd.DataFrame:
    frame = store.batches()
    return frame[~frame["demo"]].drop(columns=["catatan"]).reset_index(drop=True)


def test_real_values_outrank_demo_values_through_builds_catalogue_changes_and_upgrades(db, tmp_path, capsys,
                                                                                    monkeypatch):
    over = write(tmp_path, "over_demo.csv", HEADER + "12.09.08,2026-10,tte,99,laporan camat,\n")
    code, _, err = run(capsys, "import", over, "--dengan-demo", "--oleh", "operator")
    assert code == 0, err
    targets = write(tmp_path, "target.csv", "inovasi,tahap,tanggal,kode_kecamatan\ntte,2,2025-12-31,\n")
    assert run(capsys, "import", targets, "--dengan-demo", "--oleh", "sekda")[0] == 0
    values = write(tmp_path, "target_nilai.csv", "indikator,nilai,tanggal,kode_kecamatan\nwaktu_tunggu,20,2026-12-31,\n")
    assert run(capsys, "import", values, "--dengan-demo", "--oleh", "sekda")[0] == 0
    _backdate(db)
    expected = (99.0, False, "laporan camat")
    expected_targets = (dt.date(2025, 12, 31), False, 20.0)
    assert _read(db, _tte_oct) == expected and _read(db, _targets) == expected_targets
    batches = _read(db, _user_batches)
    assert len(batches) == 3 and batches["dibatalkan"].isna().all()

    # `tiru build`: the demo is loaded again, with a newer time than the imports.
    code, _, err = run(capsys, "build")
    assert code == 0, err
    assert _read(db, _tte_oct) == expected, "a rebuild let the demo value win over the imported one"
    assert _read(db, _targets) == expected_targets, "a rebuild let the demo targets win"

    # A change under data/ rebuilds at the next command.
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    inovasi = data / "catalog" / "inovasi.csv"
    inovasi.write_text(inovasi.read_text(encoding="utf-8").replace("Sistem antrean", "Sistem  antrean", 1),
                       encoding="utf-8")
    first = db.stat().st_ino
    ensure_built(db, data)
    assert db.stat().st_ino != first
    assert _read(db, _tte_oct) == expected and _read(db, _targets) == expected_targets

    # A new schema version (an upgrade) rebuilds too.
    monkeypatch.setattr(build_mod, "SCHEMA_VERSION", build_mod.SCHEMA_VERSION + "-baru")
    first = db.stat().st_ino
    ensure_built(db, data)
    assert db.stat().st_ino != first
    assert _read(db, _tte_oct) == expected and _read(db, _targets) == expected_targets
    # Every imported batch came over unchanged, still in force.
    pd.testing.assert_frame_equal(_read(db, _user_batches), batches)


def test_the_import_preview_compares_with_the_real_value_after_a_rebuild(db, tmp_path, capsys):
    over = write(tmp_path, "over_demo.csv", HEADER + "12.09.08,2026-10,tte,99,laporan camat,\n")
    assert run(capsys, "import", over, "--dengan-demo")[0] == 0
    _backdate(db)
    assert run(capsys, "build")[0] == 0
    code, _, err = run(capsys, "import", over, "--dengan-demo")
    assert code == 0 and "Tidak ada perubahan" in err  # the same file again: nothing new
