"""The reporting months in the database: how complete each month is, when values arrived, and
the admin's closures and reopenings (table bulan_tutup, each action its own batch).

Queries take `query(sql, params)` (Store.query, or a connection's execute(...).df() inside a build
or write), so the build can record the demo's closures with the same SQL the store reads with.
The rule that turns these counts into a status and a default month is the engine's
(metrics/engine/bulan.py).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from metrics.core import periode as per
from metrics.data.urutan import WINS
from metrics.data.wilayah import ranked

# Per month with any observation of the region: lengkap = kecamatan that sent every monthly
# indicator of the catalogue, melapor = kecamatan that sent at least one, total = kecamatan of
# the region; and the month's latest closing or reopening (not reverted; a demo closure only while
# the demo is in the database). Grain: one row per month; periode first of month.
_MONTHS_SQL = """
WITH kec AS (SELECT kode FROM kecamatan WHERE wilayah = $wilayah),
bulanan AS (SELECT kode FROM indikator WHERE frekuensi = 'bulanan'),
sent AS (
    SELECT o.periode, o.kode_kecamatan,
           count(DISTINCT o.indikator) FILTER (WHERE o.indikator IN (SELECT kode FROM bulanan)) AS n
    FROM observasi o
    WHERE o.kode_kecamatan IN (SELECT kode FROM kec) AND o.batch IN (SELECT id FROM batch_berlaku)
    GROUP BY ALL),
months AS (
    SELECT periode, count(*) FILTER (WHERE n = (SELECT count(*) FROM bulanan)) AS lengkap,
           count(*) FILTER (WHERE n > 0) AS melapor
    FROM sent GROUP BY periode),
aksi AS (
    SELECT u.periode, u.aksi, u.alasan, b.oleh, b.waktu, b.demo FROM bulan_tutup u JOIN batch_berlaku b ON b.id = u.batch
    WHERE (NOT b.demo OR NOT EXISTS (SELECT 1 FROM meta WHERE kunci = 'demo_dihapus'))
    QUALIFY row_number() OVER (PARTITION BY u.periode ORDER BY {wins}) = 1)
SELECT m.periode, m.lengkap::INTEGER AS lengkap, m.melapor::INTEGER AS melapor,
       (SELECT count(*) FROM kec)::INTEGER AS total, coalesce(a.aksi = 'tutup', FALSE) AS ditutup,
       a.aksi, a.oleh AS aksi_oleh, a.waktu AS aksi_waktu, a.alasan AS aksi_alasan, coalesce(a.demo, FALSE) AS aksi_demo
FROM months m LEFT JOIN aksi a ON a.periode = m.periode
ORDER BY m.periode
""".replace("{wins}", WINS)

# When each monthly value of the region arrived: the time of the first non-demo batch that
# brought it (reverted batches ignored); NULL when only demo data holds it (no arrival time).
# Grain: kecamatan × month × monthly indicator.
_ARRIVALS_SQL = """
SELECT o.kode_kecamatan, o.periode, o.indikator, min(b.waktu) FILTER (WHERE NOT b.demo) AS tiba
FROM observasi o JOIN batch_berlaku b ON b.id = o.batch
WHERE o.periode BETWEEN $dari AND $sampai
  AND o.kode_kecamatan IN (SELECT kode FROM kecamatan WHERE wilayah = $wilayah)
  AND o.indikator IN (SELECT kode FROM indikator WHERE frekuensi = 'bulanan')
GROUP BY ALL ORDER BY ALL
"""


def month_table(query, wilayah: str | None = None) -> pd.DataFrame:
    """Every month with data of the region (see _MONTHS_SQL); periode as a month index."""
    frame = query(_MONTHS_SQL, {"wilayah": wilayah or ranked()})
    frame["periode"] = [per.from_date(value) for value in frame["periode"]]
    return frame


# The invariants of a final month (README "Invarian", enforced by metrics/data/writer.write): the
# months an admin's closing holds now, with or without data (real actions only: the demo's own
# closures are shown as "final (contoh)" and guard nothing). Grain: one row per month.
_CLOSED_SQL = """
SELECT u.periode FROM bulan_tutup u JOIN batch_berlaku b ON b.id = u.batch
WHERE NOT b.demo
QUALIFY row_number() OVER (PARTITION BY u.periode ORDER BY {wins}) = 1 AND u.aksi = 'tutup'
ORDER BY u.periode
""".replace("{wins}", WINS)

# The effective values of some months (every region), to see what a change did to a final month.
_VALUES_SQL = """
SELECT o.kode_kecamatan, o.periode, o.indikator, o.nilai, b.demo FROM observasi o JOIN batch_berlaku b ON b.id = o.batch
WHERE list_contains($bulan, o.periode)
QUALIFY row_number() OVER (PARTITION BY o.kode_kecamatan, o.periode, o.indikator ORDER BY {wins}) = 1
""".replace("{wins}", WINS)


def closed_months(query) -> list[int]:
    """The months an admin's closing holds now (not reopened, not reverted), data or not."""
    return [per.from_date(pd.Timestamp(v).date()) for v in query(_CLOSED_SQL, {})["periode"]]


def final_months(query) -> list[int]:
    """The months that are final: closed by an admin (closed_months) and holding data of the region."""
    closed = closed_months(query)
    if not closed:  # most writes: nothing closed, no need to count the months
        return []
    with_data = set(month_table(query)["periode"])
    return [m for m in closed if m in with_data]


def month_values(query, months: list[int]) -> pd.DataFrame:
    """The effective values (kode_kecamatan, periode as a month index, indikator, nilai, demo) of `months`."""
    if not months:
        return pd.DataFrame(columns=["kode_kecamatan", "periode", "indikator", "nilai", "demo"])
    frame = query(_VALUES_SQL, {"bulan": [per.to_date(m) for m in months]})
    frame["periode"] = [per.from_date(pd.Timestamp(v).date()) for v in frame["periode"]]
    return frame


def changed_values(before: pd.DataFrame, after: pd.DataFrame) -> dict[int, int]:
    """{month: cells whose effective value appeared, vanished or changed, or passed between demo and
    real data (an equal real value replacing a demo one is a change of what is published)} between
    two month_values()."""
    keys = ["kode_kecamatan", "periode", "indikator"]
    both = before.merge(after, on=keys, how="outer", suffixes=("_lama", "_baru"))
    differ = both["nilai_lama"].isna() | both["nilai_baru"].isna() | (both["nilai_lama"] != both["nilai_baru"]) \
        | (both["demo_lama"] != both["demo_baru"])
    counts = both.loc[differ, "periode"].value_counts()
    return {int(m): int(n) for m, n in sorted(counts.items())}


def arrivals(query, dari: int, sampai: int, wilayah: str | None = None) -> pd.DataFrame:
    """Monthly values of months dari…sampai with their arrival time (tiba; NaT = demo only)."""
    frame = query(_ARRIVALS_SQL, {"dari": per.to_date(dari), "sampai": per.to_date(sampai),
                                 "wilayah": wilayah or ranked()})
    frame["periode"] = [per.from_date(value) for value in frame["periode"]]
    return frame


# --------------------------------------------------------------------------- the demo's closures


def close_demo_months(con, waktu: dt.datetime, wilayah: str) -> None:
    """Inside a build with the demo: record the demo's months as final up to its latest complete
    month (≥ 80 % of kecamatan sent every monthly indicator), by rule, as one demo batch."""
    months = month_table(lambda sql, params: con.execute(sql, params).df(), wilayah)
    complete = [m for m, n, total in zip(months["periode"], months["lengkap"], months["total"], strict=True)
                if per.lengkap_cukup(n, total)]
    if not complete:
        return
    batch_id = "demo-tutup-periode"
    con.execute("INSERT INTO batch VALUES ($id, 'tutup-periode', $berkas, '', 'metrics/data/demo.py', $waktu, TRUE)",
                {"id": batch_id, "berkas": f"data/demo ≤ {per.fmt(complete[-1])}", "waktu": waktu})
    con.execute("INSERT INTO bulan_tutup SELECT periode, 'tutup', NULL, $b FROM observasi WHERE periode <= $akhir "
                "GROUP BY periode", {"b": batch_id, "akhir": per.to_date(complete[-1])})
