"""The monthly brief for the Sekda and the Bupati: findings from the engine's numbers, a 2–4 page
A4 PDF, DATA CONTOH on every page, English, sparse months; `tiru laporan`; the Ringkasan button."""

import dataclasses

import pandas as pd
import pytest
from pypdf import PdfReader

from metrics.core import bahasa, formatting
from metrics.core import periode as per
from metrics.data.build import build
from metrics.data.store import Store
from metrics.engine import adopsi, benchmark
from metrics.ops import cli
from metrics.ops.cli import main
from metrics.reports import deck_spec, laporan_bulanan as laporan


@pytest.fixture(scope="module")
def inputs(demo_store):
    return deck_spec.gather(demo_store, demo_store.latest_period())


@pytest.fixture(scope="module")
def brief(inputs):
    return laporan.brief(inputs)


def pdf_pages(data: bytes, tmp_path, name="laporan.pdf") -> list[str]:
    path = tmp_path / name
    path.write_bytes(data)
    return [" ".join(page.extract_text().split()) for page in PdfReader(str(path)).pages]


# --------------------------------------------------------------------------- findings = the engine's numbers


def test_movers_are_the_largest_changes_among_kecamatan_ranked_in_both_months(demo_store, inputs, brief):
    periode = inputs.periode
    history = benchmark.composite_history(demo_store, periode - 1, periode)
    now = history[(history["periode"] == periode) & history["diperingkat"]].set_index("kode_kecamatan")["skor"]
    before = history[(history["periode"] == periode - 1) & history["diperingkat"]].set_index("kode_kecamatan")["skor"]
    # only kecamatan ranked in both months; the change of the shown Indeks (#19), as on every page
    change = (now.round(1) - before.round(1)).round(1).dropna()
    gerak = brief.finding("gerak")
    up, down = gerak.data["naik"], gerak.data["turun"]
    assert up.iloc[0]["kode_kecamatan"] == change.sort_index().idxmax()
    assert up.iloc[0]["perubahan"] == pytest.approx(change.max())
    assert down.iloc[0]["kode_kecamatan"] == change.sort_index().idxmin()
    assert list(up["perubahan"]) == sorted(up["perubahan"], reverse=True) and (up["perubahan"] > 0).all()
    assert set(gerak.data["keluar"]) == set(before.index) - set(now.index)
    assert not set(gerak.data["keluar"]) & (set(up["kode_kecamatan"]) | set(down["kode_kecamatan"]))
    names = inputs.kecamatan.set_index("kode")["nama"]
    assert gerak.headline == f"{(change > 0).sum()} kecamatan naik dan {(change < 0).sum()} turun"
    top = names[change.sort_index().idxmax()]
    assert gerak.sentences[1].startswith(f"Naik terbesar: {top} (+{formatting.angka(change.max(), 1)};")
    for kode in gerak.data["keluar"]:  # named as leaving, not as falling
        assert names[kode] in next(s for s in gerak.sentences if s.startswith("Keluar peringkat"))


def test_the_kabupaten_position_is_the_median_of_the_ranked(demo_store, inputs, brief):
    history = benchmark.composite_history(demo_store, demo_store.periods()[0], inputs.periode)
    median = benchmark.kabupaten_series(history).set_index("periode").loc[inputs.periode, "median"]
    posisi = brief.finding("posisi")
    assert posisi.data["median"] == pytest.approx(median)
    shown = formatting.angka(median, 1)
    assert (
        posisi.headline
        == f"Median Indeks Tiru {shown} dari 100, jarak {formatting.angka(100 - median, 1)} poin ke model"
    )
    assert brief.metrics[0].value == shown
    ranked = inputs.table[inputs.table["diperingkat"]]
    best = ranked.loc[ranked["skor"].idxmax()]
    assert f"tertinggi {best['kecamatan']} ({formatting.angka(best['skor'], 1)})" in posisi.sentences[2]
    bands = benchmark.band_counts(inputs.table).set_index("pita")["jumlah"]
    assert f"{bands['80–100']} kecamatan 80–100" in " ".join(posisi.sentences)


def test_late_reporters_and_late_targets_are_the_engines(demo_store, inputs, brief):
    status = inputs.status
    silent = status[status["dilaporkan"] == 0]
    assert list(brief.finding("laporan").data["diam"]["kode"]) == list(silent.sort_values(["terakhir", "kode"])["kode"])
    assert brief.metrics[3].value == str(len(silent))
    codes = list(inputs.kecamatan["kode"])
    late = adopsi.late(demo_store.adopsi(), demo_store.target(), codes, per.month_end(inputs.periode))
    assert len(brief.finding("inovasi").data["terlambat"]) == len(late) > 0
    assert brief.metrics[4].value == str(late["kode_kecamatan"].nunique())
    # the first decision: the target with the most late kecamatan, with their number and the longest delay
    worst = late.groupby(["inovasi", "tahap", "tanggal"]).agg(n=("kode_kecamatan", "size"),
                                                               hari=("hari_terlambat", "max"))
    worst = worst.sort_values("n", ascending=False, kind="stable").iloc[0]
    first = brief.finding("putuskan").sentences[0]
    assert first.startswith(f"Minta rencana kejar dan tetapkan tenggat baru bagi {worst['n']} kecamatan")
    assert f"terlambat hingga {worst['hari']} hari" in first
    for nama in silent["nama"]:
        assert any(nama in d for d in brief.finding("putuskan").sentences)


# --------------------------------------------------------------------------- the PDF


def test_pdf_is_two_to_four_a4_pages_with_data_contoh_on_every_page(inputs, brief, tmp_path):
    texts = pdf_pages(laporan.to_bytes(inputs), tmp_path)
    assert 2 <= len(texts) <= 4
    reader = PdfReader(str(tmp_path / "laporan.pdf"))
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages} == {(595, 842)}
    month = formatting.bulan(inputs.periode)
    for i, text in enumerate(texts, start=1):
        assert "DATA CONTOH" in text and month in text and f"halaman {i}" in text, i
    first = texts[0]
    assert "Yang perlu diputuskan" in first and brief.metrics[0].value in first
    top = inputs.kecamatan.set_index("kode")["nama"][brief.finding("gerak").data["naik"].iloc[0]["kode_kecamatan"]]
    assert top in first
    whole = " ".join(texts)
    for heading in ("Posisi kabupaten terhadap model", "Siapa bergerak", "Laporan bulanan kecamatan",
                    "Target adopsi inovasi", "Sumber dan cara membaca", "Nilai model (= 100)"):
        assert heading in whole, heading
    assert reader.metadata.title == f"Layanan kecamatan Asahan · {month}"


def test_english_brief_is_in_english(inputs, tmp_path):
    with bahasa.dalam("en"):
        texts = pdf_pages(laporan.to_bytes(inputs), tmp_path, "brief.pdf")
        month = formatting.bulan(inputs.periode)
        median = formatting.angka(laporan.brief(inputs).finding("posisi").data["median"], 1)
    assert 2 <= len(texts) <= 4
    for i, text in enumerate(texts, start=1):
        assert "DEMO DATA" in text and f"page {i}" in text
    whole = " ".join(texts)
    assert month in whole and "." in median and median in texts[0]
    for english in (
        "What to decide",
        "This month in brief",
        "Who moved",
        "Where the kabupaten stands against the model",
        "Sources and how to read this brief",
    ):
        assert english in whole, english
    for indonesian in ("DATA CONTOH", "Yang perlu diputuskan", "halaman", "Pokok bulan ini", "kecamatan naik",
                       "terlambat", "Tenggat", "Sumber"):
        assert indonesian not in whole, indonesian


# --------------------------------------------------------------------------- sparse months


@pytest.fixture
def sparse(small_data_dir, tmp_path):
    """Two kecamatan with one indicator each: nobody ranked; one innovation target, one adopter."""
    return Store(build(tmp_path / "sparse.duckdb", small_data_dir, with_demo=True))


def test_a_month_where_nobody_is_ranked_reads_plainly(sparse, tmp_path):
    inputs = deck_spec.gather(sparse, per.parse("2026-09"))
    report = laporan.brief(inputs)
    assert report.finding("posisi").headline == "Belum ada kecamatan yang diperingkat pada September 2026"
    assert report.finding("posisi").data["median"] is None and report.metrics[0].value == formatting.MISSING
    assert report.finding("gerak").headline == "Pergerakan belum dapat dibandingkan"
    assert "Belum pernah melapor sama sekali (23)" in " ".join(report.finding("laporan").sentences)
    texts = pdf_pages(laporan.to_bytes(inputs), tmp_path)
    assert 2 <= len(texts) <= 4 and all("DATA CONTOH" in text for text in texts)


def test_no_targets_and_a_single_kecamatan(demo_store, inputs, tmp_path):
    one = inputs.table[inputs.table["diperingkat"]].head(1)
    kode = one["kode_kecamatan"].iloc[0]
    single = dataclasses.replace(
        inputs,
        targets=inputs.targets.iloc[0:0],
        table=one,
        kecamatan=inputs.kecamatan[inputs.kecamatan["kode"] == kode],
        status=inputs.status[inputs.status["kode"] == kode],
        card=inputs.card[inputs.card["kode_kecamatan"] == kode],
        history=inputs.history[inputs.history["kode_kecamatan"] == kode],
    )
    report = laporan.brief(single)
    assert report.finding("inovasi").headline == "Belum ada target adopsi inovasi"
    nama = one["kecamatan"].iloc[0]
    assert f"Hanya satu kecamatan yang diperingkat: {nama}" in " ".join(report.finding("posisi").sentences)
    assert 2 <= len(pdf_pages(laporan.to_bytes(single), tmp_path)) <= 4


# --------------------------------------------------------------------------- tiru laporan


def test_tiru_laporan_writes_the_brief(demo_db, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("TIRU_DB", str(demo_db))
    out = tmp_path / "laporan.pdf"
    assert main(["laporan", "--periode", "2026-09", str(out)]) == 0
    texts = [page.extract_text() for page in PdfReader(str(out)).pages]
    assert 2 <= len(texts) <= 4 and all("September 2026" in text for text in texts)
    assert "Ditulis" in capsys.readouterr().err
    english = tmp_path / "brief.pdf"
    assert main(["--bahasa", "en", "laporan", "--periode", "2026-09", str(english)]) == 0
    assert "What to decide" in PdfReader(str(english)).pages[0].extract_text()


@pytest.mark.parametrize("args, message", [
    (["laporan", "--periode", "2031-01"], "Tidak ada data untuk periode"),
    (["laporan", "--periode", "juni"], "tidak dikenali"),
])
def test_tiru_laporan_rejects_bad_periods_with_exit_1(demo_db, monkeypatch, tmp_path, capsys, args, message):
    monkeypatch.setenv("TIRU_DB", str(demo_db))
    out = tmp_path / "x.pdf"
    assert main(args + [str(out)]) == 1
    assert message in capsys.readouterr().err and not out.exists()


def test_tiru_laporan_usage_and_empty_database(empty_db, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("TIRU_DB", str(empty_db))
    monkeypatch.setenv("TIRU_DEMO", "0")
    with pytest.raises(SystemExit) as exit_info:
        main(["laporan"])
    assert exit_info.value.code == 2
    assert main(["laporan", str(tmp_path / "x.pdf")]) == 1
    assert "belum berisi observasi" in capsys.readouterr().err and not (tmp_path / "x.pdf").exists()


def test_a_month_with_nothing_at_all_is_rejected_with_a_reason(small_data_dir, monkeypatch, tmp_path, capsys):
    observasi = small_data_dir / "demo" / "observasi.csv"
    observasi.write_text(observasi.read_text() + "12.09.08,2026-03,waktu_tunggu,70,uji,\n", encoding="utf-8")
    db = build(tmp_path / "gap.duckdb", small_data_dir, with_demo=True)
    monkeypatch.setattr(cli, "ensure_built", lambda: db)  # keep the hand-made data (not rebuilt from data/)
    out = tmp_path / "x.pdf"
    assert main(["laporan", "--periode", "2026-05", str(out)]) == 1  # monthly values are valid one month only
    err = capsys.readouterr().err
    assert "Tidak ada data layanan kecamatan Asahan yang berlaku untuk Mei 2026" in err and "Traceback" not in err
    assert not out.exists()
    assert main(["laporan", "--periode", "2026-03", str(out)]) == 0


# --------------------------------------------------------------------------- Ringkasan's button


def test_ringkasan_offers_the_brief_in_the_pages_language(demo_db, demo_store, use_db):
    from page_support import open_page

    at = open_page(demo_db, use_db, "pages/ikhtisar_kabupaten.py", bahasa="en")
    assert not at.exception
    month = pd.Timestamp(per.month_end(demo_store.latest_period()))
    (button,) = [d for d in at.get("download_button") if "monthly brief" in d.label]
    assert button.label == f"Download the monthly brief for {month:%B %Y} (PDF)"
