"""The monthly cycle (docs/metodologi.md "The monthly cycle"): each month's status, the default month,
and the reporting tracker with each kecamatan's punctuality.

- **Status**: *final* when an admin closed the month (latest action not reverted); otherwise
  *sementara* once its deadline (day TIRU_TENGGAT_HARI of the next month, default 10) has passed
  or at least 80 % of kecamatan reported every monthly indicator; otherwise *berjalan*.
- **Default month**: the latest final month, else the latest month ≥ 80 % complete, else (a new
  database with thin data) the latest month with data, which then says it is not final.
- **Arrival** of a value is the time of the first batch that brought it; values held only by the
  demo have none. A month's report is complete when every monthly indicator has arrived; it is on
  time when that happened by the end of the deadline day.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from metrics.core import periode as per
from metrics.core.bahasa import t
from metrics.data.store import Store
from metrics.data.wilayah import ranked as region

STATUS = ("berjalan", "sementara", "final", "final_contoh")
FINAL = (
    "final",
    "final_contoh",
)  # final_contoh: closed only by the demo's rule, shown "final (contoh)", guards nothing
PUNCTUALITY_MONTHS = 12


def with_status(months: pd.DataFrame, today: dt.date, tenggat_hari: int) -> pd.DataFrame:
    """Store.bulan() with `tenggat` (deadline date) and `status` (berjalan | sementara | final |
    final_contoh: closed only by the demo's rule, which guards nothing and goes with the demo)."""
    out = months.copy()
    out["tenggat"] = [per.tenggat(int(m), tenggat_hari) for m in out["periode"]]
    demo = out["aksi_demo"] if "aksi_demo" in out else [False] * len(out)
    out["status"] = [
        ("final_contoh" if by_demo else "final") if closed
        else "sementara" if today > deadline or per.lengkap_cukup(n, total) else "berjalan"
        for closed, by_demo, deadline, n, total in zip(out["ditutup"], demo, out["tenggat"], out["lengkap"],
                                                       out["total"], strict=True)]
    return out


def month_table(store: Store, today: dt.date | None = None) -> pd.DataFrame:
    """Every month with data, oldest first, with its status and deadline as of `today`."""
    return with_status(store.bulan(region()), today or per.hari_ini(), per.tenggat_hari())


def default_month(table: pd.DataFrame) -> int | None:
    """The month every view opens on (see the module's docstring); None without data."""
    if table.empty:
        return None
    final = table[table["status"].isin(FINAL)]
    if len(final):
        return int(final["periode"].max())
    complete = [
        m
        for m, n, total in zip(table["periode"], table["lengkap"], table["total"], strict=True)
        if per.lengkap_cukup(n, total)
    ]
    return int(max(complete)) if complete else int(table["periode"].max())


def closed_by_admin(months: pd.DataFrame) -> list[int]:
    """The months an admin closed (final, not reopened since), oldest first; `months` is Store.bulan()
    or metrics/data/bulan.month_table(). An import into one corrects numbers already published, so
    metrics/ingest refuses it unless an admin accepts it as a correction. The demo's own closures
    (made by rule when the demo is built) are no one's decision and are left out."""
    return [int(m) for m, closed, demo in zip(months["periode"], months["ditutup"], months["aksi_demo"], strict=True)
            if closed and not demo]


def status_name(status: str) -> str:
    return t(f"bulan.status.{status}")


def notice(table: pd.DataFrame, periode: int) -> str | None:
    """'sementara · 12 dari 25 melapor' for a month that is not final; None for a final one."""
    rows = table[table["periode"] == periode]
    if rows.empty:
        return None
    row = rows.iloc[0]
    if row["status"] in FINAL:
        return None
    return t("bulan.pemberitahuan", status=status_name(row["status"]), n=int(row["lengkap"]), total=int(row["total"]))


# --------------------------------------------------------------------------- the tracker


def open_month(table: pd.DataFrame, today: dt.date) -> int:
    """The month being collected: last month (its report is due this month) unless it is final
    already; then the latest month with data that is not final, else last month anyway."""
    due = per.from_date(today) - 1
    final = set(table.loc[table["status"].isin(FINAL), "periode"])
    if due not in final:
        return due
    open_ = [m for m in table["periode"] if m not in final and m <= due]
    return int(max(open_)) if open_ else due


def _monthly_codes(store: Store) -> list[str]:
    catalogue = store.indikator()
    return list(catalogue.index[catalogue["frekuensi"] == "bulanan"])


def report_states(arrivals: pd.DataFrame, kecamatan: list[str], monthly: list[str], months: list[int],
                  today: dt.date, tenggat_hari: int) -> pd.DataFrame:
    """Per kecamatan × month: dikirim (monthly indicators received), keadaan (lengkap | sebagian |
    belum), selesai (date the report became complete; NaT when unknown or incomplete), tepat
    (tepat | terlambat | belum | tanpa_catatan | berjalan) and terlambat_hari (days past the
    deadline: of completion, or of today while still incomplete; 0 when not late)."""
    rows = []
    arrivals = arrivals[arrivals["indikator"].isin(monthly)]
    grouped = arrivals.groupby(["kode_kecamatan", "periode"]).agg(
        n=("indikator", "nunique"), known=("tiba", "count"), last=("tiba", "max"))
    cells = dict(zip(grouped.index, zip(grouped["n"], grouped["known"], grouped["last"], strict=True), strict=True))
    for month in months:
        deadline = per.tenggat(month, tenggat_hari)
        for kode in kecamatan:
            sent, known, last = cells.get((kode, month), (0, 0, pd.NaT))
            complete = sent == len(monthly)
            done = pd.Timestamp(last).date() if complete and known == sent else pd.NaT
            if complete:
                state = "tanpa_catatan" if pd.isna(done) else "tepat" if done <= deadline else "terlambat"
                late = 0 if pd.isna(done) else max(0, (done - deadline).days)
            else:
                state = "belum" if today > deadline else "berjalan"
                late = max(0, (today - deadline).days)
            rows.append({"kode": kode, "periode": month, "dikirim": sent, "diharapkan": len(monthly),
                         "keadaan": "lengkap" if complete else "sebagian" if sent else "belum",
                         "selesai": done, "tepat": state, "terlambat_hari": late})
    return pd.DataFrame(rows, columns=["kode", "periode", "dikirim", "diharapkan", "keadaan", "selesai", "tepat",
                                       "terlambat_hari"])


def reporting(store: Store, today: dt.date | None = None, table: pd.DataFrame | None = None,
              n: int = PUNCTUALITY_MONTHS) -> tuple[int, pd.DataFrame, pd.DataFrame]:
    """(open month, its tracker, punctuality over the `n` months up to it), reading the store once.

    The tracker, per kecamatan, late ones first: kode, nama, dikirim, diharapkan, kurang (codes of
    the monthly indicators still missing), keadaan, selesai, terlambat_hari. Punctuality, per
    kecamatan: bulan (months assessed), tepat, terlambat, belum (incomplete after the deadline),
    tanpa_catatan (no arrival time: demo data), rata_terlambat (mean days late; NaN when none).
    `table` is month_table(store, today) when the caller has it already."""
    today = today or per.hari_ini()
    table = month_table(store, today) if table is None else table
    periode = open_month(table, today)
    months = list(range(periode - n + 1, periode + 1))
    kecamatan = store.kecamatan(region())
    monthly = _monthly_codes(store)
    arrivals = store.kedatangan(months[0], periode, region())
    states = report_states(arrivals, list(kecamatan["kode"]), monthly, months, today, per.tenggat_hari())
    return periode, _tracker(states, arrivals, kecamatan, monthly, periode), _punctuality(states, kecamatan)


def _tracker(states, arrivals, kecamatan, monthly, periode) -> pd.DataFrame:
    now = states[states["periode"] == periode].copy()
    sent = arrivals[arrivals["periode"] == periode].groupby("kode_kecamatan")["indikator"].agg(set)
    now["kurang"] = [[c for c in monthly if c not in sent.get(k, set())] for k in now["kode"]]
    now.insert(1, "nama", now["kode"].map(kecamatan.set_index("kode")["nama"]))
    now["_urut"] = now["keadaan"].map({"belum": 0, "sebagian": 1, "lengkap": 2})
    now = now.sort_values(["_urut", "terlambat_hari", "kode"], ascending=[True, False, True])
    return now.drop(columns=["periode", "tepat", "_urut"]).reset_index(drop=True)


def _punctuality(states, kecamatan) -> pd.DataFrame:
    assessed = states[states["tepat"] != "berjalan"]
    columns = ["tepat", "terlambat", "belum", "tanpa_catatan"]
    counts = {c: assessed[assessed["tepat"] == c].groupby("kode").size() for c in columns}
    late = assessed[assessed["tepat"] == "terlambat"].groupby("kode")["terlambat_hari"].mean()
    out = pd.DataFrame({"kode": kecamatan["kode"], "nama": kecamatan["nama"]}).reset_index(drop=True)
    for c in columns:
        out[c] = [int(counts[c].get(k, 0)) for k in out["kode"]]
    out.insert(2, "bulan", out[columns].sum(axis=1).astype(int))
    out["rata_terlambat"] = out["kode"].map(late)
    return out


def tracker(store: Store, today: dt.date | None = None) -> tuple[int, pd.DataFrame]:
    """(open month, its tracker): see reporting()."""
    periode, frame, _ = reporting(store, today)
    return periode, frame


def punctuality(store: Store, today: dt.date | None = None, n: int = PUNCTUALITY_MONTHS) -> pd.DataFrame:
    """Each kecamatan's punctuality over the `n` months up to the open month: see reporting()."""
    return reporting(store, today, n=n)[2]
