"""The app frame and its pages in AppTest, on the demo database and on an empty one."""

import ast
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
PAGE_FILES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))


def navigation_pages():
    """(file, url_path) of every st.Page in app.py, read from its source."""
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    pages = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Page":
            keywords = {k.arg: k.value.value for k in node.keywords if isinstance(k.value, ast.Constant)}
            pages.append((node.args[0].value, keywords.get("url_path")))
    return pages


def test_every_page_is_in_the_navigation_with_a_url_path_unlike_its_file_stem():
    # pages/ is also Streamlit's legacy folder: a deep link equal to a file stem would run
    # that file without app.py (docs/pengembangan.md). Every url_path must differ from its stem.
    pages = navigation_pages()
    assert sorted(file for file, _ in pages) == PAGE_FILES
    for file, url_path in pages:
        assert url_path, f"{file} has no url_path"
        assert url_path != Path(file).stem, f"{file}: url_path equals the file stem"


def app(db, use_db, with_demo=True, page: str | None = "pages/tabel_peringkat.py", **query) -> AppTest:
    """An AppTest of the whole app (frame + navigation), run once and switched to `page`."""
    use_db(db, with_demo)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update(query)
    at.run()
    if page:
        at.switch_page(page)
    return at


def test_peringkat_on_demo_data(demo_db, demo_store, use_db):
    at = app(demo_db, use_db).run()
    assert not at.exception
    assert at.title[0].value == "Peringkat kecamatan"
    assert any("DATA CONTOH" in w.value for w in at.warning)
    latest = demo_store.latest_period()
    from metrics.core import formatting
    from metrics.engine import benchmark

    table = benchmark.league_table(demo_store, latest)
    ranked = table[table["diperingkat"]]
    assert at.metric[0].value == f"{len(ranked)} dari 25"
    moved = table["status_gerak"]  # Δ Indeks among those ranked in both months (test_movement.py)
    assert at.metric[2].value == f"{int((moved == 'naik').sum())} / {int((moved == 'turun').sum())}"
    before = benchmark.league_table(demo_store, latest - 1)
    change = ranked["skor"].median() - before.loc[before["diperingkat"], "skor"].median()
    assert at.metric[1].value == formatting.angka(ranked["skor"].median(), 1)
    assert at.metric[1].delta.endswith(f"{formatting.angka(abs(change), 1)} dari bulan lalu")
    shown = at.dataframe[0].value
    assert list(shown["Kecamatan"]) == list(ranked["kecamatan"])
    assert list(shown["Indeks Tiru"]) == [formatting.angka(v, 1) for v in ranked["skor"]]
    assert formatting.bulan(latest) in at.caption[0].value
    unranked = at.dataframe[1].value
    assert len(unranked) == 25 - len(ranked) > 0
    assert unranked["Tanpa data"].str.len().gt(0).all()


def test_period_from_the_url_and_from_the_picker(demo_db, use_db):
    at = app(demo_db, use_db, periode="2025-06").run()
    assert not at.exception
    assert at.caption[0].value.startswith("Juni 2025")
    at.sidebar.selectbox(key="periode").set_value("2025-12").run()
    assert at.caption[0].value.startswith("Desember 2025")
    assert at.query_params["periode"] == ["2025-12"] or at.query_params["periode"] == "2025-12"


@pytest.mark.parametrize("bad", ["xyz", "2031-01", "1' OR '1'='1", "9" * 400])
def test_invalid_period_in_the_url_falls_back_to_the_latest_month(demo_db, demo_store, use_db, bad):
    from metrics.core import formatting

    at = app(demo_db, use_db, periode=bad).run()
    assert not at.exception
    assert at.caption[0].value.startswith(formatting.bulan(demo_store.latest_period()))


def test_metodologi_on_demo_data(demo_db, use_db):
    at = app(demo_db, use_db, page="pages/metode.py").run()
    assert not at.exception
    assert at.title[0].value == "Metodologi"
    catalogue = next(d.value for d in at.dataframe if "Definisi" in d.value.columns)
    assert len(catalogue) == 13
    assert catalogue.set_index("Kode").loc["waktu_tunggu", "Arah"] == "lebih rendah lebih baik"
    assert catalogue.set_index("Kode").loc["volume_layanan", "Pilar"] == "konteks, tidak dinilai"
    assert any("DATA CONTOH" in w.value for w in at.warning)
    # The demo is named for people, not by its generator's file (#15.8).
    shown = " ".join(m.value for m in at.markdown) + " ".join(str(d.value.to_dict()) for d in at.dataframe)
    assert "demo.py" not in shown
    assert "DATA CONTOH (dibangkitkan Tiru, benih tetap 20241211)" in shown


def test_empty_database_gives_friendly_pages(empty_db, use_db):
    at = app(empty_db, use_db, with_demo=False).run()
    assert not at.exception
    assert "Belum ada data layanan" in at.info[0].value
    assert not any("DATA CONTOH" in w.value for w in at.warning)
    at.switch_page("pages/metode.py").run()
    assert not at.exception
    assert len(at.dataframe[1].value) == 13


def test_missing_database_file_that_cannot_be_built_shows_a_message(tmp_path, use_db):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    at = app(blocker / "tiru.duckdb", use_db, page=None)  # parent is a file: cannot build
    assert not at.exception
    assert "Basis data belum dapat dipakai" in at.error[0].value


def test_ringkasan_on_demo_data(demo_db, demo_store, use_db):
    from metrics.core import formatting
    from metrics.engine import benchmark

    at = app(demo_db, use_db, page=None)
    assert not at.exception
    assert at.title[0].value == "Ringkasan kabupaten"
    latest = demo_store.latest_period()
    history = benchmark.composite_history(demo_store, demo_store.periods()[0], latest)
    series = benchmark.kabupaten_series(history).set_index("periode")
    assert at.metric[0].value == formatting.angka(series.loc[latest, "median"], 1)
    assert at.metric[1].value == f"{formatting.angka(100 - series.loc[latest, 'median'], 1)} poin"
    links = [link.label for link in at.get("page_link")]
    up, down = benchmark.movers(history, latest)
    names = demo_store.kecamatan().set_index("kode")["nama"]
    for kode in list(up["kode_kecamatan"]) + list(down["kode_kecamatan"]):
        assert any(label.startswith(names[kode]) for label in links)
    # The demo's two silent kecamatan and the partial reporter are named.
    assert any(label.startswith("Sei Kepayang Timur: laporan terakhir September 2026") for label in links)
    assert any(label.startswith("Aek Ledong") for label in links)
    assert any(label.startswith("Bandar Pasir Mandoge: baru 2 dari") for label in links)
    assert at.metric[3].value == "3"  # the two silent and the partial one listed beside it (#13)


def test_ringkasan_on_an_empty_database_still_shows_the_real_ombudsman_series(empty_db, use_db):
    at = app(empty_db, use_db, with_demo=False, page=None)
    assert not at.exception
    assert "Belum ada data layanan" in at.info[0].value
    assert len(at.get("plotly_chart")) == 1


def test_profil_from_the_url(demo_db, demo_store, use_db):
    from metrics.engine import benchmark

    at = app(demo_db, use_db, page="pages/kecamatan.py", kecamatan="12.09.19").run()
    assert not at.exception
    assert at.header[0].value == "Kota Kisaran Barat · 12.09.19"
    table = benchmark.league_table(demo_store, demo_store.latest_period()).set_index("kode_kecamatan")
    row = table.loc["12.09.19"]
    assert at.metric[0].value == f"{int(row['peringkat'])} dari {int(table['diperingkat'].sum())}"
    assert at.metric[1].value == f"{int(row['peringkat_min'])}–{int(row['peringkat_max'])}"
    scorecard = at.dataframe[0].value
    assert len(scorecard) == 12
    steps = [m.value for m in at.markdown if m.value.startswith("1. ")]
    assert steps, "the camat sees at least one next step"
    # The facts line names the source in one line; the raw notes sit in a closed "Sumber" expander (#15.10).
    facts = at.caption[0].value
    assert "Sumber: Kepmendagri No 300" in facts and facts.endswith("Tahun 2025") and "centroid" not in facts
    sources = next(e for e in at.expander if e.label == "Sumber")
    assert any("polygon centroid" in m.value for m in sources.markdown)


def test_profil_of_an_unranked_kecamatan_says_what_is_missing(demo_db, use_db):
    at = app(demo_db, use_db, page="pages/kecamatan.py", kecamatan="12.09.17").run()
    assert not at.exception
    assert at.metric[0].value == "belum" and "Belum diperingkat" in at.metric[0].help
    assert any("cakupan data" in w.value and "Belum ada data berlaku untuk" in w.value for w in at.warning)
    assert (at.dataframe[0].value["Nilai"] == "tidak ada data").sum() >= 4


@pytest.mark.parametrize("bad", ["99.99.99", "12.09.19'--", ""])
def test_profil_with_an_invalid_kecamatan_falls_back_quietly(demo_db, use_db, bad):
    at = app(demo_db, use_db, page="pages/kecamatan.py", kecamatan=bad).run()
    assert not at.exception
    assert at.header[0].value == "Meranti · 12.09.08"


def test_profil_choose_another_kecamatan(demo_db, use_db):
    at = app(demo_db, use_db, page="pages/kecamatan.py").run()
    at.selectbox(key="kecamatan").set_value("12.09.20").run()
    assert not at.exception
    assert at.header[0].value == "Kota Kisaran Timur · 12.09.20"
    assert at.query_params["kecamatan"] in ("12.09.20", ["12.09.20"])


def test_profil_on_an_empty_database(empty_db, use_db):
    at = app(empty_db, use_db, with_demo=False, page="pages/kecamatan.py", kecamatan="12.09.19").run()
    assert not at.exception
    assert "Belum ada data layanan" in at.info[0].value


def test_peringkat_sort_by_an_indicator_and_filter_to_a_similar_group(demo_db, use_db):
    at = app(demo_db, use_db).run()
    at.selectbox(key="urut").set_value("ikm").run()
    assert not at.exception
    shown = at.dataframe[0].value
    assert list(shown.columns[-4:]) == ["Skor indikator", "Nilai", "Kategori", "Profil"]
    assert shown["Kategori"].iloc[0].startswith("Mutu")
    at.selectbox(key="mirip").set_value("12.09.19").run()
    shown = at.dataframe[0].value
    assert len(shown) == 6 and "Kota Kisaran Barat" in set(shown["Kecamatan"])
    assert at.query_params["urut"] in ("ikm", ["ikm"])


def test_peringkat_row_opens_the_profile(demo_db, use_db):
    at = app(demo_db, use_db).run()
    second = at.dataframe[0].value.iloc[1]
    at.session_state["baris_peringkat"] = {"selection": {"rows": [1], "columns": [], "cells": []}}
    at.run()
    assert not at.exception
    assert at.title[0].value == "Profil kecamatan"
    assert at.header[0].value.startswith(second["Kecamatan"])
    assert second["Profil"].startswith("profil?kecamatan=")


def test_ringkasan_shows_adoption_against_targets(demo_db, demo_store, use_db):
    from metrics.engine import adopsi

    at = app(demo_db, use_db, page=None)
    latest = demo_store.latest_period()
    from metrics.core import periode as per

    kecamatan = list(demo_store.kecamatan("Asahan")["kode"])
    status = adopsi.target_status(demo_store.adopsi(), demo_store.target(), kecamatan, per.month_end(latest))
    summary = adopsi.target_summary(status)
    shown = next(df.value for df in at.dataframe if "Tercapai" in df.value.columns)
    assert len(shown) == len(summary)
    assert list(shown["Tercapai"]) == [
        f"{a} dari {b}" for a, b in zip(summary["tercapai"], summary["berlaku"], strict=True)
    ]


# ---- the same pages in English (?bahasa=en): English texts, English number formats


def test_ringkasan_in_english(demo_db, demo_store, use_db):
    from metrics.core import bahasa, formatting
    from metrics.engine import benchmark

    at = app(demo_db, use_db, page=None, bahasa="en")
    assert not at.exception
    assert at.title[0].value == "Kabupaten overview"
    latest = demo_store.latest_period()
    history = benchmark.composite_history(demo_store, demo_store.periods()[0], latest)
    series = benchmark.kabupaten_series(history).set_index("periode")
    status = benchmark.reporting_status(demo_store.observasi(latest - 24, latest), demo_store.kecamatan("Asahan"),
                                        latest, demo_store.indikator()["frekuensi"]).set_index("nama")
    change = series.loc[latest, "median"] - series.loc[latest - 1, "median"]
    with bahasa.dalam("en"):
        median = formatting.angka(series.loc[latest, "median"], 1)
        gap = f"{formatting.angka(100 - series.loc[latest, 'median'], 1)} points"
        delta = f"{formatting.angka(abs(change), 1)} since last month"
        month = formatting.bulan(latest)
        silent = status.loc["Sei Kepayang Timur"]
        since = formatting.bulan(int(silent["terakhir"]))
    assert [m.label for m in at.metric] == ["Median Tiru Index", "Gap to the model", "Ranked", "Not fully reported"]
    assert at.metric[0].value == median and at.metric[1].value == gap
    assert at.metric[0].delta.endswith(delta)
    assert at.metric[2].value.endswith(" of 25")
    assert at.caption[0].value.startswith(f"{month} · Tiru Index 0–100")
    links = [link.label for link in at.get("page_link")]
    months = int(silent["bulan_tanpa_laporan"])
    assert f"Sei Kepayang Timur: last report {since} ({months} month{'s' if months != 1 else ''})" in links
    assert any(label.startswith("Bandar Pasir Mandoge: only 2 of") for label in links)
    assert "Details per kecamatan on the Innovations page" in links
    targets = next(df.value for df in at.dataframe if "Reached" in df.value.columns)
    assert list(targets.columns) == ["Innovation", "Target", "Reached", "Late"]
    assert all(" of " in cell for cell in targets["Reached"])
    assert all(cell.startswith("stage ") and " by " in cell for cell in targets["Target"])
    # The Ombudsman sources are drawn only once their expander is opened (every session paid for them).
    assert not any("Rating" in df.value.columns for df in at.dataframe)
    excel_buttons = sum(d.label == "Download Excel" for d in at.get("download_button"))
    at.session_state["sumber_ombudsman"] = True
    at.run()
    assert not at.exception
    assert sum(d.label == "Download Excel" for d in at.get("download_button")) == excel_buttons + 1
    sources = at.dataframe[-1].value
    assert list(sources.columns) == ["Region", "Year", "Score", "Zone", "Rating", "Source"]
    assert "70.55" in set(sources["Score"]) and "red" in set(sources["Zone"])


def test_peringkat_in_english(demo_db, demo_store, use_db):
    from metrics.core import bahasa, formatting
    from metrics.engine import benchmark

    at = app(demo_db, use_db, bahasa="en").run()
    assert not at.exception
    assert at.title[0].value == "Kecamatan ranking"
    latest = demo_store.latest_period()
    table = benchmark.league_table(demo_store, latest)
    ranked = table[table["diperingkat"]]
    with bahasa.dalam("en"):
        scores = [formatting.angka(v, 1) for v in ranked["skor"]]
        coverage = [formatting.persen(v) for v in ranked["cakupan"]]
        month = formatting.bulan(latest)
    assert at.metric[0].label == "Ranked" and at.metric[0].value == f"{len(ranked)} of 25"
    assert at.metric[1].delta.endswith("since last month")
    assert at.caption[0].value.startswith(f"{month} · Tiru Index 0–100") and "≥ 70%" in at.caption[0].value
    shown = at.dataframe[0].value
    assert list(shown.columns) == ["Rank", "Kecamatan", "Tiru Index", "Rank range", "Movement", "Data coverage",
                                   "Profile"]
    assert list(shown["Tiru Index"]) == scores and list(shown["Data coverage"]) == coverage
    assert all(link.endswith("&bahasa=en") for link in shown["Profile"])
    assert at.header[0].value == "Not ranked"
    assert list(at.dataframe[1].value.columns) == ["Kecamatan", "Data coverage", "No data",
                                                   "Movement"]
    at.selectbox(key="urut").set_value("ikm").run()
    assert not at.exception
    shown = at.dataframe[0].value
    assert list(shown.columns[-4:]) == ["Indicator score", "Value", "Category", "Profile"]
    assert shown["Category"].iloc[0].startswith("Grade ")
    assert at.selectbox(key="urut").format_func("pilar:kecepatan") == "Pillar Speed"


def test_profil_in_english(demo_db, demo_store, use_db):
    from metrics.core import bahasa, formatting
    from metrics.engine import benchmark

    at = app(demo_db, use_db, page="pages/kecamatan.py", kecamatan="12.09.19", bahasa="en").run()
    assert not at.exception
    assert at.title[0].value == "Kecamatan profile"
    assert at.header[0].value == "Kota Kisaran Barat · 12.09.19"
    latest = demo_store.latest_period()
    table = benchmark.league_table(demo_store, latest).set_index("kode_kecamatan")
    row = table.loc["12.09.19"]
    with bahasa.dalam("en"):
        score = formatting.angka(row["skor"], 1)
        month = formatting.bulan(latest)
    assert at.metric[0].label == "Rank"
    assert at.metric[0].value == f"{int(row['peringkat'])} of {int(table['diperingkat'].sum())}"
    assert at.metric[3].label == "Tiru Index" and at.metric[3].value == score
    assert at.get("download_button")[0].label == "Download the report card of Kota Kisaran Barat (PDF, A4)"
    assert any(m.value == f"### Next steps · {month}" for m in at.markdown)
    steps = [m.value for m in at.markdown if m.value.startswith("1. ")]
    assert steps and "Reaching the model adds about" in steps[0]
    card = at.dataframe[0].value
    assert list(card.columns[:6]) == ["Indicator", "Value", "Model", "Gap", "Score", "Category"]
    assert set(card["Direction"]) <= {"↑ higher is better", "↓ lower is better"}
    assert "Average waiting time before service" in set(card["Indicator"])
    assert list(at.dataframe[1].value.columns) == ["Innovation", "Stage", "Since"]


def test_profil_of_an_unranked_kecamatan_in_english(demo_db, use_db):
    at = app(demo_db, use_db, page="pages/kecamatan.py", kecamatan="12.09.17", bahasa="en").run()
    assert not at.exception
    assert at.metric[0].value == "not yet" and "Not ranked" in at.metric[0].help
    assert any(w.value.startswith("Not ranked in ") and "No valid data yet for:" in w.value for w in at.warning)
    assert (at.dataframe[0].value["Value"] == "no data").sum() >= 4
