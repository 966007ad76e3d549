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
import os
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
from metrics.data import wilayah
from metrics.engine import benchmark


def own_copy(value):
    """A caller's own form of a kept result: frames (and Stylers) made anew from their plain arrays
    (PlainFrame, PlainStyler), containers (list, tuple, dict, namespace, dataclass) anew around them; figures, texts and numbers
    are shared and never changed."""
    def leaf(item):
        if isinstance(item, PlainFrame):
            return item.frame()
        return item.styler() if isinstance(item, PlainStyler) else item

    return _through(value, leaf)


def _through(value, convert):
    """`value` with `convert` applied to it and to everything in its lists, dicts, namespaces, tuples
    and dataclasses (mutable containers always anew, tuples and dataclasses when something changed)."""
    def each(item):
        converted = convert(item)
        if converted is not item:  # a leaf (a PlainFrame is a dataclass too, not a container)
            return converted
        if isinstance(item, list):
            return [each(v) for v in item]
        if isinstance(item, dict):
            return {k: each(v) for k, v in item.items()}
        if isinstance(item, SimpleNamespace):
            return SimpleNamespace(**each(vars(item)))
        if isinstance(item, tuple):
            return _new_tuple(item, [each(v) for v in item])
        if dataclasses.is_dataclass(item) and not isinstance(item, type):
            return _replace_fields(item, each)
        return item

    return each(value)


def _new_tuple(value: tuple, items: list) -> tuple:
    """`value` with `items`, the same tuple when none changed (a tuple cannot be changed in place)."""
    if all(new is old for new, old in zip(items, value, strict=True)):
        return value
    return type(value)(*items) if hasattr(value, "_fields") else tuple(items)


def _replace_fields(value, convert):
    """A dataclass instance with `convert` applied to its fields (those that change)."""
    changed = {}
    for f in dataclasses.fields(value):
        old = getattr(value, f.name)
        new = convert(old)
        if new is not old:
            changed[f.name] = new
    return dataclasses.replace(value, **changed) if changed else value


@dataclasses.dataclass(frozen=True)
class PlainFrame:
    """A DataFrame or Series as the cache keeps it: its column arrays, labels and index, no pandas
    object. Every caller gets a frame made anew from them (frame(), ~0,2 ms). Why not a shared frame:
    under copy-on-write every view or copy of a shared frame (a caller's .copy() included, through its
    index) leaves a weak reference on it, up to ~500 dead ones per block and index before pandas clears
    them; over thousands of kept results that grew the server through the day (docs/kinerja.md)."""

    arrays: tuple  # one per column: a read-only numpy array or a pandas extension array
    columns: tuple  # _plain_axis of the column labels
    index: tuple  # _plain_axis of the row labels
    attrs: dict
    series: bool = False
    name: object = None

    @classmethod
    def of(cls, value: pd.DataFrame | pd.Series) -> PlainFrame:
        series = isinstance(value, pd.Series)
        frame = value.to_frame() if series else value
        return cls(tuple(_plain_array(frame.iloc[:, i]) for i in range(frame.shape[1])), _plain_axis(frame.columns),
                   _plain_axis(frame.index), dict(value.attrs), series, value.name if series else None)

    def frame(self) -> pd.DataFrame | pd.Series:
        index = _axis(self.index)
        if self.series:
            out = pd.Series(self.arrays[0].copy(), index=index, name=self.name)
        else:
            # pandas' own constructor from column arrays (named in test_dependencies): 2,5× faster than
            # DataFrame(dict), and this runs for every frame every page is given
            out = pd.DataFrame._from_arrays([array.copy() for array in self.arrays], columns=_axis(self.columns),
                                            index=index, verify_integrity=False)
        out.attrs = dict(self.attrs)
        return out


def _plain_axis(labels: pd.Index) -> tuple:
    """Row or column labels as plain values: a range by its bounds, else each level's array, with names."""
    if isinstance(labels, pd.RangeIndex):
        return ("range", labels.start, labels.stop, labels.step, labels.name)
    return ("levels", tuple(_plain_array(labels.get_level_values(i)) for i in range(labels.nlevels)),
            tuple(labels.names))


def _axis(kept: tuple) -> pd.Index:
    if kept[0] == "range":
        return pd.RangeIndex(*kept[1:4], name=kept[4])
    levels, names = kept[1], kept[2]
    if len(levels) == 1:
        return pd.Index(levels[0].copy(), name=names[0])
    return pd.MultiIndex.from_arrays([level.copy() for level in levels], names=names)


def _plain_array(values: pd.Series | pd.Index):
    """A column's or index level's values without its pandas container: extension arrays as they
    are (immutable in practice: a caller's frame() copies them), numpy arrays copied and read-only."""
    array = values.array
    if isinstance(array, pd.arrays.NumpyExtensionArray):
        array = array.to_numpy().copy()
        array.flags.writeable = False
    return array


_STORES: dict[tuple[str, bool, str, str], Store] = {}
_STORES_LOCK = threading.Lock()


def store() -> Store:
    """The process's store for the configured database (TIRU_DB, TIRU_DEMO), opened (and built if
    needed) once. A plain dictionary: this runs before every cached read, where st.cache_resource's
    own key hashing was ~2 % of the process's time under a crowd."""
    config = wilayah.aktif()  # another TIRU_WILAYAH / TIRU_MODEL: another store, checked against its file
    # keyed by what default_db_path reads (TIRU_DB, the configuration), not by the path it makes:
    # this runs on every cached call, and making the path was half its cost
    key = (os.environ.get("TIRU_DB"), default_with_demo(), config.kode, config.model)
    found = _STORES.get(key)
    if found is None:
        with _STORES_LOCK:
            found = _STORES.get(key)
            if found is None:
                found = _STORES[key] = Store(ensure_built(str(default_db_path(config)), with_demo=key[1]))
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


@dataclasses.dataclass(frozen=True)
class PlainStyler:
    """A pandas Styler as the cache keeps it: its data as a PlainFrame and its colours computed once
    and translated once per set of arguments. st.dataframe computes and translates a Styler on every
    run (~3 % of the server's time under a crowd for the league table alone). Each caller gets a
    Styler of its own over its own frame (styler()), with the two steps replaced by the kept ones:
    Streamlit takes only a Styler itself (it checks the exact type), so they are replaced on the object.
    Without cell ids only the coloured cells carry an id and so a display value of their own (Streamlit
    sets one cell by cell for every cell with an id); the others show their own text."""

    data: PlainFrame
    uuid: str
    compute: object  # Styler._compute of the kept one, done
    translate: object  # Styler._translate of the kept one, once per set of arguments

    @classmethod
    def of(cls, styler: Styler) -> PlainStyler:
        styler.cell_ids = False
        styler._compute()
        lock, translated, translate = threading.Lock(), {}, styler._translate

        def translated_once(*args, **kwargs):
            key = (args, tuple(sorted(kwargs.items())))
            with lock:  # translating changes the Styler's own state
                try:
                    if key not in translated:
                        translated[key] = translate(*args, **kwargs)
                    return translated[key]
                except TypeError:  # an argument that cannot be a key (not as st.dataframe calls it)
                    return translate(*args, **kwargs)

        return cls(PlainFrame.of(styler.data), str(styler.uuid), lambda: None, translated_once)

    def styler(self) -> Styler:
        out = Styler(self.data.frame(), uuid=self.uuid, cell_ids=False)
        out._compute, out._translate = self.compute, self.translate
        return out


def _kept_form(value):
    """What the cache holds for a result: frames as PlainFrame, figures as ShownFigure, also inside
    lists, tuples, dicts, namespaces and dataclasses."""
    def leaf(item):
        if isinstance(item, pd.DataFrame | pd.Series):
            return PlainFrame.of(item)
        if isinstance(item, Styler):
            return PlainStyler.of(item)
        return ShownFigure(item) if type(item) is go.Figure else item

    return _through(value, leaf)


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
# Kept for a day: every key holds today (context()), so an older result is never asked for again,
# and a result made anew while the same one is still right only churns memory (a 600 s life raised
# the server's RSS by ~7 % once, mid-soak, when the results of the first pass all expired together).
_KEPT = _Kept(max_entries=2048, ttl=24 * 3600)


def cached(func):
    """Decorator: func(*args, **kwargs) computed once per arguments and context() and shared by
    every session. The key is derived (function name, arguments by value, context), never written
    by hand. Each caller gets its own frames and containers (own_copy), which it may change; figures
    are shared and never changed. `wrapper.held(*args, **kwargs)` is the kept form itself (tests)."""
    name = f"{func.__module__}.{func.__qualname__}"

    def held(*args, **kwargs):
        key = (name, context(), arguments_key((args, kwargs)))
        return _KEPT.get(key, lambda: _kept_form(func(*args, **kwargs)))

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return own_copy(held(*args, **kwargs))

    wrapper.held = held
    return wrapper
