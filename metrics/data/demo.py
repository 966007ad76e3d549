"""Deterministic generator of Tiru's DEMO dataset ("DATA CONTOH").

No real kecamatan-level indicator data is public, so Tiru ships invented data shaped like the
real story (docs/metodologi.md "Data honesty"):

* 2024 is the baseline. Asahan's 25 kecamatan sit clearly below the Cimahi model (scores
  roughly 20–55 % of the way from floor to model); the two urban kecamatan (only kelurahan,
  Kota Kisaran Barat/Timur) start better. Cimahi's 3 kecamatan are good and steady, Cimahi
  Tengah (the model) within a few percent of the model values.
* After the study visit of 11–13 December 2024 Asahan records adoption events; stage 1
  (Direncanakan) in Dec 2024/Jan 2025 for most, then uneven progress. Once an innovation is
  Berjalan (stage 3) its linked indicators (data/catalog/inovasi.csv) close part of their gap
  to the model over the following months.
* Uneven outcomes: a few fast adopters, most moderate, three stagnate, one slips (Pulau
  Rakyat, whose digital queue steps back from 3 to 2).
* Reporting is imperfect: scattered missing months, two kecamatan silent in the latest month,
  one partial report in the latest month (coverage < 0.70), one explained outlier.

Values are generated in "progress" space p (0 = the indicator's floor, 1 = the model value,
the same scale as the distance-to-frontier score) and converted to the indicator's unit, so
the story is told in the same terms the dashboard scores it.

Output is byte-for-byte reproducible: seeded numpy streams, fixed iteration order, numbers
formatted with explicit decimals, '\\n' line endings, UTF-8 without BOM.

The cast and the story's parameters (rates, scripted cells, evidence texts, targets) are in
metrics.data.demo_cerita; this module draws the events and values and writes the files. The story
above is the shipped configuration's (Asahan); another kabupaten gets the same story with its own
kecamatan in the roles (metrics.data.demo_pemeran, metrics.data.demo_wilayah).
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from metrics.data.demo_cerita import (
    BUKTI,
    BUKTI_RENCANA,
    BUKTI_UMUM,
    DECIMALS,
    EFEK,
    EFEK_DEFAULT,
    EFEK_TAHAP,
    JENDELA_RENCANA,
    LAJU,
    PARTIAL_INDICATORS,
    PARTIAL_NOTE,
    PERBUP_PATEN,
    PRIORITAS,
    REALISTIC,
    SEED,
    SERAP,
    SULIT,
    TARGET_INDIKATOR,
    Indikator,
    Katalog,
    Kecamatan,
    Laju,
    load_catalogue,
)
from metrics.data.demo_pemeran import BAWAAN, Pemeran

FIRST = "2024-01"
LAST = "2026-10"
BASELINE = "2023-12"  # extra period for semesteran/tahunan values, so 2024 can be scored
DEMO_SOURCE = "DATA CONTOH: dibangkitkan oleh metrics/demo.py (seed 20241211)"

CUTOFF = dt.date(2026, 10, 31)  # last day of LAST: no event is dated after the data ends

OBSERVASI_COLUMNS = ["kode_kecamatan", "periode", "indikator", "nilai", "sumber", "catatan"]
ADOPSI_COLUMNS = ["kode_kecamatan", "inovasi", "tahap", "tanggal", "bukti", "oleh"]
TARGET_COLUMNS = ["inovasi", "tahap", "tanggal", "kode_kecamatan"]
TARGET_INDIKATOR_COLUMNS = ["indikator", "nilai", "tanggal", "kode_kecamatan"]


# Independent random streams, so changing one part of the story leaves the others unchanged.
_STREAM = {"profil": 1, "adopsi": 2, "nilai": 3, "hilang": 4}


# --- months ------------------------------------------------------------------------------


def _index(periode: str) -> int:
    """'2024-01' -> 0; months counted from FIRST (BASELINE is -1)."""
    year, month = int(periode[:4]), int(periode[5:7])
    return (year - 2024) * 12 + month - 1


def _periode(index: int) -> str:
    year, month0 = divmod(index, 12)
    return f"{2024 + year:04d}-{month0 + 1:02d}"


MONTHS = [_periode(i) for i in range(_index(BASELINE), _index(LAST) + 1)]  # BASELINE … LAST


def periods_for(indikator: Indikator) -> list[str]:
    """The months an indicator is reported in; semesteran/tahunan also at BASELINE."""
    if indikator.frekuensi == "bulanan":
        return [m for m in MONTHS if m >= FIRST]
    months = ("06", "12") if indikator.frekuensi == "semesteran" else ("12",)
    return [m for m in MONTHS if m[5:] in months]


def _first_of_month(periode: str) -> dt.date:
    return dt.date(int(periode[:4]), int(periode[5:7]), 1)


# --- adoption ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Peristiwa:
    """One adoption event. `dicatat` (when it was typed in) decides the row order."""

    kode_kecamatan: str
    inovasi: str
    tahap: int
    tanggal: dt.date
    bukti: str
    oleh: str
    dicatat: dt.date


def _rng(pemeran: Pemeran, stream: str) -> np.random.Generator:
    """One of the independent streams; another kabupaten's seed adds its code (BAWAAN adds nothing)."""
    return np.random.default_rng([SEED, _STREAM[stream], *pemeran.benih])


# No office records an event on a weekend or on these days: fixed national holidays (month, day)
# and Idul Fitri with its cuti bersama (approximate for 2026).
LIBUR_TETAP = {(1, 1), (5, 1), (6, 1), (8, 17), (12, 25), (12, 26)}
LIBUR_LEBARAN = {
    dt.date.fromisoformat(day)
    for day in ("2025-03-31", "2025-04-01", "2025-04-02", "2025-04-03", "2025-04-04", "2025-04-07",
                "2026-03-19", "2026-03-20", "2026-03-23", "2026-03-24")
}


def _workday(day: dt.date) -> dt.date:
    """Offices record on working days: weekends and holidays move to the next working day."""
    while day.weekday() >= 5 or (day.month, day.day) in LIBUR_TETAP or day in LIBUR_LEBARAN:
        day += dt.timedelta(days=1)
    return day


def _add_months(day: dt.date, months: int) -> dt.date:
    year, month0 = divmod(day.month - 1 + months, 12)
    return dt.date(day.year + year, month0 + 1, min(day.day, 28))


def _random_day(rng: np.random.Generator, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=int(rng.integers(0, (end - start).days + 1)))


def _draw_path(rng: np.random.Generator, laju: Laju, inovasi: str) -> list[tuple[int, dt.date]]:
    """Stages 1..k of one cell with their dates, or [] when the kecamatan never plans it."""
    prioritas = PRIORITAS.get(inovasi, 3)
    if rng.random() >= laju.peluang_rencana[prioritas - 1]:
        return []
    tahap_max = int(rng.choice([1, 2, 3, 4], p=laju.tahap_max))
    start, end = JENDELA_RENCANA[prioritas]
    tunda = int(rng.integers(laju.tunda[0], laju.tunda[1] + 1))
    day = _workday(_random_day(rng, _add_months(start, tunda), _add_months(end, tunda)))
    path = [(1, day)]
    for tahap in range(2, tahap_max + 1):
        months = rng.uniform(*laju.jeda) * SULIT.get(inovasi, 1.0)
        day = day + dt.timedelta(days=round(months * 30.4))
        if inovasi == "paten" and tahap >= 3:
            day = max(day, PERBUP_PATEN + dt.timedelta(days=7))
        day = _workday(day)
        if day > CUTOFF:
            break
        path.append((tahap, day))
    return path


def _bukti(rng: np.random.Generator, inovasi: str, tahap: int, day: dt.date, studi: str) -> str:
    if tahap == 1:
        return str(rng.choice(BUKTI_RENCANA)).format(tahun=day.year, tahun_depan=day.year + 1, studi=studi)
    if tahap == 4:
        nomor = int(rng.integers(100, 400))
        if inovasi == "paten":
            return f"SOP PATEN ditetapkan (SK Camat No. 065/{nomor}/{day.year}); anggaran PATEN di DPA {day.year + 1}"
        sop = inovasi.replace("_", " ")
        return f"SK Camat No. 065/{nomor}/{day.year} tentang SOP {sop}; anggaran di DPA {day.year + 1}"
    uji_coba, berjalan = BUKTI.get(inovasi, BUKTI_UMUM)
    return str(rng.choice(uji_coba if tahap == 2 else berjalan))


def _oleh(rng: np.random.Generator, kec: Kecamatan, inovasi: str, tahap: int) -> str:
    if (inovasi == "paten" and tahap >= 3) or (tahap == 4 and rng.random() < 0.5):
        return "Bagian Organisasi"  # verifies delegation and institutionalisation
    roll = rng.random()
    if roll < 0.7:
        return f"Operator Kec. {kec.nama}"
    return f"Sekretaris Kec. {kec.nama}" if roll < 0.9 else f"Camat {kec.nama}"


def _adopters(katalog: Katalog, pemeran: Pemeran) -> list[Kecamatan]:
    """The benchmarked kabupaten's kecamatan that adopt (a model inside it is the model, not an adopter)."""
    return [k for k in katalog.kecamatan if k.wilayah == pemeran.wilayah and k.kode != pemeran.model]


def plan_adoption(katalog: Katalog, pemeran: Pemeran = BAWAAN) -> list[Peristiwa]:
    """All adoption events of the benchmarked kabupaten, in the order they were recorded."""
    rng = _rng(pemeran, "adopsi")
    events: list[Peristiwa] = []
    for kec in _adopters(katalog, pemeran):  # the model's kabupaten is the reference: no adoption to follow
        laju = LAJU[pemeran.profil.get(kec.kode, "sedang")]
        for inovasi in katalog.inovasi:
            scripted = pemeran.skenario.get((kec.kode, inovasi))
            if scripted is not None:
                path = [(tahap, dt.date.fromisoformat(day), bukti) for tahap, day, bukti in scripted]
            else:
                path = [(t, d, _bukti(rng, inovasi, t, d, pemeran.studi)) for t, d in _draw_path(rng, laju, inovasi)]
            for tahap, day, bukti in path:
                oleh = _oleh(rng, kec, inovasi, tahap)
                events.append(Peristiwa(kec.kode, inovasi, tahap, day, bukti, oleh, day))
    events = _record_late(events, pemeran.terlambat)
    order = {code: i for i, code in enumerate(katalog.inovasi)}
    # Same-day events of one cell keep their stage order (the pledge, then the SK).
    return sorted(events, key=lambda e: (e.dicatat, e.tanggal, e.kode_kecamatan, order[e.inovasi], e.tahap))


def _record_late(events: list[Peristiwa], terlambat: tuple[tuple[str, int], ...]) -> list[Peristiwa]:
    """A few operators typed their first trial in weeks late: those rows land out of date order."""
    out = list(events)
    for kode, delay in terlambat:
        candidates = [i for i, e in enumerate(out) if e.kode_kecamatan == kode and e.tahap == 2]
        if not candidates:
            continue
        i = min(candidates, key=lambda j: (out[j].tanggal, out[j].inovasi))
        late = out[i]
        # Never recorded after the cell's next event, so the stage history stays readable.
        cell = (kode, late.inovasi)
        later = [e.tanggal for e in out if (e.kode_kecamatan, e.inovasi) == cell and e.tanggal > late.tanggal]
        dicatat = late.tanggal + dt.timedelta(days=delay)
        if later:
            dicatat = min(dicatat, min(later) - dt.timedelta(days=1))
        out[i] = Peristiwa(late.kode_kecamatan, late.inovasi, late.tahap, late.tanggal, late.bukti,
                           "Bagian Organisasi", _workday(min(dicatat, CUTOFF)))
    return out


def stage_history(events: list[Peristiwa], kode: str, inovasi: str) -> np.ndarray:
    """Stage in force at the start of each month of MONTHS (events of earlier months)."""
    cell = [e for e in events if (e.kode_kecamatan, e.inovasi) == (kode, inovasi)]
    cell.sort(key=lambda e: e.tanggal)  # stable: same-day events keep their record order
    stages = np.zeros(len(MONTHS), dtype=int)
    for pos, periode in enumerate(MONTHS):
        start = _first_of_month(periode)
        past = [e.tahap for e in cell if e.tanggal < start]
        stages[pos] = past[-1] if past else 0
    return stages


def effect_level(stages: np.ndarray) -> np.ndarray:
    """Share of an innovation's full effect visible each month: it builds up after Berjalan."""
    level = np.zeros(len(stages))
    for pos in range(1, len(stages)):
        level[pos] = level[pos - 1] + SERAP * (EFEK_TAHAP[int(stages[pos])] - level[pos - 1])
    return level


# --- observations ------------------------------------------------------------------------


def _to_value(ind: Indikator, model: float, progress: float) -> float:
    """Progress p (0 = floor, 1 = model) in the indicator's unit."""
    return ind.lantai + progress * (model - ind.lantai)


def _finish(ind: Indikator, value: float) -> float:
    """Clip to the plausible range and the catalogue's batas, round to the written decimals."""
    low, high = REALISTIC.get(ind.kode, (ind.batas_min, ind.batas_max))
    value = min(max(value, low, ind.batas_min), high, ind.batas_max)
    return round(value, DECIMALS.get(ind.kode, 1)) + 0.0  # + 0.0 turns -0.0 into 0.0


def _format(kode: str, value: float) -> str:
    return f"{value:.{DECIMALS.get(kode, 1)}f}"


NOISE = {"bulanan": 0.035, "semesteran": 0.02, "tahunan": 0.015}  # sd of progress p
SEASON = (1.12, 0.98, 0.95, 0.92, 1.00, 1.05, 1.10, 1.02, 0.98, 1.00, 0.97, 0.93)  # volume, Jan..Dec


def _asahan_series(
    rng: np.random.Generator, katalog: Katalog, kec: Kecamatan, events: list[Peristiwa], profil: str
) -> dict[tuple[str, str], float]:
    """An adopting kecamatan (Asahan's in the shipped story) of class `profil`."""
    laju = LAJU[profil]
    level = 0.47 if kec.urban else rng.uniform(0.24, 0.40)  # towns start better
    kekuatan = rng.uniform(*laju.kekuatan)
    adopted = {inovasi: effect_level(stage_history(events, kec.kode, inovasi)) for inovasi in katalog.inovasi}
    values: dict[tuple[str, str], float] = {}
    for ind in katalog.indikator:
        if ind.pilar == "":
            continue  # context indicators are drawn separately
        baseline = float(np.clip(level + rng.normal(0.0, 0.06), 0.15, 0.58))
        links = [(inovasi, EFEK.get((inovasi, ind.kode), EFEK_DEFAULT))
                 for inovasi, linked in katalog.inovasi.items() if ind.kode in linked]
        for periode in periods_for(ind):
            pos = MONTHS.index(periode)
            years = max(0, _index(periode) - _index(laju.tren_mulai)) / 12
            gap = 1.0 - (baseline + laju.tren * years)
            for inovasi, efek in links:
                gap *= 1.0 - min(0.9, efek * kekuatan * adopted[inovasi][pos])
            progress = 1.0 - gap + rng.normal(0.0, NOISE[ind.frekuensi])
            values[(periode, ind.kode)] = _finish(ind, _to_value(ind, katalog.model[ind.kode], progress))
    return values


def _cimahi_series(rng: np.random.Generator, katalog: Katalog, kec: Kecamatan,
                   model_kode: str) -> dict[tuple[str, str], float]:
    """Good and steady; the model (Cimahi Tengah) within a few percent of the model values, sometimes beyond."""
    level = rng.uniform(0.86, 0.94)
    values: dict[tuple[str, str], float] = {}
    for ind in katalog.indikator:
        if ind.pilar == "":
            continue
        model = katalog.model[ind.kode]
        offset = rng.uniform(-0.03, 0.03)  # persistent: this kecamatan's own level
        base = float(np.clip(level + rng.normal(0.0, 0.03), 0.75, 1.0))
        for periode in periods_for(ind):
            if kec.kode == model_kode:
                value = model * (1.0 + offset + rng.normal(0.0, 0.012))
            else:
                value = _to_value(ind, model, base + rng.normal(0.0, 0.015))
            values[(periode, ind.kode)] = _finish(ind, value)
    return values


def _volume_series(rng: np.random.Generator, kec: Kecamatan, ind: Indikator,
                   reference: bool) -> dict[tuple[str, str], float]:
    """Requests per month, roughly proportional to the number of desa and kelurahan (busier in the
    model's kabupaten, `reference`)."""
    if reference:
        per_unit = rng.uniform(280, 330)
    else:
        per_unit = rng.uniform(110, 140) if kec.urban else rng.uniform(55, 85)
    units = kec.desa + kec.kelurahan
    values = {}
    for periode in periods_for(ind):
        growth = 1.0 + 0.03 * _index(periode) / 12
        noise = 1.0 + rng.normal(0.0, 0.06)
        values[(periode, ind.kode)] = _finish(ind, units * per_unit * SEASON[int(periode[5:]) - 1] * growth * noise)
    return values


def simulate_values(katalog: Katalog, events: list[Peristiwa],
                    pemeran: Pemeran = BAWAAN) -> dict[tuple[str, str, str], float]:
    """Every value as if every report arrived: (kode_kecamatan, periode, indikator) -> value."""
    rng = _rng(pemeran, "nilai")
    volume = next((ind for ind in katalog.indikator if ind.kode == "volume_layanan"), None)
    values: dict[tuple[str, str, str], float] = {}
    for kec in katalog.kecamatan:
        adopter = kec.wilayah == pemeran.wilayah and kec.kode != pemeran.model
        if adopter:
            series = _asahan_series(rng, katalog, kec, events, pemeran.profil.get(kec.kode, "sedang"))
        else:
            series = _cimahi_series(rng, katalog, kec, pemeran.model)
        if volume is not None:
            series.update(_volume_series(rng, kec, volume, kec.wilayah != pemeran.wilayah))
        for (periode, indikator), value in series.items():
            values[(kec.kode, periode, indikator)] = value
    return values


def _drop_missing(katalog: Katalog, values: dict,
                  pemeran: Pemeran = BAWAAN) -> dict[tuple[str, str, str], tuple[float, str]]:
    """Late and missing reports: no row at all, never a zero. Returns value and catatan."""
    rng = _rng(pemeran, "hilang")
    monthly = {ind.kode for ind in katalog.indikator if ind.frekuensi == "bulanan"}
    scattered_until = _periode(_index(LAST) - 2)  # the last two months are the story's own
    missing = set()
    for kec in _adopters(katalog, pemeran):  # the model's kabupaten reports reliably
        laju = LAJU[pemeran.profil.get(kec.kode, "sedang")]
        for periode in MONTHS:
            if not FIRST <= periode <= scattered_until:
                continue
            whole_month = rng.random() < laju.hilang_bulan
            for ind in katalog.indikator:
                if ind.kode in monthly and (whole_month or rng.random() < 0.02):
                    missing.add((kec.kode, periode, ind.kode))
    kept = {}
    for key, value in values.items():
        kode, periode, indikator = key
        if key in missing or (periode == LAST and kode in pemeran.non_reporters):
            continue
        note = ""
        if periode == LAST and kode == pemeran.partial_reporter:
            if indikator not in PARTIAL_INDICATORS:
                continue
            note = PARTIAL_NOTE
        kept[key] = (value, note)
    if pemeran.outlier is not None:
        kode, periode, indikator, value, note = pemeran.outlier
        kept[(kode, periode, indikator)] = (value, note)
    return kept


# --- writing -----------------------------------------------------------------------------


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def generate(data_dir: Path, out: Path | None = None, katalog: Katalog | None = None,
             pemeran: Pemeran = BAWAAN) -> list[Path]:
    """Write observasi.csv, adopsi.csv, target.csv and target_indikator.csv into `out` (default
    data_dir/demo, the shipped story); return their paths. Another configuration passes its own
    catalogue (its kecamatan) and cast (demo_pemeran.untuk): metrics.data.demo_wilayah."""
    data_dir = Path(data_dir)
    katalog = katalog or load_catalogue(data_dir)
    events = plan_adoption(katalog, pemeran)
    observed = _drop_missing(katalog, simulate_values(katalog, events, pemeran), pemeran)
    out = Path(out) if out else data_dir / "demo"
    out.mkdir(parents=True, exist_ok=True)

    observasi = [
        [kode, periode, indikator, _format(indikator, value), DEMO_SOURCE, note]
        for (kode, periode, indikator), (value, note) in sorted(observed.items())
    ]
    adopsi = [
        [e.kode_kecamatan, e.inovasi, str(e.tahap), e.tanggal.isoformat(), e.bukti, e.oleh] for e in events
    ]
    target = [[inovasi, str(tahap), tanggal, kode] for inovasi, tahap, tanggal, kode in pemeran.targets]
    return [
        _write_csv(out / "observasi.csv", OBSERVASI_COLUMNS, observasi),
        _write_csv(out / "adopsi.csv", ADOPSI_COLUMNS, adopsi),
        _write_csv(out / "target.csv", TARGET_COLUMNS, target),
        _write_csv(out / "target_indikator.csv", TARGET_INDIKATOR_COLUMNS, [list(t) for t in TARGET_INDIKATOR]),
    ]
