"""Building the database from the committed sources under data/ (reference facts, catalogues,
demo dataset).

The database is a file built from those sources. It is rebuilt when missing or when its sources
changed, into a temporary file that replaces the old one atomically, so readers never see half a
build. The same swap-in (next_version) carries every write (metrics.data.writer).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path

import duckdb
import pandas as pd

from metrics.core.bahasa import t
from metrics.data import catatan_bulan as bulan
from metrics.data import demo_wilayah, wilayah
from metrics.data.urutan import define_live
from metrics.data.kunci import (  # noqa: F401 - the store's errors and lock, imported from here too
    StoreError,
    WriterBusy,
    lock_path,
    lock_timeout,
    writers_lock,
)

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / "data"
SCHEMA_VERSION = "7"  # 4: observasi without its primary key (uniqueness per batch checked by write());
# 5: inovasi_indikator.ukur (the innovation changes how the indicator is measured); 6: adopsi_batal keyed
# by (adopsi_id, batch), so a reverted undo can be followed by a new one; 7: kecamatan of any configured
# kabupaten (metrics/data/wilayah.py), a centre (lat, lon) may be missing
MEMORY_LIMIT = os.environ.get("TIRU_DUCKDB_MEMORY", "1GB")  # shares the process with Streamlit

# What makes another configuration's rows (kecamatan, model sources) beside data/: its database follows them.
KONFIGURASI_FILES = (Path(wilayah.__file__), Path(wilayah.__file__).parents[1] / "core" / "teks" / "daerah.toml")
DEMO_FILES = ("demo/observasi.csv", "demo/adopsi.csv", "demo/target.csv", "demo/target_indikator.csv")
SOURCE_FILES = (
    "schema.sql",
    "reference/kecamatan.csv",
    "reference/kecamatan_indonesia.csv",
    "reference/ombudsman_kepatuhan.csv",
    "catalog/pilar.csv",
    "catalog/indikator.csv",
    "catalog/model.csv",
    "catalog/inovasi.csv",
)


def default_db_path(config: wilayah.Konfigurasi | None = None) -> Path:
    """TIRU_DB, else the configuration's own file in data/ (tiru.duckdb for the default)."""
    return Path(os.environ.get("TIRU_DB") or DATA_DIR / (config or wilayah.aktif()).berkas)


def backup_dir(db_path: Path) -> Path:
    """Where writers keep copies of the previous file: backups/ next to the database."""
    return Path(db_path).parent / "backups"


AUTOMATIC = "otomatis"  # the name part of the copies writers make before each write (the only ones rotated)


def backups(db_path: Path, directory: Path | None = None) -> list[Path]:
    """Every whole backup copy of this database in `directory` (default backups/): the automatic
    pre-write copies, `tiru backup`'s and the pre-restore copies; oldest first (by time written)."""
    folder = Path(directory) if directory else backup_dir(db_path)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{Path(db_path).stem}-*.duckdb"), key=lambda p: (p.stat().st_mtime_ns, p.name))


def automatic_backups(db_path: Path, directory: Path | None = None) -> list[Path]:
    """The automatic pre-write copies only (name `<stem>-otomatis-…`), oldest first."""
    prefix = f"{Path(db_path).stem}-{AUTOMATIC}-"
    return [p for p in backups(db_path, directory) if p.name.startswith(prefix)]


def default_with_demo() -> bool:
    """TIRU_DEMO=0 builds without the demo dataset (reference facts and catalogues only)."""
    return os.environ.get("TIRU_DEMO", "1") != "0"


# --------------------------------------------------------------------------- building


def _read_csv(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise StoreError(t("basisdata.sumber_tidak_ada", path=path))
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def fingerprint(data_dir: Path, with_demo: bool, config: wilayah.Konfigurasi | None = None) -> str:
    """sha256 over the source files' names and contents, whether demo is included and the configuration
    (default: this process's, TIRU_WILAYAH / TIRU_MODEL)."""
    config = config or wilayah.baca(data_dir=data_dir)
    digest = hashlib.sha256(f"schema {SCHEMA_VERSION} demo {with_demo} wilayah {config.kode} model {config.model}\n"
                            .encode())
    for name in SOURCE_FILES + (DEMO_FILES if with_demo else ()):
        path = data_dir / name
        digest.update(name.encode() + b"\0")
        digest.update(path.read_bytes() if path.exists() else b"<missing>")
    generated = (demo_wilayah.GENERATOR if with_demo else ()) + KONFIGURASI_FILES  # its rows and demo are made
    for path in generated if not config.bawaan else ():
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _none_if_empty(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.replace({"": None})


def model_floor_problem(arah: str, model, lantai) -> str | None:
    """The one rule for a model value against its floor (build, import, the admin form, every write):
    the model must beat the floor strictly in the indicator's direction, else the score divides by
    zero or runs backwards. Returns 'lebih_tinggi' / 'lebih_rendah' (what the model must be), or None."""
    model, lantai = float(model), float(lantai)
    if arah == "higher":
        return None if model > lantai else "lebih_tinggi"
    return None if model < lantai else "lebih_rendah"


def _check_catalog(indikator: pd.DataFrame, model: pd.DataFrame, pilar: pd.DataFrame) -> None:
    """Refuse a catalogue the scoring could not use, naming the file and row."""
    problems = []
    known_pillars = set(pilar["kode"])
    models = dict(zip(model["indikator"], model["nilai"], strict=True))
    for row_no, row in enumerate(indikator.itertuples(index=False), start=2):
        if not row.pilar:
            continue
        where = t("basisdata.katalog.tempat", baris=row_no, kode=row.kode)
        if row.pilar not in known_pillars:
            problems.append(t("basisdata.katalog.pilar_tidak_ada", tempat=where, pilar=row.pilar))
        if row.kode not in models:
            problems.append(t("basisdata.katalog.model_tidak_ada", tempat=where))
        elif pd.isna(row.lantai) or str(row.lantai).strip() == "":
            problems.append(t("basisdata.katalog.lantai", tempat=where))
        elif model_floor_problem(row.arah, models[row.kode], row.lantai):
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


def build(db_path: Path | None = None, data_dir: Path = DATA_DIR, with_demo: bool = True,
          config: wilayah.Konfigurasi | None = None) -> Path:
    """(Re)build the database from data/ into a temporary file, then replace atomically, for `config`
    (default: TIRU_WILAYAH / TIRU_MODEL). The demo is the committed data/demo for the default configuration,
    generated for any other (metrics/data/demo_wilayah.py).

    What users entered (every non-demo batch: events, undos, later imports) is carried over
    from the database being replaced, so a rebuild never loses it. Takes the writers' lock, so
    no import or revert runs meanwhile (and none sweeps the build's temporary file away). A file built
    for another configuration is refused (StoreError), never rebuilt: its data belong to other kecamatan.
    """
    db_path = Path(db_path or default_db_path())
    config = config or wilayah.baca(data_dir=data_dir)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with writers_lock(db_path):
        return _build_locked(db_path, data_dir, with_demo, config)


def built_for(meta: dict[str, str]) -> tuple[str, str]:
    """(kabupaten code, model code) a database was built for; files from before #25 were all Asahan's."""
    return meta.get("wilayah", wilayah.DEFAULT_WILAYAH), meta.get("model", wilayah.DEFAULT_MODEL)


def refuse_other_configuration(meta: dict[str, str] | None, config: wilayah.Konfigurasi, db_path: Path) -> None:
    """StoreError when the file's recorded configuration is not `config` (never open or mix two regions)."""
    if meta is None:
        return
    kode, model = built_for(meta)
    if (kode, model) != (config.kode, config.model):
        raise StoreError(t("daerah.basis_data_lain", path=db_path, dibangun=t("daerah.pasangan", kode=kode, model=model),
                           sekarang=t("daerah.pasangan", kode=config.kode, model=config.model)))


def _build_locked(db_path: Path, data_dir: Path, with_demo: bool, config: wilayah.Konfigurasi) -> Path:
    sweep_temporaries(db_path)
    if db_path.exists():
        meta = _built_meta(db_path)  # raises when another process holds the file
        refuse_other_configuration(meta, config, db_path)
        if meta is None:
            _set_aside(db_path)
        elif "demo_dihapus" in meta:
            with_demo = False  # removed by an import: never comes back
    with next_version(db_path, copy_current=False) as con:
        _load(con, data_dir, with_demo, config)
        if db_path.exists():
            _carry_over(con, db_path)
    return db_path


def sweep_temporaries(db_path: Path) -> None:
    """Remove what a writer killed midway (kill -9, a full disk) left: temporary copies of the
    database next to it and partial backups (.part) in backups/. Call it under the lock."""
    db_path = Path(db_path)
    for stray in db_path.parent.glob(f".{db_path.name}.*.tmp*"):
        stray.unlink(missing_ok=True)
    sweep_partial_backups(db_path, backup_dir(db_path))


def sweep_partial_backups(db_path: Path, directory: Path) -> None:
    """Remove partial backup copies (.part) of this database from `directory` (under the lock)."""
    if directory.is_dir():
        for stray in directory.glob(f".{Path(db_path).stem}-*.duckdb.part"):
            stray.unlink(missing_ok=True)


# --------------------------------------------------------------------------- swap-in (builds and writes)


@contextlib.contextmanager
def next_version(db_path: Path, copy_current: bool):
    """A connection to the next version of the file, built beside it and swapped in whole
    when the block ends without error; otherwise the current file stays as it was."""
    tmp = temporary(db_path)
    try:
        if copy_current:
            shutil.copyfile(db_path, tmp)
        con = duckdb.connect(str(tmp), config={"memory_limit": MEMORY_LIMIT})
        try:
            yield con
            con.execute("CHECKPOINT")
        finally:
            con.close()
        swap_in(tmp, db_path)
    finally:
        discard(tmp)


def temporary(db_path: Path) -> Path:
    tmp = db_path.with_name(f".{db_path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    discard(tmp)
    return tmp


def discard(tmp: Path) -> None:
    tmp.unlink(missing_ok=True)
    Path(str(tmp) + ".wal").unlink(missing_ok=True)


def swap_in(tmp: Path, db_path: Path) -> None:
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
               "batch_batal", "katalog_ubah", "skm_hasil", "bulan_tutup", "observasi_pencilan")
# Facts about what users did that a rebuild keeps (the demo, once removed, stays removed).
USER_META = ("demo_dihapus",)


def _carry_over(con: duckdb.DuckDBPyConnection, old_path: Path) -> None:
    try:
        con.execute("ATTACH $path AS lama (READ_ONLY)", {"path": str(old_path)})
    except duckdb.Error:
        return  # unreadable old file: nothing can be carried (it is replaced, not lost: see backups)
    try:
        old_tables = set(
            con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'lama'").df()["table_name"]
        )
        for table in USER_TABLES:
            if table not in old_tables:
                continue
            new_cols = con.execute(f"SELECT * FROM main.{table} LIMIT 0").df().columns
            old_cols = set(con.execute(f"SELECT * FROM lama.{table} LIMIT 0").df().columns)
            cols = [c for c in new_cols if c in old_cols]
            user_rows = "NOT demo" if table == "batch" else "batch IN (SELECT id FROM lama.batch WHERE NOT demo)"
            select = ", ".join(cols)
            order = " ORDER BY rowid" if table == "batch" else ""  # the batch sequence decides (urutan.WINS)
            if table == "adopsi":  # user events come after the demo events, in their old order
                select = select.replace(
                    "urutan", "(SELECT coalesce(max(urutan), 0) FROM main.adopsi) + row_number() OVER (ORDER BY urutan)"
                )
            con.execute(
                f"INSERT INTO main.{table} ({', '.join(cols)}) SELECT {select} FROM lama.{table} WHERE {user_rows}{order}"
            )
        if "meta" in old_tables:
            con.execute("INSERT OR REPLACE INTO main.meta SELECT * FROM lama.meta WHERE kunci IN $keys",
                        {"keys": list(USER_META)})
    finally:
        con.execute("DETACH lama")



def _load(con: duckdb.DuckDBPyConnection, data_dir: Path, with_demo: bool, config: wilayah.Konfigurasi) -> None:
    con.execute((data_dir / "schema.sql").read_text(encoding="utf-8"))
    define_live(con)  # the batches that count (urutan.py): the demo's month closures read them
    kecamatan = _none_if_empty(wilayah.kecamatan_rows(config, data_dir))
    pilar = _read_csv(data_dir / "catalog/pilar.csv")
    indikator = _read_csv(data_dir / "catalog/indikator.csv")
    model = wilayah.sample_sources(_read_csv(data_dir / "catalog/model.csv"), config)
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
    links["ukur"] = [ind in _codes(own) for ind, own in zip(links["indikator"], measured, strict=True)]
    insert("inovasi_indikator", links.rename(columns={"kode": "inovasi"}), ["inovasi", "indikator", "ukur"])
    ombudsman = ombudsman.rename(columns={"kode_kemendagri": "kode", "source": "sumber"})
    ombudsman = ombudsman[ombudsman["kode"].isin({config.kode, config.model_kode_kabupaten})]
    insert("ombudsman", ombudsman, ["wilayah", "kode", "tahun", "nilai", "zona", "kategori", "sumber"])

    if with_demo:
        with tempfile.TemporaryDirectory() as scratch:
            _load_demo(con, insert, config.nama, *demo_wilayah.source(config, data_dir, Path(scratch)))
    con.execute(
        "INSERT INTO meta VALUES ('fingerprint', $f), ('dibangun', $t), ('versi_skema', $v), ('wilayah', $w), ('model', $m)",
        {"f": fingerprint(data_dir, with_demo, config), "t": dt.datetime.now().isoformat(timespec="seconds"),
         "v": SCHEMA_VERSION, "w": config.kode, "m": config.model},
    )


def _load_demo(con, insert, region: str, folder: Path, outlier: tuple | None, label: str) -> None:
    built = dt.datetime.now().replace(microsecond=0)
    for name, jenis in zip(DEMO_FILES, ("observasi", "adopsi", "target", "target_indikator"), strict=True):
        path = folder / Path(name).name
        content = path.read_bytes()
        sha = hashlib.sha256(content).hexdigest()
        batch_id = f"demo-{jenis}-{sha[:8]}"
        con.execute(
            "INSERT INTO batch VALUES ($id, $jenis, $berkas, $sha, 'metrics/data/demo.py', $waktu, TRUE)",
            {"id": batch_id, "jenis": jenis, "berkas": f"{label}/{path.name}", "sha": sha, "waktu": built},
        )
        frame = _read_csv(path).assign(batch=batch_id)
        if jenis == "observasi":
            _refuse_demo_duplicates(frame, name)
            frame["periode"] = frame["periode"] + "-01"
            insert("observasi", _none_if_empty(frame), list(frame.columns))
            _mark_demo_outlier(con, batch_id, outlier)
        elif jenis == "adopsi":
            frame["urutan"] = range(1, len(frame) + 1)
            frame["id"] = [f"demo-{n}" for n in frame["urutan"]]
            insert("adopsi", _none_if_empty(frame), list(frame.columns))
        else:
            insert(jenis, _none_if_empty(frame), list(frame.columns))
    bulan.close_demo_months(con, built, region)  # the demo's history is final up to its latest complete month


# The demo's outlier is explained in its catatan (demo_pemeran: OUTLIER's role): it is stored as confirmed,
# like an operator's confirmed outlier, with the median of its 12 months before as the usual value.
_DEMO_OUTLIER_SQL = """
INSERT INTO observasi_pencilan
SELECT o.kode_kecamatan, o.periode, o.indikator, o.batch,
       (SELECT median(h.nilai) FROM observasi h WHERE h.batch = o.batch AND h.kode_kecamatan = o.kode_kecamatan
          AND h.indikator = o.indikator AND h.periode >= o.periode - INTERVAL 12 MONTH AND h.periode < o.periode),
       NULL, NULL
FROM observasi o
WHERE o.batch = $batch AND o.kode_kecamatan = $kode AND o.periode = $periode AND o.indikator = $indikator
  AND o.nilai = $nilai
"""


def _mark_demo_outlier(con, batch_id: str, outlier: tuple | None) -> None:
    if outlier is None:
        return
    kode, periode, indikator, nilai, _ = outlier
    con.execute(_DEMO_OUTLIER_SQL, {"batch": batch_id, "kode": kode, "periode": dt.date.fromisoformat(periode + "-01"),
                                    "indikator": indikator, "nilai": nilai})


def _refuse_demo_duplicates(frame: pd.DataFrame, name: str) -> None:
    """The demo observations hold each (kecamatan, periode, indikator) once (no key checks it)."""
    twice = frame.duplicated(["kode_kecamatan", "periode", "indikator"])
    if twice.any():
        row = frame[twice].iloc[0]
        raise StoreError(t("basisdata.demo_ganda", berkas=name, baris=int(twice.to_numpy().argmax()) + 2,
                           kecamatan=row["kode_kecamatan"], periode=row["periode"], indikator=row["indikator"]))


def _built_meta(db_path: Path) -> dict[str, str] | None:
    """The file's meta table; None when the file is not a readable, whole Tiru database (corrupt,
    truncated, foreign, a schema table that is a view: see damage()). A file locked by another
    process is an error, never a reason to rebuild: that would replace what users entered."""
    # ATTACH from an in-memory connection: works even while this process's Store holds the
    # file open (a second connect() to the same path with another configuration is refused).
    try:
        with contextlib.closing(duckdb.connect(":memory:")) as con:
            con.execute("ATTACH $path AS dibangun (READ_ONLY)", {"path": str(db_path)})
            meta = dict(con.execute("SELECT kunci, nilai FROM dibangun.meta").fetchall())
    except duckdb.Error as exc:
        if "lock" in str(exc).lower():
            raise StoreError(t("basisdata.dikunci", path=db_path, galat=exc)) from exc
        return None
    return None if damage(db_path) else meta


# DuckDB's file starts with its main header and two database headers (4 KiB each), then the blocks.
_HEADER_BYTES = 3 * 4096


def schema_columns(data_dir: Path = DATA_DIR) -> dict[str, list[tuple[str, str]]]:
    """Every table of data/schema.sql with its columns (name, type) in order."""
    with contextlib.closing(duckdb.connect(":memory:")) as con:
        con.execute((Path(data_dir) / "schema.sql").read_text(encoding="utf-8"))
        return table_columns(con, "memory")


def table_columns(con: duckdb.DuckDBPyConnection, database: str) -> dict[str, list[tuple[str, str]]]:
    """The base tables (never views) of an attached database with their columns (name, type) in order."""
    rows = con.execute("""SELECT c.table_name, c.column_name, c.data_type FROM duckdb_columns() c
                          JOIN duckdb_tables() b ON b.database_name = c.database_name
                           AND b.schema_name = c.schema_name AND b.table_name = c.table_name
                          WHERE c.database_name = $db AND c.schema_name = 'main'
                          ORDER BY c.table_name, c.column_index""", {"db": database}).fetchall()
    tables: dict[str, list[tuple[str, str]]] = {}
    for table, column, kind in rows:
        tables.setdefault(table, []).append((column, kind))
    return tables


def attached_damage(con: duckdb.DuckDBPyConnection, database: str, path: Path, data_dir: Path = DATA_DIR) -> str | None:
    """Why the attached database is not whole (in the active language), or None: a file too short to
    hold the blocks its header says are in use (truncated; free blocks at the end may be cut off), a table of data/schema.sql that is a view, or a table that
    cannot be read to its last row (every column of every row is read)."""
    size = con.execute("SELECT block_size, used_blocks FROM pragma_database_size() WHERE database_name = $db",
                       {"db": database}).fetchone()
    if size:
        expected = _HEADER_BYTES + int(size[0]) * int(size[1])
        found = Path(path).stat().st_size
        if found < expected:
            return t("basisdata.pulih.terpotong", ada=found, harap=expected)
    views = {name for (name,) in con.execute(
        "SELECT view_name FROM duckdb_views() WHERE database_name = $db AND NOT internal", {"db": database}).fetchall()}
    not_tables = sorted(views & set(schema_columns(data_dir)))
    if not_tables:
        return t("basisdata.pulih.bukan_tabel", tabel=", ".join(not_tables))
    for table in table_columns(con, database):  # names from the file's own catalogue, quoted
        quoted = table.replace('"', '""')
        try:
            con.execute(f'SELECT count(*), bit_xor(hash(COLUMNS(*))) FROM "{database}".main."{quoted}"').fetchall()
        except duckdb.Error as exc:
            return t("basisdata.pulih.rusak", tabel=table, galat=exc)
    return None


def damage(db_path: Path, data_dir: Path = DATA_DIR) -> str | None:
    """Why the database file is damaged (in the active language), or None when it is whole: the full
    check at start and before every write (attached_damage). A lock held by another process raises
    StoreError: it is not damage."""
    try:
        with contextlib.closing(duckdb.connect(":memory:")) as con:
            con.execute("ATTACH $path AS diperiksa (READ_ONLY)", {"path": str(db_path)})
            return attached_damage(con, "diperiksa", Path(db_path), data_dir)
    except duckdb.Error as exc:
        if "lock" in str(exc).lower():
            raise StoreError(t("basisdata.dikunci", path=db_path, galat=exc)) from exc
        return t("basisdata.pulih.tidak_terbaca", galat=exc)


def restore_command(db_path: Path) -> str:
    """The `tiru restore` command for the newest backup (or with FILE when there is none)."""
    import shlex

    made = backups(db_path)
    return f"tiru restore {shlex.quote(str(made[-1]))}" if made else "tiru restore FILE"


def recover_locked(db_path: Path, problem: str) -> str:
    """Under the writers' lock: move a damaged database aside (with the note), rebuild it from
    data/, and return the message saying so (what was wrong, where the file went, how to restore)."""
    aside = _set_aside(db_path)
    _build_locked(db_path, DATA_DIR, default_with_demo(), wilayah.aktif())
    return t("basisdata.rusak_disisihkan", path=db_path, alasan=problem, sisih=aside, perintah=restore_command(db_path))


def _built_fingerprint(db_path: Path) -> str | None:
    return (_built_meta(db_path) or {}).get("fingerprint")


def _set_aside(db_path: Path) -> Path:
    """Move an unreadable database out of the way (never delete it) and say so: on stderr, and in
    a note next to the database that the app shows (recovery_note) until a backup is restored."""
    now = dt.datetime.now()
    aside = db_path.with_name(f"{db_path.name}.rusak-{now:%Y%m%d%H%M%S}")
    os.replace(db_path, aside)
    backups_made = backups(db_path)
    note = {
        "waktu": now.isoformat(timespec="seconds"),
        "basis_data": str(db_path),
        "disisihkan": str(aside),
        "cadangan_terbaru": str(backups_made[-1]) if backups_made else None,
        "folder_cadangan": str(backup_dir(db_path)),
    }
    with contextlib.suppress(OSError):  # the note is a courtesy: the message below still says it all
        recovery_note_path(db_path).write_text(json.dumps(note, indent=1), encoding="utf-8")
    print(t("basisdata.disisihkan", path=db_path, sisih=aside), file=sys.stderr)
    return aside


def recovery_note_path(db_path: Path) -> Path:
    return Path(db_path).with_name(f"{Path(db_path).name}.disisihkan.json")


def recovery_note(db_path: Path | None = None) -> dict | None:
    """The note left when an unreadable database was moved aside and rebuilt from data/: waktu,
    basis_data, disisihkan (where the old file went), cadangan_terbaru (the newest backup made
    before, or None), folder_cadangan. None when there is none (or it cannot be read)."""
    try:
        note = json.loads(recovery_note_path(Path(db_path or default_db_path())).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return note if isinstance(note, dict) and note.get("disisihkan") else None


def clear_recovery_note(db_path: Path | None = None) -> None:
    """Forget the note (a backup was restored, or an admin dealt with it)."""
    recovery_note_path(Path(db_path or default_db_path())).unlink(missing_ok=True)


def ensure_built(db_path: Path | None = None, data_dir: Path = DATA_DIR, with_demo: bool | None = None) -> Path:
    """Build the database when it is missing or older than its sources; return its path.

    A lock file serialises builders, so two processes starting at once build once. A file built
    for another configuration (TIRU_WILAYAH / TIRU_MODEL) is refused with StoreError, never rebuilt.
    """
    db_path = Path(db_path or default_db_path())
    config = wilayah.baca(data_dir=data_dir)
    with_demo = default_with_demo() if with_demo is None else with_demo
    meta = _built_meta(db_path) if db_path.exists() else {}
    refuse_other_configuration(meta, config, db_path)
    if meta and "demo_dihapus" in meta:
        with_demo = False  # the demo was removed by an import; build() keeps it removed
    wanted = fingerprint(data_dir, with_demo, config)
    if meta and meta.get("fingerprint") == wanted:
        return db_path
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        with writers_lock(db_path):
            if db_path.exists() and _built_meta(db_path) is None:
                _set_aside(db_path)
            if not (db_path.exists() and _built_fingerprint(db_path) == wanted):
                _build_locked(db_path, data_dir, with_demo, config)
    except OSError as exc:
        raise StoreError(t("basisdata.tidak_dapat_dibangun", path=db_path, galat=exc.strerror or exc)) from exc
    return db_path
