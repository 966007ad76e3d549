"""The `tiru` command line, and `tiru ranking` recomputed independently from `tiru export`."""

import csv
import subprocess
import sys
from collections import defaultdict

import pandas as pd
import pytest

from metrics.data.build import build
from metrics.ops.cli import RANKING_COLUMNS, main


@pytest.fixture
def on_demo(demo_db, monkeypatch):
    monkeypatch.setenv("TIRU_DB", str(demo_db))
    monkeypatch.setenv("TIRU_DEMO", "1")
    return demo_db


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def ranking_rows(capsys, *args):
    code, out, err = run(capsys, "ranking", *args)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == ",".join(RANKING_COLUMNS)
    return list(csv.DictReader(lines))


def month_index(text):
    year, month = map(int, text.split("-"))
    return year * 12 + month - 1


def recompute(export_dir, periode):
    """The formulas of docs/metodologi.md written out again, reading only the exported CSV files."""
    indicators = {r["kode"]: r for r in csv.DictReader((export_dir / "indikator.csv").read_text(encoding="utf-8").splitlines())}
    kecamatan = [r["kode"] for r in csv.DictReader((export_dir / "kecamatan.csv").read_text(encoding="utf-8").splitlines())
                 if r["wilayah"] == "Asahan"]
    scored = {k: r for k, r in indicators.items() if r["pilar"]}
    per_pillar = defaultdict(int)
    for r in scored.values():
        per_pillar[r["pilar"]] += 1
    weight = {k: float(r["bobot_pilar"]) / per_pillar[r["pilar"]] for k, r in scored.items()}
    validity = {"bulanan": 1, "semesteran": 6, "tahunan": 12}

    latest = {}
    for r in csv.DictReader((export_dir / "observasi.csv").read_text(encoding="utf-8").splitlines()):
        if r["indikator"] not in scored:
            continue
        age = periode - month_index(r["periode"])
        if 0 <= age < validity[scored[r["indikator"]]["frekuensi"]]:
            key = (r["kode_kecamatan"], r["indikator"])
            if key not in latest or month_index(r["periode"]) > latest[key][0]:
                latest[key] = (month_index(r["periode"]), float(r["nilai"]))

    result = {}
    for kec in kecamatan:
        total = weighted = 0.0
        for code, r in scored.items():
            if (kec, code) not in latest:
                continue
            x, floor, model = latest[(kec, code)][1], float(r["lantai"]), float(r["model"])
            progress = (x - floor) / (model - floor) if r["arah"] == "higher" else (floor - x) / (floor - model)
            weighted += weight[code] * 100 * min(max(progress, 0.0), 1.0)
            total += weight[code]
        coverage = total / sum(weight.values())
        # A missing indicator counts as 0: divide by the weight of all scored indicators.
        result[kec] = (weighted / sum(weight.values()) if total else None, coverage)
    ranked = {k: round(s, 1) for k, (s, c) in result.items() if c >= 0.70 - 1e-9}  # the one decimal shown
    ranks = {k: 1 + sum(other > s for other in ranked.values()) for k, s in ranked.items()}
    return result, ranks


def test_ranking_agrees_with_independent_recomputation_from_export(on_demo, capsys, tmp_path):
    assert run(capsys, "export", str(tmp_path))[0] == 0
    rows = ranking_rows(capsys)
    periods = sorted({r["periode"] for r in csv.DictReader((tmp_path / "observasi.csv").read_text(encoding="utf-8").splitlines())})
    asahan_latest = max(r["periode"] for r in csv.DictReader((tmp_path / "observasi.csv").read_text(encoding="utf-8").splitlines())
                        if r["kode_kecamatan"].startswith("12.09"))
    assert periods  # there is data to rank
    result, ranks = recompute(tmp_path, month_index(asahan_latest))
    assert len(rows) == 25
    for row in rows:
        score, coverage = result[row["kode_kecamatan"]]
        assert float(row["cakupan"]) == pytest.approx(coverage, abs=5e-5)
        if score is None:
            assert row["skor"] == ""
        else:
            assert float(row["skor"]) == pytest.approx(score, abs=0.005)
        expected_rank = ranks.get(row["kode_kecamatan"])
        assert (int(row["peringkat"]) if row["peringkat"] else None) == expected_rank
        if expected_rank:
            assert 1 <= int(row["peringkat_min"]) <= int(row["peringkat_max"]) <= len(ranks)
        else:
            assert row["peringkat_min"] == row["peringkat_max"] == ""
    assert any(r["peringkat"] == "" for r in rows), "the demo has an unranked kecamatan in the latest month"


def test_ranking_of_an_earlier_month_and_its_previous_rank(on_demo, capsys, tmp_path):
    run(capsys, "export", str(tmp_path))
    rows = {r["kode_kecamatan"]: r for r in ranking_rows(capsys, "--periode", "2025-06")}
    previous = {r["kode_kecamatan"]: r for r in ranking_rows(capsys, "--periode", "2025-05")}
    _, ranks = recompute(tmp_path, month_index("2025-06"))
    assert {k: int(r["peringkat"]) for k, r in rows.items() if r["peringkat"]} == ranks
    for kode, row in rows.items():
        assert row["peringkat_sebelumnya"] == previous[kode]["peringkat"]


def test_ranking_table_format_is_readable(on_demo, capsys):
    code, out, _ = run(capsys, "ranking", "--format", "table", "--periode", "2026-09")
    assert code == 0
    assert out.startswith("Peringkat kecamatan Asahan, September 2026")
    assert "Kota Kisaran Barat" in out


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["ranking", "--periode", "2026-13"], 1, "bukan bulan yang sah"),
        (["ranking", "--periode", "Okt 2026"], 1, "tidak dikenali"),
        (["ranking", "--periode", "2031-01"], 1, "Tidak ada data untuk periode 2031-01"),
    ],
)
def test_rejected_input_exits_1_with_indonesian_message(on_demo, capsys, args, code, message):
    result, out, err = run(capsys, *args)
    assert (result, out) == (code, "")
    assert message in err


@pytest.mark.parametrize("args", [["ranking", "--format", "json"], ["peringkat"], ["export"], []])
def test_usage_errors_exit_2(on_demo, capsys, args):
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code == 2
    assert "kesalahan" in capsys.readouterr().err


def test_ranking_on_a_database_without_observations_is_rejected(empty_db, monkeypatch, capsys):
    monkeypatch.setenv("TIRU_DB", str(empty_db))
    monkeypatch.setenv("TIRU_DEMO", "0")
    code, out, err = run(capsys, "ranking")
    assert (code, out) == (1, "")
    assert "belum berisi observasi" in err


@pytest.mark.parametrize("fmt", ["csv", "parquet", "xlsx"])
def test_export_writes_every_table_with_exact_columns(on_demo, capsys, tmp_path, fmt):
    assert run(capsys, "export", str(tmp_path), "--format", fmt)[0] == 0
    read = {"csv": pd.read_csv, "parquet": pd.read_parquet, "xlsx": pd.read_excel}[fmt]
    observasi = read(tmp_path / f"observasi.{fmt}")
    assert list(observasi.columns) == ["kode_kecamatan", "periode", "indikator", "nilai", "sumber", "batch"]
    assert observasi["periode"].astype(str).str.fullmatch(r"\d{4}-\d{2}").all()
    indikator = read(tmp_path / f"indikator.{fmt}")
    assert list(indikator.columns) == ["kode", "nama", "satuan", "arah", "frekuensi", "pilar", "bobot_pilar",
                                       "lantai", "model", "model_sumber", "model_sumber_en", "model_tanggal"]
    assert set(indikator["arah"]) == {"higher", "lower"}
    assert set(indikator["frekuensi"]) == {"bulanan", "semesteran", "tahunan"}
    adopsi = read(tmp_path / f"adopsi.{fmt}")
    assert list(adopsi.columns) == ["kode_kecamatan", "inovasi", "tahap", "tanggal", "bukti", "oleh", "batch"]
    for name in ("kecamatan", "inovasi"):
        assert (tmp_path / f"{name}.{fmt}").exists()


def test_export_neutralises_formulas_for_spreadsheets_only(small_data_dir, tmp_path, monkeypatch, capsys):
    db = build(tmp_path / "t.duckdb", small_data_dir)
    monkeypatch.setenv("TIRU_DB", str(db))
    monkeypatch.setattr("metrics.ops.cli.ensure_built", lambda: db)
    run(capsys, "export", str(tmp_path / "csv"))
    run(capsys, "export", str(tmp_path / "pq"), "--format", "parquet")
    assert pd.read_csv(tmp_path / "csv" / "adopsi.csv")["bukti"].iloc[1] == "'=HYPERLINK(\"x\")"
    assert pd.read_parquet(tmp_path / "pq" / "adopsi.parquet")["bukti"].iloc[1] == "=HYPERLINK(\"x\")"


def test_python_dash_m_metrics_runs_the_cli(demo_db):
    env = {"TIRU_DB": str(demo_db), "PATH": ""}
    done = subprocess.run([sys.executable, "-m", "metrics", "ranking", "--periode", "2026-09"],
                          capture_output=True, text=True, env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == ",".join(RANKING_COLUMNS)
    assert len(done.stdout.splitlines()) == 26


# ---- --bahasa: messages, help texts and outputs in English


@pytest.mark.parametrize(
    "args, message",
    [
        (["--bahasa", "en", "ranking", "--periode", "2026-13"], "Period '2026-13' is not a valid month"),
        (["--bahasa", "en", "ranking", "--periode", "Okt 2026"], "is not recognised: use the form YYYY-MM"),
        (["ranking", "--bahasa", "en", "--periode", "2031-01"], "No data for period 2031-01: data is available from"),
        (["adopsi", "--periode", "2031-01", "--bahasa=en"], "Period 2031-01 is outside the adoption calendar"),
    ],
)
def test_bahasa_en_gives_english_messages_before_or_after_the_command(on_demo, capsys, args, message):
    from metrics.core import bahasa

    result, out, err = run(capsys, *args)
    assert (result, out) == (1, "")
    assert message in err
    assert "periode" not in err.lower().replace("--periode", "")  # no Indonesian left in the message
    assert bahasa.aktif() == "id"  # the language held for that call only


def test_bahasa_en_usage_errors_are_english_and_still_exit_2(on_demo, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--bahasa", "en", "ranking", "--format", "json"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "tiru ranking: error: argument --format: invalid choice: 'json'" in err and "kesalahan" not in err
    with pytest.raises(SystemExit) as exit_info:
        main(["--bahasa", "fr", "ranking"])  # an unknown language is a usage error, in Indonesian
    assert exit_info.value.code == 2
    assert "pilihan tidak sah: 'fr'" in capsys.readouterr().err


def test_help_follows_the_language(capsys):
    for args, expected, absent in ((["--help"], "bangun ulang basis data", "rebuild the database"),
                                   (["--bahasa", "en", "--help"], "rebuild the database", "bangun ulang basis data"),
                                   (["pptx", "--bahasa", "en", "--help"], "month YYYY-MM", "bulan TTTT-BB")):
        with pytest.raises(SystemExit) as exit_info:
            main(args)
        assert exit_info.value.code == 0
        out = capsys.readouterr().out
        assert expected in out and absent not in out


def test_ranking_table_in_english_with_english_numbers(on_demo, demo_store, capsys):
    from metrics.core import bahasa, formatting
    from metrics.core import periode as per
    from metrics.ops.cli import ranking_frame

    code, out, _ = run(capsys, "--bahasa", "en", "ranking", "--format", "table", "--periode", "2026-09")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Ranking of Asahan's kecamatan, September 2026"
    assert lines[1].startswith("final (demo) · ") and "late" not in lines[1]  # the month's state (#19)
    assert lines[2].split() == ["Code", "Kecamatan", "Tiru", "Index", "Coverage", "Rank", "Rank", "range", "Movement",
                                "Last", "month's", "published", "rank"]
    frame = ranking_frame(demo_store, per.parse("2026-09"))
    with bahasa.dalam("en"):
        for row in frame.itertuples():
            line = next(line for line in lines if line.startswith(row.kode_kecamatan))
            assert formatting.angka(row.indeks, 1) in line and formatting.persen(row.cakupan) in line
            if pd.isna(row.peringkat):
                assert "not ranked" in line
    assert any(formatting.angka(s, 1) != f"{s:.1f}" for s in frame["skor"].dropna())  # Indonesian would differ


def test_csv_outputs_keep_their_identifier_columns_in_english(on_demo, capsys, tmp_path):
    assert ranking_rows(capsys, "--bahasa", "en", "--periode", "2026-09")
    code, out, _ = run(capsys, "--bahasa", "en", "adopsi", "--periode", "2026-09")
    assert code == 0 and out.splitlines()[0] == "kode_kecamatan,inovasi,tahap,sejak"
    code, _, err = run(capsys, "--bahasa", "en", "export", str(tmp_path))
    assert code == 0 and err.startswith("Written: ")
    with open(tmp_path / "indikator.csv", encoding="utf-8") as handle:
        assert next(csv.reader(handle))[:3] == ["kode", "nama", "satuan"]


def test_tiru_pptx_in_english(on_demo, demo_store, capsys, tmp_path):
    from pptx import Presentation

    from metrics.core import bahasa
    from metrics.core import periode as per
    from metrics.reports import deck_spec, slides

    out = tmp_path / "rapat.pptx"
    code, _, err = run(capsys, "--bahasa", "en", "pptx", "--periode", "2026-09", "--kecamatan", "12.09.19", str(out))
    assert code == 0, err
    assert err.startswith("Written: ")
    inputs = deck_spec.gather(demo_store, per.parse("2026-09"))
    with bahasa.dalam("en"):
        english = slides.deck(inputs, "12.09.19")
    indonesian = slides.deck(inputs, "12.09.19")
    prs = Presentation(str(out))
    assert len(prs.slides) == len(english.slides)
    for spec, slide in zip(english.slides, prs.slides, strict=True):
        shown = " ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
        assert spec.title in shown
        assert "DEMO DATA" in shown and "DATA CONTOH" not in shown
    assert [s.title for s in english.slides] != [s.title for s in indonesian.slides]


def test_tiru_rapor_in_english(on_demo, demo_store, capsys, tmp_path):
    from pypdf import PdfReader

    from metrics.core import bahasa, formatting
    from metrics.core import periode as per
    from metrics.engine import benchmark

    out = tmp_path / "rapor.pdf"
    code, _, err = run(capsys, "rapor", "--bahasa", "en", "--periode", "2026-09", "--kecamatan", "12.09.19", str(out))
    assert code == 0, err
    (page,) = PdfReader(str(out)).pages
    text = " ".join(page.extract_text().split())
    row = benchmark.league_table(demo_store, per.parse("2026-09")).set_index("kode_kecamatan").loc["12.09.19"]
    with bahasa.dalam("en"):
        score = formatting.angka(row["skor"], 1)
    assert score in text and score != formatting.angka(row["skor"], 1)  # 1,234.5 style, not 1.234,5
    assert "Kota Kisaran Barat" in text and "September 2026" in text
    assert "DEMO DATA" in text and "Kartu skor" not in text
