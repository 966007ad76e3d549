"""One truth in every channel (#19): every number, movement, count, status and label a user takes
away reads back as the presentation layer (metrics/presentation) says — on the page (AppTest), in
the CLI's CSV and table, the Excel download (openpyxl), the pack (python-pptx), the brief and the
rapor (pypdf), the WhatsApp text and the chart figure.

Four states: a final demo month (October 2026), a provisional month (November 2026, 20 of 25
reported, 3 drop-outs; tests/sementara_support.py) before and after its deadline, and a sparse
database (one kecamatan, one month). The databases are built once per session (conftest).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

import pandas as pd
import pytest
from sementara_support import SEBELUM, SESUDAH

from metrics.core import periode as per
from metrics.data.store import Store
from metrics.engine import benchmark
from metrics.presentation import keadaan, tabel, tampil
from metrics.reports import deck_spec


@dataclass
class Keadaan:
    name: str
    db: object
    periode: int
    today: str
    demo: bool


@pytest.fixture(scope="module", params=["final", "sebelum_tenggat", "sesudah_tenggat", "jarang"])
def state(request, demo_db, sementara_db, sparse_dbs):
    if request.param == "final":
        return Keadaan("final", demo_db, per.parse("2026-10"), SESUDAH, True)
    if request.param == "jarang":
        return Keadaan("jarang", sparse_dbs["satu_kecamatan"][0], per.parse("2026-09"), SESUDAH, False)
    today = SEBELUM if request.param == "sebelum_tenggat" else SESUDAH
    return Keadaan(request.param, sementara_db, per.parse("2026-11"), today, True)


@pytest.fixture
def env(state, monkeypatch):
    monkeypatch.setenv("TIRU_DB", str(state.db))
    monkeypatch.setenv("TIRU_DEMO", "1" if state.demo else "0")
    monkeypatch.setenv("TIRU_HARI_INI", state.today)
    return state


@pytest.fixture
def truth(env):
    """What the presentation layer says of the month: per kecamatan the shown Indeks, movement and
    rank; the counts; the month's state."""
    store = Store(env.db)
    table = benchmark.league_table(store, env.periode)
    rows = {
        r.kecamatan: {
            "indeks": tampil.indeks_teks(r.skor),
            "nilai": tampil.indeks(r.skor),
            "perubahan": r.perubahan,
            "status": r.status_gerak if isinstance(r.status_gerak, str) else None,
            "gerak": tampil.gerak_teks(r.perubahan, r.gerak, r.status_gerak),
            "cetak": tampil.gerak_teks(r.perubahan, r.gerak, r.status_gerak, rank=tampil.peringkat_kata),
            "peringkat": r.peringkat,
            "diperingkat": bool(r.diperingkat),
        }
        for r in table.itertuples()
    }
    return {"store": store, "table": table, "rows": rows, "hitung": tampil.hitung(table["status_gerak"]),
            "keadaan": keadaan.dari_store(store, env.periode)}


def same_number(a, b) -> bool:
    return (a is None or pd.isna(a)) and (b is None or pd.isna(b)) or a == pytest.approx(b)


# --------------------------------------------------------------------------- the page, its chart and its Excel


def test_the_peringkat_page_its_chart_its_excel_and_its_share_text(env, truth, use_db, monkeypatch):
    import streamlit as st
    from openpyxl import load_workbook
    from page_support import open_page, open_share

    from metrics.reports import tabel_excel

    captured = {}
    original = st.download_button

    def recording(label, data=None, *args, **kwargs):
        captured.setdefault(kwargs.get("key"), data)
        return original(label, data, *args, **kwargs)

    monkeypatch.setattr(st, "download_button", recording)
    at = open_page(env.db, use_db, "pages/tabel_peringkat.py", with_demo=env.demo, periode=per.fmt(env.periode))
    assert not at.exception, at.exception
    rows, state = truth["rows"], truth["keadaan"]
    ranked = {k: v for k, v in rows.items() if v["diperingkat"]}
    column = tabel.league_columns()
    if ranked:
        shown = at.dataframe[0].value
        for r in shown.itertuples(index=False):
            row = dict(zip(shown.columns, r, strict=True))
            expected = rows[row[column["kecamatan"]]]
            assert row[column["indeks"]] == expected["indeks"]
            assert row[column["gerak"]] == expected["gerak"]
        # the chart: the shown Indeks on every bar, the month's footer under it
        spec = json.loads(at.get("plotly_chart")[0].proto.spec)
        bars = spec["data"][0]
        assert dict(zip(bars["y"], bars["text"], strict=True)) == {k: v["indeks"] for k, v in ranked.items()}
        footer = [a["text"].replace("<br>", " · ") for a in spec["layout"]["annotations"]
                  if a.get("name") == "tiru-kaki"]
        assert footer == [state.kaki_singkat()]
        # the Excel download: numbers numeric, the change of the shown Indeks signed
        book = load_workbook(io.BytesIO(captured["unduh_excel_peringkat"]())).active
        top = tabel_excel.HEADER_ROWS + 1
        names = [c.value for c in book[top]]
        for line in book.iter_rows(min_row=top + 1, values_only=True):
            cell = dict(zip(names, line, strict=True))
            expected = rows[cell[column["kecamatan"]]]
            assert cell[column["indeks"]] == pytest.approx(expected["nilai"])
            change = cell["Perubahan Indeks"]
            assert same_number(None if change == "—" else change, expected["perubahan"]
                               if expected["status"] in ("naik", "turun", "tetap") else None)
    # the month's status on the page and in the share text
    texts = open_share(at)
    if state.final:
        assert any(state.baris() in x for x in texts)
    else:
        assert any(state.baris() in x for x in texts), texts
        assert "sementara" in " ".join(c.value for c in at.caption)


def ascii_sign(text: str) -> str:
    """st.metric reads a delta's direction from a leading ASCII '-': the page writes the minus so."""
    return text.replace("\u2212", "-")


def test_the_ringkasan_page_median_its_change_and_the_change_in_both_months(env, truth, use_db):
    from page_support import open_page

    from metrics.core.bahasa import t

    store, table = truth["store"], truth["table"]
    history = benchmark.composite_history(store, store.periods()[0], env.periode)
    series = benchmark.kabupaten_series(history).set_index("periode")
    median = series["median"].get(env.periode)
    change = tampil.perubahan(median, series["median"].get(env.periode - 1))
    at = open_page(env.db, use_db, "pages/ikhtisar_kabupaten.py", with_demo=env.demo, periode=per.fmt(env.periode))
    assert not at.exception, at.exception
    kpi = at.metric[0]
    assert kpi.label == t("istilah.kpi.median_indeks")
    assert kpi.value == tampil.indeks_teks(median)
    # the shown change (shown Indeks now − shown before), signed as tampil.bertanda but in ASCII for st.metric
    assert (kpi.delta or None) == tampil.median_gerak(change)
    if pd.notna(change) and change:
        assert ascii_sign(tampil.bertanda(change)) in kpi.delta
    same = tampil.catatan_sama(change, table["status_gerak"], table["perubahan"])
    captions = [c.value for c in at.caption]
    if same:
        assert same in captions
    n, both = tampil.gerak_sama(table["status_gerak"], table["perubahan"])
    if env.name == "sesudah_tenggat":  # drop-outs: the change among those in both months is said
        assert n and same and tampil.bertanda(both) in same


def test_the_profil_page_rank_indeks_and_movement(env, truth, use_db):
    from page_support import open_page

    from metrics.core.bahasa import t

    table = truth["table"]
    moved = table[table["status_gerak"].isin(["naik", "turun", "tetap"])]
    row = (moved if len(moved) else table[table["skor"].notna()] if table["skor"].notna().any() else table).iloc[0]
    at = open_page(env.db, use_db, "pages/kecamatan.py", with_demo=env.demo, periode=per.fmt(env.periode),
                   kecamatan=row["kode_kecamatan"])
    assert not at.exception, at.exception
    shown = {m.label: m.value for m in at.metric}
    expected = truth["rows"][row["kecamatan"]]
    assert shown[t("istilah.indeks_tiru")] == expected["indeks"]
    if expected["diperingkat"]:
        n_ranked = int(table["diperingkat"].sum())
        assert shown[t("istilah.peringkat")] == t("profil.kpi.peringkat_nilai", peringkat=int(expected["peringkat"]),
                                                  total=n_ranked)
        assert shown[t("profil.kpi.gerak")] == expected["gerak"]
    else:
        assert shown[t("istilah.peringkat")] == t("profil.kpi.belum")


# --------------------------------------------------------------------------- the CLI


def test_the_cli_csv_and_table(env, truth, capsys):
    from metrics.ops.cli import main

    assert main(["ranking", "--periode", per.fmt(env.periode)]) == 0
    out = capsys.readouterr().out
    for row in csv.DictReader(out.splitlines()):
        expected = truth["rows"][row["kecamatan"]]
        assert same_number(float(row["indeks"]) if row["indeks"] else None, expected["nilai"])
        assert same_number(float(row["perubahan"]) if row["perubahan"] else None, expected["perubahan"])
        assert row["status_gerak"] == (expected["status"] or "")
    assert main(["ranking", "--format", "table", "--periode", per.fmt(env.periode)]) == 0
    out = capsys.readouterr().out
    assert truth["keadaan"].baris() in out
    for name, expected in truth["rows"].items():
        line = next(x for x in out.splitlines() if f"  {name}  " in x)
        assert f"  {expected['indeks']}  " in line and (expected["gerak"] == "—" or expected["gerak"] in line)


# --------------------------------------------------------------------------- the pack, the brief, the rapor, WhatsApp


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def test_the_pack_the_brief_the_rapor_and_the_whatsapp_text(env, truth):
    from pptx import Presentation

    from metrics.reports import teks_bagikan as ringkas
    from metrics.reports import laporan_bulanan as laporan, pptx_pack, rapor, slides

    inputs = deck_spec.gather(truth["store"], env.periode)
    state, rows, counts = truth["keadaan"], truth["rows"], truth["hitung"]
    assert inputs.keadaan == state
    # the pack: the ranking table's Indeks and movement as shown, the state in every footer
    deck = slides.deck(inputs)
    prs = Presentation(io.BytesIO(pptx_pack.to_bytes(deck)))
    cells = [[c.text for c in r.cells] for s in prs.slides for shape in s.shapes if shape.has_table
             for r in list(shape.table.rows)[1:]]
    listed = {r[1]: r for r in cells if len(r) == 5 and r[1] in rows}
    for name, r in listed.items():
        assert r[2] == rows[name]["indeks"]
        if rows[name]["diperingkat"] or rows[name]["status"] == "keluar":
            assert r[4] == rows[name]["cetak"]
    footers = {shape.text_frame.text for s in prs.slides for shape in s.shapes
               if shape.has_text_frame and shape.text_frame.text.startswith("Tiru · Kabupaten Asahan")}
    if not state.final:
        assert footers and all(state.baris() in f for f in footers)
    if env.demo:
        assert all("DATA CONTOH" in f for f in footers)
    # the brief: the state line, the counts, the movers as shown
    if not laporan.is_empty(inputs):
        text = pdf_text(laporan.to_bytes(inputs))
        assert " ".join(state.baris().split()) in text
        if counts.terbanding:
            assert f"{counts.naik} naik, {counts.turun} turun, {counts.tetap} tetap" in text
            assert f"{counts.naik} kecamatan naik dan {counts.turun} turun" in text
        for name, r in rows.items():
            if r["status"] == "keluar":
                assert name in text
        if env.demo:
            assert "DATA CONTOH" in text
    # the rapor of the first kecamatan: its Indeks and movement as shown
    first = truth["table"].iloc[0]
    text = pdf_text(rapor.to_bytes(inputs, [first["kode_kecamatan"]]))
    expected = rows[first["kecamatan"]]
    assert expected["indeks"] in text
    if expected["diperingkat"] and expected["status"]:
        assert " ".join(expected["cetak"].split()) in text
    # WhatsApp
    message = ringkas.peringkat("Peringkat", truth["table"], env.periode, env.demo, keadaan=state)
    for r in truth["table"][truth["table"]["diperingkat"]].head(3).itertuples():
        assert f"{r.kecamatan} ({rows[r.kecamatan]['indeks']})" in message
    assert state.baris() in message and (not env.demo or "DATA CONTOH" in message)


def test_the_sparse_state_is_what_it_is(env, truth):
    """Guards the fixture: the states are the ones this file claims."""
    state, counts = truth["keadaan"], truth["hitung"]
    if env.name == "final":
        assert state.final and counts.terbanding > 0
    elif env.name == "jarang":
        assert sum(r["diperingkat"] for r in truth["rows"].values()) <= 1 and counts.terbanding == 0
    else:
        assert state.status == "sementara" and (state.lengkap, state.total) == (20, 25)
        assert counts.keluar == 3 and counts.terbanding == 19
        assert state.jatuh_tempo == (env.name == "sesudah_tenggat")
    assert state.periode == env.periode
