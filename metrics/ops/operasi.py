"""Data operations on the command line: import, batches, revert, backup, restore.

`metrics/ops/cli.py` only parses and dispatches here. The CLI has no sign-in: it is for the
server's administrator (whoever can run it can write the database file anyway); `--oleh`
records who did it in the batch. Help and messages follow the active language (--bahasa);
the dry-run CSV on stdout keeps its machine-read columns and status codes.

Exit codes: 0 done (or nothing to change), 1 rejected file or change (nothing written; also
values that need checking without --terima-peringatan, and values in a month an admin closed
without --koreksi-final, the dry run included),
2 usage error (missing file, demo data present without --hapus-demo/--dengan-demo).
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys
from pathlib import Path

from metrics import ingest
from metrics.core import formatting
from metrics.core.bahasa import t
from metrics.data import writer
from metrics.data.build import AUTOMATIC, backup_dir, backups, default_db_path, ensure_built
from metrics.data.store import RejectedChange, Store

COMMANDS = ("import", "batches", "revert", "backup", "restore")


def add_commands(commands) -> None:
    """Add the data-operation subcommands to the `tiru` parser."""
    imp = commands.add_parser("import", help=t("impor.cli.impor"))
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument("--jenis", choices=["auto", *ingest.JENIS], default="auto")
    imp.add_argument("--dry-run", action="store_true", help=t("impor.cli.dry_run"))
    imp.add_argument("--oleh", help=t("impor.cli.oleh"))
    imp.add_argument("--terima-peringatan", action="store_true", help=t("impor.cli.terima_peringatan"))
    imp.add_argument("--koreksi-final", action="store_true", help=t("impor.cli.koreksi_final"))
    demo = imp.add_mutually_exclusive_group()
    demo.add_argument("--hapus-demo", action="store_true", help=t("impor.cli.hapus_demo"))
    demo.add_argument("--dengan-demo", action="store_true", help=t("impor.cli.dengan_demo"))
    commands.add_parser("batches", help=t("impor.cli.batches"))
    rev = commands.add_parser("revert", help=t("impor.cli.revert"))
    rev.add_argument("batch", metavar="BATCH")
    rev.add_argument("--oleh", help=t("impor.cli.revert_oleh"))
    rev.add_argument("--alasan", default="", help=t("impor.cli.alasan"))
    rev.add_argument("--koreksi-final", action="store_true", help=t("impor.cli.revert_koreksi_final"))
    bak = commands.add_parser("backup", help=t("impor.cli.backup"))
    bak.add_argument("dir", type=Path, nargs="?", metavar="DIR", help=t("impor.cli.backup_dir"))
    bak.add_argument("--list", action="store_true", help=t("impor.cli.backup_list"))
    res = commands.add_parser("restore", help=t("impor.cli.restore"))
    res.add_argument("file", type=Path, metavar="FILE")


def who(name: str | None) -> str:
    if name and name.strip():
        return name.strip()
    try:
        return f"{getpass.getuser()} (CLI)"
    except Exception:
        return "administrator (CLI)"


def _err(message: str) -> None:
    print(f"tiru: {message}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    db = default_db_path()
    if args.perintah == "backup" and args.list:
        return _list_backups(db, args.dir)
    if args.perintah == "backup":
        path = writer.backup(ensure_built(db), args.dir)
        print(t("impor.cli.cadangan_ditulis", path=path), file=sys.stderr)
        print(path)
        return 0
    if args.perintah == "restore":
        if not args.file.is_file():
            _err(t("impor.cli.tidak_ditemukan", path=args.file))
            return 2
        previous = writer.restore(db, args.file)
        print(t("impor.cli.dipulihkan", path=args.file)
              + (" " + t("impor.cli.sebelumnya_disimpan", path=previous) if previous else ""), file=sys.stderr)
        return 0
    store = Store(ensure_built(db))
    try:
        return _run(store, args)
    finally:
        store.close()  # DuckDB hands a later connect() in this process the old file while one is open


def _backup_kind(path: Path) -> str:
    if f"-{AUTOMATIC}-" in path.name:
        return "otomatis"
    return "sebelum_pulih" if path.name.endswith("-sebelum-pulih.duckdb") else "manual"


def _list_backups(db: Path, directory: Path | None) -> int:
    """`tiru backup --list`: every copy with its kind, time and size, oldest first (stdout)."""
    folder = Path(directory) if directory else backup_dir(db)
    copies = backups(db, folder)
    if not copies:
        print(t("impor.cli.daftar_cadangan_kosong", folder=folder), file=sys.stderr)
        return 0
    print(t("impor.cli.daftar_cadangan_judul", folder=folder), file=sys.stderr)
    for path in copies:
        stat = path.stat()
        when = dt.datetime.fromtimestamp(stat.st_mtime).strftime("%Y-%m-%d %H:%M:%S")
        size = f"{formatting.angka(stat.st_size / 1e6, 1)} MB"
        print(f"{t('impor.cli.jenis_cadangan.' + _backup_kind(path)):<14}  {when}  {size:>10}  {path}")
    return 0


def _run(store: Store, args) -> int:
    if args.perintah == "batches":
        frame = store.batches()
        columns = ["id", "jenis", "berkas", "oleh", "waktu", "demo", "baris", "baru", "berubah", "sama",
                   "dibatalkan", "dibatalkan_oleh", "sha256", "catatan"]
        from metrics.data.export import neutralise

        sys.stdout.write(neutralise(frame[columns]).to_csv(index=False, lineterminator="\n"))
        return 0
    if args.perintah == "revert":
        try:
            own = store.revert(args.batch, who(args.oleh), args.alasan, koreksi_final=args.koreksi_final)
        except RejectedChange as exc:
            _err(str(exc))
            return 1
        print(t("impor.cli.dibatalkan", batch=args.batch, dicatat=own, akibat=store.revert_effect(args.batch)),
              file=sys.stderr)
        return 0
    return _import(store, args)


def _import(store: Store, args) -> int:
    path: Path = args.file
    if not path.is_file():
        _err(t("impor.cli.tidak_ditemukan", path=path))
        return 2
    size = path.stat().st_size
    if size > ingest.MAX_BYTES:  # refused before reading it whole
        _err(t("impor.cli.terlalu_besar", pesan=ingest.too_big(size)))
        return 1
    content = path.read_bytes()
    plan = ingest.prepare(store, content, path.name, args.jenis)
    for note in plan.catatan:
        print(t("impor.cli.catatan", catatan=note), file=sys.stderr)
    if not plan.ok:
        _err(str(ingest.Ditolak(plan.masalah)))
        return 1
    counts = plan.counts()
    summary = t("impor.hitungan", **counts)
    if args.dry_run:
        print(t("impor.cli.uji_coba", jenis=plan.jenis, baris=plan.baris, hitungan=summary), file=sys.stderr)
        changed = plan.perubahan[plan.perubahan["status"] != "sama"]
        if len(changed):
            sys.stdout.write(changed.drop(columns=["lama_demo"]).to_csv(index=False, lineterminator="\n"))
        refused = False  # what the import would refuse without confirmation: exit 1 as it would
        if plan.bulan_final:
            print(
                t("impor.final.uji_coba", n=sum(plan.bulan_final.values()), daftar=ingest.final_teks(plan.bulan_final)),
                file=sys.stderr,
            )
            refused = not args.koreksi_final
        if len(plan.cek):
            print(t("impor.cek.uji_coba", n=len(plan.cek)), file=sys.stderr)
            for line in plan.peringatan():
                print(f"  {line}", file=sys.stderr)
            refused = refused or not args.terima_peringatan
        return 1 if refused else 0
    demo = "hapus" if args.hapus_demo else ("pertahankan" if args.dengan_demo else None)
    try:
        result = ingest.impor(store, plan, who(args.oleh), demo=demo, terima_peringatan=args.terima_peringatan,
                              koreksi_final=args.koreksi_final)
    except ingest.DemoBelumDiputuskan as exc:
        _err(str(exc))
        return 2
    except RejectedChange as exc:
        _err(str(exc))
        return 1
    print(result.teks(), file=sys.stderr)
    if result.batch:
        print(result.batch)
    return 0


