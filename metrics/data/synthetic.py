"""A deterministic synthetic database at national scale, for `tiru bench --skala nasional`.

The normal database (reference facts, catalogues, demo dataset) is built first with
build.build(); then, in one transaction on that file, DuckDB SQL adds:

- 7 300 synthetic kecamatan with codes in a range no real region uses (province 99:
  `99.01.01` … `99.74.65`), wilayah "Sintetis", names "Sintetis 0001" …;
- one observation per kecamatan × month × indicator (the 12 scored ones and
  volume_layanan) for the 120 months ending at the last month of the demo data
  (7 300 × 120 × 13 ≈ 11,4 million rows) — every indicator every month, heavier than the
  real frequencies, so the figures err on the slow side;
- adoption events (stages 1…k of each kecamatan × innovation, k from 0 to 4);
- all in one batch marked demo = TRUE (jenis "sintetis"), so the DATA CONTOH banner shows
  and a rebuild drops them instead of carrying them over as user data.

Values come from DuckDB's hash() of (kode, indikator, month) — no Python loop, no random
state — so the same catalogue gives the same database. The pages still show Asahan's 25
kecamatan (and Cimahi): the store's reads of observations and events are limited to those
regions (store.WILAYAH_PRODUK), so the synthetic rows test that a page's cost does not grow
with the rest of the country; imports pay for the size of the file they copy.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from metrics.data.build import DATA_DIR, build

PROVINCE = "99"  # no Indonesian province has code 99: the codes cannot be mistaken for real ones
WILAYAH = "Sintetis"
BATCH = "sintetis-nasional"
SUMBER = "SINTETIS: dibangkitkan oleh metrics/data/synthetic.py untuk uji kinerja, bukan data"
KECAMATAN = 7300
MONTHS = 120
PER_KABUPATEN = 99  # kecamatan codes 99.KK.01 … 99.KK.99

# Grain: one row per synthetic kecamatan. Codes 99.KK.NN, n = 0 … count-1.
_KECAMATAN_SQL = """
INSERT INTO kecamatan
SELECT printf('99.%02d.%02d', n // $per + 1, n % $per + 1) AS kode,
       printf('Sintetis %04d', n + 1) AS nama,
       $wilayah, printf('Kabupaten Sintetis %02d', n // $per + 1),
       (hash(n, 'desa') % 20)::INTEGER + 3, (hash(n, 'kel') % 4)::INTEGER,
       NULL, NULL, NULL,
       -10 + (hash(n, 'lat') % 1500) / 100.0, 95 + (hash(n, 'lon') % 4000) / 100.0,
       $sumber
FROM range($count) t(n)
"""

# Grain: kecamatan × month × indicator; nilai in the indicator's unit, inside batas_min…max.
# Each kecamatan starts at a hashed share of the way from the floor to the model and moves
# a hashed amount per year, with ±7,5 % noise per month.
_OBSERVASI_SQL = """
INSERT INTO observasi
WITH k AS (SELECT kode FROM kecamatan WHERE wilayah = $wilayah),
     i AS (SELECT i.kode, i.batas_min, i.batas_max,
                  coalesce(i.lantai, i.batas_min) AS lantai,
                  coalesce(m.nilai, i.batas_min + (i.batas_max - i.batas_min) / 20) AS model,
                  i.kode IN ('jenis_layanan', 'volume_layanan') AS bulat
           FROM indikator i LEFT JOIN model m ON m.indikator = i.kode),
     g AS (SELECT k.kode AS kec, i.*, t.m,
                  (hash(k.kode, i.kode) % 1000) / 1000.0 * 0.8 AS awal,
                  (hash(k.kode, i.kode, 'laju') % 1000) / 1000.0 * 0.06 AS laju,
                  ((hash(k.kode, i.kode, t.m) % 1000) / 1000.0 - 0.5) * 0.15 AS derau
           FROM k CROSS JOIN i CROSS JOIN range($months) t(m))
SELECT kec, ($mulai::DATE + to_months(m::INTEGER))::DATE, kode,
       CASE WHEN bulat THEN round(v) ELSE round(v, 2) END,
       $sumber, NULL, $batch
FROM (SELECT *, least(greatest(lantai + (model - lantai) * least(greatest(awal + laju * m / 12 + derau, 0), 1.1),
                               batas_min), batas_max) AS v FROM g)
"""

# Grain: one event per kecamatan × innovation × stage reached (1 … k, k = hash % 5), dated
# after the study visit, 45 days apart. urutan continues after the demo events.
_ADOPSI_SQL = """
INSERT INTO adopsi
WITH e AS (
    SELECT k.kode AS kec, v.kode AS inovasi, s.tahap,
           DATE '2025-01-02' + ((hash(k.kode, v.kode) % 200) + 45 * (s.tahap - 1))::INTEGER AS tanggal
    FROM kecamatan k CROSS JOIN inovasi v CROSS JOIN range(1, 5) s(tahap)
    WHERE k.wilayah = $wilayah AND s.tahap <= hash(k.kode, v.kode, 'tahap') % 5)
SELECT (SELECT coalesce(max(urutan), 0) FROM adopsi) + row_number() OVER (ORDER BY kec, inovasi, tahap),
       printf('sintetis-%d', row_number() OVER (ORDER BY kec, inovasi, tahap)),
       kec, inovasi, tahap, tanggal, 'Bukti sintetis', 'metrics/data/synthetic.py', $batch
FROM e
"""


def build_national(db_path: Path, data_dir: Path = DATA_DIR, *, kecamatan: int = KECAMATAN,
                   months: int = MONTHS, memory_limit: str = "4GB") -> dict[str, int]:
    """Build the demo database plus the synthetic national rows at db_path; return row counts.

    Deterministic: the same catalogue and demo data give the same rows.
    """
    db_path = Path(db_path)
    tmp = db_path.with_name(f".{db_path.name}.{os.getpid()}.sintetis.tmp")
    build(tmp, data_dir, with_demo=True)
    try:
        con = duckdb.connect(str(tmp), config={"memory_limit": memory_limit})
        try:
            con.execute("SET enable_progress_bar = false")
            last = con.execute("SELECT max(periode) FROM observasi").fetchone()[0]
            mulai = con.execute(
                "SELECT ($last::DATE - to_months($n))::DATE", {"last": last, "n": months - 1}
            ).fetchone()[0]
            params = {"wilayah": WILAYAH, "sumber": SUMBER, "batch": BATCH}
            con.begin()
            con.execute(
                "INSERT INTO batch VALUES ($batch, 'sintetis', 'metrics/data/synthetic.py', '', 'metrics/data/synthetic.py', "
                "now()::TIMESTAMP, TRUE)",
                {"batch": BATCH},
            )
            con.execute(_KECAMATAN_SQL, {"per": PER_KABUPATEN, "count": kecamatan, "wilayah": WILAYAH,
                                         "sumber": SUMBER})
            con.execute(_OBSERVASI_SQL, {**params, "months": months, "mulai": mulai})
            con.execute(_ADOPSI_SQL, {"wilayah": WILAYAH, "batch": BATCH})
            con.commit()
            con.execute("CHECKPOINT")
            counts = {
                table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("kecamatan", "observasi", "adopsi")
            }
        finally:
            con.close()
        with open(tmp, "rb") as handle:  # durable swap, as build.swap_in does
            os.fsync(handle.fileno())
        os.replace(tmp, db_path)
    finally:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
    return counts
