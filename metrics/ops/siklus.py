"""The monthly cycle on the command line: `tiru bulan`, `tiru tutup-bulan`, `tiru buka-bulan`.

`metrics/ops/cli.py` parses and dispatches here. Closing and reopening are batches (jenis
tutup-periode / buka-periode, berkas = the month, catatan = the reason), listed by `tiru batches` and
revertible like any batch. Texts: metrics/core/teks/cli.toml ([bulan]).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

import pandas as pd

from metrics.core import formatting
from metrics.core import periode as per
from metrics.core.bahasa import t
from metrics.data import penutupan
from metrics.data.build import ensure_built
from metrics.data.store import RejectedChange, Store
from metrics.engine import bulan

COMMANDS = ("bulan", "tutup-bulan", "buka-bulan")
COLUMNS = ["periode", "status", "lengkap", "total", "tenggat"]


def add_commands(commands) -> None:
    listing = commands.add_parser("bulan", help=t("cli.bulan.bantuan"))
    listing.add_argument("--format", choices=["csv", "table"], default="csv", help=t("cli.bulan.format"))
    close = commands.add_parser("tutup-bulan", help=t("cli.bulan.tutup"))
    close.add_argument("periode", metavar="YYYY-MM")
    close.add_argument("--oleh", help=t("impor.cli.oleh"))
    reopen = commands.add_parser("buka-bulan", help=t("cli.bulan.buka"))
    reopen.add_argument("periode", metavar="YYYY-MM")
    reopen.add_argument("--alasan", required=True, help=t("cli.bulan.alasan"))
    reopen.add_argument("--oleh", help=t("impor.cli.oleh"))


def month_frame(store: Store) -> pd.DataFrame:
    """`tiru bulan` in its exact columns: periode YYYY-MM, status, lengkap, total, tenggat YYYY-MM-DD."""
    table = bulan.month_table(store)
    out = table[COLUMNS].copy()
    out["periode"] = [per.fmt(m) for m in out["periode"]]
    out["tenggat"] = [d.isoformat() for d in out["tenggat"]]
    return out


def run(args: argparse.Namespace) -> int:
    """Exit 0 done, 1 refused (message on stderr, nothing written)."""
    from metrics.ops.operasi import who

    store = Store(ensure_built())
    try:
        if args.perintah == "bulan":
            frame = month_frame(store)
            if args.format == "csv":
                sys.stdout.write(frame.to_csv(index=False, lineterminator="\n"))
            else:
                _print_table(frame)
            return 0
        periode = per.parse(args.periode)
        if args.perintah == "tutup-bulan":
            batch = penutupan.close_month(store, periode, who(args.oleh))
            print(t("cli.bulan.ditutup", bulan=formatting.bulan(periode), batch=batch), file=sys.stderr)
        else:
            batch = penutupan.reopen_month(store, periode, who(args.oleh), args.alasan)
            print(t("cli.bulan.dibuka", bulan=formatting.bulan(periode), batch=batch), file=sys.stderr)
        return 0
    except (RejectedChange, per.PeriodeError) as exc:
        print(f"tiru: {exc}", file=sys.stderr)
        return 1
    finally:
        store.close()


def _print_table(frame) -> None:
    rows = [[t("umum.periode"), t("istilah.status"), t("cli.bulan.kolom.lengkap"), t("cli.bulan.kolom.tenggat")]]
    for r in frame.itertuples(index=False):
        rows.append([formatting.bulan(per.parse(r.periode)), bulan.status_name(r.status),
                     t("istilah.kpi.dari", n=r.lengkap, total=r.total),
                     formatting.tanggal(dt.date.fromisoformat(r.tenggat))])
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
