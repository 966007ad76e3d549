"""Innovation adoption: stages derived from events, targets and lateness, who should adopt next.

Pure functions on plain DataFrames (no Streamlit), so every number can be recomputed from
`tiru export`. Inputs:

- events: Store.adopsi() (undone events already left out) — kode_kecamatan, inovasi, tahap
  (0–4), tanggal, urutan (recording order, higher = recorded later), optionally id, bukti, oleh;
- targets: Store.target() — inovasi, tahap, tanggal, kode_kecamatan (NULL = every kecamatan).

Stage
    The stage of a (kecamatan, inovasi) on a day D is the tahap of its *latest event dated on
    or before D*; several events on the same date are ordered by recording order (`urutan`),
    the one recorded last wins. So an event typed in weeks late (out of date order in the
    file) still takes effect on its own date, a step back (3 → 2, its reason in `bukti`)
    counts from its date, and a cell without such an event is at 0 (Belum). The stage *in
    month P* is the stage on the last day of P.

Late rule
    A target (inovasi, tahap, tanggal) applies to one kecamatan when it names it, and to every
    Asahan kecamatan when kode_kecamatan is empty; when named targets exist for a kecamatan
    and an innovation, the targets for all kecamatan of that innovation do not apply to it
    (the named one wins). On reference day D (on a page: the last day of the viewed month)
    a kecamatan is **late** when ``tanggal < D`` and its stage on D is below tahap. On the
    target date itself it is not yet late (an event dated on the target day is on time);
    from the next day on it is.

Impact (difference in differences with its interval and verdict) is in metrics.engine.dampak.

Who should adopt next
    For an innovation, kecamatan with stage < 3 ranked by the weighted gap on its linked
    scored indicators in the viewed month: Σ bobot × (100 − skor) over the linked indicators
    that have a score (benchmark.scorecard); largest first, ties by code.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from metrics.core import bahasa
from metrics.core import periode as per

# Stage names in Indonesian, as operators write them in files; nama_tahap() shows them per language.
TAHAP = {0: "Belum", 1: "Direncanakan", 2: "Uji coba", 3: "Berjalan", 4: "Terlembaga"}
BERJALAN = 3  # the stage from which an innovation counts as adopted
NEXT_TOP = 5  # how many kecamatan "who should adopt next" lists

# Target status codes (data, kept in Indonesian); nama_status() shows them per language.
STATUS_TERCAPAI, STATUS_TERLAMBAT, STATUS_BELUM_JATUH_TEMPO = "tercapai", "terlambat", "belum jatuh tempo"


def short_name(kode: str, nama: str | None = None) -> str:
    """An innovation's short name in the active language ('Antrean digital' / 'Digital queue'),
    for matrix columns and lists; the names are in metrics/core/teks/inovasi.toml (inovasi.singkat.<kode>).

    Codes without a short name in the catalogue fall back to `nama` (pass the name in the
    active language, e.g. bahasa.nama(row)), then to the code."""
    entry = bahasa.katalog().get(f"inovasi.singkat.{kode}")
    if entry is None:
        return nama or kode
    return bahasa.t(f"inovasi.singkat.{kode}")


def nama_tahap(tahap: int) -> str:
    """A stage's name in the active language ('Berjalan' / 'Running')."""
    return bahasa.t(f"tahap.t{int(tahap)}")


def label_tahap(tahap: int) -> str:
    """A stage with its number, as in legends and tables: '3 Berjalan' / '3 Running'."""
    return f"{int(tahap)} {nama_tahap(tahap)}"


def nama_status(status: str) -> str:
    """A target status code (STATUS_*) in the active language ('terlambat' / 'late')."""
    return bahasa.t(f"inovasi.status.{status.replace(' ', '_')}")


def _day(value) -> pd.Timestamp:
    return pd.Timestamp(value).normalize()


def normalise_events(events: pd.DataFrame) -> pd.DataFrame:
    """Events sorted by (tanggal, urutan), tanggal as a Timestamp, tahap as int. From a kecamatan ×
    innovation's first real event on, only its real events count (column demo, when given): real
    data outranks the demo whatever the dates, and the months before it keep their history."""
    out = events.copy()
    if "urutan" not in out:
        out["urutan"] = range(1, len(out) + 1)  # file order is recording order
    out["tanggal"] = pd.to_datetime(out["tanggal"]).dt.normalize()
    if "demo" in out and len(out):
        demo = out["demo"].fillna(False).astype(bool)
        first = out[~demo].groupby(["kode_kecamatan", "inovasi"])["tanggal"].min().to_dict()
        cells = zip(out["kode_kecamatan"], out["inovasi"], strict=True)
        out = out[
            [
                not d or day < first.get(cell, pd.Timestamp.max)
                for d, day, cell in zip(demo, out["tanggal"], cells, strict=True)
            ]
        ]
    out["tahap"] = out["tahap"].astype(int)
    out["urutan"] = out["urutan"].astype(int)
    return out.sort_values(["tanggal", "urutan"], kind="stable").reset_index(drop=True)


def stage_on(events: pd.DataFrame, day) -> pd.DataFrame:
    """Per cell with an event dated ≤ day: kode_kecamatan, inovasi, tahap, sejak (that event's date)."""
    ev = normalise_events(events)
    ev = ev[ev["tanggal"] <= _day(day)]
    last = ev.drop_duplicates(["kode_kecamatan", "inovasi"], keep="last")
    return last[["kode_kecamatan", "inovasi", "tahap", "tanggal"]].rename(columns={"tanggal": "sejak"}).reset_index(
        drop=True)


def stage_matrix(events: pd.DataFrame, kecamatan: list[str], inovasi: list[str], periode: int) -> pd.DataFrame:
    """Every kecamatan × innovation (in the given orders) at the end of month `periode`.

    Columns kode_kecamatan, inovasi, tahap (0 when no event), sejak (NaT when no event).
    """
    grid = pd.MultiIndex.from_product([kecamatan, inovasi], names=["kode_kecamatan", "inovasi"]).to_frame(index=False)
    now = stage_on(events, per.month_end(periode))
    out = grid.merge(now, on=["kode_kecamatan", "inovasi"], how="left")
    out["tahap"] = out["tahap"].fillna(0).astype(int)
    out["sejak"] = pd.to_datetime(out["sejak"])
    return out


def stage_history(events: pd.DataFrame, kecamatan: list[str], inovasi: list[str], dari: int,
                  sampai: int) -> pd.DataFrame:
    """Stage at the end of every month dari…sampai: periode, kode_kecamatan, inovasi, tahap."""
    frames = [stage_matrix(events, kecamatan, inovasi, m).assign(periode=m) for m in range(dari, sampai + 1)]
    if not frames:
        return pd.DataFrame(columns=["periode", "kode_kecamatan", "inovasi", "tahap"])
    return pd.concat(frames, ignore_index=True)[["periode", "kode_kecamatan", "inovasi", "tahap"]]


def adoption_counts(history: pd.DataFrame) -> pd.DataFrame:
    """Kecamatan per stage per month from stage_history: periode, inovasi, tahap, jumlah (0 included)."""
    counts = history.groupby(["periode", "inovasi", "tahap"]).size().rename("jumlah")
    index = pd.MultiIndex.from_product(
        [sorted(history["periode"].unique()), list(dict.fromkeys(history["inovasi"])), list(TAHAP)],
        names=["periode", "inovasi", "tahap"],
    )
    return counts.reindex(index, fill_value=0).reset_index()


def first_reached(history: pd.DataFrame, tahap: int = BERJALAN) -> pd.DataFrame:
    """First month with stage ≥ tahap per (kode_kecamatan, inovasi) that reached it: column bulan."""
    reached = history[history["tahap"] >= tahap]
    return reached.groupby(["kode_kecamatan", "inovasi"], as_index=False)["periode"].min().rename(
        columns={"periode": "bulan"})


def cell_events(events: pd.DataFrame, kode_kecamatan: str, inovasi: str) -> pd.DataFrame:
    """One cell's events by date (same date: recording order), with the stage each leaves in force."""
    ev = normalise_events(events)
    ev = ev[(ev["kode_kecamatan"] == kode_kecamatan) & (ev["inovasi"] == inovasi)].copy()
    ev["nama_tahap"] = ev["tahap"].map(nama_tahap)
    return ev.reset_index(drop=True)


def stage_segments(events: pd.DataFrame, kode_kecamatan: str, inovasi: list[str], mulai, sampai) -> pd.DataFrame:
    """One kecamatan's stages as time segments from `mulai` to `sampai` (days), per innovation.

    Columns: inovasi, tahap, dari, hingga (exclusive end), bukti (of the event that set it, '' for Belum).
    Same-date events collapse to the one recorded last; before the first event the stage is 0.
    """
    mulai, sampai = _day(mulai), _day(sampai) + pd.Timedelta(days=1)
    ev = normalise_events(events)
    ev = ev[(ev["kode_kecamatan"] == kode_kecamatan) & (ev["tanggal"] < sampai)]
    ev = ev.drop_duplicates(["inovasi", "tanggal"], keep="last")
    rows = []
    for kode in inovasi:
        cell = ev[ev["inovasi"] == kode]
        changes = [(mulai, 0, "")]
        for e in cell.itertuples():
            bukti = getattr(e, "bukti", "") or ""
            if e.tanggal <= mulai:
                changes = [(mulai, int(e.tahap), bukti)]
            else:
                changes.append((e.tanggal, int(e.tahap), bukti))
        for (start, tahap, bukti), nxt in zip(changes, changes[1:] + [(sampai, None, None)], strict=True):
            rows.append({"inovasi": kode, "tahap": tahap, "dari": start, "hingga": nxt[0], "bukti": bukti})
    return pd.DataFrame(rows, columns=["inovasi", "tahap", "dari", "hingga", "bukti"])


# --------------------------------------------------------------------------- targets


def applicable_targets(targets: pd.DataFrame, kecamatan: list[str]) -> pd.DataFrame:
    """One row per (target, kecamatan) it applies to: inovasi, tahap, tanggal, kode_kecamatan, khusus.

    Named targets apply to their kecamatan only; targets for all apply to every kecamatan of
    `kecamatan` that has no named target for the same innovation (the named one wins). With a
    `demo` column, real targets come first: a demo target applies only where no real one does.
    """
    columns = ["inovasi", "tahap", "tanggal", "kode_kecamatan", "khusus"]
    if targets.empty:
        return pd.DataFrame(columns=columns)
    t = targets.copy()
    if "demo" in t:  # a real target of any scope outranks the demo's: demo targets fill in elsewhere only
        demo = t["demo"].fillna(False).astype(bool)
        real = applicable_targets(t[~demo].drop(columns="demo"), kecamatan)
        taken = set(zip(real["inovasi"], real["kode_kecamatan"], strict=True))
        rest = applicable_targets(t[demo].drop(columns="demo"), kecamatan)
        rest = rest[[cell not in taken for cell in zip(rest["inovasi"], rest["kode_kecamatan"], strict=True)]]
        out = pd.concat([frame for frame in (real, rest) if len(frame)] or [real], ignore_index=True)
        out["tahap"] = out["tahap"].astype(int)
        out["tanggal"] = pd.to_datetime(out["tanggal"])
        return out.sort_values(["inovasi", "tanggal", "kode_kecamatan"]).reset_index(drop=True)
    t["tanggal"] = pd.to_datetime(t["tanggal"]).dt.normalize()
    t["tahap"] = t["tahap"].astype(int)
    named_mask = t["kode_kecamatan"].notna() & (t["kode_kecamatan"].astype(str) != "")
    named = t[named_mask & t["kode_kecamatan"].isin(kecamatan)].assign(khusus=True)
    general = t[~named_mask]
    has_named = set(zip(named["inovasi"], named["kode_kecamatan"], strict=True))
    rows = [
        {"inovasi": g.inovasi, "tahap": g.tahap, "tanggal": g.tanggal, "kode_kecamatan": k, "khusus": False}
        for g in general.itertuples()
        for k in kecamatan
        if (g.inovasi, k) not in has_named
    ]
    out = pd.concat([pd.DataFrame(rows, columns=columns), named[columns]], ignore_index=True)
    out["tahap"] = out["tahap"].astype(int)
    return out.sort_values(["inovasi", "tanggal", "kode_kecamatan"]).reset_index(drop=True)


def target_status(events: pd.DataFrame, targets: pd.DataFrame, kecamatan: list[str], pada) -> pd.DataFrame:
    """Every applicable target on day `pada` with the kecamatan's stage then and its status.

    Adds tahap_kini, status (tercapai | terlambat | belum jatuh tempo), terlambat (bool) and
    hari_terlambat (days since the target date; 0 unless late). Late: tanggal < pada and
    tahap_kini < tahap (see the module docstring).
    """
    pada = _day(pada)
    out = applicable_targets(targets, kecamatan)
    if out.empty:  # no targets set: nothing is reached or late
        return out.assign(tahap_kini=pd.Series(dtype=int), terlambat=pd.Series(dtype=bool),
                          status=pd.Series(dtype=str), hari_terlambat=pd.Series(dtype=int))
    now = stage_on(events, pada).set_index(["kode_kecamatan", "inovasi"])["tahap"]
    keys = list(zip(out["kode_kecamatan"], out["inovasi"], strict=True))
    out["tahap_kini"] = [int(now.get(key, 0)) for key in keys]
    reached = out["tahap_kini"] >= out["tahap"]
    out["terlambat"] = (~reached) & (out["tanggal"] < pada)
    out["status"] = np.select([reached, out["terlambat"]], [STATUS_TERCAPAI, STATUS_TERLAMBAT],
                              default=STATUS_BELUM_JATUH_TEMPO)
    out["hari_terlambat"] = np.where(out["terlambat"], (pada - out["tanggal"]).dt.days, 0).astype(int)
    return out


def target_summary(status: pd.DataFrame) -> pd.DataFrame:
    """Per target (inovasi, tahap, tanggal): berlaku (kecamatan it applies to), tercapai, terlambat."""
    return status.groupby(["inovasi", "tahap", "tanggal"], as_index=False).agg(
        berlaku=("kode_kecamatan", "nunique"),
        tercapai=("status", lambda s: int((s == STATUS_TERCAPAI).sum())),
        terlambat=("terlambat", "sum"),
    )


def late(events: pd.DataFrame, targets: pd.DataFrame, kecamatan: list[str], pada) -> pd.DataFrame:
    """Only the late rows of target_status."""
    status = target_status(events, targets, kecamatan, pada)
    return status[status["terlambat"]].reset_index(drop=True)


# --------------------------------------------------------------------------- who next


def next_adopters(matrix: pd.DataFrame, card: pd.DataFrame, inovasi_links: pd.Series,
                  top: int = NEXT_TOP) -> pd.DataFrame:
    """Per innovation, the `top` kecamatan with stage < 3 and the largest weighted gap.

    matrix: stage_matrix of the month; card: benchmark.scorecard of the same month.
    Gap = Σ bobot × (100 − skor) over the innovation's linked indicators with a score.
    Columns: inovasi, kode_kecamatan, tahap, kesenjangan, indikator (codes counted), urutan (1…).
    """
    card = card.assign(kurang=card["bobot"] * (100.0 - card["skor"]))
    rows = []
    for inovasi, linked_codes in inovasi_links.items():
        links = list(linked_codes) if isinstance(linked_codes, (list, tuple, np.ndarray)) else []
        cand = matrix[(matrix["inovasi"] == inovasi) & (matrix["tahap"] < BERJALAN)]
        linked = card[card["indikator"].isin(links) & card["kode_kecamatan"].isin(cand["kode_kecamatan"])]
        gap = linked.groupby("kode_kecamatan").agg(kesenjangan=("kurang", "sum"), indikator=("indikator", list))
        if gap.empty:
            continue
        gap = gap.reset_index().merge(cand[["kode_kecamatan", "tahap"]], on="kode_kecamatan")
        gap = gap.sort_values(["kesenjangan", "kode_kecamatan"], ascending=[False, True]).head(top)
        gap.insert(0, "inovasi", inovasi)
        gap["urutan"] = range(1, len(gap) + 1)
        rows.append(gap)
    columns = ["inovasi", "kode_kecamatan", "tahap", "kesenjangan", "indikator", "urutan"]
    if not rows:
        return pd.DataFrame(columns=columns)
    return pd.concat(rows, ignore_index=True)[columns]


# --------------------------------------------------------------------------- CLI matrix

MATRIX_COLUMNS = ["kode_kecamatan", "inovasi", "tahap", "sejak"]


def matrix_csv_frame(events: pd.DataFrame, kecamatan: list[str], inovasi: list[str], periode: int) -> pd.DataFrame:
    """stage_matrix in `tiru adopsi`'s exact columns: sejak as YYYY-MM-DD, empty when tahap 0 has no event."""
    out = stage_matrix(events, kecamatan, inovasi, periode)
    out["sejak"] = [d.strftime("%Y-%m-%d") if pd.notna(d) else "" for d in out["sejak"]]
    return out[MATRIX_COLUMNS]


def month_end(periode: int) -> dt.date:
    return per.month_end(periode)


# --------------------------------------------------------------------------- its own calendar
# docs/metodologi.md "The monthly cycle": an event dated up to today counts at once, whether or not its month
# has observations. `today` comes from metrics.core.periode.hari_ini() (TIRU_HARI_INI in tests).


def calendar(observed: list[int], events: pd.DataFrame, today: dt.date) -> tuple[int, int]:
    """(first, last) month an adoption view can show: from the first month with observations or
    events up to the current month."""
    now = per.from_date(today)
    firsts = list(observed[:1]) + ([per.from_date(_day(events["tanggal"].min()))] if len(events) else [])
    return min(firsts + [now]), now


def month_shown(chosen: int | None, observed: list[int], today: dt.date) -> int:
    """The month an adoption view shows: the chosen month; the current month when the chosen one is
    the latest month with observations or there is none (later months have no observations to
    choose from, but their events count)."""
    if chosen is None or not observed or chosen >= observed[-1]:
        return max(per.from_date(today), chosen or 0)
    return chosen


def cutoff(periode: int, today: dt.date) -> dt.date:
    """The day a month's adoption view counts up to: its last day, or today in the current month
    (a target due later this month is not late yet)."""
    return min(per.month_end(periode), today)
