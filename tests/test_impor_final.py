"""Importing into a month an admin closed (final): refused, nothing written, naming the months and how
many values, unless an admin accepts it as a correction (`--koreksi-final`, the checkbox on Kelola
Data); the month stays final and the batch note records the correction. An operator cannot correct a
final month. The demo's own closures (by rule) guard nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import run
from page_support import open_page

from metrics import ingest
from metrics.app import akses
from metrics.core import periode as per
from metrics.data import penutupan
from metrics.data.store import Store
from metrics.engine import bulan

NOV = per.parse("2026-11")
HEADER = "kode_kecamatan,periode,indikator,nilai,sumber,catatan\n"
NOVEMBER = HEADER + "12.09.08,2026-11,tte,60,Laporan camat,\n12.09.08,2026-11,tepat_waktu,80,Laporan camat,\n"
CORRECTION = HEADER + "12.09.08,2026-11,tte,61,Laporan camat,\n12.09.08,2026-11,tepat_waktu,81,Laporan camat,\n"


def _closed_november(path: Path) -> None:
    """November 2026 sent for Meranti, then closed by an admin (today is 2 December 2026)."""
    store = Store(path)
    plan = ingest.prepare(store, NOVEMBER.encode(), "november.csv")
    assert plan.ok and not len(plan.cek), plan.masalah
    assert ingest.impor(store, plan, "operator", demo="pertahankan").batch
    penutupan.close_month(store, NOV, "admin.organisasi")
    store.close()


@pytest.fixture
def db(demo_desember) -> Path:
    """The demo copy of 2 December 2026 (conftest) with November closed by an admin."""
    _closed_november(demo_desember)
    return demo_desember


def _status(store: Store, periode: int) -> str:
    table = bulan.month_table(store).set_index("periode")
    return table.loc[periode, "status"]


def test_engine_refuses_a_correction_of_a_final_month_and_writes_nothing(db):
    store = Store(db)
    plan = ingest.prepare(store, CORRECTION.encode(), "koreksi.csv")
    assert plan.ok and plan.bulan_final == {NOV: 2}
    before = db.read_bytes()
    with pytest.raises(ingest.BulanFinal) as refused:
        ingest.impor(store, plan, "admin", demo="pertahankan")
    message = str(refused.value)
    assert "November 2026 (2 nilai)" in message and "tiru buka-bulan 2026-11" in message
    assert "--koreksi-final" in message
    operator = {"nama": "operator", "peran": "operator", "kode_kecamatan": "12.09.08"}
    with pytest.raises(ingest.BulanFinal, match="Hanya admin"):  # an operator cannot override an admin's closure
        ingest.impor(store, plan, "operator", demo="pertahankan", akun=operator, koreksi_final=True)
    assert db.read_bytes() == before


def test_an_admin_correction_is_written_the_month_stays_final_and_the_note_says_so(db):
    store = Store(db)
    plan = ingest.prepare(store, CORRECTION.encode(), "koreksi.csv")
    result = ingest.impor(store, plan, "admin", demo="pertahankan", koreksi_final=True, catatan="salah ketik")
    assert result.batch and result.koreksi == {NOV: 2} and "November 2026" in result.teks()
    batch = store.batches().set_index("id").loc[result.batch]
    assert batch["catatan"] == "salah ketik; koreksi bulan final 2026-11 (2 nilai); data contoh dipertahankan"
    assert store.observasi(NOV, NOV, "12.09.08").set_index("indikator").loc["tte", "nilai"] == 61
    assert _status(store, NOV) == "final"


def test_a_reopened_month_imports_without_the_flag_and_demo_closures_guard_nothing(db):
    store = Store(db)
    june = HEADER + "12.09.08,2025-06,tte,50,Laporan camat,\n"  # final by the demo's own closure
    plan = ingest.prepare(store, june.encode(), "juni.csv")
    assert _status(store, per.parse("2025-06")) == "final_contoh" and plan.bulan_final == {}
    penutupan.reopen_month(store, NOV, "admin", "laporan camat salah ketik")
    plan = ingest.prepare(store, CORRECTION.encode(), "koreksi.csv")
    assert plan.bulan_final == {}
    result = ingest.impor(store, plan, "admin", demo="pertahankan")
    assert result.batch and result.koreksi == {}


def test_a_month_closed_after_the_dry_run_is_still_refused(db):
    store = Store(db)
    penutupan.reopen_month(store, NOV, "admin", "uji")
    plan = ingest.prepare(store, CORRECTION.encode(), "koreksi.csv")
    assert plan.bulan_final == {}
    penutupan.close_month(store, NOV, "admin")  # closed between the preview and the confirmation
    before = db.read_bytes()
    with pytest.raises(ingest.BulanFinal):
        ingest.impor(store, plan, "admin", demo="pertahankan")
    assert db.read_bytes() == before


def test_cli_refuses_with_exit_1_and_the_dry_run_says_so(db, tmp_path, capsys):
    upload = tmp_path / "koreksi.csv"
    upload.write_text(CORRECTION, encoding="utf-8")
    before = db.read_bytes()
    code, out, err = run(capsys, "import", upload, "--dry-run")
    assert code == 1 and "November 2026 (2 nilai)" in err and "--koreksi-final" in err
    code, out, err = run(capsys, "import", upload, "--dengan-demo", "--oleh", "admin")
    assert code == 1 and not out
    assert "November 2026 (2 nilai)" in err and "tiru buka-bulan 2026-11" in err and "Traceback" not in err
    assert db.read_bytes() == before
    code, out, err = run(capsys, "import", upload, "--dry-run", "--koreksi-final")
    assert code == 0
    code, out, err = run(capsys, "import", upload, "--dengan-demo", "--oleh", "admin", "--koreksi-final")
    assert code == 0 and out.strip()
    code, out, _ = run(capsys, "batches")
    assert "koreksi bulan final 2026-11 (2 nilai)" in out
    code, _, err = run(capsys, "--bahasa", "en", "import", upload, "--dengan-demo", "--dry-run")
    assert code == 0  # nothing new any more: nothing to refuse
    upload.write_text(NOVEMBER, encoding="utf-8")
    code, _, err = run(capsys, "--bahasa", "en", "import", upload, "--dengan-demo")
    assert code == 1 and "November 2026 (2 values)" in err and "--koreksi-final" in err


# ----------------------------------------------------------------- Kelola Data


@pytest.fixture(scope="module")
def hashes():
    return {name: akses.hash_password(f"sandi-{name}") for name in ("admin", "operator")}


def _kelola(path, use_db, hashes, nama: str):
    accounts = [{"nama": "admin", "peran": "admin", "hash": hashes["admin"]},
                {"nama": "operator", "peran": "operator", "kode_kecamatan": "12.09.08", "hash": hashes["operator"]}]
    at = open_page(path, use_db, "pages/kelola_data.py", accounts=accounts)
    at.text_input(key="masuk_kelola_nama").set_value(nama)
    at.text_input(key="masuk_kelola_sandi").set_value(f"sandi-{nama}")
    at.button(key="FormSubmitter:masuk_kelola-Masuk").click().run()
    at.file_uploader[0].upload("koreksi.csv", CORRECTION.encode(), "text/csv").run()
    assert not at.exception, at.exception
    at.radio(key="pilihan_demo").set_value("pertahankan").run()
    return at


def test_kelola_admin_ticks_the_correction_before_importing(db, use_db, hashes, monkeypatch):
    monkeypatch.setattr(akses, "THROTTLE", akses.Throttle())
    at = _kelola(db, use_db, hashes, "admin")
    assert any("November 2026 (2 nilai)" in w.value for w in at.warning)
    assert at.button(key="konfirmasi_impor").disabled
    at.checkbox(key="koreksi_final").check().run()
    at.button(key="konfirmasi_impor").click().run()
    assert not at.exception and at.success[0].value.startswith("Diimpor sebagai batch")
    assert "koreksi bulan final 2026-11 (2 nilai)" in Store(db).batches().iloc[-1]["catatan"]


def test_kelola_operator_cannot_correct_a_final_month(db, use_db, hashes, monkeypatch):
    monkeypatch.setattr(akses, "THROTTLE", akses.Throttle())
    before = db.read_bytes()
    at = _kelola(db, use_db, hashes, "operator")
    assert any("November 2026 (2 nilai)" in w.value and "admin" in w.value for w in at.warning)
    assert not [c for c in at.checkbox if c.key == "koreksi_final"]
    assert at.button(key="konfirmasi_impor").disabled
    assert db.read_bytes() == before
