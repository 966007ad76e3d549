"""The region is configured, not written into the code (#25): the national kecamatan list shipped in
data/reference/, the configuration read from TIRU_WILAYAH / TIRU_MODEL, and the database built for it."""

from __future__ import annotations

import csv

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
