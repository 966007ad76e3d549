"""Mode Rapat in AppTest (demo and empty database) and in headless Chromium; the profile's rapor button."""

from __future__ import annotations

from pathlib import Path

import pytest
from page_support import open_page
from streamlit.testing.v1 import AppTest

from metrics.core import bahasa, formatting
from metrics.core import periode as per
from metrics.engine import benchmark
from metrics.reports import deck_spec, slides

ROOT = Path(__file__).resolve().parent.parent
PAGE = "pages/rapat.py"


def meeting(db, use_db, with_demo=True, **query) -> AppTest:
    return open_page(db, use_db, PAGE, with_demo=with_demo, **query)


def heading(at) -> str:
    return next(m.value[3:] for m in at.markdown if m.value.startswith("## "))


def strip(at) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("**") and " / " in m.value)


def url(at, key):
    value = at.query_params.get(key)
    return value[0] if isinstance(value, list) else value


def button(at, key):
    return next(b for b in at.button if b.key == key)


def test_meeting_opens_on_the_title_slide(demo_db, demo_store, use_db):
    at = meeting(demo_db, use_db)
    assert not at.exception
    assert at.title[0].value == "Mode Rapat"
    assert heading(at) == "Rapat evaluasi layanan kecamatan"
    assert strip(at).startswith(f"**{formatting.bulan(demo_store.latest_period())}**")
    assert "DATA CONTOH" in strip(at)
    assert button(at, "slide_sebelumnya").disabled
    labels = [d.label for d in at.get("download_button")]
    assert any("PowerPoint" in label for label in labels) and any("rapor" in label for label in labels)


def test_next_and_previous_walk_every_slide_with_period_and_demo_label(demo_db, demo_store, use_db):
    at = meeting(demo_db, use_db)
    deck = slides.deck(deck_spec.gather(demo_store, demo_store.latest_period()))
    for number, spec in enumerate(deck.slides, start=1):
        assert heading(at) == spec.title
        assert f"{number} / {len(deck.slides)}" in strip(at) and "DATA CONTOH" in strip(at)
        assert url(at, "slide") == (None if number == 1 else str(number))
        if number < len(deck.slides):
            button(at, "slide_berikutnya").click().run()
            assert not at.exception
    assert button(at, "slide_berikutnya").disabled
    button(at, "slide_sebelumnya").click().run()
    assert heading(at) == deck.slides[-2].title


def test_slide_from_the_url_shows_the_engines_numbers(demo_db, demo_store, use_db):
    at = meeting(demo_db, use_db, slide="2", periode="2026-06")
    assert not at.exception
    assert heading(at) == "Kabupaten terhadap model"
    periode = demo_store.periods()[-1] - 4  # 2026-06
    history = benchmark.composite_history(demo_store, demo_store.periods()[0], periode)
    median = benchmark.kabupaten_series(history).set_index("periode").loc[periode, "median"]
    assert at.metric[0].value == formatting.angka(median, 1)
    assert strip(at).startswith("**Juni 2026**")


@pytest.mark.parametrize("bad", ["0", "11", "abc", "2' OR '1'='1"])
def test_invalid_slide_in_the_url_falls_back_to_the_first(demo_db, use_db, bad):
    at = meeting(demo_db, use_db, slide=bad)
    assert not at.exception
    assert heading(at) == "Rapat evaluasi layanan kecamatan"


def test_focus_kecamatan_from_the_url_adds_its_slide(demo_db, use_db):
    at = meeting(demo_db, use_db, kecamatan="12.09.19", slide="10")
    assert not at.exception
    assert heading(at) == "Fokus: Kota Kisaran Barat"
    assert at.metric[0].value.endswith("dari 22")
    at.selectbox(key="kecamatan").set_value("").run()
    assert heading(at) == "Rapat evaluasi layanan kecamatan"  # slide 10 no longer exists
    assert url(at, "kecamatan") is None


def test_tables_on_the_ranking_slide(demo_db, demo_store, use_db):
    at = meeting(demo_db, use_db, slide="4")
    shown = list(at.table[0].value["Kecamatan"]) + list(at.table[1].value["Kecamatan"])
    table = benchmark.league_table(demo_store, demo_store.latest_period())
    assert shown == list(table["kecamatan"])


def test_meeting_on_an_empty_database(empty_db, use_db):
    at = meeting(empty_db, use_db, with_demo=False)
    assert not at.exception
    assert at.title[0].value == "Mode Rapat"
    assert "Belum ada data layanan" in at.info[0].value


def test_profile_offers_the_rapor(demo_db, use_db):
    use_db(demo_db)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update(kecamatan="12.09.19")
    at.run()
    at.switch_page("pages/kecamatan.py").run()
    assert not at.exception
    assert any(d.label == "Unduh rapor Kota Kisaran Barat (PDF, A4)" for d in at.get("download_button"))


# --------------------------------------------------------------------------- real browser

@pytest.fixture(scope="module")
def served(browser, demo_db):
    from browser_support import serve, stop

    process, base = serve(demo_db, True)
    yield browser, base
    stop(process)


@pytest.mark.parametrize("width, height", [(1280, 720), (1920, 1080)])
def test_meeting_in_chromium(served, tmp_path, width, height):
    browser, base = served
    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        page.goto(base + "/")  # the first deep link of a new server shows a harmless notice
        page.wait_for_selector("h1", timeout=60_000)
        page.locator('[data-testid="stSidebarNav"] a', has_text="Mode Rapat").click()
        slide = page.locator(".st-key-rapat-slide h2")
        slide.wait_for(timeout=60_000)
        assert slide.inner_text() == "Rapat evaluasi layanan kecamatan"
        assert page.locator('[data-testid="stSidebar"]').bounding_box()["x"] < 0, "sidebar collapsed"
        page.get_by_role("button", name="Berikutnya").click()
        page.wait_for_url("**slide=2**", timeout=20_000)
        page.wait_for_function("document.querySelector('.st-key-rapat-slide h2').innerText.startsWith('Kabupaten')")
        page.keyboard.press("ArrowRight")
        page.wait_for_url("**slide=3**", timeout=20_000)
        page.wait_for_function("document.querySelector('.st-key-rapat-slide h2').innerText.startsWith('Peringkat')")
        page.wait_for_selector(".st-key-rapat-slide .js-plotly-plot", timeout=30_000)
        # A presentation clicker sends PageDown / PageUp. Each press waits until the slide it asked for
        # is drawn: a press during the rerun would step from the slide still on screen.
        third = page.locator(".st-key-rapat-slide h2").inner_text()
        page.keyboard.press("PageDown")
        page.wait_for_url("**slide=4**", timeout=20_000)
        page.wait_for_function(f"document.querySelector('.st-key-rapat-slide h2').innerText !== {third!r}",
                               timeout=20_000)
        page.wait_for_load_state("networkidle")
        page.keyboard.press("PageUp")
        page.wait_for_url("**slide=3**", timeout=20_000)
        page.wait_for_function(f"document.querySelector('.st-key-rapat-slide h2').innerText === {third!r}",
                               timeout=20_000)
        assert page.locator(".st-key-rapat-clicker").is_hidden()
        assert "DATA CONTOH" in page.locator(".st-key-rapat-strip").inner_text()
        assert page.locator('[data-testid="stException"]').count() == 0
        page.screenshot(path=str(tmp_path / f"rapat-{width}x{height}.png"))
    finally:
        page.close()


# --------------------------------------------------------------------------- in English


def test_meeting_in_english(demo_db, demo_store, use_db):
    at = meeting(demo_db, use_db, bahasa="en")
    assert not at.exception
    with bahasa.dalam("en"):
        month = formatting.bulan(demo_store.latest_period())
    assert at.title[0].value == "Meeting mode"
    assert heading(at) == "Kecamatan service review meeting"
    assert strip(at).startswith(f"**{month}**") and "DEMO DATA" in strip(at) and "DATA CONTOH" not in strip(at)
    assert button(at, "slide_sebelumnya").label == "Previous" and button(at, "slide_berikutnya").label == "Next"
    labels = [d.label for d in at.get("download_button")]
    assert labels == ["Download PowerPoint (16:9)", "Download the report cards of the 25 kecamatan (PDF)"]
    assert at.selectbox(key="slide").label == "Slide"
    assert at.selectbox(key="slide").value == "1"
    assert at.selectbox(key="kecamatan").label == "Focus kecamatan (last slide)"
    button(at, "slide_berikutnya").click().run()
    assert heading(at) == "Kabupaten against the model"
    assert [m.label for m in at.metric] == ["Median Tiru Index", "Gap to the model", "Ranked", "Not fully reported"]


def test_english_slide_shows_the_engines_numbers_in_english_format(demo_db, demo_store, use_db):
    at = meeting(demo_db, use_db, bahasa="en", slide="2", periode="2026-06")
    periode = per.parse("2026-06")
    history = benchmark.composite_history(demo_store, demo_store.periods()[0], periode)
    median = benchmark.kabupaten_series(history).set_index("periode").loc[periode, "median"]
    with bahasa.dalam("en"):
        assert at.metric[0].value == formatting.angka(median, 1)
    assert "." in at.metric[0].value and "," not in at.metric[0].value
    assert strip(at).startswith("**June 2026**")
    at = meeting(demo_db, use_db, bahasa="en", kecamatan="12.09.19", slide="10")
    assert heading(at) == "Focus: Kota Kisaran Barat"
    assert at.metric[0].value.endswith("of 22")


def test_downloads_are_built_in_the_pages_language(demo_db, use_db, monkeypatch):
    """The download data is made when clicked, in a server thread: it keeps the page's language."""
    import io

    from pptx import Presentation
    from pypdf import PdfReader
    from streamlit.runtime.media_file_manager import MediaFileManager

    made = []
    original = MediaFileManager.add_deferred

    def record(self, data_callable, *args, **kwargs):
        made.append(data_callable)
        return original(self, data_callable, *args, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    at = meeting(demo_db, use_db, bahasa="en", periode="2026-06")
    assert not at.exception
    made = made[-2:]  # the app's first run (Ringkasan) registers its own downloads (brief, Unduh Excel) before
    assert bahasa.aktif() == "id"  # the test thread is Indonesian: the callables must bring English along
    prs = Presentation(io.BytesIO(made[0]()))
    shown = " ".join(s.text_frame.text for s in prs.slides[1].shapes if s.has_text_frame)
    assert "Kabupaten against the model" in shown and "June 2026" in shown and "DEMO DATA" in shown
    first = " ".join(PdfReader(io.BytesIO(made[1]())).pages[0].extract_text().split())
    assert "KECAMATAN SERVICE REPORT CARD · JUNE 2026" in first and "Next steps" in first


# --------------------------------------------------------------------------- every slide fits the projector

# Read in the browser: what sticks out of the screen, the slide or the slide's body, and which
# chart parts (axis labels and titles, legend) lie outside their chart.
FITS = """() => {
  const bad = [];
  const main = document.querySelector('[data-testid="stMain"]');
  if (document.scrollingElement.scrollHeight > innerHeight) bad.push('document scrolls');
  if (main.scrollHeight > main.clientHeight + 1) bad.push('page scrolls: ' + main.scrollHeight);
  const slide = document.querySelector('.st-key-rapat-slide').getBoundingClientRect();
  if (slide.bottom > innerHeight + 1) bad.push('slide ends at ' + slide.bottom);
  const body = document.querySelector('.st-key-rapat-body');
  const limit = body ? body.getBoundingClientRect().bottom : slide.bottom;
  for (const el of document.querySelectorAll('.st-key-rapat-slide [data-testid="stElementContainer"]')) {
    const box = el.getBoundingClientRect();
    if (box.height && box.bottom > (body && body.contains(el) ? limit : slide.bottom) + 1)
      bad.push('cut: ' + el.innerText.slice(0, 40).replace(/\\s+/g, ' ') + ' ends at ' + box.bottom);
  }
  for (const plot of document.querySelectorAll('.st-key-rapat-slide .js-plotly-plot')) {
    const frame = plot.getBoundingClientRect();
    if (frame.height < 150) bad.push('chart only ' + frame.height + ' px high');
    for (const part of plot.querySelectorAll('.xtick text, .ytick text, .g-xtitle, .g-ytitle, .legend')) {
      const box = part.getBoundingClientRect();
      if (!box.width) continue;
      if (box.left < frame.left - 1 || box.right > frame.right + 1 || box.top < frame.top - 1
          || box.bottom > frame.bottom + 1 || box.bottom > innerHeight)
        bad.push('chart part outside: ' + (part.textContent || part.getAttribute('class')).slice(0, 30));
    }
  }
  return bad;
}"""


# The font size, in screen pixels, of every piece of text a slide shows: HTML text (its element's
# computed size) and the SVG text of the charts (scaled by the SVG's own transforms).
TEXT_SIZES = """() => {
  const found = [];
  const slide = document.querySelector('.st-key-rapat-slide');
  const shown = el => { const s = getComputedStyle(el); const box = el.getBoundingClientRect();
    return s.display !== 'none' && s.visibility !== 'hidden' && Number(s.opacity) > 0 && box.width > 0 && box.height > 0; };
  const walker = document.createTreeWalker(slide, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || !shown(el)) continue;
    let size = parseFloat(getComputedStyle(el).fontSize);
    if (el instanceof SVGElement && el.getScreenCTM) {
      const m = el.getScreenCTM(); size *= Math.sqrt(Math.abs(m.a * m.d - m.b * m.c));
    }
    found.push([node.textContent.trim().slice(0, 30), Math.round(size * 10) / 10]);
  }
  return found;
}"""
READABLE_PX = 16  # the smallest text a meeting room reads from the back on a 1280×720 projector


def _walk_slides(served, demo_store, width: int, height: int, check, lang: str = "id") -> None:
    """Open every slide of the demo's deck (with a focus slide) at width × height and `check(page, number, spec)`."""
    browser, base = served
    with bahasa.dalam(lang):
        deck = slides.deck(deck_spec.gather(demo_store, demo_store.latest_period()), "12.09.19")
    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        page.goto(base + "/")  # the first deep link of a new server shows a harmless notice
        page.wait_for_selector("h1", timeout=60_000)
        for number, spec in enumerate(deck.slides, start=1):
            page.goto(
                f"{base}/mode-rapat?kecamatan=12.09.19&slide={number}" + ("" if lang == "id" else f"&bahasa={lang}")
            )
            page.wait_for_function("t => document.querySelector('.st-key-rapat-slide h2')?.innerText === t",
                                   arg=spec.title, timeout=60_000)
            page.wait_for_load_state("networkidle")
            if spec.chart or spec.tables and spec.tables[0].heat is not None:
                page.wait_for_selector(
                    ".st-key-rapat-slide .js-plotly-plot .xtick text", state="attached", timeout=30_000
                )
            page.wait_for_timeout(800)  # Plotly settles on the height it was given
            check(page, number, spec)
            assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        page.close()


@pytest.mark.parametrize("width, height", [(1280, 720), (1366, 768)])
def test_every_slide_fits_the_screen_without_scrolling(served, demo_store, width, height):
    def fits(page, number, spec):
        assert page.evaluate(FITS) == [], f"slide {number} ({spec.title}) at {width}×{height}"
        assert "DATA CONTOH" in page.locator(".st-key-rapat-strip").inner_text()

    _walk_slides(served, demo_store, width, height, fits)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_slide_is_readable_from_the_back_of_the_room(served, demo_store, lang):
    """Ranking names, tick labels, legends, table cells, captions and notes: none under 16 px at 1280×720,
    no figure cut short ('+0.4 · uncha…'), and every kecamatan still named on the ranking and the heatmap."""
    small = {}

    def readable(page, number, spec):
        sizes = page.evaluate(TEXT_SIZES)
        assert len(sizes) > 3, f"slide {number}: no text found"
        if spec.key == "peringkat" or spec.tables and spec.tables[0].heat is not None:  # larger, not thinned out
            rows = len(spec.chart.categories) if spec.key == "peringkat" else len(spec.tables[0].rows)
            shown = page.locator(".st-key-rapat-slide .ytick text").count()
            assert shown == rows, f"slide {number}: {shown} of {rows} kecamatan named"
        cut = page.evaluate("""() => [...document.querySelectorAll('.st-key-rapat-slide [data-testid="stMetricValue"] *')]
            .filter(el => el.scrollWidth > el.clientWidth + 1).map(el => el.innerText)""")
        assert not cut, f"slide {number}: figures cut short: {cut}"
        if under := sorted({(text, size) for text, size in sizes if size < READABLE_PX - 0.05}, key=lambda x: x[1]):
            small[f"{number} {spec.title}"] = under[:8]

    _walk_slides(served, demo_store, 1280, 720, readable, lang)
    assert not small, f"text under {READABLE_PX} px: {small}"
