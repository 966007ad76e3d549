"""Writers of the database: imports, reverts, catalogue edits, backups, restores.

Writers (and builds, metrics.data.build) serialise on a lock file next to the database and never
change the file in place: write() copies it, changes the copy in one transaction, fsyncs and swaps
it in with os.replace. Readers in any number of processes (several app processes behind a proxy,
the CLI) therefore see the old file or the new one, never half, and a crash or kill -9 leaves the
old file (a stray temp file or partial backup is removed by the next writer). A writer waits for
another at most TIRU_LOCK_TIMEOUT seconds, then gives up naming the holder's pid (build.writers_lock).
Imports keep a copy of the previous file in backups/ (named <stem>-otomatis-…; the last BACKUP_KEEP of those
are kept). `tiru backup`'s copies and the copy restore() keeps are never rotated: they stay until
removed by hand (an automatic rotation must never take away the way back from a mistaken restore).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import secrets
import shutil
from pathlib import Path

import duckdb

from metrics.core import periode as per
from metrics.core import formatting
from metrics.core.bahasa import t
from metrics.data import catatan_bulan as bulan, wilayah
from metrics.data.build import (
    AUTOMATIC,
    DATA_DIR,
    SCHEMA_VERSION,
    StoreError,
    attached_damage,
    automatic_backups,
    backup_dir,
    built_for,
    clear_recovery_note,
    damage,
    default_db_path,
    discard,
    fingerprint,
    model_floor_problem,
    next_version,
    recover_locked,
    schema_columns,
    swap_in,
    sweep_partial_backups,
    sweep_temporaries,
    table_columns,
    temporary,
    writers_lock,
)
from metrics.data.katalog_berlaku import INDIKATOR_SQL
from metrics.data.urutan import define_live

BACKUP_KEEP = 10  # automatic backups kept in <database folder>/backups/
MAX_NAME = 200  # characters of a batch's file name (berkas) and author (oleh)


class RejectedChange(ValueError):
    """A change that would put wrong data in the database; nothing was written."""


class FinalMonthChange(RejectedChange):
    """A change to the values of a final month without the admin's correction; nothing was written.
    `bulan` is {month: values that would appear, vanish or change}."""

    def __init__(self, bulan: dict[int, int]):
        self.bulan = bulan
        daftar = ", ".join(t("impor.final.bulan", bulan=_month_name(m), n=n) for m, n in sorted(bulan.items()))
        super().__init__(t("basisdata.bulan.final_dijaga", daftar=daftar))


def _month_name(m: int) -> str:
    from metrics.core import formatting
    return formatting.bulan(m)


# Stored in the batch note (audit data: Indonesian whatever the interface language).
CORRECTION_NOTE = "koreksi bulan final"


def write(db_path: Path, change, *, jenis: str, oleh: str, berkas: str = "formulir", content: bytes = b"",
          backup: bool = False, koreksi_final: bool = False):
    """Apply one change as a new batch, whole or not at all, and make it visible to readers.

    The database is copied, changed in one transaction, and swapped in atomically, so
    readers (in this and other processes) never see half a change and a crash at any
    moment leaves the previous file. `change(con, batch_id)` does the inserts. With
    `backup`, a copy of the previous file is kept in backups/ first (imports do this).

    Every write keeps the invariants of a final month (README "Invarian"), whatever the change:
    a change to a final month's values (an import, a revert, the demo's removal) is refused
    (FinalMonthChange) unless `koreksi_final` (the admin's correction), which the batch note then
    records; a closing whose month no longer holds any data ends with this batch.
    """
    db_path = Path(db_path)
    # A file name or an account name is one line of plain text: control characters removed, length capped.
    berkas = formatting.tanpa_kendali(str(berkas), "", satu_baris=True).strip()[:MAX_NAME] or "?"
    oleh = formatting.tanpa_kendali(str(oleh), "", satu_baris=True).strip()[:MAX_NAME]
    with writers_lock(db_path):
        sweep_temporaries(db_path)
        problem = damage(db_path)  # the full check: never copy a damaged file into a new version
        if problem:
            raise StoreError(recover_locked(db_path, problem))
        if backup:
            _backup_unlocked(db_path, backup_dir(db_path), keep=BACKUP_KEEP, reason=jenis, automatic=True)
        with next_version(db_path, copy_current=True) as con:
            define_live(con)  # the batches that count (urutan.py), for the checks below and the change
            con.begin()
            query = lambda sql, params: con.execute(sql, params).df()
            guarded = bulan.final_months(query)
            before = bulan.month_values(query, guarded)
            waktu = recorded_time()
            batch_id = f"{jenis}-{waktu:%Y%m%d%H%M%S}-{secrets.token_hex(3)}"
            con.execute(
                "INSERT INTO batch VALUES ($id, $jenis, $berkas, $sha, $oleh, $waktu, FALSE)",
                {"id": batch_id, "jenis": jenis, "berkas": berkas, "sha": hashlib.sha256(content).hexdigest(),
                 "oleh": oleh, "waktu": waktu},
            )
            result = change(con, batch_id)
            _refuse_duplicates(con, batch_id)
            _keep_final_months(con, batch_id, guarded, before, koreksi_final)
            _keep_models_above_floors(con)
            con.commit()
    return result


# Every scored indicator's floor and model value in force (katalog_berlaku: what the pages read).
_MODEL_FLOOR_SQL = f"""
SELECT kode, arah, lantai, model FROM ({INDIKATOR_SQL})
WHERE pilar IS NOT NULL AND lantai IS NOT NULL AND model IS NOT NULL ORDER BY urutan
"""


def _keep_models_above_floors(con: duckdb.DuckDBPyConnection) -> None:
    """Inside a write, after the change: every model value still beats its floor (the one rule,
    build.model_floor_problem), whatever brought it back (an edit, a revert of one)."""
    for kode, arah, lantai, model in con.execute(_MODEL_FLOOR_SQL).fetchall():
        problem = model_floor_problem(arah, model, lantai)
        if problem:
            raise RejectedChange(t("basisdata.katalog.model_lantai_ditolak", kode=kode,
                                   masalah=t(f"impor.model_{problem}", model=_number(model), lantai=_number(lantai))))


def _number(value: float) -> str:
    from metrics.core import formatting
    return formatting.angka(value, 4).rstrip("0").rstrip(",.") if value % 1 else formatting.angka(value, 0)


def recorded_time() -> dt.datetime:
    """The time a batch is recorded at: now, on the app's today (TIRU_HARI_INI in a rehearsal), so
    arrivals and lateness follow the day the app lives in."""
    now = dt.datetime.now()
    return dt.datetime.combine(per.hari_ini(), now.time()).replace(microsecond=now.microsecond)


def _keep_final_months(con: duckdb.DuckDBPyConnection, batch_id: str, guarded: list[int], before, koreksi: bool):
    """Inside a write, after the change: the invariants of final months (see write())."""
    query = lambda sql, params: con.execute(sql, params).df()
    changed = bulan.changed_values(before, bulan.month_values(query, guarded))
    if changed and not koreksi:
        raise FinalMonthChange(changed)
    if changed:
        note = CORRECTION_NOTE + " " + ", ".join(f"{per.fmt(m)} ({n} nilai)" for m, n in changed.items())
        row = con.execute("SELECT catatan FROM batch_ringkasan WHERE batch = $b", {"b": batch_id}).fetchone()
        if row is None:
            summarise(con, batch_id, 0, 0, 0, 0, note)
        elif CORRECTION_NOTE not in (row[0] or ""):  # an import writes its own correction note
            con.execute("UPDATE batch_ringkasan SET catatan = $c WHERE batch = $b",
                        {"c": "; ".join(part for part in (row[0], note) if part), "b": batch_id})
    closed = bulan.closed_months(query)
    with_data = set(bulan.month_table(query)["periode"]) if closed else set()
    for month in closed:
        if month not in with_data:  # final only while it has data: the closing ends with this batch
            con.execute("INSERT INTO bulan_tutup VALUES ($p, 'buka', $a, $b)",
                        {"p": per.to_date(month), "a": "tanpa data", "b": batch_id})


# observasi has no primary key (it took 1,28 GB of a 1,52 GB national file): every write is a
# new batch, so a (kecamatan, periode, indikator) can only repeat inside the incoming batch.
_DUPLICATES_SQL = """
SELECT kode_kecamatan, periode, indikator, count(*) AS n FROM observasi WHERE batch = $batch
GROUP BY ALL HAVING count(*) > 1 ORDER BY kode_kecamatan, periode, indikator LIMIT 5
"""


def _refuse_duplicates(con: duckdb.DuckDBPyConnection, batch_id: str) -> None:
    """Inside a write, before its commit: refuse a batch holding one observation twice."""
    twice = con.execute(_DUPLICATES_SQL, {"batch": batch_id}).fetchall()
    if twice:
        listed = "; ".join(t("basisdata.ganda_satu", kecamatan=kec, periode=f"{periode:%Y-%m}", indikator=ind, n=n)
                           for kec, periode, ind, n in twice)
        raise RejectedChange(t("basisdata.baris_ganda", daftar=listed))


# --------------------------------------------------------------------------- backups


def _backup_unlocked(db_path: Path, directory: Path, keep: int | None = None, reason: str = "manual",
                     automatic: bool = False) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    kind = f"{AUTOMATIC}-" if automatic else ""
    target = directory / f"{db_path.stem}-{kind}{stamp}-{reason}.duckdb"
    partial = target.with_name("." + target.name + ".part")
    sweep_partial_backups(db_path, directory)
    try:
        shutil.copyfile(db_path, partial)
        os.replace(partial, target)
    except OSError as exc:  # a full disk, a folder that cannot be written: no half copy stays
        partial.unlink(missing_ok=True)
        raise StoreError(t("basisdata.cadangan_gagal", path=directory, galat=exc.strerror or exc)) from exc
    if keep and automatic:  # only the automatic copies rotate
        for old in automatic_backups(db_path, directory)[:-keep]:
            old.unlink(missing_ok=True)
    return target


def backup(db_path: Path | None = None, directory: Path | None = None) -> Path:
    """Copy the database (consistent: writers are locked out meanwhile); returns the copy."""
    db_path = Path(db_path or default_db_path())
    if not db_path.exists():
        raise StoreError(t("basisdata.tidak_ada_yang_dicadangkan", path=db_path))
    with writers_lock(db_path):
        return _backup_unlocked(db_path, Path(directory) if directory else backup_dir(db_path))


def restore(db_path: Path | None, source: Path, data_dir: Path = DATA_DIR) -> Path | None:
    """Put a backup back in place (after backing up the current file); returns that backup.

    The candidate is copied and the copy opened read-only; it must be a whole Tiru database:
    not from a newer schema version, every table of data/schema.sql with exactly its columns,
    and every table readable to its last row (a truncated copy fails there). Anything else is
    refused with the reason and the current file is left untouched (byte for byte). Readers
    see the restored file at their next query; a later start rebuilds it if the sources
    changed, keeping its user batches.
    """
    db_path = Path(db_path or default_db_path())
    source = Path(source)
    if not source.is_file():
        raise StoreError(t("basisdata.cadangan_tidak_ditemukan", path=source))
    with writers_lock(db_path):
        sweep_temporaries(db_path)
        tmp = temporary(db_path)
        try:
            shutil.copyfile(source, tmp)
            problem = candidate_problem(tmp, data_dir)
            if problem:  # DuckDB's message names the copy: name the file the user gave
                raise StoreError(
                    t("basisdata.cadangan_ditolak", path=source, alasan=problem.replace(str(tmp), str(source)))
                )
            previous = _backup_unlocked(db_path, backup_dir(db_path), keep=None, reason="sebelum-pulih") \
                if db_path.exists() else None
            swap_in(tmp, db_path)
            clear_recovery_note(db_path)  # the app stops saying the data was rebuilt from the demo
        finally:
            discard(tmp)
    return previous


def _newer(found: str, current: str) -> bool:
    try:
        return int(found) > int(current)
    except ValueError:
        return found != current


def candidate_problem(path: Path, data_dir: Path = DATA_DIR) -> str | None:
    """Why the file at `path` cannot replace the database (in the active language), or None.

    Opened read-only: no table of data/schema.sql may be a view, the columns of every table against
    data/schema.sql, the schema version in meta (a newer one is refused), and the full check of
    build.attached_damage (the file's length, every column of every row read)."""
    expected = schema_columns(data_dir)
    try:
        with contextlib.closing(duckdb.connect(":memory:")) as con:
            con.execute("ATTACH $path AS kandidat (READ_ONLY)", {"path": str(path)})
            found = table_columns(con, "kandidat")
            views = {name for (name,) in con.execute(
                "SELECT view_name FROM duckdb_views() WHERE database_name = 'kandidat' AND NOT internal").fetchall()}
            if views & set(expected):
                return t("basisdata.pulih.bukan_tabel", tabel=", ".join(sorted(views & set(expected))))
            missing = [table for table in expected if table not in found]
            if missing:
                return t("basisdata.pulih.tabel_tidak_ada", tabel=", ".join(missing))
            wrong = [t("basisdata.pulih.kolom_satu", tabel=table,
                       ada=", ".join(f"{c} {k}" for c, k in found[table]),
                       harap=", ".join(f"{c} {k}" for c, k in columns))
                     for table, columns in expected.items() if found[table] != columns]
            if wrong:
                return t("basisdata.pulih.kolom", daftar="; ".join(wrong))
            meta = dict(con.execute("SELECT kunci, nilai FROM kandidat.meta").fetchall())
            version = meta.get("versi_skema")
            if version is not None and _newer(version, SCHEMA_VERSION):
                return t("basisdata.pulih.versi", versi=version, sekarang=SCHEMA_VERSION)
            config = wilayah.baca(data_dir=data_dir)
            if built_for(meta) != (config.kode, config.model):  # another region's data: never mixed in
                kode, model = built_for(meta)
                return t("daerah.cadangan_lain", dibangun=t("daerah.pasangan", kode=kode, model=model),
                         sekarang=t("daerah.pasangan", kode=config.kode, model=config.model))
            return attached_damage(con, "kandidat", path, data_dir)
    except duckdb.Error as exc:
        return t("basisdata.pulih.tidak_terbaca", galat=exc)
    return None


# --------------------------------------------------------------------------- changes inside write()


def remove_demo(con: duckdb.DuckDBPyConnection, data_dir: Path = DATA_DIR) -> int:
    """Inside a write: delete every demo value and remember it (rebuilds keep it removed).

    The demo batch records stay (audit). Returns the number of rows removed.
    """
    removed = 0
    for table in ("observasi", "adopsi", "target", "target_indikator"):
        removed += con.execute(
            f"DELETE FROM {table} WHERE batch IN (SELECT id FROM batch WHERE demo)"
        ).fetchone()[0]
    con.execute("DELETE FROM observasi_pencilan WHERE batch IN (SELECT id FROM batch WHERE demo)")  # their marks
    con.execute("INSERT OR REPLACE INTO meta VALUES ('demo_dihapus', $t)",
                {"t": dt.datetime.now().isoformat(timespec="seconds")})
    # The file now equals a build without demo: record that fingerprint, so no needless rebuild.
    con.execute("INSERT OR REPLACE INTO meta VALUES ('fingerprint', $f)", {"f": fingerprint(data_dir, False)})
    return removed


def summarise(con: duckdb.DuckDBPyConnection, batch_id: str, baris: int, baru: int, berubah: int, sama: int,
              catatan: str | None = None) -> None:
    con.execute("INSERT INTO batch_ringkasan VALUES ($b, $baris, $baru, $berubah, $sama, $c)",
                {"b": batch_id, "baris": baris, "baru": baru, "berubah": berubah, "sama": sama, "c": catatan})
