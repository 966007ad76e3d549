"""Honest impact numbers (#14): every difference in differences has a seeded interval, a verdict only
with ≥ 5 kecamatan per side and an interval that excludes 0, none on pairs whose measurement the
innovation changes itself, shared credit said aloud; `tiru dampak`, the DATA CONTOH note on
stderr, and exports that keep their labels."""

import csv
import math

import pandas as pd
import pytest

from metrics.core import bahasa, formatting
from metrics.core import periode as per
from metrics.engine import adopsi, dampak
from metrics.engine import adopsi_tabel as tabel
from metrics.ops.cli import main

M0 = per.parse("2025-01")
LOWER = pd.DataFrame({"arah": ["lower"]}, index=["waktu_tunggu"])
QUEUE = pd.Series({"antrean_digital": ["waktu_tunggu"]})


def case(adopter_changes, control_changes, second=None):
    """Adopters A1… reach Berjalan in month 5 with the given change (before months 2–4 = 50, after
    6–8 = 50 + change); controls C1… never adopt and change by the given amounts. `second`: codes of
    adopters that also reach Berjalan on layanan_terpadu in month 6."""
    second = second or []
    rows, values = [], {}
    for i, change in enumerate(adopter_changes, start=1):
        rows.append((f"A{i}", "antrean_digital", 3, per.to_date(M0 + 5) + pd.Timedelta(days=9)))
        values[f"A{i}"] = {**{t: 50.0 for t in range(2, 5)}, **{t: 50.0 + change for t in range(6, 9)}}
    for i, change in enumerate(control_changes, start=1):
        values[f"C{i}"] = {**{t: 50.0 for t in range(2, 5)}, **{t: 50.0 + change for t in range(6, 9)}}
    rows += [(k, "layanan_terpadu", 3, per.to_date(M0 + 6) + pd.Timedelta(days=3)) for k in second]
    ev = pd.DataFrame([{"urutan": n, "kode_kecamatan": k, "inovasi": i, "tahap": s, "tanggal": pd.Timestamp(d)}
                       for n, (k, i, s, d) in enumerate(rows, start=1)])
    kecamatan = list(values)
    obs = pd.DataFrame([{"kode_kecamatan": k, "periode": M0 + t, "indikator": "waktu_tunggu", "nilai": v}
                        for k, series in values.items() for t, v in series.items()])
    history = adopsi.stage_history(ev, kecamatan, ["antrean_digital", "layanan_terpadu"], M0, M0 + 10)
    return history, obs


CLEAR = ([-6, -5, -7, -4, -8], [0, 1, -1, 2, -2])  # estimate −6, far from 0, 5 per side


def test_three_adopters_give_an_estimate_with_its_interval_but_no_verdict():
    history, obs = case([-6, -5, -7], [0, 1, -1, 2, -2])
    r = dampak.impact(history, obs, QUEUE, LOWER, M0 + 10).iloc[0]
    assert r["efek"] == pytest.approx(-6) and (r["n_adopter"], r["n_kontrol"]) == (3, 5)
    assert r["batas_bawah"] < r["efek"] < r["batas_atas"] < 0  # the interval excludes 0 …
    assert r["kesimpulan"] == "" and r["membaik"] is None and r["sebab"] == dampak.SEDIKIT  # … still too few
    assert r["alasan_kesimpulan"].startswith("terlalu sedikit untuk disimpulkan: 3 pengadopsi / 5 pembanding")


def test_four_comparison_kecamatan_are_too_few_for_a_verdict_as_well():
    history, obs = case(CLEAR[0], CLEAR[1][:4])
    r = dampak.impact(history, obs, QUEUE, LOWER, M0 + 10).iloc[0]
    assert not math.isnan(r["efek"]) and r["kesimpulan"] == "" and r["sebab"] == dampak.SEDIKIT


def test_the_seeded_interval_is_reproducible_and_contains_the_estimate():
    history, obs = case([-6, -1, -9, -4, 2, -7], [0, 3, -1, 2, -2, 1])
    first = dampak.impact(history, obs, QUEUE, LOWER, M0 + 10).iloc[0]
    again = dampak.impact(history, obs, QUEUE, LOWER, M0 + 10).iloc[0]
    assert (first["batas_bawah"], first["batas_atas"]) == (again["batas_bawah"], again["batas_atas"])
    assert first["batas_bawah"] < first["efek"] < first["batas_atas"]
    assert first["batas_atas"] - first["batas_bawah"] > 1  # spread adopters: a real interval
    # Another seed moves the bounds a little, not the estimate: the seed is what fixes them.
    detail = dampak.impact_detail(history, obs, "antrean_digital", "waktu_tunggu", M0 + 10)
    other = dampak.interval(detail[detail["dihitung"]], "another key")
    assert other != (first["batas_bawah"], first["batas_atas"])
    assert other[0] < first["efek"] < other[1]


def test_verdict_needs_five_per_side_and_an_interval_without_zero():
    history, obs = case(*CLEAR)
    r = dampak.impact(history, obs, QUEUE, LOWER, M0 + 10).iloc[0]
    assert r["kesimpulan"] == "membaik" and r["membaik"] == True and r["alasan_kesimpulan"] == ""  # noqa: E712
    higher = pd.DataFrame({"arah": ["higher"]}, index=["waktu_tunggu"])
    assert dampak.impact(history, obs, QUEUE, higher, M0 + 10).iloc[0]["kesimpulan"] == "memburuk"
    history, obs = case([-6, 5, -4, 6, 1], CLEAR[1])  # mixed: the interval straddles 0
    r = dampak.impact(history, obs, QUEUE, LOWER, M0 + 10).iloc[0]
    assert r["batas_bawah"] < 0 < r["batas_atas"]
    assert r["kesimpulan"] == "" and r["sebab"] == dampak.SELANG_NOL and "selang memuat 0" in r["alasan_kesimpulan"]


def test_a_pair_whose_measurement_the_innovation_changes_has_no_verdict():
    history, obs = case(*CLEAR)
    ukur = pd.Series({"antrean_digital": ["waktu_tunggu"]})
    r = dampak.impact(history, obs, QUEUE, LOWER, M0 + 10, ukur=ukur).iloc[0]
    assert r["efek"] == pytest.approx(-6) and not math.isnan(r["batas_bawah"])  # still shown
    assert r["kesimpulan"] == "" and r["ukur"] and r["sebab"] == dampak.UKUR
    assert "mengubah cara indikator ini diukur" in r["alasan_kesimpulan"]


def test_the_catalogue_marks_the_tautological_pairs(demo_store):
    ukur = demo_store.inovasi()["indikator_ukur"].map(list)
    assert "permohonan_daring" in ukur["permohonan_daring"] and "waktu_selesai" not in ukur["permohonan_daring"]
    assert ukur["tte"] == ["tte"] and ukur["skm_digital"] == ["ikm"]
    assert ukur["layanan_terpadu"] == [] and ukur["jemput_bola"] == []
    effects = dampak.store_impact(demo_store, demo_store.latest_period()).set_index(["inovasi", "indikator"])
    for pair in [("permohonan_daring", "permohonan_daring"), ("tte", "tte"), ("skm_digital", "ikm")]:
        assert effects.loc[pair, "kesimpulan"] == "" and effects.loc[pair, "ukur"]


def test_a_change_shared_with_another_innovation_is_said():
    history, obs = case(*CLEAR, second=["A1", "A2"])
    links = pd.Series({"antrean_digital": ["waktu_tunggu"], "layanan_terpadu": ["waktu_tunggu"]})
    effects = dampak.impact(history, obs, links, LOWER, M0 + 10)
    queue = effects[effects["inovasi"] == "antrean_digital"]
    assert queue["juga"].iloc[0] == {"layanan_terpadu": 2}
    shown = tabel.impact_table(queue, pd.Series({"waktu_tunggu": "menit"}), {}, {"layanan_terpadu": "Layanan terpadu"})
    assert "juga dipengaruhi: Layanan terpadu (2 dari 5 kecamatan)" in shown[tabel.impact_columns()["arti"]].iloc[0]


def test_the_table_shows_the_interval_and_the_verdict_or_why_there_is_none():
    history, obs = case(*CLEAR)
    effects = dampak.impact(history, obs, QUEUE, LOWER, M0 + 10)
    r = effects.iloc[0]
    shown = tabel.impact_table(effects, pd.Series({"waktu_tunggu": "menit"}), {})
    cell = shown[tabel.impact_columns()["selisih"]].iloc[0]
    expected = (f"−{formatting.angka(6, 1)} (−{formatting.angka(abs(r['batas_bawah']), 1)} s.d. "
                f"−{formatting.angka(abs(r['batas_atas']), 1)})")
    assert cell == expected and "," in cell
    assert shown[tabel.impact_columns()["arti"]].iloc[0] == "membaik (lebih rendah lebih baik)"
    with bahasa.dalam("en"):
        english = tabel.impact_table(effects, pd.Series({"waktu_tunggu": "menit"}), {})
        assert " to " in english.iloc[0][tabel.impact_columns()["selisih"]]
    few = dampak.impact(*case([-6, -5, -7], CLEAR[1]), QUEUE, LOWER, M0 + 10)
    meaning = tabel.impact_table(few, pd.Series({"waktu_tunggu": "menit"}), {})[tabel.impact_columns()["arti"]]
    assert meaning.iloc[0].startswith("tanpa kesimpulan: terlalu sedikit untuk disimpulkan")


# --------------------------------------------------------------------------- tiru dampak


@pytest.fixture
def on_demo(demo_db, monkeypatch):
    monkeypatch.setenv("TIRU_DB", str(demo_db))
    monkeypatch.setenv("TIRU_DEMO", "1")
    return demo_db


def test_tiru_dampak_prints_the_engine_numbers_as_csv(on_demo, demo_store, capsys):
    assert main(["dampak"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0] == "inovasi,indikator,n_adopsi,n_pembanding,selisih,batas_bawah,batas_atas,kesimpulan"
    rows = list(csv.DictReader(lines))
    effects = dampak.store_impact(demo_store, demo_store.latest_period())
    assert len(rows) == len(effects)
    for row, r in zip(rows, effects.itertuples(), strict=True):
        assert (row["inovasi"], row["indikator"]) == (r.inovasi, r.indikator)
        assert (int(row["n_adopsi"]), int(row["n_pembanding"])) == (r.n_adopter, r.n_kontrol)
        for column, value in (("selisih", r.efek), ("batas_bawah", r.batas_bawah), ("batas_atas", r.batas_atas)):
            assert (row[column] == "") if math.isnan(value) else float(row[column]) == pytest.approx(value, abs=1e-4)
        assert row["kesimpulan"] == r.kesimpulan and row["kesimpulan"] in ("", "membaik", "memburuk")
    assert any(row["selisih"] for row in rows)
    assert "DATA CONTOH" in err and "DATA CONTOH" not in out


def test_tiru_dampak_of_an_earlier_month(on_demo, demo_store, capsys):
    month = demo_store.latest_period() - 6
    assert main(["dampak", "--periode", per.fmt(month)]) == 0
    rows = list(csv.DictReader(capsys.readouterr().out.splitlines()))
    expected = dampak.csv_frame(dampak.store_impact(demo_store, month))
    assert [r["n_adopsi"] for r in rows] == [str(n) for n in expected["n_adopsi"]]


def test_tiru_dampak_with_nothing_to_estimate_exits_1_with_a_message(empty_db, monkeypatch, capsys):
    monkeypatch.setenv("TIRU_DB", str(empty_db))
    monkeypatch.setenv("TIRU_DEMO", "0")
    assert main(["dampak"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("tiru: ") and "Traceback" not in err
    assert main(["dampak", "--bahasa", "en"]) == 1
    assert "no observations" in capsys.readouterr().err.lower()


def test_tiru_dampak_before_any_adoption_exits_1(on_demo, demo_store, capsys):
    first = demo_store.periods()[0]
    assert main(["dampak", "--periode", per.fmt(first)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and "belum ada dampak" in err.lower()
    assert main(["--bahasa", "en", "dampak", "--periode", per.fmt(first)]) == 1
    assert "no impact" in capsys.readouterr().err.lower()


@pytest.mark.parametrize("command", [["ranking"], ["adopsi"], ["dampak"]])
def test_demo_data_in_the_output_is_noted_on_stderr_only(on_demo, capsys, command):
    assert main(command) == 0
    out, err = capsys.readouterr()
    assert "DATA CONTOH" in err and "DATA CONTOH" not in out
    assert main(["--bahasa", "en", *command]) == 0
    out, err = capsys.readouterr()
    assert "DEMO DATA" in err and "DEMO" not in out


# --------------------------------------------------------------------------- exports keep labels


@pytest.mark.parametrize("fmt", ["csv", "parquet", "xlsx"])
def test_exports_keep_the_demo_and_sample_labels(on_demo, capsys, tmp_path, fmt):
    assert main(["export", str(tmp_path), "--format", fmt]) == 0
    read = {"csv": pd.read_csv, "parquet": pd.read_parquet, "xlsx": pd.read_excel}[fmt]
    events = read(tmp_path / f"adopsi.{fmt}")
    assert list(events.columns) == ["kode_kecamatan", "inovasi", "tahap", "tanggal", "bukti", "oleh", "batch"]
    assert events["batch"].astype(str).str.startswith("demo-").all()
    indikator = read(tmp_path / f"indikator.{fmt}")
    assert list(indikator.columns)[:9] == ["kode", "nama", "satuan", "arah", "frekuensi", "pilar", "bobot_pilar",
                                           "lantai", "model"]
    sumber = indikator.set_index("kode")["model_sumber"]
    assert "Nilai contoh" in sumber["waktu_tunggu"] and "(bukan angka resmi)" in sumber["waktu_tunggu"]
    inovasi = read(tmp_path / f"inovasi.{fmt}").set_index("kode")
    assert inovasi.loc["tte", "indikator_ukur"] == "tte"
