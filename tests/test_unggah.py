"""Uploads bounded by what they cost (#21.4): shared strings, sheets, styles and unzipped size are
checked before the workbook is parsed (openpyxl never opens a refused file); the worst workbook the
limits let through is parsed, and what it costs is `tiru bench`'s figure ("xlsx-mahal", goal ≤ 5 s,
≤ +300 MB), not a timed test; only roles that may import get an uploader."""

from __future__ import annotations

import openpyxl
import pytest

from metrics import ingest
from metrics.ingest import readers
from metrics.ops.xlsx_mahal import book, worst_allowed


@pytest.fixture
def parsed(monkeypatch):
    """Which workbooks openpyxl was asked to open."""
    opened = []
    real = openpyxl.load_workbook

    def load_workbook(*args, **kwargs):
        opened.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", load_workbook)
    return opened


def test_two_million_shared_strings_are_refused_before_parsing(parsed):
    content = book(2_050_000)
    assert len(content) < ingest.MAX_BYTES
    tables, problems, _ = readers.read(content, "mahal.xlsx")
    assert not tables and "string" in problems[0].pesan.lower() and "2.050.000" in problems[0].pesan, problems
    assert not parsed


def test_seventeen_thousand_empty_sheets_are_refused_before_parsing(parsed):
    tables, problems, _ = readers.read(book(10, sheets=17_000), "mahal.xlsx")
    assert not tables and "17.000" in problems[0].pesan and "lembar" in problems[0].pesan, problems
    assert not parsed


def test_too_many_styles_are_refused_before_parsing(parsed):
    tables, problems, _ = readers.read(book(10, styles=readers.MAX_STYLES + 1), "mahal.xlsx")
    assert not tables and "format" in problems[0].pesan, problems
    assert not parsed


def test_many_empty_formatted_cells_are_refused_before_parsing(parsed):
    content = book(10, rows=1, empty_rows=20_000)  # 400 000 empty formatted cells (and one more), 1,2 MB
    assert len(content) < ingest.MAX_BYTES
    tables, problems, _ = readers.read(content, "mahal.xlsx")
    assert not tables and "sel" in problems[0].pesan and "400.001" in problems[0].pesan, problems
    assert not parsed


def test_the_worst_allowed_workbook_is_parsed(parsed):
    """Each limit at its edge lets the file through to the parser (what that costs: tiru bench)."""
    tables, problems, _ = readers.read(worst_allowed(), "mahal.xlsx")
    assert parsed == [1]
    limits = ("string", "lembar", "format", "sel ")
    assert not [p for p in problems if any(word in p.pesan.lower() for word in limits)], problems
    assert tables  # its first sheet was read (a header of one-letter texts, which the checks will refuse later)


def test_english_messages():
    from metrics.core import bahasa

    with bahasa.dalam("en"):
        problems = readers.read(book(10, sheets=17_000), "x.xlsx")[1]
    assert "sheets" in problems[0].pesan


@pytest.mark.parametrize("peran", ["viewer", None])
def test_only_roles_that_may_import_get_an_uploader(peran, demo_db, monkeypatch):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    from metrics.app import akses

    root = Path(__file__).resolve().parent.parent
    monkeypatch.setenv("TIRU_DB", str(demo_db))
    monkeypatch.setattr(akses, "THROTTLE", akses.Throttle())
    at = AppTest.from_file(str(root / "app.py"), default_timeout=120)
    at.secrets["akun"] = [{"nama": "pembaca", "peran": "viewer", "hash": akses.hash_password("sandi-pembaca")}]
    at.run()
    at.switch_page("pages/kelola_data.py").run()
    if peran:
        at.text_input(key="masuk_kelola_nama").set_value("pembaca")
        at.text_input(key="masuk_kelola_sandi").set_value("sandi-pembaca")
        at.button(key="FormSubmitter:masuk_kelola-Masuk").click().run()
        assert any("Masuk sebagai" in c.value for c in at.caption)
    assert not at.exception
    assert not at.get("file_uploader")


# --------------------------------------------------------------------------- an abandoned upload


def _big_csv(rows: int = 15_000) -> bytes:
    lines = ["kode_kecamatan,periode,indikator,nilai,sumber,catatan"]
    lines += [f"12.09.08,2026-{1 + i % 9:02d},tte,{i % 100},laporan,baris {i}" for i in range(rows)]
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize("name, content", [("besar.csv", _big_csv()), ("besar.xlsx", book(15_001, rows=15_000))])
def test_reading_stops_when_the_upload_is_abandoned(name, content):
    asked = []

    def gone() -> bool:
        asked.append(1)
        return len(asked) > 2  # the browser closed while the file was being read

    with pytest.raises(readers.Dibatalkan):
        readers.read(content, name, cancelled=gone)
    assert len(asked) == 3  # asked now and then, and stopped at the first "gone"


def test_a_dry_run_of_an_abandoned_session_returns_nothing(demo_store, monkeypatch):
    from streamlit.testing.v1 import AppTest

    def run_it():
        from metrics.app import kelola as k
        from metrics.app import ui

        class Upload:
            name = "besar.csv"

            def getvalue(self):
                rows = [f"12.09.08,2026-{1 + i % 9:02d},tte,{i % 100},laporan,baris {i}" for i in range(15_000)]
                return ("kode_kecamatan,periode,indikator,nilai,sumber,catatan\n" + "\n".join(rows)).encode()

        k._session_gone = lambda session_id: True  # the browser closed
        assert k.dry_run(ui.store(), Upload(), "auto", {"nama": "admin", "peran": "admin"}, True) is None

    at = AppTest.from_function(run_it, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
