"""Peringkat: the league table of the 25 Asahan kecamatan for the chosen month.

Its composite parts are in metrics/app/peringkat.py, its tables' contents in metrics/engine/benchmark.py.
"""

import streamlit as st

from metrics.app import bagikan, peringkat, tampilan, ui
from metrics.charts import common as charts
from metrics.core import formatting
from metrics.core.bahasa import t
from metrics.engine import benchmark, scoring
from metrics.presentation import tabel

periode = ui.selected_period()
threshold = formatting.persen(scoring.COVERAGE_THRESHOLD)
spread = formatting.persen(scoring.CERTAINTY_SPREAD)
# The explanation sits in the title's tooltip so the table starts high on a 1280×720 screen (#15.11).
ui.title(t("peringkat.judul"), help=t("peringkat.keterangan", bulan=formatting.bulan(periode) if periode else "",
                                      ambang=threshold, sebaran=spread))
periode = ui.require_period(t("peringkat.akibat_kosong"))

table = tampilan.league_by_code(periode)  # shared: read only
month = formatting.bulan(periode)
unranked = table[~table["diperingkat"]]
source = charts.source_label(ui.has_demo())
bagikan.summary(tampilan.league_summary(periode))
st.caption(t("peringkat.keterangan_singkat", bulan=month, ambang=threshold))

peringkat.kpis(table, periode, threshold)

# ---- controls: sort measure and similar group, both kept in the URL
options = tampilan.measures()
names = tampilan.asahan()["nama"]
controls = st.columns([2, 3, 2])
measure = ui.url_selectbox(t("peringkat.kendali.urut"), list(options), "urut", format_func=options.get,
                           container=controls[0], help=t("peringkat.kendali.urut_bantuan"))
group_of = ui.url_selectbox(
    t("peringkat.kendali.mirip"), [""] + list(names.index), "mirip", container=controls[1],
    format_func=lambda k: t("peringkat.kendali.mirip_semua") if not k
    else t("peringkat.kendali.mirip_kelompok", nama=names[k]),
    help=t("peringkat.kendali.mirip_bantuan"),
)

shown = tampilan.ranked_rows(periode, measure, group_of)

if measure != benchmark.COMPOSITE:
    st.markdown(t("peringkat.urut_menurut", ukuran=options[measure]))
if shown.empty:  # nobody ranked (or no value of the measure): no empty table, no empty chart
    st.info(t("peringkat.belum.tidak_ada", ambang=threshold, bulan=month), icon=":material/info:")
else:
    peringkat.league(periode, measure, group_of)
    with st.container(border=True):
        bagikan.chart(tampilan.league_figure(periode, source), "peringkat")

st.header(t("peringkat.belum.judul"))
if unranked.empty:
    st.write(t("peringkat.belum.semua", ambang=threshold, bulan=month))
else:
    bagikan.table(tampilan.unranked_frame(periode), "belum-diperingkat", t("peringkat.belum.judul"),
                  hide_index=True, width="stretch", column_config={
                      tabel.league_columns()["tanpa_data"]: st.column_config.TextColumn(
                          help=t("peringkat.kolom.tanpa_data_bantuan"))})
