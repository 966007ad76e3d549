"""IKM (Indeks Kepuasan Masyarakat) from raw SKM answers, PermenPAN-RB No. 14 Tahun 2017.

NRR per unsur = mean answer (1–4) of that unsur; the index is the mean of the 9 NRR, i.e.
each weighted exactly 1/9 (many spreadsheets use the rounded 0,111, which shifts the result
by up to about one point: Tiru does not); IKM = index × 25, on 25–100.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from metrics.core import bahasa, formatting

UNSUR = [f"u{i}" for i in range(1, 10)]
MIN_RESPONDENTS = 30  # below this a result is flagged as a small sample

# (lowest IKM of the category, letter, Indonesian name as the regulation writes it); compared
# on the 2-decimal IKM. nama_mutu() shows the name in the active language.
MUTU = [
    (88.31, "A", "Sangat Baik"),
    (76.61, "B", "Baik"),
    (65.00, "C", "Kurang Baik"),
    (25.00, "D", "Tidak Baik"),
]


def mutu(ikm: float) -> tuple[str, str] | None:
    """Category letter and name of an IKM value; None when missing or out of 25–100.

    The regulation's table is written with two decimals (A 88,31–100, B 76,61–88,30, …),
    so the value is rounded half-up to two decimals before it is compared.
    """
    if ikm is None or pd.isna(ikm):
        return None
    shown = float(np.floor(float(ikm) * 100 + 0.5 + 1e-9) / 100)
    if not 25.0 <= shown <= 100.0:
        return None
    for lowest, letter, name in MUTU:
        if shown >= lowest:
            return letter, name
    return None


def teks(ikm: float) -> str:
    """An IKM as shown beside its grade, in the active language: one decimal ('90,0'), or two where
    one decimal would cover values of two grades ('88,31' A and '88,30' B both round to '88,3')."""
    if ikm is None or pd.isna(ikm):
        return formatting.MISSING
    two = float(np.floor(float(ikm) * 100 + 0.5 + 1e-9) / 100)  # as mutu() reads it
    one = float(np.floor(two * 10 + 0.5 + 1e-9) / 10)
    # The two-decimal values printed as `one` are one-0,05 … one+0,04: both grades among them when a
    # grade's lowest value b has b-0,01 and b in that range.
    ambiguous = any(one - 0.04 - 1e-9 <= lowest <= one + 0.04 + 1e-9 for lowest, _, _ in MUTU[:-1])
    return formatting.angka(two, 2) if ambiguous else formatting.angka(one, 1)


def nama_mutu(letter: str) -> str:
    """A category's name in the active language ('Sangat Baik' / 'Very good')."""
    return bahasa.t(f"istilah.mutu.{letter.lower()}")


def ikm_from_responses(responses: pd.DataFrame, by: list[str] | None = None) -> pd.DataFrame:
    """IKM per group (e.g. kode_kecamatan, periode) from one row per respondent.

    Returns the group columns, nrr_u1 … nrr_u9, indeks (1–4), ikm (25–100), responden,
    mutu, mutu_nama and sampel_kecil (fewer than MIN_RESPONDENTS answers).
    Answers outside 1–4 must be rejected before this point (validation does).
    """
    by = by or []
    answers = responses[by + UNSUR].copy()
    answers[UNSUR] = answers[UNSUR].astype(float)
    grouped = answers.groupby(by, sort=True) if by else answers.assign(_all=0).groupby("_all")
    nrr = grouped[UNSUR].mean()
    out = nrr.add_prefix("nrr_")
    out["indeks"] = nrr[UNSUR].sum(axis=1) / len(UNSUR)
    out["ikm"] = out["indeks"] * 25
    out["responden"] = grouped.size()
    categories = [mutu(value) for value in out["ikm"]]
    out["mutu"] = [c[0] if c else None for c in categories]
    out["mutu_nama"] = [c[1] if c else None for c in categories]
    out["sampel_kecil"] = out["responden"] < MIN_RESPONDENTS
    return out.reset_index(drop=not by)
