"""What the CLI tests share: a private copy of a database with the CLI pointed at it, and one run."""

from __future__ import annotations

import shutil
from pathlib import Path

from metrics.ops.cli import main


def cli_copy(source: Path, folder: Path, monkeypatch, *, with_demo: bool) -> Path:
    """Copy `source` to folder/tiru.duckdb and point the CLI at it (TIRU_DB, TIRU_DEMO)."""
    path = folder / "tiru.duckdb"
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, path)
    monkeypatch.setenv("TIRU_DB", str(path))
    monkeypatch.setenv("TIRU_DEMO", "1" if with_demo else "0")
    return path


def run(capsys, *args):
    """`tiru *args` in this process: (exit code, stdout, stderr)."""
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err
