"""A status shown is a status enforced (#20): a month is final only while its closing is in force
and it has data; changing a final month's values (import, revert) needs the admin's correction;
closing and reopening revert; concurrent closes write one; the demo's closures show as
"final (contoh)" and guard nothing real."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from cli_support import run

from metrics.core import periode as per
from metrics.data import penutupan
from metrics.data.store import RejectedChange, Store

NOV = per.parse("2026-11")
NOVEMBER = "kode_kecamatan,periode,indikator,nilai,sumber,catatan\n" + "".join(
    f"{kode},2026-11,{ind},{nilai},Laporan camat,\n"
    for kode in ("12.09.19", "12.09.08")
    for ind, nilai in (("waktu_tunggu", 38), ("waktu_selesai", 2.6), ("tepat_waktu", 86), ("pengaduan_tuntas", 85),
                       ("permohonan_daring", 64), ("tte", 86.5), ("volume_layanan", 1800)))


def months(capsys) -> pd.DataFrame:
    code, out, err = run(capsys, "bulan")
    assert code == 0, err
    return pd.read_csv(io.StringIO(out), dtype=str).set_index("periode")


def imported(capsys, tmp_path, text: str, *extra) -> str:
    upload = tmp_path / f"u{len(list(tmp_path.glob('u*.csv')))}.csv"
    upload.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "import", upload, "--dengan-demo", "--oleh", "operator", *extra)
    assert code == 0, err
    return Store().batches()["id"].iloc[-1]


def test_reverting_a_final_months_data_needs_the_correction_and_an_emptied_month_is_not_final(demo_desember, capsys, tmp_path):
    first = imported(capsys, tmp_path, NOVEMBER)
    assert run(capsys, "tutup-bulan", "2026-11", "--oleh", "admin")[0] == 0
    assert months(capsys).loc["2026-11", "status"] == "final"
    before = demo_desember.read_bytes()
    code, _, err = run(capsys, "revert", first, "--oleh", "admin")
    assert code == 1 and "--koreksi-final" in err and "November 2026" in err
    assert demo_desember.read_bytes() == before  # nothing written
    code, _, err = run(capsys, "revert", first, "--oleh", "admin", "--koreksi-final")
    assert code == 0, err
    batches = Store(demo_desember).batches()
    assert "koreksi bulan final 2026-11" in batches["catatan"].iloc[-1]  # noted on the batch
    assert "2026-11" not in months(capsys).index
    # one kecamatan re-sends November: a provisional month of 1, never everyone's "final" default
    imported(capsys, tmp_path, "\n".join(NOVEMBER.splitlines()[:8]) + "\n")
    november = months(capsys).loc["2026-11"]
    assert november["status"] != "final" and november["lengkap"] == "1"


def test_closing_and_reopening_revert(demo_desember, capsys, tmp_path):
    imported(capsys, tmp_path, NOVEMBER)
    assert run(capsys, "tutup-bulan", "2026-11", "--oleh", "admin")[0] == 0
    close = Store(demo_desember).batches()["id"].iloc[-1]
    code, _, err = run(capsys, "revert", close, "--oleh", "admin")
    assert code == 0, err
    assert "2026-11" in err and "dibuka kembali" in err
    assert months(capsys).loc["2026-11", "status"] != "final"
    assert run(capsys, "tutup-bulan", "2026-11", "--oleh", "admin")[0] == 0
    assert run(capsys, "buka-bulan", "2026-11", "--alasan", "koreksi", "--oleh", "admin")[0] == 0
    reopen = Store(demo_desember).batches()["id"].iloc[-1]
    assert months(capsys).loc["2026-11", "status"] != "final"
    assert run(capsys, "revert", reopen, "--oleh", "admin")[0] == 0
    assert months(capsys).loc["2026-11", "status"] == "final"


def test_two_closes_at_once_write_one_batch(demo_desember, capsys, tmp_path):
    imported(capsys, tmp_path, NOVEMBER)
    store = Store(demo_desember)
    penutupan._record(store, NOV, "tutup", "admin", None)
    with pytest.raises(RejectedChange, match="final"):  # the second writer, past its own pre-check
        penutupan._record(store, NOV, "tutup", "admin", None)
    batches = store.batches()
    assert len(batches[(batches["jenis"] == "tutup-periode") & ~batches["demo"]]) == 1


def test_the_demos_closures_show_as_contoh_and_an_admin_may_close_them_for_real(demo_desember, capsys, tmp_path):
    listed = months(capsys)
    assert set(listed["status"]) == {"final_contoh"}
    code, out, _ = run(capsys, "bulan", "--format", "table")
    assert "final (contoh)" in out
    assert run(capsys, "tutup-bulan", "2026-10", "--oleh", "admin")[0] == 0
    assert months(capsys).loc["2026-10", "status"] == "final"
    # now guarded like any final month
    upload = tmp_path / "okt.csv"
    upload.write_text(NOVEMBER.replace("2026-11", "2026-10"), encoding="utf-8")
    before = demo_desember.read_bytes()
    code, _, err = run(capsys, "import", upload, "--dengan-demo", "--oleh", "operator")
    assert code == 1 and "--koreksi-final" in err
    assert demo_desember.read_bytes() == before


def test_arrivals_and_lateness_follow_the_apps_today(demo_desember, capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("TIRU_HARI_INI", "2026-12-14")  # a rehearsal of a late month
    imported(capsys, tmp_path, NOVEMBER)
    from metrics.engine import bulan as bulan_engine

    store = Store(demo_desember)
    arrived = store.kedatangan(NOV, NOV)
    arrived = arrived[arrived["kode_kecamatan"] == "12.09.19"]
    assert {pd.Timestamp(v).date().isoformat() for v in arrived["tiba"]} == {"2026-12-14"}
    _, tracker = bulan_engine.tracker(store)
    row = tracker.set_index("kode").loc["12.09.19"]
    assert row["keadaan"] == "lengkap" and row["terlambat_hari"] == 4
