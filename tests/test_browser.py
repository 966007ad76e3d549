"""Smoke test in a real browser: every page served by `tiru serve` (as the README says) opens
with no error. Screenshots at 1920×1080 and 1280×720 are kept in artifacts/screenshots/.
"""

from __future__ import annotations

import pytest
from browser_support import ROOT, serve, stop

SHOTS = ROOT / "artifacts" / "screenshots"
# URL path -> heading; the default page (Ringkasan) is served at the root.
PAGES = {
    "": "Ringkasan kabupaten",
    "peringkat": "Peringkat kecamatan",
    "profil": "Profil kecamatan",
    "perbandingan": "Perbandingan kecamatan",
    "tren": "Tren indikator",
    "peta": "Peta kecamatan",
    "inovasi": "Adopsi inovasi",
    "mode-rapat": "Mode Rapat",
    "kelola": "Kelola Data",
    "metodologi": "Metodologi",
}
VIEWPORTS = {"1920x1080": (1920, 1080), "1280x720": (1280, 720)}


@pytest.fixture(scope="module")
def demo_server(demo_db):
    process, url = serve(demo_db, True)
    yield url
    stop(process)


@pytest.fixture(scope="module")
def empty_server(empty_db):
    process, url = serve(empty_db, False)
    yield url
    stop(process)


def _open(browser, url: str, title: str, size: tuple[int, int]):
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.goto(url, timeout=90_000)
    page.get_by_role("heading", name=title).first.wait_for(timeout=45_000)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1200)  # charts finish drawing after the last message
    return page


def _assert_no_error(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "Page not found" not in page.inner_text("body")
    body = page.inner_text("body")
    assert "Traceback" not in body and "Error" not in body.replace("Error details", "")


def test_the_first_visit_after_a_start_may_be_a_deep_link(browser, demo_server):
    # Must stay the first test using demo_server: it proves that `tiru serve` answers a
    # bookmarked profile link on a fresh process without Streamlit's "Page not found".
    page = _open(browser, f"{demo_server}/profil?kecamatan=12.09.20", PAGES["profil"], VIEWPORTS["1280x720"])
    _assert_no_error(page)
    assert "Kota Kisaran Timur · 12.09.20" in page.inner_text("body")
    page.close()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("path", list(PAGES))
def test_page_opens_without_error_on_demo_data(browser, demo_server, path, viewport):
    page = _open(browser, f"{demo_server}/{path}", PAGES[path], VIEWPORTS[viewport])
    _assert_no_error(page)
    body = page.inner_text("body")
    assert "DATA CONTOH" in body  # the one-line badge; on Mode Rapat the slide's own badge
    if path != "mode-rapat":
        assert "angka layanan kecamatan di layar ini dibangkitkan untuk peragaan" in body
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{path or 'beranda'}-{viewport}.png"), full_page=viewport == "1920x1080")
    page.close()


# Labels that must show whole at 1280 px: headings, metric labels and values, st.table headers, links
# and multiselect chips (#15).
CUT = """() => [...document.querySelectorAll('[data-testid="stMain"] :is(h1, h2, h3), [data-testid="stMetricLabel"] p,'
  + ' [data-testid="stMetricValue"] > div, [data-testid="stTable"] th, [data-testid="stAlertContentWarning"] p,'
  + ' [data-testid="stMain"] [data-testid="stPageLink-NavLink"] p, [data-testid="stMain"] [data-testid="stMultiSelectTagsContainer"]')]
  .filter(el => el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1)
  .concat([...document.querySelectorAll('[data-testid="stMetricLabel"] [data-testid="stMarkdownContainer"]')]
    .filter(el => el.clientWidth > 0 && el.scrollWidth > el.clientWidth))  // an ellipsis can cut 1 px short
  .map(el => el.innerText.slice(0, 50))"""


@pytest.mark.parametrize("path", list(PAGES))
def test_no_label_is_cut_at_1280(browser, demo_server, path):
    page = _open(browser, f"{demo_server}/{path}", PAGES[path], VIEWPORTS["1280x720"])
    assert page.evaluate(CUT) == []
    if path == "profil":  # an unranked kecamatan: its rank metric says so in full
        page.goto(f"{demo_server}/profil?kecamatan=12.09.17")
        page.get_by_text("Bandar Pasir Mandoge · 12.09.17").wait_for(timeout=45_000)
        page.wait_for_load_state("networkidle")
        assert page.evaluate(CUT) == []
    page.close()


def test_peringkat_chart_is_drawn(browser, demo_server):
    page = _open(browser, f"{demo_server}/peringkat", PAGES["peringkat"], VIEWPORTS["1920x1080"])
    chart = page.locator(".js-plotly-plot")
    chart.first.wait_for(timeout=30_000)
    assert "Indeks Tiru per kecamatan" in chart.first.inner_text()
    page.close()


@pytest.mark.parametrize("path", list(PAGES))
def test_page_opens_without_error_on_an_empty_database(browser, empty_server, path):
    page = _open(browser, f"{empty_server}/{path}", PAGES[path], VIEWPORTS["1280x720"])
    _assert_no_error(page)
    assert "angka layanan kecamatan di layar ini dibangkitkan" not in page.inner_text("body")  # no demo strip
    page.screenshot(path=str(SHOTS / f"{path or 'beranda'}-kosong-1280x720.png"))
    page.close()


def test_profil_scorecard_fits_at_1366(browser, demo_server):
    # Every column of the scorecard is on screen on a 1366 px laptop: no sideways scrolling (#15.6).
    page = _open(browser, f"{demo_server}/profil?kecamatan=12.09.08", PAGES["profil"], (1366, 768))
    page.locator('[data-testid="stDataFrame"] .dvn-scroller').first.wait_for(state="attached", timeout=30_000)
    widths = page.evaluate("""() => [...document.querySelectorAll('[data-testid="stDataFrame"] .dvn-scroller')]
      .map(e => [e.scrollWidth, e.clientWidth])""")
    assert widths and widths[0][0] <= widths[0][1] + 1, widths
    page.close()


def test_a_chart_downloads_as_png_from_its_toolbar(browser, demo_server, demo_store):
    # Plotly's own camera, shown when the pointer is on the chart, saves a PNG named after the page
    # and the month: a picture for the WhatsApp group (#15).
    from metrics.core import periode as per

    page = browser.new_page(viewport={"width": 1280, "height": 720}, accept_downloads=True)
    page.goto(f"{demo_server}/peringkat", timeout=90_000)
    chart = page.locator(".js-plotly-plot").first
    chart.wait_for(timeout=45_000)
    chart.scroll_into_view_if_needed()
    chart.hover()
    camera = chart.locator('.modebar-btn[data-title*="png" i]')
    camera.wait_for(timeout=10_000)
    with page.expect_download(timeout=30_000) as download:
        camera.click()
    saved = download.value
    assert saved.suggested_filename == f"tiru-peringkat-{per.fmt(demo_store.latest_period())}.png"
    with open(saved.path(), "rb") as png:
        assert png.read(8) == b"\x89PNG\r\n\x1a\n"
    page.close()
