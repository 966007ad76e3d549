"""The demo dataset: reproducible, committed as generated, and shaped like the story it tells."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import re
import shutil
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from metrics.data import demo

DATA = Path(__file__).resolve().parents[1] / "data"
FILES = ("observasi.csv", "adopsi.csv", "target.csv", "target_indikator.csv")
VALIDITY = {"bulanan": 1, "semesteran": 6, "tahunan": 12}


def _copy_inputs(target: Path) -> Path:
    shutil.copytree(DATA / "reference", target / "reference")
    shutil.copytree(DATA / "catalog", target / "catalog")
    return target


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _month(periode: str) -> int:
    return int(periode[:4]) * 12 + int(periode[5:7]) - 1


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    data_dir = _copy_inputs(tmp_path_factory.mktemp("demo"))
    demo.generate(data_dir)
    return data_dir


@pytest.fixture(scope="module")
def obs(generated) -> list[dict[str, str]]:
    return _read(generated / "demo" / "observasi.csv")


@pytest.fixture(scope="module")
def events(generated) -> list[dict[str, str]]:
    return _read(generated / "demo" / "adopsi.csv")


@pytest.fixture(scope="module")
def indikator() -> dict[str, dict[str, str]]:
    return {row["kode"]: row for row in _read(DATA / "catalog" / "indikator.csv")}


@pytest.fixture(scope="module")
def kecamatan() -> dict[str, dict[str, str]]:
    return {row["kode"]: row for row in _read(DATA / "reference" / "kecamatan.csv")}


def _asahan(kecamatan) -> set[str]:
    return {kode for kode, row in kecamatan.items() if row["wilayah"] == "Asahan"}


# --- reproducibility ---------------------------------------------------------------------


def test_two_runs_are_byte_identical(tmp_path):
    first = demo.generate(_copy_inputs(tmp_path / "a"))
    second = demo.generate(_copy_inputs(tmp_path / "b"))
    assert [p.name for p in first] == list(FILES)
    assert [p.parent for p in first] == [tmp_path / "a" / "demo"] * len(FILES)
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_committed_files_match_the_generator(generated):
    for name in FILES:
        committed = DATA / "demo" / name
        assert committed.exists(), f"data/demo/{name} is missing: run demo.generate(Path('data'))"
        assert committed.read_bytes() == (generated / "demo" / name).read_bytes(), (
            f"data/demo/{name} differs from metrics/data/demo.py's output: regenerate it"
        )


def test_files_are_plain_utf8_with_unix_newlines(generated):
    for name in FILES:
        raw = (generated / "demo" / name).read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf")
        assert b"\r" not in raw
        assert raw.endswith(b"\n")
        raw.decode("utf-8")


# --- observasi ---------------------------------------------------------------------------


def test_observasi_columns_sorting_and_source(generated, obs):
    header = (generated / "demo" / "observasi.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "kode_kecamatan,periode,indikator,nilai,sumber,catatan"
    keys = [(r["kode_kecamatan"], r["periode"], r["indikator"]) for r in obs]
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)
    assert {r["sumber"] for r in obs} == {demo.DEMO_SOURCE}
    assert all(r["nilai"] != "" for r in obs)  # missing is no row, never an empty value


def test_every_kecamatan_and_indicator_is_present(obs, indikator, kecamatan):
    assert {r["kode_kecamatan"] for r in obs} == set(kecamatan)
    assert {r["indikator"] for r in obs} == set(indikator)


def test_period_range_and_reporting_months(obs, indikator, kecamatan):
    periods = {r["periode"] for r in obs}
    assert min(periods) == "2023-12" and max(periods) == demo.LAST == "2026-10"
    assert demo.FIRST == "2024-01"
    for r in obs:
        freq = indikator[r["indikator"]]["frekuensi"]
        month = r["periode"][5:]
        if freq == "semesteran":
            assert month in ("06", "12"), r
        elif freq == "tahunan":
            assert month == "12", r
        else:
            assert r["periode"] >= "2024-01", r  # the 2023-12 baseline is for slow indicators only
    # every monthly indicator is reported somewhere every month 2024-01 … 2026-10
    months = {f"{y}-{m:02d}" for y in (2024, 2025, 2026) for m in range(1, 13)} - {"2026-11", "2026-12"}
    for kode, row in indikator.items():
        if row["frekuensi"] == "bulanan":
            assert {r["periode"] for r in obs if r["indikator"] == kode} == months, kode
    # every kecamatan has a 2023-12 baseline for every semesteran and tahunan indicator
    slow = {kode for kode, row in indikator.items() if row["frekuensi"] != "bulanan"}
    for kode in kecamatan:
        have = {r["indikator"] for r in obs if r["kode_kecamatan"] == kode and r["periode"] == "2023-12"}
        assert have == slow, kode


def test_values_within_batas_and_written_with_fixed_decimals(obs, indikator):
    decimals = {"ikm": 2, "ipp": 2, "jenis_layanan": 0, "volume_layanan": 0}
    for r in obs:
        row = indikator[r["indikator"]]
        value = float(r["nilai"])
        assert float(row["batas_min"]) <= value <= float(row["batas_max"]), r
        places = decimals.get(r["indikator"], 1)
        pattern = r"\d+" if places == 0 else rf"\d+\.\d{{{places}}}"
        assert re.fullmatch(pattern, r["nilai"]), r


def test_values_are_realistic(obs):
    ranges = {
        "ikm": (60, 92),
        "ipp": (1.5, 4.8),
        "jenis_layanan": (5, 45),
        "waktu_selesai": (0.5, 12),
        "volume_layanan": (150, 2500),
    }
    for r in obs:
        low, high = ranges.get(r["indikator"], (0, 100))
        if r["indikator"] == "waktu_tunggu":
            low, high = (5, 180) if r["catatan"] == "" else (5, 600)
        assert low <= float(r["nilai"]) <= high, r


def test_scattered_missing_months(obs, indikator, kecamatan):
    monthly = {kode for kode, row in indikator.items() if row["frekuensi"] == "bulanan"}
    months_before_latest = 33  # 2024-01 … 2026-09
    expected = len(kecamatan) * len(monthly) * months_before_latest
    present = sum(1 for r in obs if r["indikator"] in monthly and r["periode"] < "2026-10")
    assert 0.02 <= 1 - present / expected <= 0.04


def test_latest_month_non_reporters(obs, kecamatan):
    latest = {r["kode_kecamatan"] for r in obs if r["periode"] == "2026-10"}
    before = {r["kode_kecamatan"] for r in obs if r["periode"] == "2026-09"}
    assert set(kecamatan) - latest == {"12.09.25", "12.09.32"}
    assert before == set(kecamatan)


def _coverage(obs, indikator, kode: str, periode: str) -> float:
    """Independent rule: pillar weight split evenly over its indicators; as-of within validity."""
    bobot = {row["kode"]: float(row["bobot"]) for row in _read(DATA / "catalog" / "pilar.csv")}
    scored = {kode_i: row for kode_i, row in indikator.items() if row["pilar"]}
    per_pilar = Counter(row["pilar"] for row in scored.values())
    weight = {k: bobot[row["pilar"]] / per_pilar[row["pilar"]] for k, row in scored.items()}
    target = _month(periode)
    have = {
        r["indikator"]
        for r in obs
        if r["kode_kecamatan"] == kode
        and r["indikator"] in scored
        and 0 <= target - _month(r["periode"]) < VALIDITY[scored[r["indikator"]]["frekuensi"]]
    }
    return sum(weight[k] for k in have) / sum(weight.values())


def test_partial_reporter_drops_below_coverage_only_in_latest_month(obs, indikator):
    assert _coverage(obs, indikator, "12.09.17", "2026-10") < 0.70
    assert _coverage(obs, indikator, "12.09.17", "2026-09") >= 0.70
    latest = [r for r in obs if r["kode_kecamatan"] == "12.09.17" and r["periode"] == "2026-10"]
    assert {r["indikator"] for r in latest} == {"waktu_tunggu", "volume_layanan"}


def test_everyone_else_is_rankable_in_the_latest_month(obs, indikator, kecamatan):
    for kode in sorted(set(kecamatan) - {"12.09.17", "12.09.25", "12.09.32"}):
        assert _coverage(obs, indikator, kode, "2026-10") >= 0.70, kode


def test_one_explained_waiting_time_outlier(obs):
    spikes = [r for r in obs if r["indikator"] == "waktu_tunggu" and float(r["nilai"]) > 180]
    assert len(spikes) == 1
    (spike,) = spikes
    assert spike["periode"].startswith("2026-")
    assert 200 <= float(spike["nilai"]) <= 300
    assert spike["catatan"] == "Sistem antrean rusak, antrean manual"


def test_cimahi_tengah_is_close_to_the_model(obs):
    model = {row["indikator"]: float(row["nilai"]) for row in _read(DATA / "catalog" / "model.csv")}
    values = defaultdict(list)
    for r in obs:
        if r["kode_kecamatan"] == "32.77.02" and r["indikator"] in model:
            values[r["indikator"]].append(float(r["nilai"]))
    assert set(values) == set(model)
    for kode, series in values.items():
        series.sort()
        median = series[len(series) // 2]
        assert abs(median / model[kode] - 1) <= 0.05, (kode, median, model[kode])


def _progress(value: float, floor: float, model: float) -> float:
    """0 at the floor, 1 at the model, in either direction (distance to frontier)."""
    return (value - floor) / (model - floor)


def test_asahan_2024_baseline_is_clearly_below_the_model(obs, indikator, kecamatan):
    model = {row["indikator"]: float(row["nilai"]) for row in _read(DATA / "catalog" / "model.csv")}
    per_kecamatan = defaultdict(list)
    for r in obs:
        if r["kode_kecamatan"] in _asahan(kecamatan) and r["periode"] <= "2024-12" and r["indikator"] in model:
            floor = float(indikator[r["indikator"]]["lantai"])
            per_kecamatan[r["kode_kecamatan"]].append(_progress(float(r["nilai"]), floor, model[r["indikator"]]))
    means = {kode: sum(v) / len(v) for kode, v in per_kecamatan.items()}
    assert all(0.15 <= m <= 0.55 for m in means.values()), means
    rural = [m for kode, m in means.items() if kode not in ("12.09.19", "12.09.20")]
    assert min(means["12.09.19"], means["12.09.20"]) > sum(rural) / len(rural)  # towns start better


# --- adoption and targets ----------------------------------------------------------------


def _current_stage_history(events) -> dict[tuple[str, str], list[tuple[str, int, str]]]:
    """Per cell, events by date; same-day events keep their record order."""
    cells = defaultdict(list)
    for row in events:
        cells[(row["kode_kecamatan"], row["inovasi"])].append((row["tanggal"], int(row["tahap"]), row["bukti"]))
    return {cell: sorted(history, key=lambda e: e[0]) for cell, history in cells.items()}


def test_adopsi_columns_and_codes(generated, events, kecamatan):
    header = (generated / "demo" / "adopsi.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "kode_kecamatan,inovasi,tahap,tanggal,bukti,oleh"
    inovasi = {row["kode"] for row in _read(DATA / "catalog" / "inovasi.csv")}
    assert len(events) > 100
    assert {r["kode_kecamatan"] for r in events} <= _asahan(kecamatan)  # Cimahi is the reference
    for r in events:
        assert r["inovasi"] in inovasi, r
        assert r["tahap"] in {"0", "1", "2", "3", "4"}, r
        day = dt.date.fromisoformat(r["tanggal"])
        assert dt.date(2024, 12, 14) <= day <= dt.date(2026, 10, 31), r
        assert day.weekday() < 5, r
        assert r["bukti"].strip() and r["oleh"].strip(), r


def test_adoption_starts_after_the_study_visit(events, kecamatan):
    first_plan = {}
    for r in events:
        if r["tahap"] == "1":
            first_plan[r["kode_kecamatan"]] = min(r["tanggal"], first_plan.get(r["kode_kecamatan"], "9999"))
    early = [k for k, day in first_plan.items() if day <= "2025-01-31"]
    assert len(early) >= 0.7 * len(_asahan(kecamatan))


def test_events_recorded_out_of_date_order(events):
    latest = ""
    out_of_order = 0
    for r in events:
        if r["tanggal"] < latest:
            out_of_order += 1
        latest = max(latest, r["tanggal"])
    assert 2 <= out_of_order <= 3


def test_two_events_same_day_same_cell(events):
    days = Counter((r["kode_kecamatan"], r["inovasi"], r["tanggal"]) for r in events)
    pairs = [cell for cell, n in days.items() if n == 2]
    assert len(pairs) == 1
    kode, inovasi, day = pairs[0]
    same_day = [int(r["tahap"]) for r in events if (r["kode_kecamatan"], r["inovasi"], r["tanggal"]) == pairs[0]]
    assert same_day == sorted(same_day)  # recorded in stage order, so the later one wins


def test_one_step_back_with_a_reason(events):
    steps_back = []
    for cell, history in _current_stage_history(events).items():
        for (_, before, _), (_day, after, bukti) in itertools.pairwise(history):
            if after < before:
                steps_back.append((cell, before, after, bukti))
    assert len(steps_back) == 1
    _, before, after, bukti = steps_back[0]
    assert (before, after) == (3, 2)
    assert len(bukti) > 30


def test_uneven_progress(events):
    current = {cell: history[-1][1] for cell, history in _current_stage_history(events).items()}
    running = Counter(kode for (kode, _), stage in current.items() if stage >= 3)
    for fast in ("12.09.12", "12.09.19", "12.09.20", "12.09.29"):
        assert running[fast] >= 5, fast
    for laggard in ("12.09.11", "12.09.15", "12.09.21"):
        assert running[laggard] == 0, laggard


def test_digital_queue_cuts_waiting_time(obs, events):
    """Where antrean_digital is Berjalan and stays, waiting time six months on is 30–60 % lower."""
    waits = defaultdict(dict)
    for r in obs:
        if r["indikator"] == "waktu_tunggu" and r["catatan"] == "":
            waits[r["kode_kecamatan"]][r["periode"]] = float(r["nilai"])
    cuts = []
    for (kode, inovasi), history in _current_stage_history(events).items():
        if inovasi != "antrean_digital" or history[-1][1] < 3:
            continue
        running_since = min(day for day, stage, _ in history if stage >= 3)
        start = _month(running_since[:7]) + 6
        after = [v for p, v in waits[kode].items() if _month(p) >= start]
        if len(after) < 3:
            continue
        before = [v for p, v in waits[kode].items() if p <= "2024-12"]
        cuts.append(1 - (sum(after) / len(after)) / (sum(before) / len(before)))
    assert len(cuts) >= 5
    assert 0.30 <= sum(cuts) / len(cuts) <= 0.60, cuts


def test_targets(generated, kecamatan):
    header = (generated / "demo" / "target.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "inovasi,tahap,tanggal,kode_kecamatan"
    rows = _read(generated / "demo" / "target.csv")
    inovasi = {row["kode"] for row in _read(DATA / "catalog" / "inovasi.csv")}
    for r in rows:
        assert r["inovasi"] in inovasi
        assert r["tahap"] in {"1", "2", "3", "4"}
        dt.date.fromisoformat(r["tanggal"])
        assert r["kode_kecamatan"] == "" or r["kode_kecamatan"] in _asahan(kecamatan)
    everywhere = {(r["inovasi"], r["tahap"], r["tanggal"]) for r in rows if r["kode_kecamatan"] == ""}
    assert ("antrean_digital", "3", "2025-12-31") in everywhere
    assert ("paten", "4", "2026-12-31") in everywhere
    assert sum(1 for r in rows if r["kode_kecamatan"]) == 1


def test_indicator_targets_lie_between_floor_and_model(generated, indikator):
    models = {row["indikator"]: float(row["nilai"]) for row in _read(DATA / "catalog" / "model.csv")}
    rows = _read(generated / "demo" / "target_indikator.csv")
    assert {r["indikator"] for r in rows} == set(models)
    for r in rows:
        floor, model, value = float(indikator[r["indikator"]]["lantai"]), models[r["indikator"]], float(r["nilai"])
        assert min(floor, model) < value <= max(floor, model), r
