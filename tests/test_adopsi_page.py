"""The Inovasi page in AppTest (numbers, URL state, sign-in, writes) and in headless Chromium."""

import datetime as dt
import json
from pathlib import Path

import pytest
from page_support import open_page
from streamlit.testing.v1 import AppTest

from metrics.app import akses
from metrics.core import bahasa, formatting
from metrics.core import periode as per
from metrics.data.build import DATA_DIR, build
from metrics.data.store import Store
from metrics.engine import adopsi, benchmark, dampak

ROOT = Path(__file__).resolve().parent.parent
PAGE = "pages/adopsi_inovasi.py"
ADMIN = {"nama": "admin.organisasi", "peran": "admin", "hash": akses.hash_password("sandi-admin-uji")}
VIEWER = {"nama": "tamu", "peran": "viewer", "hash": akses.hash_password("sandi-tamu-uji")}


@pytest.fixture(autouse=True)
def demo_today(monkeypatch):
    """Today = the last day of the demo's last month, so the page shows October 2026 whatever the real
    date (adoption's own calendar reaches today: tests/test_kalender_adopsi.py)."""
    monkeypatch.setenv("TIRU_HARI_INI", "2026-10-31")


def page(db, use_db, accounts=None, **query) -> AppTest:
    return open_page(db, use_db, PAGE, accounts=accounts, **query)


TABLES = {  # table -> columns that identify it on the page
    "tabel_terlambat": {"Kecamatan", "Tahap kini", "Terlambat"},
    "tabel_berikutnya": {"#", "Kesenjangan (poin)"},
    "tabel_dampak": {"Selisih (asosiasi)"},
    "tabel_riwayat": {"Tanggal", "Bukti", "Dicatat oleh"},
}


def frame(at, key):
    return next(df.value for df in at.dataframe if TABLES[key] <= set(df.value.columns))


def test_page_on_demo_data(demo_db, demo_store, use_db):
    at = page(demo_db, use_db)
    assert not at.exception
    assert at.title[0].value == "Adopsi inovasi"
    latest = demo_store.latest_period()
    events = demo_store.adopsi()
    kecamatan = list(demo_store.kecamatan("Asahan")["kode"])
    matrix = adopsi.stage_matrix(events, kecamatan, list(demo_store.inovasi().index), latest)
    late = adopsi.late(events, demo_store.target(), kecamatan, per.month_end(latest))
    assert at.metric[0].value == f"{int((matrix['tahap'] >= 3).sum())} / 250"
    assert at.metric[1].value == f"{late['kode_kecamatan'].nunique()} / 25"
    this_month = events[events["tanggal"].map(per.from_date) == latest]
    assert at.metric[2].value == str(len(this_month))
    per_inovasi = late.groupby("inovasi")["kode_kecamatan"].nunique().sort_values(ascending=False)
    lagging = next(m.value for m in at.markdown if m.value.startswith("**Paling tertinggal:**"))
    worst = per_inovasi.index[0]
    assert lagging.startswith(f"**Paling tertinggal:** {adopsi.short_name(worst)} ({per_inovasi.iloc[0]} kecamatan")
    assert formatting.bulan(latest) in at.caption[0].value and "Terlambat" in at.caption[0].value
    # Default innovation: the first of the catalogue; its late kecamatan are listed.
    shown = frame(at, "tabel_terlambat")
    names = demo_store.kecamatan("Asahan").set_index("kode")["nama"]
    expected = late[late["inovasi"] == "antrean_digital"]
    assert set(shown["Kecamatan"]) == set(expected["kode_kecamatan"].map(names))
    impact = frame(at, "tabel_dampak")
    assert list(impact["Indikator"]) == ["Rata-rata waktu tunggu sebelum dilayani (menit)"]
    history = adopsi.stage_history(events, kecamatan, ["antrean_digital"], demo_store.periods()[0], latest)
    expected_impact = dampak.impact(history, demo_store.observasi(demo_store.periods()[0] - 3, latest),
                                    demo_store.inovasi().loc[["antrean_digital"], "indikator"],
                                    demo_store.indikator(), latest).iloc[0]
    assert impact["n"].iloc[0] == f"{expected_impact['n_adopter']} / {expected_impact['n_kontrol']}"
    assert impact["Selisih (asosiasi)"].iloc[0] == (
        f"−{formatting.angka(abs(expected_impact['efek']), 1)} (−{formatting.angka(abs(expected_impact['batas_bawah']), 1)}"
        f" s.d. −{formatting.angka(abs(expected_impact['batas_atas']), 1)})"
    )
    # The digital queue records the waiting time itself (catalogue indikator_ukur): no verdict (#14).
    assert impact["Arti"].iloc[0].startswith("tanpa kesimpulan: inovasi ini sendiri mengubah cara indikator")
    assert any("Asosiasi, bukan bukti sebab-akibat" in c.value for c in at.caption)
    assert len(frame(at, "tabel_berikutnya")) == 5
    assert any("DATA CONTOH" in w.value for w in at.warning)
    # No accounts configured: no form, an explanation instead.
    assert not at.button or all(b.label != "Simpan peristiwa" for b in at.button)
    assert any("administrator" in i.value and "secrets.toml" not in i.value for i in at.info)


def test_url_state_chooses_innovation_and_kecamatan(demo_db, use_db):
    at = page(demo_db, use_db, inovasi="antrean_digital", kecamatan="12.09.14", periode="2025-12")
    assert not at.exception
    assert at.selectbox(key="inovasi").value == "antrean_digital"
    assert at.selectbox(key="kecamatan").value == "12.09.14"
    history = frame(at, "tabel_riwayat")
    assert list(history["Tahap"]) == ["1 Direncanakan", "2 Uji coba", "3 Berjalan", "2 Uji coba"]
    assert "Urutan catat" not in history.columns  # the record sequence is an internal (#15.7)
    assert "operator antrean dimutasi" in history["Bukti"].iloc[-1]
    assert any("Pulau Rakyat" in h.value for h in at.header)
    at.selectbox(key="inovasi").set_value("tte").run()
    assert at.query_params["inovasi"] in ("tte", ["tte"])
    assert any("TTE" in h.value for h in at.header)


def test_empty_database_explains_instead_of_failing(empty_db, use_db):
    use_db(empty_db, False)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert at.title[0].value == "Adopsi inovasi"
    assert "Belum ada data layanan" in at.info[0].value


def test_signed_in_viewer_cannot_write(demo_db, use_db):
    at = page(demo_db, use_db, accounts=[ADMIN, VIEWER])
    form_user = at.text_input(key="masuk_adopsi_nama")
    form_user.input("tamu")
    at.text_input(key="masuk_adopsi_sandi").input("sandi-tamu-uji")
    at.button[[b.label for b in at.button].index("Masuk")].click().run()
    assert not at.exception
    assert any("peran viewer" in i.value for i in at.info)
    assert all(b.label != "Simpan peristiwa" for b in at.button)


def test_wrong_password_is_refused(demo_db, use_db):
    at = page(demo_db, use_db, accounts=[ADMIN])
    at.text_input(key="masuk_adopsi_nama").input("admin.organisasi")
    at.text_input(key="masuk_adopsi_sandi").input("salah")
    at.button[[b.label for b in at.button].index("Masuk")].click().run()
    assert any("salah" in e.value for e in at.error)
    assert all(b.label != "Simpan peristiwa" for b in at.button)
    assert "argon2" not in str([m.value for m in at.markdown] + [c.value for c in at.caption])


def sign_in_admin(at):
    at.text_input(key="masuk_adopsi_nama").input("admin.organisasi")
    at.text_input(key="masuk_adopsi_sandi").input("sandi-admin-uji")
    at.button[[b.label for b in at.button].index("Masuk")].click().run()
    assert not at.exception
    assert any(b.label == "Simpan peristiwa" for b in at.button)
    return at


def click(at, label):
    at.button[[b.label for b in at.button].index(label)].click().run()
    assert not at.exception
    return at


def test_admin_records_and_undoes_an_event(tmp_path, use_db):
    db = build(tmp_path / "tiru.duckdb", DATA_DIR)
    day = min(dt.date(2026, 10, 20), dt.date.today())
    at = page(db, use_db, accounts=[ADMIN], kecamatan="12.09.08", inovasi="tte", periode=per.fmt(per.from_date(day)))
    sign_in_admin(at)
    count_before = len(Store(db).adopsi())

    # Rejected input: nothing written, the store's Indonesian message shown.
    at.text_area(key="f_bukti").input("x" * 20_000)  # the evidence is capped like imports (#21.5)
    click(at, "Simpan peristiwa")
    assert any("500" in e.value for e in at.error), [e.value for e in at.error]
    check = Store(db)
    assert len(check.adopsi()) == count_before
    check.close()

    # The author is the signed-in account, a note and no field (#21.6).
    assert not [i for i in at.text_input if i.key == "f_oleh"]
    assert "Dicatat atas nama akun Anda: **admin.organisasi**." in [c.value for c in at.caption]
    at.selectbox(key="f_tahap").set_value(4)
    at.date_input(key="f_tanggal").set_value(day)
    at.text_area(key="f_bukti").input("https://contoh.go.id/sk-tte.pdf")
    click(at, "Simpan peristiwa")
    assert any("Tercatat" in s.value for s in at.success)
    check = Store(db)
    events = check.adopsi()
    check.close()
    assert len(events) == count_before + 1
    new = events.iloc[-1]
    assert (new["kode_kecamatan"], new["inovasi"], new["tahap"], new["oleh"]) == ("12.09.08", "tte", 4,
                                                                                  "admin.organisasi")
    assert new["bukti"] == "https://contoh.go.id/sk-tte.pdf"
    history = frame(at, "tabel_riwayat")
    assert history["Bukti"].iloc[-1] == "https://contoh.go.id/sk-tte.pdf"
    assert history["Status"].iloc[-1] == "berlaku"

    # Undo it: it stays in the history, marked, and the stage falls back.
    at.selectbox(key="u_id").set_value(new["id"])
    at.text_input(key="u_alasan").input("salah pilih kecamatan")
    click(at, "Batalkan peristiwa")
    assert any("Dibatalkan" in s.value for s in at.success)
    check = Store(db)
    assert len(check.adopsi()) == count_before
    assert check.adopsi(with_undone=True).set_index("id").loc[new["id"], "batal_alasan"] == "salah pilih kecamatan"
    check.close()
    history = frame(at, "tabel_riwayat")
    assert "dibatalkan oleh admin.organisasi: salah pilih kecamatan" in list(history["Status"])


# --------------------------------------------------------------------------- English


ENGLISH_TABLES = {
    "tabel_terlambat": {"Kecamatan", "Current stage", "Late"},
    "tabel_berikutnya": {"#", "Gap (points)"},
    "tabel_dampak": {"Difference (association)", "Meaning"},
    "tabel_riwayat": {"Date", "Evidence", "By"},
    "tabel_target": {"Innovation", "Target", "Reached", "Late"},
}


def english_frame(at, key):
    return next(df.value for df in at.dataframe if ENGLISH_TABLES[key] <= set(df.value.columns))


def test_page_in_english_with_the_engines_numbers(demo_db, demo_store, use_db):
    at = page(demo_db, use_db, bahasa="en", inovasi="antrean_digital")
    assert not at.exception
    assert at.title[0].value == "Innovation adoption"
    latest = demo_store.latest_period()
    events = demo_store.adopsi()
    kecamatan = list(demo_store.kecamatan("Asahan")["kode"])
    names = demo_store.kecamatan("Asahan").set_index("kode")["nama"]
    matrix = adopsi.stage_matrix(events, kecamatan, list(demo_store.inovasi().index), latest)
    status = adopsi.target_status(events, demo_store.target(), kecamatan, per.month_end(latest))
    late = status[status["terlambat"]]
    with bahasa.dalam("en"):
        month = formatting.bulan(latest)
        short_month = formatting.bulan(latest, short=True)
    assert [m.label for m in at.metric] == ["Running or institutionalised", "Late kecamatan", f"Events {short_month}"]
    assert at.metric[0].value == f"{int((matrix['tahap'] >= 3).sum())} / 250"
    assert at.metric[1].value == f"{late['kode_kecamatan'].nunique()} / 25"
    assert at.metric[0].help == "Kecamatan × innovation pairs at stage 3 or 4, out of 25 kecamatan × 10 innovations."
    caption = at.caption[0].value
    assert caption.startswith(f"Stages at the end of {month}") and "0 Not started · 1 Planned · 2 Pilot" in caption
    per_inovasi = late.groupby("inovasi")["kode_kecamatan"].nunique().sort_values(ascending=False)
    lagging = next(m.value for m in at.markdown if m.value.startswith("**Furthest behind:**"))
    assert lagging.startswith(f"**Furthest behind:** Digital queue ({per_inovasi['antrean_digital']} kecamatan late)")

    # Sekda targets: stage names and short dates in English.
    targets = english_frame(at, "tabel_target")
    summary = adopsi.target_summary(status).set_index("inovasi")
    row = targets.set_index("Innovation").loc["Digital queue"]
    with bahasa.dalam("en"):
        due = formatting.tanggal(summary.loc["antrean_digital", "tanggal"], short=True)
    assert row["Target"] == f"Running · {due}" and due == "31 Dec 2025"
    assert row["Reached"] == f"{summary.loc['antrean_digital', 'tercapai']}/25"

    # Late kecamatan of the chosen innovation, with their stage and days in English.
    shown = english_frame(at, "tabel_terlambat")
    expected = late[late["inovasi"] == "antrean_digital"].sort_values(["hari_terlambat", "kode_kecamatan"],
                                                                      ascending=[False, True])
    assert list(shown["Kecamatan"]) == list(expected["kode_kecamatan"].map(names))
    with bahasa.dalam("en"):
        assert list(shown["Current stage"]) == [adopsi.label_tahap(n) for n in expected["tahap_kini"]]
        assert list(shown["Late"]) == [f"{formatting.angka(h, 0)} days" for h in expected["hari_terlambat"]]

    # Who is next: the weighted gap with an English decimal point.
    everyone = adopsi.next_adopters(
        matrix, benchmark.scorecard(demo_store, latest), demo_store.inovasi()["indikator"], top=25
    )
    nxt = everyone[(everyone["inovasi"] == "antrean_digital") & (everyone["urutan"] <= 5)]
    gaps = english_frame(at, "tabel_berikutnya")
    with bahasa.dalam("en"):
        assert list(gaps["Gap (points)"]) == [formatting.angka(v, 1) for v in nxt["kesenjangan"]]
    assert any("." in g for g in gaps["Gap (points)"]) and not any("," in g for g in gaps["Gap (points)"])

    # The impact table: English indicator name and unit, sign and decimal point, meaning.
    impact = english_frame(at, "tabel_dampak")
    history = adopsi.stage_history(events, kecamatan, ["antrean_digital"], demo_store.periods()[0], latest)
    effect = dampak.impact(history, demo_store.observasi(demo_store.periods()[0] - 3, latest),
                           demo_store.inovasi().loc[["antrean_digital"], "indikator"], demo_store.indikator(),
                           latest).iloc[0]
    english_name = demo_store.indikator().loc["waktu_tunggu", "nama_en"]
    assert list(impact["Indicator"]) == [f"{english_name} (minutes)"]
    with bahasa.dalam("en"):
        assert (
            impact["Difference (association)"]
            .iloc[0]
            .startswith("−" + formatting.angka(abs(effect["efek"]), 1) + " (−")
        )
        assert " to −" in impact["Difference (association)"].iloc[0]
        assert impact["Adopters"].iloc[0] == formatting.angka(effect["perubahan_adopter"], 1)
    assert impact["Meaning"].iloc[0].startswith("no verdict: the innovation itself changes how this indicator")
    assert any(c.value.startswith("**Association, not proof of cause and effect.**") and "Source: DEMO DATA." in c.value
               for c in at.caption)

    # Charts: English titles with the month, stage legend, English separators.
    figures = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    titles = [f["layout"]["title"]["text"] for f in figures]
    assert titles[0].startswith("Adoption stage per kecamatan and innovation") and f"end of {month}" in titles[0]
    assert titles[1].startswith("Stages per innovation")
    assert titles[2].startswith("Adoption curve: Digital queue system")
    assert titles[3].startswith("Stage timeline: ")
    assert all(f["layout"]["separators"] == ".," for f in figures)
    assert [t["name"] for t in figures[0]["data"] if t.get("showlegend")] == [
        "0 Not started", "1 Planned", "2 Pilot", "3 Running", "4 Institutionalised"]
    assert any("Recording is not available on this server yet" in i.value for i in at.info)


def test_history_and_recording_in_english(tmp_path, use_db):
    db = build(tmp_path / "tiru.duckdb", DATA_DIR, with_demo=True)
    day = min(dt.date(2026, 10, 20), dt.date.today())
    use_db(db, True)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.secrets["akun"] = [ADMIN]
    at.query_params.update(bahasa="en", kecamatan="12.09.14", inovasi="antrean_digital",
                           periode=per.fmt(per.from_date(day)))
    at.session_state[akses.SESSION_KEY] = {"nama": "admin.organisasi", "peran": "admin"}
    at.session_state[akses.FINGERPRINT_KEY] = akses.fingerprint([ADMIN], "admin.organisasi")  # as sign-in keeps it
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert any(h.value == "History and recording: Pulau Rakyat · Digital queue" for h in at.header)
    history = english_frame(at, "tabel_riwayat")
    assert list(history["Stage"]) == ["1 Planned", "2 Pilot", "3 Running", "2 Pilot"]
    assert set(history["Status"]) == {"in force · DEMO DATA"}
    assert at.selectbox(key="f_tahap").label == "New stage"
    assert at.selectbox(key="f_tahap").options == ["0 Not started", "1 Planned", "2 Pilot", "3 Running",
                                                   "4 Institutionalised"]
    assert at.selectbox(key="f_inovasi").value == "antrean_digital"
    at.selectbox(key="f_tahap").set_value(3)
    at.date_input(key="f_tanggal").set_value(day)
    at.text_area(key="f_bukti").input("Queue machine back in service")
    at.button[[b.label for b in at.button].index("Save event")].click().run()
    assert not at.exception
    with bahasa.dalam("en"):
        when = formatting.tanggal(day, short=True)
    assert [s.value for s in at.success] == [f"Recorded: Pulau Rakyat · Digital queue → 3 Running as of {when}."]
    check = Store(db)
    new = check.adopsi().iloc[-1]
    check.close()
    assert (new["kode_kecamatan"], new["inovasi"], new["tahap"]) == ("12.09.14", "antrean_digital", 3)
    at.run()  # the language survives the save's st.rerun() (the switch is drawn after st.navigation)
    assert at.query_params["bahasa"] in ("en", ["en"])
    history = english_frame(at, "tabel_riwayat")
    assert history["Status"].iloc[-1] == "in force" and history["Stage"].iloc[-1] == "3 Running"
    assert history["Evidence"].iloc[-1] == "Queue machine back in service"


# --------------------------------------------------------------------------- real browser


def test_inovasi_page_in_chromium(browser, demo_db):
    from browser_support import serve, stop

    process, url = serve(demo_db, True)
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.goto(url)  # the first session of a fresh server may not know the page paths yet
        page.wait_for_load_state("networkidle")
        page.goto(f"{url}/inovasi?inovasi=antrean_digital&kecamatan=12.09.14&periode=2025-12")
        page.get_by_role("heading", name="Adopsi inovasi").first.wait_for(timeout=45_000)
        page.wait_for_load_state("networkidle")
        charts = page.locator(".js-plotly-plot")
        charts.nth(3).wait_for(timeout=30_000)
        text = " ".join(charts.nth(i).inner_text() for i in range(charts.count()))
        assert "Tahap adopsi per kecamatan dan inovasi" in text and "Desember 2025" in text
        assert "Kurva adopsi: Sistem antrean digital" in text
        assert "Linimasa tahap: Pulau Rakyat" in text
        assert "0 Belum" in text and "4 Terlembaga" in text
        assert page.locator('[data-testid="stException"]').count() == 0
        body = page.inner_text("body")
        assert "Traceback" not in body and "Asosiasi, bukan bukti sebab-akibat" in body
        page.close()
    finally:
        stop(process)
