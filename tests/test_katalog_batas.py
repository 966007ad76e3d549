"""Catalogue edits within bounds (#21.7): a pillar weight must be 0 < w ≤ 100 in the form and the
import; pages never crash on a bad value already stored (Kelola Data, Metodologi)."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import cli_copy
from streamlit.testing.v1 import AppTest

from metrics import ingest
from metrics.data.store import RejectedChange, Store

ROOT = Path(__file__).resolve().parent.parent
ADMIN = {"nama": "admin", "peran": "admin"}


@pytest.fixture
def db(demo_db, tmp_path, monkeypatch) -> Path:
    return cli_copy(demo_db, tmp_path / "db", monkeypatch, with_demo=True)


@pytest.mark.parametrize("nilai", [1e26, 100.5, 0, -1, float("inf")])
def test_a_weight_out_of_bounds_is_refused(db, nilai):
    with pytest.raises(RejectedChange):
        ingest.edit_catalogue(Store(db), "bobot", "kepuasan", nilai, "admin", akun=ADMIN)
    assert "katalog-bobot" not in set(Store(db).batches()["jenis"])


def test_a_weight_within_bounds_is_kept(db):
    ingest.edit_catalogue(Store(db), "bobot", "kepuasan", 100, "admin", akun=ADMIN)
    assert Store(db).pilar().loc["kepuasan", "bobot"] == 100


def _stored_weight(db: Path, nilai: float) -> None:
    """A bad weight already in the database (written before the bound existed)."""
    Store(db).write(lambda con, batch: con.execute(
        "INSERT INTO katalog_ubah VALUES ('bobot', 'kepuasan', $n, NULL, NULL, $b)", {"n": nilai, "b": batch}),
        jenis="katalog-bobot", oleh="uji")


@pytest.mark.parametrize("page", ["pages/kelola_data.py", "pages/metode.py", "pages/tabel_peringkat.py"])
def test_pages_do_not_crash_on_a_stored_bad_weight(db, monkeypatch, page):
    _stored_weight(db, 1e26)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert Store(db).pilar().loc["kepuasan", "bobot"] < 1e26  # the bad edit does not count


def test_the_store_ignores_a_stored_weight_out_of_bounds(db):
    before = Store(db).pilar()["bobot"].to_dict()
    _stored_weight(db, 1e26)
    assert Store(db).pilar()["bobot"].to_dict() == before
