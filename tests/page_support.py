"""What the AppTest page tests share: the whole app (frame + navigation) opened on one page."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


def open_page(db: Path, use_db, page: str | None, *, with_demo: bool = True, accounts=None, timeout: float = 90,
              **query) -> AppTest:
    """AppTest of app.py on `db` with `query` in the address, run, then switched to `page` and run
    (page None: the app's first page, Ringkasan, as opened).

    `accounts` become the [[akun]] of the secrets; `use_db` is conftest's fixture."""
    use_db(db, with_demo)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    if accounts is not None:
        at.secrets["akun"] = accounts
    at.query_params.update(query)
    at.run()
    return at.switch_page(page).run() if page else at


def open_share(at: AppTest) -> list[str]:
    """Open the page's Bagikan popover, as a tap on it does (its texts are drawn only then), and return
    its copy boxes: [the link, the WhatsApp summary]."""
    from metrics.app import bagikan

    at.session_state[bagikan.OPEN_KEY] = True
    at.run()
    return [c.value for c in at.get("code")]


def record_downloads(monkeypatch) -> dict:
    """Every st.download_button a page draws, by key: (label, data or its callable, the other arguments)."""
    import streamlit as st

    captured = {}
    original = st.download_button

    def recording(label, data=None, *args, **kwargs):
        captured.setdefault(kwargs.get("key"), (label, data, kwargs))
        return original(label, data, *args, **kwargs)

    monkeypatch.setattr(st, "download_button", recording)
    return captured
