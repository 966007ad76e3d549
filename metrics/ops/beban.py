"""The load side of `tiru bench`: `streamlit run` servers on loopback, a websocket client that
speaks Streamlit's protocol as the browser does, crowds of such sessions, nginx in front of
several app processes (scale-out), the memory soak and the cold start.

Streamlit and websockets are imported inside the functions: the CLI imports the bench when it
builds its parser and must stay light.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from metrics.data.build import ROOT

APP = ROOT / "app.py"
LOAD_PAGES = (("Ringkasan", ""), ("Peringkat", "peringkat"), ("Profil kecamatan", "profil"))


# --------------------------------------------------------------------------- the database measured


def configuration(db: Path):
    """The configuration (metrics.data.wilayah.Konfigurasi) `db` was built for, from its meta table:
    the app serving it must run under the same one, and the crowd opens that kabupaten's kecamatan."""
    import duckdb

    from metrics.data import wilayah
    from metrics.data.build import built_for

    with contextlib.closing(duckdb.connect(str(db), read_only=True)) as con:
        meta = dict(con.execute("SELECT kunci, nilai FROM meta").fetchall())
    return wilayah.baca(*built_for(meta))


def app_env(db: Path) -> dict[str, str]:
    """The environment of an app serving `db`: the file, demo data on, and its configuration."""
    config = configuration(db)
    return {"TIRU_DB": str(db), "TIRU_DEMO": "1", "TIRU_WILAYAH": config.kode, "TIRU_MODEL": config.model}


def kecamatan(db: Path) -> list[str]:
    """The codes of the benchmarked kabupaten's kecamatan in `db` (the Profil pages a crowd opens)."""
    from metrics.data import wilayah

    return wilayah.kecamatan_codes(configuration(db).kode)


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    rank = q / 100 * (len(ordered) - 1)
    low, high = int(rank), min(int(rank) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


# --------------------------------------------------------------------------- servers


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """A `streamlit run` process on loopback."""

    process: subprocess.Popen
    port: int
    started: float  # time.perf_counter() just before the process was spawned
    log: Path
    extra: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/_stcore/stream"

    def rss_mb(self) -> dict:
        """Current (VmRSS) and peak (VmHWM) resident memory of the server process, MB."""
        out = {}
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
                key, _, value = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    out[key] = round(int(value.split()[0]) / 1024, 1)
        return out

    def wait_healthy(self, timeout: float = 90) -> float:
        """Seconds from spawn until /_stcore/health answers."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                break
            try:
                urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2)
                return time.perf_counter() - self.started
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"streamlit tidak siap di port {self.port}: {self.tail()}")

    def wait_warm(self, timeout: float = 180) -> float | None:
        """Seconds from spawn until `tiru serve` says on its log that its caches are filled (serve.warm);
        None for a server that does not warm (the floors) or when it has not said so within `timeout`."""
        from metrics.core import bahasa

        said = []
        for kode in bahasa.BAHASA:
            with bahasa.dalam(kode):
                said.append(bahasa.t("cli.pesan.tembolok_hangat", detik="").split("(")[0])
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline and self.process.poll() is None:
            with contextlib.suppress(OSError):
                if any(text in self.log.read_text(errors="replace") for text in said):
                    return time.perf_counter() - self.started
            time.sleep(0.1)
        return None

    def tail(self) -> str:
        with contextlib.suppress(OSError):
            return self.log.read_text(errors="replace")[-2000:]
        return ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def serve(script: Path, env: dict[str, str], log_dir: Path, cwd: Path | None = None, port: int | None = None) -> Server:
    """Spawn `streamlit run script` on 127.0.0.1 (not waited for: see Server.wait_healthy); Tiru's
    app.py as it is deployed, with `tiru serve` (database built and caches warmed before it answers)."""
    port = port or free_port()
    log = log_dir / f"streamlit-{port}.log"
    started = time.perf_counter()
    command = ["-m", "metrics", "serve"] if script == APP else ["-m", "streamlit", "run", str(script)]
    with open(log, "wb") as handle:
        process = subprocess.Popen(
            [sys.executable, *command, "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=cwd or script.parent, env={**os.environ, **env}, stdout=handle, stderr=subprocess.STDOUT,
        )
    return Server(process, port, started, log)


# --------------------------------------------------------------------------- websocket client


@dataclass
class PageLoad:
    ok: bool
    ms: float
    problem: str = ""
    texts: list[str] = field(default_factory=list)


async def _connect(ws_url: str, timeout: float, headers: dict | None = None):
    import websockets

    return await websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=timeout,
                                    ping_interval=None, close_timeout=2, additional_headers=headers)


async def open_page(ws, page_name: str, query: str = "", timeout: float = 120, keep_text: bool = False) -> PageLoad:
    """Ask for one page on an open session, as the browser does, and wait for script_finished.

    An exception shown on the page, Streamlit's "page not found", a compile error or a
    timeout make the load fail; `keep_text` collects markdown/metric/heading texts.
    """
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = BackMsg()
    msg.rerun_script.query_string = query
    msg.rerun_script.page_name = page_name
    started = time.perf_counter()
    problem, texts = "", []
    try:
        await ws.send(msg.SerializeToString())
        async with asyncio.timeout(timeout):
            while True:
                forward = ForwardMsg()
                forward.ParseFromString(await ws.recv())
                kind = forward.WhichOneof("type")
                if kind == "page_not_found":
                    problem = problem or "page_not_found"
                elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                    element = forward.delta.new_element
                    which = element.WhichOneof("type")
                    if which == "exception":
                        problem = problem or f"exception: {element.exception.message[:200]}"
                    elif keep_text and which in ("markdown", "heading", "alert"):
                        texts.append(getattr(element, which).body)
                    elif keep_text and which == "metric":
                        texts.append(f"{element.metric.label}: {element.metric.body}")
                elif kind == "script_finished":
                    if forward.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                        problem = problem or "compile error"
                        break
                    if forward.script_finished in (ForwardMsg.FINISHED_SUCCESSFULLY,
                                                   ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY):
                        break
    except TimeoutError:
        problem = f"timeout {timeout:.0f} s"
    except Exception as exc:
        problem = f"{type(exc).__name__}: {exc}"[:200]
    return PageLoad(not problem, (time.perf_counter() - started) * 1000, problem, texts)


async def session(ws_url: str, pages: list[tuple[str, str]], timeout: float = 120,
                  start: asyncio.Event | None = None, keep_text: bool = False,
                  headers: dict | None = None) -> list[PageLoad]:
    """One browser-like session: connect, (wait for the start signal), open `pages` in turn."""
    try:
        ws = await _connect(ws_url, timeout, headers)
    except Exception as exc:
        return [PageLoad(False, 0.0, f"connect: {type(exc).__name__}: {exc}"[:200]) for _ in pages]
    try:
        if start is not None:
            await start.wait()
        return [await open_page(ws, name, query, timeout, keep_text) for name, query in pages]
    finally:
        with contextlib.suppress(Exception):
            await ws.close()


def run_session(ws_url: str, pages: list[tuple[str, str]], timeout: float = 120, keep_text: bool = False,
                headers: dict | None = None) -> list[PageLoad]:
    """Synchronous wrapper of `session` (tests, warm-up)."""
    return asyncio.run(session(ws_url, pages, timeout, keep_text=keep_text, headers=headers))


async def _crowd(ws_url: str, plans: list[list[tuple[str, str]]], timeout: float) -> tuple[list[PageLoad], float]:
    start = asyncio.Event()
    tasks = [asyncio.create_task(session(ws_url, plan, timeout, start)) for plan in plans]
    await asyncio.sleep(0.5 + 0.02 * len(plans))  # let every session connect first
    began = time.perf_counter()
    start.set()
    loads = [load for result in await asyncio.gather(*tasks) for load in result]
    return loads, time.perf_counter() - began


def crowd(ws_url: str, plans: list[list[tuple[str, str]]], timeout: float = 120) -> dict:
    """len(plans) sessions at once; p50/p95 of successful page loads, errors."""
    loads, wall = asyncio.run(_crowd(ws_url, plans, timeout))
    good = [load.ms for load in loads if load.ok]
    problems = sorted({load.problem for load in loads if not load.ok})
    return {
        "sesi": len(plans), "muat": len(loads), "galat": sum(not load.ok for load in loads),
        "p50_ms": round(percentile(good, 50), 1) if good else None,
        "p95_ms": round(percentile(good, 95), 1) if good else None,
        "dinding_s": round(wall, 2), "masalah": problems[:5],
    }


def app_plan(i: int, codes: list[str], periode: str | None = None) -> list[tuple[str, str]]:
    """Session i opens Ringkasan, Peringkat and the profile of one of the kabupaten's kecamatan (`codes`)."""
    extra = f"&periode={periode}" if periode else ""
    return [("", extra.lstrip("&")), ("peringkat", extra.lstrip("&")),
            ("profil", f"kecamatan={codes[i % len(codes)]}{extra}")]


def warm_up(app: Server, codes: list[str], timeout: float) -> float | None:
    """Make `app` a warm server, as a room meets it: wait for `tiru serve`'s own warm-up (which would
    otherwise run beside the crowd under the same interpreter lock), then open the root (a process's
    first session, see README, known limitations) and every page the crowd opens once (each kecamatan's
    profile: the crowd opens them all). Returns the seconds until the server said it was warm."""
    warm = app.wait_warm()
    run_session(app.ws_url, [("", "")] + [page for i in range(len(codes)) for page in app_plan(i, codes)[2:]]
                + app_plan(0, codes)[:2], timeout)
    return warm


def floor_plan(i: int) -> list[tuple[str, str]]:
    return [("", "")] * len(LOAD_PAGES)


# --------------------------------------------------------------------------- measurements


def cold_start(work: Path) -> dict:
    """From spawning `tiru serve` on a missing database to the first page served."""
    fresh = work / "dingin" / "tiru.duckdb"
    fresh.parent.mkdir(parents=True, exist_ok=True)
    server = serve(APP, {"TIRU_DB": str(fresh), "TIRU_DEMO": "1"}, work, cwd=ROOT)
    try:
        healthy = server.wait_healthy()
        loads = run_session(server.ws_url, [("", "")], timeout=120)
        served = time.perf_counter() - server.started
        return {"sampai_sehat_s": round(healthy, 2), "sampai_halaman_pertama_s": round(served, 2),
                "halaman_ok": loads[0].ok, "masalah": loads[0].problem,
                "basis_data_dibangun": fresh.exists()}
    finally:
        server.stop()


def _ratio(app: dict, floor: dict) -> float | None:
    return round(app["p95_ms"] / floor["p95_ms"], 2) if app["p95_ms"] and floor["p95_ms"] else None


def load_test(app: Server, floor: Server, sizes: list[int], timeout: float, codes: list[str],
              tuned: Server | None = None) -> list[dict]:
    """For each size: the floor (an empty page, Streamlit's default settings), the app (Profil of
    `codes`), and — when `tuned` is given — the same empty page with Tiru's own server settings
    ("lantai_setelan")."""
    out = []
    for size in sizes:
        lantai = crowd(floor.ws_url, [floor_plan(i) for i in range(size)], timeout)
        aplikasi = crowd(app.ws_url, [app_plan(i, codes) for i in range(size)], timeout)
        row = {"sesi": size, "lantai": lantai, "aplikasi": aplikasi, "rasio_p95": _ratio(aplikasi, lantai)}
        if tuned is not None:
            row["lantai_setelan"] = crowd(tuned.ws_url, [floor_plan(i) for i in range(size)], timeout)
            row["rasio_p95_setelan"] = _ratio(aplikasi, row["lantai_setelan"])
        out.append(row)
    return out


NGINX = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()),
                                       None)


@contextlib.contextmanager
def proxy(apps: list[Server], work: Path, upstream_header: bool = False):
    """nginx on a free loopback port in front of `apps` (metrics/ops/scaleout.py's template), running
    until the block ends; yields its address "127.0.0.1:PORT"."""
    from metrics.ops import scaleout

    proxy_dir = work / "nginx"
    proxy_dir.mkdir(exist_ok=True)
    listen = free_port()
    conf = proxy_dir / "nginx.conf"
    conf.write_text(scaleout.render([a.port for a in apps], f"127.0.0.1:{listen}", prefix=proxy_dir,
                                    run_as_root=os.geteuid() == 0, upstream_header=upstream_header),
                    encoding="utf-8")
    nginx = subprocess.Popen([NGINX, "-p", str(proxy_dir), "-c", str(conf), "-g", "daemon off;"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.perf_counter() + 20
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{listen}/_stcore/health", timeout=2)
                break
            except OSError:
                if time.perf_counter() > deadline or nginx.poll() is not None:
                    log = proxy_dir / "error.log"
                    raise RuntimeError("nginx tidak mulai: " + (log.read_text() if log.exists() else "")) from None
                time.sleep(0.2)
        yield f"127.0.0.1:{listen}"
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)


def scaled_load(db: Path, work: Path, processes: int, size: int, floor_p95: float | None, timeout: float) -> dict:
    """The same crowd through nginx in front of `processes` app processes (metrics/ops/scaleout.py),
    compared with the floor's p95 of the same run: what scale-out buys on this machine."""
    if not NGINX:
        return {"proses": processes, "sesi": size, "dilewati": "nginx tidak terpasang (apt-get install nginx)"}
    codes = kecamatan(db)
    apps = [serve(APP, app_env(db), work, cwd=ROOT) for _ in range(processes)]
    try:
        for app in apps:
            app.wait_healthy()
            run_session(app.ws_url, [("", "")] + app_plan(0, codes), timeout)  # warm, as the single process was
        with proxy(apps, work) as address:
            result = crowd(f"ws://{address}/_stcore/stream", [app_plan(i, codes) for i in range(size)], timeout)
    finally:
        for app in apps:
            app.stop()
    ratio = result["p95_ms"] / floor_p95 if result["p95_ms"] and floor_p95 else None
    return {"proses": processes, "sesi": size, "aplikasi": result, "rasio_p95": round(ratio, 2) if ratio else None}


def soak(app: Server, minutes: float, periods: list[str], codes: list[str], timeout: float) -> dict:
    """Repeated rounds of 10 sessions (pages, kecamatan `codes` and months varied) for `minutes`.

    Growth is measured from the end of a first pass that opens every month × kecamatan once: the
    caches are then as full as the soak will make them (bounded by their max_entries), so what grows
    after it is what a long-running server would keep growing. The pass's own growth is reported too."""
    before = app.rss_mb().get("VmRSS")
    everything = [[("", f"periode={m}"), ("peringkat", f"periode={m}"), ("profil", f"kecamatan={k}&periode={m}")]
                  for m in periods for k in codes]
    warm_errors, problems = 0, set()
    for start in range(0, len(everything), 10):
        result = crowd(app.ws_url, everything[start:start + 10], timeout)
        warm_errors += result["galat"]
        problems.update(result["masalah"])  # what failed in the first pass is reported too
    warmed = app.rss_mb().get("VmRSS")
    samples, rounds, errors = [], 0, warm_errors
    began = time.perf_counter()
    deadline = began + minutes * 60
    per_minute = []  # RSS at the end of each whole minute: does it level off?
    while time.perf_counter() < deadline:
        plans = [app_plan(rounds * 10 + i, codes, periods[(rounds + i) % len(periods)] if periods else None)
                 for i in range(10)]
        result = crowd(app.ws_url, plans, timeout)
        errors += result["galat"]
        problems.update(result["masalah"])
        rounds += 1
        samples.append(app.rss_mb().get("VmRSS"))
        if time.perf_counter() - began >= 60 * (len(per_minute) + 1):
            per_minute.append(samples[-1])
    after = app.rss_mb().get("VmRSS")
    growth = (after - warmed) / warmed * 100 if warmed and after else None
    return {"menit": minutes, "putaran": rounds, "sesi": rounds * 10, "galat": errors, "masalah": sorted(problems)[:5],
            "sesi_pemanasan": len(everything), "galat_pemanasan": warm_errors, "rss_sebelum_pemanasan_mb": before, "rss_awal_mb": warmed,
            "rss_akhir_mb": after, "rss_per_menit_mb": per_minute,
            "pertumbuhan_persen": round(growth, 1) if growth is not None else None}
