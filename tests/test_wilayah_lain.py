"""#25: the suite's page and CLI checks, run again for other configurations (tests/wilayah_support.py):
Batu Bara (12 kecamatan) against Cimahi Tengah, Garut (42) against its own Garut Kota (internal best
practice), and Batu Bara after --hapus-demo with one real row. Every page in both languages runs, says
DATA CONTOH where demo data shows, names the configured kabupaten and never Asahan (nor Cimahi unless it
is the model's); every command exits cleanly naming the configured kabupaten."""

from __future__ import annotations

import zipfile

import pytest
from bahasa_support import visible_texts
from page_support import open_page
from test_app import PAGE_FILES
from test_sparse import commands
from wilayah_support import cited_sources

from metrics.core import bahasa
from metrics.data.store import Store
from metrics.engine import benchmark
from metrics.ops.cli import main

PAGE_STATES = ["batu_bara", "garut_internal", "batu_bara_hapus_demo"]


def _shown(at, state) -> str:
    cited = cited_sources()
    return " ".join(t for t in visible_texts(at) if t not in cited)


def _names_only_its_own(text: str, state, where: str) -> None:
    for other in ["Asahan", *([] if state.names_cimahi else ["Cimahi"])]:
        at = text.find(other)
        assert at < 0, f"{state.name} {where}: {text[max(0, at - 80):at + 40]!r}"
    assert state.config.nama in text, f"{state.name} {where} does not name {state.config.nama}"


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("page", PAGE_FILES)
@pytest.mark.parametrize("name", PAGE_STATES)
def test_every_page_runs_for_another_configuration(wilayah_db, use_db, monkeypatch, name, page, language):
    state = wilayah_db(name).apply(monkeypatch)
    at = open_page(state.db, use_db, page, with_demo=state.with_demo, bahasa=language)
    assert not at.exception, [e.message for e in at.exception]
    label = {"id": "DATA CONTOH", "en": "DEMO DATA"}[language]
    contoh = any(label in w.value for w in at.warning)
    assert contoh == state.with_demo, (page, [w.value for w in at.warning])
    _names_only_its_own(_shown(at, state), state, page)


@pytest.mark.parametrize("name", ["garut_internal"])
def test_peringkat_holds_every_ranked_kecamatan_of_a_large_kabupaten(wilayah_db, use_db, monkeypatch, name):
    state = wilayah_db(name).apply(monkeypatch)
    store = Store(state.db)
    table = benchmark.league_table(store, store.latest_period())
    ranked = table[table["diperingkat"]]
    assert len(ranked) > 25  # more than Asahan's whole list, the count the pages were first drawn for
    at = open_page(state.db, use_db, "pages/tabel_peringkat.py")
    assert not at.exception, [e.message for e in at.exception]
    assert list(at.dataframe[0].value["Kecamatan"]) == list(ranked["kecamatan"])
    figure = at.get("plotly_chart")[0].proto.spec
    assert all(f'"{k}"' in figure or k in figure for k in ranked["kecamatan"].str.replace("\n", " ").head(3))


@pytest.mark.parametrize("name", ["batu_bara", "garut_internal"])
def test_profil_opens_a_kecamatan_of_the_configured_kabupaten_by_its_code(wilayah_db, use_db, monkeypatch, name):
    state = wilayah_db(name).apply(monkeypatch)
    at = open_page(state.db, use_db, "pages/kecamatan.py", kecamatan=state.focus)
    assert not at.exception, [e.message for e in at.exception]
    assert at.selectbox(key="kecamatan").value == state.focus
    nama = Store(state.db).kecamatan().set_index("kode").loc[state.focus, "nama"]
    assert nama in at.title[0].value or nama in _shown(at, state)


def _pptx_text(path) -> str:
    with zipfile.ZipFile(path) as pack:
        return " ".join(pack.read(n).decode("utf-8") for n in pack.namelist() if n.startswith("ppt/slides/slide"))


def _in_language(listed: list[list[str]], language: str, focus: str) -> list[list[str]]:
    """test_sparse's commands; in English the whole-kabupaten rapor (42 pages for Garut, the slowest) is
    one kecamatan's and the pack only the one with a focus slide (the unfocused pack's slides and more):
    every command in both languages, the long files once."""
    if language == "id":
        return listed
    return [[*a[:-1], "--kecamatan", focus, a[-1]] if a[0] == "rapor" else a for a in listed
            if a[0] != "pptx" or "--kecamatan" in a]


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("name", PAGE_STATES)
def test_every_command_exits_cleanly_for_another_configuration(wilayah_db, monkeypatch, tmp_path, capsys, name,
                                                               language):
    state = wilayah_db(name).apply(monkeypatch)
    said = []
    for args in _in_language(commands(tmp_path, None, focus=state.focus), language, state.focus):
        code = main([*args, "--bahasa", language])  # an uncaught exception fails the test here
        out, err = capsys.readouterr()
        assert code in (0, 1), (args, code, err)
        assert "Traceback" not in err and "Asahan" not in out + err, (args, err)
        if code == 1:
            assert err.startswith("tiru: ") and len(err) > 20, (args, err)
        said.append(out + err)
        if args[0] == "pptx" and code == 0:
            said.append(_pptx_text(args[-1]))
    _names_only_its_own(" ".join(said), state, "tiru")
    assert bahasa.aktif() == "id"


def test_mode_rapat_pages_a_long_ranking_as_the_pack_does(wilayah_db, monkeypatch):
    """Garut's 38 ranked over two 'peringkat' slides: each one's chart (Mode Rapat's own builder) draws its
    own page of bars, together every ranked kecamatan once, as the pack's slides do."""
    from metrics.app import rapat
    from metrics.reports import deck_spec, slides

    state = wilayah_db("garut_internal").apply(monkeypatch)
    store = Store(state.db)
    deck = slides.deck(deck_spec.gather(store, store.latest_period()))
    pages = [s for s in deck.slides if s.key == "peringkat"]
    assert len(pages) == 2
    drawn = [list(rapat.figure(s, deck).data[0].y) for s in pages]
    assert [n for names in drawn for n in reversed(names)] == [c.split(". ", 1)[1] for s in pages
                                                               for c in s.chart.categories]
    ranked = benchmark.league_table(store, store.latest_period()).query("diperingkat")
    assert sorted(n for names in drawn for n in names) == sorted(ranked["kecamatan"])
