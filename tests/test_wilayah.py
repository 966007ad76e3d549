"""The region is configured, not written into the code (#25): the national kecamatan list shipped in
data/reference/, the configuration read from TIRU_WILAYAH / TIRU_MODEL, and the database built for it."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from metrics.data.build import DATA_DIR

NATIONAL = DATA_DIR / "reference" / "kecamatan_indonesia.csv"


def _rows(path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_national_list_holds_every_kecamatan_once():
    rows = _rows(NATIONAL)
    assert list(rows[0]) == ["kode", "nama", "kode_kabupaten", "kabupaten", "kode_provinsi", "provinsi",
                             "jumlah_desa", "jumlah_kelurahan"]
    assert len(rows) == 7285
    assert len({r["kode"] for r in rows}) == 7285
    assert len({r["kode_kabupaten"] for r in rows}) == 514
    assert len({r["kode_kabupaten"]: r["kabupaten"] for r in rows}) == len({r["kabupaten"] for r in rows}) == 514
    assert len({r["kode_provinsi"] for r in rows}) == 38
    for r in rows:  # a kecamatan's code starts with its kabupaten's, which starts with its province's
        assert r["kode"].startswith(r["kode_kabupaten"] + ".") and r["kode_kabupaten"].startswith(r["kode_provinsi"] + ".")
        assert int(r["jumlah_desa"]) >= 0 and int(r["jumlah_kelurahan"]) >= 0


def test_the_national_list_agrees_with_the_asahan_and_cimahi_reference_rows():
    national = {r["kode"]: r for r in _rows(NATIONAL)}
    reference = _rows(DATA_DIR / "reference" / "kecamatan.csv")
    asahan = [r for r in reference if r["wilayah"] == "Asahan"]
    assert len(asahan) == 25
    assert sorted(k for k, r in national.items() if r["kode_kabupaten"] == "12.09") == sorted(r["kode"] for r in asahan)
    for row in reference:  # the 3 Cimahi rows too
        found = national[row["kode"]]
        assert (found["nama"], found["kabupaten"], found["jumlah_desa"], found["jumlah_kelurahan"]) == (
            row["nama"], row["kabupaten_kota"], row["desa"], row["kelurahan"]), row["kode"]


# --------------------------------------------------------------------------- the configuration

import pytest  # noqa: E402

from metrics.core import bahasa  # noqa: E402
from metrics.data import wilayah  # noqa: E402


def test_the_default_configuration_is_asahan_against_cimahi_tengah(monkeypatch):
    monkeypatch.delenv("TIRU_WILAYAH", raising=False)
    monkeypatch.delenv("TIRU_MODEL", raising=False)
    config = wilayah.aktif()
    assert (config.kode, config.kabupaten, config.nama, config.provinsi) == (
        "12.09", "Kabupaten Asahan", "Asahan", "Sumatera Utara")
    assert (config.model, config.model_nama, config.model_kode_kabupaten, config.model_kabupaten,
            config.model_wilayah) == ("32.77.02", "Cimahi Tengah", "32.77", "Kota Cimahi", "Cimahi")
    assert config.bawaan and not config.internal and config.berkas == "tiru.duckdb"
    with pytest.raises(AttributeError):
        config.kode = "12.19"  # frozen


def test_the_settings_choose_another_kabupaten_and_model(monkeypatch):
    monkeypatch.setenv("TIRU_WILAYAH", " 12.19 ")
    config = wilayah.aktif()
    assert (config.kode, config.kabupaten, config.nama, config.model) == ("12.19", "Kabupaten Batu Bara", "Batu Bara",
                                                                          "32.77.02")
    assert not config.bawaan and config.berkas == "tiru-12.19-32.77.02.duckdb"
    monkeypatch.setenv("TIRU_MODEL", "32.05.01")
    assert (wilayah.aktif().model_kabupaten, wilayah.aktif().model_wilayah) == ("Kabupaten Garut", "Garut")
    # arguments (the CLI's --wilayah / --model) come before the settings
    assert wilayah.baca("32.05", "32.77.02").kabupaten == "Kabupaten Garut"


def test_a_model_inside_the_kabupaten_is_internal_best_practice():
    config = wilayah.baca("12.09", "12.09.19")
    assert config.internal and config.model_wilayah == config.nama == "Asahan"
    assert "praktik terbaik internal" in config.catatan()
    with bahasa.dalam("en"):
        assert "internal best practice" in config.catatan()
    assert "internal" not in wilayah.baca("12.19", "32.77.02").catatan()


def test_a_kabupaten_and_a_kota_of_one_name_keep_apart():
    config = wilayah.baca("32.04", "32.73.01")  # Kabupaten Bandung against Sukasari, Kota Bandung
    assert (config.nama, config.model_wilayah) == ("Kabupaten Bandung", "Kota Bandung")


@pytest.mark.parametrize(("kode", "nearest"), [("12.9", "12.09 Kabupaten Asahan"), ("12.19.01", "12.19 Kabupaten Batu Bara"),
                                               ("Batu Bara", "12.19 Kabupaten Batu Bara"), ("garut", "32.05 Kabupaten Garut")])
def test_a_wrong_kabupaten_code_names_the_nearest(kode, nearest):
    with pytest.raises(wilayah.WilayahError) as caught:
        wilayah.baca(kode, "32.77.02")
    assert f"TIRU_WILAYAH = '{kode}' bukan kode kabupaten/kota" in str(caught.value) and nearest in str(caught.value)
    with bahasa.dalam("en"), pytest.raises(wilayah.WilayahError) as caught:
        wilayah.baca(kode, "32.77.02")
    assert "is not a kabupaten/kota code" in str(caught.value) and nearest in str(caught.value)


@pytest.mark.parametrize(("kode", "nearest"), [("32.77", "32.77.02 Cimahi Tengah (Kota Cimahi)"),
                                               ("Cimahi Tengah", "32.77.02 Cimahi Tengah (Kota Cimahi)"),
                                               ("32.77.2", "32.77.02 Cimahi Tengah (Kota Cimahi)")])
def test_a_model_that_is_not_a_kecamatan_names_the_nearest(kode, nearest):
    with pytest.raises(wilayah.WilayahError) as caught:
        wilayah.baca("12.09", kode)
    assert f"TIRU_MODEL = '{kode}' bukan kode kecamatan" in str(caught.value) and nearest in str(caught.value)
    with bahasa.dalam("en"), pytest.raises(wilayah.WilayahError) as caught:
        wilayah.baca("12.09", kode)
    assert "is not a kecamatan code" in str(caught.value) and nearest in str(caught.value)


# --------------------------------------------------------------------------- the database built for it

import duckdb  # noqa: E402
import pandas as pd  # noqa: E402

from metrics.data.build import build, default_db_path, ensure_built  # noqa: E402
from metrics.data.store import Store, StoreError  # noqa: E402


def _table(db, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).df()


def test_the_default_build_holds_exactly_the_reference_kecamatan(empty_db):
    """Before #25 the build inserted data/reference/kecamatan.csv as it is: a default build still holds exactly that."""
    today = pd.read_csv(DATA_DIR / "reference" / "kecamatan.csv", dtype=str, keep_default_na=False)
    built = _table(empty_db, "SELECT * FROM kecamatan ORDER BY kode")
    assert list(built.columns) == list(today.columns)
    for column in today.columns:
        found = ["" if pd.isna(v) else v for v in built[column]]
        expected = [("" if v == "" else type(f)(v)) if (f := next((x for x in found if x != ""), "")) != "" else v
                    for v in today[column]]
        assert found == expected, column
    assert _table(empty_db, "SELECT count(*) n FROM ombudsman")["n"][0] == 7
    meta = dict(_table(empty_db, "SELECT kunci, nilai FROM meta").itertuples(index=False))
    assert (meta["wilayah"], meta["model"]) == ("12.09", "32.77.02")


@pytest.fixture(scope="module")
def batu_bara(tmp_path_factory):
    return build(tmp_path_factory.mktemp("batubara") / "tiru.duckdb", DATA_DIR, with_demo=False,
                 config=wilayah.baca("12.19", "32.77.02"))  # its own demo: tests/test_demo_wilayah.py


def test_another_kabupaten_is_built_from_the_national_list_with_missing_facts_missing(batu_bara):
    kecamatan = _table(batu_bara, "SELECT * FROM kecamatan ORDER BY kode")
    national = pd.read_csv(NATIONAL, dtype=str)
    batu = national[national["kode_kabupaten"] == "12.19"]
    assert list(kecamatan["kode"]) == sorted(batu["kode"]) + ["32.77.01", "32.77.02", "32.77.03"]
    ranked = kecamatan[kecamatan["wilayah"] == "Batu Bara"]
    assert list(ranked["nama"]) == list(batu.sort_values("kode")["nama"])
    assert list(ranked["desa"]) == [int(v) for v in batu.sort_values("kode")["jumlah_desa"]]
    assert set(ranked["kabupaten_kota"]) == {"Kabupaten Batu Bara"}
    # nothing known beyond the list: missing, never 0 or made up
    assert ranked[["penduduk", "luas_km2", "lat", "lon"]].isna().all().all()
    assert ranked["sumber"].str.contains("population/area/centre: not found").all()
    cimahi = kecamatan[kecamatan["wilayah"] == "Cimahi"].set_index("kode")
    assert cimahi.at["32.77.02", "penduduk"] == 161002  # the model's known facts stay
    # built without the demo: nothing observed; the Ombudsman series of the model stays
    assert _table(batu_bara, "SELECT count(*) n FROM observasi")["n"][0] == 0
    assert list(_table(batu_bara, "SELECT DISTINCT kode FROM ombudsman")["kode"]) == ["32.77"]
    meta = dict(_table(batu_bara, "SELECT kunci, nilai FROM meta").itertuples(index=False))
    assert (meta["wilayah"], meta["model"]) == ("12.19", "32.77.02")


def test_an_internal_model_builds_only_the_kabupaten(tmp_path):
    db = build(tmp_path / "tiru.duckdb", DATA_DIR, with_demo=False, config=wilayah.baca("32.05", "32.05.01"))
    kecamatan = _table(db, "SELECT wilayah, count(*) n FROM kecamatan GROUP BY 1")
    assert kecamatan.to_dict("records") == [{"wilayah": "Garut", "n": 42}]


def test_a_database_built_for_another_configuration_is_refused_never_mixed(batu_bara, tmp_path, monkeypatch):
    copy = tmp_path / "tiru.duckdb"
    copy.write_bytes(batu_bara.read_bytes())
    before = copy.read_bytes()
    monkeypatch.delenv("TIRU_WILAYAH", raising=False)
    monkeypatch.delenv("TIRU_MODEL", raising=False)
    for attempt in (lambda: ensure_built(copy), lambda: build(copy, DATA_DIR), lambda: Store(copy).kecamatan()):
        with pytest.raises(StoreError, match="dibangun untuk wilayah 12.19, model 32.77.02") as caught:
            attempt()
        assert "wilayah 12.09, model 32.77.02" in str(caught.value)
    assert copy.read_bytes() == before  # untouched
    monkeypatch.setenv("TIRU_WILAYAH", "12.19")
    assert ensure_built(copy) == copy  # its own configuration opens it


def test_each_configuration_has_its_own_default_file(monkeypatch):
    monkeypatch.delenv("TIRU_DB", raising=False)
    monkeypatch.delenv("TIRU_WILAYAH", raising=False)
    monkeypatch.delenv("TIRU_MODEL", raising=False)
    assert default_db_path() == DATA_DIR / "tiru.duckdb"
    monkeypatch.setenv("TIRU_WILAYAH", "12.19")
    assert default_db_path() == DATA_DIR / "tiru-12.19-32.77.02.duckdb"
    monkeypatch.setenv("TIRU_DB", "/tmp/x.duckdb")
    assert default_db_path() == Path("/tmp/x.duckdb")


def test_tiru_build_takes_the_kabupaten_and_model(tmp_path, monkeypatch, capsys):
    from metrics.ops.cli import main

    monkeypatch.setenv("TIRU_DB", str(tmp_path / "tiru.duckdb"))
    monkeypatch.delenv("TIRU_WILAYAH", raising=False)
    monkeypatch.delenv("TIRU_MODEL", raising=False)
    assert main(["build", "--wilayah", "12.19", "--model", "32.77.02"]) == 0
    err = capsys.readouterr().err
    assert "Kabupaten Batu Bara (12.19, 12 kecamatan)" in err and "TIRU_WILAYAH=12.19 TIRU_MODEL=32.77.02" in err
    assert _table(tmp_path / "tiru.duckdb", "SELECT count(*) n FROM kecamatan WHERE wilayah = 'Batu Bara'")["n"][0] == 12
    # the settings are what the other commands read: without them the file is refused, not rebuilt as Asahan
    assert main(["ranking"]) == 1
    assert "dibangun untuk wilayah 12.19" in capsys.readouterr().err
    assert main(["build", "--wilayah", "12.09", "--model", "12.09.19"]) == 1  # the same file, another configuration
    assert main(["--bahasa", "en", "build", "--model", "32.77"]) == 1
    err = capsys.readouterr().err
    assert "--model = '32.77' is not a kecamatan code" in err and "32.77.02 Cimahi Tengah (Kota Cimahi)" in err
    monkeypatch.setenv("TIRU_DB", str(tmp_path / "garut.duckdb"))
    assert main(["build", "--wilayah", "32.05", "--model", "32.05.01"]) == 0
    assert "praktik terbaik internal" in capsys.readouterr().err


def test_a_backup_of_another_configuration_is_not_restored(batu_bara, empty_db, tmp_path, monkeypatch):
    from metrics.data import writer

    monkeypatch.delenv("TIRU_WILAYAH", raising=False)
    monkeypatch.delenv("TIRU_MODEL", raising=False)
    current = tmp_path / "tiru.duckdb"
    current.write_bytes(empty_db.read_bytes())
    before = current.read_bytes()
    with pytest.raises(StoreError, match="dibangun untuk wilayah 12.19, model 32.77.02"):
        writer.restore(current, batu_bara)
    assert current.read_bytes() == before


def test_similar_kecamatan_leave_out_location_when_a_centre_is_unknown(demo_store):
    from metrics.engine import similarity

    kecamatan = demo_store.kecamatan("Asahan")
    with_centres = similarity.most_similar(kecamatan, "12.09.19")
    unknown = kecamatan.assign(lat=kecamatan["lat"].where(kecamatan["kode"] != "12.09.08"))
    without = similarity.most_similar(unknown, "12.09.19")
    sizes_only = similarity.most_similar(kecamatan.assign(lat=0.0, lon=0.0), "12.09.19")
    assert list(without["kode"]) == list(sizes_only["kode"])  # as if nobody had a centre, not Meranti at 0, 0
    assert list(with_centres["kode"]) != list(without["kode"]) or with_centres["jarak"].tolist() != without["jarak"].tolist()


# --------------------------------------------------------------------------- one source of the region's role


def test_the_role_names_come_from_the_configuration(monkeypatch):
    from metrics.data.store import WILAYAH_PRODUK
    from metrics.engine import benchmark

    monkeypatch.delenv("TIRU_WILAYAH", raising=False)
    monkeypatch.delenv("TIRU_MODEL", raising=False)
    assert (benchmark.region(), benchmark.REGION, tuple(WILAYAH_PRODUK)) == ("Asahan", "Asahan", ("Asahan", "Cimahi"))
    monkeypatch.setenv("TIRU_WILAYAH", "12.19")
    assert (benchmark.region(), benchmark.REGION, tuple(WILAYAH_PRODUK)) == ("Batu Bara", "Batu Bara",
                                                                            ("Batu Bara", "Cimahi"))
    monkeypatch.setenv("TIRU_MODEL", "12.19.01")  # internal: one region
    assert WILAYAH_PRODUK == ("Batu Bara",)


def test_another_kabupaten_is_imported_and_ranked_by_the_cli(batu_bara, tmp_path, monkeypatch, capsys):
    from conftest import FULL_MONTH, _observations

    from metrics.ops.cli import main

    db = tmp_path / "tiru.duckdb"
    db.write_bytes(batu_bara.read_bytes())
    for name, value in (("TIRU_DB", str(db)), ("TIRU_WILAYAH", "12.19"), ("TIRU_DEMO", "0"),
                        ("TIRU_HARI_INI", "2026-10-20")):
        monkeypatch.setenv(name, value)
    codes = [f"12.19.{n:02d}" for n in range(1, 13)]
    rows = [(k, "2026-09", code, value * (1 - 0.02 * i)) for i, k in enumerate(codes) for code, value in FULL_MONTH.items()]
    upload = tmp_path / "september.csv"
    upload.write_text(_observations(rows), encoding="utf-8")
    assert main(["import", str(upload), "--oleh", "uji"]) == 0
    capsys.readouterr()
    assert main(["ranking", "--periode", "2026-09"]) == 0
    ranking = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype={"kode_kecamatan": str})
    assert sorted(ranking["kode_kecamatan"]) == codes and ranking["peringkat"].notna().all()
    assert ranking.set_index("kode_kecamatan").at["12.19.01", "kecamatan"] == "Medang Deras"
    assert main(["bulan"]) == 0
    assert "2026-09" in capsys.readouterr().out


@pytest.fixture(scope="module")
def batu_bara_reported(batu_bara, tmp_path_factory):
    """Batu Bara's database after one month of all 12 kecamatan, imported with the CLI."""
    from conftest import FULL_MONTH, _observations

    from metrics.ops.cli import main

    folder = tmp_path_factory.mktemp("batubara_lapor")
    db = folder / "tiru.duckdb"
    db.write_bytes(batu_bara.read_bytes())
    rows = [(f"12.19.{n:02d}", "2026-09", code, value * (1 - 0.02 * n)) for n in range(1, 13)
            for code, value in FULL_MONTH.items()]
    (folder / "september.csv").write_text(_observations(rows), encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        for name, value in (("TIRU_DB", str(db)), ("TIRU_WILAYAH", "12.19"), ("TIRU_DEMO", "0")):
            mp.setenv(name, value)
        assert main(["import", str(folder / "september.csv"), "--oleh", "uji"]) == 0
    return db


def _page_files():
    from test_app import PAGE_FILES

    return PAGE_FILES


@pytest.mark.parametrize("page", _page_files())
def test_every_page_runs_for_another_kabupaten(batu_bara_reported, use_db, monkeypatch, page):
    from page_support import open_page

    monkeypatch.setenv("TIRU_WILAYAH", "12.19")
    at = open_page(batu_bara_reported, use_db, page, with_demo=False)
    assert not at.exception, [e.message for e in at.exception]
    assert at.title, page


@pytest.mark.parametrize(("kode", "said"), [("12.9", "TIRU_WILAYAH = '12.9' bukan kode kabupaten/kota"),
                                            ("12.09", "dibangun untuk wilayah 12.19, model 32.77.02")])
def test_the_app_says_why_a_configuration_cannot_open(batu_bara, use_db, monkeypatch, kode, said):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("TIRU_WILAYAH", kode)
    use_db(batu_bara, with_demo=False)
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=90)
    at.run()
    assert not at.exception
    assert any(said in e.value for e in at.error), [e.value for e in at.error]


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_command_exits_cleanly_for_another_kabupaten(batu_bara_reported, monkeypatch, tmp_path, capsys, language):
    from metrics.ops.cli import main

    for name, value in (("TIRU_DB", str(batu_bara_reported)), ("TIRU_WILAYAH", "12.19"), ("TIRU_DEMO", "0")):
        monkeypatch.setenv(name, value)
    for args in (["ranking"], ["ranking", "--format", "table"], ["adopsi"], ["dampak"], ["bulan"],
                 ["export", str(tmp_path / "ekspor")], ["pptx", str(tmp_path / "rapat.pptx")],
                 ["pptx", "--kecamatan", "12.19.01", str(tmp_path / "fokus.pptx")],
                 ["rapor", str(tmp_path / "rapor.pdf")], ["laporan", str(tmp_path / "laporan.pdf")]):
        code = main([*args, "--bahasa", language])
        out, err = capsys.readouterr()
        assert code in (0, 1), (args, code, err)
        assert "Traceback" not in err
    assert (tmp_path / "rapat.pptx").exists() and (tmp_path / "rapor.pdf").exists()


def test_the_app_opens_a_store_per_configuration(batu_bara, monkeypatch):
    from metrics.app import cache

    monkeypatch.setenv("TIRU_DB", str(batu_bara))
    monkeypatch.setenv("TIRU_DEMO", "0")
    monkeypatch.setenv("TIRU_WILAYAH", "12.19")
    assert len(cache.store().kecamatan("Batu Bara")) == 12
    monkeypatch.setenv("TIRU_WILAYAH", "12.09")  # the same file under another configuration: refused, not reused
    with pytest.raises(StoreError, match="dibangun untuk wilayah 12.19"):
        cache.store()


def test_a_file_from_before_the_configuration_is_asahans(empty_db, tmp_path, monkeypatch):
    db = tmp_path / "tiru.duckdb"
    db.write_bytes(empty_db.read_bytes())
    with duckdb.connect(str(db)) as con:
        con.execute("DELETE FROM meta WHERE kunci IN ('wilayah', 'model')")
        con.execute("UPDATE meta SET nilai = 'sebelum' WHERE kunci = 'fingerprint'")  # older sources, as then
    monkeypatch.setenv("TIRU_WILAYAH", "12.19")
    with pytest.raises(StoreError, match="dibangun untuk wilayah 12.09, model 32.77.02"):
        ensure_built(db, with_demo=False)
    monkeypatch.delenv("TIRU_WILAYAH")
    assert ensure_built(db, with_demo=False) == db
    meta = dict(_table(db, "SELECT kunci, nilai FROM meta").itertuples(index=False))
    assert (meta["wilayah"], meta["model"]) == ("12.09", "32.77.02")  # rebuilt once, now recorded
