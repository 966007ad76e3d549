"""The one module that adapts the engine to Streamlit: caching, shared widgets, banners.

Cached results are keyed by the database file's generation, so a rebuilt or imported
database shows up without a restart.
"""

from __future__ import annotations

import os

import pandas as pd
import streamlit as st

from metrics import benchmark, formatting
from metrics import periode as per
from metrics.store import Store, StoreError, default_db_path, ensure_built

CACHE = {"ttl": 600, "max_entries": 64, "show_spinner": False}


@st.cache_resource(show_spinner="Menyiapkan basis data…")
def _store(path: str, with_demo: bool) -> Store:
    return Store(ensure_built(path, with_demo=with_demo))


def store() -> Store:
    """The process's store for the configured database (TIRU_DB, TIRU_DEMO)."""
    with_demo = os.environ.get("TIRU_DEMO", "1") != "0"
    return _store(str(default_db_path()), with_demo)


def generation() -> tuple[str, int, int]:
    return store().generation


@st.cache_data(**CACHE)
def _league_table(db_generation, periode: int) -> pd.DataFrame:
    return benchmark.league_table(store(), periode)


def league_table(periode: int) -> pd.DataFrame:
    return _league_table(generation(), periode)


@st.cache_data(**CACHE)
def _scorecard(db_generation, periode: int) -> pd.DataFrame:
    return benchmark.scorecard(store(), periode)


def scorecard(periode: int) -> pd.DataFrame:
    """benchmark.scorecard for the Asahan kecamatan, cached."""
    return _scorecard(generation(), periode)


@st.cache_data(**CACHE)
def _composite_history(db_generation) -> pd.DataFrame:
    months = store().periods()
    return benchmark.composite_history(store(), months[0], months[-1]) if months else pd.DataFrame()


def composite_history() -> pd.DataFrame:
    """Indeks Tiru, coverage and rank of every Asahan kecamatan for every month with data."""
    return _composite_history(generation())


@st.cache_data(**CACHE)
def _observasi(db_generation, dari: int, sampai: int) -> pd.DataFrame:
    return store().observasi(dari, sampai)


def observasi(dari: int, sampai: int) -> pd.DataFrame:
    """Effective observations of all kecamatan (Asahan and Cimahi), months dari…sampai."""
    return _observasi(generation(), dari, sampai)


@st.cache_data(**CACHE)
def _catalog(db_generation) -> benchmark.Catalog:
    return benchmark.catalog(store())


def catalog() -> benchmark.Catalog:
    return _catalog(generation())


@st.cache_data(**CACHE)
def _periods(db_generation) -> list[int]:
    return store().periods()


def periods() -> list[int]:
    return _periods(generation())


@st.cache_data(**CACHE)
def _has_demo(db_generation) -> bool:
    return store().has_demo()


def has_demo() -> bool:
    return _has_demo(generation())


@st.cache_data(**CACHE)
def _table(db_generation, name: str) -> pd.DataFrame:
    return getattr(store(), name)()


def table(name: str) -> pd.DataFrame:
    """A whole small table from the store: kecamatan, inovasi, target, ombudsman, batches."""
    return _table(generation(), name)


def url_selectbox(label: str, options: list[str], key: str, *, default: str | None = None,
                  format_func=str, container=None, help: str | None = None) -> str | None:
    """A selectbox whose choice is kept in ?key=<option> (e.g. ?kecamatan=12.09.19).

    Synced by hand rather than with bind="query-params": a bound selectbox puts the
    formatted label ("Juni 2025") in the URL, and links should carry codes (2025-06).
    A valid value in the URL wins when it is new (a shared link, st.page_link); an
    invalid one is dropped quietly. The default needs no parameter.
    """
    if not options:
        return None
    default = default if default in options else options[0]
    state, seen = st.session_state, f"_{key}_url"
    in_url = st.query_params.get(key)
    if in_url in options and in_url != state.get(seen):
        state[key] = in_url
    elif state.get(key) not in options:
        state[key] = default
    (container or st).selectbox(label, options, key=key, format_func=format_func, help=help)
    chosen = state[key]
    if chosen == default:
        st.query_params.pop(key, None)
        state[seen] = None
    else:
        st.query_params[key] = chosen
        state[seen] = chosen
    return chosen


def url_multiselect(label: str, options: list[str], key: str, *, default: list[str], max_selections=None,
                    format_func=str, container=None, help: str | None = None) -> list[str]:
    """A multiselect kept in ?key=a,b,c; unknown values in the URL are dropped quietly."""
    state, seen = st.session_state, f"_{key}_url"
    in_url = st.query_params.get(key)
    if in_url is not None and in_url != state.get(seen):
        wanted = [v for v in in_url.split(",") if v in options][: max_selections or None]
        state[key] = wanted or [v for v in default if v in options]
    elif key not in state or any(v not in options for v in state[key]):
        state[key] = [v for v in default if v in options]
    (container or st).multiselect(label, options, key=key, format_func=format_func,
                                  max_selections=max_selections, help=help)
    chosen = list(state[key])
    text = ",".join(chosen)
    if chosen == [v for v in default if v in options]:
        st.query_params.pop(key, None)
        state[seen] = None
    else:
        st.query_params[key] = text
        state[seen] = text
    return chosen


def period_picker() -> int | None:
    """Sidebar month picker kept in ?periode=YYYY-MM; default = latest month with data."""
    months = periods()
    if not months:
        return None
    chosen = url_selectbox(
        "Periode",
        [per.fmt(m) for m in reversed(months)],
        "periode",
        format_func=lambda text: formatting.bulan(per.parse(text)),
        container=st.sidebar,
        help="Bulan yang ditampilkan. Bawaan: bulan terakhir yang berisi data.",
    )
    return per.parse(chosen)


def demo_banner() -> None:
    """Shown on every page while any demo value is in the database."""
    if has_demo():
        st.warning(
            "**DATA CONTOH** — angka layanan kecamatan di layar ini dibangkitkan untuk peragaan, "
            "bukan data resmi. Nama, kode, jumlah desa/kelurahan, penduduk dan seri Ombudsman adalah "
            "data nyata dengan sumbernya.",
            icon=":material/science:",
        )


def fail_softly(exc: StoreError) -> None:
    st.error(f"Basis data belum dapat dipakai. {exc}", icon=":material/error:")
    st.stop()


def selected_period() -> int | None:
    """The month chosen in the frame's picker (None when there is no data yet)."""
    chosen = st.session_state.get("periode")
    return per.parse(chosen) if chosen else None
