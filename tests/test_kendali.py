"""Control characters and lengths (#21.5): BEL/ESC in text cells are refused with the cell named, in
file names removed, forms capped like imports (500), and every export and the terminal safe even for
data already stored."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from cli_support import cli_copy, run

from metrics import ingest
from metrics.data.store import RejectedChange, Store
from metrics.reports import tabel_excel

HEADER = "kode_kecamatan,periode,indikator,nilai,sumber,catatan\n"


@pytest.fixture
def db(demo_db, tmp_path, monkeypatch) -> Path:
    return cli_copy(demo_db, tmp_path / "db", monkeypatch, with_demo=True)


@pytest.mark.parametrize("char", ["\x07", "\x1b[31m"])
def test_a_control_character_in_a_text_cell_is_refused_naming_the_cell(db, tmp_path, capsys, char):
    path = tmp_path / "kendali.csv"
    path.write_text(HEADER + f"12.09.08,2026-10,tte,50,laporan{char}camat,\n", encoding="utf-8")
    code, _, err = run(capsys, "import", path, "--dengan-demo")
    assert code == 1 and "baris 2" in err.lower() and "sumber" in err and "kendali" in err, err
    code, _, err = run(capsys, "--bahasa", "en", "import", path, "--dengan-demo")
    assert code == 1 and "row 2" in err.lower() and "control" in err, err


def test_a_file_name_with_control_characters_is_stored_without_them(db):
    store = Store(db)
    plan = ingest.prepare(
        store, (HEADER + "12.09.08,2026-10,tte,50,laporan camat,\n").encode(), "juni\x07\x1b.csv", "auto"
    )
    assert plan.ok, plan.masalah
    ingest.impor(store, plan, "admin", demo="pertahankan")
    assert Store(db).batches().iloc[-1]["berkas"] == "juni.csv"


def test_the_evidence_field_is_capped_like_imports_and_refuses_control_characters(db):
    store = Store(db)
    with pytest.raises(RejectedChange, match="500"):
        store.record_adoption("12.09.08", "tte", 1, dt.date(2026, 1, 5), "x" * 20_000, "admin")
    with pytest.raises(RejectedChange, match="kendali"):
        store.record_adoption("12.09.08", "tte", 1, dt.date(2026, 1, 5), "SK\x07", "admin")
    assert store.record_adoption("12.09.08", "tte", 1, dt.date(2026, 1, 5), "x" * 500, "admin")


def _stored_with_bell(db: Path) -> None:
    """Data already stored with control characters (before this check existed)."""
    Store(db).write(lambda con, batch: con.execute(
        "UPDATE batch SET berkas = 'juni\x07\x1b[2J.csv', oleh = 'op\x07' WHERE demo"), jenis="uji", oleh="uji")


def test_exports_and_the_terminal_are_safe_for_data_already_stored(db, tmp_path, capsys):
    _stored_with_bell(db)
    code, out, _ = run(capsys, "batches")
    assert code == 0 and "\x07" not in out and "\x1b" not in out
    frame = Store(db).batches()
    content = tabel_excel.to_bytes(frame, "Riwayat\x07", None, False)
    openpyxl.load_workbook(io.BytesIO(content))
    code, _, err = run(capsys, "export", tmp_path / "x", "--format", "xlsx")
    assert code == 0, err
    assert tabel_excel.to_bytes(pd.DataFrame({"a": [["x\x07", "y"]]}), "t", None, False)


# --------------------------------------------------------------------------- audit names (#21.6)


def test_an_operators_adoption_file_cannot_name_another_author(db):
    store = Store(db)
    content = (b"kode_kecamatan,inovasi,tahap,tanggal,bukti,oleh\n"
               b"12.09.08,tte,2,2026-01-05,SK camat,admin.organisasi\n")
    operator = {"nama": "operator.meranti", "peran": "operator", "kode_kecamatan": "12.09.08"}
    plan = ingest.prepare(store, content, "adopsi.csv", "auto", akun=operator)
    assert plan.ok, plan.masalah
    assert any("'oleh'" in note and "tidak dipakai" in note for note in plan.catatan), plan.catatan
    ingest.impor(store, plan, "diketik", demo="pertahankan", akun=operator)
    events = Store(db).adopsi()
    assert events.iloc[-1]["oleh"] == "operator.meranti"
    assert Store(db).batches().iloc[-1]["oleh"] == "operator.meranti"


def test_the_cli_records_the_oleh_it_was_given(db, tmp_path, capsys):
    path = tmp_path / "adopsi.csv"
    path.write_text("kode_kecamatan,inovasi,tahap,tanggal,bukti,oleh\n12.09.08,tte,2,2026-01-05,SK,admin.organisasi\n",
                    encoding="utf-8")
    code, _, err = run(capsys, "import", path, "--oleh", "budi", "--dengan-demo")
    assert code == 0, err
    assert Store(db).adopsi().iloc[-1]["oleh"] == "budi"
