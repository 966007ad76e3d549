"""`tiru serve`: run the dashboard (`streamlit run app.py`) with app.py's navigation as the only
page list from the first request on.

Streamlit treats a `pages/` folder next to the main script as its legacy page list until
`st.navigation` has run once in the process. Until then, the first deep link after a start
(e.g. /profil?kecamatan=12.09.19) shows a "Page not found" notice, and a link equal to a file
stem would run that page without the frame. Switching the legacy mode off before the server
starts removes both.

Before the server takes a connection, the database is built (or rebuilt when data/ changed); then,
while the server already answers, a background thread computes the default month's pages into the
process's caches (metrics/app/tampilan.py warm: Ringkasan and Peringkat first, then the 25
profiles). A visitor who asks for a page before its turn computes it (or waits for the same
computation: the caches lock per key), so nobody waits for all of it (cold start ≤ 5 s,
docs/kinerja.md). What is alive after the warm-up is frozen out of the garbage collector's scans
(gc.freeze), which keeps the collections between script runs short. The rest is plain
`streamlit run`.
"""

from __future__ import annotations

import gc
import os
import sys
import threading

from metrics.core import formatting
from metrics.core.bahasa import t
from metrics.data.build import ROOT


def prepare() -> threading.Thread | None:
    """Build the database if needed and start warming the caches in the background (returned, for
    tests). A database that cannot be built is left to the pages, which say so in the user's language
    (as they did before the build moved here)."""
    from metrics.data.build import ensure_built
    from metrics.data.store import StoreError

    try:
        ensure_built()
    except StoreError as exc:
        print(f"tiru: {exc}", file=sys.stderr)
        return None
    warming = threading.Thread(target=warm, name="tiru-warm", daemon=True)
    warming.start()
    return warming


def warm() -> None:
    """Fill the caches of the default month's pages, then freeze what is alive out of the collector."""
    import logging
    import time

    began = time.perf_counter()
    # Outside a script run Streamlit warns that there is no ScriptRunContext for every cached call.
    quiet = logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        from metrics.app import tampilan

        tampilan.warm()
    except Exception as exc:
        print(f"tiru: {exc}", file=sys.stderr)
    finally:
        quiet.setLevel(level)
    gc.collect()
    gc.freeze()
    # on the server's log: when it has been written, visitors are served from the caches (tiru bench waits for it)
    print(f"tiru: {t('cli.pesan.tembolok_hangat', detik=formatting.angka(time.perf_counter() - began, 1))}", flush=True)


def configure_proxy() -> None:
    """Streamlit's server (uvicorn) takes the client's address from X-Forwarded-For only when the
    peer is in FORWARDED_ALLOW_IPS, which defaults to loopback: anyone on the machine (or a proxy
    that passes the header on) could then pick the address sign-in throttling and the log see. Set
    it to TIRU_PROXY's addresses, or to none (the app trusts the same: akses.client_address)."""
    from metrics.app.akses import trusted_proxies

    os.environ["FORWARDED_ALLOW_IPS"] = ",".join(sorted(trusted_proxies()))


def main(streamlit_args: list[str]) -> int:
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli as streamlit_cli

    PagesManager.uses_pages_directory = False
    configure_proxy()
    prepare()
    sys.argv = ["streamlit", "run", str(ROOT / "app.py"), *streamlit_args]
    return streamlit_cli.main()
