"""The monthly cycle (#13): month status berjalan → sementara → final, the default month, closing
and reopening, and the reporting tracker. One early upload never moves what everyone sees."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pandas as pd
import pytest
from cli_support import run
from streamlit.testing.v1 import AppTest

from metrics.core import periode as per
from metrics.data.build import DATA_DIR, build
from metrics.data.store import Store
from metrics.engine import bulan

ROOT = Path(__file__).resolve().parent.parent
OKT, NOV = per.parse("2026-10"), per.parse("2026-11")
NOVEMBER_ONE = (
    "kode_kecamatan,periode,indikator,nilai,sumber,catatan\n"
    "12.09.19,2026-11,waktu_tunggu,38,Laporan camat,\n"
    "12.09.19,2026-11,waktu_selesai,2.6,Laporan camat,\n"
    "12.09.19,2026-11,tepat_waktu,86,Laporan camat,\n"
    "12.09.19,2026-11,pengaduan_tuntas,85,Laporan camat,\n"
    "12.09.19,2026-11,permohonan_daring,64,Laporan camat,\n"
    "12.09.19,2026-11,tte,86.5,Laporan camat,\n"
    "12.09.19,2026-11,volume_layanan,1800,Laporan camat,\n"
)



@pytest.fixture
def early_november(demo_desember, tmp_path, capsys) -> Path:
    """One operator sent November for Kota Kisaran Barat on the 2nd of December."""
    upload = tmp_path / "november.csv"
    upload.write_text(NOVEMBER_ONE, encoding="utf-8")
    code, _, err = run(capsys, "import", upload, "--dengan-demo", "--oleh", "operator.kisaranbarat")
    assert code == 0, err
    return demo_desember


def month_csv(capsys) -> pd.DataFrame:
    code, out, err = run(capsys, "bulan")
    assert code == 0, err
    return pd.read_csv(io.StringIO(out), dtype=str)


# ----------------------------------------------------------------- the rule (pure)


def months_frame(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["periode", "lengkap", "melapor", "total", "ditutup"])


def test_status_follows_the_deadline_the_share_reported_and_the_closure():
    table = months_frame([
        (per.parse("2026-09"), 25, 25, 25, True),
        (OKT, 12, 20, 25, False),   # deadline 10 November has passed
        (NOV, 20, 21, 25, False),   # 80 % complete before its deadline
        (per.parse("2026-12"), 1, 1, 25, False),
    ])
    status = bulan.with_status(table, dt.date(2026, 12, 2), tenggat_hari=10)
    assert list(status["status"]) == ["final", "sementara", "sementara", "berjalan"]
    assert list(status["tenggat"]) == [dt.date(2026, 10, 10), dt.date(2026, 11, 10), dt.date(2026, 12, 10),
                                       dt.date(2027, 1, 10)]
    # On the deadline day itself the month is still open; the next day it is provisional.
    one = months_frame([(NOV, 3, 3, 25, False)])
    assert bulan.with_status(one, dt.date(2026, 12, 10), 10)["status"].iloc[0] == "berjalan"
    assert bulan.with_status(one, dt.date(2026, 12, 11), 10)["status"].iloc[0] == "sementara"
    assert bulan.with_status(one, dt.date(2026, 12, 4), 3)["status"].iloc[0] == "sementara"


def test_default_month_is_the_latest_final_else_the_latest_80_percent_complete():
    today = dt.date(2026, 12, 2)
    final_then_partial = bulan.with_status(months_frame([
        (per.parse("2026-09"), 25, 25, 25, True), (OKT, 24, 25, 25, False), (NOV, 1, 1, 25, False)]), today, 10)
    assert bulan.default_month(final_then_partial) == per.parse("2026-09")
    nothing_final = bulan.with_status(months_frame([
        (per.parse("2026-09"), 19, 25, 25, False), (OKT, 20, 21, 25, False), (NOV, 1, 1, 25, False)]), today, 10)
    assert bulan.default_month(nothing_final) == OKT  # 20 of 25 = 80 %
    thin = bulan.with_status(months_frame([(OKT, 3, 4, 25, False), (NOV, 1, 1, 25, False)]), today, 10)
    assert bulan.default_month(thin) == NOV  # nothing qualifies: the latest month, marked as not final
    assert bulan.default_month(bulan.with_status(months_frame([]), today, 10)) is None


# ----------------------------------------------------------------- the demo and `tiru bulan`


def test_the_demo_keeps_its_history_final_and_opens_on_its_latest_complete_month(demo_desember, capsys):
    months = month_csv(capsys)
    assert list(months.columns) == ["periode", "status", "lengkap", "total", "tenggat"]
    assert months["periode"].iloc[-1] == "2026-10"
    assert set(months["status"]) == {"final_contoh"}  # closed by the demo's rule: "final (contoh)" (#20)
    assert set(months["total"]) == {"25"}
    october = months.set_index("periode").loc["2026-10"]
    assert october["lengkap"] == "22" and october["tenggat"] == "2026-11-10"
    store = Store(demo_desember)
    assert bulan.default_month(bulan.month_table(store)) == OKT
    closures = store.batches()
    demo_closure = closures[closures["jenis"] == "tutup-periode"]
    assert len(demo_closure) == 1 and bool(demo_closure["demo"].iloc[0])  # recorded by rule, labelled as demo


def test_one_early_upload_moves_no_default_view(early_november, capsys, tmp_path):
    store = Store(early_november)
    assert NOV in store.periods()
    months = month_csv(capsys).set_index("periode")
    assert months.loc["2026-11"].to_dict() == {"status": "berjalan", "lengkap": "1", "total": "25",
                                                "tenggat": "2026-12-10"}
    assert months.loc["2026-10", "status"] == "final_contoh"
    # the CLI without --periode
    code, default, _ = run(capsys, "ranking")
    code_okt, october, _ = run(capsys, "ranking", "--periode", "2026-10")
    assert code == code_okt == 0 and default == october
    code, table, _ = run(capsys, "ranking", "--format", "table")
    assert "Oktober 2026" in table.splitlines()[0]
    # the PowerPoint pack without --periode
    from pptx import Presentation

    out = tmp_path / "rapat.pptx"
    assert run(capsys, "pptx", out)[0] == 0
    footers = [shape.text_frame.text for shape in Presentation(out).slides[0].shapes if shape.has_text_frame]
    assert any("Oktober 2026" in text for text in footers)


def test_tiru_bulan_table_and_a_bad_setting(demo_desember, capsys, monkeypatch):
    code, out, _ = run(capsys, "bulan", "--format", "table")
    assert code == 0 and "Oktober 2026" in out and "final" in out
    monkeypatch.setenv("TIRU_TENGGAT_HARI", "40")
    code, _, err = run(capsys, "bulan")
    assert code == 1 and "TIRU_TENGGAT_HARI" in err and "Traceback" not in err


# ----------------------------------------------------------------- closing and reopening


def test_closing_and_reopening_a_month_is_logged_and_moves_the_default(early_november, capsys):
    code, _, err = run(capsys, "tutup-bulan", "2026-11", "--oleh", "admin.organisasi")
    assert code == 0, err
    months = month_csv(capsys).set_index("periode")
    assert months.loc["2026-11", "status"] == "final"
    code, default, _ = run(capsys, "ranking")
    assert default == run(capsys, "ranking", "--periode", "2026-11")[1]
    # closing twice, reopening without a reason, a month without data: refused, nothing written
    assert run(capsys, "tutup-bulan", "2026-11")[0] == 1
    with pytest.raises(SystemExit) as usage:
        run(capsys, "buka-bulan", "2026-11")
    assert usage.value.code == 2
    assert run(capsys, "buka-bulan", "2026-11", "--alasan", "  ")[0] == 1
    assert run(capsys, "tutup-bulan", "2027-01")[0] == 1
    code, _, err = run(capsys, "buka-bulan", "2026-11", "--alasan", "Data Kisaran Barat dikoreksi", "--oleh", "admin")
    assert code == 0, err
    assert month_csv(capsys).set_index("periode").loc["2026-11", "status"] == "berjalan"
    batches = Store(early_november).batches()
    log = batches[batches["jenis"].isin(["tutup-periode", "buka-periode"]) & ~batches["demo"]]
    assert list(log["jenis"]) == ["tutup-periode", "buka-periode"]
    assert list(log["berkas"]) == ["2026-11", "2026-11"]
    assert list(log["oleh"]) == ["admin.organisasi", "admin"]
    assert log["catatan"].iloc[1] == "Data Kisaran Barat dikoreksi"


def test_a_month_still_running_cannot_be_closed(early_november, capsys, monkeypatch):
    monkeypatch.setenv("TIRU_HARI_INI", "2026-11-20")
    code, _, err = run(capsys, "tutup-bulan", "2026-11")
    assert code == 1 and "2026-11" in err


def test_closures_survive_a_rebuild_and_demo_closures_go_with_the_demo(early_november, capsys, tmp_path):
    assert run(capsys, "tutup-bulan", "2026-11", "--oleh", "admin")[0] == 0
    build(early_november, DATA_DIR, with_demo=True)
    assert month_csv(capsys).set_index("periode").loc["2026-11", "status"] == "final"
    # real data that replaces the demo is not final because the demo was
    upload = tmp_path / "oktober.csv"
    upload.write_text(NOVEMBER_ONE.replace("2026-11", "2026-10"), encoding="utf-8")
    assert run(capsys, "import", upload, "--hapus-demo", "--oleh", "admin")[0] == 0
    months = month_csv(capsys).set_index("periode")
    assert months.loc["2026-10", "status"] == "sementara"  # its deadline has passed, not closed
    assert months.loc["2026-11", "status"] == "final"


# ----------------------------------------------------------------- the reporting tracker


def arrival(store: Store) -> dt.date:
    batches = store.batches()
    return pd.Timestamp(batches[batches["jenis"] == "observasi"]["waktu"].iloc[-1]).date()


def test_tracker_of_the_open_month_names_who_sent_what_and_who_is_late(early_november, monkeypatch):
    store = Store(early_november)
    open_month, tracker = bulan.tracker(store, dt.date(2026, 12, 14))
    assert open_month == NOV
    row = tracker.set_index("kode").loc["12.09.19"]
    # the values arrived with the import's batch (the real clock), the deadline is 10 December
    assert row["keadaan"] == "lengkap" and row["dikirim"] == 7
    assert row["terlambat_hari"] == max(0, (arrival(store) - dt.date(2026, 12, 10)).days)
    other = tracker.set_index("kode").loc["12.09.08"]
    assert other["keadaan"] == "belum" and other["dikirim"] == 0 and other["terlambat_hari"] == 4
    assert len(tracker) == 25 and (tracker["keadaan"] == "belum").sum() == 24
    # before the deadline nobody is late yet
    _, early = bulan.tracker(store, dt.date(2026, 12, 2))
    assert (early["terlambat_hari"] == 0).all()


def test_the_cached_meeting_deck_follows_the_day_past_the_deadline(early_november, monkeypatch):
    """The deck (Mode Rapat, its PowerPoint) says the month's status; a cached deck is kept per day, so
    the day after the deadline November says "sementara" at once, not when the cache expires."""
    from metrics.app import ui

    monkeypatch.setenv("TIRU_HARI_INI", "2026-12-10")  # November's deadline: still running
    assert ui.deck(NOV, None).bulan.startswith("berjalan")
    monkeypatch.setenv("TIRU_HARI_INI", "2026-12-11")
    assert ui.deck(NOV, None).bulan.startswith("sementara")


def test_punctuality_counts_each_kecamatan_over_twelve_months(early_november):
    store = Store(early_november)
    history = bulan.punctuality(store, dt.date(2026, 12, 14)).set_index("kode")
    assert len(history) == 25
    kisaran = history.loc["12.09.19"]
    on_time = arrival(store) <= dt.date(2026, 12, 10)
    assert (kisaran["tepat"], kisaran["terlambat"]) == ((1, 0) if on_time else (0, 1))
    # the demo's eleven months have no arrival time: complete ones are "tanpa catatan"
    assert kisaran["bulan"] == 12 and kisaran["tanpa_catatan"] + kisaran["belum"] == 11
    assert kisaran["tanpa_catatan"] >= 9
    before = bulan.punctuality(store, dt.date(2026, 12, 10)).set_index("kode")  # November not yet due
    assert history.loc["12.09.08", "belum"] == before.loc["12.09.08", "belum"] + 1
    assert before.loc["12.09.08", "bulan"] == 11


# ----------------------------------------------------------------- the app


def app(db, monkeypatch, page: str | None = None, **query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update(query)
    at.run()
    if page:
        at.switch_page(page).run()
    return at


def test_every_page_opens_on_october_and_november_says_it_is_running(early_november, monkeypatch):
    at = app(early_november, monkeypatch)
    assert not at.exception
    assert at.session_state["periode"] == "2026-10"
    assert at.metric[2].value.endswith(" dari 25")
    assert not any("berjalan ·" in c.value for c in at.caption)
    at.switch_page("pages/tabel_peringkat.py").run()
    assert not at.exception and at.session_state["periode"] == "2026-10"
    # November chosen on purpose: the notice says what it is
    at = app(early_november, monkeypatch, periode="2026-11")
    assert at.session_state["periode"] == "2026-11"
    assert any("berjalan · 1 dari 25 melapor" in c.value for c in at.caption)
    at.switch_page("pages/tabel_peringkat.py").run()
    assert any("berjalan · 1 dari 25 melapor" in c.value for c in at.caption)


def test_ringkasan_tile_counts_the_kecamatan_it_lists(demo_desember, monkeypatch):
    from metrics.engine import benchmark

    at = app(demo_desember, monkeypatch)
    assert not at.exception
    tile = next(m for m in at.metric if m.label == "Belum lengkap")
    store = Store(demo_desember)
    status = benchmark.reporting_status(store.observasi(OKT - 24, OKT), store.kecamatan("Asahan"), OKT,
                                        store.indikator()["frekuensi"])
    listed = status[status["dilaporkan"] < status["diharapkan"]]
    assert len(listed) == 3  # two silent, one partial in the demo's October
    assert int(tile.value) == len(listed)
    links = [link.label for link in at.get("page_link")]
    for name in listed["nama"]:
        assert any(label.startswith(f"{name}:") for label in links)


def test_ringkasan_and_kelola_show_the_tracker_of_the_open_month(early_november, monkeypatch):
    at = app(early_november, monkeypatch)
    texts = " ".join(m.value for m in at.markdown)
    assert "November 2026" in texts and "10 Desember 2026" in texts
    at.switch_page("pages/kelola_data.py").run()
    assert not at.exception
    frames = [frame.value for frame in at.dataframe]
    assert any("Kota Kisaran Barat" in frame.to_string() and "lengkap" in frame.to_string() for frame in frames)
