"""Faults around the store with real data and real people (issue #12): real values against demo
values across rebuilds and upgrades, damaged backups, reverts of every batch kind, the writers'
lock (timeouts, stale files, concurrent reverts), and a database rebuilt from the demo at start.
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from cli_support import cli_copy, run

from metrics.core import periode as per
from metrics.data import build as build_mod
from metrics.data.build import DATA_DIR, ensure_built
from metrics.data.store import Store

ROOT = Path(__file__).resolve().parent.parent
HEADER = "kode_kecamatan,periode,indikator,nilai,sumber,catatan\n"


@pytest.fixture
def db(demo_db, tmp_path, monkeypatch) -> Path:
    """A copy of the demo database, the CLI pointed at it."""
    path = cli_copy(demo_db, tmp_path / "db", monkeypatch, with_demo=True)
    return path



def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _read(db: Path, reader):
    store = Store(db)
    try:
        return reader(store)
    finally:
        store.close()


# --------------------------------------------------------------------------- real outranks demo (#12.1)

OCT = per.parse("2026-10")


def _tte_oct(store: Store) -> tuple[float, bool, str]:
    row = store.observasi(OCT, OCT, "12.09.08").set_index("indikator").loc["tte"]
    return float(row["nilai"]), bool(row["demo"]), str(row["sumber"])


def _targets(store: Store) -> tuple:
    stage = store.target().set_index(["inovasi", "tahap"]).loc[("tte", 2)]
    value = store.target_indikator()
    value = value[(value["indikator"] == "waktu_tunggu") & value["kode_kecamatan"].isna()].set_index("tanggal")
    return (pd.Timestamp(stage["tanggal"]).date(), stage["batch"].startswith("demo-"),
            float(value.loc[pd.Timestamp("2026-12-31"), "nilai"]))


def _backdate(db: Path) -> None:
    """The imports happened a day earlier (as they do before a rebuild in real life): the demo
    loaded by the rebuild is then newer, whatever the speed of the machine running the test."""
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE batch SET waktu = waktu - INTERVAL 1 DAY WHERE NOT demo")


def _user_batches(store: Store) -> pd.DataFrame:
    frame = store.batches()
    return frame[~frame["demo"]].drop(columns=["catatan"]).reset_index(drop=True)


def test_real_values_outrank_demo_values_through_builds_catalogue_changes_and_upgrades(db, tmp_path, capsys,
                                                                                    monkeypatch):
    over = write(tmp_path, "over_demo.csv", HEADER + "12.09.08,2026-10,tte,99,laporan camat,\n")
    code, _, err = run(capsys, "import", over, "--dengan-demo", "--oleh", "operator")
    assert code == 0, err
    targets = write(tmp_path, "target.csv", "inovasi,tahap,tanggal,kode_kecamatan\ntte,2,2025-12-31,\n")
    assert run(capsys, "import", targets, "--dengan-demo", "--oleh", "sekda")[0] == 0
    values = write(
        tmp_path, "target_nilai.csv", "indikator,nilai,tanggal,kode_kecamatan\nwaktu_tunggu,20,2026-12-31,\n"
    )
    assert run(capsys, "import", values, "--dengan-demo", "--oleh", "sekda")[0] == 0
    _backdate(db)
    expected = (99.0, False, "laporan camat")
    expected_targets = (dt.date(2025, 12, 31), False, 20.0)
    assert _read(db, _tte_oct) == expected and _read(db, _targets) == expected_targets
    batches = _read(db, _user_batches)
    assert len(batches) == 3 and batches["dibatalkan"].isna().all()

    # `tiru build`: the demo is loaded again, with a newer time than the imports.
    code, _, err = run(capsys, "build")
    assert code == 0, err
    assert _read(db, _tte_oct) == expected, "a rebuild let the demo value win over the imported one"
    assert _read(db, _targets) == expected_targets, "a rebuild let the demo targets win"

    # A change under data/ rebuilds at the next command.
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    inovasi = data / "catalog" / "inovasi.csv"
    inovasi.write_text(inovasi.read_text(encoding="utf-8").replace("Sistem antrean", "Sistem  antrean", 1),
                       encoding="utf-8")
    first = db.stat().st_ino
    ensure_built(db, data)
    assert db.stat().st_ino != first
    assert _read(db, _tte_oct) == expected and _read(db, _targets) == expected_targets

    # A new schema version (an upgrade) rebuilds too.
    monkeypatch.setattr(build_mod, "SCHEMA_VERSION", build_mod.SCHEMA_VERSION + "-baru")
    first = db.stat().st_ino
    ensure_built(db, data)
    assert db.stat().st_ino != first
    assert _read(db, _tte_oct) == expected and _read(db, _targets) == expected_targets
    # Every imported batch came over unchanged, still in force.
    pd.testing.assert_frame_equal(_read(db, _user_batches), batches)


def test_the_import_preview_compares_with_the_real_value_after_a_rebuild(db, tmp_path, capsys):
    over = write(tmp_path, "over_demo.csv", HEADER + "12.09.08,2026-10,tte,99,laporan camat,\n")
    assert run(capsys, "import", over, "--dengan-demo")[0] == 0
    _backdate(db)
    assert run(capsys, "build")[0] == 0
    code, _, err = run(capsys, "import", over, "--dengan-demo")
    assert code == 0 and "Tidak ada perubahan" in err  # the same file again: nothing new


# --------------------------------------------------------------------------- damaged backups (#12.4)


def _works(capsys) -> bool:
    code, out, err = run(capsys, "ranking")
    return code == 0 and out.startswith("kode_kecamatan,") and "Traceback" not in err


def _wrong_columns(path: Path) -> Path:
    """The right table names (batch, observasi, meta and the rest), the wrong columns in two."""
    schema = (DATA_DIR / "schema.sql").read_text(encoding="utf-8")
    with duckdb.connect(str(path)) as con:
        con.execute(schema)
        con.execute("DROP TABLE batch_ringkasan; CREATE TABLE batch_ringkasan (batch VARCHAR, jumlah VARCHAR)")
        con.execute("DROP TABLE meta; CREATE TABLE meta (kunci INTEGER, isi VARCHAR)")
    return path


@pytest.mark.parametrize("damage", ["terpotong", "kolom-salah", "versi-lebih-baru", "bukan-duckdb"])
def test_a_damaged_backup_is_refused_and_the_database_left_byte_identical(db, tmp_path, capsys, damage):
    good = Path(run(capsys, "backup", tmp_path / "cadangan")[1].strip())
    candidate = tmp_path / f"{damage}.duckdb"
    if damage == "terpotong":  # the first part of a backup, as an interrupted copy leaves it
        candidate.write_bytes(good.read_bytes()[: good.stat().st_size * 3 // 10])
    elif damage == "kolom-salah":
        _wrong_columns(candidate)
    elif damage == "versi-lebih-baru":  # written by a newer Tiru
        shutil.copy(good, candidate)
        with duckdb.connect(str(candidate)) as con:
            con.execute("INSERT OR REPLACE INTO meta VALUES ('versi_skema', '999')")
    else:
        candidate.write_bytes(b"bukan basis data" * 1000)
    before = db.read_bytes()
    backups = sorted(p.name for p in (db.parent / "backups").glob("*")) if (db.parent / "backups").exists() else []
    code, _, err = run(capsys, "restore", candidate)
    assert code == 1, err
    assert "Traceback" not in err and str(candidate) in err and "tidak dipulihkan" in err.lower()
    assert db.read_bytes() == before
    after = sorted(p.name for p in (db.parent / "backups").glob("*")) if (db.parent / "backups").exists() else []
    assert after == backups  # nothing written, not even the "before restore" copy
    assert _works(capsys)


def test_a_backup_with_wrong_columns_names_the_table_and_columns(db, tmp_path, capsys):
    code, _, err = run(capsys, "restore", _wrong_columns(tmp_path / "salah.duckdb"))
    assert code == 1
    assert "batch_ringkasan" in err and "meta" in err and "jumlah" in err


def test_restore_messages_in_english(db, tmp_path, capsys):
    good = Path(run(capsys, "backup", tmp_path / "cadangan")[1].strip())
    broken = tmp_path / "potong.duckdb"
    broken.write_bytes(good.read_bytes()[: good.stat().st_size // 3])
    code, _, err = run(capsys, "--bahasa", "en", "restore", broken)
    assert code == 1 and "not restored" in err and "Traceback" not in err
    code, _, err = run(capsys, "--bahasa", "en", "restore", _wrong_columns(tmp_path / "salah.duckdb"))
    assert code == 1 and "not restored" in err and "batch_ringkasan" in err
    code, _, err = run(capsys, "--bahasa", "en", "restore", good)
    assert code == 0 and f"Restored from {good}." in err and "The previous database was kept at" in err


def test_a_good_backup_is_restored(db, tmp_path, capsys):
    good = Path(run(capsys, "backup", tmp_path / "cadangan")[1].strip())
    over = write(tmp_path, "over_demo.csv", HEADER + "12.09.08,2026-10,tte,99,laporan camat,\n")
    assert run(capsys, "import", over, "--dengan-demo")[0] == 0
    code, _, err = run(capsys, "restore", good)
    assert code == 0 and "Dipulihkan" in err
    assert _read(db, _tte_oct)[0] == 58.6 and _works(capsys)


# --------------------------------------------------------------------------- every batch kind reverts (#12.7)


def _event_counts(db: Path, event: str) -> bool:
    return _read(db, lambda s: event in set(s.adopsi()["id"]))


def _batch_of(db: Path, prefix: str) -> str:
    ids = _read(db, lambda s: list(s.batches()["id"]))
    return [b for b in ids if b.startswith(prefix)][-1]


def test_reverting_an_undo_brings_the_event_back_and_it_can_be_undone_again(db, capsys):
    store = Store(db)
    event = store.record_adoption("12.09.19", "tte", 4, dt.date(2026, 1, 5), "SK Camat", "admin")
    store.undo_adoption(event, "admin", "salah kecamatan")
    store.close()
    assert not _event_counts(db, event)
    undo = _batch_of(db, "adopsi-batal-")
    code, _, err = run(capsys, "revert", undo, "--oleh", "admin", "--alasan", "ternyata benar")
    assert code == 0, err
    assert f"Batch {undo} dibatalkan" in err
    assert _event_counts(db, event), "the undo was reverted but the event still does not count"
    history = _read(db, lambda s: s.adopsi(with_undone=True).set_index("id"))
    assert pd.isna(history.loc[event, "batal_waktu"])
    # The event counts again, so it can be undone again (a new undo, the old one stays as history).
    store = Store(db)
    store.undo_adoption(event, "admin", "kali ini memang salah")
    store.close()
    assert not _event_counts(db, event)
    assert _read(db, lambda s: s.adopsi(with_undone=True).set_index("id").loc[event, "batal_alasan"]) \
        == "kali ini memang salah"


def test_reverting_an_undo_of_an_event_whose_batch_was_reverted_is_refused_with_the_reason(db, capsys):
    store = Store(db)
    event = store.record_adoption("12.09.19", "tte", 4, dt.date(2026, 1, 5), "SK Camat", "admin")
    store.undo_adoption(event, "admin", "salah")
    store.close()
    recorded, undo = _batch_of(db, "adopsi-2"), _batch_of(db, "adopsi-batal-")
    assert run(capsys, "revert", recorded, "--oleh", "admin")[0] == 0
    before = db.read_bytes()
    code, _, err = run(capsys, "revert", undo, "--oleh", "admin")
    assert code == 1 and recorded in err and "Traceback" not in err
    assert db.read_bytes() == before
    code, _, err = run(capsys, "--bahasa", "en", "revert", undo, "--oleh", "admin")
    assert code == 1 and "cannot be reverted" in err and recorded in err


def test_a_batch_that_only_removed_the_demo_is_not_offered_and_is_refused(db, tmp_path, capsys):
    from metrics.app import kelola

    over = write(tmp_path, "over_demo.csv", HEADER + "12.09.08,2026-10,tte,99,laporan camat,\n")
    code, out, _ = run(capsys, "import", over, "--dengan-demo")
    real = out.strip()
    assert code == 0 and real
    code, out, err = run(capsys, "import", over, "--hapus-demo")  # nothing new: it only removes the demo
    assert code == 0, err
    only_demo = out.strip()
    assert only_demo and not _read(db, lambda s: s.has_demo())
    before = db.read_bytes()
    code, _, err = run(capsys, "revert", only_demo, "--oleh", "admin")
    assert code == 1 and "tiru restore" in err and "Traceback" not in err
    assert db.read_bytes() == before
    batches = _read(db, lambda s: s.batches())
    offered = set(kelola.revertible(batches)["id"])
    assert only_demo not in offered and real in offered


def test_the_web_form_offers_only_what_can_be_reverted(db, capsys):
    from metrics.app import kelola

    store = Store(db)
    kept = store.record_adoption("12.09.19", "tte", 4, dt.date(2026, 1, 5), "SK Camat", "admin")
    gone = store.record_adoption("12.09.20", "tte", 3, dt.date(2026, 1, 6), "SK Camat", "admin")
    store.undo_adoption(kept, "admin", "salah")
    store.undo_adoption(gone, "admin", "salah")
    store.close()
    batches = _read(db, lambda s: s.batches())
    recorded = list(batches.loc[(batches["jenis"] == "adopsi") & ~batches["demo"], "id"])
    undos = list(batches.loc[batches["jenis"] == "adopsi-batal", "id"])
    assert run(capsys, "revert", recorded[1], "--oleh", "admin")[0] == 0  # the batch of `gone`
    offered = set(kelola.revertible(_read(db, lambda s: s.batches()))["id"])
    assert undos[0] in offered  # undoing `kept` can be reverted: the event comes back
    assert undos[1] not in offered  # `gone`'s own batch was reverted: reverting its undo does nothing
    assert recorded[0] in offered and recorded[1] not in offered


# --------------------------------------------------------------------------- the writers' lock (#12.10)

STOPPED_WRITER = """
import sys, time
import metrics.data.writer as writer
original = writer.summarise
def slow(*args, **kwargs):
    original(*args, **kwargs)
    print("MIDWAY", flush=True)  # holding the writers' lock, transaction not committed
    time.sleep(600)
writer.summarise = slow
from metrics.ops.cli import main
sys.exit(main(["import", sys.argv[1], "--dengan-demo", "--oleh", "uji"]))
"""


def _tiru(db: Path, *args: str, timeout: float = 120, **env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "metrics", *args], cwd=ROOT, capture_output=True, text=True, check=False,
                          timeout=timeout, env={**os.environ, "TIRU_DB": str(db), "TIRU_DEMO": "1", **env})


@pytest.fixture
def user_batch(db) -> str:
    return _real_batch(db)


@pytest.fixture
def stopped_writer(db, tmp_path):
    """A real import holding the writers' lock, then stopped with SIGSTOP (as a debugger or a
    suspended terminal job would leave it)."""
    path = write(tmp_path, "tahan.csv", HEADER + "12.09.09,2026-10,tte,77,laporan,\n")
    process = subprocess.Popen([sys.executable, "-c", STOPPED_WRITER, str(path)], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env={**os.environ, "TIRU_DB": str(db)})
    try:
        assert process.stdout.readline().strip() == "MIDWAY"
        os.kill(process.pid, signal.SIGSTOP)
        yield process
    finally:
        process.kill()  # SIGKILL ends a stopped process too
        process.wait(timeout=30)


@pytest.mark.parametrize("command", ["import", "build", "revert", "backup"])
def test_a_stopped_writer_makes_others_give_up_with_its_pid_not_wait_forever(db, user_batch, tmp_path, stopped_writer,
                                                                             command):
    before = db.read_bytes()
    args = {"import": ["import", str(write(tmp_path, "lain.csv", HEADER + "12.09.08,2026-10,tte,99,laporan,\n")),
                       "--dengan-demo"],
            "build": ["build"], "revert": ["revert", user_batch], "backup": ["backup"]}[command]
    done = _tiru(db, *args, timeout=60, TIRU_LOCK_TIMEOUT="1")
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert f"pid {stopped_writer.pid}" in done.stderr and "TIRU_LOCK_TIMEOUT" in done.stderr
    assert db.read_bytes() == before
    english = _tiru(db, "--bahasa", "en", *args, timeout=60, TIRU_LOCK_TIMEOUT="1")
    assert english.returncode == 1 and f"pid {stopped_writer.pid}" in english.stderr
    assert "still holds" in english.stderr


def _real_batch(db: Path) -> str:
    store = Store(db)
    try:
        store.record_adoption("12.09.19", "tte", 4, dt.date(2026, 1, 5), "SK Camat", "admin")
        batches = store.batches()
        return batches.loc[~batches["demo"], "id"].iloc[-1]
    finally:
        store.close()


def test_build_waits_for_the_writers_lock(db, tmp_path):
    with open(db.with_name(f".{db.name}.lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another writer holds the database
        process = subprocess.Popen([sys.executable, "-m", "metrics", "build"], cwd=ROOT, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True,
                                   env={**os.environ, "TIRU_DB": str(db), "TIRU_DEMO": "1"})
        try:
            assert "menunggu penulis lain" in process.stderr.readline()
            assert process.poll() is None
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err


def test_concurrent_reverts_of_one_batch_end_cleanly(db, tmp_path):
    batch = _real_batch(db)
    with open(db.with_name(f".{db.name}.lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # both reverts check the batch, then wait for the lock
        processes = [subprocess.Popen([sys.executable, "-m", "metrics", "revert", batch, "--oleh", f"admin{n}"],
                                      cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                      env={**os.environ, "TIRU_DB": str(db), "TIRU_DEMO": "1"})
                     for n in (1, 2)]
        try:
            for process in processes:
                assert "menunggu penulis lain" in process.stderr.readline()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    results = [(p.wait(timeout=120), p.stderr.read()) for p in processes]
    for process in processes:
        process.stdout.close()
        process.stderr.close()
    codes = sorted(code for code, _ in results)
    assert codes == [0, 1], results
    refused = next(err for code, err in results if code == 1)
    assert "Traceback" not in refused and f"Batch '{batch}' sudah dibatalkan" in refused
    reverted = _read(db, lambda s: s.batches()).set_index("id")
    assert pd.notna(reverted.loc[batch, "dibatalkan"])
    assert (reverted["jenis"] == "batal").sum() == 1


def test_a_stale_part_backup_is_swept_by_the_next_writer(db, tmp_path, capsys):
    backups = db.parent / "backups"
    backups.mkdir()
    stale = backups / ".tiru-20261101-101010-000000-observasi.duckdb.part"  # left by kill -9 mid-copy
    stale.write_bytes(b"\0" * 4096)
    own = tmp_path / "cadangan"
    own.mkdir()
    stale_own = own / ".tiru-20261101-101010-000000-manual.duckdb.part"
    stale_own.write_bytes(b"\0" * 4096)
    over = write(tmp_path, "over_demo.csv", HEADER + "12.09.08,2026-10,tte,99,laporan camat,\n")
    assert run(capsys, "import", over, "--dengan-demo")[0] == 0
    assert not stale.exists()
    assert run(capsys, "backup", own)[0] == 0
    assert not stale_own.exists()
    assert not [p for p in list(backups.iterdir()) + list(own.iterdir()) if p.name.endswith(".part")]


def test_a_backup_that_fails_midway_leaves_no_part_file_and_changes_nothing(db, tmp_path, capsys, monkeypatch):
    from metrics.data import writer

    copy = shutil.copyfile

    def full_disk(source, target, *args, **kwargs):
        if str(target).endswith(".part"):
            Path(target).write_bytes(b"\0" * 1024)  # a part was written, then the disk was full
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return copy(source, target, *args, **kwargs)

    monkeypatch.setattr(writer.shutil, "copyfile", full_disk)
    before = db.read_bytes()
    over = write(tmp_path, "over_demo.csv", HEADER + "12.09.08,2026-10,tte,99,laporan camat,\n")
    code, _, err = run(capsys, "import", over, "--dengan-demo")
    assert code == 1 and "Traceback" not in err and os.strerror(errno.ENOSPC) in err
    assert db.read_bytes() == before
    assert not [p for p in (db.parent / "backups").iterdir() if p.name.endswith(".part")]
    code, _, err = run(capsys, "backup", tmp_path / "cadangan")
    assert code == 1 and os.strerror(errno.ENOSPC) in err
    assert not list((tmp_path / "cadangan").iterdir())


# --------------------------------------------------------------------------- rebuilt from the demo at start (#12.12)


def _app(db: Path, monkeypatch, page: str | None = None, admin_hash: str | None = None, bahasa: str = "id"):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("TIRU_DB", str(db))
    monkeypatch.setenv("TIRU_DEMO", "1")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    if admin_hash:
        at.secrets["akun"] = [{"nama": "admin", "peran": "admin", "hash": admin_hash}]
    if bahasa != "id":
        at.query_params["bahasa"] = bahasa
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _sign_in_admin(at, bahasa: str = "id"):
    from metrics.core import bahasa as bahasa_mod

    at.text_input(key="masuk_kelola_nama").set_value("admin")
    at.text_input(key="masuk_kelola_sandi").set_value("sandi-admin")
    with bahasa_mod.dalam(bahasa):
        at.button(key=f"FormSubmitter:masuk_kelola-{bahasa_mod.t('akses.masuk')}").click().run()
    assert not at.exception
    return at


def _texts(at) -> str:
    return "\n".join(e.value for kind in ("warning", "error", "info", "markdown", "code", "caption")
                     for e in getattr(at, kind))


@pytest.fixture
def corrupted(db, tmp_path, capsys) -> tuple[Path, Path]:
    """A database with an import (so backups/ holds a copy), then corrupted and opened again:
    it is moved aside and rebuilt from data/ with the demo."""
    over = write(tmp_path, "over_demo.csv", HEADER + "12.09.08,2026-10,tte,99,laporan camat,\n")
    assert run(capsys, "import", over, "--dengan-demo")[0] == 0
    backup = sorted((db.parent / "backups").glob("tiru-*.duckdb"))[-1]
    db.write_bytes(b"DUCK" + os.urandom(32 * 1024))
    done = _tiru(db, "ranking")
    assert done.returncode == 0 and "Traceback" not in done.stderr
    return db, backup


def test_a_database_rebuilt_from_the_demo_leaves_a_note_next_to_it(corrupted):
    db, backup = corrupted
    notes = list(db.parent.glob("*.json"))
    assert len(notes) == 1
    note = json.loads(notes[0].read_text(encoding="utf-8"))
    aside = [p for p in db.parent.iterdir() if ".rusak-" in p.name]
    assert len(aside) == 1 and str(aside[0]) in note.values() and str(backup) in note.values()


def test_everyone_sees_that_the_data_was_rebuilt_from_the_demo_and_the_admin_how_to_restore(corrupted, monkeypatch):
    from metrics.app import akses

    db, backup = corrupted
    aside = next(p for p in db.parent.iterdir() if ".rusak-" in p.name)
    at = _app(db, monkeypatch)
    assert any("dibangun ulang" in w.value for w in at.warning), [w.value for w in at.warning]
    assert str(aside) not in _texts(at)  # paths and commands are for the admin
    at = _app(db, monkeypatch, bahasa="en")
    assert any("rebuilt" in w.value for w in at.warning)
    admin = akses.hash_password("sandi-admin")
    monkeypatch.setattr(akses, "THROTTLE", akses.Throttle())
    at = _sign_in_admin(_app(db, monkeypatch, "pages/kelola_data.py", admin))
    shown = _texts(at)
    assert str(aside) in shown and f"tiru restore {backup}" in shown
    at.button(key="tutup_pemulihan").click().run()  # dealt with: the admin hides the notice
    assert not at.exception and not list(db.parent.glob("*.json"))
    assert not any("dibangun ulang" in w.value for w in _app(db, monkeypatch).warning)


def test_restoring_a_backup_clears_the_note(corrupted, capsys, monkeypatch):
    db, backup = corrupted
    code, _, err = run(capsys, "restore", backup)
    assert code == 0, err
    assert not list(db.parent.glob("*.json"))
    at = _app(db, monkeypatch)
    assert not any("dibangun ulang" in w.value for w in at.warning)


def test_the_secrets_file_is_ignored_by_git():
    done = subprocess.run(["git", "check-ignore", "-q", ".streamlit/secrets.toml"], cwd=ROOT, check=False)
    assert done.returncode == 0, ".streamlit/secrets.toml (passwords) must never be committed"


def test_the_target_preview_compares_with_the_real_target_after_a_rebuild(db, tmp_path, capsys):
    """The preview ranks real over demo like the store does: the same real target file again after
    a rebuild (the demo targets now newer) is "Tidak ada perubahan", not a change."""
    targets = write(tmp_path, "target.csv", "inovasi,tahap,tanggal,kode_kecamatan\ntte,2,2025-12-31,\n")
    assert run(capsys, "import", targets, "--dengan-demo", "--oleh", "sekda")[0] == 0
    _backdate(db)
    assert run(capsys, "build")[0] == 0
    code, _, err = run(capsys, "import", targets, "--dengan-demo", "--oleh", "sekda")
    assert code == 0 and "Tidak ada perubahan" in err, err
