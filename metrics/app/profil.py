"""Profil kecamatan's composite parts: the facts line, the rapor download, the KPIs, the next
steps and the scorecard table (the tables' contents come from metrics/engine/benchmark.py)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from metrics.app import bagikan, ui
from metrics.core import bahasa, formatting
from metrics.core import periode as per
from metrics.core.bahasa import t
from metrics.engine import adopsi, bulan, scoring
from metrics.presentation import tabel, tampil
from metrics.reports import deck_spec, rapor


def facts_line(facts: pd.Series, kode: str):
    """The kecamatan's name and code, and its villages, population and source. Returns the slot under
    the name where the page puts its headline (headline())."""
    population = (t("profil.fakta.penduduk", jumlah=formatting.angka(facts["penduduk"], 0),
                    tahun=int(facts["tahun_penduduk"]))
                  if pd.notna(facts["penduduk"]) else t("profil.fakta.penduduk_tidak_ada"))
    st.header(f"{facts['nama']} · {kode}")
    slot = st.empty()
    notes = [n.strip() for n in str(facts["sumber"]).split(";") if n.strip()]
    st.caption(t("profil.fakta.keterangan", desa=int(facts["desa"]), kelurahan=int(facts["kelurahan"]),
                 penduduk=population, sumber=ui.plain(source_name(notes))))
    with st.expander(t("profil.fakta.sumber"), expanded=False):  # the raw notes, as recorded
        st.markdown("\n".join(f"- {ui.plain(n)}" for n in notes))
    return slot


def headline(slot, row: pd.Series, n_ranked: int, month: str, status: str | None) -> None:
    """The standing in three short lines, for a phone's first screen (PAGE_STYLE shows it only at
    ≤ 480 px, where it replaces the KPI tiles): the month and its status, the rank with its range on
    one line, the Indeks Tiru with its movement and coverage."""
    lines = [t("profil.ringkas.bulan", bulan=month, status=bulan.status_name(status)) if status else f"**{month}**"]
    if row["diperingkat"]:
        lines.append(t("profil.ringkas.peringkat", peringkat=int(row["peringkat"]), total=n_ranked,
                       dari=int(row["peringkat_min"]), sampai=int(row["peringkat_max"])))
    else:
        lines.append(t("profil.ringkas.belum", ambang=formatting.persen(scoring.COVERAGE_THRESHOLD)))
    lines.append(t("profil.ringkas.indeks", skor=tampil.indeks_teks(row["skor"]),
                   gerak=tampil.gerak_teks(row["perubahan"], row["gerak"], row["status_gerak"]),
                   cakupan=formatting.persen(row["cakupan"])))
    with slot.container(key="profil-ringkas"):
        st.markdown("  \n".join(lines))


def source_name(notes: list[str]) -> str:
    """The main source named in the facts' first note: 'kode/nama/…: Kepmendagri No … Tahun 2025 via
    github…' -> 'Kepmendagri No … Tahun 2025' (the notes themselves are shown under "Sumber")."""
    first = notes[0] if notes else ""
    return first.split(": ", 1)[-1].split(" via ")[0].strip() or formatting.MISSING


def rapor_button(nama: str, kode: str, periode: int) -> None:
    """The kecamatan's one-page rapor (PDF), built when clicked."""
    store = ui.store()  # the rapor is built on click, on another thread: no cached reads there
    language = bahasa.aktif()  # ... and outside this run's language: pass it on

    def report_card() -> bytes:
        with bahasa.dalam(language):
            return rapor.to_bytes(deck_spec.gather(store, periode), [kode])

    st.download_button(
        t("profil.rapor.tombol", nama=nama), icon=":material/picture_as_pdf:", on_click="ignore",
        data=report_card, mime="application/pdf",
        file_name=rapor.filename(per.fmt(periode), kode),
        help=t("profil.rapor.bantuan"),
    )


def kpis(row: pd.Series, profile: pd.DataFrame, n_ranked: int, month: str) -> None:
    """Rank, certainty, movement and Indeks Tiru; coverage and what is missing when unranked."""
    threshold = formatting.persen(scoring.COVERAGE_THRESHOLD)
    kpis = ui.kpi_row("profil-kpi")  # hidden on a phone, where headline() says it (PAGE_STYLE)
    if row["diperingkat"]:
        kpis.metric(t("istilah.peringkat"), t("profil.kpi.peringkat_nilai", peringkat=int(row["peringkat"]),
                                                   total=n_ranked), border=True,
                    help=t("profil.kpi.peringkat_bantuan", sebaran=formatting.persen(scoring.CERTAINTY_SPREAD),
                           undian=formatting.angka(scoring.CERTAINTY_DRAWS, 0)))
        kpis.metric(t("istilah.rentang_peringkat"), f"{int(row['peringkat_min'])}–{int(row['peringkat_max'])}",
                    border=True)
        kpis.metric(t("profil.kpi.gerak"),
                    tampil.gerak_teks(row["perubahan"], row["gerak"], row["status_gerak"]), border=True,
                    help=t("profil.kpi.gerak_bantuan"))
    else:
        missing = profile.loc[~profile["ada"], "nama"]
        kpis.metric(t("istilah.peringkat"), t("profil.kpi.belum"), border=True,
                    help=t("profil.kpi.belum_bantuan", ambang=threshold))
        kpis.metric(t("istilah.cakupan"), formatting.persen(row["cakupan"]), border=True,
                    help=t("profil.kpi.cakupan_bantuan", ambang=threshold))
        kpis.metric(t("istilah.tanpa_data"), str(len(missing)), border=True)
    kpis.metric(t("istilah.indeks_tiru"), tampil.indeks_teks(row["skor"]), border=True,
                help=t("profil.kpi.indeks_bantuan"))
    if note := tabel.zero_note(row):
        st.caption(note)
    if not row["diperingkat"]:
        left = (" " + t("profil.kpi.keluar_peringkat", peringkat=formatting.peringkat(row["peringkat_sebelumnya"]))
                if row["status_gerak"] == "keluar" else "")
        st.warning(t("profil.belum_diperingkat", bulan=month, cakupan=formatting.persen(row["cakupan"]),
                     ambang=threshold, indikator=", ".join(profile.loc[~profile["ada"], "nama"])) + left,
                   icon=":material/warning:")


def next_steps(steps: pd.DataFrame, stages: pd.DataFrame, inovasi_names: pd.Series, total_weight: float,
               month: str) -> None:
    """The largest gaps (benchmark.next_steps) with the innovations that would close them."""
    stage_of = stages.set_index("inovasi")["tahap"]
    with st.container(border=True):
        st.markdown(t("profil.langkah.judul", bulan=month))
        if steps.empty:
            st.write(t("profil.langkah.semua_setara"))
        for i, step in enumerate(steps.itertuples(), start=1):
            suggestion = (", ".join(t("profil.langkah.inovasi", inovasi=adopsi.short_name(c, inovasi_names[c]),
                                      tahap=adopsi.nama_tahap(int(stage_of[c])))
                                    for c in step.inovasi)
                          if step.inovasi else t("profil.langkah.semua_berjalan"))
            st.markdown(
                t(
                    "profil.langkah.butir" if step.ada else "profil.langkah.lapor",
                    nomor=i,
                    nama=step.nama,
                    nilai=formatting.nilai(step.nilai, step.satuan),
                    model=formatting.nilai(step.model, step.satuan),
                    skor=formatting.angka(step.skor, 0),
                    poin=formatting.angka(step.celah_berbobot / total_weight, 1),
                    saran=suggestion,
                )
            )


# Pixel widths of the scorecard's columns that fit together in the 1366 px page (#15.6).
WIDTHS = {"indikator": 205, "nilai": 100, "model": 95, "skor": 50, "kategori": 135, "laporan": 75,
          "periode_nilai": 80}


def scorecard(profile: pd.DataFrame, table: pd.DataFrame, periode: int) -> None:
    """The scorecard table (tabel.profile_table: a 12-month sparkline per indicator), and the
    model's sources."""
    column = tabel.profile_columns()
    bagikan.table(
        table, "profil-kartu", t("profil.kartu.judul", bulan=formatting.bulan(periode)).replace("*", ""),
        hide_index=True,
        width="stretch",
        height=38 + 35 * len(profile),
        # On screen the key columns fit at 1366 px; direction and source stay in the download (#15.6).
        column_order=[column[k] for k in ("indikator", "nilai", "model", "selisih", "skor", "kategori", "tren",
                                          "laporan", "periode_nilai")],
        column_config={
            **{column[k]: st.column_config.TextColumn(width=w) for k, w in WIDTHS.items()},
            # Pinned: scrolled sideways on a phone, each row keeps its indicator's name (#22).
            column["indikator"]: st.column_config.TextColumn(width=WIDTHS["indikator"], pinned=True),
            column["tren"]: st.column_config.LineChartColumn(
                help=t("profil.kartu.tren_bantuan", dari=formatting.bulan(periode - 11, short=True),
                       sampai=formatting.bulan(periode, short=True)), width=100),
            column["selisih"]: st.column_config.TextColumn(help=t("profil.kartu.selisih_bantuan"), width=55),
            column["kategori"]: st.column_config.TextColumn(help=t("profil.kartu.kategori_bantuan"),
                                                            width=WIDTHS["kategori"]),
        },
    )
    st.caption(
        t("profil.kartu.model_sumber", sumber=ui.plain("; ".join(sorted(set(profile["model_sumber"].dropna())))))
    )
