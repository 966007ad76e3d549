"""Sign-in for writing: accounts from `.streamlit/secrets.toml`, argon2id password hashes.

Format (never commit a real file):

    [[akun]]
    nama = "admin.organisasi"
    peran = "admin"               # admin | operator | viewer
    hash = "$argon2id$v=19$..."   # metrics.akses.hash_password("…")

    [[akun]]
    nama = "operator.meranti"
    peran = "operator"
    kode_kecamatan = "12.09.08"   # operators: their kecamatan
    hash = "$argon2id$v=19$..."

Without accounts nobody can write. The hashes never leave this module: the signed-in
account kept in the session holds only nama, peran and kode_kecamatan.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

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


def accounts_from(secrets: Mapping | None) -> list[Mapping]:
    """The [[akun]] tables of a secrets mapping; [] when there are none or the file is missing."""
    if not secrets:
        return []
    try:
        rows = secrets.get("akun", [])
    except Exception:  # st.secrets raises when no secrets file exists
        return []
    return [row for row in rows if isinstance(row, Mapping)] if isinstance(rows, Sequence) else []


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
    """Recording and undoing adoption events: admin only for now (operators come with data operations)."""
    return bool(account) and account.get("peran") == "admin"


# --------------------------------------------------------------------------- Streamlit


def current_account() -> dict | None:
    import streamlit as st

    return st.session_state.get(SESSION_KEY)


def configured_accounts() -> list[Mapping]:
    import streamlit as st

    try:
        return accounts_from(st.secrets)
    except Exception:  # no secrets file at all
        return []


def sign_in_form(key: str = "masuk") -> dict | None:
    """A username + password form; on success the account is kept in st.session_state['akun'].

    Returns the signed-in account (or None). Shows a sign-out button when signed in.
    """
    import streamlit as st

    account = current_account()
    if account:
        left, right = st.columns([3, 1])
        left.caption(f"Masuk sebagai **{account['nama']}** ({account['peran']}).")
        if right.button("Keluar", key=f"{key}_keluar"):
            st.session_state.pop(SESSION_KEY, None)
            st.rerun()
        return account
    accounts = configured_accounts()
    if not accounts:
        return None
    with st.form(key, border=True):
        nama = st.text_input("Nama pengguna", key=f"{key}_nama")
        password = st.text_input("Kata sandi", type="password", key=f"{key}_sandi")
        submitted = st.form_submit_button("Masuk")
    if submitted:
        account = verify(accounts, nama, password)
        if account is None:
            st.error("Nama pengguna atau kata sandi salah.", icon=":material/lock:")
            return None
        st.session_state[SESSION_KEY] = account
        st.rerun()
    return None
