"""What the focus slide (metrics/reports/slides.py) and the rapor (metrics/reports/rapor.py) say
about one kecamatan in the month: computed once here, so the two agree."""

from __future__ import annotations

import pandas as pd

from metrics.core import bahasa, formatting
from metrics.core.bahasa import t
from metrics.engine import adopsi, benchmark
from metrics.presentation import tampil
from metrics.reports.deck_spec import Inputs, Metric, late_targets, movement, of, pillar_matrix

GAPS = 3


def shared(inputs: Inputs) -> dict:
    """What every kecamatan's summary needs from the whole month: compute once for 25 pages."""
    return {"status": late_targets(inputs), "matrix": pillar_matrix(inputs)}


def kecamatan_summary(inputs: Inputs, kode: str, common: dict | None = None) -> dict:
    """What the focus slide and the rapor say about one kecamatan in the month.

    Keys: kode, nama, facts (reference row), row (league-table row), n_ranked, profile
    (benchmark.profile_scorecard, indicator names in the active language), gaps
    (benchmark.next_steps, the GAPS largest), stages (stage_matrix rows of the kecamatan),
    late (its late targets), pillars (DataFrame index pillar name in the active language,
    columns kecamatan, median), total_weight.
    """
    cat = inputs.catalog
    table = inputs.table.set_index("kode_kecamatan")
    facts = inputs.kecamatan.set_index("kode").loc[kode]
    profile = benchmark.profile_scorecard(inputs.card, kode, cat)
    stages = adopsi.stage_matrix(inputs.events, [kode], list(inputs.inovasi.index), inputs.periode)
    gaps = benchmark.next_steps(profile, stages, inputs.inovasi["indikator"], n=GAPS)
    common = common or shared(inputs)
    status, matrix = common["status"], common["matrix"]
    own_late = status[(status["kode_kecamatan"] == kode) & status["terlambat"]] if len(status) else status
    pillars = pd.DataFrame({"kecamatan": matrix.loc[kode] if kode in matrix.index else None,
                            "median": matrix.median()}).reindex(cat.pilar.index)
    pillars.index = list(bahasa.names(cat.pilar))
    return {
        "kode": kode, "nama": facts["nama"], "facts": facts, "row": table.loc[kode],
        "n_ranked": int(inputs.table["diperingkat"].sum()), "profile": profile, "gaps": gaps, "stages": stages,
        "late": own_late, "pillars": pillars, "total_weight": float(cat.weights.sum()),
    }


def rank_metrics(summary: dict) -> list[Metric]:
    row = summary["row"]
    if row["diperingkat"]:
        metrics = [Metric(t("istilah.peringkat"), of(int(row["peringkat"]), summary["n_ranked"])),
                   Metric(t("istilah.rentang_peringkat"), f"{int(row['peringkat_min'])}–{int(row['peringkat_max'])}"),
                   Metric(t("istilah.gerak_bulan_lalu"),
                          tampil.gerak_teks(row["perubahan"], row["gerak"], row["status_gerak"], rank=movement))]
    else:
        metrics = [Metric(t("istilah.peringkat"), t("istilah.belum_diperingkat")),
                   Metric(t("istilah.cakupan"), formatting.persen(row["cakupan"]),
                          help=t("rapat.ringkas.cakupan_bantuan")),
                   Metric(t("istilah.tanpa_data"), str(int((~summary["profile"]["ada"]).sum())))]
    return metrics + [Metric(t("istilah.indeks_tiru"), tampil.indeks_teks(row["skor"]))]


def gap_rows(summary: dict) -> list[list[str]]:
    """The largest weighted gaps: indicator, value, model, score, what closing it adds."""
    return [[g.nama, formatting.nilai(g.nilai, g.satuan) if g.ada else t("istilah.tidak_ada_data"),
             formatting.nilai(g.model, g.satuan), formatting.angka(g.skor, 0),
             tampil.bertanda(g.celah_berbobot / summary["total_weight"])]
            for g in summary["gaps"].itertuples()]


def gap_columns() -> list[str]:
    """Column headers of gap_rows in the active language."""
    return [t("istilah.indikator"), t("istilah.nilai"), t("istilah.model"),
            t("istilah.skor"), t("rapat.ringkas.tambahan")]
