"""One caching mechanism (ui.cached): every key is derived from the function, its arguments and
the context (database generation, language, today, deadline setting), never written by hand."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metrics.app import cache, tampilan, ui
from metrics.core import bahasa
from metrics.data import catatan_bulan as bulan_data
from metrics.data import penutupan
from metrics.data.store import Store

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "metrics").rglob("*.py")]


def test_one_caching_mechanism():
    """No module decorates with st.cache_*: every result is kept in cache.py's one store (_KEPT)."""
    uses = {p.relative_to(ROOT).as_posix(): len(re.findall(r"st\.cache_(?:data|resource)\(", p.read_text("utf-8")))
            for p in SOURCES}
    assert {p: n for p, n in uses.items() if n} == {}


def test_no_hand_written_keys_and_no_class_swapping():
    for path in SOURCES:
        text = path.read_text("utf-8")
        assert "ui.kept(" not in text and "generation()" not in text.replace("store().generation", ""), path
        assert "__class__ =" not in text, path


plain = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5) | st.dates(),
    lambda inner: st.lists(inner, max_size=3).map(tuple) | st.lists(inner, max_size=3),
    max_leaves=6,
)


@settings(max_examples=300, deadline=None)
@given(plain, plain)
def test_different_arguments_never_share_a_key(a, b):
    if a == b and type(a) is type(b) and repr(a) == repr(b):
        assert cache.arguments_key(a) == cache.arguments_key(b)
    elif repr(a) != repr(b):
        assert cache.arguments_key(a) != cache.arguments_key(b)


def test_frames_are_keyed_by_content_and_unknown_objects_are_refused():
    one = pd.DataFrame({"a": [1, 2]})
    assert cache.arguments_key(one) == cache.arguments_key(pd.DataFrame({"a": [1, 2]}))
    assert cache.arguments_key(one) != cache.arguments_key(pd.DataFrame({"a": [1, 3]}))
    assert cache.arguments_key(one) != cache.arguments_key(pd.DataFrame({"b": [1, 2]}))
    with pytest.raises(TypeError, match="cache key"):
        cache.arguments_key(object())
    with pytest.raises(TypeError, match="cache key"):
        cache.arguments_key(lambda: 1)  # a lambda's name does not say what it computes


@pytest.fixture
def own_db(demo_db, tmp_path, use_db):
    path = tmp_path / "tiru.duckdb"
    shutil.copy(demo_db, path)
    use_db(path)
    return path


calls: list[tuple] = []


@ui.cached
def _counted(a, b=None):
    calls.append((a, b))
    return (a, b, len(calls))


def test_every_argument_and_every_part_of_the_context_is_in_the_key(own_db, monkeypatch):
    calls.clear()
    monkeypatch.setenv("TIRU_HARI_INI", "2026-12-08")
    first = _counted(1, b="x")
    assert _counted(1, b="x") is first and len(calls) == 1  # the same inputs: kept
    for args, kwargs in [((2,), {"b": "x"}), ((1,), {"b": "y"}), ((1,), {}), (("1",), {"b": "x"})]:
        _counted(*args, **kwargs)
    assert len(calls) == 5  # each argument changed: computed again
    with bahasa.dalam("en"):
        _counted(1, b="x")
    assert len(calls) == 6  # the language
    monkeypatch.setenv("TIRU_HARI_INI", "2026-12-09")
    _counted(1, b="x")
    assert len(calls) == 7  # the app's today
    monkeypatch.setenv("TIRU_TENGGAT_HARI", "15")
    _counted(1, b="x")
    assert len(calls) == 8  # the deadline setting
    _close_latest(own_db)
    _counted(1, b="x")
    assert len(calls) == 9  # the database file's generation


def _close_latest(path: Path) -> int:
    """A real write: an admin closes the latest month (the demo's closing is only an example)."""
    periode = int(bulan_data.month_table(Store(path).query)["periode"].max())
    penutupan.close_month(Store(path), periode, "admin.organisasi")
    return periode


VIEWS = {  # every cached view of the busy pages, with the arguments a page passes
    "kabupaten_series": (tampilan.kabupaten_series, lambda p, k: (p,)),
    "kabupaten_figure": (tampilan.kabupaten_figure, lambda p, k: (p, "DATA CONTOH")),
    "league_summary": (tampilan.league_summary, lambda p, k: (p,)),
    "ranked_rows": (tampilan.ranked_rows, lambda p, k: (p, "skor", "")),
    "profile_table": (tampilan.profile_table, lambda p, k: (p, k)),
    "next_steps": (tampilan.next_steps, lambda p, k: (p, k)),
    "pillar_figure": (tampilan.pillar_figure, lambda p, k: (p, k, "Air Batu", "DATA CONTOH")),
    "month_notice": (ui.month_notice, lambda p, k: (p,)),
    "league_table": (ui.league_table, lambda p, k: (p,)),
}


def _views(periode: int, kode: str) -> dict:
    """What the cache holds for every view (its kept form: the same object while it is kept)."""
    return {name: view.held(*args(periode, kode)) for name, (view, args) in VIEWS.items()}


def test_every_view_is_made_anew_when_the_database_or_language_changes(own_db, monkeypatch):
    monkeypatch.setenv("TIRU_HARI_INI", "2026-12-08")
    periode, kode = ui.periods()[-1], "12.09.01"
    before = _views(periode, kode)
    again = _views(periode, kode)
    kept = [name for name in before if before[name] is again[name] or isinstance(before[name], str | None)]
    assert len(kept) >= 7, "views are kept between runs"
    with bahasa.dalam("en"):
        english = _views(periode, kode)
    assert english["league_summary"] != before["league_summary"]
    assert english["profile_table"].frame().columns.tolist() != before["profile_table"].frame().columns.tolist()

    assert _close_latest(own_db) == periode  # the month becomes final for real
    after = _views(periode, kode)
    for name in before:
        if not isinstance(before[name], str | type(None)):
            assert after[name] is not before[name], f"{name} was not made anew after a write"
    assert after["month_notice"] is None, "a month an admin closed has no notice"


def test_cached_figures_keep_their_dict_form_without_changing_class_at_draw_time(own_db):
    figure = tampilan.ombudsman_figure()
    assert isinstance(figure, cache.ShownFigure)
    assert figure.to_dict() is figure.to_dict()


def test_a_cached_figure_is_encoded_once_and_as_plotly_encodes_it(own_db):
    """st.plotly_chart calls plotly.io.to_json(fig.to_dict(), validate=False) on every run."""
    import plotly.graph_objects as go
    import plotly.io as pio

    figure = tampilan.kabupaten_figure(ui.periods()[-1], "DATA CONTOH")
    sent = pio.to_json(figure.to_dict(), validate=False)
    assert pio.to_json(figure.to_dict(), validate=False) is sent
    assert sent == cache._PLOTLY_TO_JSON(go.Figure(figure).to_dict(), validate=False)
    plain = go.Figure(figure).to_dict()
    assert pio.to_json(plain, validate=False) is not pio.to_json(plain, validate=False), "only shown figures are kept"


def test_a_read_is_the_callers_own_copy(own_db):
    table = ui.league_table(ui.periods()[-1])
    table["skor"] = -1.0
    table.index = table.index + 100
    again = ui.league_table(ui.periods()[-1])
    assert (again["skor"] != -1.0).any() and again.index[0] == 0
    catalog = ui.catalog()
    catalog.indikator.loc[catalog.indikator.index[0], "nama"] = "diubah"
    assert ui.catalog().indikator["nama"].iloc[0] != "diubah"


def _pandas_inside(value, depth: int = 0) -> list:
    """pandas objects anywhere in a kept result."""
    import dataclasses
    from types import SimpleNamespace

    from pandas.io.formats.style import Styler

    if isinstance(value, pd.DataFrame | pd.Series | pd.Index | Styler):
        return [value]
    if depth > 6:
        return []
    if isinstance(value, SimpleNamespace):
        value = vars(value)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list | tuple):
        return [found for item in value for found in _pandas_inside(item, depth + 1)]
    return []


def test_the_cache_holds_plain_data_and_callers_leave_nothing_on_it(own_db):
    """Kept results hold no pandas object (#23: under copy-on-write each caller's view or copy of a
    shared frame left a weak reference on it, and the server grew through the day); so a page's run,
    however often repeated, leaves no references behind on what is kept."""
    import gc
    import weakref

    periode, kode = ui.periods()[-1], "12.09.19"
    for name, kept in _views(periode, kode).items():
        assert not _pandas_inside(kept), name
    assert not _pandas_inside(ui.catalog.held()) and not _pandas_inside(ui.deck.held(periode, None))
    from metrics.app import peringkat

    assert not _pandas_inside(peringkat.league_frame.held(periode, "indeks", ""))

    def run_a_page():
        table = ui.league_table(periode)
        table[["kode_kecamatan", "skor"]].sort_values("skor").reset_index(drop=True)
        ui.catalog().indikator.copy()
        tampilan.profile_table(periode, kode).set_index(tampilan.profile_table(periode, kode).columns[0])

    def weak_references() -> int:
        gc.collect()
        return sum(type(o) is weakref.ReferenceType for o in gc.get_objects())

    run_a_page()
    before = weak_references()
    for _ in range(300):
        run_a_page()
    assert weak_references() - before < 100  # with shared frames: one or more per view and run (~1 500)


def test_today_moves_the_reporting_tracker(own_db, monkeypatch):
    """The tracker follows the month being collected, which moves with today: today is in the key,
    so it is never a day stale."""
    from metrics.app import pelaporan

    monkeypatch.setenv("TIRU_HARI_INI", "2026-12-08")
    december = pelaporan.tracker()
    monkeypatch.setenv("TIRU_HARI_INI", "2027-02-08")
    february = pelaporan.tracker()
    assert february[0] == december[0] + 2


def test_the_store_keeps_the_recently_used_for_their_time_and_computes_each_key_once():
    now = [0.0]
    kept = cache._Kept(max_entries=2, ttl=10, clock=lambda: now[0])
    made: list[str] = []

    def make(key):
        return lambda: made.append(key) or f"value {key}"

    assert kept.get("a", make("a")) == kept.get("a", make("a")) == "value a" and made == ["a"]
    kept.get("b", make("b"))
    kept.get("a", make("a"))  # a used last: b is the least recently used
    kept.get("c", make("c"))
    assert kept.get("a", make("a")) == "value a" and made == ["a", "b", "c"]
    kept.get("b", make("b"))
    assert made == ["a", "b", "c", "b"], "the least recently used was dropped"
    now[0] = 11
    kept.get("b", make("b"))
    assert made[-1] == "b" and len(made) == 5, "an expired result is computed again"


def test_a_failed_computation_is_not_kept_and_concurrent_callers_share_one():
    import threading

    kept = cache._Kept(max_entries=8, ttl=600)
    with pytest.raises(ZeroDivisionError):
        kept.get("x", lambda: 1 / 0)
    assert kept.get("x", lambda: "now") == "now"
    started, release, made = threading.Event(), threading.Event(), []

    def slow():
        started.set()
        release.wait(5)
        made.append(1)
        return "slow"

    results = []
    first = threading.Thread(target=lambda: results.append(kept.get("y", slow)))
    first.start()
    started.wait(5)
    second = threading.Thread(target=lambda: results.append(kept.get("y", slow)))
    second.start()
    release.set()
    first.join(5)
    second.join(5)
    assert results == ["slow", "slow"] and made == [1]
    assert kept.get("z", lambda: kept.get("z", lambda: "inner")) == "inner", "a key asked for within its own computation"
