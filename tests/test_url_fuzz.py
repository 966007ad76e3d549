"""Every URL parameter on every page is de-duplicated and validated (#12.9): a hostile or mistyped
link falls back quietly to the defaults, never an error box or a traceback."""

from __future__ import annotations

import pytest
from page_support import open_page

PAGES = ["pages/ikhtisar_kabupaten.py", "pages/tabel_peringkat.py", "pages/kecamatan.py", "pages/banding.py",
         "pages/tren_indikator.py", "pages/peta_kecamatan.py", "pages/adopsi_inovasi.py", "pages/rapat.py",
         "pages/kelola_data.py", "pages/metode.py"]
KEYS = ["periode", "bahasa", "kecamatan", "banding", "indikator", "sumbu_x", "sumbu_y", "urut", "mirip", "inovasi",
        "slide", "fokus", "ukuran", "proyeksi", "jendela"]
VALUES = {
    "duplicates": "12.09.08,12.09.08",
    "duplicate codes": "waktu_tunggu,waktu_tunggu,ikm,ikm",
    "empty": "",
    "commas": ",,,",
    "unknown": "99.99.99",
    "markup": "<script>alert(1)</script>",
    "sql": "'; DROP TABLE observasi; --",
    "long": "12.09.19," * 400,
    "negative": "-1",
    "huge number": "99999999999999999999",
    "month out of range": "2026-13",
    "unicode": "١٢.٠٩.١٩",
}


@pytest.mark.parametrize("name", list(VALUES), ids=list(VALUES))
@pytest.mark.parametrize("page", PAGES, ids=[p.split("/")[1][:-3] for p in PAGES])
def test_hostile_parameters_fall_back_quietly(demo_db, use_db, page, name):
    at = open_page(demo_db, use_db, page, **dict.fromkeys(KEYS, VALUES[name]))
    assert not at.exception, f"{page} ?…={VALUES[name][:40]!r}: {at.exception}"
    errors = [e.value for e in at.error]
    assert not errors, f"{page} ?…={VALUES[name][:40]!r} shows an error box: {errors}"


def test_a_duplicated_choice_keeps_one(demo_db, use_db):
    at = open_page(demo_db, use_db, "pages/banding.py", banding="12.09.08,12.09.08,12.09.19")
    assert at.multiselect(key="banding").value == ["12.09.08", "12.09.19"]
    assert at.query_params["banding"] == "12.09.08,12.09.19"
