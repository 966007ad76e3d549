"""The numbers as shown: one rounding, one movement rule, one set of words for every channel.

The engine keeps exact numbers. Everything a user reads — the pages, the CLI table, Excel, the
pack, the rapor, the brief, the chart images and the WhatsApp text — takes the Indeks, its change
and the up/down/tetap counts from here, so no channel rounds or rewords on its own (#19):

- the shown Indeks is the engine's value rounded ONCE to one decimal (scoring.SCORE_DECIMALS, the
  decimals ranks compare), and its text is formatting.angka of that shown value;
- a movement is the difference of the two SHOWN values, so "80,0 → 79,4" always reads −0,6;
- naik / turun / tetap count those differences, among kecamatan ranked in both months;
- a kecamatan entering or leaving the ranking says "masuk peringkat" / "keluar peringkat";
- a rank that stayed the same beside a changed Indeks is never called "tetap".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from metrics.core import formatting
from metrics.core.bahasa import t
from metrics.engine import scoring

DESIMAL = scoring.SCORE_DECIMALS


def indeks(skor):
    """The shown Indeks: rounded once to one decimal (NaN stays NaN). Works on scalars and arrays."""
    if isinstance(skor, pd.Series):
        return skor.astype(float).round(DESIMAL)
    if skor is None or (np.isscalar(skor) and pd.isna(skor)):
        return np.nan
    return (
        np.round(np.asarray(skor, dtype=float), DESIMAL)
        if not np.isscalar(skor)
        else float(np.round(float(skor), DESIMAL))
    )


def indeks_teks(skor) -> str:
    """'43,1': the shown Indeks in the active language; '—' when missing."""
    return formatting.angka(indeks(skor), DESIMAL)


def perubahan(sekarang, sebelumnya) -> float:
    """Movement of the Indeks: shown now − shown before, itself at one decimal; NaN when either is missing."""
    if sekarang is None or sebelumnya is None or pd.isna(sekarang) or pd.isna(sebelumnya):
        return np.nan
    return float(np.round(indeks(sekarang) - indeks(sebelumnya), DESIMAL))


def bertanda(value, decimals: int = DESIMAL, teks=None) -> str:
    """+1,2 / −0,8 (true minus sign) / 0,0 (no sign, nor for what rounds to 0); em dash when missing.
    Every channel signs its numbers with this: the rule itself is formatting.bertanda, in core so
    the engine's texts (the Inovasi page's estimates, the trend pace) keep it too."""
    return formatting.bertanda(value, decimals, teks)


def besaran(change) -> str:
    """'0,6': the size of a shown change, for texts that word its direction ('turun 0,6 poin')."""
    return bertanda(change).lstrip("+−")


def median_gerak(change, layar: bool = True) -> str | None:
    """'+0,4 dari bulan lalu': the delta of a KPI of the kabupaten's median (Ringkasan, Peringkat, Mode Rapat,
    the pack's card); None when missing. Signed by bertanda; on screen (`layar`) with an ASCII '-', because
    st.metric reads the arrow's direction from a leading '-'."""
    if change is None or pd.isna(change):
        return None
    shown = bertanda(change)
    return t("istilah.kpi.median_gerak", perubahan=shown.replace("−", "-") if layar else shown)


def status_gerak(change) -> str | None:
    """naik / turun / tetap of a shown change; None when missing."""
    if change is None or pd.isna(change):
        return None
    return "naik" if change > 0 else "turun" if change < 0 else "tetap"


@dataclass(frozen=True)
class Hitungan:
    """How many kecamatan moved how since last month."""

    naik: int
    turun: int
    tetap: int
    masuk: int
    keluar: int

    @property
    def terbanding(self) -> int:
        """Ranked in both months."""
        return self.naik + self.turun + self.tetap


def hitung(status: pd.Series) -> Hitungan:
    """Counts of a league table's status_gerak column (scoring.movement: shown changes)."""
    status = pd.Series(status, dtype=object)
    return Hitungan(*(int((status == s).sum()) for s in ("naik", "turun", "tetap", "masuk", "keluar")))


def gerak_bulan(history: pd.DataFrame, periode: int) -> pd.DataFrame:
    """Every kecamatan's movement from periode−1 to periode in a composite history (benchmark.
    composite_history): kode_kecamatan, skor, skor_sebelumnya, perubahan (shown), peringkat,
    status_gerak (naik/turun/tetap/masuk/keluar, None = ranked in neither), gerak (rank among both)."""
    now = history[history["periode"] == periode].reset_index(drop=True)
    before = history[history["periode"] == periode - 1]
    if now.empty:
        return pd.DataFrame(columns=["kode_kecamatan", "skor", "skor_sebelumnya", "perubahan", "peringkat",
                                     "status_gerak", "gerak"])
    moved = scoring.movement(now, before)
    return pd.DataFrame({"kode_kecamatan": now["kode_kecamatan"], "skor": now["skor"],
                         "skor_sebelumnya": moved["skor_sebelumnya"], "perubahan": moved["perubahan"],
                         "peringkat": now["peringkat"], "status_gerak": moved["status_gerak"], "gerak": moved["gerak"]})


def peringkat_kata(gerak) -> str:
    """Rank movement in words that print anywhere: 'naik 3', 'turun 2', 'peringkat sama' (never 'tetap':
    it read as "unchanged" beside a fall of the Indeks), 'baru'."""
    if gerak is None or pd.isna(gerak):
        return t("umum.baru")
    gerak = int(gerak)
    return t("rapat.naik", n=gerak) if gerak > 0 else t("rapat.turun", n=-gerak) if gerak < 0 else t(
        "tampil.peringkat_sama")


def gerak_teks(change, gerak, status, rank=formatting.gerak) -> str:
    """One row's movement as every view shows it: the Indeks change first, the rank movement among
    the kecamatan ranked in both months beside it ('−0,7 · ▲ 1'); 'masuk peringkat' / 'keluar
    peringkat' for one entering or leaving the ranking; '—' otherwise. `rank` words the rank
    movement (formatting.gerak on screen, peringkat_kata in print)."""
    if status == "masuk":
        return t("istilah.masuk_peringkat")
    if status == "keluar":
        return t("istilah.keluar_peringkat")
    if not isinstance(status, str):
        return formatting.MISSING
    return t("istilah.gerak_nilai", indeks=bertanda(change), peringkat=rank(gerak))


def gerak_sama(status: pd.Series, perubahan: pd.Series) -> tuple[int, float]:
    """(how many kecamatan were ranked in both months, the median of their shown changes; NaN when none).
    With drop-outs the change of the kabupaten's median mostly measures who reported; this does not."""
    both = pd.Series(status, dtype=object).isin(["naik", "turun", "tetap"]).to_numpy()
    changes = pd.Series(perubahan, dtype=float)[both]
    return int(both.sum()), float(changes.median()) if len(changes) else np.nan


def catatan_sama(change, status: pd.Series, perubahan: pd.Series) -> str:
    """'Di antara 19 kecamatan yang diperingkat pada kedua bulan, median perubahan Indeks 0,0 poin.' when
    that reads differently from the kabupaten's `change`; '' otherwise."""
    n, same = gerak_sama(status, perubahan)
    if not n or change is None or pd.isna(change) or bertanda(same) == bertanda(change):
        return ""
    return t("tampil.gerak_sama", n=n, perubahan=bertanda(same))
