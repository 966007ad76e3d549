"""`tiru demo` writes the demo of the configuration in force (#25): the committed Asahan files for the
shipped configuration (byte for byte), the configured kabupaten's own story for any other, never over
the committed data/demo."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from metrics.data import demo_wilayah, wilayah
from metrics.data.build import DATA_DIR
from metrics.ops import cli

FILES = ("observasi.csv", "adopsi.csv", "target.csv", "target_indikator.csv")


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    """A copy of data/ (sources and the committed demo) that `tiru demo` writes into."""
    copy = tmp_path / "data"
    for part in ("reference", "catalog", "demo"):
        shutil.copytree(DATA_DIR / part, copy / part)
    monkeypatch.setattr(cli, "DATA_DIR", copy)
    monkeypatch.delenv("TIRU_WILAYAH", raising=False)
    monkeypatch.delenv("TIRU_MODEL", raising=False)
    return copy


def _codes(folder: Path) -> set[str]:
    with (folder / "observasi.csv").open(encoding="utf-8", newline="") as handle:
        return {row["kode_kecamatan"] for row in csv.DictReader(handle)}


def test_the_default_writes_the_committed_demo_byte_for_byte(data_dir, capsys):
    for name in FILES:
        (data_dir / "demo" / name).unlink()
    assert cli.main(["demo"]) == 0
    for name in FILES:
        assert (data_dir / "demo" / name).read_bytes() == (DATA_DIR / "demo" / name).read_bytes(), name
    assert str(data_dir / "demo" / "observasi.csv") in capsys.readouterr().err


def test_another_configuration_writes_its_own_demo_beside_the_committed_one(data_dir, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("TIRU_WILAYAH", "12.19")
    assert cli.main(["demo"]) == 0
    out = data_dir / "demo-12.19-32.77.02"
    expected = tmp_path / "expected"
    demo_wilayah.generate(wilayah.baca("12.19", "32.77.02"), DATA_DIR, expected)
    for name in FILES:
        assert (out / name).read_bytes() == (expected / name).read_bytes(), name
        assert (data_dir / "demo" / name).read_bytes() == (DATA_DIR / "demo" / name).read_bytes(), name  # untouched
    batu_bara = set(wilayah.kecamatan_codes("12.19"))
    assert batu_bara <= _codes(out) and not any(k.startswith("12.09.") for k in _codes(out))
    err = capsys.readouterr().err
    assert str(out / "observasi.csv") in err and "Batu Bara" in err


def test_the_options_and_an_output_folder(data_dir, tmp_path):
    out = tmp_path / "keluar"
    assert cli.main(["demo", "--wilayah", "12.19", "--model", "12.19.01", str(out)]) == 0
    assert set(wilayah.kecamatan_codes("12.19")) - {"12.19.01"} <= _codes(out)
    assert not (data_dir / "demo-12.19-12.19.01").exists()


def test_a_wrong_code_writes_nothing(data_dir, capsys):
    assert cli.main(["demo", "--wilayah", "12.99"]) == 1
    assert "12.99" in capsys.readouterr().err
    assert sorted(p.name for p in data_dir.iterdir()) == ["catalog", "demo", "reference"]


def test_another_configurations_database_follows_the_code_that_makes_its_rows(tmp_path, monkeypatch):
    """Another configuration's kecamatan rows and model sources are made by metrics/data/wilayah.py (and its
    texts): a change there rebuilds its database, as a change of the demo generator does; the default's
    fingerprint stays what it was."""
    from metrics.data import build as build_module

    assert Path(wilayah.__file__) in build_module.KONFIGURASI_FILES
    stand_in = tmp_path / "wilayah.py"
    stand_in.write_text("a", encoding="utf-8")
    monkeypatch.setattr(build_module, "KONFIGURASI_FILES", (stand_in,))
    other, default = wilayah.baca("12.19", "32.77.02"), wilayah.baca("12.09", "32.77.02")
    before = {(c.kode, demo): build_module.fingerprint(DATA_DIR, demo, c) for c in (other, default) for demo in (True, False)}
    stand_in.write_text("b", encoding="utf-8")
    after = {(c.kode, demo): build_module.fingerprint(DATA_DIR, demo, c) for c in (other, default) for demo in (True, False)}
    assert before[("12.19", True)] != after[("12.19", True)] and before[("12.19", False)] != after[("12.19", False)]
    assert before[("12.09", True)] == after[("12.09", True)] and before[("12.09", False)] == after[("12.09", False)]
