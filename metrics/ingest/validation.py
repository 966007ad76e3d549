"""Validating a file per kind (observasi, skm, adopsi, target, model), the roles, and the dry run
prepare(). The rules are in metrics/ingest/__init__.py."""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
from pathlib import Path

import pandas as pd

from metrics.core import bahasa, formatting
from metrics.core import periode as per
from metrics.data.build import model_floor_problem
from metrics.data.store import Store
from metrics.engine import ikm as ikm_mod
from metrics.ingest.checks import (
    check_header,
    CheckContext,
    check_duplicates,
    formula_note,
    in_range,
    indicator_code,
    kecamatan_code,
    parse_cell,
    data_rows,
    text_cell,
)
from metrics.ingest.readers import Masalah, Tabel, read
from metrics.ingest.rencana import Rencana, diff_with_store, final_months_touched, plausibility
from metrics.ingest.values import EARLIEST, fmt_value, suggest, text_or_none, angka, bulan, bulat, number_style, tanggal

JENIS = ("observasi", "skm", "adopsi", "target", "model")
ADMIN_ONLY = {"target", "model"}
DEFAULT_SUMBER = "laporan kecamatan"  # sumber of a value whose file left it empty (the batch keeps the file name)

COLUMNS = {  # required, optional
    "observasi": (["kode_kecamatan", "periode", "indikator", "nilai"], ["sumber", "catatan", "kecamatan", "batch"]),
    "skm": (["kode_kecamatan", "periode", "responden"] + ikm_mod.UNSUR, ["kecamatan"]),
    "adopsi": (["kode_kecamatan", "inovasi", "tahap", "tanggal"], ["bukti", "oleh", "kecamatan"]),
    "target": (["tanggal"], ["inovasi", "tahap", "indikator", "nilai", "kode_kecamatan", "kecamatan"]),
    "model": (["indikator", "nilai", "sumber", "tanggal"], ["nama"]),
}


def _detect(tables: list[Tabel]) -> str | None:
    raw = set().union(*(set(t.header) for t in tables)) if tables else set()
    known = sorted({c for required, optional in COLUMNS.values() for c in required + optional})
    headers = set()
    for name in raw:  # a misspelt header still tells the kind; validation then names it
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.75)
        headers.add(close[0] if close else name)
    sheet_months = [t for t in tables if t.lembar and re.match(r"^\d{4}-\d{1,2}$", t.lembar.strip())]
    if set(ikm_mod.UNSUR) <= headers or {"u1", "u2", "u3"} <= headers:
        return "skm"
    if sheet_months:
        return "observasi"
    if {"periode", "indikator", "nilai"} & headers and "kode_kecamatan" in headers and "periode" in headers:
        return "observasi"
    if "inovasi" in headers and ({"bukti", "oleh"} & headers):
        return "adopsi"
    if "kode_kecamatan" in headers and {"inovasi", "tahap", "tanggal"} <= headers and len(tables) == 1 \
            and tables[0].lembar and tables[0].lembar.strip().lower() == "adopsi":
        return "adopsi"
    if {"inovasi", "tahap", "tanggal"} <= headers or ({"indikator", "nilai", "tanggal"} <= headers
                                                      and "sumber" not in headers):
        return "target"
    if {"indikator", "nilai", "sumber", "tanggal"} <= headers:
        return "model"
    if "kode_kecamatan" in headers and "periode" in headers:
        return "observasi"
    return None



def _observasi(ctx: CheckContext, tables: list[Tabel], berkas: str) -> pd.DataFrame:
    wide = [t for t in tables if t.lembar and re.match(r"^\s*\d{4}-\d{1,2}\s*$", t.lembar)]
    records = []
    if wide:
        for table in tables:
            if table not in wide:
                ctx.problems.append(Masalah(bahasa.t("impor.lembar_bukan_bulan", lembar=table.lembar), table.lembar))
        for table in wide:
            month = parse_cell(ctx, table, None, None, table.lembar.strip(), bulan, ctx.today)
            if month is None:
                continue
            indicator_cols = [h for h in table.header if h in ctx.indikator.index]
            if "kode_kecamatan" not in table.header:
                ctx.problems.append(Masalah(bahasa.t("impor.lebar_tanpa_kode"), table.lembar, None, "kode_kecamatan"))
                continue
            for _position, name in enumerate(table.header):
                if (
                    name
                    and name not in ("kode_kecamatan", "kecamatan", "sumber", "catatan")
                    and name not in indicator_cols
                ):
                    names = dict(zip(ctx.indikator.index, bahasa.names(ctx.indikator), strict=True))
                    ctx.problems.append(Masalah(bahasa.t("impor.bukan_kode_indikator", nama=name)
                                                + suggest(name, list(names)), table.lembar, 1, name, name))
            style = number_style(v for _, vals in data_rows(table) for c, v in vals.items() if c in indicator_cols)
            for row, values in data_rows(table):
                filled = [c for c in indicator_cols if values.get(c) is not None]
                if not filled:
                    continue
                kode = kecamatan_code(ctx, table, row, values.get("kode_kecamatan"), nama=values.get("kecamatan"))
                sumber = text_cell(ctx, table, row, "sumber", values.get("sumber"))
                catatan = text_cell(ctx, table, row, "catatan", values.get("catatan"))
                for column in filled:
                    nilai = parse_cell(ctx, table, row, column, values[column], angka, style)
                    if nilai is None or not in_range(ctx, table, row, column, column, nilai):
                        continue
                    records.append({"kode_kecamatan": kode, "periode": month, "indikator": column, "nilai": nilai,
                                    "sumber": sumber, "catatan": catatan,
                                    "_lembar": table.lembar, "_baris": row})
    else:
        required, optional = COLUMNS["observasi"]
        for table in tables:
            if not check_header(ctx, table, required, optional):
                continue
            style = number_style(values.get("nilai") for _, values in data_rows(table))
            for row, values in data_rows(table):
                kode = kecamatan_code(ctx, table, row, values.get("kode_kecamatan"), nama=values.get("kecamatan"))
                month = parse_cell(ctx, table, row, "periode", values.get("periode"), bulan, ctx.today)
                indikator = indicator_code(ctx, table, row, values.get("indikator"))
                nilai = parse_cell(ctx, table, row, "nilai", values.get("nilai"), angka, style)
                if indikator and nilai is not None:
                    in_range(ctx, table, row, "nilai", indikator, nilai)
                records.append({"kode_kecamatan": kode, "periode": month, "indikator": indikator, "nilai": nilai,
                                "sumber": text_cell(ctx, table, row, "sumber", values.get("sumber")),
                                "catatan": text_cell(ctx, table, row, "catatan", values.get("catatan")),
                                "_lembar": table.lembar, "_baris": row})
    frame = pd.DataFrame(records, columns=["kode_kecamatan", "periode", "indikator", "nilai", "sumber", "catatan",
                                           "_lembar", "_baris"])
    check_duplicates(ctx, frame, ["kode_kecamatan", "periode", "indikator"], "nilai")
    frame["sumber"] = frame["sumber"].fillna(DEFAULT_SUMBER)
    formula_note(ctx, list(frame["sumber"]) + list(frame["catatan"]))
    return frame



def _semester(ctx: CheckContext, table: Tabel, row: int, value) -> int | None:
    """Month index of the semester's last month (06 or 12), from YYYY-MM, a date or YYYY-S1/S2."""
    text = text_or_none(value) if not isinstance(value, (dt.date, dt.datetime)) else None
    match = re.match(r"^(\d{4})-?S([12])$", text or "", re.IGNORECASE | re.ASCII)
    if match:
        end = int(match.group(1)) * 12 + (5 if match.group(2) == "1" else 11)
    else:
        month = parse_cell(ctx, table, row, "periode", value, bulan, ctx.today)
        if month is None:
            return None
        end = month - month % 12 + (5 if month % 12 < 6 else 11)
    if per.month_end(end) >= ctx.today:  # a semester counts once its last day has passed
        year, half = divmod(end, 12)
        ctx.add(table, row, "periode", text or str(value),
                bahasa.t("impor.semester_belum_berakhir", semester=f"{year}-S{1 if half < 6 else 2}",
                         tanggal=formatting.tanggal(per.month_end(end))))
        return None
    if end < per.parse(EARLIEST):
        ctx.add(table, row, "periode", text or str(value), bahasa.t("impor.semester_terlalu_awal", awal=EARLIEST))
        return None
    return end


def _skm(ctx: CheckContext, tables: list[Tabel]) -> tuple[pd.DataFrame, pd.DataFrame]:
    required, optional = COLUMNS["skm"]
    records = []
    for table in tables:
        if not check_header(ctx, table, required, optional, extra_ok=lambda n: True):
            continue
        for row, values in data_rows(table):
            kode = kecamatan_code(ctx, table, row, values.get("kode_kecamatan"), nama=values.get("kecamatan"))
            end = _semester(ctx, table, row, values.get("periode"))
            responden = text_cell(ctx, table, row, "responden", values.get("responden"))
            if responden is None and text_or_none(values.get("responden")) is None:
                ctx.add(table, row, "responden", None, bahasa.t("impor.responden_kosong"))
            answers = {u: parse_cell(ctx, table, row, u, values.get(u), bulat, 1, 4) for u in ikm_mod.UNSUR}
            records.append({"kode_kecamatan": kode, "periode": end, "responden": responden, **answers,
                            "_lembar": table.lembar, "_baris": row})
    raw = pd.DataFrame(records, columns=["kode_kecamatan", "periode", "responden", *ikm_mod.UNSUR, "_lembar", "_baris"])
    check_duplicates(ctx, raw, ["kode_kecamatan", "periode", "responden"], None, "responden")
    if ctx.problems or raw.empty:
        return raw, pd.DataFrame()
    result = ikm_mod.ikm_from_responses(raw, by=["kode_kecamatan", "periode"])
    small = result[result["sampel_kecil"]]
    for r in small.itertuples():
        ctx.notes.append(bahasa.t("impor.sampel_kecil", kode=r.kode_kecamatan, bulan=per.fmt(r.periode),
                                  n=r.responden, minimum=ikm_mod.MIN_RESPONDENTS))
    return raw, result


def _adopsi(ctx: CheckContext, tables: list[Tabel]) -> pd.DataFrame:
    required, optional = COLUMNS["adopsi"]
    records = []
    for table in tables:
        if not check_header(ctx, table, required, optional):
            continue
        for row, values in data_rows(table):
            kode = kecamatan_code(
                ctx, table, row, values.get("kode_kecamatan"), asahan_only=True, nama=values.get("kecamatan")
            )
            inovasi = text_or_none(values.get("inovasi"))
            if inovasi is None or inovasi.lower() not in ctx.inovasi:
                ctx.add(table, row, "inovasi", inovasi, bahasa.t("impor.inovasi_tak_ada", inovasi=inovasi or "")
                        + suggest((inovasi or "").lower(), ctx.inovasi))
                inovasi = None
            tahap = parse_cell(ctx, table, row, "tahap", values.get("tahap"), bulat, 0, 4)
            day = parse_cell(ctx, table, row, "tanggal", values.get("tanggal"), tanggal, ctx.today)
            records.append({"kode_kecamatan": kode, "inovasi": inovasi and inovasi.lower(), "tahap": tahap,
                            "tanggal": day, "bukti": text_cell(ctx, table, row, "bukti", values.get("bukti")),
                            "oleh": text_cell(ctx, table, row, "oleh", values.get("oleh")),
                            "_lembar": table.lembar, "_baris": row})
    frame = pd.DataFrame(records, columns=["kode_kecamatan", "inovasi", "tahap", "tanggal", "bukti", "oleh",
                                           "_lembar", "_baris"])
    check_duplicates(ctx, frame, ["kode_kecamatan", "inovasi", "tahap", "tanggal"], None, "tahap")
    formula_note(ctx, list(frame["bukti"]) + list(frame["oleh"]))
    if frame["oleh"].notna().any():  # nobody names another author: the importer is the author of every event
        ctx.notes.append(bahasa.t("impor.oleh_diabaikan", n=int(frame["oleh"].notna().sum())))
    return frame


def _target(ctx: CheckContext, tables: list[Tabel]) -> pd.DataFrame:
    required, optional = COLUMNS["target"]
    records = []
    for table in tables:
        if not check_header(ctx, table, required, optional):
            continue
        by_stage = "inovasi" in table.header
        if not by_stage and not {"indikator", "nilai"} <= set(table.header):
            ctx.problems.append(Masalah(bahasa.t("impor.target_kolom"), table.lembar))
            continue
        for row, values in data_rows(table):
            raw_kode = values.get("kode_kecamatan")
            kode = (
                None
                if text_or_none(raw_kode) is None
                else kecamatan_code(ctx, table, row, raw_kode, asahan_only=True, nama=values.get("kecamatan"))
            )
            day = parse_cell(ctx, table, row, "tanggal", values.get("tanggal"), tanggal, ctx.today, True)
            record = {"kode_kecamatan": kode, "tanggal": day, "_lembar": table.lembar, "_baris": row,
                      "inovasi": None, "tahap": None, "indikator": None, "nilai": None}
            if by_stage:
                inovasi = text_or_none(values.get("inovasi"))
                if inovasi is None or inovasi.lower() not in ctx.inovasi:
                    ctx.add(table, row, "inovasi", inovasi, bahasa.t("impor.inovasi_tak_ada", inovasi=inovasi or "")
                            + suggest((inovasi or "").lower(), ctx.inovasi))
                else:
                    record["inovasi"] = inovasi.lower()
                record["tahap"] = parse_cell(ctx, table, row, "tahap", values.get("tahap"), bulat, 1, 4)
            else:
                record["indikator"] = indicator_code(ctx, table, row, values.get("indikator"))
                record["nilai"] = parse_cell(ctx, table, row, "nilai", values.get("nilai"), angka)
                if record["indikator"] and record["nilai"] is not None:
                    in_range(ctx, table, row, "nilai", record["indikator"], record["nilai"])
            records.append(record)
    frame = pd.DataFrame(records, columns=["inovasi", "tahap", "indikator", "nilai", "tanggal", "kode_kecamatan",
                                           "_lembar", "_baris"])
    stages = frame[frame["inovasi"].notna()].assign(_k=lambda f: f["kode_kecamatan"].fillna("*"))
    check_duplicates(ctx, stages, ["inovasi", "tahap", "_k"], "tanggal")
    values = frame[frame["indikator"].notna()].assign(_k=lambda f: f["kode_kecamatan"].fillna("*"))
    check_duplicates(ctx, values, ["indikator", "tanggal", "_k"], "nilai")
    return frame


def _model(ctx: CheckContext, tables: list[Tabel]) -> pd.DataFrame:
    required, optional = COLUMNS["model"]
    records = []
    for table in tables:
        if not check_header(ctx, table, required, optional):
            continue
        for row, values in data_rows(table):
            indikator = indicator_code(ctx, table, row, values.get("indikator"))
            nilai = parse_cell(ctx, table, row, "nilai", values.get("nilai"), angka)
            sumber = text_cell(ctx, table, row, "sumber", values.get("sumber"))
            if sumber is None and text_or_none(values.get("sumber")) is None:
                ctx.add(table, row, "sumber", None, bahasa.t("impor.sumber_kosong"))
            day = parse_cell(ctx, table, row, "tanggal", values.get("tanggal"), tanggal, ctx.today)
            unscored = indikator and scored_problem(ctx.indikator, indikator)
            if unscored:
                ctx.add(table, row, "indikator", indikator, unscored)
            elif indikator and nilai is not None and in_range(ctx, table, row, "nilai", indikator, nilai):
                problem = model_problem(ctx.indikator.loc[indikator], nilai)
                if problem:
                    ctx.add(table, row, "nilai", fmt_value(nilai), problem)
            records.append({"indikator": indikator, "nilai": nilai, "sumber": sumber, "tanggal": day,
                            "_lembar": table.lembar, "_baris": row})
    frame = pd.DataFrame(records, columns=["indikator", "nilai", "sumber", "tanggal", "_lembar", "_baris"])
    check_duplicates(ctx, frame, ["indikator"], "nilai")
    return frame


def scored_problem(catalogue: pd.DataFrame, kode: str) -> str | None:
    """Only scored indicators (with a pillar) have a model value and a floor: the one rule for model
    files and the catalogue editor. None when `kode` is scored (or unknown: the caller says so)."""
    if kode in catalogue.index and pd.isna(catalogue.loc[kode, "pilar"]):
        return bahasa.t("impor.indikator_tidak_dinilai", kode=kode)
    return None


def model_problem(row: pd.Series, model: float | None = None, lantai: float | None = None) -> str | None:
    """Why a model value / floor pair cannot be scored (the model must beat the floor), or None."""
    model = row["model"] if model is None else model
    lantai = row["lantai"] if lantai is None else lantai
    if pd.isna(row.get("pilar")) or pd.isna(lantai) or pd.isna(model):
        return None
    problem = model_floor_problem(row["arah"], model, lantai)  # the one rule (metrics/data/build.py)
    return bahasa.t(f"impor.model_{problem}", model=fmt_value(model), lantai=fmt_value(lantai)) if problem else None


# --------------------------------------------------------------------------- roles


def check_role(jenis: str | None, kecamatan_codes, akun: dict | None) -> list[Masalah]:
    """Who may write what: None = the CLI (server administrator)."""
    if akun is None or jenis is None:
        return []
    peran = akun.get("peran")
    if peran == "admin":
        return []
    if peran != "operator":
        return [Masalah(bahasa.t("impor.hanya_melihat", nama=akun.get("nama"), peran=peran))]
    if jenis in ADMIN_ONLY:
        return [Masalah(bahasa.t("impor.jenis_hanya_admin", jenis=jenis))]
    own = akun.get("kode_kecamatan")
    if not own:
        return [Masalah(bahasa.t("impor.operator_tanpa_kode", nama=akun.get("nama")))]
    problems = []
    for lembar, baris, kode in kecamatan_codes:
        if kode is not None and kode != own:
            problems.append(Masalah(bahasa.t("impor.bukan_kecamatan_akun", kode=kode, milik=own),
                                    lembar, baris, "kode_kecamatan", kode))
    return problems


# --------------------------------------------------------------------------- dry run


def prepare(store: Store, content: bytes, berkas: str, jenis: str = "auto", akun: dict | None = None,
            today: dt.date | None = None, cancelled=None) -> Rencana:
    """Read and validate a file and preview its changes; writes nothing. `cancelled` as in readers.read
    (raises readers.Dibatalkan)."""
    berkas = Path(berkas or "berkas").name
    today = today or per.hari_ini()
    sha = hashlib.sha256(content).hexdigest()
    tables, problems, notes = read(content, berkas, cancelled)
    empty = pd.DataFrame()
    if problems:
        return Rencana(berkas, sha, content, None if jenis == "auto" else jenis, problems, notes, empty, empty)
    if jenis == "auto":
        jenis = _detect(tables)
        if jenis is None:
            headers = ", ".join(sorted({h for t in tables for h in t.header if h})) or bahasa.t("impor.tidak_ada")
            return Rencana(berkas, sha, content, None, [Masalah(
                bahasa.t("impor.jenis_tak_dikenali", judul=headers, pilihan=", ".join(JENIS)))], notes, empty, empty)
    if jenis not in JENIS:
        return Rencana(berkas, sha, content, None,
                       [Masalah(bahasa.t("impor.jenis_salah", jenis=jenis, pilihan=", ".join(JENIS)))],
                       notes, empty, empty)
    ctx = CheckContext(store, today, store.kecamatan(), store.indikator(), list(store.inovasi().index), notes=notes)
    extra: dict = {}
    if jenis == "observasi":
        records = _observasi(ctx, tables, berkas)
    elif jenis == "skm":
        records, result = _skm(ctx, tables)
        extra["skm"] = result
    elif jenis == "adopsi":
        records = _adopsi(ctx, tables)
    elif jenis == "target":
        records = _target(ctx, tables)
    else:
        records = _model(ctx, tables)
    rows = len(records)
    if not ctx.problems and records.empty:
        ctx.problems.append(Masalah(bahasa.t("impor.tanpa_nilai")))
    codes = []
    if "kode_kecamatan" in records.columns:
        codes = list(zip(records["_lembar"], records["_baris"], records["kode_kecamatan"], strict=True))
    ctx.problems.extend(check_role(jenis, codes, akun))
    extra["katalog"] = ctx.indikator[["frekuensi", "batas_min", "batas_max"]]
    extra["satuan"] = dict(zip(ctx.indikator.index, ctx.indikator["satuan"], strict=True))
    plan = Rencana(berkas, sha, content, jenis, ctx.problems, ctx.notes, records, empty, rows, extra)
    if plan.ok:
        plan.perubahan = diff_with_store(store.query, plan, exclude_demo=False)
        plan.cek = plausibility(store.query, plan, plan.perubahan)
        plan.bulan_final = final_months_touched(store.query, plan, plan.perubahan)
    return plan
