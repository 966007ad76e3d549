"""Tiru's own CSS (static, no user text), injected on every page by ui.page_style().

PAGE_STYLE: the key message above the fold at 1280×720, WCAG contrast and heading sizes, and
PHONE: the layout at ≤ 480 px (#22) — the page edge-to-edge, Profil's headline instead of its KPI tiles,
Peringkat as a list of links, key numbers two to a row, nothing wider than the screen.
"""

# At ≤ 480 px (a phone held upright). Streamlit already stacks columns and closes the sidebar there.
PHONE = """
    @media (max-width: 480px) {
        [data-testid="stMainBlockContainer"] { padding: 3.2rem 0.8rem 2rem 0.8rem; }
        [data-testid="stMainBlockContainer"] h1 { font-size: 1.5rem; }
        [data-testid="stMain"] h2 { font-size: 1.3rem; }
        [data-testid="stMain"] h3 { font-size: 1.1rem; }
        .st-key-tiru-contoh [data-testid="stAlertContainer"] { padding: 0.15rem 0.5rem; }
        .st-key-tiru-contoh [data-testid="stAlertContentWarning"] p { font-size: 0.72rem; line-height: 1.3; }
        /* Profil: the headline under the name replaces the four tiles */
        .st-key-profil-ringkas { display: block; }
        .st-key-profil-ringkas p { font-size: 1.05rem; line-height: 1.55; }
        .st-key-profil-kpi { display: none; }
        /* Peringkat: a list of links (rank, name, Indeks, movement) instead of the wide table */
        .st-key-daftar-peringkat { display: block; }
        .st-key-tabel-peringkat { display: none; }
        .st-key-daftar-peringkat [data-testid="stPageLink-NavLink"] { padding: 0.45rem 0.25rem; min-height: 2.75rem; }
        /* Key numbers two to a row (any row of columns that starts with a number) */
        [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"]:first-child [data-testid="stMetric"]) {
            flex-flow: row wrap; gap: 0.5rem; }
        [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"]:first-child [data-testid="stMetric"])
            > [data-testid="stColumn"] { flex: 1 1 calc(50% - 0.5rem); min-width: calc(50% - 0.5rem);
            width: calc(50% - 0.5rem); }
        [data-testid="stHorizontalBlock"]:has(> [data-testid="stElementContainer"] > [data-testid="stMetric"]) {
            gap: 0.5rem; }
        [data-testid="stHorizontalBlock"] > [data-testid="stElementContainer"]:has(> [data-testid="stMetric"]) {
            flex: 1 1 calc(50% - 0.5rem); min-width: calc(50% - 0.5rem); }
        [data-testid="stMetricValue"] { font-size: 1.4rem; }
        [data-testid="stMetricLabel"] p { white-space: normal; }
        /* Chart titles and legends a size smaller: Plotly does not wrap them, and a long one was cut */
        .js-plotly-plot .gtitle { display: none; }  /* said above the chart instead (bagikan.chart) */
        [class*="st-key-judul-grafik-"] { display: block; }
        [class*="st-key-judul-grafik-"] p { font-size: 0.9rem; line-height: 1.4; }
        .js-plotly-plot .legendtext { font-size: 11px !important; }
        .js-plotly-plot .modebar-container { display: none; }
        /* A wide table scrolls inside itself; the grid's hidden copy for screen readers widened the page */
        [data-testid="stDataFrame"] { max-width: 100%; overflow: hidden; }
        /* Tables written in Markdown (Metodologi) wrap inside the screen */
        [data-testid="stMarkdownContainer"] table { width: 100%; table-layout: fixed; overflow-wrap: anywhere;
            font-size: 0.8rem; }
        /* Formulas (Metodologi) scale down instead of scrolling sideways */
        .katex-display { font-size: 0.62em; overflow: hidden; }
    }
"""

# Static CSS for every page (no user text): the key message above the fold at 1280×720 — less
# space above the title, a smaller page title, the DATA CONTOH line close under it.
PAGE_STYLE = (
    """<style>
    [data-testid="stMainBlockContainer"] { padding-top: 3.6rem; padding-bottom: 3rem; }
    [data-testid="stMainBlockContainer"] h1 { font-size: 2rem; padding: 0.1rem 0 0.2rem 0; }
    .st-key-tiru-contoh [data-testid="stAlertContainer"] { padding: 0.2rem 0.75rem; min-height: 0; }
    .st-key-tiru-contoh [data-testid="stAlertContentWarning"] p { font-size: 0.8rem; line-height: 1.4; }
    [data-testid="stPageLink-NavLink"] :is(span, div, p) { white-space: normal; }
    [data-testid="stMultiSelectTagsContainer"] { flex-wrap: wrap; height: auto; }
    [data-testid="stMultiSelect"] div:has(> [data-testid="stMultiSelectTagsContainer"]) { height: auto; }
    /* A row of key numbers (ui.kpi_row): tiles of equal width, as columns gave */
    [data-testid="stHorizontalBlock"] > [data-testid="stElementContainer"]:has(> [data-testid="stMetric"]) {
        flex: 1 1 0; min-width: 0; }
    .st-key-kpi-ringkas [data-testid="stMetric"] { padding: 0; }
    .st-key-kpi-ringkas [data-testid="stMetric"] > div { padding: 0.35rem 0.75rem; }
    @media (min-width: 900px) {  /* Bagikan on the title's line, at its right: one row less above the fold */
        .st-key-bagikan { margin-bottom: -3.4rem; pointer-events: none; z-index: 2; }
        .st-key-bagikan * { pointer-events: auto; }
    }
    /* The copy buttons of Bagikan's code boxes show only on hover: a touch screen has none (#22). */
    [data-testid="stCode"] div:has([data-testid="stElementToolbarButton"]) { opacity: 1; visibility: visible; }
    /* What only a phone shows (PHONE below). */
    .st-key-profil-ringkas, .st-key-daftar-peringkat, [class*="st-key-judul-grafik-"] { display: none; }
    @media (min-width: 481px) {  /* ... and their wrappers, which would keep a gap */
        [data-testid="stLayoutWrapper"]:has(> :is(.st-key-profil-ringkas, .st-key-daftar-peringkat,
            [class*="st-key-judul-grafik-"])) { display: none; }
    }
    .st-key-kpi-ringkas [data-testid="stMetricValue"] { font-size: 1.4rem; }
    .st-key-kpi-ringkas [data-testid="stMetricDelta"] { font-size: 0.75rem; }
    .st-key-kpi-ringkas [data-testid="stMetric"] > div { display: flex; flex-wrap: wrap; align-items: center;
        column-gap: 0.4rem; }
    .st-key-kpi-ringkas [data-testid="stMetricLabel"] { flex-basis: 100%; }
    /* WCAG 2.1 AA (#22): Streamlit fades captions (opacity 0,6) and disabled labels to 4,04 : 1 and 2,34 : 1
       on white; these greys keep 5,4 : 1 or more on white and on the sidebar's grey. */
    .stMarkdown [data-testid="stCaptionContainer"] { opacity: 1; }
    .stMarkdown [data-testid="stCaptionContainer"], .stMarkdown [data-testid="stCaptionContainer"] * { color: #5A6570; }
    [data-testid="stWidgetLabel"] [data-testid="stMarkdownContainer"] p { color: #1F2A36; }
    :is(button, [role="button"]):disabled :is(p, span, div) { color: #5A6570; }
    [data-testid="stFileUploaderDropzone"][aria-disabled="true"] :is(span, small, div) { color: #5A6570; }
    /* A collapsed sidebar is moved off-screen, its links still Tab stops: hidden, they are not (#22). */
    [data-testid="stSidebar"][data-collapsed="true"], [data-testid="stSidebar"][data-collapsed="true"] * { visibility: hidden; }
    /* Sections are h2 and their parts h3 (headings in order, #22), at the sizes they had as h3 and h4. */
    [data-testid="stMain"] h2 { font-size: 1.6rem; }
    [data-testid="stMain"] h3 { font-size: 1.25rem; }
"""
    + PHONE
    + """    </style>"""
)
