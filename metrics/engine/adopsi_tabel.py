"""The Inovasi page's tables and lines of text, shaped from the results in metrics.engine.adopsi and .dampak.

Pure functions (no Streamlit) in the active language: the page only shows what they return.
`short` maps an innovation code to its short name, `kec_names` a kecamatan code to its name.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from metrics.core import formatting
from metrics.core.bahasa import t
from metrics.engine import adopsi, dampak


def cell_lines(events: pd.DataFrame, batches: pd.Series, end: dt.date) -> dict[tuple[str, str], list[str]]:
    """Each (kecamatan, inovasi) cell's events up to `end`, one line each (the stage matrix's hover);
    `batches` (batch id -> demo) marks the events of demo batches."""
    demo_mark = t("inovasi.halaman.sumber.tanda_contoh")
    lines: dict[tuple[str, str], list[str]] = {}
    for e in adopsi.normalise_events(events).itertuples():
        if e.tanggal.date() <= end:
            mark = demo_mark if batches.get(e.batch, False) else ""
            lines.setdefault((e.kode_kecamatan, e.inovasi), []).append(
                f"{formatting.tanggal(e.tanggal, short=True)}: {adopsi.label_tahap(e.tahap)}{mark}")
    return lines


def lagging(late_by_inovasi: pd.Series, short: dict, month: str) -> str:
    """The line naming the innovations with late kecamatan, most first."""
    if not len(late_by_inovasi):
        return t("inovasi.halaman.tertinggal.tidak_ada", bulan=month)
    ranked_late = late_by_inovasi.sort_values(ascending=False)
    return t("inovasi.halaman.tertinggal.judul") + " · ".join(
        t("inovasi.halaman.tertinggal.butir", inovasi=short[c], n=formatting.angka(n, 0))
        for c, n in ranked_late.items())


def target_table(targets: pd.DataFrame, short: dict) -> pd.DataFrame:
    """adopsi.target_summary as shown: innovation, target stage and date, reached, late."""
    return pd.DataFrame({
        t("istilah.inovasi"): [short[c] for c in targets["inovasi"]],
        t("istilah.target"): [
            f"{adopsi.nama_tahap(n)} · {formatting.tanggal(d, short=True)}"
            for n, d in zip(targets["tahap"], targets["tanggal"], strict=True)],
        t("istilah.tercapai"): [
            f"{a}/{n}" for a, n in zip(targets["tercapai"], targets["berlaku"], strict=True)],
        t("istilah.terlambat"): targets["terlambat"].astype(int),
    })


def late_table(terlambat: pd.DataFrame, inovasi: str, kec_names: pd.Series) -> pd.DataFrame:
    """The kecamatan late on one innovation, the latest first (empty when none is)."""
    late_here = terlambat[terlambat["inovasi"] == inovasi].sort_values(["hari_terlambat", "kode_kecamatan"],
                                                                     ascending=[False, True])
    return pd.DataFrame({
        t("istilah.kecamatan"): late_here["kode_kecamatan"].map(kec_names),
        t("istilah.tahap_kini"): [adopsi.label_tahap(n) for n in late_here["tahap_kini"]],
        t("istilah.terlambat"): [
            t("inovasi.halaman.per_inovasi.hari_satu" if h == 1 else "inovasi.halaman.per_inovasi.hari",
              n=formatting.angka(h, 0)) for h in late_here["hari_terlambat"]],
    })


def next_table(everyone: pd.DataFrame, inovasi: str, kec_names: pd.Series) -> pd.DataFrame:
    """The NEXT_TOP candidates of one innovation (adopsi.next_adopters), with their gap."""
    nxt = everyone[(everyone["inovasi"] == inovasi) & (everyone["urutan"] <= adopsi.NEXT_TOP)]
    return pd.DataFrame({
        "#": nxt["urutan"],
        t("istilah.kecamatan"): nxt["kode_kecamatan"].map(kec_names),
        t("istilah.tahap_kini"): [adopsi.label_tahap(n) for n in nxt["tahap"]],
        t("inovasi.halaman.per_inovasi.kolom_kesenjangan"): [formatting.angka(v, 1) for v in nxt["kesenjangan"]],
    })


def impact_columns() -> dict[str, str]:
    """The impact table's column headers by field."""
    return {"indikator": t("istilah.indikator"), "pengadopsi": t("inovasi.halaman.dampak.kolom_pengadopsi"),
            "pembanding": t("inovasi.halaman.dampak.kolom_pembanding"),
            "selisih": t("inovasi.halaman.dampak.kolom_selisih"), "arti": t("inovasi.halaman.dampak.kolom_arti"),
            "n": t("inovasi.halaman.dampak.kolom_n")}


def _signed(value: float) -> str:
    """+4,2 / −4,2 / 0,0: one decimal, signed as every channel signs (presentation/tampil.bertanda)."""
    return formatting.bertanda(value, 1)


def difference(r) -> str:
    """The estimate with its interval: '−4,2 (−7,9 s.d. −0,6)'; '—' without an estimate."""
    if pd.isna(r.efek):
        return "—"
    if pd.isna(r.batas_bawah):
        return _signed(r.efek)
    return t("inovasi.halaman.dampak.selang", efek=_signed(r.efek), bawah=_signed(r.batas_bawah),
             atas=_signed(r.batas_atas))


def _meaning(r, short: dict) -> str:
    """The verdict in words (or why there is none), and the other innovations that share the change."""
    if pd.isna(r.efek):
        arti = t("inovasi.halaman.dampak.tanpa_perkiraan", alasan=r.alasan)
    elif r.kesimpulan:
        arti = t(f"inovasi.halaman.dampak.{r.kesimpulan}") + t(
            "inovasi.halaman.dampak." + ("lebih_rendah" if r.arah == "lower" else "lebih_tinggi"))
    else:
        arti = t("inovasi.halaman.dampak.tanpa_kesimpulan",
                 alasan=dampak.reason(r.sebab, r.alasan, r.n_adopter, r.n_kontrol))  # in the shown language
    juga = r.juga if isinstance(r.juga, dict) else {}
    if juga:
        arti += t("inovasi.halaman.dampak.juga", daftar=", ".join(
            t("inovasi.halaman.dampak.juga_butir", inovasi=short.get(k, k), n=formatting.angka(n, 0),
              dari=formatting.angka(r.n_adopter, 0)) for k, n in juga.items()))
    return arti


def impact_table(effects: pd.DataFrame, satuan: pd.Series, ind_names: dict, short: dict | None = None) -> pd.DataFrame:
    """dampak.impact rows of one innovation as shown; `satuan` maps an indicator to its unit, `short`
    an innovation to its short name (for the note on changes shared with other innovations)."""
    column = impact_columns()
    short = short or {}
    rows = []
    for r in effects.itertuples():
        unit = satuan.get(r.indikator, "")
        rows.append({
            column["indikator"]: f"{ind_names.get(r.indikator, r.indikator)} ({formatting.satuan(unit)})",
            column["pengadopsi"]: formatting.angka(r.perubahan_adopter, 1),
            column["pembanding"]: formatting.angka(r.perubahan_kontrol, 1),
            column["selisih"]: difference(r),
            column["arti"]: _meaning(r, short),
            column["n"]: f"{formatting.angka(r.n_adopter, 0)} / {formatting.angka(r.n_kontrol, 0)}",
        })
    return pd.DataFrame(rows, columns=list(column.values()))


def adopted_line(matrix: pd.DataFrame, kode: str, inv_codes: list[str], short: dict) -> str:
    """The innovations one kecamatan runs (stage ≥ Berjalan), or a sentence saying none."""
    own = matrix[matrix["kode_kecamatan"] == kode].set_index("inovasi")["tahap"]
    done = [short[c] for c in inv_codes if own[c] >= adopsi.BERJALAN]
    return ", ".join(done) if done else t("inovasi.halaman.per_kecamatan.belum_ada",
                                          berjalan=adopsi.nama_tahap(adopsi.BERJALAN))


def late_warning(terlambat: pd.DataFrame, kode: str, short: dict) -> str | None:
    """The targets one kecamatan is late on, in one sentence (None when it is late on none)."""
    mine = terlambat[terlambat["kode_kecamatan"] == kode]
    if not len(mine):
        return None
    return t("inovasi.halaman.per_kecamatan.terlambat") + "; ".join(
        t("inovasi.halaman.per_kecamatan.terlambat_butir", inovasi=short[r.inovasi],
          tahap=adopsi.nama_tahap(r.tahap), tanggal=formatting.tanggal(r.tanggal, short=True),
          kini=adopsi.nama_tahap(r.tahap_kini))
        for r in mine.itertuples())


def kecamatan_next_table(everyone: pd.DataFrame, kode: str, short: dict) -> pd.DataFrame:
    """The innovations one kecamatan is a candidate for, largest gap first, with its rank among
    each innovation's candidates (empty when none)."""
    here = everyone[everyone["kode_kecamatan"] == kode].sort_values("kesenjangan", ascending=False)
    candidates = everyone.groupby("inovasi").size()
    return pd.DataFrame({
        t("istilah.inovasi"): [short[c] for c in here["inovasi"]],
        t("istilah.tahap_kini"): [adopsi.label_tahap(n) for n in here["tahap"]],
        t("inovasi.halaman.per_kecamatan.kolom_kesenjangan"): [formatting.angka(v, 1) for v in here["kesenjangan"]],
        t("inovasi.halaman.per_kecamatan.kolom_urutan"): [
            t("inovasi.halaman.per_kecamatan.sel_urutan", urutan=formatting.angka(u, 0),
              jumlah=formatting.angka(candidates[c], 0)) for u, c in zip(here["urutan"], here["inovasi"], strict=True)],
    })


def history_table(cell: pd.DataFrame, batches: pd.Series) -> pd.DataFrame:
    """adopsi.cell_events as shown, undone events included with who undid them and why."""
    return pd.DataFrame({
        t("inovasi.halaman.riwayat.kolom_tanggal"): [formatting.tanggal(d, short=True) for d in cell["tanggal"]],
        t("istilah.tahap"): [adopsi.label_tahap(n) for n in cell["tahap"]],
        t("inovasi.halaman.riwayat.kolom_bukti"): cell["bukti"].fillna(""),
        t("inovasi.halaman.riwayat.kolom_oleh"): cell["oleh"].fillna(""),
        t("istilah.status"): [
            t("inovasi.halaman.riwayat.dibatalkan", oleh=o, alasan=a) if pd.notna(w)
            else t("inovasi.halaman.riwayat.berlaku_contoh") if batches.get(batch, False)
            else t("inovasi.halaman.riwayat.berlaku")
            for w, o, a, batch in zip(cell["batal_waktu"], cell["batal_oleh"], cell["batal_alasan"],
                                      cell["batch"], strict=True)
        ],
    })


def event_labels(live: pd.DataFrame) -> dict:
    """Event id -> "date · stage · by", the choices of the undo form."""
    return {r.id: f"{formatting.tanggal(r.tanggal, short=True)} · {adopsi.label_tahap(r.tahap)} · "
                  f"{r.oleh or ''}" for r in live.itertuples()}
