"""Sign-in for writing: accounts from `.streamlit/secrets.toml`, argon2id password hashes.

Format (never commit a real file):

    [[akun]]
    nama = "admin.organisasi"
    peran = "admin"               # admin | operator | viewer
    hash = "$argon2id$v=19$..."   # metrics.app.akses.hash_password("…")

    [[akun]]
    nama = "operator.meranti"
    peran = "operator"
    kode_kecamatan = "12.09.08"   # operators: their kecamatan
    hash = "$argon2id$v=19$..."

Roles: admin (everything), operator (imports and adoption events of their own kecamatan
only; enforced again by metrics.ingest on the server side), viewer (reads only). Viewing
needs no sign-in unless the secrets say

    [tiru]
    wajib_masuk = true            # every page asks for sign-in first

Single sign-on: when an `[auth]` section (Streamlit's OIDC settings) is configured,
`st.login` is offered too; the OIDC e-mail is matched to an account's `email` key, which
gives the role (OIDC authenticates, Tiru's accounts authorise).

Fails closed: a secrets file that cannot be read (a TOML typo) means nobody views any page and
nobody signs in, and an invalid [[akun]] list (or [tiru]) means nobody signs in, and nobody views
when viewing needs sign-in; the page says why (the server's log too). Every request checks the
signed-in account against the current accounts: removed, or its password, role or kecamatan
changed, ends the session.

Failed sign-ins slow down: after the n-th failure for an account name, the next attempt
is refused for min(2**(n-1), 300) seconds (process-level memory: names truncated and hashed,
an entry forgotten FORGET seconds after its delay ended, at most MAX_ENTRIES kept; a success
resets it). Forwarded client addresses are trusted only from the proxy named in TIRU_PROXY.
Sign-ins (succeeded, failed, throttled) are appended as JSON lines to `masuk.log` in the
database's folder; changes are logged by their batch records in the database.

Without accounts nobody can write. The hashes never leave this module: the signed-in
account kept in the session holds only nama, peran and kode_kecamatan.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from metrics.core.bahasa import t

PERAN = ("admin", "operator", "viewer")
SESSION_KEY = "akun"
_HASHER = PasswordHasher()  # argon2id with the library's current defaults
_DUMMY_HASH = _HASHER.hash("tidak-ada-akun-seperti-ini")  # same cost for unknown names


def hash_password(plain: str) -> str:
    """An argon2id hash of `plain` for the secrets file."""
    return _HASHER.hash(plain)


def _public(account: Mapping) -> dict:
    """The account without its hash: what a session may hold."""
    kode = account.get("kode_kecamatan")
    return {"nama": str(account.get("nama", "")), "peran": str(account.get("peran", "")),
            "kode_kecamatan": str(kode) if kode else None}


def read_secrets(secrets: Mapping | None) -> tuple[Mapping, str | None]:
    """(the secrets as a mapping, None), or ({}, why the file cannot be read). No file at all is
    not a problem (viewing open, nobody writes); a file that cannot be parsed is."""
    if secrets is None:
        return {}, None
    try:
        return {key: secrets[key] for key in secrets}, None
    except Exception as exc:
        text = str(exc)
        if "No secrets found" in text:
            return {}, None
        return {}, text.split(": ", 1)[-1][:300]  # TOML's reason with its line; the path is for the log


def accounts_problem(secrets: Mapping) -> str | None:
    """Why the [[akun]] list or the [tiru] section is invalid (in the active language), or None."""
    rows = secrets.get("akun", [])
    if not isinstance(rows, Sequence) or isinstance(rows, str) or not all(isinstance(r, Mapping) for r in rows):
        return t("akses.akun_tidak_sah.daftar")
    names = set()
    for number, row in enumerate(rows, start=1):
        nama = str(row.get("nama", "")).strip()
        if not nama or row.get("peran") not in PERAN or not str(row.get("hash", "")).startswith("$argon2"):
            return t("akses.akun_tidak_sah.akun", nomor=number, nama=nama[:60] or "—")
        if nama in names:
            return t("akses.akun_tidak_sah.ganda", nama=nama[:60])
        names.add(nama)
    section = secrets.get("tiru", {})
    if not isinstance(section, Mapping) or not isinstance(section.get("wajib_masuk", False), bool):
        return t("akses.akun_tidak_sah.wajib")
    return None


def accounts_from(secrets: Mapping | None) -> list[Mapping]:
    """The [[akun]] tables of a secrets mapping; [] when there are none, the file is missing or
    cannot be read, or the list is invalid (accounts_problem): then nobody signs in."""
    data, problem = read_secrets(secrets)
    if problem or accounts_problem(data):
        return []
    return list(data.get("akun", []))


def fingerprint(accounts: Sequence[Mapping], nama: str) -> str | None:
    """A digest of the account's nama, peran, kecamatan and hash (None when there is no such account):
    kept in the session at sign-in, compared on every request (a changed password or role signs out)."""
    found = next((a for a in accounts if str(a.get("nama", "")).strip() == (nama or "").strip()), None)
    if found is None:
        return None
    parts = [str(found.get(key, "")) for key in ("nama", "peran", "kode_kecamatan", "hash", "email")]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def verify(accounts: Sequence[Mapping], nama: str, password: str) -> dict | None:
    """The account (without hash) whose nama and password match, else None.

    Unknown names cost the same time as a wrong password; accounts with an unknown peran
    or a malformed hash never sign in.
    """
    nama = (nama or "").strip()
    found = next((a for a in accounts if str(a.get("nama", "")).strip() == nama and nama), None)
    try:
        _HASHER.verify(str(found.get("hash", "")) if found else _DUMMY_HASH, password or "")
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if found is None or found.get("peran") not in PERAN:
        return None
    return _public(found)


def can_record_adoption(account: Mapping | None) -> bool:
    """Recording and undoing adoption events in the form: admin (operators import adoption files
    of their own kecamatan on Kelola Data)."""
    return bool(account) and account.get("peran") == "admin"


def can_import(account: Mapping | None) -> bool:
    """Importing files: admin, or an operator with a kecamatan (limited to it by metrics.ingest)."""
    if not account:
        return False
    return account.get("peran") == "admin" or (
        account.get("peran") == "operator" and bool(account.get("kode_kecamatan"))
    )


def is_admin(account: Mapping | None) -> bool:
    return bool(account) and account.get("peran") == "admin"


def role(peran: str) -> str:
    """A role's name in the active language (unknown roles as they are)."""
    return t(f"akses.peran.{peran}") if peran in PERAN else str(peran)


# --------------------------------------------------------------------------- throttling and log

MAX_DELAY = 300.0
FORGET = 900.0  # seconds after its delay ended that a failure entry is forgotten
MAX_ENTRIES = 10_000  # failure entries kept at most (the oldest go first)
_NAME_CHARS = 200  # characters of a name that count; the key keeps only their hash


class Throttle:
    """Exponential delay per account name and client address after failed sign-ins.

    `attempt` checks and records in one lock: an attempt counts as a failure the moment it is let
    through, before the (slow) password check, so guesses sent at once from many sessions are held
    one at a time. Keyed by address too, so one address cannot lock the admin out of another.
    The clock is injectable.
    """

    def __init__(self, clock=time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._failures: dict[tuple[str, str], tuple[int, float]] = {}  # (name, address) -> (failures, until)

    def wait(self, nama: str, alamat: str = "") -> float:
        """Seconds to wait before `nama` may try again from `alamat` (0 = may try now)."""
        with self._lock:
            _, until = self._failures.get(self._key(nama, alamat), (0, 0.0))
            return max(0.0, until - self._clock())

    def attempt(self, nama: str, alamat: str = "") -> float:
        """0 when the attempt may go ahead (already counted as a failure until `succeeded`), else
        the seconds still to wait; atomic."""
        with self._lock:
            key = self._key(nama, alamat)
            count, until = self._failures.get(key, (0, 0.0))
            if until > self._clock():
                return until - self._clock()
            self._failures[key] = (count + 1, self._clock() + min(2.0 ** count, MAX_DELAY))
            self._bound()
            return 0.0

    def failed(self, nama: str, alamat: str = "") -> float:
        """Record a failure; returns the delay imposed before the next attempt."""
        with self._lock:
            key = self._key(nama, alamat)
            count, _ = self._failures.get(key, (0, 0.0))
            count += 1
            delay = min(2.0 ** (count - 1), MAX_DELAY)
            self._failures[key] = (count, self._clock() + delay)
            self._bound()
            return delay

    def delay(self, nama: str, alamat: str = "") -> float:
        """The delay the last counted attempt imposed."""
        with self._lock:
            count, _ = self._failures.get(self._key(nama, alamat), (0, 0.0))
            return min(2.0 ** (count - 1), MAX_DELAY) if count else 0.0

    def succeeded(self, nama: str, alamat: str = "") -> None:
        with self._lock:
            self._failures.pop(self._key(nama, alamat), None)

    def entries(self) -> int:
        """How many failure entries are kept (bounded: _bound)."""
        return len(self._failures)

    def _bound(self) -> None:
        """Under the lock: forget entries FORGET seconds past their delay; keep at most MAX_ENTRIES."""
        if len(self._failures) < 64 and len(self._failures) <= MAX_ENTRIES:
            return
        now = self._clock()
        for key in [k for k, (_, until) in self._failures.items() if until + FORGET < now]:
            del self._failures[key]
        if len(self._failures) > MAX_ENTRIES:
            oldest = sorted(self._failures, key=lambda k: self._failures[k][1])
            for key in oldest[:len(self._failures) - MAX_ENTRIES]:
                del self._failures[key]

    def _key(self, nama: str, alamat: str) -> tuple[str, str]:
        name = (nama or "").strip().lower()[:_NAME_CHARS]
        return hashlib.sha256(name.encode("utf-8", "replace")).hexdigest()[:32], (alamat or "")[:64]


THROTTLE = Throttle()
PROXY_ENV = "TIRU_PROXY"


def trusted_proxies() -> set[str]:
    """TIRU_PROXY: the address(es) of the reverse proxy in front of Tiru (comma-separated, e.g.
    127.0.0.1 for nginx on the same machine); empty = no proxy, forwarded headers never trusted."""
    return {part.strip() for part in os.environ.get(PROXY_ENV, "").split(",") if part.strip()}


def client_address(ip_address: str | None, headers: Mapping, proxies: set[str] | None = None) -> str:
    """The viewer's address: the socket peer, or the address the configured proxy (TIRU_PROXY)
    forwarded (X-Real-IP, else the first of X-Forwarded-For). Headers from anyone else are not trusted.
    (`tiru serve` tells Streamlit's server the same, so its peer address is already the client's.)"""
    ip_address = ip_address if isinstance(ip_address, str) else None  # AppTest has no client
    proxies = trusted_proxies() if proxies is None else proxies
    if ip_address and ip_address in proxies and isinstance(headers, Mapping):
        lowered = {str(k).lower(): str(v) for k, v in headers.items()}
        forwarded = lowered.get("x-real-ip") or lowered.get("x-forwarded-for", "").split(",")[0]
        return forwarded.strip()[:64] or ip_address
    return (ip_address or "")[:64]


def sign_in(accounts: Sequence[Mapping], nama: str, password: str, throttle: Throttle | None = None,
            log_path: Path | None = None, alamat: str = "") -> tuple[dict | None, str | None]:
    """verify() behind the throttle, logged. Returns (account, None) or (None, reason in the active language)."""
    throttle = throttle or THROTTLE
    wait = throttle.attempt(nama, alamat)
    if wait > 0:
        log("masuk-ditahan", nama, log_path, tunggu=round(wait, 1), alamat=alamat)
        return None, t("akses.terlalu_banyak", detik=int(wait) + 1)
    account = verify(accounts, nama, password)
    if account is None:
        log("masuk-gagal", nama, log_path, tunda=throttle.delay(nama, alamat), alamat=alamat)
        return None, t("akses.salah")
    throttle.succeeded(nama, alamat)
    log("masuk", nama, log_path, peran=account["peran"], alamat=alamat)
    return account, None


def log_path_default() -> Path:
    from metrics.data.build import default_db_path

    return default_db_path().parent / "masuk.log"


_LOG_LOCK = threading.Lock()


def log(peristiwa: str, nama: str, path: Path | None = None, **detail) -> None:
    """Append one JSON line (waktu, peristiwa, nama, detail) to the sign-in log; never raises."""
    record = {"waktu": dt.datetime.now().isoformat(timespec="seconds"), "peristiwa": peristiwa,
              "nama": (nama or "").strip()[:100], **detail}
    try:
        path = Path(path or log_path_default())
        with _LOG_LOCK, open(path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    except OSError:
        pass  # a read-only folder must not stop sign-in


def sign_in_required(secrets: Mapping | None) -> bool:
    """[tiru] wajib_masuk = true in the secrets: every page needs sign-in. Fails closed: a secrets
    file that cannot be read, or a [tiru] section that is not a table, or a wajib_masuk that is
    not false, counts as required."""
    data, problem = read_secrets(secrets)
    if problem:
        return True
    section = data.get("tiru", {})
    if not isinstance(section, Mapping):
        return True
    return section.get("wajib_masuk", False) is not False


def closed_reason(secrets: Mapping | None) -> str | None:
    """Why nobody may view (in the active language): the secrets file cannot be read, or viewing
    needs sign-in while the accounts are invalid (nobody could sign in). None otherwise."""
    data, problem = read_secrets(secrets)
    if problem:
        return t("akses.tertutup.tidak_terbaca", galat=problem)
    if sign_in_required(data):
        invalid = accounts_problem(data)
        if invalid:
            return t("akses.tertutup.akun", alasan=invalid)
    return None


def account_for_email(accounts: Sequence[Mapping], email: str | None) -> dict | None:
    """The account whose `email` matches an OIDC identity (case-insensitive), without its hash."""
    if not email:
        return None
    found = next((a for a in accounts if str(a.get("email", "")).strip().lower() == email.strip().lower()), None)
    return _public(found) if found and found.get("peran") in PERAN else None


# --------------------------------------------------------------------------- Streamlit


FINGERPRINT_KEY = "_akun_sidik"


def current_account() -> dict | None:
    """The signed-in account, checked on every request against the current accounts: one removed,
    or whose password, role or kecamatan changed, is signed out (logged)."""
    import streamlit as st

    account = st.session_state.get(SESSION_KEY)
    if account:
        kept = st.session_state.get(FINGERPRINT_KEY)
        if kept is None or fingerprint(configured_accounts(), account.get("nama", "")) != kept:
            st.session_state.pop(SESSION_KEY, None)
            st.session_state.pop(FINGERPRINT_KEY, None)
            log("keluar-otomatis", account.get("nama", ""))
            account = None
    return account or _oidc_account()


def configured_accounts() -> list[Mapping]:
    import streamlit as st

    return accounts_from(st.secrets)


def sign_in_form(key: str = "masuk") -> dict | None:
    """A username + password form; on success the account is kept in st.session_state['akun'].

    Returns the signed-in account (or None). Shows a sign-out button when signed in.
    """
    import streamlit as st

    account = current_account()
    if account:
        left, right = st.columns([3, 1])
        left.caption(t("akses.masuk_sebagai", nama=account["nama"], peran=role(account["peran"])))
        if right.button(t("akses.keluar"), key=f"{key}_keluar"):
            log("keluar", account["nama"])
            st.session_state.pop(FINGERPRINT_KEY, None)
            if st.session_state.pop(SESSION_KEY, None) is None:
                st.logout()  # signed in with OIDC
            st.rerun()
        return account
    accounts = configured_accounts()
    if not accounts:
        data, problem = read_secrets(st.secrets)
        problem = problem or accounts_problem(data)
        if problem:  # nobody signs in: say why (an admin fixes the file)
            st.error(t("akses.tidak_bisa_masuk", alasan=problem), icon=":material/lock:")
        return None
    if _oidc_configured() and st.button(t("akses.sso"), key=f"{key}_sso"):
        st.login()
    with st.form(key, border=True):
        nama = st.text_input(t("akses.nama_pengguna"), key=f"{key}_nama")
        password = st.text_input(t("akses.kata_sandi"), type="password", key=f"{key}_sandi")
        submitted = st.form_submit_button(t("akses.masuk"))
    if submitted:
        alamat = client_address(st.context.ip_address, st.context.headers or {})
        account, reason = sign_in(accounts, nama, password, alamat=alamat)
        if account is None:
            st.error(reason, icon=":material/lock:")
            return None
        st.session_state[SESSION_KEY] = account
        st.session_state[FINGERPRINT_KEY] = fingerprint(accounts, account["nama"])
        st.rerun()
    return None


def _oidc_configured() -> bool:
    import streamlit as st

    try:
        return "auth" in st.secrets
    except Exception:
        return False


def _oidc_account() -> dict | None:
    """The account of the OIDC user signed in with st.login, if any (logged once per session)."""
    import streamlit as st

    if not _oidc_configured():
        return None
    try:
        if not st.user.is_logged_in:
            return None
        email = st.user.get("email")
    except Exception:
        return None
    account = account_for_email(configured_accounts(), email)
    if account and not st.session_state.get("_oidc_dicatat"):
        log("masuk-sso", account["nama"], peran=account["peran"])
        st.session_state["_oidc_dicatat"] = True
    return account


_CLOSED_SAID: set[str] = set()


def gate() -> None:
    """Call in the frame before the page: with [tiru] wajib_masuk = true, stop with a
    sign-in form until someone signs in. Without the setting it does nothing."""
    import streamlit as st

    closed = closed_reason(st.secrets)
    if closed:  # fails closed: no page without a working sign-in
        if closed not in _CLOSED_SAID:  # the server's log says it once per reason, not per request
            _CLOSED_SAID.add(closed)
            print(f"tiru: {closed}", file=sys.stderr)
        st.title(t("akses.tertutup.judul"))
        st.error(closed, icon=":material/lock:")
        st.stop()
    if not sign_in_required(st.secrets) or current_account():
        return
    st.title(t("akses.masuk"))
    st.caption(t("akses.wajib_masuk"))
    if _oidc_configured() and st.button(t("akses.sso")):
        st.login()
    sign_in_form("masuk_wajib")
    st.stop()
