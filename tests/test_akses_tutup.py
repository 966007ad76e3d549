"""Sign-in that fails closed (issue #21.3): a broken secrets file closes every page, each request
re-checks the signed-in account, the throttle's memory is bounded, and forwarded addresses are
trusted only from the configured proxy (TIRU_PROXY), in the app and in Streamlit's server."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError
from streamlit.runtime.secrets import Secrets
from streamlit.testing.v1 import AppTest

from metrics.app import akses

ROOT = Path(__file__).resolve().parent.parent
ADMIN_HASH = akses.hash_password("sandi-admin")
BROKEN = 'akun = [\n[tiru]\nwajib_masuk = true\n[[akun]]\nnama = "admin"\nperan = "admin\n'  # one typo


def _secrets_from(path: Path) -> Secrets:
    """Streamlit's own Secrets reading one file with its own parser, as the server would."""

    class FromFile(Secrets):
        def _parse(self):
            data, found = self._parse_toml_file(str(path))
            if not found:  # as Secrets._parse says it
                raise StreamlitSecretNotFoundError("No secrets found. Valid paths: {file_paths}", file_paths=str(path))
            return data

    return FromFile()


def _broken_secrets(tmp_path: Path) -> Secrets:
    """A secrets.toml with a TOML typo."""
    path = tmp_path / "secrets.toml"
    path.write_text(BROKEN, encoding="utf-8")
    return _secrets_from(path)


def test_a_broken_secrets_file_is_a_problem_not_a_missing_one(tmp_path):
    data, problem = akses.read_secrets(_broken_secrets(tmp_path))
    assert data == {} and problem
    assert akses.sign_in_required(_broken_secrets(tmp_path))  # fails closed
    assert akses.accounts_from(_broken_secrets(tmp_path)) == []
    assert akses.closed_reason(_broken_secrets(tmp_path))
    missing = _secrets_from(tmp_path / "tidak-ada.toml")
    assert akses.read_secrets(missing) == ({}, None) and not akses.sign_in_required(missing)


@pytest.mark.parametrize("page", [None, "pages/kelola_data.py", "pages/tabel_peringkat.py"])
def test_a_broken_secrets_file_serves_no_page(tmp_path, monkeypatch, demo_db, page):
    monkeypatch.setenv("TIRU_DB", str(demo_db))
    monkeypatch.setattr(st, "secrets", _broken_secrets(tmp_path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert [x.value for x in at.title] == ["Akses ditutup sementara"]
    assert at.error and "secrets.toml" in at.error[0].value and "line" in at.error[0].value
    assert not at.dataframe and not at.metric and not at.text_input  # no page, no sign-in form


@pytest.mark.parametrize("bad", [{"akun": "admin"}, {"akun": [{"nama": "admin", "peran": "raja", "hash": ADMIN_HASH}]},
                                 {"akun": [{"nama": "admin", "peran": "admin", "hash": "teks"}]},
                                 {"tiru": {"wajib_masuk": "ya"}}])
def test_invalid_accounts_with_sign_in_required_close_every_page(bad):
    secrets = {"tiru": {"wajib_masuk": True}, **bad}
    assert akses.closed_reason(secrets)
    assert akses.accounts_from(secrets) == []


def test_invalid_accounts_without_sign_in_required_leave_viewing_open_but_nobody_signs_in():
    secrets = {"akun": [{"nama": "admin", "peran": "raja", "hash": ADMIN_HASH}]}
    assert akses.closed_reason(secrets) is None and not akses.sign_in_required(secrets)
    assert akses.accounts_from(secrets) == []


# --------------------------------------------------------------------------- each request re-checks


def _signed_in(demo_db, monkeypatch, tmp_path):
    monkeypatch.setenv("TIRU_DB", str(demo_db))
    monkeypatch.setattr(akses, "THROTTLE", akses.Throttle())
    monkeypatch.setattr(akses, "log_path_default", lambda: tmp_path / "masuk.log")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.secrets["akun"] = [{"nama": "admin", "peran": "admin", "hash": ADMIN_HASH}]
    at.run()
    at.switch_page("pages/kelola_data.py").run()
    at.text_input(key="masuk_kelola_nama").set_value("admin")
    at.text_input(key="masuk_kelola_sandi").set_value("sandi-admin")
    at.button(key="FormSubmitter:masuk_kelola-Masuk").click().run()
    assert not at.exception
    assert any("Masuk sebagai" in c.value for c in at.caption)
    return at


@pytest.mark.parametrize("change", ["dihapus", "sandi", "peran"])
def test_a_changed_account_is_signed_out_at_the_next_request(demo_db, monkeypatch, tmp_path, change):
    at = _signed_in(demo_db, monkeypatch, tmp_path)
    account = {"nama": "admin", "peran": "admin", "hash": ADMIN_HASH}
    if change == "dihapus":
        at.secrets["akun"] = [{**account, "nama": "admin.lain"}]
    elif change == "sandi":
        at.secrets["akun"] = [{**account, "hash": akses.hash_password("sandi-baru")}]
    else:
        at.secrets["akun"] = [{**account, "peran": "viewer"}]
    at.run()
    assert not at.exception
    assert not any("Masuk sebagai" in c.value for c in at.caption)
    assert at.text_input(key="masuk_kelola_nama")  # the sign-in form again
    assert "keluar-otomatis" in (tmp_path / "masuk.log").read_text(encoding="utf-8")


def test_an_unchanged_account_stays_signed_in(demo_db, monkeypatch, tmp_path):
    at = _signed_in(demo_db, monkeypatch, tmp_path)
    at.run()
    assert any("Masuk sebagai" in c.value for c in at.caption)


# --------------------------------------------------------------------------- the throttle's memory


def test_the_throttle_keeps_no_long_names_and_forgets():
    now = [0.0]
    throttle = akses.Throttle(clock=lambda: now[0])
    for i in range(6):
        throttle.failed(f"{i}" + "x" * 8_000_000, "203.0.113.5")
    assert all(len(name) <= 64 and len(address) <= 64 for name, address in throttle._failures)
    assert throttle.entries() == 6
    now[0] += akses.MAX_DELAY + akses.FORGET + 1
    for i in range(64):
        throttle.failed(f"baru-{i}", "203.0.113.5")
    assert throttle.entries() == 64  # the six old entries expired


def test_the_throttle_keeps_at_most_max_entries(monkeypatch):
    monkeypatch.setattr(akses, "MAX_ENTRIES", 100)
    throttle = akses.Throttle()
    for i in range(1000):
        throttle.attempt(f"tebakan-{i}", "203.0.113.5")
    assert throttle.entries() <= 100
    assert throttle.wait("tebakan-999", "203.0.113.5") > 0  # the newest are kept


def test_a_long_name_still_counts_as_the_same_name():
    throttle = akses.Throttle()
    throttle.failed("admin" + "x" * 1_000_000, "203.0.113.5")
    assert throttle.wait("admin" + "x" * 1_000_000, "203.0.113.5") > 0


# --------------------------------------------------------------------------- forwarded addresses


def test_forwarded_headers_are_ignored_without_a_configured_proxy(monkeypatch):
    monkeypatch.delenv("TIRU_PROXY", raising=False)
    assert akses.client_address("127.0.0.1", {"X-Forwarded-For": "198.51.100.8"}) == "127.0.0.1"
    assert akses.client_address("127.0.0.1", {"X-Real-Ip": "198.51.100.7"}) == "127.0.0.1"


def test_forwarded_headers_are_trusted_from_the_configured_proxy_only(monkeypatch):
    monkeypatch.setenv("TIRU_PROXY", "10.0.0.2, 127.0.0.1")
    assert akses.client_address("127.0.0.1", {"X-Real-Ip": "198.51.100.7"}) == "198.51.100.7"
    assert akses.client_address("10.0.0.2", {"X-Forwarded-For": "198.51.100.8, 10.0.0.2"}) == "198.51.100.8"
    assert akses.client_address("203.0.113.5", {"X-Real-Ip": "10.9.9.9"}) == "203.0.113.5"


@pytest.mark.parametrize("proxy, trusted", [(None, [""]), ("127.0.0.1", ["127.0.0.1"])])
def test_streamlit_server_trusts_forwarded_headers_only_from_the_configured_proxy(monkeypatch, proxy, trusted):
    import uvicorn

    from metrics.ops import serve

    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    if proxy:
        monkeypatch.setenv("TIRU_PROXY", proxy)
    else:
        monkeypatch.delenv("TIRU_PROXY", raising=False)
    serve.configure_proxy()
    hosts = uvicorn.Config(app=None).forwarded_allow_ips
    assert [h.strip() for h in hosts.split(",")] == trusted
