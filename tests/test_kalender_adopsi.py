"""Adoption on its own calendar (#13 B, docs/metodologi.md "The monthly cycle"): an event dated up to today counts
at once — on the Inovasi page, in Ringkasan's adoption table and in `tiru adopsi` — whether or not its month
has observations; a future date is refused. "Today" is fixed with TIRU_HARI_INI."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from cli_support import cli_copy, run
from page_support import open_page

from metrics.core import periode as per
from metrics.data.store import RejectedChange, Store

TODAY = "2026-12-02"  # after the demo's last month with observations (2026-10)
MERANTI = "12.09.08"  # no antrean_digital event in the demo; its target (Berjalan by 2025-12-31) is late


@pytest.fixture
def db(demo_db, tmp_path, monkeypatch):
    path = cli_copy(demo_db, tmp_path / "db", monkeypatch, with_demo=True)
    monkeypatch.setenv("TIRU_HARI_INI", TODAY)
    return path



def record(tmp_path, capsys, tanggal: str):
    path = tmp_path / "adopsi.csv"
    path.write_text("kode_kecamatan,inovasi,tahap,tanggal,bukti,oleh\n"
                    f"{MERANTI},antrean_digital,3,{tanggal},SK Camat,Operator\n", encoding="utf-8")
    return run(capsys, "import", path, "--jenis", "adopsi", "--dengan-demo")


def stage(out: str) -> dict:
    rows = list(csv.DictReader(io.StringIO(out)))
    return next(r for r in rows if r["kode_kecamatan"] == MERANTI and r["inovasi"] == "antrean_digital")


def test_hari_ini_is_injectable(monkeypatch):
    monkeypatch.setenv("TIRU_HARI_INI", "2027-03-04")
    assert per.hari_ini() == dt.date(2027, 3, 4)
    monkeypatch.delenv("TIRU_HARI_INI")
    assert per.hari_ini() == dt.date.today()


def test_an_event_dated_today_counts_at_once_in_tiru_adopsi(db, tmp_path, capsys):
    code, _, err = record(tmp_path, capsys, TODAY)
    assert code == 0, err
    code, out, err = run(capsys, "adopsi", "--periode", "2026-12")
    assert code == 0, err
    assert stage(out) == {"kode_kecamatan": MERANTI, "inovasi": "antrean_digital", "tahap": "3", "sejak": TODAY}
    code, out, err = run(capsys, "adopsi")  # adoption's own calendar: by default up to today
    assert code == 0 and stage(out)["tahap"] == "3"
    code, out, err = run(capsys, "adopsi", "--periode", "2026-11")  # before the event
    assert code == 0 and stage(out)["tahap"] == "0"
    code, _, err = run(capsys, "adopsi", "--periode", "2027-01")
    assert code == 1 and "2026-12" in err and "Traceback" not in err


def test_a_future_date_is_refused_by_the_import_and_the_form(db, tmp_path, capsys):
    before = len(Store(db).adopsi())
    code, _, err = record(tmp_path, capsys, "2026-12-03")
    assert code == 1 and "masa depan" in err and TODAY in err
    assert len(Store(db).adopsi()) == before
    with pytest.raises(RejectedChange, match="masa depan"):
        Store(db).record_adoption(MERANTI, "antrean_digital", 3, dt.date(2026, 12, 3), "", "Operator")
    Store(db).record_adoption(MERANTI, "antrean_digital", 3, dt.date(2026, 12, 2), "", "Operator")


def test_the_inovasi_page_reaches_the_current_month(db, use_db, tmp_path, capsys):
    assert record(tmp_path, capsys, TODAY)[0] == 0
    at = open_page(db, use_db, "pages/adopsi_inovasi.py", kecamatan=MERANTI, inovasi="antrean_digital")
    assert not at.exception
    assert any("Desember 2026" in c.value for c in at.caption)
    assert at.metric[2].value == "1"  # the event of 2 December 2026
    warnings = " ".join(w.value for w in at.warning)
    assert "Antrean digital (target" not in warnings  # no longer "terlambat … kini Belum"


def test_the_inovasi_page_keeps_an_earlier_chosen_month(db, use_db, tmp_path, capsys):
    assert record(tmp_path, capsys, TODAY)[0] == 0
    at = open_page(db, use_db, "pages/adopsi_inovasi.py", kecamatan=MERANTI, periode="2026-06")
    assert not at.exception
    assert any("Juni 2026" in c.value for c in at.caption)


def test_ringkasan_adoption_table_reaches_today(db, use_db, tmp_path, capsys):
    assert record(tmp_path, capsys, TODAY)[0] == 0
    at = open_page(db, use_db, "pages/ikhtisar_kabupaten.py")
    assert not at.exception
    assert any("2 Desember 2026" in m.value for m in at.markdown), [m.value for m in at.markdown]


def test_the_inovasi_page_follows_a_new_day_at_once(db, use_db, tmp_path, capsys, monkeypatch):
    """The page's cached month view is kept per day it counts up to, not only per month: after midnight
    (TIRU_HARI_INI moves on) an event dated the new day counts at once, not when the cache expires."""
    monkeypatch.setenv("TIRU_HARI_INI", "2026-12-03")
    assert record(tmp_path, capsys, "2026-12-03")[0] == 0  # in the database before the page opens
    monkeypatch.setenv("TIRU_HARI_INI", TODAY)
    at = open_page(db, use_db, "pages/adopsi_inovasi.py", kecamatan=MERANTI, inovasi="antrean_digital")
    assert not at.exception
    assert "Antrean digital (target" in " ".join(w.value for w in at.warning)  # the 3rd has not come yet
    monkeypatch.setenv("TIRU_HARI_INI", "2026-12-03")  # midnight: same month, same database
    at.run()
    assert not at.exception
    assert "Antrean digital (target" not in " ".join(w.value for w in at.warning)  # reached on the 3rd
