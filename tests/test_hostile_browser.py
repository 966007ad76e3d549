"""XSS payloads stored in names, evidence notes and recorders are inert in a real browser.

The payloads go in through the store (a kecamatan name changed by store.write, adoption
events recorded with Store.record_adoption); the pages are opened in Debian's Chromium. A
payload that ran would open an alert dialog, create an <img src=x> or a javascript: link.
Skipped without chromium unless TIRU_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import datetime as dt

import pytest

from metrics.data.build import DATA_DIR, ROOT, build
from metrics.data.store import Store
from metrics.ops import beban

IMG_NAME = "<img src=x onerror=alert('nama')>Kisaran Barat"
LINK_NAME = "[klik](javascript:alert('tautan')) Kisaran Timur"
BUKTI = "<img src=x onerror=alert('bukti')> javascript:alert('bukti2') [lihat](javascript:alert('bukti3'))"
OLEH = "<script>alert('oleh')</script>"
# An observation's and the model's source (#12.8): a link and 60 px red text in a Plotly hover, an image
# (a request to another host: a tracking beacon) and KaTeX in a caption.
SUMBER = '<a href="http://evil.example/x">klik</a><span style="font-size:60px;color:red">BESAR</span>'
MODEL_SUMBER = "![pelacak](http://127.0.0.1:9/beacon.png) $\\frac{a}{b}$ <b>tebal</b> [tautan](http://evil.example)"
# URL path and query -> a heading that shows the page is there.
VISITS = [
    ("", "Ringkasan kabupaten"),
    ("peringkat", "Peringkat kecamatan"),
    ("profil?kecamatan=12.09.19", "Profil kecamatan"),
    ("profil?kecamatan=12.09.20", "Profil kecamatan"),
    ("perbandingan?banding=12.09.19,12.09.20,12.09.08", "Perbandingan kecamatan"),
    ("tren?kecamatan=12.09.19,12.09.20", "Tren indikator"),
    ("tren?indikator=waktu_tunggu&kecamatan=12.09.19", "Tren indikator"),
    ("peta", "Peta kecamatan"),
    ("inovasi?inovasi=antrean_digital&kecamatan=12.09.19", "Adopsi inovasi"),
    ("inovasi?inovasi=paten&kecamatan=12.09.20", "Adopsi inovasi"),
    ("mode-rapat", "Mode Rapat"),
]


@pytest.fixture(scope="module")
def hostile_server(browser, tmp_path_factory):
    work = tmp_path_factory.mktemp("xss")
    db = build(work / "tiru.duckdb", DATA_DIR, with_demo=True)
    store = Store(db)

    def rename(con, batch):
        for kode, nama in (("12.09.19", IMG_NAME), ("12.09.20", LINK_NAME)):
            con.execute("UPDATE kecamatan SET nama = $nama WHERE kode = $kode", {"nama": nama, "kode": kode})
        con.execute("INSERT INTO observasi VALUES ('12.09.19', DATE '2026-10-01', 'waktu_tunggu', 31.5, $s, $s, $b)",
                    {"s": SUMBER, "b": batch})
        con.execute("UPDATE model SET sumber = $s, sumber_en = NULL WHERE indikator = 'waktu_tunggu'",
                    {"s": MODEL_SUMBER})

    store.write(rename, jenis="uji", oleh="test_hostile_browser")
    for kode, inovasi in (("12.09.19", "antrean_digital"), ("12.09.20", "paten")):
        for tahap in (1, 3):
            store.record_adoption(kode, inovasi, tahap, dt.date(2026, tahap, 2), BUKTI, OLEH)
    store.close()
    server = beban.serve(beban.APP, {"TIRU_DB": str(db), "TIRU_DEMO": "1"}, work, cwd=ROOT)
    try:
        server.wait_healthy()
        page = browser.new_page()  # warm-up: the first session opens the root (README, known limitations)
        page.goto(server.url)
        page.get_by_role("heading", name="Ringkasan kabupaten").first.wait_for(timeout=60_000)
        page.close()
        yield server.url
    finally:
        server.stop()


@pytest.mark.parametrize("path,heading", VISITS, ids=[v[0] or "ringkasan" for v in VISITS])
def test_stored_payloads_are_inert(browser, hostile_server, path, heading):
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    dialogs, elsewhere = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("request", lambda request: None if request.url.startswith((hostile_server, "data:", "blob:"))
            else elsewhere.append(request.url))
    page.goto(f"{hostile_server}/{path}")
    page.get_by_role("heading", name=heading).first.wait_for(timeout=60_000)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1500)  # charts and tables finish drawing
    for expander in page.locator('[data-testid="stExpander"] summary').all()[:6]:
        expander.click()  # open what is folded, so payloads inside are rendered too
    page.wait_for_timeout(500)
    page.mouse.move(400, 400)
    assert dialogs == [], f"a payload ran: {dialogs}"
    assert page.evaluate("document.querySelectorAll('img[src=\"x\"]').length") == 0
    assert page.evaluate("[...document.querySelectorAll('a[href]')].filter(a => "
                         "a.getAttribute('href').trim().toLowerCase().startsWith('javascript:')).length") == 0
    assert page.evaluate("[...document.scripts].filter(s => s.text.includes(\"alert('oleh')\")).length") == 0
    assert page.locator('[data-testid="stException"]').count() == 0
    assert elsewhere == [], f"a request left the server: {elsewhere}"
    assert page.evaluate("[...document.querySelectorAll('*')].filter(e => e.style && e.style.fontSize === '60px')"
                         ".length") == 0
    assert page.evaluate("document.querySelectorAll('a[href^=\"http://evil\"]').length") == 0
    assert page.evaluate("[...document.querySelectorAll('.katex')].filter(k => k.textContent.includes('b'))"
                         ".length") == 0
    if path.startswith("tren"):
        page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    hover = page.evaluate("[...document.querySelectorAll('.js-plotly-plot')].map(d => JSON.stringify("
                          "(d.data || []).map(t => [t.hovertext, t.text, t.name]))).join(' ')")
    for raw in ('<a href="http://evil', '<span style="font-size:60px'):
        assert raw not in hover, hover[max(0, hover.find(raw) - 300):hover.find(raw) + 100]
    body = page.inner_text("body").replace("\u2060", "")  # the word joiner that keeps a URL from data unlinked
    if path == "profil?kecamatan=12.09.19":  # shown as the literal text it is
        assert f"{IMG_NAME} · 12.09.19" in body
    if path == "tren?indikator=waktu_tunggu&kecamatan=12.09.19":  # the source is shown, as text
        assert "![pelacak](http://127.0.0.1:9/beacon.png)" in body
        assert '&lt;a href=&quot;http://evil.example/x&quot;&gt;klik' in hover
    if path == "profil?kecamatan=12.09.20":
        assert "12.09.20" in body and "Kisaran Timur" in body
    page.close()
