"""The camat's phone (#22): every page at 390×844 (touch, device scale 2) scrolls only downwards, cuts no
label, and Profil's first screen holds the kecamatan, the month and its status, the rank with its range on
one line and the Indeks with its movement and coverage. Screenshots in artifacts/screenshots/ponsel/.
Skipped without chromium unless TIRU_REQUIRE_BROWSER=1 (as .ci/run sets).
"""

from __future__ import annotations

import re

import pytest
from browser_support import ROOT, serve, stop

from metrics.core import formatting
from metrics.core import periode as per
from metrics.data.store import Store
from metrics.engine import benchmark

SHOTS = ROOT / "artifacts" / "screenshots" / "ponsel"
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
PAGES = ["", "peringkat", "profil", "perbandingan", "tren", "peta", "inovasi", "mode-rapat", "kelola", "metodologi"]
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'

# Wider than the screen: the document or the main column scrolls sideways.
OVERFLOW = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  return {document: document.documentElement.scrollWidth, main: main.scrollWidth, screen: innerWidth};
}"""

# Labels cut on screen: text boxes narrower than their text (an ellipsis or clipping), and chart titles,
# legends and axis titles that run past their chart's edge (Plotly does not wrap them).
CUT = """() => {
  const boxes = '[data-testid="stMain"] :is(h1, h2, h3, p, li, label, [data-testid="stMetricValue"] > div,'
    + ' [data-testid="stMetricLabel"] [data-testid="stMarkdownContainer"], [data-testid="stPageLink-NavLink"] span,'
    + ' [data-testid="stTable"] th, [data-baseweb="tab"] p)';
  const cut = [...document.querySelectorAll(boxes)]
    .filter(e => e.offsetParent !== null && e.clientWidth > 0 && !e.closest('[data-testid="stCode"], .katex-display')
      && (e.scrollWidth > e.clientWidth + 1
          || (getComputedStyle(e).textOverflow === 'ellipsis' && e.scrollWidth > e.clientWidth)))
    .map(e => e.innerText.slice(0, 60));
  for (const plot of document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot')) {
    const edge = plot.getBoundingClientRect();
    if (edge.width === 0) continue;
    for (const text of plot.querySelectorAll('.gtitle, .legendtext, .xtitle, .ytitle')) {
      const r = text.getBoundingClientRect();
      if (r.width > 0 && (r.left < edge.left - 1 || r.right > edge.right + 1)) cut.push(text.textContent.slice(0, 60));
    }
  }
  return cut;
}"""


@pytest.fixture(scope="module")
def demo_server(demo_db):
    process, url = serve(demo_db, True)
    yield url
    stop(process)


def on_phone(browser, url: str):
    page = browser.new_page(**PHONE)
    page.goto(url, timeout=90_000)
    page.locator("h1").first.wait_for(timeout=90_000)
    page.locator(IDLE).wait_for(timeout=90_000)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1200)  # charts finish drawing after the last message
    return page


@pytest.mark.parametrize("path", PAGES)
def test_no_page_scrolls_sideways_or_cuts_a_label(browser, demo_server, path):
    page = on_phone(browser, f"{demo_server}/{path}")
    assert page.locator('[data-testid="stException"]').count() == 0
    # Streamlit closes the sidebar on a phone: the page has the whole width.
    assert page.locator('[data-testid="stSidebar"]').get_attribute("data-collapsed") == "true"
    widths = page.evaluate(OVERFLOW)
    assert widths["document"] <= widths["screen"] and widths["main"] <= widths["screen"], widths
    assert page.evaluate(CUT) == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{path or 'ringkasan'}-390x844.png"))
    page.close()


def test_profil_first_screen_holds_the_standing(browser, demo_server, demo_db):
    store = Store(demo_db)
    periode = store.latest_period()
    row = benchmark.league_table(store, periode).set_index("kode_kecamatan").loc["12.09.08"]
    page = on_phone(browser, f"{demo_server}/profil?kecamatan=12.09.08&periode={per.fmt(periode)}")
    facts = {
        "kecamatan": "Meranti · 12.09.08",
        "bulan": f"{formatting.bulan(periode)} · final",
        "peringkat": f"Peringkat {int(row['peringkat'])} dari ",
        "rentang": f"rentang {int(row['peringkat_min'])}–{int(row['peringkat_max'])}",
        "indeks": f"Indeks Tiru {formatting.angka(row['skor'], 1)}",
        "cakupan": f"cakupan {formatting.persen(row['cakupan'])}",
    }
    for name, text in facts.items():
        box = page.get_by_text(text, exact=False).first.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 844, (name, text, box)
    # The rank and its range share one line.
    line = page.locator(".st-key-profil-ringkas p").first.inner_text().splitlines()
    assert any(facts["peringkat"] in part and facts["rentang"] in part for part in line), line
    # The next screen: the largest gaps and what to do about them.
    steps = page.get_by_role("heading", name=re.compile("Langkah berikutnya")).first.bounding_box()
    assert steps is not None and steps["y"] < 2 * 844
    page.close()


def test_peringkat_is_a_list_of_profiles_opened_by_a_tap(browser, demo_server):
    page = on_phone(browser, f"{demo_server}/peringkat")
    first = page.locator(".st-key-daftar-peringkat a").first
    first.wait_for(state="visible", timeout=20_000)
    assert not page.locator(".st-key-tabel-peringkat").is_visible()  # the wide table is not shown
    assert re.match(r"1\. .+ · \d+,\d · ", first.inner_text())
    first.tap()
    page.get_by_role("heading", name="Profil kecamatan").first.wait_for(timeout=45_000)
    page.close()


def test_bagikan_copy_buttons_show_without_hover(browser, demo_server):
    page = on_phone(browser, f"{demo_server}/peringkat")
    page.get_by_role("button", name="Bagikan").first.tap()
    code = page.locator('[data-testid="stCode"]').first
    code.wait_for(timeout=20_000)
    copy = code.locator('[data-testid="stElementToolbarButton"] button').first
    assert copy.is_visible()
    assert page.evaluate("""() => { let e = document.querySelector('[data-testid="stCode"] [data-testid="stElementToolbarButton"]');
        for (; e; e = e.parentElement) if (getComputedStyle(e).opacity === '0') return false; return true; }""")
    page.close()
