"""The rapor: one A4 PDF page per kecamatan with the engine's numbers; `tiru rapor`."""

import pandas as pd
import pytest
from pypdf import PdfReader

from metrics.core import bahasa, formatting
from metrics.engine import benchmark
from metrics.ops.cli import main
from metrics.reports import deck_spec, rapor


@pytest.fixture(scope="module")
def inputs(demo_store):
    return deck_spec.gather(demo_store, demo_store.latest_period())


def pages(data: bytes, tmp_path) -> list[str]:
    path = tmp_path / "rapor.pdf"
    path.write_bytes(data)
    return [" ".join(page.extract_text().split()) for page in PdfReader(str(path)).pages]


def test_one_kecamatan_is_one_a4_page_with_its_numbers(demo_store, inputs, tmp_path):
    (text,) = pages(rapor.to_bytes(inputs, ["12.09.19"]), tmp_path)
    reader = PdfReader(str(tmp_path / "rapor.pdf"))
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 portrait in points
    table = benchmark.league_table(demo_store, inputs.periode).set_index("kode_kecamatan")
    row = table.loc["12.09.19"]
    assert "Kota Kisaran Barat" in text and "DATA CONTOH" in text
    assert f"{int(row['peringkat'])} dari {int(table['diperingkat'].sum())}" in text
    assert f"{int(row['peringkat_min'])}–{int(row['peringkat_max'])}" in text
    assert formatting.angka(row["skor"], 1) in text
    profile = benchmark.profile_scorecard(benchmark.scorecard(demo_store, inputs.periode), "12.09.19",
                                          benchmark.catalog(demo_store))
    for r in profile[profile["ada"]].itertuples():
        assert " ".join(formatting.nilai(r.nilai, r.satuan).split()) in text, r.nama  # whitespace as pages() reads it
    for heading in ("Kartu skor", "Tiga celah terbesar", "Inovasi dan tahapnya", "Langkah berikutnya"):
        assert heading in text


def test_unranked_kecamatan_says_what_is_missing(inputs, tmp_path):
    (text,) = pages(rapor.to_bytes(inputs, ["12.09.17"]), tmp_path)
    assert "belum diperingkat" in text and "tidak ada data" in text


def test_a_kecamatan_that_left_the_ranking_says_so_in_both_languages(demo_store, inputs, tmp_path):
    """Ranked last month, below the coverage threshold this month: 'keluar peringkat' with last month's
    rank, as Profil and Peringkat say it; one never ranked before only says it is not ranked."""
    table = inputs.table.set_index("kode_kecamatan")
    left = table[table["status_gerak"] == "keluar"]
    assert len(left), "the demo's latest month has a kecamatan that left the ranking"
    kode, row = left.index[0], left.iloc[0]
    assert not row["diperingkat"] and pd.notna(row["peringkat_sebelumnya"])
    before = int(row["peringkat_sebelumnya"])
    (text,) = pages(rapor.to_bytes(inputs, [kode]), tmp_path)
    assert f"Keluar dari peringkat: bulan lalu peringkat {before}." in text and "Belum diperingkat pada" in text
    with bahasa.dalam("en"):
        (text,) = pages(rapor.to_bytes(inputs, [kode]), tmp_path)
    assert f"Left the ranking: rank {before} last month." in text and "Not ranked in" in text
    first = deck_spec.gather(demo_store, demo_store.periods()[0])  # nobody ranked before the first month
    assert not first.table["diperingkat"].any() and first.table["status_gerak"].isna().all()
    (text,) = pages(rapor.to_bytes(first, [kode]), tmp_path)
    assert "Belum diperingkat pada" in text and "Keluar dari peringkat" not in text


def test_tiru_rapor_cli(demo_db, demo_store, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("TIRU_DB", str(demo_db))
    every = tmp_path / "semua.pdf"
    assert main(["rapor", "--periode", "2026-09", str(every)]) == 0  # all 25, one page each, in code order
    texts = [page.extract_text() for page in PdfReader(str(every)).pages]
    assert len(texts) == 25
    names = benchmark.names(demo_store).loc[[f"12.09.{n:02d}" for n in range(8, 33)]]
    for text, nama in zip(texts, names, strict=True):
        assert nama in text and "September 2026" in text
    assert main(["rapor", "--periode", "2026-13", str(tmp_path / "x.pdf")]) == 1
    assert main(["rapor", "--kecamatan", "32.77.02", str(tmp_path / "x.pdf")]) == 1
    assert "bukan kecamatan Kabupaten Asahan" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main(["rapor", "--kecamatan", "12.09.19"])
    assert exit_info.value.code == 2


# --------------------------------------------------------------------------- in English


def test_rapor_in_english_with_the_engines_numbers_in_english_format(demo_store, inputs, tmp_path):
    with bahasa.dalam("en"):
        (text,) = pages(rapor.to_bytes(inputs, ["12.09.19"]), tmp_path)
        month = formatting.bulan(inputs.periode)
        table = benchmark.league_table(demo_store, inputs.periode).set_index("kode_kecamatan")
        row = table.loc["12.09.19"]
        profile = benchmark.profile_scorecard(benchmark.scorecard(demo_store, inputs.periode), "12.09.19",
                                              benchmark.catalog(demo_store))
        values = [" ".join(formatting.nilai(r.nilai, r.satuan).split()) for r in profile[profile["ada"]].itertuples()]
        score = formatting.angka(row["skor"], 1)
        names = list(profile["nama"])
    assert month in text and month != formatting.bulan(inputs.periode)  # English month, not Indonesian
    assert f"KECAMATAN SERVICE REPORT CARD · {month.upper()}" in text
    assert "DEMO DATA: service figures generated for demonstration" in text
    assert f"Rank {int(row['peringkat'])} of {int(table['diperingkat'].sum())} ranked kecamatan" in text
    assert f"{int(row['peringkat'])} of {int(table['diperingkat'].sum())}" in text
    assert score in text and "." in score
    for value in values:
        assert value in text
    assert any("minutes" in v or "working days" in v for v in values)
    assert "Average waiting time before service" in names and names[0] in text
    for heading in (f"Scorecard · {month}", "Three largest gaps", f"Innovations and their stages · end of {month}",
                    "Next steps", "Rank range", "Movement since last month", "Tiru Index", "Index gain"):
        assert heading in text, heading
    assert "Stages: 0 Not started · 1 Planned · 2 Pilot · 3 Running · 4 Institutionalised" in text
    assert "Quartile 1" in text and "page 1" in text and "source of the service figures: DEMO DATA" in text
    for indonesian in ("Kartu skor", "Langkah berikutnya", "DATA CONTOH", "halaman", "dari", "Kuartil", "sejak"):
        assert indonesian not in text, indonesian


def test_unranked_kecamatan_in_english(demo_store, inputs, tmp_path):
    with bahasa.dalam("en"):
        (text,) = pages(rapor.to_bytes(inputs, ["12.09.17"]), tmp_path)
        coverage = formatting.persen(inputs.table.set_index("kode_kecamatan").loc["12.09.17", "cakupan"])
    assert "Not ranked in " in text and f"data coverage {coverage} (needs ≥ 70%)" in text
    assert "not ranked" in text and "no data" in text
    assert "Send the missing data so the kecamatan can be ranked" in text
    assert "Complete the monthly report for" in text


def test_the_indonesian_rapor_is_unchanged(inputs, tmp_path):
    (text,) = pages(rapor.to_bytes(inputs, ["12.09.17"]), tmp_path)
    assert "RAPOR LAYANAN KECAMATAN" in text and "Langkah berikutnya" in text and "halaman 1" in text
    assert "Tahap: 0 Belum · 1 Direncanakan · 2 Uji coba · 3 Berjalan · 4 Terlembaga" in text
    assert "Kirim data yang belum ada agar dapat diperingkat" in text


def test_tiru_rapor_in_english(demo_db, monkeypatch, tmp_path):
    monkeypatch.setenv("TIRU_DB", str(demo_db))
    out = tmp_path / "report-cards.pdf"
    assert main(["--bahasa", "en", "rapor", "--periode", "2026-09", "--kecamatan", "12.09.19", str(out)]) == 0
    (text,) = [" ".join(page.extract_text().split()) for page in PdfReader(str(out)).pages]
    assert "September 2026" in text and "Scorecard" in text and "Next steps" in text
    assert PdfReader(str(out)).metadata.title == "Kecamatan service report cards · September 2026"


def test_the_rapor_says_the_model_values_are_samples_and_not_once_replaced(demo_store, inputs, tmp_path):
    """The sample model values keep their label on the rapor (#14); real model values carry none."""
    import dataclasses

    (text,) = pages(rapor.to_bytes(inputs, ["12.09.19"]), tmp_path)
    assert "nilai contoh (bukan angka resmi)" in text
    real = inputs.catalog.indikator.assign(model_sumber_en=None)
    replaced = dataclasses.replace(inputs, catalog=dataclasses.replace(inputs.catalog, indikator=real))
    (text,) = pages(rapor.to_bytes(replaced, ["12.09.19"]), tmp_path)
    assert "nilai contoh" not in text
