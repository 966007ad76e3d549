"""Backups that survive and a damaged database named (issue #21): rotation touches only the
automatic pre-write copies; manual and pre-restore copies stay; `tiru backup --list` shows them;
a truncated database is moved aside with the notice; restore refuses views."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from cli_support import cli_copy, run

from metrics.data import build as build_mod
from metrics.data import writer
from metrics.data.store import Store, StoreError

HEADER = "kode_kecamatan,periode,indikator,nilai,sumber,catatan\n"


@pytest.fixture
def db(demo_db, tmp_path, monkeypatch) -> Path:
    return cli_copy(demo_db, tmp_path / "db", monkeypatch, with_demo=True)


def _imports(db: Path, tmp_path: Path, capsys, n: int) -> None:
    for i in range(n):
        path = tmp_path / f"impor{i}.csv"
        path.write_text(HEADER + f"12.09.08,2026-10,tte,{50 + i},laporan camat,\n", encoding="utf-8")
        code, _, err = run(capsys, "import", path, "--dengan-demo")
        assert code == 0, err


def test_rotation_keeps_manual_and_pre_restore_copies(db, tmp_path, capsys):
    code, out, err = run(capsys, "backup")
    assert code == 0, err
    manual = Path(out.strip())
    assert manual.parent == db.parent / "backups"
    code, _, err = run(capsys, "restore", manual)
    assert code == 0, err
    pre_restore = [p for p in (db.parent / "backups").iterdir() if "sebelum-pulih" in p.name]
    assert len(pre_restore) == 1
    _imports(db, tmp_path, capsys, writer.BACKUP_KEEP + 2)
    left = set((db.parent / "backups").iterdir())
    assert manual in left and pre_restore[0] in left  # kept until removed by hand
    automatic = [p for p in left if p not in (manual, pre_restore[0])]
    assert len(automatic) == writer.BACKUP_KEEP  # the automatic copies still rotate


@pytest.mark.parametrize("bahasa, kata", [("id", "manual"), ("en", "manual")])
def test_backup_list_shows_every_copy_with_its_kind(db, tmp_path, capsys, bahasa, kata):
    manual = Path(run(capsys, "backup")[1].strip())
    _imports(db, tmp_path, capsys, 1)
    code, out, err = run(capsys, "--bahasa", bahasa, "backup", "--list")
    assert code == 0, err
    lines = [line for line in out.splitlines() if line.strip()]
    assert any(str(manual) in line and kata in line for line in lines), out
    assert any(("otomatis" if bahasa == "id" else "automatic") in line for line in lines), out
    assert len([line for line in lines if ".duckdb" in line]) == 2


# --------------------------------------------------------------------------- a damaged database (#21.2)

ROOT = Path(__file__).resolve().parent.parent


def _tiru(db: Path, *args: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "metrics", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=180, check=False, env={**os.environ, "TIRU_DB": str(db), "TIRU_DEMO": "1", **env})


def _truncate(db: Path, size: int = 3_000_000) -> bytes:
    """`head -c 3000000 good.duckdb > $TIRU_DB`: the first part of a whole database, in place."""
    cut = db.read_bytes()[:size]
    with open(db, "r+b") as handle:
        handle.truncate(size)
    return cut


@pytest.mark.parametrize("command", ["bulan", "batches", "ranking"])
def test_a_truncated_database_is_set_aside_with_the_notice_never_a_traceback(db, tmp_path, capsys, command):
    _imports(db, tmp_path, capsys, 1)  # so backups/ holds a copy to name
    newest = build_mod.backups(db)[-1]
    cut = _truncate(db)
    done = _tiru(db, command)
    assert "Traceback" not in done.stderr and "Could not read" not in done.stderr, done.stderr
    aside = [p for p in db.parent.iterdir() if ".rusak-" in p.name]
    assert len(aside) == 1 and aside[0].read_bytes() == cut  # kept, never deleted
    assert aside[0].name in done.stderr and "tiru restore" in done.stderr
    note = build_mod.recovery_note(db)
    assert note and note["cadangan_terbaru"] == str(newest)
    assert done.returncode == 0  # rebuilt from data/, as an unreadable file is


def test_a_database_damaged_before_a_write_is_set_aside_and_nothing_written(db, tmp_path, capsys):
    store = Store(db)
    try:
        store.meta()  # opened while whole
        _truncate(db)
        with pytest.raises(StoreError) as caught:
            store.write(lambda con, batch: None, jenis="uji", oleh="uji")
    finally:
        store.close()
    assert "tiru restore" in str(caught.value) and ".rusak-" in str(caught.value)
    assert [p for p in db.parent.iterdir() if ".rusak-" in p.name]
    assert "uji" not in set(Store(db).batches()["jenis"])


def test_damage_missed_by_the_check_still_ends_in_a_clear_exit_1(db, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(build_mod, "damage", lambda *a, **k: None)  # as if the check had missed it
    _truncate(db)
    code, _, err = run(capsys, "batches")
    assert code == 1 and "rusak" in err and "tiru restore" in err, err
    code, _, err = run(capsys, "--bahasa", "en", "batches")
    assert code == 1 and "damaged" in err, err


def test_the_app_says_so_in_indonesian_on_a_truncated_database(db, monkeypatch):
    from streamlit.testing.v1 import AppTest

    _truncate(db)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("dibangun ulang" in w.value for w in at.warning), [w.value for w in at.warning]


def _with_view(db: Path, table: str = "observasi") -> None:
    with duckdb.connect(str(db)) as con:
        con.execute(f"CREATE TABLE {table}_asli AS SELECT * FROM {table}")
        con.execute(f"DROP TABLE {table}")
        con.execute(f"CREATE VIEW {table} AS SELECT * FROM {table}_asli")


def test_restore_refuses_a_backup_whose_observasi_is_a_view(db, tmp_path, capsys):
    candidate = tmp_path / "pandangan.duckdb"
    shutil.copy(db, candidate)
    _with_view(candidate)
    before = db.read_bytes()
    code, _, err = run(capsys, "restore", candidate)
    assert code == 1 and "observasi" in err and "view" in err.lower(), err
    assert db.read_bytes() == before


def test_a_database_whose_table_became_a_view_is_set_aside_at_start(db, tmp_path):
    _with_view(db)
    done = _tiru(db, "batches")
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert [p for p in db.parent.iterdir() if ".rusak-" in p.name]
