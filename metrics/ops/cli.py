"""`tiru` — the command line: build, ranking, export, adopsi, dampak, pptx, rapor, laporan, demo.

Exit codes: 0 success, 1 rejected input (the message says what to fix), 2 usage error.
Messages go to stderr, in Indonesian by default; `--bahasa en` (before or after the command)
switches messages, help texts and outputs (table, pptx, rapor, laporan) to English. Every text is
in metrics/core/teks/cli.toml. CSV outputs (ranking, adopsi, dampak, export) keep their column
names: they are documented identifiers for recomputation, not prose. When what ranking, adopsi or
dampak print rests on demo data, a DATA CONTOH note goes to stderr (stdout stays clean CSV), as
every screen of the app says it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from metrics.core import bahasa, formatting
from metrics.core import periode as per
from metrics.core.bahasa import t
from metrics.data import export, wilayah
from metrics.data.build import DATA_DIR, build, default_db_path, default_with_demo, ensure_built
from metrics.data.store import Store, StoreError
from metrics.engine import benchmark, bulan
from metrics.presentation import keadaan, tampil

RANKING_COLUMNS = [
    "kode_kecamatan",
    "kecamatan",
    "skor",
    "cakupan",
    "peringkat",
    "peringkat_min",
    "peringkat_max",
    "peringkat_sebelumnya",
    "indeks",  # the Indeks as shown everywhere: skor rounded once to one decimal (presentation/tampil.py)
    "perubahan",  # its change since last month: the difference of the shown values, ranked in both months
    "status_gerak",  # naik | turun | tetap | masuk | keluar (empty: ranked in neither month)
]

# argparse writes its errors in English; these are the ones an operator meets, by their
# catalogue key (cli.argparse.*), shown in the active language.
_ARGPARSE = {
    "the following arguments are required": "wajib",
    "unrecognized arguments": "tidak_dikenal",
    "invalid choice": "pilihan_tidak_sah",
    "choose from": "pilih_dari",
    "expected one argument": "satu_nilai",
}


class RejectedInput(Exception):
    """Input that is well-formed as a command but cannot be served (exit 1)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        for english, key in _ARGPARSE.items():
            message = message.replace(english, t(f"cli.argparse.{key}"))
        self.print_usage(sys.stderr)
        self.exit(2, t("cli.kesalahan", prog=self.prog, pesan=message) + "\n")


def _add_language(parser: argparse.ArgumentParser, default) -> None:
    parser.add_argument("--bahasa", choices=list(bahasa.BAHASA), default=default, help=t("cli.bantuan.bahasa"))


def _description() -> str:
    """What `tiru --help` says Tiru compares: the configuration in force (TIRU_WILAYAH, TIRU_MODEL, read
    before any argument), where it comes from, and how another is chosen; a wrong setting is said."""
    try:
        config = wilayah.aktif()
    except wilayah.WilayahError as exc:
        return t("cli.deskripsi_salah", pesan=exc)
    key = "cli.deskripsi_internal" if config.internal else "cli.deskripsi"
    return t(key, kabupaten=config.kabupaten, kode=config.kode, model=config.model_nama, model_kode=config.model,
             model_kabupaten=config.model_kabupaten, bawaan_kode=wilayah.DEFAULT_WILAYAH,
             bawaan_model=wilayah.DEFAULT_MODEL)


def _parser() -> argparse.ArgumentParser:
    """The whole command line, its help texts in the active language.

    Help texts are fixed when the parser is built, before the arguments are parsed; main()
    therefore reads --bahasa first (_requested_language) and builds the parser inside that
    language, so `tiru --bahasa en ranking --help` is English and plain `tiru --help` Indonesian.
    """
    parser = _Parser(prog="tiru", description=_description())
    _add_language(parser, None)
    commands = parser.add_subparsers(dest="perintah", required=True, parser_class=_Parser,
                                     metavar=t("cli.perintah"))
    _add_configuration(commands.add_parser("build", help=t("cli.bantuan.build")))
    ranking = commands.add_parser("ranking", help=t("cli.bantuan.ranking"))
    ranking.add_argument("--periode", help=t("cli.bantuan.periode"))
    ranking.add_argument("--format", choices=["csv", "table"], default="csv", help=t("cli.bantuan.format_ranking"))
    exporter = commands.add_parser("export", help=t("cli.bantuan.export"))
    exporter.add_argument("dir", type=Path, metavar="DIR")
    exporter.add_argument("--format", choices=list(export.FORMATS), default="csv", help=t("cli.bantuan.format_export"))
    demo_files = _add_configuration(commands.add_parser("demo", help=t("cli.bantuan.demo")))
    demo_files.add_argument("folder", type=Path, nargs="?", metavar="DIR", help=t("cli.bantuan.demo_folder"))
    commands.add_parser("serve", help=t("cli.bantuan.serve"))
    tahap = commands.add_parser("adopsi", help=t("cli.bantuan.adopsi"))
    tahap.add_argument("--periode", help=t("cli.bantuan.periode"))
    dampak = commands.add_parser("dampak", help=t("cli.bantuan.dampak"))
    dampak.add_argument("--periode", help=t("cli.bantuan.periode"))
    for name in ("pptx", "rapor"):
        pack = commands.add_parser(name, help=t(f"cli.bantuan.{name}"))
        pack.add_argument("--periode", help=t("cli.bantuan.periode"))
        pack.add_argument("--kecamatan", metavar="KODE", help=t(f"cli.bantuan.{name}_kecamatan"))
        pack.add_argument("out", type=Path, metavar="OUT")
    brief = commands.add_parser("laporan", help=t("cli.bantuan.laporan"))
    brief.add_argument("--periode", help=t("cli.bantuan.periode"))
    brief.add_argument("out", type=Path, metavar="OUT")
    from metrics.ops import operasi  # import, batches, revert, backup, restore

    operasi.add_commands(commands)
    from metrics.ops import siklus  # bulan, tutup-bulan, buka-bulan

    siklus.add_commands(commands)
    from metrics.ops import bench  # light import: measurements load streamlit only when run

    bench.configure(commands.add_parser("bench", help=t("cli.bantuan.bench")))
    # --bahasa is also accepted after the command (`tiru pptx --bahasa en …`); SUPPRESS keeps a
    # command without it from overwriting the value given before the command.
    for command in commands.choices.values():
        _add_language(command, argparse.SUPPRESS)
    return parser


def _add_configuration(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """--wilayah / --model: the configuration for this command only (build, demo), over TIRU_WILAYAH / TIRU_MODEL."""
    parser.add_argument("--wilayah", metavar="KODE", help=t("cli.bantuan.wilayah"))
    parser.add_argument("--model", metavar="KODE", help=t("cli.bantuan.model"))
    return parser


def _requested_language(argv: list[str]) -> str | None:
    """The value of --bahasa in `argv` (before or after the command), read before parsing."""
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--bahasa" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--bahasa="):
            return arg.split("=", 1)[1]
    return None


def _store() -> Store:
    return Store(ensure_built())


def _resolve_period(store: Store, text: str | None) -> int:
    months = store.periods()
    if not months:
        raise RejectedInput(t("cli.pesan.belum_ada_observasi"))
    if text is None:  # the default month: the latest final one (metrics/engine/bulan.py)
        return bulan.default_month(bulan.month_table(store))
    try:
        wanted = per.parse(text)
    except per.PeriodeError as exc:
        raise RejectedInput(str(exc)) from exc
    if not months[0] <= wanted <= months[-1]:
        raise RejectedInput(
            t("cli.pesan.tidak_ada_data", teks=text, awal=per.fmt(months[0]), akhir=per.fmt(months[-1]))
        )
    return wanted


def ranking_frame(store: Store, periode: int, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """The ranking in the CLI's exact columns: skor 0–100 (2 decimals), cakupan 0–1, and the Indeks and
    movement as shown (indeks one decimal, perubahan); `table` is the month's league table if at hand."""
    table = benchmark.league_table(store, periode) if table is None else table.copy()
    table["indeks"] = tampil.indeks(table["skor"])
    out = table[RANKING_COLUMNS].copy()
    out["skor"] = out["skor"].round(2)
    out["cakupan"] = out["cakupan"].round(4)
    for column in ("peringkat", "peringkat_min", "peringkat_max", "peringkat_sebelumnya"):
        out[column] = out[column].astype("Int64")
    # Unranked rows show no rank range either: the range belongs to a rank.
    out.loc[out["peringkat"].isna(), ["peringkat_min", "peringkat_max"]] = pd.NA
    return out


def _note_demo(shown: bool) -> None:
    """The DATA CONTOH note on stderr when the printed numbers rest on demo data."""
    if shown:
        print(t("cli.pesan.data_contoh"), file=sys.stderr)


def _demo_events(store: Store, periode: int) -> bool:
    """Whether any event in force by the end of `periode` belongs to a demo batch."""
    events = store.adopsi()
    if events.empty:
        return False
    batches = store.batches()
    demo = set(batches.loc[batches["demo"].astype(bool), "id"])
    dated = pd.to_datetime(events["tanggal"]).dt.date <= per.month_end(periode)
    return bool(events.loc[dated, "batch"].isin(demo).any())


def dampak_frame(store: Store, periode: int) -> tuple[pd.DataFrame, bool]:
    """`tiru dampak`'s CSV frame and whether it rests on demo data; RejectedInput when nothing
    can be estimated."""
    from metrics.engine import adopsi, dampak

    effects = dampak.store_impact(store, periode)
    if effects["efek"].isna().all():
        raise RejectedInput(t("cli.pesan.tidak_ada_dampak", bulan=formatting.bulan(periode),
                              minimum=dampak.MIN_GROUP, berjalan=adopsi.nama_tahap(adopsi.BERJALAN),
                              jendela=dampak.WINDOW))
    observed = store.observasi(dampak.first_month(store, periode) - dampak.WINDOW, periode)
    demo = bool(observed["demo"].any()) or _demo_events(store, periode)
    return dampak.csv_frame(effects), demo


def _print_table(frame: pd.DataFrame, periode: int, state: keadaan.Keadaan, gerak: pd.Series) -> None:
    """The ranking as the Peringkat page shows it: the Indeks rounded once (from the exact score, not
    the CSV's two decimals), the movement beside last month's published rank, the month's state on top."""
    print(t("cli.tabel.judul", bulan=formatting.bulan(periode)))
    print(state.baris())
    rows = [[t("istilah.kode"), t("istilah.kecamatan"), t("istilah.indeks_tiru"), t("cli.tabel.kolom.cakupan"),
             t("istilah.peringkat"), t("cli.tabel.kolom.rentang"), t("istilah.gerak"), t("cli.tabel.kolom.bulan_lalu")]]
    for r in frame.itertuples(index=False):
        rentang = "" if pd.isna(r.peringkat) else f"{r.peringkat_min}–{r.peringkat_max}"
        rows.append(
            [
                r.kode_kecamatan,
                r.kecamatan,
                formatting.angka(r.indeks, 1),
                formatting.persen(r.cakupan),
                t("istilah.belum_diperingkat") if pd.isna(r.peringkat) else str(r.peringkat),
                rentang,
                gerak[r.kode_kecamatan],
                "" if pd.isna(r.peringkat_sebelumnya) else str(r.peringkat_sebelumnya),
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


def _adoption_period(text: str | None, first: int, last: int) -> int:
    """--periode of `tiru adopsi`: adoption's own calendar, up to the current month (the default)."""
    if text is None:
        return last
    try:
        wanted = per.parse(text)
    except per.PeriodeError as exc:
        raise RejectedInput(str(exc)) from exc
    if not first <= wanted <= last:
        raise RejectedInput(t("cli.pesan.di_luar_kalender_adopsi", teks=text, awal=per.fmt(first), akhir=per.fmt(last)))
    return wanted


def main(argv: list[str] | None = None) -> int:
    """Run one command; the exit code. --bahasa holds for this call only (bahasa.dalam), so a
    test or caller in another language gets its own language back afterwards."""
    argv = sys.argv[1:] if argv is None else list(argv)
    with bahasa.dalam(_requested_language(argv) or bahasa.aktif()):
        return _main(argv)


def _main(argv: list[str]) -> int:
    parser = _parser()
    args, streamlit_options = parser.parse_known_args(argv)
    bahasa.pakai(args.bahasa or bahasa.aktif())
    if streamlit_options and args.perintah != "serve":
        parser.error(f"unrecognized arguments: {' '.join(streamlit_options)}")
    try:
        return _run(args, argv, streamlit_options) or 0
    except (RejectedInput, per.PeriodeError) as exc:  # PeriodeError: a bad TIRU_HARI_INI / TIRU_TENGGAT_HARI
        print(f"tiru: {exc}", file=sys.stderr)
        return 1
    except StoreError as exc:
        print(f"tiru: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"tiru: {t('cli.pesan.berkas', pesan=exc)}", file=sys.stderr)
        return 1


def _run(args: argparse.Namespace, argv: list[str], streamlit_options: list[str]) -> int | None:
    """Hand the command to whoever serves it: the bench, the data operations (operasi), the month's
    cycle (siklus), the server, or one of the commands below. Returns the exit code (None = 0)."""
    if args.perintah == "bench":
        from metrics.ops import bench

        return bench.run(args, argv)
    from metrics.ops import operasi

    if args.perintah in operasi.COMMANDS:
        return operasi.run(args)
    from metrics.ops import siklus

    if args.perintah in siklus.COMMANDS:
        return siklus.run(args)
    if args.perintah == "serve":
        from metrics.ops import serve

        return serve.main(streamlit_options)
    command = _COMMANDS.get(args.perintah)
    return command(args) if command else None


def _cmd_build(args) -> None:
    config = wilayah.baca(args.wilayah, args.model, setelan=("--wilayah", "--model"))
    path = build(default_db_path(config), with_demo=default_with_demo(), config=config)
    print(t("cli.pesan.dibangun", path=path), file=sys.stderr)
    print(config.catatan(), file=sys.stderr)
    if not config.bawaan:  # the app and every other command read the settings: say which
        print(t("cli.pesan.pakai_konfigurasi", kode=config.kode, model=config.model), file=sys.stderr)


def _cmd_ranking(args) -> None:
    store = _store()
    periode = _resolve_period(store, args.periode)
    table = benchmark.league_table(store, periode)
    frame = ranking_frame(store, periode, table)
    demo = bool(benchmark.values(store, periode)["demo"].any())
    _note_demo(demo)
    if args.format == "csv":
        sys.stdout.write(frame.to_csv(index=False, lineterminator="\n"))
        return
    moved = {k: tampil.gerak_teks(c, g, st) for k, c, g, st in zip(
        table["kode_kecamatan"], table["perubahan"], table["gerak"], table["status_gerak"], strict=True)}
    _print_table(frame, periode, keadaan.dari_store(store, periode, demo), pd.Series(moved))


def _cmd_export(args) -> None:
    for path in export.export(_store(), args.dir, args.format):
        print(t("cli.pesan.ditulis", path=path), file=sys.stderr)


def _cmd_adopsi(args) -> None:
    from metrics.engine import adopsi

    store = _store()
    events = store.adopsi()
    periode = _adoption_period(args.periode, *adopsi.calendar(store.periods(), events, per.hari_ini()))
    kecamatan = list(store.kecamatan(benchmark.region())["kode"])
    frame = adopsi.matrix_csv_frame(events, kecamatan, list(store.inovasi().index), periode)
    _note_demo(_demo_events(store, periode))
    sys.stdout.write(frame.to_csv(index=False, lineterminator="\n"))
    if events.empty:
        print(t("cli.pesan.belum_ada_peristiwa_adopsi"), file=sys.stderr)


def _cmd_dampak(args) -> None:
    store = _store()
    if not store.periods():
        raise RejectedInput(t("cli.pesan.belum_ada_periode_dampak"))
    frame, demo = dampak_frame(store, _resolve_period(store, args.periode))
    _note_demo(demo)
    sys.stdout.write(frame.to_csv(index=False, lineterminator="\n"))


def _cmd_pack(args) -> None:
    """pptx (the meeting deck) and rapor (the PDF), from the same gathered inputs."""
    from metrics.reports import deck_spec, pptx_pack, rapor, slides

    store = _store()
    inputs = deck_spec.gather(store, _resolve_period(store, args.periode))
    try:
        codes = slides.check_kecamatan(inputs, args.kecamatan)
    except ValueError as exc:
        raise RejectedInput(str(exc)) from exc
    if args.perintah == "pptx":
        path = pptx_pack.write(slides.deck(inputs, args.kecamatan), args.out)
    else:
        path = rapor.write(inputs, args.out, codes)
    print(t("cli.pesan.ditulis", path=path), file=sys.stderr)


def _cmd_laporan(args) -> None:
    from metrics.reports import deck_spec, laporan_bulanan as laporan

    store = _store()
    periode = _resolve_period(store, args.periode)
    inputs = deck_spec.gather(store, periode)
    if laporan.is_empty(inputs):
        raise RejectedInput(t("laporan.kosong", bulan=formatting.bulan(periode)))
    print(t("cli.pesan.ditulis", path=laporan.write(inputs, args.out)), file=sys.stderr)


def _cmd_demo(args) -> None:
    """The demo of the configuration in force (settings, or --wilayah/--model as for build): the shipped
    configuration's into data/demo (the committed files), any other's into data/demo-KODE-MODEL, so the
    committed Asahan demo is never overwritten by another kabupaten's."""
    from metrics.data import demo, demo_wilayah

    config = wilayah.baca(args.wilayah, args.model, setelan=("--wilayah", "--model"))
    if config.bawaan:
        paths = demo.generate(DATA_DIR, out=args.folder)
    else:
        out = args.folder or DATA_DIR / f"demo-{config.kode}-{config.model}"
        paths = demo_wilayah.generate(config, DATA_DIR, out)
    for path in paths:
        print(t("cli.pesan.ditulis", path=path), file=sys.stderr)
    print(config.catatan(), file=sys.stderr)


# The commands served here (the others: bench, operasi.COMMANDS, siklus.COMMANDS, serve; see _run).
_COMMANDS = {"build": _cmd_build, "ranking": _cmd_ranking, "export": _cmd_export, "adopsi": _cmd_adopsi,
             "dampak": _cmd_dampak, "pptx": _cmd_pack, "rapor": _cmd_pack, "laporan": _cmd_laporan,
             "demo": _cmd_demo}
