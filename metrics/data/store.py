"""The only gateway to DuckDB: reading.

The database is a file built from the committed sources under data/ (metrics.data.build) and
changed only by the writers (metrics.data.writer), which swap a new file in whole.

Readers (the app, the CLI) open the file read-only: any number of processes can then read
at once. One connection per process is shared by all threads; each query runs on its own
cursor and is fetched fully. When the file is replaced (a rebuild, an import), the next
query notices the new file, waits for running queries, and reopens.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import secrets
import threading
from collections.abc import Sequence
from pathlib import Path

import duckdb
import pandas as pd

from metrics.core import formatting
from metrics.core import periode as per
from metrics.core.bahasa import t
from metrics.data import build, catatan_bulan as bulan, wilayah as daerah, writer
from metrics.data.build import MEMORY_LIMIT, StoreError, default_db_path
from metrics.data.katalog_berlaku import INDIKATOR_SQL, PILAR_SQL
from metrics.data.urutan import WINS, define_live, search_path
from metrics.data.writer import RejectedChange  # with StoreError, the gateway's errors: callers import them from here

# The regions the product shows (the configured kabupaten is ranked, the model's is context: Asahan and
# Cimahi by default, metrics/data/wilayah.py). Reads of observations and events default to them, so a
# database holding other regions (the national-scale bench) costs the pages nothing; pass
# wilayah=SEMUA_WILAYAH to read every region. WILAYAH_PRODUK stands for them, resolved when read.
WILAYAH_PRODUK = daerah.PRODUK
SEMUA_WILAYAH = None


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


_SEARCH_PATH = search_path("tiru")  # the file's tables, then the view batch_berlaku (urutan.py)
_WINS = WINS  # which batch wins a cell: real before demo, then the later batch by sequence (metrics/data/urutan.py)

# Effective observations: per (kecamatan, periode, indikator) the value of the winning batch
# (_WINS) among those that count (batch_berlaku: not reverted). Every filter is on the partition's own key (kecamatan, periode) or on
# the batch, so it never changes which row wins; DuckDB skips the row groups of other regions.
# Grain: kecamatan × month × indicator; nilai in the indicator's unit; periode first of month.
_OBSERVASI_SQL = """
SELECT o.kode_kecamatan, o.periode, o.indikator, o.nilai, o.sumber, o.catatan, o.batch, b.demo,
       p.batch IS NOT NULL AS dikonfirmasi  -- an outlier the operator confirmed (observasi_pencilan)
FROM observasi o JOIN batch_berlaku b ON b.id = o.batch
LEFT JOIN observasi_pencilan p ON p.batch = o.batch AND p.kode_kecamatan = o.kode_kecamatan
  AND p.periode = o.periode AND p.indikator = o.indikator
WHERE o.periode BETWEEN $dari AND $sampai
  AND ($kecamatan IS NULL OR o.kode_kecamatan = $kecamatan)
  {wilayah}
QUALIFY row_number() OVER (
    PARTITION BY o.kode_kecamatan, o.periode, o.indikator ORDER BY {wins}) = 1
ORDER BY o.kode_kecamatan, o.periode, o.indikator
"""
_IN_WILAYAH = "AND {kolom} IN (SELECT kode FROM kecamatan WHERE list_contains($wilayah, wilayah))"

# The same, only for the months and kecamatan of incoming rows (the change check of an import).
# $demo FALSE leaves demo batches out (an import that removes the demo compares with the rest).
_OBSERVASI_MASUK_SQL = f"""
SELECT o.kode_kecamatan, o.periode, o.indikator, o.nilai, o.sumber, o.catatan, o.batch, b.demo
FROM observasi o JOIN batch_berlaku b ON b.id = o.batch
WHERE o.periode BETWEEN $dari AND $sampai AND list_contains($bulan, o.periode)
  AND o.kode_kecamatan BETWEEN $kec_min AND $kec_max AND list_contains($kecamatan, o.kode_kecamatan)
  AND ($demo OR NOT b.demo)
QUALIFY row_number() OVER (
    PARTITION BY o.kode_kecamatan, o.periode, o.indikator ORDER BY {_WINS}) = 1
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
    wanted = {(kode, per.to_date(int(m))) for kode, m in zip(pairs["kode_kecamatan"], pairs["periode"], strict=True)}
    keep = pd.Series(
        [
            (kode, pd.Timestamp(p).date()) in wanted
            for kode, p in zip(frame["kode_kecamatan"], frame["periode"], strict=True)
        ],
        index=frame.index,
        dtype=bool,
    )
    return frame.loc[keep, columns].reset_index(drop=True)


# Every batch with what it did, whether and by whom it was reverted, and tidak_dapat_dibatalkan:
# why reverting it could not do what a revert says (NULL when it can): demo data (removed by an
# import, not reverted), already reverted, a revert itself, an undo of adoption events that no
# longer count anyway (their own batch reverted, or demo events removed: nothing would come back),
# a batch that only removed the demo (demo data comes back only from a backup), a batch holding
# nothing. $batch NULL: every batch. Grain: one row per batch.
_DEMO_REMOVED_NOTE = "data contoh dihapus"  # the start of the batch note of an import that removed the demo
_BATCHES_SQL = """
WITH berisi AS (
    SELECT batch FROM adopsi UNION SELECT batch FROM adopsi_batal UNION SELECT batch FROM target
    UNION SELECT batch FROM target_indikator UNION SELECT batch FROM katalog_ubah UNION SELECT batch FROM skm_hasil
    UNION SELECT batch FROM bulan_tutup  -- closing and reopening: reverting a close reopens, and back
    UNION SELECT DISTINCT batch FROM observasi WHERE batch IN (SELECT id FROM batch WHERE NOT demo)
), masih_berlaku AS (
    SELECT DISTINCT u.batch FROM adopsi_batal u JOIN adopsi a ON a.id = u.adopsi_id
    WHERE a.batch IN (SELECT id FROM batch_berlaku)
)
SELECT b.*, s.baris, s.baru, s.berubah, s.sama, s.catatan,
       r.waktu AS dibatalkan, r.oleh AS dibatalkan_oleh, r.alasan AS alasan_batal,
       CASE WHEN b.demo THEN 'demo'
            WHEN r.batch IS NOT NULL THEN 'sudah_dibatalkan'
            WHEN b.jenis = 'batal' THEN 'pembatalan'
            WHEN b.jenis = 'adopsi-batal' AND b.id NOT IN (SELECT batch FROM masih_berlaku) THEN 'peristiwa_batal'
            WHEN b.id IN (SELECT batch FROM berisi) THEN NULL
            WHEN starts_with(coalesce(s.catatan, ''), $demo_dihapus) THEN 'hanya_demo'
            ELSE 'kosong' END AS tidak_dapat_dibatalkan
FROM batch b LEFT JOIN batch_ringkasan s ON s.batch = b.id LEFT JOIN batch_batal r ON r.batch = b.id
WHERE $batch IS NULL OR b.id = $batch
ORDER BY b.rowid
"""


def _revert_refusal(query, batch_id: str) -> str | None:
    """Why `batch_id` cannot be reverted, in the active language, or None. `query(sql, params)` is
    Store.query, or a connection's execute(...).df() inside a write."""
    frame = query(_BATCHES_SQL, {"batch": batch_id, "demo_dihapus": _DEMO_REMOVED_NOTE})
    if frame.empty:
        return t("basisdata.batch.tidak_ditemukan", batch=batch_id)
    row = frame.iloc[0]
    code = row["tidak_dapat_dibatalkan"]
    if pd.isna(code):
        return None
    if code == "sudah_dibatalkan":
        return t("basisdata.batch.sudah_dibatalkan", batch=batch_id, waktu=f"{row['dibatalkan']:%Y-%m-%d %H:%M}",
                 oleh=row["dibatalkan_oleh"])
    if code == "peristiwa_batal":
        origins = query("""SELECT DISTINCT a.batch FROM adopsi_batal u JOIN adopsi a ON a.id = u.adopsi_id
                           WHERE u.batch = $batch ORDER BY 1""", {"batch": batch_id})["batch"]
        return t("basisdata.batch.peristiwa_batal", batch=batch_id, asal=", ".join(origins) or "—")
    return t(f"basisdata.batch.{code}", batch=batch_id)


# Whether an event is undone now: its own batch reverted, or an undo in force.
_UNDONE_SQL = """
SELECT EXISTS (SELECT 1 FROM adopsi WHERE id = $id AND batch NOT IN (SELECT id FROM batch_berlaku))
    OR EXISTS (SELECT 1 FROM adopsi_batal WHERE adopsi_id = $id AND batch IN (SELECT id FROM batch_berlaku))
"""


# The history of the plausibility control (metrics/engine/kewajaran.py): effective values of some
# kecamatan and indicators in dari…sampai, without demo data (DATA CONTOH is nobody's history).
_RIWAYAT_SQL = f"""
SELECT o.kode_kecamatan, o.periode, o.indikator, o.nilai
FROM observasi o JOIN batch_berlaku b ON b.id = o.batch
WHERE o.periode BETWEEN $dari AND $sampai AND list_contains($indikator, o.indikator)
  AND o.kode_kecamatan BETWEEN $kec_min AND $kec_max AND list_contains($kecamatan, o.kode_kecamatan)
QUALIFY row_number() OVER (
    PARTITION BY o.kode_kecamatan, o.periode, o.indikator ORDER BY {_WINS}) = 1 AND NOT b.demo
"""


def history_observations(query, codes: list[str], indicators: list[str], dari: int, sampai: int) -> pd.DataFrame:
    """Effective non-demo values of kecamatan `codes` and `indicators` from month `dari` to
    `sampai` (month indexes; periode comes back as a month index). `query` as in
    current_observations."""
    if not codes or not indicators or dari > sampai:
        return pd.DataFrame(columns=["kode_kecamatan", "periode", "indikator", "nilai"])
    codes = sorted(set(codes))
    frame = query(_RIWAYAT_SQL, {"dari": per.to_date(dari), "sampai": per.to_date(sampai),
                                 "indikator": sorted(set(indicators)), "kec_min": codes[0], "kec_max": codes[-1],
                                 "kecamatan": codes})
    frame["periode"] = [per.from_date(pd.Timestamp(v).date()) for v in frame["periode"]]
    return frame


MAX_TEXT = 500  # characters of a free text from a form (bukti, alasan), as imports allow (metrics.ingest)


def free_text_problems(**fields) -> list[str]:
    """Why form texts cannot be stored (too long, a control character), in the active language."""
    problems = []
    for name, value in fields.items():
        text = str(value or "").strip()
        if len(text) > MAX_TEXT:
            problems.append(t("basisdata.teks.terlalu_panjang", kolom=name, n=len(text), maks=MAX_TEXT))
        elif formatting.kendali(text):
            problems.append(t("basisdata.teks.kendali", kolom=name, kode=formatting.kendali(text)))
    return problems


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
                    problem = build.attached_damage(con, "tiru", self.path)
                    if not problem:  # a file built for another kabupaten or model is never read as this one
                        meta = dict(con.execute("SELECT kunci, nilai FROM tiru.meta").fetchall())
                        build.refuse_other_configuration(meta, daerah.aktif(), self.path)
                except (duckdb.Error, StoreError):
                    con.close()
                    raise
                if problem:  # replaced by a damaged file while running: set aside and rebuilt, as at start
                    con.close()
                    self._identity = None
                    build.ensure_built(self.path)
                    identity = self._file_identity()
                    con = duckdb.connect(":memory:", config={"memory_limit": MEMORY_LIMIT})
                    con.execute("ATTACH $path AS tiru (READ_ONLY)", {"path": str(self.path)})
                define_live(con, "tiru")  # the batches that count, over this file (urutan.py)
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
                cursor.execute(_SEARCH_PATH)  # each cursor is a new connection to the instance
                return cursor.execute(sql, params or {}).df()
            except duckdb.IOException as exc:  # damage the checks did not see: say so, never a traceback
                raise StoreError(t("basisdata.rusak_dibaca", path=self.path, galat=exc,
                                   perintah=build.restore_command(self.path))) from exc
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
        return self.query(PILAR_SQL).set_index("kode")

    def indikator(self) -> pd.DataFrame:
        """Catalogue with the model value and its source, index `kode`, catalogue order.

        Model values and floors are the admin's latest edits where there are any."""
        return self.query(INDIKATOR_SQL).set_index("kode")

    def catalogue_edits(self) -> pd.DataFrame:
        """Every edit of model values, floors and weights, newest first, with who and whether reverted."""
        return self.query(
            """SELECT k.jenis, k.kode, k.nilai, k.sumber, k.tanggal, k.batch, b.oleh, b.waktu,
                      k.batch NOT IN (SELECT id FROM batch_berlaku) AS dibatalkan
               FROM katalog_ubah k JOIN batch b ON b.id = k.batch
               ORDER BY b.rowid DESC, k.jenis, k.kode"""
        )

    def skm(self) -> pd.DataFrame:
        """IKM per kecamatan and semester computed from SKM answers (effective: latest batch, not reverted)."""
        return self.query(
            f"""SELECT s.* FROM skm_hasil s JOIN batch_berlaku b ON b.id = s.batch
               QUALIFY row_number() OVER (PARTITION BY s.kode_kecamatan, s.periode ORDER BY {_WINS}) = 1
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
            _OBSERVASI_SQL.format(wilayah=where, wins=_WINS),
            {"dari": per.to_date(dari), "sampai": per.to_date(sampai), "kecamatan": kecamatan, **params},
        )
        frame["periode"] = [per.from_date(value) for value in frame["periode"]]
        return frame

    def periods(self, wilayah: str | None = None) -> list[int]:
        """Months with at least one observation in the region (default: the ranked one), ascending."""
        wilayah = wilayah or daerah.ranked()
        frame = self.query(
            """SELECT DISTINCT o.periode FROM observasi o JOIN kecamatan k ON k.kode = o.kode_kecamatan
               WHERE k.wilayah = $w AND o.batch IN (SELECT id FROM batch_berlaku) ORDER BY 1""",
            {"w": wilayah},
        )
        return [per.from_date(value) for value in frame["periode"]]

    def latest_period(self, wilayah: str | None = None) -> int | None:
        months = self.periods(wilayah)
        return months[-1] if months else None

    def bulan(self, wilayah: str | None = None) -> pd.DataFrame:
        """Every month with data of the region: lengkap, melapor, total kecamatan and whether an
        admin closed it (metrics/data/catatan_bulan.py); the engine's bulan.py turns it into a status."""
        return bulan.month_table(self.query, wilayah or daerah.ranked())

    def kedatangan(self, dari: int, sampai: int, wilayah: str | None = None) -> pd.DataFrame:
        """Monthly values of months dari…sampai with the time they first arrived (tiba)."""
        return bulan.arrivals(self.query, dari, sampai, wilayah or daerah.ranked())

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
        request (then with the undo's alasan, oleh and waktu as batal_*); demo: whether the event is
        demo data (engine/adopsi takes a cell's stage from its real events once it has any)."""
        # An event of a reverted batch counts as undone, with the revert's reason; an undo whose own
        # batch was reverted no longer counts (undo_adoption keeps at most one undo in force).
        where, params = _scope(wilayah, "a.kode_kecamatan")
        return self.query(
            f"""SELECT a.*, coalesce(u.alasan, r.alasan) AS batal_alasan, coalesce(u.oleh, r.oleh) AS batal_oleh,
                      coalesce(u.waktu, r.waktu) AS batal_waktu, b.demo
               FROM adopsi a JOIN batch b ON b.id = a.batch
               LEFT JOIN (SELECT * FROM adopsi_batal WHERE batch IN (SELECT id FROM batch_berlaku)) u
                      ON u.adopsi_id = a.id
               LEFT JOIN batch_batal r ON r.batch = a.batch  -- only for the revert's reason, who and when
               WHERE ($all OR (u.adopsi_id IS NULL AND a.batch IN (SELECT id FROM batch_berlaku))) {where}
               ORDER BY a.urutan""",
            {"all": with_undone, **params},
        )

    # ----------------------------------------------------------------- writes

    def record_adoption(self, kode_kecamatan: str, inovasi: str, tahap: int, tanggal: dt.date,
                        bukti: str, oleh: str) -> str:
        """Record one stage change; returns the event id. Raises RejectedChange."""
        problems = []
        kecamatan = self.kecamatan(daerah.ranked())
        if kode_kecamatan not in set(kecamatan["kode"]):
            problems.append(t("basisdata.tahap.bukan_asahan", kode=kode_kecamatan))
        if inovasi not in set(self.inovasi().index):
            problems.append(t("basisdata.tahap.inovasi_tidak_ada", kode=inovasi))
        if not isinstance(tahap, int) or not 0 <= tahap <= 4:
            problems.append(t("basisdata.tahap.tahap_salah", tahap=tahap))
        if not isinstance(tanggal, dt.date) or tanggal > per.hari_ini():
            problems.append(t("basisdata.tahap.masa_depan", tanggal=tanggal))
        if not str(oleh or "").strip():
            problems.append(t("basisdata.tahap.pencatat"))
        problems += free_text_problems(bukti=bukti)
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
        if free_text_problems(alasan=alasan):
            raise RejectedChange("; ".join(free_text_problems(alasan=alasan)))

        def insert(con, batch_id):
            if con.execute(_UNDONE_SQL, {"id": event_id}).fetchone()[0]:  # another writer got there first
                raise RejectedChange(t("basisdata.peristiwa.sudah_dibatalkan"))
            con.execute(
                "INSERT INTO adopsi_batal VALUES ($id, $alasan, $oleh, now()::TIMESTAMP, $batch)",
                {"id": event_id, "alasan": alasan.strip(), "oleh": oleh.strip(), "batch": batch_id},
            )

        self.write(insert, jenis="adopsi-batal", oleh=oleh.strip())

    def write(self, change, **batch):
        """Apply `change(con, batch_id)` through the module's write(); readers see it next query."""
        return writer.write(self.path, change, **batch)

    def target(self) -> pd.DataFrame:
        """Stage targets; per (inovasi, tahap, kecamatan) the winning batch's date (_WINS: real before
        demo, then the latest; reverted ignored); demo: whether it is demo data (a real target of any
        scope outranks the demo's: engine/adopsi.applicable_targets)."""
        return self.query(
            f"""SELECT t.*, b.demo FROM target t JOIN batch_berlaku b ON b.id = t.batch
               QUALIFY row_number() OVER (PARTITION BY t.inovasi, t.tahap, t.kode_kecamatan
                                          ORDER BY {_WINS}) = 1
               ORDER BY t.inovasi, t.tanggal, t.kode_kecamatan NULLS FIRST""")

    def target_indikator(self) -> pd.DataFrame:
        """Indicator targets (value by date), all kecamatan (NULL) or one; per (indikator, tanggal,
        kecamatan) the winning batch's value (_WINS: real before demo, then the latest; reverted ignored)."""
        return self.query(
            f"""SELECT t.*, b.demo FROM target_indikator t JOIN batch_berlaku b ON b.id = t.batch
               QUALIFY row_number() OVER (PARTITION BY t.indikator, t.tanggal, t.kode_kecamatan
                                          ORDER BY {_WINS}) = 1
               ORDER BY t.indikator, t.tanggal, t.kode_kecamatan NULLS FIRST""")

    def ombudsman(self) -> pd.DataFrame:
        return self.query("SELECT * FROM ombudsman ORDER BY wilayah, tahun")

    def pencilan_contoh(self) -> pd.DataFrame:
        """The demo's confirmed outliers that count (kode_kecamatan, periode, indikator): one for the shipped
        story and for any generated one, none once the demo is removed."""
        return self.query("""SELECT p.kode_kecamatan, p.periode, p.indikator FROM observasi_pencilan p
                             JOIN batch_berlaku b ON b.id = p.batch WHERE b.demo ORDER BY ALL""")

    def batches(self) -> pd.DataFrame:
        """Every batch with what it did (baris, baru, berubah, sama, catatan), when reverted
        dibatalkan (time), dibatalkan_oleh, alasan_batal, and tidak_dapat_dibatalkan: why it
        cannot be reverted (a code, see _BATCHES_SQL), NULL when it can; oldest first."""
        return self.query(_BATCHES_SQL, {"batch": None, "demo_dihapus": _DEMO_REMOVED_NOTE})

    def revert(self, batch_id: str, oleh: str, alasan: str = "", koreksi_final: bool = False) -> str:
        """Mark a batch as reverted: its values stop counting and the previous ones come back
        exactly; its rows and record stay. Returns the id of the revert's own batch.

        A batch that cannot be reverted as that says is refused with the reason (RejectedChange),
        checked again inside the write, so two reverts of one batch at once end with one done and
        the other told it is already reverted. A revert that changes a final month's values needs
        `koreksi_final` (writer.write keeps the invariants of final months)."""
        refused = _revert_refusal(self.query, batch_id)
        if refused:
            raise RejectedChange(refused)
        if not str(oleh or "").strip():
            raise RejectedChange(t("basisdata.batch.nama_wajib"))

        def mark(con, own_id):
            refused = _revert_refusal(lambda sql, params: con.execute(sql, params).df(), batch_id)
            if refused:  # another writer got there first (we waited for its lock)
                raise RejectedChange(refused)
            con.execute("INSERT INTO batch_batal VALUES ($b, $a, $o, now()::TIMESTAMP, $own)",
                        {"b": batch_id, "a": (alasan or "").strip() or "dibatalkan", "o": oleh.strip(), "own": own_id})
            writer.summarise(con, own_id, 0, 0, 0, 0, f"membatalkan {batch_id}")
            return own_id

        return self.write(mark, jenis="batal", oleh=oleh.strip(), berkas=batch_id, backup=True,
                          koreksi_final=koreksi_final)

    def revert_effect(self, batch_id: str) -> str:
        """What reverting the batch brings back, in words ("nilai sebelumnya berlaku lagi", …)."""
        row = self.query(_BATCHES_SQL, {"batch": batch_id, "demo_dihapus": _DEMO_REMOVED_NOTE}).iloc[0]
        if row["jenis"] == "adopsi-batal":
            return t("basisdata.batch.akibat.peristiwa")
        if row["jenis"] in ("tutup-periode", "buka-periode"):  # reverting a close reopens, a reopen closes again
            return t(f"basisdata.batch.akibat.{row['jenis'].replace('-', '_')}", bulan=row["berkas"])
        if str(row["catatan"] or "").startswith(_DEMO_REMOVED_NOTE):
            return t("basisdata.batch.akibat.demo")
        return t("basisdata.batch.akibat.nilai")

    def meta(self) -> dict[str, str]:
        frame = self.query("SELECT kunci, nilai FROM meta")
        return dict(zip(frame["kunci"], frame["nilai"], strict=True))
