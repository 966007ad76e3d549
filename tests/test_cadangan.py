"""Backups that survive and a damaged database named (issue #21): rotation touches only the
automatic pre-write copies; manual and pre-restore copies stay; `tiru backup --list` shows them;
a truncated database is moved aside with the notice; restore refuses views."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import cli_copy, run

from metrics.data import writer

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
