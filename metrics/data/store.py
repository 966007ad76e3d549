"""The only gateway to DuckDB.

The database is a file built from the committed sources under data/ (reference facts,
catalogues, demo dataset). It is rebuilt when missing or when its sources changed, into a
temporary file that replaces the old one atomically, so readers never see half a build.

Readers (the app, the CLI) open the file read-only: any number of processes can then read
at once. One connection per process is shared by all threads; each query runs on its own
cursor and is fetched fully. When the file is replaced (a rebuild, an import), the next
query notices the new file, waits for running queries, and reopens.

Writers (imports, reverts, catalogue edits, builds, restores) serialise on a lock file next
to the database and never change the file in place: write() copies it, changes the copy in
one transaction, fsyncs and swaps it in with os.replace. Readers in any number of processes
(several app processes behind a proxy, the CLI) therefore see the old file or the new one,
never half, and a crash or kill -9 leaves the old file (a stray temp file is removed by the
next writer). Imports keep a copy of the previous file in backups/ (the last BACKUP_KEEP).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import os
import secrets
import shutil
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

import duckdb
import pandas as pd

from metrics.core import periode as per
from metrics.core.bahasa import t

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / "data"
SCHEMA_VERSION = "5"  # 5: inovasi_indikator.ukur (the innovation changes how the indicator is measured)
BACKUP_KEEP = 10  # automatic backups kept in <database folder>/backups/
MEMORY_LIMIT = os.environ.get("TIRU_DUCKDB_MEMORY", "1GB")  # shares the process with Streamlit
# The regions the product shows (Asahan is ranked, Cimahi is the model). Reads of observations
# and events default to them, so a database holding other regions (the national-scale bench,
# a later roll-out) costs the pages nothing; pass wilayah=SEMUA_WILAYAH to read every region.
WILAYAH_PRODUK = ("Asahan", "Cimahi")
SEMUA_WILAYAH = None

DEMO_FILES = ("demo/observasi.csv", "demo/adopsi.csv", "demo/target.csv", "demo/target_indikator.csv")
SOURCE_FILES = (
    "schema.sql",
    "reference/kecamatan.csv",
    "reference/ombudsman_kepatuhan.csv",
    "catalog/pilar.csv",
    "catalog/indikator.csv",
    "catalog/model.csv",
    "catalog/inovasi.csv",
)


class StoreError(RuntimeError):
    """The database cannot be built or opened; the message says why, in the active language."""


class RejectedChange(ValueError):
    """A change that would put wrong data in the database; nothing was written."""


def default_db_path() -> Path:
    return Path(os.environ.get("TIRU_DB") or DATA_DIR / "tiru.duckdb")


def default_with_demo() -> bool:
    """TIRU_DEMO=0 builds without the demo dataset (reference facts and catalogues only)."""
    return os.environ.get("TIRU_DEMO", "1") != "0"


# --------------------------------------------------------------------------- building


def _read_csv(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise StoreError(t("basisdata.sumber_tidak_ada", path=path))
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def fingerprint(data_dir: Path, with_demo: bool) -> str:
    """sha256 over the source files' names and contents (and whether demo is included)."""
    digest = hashlib.sha256(f"schema {SCHEMA_VERSION} demo {with_demo}\n".encode())
    for name in SOURCE_FILES + (DEMO_FILES if with_demo else ()):
        path = data_dir / name
        digest.update(name.encode() + b"\0")
        digest.update(path.read_bytes() if path.exists() else b"<missing>")
    return digest.hexdigest()


def _none_if_empty(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.replace({"": None})


def _check_catalog(indikator: pd.DataFrame, model: pd.DataFrame, pilar: pd.DataFrame) -> None:
    """Refuse a catalogue the scoring could not use, naming the file and row."""
    problems = []
    known_pillars = set(pilar["kode"])
    models = dict(zip(model["indikator"], model["nilai"]))
    for row_no, row in enumerate(indikator.itertuples(index=False), start=2):
        if not row.pilar:
            continue
        where = t("basisdata.katalog.tempat", baris=row_no, kode=row.kode)
        if row.pilar not in known_pillars:
            problems.append(t("basisdata.katalog.pilar_tidak_ada", tempat=where, pilar=row.pilar))
        if row.kode not in models:
            problems.append(t("basisdata.katalog.model_tidak_ada", tempat=where))
        elif not row.lantai or float(row.lantai) == float(models[row.kode]):
            problems.append(t("basisdata.katalog.lantai", tempat=where))
        elif (row.arah == "higher") != (float(models[row.kode]) > float(row.lantai)):
            problems.append(t("basisdata.katalog.arah", tempat=where, arah=row.arah))
    if problems:
        raise StoreError(t("basisdata.katalog.tidak_dapat_dipakai") + "\n" + "\n".join(problems))


def _codes(text) -> list[str]:
    return [code for code in str(text or "").split(";") if code]


def _check_measured(inovasi: pd.DataFrame) -> None:
    """indikator_ukur (indicators whose measurement the innovation itself changes) names linked indicators only."""
    if "indikator_ukur" not in inovasi:
        return
    problems = [
        t("basisdata.katalog.ukur_tidak_terkait", baris=row_no, kode=row.kode, indikator=code)
        for row_no, row in enumerate(inovasi.itertuples(index=False), start=2)
        for code in _codes(row.indikator_ukur) if code not in _codes(row.indikator)
    ]
    if problems:
        raise StoreError(t("basisdata.katalog.tidak_dapat_dipakai") + "\n" + "\n".join(problems))


def build(db_path: Path | None = None, data_dir: Path = DATA_DIR, with_demo: bool = True) -> Path:
    """(Re)build the database from data/ into a temporary file, then replace atomically.

    What users entered (every non-demo batch: events, undos, later imports) is carried over
    from the database being replaced, so a rebuild never loses it.
    """
    db_path = Path(db_path or default_db_path())
    db_path.parent.mkdir(parents=True, exist_ok=True)
    if db_path.exists():
        meta = _built_meta(db_path)  # raises when another process holds the file
        if meta is None:
            _set_aside(db_path)
        elif "demo_dihapus" in meta:
            with_demo = False  # removed by an import: never comes back
    with _next_version(db_path, copy_current=False) as con:
        _load(con, data_dir, with_demo)
        if db_path.exists():
            _carry_over(con, db_path)
    return db_path


@contextlib.contextmanager
def _next_version(db_path: Path, copy_current: bool):
    """A connection to the next version of the file, built beside it and swapped in whole
    when the block ends without error; otherwise the current file stays as it was."""
    tmp = _temporary(db_path)
    try:
        if copy_current:
            shutil.copyfile(db_path, tmp)
        con = duckdb.connect(str(tmp), config={"memory_limit": MEMORY_LIMIT})
        try:
            yield con
            con.execute("CHECKPOINT")
        finally:
            con.close()
        _replace(tmp, db_path)
    finally:
        _discard(tmp)


def _temporary(db_path: Path) -> Path:
    tmp = db_path.with_name(f".{db_path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    _discard(tmp)
    return tmp


def _discard(tmp: Path) -> None:
    tmp.unlink(missing_ok=True)
    Path(str(tmp) + ".wal").unlink(missing_ok=True)


def _replace(tmp: Path, db_path: Path) -> None:
    """Durably swap the new file in: readers see the old file or the new one, never half."""
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, db_path)
    directory = os.open(db_path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


# Tables holding what users entered; rows belong to a non-demo batch.
USER_TABLES = ("batch", "observasi", "adopsi", "adopsi_batal", "target", "target_indikator", "batch_ringkasan",
               "batch_batal", "katalog_ubah", "skm_hasil")
# Facts about what users did that a rebuild keeps (the demo, once removed, stays removed).
USER_META = ("demo_dihapus",)


def _carry_over(con: duckdb.DuckDBPyConnection, old_path: Path) -> None:
    try:
        con.execute("ATTACH $path AS lama (READ_ONLY)", {"path": str(old_path)})
    except duckdb.Error:
        return  # unreadable old file: nothing can be carried (it is replaced, not lost: see backups)
    try:
        old_tables = set(con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'lama'").df()["table_name"])
        for table in USER_TABLES:
            if table not in old_tables:
                continue
            new_cols = con.execute(f"SELECT * FROM main.{table} LIMIT 0").df().columns
            old_cols = set(con.execute(f"SELECT * FROM lama.{table} LIMIT 0").df().columns)
            cols = [c for c in new_cols if c in old_cols]
            user_rows = "NOT demo" if table == "batch" else "batch IN (SELECT id FROM lama.batch WHERE NOT demo)"
            select = ", ".join(cols)
            if table == "adopsi":  # user events come after the demo events, in their old order
                select = select.replace(
                    "urutan", "(SELECT coalesce(max(urutan), 0) FROM main.adopsi) + row_number() OVER (ORDER BY urutan)"
                )
            con.execute(f"INSERT INTO main.{table} ({', '.join(cols)}) SELECT {select} FROM lama.{table} WHERE {user_rows}")
        if "meta" in old_tables:
            con.execute("INSERT OR REPLACE INTO main.meta SELECT * FROM lama.meta WHERE kunci IN $keys",
                        {"keys": list(USER_META)})
    finally:
        con.execute("DETACH lama")


@contextlib.contextmanager
def _locked(db_path: Path):
    """Exclusive lock of the database's writers (builds, writes, backups, restores)."""
    with open(db_path.with_name(f".{db_path.name}.lock"), "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(t("basisdata.menunggu_penulis", nama=db_path.name), file=sys.stderr, flush=True)
            fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _sweep_temporaries(db_path: Path) -> None:
    """Remove temp files left by a writer killed midway (called under the lock)."""
    for stray in db_path.parent.glob(f".{db_path.name}.*.tmp*"):
        stray.unlink(missing_ok=True)


def write(db_path: Path, change, *, jenis: str, oleh: str, berkas: str = "formulir", content: bytes = b"",
          backup: bool = False):
    """Apply one change as a new batch, whole or not at all, and make it visible to readers.

    The database is copied, changed in one transaction, and swapped in atomically, so
    readers (in this and other processes) never see half a change and a crash at any
    moment leaves the previous file. `change(con, batch_id)` does the inserts. With
    `backup`, a copy of the previous file is kept in backups/ first (imports do this).
    """
    db_path = Path(db_path)
    with _locked(db_path):
        _sweep_temporaries(db_path)
        if backup:
            _backup_unlocked(db_path, backup_dir(db_path), keep=BACKUP_KEEP, reason=jenis)
        with _next_version(db_path, copy_current=True) as con:
            con.begin()
            batch_id = f"{jenis}-{dt.datetime.now():%Y%m%d%H%M%S}-{secrets.token_hex(3)}"
            con.execute(
                "INSERT INTO batch VALUES ($id, $jenis, $berkas, $sha, $oleh, now()::TIMESTAMP, FALSE)",
                {"id": batch_id, "jenis": jenis, "berkas": berkas, "sha": hashlib.sha256(content).hexdigest(),
                 "oleh": oleh},
            )
            result = change(con, batch_id)
            _refuse_duplicates(con, batch_id)
            con.commit()
    return result


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


def backup_dir(db_path: Path) -> Path:
    return Path(db_path).parent / "backups"


def _backup_unlocked(db_path: Path, directory: Path, keep: int | None = None, reason: str = "manual") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = directory / f"{db_path.stem}-{stamp}-{reason}.duckdb"
    partial = target.with_name("." + target.name + ".part")
    shutil.copyfile(db_path, partial)
    os.replace(partial, target)
    if keep:
        copies = sorted(directory.glob(f"{db_path.stem}-*.duckdb"))
        for old in copies[:-keep]:
            old.unlink(missing_ok=True)
    return target


def backup(db_path: Path | None = None, directory: Path | None = None) -> Path:
    """Copy the database (consistent: writers are locked out meanwhile); returns the copy."""
    db_path = Path(db_path or default_db_path())
    if not db_path.exists():
        raise StoreError(t("basisdata.tidak_ada_yang_dicadangkan", path=db_path))
    with _locked(db_path):
        return _backup_unlocked(db_path, Path(directory) if directory else backup_dir(db_path))


def restore(db_path: Path | None, source: Path) -> Path:
    """Put a backup back in place (after backing up the current file); returns that backup.

    The source must be a Tiru database (tables batch, observasi and meta). Readers see the
    restored file at their next query; a later start rebuilds it if the sources changed,
    keeping its user batches.
    """
    db_path = Path(db_path or default_db_path())
    source = Path(source)
    if not source.is_file():
        raise StoreError(t("basisdata.cadangan_tidak_ditemukan", path=source))
    with _locked(db_path):
        tmp = _temporary(db_path)
        try:
            shutil.copyfile(source, tmp)
            try:
                with contextlib.closing(duckdb.connect(str(tmp), read_only=True)) as con:
                    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
            except duckdb.Error as exc:
                raise StoreError(t("basisdata.cadangan_tidak_terbaca", path=source, galat=exc)) from exc
            if not {"batch", "observasi", "meta"} <= tables:
                raise StoreError(t("basisdata.cadangan_bukan_tiru", path=source))
            previous = _backup_unlocked(db_path, backup_dir(db_path), keep=None, reason="sebelum-pulih") \
                if db_path.exists() else None
            _replace(tmp, db_path)
        finally:
            _discard(tmp)
    return previous


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
    con.execute("INSERT OR REPLACE INTO meta VALUES ('demo_dihapus', $t)",
                {"t": dt.datetime.now().isoformat(timespec="seconds")})
    # The file now equals a build without demo: record that fingerprint, so no needless rebuild.
    con.execute("INSERT OR REPLACE INTO meta VALUES ('fingerprint', $f)", {"f": fingerprint(data_dir, False)})
    return removed


def summarise(con: duckdb.DuckDBPyConnection, batch_id: str, baris: int, baru: int, berubah: int, sama: int,
              catatan: str | None = None) -> None:
    con.execute("INSERT INTO batch_ringkasan VALUES ($b, $baris, $baru, $berubah, $sama, $c)",
                {"b": batch_id, "baris": baris, "baru": baru, "berubah": berubah, "sama": sama, "c": catatan})


def _load(con: duckdb.DuckDBPyConnection, data_dir: Path, with_demo: bool) -> None:
    con.execute((data_dir / "schema.sql").read_text(encoding="utf-8"))
    kecamatan = _none_if_empty(_read_csv(data_dir / "reference/kecamatan.csv"))
    pilar = _read_csv(data_dir / "catalog/pilar.csv")
    indikator = _read_csv(data_dir / "catalog/indikator.csv")
    model = _read_csv(data_dir / "catalog/model.csv")
    inovasi = _read_csv(data_dir / "catalog/inovasi.csv")
    ombudsman = _none_if_empty(_read_csv(data_dir / "reference/ombudsman_kepatuhan.csv"))
    _check_catalog(indikator, model, pilar)

    def insert(table: str, frame: pd.DataFrame, columns: list[str]) -> None:
        con.register("incoming", frame[columns])
        con.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT * FROM incoming")
        con.unregister("incoming")

    insert("kecamatan", kecamatan, list(kecamatan.columns))
    insert("pilar", pilar, list(pilar.columns))
    insert("indikator", _none_if_empty(indikator), list(indikator.columns))
    insert("model", model, list(model.columns))
    inovasi["urutan"] = range(1, len(inovasi) + 1)
    insert("inovasi", inovasi, ["kode", "nama", "nama_en", "deskripsi", "deskripsi_en", "urutan"])
    links = inovasi.assign(indikator=inovasi["indikator"].str.split(";")).explode("indikator")
    _check_measured(inovasi)
    measured = links["indikator_ukur"] if "indikator_ukur" in links else [""] * len(links)
    links["ukur"] = [ind in _codes(own) for ind, own in zip(links["indikator"], measured)]
    insert("inovasi_indikator", links.rename(columns={"kode": "inovasi"}), ["inovasi", "indikator", "ukur"])
    ombudsman = ombudsman.rename(columns={"kode_kemendagri": "kode", "source": "sumber"})
    insert("ombudsman", ombudsman, ["wilayah", "kode", "tahun", "nilai", "zona", "kategori", "sumber"])

    if with_demo:
        _load_demo(con, data_dir, insert)
    con.execute(
        "INSERT INTO meta VALUES ('fingerprint', $f), ('dibangun', $t)",
        {"f": fingerprint(data_dir, with_demo), "t": dt.datetime.now().isoformat(timespec="seconds")},
    )


def _load_demo(con, data_dir: Path, insert) -> None:
    built = dt.datetime.now().replace(microsecond=0)
    for name, jenis in zip(DEMO_FILES, ("observasi", "adopsi", "target", "target_indikator")):
        content = (data_dir / name).read_bytes()
        sha = hashlib.sha256(content).hexdigest()
        batch_id = f"demo-{jenis}-{sha[:8]}"
        con.execute(
            "INSERT INTO batch VALUES ($id, $jenis, $berkas, $sha, 'metrics/data/demo.py', $waktu, TRUE)",
            {"id": batch_id, "jenis": jenis, "berkas": f"data/{name}", "sha": sha, "waktu": built},
        )
        frame = _read_csv(data_dir / name).assign(batch=batch_id)
        if jenis == "observasi":
            _refuse_demo_duplicates(frame, name)
            frame["periode"] = frame["periode"] + "-01"
            insert("observasi", _none_if_empty(frame), list(frame.columns))
        elif jenis == "adopsi":
            frame["urutan"] = range(1, len(frame) + 1)
            frame["id"] = [f"demo-{n}" for n in frame["urutan"]]
            insert("adopsi", _none_if_empty(frame), list(frame.columns))
        else:
            insert(jenis, _none_if_empty(frame), list(frame.columns))


def _refuse_demo_duplicates(frame: pd.DataFrame, name: str) -> None:
    """The demo observations hold each (kecamatan, periode, indikator) once (no key checks it)."""
    twice = frame.duplicated(["kode_kecamatan", "periode", "indikator"])
    if twice.any():
        row = frame[twice].iloc[0]
        raise StoreError(t("basisdata.demo_ganda", berkas=name, baris=int(twice.to_numpy().argmax()) + 2,
                           kecamatan=row["kode_kecamatan"], periode=row["periode"], indikator=row["indikator"]))


def _built_meta(db_path: Path) -> dict[str, str] | None:
    """The file's meta table; None when the file is not a readable Tiru database (corrupt or
    foreign). A file locked by another process is an error, never a reason to rebuild: that
    would replace what users entered."""
    # ATTACH from an in-memory connection: works even while this process's Store holds the
    # file open (a second connect() to the same path with another configuration is refused).
    try:
        with contextlib.closing(duckdb.connect(":memory:")) as con:
            con.execute("ATTACH $path AS dibangun (READ_ONLY)", {"path": str(db_path)})
            return dict(con.execute("SELECT kunci, nilai FROM dibangun.meta").fetchall())
    except duckdb.Error as exc:
        if "lock" in str(exc).lower():
            raise StoreError(t("basisdata.dikunci", path=db_path, galat=exc)) from exc
        return None


def _built_fingerprint(db_path: Path) -> str | None:
    return (_built_meta(db_path) or {}).get("fingerprint")


def _set_aside(db_path: Path) -> Path:
    """Move an unreadable database out of the way (never delete it) and say so."""
    aside = db_path.with_name(f"{db_path.name}.rusak-{dt.datetime.now():%Y%m%d%H%M%S}")
    os.replace(db_path, aside)
    print(t("basisdata.disisihkan", path=db_path, sisih=aside), file=sys.stderr)
    return aside


def ensure_built(db_path: Path | None = None, data_dir: Path = DATA_DIR, with_demo: bool | None = None) -> Path:
    """Build the database when it is missing or older than its sources; return its path.

    A lock file serialises builders, so two processes starting at once build once.
    """
    db_path = Path(db_path or default_db_path())
    with_demo = default_with_demo() if with_demo is None else with_demo
    meta = _built_meta(db_path) if db_path.exists() else {}
    if meta and "demo_dihapus" in meta:
        with_demo = False  # the demo was removed by an import; build() keeps it removed
    wanted = fingerprint(data_dir, with_demo)
    if meta and meta.get("fingerprint") == wanted:
        return db_path
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        with open(db_path.with_name(f".{db_path.name}.lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if db_path.exists() and _built_meta(db_path) is None:
                _set_aside(db_path)
            if not (db_path.exists() and _built_fingerprint(db_path) == wanted):
                build(db_path, data_dir, with_demo)
    except OSError as exc:
        raise StoreError(t("basisdata.tidak_dapat_dibangun", path=db_path, galat=exc.strerror or exc)) from exc
    return db_path


# --------------------------------------------------------------------------- reading


class _ReadersWriter:
    """Many concurrent queries, or one reopen: a reopen waits for running queries."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False

    @contextlib.contextmanager
    def read(self):
        with self._cond:
            while self._writing:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextlib.contextmanager
    def write(self):
        with self._cond:
            while self._writing or self._readers:
                self._cond.wait()
            self._writing = True
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()


# Effective observations: per (kecamatan, periode, indikator) the value of the latest batch
# that was not reverted. Every filter is on the partition's own key (kecamatan, periode) or on
# the batch, so it never changes which row wins; DuckDB skips the row groups of other regions.
# Grain: kecamatan × month × indicator; nilai in the indicator's unit; periode first of month.
_OBSERVASI_SQL = """
SELECT o.kode_kecamatan, o.periode, o.indikator, o.nilai, o.sumber, o.catatan, o.batch, b.demo
FROM observasi o JOIN batch b ON b.id = o.batch
WHERE o.periode BETWEEN $dari AND $sampai
  AND o.batch NOT IN (SELECT batch FROM batch_batal)
  AND ($kecamatan IS NULL OR o.kode_kecamatan = $kecamatan)
  {wilayah}
QUALIFY row_number() OVER (
    PARTITION BY o.kode_kecamatan, o.periode, o.indikator ORDER BY b.waktu DESC, b.id DESC) = 1
ORDER BY o.kode_kecamatan, o.periode, o.indikator
"""
_IN_WILAYAH = "AND {kolom} IN (SELECT kode FROM kecamatan WHERE list_contains($wilayah, wilayah))"

# The same, only for the months and kecamatan of incoming rows (the change check of an import).
# $demo FALSE leaves demo batches out (an import that removes the demo compares with the rest).
_OBSERVASI_MASUK_SQL = """
SELECT o.kode_kecamatan, o.periode, o.indikator, o.nilai, o.sumber, o.catatan, o.batch, b.demo
FROM observasi o JOIN batch b ON b.id = o.batch
WHERE o.periode BETWEEN $dari AND $sampai AND list_contains($bulan, o.periode)
  AND o.kode_kecamatan BETWEEN $kec_min AND $kec_max AND list_contains($kecamatan, o.kode_kecamatan)
  AND o.batch NOT IN (SELECT batch FROM batch_batal) AND ($demo OR NOT b.demo)
QUALIFY row_number() OVER (
    PARTITION BY o.kode_kecamatan, o.periode, o.indikator ORDER BY b.waktu DESC, b.id DESC) = 1
"""


def _scope(wilayah: Sequence[str] | None, kolom: str) -> tuple[str, dict]:
    """SQL condition and parameters limiting `kolom` (a kecamatan code) to the regions."""
    if wilayah is SEMUA_WILAYAH:
        return "", {}
    if isinstance(wilayah, str):
        wilayah = (wilayah,)
    return _IN_WILAYAH.format(kolom=kolom), {"wilayah": list(wilayah)}


def current_observations(query, incoming: pd.DataFrame, with_demo: bool = True) -> pd.DataFrame:
    """Effective observations of the (kode_kecamatan, periode) pairs of `incoming` (periode a
    month index), for comparing an import with what is there: reads those months and kecamatan
    only, never the whole table. `query(sql, params)` is Store.query, or a connection's
    execute(...).df() inside a write. periode comes back as a date, as stored."""
    columns = ["kode_kecamatan", "periode", "indikator", "nilai", "sumber", "catatan", "batch", "demo"]
    if incoming.empty:
        return pd.DataFrame(columns=columns)
    pairs = incoming[["kode_kecamatan", "periode"]].drop_duplicates()
    months = sorted({per.to_date(int(m)) for m in pairs["periode"]})
    codes = sorted(set(pairs["kode_kecamatan"]))
    frame = query(_OBSERVASI_MASUK_SQL, {
        "dari": months[0], "sampai": months[-1], "bulan": months,
        "kec_min": codes[0], "kec_max": codes[-1], "kecamatan": codes, "demo": with_demo})
    wanted = {(kode, per.to_date(int(m))) for kode, m in zip(pairs["kode_kecamatan"], pairs["periode"])}
    keep = pd.Series([(kode, pd.Timestamp(p).date()) in wanted
                      for kode, p in zip(frame["kode_kecamatan"], frame["periode"])], index=frame.index, dtype=bool)
    return frame.loc[keep, columns].reset_index(drop=True)


# Effective catalogue edits: per (jenis, kode) the latest batch that was not reverted.
_EDITS_SQL = """
SELECT k.jenis, k.kode, k.nilai, k.sumber, k.tanggal FROM katalog_ubah k JOIN batch b ON b.id = k.batch
WHERE k.batch NOT IN (SELECT batch FROM batch_batal)
QUALIFY row_number() OVER (PARTITION BY k.jenis, k.kode ORDER BY b.waktu DESC, b.id DESC) = 1
"""


class Store:
    """Read-only access to the Tiru database, safe to share between threads."""

    def __init__(self, db_path: Path | None = None) -> None:
        self.path = Path(db_path or default_db_path())
        self._lock = _ReadersWriter()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._identity: tuple[int, int] | None = None

    # The file's identity changes when it is replaced by a rebuild or an import.
    def _file_identity(self) -> tuple[int, int]:
        try:
            stat = self.path.stat()
        except FileNotFoundError as exc:
            raise StoreError(t("basisdata.tidak_ditemukan", path=self.path)) from exc
        return stat.st_ino, stat.st_mtime_ns

    @property
    def generation(self) -> tuple[str, int, int]:
        """Path and file identity: changes whenever the file is replaced; use it in cache keys."""
        return (str(self.path), *self._file_identity())

    def _reopen_if_replaced(self) -> None:
        identity = self._file_identity()
        if identity == self._identity and self._con is not None:
            return
        with self._lock.write():
            if identity == self._identity and self._con is not None:
                return
            if self._con is not None:
                self._con.close()  # must close first, or DuckDB hands back the old file
            try:
                # An in-memory instance that ATTACHes the file: duckdb.connect(path) would hand back
                # a cached instance of the *old* file while any other connection in this process
                # (another Store, a test) still has it open; ATTACH always opens the current file.
                con = duckdb.connect(":memory:", config={"memory_limit": MEMORY_LIMIT})
                try:
                    con.execute("ATTACH $path AS tiru (READ_ONLY)", {"path": str(self.path)})
                except duckdb.Error:
                    con.close()
                    raise
                self._con = con
            except duckdb.Error as exc:
                self._con = None
                raise StoreError(t("basisdata.tidak_dapat_dibuka", path=self.path, galat=exc)) from exc
            self._identity = identity

    def query(self, sql: str, params: dict | None = None) -> pd.DataFrame:
        """Run one read query with bound parameters and return it fully fetched."""
        self._reopen_if_replaced()
        with self._lock.read():
            cursor = self._con.cursor()
            try:
                cursor.execute("USE tiru")  # each cursor is a new connection to the instance
                return cursor.execute(sql, params or {}).df()
            finally:
                cursor.close()

    def close(self) -> None:
        with self._lock.write():
            if self._con is not None:
                self._con.close()
            self._con, self._identity = None, None

    # ----------------------------------------------------------------- domain reads

    def kecamatan(self, wilayah: str | None = None) -> pd.DataFrame:
        # Grain: one row per kecamatan; penduduk persons (NULL = unknown), luas km².
        return self.query(
            "SELECT * FROM kecamatan WHERE $w IS NULL OR wilayah = $w ORDER BY kode", {"w": wilayah}
        )

    def pilar(self) -> pd.DataFrame:
        """Pillars with their effective weight (an admin's latest edit, else the catalogue's)."""
        return self.query(
            f"""WITH e AS ({_EDITS_SQL})
                SELECT p.kode, p.nama, p.nama_en, coalesce(e.nilai, p.bobot) AS bobot, p.urutan
                FROM pilar p LEFT JOIN e ON e.jenis = 'bobot' AND e.kode = p.kode ORDER BY p.urutan"""
        ).set_index("kode")

    def indikator(self) -> pd.DataFrame:
        """Catalogue with the model value and its source, index `kode`, catalogue order.

        Model values and floors are the admin's latest edits where there are any."""
        return self.query(
            f"""WITH e AS ({_EDITS_SQL})
               SELECT i.* REPLACE (coalesce(f.nilai, i.lantai) AS lantai),
                      coalesce(em.nilai, m.nilai) AS model,
                      CASE WHEN em.nilai IS NULL THEN m.sumber ELSE em.sumber END AS model_sumber,
                      CASE WHEN em.nilai IS NULL THEN m.sumber_en END AS model_sumber_en,
                      CASE WHEN em.nilai IS NULL THEN m.tanggal ELSE em.tanggal END AS model_tanggal
               FROM indikator i LEFT JOIN model m ON m.indikator = i.kode
               LEFT JOIN e em ON em.jenis = 'model' AND em.kode = i.kode
               LEFT JOIN e f ON f.jenis = 'lantai' AND f.kode = i.kode
               ORDER BY i.urutan"""
        ).set_index("kode")

    def catalogue_edits(self) -> pd.DataFrame:
        """Every edit of model values, floors and weights, newest first, with who and whether reverted."""
        return self.query(
            """SELECT k.jenis, k.kode, k.nilai, k.sumber, k.tanggal, k.batch, b.oleh, b.waktu,
                      r.batch IS NOT NULL AS dibatalkan
               FROM katalog_ubah k JOIN batch b ON b.id = k.batch LEFT JOIN batch_batal r ON r.batch = k.batch
               ORDER BY b.waktu DESC, b.id DESC, k.jenis, k.kode"""
        )

    def skm(self) -> pd.DataFrame:
        """IKM per kecamatan and semester computed from SKM answers (effective: latest batch, not reverted)."""
        return self.query(
            """SELECT s.* FROM skm_hasil s JOIN batch b ON b.id = s.batch
               WHERE s.batch NOT IN (SELECT batch FROM batch_batal)
               QUALIFY row_number() OVER (PARTITION BY s.kode_kecamatan, s.periode ORDER BY b.waktu DESC, b.id DESC) = 1
               ORDER BY s.periode, s.kode_kecamatan"""
        )

    def observasi(self, dari: int, sampai: int, kecamatan: str | None = None,
                  wilayah: Sequence[str] | None = WILAYAH_PRODUK) -> pd.DataFrame:
        """Effective observations from month `dari` to `sampai` (month indexes, inclusive) of the
        kecamatan of `wilayah` (default: the product's regions, Asahan and Cimahi; SEMUA_WILAYAH
        for every region), or of one kecamatan.

        periode comes back as a month index, as the engine expects.
        """
        where, params = _scope(wilayah, "o.kode_kecamatan")
        frame = self.query(
            _OBSERVASI_SQL.format(wilayah=where),
            {"dari": per.to_date(dari), "sampai": per.to_date(sampai), "kecamatan": kecamatan, **params},
        )
        frame["periode"] = [per.from_date(value) for value in frame["periode"]]
        return frame

    def periods(self, wilayah: str = "Asahan") -> list[int]:
        """Months with at least one observation in the region, ascending."""
        frame = self.query(
            """SELECT DISTINCT o.periode FROM observasi o JOIN kecamatan k ON k.kode = o.kode_kecamatan
               WHERE k.wilayah = $w AND o.batch NOT IN (SELECT batch FROM batch_batal) ORDER BY 1""",
            {"w": wilayah},
        )
        return [per.from_date(value) for value in frame["periode"]]

    def latest_period(self, wilayah: str = "Asahan") -> int | None:
        months = self.periods(wilayah)
        return months[-1] if months else None

    def has_demo(self) -> bool:
        """True while any demo batch holds data (observations or events)."""
        # Uncorrelated EXISTS with LIMIT 1: stops at the first row instead of joining every row.
        frame = self.query(
            """SELECT (EXISTS (SELECT 1 FROM observasi WHERE batch IN (SELECT id FROM batch WHERE demo) LIMIT 1)
                    OR EXISTS (SELECT 1 FROM adopsi WHERE batch IN (SELECT id FROM batch WHERE demo) LIMIT 1)) AS ada"""
        )
        return bool(frame["ada"].iloc[0])

    def inovasi(self) -> pd.DataFrame:
        """Innovation catalogue with its linked indicators as a list, index `kode`; indikator_ukur
        lists those whose measurement the innovation itself changes (no impact verdict on them)."""
        return self.query(
            """SELECT v.*, list(l.indikator ORDER BY l.indikator) AS indikator,
                      coalesce(list(l.indikator ORDER BY l.indikator) FILTER (WHERE l.ukur), []) AS indikator_ukur
               FROM inovasi v LEFT JOIN inovasi_indikator l ON l.inovasi = v.kode
               GROUP BY ALL ORDER BY v.urutan"""
        ).set_index("kode")

    def adopsi(self, with_undone: bool = False, wilayah: Sequence[str] | None = WILAYAH_PRODUK) -> pd.DataFrame:
        """Adoption events of the kecamatan of `wilayah` (default: the product's regions;
        SEMUA_WILAYAH for every region) in the order they were recorded; undone events only on
        request (then with the undo's alasan, oleh and waktu as batal_*)."""
        # An event of a reverted batch counts as undone, with the revert's reason.
        where, params = _scope(wilayah, "a.kode_kecamatan")
        return self.query(
            f"""SELECT a.*, coalesce(u.alasan, r.alasan) AS batal_alasan, coalesce(u.oleh, r.oleh) AS batal_oleh,
                      coalesce(u.waktu, r.waktu) AS batal_waktu
               FROM adopsi a LEFT JOIN adopsi_batal u ON u.adopsi_id = a.id
               LEFT JOIN batch_batal r ON r.batch = a.batch
               WHERE ($all OR (u.adopsi_id IS NULL AND r.batch IS NULL)) {where} ORDER BY a.urutan""",
            {"all": with_undone, **params},
        )

    # ----------------------------------------------------------------- writes

    def record_adoption(self, kode_kecamatan: str, inovasi: str, tahap: int, tanggal: dt.date,
                        bukti: str, oleh: str) -> str:
        """Record one stage change; returns the event id. Raises RejectedChange."""
        problems = []
        kecamatan = self.kecamatan("Asahan")
        if kode_kecamatan not in set(kecamatan["kode"]):
            problems.append(t("basisdata.tahap.bukan_asahan", kode=kode_kecamatan))
        if inovasi not in set(self.inovasi().index):
            problems.append(t("basisdata.tahap.inovasi_tidak_ada", kode=inovasi))
        if not isinstance(tahap, int) or not 0 <= tahap <= 4:
            problems.append(t("basisdata.tahap.tahap_salah", tahap=tahap))
        if not isinstance(tanggal, dt.date) or tanggal > dt.date.today():
            problems.append(t("basisdata.tahap.masa_depan", tanggal=tanggal))
        if not str(oleh or "").strip():
            problems.append(t("basisdata.tahap.pencatat"))
        if problems:
            raise RejectedChange(t("basisdata.tahap.tidak_dicatat", masalah="; ".join(problems)))
        event_id = secrets.token_hex(8)

        def insert(con, batch_id):
            con.execute(
                """INSERT INTO adopsi SELECT coalesce(max(urutan), 0) + 1, $id, $kec, $inovasi, $tahap, $tanggal,
                   $bukti, $oleh, $batch FROM adopsi""",
                {"id": event_id, "kec": kode_kecamatan, "inovasi": inovasi, "tahap": tahap, "tanggal": tanggal,
                 "bukti": (bukti or "").strip() or None, "oleh": oleh.strip(), "batch": batch_id},
            )
            return event_id

        return self.write(insert, jenis="adopsi", oleh=oleh.strip())

    def undo_adoption(self, event_id: str, oleh: str, alasan: str) -> None:
        """Mark an event as entered by mistake; it stays in the history. Raises RejectedChange."""
        events = self.adopsi(with_undone=True, wilayah=SEMUA_WILAYAH).set_index("id")
        if event_id not in events.index:
            raise RejectedChange(t("basisdata.peristiwa.tidak_ditemukan", id=event_id))
        if pd.notna(events.loc[event_id, "batal_waktu"]):
            raise RejectedChange(t("basisdata.peristiwa.sudah_dibatalkan"))
        if not str(alasan or "").strip() or not str(oleh or "").strip():
            raise RejectedChange(t("basisdata.peristiwa.alasan_wajib"))

        def insert(con, batch_id):
            con.execute(
                "INSERT INTO adopsi_batal VALUES ($id, $alasan, $oleh, now()::TIMESTAMP, $batch)",
                {"id": event_id, "alasan": alasan.strip(), "oleh": oleh.strip(), "batch": batch_id},
            )

        self.write(insert, jenis="adopsi-batal", oleh=oleh.strip())

    def write(self, change, **batch):
        """Apply `change(con, batch_id)` through the module's write(); readers see it next query."""
        return write(self.path, change, **batch)

    def target(self) -> pd.DataFrame:
        """Stage targets; per (inovasi, tahap, kecamatan) the latest batch's date wins (reverted ignored)."""
        return self.query(
            """SELECT t.* FROM target t JOIN batch b ON b.id = t.batch
               WHERE t.batch NOT IN (SELECT batch FROM batch_batal)
               QUALIFY row_number() OVER (PARTITION BY t.inovasi, t.tahap, t.kode_kecamatan
                                          ORDER BY b.waktu DESC, b.id DESC) = 1
               ORDER BY t.inovasi, t.tanggal, t.kode_kecamatan NULLS FIRST""")

    def target_indikator(self) -> pd.DataFrame:
        """Indicator targets (value by date), all kecamatan (NULL) or one; per (indikator, tanggal,
        kecamatan) the latest batch's value wins (reverted ignored)."""
        return self.query(
            """SELECT t.* FROM target_indikator t JOIN batch b ON b.id = t.batch
               WHERE t.batch NOT IN (SELECT batch FROM batch_batal)
               QUALIFY row_number() OVER (PARTITION BY t.indikator, t.tanggal, t.kode_kecamatan
                                          ORDER BY b.waktu DESC, b.id DESC) = 1
               ORDER BY t.indikator, t.tanggal, t.kode_kecamatan NULLS FIRST""")

    def ombudsman(self) -> pd.DataFrame:
        return self.query("SELECT * FROM ombudsman ORDER BY wilayah, tahun")

    def batches(self) -> pd.DataFrame:
        """Every batch with what it did (baris, baru, berubah, sama, catatan) and, when reverted,
        dibatalkan (time), dibatalkan_oleh, alasan_batal; oldest first."""
        return self.query(
            """SELECT b.*, s.baris, s.baru, s.berubah, s.sama, s.catatan,
                      r.waktu AS dibatalkan, r.oleh AS dibatalkan_oleh, r.alasan AS alasan_batal
               FROM batch b LEFT JOIN batch_ringkasan s ON s.batch = b.id LEFT JOIN batch_batal r ON r.batch = b.id
               ORDER BY b.waktu, b.id""")

    def revert(self, batch_id: str, oleh: str, alasan: str = "") -> str:
        """Mark a batch as reverted: its values stop counting and the previous ones come back
        exactly; its rows and record stay. Returns the id of the revert's own batch."""
        batches = self.batches().set_index("id")
        if batch_id not in batches.index:
            raise RejectedChange(t("basisdata.batch.tidak_ditemukan", batch=batch_id))
        row = batches.loc[batch_id]
        if row["demo"]:
            raise RejectedChange(t("basisdata.batch.demo", batch=batch_id))
        if pd.notna(row["dibatalkan"]):
            raise RejectedChange(t("basisdata.batch.sudah_dibatalkan", batch=batch_id,
                                   waktu=f"{row['dibatalkan']:%Y-%m-%d %H:%M}", oleh=row["dibatalkan_oleh"]))
        if row["jenis"] == "batal":
            raise RejectedChange(t("basisdata.batch.pembatalan", batch=batch_id))
        if not str(oleh or "").strip():
            raise RejectedChange(t("basisdata.batch.nama_wajib"))

        def mark(con, own_id):
            con.execute("INSERT INTO batch_batal VALUES ($b, $a, $o, now()::TIMESTAMP, $own)",
                        {"b": batch_id, "a": (alasan or "").strip() or "dibatalkan", "o": oleh.strip(), "own": own_id})
            summarise(con, own_id, 0, 0, 0, 0, f"membatalkan {batch_id}")
            return own_id

        return self.write(mark, jenis="batal", oleh=oleh.strip(), berkas=batch_id, backup=True)

    def meta(self) -> dict[str, str]:
        frame = self.query("SELECT kunci, nilai FROM meta")
        return dict(zip(frame["kunci"], frame["nilai"]))
