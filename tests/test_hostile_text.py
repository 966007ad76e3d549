"""Text from data is shown as text (#12.8): an observation's and the model's `sumber` never become
HTML in Plotly hover texts, legends or titles, nor Markdown (links, images, KaTeX) in captions.

The payloads go in as a real (non-demo) batch and a model source an admin could type; every page is
opened in AppTest and every chart's spec and every Markdown element is read back.
"""

from __future__ import annotations

import json

import pytest
from page_support import open_page

from metrics.data.build import DATA_DIR, build
from metrics.data.store import Store

SUMBER = '<a href="http://evil.example/x">klik</a><span style="font-size:60px;color:red">BESAR</span>'
MODEL_SUMBER = "![pelacak](http://127.0.0.1:9/beacon.png) $\\frac{a}{b}$ <b>tebal</b> [tautan](http://evil.example)"
PAGES = [
    ("pages/tren_indikator.py", {"indikator": "waktu_tunggu", "kecamatan": "12.09.19"}),
    ("pages/kecamatan.py", {"kecamatan": "12.09.19"}),
    ("pages/banding.py", {"banding": "12.09.19,12.09.20", "indikator": "waktu_tunggu"}),
    ("pages/peta_kecamatan.py", {"indikator": "waktu_tunggu"}),
    ("pages/ikhtisar_kabupaten.py", {}),
    ("pages/tabel_peringkat.py", {}),
    ("pages/rapat.py", {}),
    ("pages/metode.py", {}),
]


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    db = build(tmp_path_factory.mktemp("teks") / "tiru.duckdb", DATA_DIR, with_demo=True)

    def payloads(con, batch):
        con.execute("INSERT INTO observasi VALUES ('12.09.19', DATE '2026-10-01', 'waktu_tunggu', 31.5, $s, $s, $b)",
                    {"s": SUMBER, "b": batch})
        con.execute("UPDATE model SET sumber = $s, sumber_en = NULL WHERE indikator = 'waktu_tunggu'",
                    {"s": MODEL_SUMBER})

    Store(db).write(payloads, jenis="observasi", oleh="test_hostile_text")
    return db


def chart_texts(at) -> str:
    """Every chart's spec, decoded (strings arrive plain; numbers may be base64)."""
    return "\n".join(json.dumps(json.loads(chart.proto.spec), ensure_ascii=False) for chart in at.get("plotly_chart"))


def markdown_texts(at) -> list[str]:
    kinds = ("markdown", "caption", "info", "warning", "error", "success")
    return [element.value for kind in kinds for element in at.get(kind)]


@pytest.mark.parametrize("page,query", PAGES, ids=[p for p, _ in PAGES])
def test_data_text_stays_text(hostile_db, use_db, page, query):
    at = open_page(hostile_db, use_db, page, **query)
    assert not at.exception, at.exception
    charts = chart_texts(at)
    for raw in ('<a href="http://evil', '<span style="font-size:60px', "<b>tebal", "&lt;b&gt;tebal</b>"):
        at_ = charts.find(raw)
        assert at_ < 0, f"{page}: {raw!r} reaches a chart as markup: …{charts[max(0, at_ - 300):at_ + 80]}"
    for text in markdown_texts(at):
        assert "](http" not in text, f"{page}: a Markdown link or image from data: {text!r}"
        assert "$\\frac" not in text, f"{page}: KaTeX from data: {text!r}"
    if page == "pages/tren_indikator.py":  # the payload did reach the hover, as the text it is
        assert "&lt;a href=&quot;http://evil.example/x&quot;&gt;klik&lt;/a&gt;" in charts
    helps = json.dumps([getattr(e.proto, "help", "") for e in at.get("metric")])
    assert "](http" not in helps
