"""The page timings of `tiru bench`: every page registered in app.py, rerun in AppTest
(in this process, the app frame included)."""

from __future__ import annotations

import ast
import contextlib
import logging
import os
import statistics
import time
from pathlib import Path

from metrics.ops.beban import APP, app_env, percentile


def _constant(node: ast.expr):
    """A keyword's value in app.py: a literal, or a catalogue text t("key") in the active language."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "t" \
            and node.args and isinstance(node.args[0], ast.Constant):
        from metrics.core.bahasa import t

        return t(node.args[0].value)
    return None


def registered_pages() -> list[dict]:
    """Every st.Page of app.py (file, url_path, title), read from its source."""
    pages = []
    for node in ast.walk(ast.parse(APP.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Page":
            keywords = {k.arg: _constant(k.value) for k in node.keywords}
            pages.append({"berkas": node.args[0].value, "url": "" if keywords.get("default") else
                          keywords.get("url_path", Path(node.args[0].value).stem), "judul": keywords.get("title")})
    return pages


@contextlib.contextmanager
def environment(**values: str):
    """Inside: these environment variables set (the configuration the app reads), restored after."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


# --------------------------------------------------------------------------- page reruns

# AppTest's constructor writes to session state outside a script run, and Streamlit warns about
# it ("missing ScriptRunContext! This warning can be ignored when running in bare mode.") once
# per page: a screen of noise in the bench's output. A level set on the logger does not hold:
# Streamlit sets every one of its loggers back to its configured level when it parses its config
# (streamlit.logger.set_log_level), which AppTest does. A filter stays.
_BARE_MODE_LOGGER = "streamlit.runtime.scriptrunner_utils.script_run_context"


class _NoBareModeWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "missing ScriptRunContext" not in record.getMessage()


@contextlib.contextmanager
def bare_mode_quiet():
    """Inside: Streamlit's bare-mode warning is dropped (that one message only, other warnings pass)."""
    logger, quiet = logging.getLogger(_BARE_MODE_LOGGER), _NoBareModeWarning()
    logger.addFilter(quiet)
    try:
        yield
    finally:
        logger.removeFilter(quiet)



def page_reruns(db: Path, reruns: int) -> list[dict]:
    """Warm rerun time of every page in AppTest: one first run, then `reruns` timed ones, under the
    configuration `db` was built for (TIRU_WILAYAH, TIRU_MODEL)."""
    from streamlit.testing.v1 import AppTest

    results = []
    with environment(**app_env(db)), bare_mode_quiet():
        for page in registered_pages():
            at = AppTest.from_file(str(APP), default_timeout=300)
            if page["url"]:  # any other page: open the app, then switch, as a user following a link
                at.run()
                at.switch_page(page["berkas"])
            started = time.perf_counter()
            at.run()
            first = time.perf_counter() - started
            times = []
            for _ in range(reruns):
                started = time.perf_counter()
                at.run()
                times.append((time.perf_counter() - started) * 1000)
            results.append({
                **page, "pertama_ms": round(first * 1000, 1), "n": len(times),
                "median_ms": round(statistics.median(times), 1) if times else None,
                "p95_ms": round(percentile(times, 95), 1) if times else None,
                "galat": len(at.exception),
            })
    return results
