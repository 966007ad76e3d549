"""Sign-in throttle under parallel guesses (#12.3): check and record in one lock, keyed by account and
client address."""

import threading
import time

from metrics.app import akses

ACCOUNTS = [{"nama": "admin", "peran": "admin", "hash": akses.hash_password("rahasia-benar")}]


def guess_in_parallel(throttle, tmp_path, addresses):
    """One wrong guess per address, all released at the same instant; returns the reasons."""
    start = threading.Barrier(len(addresses))
    reasons = [None] * len(addresses)

    def guess(i, alamat):
        start.wait()
        reasons[i] = akses.sign_in(ACCOUNTS, "admin", f"salah-{i}", throttle, tmp_path / "masuk.log", alamat=alamat)[1]

    threads = [threading.Thread(target=guess, args=(i, a)) for i, a in enumerate(addresses)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return reasons


def test_parallel_guesses_from_one_address_are_counted_one_at_a_time(tmp_path):
    reasons = guess_in_parallel(akses.Throttle(), tmp_path, ["10.0.0.9"] * 8)
    wrong = [r for r in reasons if r == "Nama pengguna atau kata sandi salah."]
    held = [r for r in reasons if r.startswith("Terlalu banyak")]
    assert len(wrong) == 1 and len(held) == 7, reasons


def test_one_address_cannot_lock_the_admin_out_of_another(tmp_path):
    throttle = akses.Throttle()
    for i in range(6):
        akses.sign_in(ACCOUNTS, "admin", f"salah-{i}", throttle, tmp_path / "masuk.log", alamat="203.0.113.5")
        time.sleep(0)  # the attacker keeps trying; most are held
    assert throttle.wait("admin", "203.0.113.5") > 0
    account, reason = akses.sign_in(ACCOUNTS, "admin", "rahasia-benar", throttle, tmp_path / "masuk.log",
                                    alamat="10.1.2.3")
    assert reason is None and account["nama"] == "admin"


def test_client_address_trusts_forwarded_headers_only_from_the_configured_proxy(monkeypatch):
    monkeypatch.setenv("TIRU_PROXY", "127.0.0.1")  # nginx on the same machine (docs/operasi.md)
    assert akses.client_address("203.0.113.5", {"X-Real-Ip": "10.9.9.9"}) == "203.0.113.5"
    assert akses.client_address("127.0.0.1", {"X-Real-Ip": "198.51.100.7"}) == "198.51.100.7"
    assert akses.client_address("127.0.0.1", {"X-Forwarded-For": "198.51.100.8, 127.0.0.1"}) == "198.51.100.8"
    assert akses.client_address("127.0.0.1", {}) == "127.0.0.1"
    assert akses.client_address(None, {}) == ""
