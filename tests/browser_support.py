"""What the browser tests share: Debian's chromium for Playwright, and `tiru serve` on a free port.

Playwright's own browser download does not work here, so tests drive /usr/bin/chromium.
Without chromium the tests skip, unless TIRU_REQUIRE_BROWSER=1 (as .ci/run sets).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("TIRU_REQUIRE_BROWSER") == "1":
            pytest.fail("chromium tidak terpasang, padahal TIRU_REQUIRE_BROWSER=1")
        pytest.skip("chromium not installed (apt-get install chromium)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(db: Path, with_demo: bool = True, *options: str, code: str | None = None) -> tuple[subprocess.Popen, str]:
    """Start `tiru serve` on the database; returns the process and its base URL.

    `options` go to Streamlit (e.g. "--secrets.files", path); `code`, when given, is Python run
    as the server process instead of `python -m metrics` (it gets the serve arguments in
    sys.argv[1:]), so a test can patch the engine inside the app process.
    The server's output goes to a file: an unread pipe fills up and then blocks the server.
    """
    port = free_port()
    env = {**os.environ, "TIRU_DB": str(db), "TIRU_DEMO": "1" if with_demo else "0"}
    log = tempfile.NamedTemporaryFile(prefix="tiru-serve-", suffix=".log", delete=False)  # noqa: SIM115 - the server's log, open while it runs
    start = ["-c", code] if code else ["-m", "metrics"]
    process = subprocess.Popen(
        [sys.executable, *start, "serve", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", *options],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
            return process, url
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise AssertionError("tiru serve did not start: " + Path(log.name).read_text(errors="replace")[-2000:])


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=20)
