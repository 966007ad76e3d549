"""Scale-out: two app processes on one database behind nginx (loopback), sticky sessions.

Installs nothing: without nginx the test is skipped, unless TIRU_REQUIRE_NGINX=1 (as .ci/run
sets), which makes it fail instead.
"""

from __future__ import annotations

import urllib.request
import uuid
from pathlib import Path

import pandas as pd
import pytest

from metrics.core import formatting
from metrics.core import periode as per
from metrics.data.build import DATA_DIR, build
from metrics.data.store import Store
from metrics.ops import beban, scaleout

ROOT = Path(__file__).resolve().parent.parent


def test_ready_config_is_the_template_output():
    assert scaleout.READY_CONFIG.read_text(encoding="utf-8") == scaleout.ready_config()
    text = scaleout.ready_config()
    assert "hash $tiru_node consistent;" in text and "proxy_set_header Upgrade $http_upgrade;" in text
    assert "client_max_body_size 20m;" in text


@pytest.fixture(scope="module")
def cluster(nginx, tmp_path_factory):
    """Two `streamlit run app.py` on one TIRU_DB, and nginx in front of them."""
    work = tmp_path_factory.mktemp("scaleout")
    db = build(work / "tiru.duckdb", DATA_DIR, with_demo=True)
    env = {"TIRU_DB": str(db), "TIRU_DEMO": "1"}
    apps = [beban.serve(beban.APP, env, work, cwd=ROOT) for _ in range(2)]
    try:
        for app in apps:
            app.wait_healthy()
            # Warm-up: a process's first session opens the root (README, known limitations).
            assert beban.run_session(app.ws_url, [("", "")])[0].ok
        with beban.proxy(apps, work, upstream_header=True) as address:
            yield {"db": db, "apps": apps, "proxy": address}
    finally:
        for app in apps:
            app.stop()


def _get(url: str, cookie: str | None = None):
    request = urllib.request.Request(url, headers={"Cookie": f"{scaleout.COOKIE}={cookie}"} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.headers


def test_both_processes_serve_directly_and_through_nginx_with_sticky_sessions(cluster):
    for app in cluster["apps"]:
        (load,) = beban.run_session(app.ws_url, [("peringkat", "")], keep_text=True)
        assert load.ok and "Peringkat kecamatan" in load.texts
    proxy = cluster["proxy"]
    status, headers = _get(f"http://{proxy}/")
    assert status == 200 and headers["Set-Cookie"].startswith(f"{scaleout.COOKIE}=")
    # One cookie: always the same process. Many browsers: both processes are used.
    cookie = uuid.uuid4().hex
    assert len({_get(f"http://{proxy}/", cookie)[1]["X-Tiru-Upstream"] for _ in range(6)}) == 1
    used = {_get(f"http://{proxy}/", uuid.uuid4().hex)[1]["X-Tiru-Upstream"] for _ in range(24)}
    assert used == {f"127.0.0.1:{a.port}" for a in cluster["apps"]}
    # The websocket session works through nginx (upgrade headers, Host with its port).
    (load,) = beban.run_session(f"ws://{proxy}/_stcore/stream", [("peringkat", "")], keep_text=True,
                                headers={"Cookie": f"{scaleout.COOKIE}={cookie}"})
    assert load.ok, load.problem
    assert "Peringkat kecamatan" in load.texts


def test_new_data_shows_through_both_processes_without_restart(cluster):
    store = Store(cluster["db"])
    latest = store.latest_period()
    new = latest + 1
    month_now, month_new = formatting.bulan(latest), formatting.bulan(new)

    def shown_months(ws_url: str, cookie: str | None = None, query: str = f"periode={per.fmt(new)}") -> str:
        """The page asked for the new month (a link to it): before the import the month does not exist
        and the page falls back quietly; after it, the month is there without a restart."""
        headers = {"Cookie": f"{scaleout.COOKIE}={cookie}"} if cookie else None
        (load,) = beban.run_session(ws_url, [("peringkat", query)], keep_text=True, headers=headers)
        assert load.ok, load.problem
        return "\n".join(load.texts)

    for app in cluster["apps"]:
        assert month_now in shown_months(app.ws_url) and month_new not in shown_months(app.ws_url)

    # An import of one new month, written the way every import is (store.write: new file, atomic swap).
    codes = list(store.kecamatan("Asahan")["kode"])
    indicators = list(store.indikator().index)
    frame = pd.DataFrame([(k, per.to_date(new), i, 50.0, "uji scale-out", None) for k in codes for i in indicators],
                         columns=["kode_kecamatan", "periode", "indikator", "nilai", "sumber", "catatan"])

    def change(con, batch_id):
        con.register("masuk", frame.assign(batch=batch_id))
        con.execute("INSERT INTO observasi SELECT * FROM masuk")
        con.unregister("masuk")

    store.write(change, jenis="observasi", oleh="test_scaleout", berkas="bulan-baru.csv")
    assert store.latest_period() == new

    for app in cluster["apps"]:  # each process, directly: no restart, the new month can be chosen
        assert month_new in shown_months(app.ws_url)
        # ... while the default view stays on the last final month until an admin closes the new one (#13)
        assert month_now in shown_months(app.ws_url, query="") and month_new not in shown_months(app.ws_url, query="")
    for _ in range(4):  # and through nginx, whichever process the cookie lands on
        assert month_new in shown_months(f"ws://{cluster['proxy']}/_stcore/stream", uuid.uuid4().hex)
    assert all(app.process.poll() is None for app in cluster["apps"])
