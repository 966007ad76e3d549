"""The language switch: one catalogue, complete in both languages, and formats per language."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from metrics.app import profil, ui
from metrics.core import bahasa, formatting
from metrics.core import periode as per

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "metrics").rglob("*.py")])


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_catalogue_entry_has_both_languages_with_the_same_placeholders():
    entries = bahasa.katalog()
    assert len(entries) > 20
    for key, entry in entries.items():
        assert set(entry) == set(bahasa.BAHASA), f"{key}: languages {sorted(entry)}"
        for kode, text in entry.items():
            assert isinstance(text, str) and text.strip(), f"{key}: empty in {kode}"
        assert placeholders(entry["id"]) == placeholders(entry["en"]), f"{key}: placeholders differ"


def used_keys() -> tuple[set[str], set[str]]:
    """Literal keys passed to t(…) in the code, and the fixed prefixes of f-string keys."""
    literal, prefixes = set(), set()
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name != "t":
                continue
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                literal.add(first.value)
            elif isinstance(first, ast.JoinedStr) and isinstance(first.values[0], ast.Constant):
                prefixes.add(first.values[0].value)
    return literal, prefixes


def test_every_key_used_in_the_code_is_in_the_catalogue():
    literal, prefixes = used_keys()
    keys = set(bahasa.katalog())
    assert not literal - keys, f"missing from metrics/core/teks: {sorted(literal - keys)}"
    for prefix in prefixes:
        assert any(k.startswith(prefix) for k in keys), f"no catalogue key starts with {prefix!r}"


def test_a_missing_key_shows_itself_rather_than_failing():
    assert bahasa.t("umum.tidak_ada_kunci_ini") == "umum.tidak_ada_kunci_ini"


def test_the_active_language_switches_texts_and_placeholders():
    assert bahasa.t("umum.nav.ringkasan") == "Ringkasan"
    with bahasa.dalam("en"):
        assert bahasa.t("umum.nav.ringkasan") == "Overview"
        assert bahasa.t("umum.basis_data_gagal", pesan="X").endswith("yet. X")
    assert bahasa.aktif() == "id"
    with bahasa.dalam("xx"):  # unknown languages mean the default
        assert bahasa.aktif() == "id"


@pytest.mark.parametrize("kode, expected", [
    # a no-break space between a number and its unit or '%' (formatting.NBSP): they never wrap apart
    ("id", ["1.234,5", "70,5\u00a0%", "Desember 2024", "Des 2024", "11 Desember 2024", "65,0\u00a0menit",
            "2,5\u00a0hari kerja", "baru"]),
    ("en", ["1,234.5", "70.5%", "December 2024", "Dec 2024", "11 December 2024", "65.0\u00a0minutes",
            "2.5\u00a0working days", "new"]),
])
def test_numbers_dates_and_units_follow_the_language(kode, expected):
    december = per.parse("2024-12")
    with bahasa.dalam(kode):
        shown = [formatting.angka(1234.5), formatting.persen(0.705, 1), formatting.bulan(december),
                 formatting.bulan(december, short=True), formatting.tanggal("2024-12-11"),
                 formatting.nilai(65, "menit"), formatting.nilai(2.5, "hari kerja"), formatting.gerak(None)]
        assert formatting.separators() == (",." if kode == "id" else ".,")
    assert shown == expected
    assert formatting.angka(None) == formatting.MISSING


def test_catalogue_names_fall_back_to_indonesian_where_english_is_missing():
    import pandas as pd

    frame = pd.DataFrame({"nama": ["Kecepatan", "Kepuasan"], "nama_en": ["Speed", None]})
    with bahasa.dalam("en"):
        assert list(bahasa.names(frame)) == ["Speed", "Kepuasan"]
        assert bahasa.nama(frame.iloc[0]) == "Speed"
    assert list(bahasa.names(frame)) == ["Kecepatan", "Kepuasan"]


def test_every_indicator_pillar_and_innovation_has_an_english_name(demo_store):
    for table in (demo_store.indikator(), demo_store.pilar(), demo_store.inovasi()):
        assert table["nama_en"].notna().all() and (table["nama_en"].str.strip() != "").all()


def test_catalogue_files_are_all_loaded_and_keys_are_lowercase():
    files = {p.stem for p in bahasa.TEKS.glob("*.toml")}
    assert files == {key.split(".")[0] for key in bahasa.katalog()}
    for key in bahasa.katalog():
        if not key.startswith("satuan."):
            assert re.fullmatch(r"[a-z0-9_.]+", key), key


# ---- every page, in AppTest, in both languages

PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))


def data_texts(store) -> tuple[str, ...]:
    """Texts that are data, kept as their sources wrote them: names of places, cited sources."""
    texts = set(store.kecamatan()["nama"])
    for table in (store.indikator(), store.ombudsman(), store.kecamatan()):
        for column in [c for c in table.columns if "sumber" in c or c in ("kategori", "zona")]:
            texts.update(str(v) for v in table[column].dropna())
    texts.update(store.adopsi()["bukti"].dropna())  # evidence notes as operators typed them
    texts.update(text.split(":")[0].strip() for text in list(texts) if ":" in text)  # shortened sources
    for text in store.kecamatan()["sumber"].dropna():  # Profil: the source's name, its notes one a line
        notes = [n.strip() for n in text.split(";") if n.strip()]
        texts.update([*notes, profil.source_name(notes)])
    texts.update(ui.plain(text) for text in list(texts))  # as Markdown shows data: escaped (metrics/app/ui.plain)
    return tuple(sorted(texts, key=len, reverse=True))


def run_page(demo_db, use_db, page: str, kode: str):
    from page_support import open_page

    at = open_page(demo_db, use_db, page, **({"bahasa": kode} if kode != "id" else {}))
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("page", PAGES)
def test_every_page_in_english_shows_no_raw_key_and_no_indonesian_text(demo_db, demo_store, use_db, page):
    from bahasa_support import indonesian_leftovers, raw_keys, visible_texts

    at = run_page(demo_db, use_db, page, "en")
    texts = visible_texts(at, skip_columns=("Source", "Evidence", "Note", "Notes", "By"))
    assert not raw_keys(texts)
    leftovers = indonesian_leftovers(texts, allowed=data_texts(demo_store))
    assert not leftovers, f"{page} in English still shows: {leftovers[:8]}"
    assert at.query_params["bahasa"] in ("en", ["en"])


@pytest.mark.parametrize("page", PAGES)
def test_every_page_in_indonesian_shows_no_raw_key(demo_db, use_db, page):
    from bahasa_support import raw_keys, visible_texts

    at = run_page(demo_db, use_db, page, "id")
    assert not raw_keys(visible_texts(at))
    assert "bahasa" not in at.query_params


def test_switching_the_language_in_the_sidebar_keeps_it_in_the_url(demo_db, use_db):
    at = run_page(demo_db, use_db, "pages/tabel_peringkat.py", "id")
    at.sidebar.selectbox(key="bahasa").set_value("en").run()
    assert not at.exception
    assert at.query_params["bahasa"] in ("en", ["en"])
    assert at.sidebar.selectbox(key="periode").label == "Period"
    at.sidebar.selectbox(key="bahasa").set_value("id").run()
    assert "bahasa" not in at.query_params
    assert at.sidebar.selectbox(key="periode").label == "Periode"
