"""The one caching mechanism of the app, and the process's store it reads from.

`cached` derives every key from the function, its arguments (by value) and context(): the
database file's generation (a rebuild or an import shows at once), the language (tables and
charts carry translated labels), the app's today and the deadline setting (month status,
adoption up to today). No key is written by hand; tests/test_cache.py checks that every input is
in the key. One result is shared by every session, in the process's own store (_Kept).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import threading
import time
from collections import OrderedDict
from types import SimpleNamespace

import pandas as pd
from pandas.io.formats.style import Styler
import plotly.graph_objects as go
import plotly.io as pio

from metrics.core import bahasa
from metrics.core import periode as per
from metrics.data.build import default_db_path, default_with_demo, ensure_built
from metrics.data.store import Store
from metrics.engine import benchmark


def own_copy(value):
    """A cached read as the caller's own: one result is shared by every session (_Kept:
    st.cache_data unpickled a full copy on every call, ~6 % of the process's time when a room opens
    the link at once, docs/kinerja.md), and each caller gets a copy of its arrays (microseconds), so
    a page may change it freely. Not a shallow copy: under copy-on-write each one leaves a weak
    reference on the shared frame's blocks, and thousands of them a minute kept the server growing.
    Only objects inside cells (lists) stay shared."""
    if isinstance(value, pd.DataFrame | pd.Series):
        return value.copy()
    if isinstance(value, benchmark.Catalog):
        return dataclasses.replace(value, indikator=value.indikator.copy(), pilar=value.pilar.copy())
    if isinstance(value, list):
        return list(value)
    return value


_STORES: dict[tuple[str, bool], Store] = {}
_STORES_LOCK = threading.Lock()


def store() -> Store:
    """The process's store for the configured database (TIRU_DB, TIRU_DEMO), opened (and built if
    needed) once. A plain dictionary: this runs before every cached read, where st.cache_resource's
    own key hashing was ~2 % of the process's time under a crowd."""
    key = (str(default_db_path()), default_with_demo())
    found = _STORES.get(key)
    if found is None:
        with _STORES_LOCK:
            found = _STORES.get(key)
            if found is None:
                found = _STORES[key] = Store(ensure_built(key[0], with_demo=key[1]))
    return found


def context() -> tuple:
    """What every cached result depends on besides its arguments: the database file's generation
    (a rebuild or an import shows at once), the language (tables and charts carry translated
    labels), the app's today and the deadline setting (month status, adoption up to today)."""
    return (*store().generation, bahasa.aktif(), per.hari_ini(), per.tenggat_hari())


_PLAIN = (str, int, float, bool, type(None), dt.date, dt.datetime)


def arguments_key(value):
    """A cached function's arguments as a key: plain values as they are, sequences and mappings
    element by element, frames by their content (_frame_key). Anything else is refused, so no
    input can be left out of a key by accident."""
    if type(value) in (str, int):
        return value
    if isinstance(value, _PLAIN):  # with its type: True, 1 and 1.0 are equal in Python, not as inputs
        return (type(value).__name__, value)
    if isinstance(value, tuple | list):
        return (type(value).__name__, *map(arguments_key, value))
    if isinstance(value, dict):
        return ("dict", *((arguments_key(k), arguments_key(v)) for k, v in value.items()))
    if isinstance(value, pd.DataFrame | pd.Series):
        return ("frame", _frame_key(value.to_frame() if isinstance(value, pd.Series) else value))
    if isinstance(value, benchmark.Catalog):
        return ("catalog", _frame_key(value.indikator), _frame_key(value.pilar))
    if callable(value) and "<" not in getattr(value, "__qualname__", "<"):  # a module-level function, by name
        return ("function", value.__module__, value.__qualname__)
    raise TypeError(f"ui.cached: an argument of type {type(value).__name__} cannot be part of a cache key")


def _frame_key(frame: pd.DataFrame) -> tuple:
    """A frame's value for a cache key. pandas cannot hash list cells (the league table's belum_ada):
    such columns are hashed as text."""
    listed = [i for i, dtype in enumerate(frame.dtypes) if pd.api.types.is_object_dtype(dtype)]
    if listed:
        frame = frame.copy()
        for i in listed:
            frame.isetitem(i, frame.iloc[:, i].map(repr))
    return (tuple(map(str, frame.columns)), tuple(map(str, frame.dtypes)),
            pd.util.hash_pandas_object(frame).to_numpy().tobytes())


class ShownDict(dict):
    """A ShownFigure's dict form, which keeps its JSON once made (`json`, see _to_json)."""

    json: str | None = None


_PLOTLY_TO_JSON = pio.to_json


def _to_json(fig, validate=True, pretty=False, remove_uids=True, engine=None):
    """plotly.io.to_json, which st.plotly_chart calls on every run with the figure's dict form: for a
    ShownFigure's (ShownDict) the JSON is made once and kept with it (~3 % of the server's time under a
    crowd went to encoding the same shared figures again). Anything else is encoded as before."""
    if type(fig) is not ShownDict or pretty or not remove_uids or engine is not None:
        return _PLOTLY_TO_JSON(fig, validate, pretty, remove_uids, engine)
    if fig.json is None:
        fig.json = _PLOTLY_TO_JSON(fig, validate, pretty, remove_uids, engine)
    return fig.json


pio.to_json = _to_json  # looked up by st.plotly_chart at each call (plotly.io.to_json)


class ShownFigure(go.Figure):
    """A figure as drawn: its dict form, which st.plotly_chart makes on every run (a deep copy of the
    whole figure, ~4 % of the process's time when a room opens the link at once), is made once, and
    so is the JSON made from it (_to_json).
    Cached figures are made so when they enter the cache (_kept_form) and are never changed after."""

    def to_dict(self):
        if "_tiru_dict" not in self.__dict__:
            self.__dict__["_tiru_dict"] = ShownDict(super().to_dict())
        return self.__dict__["_tiru_dict"]

    def footed(self, text: str, add) -> ShownFigure:
        """A copy with a footer line (`add(copy, text)`, charts.with_footer), made once per text and
        kept with this figure: the shared figure itself is never changed."""
        kept = self.__dict__.setdefault("_tiru_footed", {})
        found = kept.get(text)
        if found is None:
            found = ShownFigure(self)
            add(found, text)
            kept[text] = found
        return found


def shown_styler(styler: Styler) -> Styler:
    """A shared table's colours (a pandas Styler, its styles applied) as drawn: st.dataframe computes and
    translates a Styler on every run (~3 % of the server's time under a crowd for the league table
    alone); this one is computed now and translated once per set of arguments, under a lock (translating
    changes the Styler's own state), and must not be changed after. Streamlit takes only a Styler
    itself (it checks the exact type), so the two steps are replaced on this object, not in a subclass.
    Without cell ids only the coloured cells carry an id and so a display value of their own (Streamlit
    sets one cell by cell for every cell with an id); the others show their own text."""
    styler.cell_ids = False
    computed = styler._compute()
    lock, translated = threading.Lock(), {}
    translate = styler._translate

    def translated_once(*args, **kwargs):
        key = (args, tuple(sorted(kwargs.items())))
        with lock:
            try:
                if key not in translated:
                    translated[key] = translate(*args, **kwargs)
                return translated[key]
            except TypeError:  # an argument that cannot be a key (not as st.dataframe calls it)
                return translate(*args, **kwargs)

    styler._compute = lambda: computed
    styler._translate = translated_once
    return styler


def _kept_form(value):
    """What the cache holds for a result: figures (also inside a namespace or tuple) as ShownFigure."""
    if type(value) is go.Figure:
        return ShownFigure(value)
    if isinstance(value, SimpleNamespace):
        return SimpleNamespace(**{k: _kept_form(v) for k, v in vars(value).items()})
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return tuple(_kept_form(v) for v in value)
    return value


class _Kept:
    """Every cached result of the process, shared by every session: at most `max_entries` (the least
    recently used go first), each for `ttl` seconds. A plain dictionary rather than st.cache_resource:
    Streamlit's read the function's signature and hashed the whole key again on every call, ~13 % of
    the server's time when a room opens the link at once (docs/kinerja.md). A result is computed once
    per key: a session asking for it meanwhile waits for it."""

    def __init__(self, max_entries: int, ttl: float, clock=time.monotonic):
        self.max_entries, self.ttl, self.clock = max_entries, ttl, clock
        self._entries: OrderedDict = OrderedDict()  # key -> (expires, value)
        self._computing: dict = {}  # key -> the lock its computation holds
        self._lock = threading.Lock()
        self._swept = clock()

    def get(self, key, compute):
        found = self._entries.get(key)
        if found is not None and found[0] > self.clock():
            with contextlib.suppress(KeyError):  # evicted meanwhile: it is still this call's result
                self._entries.move_to_end(key)
            return found[1]
        with self._lock:
            computing = self._computing.setdefault(key, threading.RLock())  # re-entrant: a call within its own computation
        with computing:
            found = self._entries.get(key)
            if found is not None and found[0] > self.clock():
                return found[1]
            try:
                value = compute()
                self._keep(key, value)
            finally:
                with self._lock:
                    self._computing.pop(key, None)
        return value

    def _keep(self, key, value) -> None:
        now = self.clock()
        with self._lock:
            self._entries[key] = (now + self.ttl, value)
            self._entries.move_to_end(key)
            if now - self._swept > 60:  # expired results go, not only the least recently used
                self._swept = now
                for old in [k for k, (expires, _) in self._entries.items() if expires <= now]:
                    del self._entries[old]
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


# One store for every cached result, shared by every session: room for every kecamatan's profile.
_KEPT = _Kept(max_entries=2048, ttl=600)


def cached(func=None, *, copy: bool = False):
    """Decorator: func(*args, **kwargs) computed once per arguments and context() and shared by
    every session. The key is derived (function name, arguments by value, context), never written
    by hand. copy=True gives each caller its own copy (own_copy) of a read it may change; without
    it the result is shared and must never be changed in place."""
    def decorate(func):
        name = f"{func.__module__}.{func.__qualname__}"

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            key = arguments_key((args, kwargs))
            result = _KEPT.get((name, context(), key), lambda: _kept_form(func(*args, **kwargs)))
            return own_copy(result) if copy else result

        return wrapper

    return decorate if func is None else decorate(func)
