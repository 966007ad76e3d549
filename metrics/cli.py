"""`tiru` — the command line: build, ranking, export, adopsi, pptx, rapor, demo.

Exit codes: 0 success, 1 rejected input (the message says what to fix), 2 usage error.
Messages go to stderr, in Indonesian.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from metrics import benchmark, export, formatting
from metrics import periode as per
from metrics.store import DATA_DIR, Store, StoreError, build, default_db_path, default_with_demo, ensure_built

RANKING_COLUMNS = [
    "kode_kecamatan",
    "kecamatan",
    "skor",
    "cakupan",
    "peringkat",
    "peringkat_min",
    "peringkat_max",
    "peringkat_sebelumnya",
]

# argparse speaks English; these are the messages an operator meets.
_ARGPARSE_ID = {
    "the following arguments are required": "argumen berikut wajib diisi",
    "unrecognized arguments": "argumen tidak dikenal",
    "invalid choice": "pilihan tidak sah",
    "choose from": "pilih dari",
    "expected one argument": "perlu satu nilai",
}


class RejectedInput(Exception):
    """Input that is well-formed as a command but cannot be served (exit 1)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        for english, indonesian in _ARGPARSE_ID.items():
            message = message.replace(english, indonesian)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: kesalahan: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="tiru", description="Tiru: tolok ukur layanan kecamatan Asahan terhadap model Cimahi.")
    commands = parser.add_subparsers(dest="perintah", required=True, parser_class=_Parser, metavar="PERINTAH")
    commands.add_parser("build", help="bangun ulang basis data dari data/")
    ranking = commands.add_parser("ranking", help="peringkat kecamatan Asahan untuk satu periode")
    ranking.add_argument("--periode", help="bulan TTTT-BB (bawaan: bulan terakhir yang berisi data)")
    ranking.add_argument("--format", choices=["csv", "table"], default="csv")
    exporter = commands.add_parser("export", help="ekspor observasi dan katalog ke sebuah folder")
    exporter.add_argument("dir", type=Path, metavar="DIR")
    exporter.add_argument("--format", choices=list(export.FORMATS), default="csv")
    commands.add_parser("demo", help="bangkitkan ulang data contoh di data/demo/")
    commands.add_parser("serve", help="jalankan dasbor (streamlit run app.py); opsi lain, mis. --server.port 8502, "
                                      "diteruskan ke streamlit")
    tahap = commands.add_parser("adopsi", help="matriks tahap adopsi inovasi per kecamatan (CSV) untuk satu periode")
    tahap.add_argument("--periode", help="bulan TTTT-BB (bawaan: bulan terakhir yang berisi data)")
    for name, helptext, focus in (("pptx", "paket PowerPoint rapat bulanan (16:9, grafik dapat disunting)",
                                   "kecamatan fokus pada slide terakhir (kode, mis. 12.09.19)"),
                                  ("rapor", "rapor satu halaman per kecamatan (PDF A4)",
                                   "hanya kecamatan ini (kode); bawaan: ke-25 kecamatan dalam satu berkas")):
        pack = commands.add_parser(name, help=helptext)
        pack.add_argument("--periode", help="bulan TTTT-BB (bawaan: bulan terakhir yang berisi data)")
        pack.add_argument("--kecamatan", metavar="KODE", help=focus)
        pack.add_argument("out", type=Path, metavar="OUT")
    from metrics import operasi  # import, batches, revert, backup, restore

    operasi.add_commands(commands)
    from metrics import bench  # light import: measurements load streamlit only when run

    bench.configure(commands.add_parser("bench", help="ukur kinerja (halaman, mulai dingin, impor, beban, memori)"))
    return parser


def _store() -> Store:
    return Store(ensure_built())


def _resolve_period(store: Store, text: str | None) -> int:
    months = store.periods()
    if not months:
        raise RejectedInput("Basis data belum berisi observasi kecamatan Asahan; belum ada yang dapat diperingkat.")
    if text is None:
        return months[-1]
    try:
        wanted = per.parse(text)
    except per.PeriodeError as exc:
        raise RejectedInput(str(exc)) from exc
    if not months[0] <= wanted <= months[-1]:
        raise RejectedInput(
            f"Tidak ada data untuk periode {text}: data tersedia dari {per.fmt(months[0])} "
            f"sampai {per.fmt(months[-1])}."
        )
    return wanted


def ranking_frame(store: Store, periode: int) -> pd.DataFrame:
    """The ranking in the CLI's exact columns: skor 0–100 (2 decimals), cakupan 0–1."""
    table = benchmark.league_table(store, periode)
    out = table[RANKING_COLUMNS].copy()
    out["skor"] = out["skor"].round(2)
    out["cakupan"] = out["cakupan"].round(4)
    for column in ("peringkat", "peringkat_min", "peringkat_max", "peringkat_sebelumnya"):
        out[column] = out[column].astype("Int64")
    # Unranked rows show no rank range either: the range belongs to a rank.
    out.loc[out["peringkat"].isna(), ["peringkat_min", "peringkat_max"]] = pd.NA
    return out


def _print_table(frame: pd.DataFrame, periode: int) -> None:
    print(f"Peringkat kecamatan Asahan, {formatting.bulan(periode)}")
    rows = [["Kode", "Kecamatan", "Skor", "Cakupan", "Peringkat", "Rentang", "Bulan lalu"]]
    for r in frame.itertuples(index=False):
        rentang = "" if pd.isna(r.peringkat) else f"{r.peringkat_min}–{r.peringkat_max}"
        rows.append(
            [
                r.kode_kecamatan,
                r.kecamatan,
                formatting.angka(r.skor, 1),
                formatting.persen(r.cakupan),
                "belum diperingkat" if pd.isna(r.peringkat) else str(r.peringkat),
                rentang,
                "" if pd.isna(r.peringkat_sebelumnya) else str(r.peringkat_sebelumnya),
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args, streamlit_options = parser.parse_known_args(argv)
    if streamlit_options and args.perintah != "serve":
        parser.error(f"unrecognized arguments: {' '.join(streamlit_options)}")
    try:
        if args.perintah == "bench":
            from metrics import bench

            return bench.run(args, argv)
        from metrics import operasi

        if args.perintah in operasi.COMMANDS:
            return operasi.run(args)
        if args.perintah == "build":
            path = build(default_db_path(), with_demo=default_with_demo())
            print(f"Basis data dibangun: {path}", file=sys.stderr)
        elif args.perintah == "ranking":
            store = _store()
            periode = _resolve_period(store, args.periode)
            frame = ranking_frame(store, periode)
            if args.format == "csv":
                sys.stdout.write(frame.to_csv(index=False, lineterminator="\n"))
            else:
                _print_table(frame, periode)
        elif args.perintah == "export":
            for path in export.export(_store(), args.dir, args.format):
                print(f"Ditulis: {path}", file=sys.stderr)
        elif args.perintah == "adopsi":
            from metrics import adopsi

            store = _store()
            if not store.periods():
                raise RejectedInput("Basis data belum berisi observasi kecamatan Asahan; belum ada periode untuk "
                                    "matriks adopsi.")
            periode = _resolve_period(store, args.periode)
            kecamatan = list(store.kecamatan(benchmark.REGION)["kode"])
            frame = adopsi.matrix_csv_frame(store.adopsi(), kecamatan, list(store.inovasi().index), periode)
            sys.stdout.write(frame.to_csv(index=False, lineterminator="\n"))
        elif args.perintah in ("pptx", "rapor"):
            from metrics import pptx_pack, rapor, slides

            store = _store()
            inputs = slides.gather(store, _resolve_period(store, args.periode))
            try:
                codes = slides.check_kecamatan(inputs, args.kecamatan)
            except ValueError as exc:
                raise RejectedInput(str(exc)) from exc
            if args.perintah == "pptx":
                path = pptx_pack.write(slides.deck(inputs, args.kecamatan), args.out)
            else:
                path = rapor.write(inputs, args.out, codes)
            print(f"Ditulis: {path}", file=sys.stderr)
        elif args.perintah == "serve":
            from metrics import serve

            return serve.main(streamlit_options)
        elif args.perintah == "demo":
            from metrics import demo

            for path in demo.generate(DATA_DIR):
                print(f"Ditulis: {path}", file=sys.stderr)
    except RejectedInput as exc:
        print(f"tiru: {exc}", file=sys.stderr)
        return 1
    except StoreError as exc:
        print(f"tiru: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"tiru: tidak dapat menulis atau membaca berkas: {exc}", file=sys.stderr)
        return 1
    return 0
