"""Inovasi: where adoption of each innovation stands, what is late, whether it moves the numbers.

Texts come from metrics/core/teks/inovasi.toml. The month's derived tables and charts are built
once per (database generation, language, month) by the cached functions below, keyed by
ui.generation(); a rerun that only changes the chosen innovation or kecamatan reuses them.
Figures are kept with st.cache_resource (st.plotly_chart only reads them): unpickling a
figure from st.cache_data re-validates it, which costs about as much as building it.
"""

import datetime as dt
from types import SimpleNamespace

import pandas as pd
import streamlit as st

from metrics.app import akses, ui
from metrics.charts import adopsi as charts
from metrics.core import bahasa, formatting
from metrics.core import periode as per
from metrics.core.bahasa import t
from metrics.engine import adopsi

CHART = {"width": "stretch", "config": {"displayModeBar": False}}
FIGURES = {"ttl": ui.CACHE["ttl"], "max_entries": ui.CACHE["max_entries"], "show_spinner": False}


def base() -> SimpleNamespace:
    """What every part of the page shares (cheap: the reads are cached): codes, names, the source line."""
    events = ui.events()
    kecamatan = ui.table("kecamatan")
    asahan = kecamatan[kecamatan["wilayah"] == "Asahan"]
    inovasi = ui.table("inovasi")
    batches = ui.table("batches").set_index("id")["demo"]
    event_demo = events["batch"].map(batches).fillna(False).astype(bool)
    if len(events) and event_demo.all():
        source = t("istilah.data_contoh")
    elif event_demo.any():
        source = t("inovasi.halaman.sumber.campuran")
    else:
        source = t("inovasi.halaman.sumber.tiru")
    return SimpleNamespace(
        events=events, inovasi=inovasi, batches=batches, source=source,
        kec_codes=list(asahan["kode"]), by_name=list(asahan.sort_values("nama")["kode"]),
        kec_names=asahan.set_index("kode")["nama"], inv_codes=list(inovasi.index),
        inv_names=bahasa.names(inovasi, "nama"),
        short={k: adopsi.short_name(k, bahasa.nama(inovasi.loc[k])) for k in inovasi.index},
    )


@st.cache_data(**ui.CACHE)
def month_view(db_generation, periode: int) -> dict:
    """The month's stages, target status, late cells, candidates and each cell's event lines."""
    b = base()
    end = per.month_end(periode)
    matrix = adopsi.stage_matrix(b.events, b.kec_codes, b.inv_codes, periode)
    status = adopsi.target_status(b.events, ui.table("target"), b.kec_codes, end)
    terlambat = status[status["terlambat"]]
    late_cells = set(zip(terlambat["kode_kecamatan"], terlambat["inovasi"]))
    late_by_inovasi = terlambat.groupby("inovasi")["kode_kecamatan"].nunique()
    demo_mark = t("inovasi.halaman.sumber.tanda_contoh")
    cell_lines: dict[tuple[str, str], list[str]] = {}
    for e in adopsi.normalise_events(b.events).itertuples():
        if e.tanggal.date() <= end:
            mark = demo_mark if b.batches.get(e.batch, False) else ""
            cell_lines.setdefault((e.kode_kecamatan, e.inovasi), []).append(
                f"{formatting.tanggal(e.tanggal, short=True)}: {adopsi.label_tahap(e.tahap)}{mark}")
    return {
        "matrix": matrix, "status": status, "terlambat": terlambat, "late_by_inovasi": late_by_inovasi,
        "late_cells": late_cells, "cell_lines": cell_lines, "targets": adopsi.target_summary(status),
        # Every candidate once (per innovation and per kecamatan below).
        "everyone": adopsi.next_adopters(matrix, ui.scorecard(periode), b.inovasi["indikator"],
                                         top=len(b.kec_codes)),
    }


@st.cache_resource(**FIGURES)
def overview_charts(db_generation, periode: int):
    """The stage matrix (≈0,1 s to build) and the stage bars of the month."""
    b, view = base(), month_view(db_generation, periode)
    shown = view["matrix"].set_index("kode_kecamatan").loc[b.by_name].reset_index()
    return (charts.stage_matrix(shown, b.kec_names, b.short, view["cell_lines"], view["late_cells"], periode,
                                b.source),
            charts.stage_bars(view["matrix"], b.short, view["late_by_inovasi"].to_dict(), periode, b.source))


@st.cache_resource(**FIGURES)
def curve_chart(db_generation, periode: int, dari: int, first_shown: int, chosen: str):
    """The adoption curve of one innovation up to the month."""
    b = base()
    history = ui.stage_history(dari, periode)
    counts = adopsi.adoption_counts(history[history["inovasi"] == chosen])
    counts = counts[counts["periode"] >= first_shown]
    targets = ui.table("target")
    targets = targets[(targets["inovasi"] == chosen) & targets["kode_kecamatan"].isna()]
    return charts.adoption_curve(counts, b.inv_names[chosen], targets, periode, b.source, len(b.kec_codes))


@st.cache_resource(**FIGURES)
def timeline_chart(db_generation, periode: int, first_shown: int, kode: str):
    """One kecamatan's stage timeline up to the end of the month."""
    b = base()
    segments = adopsi.stage_segments(b.events, kode, b.inv_codes, per.to_date(first_shown), per.month_end(periode))
    return charts.timeline(segments, b.kec_names[kode], b.short, periode, b.source)


st.title(t("inovasi.halaman.judul"))
periode = ui.require_period(t("inovasi.halaman.tanpa_data"))

b = base()
events, inovasi, kec_names, short, source = b.events, b.inovasi, b.kec_names, b.short, b.source
month = formatting.bulan(periode)
end = per.month_end(periode)
first_event = per.from_date(events["tanggal"].min()) if len(events) else periode
dari = min(ui.periods()[0], first_event)
first_shown = max(dari, first_event - 1)
view = month_view(ui.generation(), periode)
matrix, status, terlambat, everyone = view["matrix"], view["status"], view["terlambat"], view["everyone"]
berjalan = adopsi.nama_tahap(adopsi.BERJALAN)

st.caption(t("inovasi.halaman.keterangan", bulan=month,
             tahap=" · ".join(adopsi.label_tahap(n) for n in adopsi.TAHAP)))

# ----------------------------------------------------------------- KPIs
adopted = int((matrix["tahap"] >= adopsi.BERJALAN).sum())
late_by_inovasi = view["late_by_inovasi"]
this_month = events[pd.to_datetime(events["tanggal"]).map(per.from_date) == periode] if len(events) else events
kpis = st.columns(3)
kpis[0].metric(t("inovasi.halaman.kpi.berjalan"),
               f"{formatting.angka(adopted, 0)} / {formatting.angka(len(matrix), 0)}", border=True,
               help=t("inovasi.halaman.kpi.berjalan_bantuan", kecamatan=len(b.kec_codes), inovasi=len(b.inv_codes)))
kpis[1].metric(t("inovasi.halaman.kpi.terlambat"),
               f"{formatting.angka(terlambat['kode_kecamatan'].nunique(), 0)} / "
               f"{formatting.angka(len(b.kec_codes), 0)}", border=True,
               help=t("inovasi.halaman.kpi.terlambat_bantuan"))
kpis[2].metric(t("inovasi.halaman.kpi.peristiwa", bulan=formatting.bulan(periode, short=True)),
               formatting.angka(len(this_month), 0), border=True, help=t("inovasi.halaman.kpi.peristiwa_bantuan"))
if len(late_by_inovasi):
    ranked_late = late_by_inovasi.sort_values(ascending=False)
    st.markdown(t("inovasi.halaman.tertinggal.judul") + " · ".join(
        t("inovasi.halaman.tertinggal.butir", inovasi=short[c], n=formatting.angka(n, 0))
        for c, n in ranked_late.items()))
else:
    st.markdown(t("inovasi.halaman.tertinggal.tidak_ada", bulan=month))

# ----------------------------------------------------------------- matrix and stage bars
matrix_chart, bars_chart = overview_charts(ui.generation(), periode)
with st.container(border=True):
    st.plotly_chart(matrix_chart, key="matriks", **CHART)
left, right = st.columns([3, 2], gap="medium")
with left, st.container(border=True):
    st.plotly_chart(bars_chart, key="sebaran", **CHART)
targets = view["targets"]
with right, st.container(border=True):
    st.markdown(t("inovasi.halaman.target.judul", bulan=month))
    if targets.empty:
        st.write(t("inovasi.halaman.target.kosong"))
    else:
        st.dataframe(
            pd.DataFrame({
                t("istilah.inovasi"): [short[c] for c in targets["inovasi"]],
                t("istilah.target"): [
                    f"{adopsi.nama_tahap(n)} · {formatting.tanggal(d, short=True)}"
                    for n, d in zip(targets["tahap"], targets["tanggal"])],
                t("istilah.tercapai"): [
                    f"{a}/{n}" for a, n in zip(targets["tercapai"], targets["berlaku"])],
                t("istilah.terlambat"): targets["terlambat"].astype(int),
            }),
            hide_index=True, width="stretch", key="tabel_target",
        )

# ----------------------------------------------------------------- per innovation
st.subheader(t("inovasi.halaman.per_inovasi.judul"))
chosen = ui.url_selectbox(t("istilah.inovasi"), b.inv_codes, "inovasi",
                          format_func=b.inv_names.get)
links = list(inovasi.loc[chosen, "indikator"])
catalog = ui.catalog()
ind_names = bahasa.names(catalog.indikator, "nama")
curve, side = st.columns(2, gap="medium")
with curve, st.container(border=True):
    st.plotly_chart(curve_chart(ui.generation(), periode, dari, first_shown, chosen), key="kurva", **CHART)
with side, st.container(border=True):
    late_here = terlambat[terlambat["inovasi"] == chosen].sort_values(["hari_terlambat", "kode_kecamatan"],
                                                                    ascending=[False, True])
    st.markdown(t("inovasi.halaman.per_inovasi.terlambat_judul", bulan=month))
    if late_here.empty:
        due = status[(status["inovasi"] == chosen)]
        st.write(t("inovasi.halaman.per_inovasi.tidak_terlambat") if len(due)
                 else t("inovasi.halaman.per_inovasi.tanpa_target"))
    else:
        st.dataframe(
            pd.DataFrame({
                t("istilah.kecamatan"): late_here["kode_kecamatan"].map(kec_names),
                t("istilah.tahap_kini"): [adopsi.label_tahap(n)
                                                                    for n in late_here["tahap_kini"]],
                t("istilah.terlambat"): [
                    t("inovasi.halaman.per_inovasi.hari_satu" if h == 1 else "inovasi.halaman.per_inovasi.hari",
                      n=formatting.angka(h, 0)) for h in late_here["hari_terlambat"]],
            }),
            hide_index=True, width="stretch", key="tabel_terlambat",
        )
    st.markdown(t("inovasi.halaman.per_inovasi.berikutnya_judul", berjalan=berjalan, bulan=month,
                  indikator=", ".join(ind_names.get(i, i) for i in links)))
    nxt = everyone[(everyone["inovasi"] == chosen) & (everyone["urutan"] <= adopsi.NEXT_TOP)]
    if nxt.empty:
        st.write(t("inovasi.halaman.per_inovasi.tanpa_kandidat", berjalan=berjalan))
    else:
        gap_column = t("inovasi.halaman.per_inovasi.kolom_kesenjangan")
        st.dataframe(
            pd.DataFrame({
                "#": nxt["urutan"],
                t("istilah.kecamatan"): nxt["kode_kecamatan"].map(kec_names),
                t("istilah.tahap_kini"): [adopsi.label_tahap(n) for n in nxt["tahap"]],
                gap_column: [formatting.angka(v, 1) for v in nxt["kesenjangan"]],
            }),
            hide_index=True, width="stretch", key="tabel_berikutnya",
            column_config={gap_column: st.column_config.TextColumn(
                help=t("inovasi.halaman.per_inovasi.kesenjangan_bantuan"))},
        )

# ----------------------------------------------------------------- impact
with st.container(border=True):
    st.markdown(t("inovasi.halaman.dampak.judul", inovasi=b.inv_names[chosen], n=adopsi.WINDOW, berjalan=berjalan,
                  bulan=month))
    effects = ui.impact(dari, periode)
    effects = effects[effects["inovasi"] == chosen]
    column = {"indikator": t("istilah.indikator"), "pengadopsi": t("inovasi.halaman.dampak.kolom_pengadopsi"),
              "pembanding": t("inovasi.halaman.dampak.kolom_pembanding"),
              "selisih": t("inovasi.halaman.dampak.kolom_selisih"), "arti": t("inovasi.halaman.dampak.kolom_arti"),
              "n": t("inovasi.halaman.dampak.kolom_n")}
    rows = []
    for r in effects.itertuples():
        unit = catalog.indikator["satuan"].get(r.indikator, "")
        if pd.isna(r.efek):
            arti = t("inovasi.halaman.dampak.tanpa_perkiraan", alasan=r.alasan)
        else:
            arti = t("inovasi.halaman.dampak." + ("membaik" if r.membaik else
                                                  "memburuk" if r.membaik is False else "tetap"))
            arti += t("inovasi.halaman.dampak." + ("lebih_rendah" if r.arah == "lower" else "lebih_tinggi"))
        rows.append({
            column["indikator"]: f"{ind_names.get(r.indikator, r.indikator)} ({formatting.satuan(unit)})",
            column["pengadopsi"]: formatting.angka(r.perubahan_adopter, 1),
            column["pembanding"]: formatting.angka(r.perubahan_kontrol, 1),
            column["selisih"]: "—" if pd.isna(r.efek) else f"{'+' if r.efek >= 0 else '−'}"
                                                         f"{formatting.angka(abs(r.efek), 1)}",
            column["arti"]: arti,
            column["n"]: f"{formatting.angka(r.n_adopter, 0)} / {formatting.angka(r.n_kontrol, 0)}",
        })
    st.dataframe(
        pd.DataFrame(rows, columns=list(column.values())), hide_index=True, width="stretch", key="tabel_dampak",
        column_config={
            column["pengadopsi"]: st.column_config.TextColumn(
                help=t("inovasi.halaman.dampak.pengadopsi_bantuan", berjalan=berjalan)),
            column["pembanding"]: st.column_config.TextColumn(help=t("inovasi.halaman.dampak.pembanding_bantuan")),
            column["selisih"]: st.column_config.TextColumn(help=t("inovasi.halaman.dampak.selisih_bantuan")),
            column["n"]: st.column_config.TextColumn(help=t("inovasi.halaman.dampak.n_bantuan")),
        },
    )
    st.caption(t("inovasi.halaman.dampak.catatan", berjalan=berjalan, minimum=adopsi.MIN_GROUP, sumber=source))

# ----------------------------------------------------------------- per kecamatan
st.subheader(t("inovasi.halaman.per_kecamatan.judul"))
by_name = b.by_name
kode = ui.url_selectbox(t("istilah.kecamatan"), by_name, "kecamatan",
                        format_func=lambda c: kec_names.get(c, c))
name = kec_names[kode]
timeline_col, next_col = st.columns([3, 2], gap="medium")
with timeline_col, st.container(border=True):
    st.plotly_chart(timeline_chart(ui.generation(), periode, first_shown, kode), key="linimasa", **CHART)
with next_col, st.container(border=True):
    own = matrix[matrix["kode_kecamatan"] == kode].set_index("inovasi")["tahap"]
    st.markdown(t("inovasi.halaman.per_kecamatan.sudah_judul", kecamatan=name, berjalan=berjalan,
                  terlembaga=adopsi.nama_tahap(4), bulan=month))
    done = [short[c] for c in b.inv_codes if own[c] >= adopsi.BERJALAN]
    st.write(", ".join(done) if done else t("inovasi.halaman.per_kecamatan.belum_ada", berjalan=berjalan))
    mine = terlambat[terlambat["kode_kecamatan"] == kode]
    if len(mine):
        st.warning(t("inovasi.halaman.per_kecamatan.terlambat") + "; ".join(
            t("inovasi.halaman.per_kecamatan.terlambat_butir", inovasi=short[r.inovasi],
              tahap=adopsi.nama_tahap(r.tahap), tanggal=formatting.tanggal(r.tanggal, short=True),
              kini=adopsi.nama_tahap(r.tahap_kini))
            for r in mine.itertuples()), icon=":material/schedule:")
    here = everyone[everyone["kode_kecamatan"] == kode].sort_values("kesenjangan", ascending=False)
    candidates = everyone.groupby("inovasi").size()
    st.markdown(t("inovasi.halaman.per_kecamatan.berikutnya_judul", berjalan=berjalan))
    if here.empty:
        st.write(t("inovasi.halaman.per_kecamatan.tidak_ada", berjalan=berjalan))
    else:
        st.dataframe(
            pd.DataFrame({
                t("istilah.inovasi"): [short[c] for c in here["inovasi"]],
                t("istilah.tahap_kini"): [adopsi.label_tahap(n) for n in here["tahap"]],
                t("inovasi.halaman.per_kecamatan.kolom_kesenjangan"): [formatting.angka(v, 1)
                                                                       for v in here["kesenjangan"]],
                t("inovasi.halaman.per_kecamatan.kolom_urutan"): [
                    t("inovasi.halaman.per_kecamatan.sel_urutan", urutan=formatting.angka(u, 0),
                      jumlah=formatting.angka(candidates[c], 0)) for u, c in zip(here["urutan"], here["inovasi"])],
            }),
            hide_index=True, width="stretch", key="tabel_kecamatan_berikutnya",
        )

# ----------------------------------------------------------------- history and recording
st.subheader(t("inovasi.halaman.riwayat.judul", kecamatan=name, inovasi=short[chosen]))
all_events = ui.events(with_undone=True)
cell = adopsi.cell_events(all_events, kode, chosen)
if cell.empty:
    st.write(t("inovasi.halaman.riwayat.kosong"))
else:
    order_column = t("inovasi.halaman.riwayat.kolom_urutan")
    st.dataframe(
        pd.DataFrame({
            t("inovasi.halaman.riwayat.kolom_tanggal"): [formatting.tanggal(d, short=True) for d in cell["tanggal"]],
            t("istilah.tahap"): [adopsi.label_tahap(n) for n in cell["tahap"]],
            t("inovasi.halaman.riwayat.kolom_bukti"): cell["bukti"].fillna(""),
            t("inovasi.halaman.riwayat.kolom_oleh"): cell["oleh"].fillna(""),
            order_column: cell["urutan"],
            t("istilah.status"): [
                t("inovasi.halaman.riwayat.dibatalkan", oleh=o, alasan=a) if pd.notna(w)
                else t("inovasi.halaman.riwayat.berlaku_contoh") if b.batches.get(batch, False)
                else t("inovasi.halaman.riwayat.berlaku")
                for w, o, a, batch in zip(cell["batal_waktu"], cell["batal_oleh"], cell["batal_alasan"],
                                          cell["batch"])
            ],
        }),
        hide_index=True, width="stretch", key="tabel_riwayat",
        column_config={order_column: st.column_config.NumberColumn(help=t("inovasi.halaman.riwayat.urutan_bantuan"))},
    )

ui.show_notice()

with st.container(border=True):
    st.markdown(t("inovasi.halaman.catat.judul"))
    account = akses.sign_in_form("masuk_adopsi")
    if not akses.configured_accounts() and not account:
        st.info(t("inovasi.halaman.catat.belum_tersedia"), icon=":material/lock:")
    elif not account:
        st.caption(t("inovasi.halaman.catat.masuk"))
    elif not akses.can_record_adoption(account):
        st.info(t("inovasi.halaman.catat.tanpa_akses", nama=account["nama"], peran=account["peran"]),
                icon=":material/lock:")
    else:
        store = ui.store()
        with st.form("catat_adopsi", clear_on_submit=False, border=False):
            a, c = st.columns(2)
            f_kec = a.selectbox(t("istilah.kecamatan"), by_name, index=by_name.index(kode),
                                format_func=ui.in_language(lambda k: kec_names.get(k, k)), key="f_kecamatan")
            f_inv = c.selectbox(t("istilah.inovasi"), b.inv_codes, index=b.inv_codes.index(chosen),
                                format_func=ui.in_language(b.inv_names.get), key="f_inovasi")
            c, d = st.columns(2)
            f_tahap = c.selectbox(t("inovasi.halaman.catat.tahap"), list(adopsi.TAHAP),
                                  format_func=ui.in_language(adopsi.label_tahap), key="f_tahap")
            f_tanggal = d.date_input(t("inovasi.halaman.catat.tanggal"), value=dt.date.today(),
                                     max_value=dt.date.today(), format="DD/MM/YYYY", key="f_tanggal")
            f_bukti = st.text_area(t("inovasi.halaman.catat.bukti"), key="f_bukti",
                                   placeholder=t("inovasi.halaman.catat.bukti_contoh"))
            f_oleh = st.text_input(t("inovasi.halaman.catat.oleh"), value=account["nama"], key="f_oleh")
            if st.form_submit_button(t("inovasi.halaman.catat.simpan"), type="primary"):
                ui.save(lambda: store.record_adoption(f_kec, f_inv, int(f_tahap), f_tanggal, f_bukti, f_oleh),
                        lambda _: t("inovasi.halaman.catat.tercatat", kecamatan=kec_names[f_kec], inovasi=short[f_inv],
                                    tahap=adopsi.label_tahap(f_tahap),
                                    tanggal=formatting.tanggal(f_tanggal, short=True)))
        live = cell[cell["batal_waktu"].isna()] if len(cell) else cell
        if len(live):
            st.markdown(t("inovasi.halaman.catat.batal_judul"))
            with st.form("batal_adopsi", border=False):
                labels = {r.id: f"{formatting.tanggal(r.tanggal, short=True)} · {adopsi.label_tahap(r.tahap)} · "
                                f"{r.oleh or ''}" for r in live.itertuples()}
                f_id = st.selectbox(t("inovasi.halaman.catat.peristiwa"), list(labels), format_func=labels.get,
                                    key="u_id")
                f_alasan = st.text_input(t("inovasi.halaman.catat.alasan"), key="u_alasan")
                if st.form_submit_button(t("inovasi.halaman.catat.batalkan")):
                    ui.save(lambda: store.undo_adoption(f_id, account["nama"], f_alasan),
                            lambda _: t("inovasi.halaman.catat.dibatalkan", label=labels[f_id]))
