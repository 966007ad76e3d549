"""Importing files: the bad-file corpus (each with its exact message, database untouched),
number and period rules, SKM → IKM at the category boundaries, roles inside the engine,
templates that go back in, revert, demo removal that survives a rebuild, catalogue edits."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from metrics import ingest
from metrics.core import bahasa, formatting
from metrics.core import periode as per
from metrics.data.build import build, ensure_built
from metrics.data.store import RejectedChange, Store
from metrics.ingest import templates
from metrics.ops.cli import main

BAD = Path(__file__).resolve().parent / "bad_files"
sys.path.insert(0, str(BAD))
import make_xlsx  # noqa: E402 - found through the sys.path line above

# file -> (exact location prefix or None, the specific message fragment)
CORPUS = {
    "kosong.csv": (None, "Berkas kosong."),
    "hanya_judul.csv": (None, "Berkas tidak berisi satu nilai pun"),
    "kecamatan_tak_dikenal.csv": ("Baris 3, kolom 'kode_kecamatan'", "'12.09.99' bukan kode kecamatan yang dikenal"),
    "kecamatan_nama_bukan_kode.csv": ("Baris 2, kolom 'kode_kecamatan'", "Tulis kodenya: 12.09.08 (Meranti)."),
    "indikator_salah_eja.csv": (
        "Baris 2, kolom 'indikator'",
        "indikator 'waktu_tungu' tidak ada di katalog. Maksudnya waktu_tunggu",
    ),
    "periode_bulan_13.csv": ("Baris 2, kolom 'periode'", "'2025-13' bukan bulan yang sah; harapan: TTTT-BB"),
    "periode_masa_depan.csv": (
        "Baris 2, kolom 'periode'",
        "'2099-01' masih di masa depan; periode paling lambat bulan ini",
    ),
    "periode_sebelum_2020.csv": (
        "Baris 2, kolom 'periode'",
        "'2019-12' sebelum 2020-01; Tiru menerima periode 2020-01",
    ),
    "periode_format_lain.csv": ("Baris 2, kolom 'periode'", "'Juni 2025' bukan bulan yang sah"),
    "nilai_teks.csv": (
        "Baris 2, kolom 'nilai'",
        "'abc' bukan angka; harapan: angka seperti 12,5 atau 1.234,5 atau 1234.5",
    ),
    "nilai_dua_koma.csv": ("Baris 2, kolom 'nilai'", "'12,5,3' bukan angka"),
    "nilai_kosong.csv": ("Baris 2, kolom 'nilai'", "kosong; harus diisi angka"),
    "nilai_ambigu.csv": ("Baris 2, kolom 'nilai'", "'1.234' ambigu: tulis 1234"),
    "persen_di_atas_100.csv": ("Baris 2, kolom 'nilai'", "120 di luar rentang tte (%): harapan 0–100."),
    "ikm_di_bawah_25.csv": ("Baris 2, kolom 'nilai'", "20 di luar rentang ikm (indeks 25–100): harapan 25–100."),
    "waktu_negatif.csv": ("Baris 2, kolom 'nilai'", "-5 di luar rentang waktu_tunggu (menit): harapan 0–600."),
    "baris_ganda.csv": ("Baris 3, kolom 'nilai'", "baris ganda: 12.09.08, 2025-06, waktu_tunggu sudah ada di baris 2"),
    "baris_bertentangan.csv": (
        "Baris 3, kolom 'nilai'",
        "bertentangan dengan baris 2: 12.09.08, 2025-06, waktu_tunggu bernilai 45 di sana dan 50 di sini",
    ),
    "judul_salah_eja.csv": ("Kolom 'peroide'", "judul kolom 'peroide' tidak dikenal. Maksudnya 'periode'?"),
    "judul_nilai_hilang.csv": ("Kolom 'nilai'", "kolom wajib 'nilai' tidak ada"),
    "judul_ganda.csv": ("Kolom 'nilai'", "judul kolom 'nilai' muncul lebih dari sekali"),
    "jenis_tak_dikenal.csv": (None, "Jenis berkas tidak dikenali dari judul kolomnya (alamat, nama)"),
    "banyak_masalah.csv": ("Baris 5, kolom 'nilai'", "101 di luar rentang tte (%): harapan 0–100."),
    "titik_koma_nilai_salah.csv": ("Baris 2, kolom 'nilai'", "'12.5.3' bukan angka"),
    "biner.csv": (None, "Berkas berisi karakter biner"),
    "encoding_rusak.csv": (None, "Teks berkas tidak dapat dibaca (bukan UTF-8 maupun Windows-1252)"),
    "windows1252_kode_salah.csv": ("Baris 2, kolom 'kode_kecamatan'", "'12.09.77' bukan kode kecamatan"),
    "xls_lama.xls": (None, "Format Excel lama (.xls) tidak diterima"),
    "bukan_zip.xlsx": (None, "Berkas XLSX rusak (bukan arsip yang sah)"),
    "skm_jawaban_5.csv": ("Baris 2, kolom 'u3'", "'5' harus bilangan bulat 1–4"),
    "skm_jawaban_pecahan.csv": ("Baris 2, kolom 'u1'", "'2,5' harus bilangan bulat 1–4"),
    "skm_jawaban_kosong.csv": ("Baris 2, kolom 'u5'", "kosong; harus diisi bilangan bulat 1–4"),
    "skm_semester_belum_selesai.csv": (
        "Baris 2, kolom 'periode'",
        "semester 2099-S1 berakhir 30 Juni 2099 dan belum selesai",
    ),
    "skm_responden_ganda.csv": (
        "Baris 3, kolom 'responden'",
        "baris ganda: 12.09.08, 2025-06, r1 sudah ada di baris 2",
    ),
    "adopsi_tahap_9.csv": ("Baris 2, kolom 'tahap'", "'9' harus bilangan bulat 0–4"),
    "adopsi_inovasi_salah_eja.csv": ("Baris 2, kolom 'inovasi'", "Maksudnya antrean_digital?"),
    "adopsi_tanggal_masa_depan.csv": ("Baris 2, kolom 'tanggal'", "'2099-01-01' masih di masa depan"),
    "adopsi_tanggal_salah.csv": ("Baris 2, kolom 'tanggal'", "'31/02/2025' bukan tanggal yang sah"),
    "adopsi_kecamatan_cimahi.csv": (
        "Baris 2, kolom 'kode_kecamatan'",
        "'32.77.02' bukan kode kecamatan Kabupaten Asahan",
    ),
    "target_tahap_0.csv": ("Baris 2, kolom 'tahap'", "'0' harus bilangan bulat 1–4"),
    "model_lebih_buruk_dari_lantai.csv": (
        "Baris 2, kolom 'nilai'",
        "nilai model 150 harus lebih rendah daripada lantai 120",
    ),
    "model_tanpa_sumber.csv": ("Baris 2, kolom 'sumber'", "wajib menyebut sumbernya"),
    # generated XLSX (tests/bad_files/make_xlsx.py)
    "rumus_tanpa_nilai.xlsx": ("Lembar 'observasi', baris 2", "sel D2 berisi rumus tanpa nilai tersimpan"),
    "sel_gabungan.xlsx": ("Lembar 'observasi'", "sel gabungan A2:A3: pisahkan sel (Unmerge)"),
    "lembar_salah.xlsx": ("Lembar 'Sheet2'", "bukan nama bulan: di templat lebar setiap lembar bernama TTTT-BB"),
    "lebar_judul_salah.xlsx": ("Lembar '2025-06', baris 1, kolom 'tte_x'", "bukan kode indikator. Maksudnya tte?"),
    "lebar_di_luar_rentang.xlsx": (
        "Lembar '2025-07', baris 2, kolom 'tepat_waktu'",
        "130 di luar rentang tepat_waktu (%): harapan 0–100",
    ),
    "lebar_bulan_masa_depan.xlsx": ("Lembar '2099-07'", "'2099-07' masih di masa depan"),
    "zip_bukan_buku_kerja.xlsx": (None, "arsip zip, tetapi bukan buku kerja Excel"),
    "bom_xml.xlsx": (None, "berisi XML berbahaya (DTD/entitas, misalnya bom XML)"),
    "bom_zip.xlsx": (None, "mencurigakan: isinya mengembang jauh melebihi ukurannya (bom zip)"),
    "terlalu_besar.csv": (None, "melebihi batas 5 MB"),
    # issue #12: hostile and careless files
    "kutip_tak_tertutup.csv": ("Baris 2", "tanda kutip (\") dibuka di sini tetapi tidak pernah ditutup"),
    "baris_kolom_berlebih.csv": ("Baris 3", "baris ini berisi 7 kolom, sedangkan baris judul 6"),
    "baris_kolom_kurang.csv": ("Baris 3", "baris ini berisi 3 kolom, sedangkan baris judul 6"),
    "terlalu_banyak_kolom.csv": ("Baris 1", "lebih dari 200 kolom; paling banyak 200 kolom"),
    "angka_arab.csv": ("Baris 2, kolom 'nilai'", "'٥٠' memakai angka selain 0–9"),
    "angka_lebar.csv": ("Baris 2, kolom 'nilai'", "'５０' memakai angka selain 0–9"),
    "teks_terlalu_panjang.csv": ("Baris 2, kolom 'catatan'", "teks 501 karakter; paling banyak 500"),
    "kecamatan_nama_bertentangan.csv": (
        "Baris 3, kolom 'kecamatan'",
        "'Meranti' bukan nama kecamatan 12.09.09; harapan: Air Joman atau kosong",
    ),
    "model_tidak_dinilai.csv": ("Baris 2, kolom 'indikator'", "indikator 'volume_layanan' tidak dinilai"),
    "kolom_terlalu_jauh.xlsx": ("Lembar 'observasi', baris 2", "lebih dari 200 kolom; paling banyak 200 kolom"),
    "terlalu_banyak_sel.xlsx": ("Lembar 'observasi', baris 1001", "lebih dari 200.000 sel"),
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, Path]:
    """Committed CSVs plus the generated XLSX and the oversized file."""
    generated = tmp_path_factory.mktemp("xlsx")
    paths = {p.name: p for p in BAD.iterdir() if p.suffix in (".csv", ".xls", ".xlsx")}
    paths.update(make_xlsx.write(generated))
    big = generated / "terlalu_besar.csv"
    line = "12.09.08,2025-06,waktu_tunggu,45,laporan yang sangat panjang " + "x" * 80 + ",\n"
    big.write_text(
        "kode_kecamatan,periode,indikator,nilai,sumber,catatan\n" + line * (ingest.MAX_BYTES // len(line) + 10)
    )
    paths["terlalu_besar.csv"] = big
    return paths


@pytest.fixture
def db(demo_db, tmp_path) -> Path:
    """A private copy of the demo database."""
    path = tmp_path / "tiru.duckdb"
    shutil.copy(demo_db, path)
    return path


def test_the_corpus_has_at_least_30_bad_files_on_disk():
    committed = [p for p in BAD.iterdir() if p.suffix in (".csv", ".xls", ".xlsx")]
    assert len(committed) >= 30
    assert set(p.name for p in committed) <= set(CORPUS)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_bad_file_is_explained_and_nothing_changes(name, corpus, db, monkeypatch, capsys):
    monkeypatch.setenv("TIRU_DB", str(db))
    monkeypatch.setenv("TIRU_DEMO", "1")
    before = db.read_bytes()
    code = main(["import", str(corpus[name]), "--hapus-demo", "--oleh", "uji"])
    err = capsys.readouterr().err
    where, message = CORPUS[name]
    assert code == 1, err
    assert "tidak ada yang disimpan" in err
    lines = [line for line in err.splitlines() if message in line]
    assert lines, f"{message!r} not in:\n{err}"
    if where:
        assert lines[0].startswith(where + ":"), lines[0]
    assert db.read_bytes() == before
    assert not (db.parent / "backups").exists()  # rejected before anything was touched


def test_every_problem_is_listed_not_only_the_first(demo_store):
    plan = ingest.prepare(demo_store, (BAD / "banyak_masalah.csv").read_bytes(), "banyak_masalah.csv")
    texts = [m.teks() for m in plan.masalah]
    assert len(texts) == 5
    assert [m.baris for m in plan.masalah] == [2, 3, 3, 4, 5]
    assert [m.kolom for m in plan.masalah] == ["kode_kecamatan", "periode", "nilai", "indikator", "nilai"]
    report = plan.laporan()
    assert list(report.columns) == ["lembar", "baris", "kolom", "nilai", "masalah"]
    assert report.loc[2, "nilai"] == "abc"


@pytest.mark.parametrize("text, expected", [
    ("12,5", 12.5), ("1.234,5", 1234.5), ("1234.5", 1234.5), ("1234", 1234.0), ("75 %", 75.0), ("75%", 75.0),
    ("1.234.567", 1234567.0), (" 0,25 ", 0.25), (45, 45.0), (45.5, 45.5), ("-3", -3.0),
])
def test_numbers_indonesian_and_plain(text, expected):
    assert ingest.angka(text) == expected


@pytest.mark.parametrize("text", ["12,5,3", "abc", "", None, "1,234.5", "nan", "inf", "1.234", "12.5.3"])
def test_numbers_refused(text):
    with pytest.raises(ingest.BadValue):
        ingest.angka(None if text == "" else text)


def test_three_decimals_follow_the_columns_style():
    assert ingest.angka("1.234", ingest.number_style(["12,5", "1.234"])) == 1234.0
    assert ingest.angka("1.234", ingest.number_style(["64.99074", "1.234"])) == 1.234


def test_periods_between_2020_and_this_month():
    today = dt.date(2026, 5, 15)
    assert ingest.bulan("2026-05", today) == per.parse("2026-05")
    assert ingest.bulan(dt.datetime(2025, 6, 1), today) == per.parse("2025-06")
    for bad in ("2026-06", "2019-12", "2025-00", "06/2025"):
        with pytest.raises(ingest.BadValue):
            ingest.bulan(bad, today)


# ----------------------------------------------------------------- good files


def _csv(text: str) -> bytes:
    return text.encode("utf-8")


def test_encodings_and_separators_are_accepted(demo_store):
    rows = "12.09.08;2025-06;waktu_tunggu;45,5;Laporan Café;\n"
    header = "kode_kecamatan;periode;indikator;nilai;sumber;catatan\n"
    for content, note in [
        ((header + rows).encode("utf-8"), None),
        (b"\xef\xbb\xbf" + (header + rows).encode("utf-8"), "UTF-8 (BOM)"),
        ((header + rows).encode("cp1252"), "Windows-1252"),
        ((header + rows).encode("utf-16"), "UTF-16"),
    ]:
        plan = ingest.prepare(demo_store, content, "x.csv")
        assert plan.ok, plan.masalah
        assert plan.records.iloc[0][["nilai", "sumber"]].tolist() == [45.5, "Laporan Café"]
        assert (note is None and not plan.catatan) or any(note in c for c in plan.catatan)


def test_formula_cells_count_with_their_stored_value(demo_store):
    plan = ingest.prepare(demo_store, make_xlsx.formula_with_cached_value(), "rumus.xlsx")
    assert plan.ok and plan.records["nilai"].tolist() == [45.0]
    assert any("rumus" in c for c in plan.catatan)


def test_text_that_looks_like_a_formula_is_kept_and_neutralised_on_export(db, tmp_path):
    store = Store(db)
    content = _csv("kode_kecamatan,periode,indikator,nilai,sumber,catatan\n"
                   '12.09.08,2025-06,waktu_tunggu,45,"=HYPERLINK(""http://x"")",@SUM(A1)\n')
    plan = ingest.prepare(store, content, "f.csv")
    assert plan.ok and any("disimpan sebagai teks biasa" in c for c in plan.catatan)
    ingest.impor(store, plan, "uji", demo="pertahankan")
    from metrics.data import export

    export.export(store, tmp_path / "out", "csv")
    exported = pd.read_csv(tmp_path / "out" / "observasi.csv", dtype=str)
    row = exported[(exported["kode_kecamatan"] == "12.09.08") & (exported["periode"] == "2025-06")
                   & (exported["indikator"] == "waktu_tunggu")]
    assert row["sumber"].iloc[0] == "'=HYPERLINK(\"http://x\")"
    stored = store.observasi(per.parse("2025-06"), per.parse("2025-06"), "12.09.08").set_index("indikator")
    assert stored.loc["waktu_tunggu", "sumber"] == '=HYPERLINK("http://x")'
    assert stored.loc["waktu_tunggu", "catatan"] == "@SUM(A1)"


def test_wide_template_round_trip(db):
    store = Store(db)
    month = per.parse("2025-06")
    content = templates.build(store, "observasi-lebar", months=[month])
    wb = openpyxl.load_workbook(io.BytesIO(content))
    assert wb["Daftar"].sheet_state == "hidden"
    ws = wb["2025-06"]
    header = [c.value for c in ws[1]]
    assert header[:3] == ["kode_kecamatan", "kecamatan", "waktu_tunggu"]
    rules = {str(v.sqref): v for v in ws.data_validations.dataValidation}
    assert rules["C2:C26"].formula1 == "0" and rules["C2:C26"].formula2 == "600"
    assert rules["A2:A26"].type == "list"
    ws.cell(row=2, column=3, value=33)          # 12.09.08 waktu_tunggu
    ws.cell(row=3, column=header.index("tte") + 1, value="55,5")  # 12.09.09 tte, Indonesian
    buffer = io.BytesIO()
    wb.save(buffer)
    plan = ingest.prepare(store, buffer.getvalue(), "lebar.xlsx")
    assert plan.ok, [m.teks() for m in plan.masalah]
    assert plan.jenis == "observasi"
    assert sorted(plan.records[["kode_kecamatan", "indikator", "nilai"]].values.tolist()) == [
        ["12.09.08", "waktu_tunggu", 33.0], ["12.09.09", "tte", 55.5]]
    result = ingest.impor(store, plan, "uji", demo="pertahankan")
    got = store.observasi(month, month).set_index(["kode_kecamatan", "indikator"])
    assert got.loc[("12.09.08", "waktu_tunggu"), "nilai"] == 33.0
    assert got.loc[("12.09.08", "waktu_tunggu"), "batch"] == result.batch
    assert not got.loc[("12.09.08", "waktu_tunggu"), "demo"]
    assert got.loc[("12.09.10", "waktu_tunggu"), "demo"]  # the kept demo stays labelled per row


@pytest.mark.parametrize("kind", list(templates.KINDS))
def test_every_template_has_dropdowns_and_reads_back_as_its_kind(demo_store, kind):
    content = templates.build(demo_store, kind)
    wb = openpyxl.load_workbook(io.BytesIO(content))
    data = [ws for ws in wb.worksheets if ws.title not in ("Petunjuk", "Daftar")]
    assert data and any(ws.data_validations.dataValidation for ws in data)
    plan = ingest.prepare(demo_store, content, f"{kind}.xlsx")
    expected = "observasi" if kind.startswith("observasi") else kind
    assert plan.jenis == expected
    if kind != "model":  # the model template comes filled with the current values
        assert [m.pesan for m in plan.masalah] == ["berkas tidak berisi satu nilai pun (hanya judul kolom atau "
                                                   "baris kosong)."]
    else:
        assert plan.ok and plan.counts() == {"baru": 0, "berubah": 0, "sama": 12}


def test_operator_template_holds_only_their_kecamatan(demo_store):
    content = templates.build(demo_store, "observasi-lebar", akun={"peran": "operator", "kode_kecamatan": "12.09.19"})
    wb = openpyxl.load_workbook(io.BytesIO(content))
    sheet = [ws for ws in wb.worksheets if ws.title not in ("Petunjuk", "Daftar")][0]
    assert [r[0].value for r in sheet.iter_rows(min_row=2)] == ["12.09.19"]


# ----------------------------------------------------------------- SKM -> IKM


def _responses(kode: str, total: int, n: int = 300, periode: str = "2025-03") -> list[str]:
    """n respondents × 9 answers adding up to `total` (every answer base or base + 1)."""
    answers = n * 9
    base, extra = divmod(total, answers)
    flat = [base + (1 if i < extra else 0) for i in range(answers)]
    return [",".join([kode, periode, f"r{r}", *map(str, flat[r * 9:(r + 1) * 9])]) for r in range(n)]


def test_skm_to_ikm_at_the_category_boundaries(db):
    # IKM = 25 × (sum of answers) / (9 n) with equal 1/9 weights; n = 300 → 2 700 answers.
    #   7 019 → 64,9907… (D, shown 64,99)   7 020 → 65,00 exactly (C)
    #   9 536 → 88,2963… (B, shown 88,30)   9 537 → 88,3056… (A, shown 88,31)
    cases = {"12.09.08": (7019, "D"), "12.09.09": (7020, "C"), "12.09.10": (9536, "B"), "12.09.11": (9537, "A")}
    lines = ["kode_kecamatan,periode,responden," + ",".join(f"u{i}" for i in range(1, 10))]
    for kode, (total, _) in cases.items():
        lines += _responses(kode, total)
    store = Store(db)
    plan = ingest.prepare(store, "\n".join(lines).encode(), "skm.csv")
    assert plan.ok and plan.jenis == "skm"
    result = ingest.impor(store, plan, "uji", demo="pertahankan")
    assert result.baru + result.berubah == 4
    june = per.parse("2025-06")  # the semester's last month
    ikm = store.observasi(june, june).query("indikator == 'ikm'").set_index("kode_kecamatan")
    skm = store.skm().set_index("kode_kecamatan")
    for kode, (total, letter) in cases.items():
        expected = 25 * total / 2700
        assert ikm.loc[kode, "nilai"] == pytest.approx(expected, abs=1e-12)
        assert ikm.loc[kode, "batch"] == result.batch
        assert ikm.loc[kode, "catatan"] == "300 responden"
        assert skm.loc[kode, "mutu"] == letter
        assert skm.loc[kode, "responden"] == 300
    assert round(ikm.loc["12.09.08", "nilai"], 2) == 64.99 and round(ikm.loc["12.09.11", "nilai"], 2) == 88.31


def test_skm_per_unsur_and_small_sample_by_hand(db):
    store = Store(db)
    content = _csv("kode_kecamatan,periode,responden,u1,u2,u3,u4,u5,u6,u7,u8,u9,usia\n"
                   "12.09.12,2024-S2,a,4,3,2,1,4,3,2,1,4,30\n"
                   "12.09.12,2024-11,b,2,3,4,1,2,3,4,1,4,41\n")
    plan = ingest.prepare(store, content, "skm.csv")
    assert plan.ok, plan.masalah
    assert any("hanya 2 responden" in c for c in plan.catatan)
    ingest.impor(store, plan, "uji", demo="pertahankan")
    row = store.skm().set_index("kode_kecamatan").loc["12.09.12"]
    assert [row[f"nrr_u{i}"] for i in range(1, 10)] == [3, 3, 3, 1, 3, 3, 3, 1, 4]
    assert row["ikm"] == pytest.approx(25 * 24 / 9)  # mean NRR 24/9
    assert pd.Timestamp(row["periode"]).strftime("%Y-%m") == "2024-12"
    dec = per.parse("2024-12")
    obs = store.observasi(dec, dec, "12.09.12").set_index("indikator")
    assert obs.loc["ikm", "catatan"] == "2 responden (sampel kecil)"


# ----------------------------------------------------------------- roles inside the engine

OPERATOR = {"nama": "op.meranti", "peran": "operator", "kode_kecamatan": "12.09.08"}
ROWS_TWO = _csv("kode_kecamatan,periode,indikator,nilai\n12.09.08,2025-06,tte,50\n12.09.09,2025-06,tte,51\n")


def test_operator_file_with_another_kecamatan_is_refused_naming_the_rows(db):
    store = Store(db)
    plan = ingest.prepare(store, ROWS_TWO, "dua.csv", akun=OPERATOR)
    assert [m.teks() for m in plan.masalah] == [
        "Baris 3, kolom 'kode_kecamatan': kecamatan 12.09.09 bukan kecamatan akun ini (12.09.08); operator hanya "
        "boleh mengimpor data kecamatannya sendiri. Seluruh berkas ditolak."]


def test_the_engine_rechecks_roles_when_writing(db):
    store = Store(db)
    before = db.read_bytes()
    plan = ingest.prepare(store, ROWS_TWO, "dua.csv")  # validated without an account ...
    with pytest.raises(ingest.Ditolak, match="bukan kecamatan akun ini"):
        ingest.impor(store, plan, "op", demo="pertahankan", akun=OPERATOR)  # ... written as an operator
    with pytest.raises(ingest.Ditolak, match="hanya dapat melihat"):
        ingest.impor(store, plan, "v", demo="pertahankan", akun={"nama": "v", "peran": "viewer"})
    model = ingest.prepare(store, _csv("indikator,nilai,sumber,tanggal\ntte,95,Materi,2024-12-12\n"), "m.csv")
    with pytest.raises(ingest.Ditolak, match="hanya untuk admin"):
        ingest.impor(store, model, "op", akun=OPERATOR)
    own = ingest.prepare(store, _csv("kode_kecamatan,periode,indikator,nilai\n12.09.08,2025-06,tte,50\n"), "own.csv",
                         akun=OPERATOR)
    with pytest.raises(RejectedChange, match="Hanya admin yang dapat menghapus data contoh"):
        ingest.impor(store, own, "op", demo="hapus", akun=OPERATOR)
    assert db.read_bytes() == before
    assert ingest.impor(store, own, "op", demo="pertahankan", akun=OPERATOR).batch


# ----------------------------------------------------------------- batches, revert, demo


def test_revert_restores_exactly_what_was_there(db):
    store = Store(db)
    months = store.periods()
    everything = store.observasi(months[0], months[-1])
    first = ingest.impor(store, ingest.prepare(store, ROWS_TWO, "a.csv"), "uji", demo="pertahankan")
    second = ingest.impor(store, ingest.prepare(store, ROWS_TWO.replace(b"tte,50", b"tte,70"), "b.csv"), "uji",
                          demo="pertahankan")
    assert (second.baru, second.berubah, second.sama) == (0, 1, 1)
    june = per.parse("2025-06")
    assert store.observasi(june, june, "12.09.08").set_index("indikator").loc["tte", "nilai"] == 70
    store.revert(second.batch, "admin", "salah ketik")
    assert store.observasi(june, june, "12.09.08").set_index("indikator").loc["tte", "nilai"] == 50
    store.revert(first.batch, "admin", "uji")
    pd.testing.assert_frame_equal(store.observasi(months[0], months[-1]), everything)
    batches = store.batches().set_index("id")
    assert batches.loc[second.batch, "dibatalkan_oleh"] == "admin"
    assert batches.loc[second.batch, "alasan_batal"] == "salah ketik"
    assert (batches.loc[first.batch, ["baru", "berubah", "sama"]] == [0, 2, 0]).all()  # both overrode demo values
    with pytest.raises(RejectedChange, match="sudah dibatalkan"):
        store.revert(first.batch, "admin")
    with pytest.raises(RejectedChange, match="DATA CONTOH"):
        store.revert(batches.index[batches["demo"]][0], "admin")


def test_importing_twice_changes_nothing_the_second_time(db):
    store = Store(db)
    plan = ingest.prepare(store, ROWS_TWO, "a.csv")
    assert ingest.impor(store, plan, "uji", demo="pertahankan").batch
    count, before = len(store.batches()), db.read_bytes()
    again = ingest.impor(store, ingest.prepare(store, ROWS_TWO, "a.csv"), "uji")  # no demo decision needed
    assert again.batch is None and (again.baru, again.berubah, again.sama) == (0, 0, 2)
    assert again.teks().startswith("Tidak ada perubahan")
    assert len(store.batches()) == count and db.read_bytes() == before


def test_demo_must_be_decided_and_removal_survives_rebuilds(small_data_dir, tmp_path):
    db = build(tmp_path / "t.duckdb", small_data_dir)
    store = Store(db)
    content = _csv("kode_kecamatan,periode,indikator,nilai\n12.09.08,2025-06,tte,50\n")
    with pytest.raises(ingest.DemoBelumDiputuskan, match="--hapus-demo.*--dengan-demo"):
        ingest.impor(store, ingest.prepare(store, content, "a.csv"), "uji")
    result = ingest.impor(store, ingest.prepare(store, content, "a.csv"), "uji", demo="hapus", data_dir=small_data_dir)
    assert result.demo_dihapus == 4 + 2 + 1 + 1
    assert not store.has_demo() and store.target().empty and store.adopsi().empty
    assert "demo_dihapus" in store.meta()
    identity = db.stat().st_ino
    ensure_built(db, small_data_dir, with_demo=True)
    assert db.stat().st_ino == identity  # no needless rebuild after the removal
    demo_file = small_data_dir / "demo" / "observasi.csv"
    demo_file.write_text(demo_file.read_text() + "12.09.10,2026-09,waktu_tunggu,30,uji,\n")
    ensure_built(db, small_data_dir, with_demo=True)
    assert db.stat().st_ino == identity  # the demo files no longer matter
    schema = small_data_dir / "schema.sql"
    schema.write_text(schema.read_text() + "\n-- changed\n")
    ensure_built(db, small_data_dir, with_demo=True)  # sources changed: rebuilt, still without demo
    assert db.stat().st_ino != identity
    assert not store.has_demo()
    june = per.parse("2025-06")
    assert store.observasi(june, june)[["kode_kecamatan", "nilai", "demo"]].values.tolist() == [
        ["12.09.08", 50.0, False]
    ]
    assert "demo_dihapus" in store.meta()
    identity = db.stat().st_ino
    ensure_built(db, small_data_dir, with_demo=True)
    assert db.stat().st_ino == identity


def test_adoption_and_target_imports_can_be_reverted(db):
    store = Store(db)
    events_before = store.adopsi()
    targets_before = store.target()
    adopsi = _csv("kode_kecamatan,inovasi,tahap,tanggal,bukti,oleh\n12.09.08,tte,2,2025-03-01,SK Camat,\n")
    result = ingest.impor(store, ingest.prepare(store, adopsi, "a.csv"), "Operator X", demo="pertahankan")
    added = store.adopsi().iloc[-1]
    assert added[["kode_kecamatan", "inovasi", "tahap", "oleh", "batch"]].tolist() == [
        "12.09.08", "tte", 2, "Operator X", result.batch]
    target = _csv("inovasi,tahap,tanggal,kode_kecamatan\nantrean_digital,3,2027-06-30,\n")
    t = ingest.impor(store, ingest.prepare(store, target, "t.csv"), "admin", demo="pertahankan")
    assert (t.baru, t.berubah) == (0, 1)
    assert store.target().set_index(["inovasi", "tahap"]).loc[("antrean_digital", 3), "tanggal"].strftime(
        "%Y-%m-%d") == "2027-06-30"
    store.revert(t.batch, "admin")
    store.revert(result.batch, "admin")
    pd.testing.assert_frame_equal(store.target(), targets_before)
    pd.testing.assert_frame_equal(store.adopsi(), events_before)


def test_model_import_and_catalogue_edits_are_versioned(db):
    store = Store(db)
    model = _csv("indikator,nilai,sumber,tanggal\ntte,95,Materi studi tiru hlm. 4,2024-12-12\n")
    result = ingest.impor(store, ingest.prepare(store, model, "m.csv"), "admin", demo="pertahankan")
    assert store.indikator().loc["tte", ["model", "model_sumber"]].tolist() == [95.0, "Materi studi tiru hlm. 4"]
    admin = {"nama": "admin", "peran": "admin"}
    ingest.edit_catalogue(store, "model", "tte", 92, "admin", akun=admin, sumber="Rapat", tanggal=dt.date(2025, 1, 2))
    ingest.edit_catalogue(store, "lantai", "waktu_tunggu", 100, "admin", akun=admin)
    bobot = ingest.edit_catalogue(store, "bobot", "kepuasan", 0.4, "admin", akun=admin)
    assert store.indikator().loc["tte", "model"] == 92 and store.indikator().loc["waktu_tunggu", "lantai"] == 100
    assert store.pilar().loc["kepuasan", "bobot"] == 0.4
    store.revert(bobot, "admin")
    assert store.pilar().loc["kepuasan", "bobot"] == 0.2
    edits = store.catalogue_edits()
    assert len(edits) == 4 and edits["dibatalkan"].sum() == 1
    with pytest.raises(RejectedChange, match="lebih rendah daripada lantai"):
        ingest.edit_catalogue(store, "model", "waktu_tunggu", 130, "admin", akun=admin, sumber="x")
    with pytest.raises(RejectedChange, match="lebih tinggi daripada lantai"):
        ingest.edit_catalogue(store, "lantai", "tte", 99, "admin", akun=admin)
    with pytest.raises(RejectedChange, match="Hanya admin"):
        ingest.edit_catalogue(store, "bobot", "kepuasan", 1, "op", akun=OPERATOR)
    assert result.batch in set(store.batches()["id"])


# ----------------------------------------------------------------- issue #12: hostile and careless files


def test_an_unclosed_quote_does_not_swallow_the_rows_after_it(demo_store):
    plan = ingest.prepare(demo_store, (BAD / "kutip_tak_tertutup.csv").read_bytes(), "kutip.csv")
    assert not plan.ok and plan.records.empty
    assert [(m.baris, m.kolom) for m in plan.masalah] == [(2, None)]


def test_rows_are_numbered_where_they_start_when_a_quoted_cell_spans_lines(demo_store):
    content = _csv('kode_kecamatan,periode,indikator,nilai,sumber,catatan\n'
                   '12.09.08,2025-06,tte,50,"laporan\ndua baris",\n12.09.09,2025-06,tte,xx,laporan,\n')
    plan = ingest.prepare(demo_store, content, "x.csv")
    assert [(m.baris, m.kolom) for m in plan.masalah] == [(4, "nilai")]


class _CountingName(str):
    """A header name that counts how often it is compared for equality."""

    compared = 0

    def __eq__(self, other):
        _CountingName.compared += 1
        return str.__eq__(self, other)

    __hash__ = str.__hash__


def test_the_duplicate_header_check_is_linear_in_the_number_of_columns(demo_store):
    from metrics.ingest import checks, readers

    names = [_CountingName(f"x{i}") for i in range(3000)] + [_CountingName("x7")]
    table = readers.Tabel(None, names, [])
    ctx = checks.CheckContext(demo_store, dt.date.today(), demo_store.kecamatan(), demo_store.indikator(), [])
    _CountingName.compared = 0
    checks.check_header(ctx, table, ["kode_kecamatan"], ["sumber"])
    assert [m.kolom for m in ctx.problems if "lebih dari sekali" in m.pesan] == ["x7"]
    assert _CountingName.compared < 40 * len(names)  # a quadratic check compares ~9 000 000 times


def test_csv_cell_limit_is_checked_while_reading(demo_store):
    header = ",".join(f"k{i}" for i in range(ingest.MAX_COLUMNS)) + "\n"
    row = ",".join(["1"] * ingest.MAX_COLUMNS) + "\n"
    rows = ingest.MAX_CELLS // ingest.MAX_COLUMNS
    plan = ingest.prepare(demo_store, _csv(header + row * rows), "sel.csv")
    assert not plan.ok and "lebih dari 200.000 sel" in plan.masalah[0].pesan and plan.masalah[0].baris == rows + 1


def test_a_formatted_empty_cell_far_below_does_not_count_as_rows(demo_store):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "observasi"
    ws.append(["kode_kecamatan", "periode", "indikator", "nilai", "sumber", "catatan"])
    ws.append(["12.09.08", "2025-06", "tte", 50, "laporan", None])
    ws.cell(30_000, 1).number_format = "0.00"
    ws.cell(30_000, 300).number_format = "0.00"
    buffer = io.BytesIO()
    wb.save(buffer)
    plan = ingest.prepare(demo_store, buffer.getvalue(), "berformat.xlsx")
    assert plan.ok, [m.teks() for m in plan.masalah]
    assert plan.baris == 1


def test_more_data_rows_than_the_limit_in_a_sheet_are_refused(demo_store):
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("observasi")
    ws.append(["kode_kecamatan", "periode", "indikator", "nilai"])
    for _ in range(ingest.MAX_ROWS + 1):
        ws.append(["12.09.08", "2025-06", "tte", 50])
    buffer = io.BytesIO()
    wb.save(buffer)
    plan = ingest.prepare(demo_store, buffer.getvalue(), "panjang.xlsx")
    assert [m.teks() for m in plan.masalah] == [
        "Lembar 'observasi', baris 20002: berkas berisi lebih dari 20.000 baris data; pecah menjadi beberapa berkas."]


def test_only_ascii_digits_are_numbers_months_and_dates():
    for text in ["５０", "٥٠", "۵۰", "१२"]:
        with pytest.raises(ingest.BadValue, match="selain 0–9"):
            ingest.angka(text)
    with pytest.raises(ingest.BadValue):
        ingest.bulan("２０２５-０６", dt.date(2026, 1, 1))
    with pytest.raises(ingest.BadValue):
        ingest.tanggal("٢٠٢٥-٠١-٠٢", dt.date(2026, 1, 1))


def test_text_longer_than_500_characters_is_refused_in_every_kind(demo_store):
    long = "x" * 100_000
    files = {
        "observasi": f"kode_kecamatan,periode,indikator,nilai,sumber\n12.09.08,2025-06,tte,50,{long}\n",
        "adopsi": f"kode_kecamatan,inovasi,tahap,tanggal,bukti,oleh\n12.09.08,tte,2,2025-01-02,{long},x\n",
        "model": f"indikator,nilai,sumber,tanggal\ntte,95,{long},2024-12-12\n",
    }
    for kind, text in files.items():
        plan = ingest.prepare(demo_store, _csv(text), "x.csv", kind)
        assert [m.teks() for m in plan.masalah if "karakter" in m.pesan] == [
            f"Baris 2, kolom '{'sumber' if kind != 'adopsi' else 'bukti'}': "
            "teks 100000 karakter; paling banyak 500 karakter diterima. Persingkat teksnya."], kind
    plan = ingest.prepare(demo_store, _csv(f"kode_kecamatan,periode,indikator,nilai,sumber\n"
                                           f"12.09.08,2025-06,tte,50,{'y' * 500}\n"), "x.csv")
    assert plan.ok


def test_the_kecamatan_name_must_match_its_code_or_be_empty(demo_store):
    text = ("kode_kecamatan,kecamatan,periode,indikator,nilai\n12.09.08,  MERANTI ,2025-06,tte,50\n"
            "12.09.09,,2025-06,tte,50\n12.09.10,Meranti,2025-06,tte,50\n")
    plan = ingest.prepare(demo_store, _csv(text), "x.csv")
    assert [(m.baris, m.kolom) for m in plan.masalah] == [(4, "kecamatan")]
    assert "bukan nama kecamatan 12.09.10" in plan.masalah[0].pesan


def test_model_values_only_for_scored_indicators_in_files_and_the_editor(db):
    store = Store(db)
    plan = ingest.prepare(store, (BAD / "model_tidak_dinilai.csv").read_bytes(), "m.csv")
    assert not plan.ok
    with pytest.raises(RejectedChange) as refused:
        ingest.edit_catalogue(store, "model", "volume_layanan", 900, "admin", akun={"nama": "admin", "peran": "admin"},
                              sumber="x")
    assert plan.masalah[0].pesan in str(refused.value).lower()


def test_the_audit_name_is_the_signed_in_account_and_the_note_is_kept(db):
    store = Store(db)
    plan = ingest.prepare(store, _csv("kode_kecamatan,periode,indikator,nilai\n12.09.08,2025-06,tte,50\n"), "x.csv",
                          akun=OPERATOR)
    result = ingest.impor(store, plan, "admin.organisasi", demo="pertahankan", akun=OPERATOR,
                          catatan="koreksi dari camat")
    batch = store.batches().set_index("id").loc[result.batch]
    assert batch["oleh"] == OPERATOR["nama"]
    assert "koreksi dari camat" in batch["catatan"]
    with pytest.raises(RejectedChange, match="500"):
        ingest.impor(store, plan, "x", demo="pertahankan", akun=OPERATOR, catatan="z" * 501)


# ----------------------------------------------------------------- English (?bahasa=en, tiru --bahasa en)

# file -> (location, message fragment), read in English: the same precision as in Indonesian
CORPUS_EN = {
    "kecamatan_tak_dikenal.csv": (
        "Row 3, column 'kode_kecamatan'",
        "'12.09.99' is not a known kecamatan code (expected: a Kemendagri code such as 12.09.08).",
    ),
    "kecamatan_nama_bukan_kode.csv": ("Row 2, column 'kode_kecamatan'", "Write its code: 12.09.08 (Meranti)."),
    "indikator_salah_eja.csv": (
        "Row 2, column 'indikator'",
        "indicator 'waktu_tungu' is not in the catalogue. Did you mean waktu_tunggu",
    ),
    "periode_bulan_13.csv": (
        "Row 2, column 'periode'",
        "'2025-13' is not a valid month; expected: YYYY-MM, e.g. 2025-06",
    ),
    "periode_masa_depan.csv": ("Row 2, column 'periode'", "'2099-01' is in the future; the latest period accepted is"),
    "nilai_teks.csv": (
        "Row 2, column 'nilai'",
        "'abc' is not a number; expected: a number such as 12,5 or 1.234,5 or 1234.5",
    ),
    "persen_di_atas_100.csv": ("Row 2, column 'nilai'", "120 is outside the range of tte (%): expected 0–100."),
    "waktu_negatif.csv": (
        "Row 2, column 'nilai'",
        "-5 is outside the range of waktu_tunggu (minutes): expected 0–600.",
    ),
    "baris_bertentangan.csv": (
        "Row 3, column 'nilai'",
        "conflicts with row 2: 12.09.08, 2025-06, waktu_tunggu is 45 there and 50 here",
    ),
    "judul_salah_eja.csv": ("Column 'peroide'", "column header 'peroide' is not recognised. Did you mean 'periode'?"),
    "skm_jawaban_5.csv": ("Row 2, column 'u3'", "'5' must be a whole number 1–4"),
    "adopsi_kecamatan_cimahi.csv": (
        "Row 2, column 'kode_kecamatan'",
        "'32.77.02' is not a known kecamatan code of Kabupaten Asahan",
    ),
    "xls_lama.xls": (None, "The old Excel format (.xls) is not accepted"),
    "lembar_salah.xlsx": (
        "Sheet 'Sheet2'",
        "sheet 'Sheet2' is not named after a month: in the wide template every sheet is named YYYY-MM",
    ),
    "rumus_tanpa_nilai.xlsx": ("Sheet 'observasi', row 2", "cell D2 holds a formula without a stored value"),
    "lebar_di_luar_rentang.xlsx": (
        "Sheet '2025-07', row 2, column 'tepat_waktu'",
        "130 is outside the range of tepat_waktu (%): expected 0–100",
    ),
    "lebar_judul_salah.xlsx": ("Sheet '2025-06', row 1, column 'tte_x'", "is not an indicator code. Did you mean tte?"),
}


@pytest.mark.parametrize("name", sorted(CORPUS_EN))
def test_bad_files_are_explained_in_english_naming_sheet_row_and_column(name, corpus, demo_store):
    with bahasa.dalam("en"):
        plan = ingest.prepare(demo_store, corpus[name].read_bytes(), name)
        texts = [m.teks() for m in plan.masalah]
        rejected = str(ingest.Ditolak(plan.masalah))
    where, message = CORPUS_EN[name]
    lines = [text for text in texts if message in text]
    assert lines, f"{message!r} not in {texts}"
    if where:
        assert lines[0].startswith(where + ":"), lines[0]
    assert rejected.startswith(f"File rejected, nothing was saved ({len(texts)} problem(s)):\n")
    # the same problems, the same places, in Indonesian
    indonesian = ingest.prepare(demo_store, corpus[name].read_bytes(), name)
    assert [(m.lembar, m.baris, m.kolom) for m in indonesian.masalah] == [(m.lembar, m.baris, m.kolom)
                                                                          for m in plan.masalah]
    assert [m.pesan for m in indonesian.masalah] != [m.pesan for m in plan.masalah]


def test_english_messages_write_numbers_and_units_the_english_way(demo_store):
    content = _csv("kode_kecamatan,periode,indikator,nilai\n12.09.08,2025-06,waktu_tunggu,\"1.234,5\"\n")
    with bahasa.dalam("en"):
        shown = formatting.angka(1234.5)
        [problem] = ingest.prepare(demo_store, content, "waktu.csv").masalah
        assert problem.teks() == (f"Row 2, column 'nilai': {shown} is outside the range of waktu_tunggu (minutes): "
                                  "expected 0–600.")
    assert shown == "1,234.5"
    assert problem.nilai == "1,234.5"
    [problem] = ingest.prepare(demo_store, content, "waktu.csv").masalah
    assert problem.teks() == "Baris 2, kolom 'nilai': 1.234,5 di luar rentang waktu_tunggu (menit): harapan 0–600."


def test_english_results_roles_and_catalogue_edits(db):
    store = Store(db)
    admin = {"nama": "admin", "peran": "admin"}
    with bahasa.dalam("en"):
        plan = ingest.prepare(store, ROWS_TWO, "dua.csv", akun=OPERATOR)
        assert [m.teks() for m in plan.masalah] == [
            "Row 3, column 'kode_kecamatan': kecamatan 12.09.09 is not this account's kecamatan (12.09.08); operators "
            "may only import data of their own kecamatan. The whole file is rejected."]
        plan = ingest.prepare(store, ROWS_TWO, "dua.csv")
        with pytest.raises(ingest.DemoBelumDiputuskan, match="still holds DEMO DATA. Decide first: --hapus-demo"):
            ingest.impor(store, plan, "admin")
        result = ingest.impor(store, plan, "admin", demo="pertahankan")
        assert result.teks() == f"Imported as batch {result.batch}: 0 new, 2 changed, 0 unchanged."
        again = ingest.impor(store, ingest.prepare(store, ROWS_TWO, "dua.csv"), "admin", demo="pertahankan")
        assert again.teks() == "No changes: 0 new, 0 changed, 2 unchanged. No new batch."
        with pytest.raises(RejectedChange) as too_high:
            ingest.edit_catalogue(store, "lantai", "waktu_tunggu", 1000, "admin", akun=admin)
        assert str(too_high.value) == f"{formatting.angka(1000, 0)} is outside the range of waktu_tunggu: 0–600."
        with pytest.raises(RejectedChange, match="must be lower than the floor 120 \\(lower is better\\)"):
            ingest.edit_catalogue(store, "model", "waktu_tunggu", 130, "admin", akun=admin, sumber="x")
        batch = ingest.edit_catalogue(store, "model", "tte", 92.5, "admin", akun=admin, sumber="Rapat")
    assert str(too_high.value).startswith("1,000 ")
    # what is stored for the audit stays Indonesian whatever the interface language
    assert store.batches().set_index("id").loc[batch, "catatan"] == "model tte → 92,5"


def test_english_templates_keep_sheet_names_and_headers_and_import_the_same(demo_store):
    with bahasa.dalam("en"):
        english = templates.build(demo_store, "adopsi")
        plan = ingest.prepare(demo_store, english, "adopsi.xlsx")
        label = templates.label("adopsi")
    wb = openpyxl.load_workbook(io.BytesIO(english))
    assert wb.sheetnames == ["Petunjuk", "adopsi", "Daftar"]
    assert [c.value for c in wb["adopsi"][1]] == ["kode_kecamatan", "inovasi", "tahap", "tanggal", "bukti", "oleh"]
    notes = {row[0].value: row[1].value for row in wb["Petunjuk"].iter_rows()}
    assert notes["Tiru template"] == label == "Innovation adoption events"
    assert notes["How to fill it in"].startswith("Fill in the data sheet from row 2")
    assert notes["waktu_tunggu"] == "Average waiting time before service: 0–600 (minutes, monthly)"
    prompts = {str(v.sqref): v for v in wb["adopsi"].data_validations.dataValidation}
    assert prompts["C2:C501"].prompt == "0 Not started · 1 Planned · 2 Pilot · 3 Running · 4 Institutionalised"
    assert prompts["A2:A501"].error == "Choose from the list."
    assert plan.jenis == "adopsi" and [m.pesan for m in plan.masalah] == [
        "the file holds no values at all (only column headers or empty rows)."]
    indonesian = openpyxl.load_workbook(io.BytesIO(templates.build(demo_store, "adopsi")))
    assert indonesian.sheetnames == wb.sheetnames
    assert indonesian["Petunjuk"]["A1"].value == "Templat Tiru"
    assert [c.value for c in indonesian["adopsi"][1]] == [c.value for c in wb["adopsi"][1]]
