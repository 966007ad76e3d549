"""Adoption engine: stages from events, the late rule at its boundary, the difference in
differences on a hand-computed example, who adopts next, sign-in, charts, and `tiru adopsi`
checked against an independent derivation from `tiru export`."""

import csv
import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from metrics.app import akses
from metrics.charts import grafik_adopsi as charts
from metrics.core import bahasa, formatting
from metrics.core import periode as per
from metrics.data.build import DATA_DIR, build
from metrics.data.store import Store
from metrics.engine import adopsi, dampak
from metrics.ops.cli import main

D = dt.date.fromisoformat


def events(*rows):
    """Events in recording order: (kecamatan, inovasi, tahap, tanggal)."""
    return pd.DataFrame(
        [{"urutan": n, "kode_kecamatan": k, "inovasi": i, "tahap": t, "tanggal": pd.Timestamp(d)}
         for n, (k, i, t, d) in enumerate(rows, start=1)]
    )


def stage(ev, kec, inovasi, day):
    now = adopsi.stage_on(ev, day).set_index(["kode_kecamatan", "inovasi"])
    return int(now.loc[(kec, inovasi), "tahap"]) if (kec, inovasi) in now.index else 0


# --------------------------------------------------------------------------- stages


def test_event_recorded_out_of_date_order_takes_effect_on_its_own_date():
    # The trial (2) was typed in after Berjalan (3) but happened before it.
    ev = events(("A", "tte", 1, "2025-01-10"), ("A", "tte", 3, "2025-04-01"), ("A", "tte", 2, "2025-03-10"))
    assert stage(ev, "A", "tte", "2025-01-09") == 0
    assert stage(ev, "A", "tte", "2025-03-09") == 1
    assert stage(ev, "A", "tte", "2025-03-31") == 2
    assert stage(ev, "A", "tte", "2025-04-01") == 3
    assert stage(ev, "A", "tte", "2026-01-01") == 3  # not 2, although 2 was recorded last


def test_same_day_events_the_one_recorded_last_wins():
    up = events(("A", "tte", 3, "2025-04-14"), ("A", "tte", 4, "2025-04-14"))
    down = events(("A", "tte", 4, "2025-04-14"), ("A", "tte", 3, "2025-04-14"))
    assert stage(up, "A", "tte", "2025-04-14") == 4
    assert stage(down, "A", "tte", "2025-04-14") == 3
    matrix = adopsi.stage_matrix(up, ["A"], ["tte"], per.parse("2025-04"))
    assert matrix.loc[0, "sejak"] == pd.Timestamp("2025-04-14")


def test_step_back_counts_from_its_date():
    ev = events(("A", "tte", 2, "2025-03-17"), ("A", "tte", 3, "2025-06-02"), ("A", "tte", 2, "2025-11-10"))
    history = adopsi.stage_history(ev, ["A"], ["tte"], per.parse("2025-05"), per.parse("2025-12"))
    assert list(history["tahap"]) == [2, 3, 3, 3, 3, 3, 2, 2]
    first = adopsi.first_reached(history)
    assert first.loc[0, "bulan"] == per.parse("2025-06")


def test_matrix_has_every_cell_and_zero_without_events():
    ev = events(("A", "tte", 1, "2025-01-10"), ("B", "paten", 2, "2025-02-01"))
    matrix = adopsi.stage_matrix(ev, ["A", "B", "C"], ["tte", "paten"], per.parse("2025-01"))
    assert len(matrix) == 6
    got = {(r.kode_kecamatan, r.inovasi): r.tahap for r in matrix.itertuples()}
    assert got == {("A", "tte"): 1, ("A", "paten"): 0, ("B", "tte"): 0, ("B", "paten"): 0, ("C", "tte"): 0,
                   ("C", "paten"): 0}  # B's event is dated after January
    assert matrix["sejak"].isna().sum() == 5


def test_counts_per_stage_and_month():
    ev = events(("A", "tte", 1, "2025-01-10"), ("B", "tte", 3, "2025-01-31"), ("A", "tte", 2, "2025-02-01"))
    history = adopsi.stage_history(ev, ["A", "B", "C"], ["tte"], per.parse("2025-01"), per.parse("2025-02"))
    counts = adopsi.adoption_counts(history).set_index(["periode", "tahap"])["jumlah"]
    jan, feb = per.parse("2025-01"), per.parse("2025-02")
    assert [counts[(jan, t)] for t in range(5)] == [1, 1, 0, 1, 0]
    assert [counts[(feb, t)] for t in range(5)] == [1, 0, 1, 1, 0]


def test_the_demo_story_cases(demo_store):
    ev = demo_store.adopsi()
    # Two events on one day: the pledge (3) and the SK (4) on 14 April 2025.
    assert stage(ev, "12.09.19", "standar_pelayanan", "2025-04-14") == 4
    # The step back 3 → 2 with its reason.
    assert stage(ev, "12.09.14", "antrean_digital", "2025-11-09") == 3
    assert stage(ev, "12.09.14", "antrean_digital", "2025-11-10") == 2
    cell = adopsi.cell_events(ev, "12.09.14", "antrean_digital")
    assert list(cell["tahap"]) == [1, 2, 3, 2] and "operator antrean dimutasi" in cell["bukti"].iloc[-1]
    # Events recorded out of date order exist, and the stage follows the dates.
    ordered = ev.sort_values("urutan")
    assert (ordered["tanggal"].diff().dt.days < 0).any()
    late_typed = ordered[ordered["tanggal"] < ordered["tanggal"].cummax()].iloc[0]
    # Typed in after events dated later, it is still in force from its own date.
    assert stage(ev, late_typed["kode_kecamatan"], late_typed["inovasi"], late_typed["tanggal"]) == \
        late_typed["tahap"]


def test_stage_segments_of_one_kecamatan():
    ev = events(("A", "tte", 1, "2025-01-10"), ("A", "tte", 3, "2025-01-10"), ("A", "tte", 2, "2025-03-01"))
    seg = adopsi.stage_segments(ev, "A", ["tte", "paten"], dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    tte = seg[seg["inovasi"] == "tte"]
    assert list(tte["tahap"]) == [0, 3, 2]
    assert list(tte["dari"]) == [pd.Timestamp(d) for d in ("2025-01-01", "2025-01-10", "2025-03-01")]
    assert tte["hingga"].iloc[-1] == pd.Timestamp("2025-04-01")
    assert list(seg.loc[seg["inovasi"] == "paten", "tahap"]) == [0]


# --------------------------------------------------------------------------- late rule


TARGETS = pd.DataFrame({"inovasi": ["tte", "tte"], "tahap": [3, 2],
                        "tanggal": [pd.Timestamp("2025-06-15"), pd.Timestamp("2025-12-31")],
                        "kode_kecamatan": [None, "B"]})


def test_late_rule_at_its_exact_boundary():
    ev = events(("A", "tte", 2, "2025-05-01"), ("C", "tte", 3, "2025-06-15"))
    on_day = adopsi.target_status(ev, TARGETS, ["A", "B", "C"], D("2025-06-15")).set_index("kode_kecamatan")
    assert on_day.loc["A", "status"] == adopsi.STATUS_BELUM_JATUH_TEMPO and not on_day.loc["A", "terlambat"]
    assert on_day.loc["C", "status"] == adopsi.STATUS_TERCAPAI  # reached on the target day: on time
    next_day = adopsi.target_status(ev, TARGETS, ["A", "B", "C"], D("2025-06-16")).set_index("kode_kecamatan")
    assert next_day.loc["A", "terlambat"] and next_day.loc["A", "hari_terlambat"] == 1
    assert next_day.loc["A", "tahap_kini"] == 2
    assert not next_day.loc["C", "terlambat"]


def test_named_target_wins_over_the_one_for_all():
    ev = events(("A", "tte", 2, "2025-05-01"))
    status = adopsi.target_status(ev, TARGETS, ["A", "B"], D("2025-07-01"))
    b = status[status["kode_kecamatan"] == "B"]
    assert len(b) == 1 and b.iloc[0]["tahap"] == 2 and b.iloc[0]["khusus"]  # the general target does not apply
    assert not b.iloc[0]["terlambat"]  # its own date is 31 Dec
    late = adopsi.late(ev, TARGETS, ["A", "B"], D("2026-01-01"))
    assert set(late["kode_kecamatan"]) == {"A", "B"}
    # A named target of a kecamatan outside the list does not apply to anyone.
    assert "B" not in set(adopsi.applicable_targets(TARGETS, ["A"])["kode_kecamatan"])


def test_demo_target_on_the_last_day_of_the_viewed_month(demo_store):
    ev, targets = demo_store.adopsi(), demo_store.target()
    kecamatan = list(demo_store.kecamatan("Asahan")["kode"])
    antrean = targets[targets["inovasi"] == "antrean_digital"]  # Berjalan by 31 Dec 2025
    december = adopsi.late(ev, antrean, kecamatan, per.month_end(per.parse("2025-12")))
    january = adopsi.late(ev, antrean, kecamatan, per.month_end(per.parse("2026-01")))
    assert december.empty
    stages = adopsi.stage_matrix(ev, kecamatan, ["antrean_digital"], per.parse("2026-01"))
    assert set(january["kode_kecamatan"]) == set(stages.loc[stages["tahap"] < 3, "kode_kecamatan"]) != set()
    assert (january["hari_terlambat"] == 31).all()


# --------------------------------------------------------------------------- impact

M0 = per.parse("2025-01")


def did_case(drop_c3=False):
    """Adopters A1, A2 reach Berjalan in month 5, A3 in month 6; C4 only in month 9; C1–C3 never.

    Hand computation (months relative to M0; month m itself is left out):
      A1 before 10,10,10 after 4,4,4 → −6; A2 before 20,(missing),24 → 22, after 18 → −4;
      A3 (m=6) before 30 after 27 → −3.
      C1 constant → 0; C2 v=t → +4; C3 v=2t → +8; C4 v=−t → −4.
      A1, A2 (m+3 = 8): controls C1..C4 (C4 reached 9 > 8) → mean 2 → effects −8, −6.
      A3 (m+3 = 9): controls C1..C3 (C4 reached 9 ≤ 9) → mean 4 → effect −7.
      Estimate (−8 − 6 − 7)/3 = −7; n_adopter 3, n_kontrol 4.
    """
    rows = [("A1", 5), ("A2", 5), ("A3", 6), ("C4", 9)]
    ev = events(*[(k, "antrean_digital", 1, per.to_date(M0)) for k in ("A1", "A2", "A3", "C1", "C2", "C3", "C4")],
                *[(k, "antrean_digital", 3, per.to_date(M0 + m) + dt.timedelta(days=9)) for k, m in rows])
    kecamatan = ["A1", "A2", "A3", "C1", "C2"] + ([] if drop_c3 else ["C3"]) + ["C4"]
    values = {
        "A1": {2: 10, 3: 10, 4: 10, 5: 999, 6: 4, 7: 4, 8: 4},
        "A2": {2: 20, 4: 24, 5: 999, 6: 18, 7: 18, 8: 18},
        "A3": {3: 30, 4: 30, 5: 30, 6: 999, 7: 27, 8: 27, 9: 27},
        "C1": {t: 50 for t in range(11)},
        "C2": {t: t for t in range(11)},
        "C3": {t: 2 * t for t in range(11)},
        "C4": {t: -t for t in range(11)},
    }
    obs = pd.DataFrame([{"kode_kecamatan": k, "periode": M0 + t, "indikator": "waktu_tunggu", "nilai": float(v)}
                        for k, series in values.items() if k in kecamatan for t, v in series.items()])
    history = adopsi.stage_history(ev, kecamatan, ["antrean_digital"], M0, M0 + 10)
    return history, obs


def test_difference_in_differences_on_a_hand_computed_example():
    history, obs = did_case()
    detail = dampak.impact_detail(history, obs, "antrean_digital", "waktu_tunggu", M0 + 10).set_index(
        "kode_kecamatan")
    assert detail.loc["A1", "bulan"] == M0 + 5 and detail.loc["A3", "bulan"] == M0 + 6
    assert detail.loc["A2", "sebelum"] == 22 and detail.loc["A2", "perubahan"] == -4
    assert sorted(detail.loc["A1", "kontrol"]) == ["C1", "C2", "C3", "C4"]
    assert sorted(detail.loc["A3", "kontrol"]) == ["C1", "C2", "C3"]
    assert detail.loc[["A1", "A2", "A3"], "efek"].tolist() == [-8, -6, -7]
    assert "C4" not in detail.index  # reached Berjalan, but its after-months end after month 10
    links = pd.Series({"antrean_digital": ["waktu_tunggu"]})
    lower = pd.DataFrame({"arah": ["lower"]}, index=["waktu_tunggu"])
    result = dampak.impact(history, obs, links, lower, M0 + 10).iloc[0]
    assert result["efek"] == pytest.approx(-7)
    assert (result["n_adopter"], result["n_kontrol"]) == (3, 4)
    assert result["perubahan_adopter"] == pytest.approx(-13 / 3)
    assert result["perubahan_kontrol"] == pytest.approx(8 / 3)
    assert result["alasan"] == ""
    # Three adopters give an estimate, never a verdict (#14: ≥ 5 on each side needed).
    assert result["membaik"] is None and result["kesimpulan"] == "" and result["sebab"] == dampak.SEDIKIT


def test_no_estimate_when_either_side_is_too_small():
    assert dampak.MIN_GROUP == 3
    history, obs = did_case(drop_c3=True)  # A3 keeps only C1, C2 as controls
    links = pd.Series({"antrean_digital": ["waktu_tunggu"]})
    arah = pd.DataFrame({"arah": ["lower"]}, index=["waktu_tunggu"])
    result = dampak.impact(history, obs, links, arah, M0 + 10).iloc[0]
    assert math.isnan(result["efek"]) and result["n_adopter"] == 2 and "pembanding" in result["alasan"]
    assert result["membaik"] is None
    history, obs = did_case()
    early = dampak.impact(history, obs, links, arah, M0 + 8).iloc[0]  # A3's after-months not over
    assert math.isnan(early["efek"]) and "baru 2 kecamatan" in early["alasan"]
    nobody = dampak.impact(history, obs, links, arah, M0 + 4).iloc[0]  # before anyone adopted
    assert math.isnan(nobody["efek"]) and (nobody["n_adopter"], nobody["n_kontrol"]) == (0, 0)


def test_demo_impact_of_the_digital_queue_is_an_improvement(demo_store):
    latest = demo_store.latest_period()
    kecamatan = list(demo_store.kecamatan("Asahan")["kode"])
    inovasi = demo_store.inovasi()
    history = adopsi.stage_history(demo_store.adopsi(), kecamatan, list(inovasi.index), latest - 30, latest)
    obs = demo_store.observasi(latest - 33, latest)
    result = dampak.impact(history, obs, inovasi.loc[["antrean_digital"], "indikator"], demo_store.indikator(),
                           latest).iloc[0]
    assert result["efek"] < 0 and result["membaik"]  # waiting time falls more than in non-adopters
    assert result["n_adopter"] >= 3 and result["n_kontrol"] >= 3


# --------------------------------------------------------------------------- who next


def test_next_adopters_by_weighted_gap_on_linked_indicators():
    matrix = pd.DataFrame({"kode_kecamatan": ["K1", "K2", "K3", "K4"], "inovasi": "antrean_digital",
                           "tahap": [1, 0, 3, 2]})
    card = pd.DataFrame({"kode_kecamatan": ["K1", "K2", "K3", "K1"],
                         "indikator": ["waktu_tunggu", "waktu_tunggu", "waktu_tunggu", "ikm"],
                         "skor": [40.0, 80.0, 0.0, 0.0], "bobot": [0.5, 0.5, 0.5, 1.0]})
    links = pd.Series({"antrean_digital": ["waktu_tunggu"]})
    nxt = adopsi.next_adopters(matrix, card, links)
    # K1: 0,5 × 60 = 30 (ikm is not linked); K2: 0,5 × 20 = 10; K3 is Berjalan; K4 has no score.
    assert list(nxt["kode_kecamatan"]) == ["K1", "K2"]
    assert list(nxt["kesenjangan"]) == [30.0, 10.0] and list(nxt["urutan"]) == [1, 2]


# --------------------------------------------------------------------------- sign-in


def test_verify_accounts():
    accounts = [
        {"nama": "admin", "peran": "admin", "hash": akses.hash_password("rahasia-panjang")},
        {"nama": "op", "peran": "operator", "kode_kecamatan": "12.09.08", "hash": akses.hash_password("sandi-op")},
        {"nama": "aneh", "peran": "superuser", "hash": akses.hash_password("x")},
        {"nama": "rusak", "peran": "admin", "hash": "bukan-hash"},
    ]
    assert accounts[0]["hash"].startswith("$argon2id$")
    ok = akses.verify(accounts, " admin ", "rahasia-panjang")
    assert ok == {"nama": "admin", "peran": "admin", "kode_kecamatan": None}
    assert "hash" not in ok
    assert akses.verify(accounts, "op", "sandi-op")["kode_kecamatan"] == "12.09.08"
    assert akses.verify(accounts, "admin", "salah") is None
    assert akses.verify(accounts, "tidak-ada", "rahasia-panjang") is None
    assert akses.verify(accounts, "aneh", "x") is None
    assert akses.verify(accounts, "rusak", "bukan-hash") is None
    assert akses.verify([], "admin", "") is None
    assert akses.can_record_adoption(ok)
    assert not akses.can_record_adoption(akses.verify(accounts, "op", "sandi-op"))
    assert not akses.can_record_adoption(None)
    assert akses.accounts_from(None) == [] and akses.accounts_from({"akun": accounts[:2]})[0]["nama"] == "admin"
    assert akses.accounts_from({"akun": accounts}) == []  # an invalid account closes the door for everybody


# --------------------------------------------------------------------------- charts


def test_stage_matrix_chart_shows_the_engine_stages(demo_store):
    latest = demo_store.latest_period()
    kecamatan = demo_store.kecamatan("Asahan")
    inovasi = demo_store.inovasi()
    matrix = adopsi.stage_matrix(demo_store.adopsi(), list(kecamatan["kode"]), list(inovasi.index), latest)
    names = kecamatan.set_index("kode")["nama"]
    short = {k: adopsi.short_name(k) for k in inovasi.index}
    late = {("12.09.08", "antrean_digital")}
    fig = charts.stage_matrix(matrix, names, short, {("12.09.08", "antrean_digital"): ["16 Des 2024: 1"]}, late,
                              latest, "DATA CONTOH")
    heat = fig.data[0]
    assert np.array(heat.z).shape == (25, 10)
    assert np.array(heat.z).tolist() == matrix.pivot(index="kode_kecamatan", columns="inovasi", values="tahap")[
        list(inovasi.index)].to_numpy().tolist()
    assert list(heat.y) == [names[k] for k in kecamatan["kode"]]
    assert formatting.bulan(latest) in fig.layout.title.text and "tahap 0–4" in fig.layout.title.text
    assert all("Sumber: DATA CONTOH" in h for row in heat.hovertext for h in row)
    assert "16 Des 2024: 1" in heat.hovertext[0][0] and "Terlambat" in heat.hovertext[0][0]
    assert [t.name for t in fig.data if t.showlegend] == ["0 Belum", "1 Direncanakan", "2 Uji coba", "3 Berjalan",
                                                         "4 Terlembaga"]
    assert len(fig.layout.shapes) == 1  # the late cell is framed
    assert fig.layout.separators == ",."


def test_adoption_curve_stacks_to_all_kecamatan(demo_store):
    latest = demo_store.latest_period()
    kecamatan = list(demo_store.kecamatan("Asahan")["kode"])
    history = adopsi.stage_history(demo_store.adopsi(), kecamatan, ["tte"], latest - 5, latest)
    counts = adopsi.adoption_counts(history)
    targets = demo_store.target().query("inovasi == 'tte'")
    fig = charts.adoption_curve(counts, "Tanda tangan elektronik", targets, latest, "DATA CONTOH", 25)
    totals = np.sum([np.array(t.y) for t in fig.data], axis=0)
    assert totals.tolist() == [25] * 6
    assert "Target: Uji coba" in fig.layout.annotations[0].text
    assert formatting.bulan(latest, short=True) in fig.layout.title.text
    assert "Okt 2026" in fig.layout.xaxis.ticktext  # Indonesian month names on the axis


# --------------------------------------------------------------------------- CLI


@pytest.fixture
def on_db(monkeypatch):
    def point(path):
        monkeypatch.setenv("TIRU_DB", str(path))
        monkeypatch.setenv("TIRU_DEMO", "1")
        return path

    return point


def adopsi_rows(capsys, *args):
    code = main(["adopsi", *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "kode_kecamatan,inovasi,tahap,sejak"
    return [tuple(r) for r in csv.reader(lines[1:])]


def independent_matrix(export_dir, periode_text):
    """The issue's rule written again, reading only the exported CSV files."""
    year, month = map(int, periode_text.split("-"))
    end = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).isoformat()
    kecamatan = sorted(r["kode"] for r in csv.DictReader((export_dir / "kecamatan.csv").read_text(encoding="utf-8").splitlines())
                       if r["wilayah"] == "Asahan")
    inovasi = [r["kode"] for r in csv.DictReader((export_dir / "inovasi.csv").read_text(encoding="utf-8").splitlines())]
    latest = {}
    for row_no, r in enumerate(csv.DictReader((export_dir / "adopsi.csv").read_text(encoding="utf-8").splitlines())):
        if r["tanggal"] <= end:
            key = (r["kode_kecamatan"], r["inovasi"])
            if key not in latest or (r["tanggal"], row_no) > latest[key][:2]:
                latest[key] = (r["tanggal"], row_no, r["tahap"])
    return [(k, i, latest[(k, i)][2], latest[(k, i)][0]) if (k, i) in latest else (k, i, "0", "")
            for k in kecamatan for i in inovasi]


def test_tiru_adopsi_agrees_with_the_exported_events(demo_db, on_db, capsys, tmp_path):
    on_db(demo_db)
    assert main(["export", str(tmp_path)]) == 0
    capsys.readouterr()
    for periode in ("2025-04", "2025-11", "2026-10"):
        rows = adopsi_rows(capsys, "--periode", periode)
        assert len(rows) == 25 * 10
        assert rows == independent_matrix(tmp_path, periode)
    # default: adoption's own calendar, up to today (tests/test_kalender_adopsi.py)
    assert adopsi_rows(capsys) == adopsi_rows(capsys, "--periode", per.fmt(per.from_date(per.hari_ini())))
    rows = {(k, i): (t, s) for k, i, t, s in adopsi_rows(capsys, "--periode", "2025-04")}
    assert rows[("12.09.19", "standar_pelayanan")] == ("4", "2025-04-14")


def test_tiru_adopsi_follows_recorded_and_undone_events(tmp_path, on_db, capsys):
    db = on_db(build(tmp_path / "tiru.duckdb", DATA_DIR))
    store = Store(db)
    day = min(dt.date(2026, 10, 20), dt.date.today())  # the store refuses dates in the future
    month = per.fmt(per.from_date(day))
    month_before = per.fmt(per.from_date(day) - 1)

    def matrix(periode):
        return {(k, i): (t, s) for k, i, t, s in adopsi_rows(capsys, "--periode", periode)}

    before, earlier = matrix(month), matrix(month_before)
    wrong = store.record_adoption("12.09.08", "antrean_digital", 4, day, "salah ketik", "Admin")
    store.record_adoption("12.09.08", "tte", 4, day, "SK Camat", "Admin")
    store.undo_adoption(wrong, "Admin", "salah kecamatan")
    # The CLI is another process in real use; here, close this connection first: while one is
    # open, DuckDB hands a new connection in the same process the file it had open.
    store.close()
    after = matrix(month)
    assert after[("12.09.08", "antrean_digital")] == before[("12.09.08", "antrean_digital")]
    assert after[("12.09.08", "tte")] == ("4", day.isoformat())
    assert matrix(month_before) == earlier  # a later event does not change an earlier month
    export_dir = tmp_path / "ekspor"
    assert main(["export", str(export_dir)]) == 0
    capsys.readouterr()
    assert adopsi_rows(capsys, "--periode", month) == independent_matrix(export_dir, month)


@pytest.mark.parametrize("bad, message", [("2025-13", "bukan bulan yang sah"), ("2031-01", "di luar kalender adopsi"),
                                          ("kemarin", "tidak dikenali")])
def test_tiru_adopsi_rejects_a_bad_period(demo_db, on_db, capsys, bad, message):
    on_db(demo_db)
    assert main(["adopsi", "--periode", bad]) == 1
    out, err = capsys.readouterr()
    assert out == "" and message in err


def test_tiru_adopsi_without_observations(demo_db, on_db, monkeypatch, capsys):
    # (The CLI builds with the demo dataset whatever TIRU_DEMO says, so an empty database
    # cannot be reached through it; the store is made to report no months instead.)
    on_db(demo_db)
    monkeypatch.setattr(Store, "periods", lambda self, wilayah="Asahan": [])
    assert main(["adopsi"]) == 0  # adoption has its own calendar: the events still give the stages
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 1 + 25 * 10 and "Traceback" not in err


def test_tiru_adopsi_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["adopsi", "--tahap", "3"])
    assert exit_.value.code == 2
    assert "argumen tidak dikenal" in capsys.readouterr().err


def test_target_summary_counts_per_target():
    import pandas as pd

    from metrics.engine import adopsi

    status = pd.DataFrame({
        "inovasi": ["a", "a", "a", "b"], "tahap": [3, 3, 3, 2],
        "tanggal": pd.to_datetime(["2025-12-31"] * 3 + ["2025-09-30"]),
        "kode_kecamatan": ["K1", "K2", "K3", "K1"],
        "status": [adopsi.STATUS_TERCAPAI, adopsi.STATUS_TERLAMBAT, adopsi.STATUS_TERCAPAI,
                   adopsi.STATUS_BELUM_JATUH_TEMPO],
        "terlambat": [False, True, False, False],
    })
    summary = adopsi.target_summary(status).set_index("inovasi")
    assert summary.loc["a", ["berlaku", "tercapai", "terlambat"]].tolist() == [3, 2, 1]
    assert summary.loc["b", ["berlaku", "tercapai", "terlambat"]].tolist() == [1, 0, 0]


# --------------------------------------------------------------------------- English


def test_short_names_stages_and_statuses_follow_the_language():
    assert adopsi.short_name("antrean_digital") == "Antrean digital"
    assert adopsi.nama_status(adopsi.STATUS_BELUM_JATUH_TEMPO) == "belum jatuh tempo"
    assert adopsi.label_tahap(3) == "3 Berjalan"
    with bahasa.dalam("en"):
        assert [adopsi.short_name(k) for k in ("antrean_digital", "standar_pelayanan", "tte", "skm_digital")] == [
            "Digital queue", "Service standards", "TTE", "Digital SKM"]
        # An innovation without a short name falls back to the name passed (in the active language).
        assert adopsi.short_name("inovasi_baru", "New innovation") == "New innovation"
        assert [adopsi.nama_status(s) for s in (adopsi.STATUS_TERCAPAI, adopsi.STATUS_TERLAMBAT,
                                                adopsi.STATUS_BELUM_JATUH_TEMPO)] == ["reached", "late", "not yet due"]
        assert [adopsi.label_tahap(n) for n in adopsi.TAHAP] == [
            "0 Not started", "1 Planned", "2 Pilot", "3 Running", "4 Institutionalised"]
        ev = events(("A", "tte", 1, "2025-01-10"), ("A", "tte", 2, "2025-02-10"))
        assert list(adopsi.cell_events(ev, "A", "tte")["nama_tahap"]) == ["Planned", "Pilot"]
    # The canonical mapping that files are parsed with stays Indonesian.
    assert adopsi.TAHAP[2] == "Uji coba"


def test_no_estimate_reasons_in_english():
    links = pd.Series({"antrean_digital": ["waktu_tunggu"]})
    arah = pd.DataFrame({"arah": ["lower"]}, index=["waktu_tunggu"])
    history, obs = did_case(drop_c3=True)
    with bahasa.dalam("en"):
        few_controls = dampak.impact(history, obs, links, arah, M0 + 10).iloc[0]["alasan"]
    history, obs = did_case()
    with bahasa.dalam("en"):
        early = dampak.impact(history, obs, links, arah, M0 + 8).iloc[0]["alasan"]
    assert few_controls == ("too few comparisons: only 2 adopting kecamatan have ≥ 3 comparison kecamatan that had "
                            "not adopted (≥ 3 needed)")
    assert early == "only 2 kecamatan reached Running with data 3 months before and after it (≥ 3 needed)"


def demo_month(store):
    latest = store.latest_period()
    kecamatan = store.kecamatan("Asahan")
    inovasi = store.inovasi()
    matrix = adopsi.stage_matrix(store.adopsi(), list(kecamatan["kode"]), list(inovasi.index), latest)
    return latest, kecamatan.set_index("kode")["nama"], inovasi, matrix


def test_stage_charts_in_english(demo_store):
    latest, names, inovasi, matrix = demo_month(demo_store)
    with bahasa.dalam("en"):
        short = {k: adopsi.short_name(k) for k in inovasi.index}
        heat_fig = charts.stage_matrix(matrix, names, short, {("12.09.08", "antrean_digital"): ["16 Dec 2024: 1"]},
                                       {("12.09.08", "antrean_digital")}, latest, "DEMO DATA")
        bars = charts.stage_bars(matrix, short, {"antrean_digital": 1234}, latest, "DEMO DATA")
        month, late_label = formatting.bulan(latest), formatting.angka(1234, 0)
    # English month name and thousands separator.
    assert month == per.to_date(latest).strftime("%B %Y") and late_label == "1,234"
    title = heat_fig.layout.title.text
    assert title.startswith("Adoption stage per kecamatan and innovation") and f"end of {month}" in title
    assert "stages 0–4" in title and "late on target" in title and "source: DEMO DATA" in title
    hover = heat_fig.data[0].hovertext
    assert "Digital queue" in hover[0][0] and f"Stage at the end of {month}" in hover[0][0]
    assert "Late on target" in hover[0][0] and "History:<br>16 Dec 2024: 1" in hover[0][0]
    assert all(h.endswith("Source: DEMO DATA") for row in hover for h in row)
    assert "No events recorded yet" in " ".join(h for row in hover for h in row)
    assert [t.name for t in heat_fig.data if t.showlegend] == ["0 Not started", "1 Planned", "2 Pilot", "3 Running",
                                                              "4 Institutionalised"]
    assert heat_fig.layout.legend.title.text == "Stage: " and heat_fig.layout.separators == ".,"
    assert bars.layout.title.text.startswith("Stages per innovation") and bars.layout.xaxis.title.text == \
        "number of kecamatan"
    running = next(t for t in bars.data if t.name == "3 Running")
    queue = list(running.y).index("Digital queue")
    expected = int(((matrix["inovasi"] == "antrean_digital") & (matrix["tahap"] == 3)).sum())
    assert running.hovertext[queue] == (f"<b>Digital queue</b><br>Running: {expected} of 25 kecamatan<br>"
                                        f"End of {month}<br>Source: DEMO DATA")
    labels = bars.data[-1].text
    assert labels[list(bars.data[-1].y).index("Digital queue")] == "1,234 late"


def test_curve_and_timeline_in_english(demo_store):
    latest = demo_store.latest_period()
    kecamatan = list(demo_store.kecamatan("Asahan")["kode"])
    history = adopsi.stage_history(demo_store.adopsi(), kecamatan, ["tte"], latest - 5, latest)
    targets = demo_store.target().query("inovasi == 'tte'")
    segments = adopsi.stage_segments(demo_store.adopsi(), "12.09.14", ["antrean_digital"], dt.date(2024, 12, 1),
                                     per.month_end(per.parse("2025-12")))
    with bahasa.dalam("en"):
        curve = charts.adoption_curve(adopsi.adoption_counts(history), "Electronic signature", targets, latest,
                                      "DEMO DATA", 25)
        line = charts.timeline(segments, "Pulau Rakyat", {"antrean_digital": "Digital queue"}, per.parse("2025-12"),
                               "DEMO DATA")
        short_month = formatting.bulan(latest, short=True)
    assert curve.layout.title.text.startswith("Adoption curve: Electronic signature")
    assert f"up to {short_month}" in curve.layout.title.text and curve.layout.yaxis.title.text == "number of kecamatan"
    assert curve.layout.annotations[0].text == "Target: Pilot · 30 Sep 2025"
    assert "Oct 2026" in curve.layout.xaxis.ticktext and curve.layout.separators == ".,"
    assert curve.data[0].hovertext[-1] == (f"Institutionalised: {int(curve.data[0].y[-1])} kecamatan<br>end of "
                                           f"{per.to_date(latest).strftime('%B %Y')}<br>Source: DEMO DATA")
    assert line.layout.title.text.startswith("Stage timeline: Pulau Rakyat")
    assert "up to the end of December 2025" in line.layout.title.text
    pilot = next(t for t in line.data if t.name == "2 Pilot")
    assert any("<br>Evidence: " in h and h.startswith("<b>Digital queue</b><br>Pilot: ") for h in pilot.hovertext)
