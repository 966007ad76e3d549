"""The one module that adapts the engine to Streamlit: caching, shared widgets, banners.

Every cached result comes from one mechanism, `cached` (metrics/app/cache.py): its key is
derived from the function, its arguments and the context (database generation, language,
today, deadline setting), never written by hand.
"""

from __future__ import annotations

import contextlib
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
from metrics.app.cache import cached, store  # also the pages' gateway: ui.store(), ui.cached
from metrics.charts import peta as charts_peta
from metrics.charts import grafik_tren as charts_tren
from metrics.core import bahasa, formatting
from metrics.core import periode as per
from metrics.data import demo as demo_data
from metrics.data.build import clear_recovery_note, default_db_path, recovery_note
from metrics.data.store import RejectedChange, StoreError
from metrics.engine import adopsi, benchmark, bulan, dampak, tren
from metrics.presentation import keadaan
from metrics.reports import deck_spec, slides

ICON = str(Path(__file__).with_name("ikon.png"))  # the browser tab's icon, served by the app itself


def figure(builder, *args):
    """builder(*args) — a pure chart builder of metrics.charts* — cached like any cached function;
    the arguments (frames too) are hashed by value, so equal inputs share a figure."""
    return _figure(builder, *args)


@cached
def _figure(builder, *args):
    return builder(*args)


# ---- cached reads (each caller gets its own copy) ------------------------------------------------

@cached
def league_table(periode: int) -> pd.DataFrame:
    return benchmark.league_table(store(), periode)


@cached
def scorecard(periode: int) -> pd.DataFrame:
    """benchmark.scorecard for the Asahan kecamatan."""
    return benchmark.scorecard(store(), periode)


@cached
def values(periode: int) -> pd.DataFrame:
    """As-of values of every indicator (context ones included) of the Asahan kecamatan."""
    return benchmark.values(store(), periode)


@cached
def events(with_undone: bool = False) -> pd.DataFrame:
    """Adoption events in recording order (undone ones only on request)."""
    return store().adopsi(with_undone=with_undone)


@cached
def stage_history(dari: int, sampai: int) -> pd.DataFrame:
    """Stage of every Asahan kecamatan × innovation at the end of each month dari…sampai."""
    kecamatan = list(store().kecamatan(benchmark.region())["kode"])
    return adopsi.stage_history(events(), kecamatan, list(store().inovasi().index), dari, sampai)


@cached
def impact(dari: int, sampai: int) -> pd.DataFrame:
    """dampak.impact of every innovation × linked indicator (with intervals and verdicts), months up to `sampai`."""
    observasi = store().observasi(dari - dampak.WINDOW, sampai)
    inovasi = store().inovasi()
    return dampak.impact(stage_history(dari, sampai), observasi, inovasi["indikator"], store().indikator(), sampai,
                         inovasi["indikator_ukur"])


@cached
def target_summary(periode: int) -> pd.DataFrame:
    """adopsi.target_summary of every Sekda target at the end of the month (today in the current
    month: context() holds today)."""
    kecamatan = list(store().kecamatan(benchmark.region())["kode"])
    day = adopsi.cutoff(periode, per.hari_ini())
    return adopsi.target_summary(adopsi.target_status(events(), table("target"), kecamatan, day))


@cached
def small_multiples(indikator: str, dari: int, sampai: int, highlight: tuple[str, ...]):
    """The 25-panel trend figure (≈0,2 s to build), per indicator, months and highlight."""
    meta = catalog().indikator.loc[indikator]
    asahan = list(store().kecamatan(benchmark.region())["kode"])
    obs = observasi(dari, sampai)
    months = tren.months_shown(obs, indikator, meta["frekuensi"], dari, sampai)
    frame = tren.series(obs, indikator, asahan, months)
    median = tren.median(obs, indikator, asahan, months)
    names = table("kecamatan").set_index("kode")["nama"]
    return charts_tren.small_multiples(frame, median, meta, names, months, list(highlight))


@cached
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
        kecamatan=kecamatan[kecamatan["wilayah"] == benchmark.region()].reset_index(drop=True), demo=has_demo(),
        bulan=bulan.notice(month_table(), periode) or "",
    )


@cached
def deck(periode: int, fokus: str | None) -> deck_spec.Deck:
    """The meeting deck of metrics/reports/slides.py for a month (and optional focus kecamatan); it says
    the month's status, which moves with today and the deadline setting (both in context())."""
    return slides.deck(slide_inputs(periode), fokus)


@cached
def composite_history() -> pd.DataFrame:
    """Indeks Tiru, coverage and rank of every Asahan kecamatan for every month with data."""
    months = store().periods()
    return benchmark.composite_history(store(), months[0], months[-1]) if months else pd.DataFrame()


@cached
def observasi(dari: int, sampai: int) -> pd.DataFrame:
    """Effective observations of all kecamatan (Asahan and Cimahi), months dari…sampai."""
    return store().observasi(dari, sampai)


@cached
def reporting_status(periode: int) -> pd.DataFrame:
    """benchmark.reporting_status for the month, looking back two years for the last report."""
    cat = benchmark.catalog(store())
    return benchmark.reporting_status(store().observasi(periode - 24, periode), store().kecamatan(benchmark.region()),
                                      periode, cat.indikator["frekuensi"])


@cached
def catalog() -> benchmark.Catalog:
    return benchmark.catalog(store())


@cached
def periods() -> list[int]:
    return store().periods()


@cached
def has_demo() -> bool:
    return store().has_demo()


@cached
def table(name: str) -> pd.DataFrame:
    """A whole small table from the store: kecamatan, inovasi, target, ombudsman, batches."""
    return getattr(store(), name)()


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


# Script runs take turns (app.py): under one GIL, thirty runs at once switched every few milliseconds and
# queued on each other's locks, and a crowd of 30 was served in twice the time it took one run after
# another (docs/kinerja.md). A run that has waited TURN_WAIT_S goes ahead anyway, so a long one (an upload
# being read, a cold cache) never holds the others back by more than that.
_TURN = threading.Lock()
TURN_WAIT_S = 1.0


@contextlib.contextmanager
def turn():
    """This script run's turn: alone in the interpreter, or after TURN_WAIT_S alongside the others."""
    alone = _TURN.acquire(timeout=TURN_WAIT_S)
    try:
        yield
    finally:
        if alone:
            _TURN.release()


PAGES_KEY = "_tiru_halaman"


def session_pages(build) -> dict:
    """The frame's pages (`build()`: file → st.Page), made once per session and language and kept for
    page_link: made on every run they cost ~1 % of the server's time under a crowd (each st.Page
    resolves its file on the disk). st.navigation and page.run() only flag the page to run."""
    kept = st.session_state.get(PAGES_KEY)
    if kept is None or kept[0] != bahasa.aktif():
        kept = st.session_state[PAGES_KEY] = (bahasa.aktif(), build())
    return kept[1]


def page_link(page: str, *, container=None, icon: str | None = None, **kwargs):
    """st.page_link to one of the app's pages by its file ('pages/kecamatan.py'), given as the frame's
    own st.Page: for a file name Streamlit resolves the path on the disk for every link (~7 % of the
    server's CPU under a crowd). No icon unless one is asked for (a page's own would show)."""
    found = st.session_state.get(PAGES_KEY, (None, {}))[1].get(page)
    return (container or st).page_link(found or page, icon=icon or "", **kwargs)


def kpi_row(key: str):
    """A row of key numbers: st.metric(..., width="stretch") into one horizontal container (one block;
    st.columns made a row, a column each and a container: 10 messages for 4 numbers). Two to a row on
    a phone (gaya.PHONE)."""
    return st.container(key=key, horizontal=True, gap="small")


def delta(text: str | None) -> dict:
    """st.metric's delta arguments for a change signed by tampil.bertanda: an unsigned one (0,0, or what
    rounds to it) gets no arrow and no colour; st.metric drew it as a rise, green and pointing up."""
    if text and not text.startswith(("+", "-")):
        return {"delta": text, "delta_color": "off", "delta_arrow": "off"}
    return {"delta": text}


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


@cached
def month_table() -> pd.DataFrame:
    """bulan.month_table (status and deadline of every month with data) as of today (in context())."""
    return bulan.month_table(store(), per.hari_ini())


def period_picker() -> int | None:
    """Sidebar month picker kept in ?periode=YYYY-MM; default = the latest final month, else the
    latest month ≥ 80 % complete (metrics/engine/bulan.py): one early upload never moves it."""
    if not periods():
        return None
    labels = period_labels()
    chosen = url_selectbox(
        bahasa.t("umum.periode"),
        list(labels),
        "periode",
        default=default_period(),
        format_func=labels.get,
        container=st.sidebar,
        help=bahasa.t("umum.periode_bantuan"),
    )
    return per.parse(chosen)


@cached
def month_status(periode: int) -> str | None:
    """The month's status in month_table (None for a month without data)."""
    return month_table().set_index("periode")["status"].get(periode)


@cached
def month_state(periode: int):
    """keadaan.Keadaan of the month as of today (the line every summary, table and chart image carries);
    made once per month and context, not on every element of every run."""
    return keadaan.dari_tabel(month_table(), periode, has_demo(), per.hari_ini())


@cached
def period_labels() -> dict[str, str]:
    """'2026-11' → 'November 2026' for every month with data, newest first."""
    return {per.fmt(m): formatting.bulan(m) for m in reversed(periods())}


@cached
def default_period() -> str:
    """The month every page opens on (bulan.default_month), as 'YYYY-MM'."""
    return per.fmt(bulan.default_month(month_table()) or periods()[-1])


@cached
def month_notice(periode: int) -> str | None:
    """bulan.notice: the line under every title when the month is not final."""
    return bulan.notice(month_table(), periode)


def title(text: str, help: str | None = None) -> None:
    """A page's title (its explanation, if any, in the title's tooltip), and under it the notice when
    the chosen month is not final ("sementara · 12 dari 25 melapor"): every page says so, from here."""
    st.title(text, help=help)
    periode = selected_period()
    message = None if periode is None else month_notice(periode)
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
