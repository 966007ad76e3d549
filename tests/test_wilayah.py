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
