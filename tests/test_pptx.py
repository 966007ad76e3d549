"""The PowerPoint pack: 16:9, the deck's slides, native charts with the engine's numbers; `tiru pptx`."""


import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Inches
from test_slides import same  # chart values against engine numbers, NaN as None

from metrics.core import bahasa, formatting
from metrics.engine import benchmark
from metrics.ops.cli import main
from metrics.reports import deck_spec, pptx_pack, slides


@pytest.fixture(scope="module")
def pack(demo_store, tmp_path_factory):
    periode = demo_store.latest_period() - 3
    deck = slides.deck(deck_spec.gather(demo_store, periode), "12.09.19")
    path = pptx_pack.write(deck, tmp_path_factory.mktemp("pack") / "rapat.pptx")
    return deck, Presentation(str(path))


def charts(slide):
    return [shape.chart for shape in slide.shapes if shape.has_chart]


def texts(slide):
    return " ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)


def test_pack_is_16_9_with_the_deck_slides_footer_and_notes(pack):
    deck, prs = pack
    assert (prs.slide_width, prs.slide_height) == (Inches(13.333), Inches(7.5))
    assert len(prs.slides) == len(deck.slides) == 10
    month = formatting.bulan(deck.periode)
    for number, (spec, slide) in enumerate(zip(deck.slides, prs.slides, strict=True), start=1):
        shown = texts(slide)
        assert spec.title in shown
        assert month in shown and "DATA CONTOH" in shown, f"slide {number} lacks period or demo label"
        assert f"{number} / 10" in shown
        notes = slide.notes_slide.notes_text_frame.text
        assert "Sumber" in notes or "sumber" in notes


def test_charts_are_native_and_carry_the_engines_numbers(demo_store, pack):
    deck, prs = pack
    by_key = {spec.key: slide for spec, slide in zip(deck.slides, prs.slides, strict=True)}
    # kabupaten: the median per month
    (line,) = charts(by_key["kabupaten"])
    assert line.chart_type == XL_CHART_TYPE.LINE
    history = benchmark.composite_history(demo_store, demo_store.periods()[0], deck.periode)
    series = benchmark.kabupaten_series(history)
    median = line.plots[0].series[0]
    assert median.name == "Median"
    same(list(median.values), list(series["median"]))
    assert list(line.plots[0].categories) == [formatting.bulan(m, short=True) for m in series["periode"]]
    # league table: Indeks Tiru per ranked kecamatan, best first
    (bars,) = charts(by_key["peringkat"])
    assert bars.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    table = benchmark.league_table(demo_store, deck.periode)
    ranked = table[table["diperingkat"]]
    same(list(bars.plots[0].series[0].values), list(ranked["skor"]))
    assert next(iter(bars.plots[0].categories)) == f"1. {ranked['kecamatan'].iloc[0]}"
    # movers, adoption and focus charts are native too, and the same numbers as the deck
    for key in ("gerak", "adopsi", "fokus"):
        (chart,) = charts(by_key[key])
        spec = next(s for s in deck.slides if s.key == key).chart
        for got, want in zip(chart.plots[0].series, spec.series, strict=True):
            assert got.name == want.name
            same(list(got.values), want.values)


def test_tables_and_heatmap(pack):
    deck, prs = pack
    by_key = {spec.key: slide for spec, slide in zip(deck.slides, prs.slides, strict=True)}
    tables = [shape.table for shape in by_key["tabel"].shapes if shape.has_table]
    assert len(tables) == 2
    names = [t.cell(r, 1).text for t in tables for r in range(1, len(t.rows))]
    assert len(names) == 25
    (heat,) = [shape.table for shape in by_key["pilar"].shapes if shape.has_table]
    spec = next(s for s in deck.slides if s.key == "pilar").tables[0]
    fill = heat.cell(1, 2).fill.fore_color.rgb
    assert str(fill) == deck_spec.heat_colours(spec.heat[0][2])[0].lstrip("#").upper()


def test_tiru_pptx_writes_the_pack(demo_db, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("TIRU_DB", str(demo_db))
    out = tmp_path / "rapat.pptx"
    assert main(["pptx", "--periode", "2026-06", "--kecamatan", "12.09.20", str(out)]) == 0
    prs = Presentation(str(out))
    assert len(prs.slides) == 10
    assert "Juni 2026" in texts(prs.slides[1])
    assert "Ditulis" in capsys.readouterr().err


@pytest.mark.parametrize("args, message", [
    (["pptx", "--periode", "2031-01"], "Tidak ada data untuk periode"),
    (["pptx", "--periode", "juni"], "tidak dikenali"),
    (["pptx", "--kecamatan", "12.09.99"], "bukan kecamatan Kabupaten Asahan"),
])
def test_tiru_pptx_rejects_bad_input_with_exit_1(demo_db, monkeypatch, tmp_path, capsys, args, message):
    monkeypatch.setenv("TIRU_DB", str(demo_db))
    out = tmp_path / "x.pptx"
    assert main(args + [str(out)]) == 1
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_tiru_pptx_without_out_is_a_usage_error(demo_db, monkeypatch, capsys):
    monkeypatch.setenv("TIRU_DB", str(demo_db))
    with pytest.raises(SystemExit) as exit_info:
        main(["pptx", "--periode", "2026-06"])
    assert exit_info.value.code == 2
    assert "wajib diisi: OUT" in capsys.readouterr().err


def test_tiru_pptx_on_an_empty_database_is_rejected(empty_db, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("TIRU_DB", str(empty_db))
    monkeypatch.setenv("TIRU_DEMO", "0")
    assert main(["pptx", str(tmp_path / "x.pptx")]) == 1
    assert "belum berisi observasi" in capsys.readouterr().err


# --------------------------------------------------------------------------- in English


@pytest.fixture(scope="module")
def pack_en(demo_store, tmp_path_factory):
    periode = demo_store.latest_period() - 3
    with bahasa.dalam("en"):
        deck = slides.deck(deck_spec.gather(demo_store, periode), "12.09.19")
        path = pptx_pack.write(deck, tmp_path_factory.mktemp("pack_en") / "meeting.pptx")
    return deck, Presentation(str(path))


def test_pack_in_english_has_english_titles_footer_and_notes(pack_en):
    deck, prs = pack_en
    with bahasa.dalam("en"):
        month = formatting.bulan(deck.periode)
    assert month != formatting.bulan(deck.periode)  # an English month name, not the Indonesian one
    assert prs.core_properties.language == "en-GB"
    assert prs.core_properties.title == f"Kecamatan service review meeting · {month}"
    titles = [spec.title for spec in deck.slides]
    assert titles[:3] == ["Kecamatan service review meeting", "Kabupaten against the model", "Ranking by Tiru Index"]
    assert titles[-1] == "Focus: Kota Kisaran Barat"
    for _number, (spec, slide) in enumerate(zip(deck.slides, prs.slides, strict=True), start=1):
        shown = texts(slide)
        assert spec.title in shown
        assert f"Tiru · Kabupaten Asahan · {month}" in shown and "DEMO DATA" in shown
        assert "DATA CONTOH" not in shown and "Sumber" not in shown
        notes = slide.notes_slide.notes_text_frame.text
        assert "Source" in notes and notes.endswith(
            "Kecamatan service figures: DEMO DATA (generated for demonstration)."
        )
    assert "DEMO DATA — the kecamatan service figures are generated for demonstration" in texts(prs.slides[0])


def test_english_charts_have_english_names_and_the_engines_numbers(demo_store, pack_en):
    deck, prs = pack_en
    by_key = {spec.key: slide for spec, slide in zip(deck.slides, prs.slides, strict=True)}
    history = benchmark.composite_history(demo_store, demo_store.periods()[0], deck.periode)
    series = benchmark.kabupaten_series(history)
    (line,) = charts(by_key["kabupaten"])
    assert [s.name for s in line.plots[0].series] == ["Median", "Quartile 1", "Quartile 3", "Model = 100"]
    same(list(line.plots[0].series[0].values), list(series["median"]))
    with bahasa.dalam("en"):
        assert list(line.plots[0].categories) == [formatting.bulan(m, short=True) for m in series["periode"]]
    assert line.chart_title.text_frame.text.startswith("Kabupaten Tiru Index against the model")
    assert line.value_axis.axis_title.text_frame.text == "Tiru Index (0–100)"
    (adoption,) = charts(by_key["adopsi"])
    assert [s.name for s in adoption.plots[0].series] == ["Reached", "Late", "Not yet due"]
    (focus,) = charts(by_key["fokus"])
    pillars = list(benchmark.catalog(demo_store).pilar["nama_en"])
    assert list(focus.plots[0].categories) == pillars
    assert [s.name for s in focus.plots[0].series] == ["Kota Kisaran Barat", "Asahan median"]


def test_chart_number_formats_are_the_invariant_codes_in_both_languages(pack, pack_en):
    """OOXML format codes are written in en-US syntax; the viewer's locale shows 45,7 or 45.7."""
    def formats(prs):
        found = []
        for slide in prs.slides:
            for chart in charts(slide):
                plot = chart.plots[0]
                found.append((chart.value_axis.tick_labels.number_format,
                              plot.data_labels.number_format if plot.has_data_labels else None))
        return found

    english, indonesian = formats(pack_en[1]), formats(pack[1])
    assert english == indonesian
    assert ("0", "0") in english and ("0.0", "+0.0;-0.0;0.0") in english
    assert not any("," in code for pair in english for code in pair if code)


def test_english_tables_have_english_headers_and_number_format(demo_store, pack_en):
    deck, prs = pack_en
    by_key = {spec.key: slide for spec, slide in zip(deck.slides, prs.slides, strict=True)}
    tables = [shape.table for shape in by_key["tabel"].shapes if shape.has_table]
    assert [tables[0].cell(0, j).text for j in range(5)] == ["No.", "Kecamatan", "Index", "Range", "Movement"]
    table = benchmark.league_table(demo_store, deck.periode)
    shown = [t.cell(r, 2).text for t in tables for r in range(1, len(t.rows))]
    with bahasa.dalam("en"):
        assert shown == [formatting.angka(v, 1) for v in table["skor"]]
    assert all("," not in value for value in shown)
    cards = texts(by_key["kabupaten"])
    assert "Median Tiru Index" in cards and "Gap to the model" in cards and " since last month" in cards


def test_indonesian_pack_is_unchanged(pack):
    _, prs = pack
    assert prs.core_properties.language == "id-ID"
    assert prs.core_properties.title.startswith("Rapat evaluasi layanan kecamatan · ")
    assert "DATA CONTOH — angka layanan kecamatan dibangkitkan untuk peragaan" in texts(prs.slides[0])
    assert prs.slides[1].notes_slide.notes_text_frame.text.endswith(
        "Angka layanan kecamatan: DATA CONTOH (dibangkitkan untuk peragaan).")


def test_tiru_pptx_in_english(demo_db, monkeypatch, tmp_path):
    monkeypatch.setenv("TIRU_DB", str(demo_db))
    out = tmp_path / "meeting.pptx"
    assert main(["--bahasa", "en", "pptx", "--periode", "2026-06", str(out)]) == 0
    prs = Presentation(str(out))
    assert "June 2026" in texts(prs.slides[1]) and "DEMO DATA" in texts(prs.slides[1])
    assert "Kabupaten against the model" in texts(prs.slides[1])


# --------------------------------------------------------------------------- slide titles (#15.2)


def test_every_slide_has_its_title_in_the_title_placeholder(pack, pack_en):
    """PowerPoint's outline and navigation list slide titles only from title placeholders."""
    from pptx.util import Pt

    for deck, prs in (pack, pack_en):
        for spec, slide in zip(deck.slides, prs.slides, strict=True):
            title = slide.shapes.title
            assert title is not None, spec.key
            assert title.text == spec.title
            run = title.text_frame.paragraphs[0].runs[0]
            assert run.font.bold and run.font.size == Pt(44 if spec.key == "judul" else 32)
            # the look of the former text box: same place and size (the cover's title keeps its bottom
            # edge and has room above for two lines without Calibri: tests/test_pptx_tata_letak.py)
            if spec.key == "judul":
                assert (title.left, title.top, title.width, title.height) == (
                    Inches(1), Inches(0.5), Inches(11.3), Inches(2.0))
            else:
                assert (title.left, title.top, title.width, title.height) == (
                    pptx_pack.MARGIN, Inches(0.3), pptx_pack.WIDTH - 2 * pptx_pack.MARGIN, Inches(0.7))
            assert [s for s in slide.shapes if s.has_text_frame and s.text_frame.text == spec.title] == [title]


def test_every_slide_says_the_model_values_are_samples(pack):
    """The shipped model values are sample values: their label follows them into the pack (#14)."""
    _, prs = pack
    for number, slide in enumerate(prs.slides, start=1):
        assert "nilai contoh (bukan angka resmi)" in texts(slide), f"slide {number} drops the sample-value label"
