"""`tiru import / batches / revert / backup / restore`: exit codes, messages, idempotency,
export round trip, readers during an import, and an import killed midway."""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest
from cli_support import cli_copy, run

from metrics.core import periode as per
from metrics.data.store import Store
from metrics.ops.cli import main

ROOT = Path(__file__).resolve().parent.parent
HEADER = "kode_kecamatan,periode,indikator,nilai,sumber,catatan\n"


@pytest.fixture
def db(demo_db, tmp_path, monkeypatch) -> Path:
    path = cli_copy(demo_db, tmp_path / "db", monkeypatch, with_demo=True)
    return path


@pytest.fixture
def no_demo(empty_db, tmp_path, monkeypatch) -> Path:
    path = cli_copy(empty_db, tmp_path / "db", monkeypatch, with_demo=False)
    return path



def write(tmp_path, name, text) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def month_file(tmp_path, values: dict[str, float], periode="2025-06", name="juni.csv") -> Path:
    rows = "".join(f"{k},{periode},tte,{v},laporan bulanan,\n" for k, v in values.items())
    return write(tmp_path, name, HEADER + rows)


def test_demo_present_needs_a_decision_exit_2_naming_both_flags(db, tmp_path, capsys):
    before = db.read_bytes()
    code, _, err = run(capsys, "import", month_file(tmp_path, {"12.09.08": 50}))
    assert code == 2
    assert "--hapus-demo" in err and "--dengan-demo" in err and "DATA CONTOH" in err
    assert db.read_bytes() == before


def test_usage_errors_exit_2(db, tmp_path, capsys):
    assert run(capsys, "import", tmp_path / "tidak-ada.csv")[0] == 2
    with pytest.raises(SystemExit) as exc:
        main(["import", str(month_file(tmp_path, {"12.09.08": 1})), "--hapus-demo", "--dengan-demo"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["import", "x.csv", "--jenis", "foto"])
    assert exc.value.code == 2
    assert run(capsys, "restore", tmp_path / "tidak-ada.duckdb")[0] == 2


def test_import_prints_counts_and_batch_then_idempotent(db, tmp_path, capsys):
    path = month_file(tmp_path, {"12.09.08": 50, "12.09.09": 51})
    code, out, err = run(capsys, "import", path, "--dengan-demo", "--oleh", "Budi (Kec. Meranti)")
    assert code == 0, err
    batch = out.strip()
    assert batch.startswith("observasi-")
    assert f"Diimpor sebagai batch {batch}: 0 baru, 2 berubah, 0 tidak berubah." in err
    row = Store(db).batches().set_index("id").loc[batch]
    assert row["oleh"] == "Budi (Kec. Meranti)" and row["berkas"] == "juni.csv" and not row["demo"]
    assert (row["baris"], row["baru"], row["berubah"], row["sama"]) == (2, 0, 2, 0)
    import hashlib

    assert row["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert list((db.parent / "backups").glob("tiru-*-observasi.duckdb"))  # backup before the import
    before, count = db.read_bytes(), len(Store(db).batches())
    code, out, err = run(capsys, "import", path)  # second time: nothing to decide, nothing written
    assert code == 0 and out == ""
    assert "Tidak ada perubahan: 0 baru, 0 berubah, 2 tidak berubah. Tidak ada batch baru." in err
    assert db.read_bytes() == before and len(Store(db).batches()) == count


def test_dry_run_writes_nothing_and_lists_changes(db, tmp_path, capsys):
    before = db.read_bytes()
    code, out, err = run(capsys, "import", month_file(tmp_path, {"12.09.08": 50}), "--dry-run")
    assert code == 0
    assert "Uji coba (observasi, 1 baris): 0 baru, 1 berubah, 0 tidak berubah. Tidak ada yang disimpan." in err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["status"] == "berubah" and rows[0]["baru"] == "50.0" and rows[0]["lama"]
    assert db.read_bytes() == before


def test_batches_and_revert(db, tmp_path, capsys):
    store = Store(db)
    june = per.parse("2025-06")
    old = store.observasi(june, june, "12.09.08").set_index("indikator").loc["tte", "nilai"]
    store.close()  # one Store per process, as in the app: the CLI below opens its own
    code, out, _ = run(capsys, "import", month_file(tmp_path, {"12.09.08": 50}), "--dengan-demo")
    batch = out.strip()
    code, out, _ = run(capsys, "batches")
    listed = pd.read_csv(io.StringIO(out))
    assert code == 0 and batch in set(listed["id"])
    assert list(listed.columns)[:4] == ["id", "jenis", "berkas", "oleh"]
    code, _, err = run(capsys, "revert", batch, "--oleh", "admin", "--alasan", "salah bulan")
    assert code == 0 and f"Batch {batch} dibatalkan" in err
    assert store.observasi(june, june, "12.09.08").set_index("indikator").loc["tte", "nilai"] == old
    assert run(capsys, "revert", batch)[0] == 1
    assert run(capsys, "revert", "tidak-ada")[0] == 1


def test_hapus_demo_then_export_round_trip(db, tmp_path, capsys):
    values = {f"12.09.{n:02d}": 40 + n + 0.25 for n in range(8, 33)}
    path = month_file(tmp_path, values)
    code, out, err = run(capsys, "import", path, "--hapus-demo")
    assert code == 0, err
    assert "25 baru, 0 berubah, 0 tidak berubah" in err and "Data contoh dihapus" in err
    store = Store(db)
    assert not store.has_demo()
    assert run(capsys, "export", tmp_path / "ekspor")[0] == 0
    exported = pd.read_csv(tmp_path / "ekspor" / "observasi.csv", dtype=str)
    assert list(exported.columns) == ["kode_kecamatan", "periode", "indikator", "nilai", "sumber", "batch"]
    assert {(r.kode_kecamatan, r.periode, r.indikator, float(r.nilai)) for r in exported.itertuples()} == {
        (k, "2025-06", "tte", v) for k, v in values.items()}
    assert set(exported["batch"]) == {out.strip()}
    # The export goes back in unchanged: nothing new, nothing changed.
    code, out, err = run(capsys, "import", tmp_path / "ekspor" / "observasi.csv")
    assert code == 0 and "0 baru, 0 berubah, 25 tidak berubah" in err


def test_backup_and_restore(no_demo, tmp_path, capsys):
    code, out, _ = run(capsys, "backup", tmp_path / "cadangan")
    copy = Path(out.strip())
    assert code == 0 and copy.parent == tmp_path / "cadangan" and copy.read_bytes() == no_demo.read_bytes()
    assert run(capsys, "import", month_file(tmp_path, {"12.09.08": 50}))[0] == 0
    assert len(Store(no_demo).batches()) == 1
    code, _, err = run(capsys, "restore", copy)
    assert code == 0 and "Dipulihkan" in err
    assert Store(no_demo).batches().empty
    (tmp_path / "bukan.duckdb").write_bytes(b"bukan basis data")
    assert run(capsys, "restore", tmp_path / "bukan.duckdb")[0] == 1
    assert Store(no_demo).batches().empty


def test_readers_see_the_old_or_the_new_data_never_half(no_demo, tmp_path):
    """A reader thread queries without pause while another process imports, three times."""
    store = Store(no_demo)
    june = per.parse("2025-06")
    files = [month_file(tmp_path, {f"12.09.{n:02d}": float(step * 10 + 1) for n in range(8, 33)}, name=f"f{step}.csv")
             for step in range(1, 4)]
    allowed = {0.0} | {25 * float(step * 10 + 1) for step in range(1, 4)}
    seen, errors, stop = set(), [], threading.Event()

    def read():
        while not stop.is_set():
            try:
                frame = store.observasi(june, june)
                seen.add(float(frame["nilai"].sum()) if len(frame) else 0.0)
            except Exception as exc:
                errors.append(exc)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for path in files:
            result = subprocess.run([sys.executable, "-m", "metrics", "import", str(path), "--oleh", "uji"],
                                    env={**os.environ, "TIRU_DB": str(no_demo), "TIRU_DEMO": "0"},
                                    capture_output=True, text=True, timeout=120, check=False)
            assert result.returncode == 0, result.stderr
            time.sleep(0.2)
    finally:
        stop.set()
        reader.join()
    assert not errors
    assert seen <= allowed and 25 * 31.0 in seen
    assert float(store.observasi(june, june)["nilai"].sum()) == 25 * 31.0


KILL_SCRIPT = """
import sys, time
import metrics.data.writer as writer
original = writer.summarise
def slow(*args, **kwargs):
    original(*args, **kwargs)
    print("MIDWAY", flush=True)  # rows inserted, transaction not committed
    time.sleep(120)
writer.summarise = slow
from metrics.ops.cli import main
sys.exit(main(["import", sys.argv[1], "--hapus-demo", "--oleh", "uji"]))
"""


def test_an_import_killed_midway_leaves_the_previous_state(db, tmp_path, capsys):
    before = db.read_bytes()
    store = Store(db)
    june = per.parse("2025-06")
    previous = store.observasi(june, june)
    path = month_file(tmp_path, {f"12.09.{n:02d}": 99.0 for n in range(8, 33)})
    process = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(path)], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env={**os.environ, "TIRU_DB": str(db)})
    try:
        assert process.stdout.readline().strip() == "MIDWAY"
        # Meanwhile the app still reads the previous state.
        pd.testing.assert_frame_equal(store.observasi(june, june), previous)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL
    assert db.read_bytes() == before
    pd.testing.assert_frame_equal(store.observasi(june, june), previous)
    assert store.has_demo()
    assert list(db.parent.glob(".tiru.duckdb.*.tmp"))  # the stray temp file of the killed writer ...
    code, _, err = run(capsys, "import", path, "--hapus-demo")  # ... the lock was released with the process
    assert code == 0, err
    assert not list(db.parent.glob(".tiru.duckdb.*.tmp"))  # ... and the next write removed it
    assert set(store.observasi(june, june)["nilai"]) == {99.0}


def test_an_import_waits_for_another_writer_and_says_so(no_demo, tmp_path):
    import fcntl

    path = month_file(tmp_path, {"12.09.08": 50})
    with open(no_demo.with_name(f".{no_demo.name}.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another writer holds the database
        process = subprocess.Popen([sys.executable, "-m", "metrics", "import", str(path)], cwd=ROOT,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   env={**os.environ, "TIRU_DB": str(no_demo), "TIRU_DEMO": "0"})
        assert "menunggu penulis lain" in process.stderr.readline()
        assert process.poll() is None
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert "1 baru" in err and out.strip().startswith("observasi-")


# ----------------------------------------------------------------- English (--bahasa en)


def test_import_in_english_dry_run_import_and_revert(db, tmp_path, capsys):
    june = per.parse("2025-06")
    old = Store(db).observasi(june, june, "12.09.08").set_index("indikator").loc["tte", "nilai"]
    path = month_file(tmp_path, {"12.09.08": 12.5})
    code, out, err = run(capsys, "--bahasa", "en", "import", path, "--dry-run")
    assert code == 0
    assert "Dry run (observasi, 1 row(s)): 0 new, 1 changed, 0 unchanged. Nothing was saved." in err
    rows = list(csv.DictReader(io.StringIO(out)))  # machine-read output: the same columns and codes
    assert rows[0]["status"] == "berubah" and float(rows[0]["lama"]) == old
    code, _, err = run(capsys, "--bahasa", "en", "import", path)
    assert code == 2 and "still holds DEMO DATA" in err and "--hapus-demo" in err and "--dengan-demo" in err
    code, out, err = run(capsys, "import", path, "--dengan-demo", "--bahasa", "en", "--oleh", "Budi")
    batch = out.strip()
    assert code == 0 and f"Imported as batch {batch}: 0 new, 1 changed, 0 unchanged." in err
    code, _, err = run(capsys, "--bahasa", "en", "revert", batch, "--alasan", "typo")
    own = Store(db).batches()["id"].iloc[-1]
    assert code == 0 and f"Batch {batch} reverted (recorded as batch {own}); the previous values apply again." in err
    code, _, err = run(capsys, "--bahasa", "en", "import", tmp_path / "missing.csv")
    assert code == 2 and f"file {tmp_path / 'missing.csv'} not found." in err


def test_rejected_file_in_english_names_rows_and_columns_exit_1(db, tmp_path, capsys):
    before = db.read_bytes()
    path = write(tmp_path, "salah.csv", HEADER + "12.09.99,2025-06,tte,50,,\n12.09.08,2025-13,tte,abc,,\n")
    code, out, err = run(capsys, "--bahasa", "en", "import", path, "--hapus-demo")
    assert code == 1 and out == ""
    assert "File rejected, nothing was saved (3 problem(s)):" in err
    assert "Row 2, column 'kode_kecamatan': '12.09.99' is not a known kecamatan code" in err
    assert "Row 3, column 'periode': '2025-13' is not a valid month; expected: YYYY-MM" in err
    assert "Row 3, column 'nilai': 'abc' is not a number" in err
    assert db.read_bytes() == before
    code, _, err = run(capsys, "import", path, "--hapus-demo")  # Indonesian by default
    assert code == 1 and "Berkas ditolak, tidak ada yang disimpan (3 masalah):" in err


def test_import_help_in_english(capsys):
    with pytest.raises(SystemExit):
        main(["--bahasa", "en", "import", "--help"])
    assert "check the file and show the changes without saving" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["import", "--help"])
    assert "periksa dan tampilkan perubahan tanpa menyimpan" in capsys.readouterr().out
