"""An admin's actions on the monthly cycle: closing a month (it becomes final) and reopening it,
each written as a batch that can be reverted (metrics/data/writer.py guards final months).
Apart from metrics/data/catatan_bulan.py, which only reads the months, so that the writer can use those
rules without an import circle."""

from __future__ import annotations

import pandas as pd

from metrics.core import periode as per
from metrics.core.bahasa import t
from metrics.data import catatan_bulan as bulan, writer
from metrics.data.writer import RejectedChange


def close_month(store, periode: int, oleh: str) -> str:
    """Close month `periode` (it becomes final); returns the batch id. Raises RejectedChange
    when the month has no data, is already final, or has not ended yet."""
    row = _month(store, periode)
    if not str(oleh or "").strip():
        raise RejectedChange(t("basisdata.bulan.nama_wajib"))
    if per.hari_ini() <= per.month_end(periode):
        raise RejectedChange(t("basisdata.bulan.belum_berakhir", bulan=per.fmt(periode)))
    if bool(row["ditutup"]) and not bool(row["aksi_demo"]):  # the demo's "final (contoh)" may be closed for real
        raise RejectedChange(t("basisdata.bulan.sudah_final", bulan=per.fmt(periode)))
    return _record(store, periode, "tutup", oleh.strip(), None)


def reopen_month(store, periode: int, oleh: str, alasan: str) -> str:
    """Reopen a final month, with a reason; returns the batch id. Raises RejectedChange."""
    row = _month(store, periode)
    if not str(alasan or "").strip():
        raise RejectedChange(t("basisdata.bulan.alasan_wajib"))
    if not str(oleh or "").strip():
        raise RejectedChange(t("basisdata.bulan.nama_wajib"))
    if not bool(row["ditutup"]) or bool(row["aksi_demo"]):
        raise RejectedChange(t("basisdata.bulan.belum_final", bulan=per.fmt(periode)))
    return _record(store, periode, "buka", oleh.strip(), alasan.strip())


def _month(store, periode: int) -> pd.Series:
    months = bulan.month_table(store.query).set_index("periode")
    if periode not in months.index:
        raise RejectedChange(t("basisdata.bulan.tanpa_data", bulan=per.fmt(periode)))
    return months.loc[periode]


def _record(store, periode: int, aksi: str, oleh: str, alasan: str | None) -> str:
    def insert(con, batch_id):
        # again inside the write: another admin may have done it since (two closes at once write one)
        closed = periode in bulan.closed_months(lambda sql, params: con.execute(sql, params).df())
        if aksi == "tutup" and closed:
            raise RejectedChange(t("basisdata.bulan.sudah_final", bulan=per.fmt(periode)))
        if aksi == "buka" and not closed:
            raise RejectedChange(t("basisdata.bulan.belum_final", bulan=per.fmt(periode)))
        con.execute("INSERT INTO bulan_tutup VALUES ($p, $aksi, $alasan, $b)",
                    {"p": per.to_date(periode), "aksi": aksi, "alasan": alasan, "b": batch_id})
        writer.summarise(con, batch_id, 0, 0, 0, 0, alasan)
        return batch_id

    jenis = "tutup-periode" if aksi == "tutup" else "buka-periode"
    return store.write(insert, jenis=jenis, oleh=oleh, berkas=per.fmt(periode))
