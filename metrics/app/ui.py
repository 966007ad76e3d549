"""The one module that adapts the engine to Streamlit: caching, shared widgets, banners.

Cached results are keyed by the database file's generation, so a rebuilt or imported
database shows up without a restart, and by the interface language, since tables and
charts carry translated labels.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
import shlex
import threading
from pathlib import Path

import pandas as pd
import streamlit as st

from metrics.app import gaya
from metrics.charts import peta as charts_peta
from metrics.charts import tren as charts_tren
from metrics.core import bahasa, formatting
from metrics.core import periode as per
from metrics.data import demo as demo_data
from metrics.data.build import clear_recovery_note, default_db_path, default_with_demo, ensure_built, recovery_note
from metrics.data.store import RejectedChange, Store, StoreError
from metrics.engine import adopsi, benchmark, bulan, dampak, tren
from metrics.reports import deck_spec, slides

CACHE = {"ttl": 600, "max_entries": 64, "show_spinner": False}
ICON = str(Path(__file__).with_name("ikon.png"))  # the browser tab's icon, served by the app itself


def own_copy(value):
    """A cached read as the caller's own: one result is shared by every session (st.cache_resource:
    st.cache_data unpickled a full copy on every call, ~6 % of the process's time when a room opens
    the link at once, README "Kinerja"), and each caller gets a copy of its arrays (microseconds), so
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


def generation() -> tuple:
    """The cache key of every cached read: the database file's generation and the language."""
    return (*store().generation, bahasa.aktif())


@st.cache_resource(**CACHE)
def _league_table(db_generation, periode: int) -> pd.DataFrame:
    return benchmark.league_table(store(), periode)


def league_table(periode: int) -> pd.DataFrame:
    return own_copy(_league_table(generation(), periode))


@st.cache_resource(**CACHE)
def _scorecard(db_generation, periode: int) -> pd.DataFrame:
    return benchmark.scorecard(store(), periode)


def scorecard(periode: int) -> pd.DataFrame:
    """benchmark.scorecard for the Asahan kecamatan, cached."""
    return own_copy(_scorecard(generation(), periode))


@st.cache_resource(**CACHE)
def _values(db_generation, periode: int) -> pd.DataFrame:
    return benchmark.values(store(), periode)


def values(periode: int) -> pd.DataFrame:
    """As-of values of every indicator (context ones included) of the Asahan kecamatan, cached."""
    return own_copy(_values(generation(), periode))


@st.cache_resource(**CACHE)
def _events(db_generation, with_undone: bool) -> pd.DataFrame:
    return store().adopsi(with_undone=with_undone)


def events(with_undone: bool = False) -> pd.DataFrame:
    """Adoption events in recording order (undone ones only on request), cached."""
    return own_copy(_events(generation(), with_undone))


@st.cache_resource(**CACHE)
def _stage_history(db_generation, dari: int, sampai: int) -> pd.DataFrame:
    kecamatan = list(store().kecamatan(benchmark.REGION)["kode"])
    return adopsi.stage_history(events(), kecamatan, list(store().inovasi().index), dari, sampai)


def stage_history(dari: int, sampai: int) -> pd.DataFrame:
    """Stage of every Asahan kecamatan × innovation at the end of each month dari…sampai."""
    return own_copy(_stage_history(generation(), dari, sampai))


@st.cache_resource(**CACHE)
def _impact(db_generation, dari: int, sampai: int) -> pd.DataFrame:
    observasi = store().observasi(dari - dampak.WINDOW, sampai)
    inovasi = store().inovasi()
    return dampak.impact(stage_history(dari, sampai), observasi, inovasi["indikator"], store().indikator(), sampai,
                         inovasi["indikator_ukur"])


def impact(dari: int, sampai: int) -> pd.DataFrame:
    """dampak.impact of every innovation × linked indicator (with intervals and verdicts), months up to `sampai`."""
    return own_copy(_impact(generation(), dari, sampai))


@st.cache_resource(**CACHE)
def _target_summary(db_generation, periode: int, day) -> pd.DataFrame:
    kecamatan = list(store().kecamatan(benchmark.REGION)["kode"])
    return adopsi.target_summary(adopsi.target_status(events(), table("target"), kecamatan, day))


def target_summary(periode: int) -> pd.DataFrame:
    """adopsi.target_summary of every Sekda target at the end of the month (today in the current
    month), cached."""
    return own_copy(_target_summary(generation(), periode, adopsi.cutoff(periode, per.hari_ini())))


@st.cache_data(**CACHE)
def _small_multiples(db_generation, indikator: str, dari: int, sampai: int, highlight: tuple[str, ...]):
    meta = catalog().indikator.loc[indikator]
    asahan = list(store().kecamatan(benchmark.REGION)["kode"])
    obs = observasi(dari, sampai)
    months = tren.months_shown(obs, indikator, meta["frekuensi"], dari, sampai)
    frame = tren.series(obs, indikator, asahan, months)
    median = tren.median(obs, indikator, asahan, months)
    names = table("kecamatan").set_index("kode")["nama"]
    return charts_tren.small_multiples(frame, median, meta, names, months, list(highlight))


def small_multiples(indikator: str, dari: int, sampai: int, highlight: tuple[str, ...]):
    """The 25-panel trend figure (≈0,2 s to build), cached per indicator, months and highlight."""
    return _small_multiples(generation(), indikator, dari, sampai, highlight)


def _frame_key(frame: pd.DataFrame) -> tuple:
    """A frame's value for a cache key. pandas cannot hash list cells (the league table's belum_ada),
    and Streamlit then logs a warning and pickles the whole frame: such columns are hashed as text."""
    listed = [i for i, dtype in enumerate(frame.dtypes) if dtype == object]
    if listed:
        frame = frame.copy()
        for i in listed:
            frame.isetitem(i, frame.iloc[:, i].map(repr))
    return (tuple(map(str, frame.columns)), tuple(map(str, frame.dtypes)),
            pd.util.hash_pandas_object(frame).to_numpy().tobytes())


# Figures are kept with cache_resource: st.plotly_chart only reads them, and unpickling one from
# cache_data re-validates it, which costs about as much as building it (~30–40 ms each here).
@st.cache_resource(**CACHE, hash_funcs={pd.DataFrame: _frame_key})
def _figure(db_generation, name: str, _builder, args: tuple):
    return _builder(*args)


def figure(builder, *args):
    """builder(*args) — a pure chart builder of metrics.charts* — cached per database generation
    and language; the arguments (frames too) are hashed by value, so equal inputs share a figure."""
    return _figure(generation(), f"{builder.__module__}.{builder.__qualname__}", builder, args)


# What a page shows, made from the cached reads above: kept whole (no copy, no hashing of frames), per
# database generation, language and a key of plain values. Room for every kecamatan's profile.
@st.cache_resource(ttl=600, max_entries=1024, show_spinner=False)
def _kept(db_generation, name: str, key: tuple, _build):
    return _build()


def kept(name: str, key: tuple, build):
    """build() — display frames, figures, texts made from this module's cached reads — computed once
    per database generation, language, `name` and `key`. The key must hold every other input of
    build(). The result is shared by every session: never change it in place."""
    return _kept(generation(), name, key, build)


@st.cache_data(ttl=600, max_entries=8, show_spinner=False)
def _boundaries(path: str, modified: float | None) -> dict:
    return charts_peta.load_boundaries(path)


def boundaries(path: str) -> dict:
    """charts_peta.load_boundaries, cached per file path and modification time."""
    try:
        modified = os.stat(path).st_mtime
    except OSError:
        modified = None
    return _boundaries(path, modified)


def slide_inputs(periode: int) -> deck_spec.Inputs:
    """deck_spec.Inputs from the cached reads (the CLI uses deck_spec.gather on a Store)."""
    history = composite_history()
    kecamatan = table("kecamatan")
    return deck_spec.Inputs(
        periode=periode, table=league_table(periode), history=history[history["periode"] <= periode],
        status=reporting_status(periode), card=scorecard(periode), catalog=catalog(),
        events=events(), targets=table("target"), inovasi=table("inovasi"),
        kecamatan=kecamatan[kecamatan["wilayah"] == benchmark.REGION].reset_index(drop=True), demo=has_demo(),
        bulan=bulan.notice(month_table(), periode) or "",
    )


@st.cache_data(ttl=600, max_entries=32, show_spinner=False)
def _deck(db_generation, periode: int, fokus: str | None, today: tuple) -> deck_spec.Deck:
    return slides.deck(slide_inputs(periode), fokus)


def deck(periode: int, fokus: str | None) -> deck_spec.Deck:
    """The meeting deck of metrics/reports/slides.py for a month (and optional focus kecamatan), cached
    per day and deadline setting too: it says the month's status (month_table()), which moves with them."""
    return _deck(generation(), periode, fokus, (per.hari_ini(), per.tenggat_hari()))


@st.cache_resource(**CACHE)
def _composite_history(db_generation) -> pd.DataFrame:
    months = store().periods()
    return benchmark.composite_history(store(), months[0], months[-1]) if months else pd.DataFrame()


def composite_history() -> pd.DataFrame:
    """Indeks Tiru, coverage and rank of every Asahan kecamatan for every month with data."""
    return own_copy(_composite_history(generation()))


@st.cache_resource(**CACHE)
def _observasi(db_generation, dari: int, sampai: int) -> pd.DataFrame:
    return store().observasi(dari, sampai)


def observasi(dari: int, sampai: int) -> pd.DataFrame:
    """Effective observations of all kecamatan (Asahan and Cimahi), months dari…sampai."""
    return own_copy(_observasi(generation(), dari, sampai))


@st.cache_resource(**CACHE)
def _reporting_status(db_generation, periode: int) -> pd.DataFrame:
    cat = benchmark.catalog(store())
    return benchmark.reporting_status(store().observasi(periode - 24, periode), store().kecamatan(benchmark.REGION),
                                      periode, cat.indikator["frekuensi"])


def reporting_status(periode: int) -> pd.DataFrame:
    """benchmark.reporting_status for the month, looking back two years for the last report."""
    return own_copy(_reporting_status(generation(), periode))


@st.cache_resource(**CACHE)
def _catalog(db_generation) -> benchmark.Catalog:
    return benchmark.catalog(store())


def catalog() -> benchmark.Catalog:
    return own_copy(_catalog(generation()))


@st.cache_resource(**CACHE)
def _periods(db_generation) -> list[int]:
    return store().periods()


def periods() -> list[int]:
    return own_copy(_periods(generation()))


@st.cache_resource(**CACHE)
def _has_demo(db_generation) -> bool:
    return store().has_demo()


def has_demo() -> bool:
    return own_copy(_has_demo(generation()))


@st.cache_resource(**CACHE)
def _table(db_generation, name: str) -> pd.DataFrame:
    return getattr(store(), name)()


def table(name: str) -> pd.DataFrame:
    """A whole small table from the store: kecamatan, inovasi, target, ombudsman, batches."""
    return own_copy(_table(generation(), name))


def in_language(func):
    """`func` bound to the language of this run: for widgets' format_func and for deferred
    download data, which Streamlit may call outside the script thread (AppTest formats
    options in the test thread; a download's data callable runs in a server thread), where
    the active language would be the default."""
    kode = bahasa.aktif()

    def bound(*args, **kwargs):
        with bahasa.dalam(kode):
            return func(*args, **kwargs)

    return bound


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
    (container or st).selectbox(label, options, key=key, format_func=in_language(format_func), help=help)
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
    """A multiselect kept in ?key=a,b,c; unknown and repeated values in the URL are dropped quietly."""
    state, seen = st.session_state, f"_{key}_url"
    in_url = st.query_params.get(key)
    if in_url is not None and in_url != state.get(seen):
        wanted = list(dict.fromkeys(v for v in in_url.split(",") if v in options))[: max_selections or None]
        state[key] = wanted or [v for v in default if v in options]
    elif key not in state or any(v not in options for v in state[key]):
        state[key] = [v for v in default if v in options]
    (container or st).multiselect(label, options, key=key, format_func=in_language(format_func),
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


def requested_language() -> str:
    """Make the language asked for the active one before any text is drawn: a new ?bahasa= in
    the address (a shared link) wins, as in url_selectbox; otherwise the session's choice."""
    state, in_url = st.session_state, st.query_params.get("bahasa")
    if in_url in bahasa.BAHASA and in_url != state.get("_bahasa_url"):
        return bahasa.pakai(in_url)
    return bahasa.pakai(state.get("bahasa"))


def language_picker() -> str:
    """Sidebar language switch kept in ?bahasa=en (Indonesian needs no parameter); makes the
    choice the active language of this script run (requested_language() did so already)."""
    chosen = url_selectbox(bahasa.t("umum.bahasa"), list(bahasa.BAHASA), "bahasa", default=bahasa.DEFAULT,
                           format_func=bahasa.BAHASA.get, container=st.sidebar, help=bahasa.t("umum.bahasa_bantuan"))
    return bahasa.pakai(chosen)


@st.cache_resource(**CACHE)
def _month_table(db_generation, today, tenggat_hari: int) -> pd.DataFrame:
    return bulan.month_table(store(), today)


def month_table() -> pd.DataFrame:
    """bulan.month_table (status and deadline of every month with data) as of today, cached."""
    return own_copy(_month_table(generation(), per.hari_ini(), per.tenggat_hari()))


def period_picker() -> int | None:
    """Sidebar month picker kept in ?periode=YYYY-MM; default = the latest final month, else the
    latest month ≥ 80 % complete (metrics/engine/bulan.py): one early upload never moves it."""
    months = periods()
    if not months:
        return None
    today = (per.hari_ini(), per.tenggat_hari())
    labels = kept("periode.label", (), lambda: {per.fmt(m): formatting.bulan(m) for m in reversed(months)})
    chosen = url_selectbox(
        bahasa.t("umum.periode"),
        list(labels),
        "periode",
        default=kept("periode.bawaan", today, lambda: per.fmt(bulan.default_month(month_table()) or months[-1])),
        format_func=labels.get,
        container=st.sidebar,
        help=bahasa.t("umum.periode_bantuan"),
    )
    return per.parse(chosen)


def title(text: str, help: str | None = None) -> None:
    """A page's title (its explanation, if any, in the title's tooltip), and under it the notice when
    the chosen month is not final ("sementara · 12 dari 25 melapor"): every page says so, from here."""
    st.title(text, help=help)
    periode = selected_period()
    message = None if periode is None else kept("bulan.pemberitahuan", (periode, per.hari_ini(), per.tenggat_hari()),
                                                 lambda: bulan.notice(month_table(), periode))
    if message:
        st.caption(f":material/pending: **{message}** · {bahasa.t('bulan.pemberitahuan_bantuan')}")


def page_style() -> None:
    """The frame's compact and phone layout (gaya.PAGE_STYLE); Mode Rapat adds its own (app/rapat.py). Also sets
    <html lang> to the active language: Streamlit's page says "en" whatever it shows, and screen
    readers choose their voice (and browsers their hyphenation) by it."""
    st.html(gaya.PAGE_STYLE)
    st.html(f"<script>document.documentElement.lang = {json.dumps(bahasa.aktif())};</script>",
            unsafe_allow_javascript=True)


DEMO_AUTHOR = "metrics/data/demo.py"  # the author stored with the demo's batches (metrics/data/build.py)


def demo_origin() -> str:
    """Where demo values come from, for people: 'DATA CONTOH (dibangkitkan Tiru, benih tetap 20241211)'.
    The stored source and batch author stay as they are (metrics/data/demo.py); the screen shows this."""
    return bahasa.t("istilah.data_contoh_asal", benih=demo_data.SEED)


def demo_banner() -> None:
    """Shown on every page while any demo value is in the database: one slim line (PAGE_STYLE).
    Kept in the container `tiru-contoh` so Mode Rapat can hide it (its slides carry their own badge)."""
    if has_demo():
        with st.container(key="tiru-contoh"):
            st.warning(f"**{bahasa.t('istilah.data_contoh')}** {bahasa.t('umum.data_contoh')}",
                       icon=":material/science:")


def recovery_banner() -> None:
    """One line on every page while the database is one rebuilt from data/ (with the demo) because
    the previous file could not be read; an admin sees where it went and how to restore on Kelola
    Data (recovery_details)."""
    note = recovery_note(default_db_path())
    if note:
        st.warning(bahasa.t("umum.dibangun_ulang", waktu=_note_time(note)), icon=":material/restore:")


def _note_time(note: dict) -> str:
    try:
        return f"{dt.datetime.fromisoformat(note['waktu']):%Y-%m-%d %H:%M}"
    except (KeyError, TypeError, ValueError):
        return "?"


def recovery_details() -> None:
    """For an admin (Kelola Data): where the unreadable file went, the command that restores the
    newest backup made before, and a button to dismiss the note once dealt with."""
    db_path = default_db_path()
    note = recovery_note(db_path)
    if not note:
        return
    with st.container(border=True):
        st.error(bahasa.t("kelola.pemulihan.terjadi", waktu=_note_time(note), disisihkan=note["disisihkan"]),
                 icon=":material/restore:")
        if note.get("cadangan_terbaru"):
            st.markdown(bahasa.t("kelola.pemulihan.pulihkan"))
            st.code(f"tiru restore {shlex.quote(note['cadangan_terbaru'])}", language="bash")
        else:
            st.markdown(bahasa.t("kelola.pemulihan.tanpa_cadangan", folder=note.get("folder_cadangan", "backups/")))
        if st.button(bahasa.t("kelola.pemulihan.tutup"), key="tutup_pemulihan"):
            clear_recovery_note(db_path)
            st.rerun()


NOTICE_KEY = "_tiru_pesan"


def save(write, done) -> None:
    """Run one write from a form. A RejectedChange or StoreError is shown as an error (nothing was written);
    on success `done(result)` is kept for show_notice() and the page reruns on the new data."""
    try:
        result = write()
    except (RejectedChange, StoreError) as exc:  # StoreError: e.g. another writer held the lock too long
        st.error(str(exc), icon=":material/error:")
        return
    st.session_state[NOTICE_KEY] = done(result)
    st.rerun()


def show_notice() -> None:
    """The success message of the write that caused this rerun, once."""
    notice = st.session_state.pop(NOTICE_KEY, None)
    if notice:
        st.success(notice, icon=":material/check_circle:")


def fail_softly(exc: StoreError) -> None:
    st.error(bahasa.t("umum.basis_data_gagal", pesan=exc), icon=":material/error:")
    st.stop()


def require_period(consequence: str) -> int:
    """The chosen month; without any observation yet, an explanation and the page stops.

    `consequence` (already translated) completes "Belum ada data layanan kecamatan Asahan di
    basis data, jadi …" (umum.belum_ada_data).
    """
    periode = selected_period()
    if periode is None:
        st.info(bahasa.t("umum.belum_ada_data", akibat=consequence), icon=":material/info:")
        st.stop()
    return periode


def selected_period() -> int | None:
    """The month chosen in the frame's picker (None when there is no data yet)."""
    chosen = st.session_state.get("periode")
    return per.parse(chosen) if chosen else None


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|$~:=\"'&^;@?/,%])")


def plain(text) -> str:
    """Text from data (a source, a note, a file name) for st.caption/markdown/help: every Markdown
    and Streamlit directive character escaped, so a link, an image (a request to another host),
    KaTeX or :red[…] from a file shows as the literal text it is. Bare URLs and e-mail addresses
    get an invisible word joiner: Streamlit turns them into links after the escapes are read."""
    text = re.sub(r"(?i)(://|www\.|@)", lambda m: m.group(1)[0] + WORD_JOINER + m.group(1)[1:], str(text))
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


WORD_JOINER = "\u2060"
