"""Writing a validated plan as one batch (impor) and the admin's catalogue edits."""

from __future__ import annotations

import datetime as dt
import math
import secrets
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from metrics.core import bahasa
from metrics.core import periode as per
from metrics.data import writer
from metrics.data.build import DATA_DIR
from metrics.data.katalog_berlaku import MAX_BOBOT
from metrics.data.store import RejectedChange, Store
from metrics.engine import ikm as ikm_mod
from metrics.ingest.checks import MAX_TEXT
from metrics.ingest.readers import Masalah
from metrics.ingest.rencana import (
    Rencana,
    diff_with_store,
    final_months_touched,
    observation_rows,
    plausibility,
    final_teks,
    peringatan_teks,
)
from metrics.ingest.validation import check_role, model_problem, scored_problem
from metrics.ingest.values import fmt_value


class Ditolak(RejectedChange):
    """The file cannot be imported; `masalah` lists every problem. Nothing was written."""

    def __init__(self, masalah: list[Masalah]):
        self.masalah = masalah
        lines = [m.teks() for m in masalah[:50]]
        more = "\n" + bahasa.t("impor.ditolak_lain", n=len(masalah) - 50) if len(masalah) > 50 else ""
        super().__init__(bahasa.t("impor.ditolak", n=len(masalah)) + "\n" + "\n".join(lines) + more)


class PerluDicek(RejectedChange):
    """Values outside their kecamatan's usual band that the operator has not confirmed (exit 1)."""

    def __init__(self, cek: pd.DataFrame, satuan: dict):
        self.cek = cek
        lines = [peringatan_teks(r, satuan.get(r.indikator, "")) for r in cek.head(50).itertuples()]
        super().__init__(bahasa.t("impor.cek.ditolak", n=len(cek)) + "\n" + "\n".join(lines)
                         + "\n" + bahasa.t("impor.cek.cara_konfirmasi"))


class BulanFinal(RejectedChange):
    """New or changed values in months an admin closed (final), not accepted by an admin as a
    correction (exit 1). `bulan` is {month: values}; `admin` whether the importer may accept it."""

    def __init__(self, bulan: dict[int, int], admin: bool):
        self.bulan = bulan
        perintah = "; ".join(f'tiru buka-bulan {per.fmt(m)} --alasan "…"' for m in sorted(bulan))
        cara = bahasa.t("impor.final.cara", perintah=perintah) if admin else bahasa.t("impor.final.hanya_admin")
        super().__init__(bahasa.t("impor.final.ditolak", n=sum(bulan.values()), daftar=final_teks(bulan))
                         + "\n" + cara)


class DemoBelumDiputuskan(RejectedChange):
    """The database still holds demo data and the import did not say what to do with it."""



@dataclass
class Hasil:
    batch: str | None
    baru: int
    berubah: int
    sama: int
    demo_dihapus: int = 0
    dicek: int = 0  # confirmed outliers stored as such
    koreksi: dict[int, int] = field(default_factory=dict)  # {final month: values corrected}

    def teks(self) -> str:
        counts = bahasa.t("impor.hitungan", baru=self.baru, berubah=self.berubah, sama=self.sama)
        if self.batch is None:
            return bahasa.t("impor.tanpa_perubahan", hitungan=counts)
        demo = " " + bahasa.t("impor.demo_dihapus", n=self.demo_dihapus) if self.demo_dihapus else ""
        dicek = " " + bahasa.t("impor.cek.dikonfirmasi", n=self.dicek) if self.dicek else ""
        koreksi = " " + bahasa.t("impor.final.dikoreksi", daftar=final_teks(self.koreksi)) if self.koreksi else ""
        return bahasa.t("impor.diimpor", batch=self.batch, hitungan=counts) + demo + dicek + koreksi



class _NothingToDo(Exception):
    pass


def impor(store: Store, plan: Rencana, oleh: str, demo: str | None = None, akun: dict | None = None,
          data_dir: Path = DATA_DIR, catatan: str | None = None, terima_peringatan: bool = False,
          koreksi_final: bool = False) -> Hasil:
    """Write a validated plan as one batch (backup first). demo: 'hapus' removes every demo
    value in the same transaction, 'pertahankan' keeps them; None is refused while demo exists.
    With an account (the web) the batch is recorded under the account's own name, whatever `oleh`
    says; `catatan` (≤ MAX_TEXT characters) is kept in the batch's note. Values outside their
    kecamatan's usual band (plan.cek) are refused unless `terima_peringatan`; confirmed, they are
    stored as such (observasi_pencilan). New or changed values in a month an admin closed (final)
    are refused (BulanFinal) unless an admin (or the CLI) gives `koreksi_final`; the month stays
    final and the batch note records the correction.

    Raises Ditolak (plan has problems), BulanFinal, PerluDicek, DemoBelumDiputuskan, RejectedChange."""
    if not plan.ok:
        raise Ditolak(plan.masalah)
    codes = list(zip(plan.records["_lembar"], plan.records["_baris"], plan.records["kode_kecamatan"], strict=True)) \
        if "kode_kecamatan" in plan.records.columns else []
    refused = check_role(plan.jenis, codes, akun)
    if refused:
        raise Ditolak(refused)
    if akun is not None:
        oleh = akun.get("nama")  # the audit name is the signed-in account, never typed
    if not str(oleh or "").strip():
        raise RejectedChange(bahasa.t("impor.oleh_wajib"))
    catatan = str(catatan or "").strip() or None
    if catatan and len(catatan) > MAX_TEXT:
        raise RejectedChange(bahasa.t("impor.catatan_terlalu_panjang", n=len(catatan), maks=MAX_TEXT))
    if demo not in (None, "hapus", "pertahankan"):
        raise ValueError(demo)
    has_demo = store.has_demo()
    if demo != "hapus" or not has_demo:
        unchanged = diff_with_store(store.query, plan, exclude_demo=False)
        if not unchanged["status"].isin(["baru", "berubah"]).any():
            return Hasil(None, 0, 0, len(unchanged))  # imported before: nothing to decide or write
    if has_demo and demo is None:
        raise DemoBelumDiputuskan(bahasa.t("impor.demo_belum_diputuskan"))
    remove = has_demo and demo == "hapus"
    preview = diff_with_store(store.query, plan, exclude_demo=remove)
    counts = {k: int((preview["status"] == k).sum()) for k in ("baru", "berubah", "sama")}
    if counts["baru"] + counts["berubah"] == 0 and not remove:
        return Hasil(None, **counts)
    if remove and akun is not None and akun.get("peran") != "admin":
        raise RejectedChange(bahasa.t("impor.hapus_demo_admin"))
    may_correct = akun is None or akun.get("peran") == "admin"
    final = final_months_touched(store.query, plan, preview)
    if final and not (koreksi_final and may_correct):
        raise BulanFinal(final, may_correct)
    satuan = plan.extra.get("satuan", {})
    if len(plan.cek) and not terima_peringatan:
        raise PerluDicek(plan.cek, satuan)
    confirmed = set(zip(plan.cek["kode_kecamatan"], plan.cek["periode"], plan.cek["indikator"], strict=True))
    state = {}

    def change(con, batch_id):
        query = lambda sql, params: con.execute(sql, params).df()
        removed = writer.remove_demo(con, data_dir) if remove else 0
        diff = diff_with_store(query, plan, exclude_demo=remove)
        n = {k: int((diff["status"] == k).sum()) for k in ("baru", "berubah", "sama")}
        if n["baru"] + n["berubah"] == 0 and not remove:
            raise _NothingToDo
        final = final_months_touched(query, plan, diff)  # again inside the write: a month closed since the preview
        if final and not (koreksi_final and may_correct):
            raise BulanFinal(final, may_correct)
        cek = plausibility(query, plan, diff)  # again inside the write: what is there now decides
        unseen = cek[
            [key not in confirmed for key in zip(cek["kode_kecamatan"], cek["periode"], cek["indikator"], strict=True)]
        ]
        if len(unseen) or (len(cek) and not terima_peringatan):
            raise PerluDicek(unseen if len(unseen) else cek, satuan)
        _insert(con, plan, diff, batch_id, oleh.strip())
        if len(cek):
            marks = cek.assign(periode=[per.to_date(m) for m in cek["periode"]], batch=batch_id)
            con.register("dicek", marks[["kode_kecamatan", "periode", "indikator", "batch", "biasa", "bawah", "atas"]])
            con.execute("INSERT INTO observasi_pencilan SELECT * FROM dicek")
            con.unregister("dicek")
        # The batch note is audit data stored in the database: Indonesian whatever the interface language.
        note = f"data contoh dihapus ({removed} baris)" if remove else (
            "data contoh dipertahankan" if has_demo else None)
        koreksi = "koreksi bulan final " + ", ".join(f"{per.fmt(m)} ({k} nilai)" for m, k in final.items()) \
            if final else None
        note = "; ".join(part for part in (catatan, koreksi, note) if part) or None
        writer.summarise(con, batch_id, plan.baris, n["baru"], n["berubah"], n["sama"], note)
        state.update(n, removed=removed, dicek=len(cek), koreksi=final)
        return batch_id

    try:
        batch_id = store.write(change, jenis=plan.jenis, oleh=oleh.strip(), berkas=plan.berkas, content=plan.content,
                               backup=True, koreksi_final=koreksi_final and may_correct)
    except _NothingToDo:
        return Hasil(None, **counts)
    return Hasil(batch_id, state["baru"], state["berubah"], state["sama"], state["removed"], state["dicek"],
                 state["koreksi"])


def _insert(con, plan: Rencana, diff: pd.DataFrame, batch_id: str, oleh: str) -> None:
    write = diff["status"].isin(["baru", "berubah"]).to_numpy()
    if plan.jenis in ("observasi", "skm"):
        rows = observation_rows(plan).reset_index(drop=True)[write].copy()
        rows["periode"] = [per.to_date(m) for m in rows["periode"]]
        rows["batch"] = batch_id
        con.register("incoming", rows)
        con.execute("INSERT INTO observasi SELECT kode_kecamatan, periode, indikator, nilai, sumber, catatan, batch "
                    "FROM incoming")
        con.unregister("incoming")
        if plan.jenis == "skm":
            result = plan.extra["skm"].reset_index(drop=True)[write].copy()
            result["periode"] = [per.to_date(m) for m in result["periode"]]
            result["batch"] = batch_id
            cols = ["kode_kecamatan", "periode", "responden", *[f"nrr_{u}" for u in ikm_mod.UNSUR], "ikm", "mutu",
                    "batch"]
            con.register("incoming", result[cols])
            con.execute(f"INSERT INTO skm_hasil ({', '.join(cols)}) SELECT * FROM incoming")
            con.unregister("incoming")
    elif plan.jenis == "adopsi":
        rows = plan.records.reset_index(drop=True)[write].copy()
        rows["id"] = [secrets.token_hex(8) for _ in range(len(rows))]
        rows["oleh"] = oleh  # the importer (the signed-in account, or --oleh): a file's oleh column is not an author
        rows["batch"] = batch_id
        rows = rows.reset_index(drop=True)
        rows["n"] = range(1, len(rows) + 1)
        con.register("incoming", rows[["n", "id", "kode_kecamatan", "inovasi", "tahap", "tanggal", "bukti", "oleh",
                                       "batch"]])
        con.execute("""INSERT INTO adopsi SELECT (SELECT coalesce(max(urutan), 0) FROM adopsi) + n, id, kode_kecamatan,
                       inovasi, tahap, tanggal, bukti, oleh, batch FROM incoming""")
        con.unregister("incoming")
    elif plan.jenis == "target":
        rows = plan.records.reset_index(drop=True)[write].copy()
        rows["batch"] = batch_id
        stages = rows[rows["inovasi"].notna()]
        values = rows[rows["indikator"].notna()]
        if len(stages):
            con.register("incoming", stages[["inovasi", "tahap", "tanggal", "kode_kecamatan", "batch"]]
                         .astype({"tahap": int}))
            con.execute("INSERT INTO target SELECT * FROM incoming")
            con.unregister("incoming")
        if len(values):
            con.register("incoming", values[["indikator", "nilai", "tanggal", "kode_kecamatan", "batch"]]
                         .astype({"nilai": float}))
            con.execute("INSERT INTO target_indikator SELECT * FROM incoming")
            con.unregister("incoming")
    elif plan.jenis == "model":
        rows = plan.records.reset_index(drop=True)[write].copy()
        for r in rows.itertuples():
            con.execute("INSERT INTO katalog_ubah VALUES ('model', $k, $n, $s, $t, $b)",
                        {"k": r.indikator, "n": r.nilai, "s": r.sumber, "t": r.tanggal, "b": batch_id})


# --------------------------------------------------------------------------- catalogue editors


def edit_catalogue(store: Store, jenis: str, kode: str, nilai: float, oleh: str, akun: dict | None = None,
                   sumber: str | None = None, tanggal: dt.date | None = None) -> str:
    """One admin edit of a model value, a floor or a pillar weight, as its own batch. Returns it."""
    if akun is not None and akun.get("peran") != "admin":
        raise RejectedChange(bahasa.t("impor.katalog_hanya_admin"))
    if not str(oleh or "").strip():
        raise RejectedChange(bahasa.t("impor.pengubah_wajib"))
    try:
        nilai = float(nilai)
    except (TypeError, ValueError):
        raise RejectedChange(bahasa.t("impor.nilai_bukan_angka", nilai=nilai)) from None
    if math.isnan(nilai) or math.isinf(nilai):
        raise RejectedChange(bahasa.t("impor.nilai_tidak_sah"))
    if jenis == "bobot":
        if kode not in store.pilar().index:
            raise RejectedChange(bahasa.t("impor.pilar_tak_ada", kode=kode))
        if not 0 < nilai <= MAX_BOBOT:  # a weight of 1e26 would overflow every score (and crash the pages)
            raise RejectedChange(bahasa.t("impor.bobot_rentang", nilai=fmt_value(nilai), maks=fmt_value(MAX_BOBOT)))
        others = store.pilar().drop(index=kode)["bobot"].sum()
        if nilai + others <= 0:
            raise RejectedChange(bahasa.t("impor.bobot_nol"))
    elif jenis in ("model", "lantai"):
        catalogue = store.indikator()
        if kode not in catalogue.index:
            raise RejectedChange(bahasa.t("impor.indikator_tak_dinilai", kode=kode))
        unscored = scored_problem(catalogue, kode)
        if unscored:
            raise RejectedChange(unscored[0].upper() + unscored[1:])
        row = catalogue.loc[kode]
        if not row["batas_min"] <= nilai <= row["batas_max"]:
            raise RejectedChange(bahasa.t("impor.katalog_di_luar_rentang", nilai=fmt_value(nilai), kode=kode,
                                          rendah=fmt_value(row["batas_min"]), tinggi=fmt_value(row["batas_max"])))
        problem = model_problem(row, model=nilai) if jenis == "model" else model_problem(row, lantai=nilai)
        if problem:
            raise RejectedChange(problem[0].upper() + problem[1:])
        if jenis == "model":
            if not str(sumber or "").strip():
                raise RejectedChange(bahasa.t("impor.sumber_model_wajib"))
            tanggal = tanggal or per.hari_ini()
    else:
        raise ValueError(jenis)

    def change(con, batch_id):
        con.execute("INSERT INTO katalog_ubah VALUES ($j, $k, $n, $s, $t, $b)",
                    {"j": jenis, "k": kode, "n": nilai, "s": (sumber or "").strip() or None, "t": tanggal,
                     "b": batch_id})
        writer.summarise(con, batch_id, 1, 0, 1, 0, f"{jenis} {kode} → {fmt_value(nilai, 'id')}")  # stored: Indonesian
        return batch_id

    return store.write(change, jenis=f"katalog-{jenis}", oleh=oleh.strip(), berkas="penyunting katalog", backup=True)
