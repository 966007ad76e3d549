"""The demo follows the configuration (#25): any kabupaten gets the shipped story told with its own
kecamatan (deterministic, DATA CONTOH), and the shipped Asahan demo stays exactly the default."""

from __future__ import annotations

import contextlib
import csv
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from metrics.data import demo, demo_pemeran, demo_wilayah, wilayah
from metrics.data.build import DATA_DIR
from metrics.data.demo_cerita import PARTIAL_NOTE

FILES = ("observasi.csv", "adopsi.csv", "target.csv", "target_indikator.csv")


def _table(db: Path, sql: str) -> pd.DataFrame:
    with contextlib.closing(duckdb.connect(str(db), read_only=True)) as con:
        return con.execute(sql).df()


def _generate(tmp_path: Path, kode: str, model: str = "32.77.02") -> Path:
    out = tmp_path / f"{kode}-{model}"
    demo_wilayah.generate(wilayah.baca(kode, model), DATA_DIR, out)
    return out


@pytest.fixture(params=[("batu_bara", 12), ("garut", 42)], ids=["batu_bara", "garut"])
def built(request, wilayah_db):
    name, n = request.param
    state = wilayah_db(name)  # conftest: built once per session, shared with test_wilayah_lain
    return state.kode, n, state.db


def test_the_default_configuration_generates_the_committed_demo(tmp_path):
    out = _generate(tmp_path, "12.09")
    for name in FILES:
        assert (out / name).read_bytes() == (DATA_DIR / "demo" / name).read_bytes(), name
    config = wilayah.baca("12.09", "32.77.02")
    assert demo_wilayah.pemeran(config, demo_wilayah.katalog(config, DATA_DIR)) is demo_pemeran.BAWAAN


def test_the_same_code_gives_the_same_demo_and_another_code_another(tmp_path):
    first, second = _generate(tmp_path / "a", "12.19"), _generate(tmp_path / "b", "12.19")
    for name in FILES:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    other = _generate(tmp_path, "32.05")
    assert (other / "observasi.csv").read_bytes() != (first / "observasi.csv").read_bytes()


def test_every_kecamatan_has_demo_data_labelled_data_contoh(built):
    kode, n, db = built
    ranked = _table(db, f"SELECT kode FROM kecamatan WHERE kode LIKE '{kode}.%'")["kode"]
    assert len(ranked) == n
    observed = set(_table(db, "SELECT DISTINCT kode_kecamatan FROM observasi")["kode_kecamatan"])
    assert observed == set(_table(db, "SELECT kode FROM kecamatan")["kode"])  # the model's kabupaten too
    adopting = set(_table(db, "SELECT DISTINCT kode_kecamatan FROM adopsi")["kode_kecamatan"])
    assert adopting and adopting <= set(ranked)  # only the benchmarked kabupaten adopts
    assert _table(db, "SELECT bool_and(demo) d, count(*) n FROM batch")["d"][0]
    assert set(_table(db, "SELECT DISTINCT sumber FROM observasi")["sumber"]) == {demo.DEMO_SOURCE}
    assert "Asahan" not in " ".join(_table(db, "SELECT coalesce(bukti, '') || oleh t FROM adopsi")["t"])


def test_the_story_shape_holds(built):
    kode, n, db = built
    last = demo.LAST + "-01"
    reporting = set(_table(db, f"SELECT DISTINCT kode_kecamatan FROM observasi WHERE periode = '{last}'")["kode_kecamatan"])
    ranked = set(_table(db, f"SELECT kode FROM kecamatan WHERE kode LIKE '{kode}.%'")["kode"])
    silent = ranked - reporting
    assert 1 <= len(silent) < n / 4  # someone is silent in the latest month, most report
    partial = _table(db, f"SELECT DISTINCT kode_kecamatan FROM observasi WHERE periode = '{last}' AND catatan = $n"
                     .replace("$n", f"'{PARTIAL_NOTE}'"))
    assert len(partial) == 1 and partial["kode_kecamatan"][0] in ranked - silent
    outlier = _table(db, "SELECT o.kode_kecamatan, o.nilai FROM observasi_pencilan p JOIN observasi o USING "
                         "(kode_kecamatan, periode, indikator, batch)")
    assert len(outlier) == 1 and outlier["kode_kecamatan"][0] in ranked and outlier["nilai"][0] == 240.0
    events = _table(db, "SELECT kode_kecamatan, inovasi, tahap, tanggal FROM adopsi ORDER BY urutan")
    assert (events["tanggal"].diff().dt.days < 0).any()  # typed in late: out of date order
    steps = events.sort_values(["kode_kecamatan", "inovasi", "tanggal"], kind="stable")
    back = steps.groupby(["kode_kecamatan", "inovasi"])["tahap"].apply(lambda s: (s.diff() < 0).any())
    assert back.sum() >= 1  # the slipping kecamatan steps back
    reached = events.groupby("kode_kecamatan")["tahap"].max()
    assert reached.max() == 4 and len(reached) >= n - 1  # fast ones institutionalise, nearly all start
    assert _table(db, "SELECT count(*) n FROM bulan_tutup")["n"][0] > 0  # its history is closed like Asahan's
    targets = _table(db, "SELECT kode_kecamatan FROM target WHERE kode_kecamatan IS NOT NULL")["kode_kecamatan"]
    assert set(targets) <= ranked and len(targets) == 1


@pytest.mark.parametrize("kode", ["13.74", "35.72", "95.03"])  # 2, 3 and 51 kecamatan
def test_small_and_large_kabupaten_share_or_spread_the_roles(tmp_path, kode):
    config = wilayah.baca(kode, "32.77.02")
    cast_from = demo_wilayah.katalog(config, DATA_DIR)
    cast = demo_wilayah.pemeran(config, cast_from)
    own = {k.kode for k in cast_from.kecamatan if k.wilayah == config.nama}
    assert set(cast.profil) <= own and set(cast.non_reporters) <= own
    assert len(cast.non_reporters) < len(own)  # never everyone silent
    assert cast.outlier is not None and cast.outlier[0] in own
    out = tmp_path / kode
    demo_wilayah.generate(config, DATA_DIR, out)
    with (out / "observasi.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["kode_kecamatan"] for r in rows} >= own
    if len(own) <= 3:  # too few for every role: shared, and said by the counts
        assert len(cast.non_reporters) == 1 and (cast.partial_reporter is None) == (len(own) < 3)


def test_an_internal_model_is_the_model_not_an_adopter(tmp_path):
    config = wilayah.baca("32.05", "32.05.01")
    cast_from = demo_wilayah.katalog(config, DATA_DIR)
    cast = demo_wilayah.pemeran(config, cast_from)
    roles = set(cast.profil) | set(cast.non_reporters) | {cast.partial_reporter, cast.outlier[0]}
    assert "32.05.01" not in roles
    out = tmp_path / "garut"
    demo_wilayah.generate(config, DATA_DIR, out)
    with (out / "adopsi.csv").open(encoding="utf-8", newline="") as handle:
        assert "32.05.01" not in {r["kode_kecamatan"] for r in csv.DictReader(handle)}
    assert "studi tiru Cimahi" not in (out / "adopsi.csv").read_text(encoding="utf-8")



@pytest.fixture
def batu_bara_demo(wilayah_db):
    return wilayah_db("batu_bara").db  # its pages in both languages: test_wilayah_lain.py


def test_a_removed_generated_demo_stays_removed_on_rebuild(batu_bara_demo, tmp_path, monkeypatch):
    from metrics.ops.cli import main

    db = tmp_path / "tiru.duckdb"
    db.write_bytes(batu_bara_demo.read_bytes())
    upload = tmp_path / "satu.csv"
    upload.write_text("kode_kecamatan,periode,indikator,nilai,sumber,catatan\n12.19.01,2026-09,waktu_tunggu,45,uji,\n",
                      encoding="utf-8")
    for name, value in (("TIRU_DB", str(db)), ("TIRU_WILAYAH", "12.19"), ("TIRU_DEMO", "1")):
        monkeypatch.setenv(name, value)
    assert main(["import", str(upload), "--oleh", "uji", "--hapus-demo"]) == 0
    assert main(["build"]) == 0
    observed = _table(db, "SELECT o.kode_kecamatan, b.demo FROM observasi o JOIN batch b ON b.id = o.batch")
    assert observed.to_dict("records") == [{"kode_kecamatan": "12.19.01", "demo": False}]
