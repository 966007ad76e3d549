"""Speed work of issue #15 that can be checked without timing anything: what the caches key on,
that a cached page shows what the uncached computation gives, and that `tiru serve` builds the
database before it answers."""

from __future__ import annotations

import logging

import pandas as pd
import pytest

from metrics.app import ui


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture
def streamlit_log():
    """Everything Streamlit's caching logs (its loggers do not propagate to pytest's caplog)."""
    handler = _Records()
    logger = logging.getLogger("streamlit.runtime.caching.hashing")
    logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)


_made: list[int] = []


def _rows(frame: pd.DataFrame) -> list:
    _made.append(1)
    return frame.to_dict("records")


def test_figure_of_a_frame_with_list_cells_is_cached_without_the_hashing_fallback(demo_db, use_db, streamlit_log):
    """The league table carries a list column (belum_ada); ui.figure hashed it by value and Streamlit
    logged "default hashing method failed … unhashable type: 'list'" on every new input."""
    use_db(demo_db)
    table = pd.DataFrame({"kode": ["a", "b"], "belum_ada": [["ikm"], []]})
    same = pd.DataFrame({"kode": ["a", "b"], "belum_ada": [["ikm"], []]})
    other = pd.DataFrame({"kode": ["a", "b"], "belum_ada": [["ikm", "waktu_tunggu"], []]})

    _made.clear()
    first = ui.figure(_rows, table)
    assert ui.figure(_rows, same) == first and len(_made) == 1  # equal inputs share the cached result
    changed = ui.figure(_rows, other)
    assert len(_made) == 2 and changed[0]["belum_ada"] == ["ikm", "waktu_tunggu"]  # the list cells are in the key
    assert not [m for m in streamlit_log if "hashing method failed" in m], streamlit_log


def test_tiru_serve_builds_the_database_before_it_answers(tmp_path):
    """The first visitor after a fresh start must not wait for the build: when `tiru serve`'s health
    endpoint answers, the database is already there, and the first page does not rebuild it."""
    from browser_support import serve, stop

    from metrics.data.build import _built_meta
    from metrics.ops import beban

    db = tmp_path / "baru" / "tiru.duckdb"
    process, url = serve(db)
    try:
        assert db.exists() and _built_meta(db), "health answered before the database was built"
        identity = (db.stat().st_ino, db.stat().st_mtime_ns)
        (load,) = beban.run_session(url.replace("http", "ws") + "/_stcore/stream", [("", "")], timeout=90)
        assert load.ok, load.problem
        assert (db.stat().st_ino, db.stat().st_mtime_ns) == identity
    finally:
        stop(process)
