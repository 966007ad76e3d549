"""Sparse states never break (#13 C): after --hapus-demo with one observation, one kecamatan reported,
a month in which nobody is ranked, no targets, only SKM data. Every page runs without an exception and
every command exits 0 (saying what is missing) or 1 (saying why) — never a traceback."""

from __future__ import annotations

import pytest
from page_support import open_page
from test_app import PAGE_FILES

from metrics.core import bahasa
from metrics.ops.cli import main

STATES = ["hapus_demo", "satu_kecamatan", "tanpa_peringkat", "tanpa_target", "hanya_skm"]


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("page", PAGE_FILES)
def test_every_page_runs(sparse_dbs, use_db, state, page):
    db, with_demo, periode = sparse_dbs[state]
    query = {"periode": periode} if periode else {}
    at = open_page(db, use_db, page, with_demo=with_demo, **query)
    assert not at.exception, [e.message for e in at.exception]
    assert at.title, page


def test_peringkat_with_nobody_ranked_says_so_instead_of_an_empty_table(sparse_dbs, use_db):
    db, with_demo, periode = sparse_dbs["tanpa_peringkat"]
    at = open_page(db, use_db, "pages/tabel_peringkat.py", with_demo=with_demo, periode=periode)
    assert not at.exception
    assert any(i.value.startswith("Belum ada kecamatan dengan cakupan data") for i in at.info)
    assert not at.get("plotly_chart")  # no empty bar chart
    assert all("Indeks Tiru" not in df.value.columns for df in at.dataframe)  # only the unranked list
    assert at.dataframe and len(at.dataframe[0].value) > 0


def commands(tmp_path, periode, focus: str = "12.09.19"):
    chosen = ["--periode", periode] if periode else []
    return [["ranking", *chosen], ["ranking", "--format", "table", *chosen], ["adopsi", *chosen],
            ["export", str(tmp_path / "ekspor")], ["pptx", *chosen, str(tmp_path / "rapat.pptx")],
            ["pptx", *chosen, "--kecamatan", focus, str(tmp_path / "fokus.pptx")],
            ["rapor", *chosen, str(tmp_path / "rapor.pdf")]]


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("state", STATES)
def test_every_command_exits_cleanly(sparse_dbs, monkeypatch, tmp_path, capsys, state, language):
    db, with_demo, periode = sparse_dbs[state]
    monkeypatch.setenv("TIRU_DB", str(db))
    monkeypatch.setenv("TIRU_DEMO", "1" if with_demo else "0")
    for args in commands(tmp_path, periode):
        code = main([*args, "--bahasa", language])  # an uncaught exception fails the test here
        out, err = capsys.readouterr()
        assert code in (0, 1), (args, code, err)
        assert "Traceback" not in err
        if code == 1:
            assert err.startswith("tiru: ") and len(err) > 20, (args, err)
            if language == "en":
                assert not any(w in err for w in (" belum ", " tidak ", " untuk ")), (args, err)
    assert bahasa.aktif() == "id"
