"""Peringkat's composite parts: the headline KPIs and the league table, coloured, whose rows open the
kecamatan's profile (the table's contents come from metrics/engine/benchmark.py)."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from metrics.app import bagikan, tampilan, ui
from metrics.core import bahasa, formatting
from metrics.core.bahasa import t
from metrics.engine import scoring
from metrics.presentation import tabel, tampil

# Light tints of a blue→orange scale (colour-blind safe): best quartile / mutu A first.
CATEGORY_COLOURS = {1: "#9ECAE1", 2: "#DEEBF7", 3: "#FDE0C5", 4: "#F9B27A"}


def kpis(table: pd.DataFrame, periode: int, threshold: str) -> None:
    """How many are ranked, the median Indeks Tiru and its change, who rose or fell, who is unranked."""
    n_ranked, median, change, moved = kpi_values(periode)
    kpis = ui.kpi_row("kpi-ringkas")  # one compact row (PAGE_STYLE)
    kpis.metric(t("istilah.kpi.diperingkat"), t("istilah.kpi.dari", n=n_ranked, total=len(table)),
                border=True)
    kpis.metric(
        t("istilah.kpi.median_indeks"),
        tampil.indeks_teks(median),
        **ui.delta(tampil.median_gerak(change)),
        border=True,
    )
    kpis.metric(
        t("peringkat.kpi.naik_turun"),
        f"{moved.naik} / {moved.turun}",
        border=True,
        help=t("peringkat.kpi.naik_turun_bantuan"),
    )
    kpis.metric(t("peringkat.kpi.belum"), str(len(table) - n_ranked), border=True,
                help=t("peringkat.kpi.belum_bantuan", ambang=threshold))
    if note := tampil.catatan_sama(change, table["status_gerak"], table["perubahan"]):
        st.caption(note)


@ui.cached
def kpi_values(periode: int) -> tuple:
    """(number ranked, median Indeks Tiru of the ranked, its change since last month, movement counts)."""
    table = ui.league_table(periode)
    ranked = table[table["diperingkat"]]
    previous = ui.league_table(periode - 1) if periode - 1 in ui.periods() else None
    median = ranked["skor"].median() if len(ranked) else None
    median_before = previous.loc[previous["diperingkat"], "skor"].median() if previous is not None else None
    change = None if median is None or median_before is None or pd.isna(median_before) else tampil.perubahan(
        median, median_before)
    return len(ranked), median, change, tampil.hitung(table["status_gerak"])


def profile_url(kode: str) -> str:
    """Relative link to the profile, keeping a non-default language (the link may open a new tab)."""
    language = "" if bahasa.aktif() == bahasa.DEFAULT else f"&bahasa={bahasa.aktif()}"
    return f"profil?kecamatan={kode}{language}"


@ui.cached
def league_frame(periode: int, measure: str, group_of: str | None) -> tuple[pd.DataFrame, Styler, str]:
    """The table as shown (tampilan.ranked_rows), the same with the measure's column coloured by each
    row's colour class, and the coloured column's name."""
    shown = tampilan.ranked_rows(periode, measure, group_of)
    frame = tabel.league_frame(shown, measure, ui.catalog())
    frame[tabel.league_columns()["profil"]] = [profile_url(k) for k in shown["kode_kecamatan"]]
    coloured, classes = tabel.coloured_column(frame, measure), tabel.colour_classes(shown, measure)
    styled = Styler(frame, uuid="peringkat").apply(
        lambda values: [f"background-color: {CATEGORY_COLOURS[int(c)]}" if pd.notna(c) else "" for c in classes],
        subset=[coloured],
    )  # computed and translated once, when the cache keeps it (cache.PlainStyler)
    return frame, styled, coloured


# Enter on a row of the league table selects it (the grid's own key for that is Shift+Space, which nobody
# knows), and selecting a row opens the profile: the table works from the keyboard (#22). Registered once per
# browser tab, for this table only.
ENTER_OPENS = """<script>
if (!window.tiruEnterOpensRow) {
  window.tiruEnterOpensRow = true;
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.shiftKey || !event.isTrusted
        || !event.target.closest(".st-key-tabel-peringkat [data-testid='stDataFrame']")) return;
    event.preventDefault();
    event.stopPropagation();
    event.target.dispatchEvent(new KeyboardEvent("keydown", {key: " ", code: "Space", keyCode: 32, shiftKey: true,
                                                             bubbles: true, cancelable: true}));
  }, true);
}
</script>"""


@ui.cached
def compact_rows(periode: int, measure: str, group_of: str | None) -> list[tuple[str, str]]:
    """(code, link text) of each row of the phone's list: rank, name, Indeks Tiru, movement."""
    return [(r.kode_kecamatan, t("peringkat.daftar.baris", peringkat=formatting.peringkat(r.peringkat), nama=r.kecamatan,
                                 skor=tampil.indeks_teks(r.skor),
                                 gerak=tampil.gerak_teks(r.perubahan, r.gerak, r.status_gerak)))
            for r in tampilan.ranked_rows(periode, measure, group_of).itertuples()]


def compact_list(periode: int, measure: str, group_of: str | None) -> None:
    """On a phone (gaya.PHONE shows it only at ≤ 480 px, instead of the table): one link per kecamatan —
    rank, name, Indeks Tiru, movement — that opens its profile with a tap."""
    with st.container(key="daftar-peringkat", gap=None):
        for kode, text in compact_rows(periode, measure, group_of):
            ui.page_link("pages/kecamatan.py", query_params={"kecamatan": kode}, label=text)


def league(periode: int, measure: str, group_of: str | None) -> None:
    """The league table (tampilan.ranked_rows), the measure's column coloured; picking a row opens
    that kecamatan's profile."""
    column = tabel.league_columns()
    spread = formatting.persen(scoring.CERTAINTY_SPREAD)
    shown = tampilan.ranked_rows(periode, measure, group_of)
    frame, styled, coloured = league_frame(periode, measure, group_of)
    st.html(ENTER_OPENS, unsafe_allow_javascript=True)
    with st.container(key="tabel-peringkat"):
        picked = bagikan.table(
            styled, "peringkat", t("peringkat.judul"), download=lambda: tabel.league_download(frame, shown),
            hide_index=True,
            width="stretch",
            height=min(38 + 35 * len(frame), 920),
            on_select="rerun",
            selection_mode="single-row",
            key="baris_peringkat",
            column_config={
                column["rentang"]: st.column_config.TextColumn(
                    help=t("peringkat.kolom.rentang_bantuan", undian=formatting.angka(scoring.CERTAINTY_DRAWS, 0),
                           sebaran=spread)),
                column["gerak"]: st.column_config.TextColumn(help=t("peringkat.kolom.gerak_bantuan")),
                column["cakupan"]: st.column_config.TextColumn(help=t("peringkat.kolom.cakupan_bantuan")),
                column["profil"]: st.column_config.LinkColumn(display_text=t("peringkat.kolom.profil_teks"),
                                                              help=t("peringkat.kolom.profil_bantuan")),
            },
        )
        legend = t("peringkat.warna.ikm") if measure == "ikm" else t("peringkat.warna.kuartil")
        st.caption(t("peringkat.warna.keterangan", kolom=coloured, legenda=legend))  # with the table it explains
    compact_list(periode, measure, group_of)
    if picked.selection.rows:
        chosen = shown.iloc[picked.selection.rows[0]]["kode_kecamatan"]
        st.switch_page("pages/kecamatan.py", query_params={"kecamatan": chosen})
