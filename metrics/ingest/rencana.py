"""The dry run's plan (Rencana) and what it would change: each row baru, berubah or sama."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from metrics.core import bahasa, formatting
from metrics.core import periode as per
from metrics.data import catatan_bulan as bulan_data
from metrics.data import katalog_berlaku
from metrics.data import store as store_mod
from metrics.engine import bulan, kewajaran
from metrics.ingest.readers import Masalah


@dataclass
class Rencana:
    """The dry run: what the file holds, what is wrong, and what would change."""

    berkas: str
    sha256: str
    content: bytes
    jenis: str | None
    masalah: list[Masalah]
    catatan: list[str]
    records: pd.DataFrame  # normalised rows ready to write
    perubahan: pd.DataFrame  # status baru / berubah / sama with lama and baru values
    baris: int = 0
    extra: dict = field(default_factory=dict)
    # Values outside the kecamatan's usual band (metrics/engine/kewajaran.py): "perlu dicek".
    cek: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=kewajaran.COLUMNS))
    # New and changed observation values per month an admin closed (final): a correction.
    bulan_final: dict[int, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.masalah

    def counts(self) -> dict[str, int]:
        status = self.perubahan["status"] if len(self.perubahan) else pd.Series(dtype=str)
        return {k: int((status == k).sum()) for k in ("baru", "berubah", "sama")}

    def laporan(self) -> pd.DataFrame:
        """The dry-run report (one row per problem) to show and to download."""
        return pd.DataFrame(
            [{"lembar": m.lembar or "", "baris": m.baris or "", "kolom": m.kolom or "",
              "nilai": "" if m.nilai is None else str(m.nilai), "masalah": m.pesan} for m in self.masalah],
            columns=["lembar", "baris", "kolom", "nilai", "masalah"],
        )

    def peringatan(self) -> list[str]:
        """One line per value that needs checking, with its usual value and band."""
        return [peringatan_teks(r, self.extra.get("satuan", {}).get(r.indikator, ""))
                for r in self.cek.itertuples()]



def peringatan_teks(r, satuan: str) -> str:
    """A 'perlu dicek' row (kewajaran.COLUMNS) as one line in the active language."""
    def shown(v):
        return formatting.nilai(v, satuan) if satuan else formatting.angka(v, 1)

    return bahasa.t("impor.cek.baris", kode=r.kode_kecamatan, bulan=per.fmt(r.periode), indikator=r.indikator,
                    nilai=shown(r.nilai), biasa=shown(r.biasa), bawah=shown(r.bawah), atas=shown(r.atas), n=r.n)


def final_teks(final: dict[int, int]) -> str:
    """{month: values} as 'November 2026 (2 nilai), Oktober 2026 (1 nilai)'."""
    return ", ".join(bahasa.t("impor.final.bulan", bulan=formatting.bulan(m), n=n) for m, n in sorted(final.items()))


def final_months_touched(query, plan: Rencana, diff: pd.DataFrame) -> dict[int, int]:
    """{month: number of new and changed observation values of `plan`} for the months an admin closed
    (metrics/engine/bulan.closed_by_admin), as the database read by `query` holds them now."""
    if plan.jenis not in ("observasi", "skm") or diff.empty:
        return {}
    closed = bulan.closed_by_admin(bulan_data.month_table(query))
    months = observation_rows(plan).reset_index(drop=True)["periode"]
    months = months[diff["status"].isin(["baru", "berubah"]).to_numpy()]
    return {int(m): int(n) for m, n in months[months.isin(closed)].value_counts().sort_index().items()}


def plausibility(query, plan: Rencana, diff: pd.DataFrame) -> pd.DataFrame:
    """The new and changed observation values of `plan` outside their kecamatan's usual band.

    History: the stored effective non-demo values of the same kecamatan and indicators, with the
    file's own rows in their place (as they will be once written). `diff` is diff_with_store()'s result."""
    empty = pd.DataFrame(columns=kewajaran.COLUMNS)
    catalogue = plan.extra.get("katalog")
    if plan.jenis not in ("observasi", "skm") or catalogue is None or diff.empty:
        return empty
    rows = observation_rows(plan).reset_index(drop=True)[["kode_kecamatan", "periode", "indikator", "nilai"]]
    incoming = rows[diff["status"].isin(["baru", "berubah"]).to_numpy()]
    if incoming.empty:
        return empty
    reach = kewajaran.JENDELA * max(per.VALIDITY_MONTHS[catalogue.loc[i, "frekuensi"]]
                                    for i in incoming["indikator"].unique())
    stored = store_mod.history_observations(query, list(incoming["kode_kecamatan"].unique()),
                                            list(incoming["indikator"].unique()),
                                            int(incoming["periode"].min()) - reach, int(incoming["periode"].max()) - 1)
    history = pd.concat([stored, rows], ignore_index=True).drop_duplicates(
        ["kode_kecamatan", "periode", "indikator"], keep="last")
    # the first real months: the same month's other kecamatan of the region (real values and the file's)
    region = query("""SELECT kode FROM kecamatan WHERE wilayah IN
                      (SELECT wilayah FROM kecamatan WHERE list_contains($kode, kode)) ORDER BY kode""",
                   {"kode": sorted(incoming["kode_kecamatan"].unique())})["kode"]
    peers = store_mod.history_observations(query, list(region), list(incoming["indikator"].unique()),
                                           int(incoming["periode"].min()), int(incoming["periode"].max()))
    peers = pd.concat([peers, rows], ignore_index=True).drop_duplicates(
        ["kode_kecamatan", "periode", "indikator"], keep="last")
    return kewajaran.periksa(incoming, history, catalogue, sebaya=peers)


def _same_text(a, b) -> bool:
    a = None if a is None or (isinstance(a, float) and math.isnan(a)) or pd.isna(a) else a
    b = None if b is None or (isinstance(b, float) and math.isnan(b)) or pd.isna(b) else b
    return a == b


def observation_rows(plan: Rencana) -> pd.DataFrame:
    if plan.jenis == "skm":
        result = plan.extra["skm"]
        return pd.DataFrame({
            "kode_kecamatan": result["kode_kecamatan"], "periode": result["periode"], "indikator": "ikm",
            "nilai": result["ikm"],
            "sumber": f"SKM berkas {plan.berkas} (PermenPAN-RB 14/2017)",
            "catatan": [f"{n} responden" + (" (sampel kecil)" if small else "")
                        for n, small in zip(result["responden"], result["sampel_kecil"], strict=True)],
        })
    return plan.records[["kode_kecamatan", "periode", "indikator", "nilai", "sumber", "catatan"]]


def diff_with_store(query, plan: Rencana, exclude_demo: bool) -> pd.DataFrame:
    """status baru / berubah / sama per row, with lama (current) and baru values; `query` is a
    Store.query or a connection's execute inside the write. Rows are compared with real data only:
    a row equal to a demo row is new (events, targets) or changed (observations), stored as real."""
    jenis = plan.jenis
    out = []
    if jenis in ("observasi", "skm"):
        incoming = observation_rows(plan)
        current = store_mod.current_observations(query, incoming, with_demo=not exclude_demo)
        current["periode"] = [per.from_date(v) for v in current["periode"]]
        now = {(r.kode_kecamatan, r.periode, r.indikator): r for r in current.itertuples()}
        for r in incoming.itertuples():
            old = now.get((r.kode_kecamatan, r.periode, r.indikator))
            if old is None:
                status = "baru"
            elif not old.demo and abs(old.nilai - r.nilai) < 1e-9 and _same_text(old.sumber, r.sumber) \
                    and _same_text(old.catatan, r.catatan):  # an equal real value replaces a demo one, as real
                status = "sama"
            else:
                status = "berubah"
            out.append({"status": status, "kode_kecamatan": r.kode_kecamatan, "periode": per.fmt(r.periode),
                        "kunci": r.indikator, "lama": None if old is None else old.nilai, "baru": r.nilai,
                        "lama_demo": None if old is None else bool(old.demo)})
    elif jenis == "adopsi":
        current = query("""SELECT a.kode_kecamatan, a.inovasi, a.tahap, a.tanggal FROM adopsi a
                           JOIN batch_berlaku b ON b.id = a.batch
                           WHERE a.id NOT IN (SELECT adopsi_id FROM adopsi_batal
                                              WHERE batch IN (SELECT id FROM batch_berlaku))
                             AND NOT b.demo""", {})  # a real row equal to a demo row is stored as real
        have = {(r.kode_kecamatan, r.inovasi, int(r.tahap), pd.Timestamp(r.tanggal).date())
                for r in current.itertuples()}
        for r in plan.records.itertuples():
            key = (r.kode_kecamatan, r.inovasi, int(r.tahap), r.tanggal)
            out.append({"status": "sama" if key in have else "baru", "kode_kecamatan": r.kode_kecamatan,
                        "periode": f"{r.tanggal:%Y-%m-%d}",
                        "kunci": bahasa.t("impor.kunci_adopsi", inovasi=r.inovasi, tahap=r.tahap),
                        "lama": None, "baru": float(r.tahap), "lama_demo": None})
    elif jenis == "target":
        stages = query(
            f"""SELECT t.inovasi, t.tahap, t.kode_kecamatan, t.tanggal, b.demo FROM target t JOIN batch_berlaku b ON b.id = t.batch
                          WHERE $semua_demo OR NOT b.demo
                          QUALIFY row_number() OVER (PARTITION BY t.inovasi, t.tahap, t.kode_kecamatan
                                                     ORDER BY {store_mod.WINS}) = 1""",
            {"semua_demo": not exclude_demo},
        )
        stage_now = {(r.inovasi, int(r.tahap), None if pd.isna(r.kode_kecamatan) else r.kode_kecamatan):
                     pd.Timestamp(r.tanggal).date() for r in stages.itertuples()}
        demo_now = {(r.inovasi, int(r.tahap), None if pd.isna(r.kode_kecamatan) else r.kode_kecamatan)
                    for r in stages.itertuples() if r.demo}
        values = query(f"""SELECT t.indikator, t.tanggal, t.kode_kecamatan, t.nilai, b.demo FROM target_indikator t
                          JOIN batch_berlaku b ON b.id = t.batch
                          WHERE $semua_demo OR NOT b.demo
                          QUALIFY row_number() OVER (PARTITION BY t.indikator, t.tanggal, t.kode_kecamatan
                                                     ORDER BY {store_mod.WINS}) = 1""",
                       {"semua_demo": not exclude_demo})
        value_now = {(r.indikator, pd.Timestamp(r.tanggal).date(),
                      None if pd.isna(r.kode_kecamatan) else r.kode_kecamatan): r.nilai for r in values.itertuples()}
        demo_now |= {
            (r.indikator, pd.Timestamp(r.tanggal).date(), None if pd.isna(r.kode_kecamatan) else r.kode_kecamatan)
            for r in values.itertuples()
            if r.demo
        }  # a demo row is replaced, even by an equal real one
        for r in plan.records.itertuples():
            kode = None if pd.isna(r.kode_kecamatan) else r.kode_kecamatan
            if isinstance(r.inovasi, str):
                old = stage_now.get((r.inovasi, int(r.tahap), kode))
                status = "baru" if old is None else (
                    "sama" if old == r.tanggal and (r.inovasi, int(r.tahap), kode) not in demo_now else "berubah")
                out.append({"status": status, "kode_kecamatan": kode or bahasa.t("impor.semua_kecamatan"),
                            "periode": f"{r.tanggal:%Y-%m-%d}",
                            "kunci": bahasa.t("impor.kunci_target", inovasi=r.inovasi, tahap=int(r.tahap)),
                            "lama": None if old is None else f"{old:%Y-%m-%d}",
                            "baru": f"{r.tanggal:%Y-%m-%d}", "lama_demo": None})
            else:
                old = value_now.get((r.indikator, r.tanggal, kode))
                status = (
                    "baru"
                    if old is None
                    else (
                        "sama"
                        if abs(old - r.nilai) < 1e-9 and (r.indikator, r.tanggal, kode) not in demo_now
                        else "berubah"
                    )
                )
                out.append(
                    {
                        "status": status,
                        "kode_kecamatan": kode or bahasa.t("impor.semua_kecamatan"),
                        "periode": f"{r.tanggal:%Y-%m-%d}",
                        "kunci": r.indikator,
                        "lama": old,
                        "baru": r.nilai,
                        "lama_demo": None,
                    }
                )
    elif jenis == "model":
        current = query(
            f"""WITH e AS ({katalog_berlaku.EDITS_SQL})
                            SELECT m.indikator, coalesce(e.nilai, m.nilai) AS nilai, CASE WHEN e.nilai IS NULL THEN m.sumber ELSE e.sumber END AS sumber,
                                   CASE WHEN e.nilai IS NULL THEN m.tanggal ELSE e.tanggal END AS tanggal
                            FROM model m LEFT JOIN e ON e.jenis = 'model' AND e.kode = m.indikator""",
            {},
        )
        now = {r.indikator: r for r in current.itertuples()}
        for r in plan.records.itertuples():
            old = now.get(r.indikator)
            same = old is not None and abs(old.nilai - r.nilai) < 1e-9 and old.sumber == r.sumber \
                and pd.Timestamp(old.tanggal).date() == r.tanggal
            out.append({"status": "baru" if old is None else ("sama" if same else "berubah"), "kode_kecamatan": "",
                        "periode": f"{r.tanggal:%Y-%m-%d}", "kunci": r.indikator,
                        "lama": None if old is None else old.nilai, "baru": r.nilai, "lama_demo": None})
    return pd.DataFrame(out, columns=["status", "kode_kecamatan", "periode", "kunci", "lama", "baru", "lama_demo"])
