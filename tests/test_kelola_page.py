"""Kelola Data in AppTest: dry run for anyone, writes only when signed in with the right role,
the demo question, revert; sign-in throttling and logging; the sign-in-for-everything gate."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from metrics.app import akses, kelola
from metrics.core import bahasa, formatting
from metrics.core import periode as per
from metrics.data.store import Store

ROOT = Path(__file__).resolve().parent.parent
BAD = Path(__file__).resolve().parent / "bad_files"
GOOD = b"kode_kecamatan,periode,indikator,nilai\n12.09.08,2025-06,tte,50\n"
BUSY = "Unggahan lain dari akun ini masih diproses. Tunggu sampai selesai, lalu coba lagi."
OTHER = b"kode_kecamatan,periode,indikator,nilai\n12.09.08,2025-06,tte,50\n12.09.09,2025-06,tte,51\n"


@pytest.fixture(scope="module")
def hashes():
    return {name: akses.hash_password(f"sandi-{name}") for name in ("admin", "operator", "viewer")}


@pytest.fixture
def db(demo_db, tmp_path, use_db) -> Path:
    path = tmp_path / "tiru.duckdb"
    shutil.copy(demo_db, path)
    use_db(path)
    return path


@pytest.fixture(autouse=True)
def fresh_throttle(monkeypatch):
    monkeypatch.setattr(akses, "THROTTLE", akses.Throttle())


def page(hashes, nama: str | None = None, password: str | None = None, kode: str = "id") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.secrets["akun"] = [
        {"nama": "admin", "peran": "admin", "hash": hashes["admin"]},
        {"nama": "operator", "peran": "operator", "kode_kecamatan": "12.09.08", "hash": hashes["operator"]},
        {"nama": "viewer", "peran": "viewer", "hash": hashes["viewer"]},
    ]
    if kode != "id":
        at.query_params["bahasa"] = kode
    at.run()
    at.switch_page("pages/kelola_data.py").run()
    assert not at.exception and at.title[0].value == {"id": "Kelola Data", "en": "Manage data"}[kode]
    if nama:
        at.text_input(key="masuk_kelola_nama").set_value(nama)
        at.text_input(key="masuk_kelola_sandi").set_value(password or f"sandi-{nama}")
        with bahasa.dalam(kode):  # the submit button's key carries its label
            at.button(key=f"FormSubmitter:masuk_kelola-{bahasa.t('akses.masuk')}").click().run()
    return at


def table(at: AppTest, first_column: str):
    """The dataframe whose first column is `first_column` (AppTest does not expose dataframe keys)."""
    return next(d.value for d in at.dataframe if d.value.columns[0] == first_column)


def shown(markdown: str) -> str:
    """A message as the browser shows it: the file name from the upload is Markdown-escaped (ui.plain)."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


def upload(at: AppTest, content: bytes, name: str = "juni.csv") -> AppTest:
    at.file_uploader[0].upload(name, content, "text/csv").run()
    assert not at.exception
    return at


def _dry_run_without_account():
    from metrics.app import kelola as k
    from metrics.app import ui

    class Upload:  # a file that reached the server anyway (a stale or hand-made request)
        name = "juni.csv"

        def getvalue(self):
            raise AssertionError("the file of an anonymous session must not be read")

    assert k.dry_run(ui.store(), Upload(), "auto", None, False) is None


def test_without_sign_in_no_file_is_read(db, hashes):
    at = page(hashes)
    assert not at.get("file_uploader")  # no uploader without a role that may import (#21.4)
    assert any(i.value == "Masuk dulu untuk memeriksa atau mengimpor berkas." for i in at.info)
    assert not at.metric and not at.success and not at.error
    direct = AppTest.from_function(_dry_run_without_account)
    direct.run()
    assert not direct.exception, direct.exception
    assert [i.value for i in direct.info] == ["Masuk dulu untuk memeriksa atau mengimpor berkas."]


def test_a_second_upload_of_the_same_account_is_told_to_wait(db, hashes):
    with kelola.upload_slot("operator") as free:
        assert free
        at = upload(page(hashes, "operator"), GOOD)
        assert BUSY in [w.value for w in at.warning]
        assert not at.metric
        with kelola.upload_slot("operator") as again:
            assert not again
    with kelola.upload_slot("admin") as other:  # per account: another account is not held up
        assert other
    at = upload(page(hashes, "operator"), GOOD)  # released: the same account may upload again
    assert BUSY not in [w.value for w in at.warning] and [m.value for m in at.metric] == ["0", "1", "0"]


def test_the_importer_is_the_signed_in_account_with_a_free_note(db, hashes):
    at = upload(page(hashes, "admin"), GOOD)
    assert not [i for i in at.text_input if i.key == "oleh_impor"]
    assert "Diimpor oleh **admin**." in [c.value for c in at.caption]
    at.text_input(key="catatan_impor").set_value("koreksi dari camat Meranti")
    at.radio(key="pilihan_demo").set_value("pertahankan").run()
    at.button(key="konfirmasi_impor").click().run()
    assert not at.exception and at.success[0].value.startswith("Diimpor sebagai batch")
    batch = Store(db).batches().iloc[-1]
    assert batch["oleh"] == "admin" and "koreksi dari camat Meranti" in batch["catatan"]


def test_an_operator_can_dry_run_a_bad_file_and_download_the_report(db, hashes):
    before = db.read_bytes()
    at = upload(page(hashes, "admin"), (BAD / "banyak_masalah.csv").read_bytes(), "banyak_masalah.csv")
    assert "ditolak: 5 masalah" in at.error[0].value
    report = table(at, "lembar")
    assert list(report["kolom"]) == ["kode_kecamatan", "periode", "nilai", "indikator", "nilai"]
    assert at.get("download_button")  # the downloadable report
    assert not [b for b in at.button if b.key == "konfirmasi_impor"]
    assert db.read_bytes() == before


def test_a_good_file_is_previewed_before_it_is_saved(db, hashes):
    at = upload(page(hashes, "admin"), GOOD)
    assert [m.value for m in at.metric] == ["0", "1", "0"]
    preview = table(at, "Status")
    assert preview.iloc[0]["Status"] == "berubah" and preview.iloc[0]["Nilai baru"] == "50,00"
    assert preview.iloc[0]["Nilai lama"].endswith("(DATA CONTOH)")


def test_viewer_gets_no_uploader(db, hashes):
    at = page(hashes, "viewer")
    assert not at.get("file_uploader") and not [b for b in at.button if b.key == "konfirmasi_impor"]
    assert any("hanya untuk melihat" in i.value for i in at.info)


def test_admin_imports_after_answering_the_demo_question_and_can_revert(db, hashes):
    at = upload(page(hashes, "admin"), GOOD)
    assert at.button(key="konfirmasi_impor").disabled  # the demo question comes first
    assert at.radio(key="pilihan_demo").options == [
        "Hapus semua data contoh (dalam transaksi yang sama)",
        "Pertahankan data contoh (tetap ditandai per baris); nilai nyata berkas ini menggantikannya",
    ]
    at.radio(key="pilihan_demo").set_value("pertahankan").run()
    at.button(key="konfirmasi_impor").click().run()
    assert not at.exception
    message = at.success[0].value
    assert message.startswith("Diimpor sebagai batch observasi-") and "0 baru, 1 berubah" in message
    june = per.parse("2025-06")
    store = Store(db)
    assert store.observasi(june, june, "12.09.08").set_index("indikator").loc["tte", "nilai"] == 50
    batch = message.split("batch ")[1].split(":")[0]
    history = table(at, "Batch")
    assert history.iloc[0]["Batch"] == batch and history.iloc[0]["Status"] == "berlaku"
    at.selectbox(key="batch_dibatalkan").set_value(batch)
    at.text_input(key="alasan_batal").set_value("uji")
    at.button(key="FormSubmitter:batal_batch-Batalkan batch ini").click().run()
    assert not at.exception
    assert at.success[0].value == f"Batch {batch} dibatalkan; nilai sebelumnya berlaku lagi."
    assert store.observasi(june, june, "12.09.08").set_index("indikator").loc["tte", "nilai"] != 50
    assert table(at, "Batch").iloc[1]["Status"].startswith("dibatalkan")


def test_operator_is_limited_to_their_kecamatan_server_side(db, hashes):
    before = db.read_bytes()
    at = upload(page(hashes, "operator"), OTHER)
    assert "ditolak: 1 masalah" in at.error[0].value
    report = table(at, "lembar")
    assert report.iloc[0]["baris"] == 3 and "bukan kecamatan akun ini (12.09.08)" in report.iloc[0]["masalah"]
    assert db.read_bytes() == before
    at = upload(page(hashes, "operator"), GOOD)
    assert at.radio(key="pilihan_demo").options == [
        "Pertahankan data contoh (tetap ditandai per baris); nilai nyata berkas ini menggantikannya"
    ]
    at.radio(key="pilihan_demo").set_value("pertahankan").run()
    at.button(key="konfirmasi_impor").click().run()
    assert at.success[0].value.startswith("Diimpor sebagai batch")
    assert Store(db).batches().iloc[-1]["oleh"] == "operator"
    assert "Hanya admin yang dapat membatalkan batch." in [c.value for c in at.caption]
    assert not [f for f in at.get("form") if getattr(f, "form_id", "") == "ubah_model"]


def test_failed_sign_ins_slow_down_and_are_logged(db, hashes, monkeypatch):
    monkeypatch.setattr(akses, "THROTTLE", akses.Throttle(clock=lambda: 1000.0))  # the second try comes at once
    at = page(hashes, "admin", "salah")
    assert at.error[0].value == "Nama pengguna atau kata sandi salah."
    at.text_input(key="masuk_kelola_sandi").set_value("sandi-admin")
    at.button(key="FormSubmitter:masuk_kelola-Masuk").click().run()
    assert at.error[0].value.startswith("Terlalu banyak percobaan gagal. Coba lagi dalam")
    lines = [json.loads(line) for line in (db.parent / "masuk.log").read_text().splitlines()]
    assert [(r["peristiwa"], r["nama"]) for r in lines] == [("masuk-gagal", "admin"), ("masuk-ditahan", "admin")]


def test_throttle_doubles_per_failure_and_resets_on_success(tmp_path):
    now = [1000.0]
    throttle = akses.Throttle(clock=lambda: now[0])
    accounts = [{"nama": "a", "peran": "admin", "hash": akses.hash_password("benar")}]
    log = tmp_path / "masuk.log"
    assert akses.sign_in(accounts, "a", "x", throttle, log) == (None, "Nama pengguna atau kata sandi salah.")
    assert throttle.wait("a") == 1.0
    assert akses.sign_in(accounts, "a", "benar", throttle, log)[1].startswith("Terlalu banyak")  # even if right
    now[0] += 1.0
    assert akses.sign_in(accounts, "A ", "x", throttle, log)[0] is None  # names compare trimmed, any case
    assert throttle.wait("a") == 2.0
    now[0] += 2.0
    akses.sign_in(accounts, "a", "x", throttle, log)
    assert throttle.wait("a") == 4.0
    for _ in range(20):
        now[0] += throttle.wait("a")
        throttle.failed("a")
    assert throttle.wait("a") == akses.MAX_DELAY
    now[0] += akses.MAX_DELAY
    account, reason = akses.sign_in(accounts, "a", "benar", throttle, log)
    assert account == {"nama": "a", "peran": "admin", "kode_kecamatan": None} and reason is None
    assert throttle.wait("a") == 0.0
    assert throttle.wait("b") == 0.0  # per account name
    events = [json.loads(line)["peristiwa"] for line in log.read_text().splitlines()]
    assert events == ["masuk-gagal", "masuk-ditahan", "masuk-gagal", "masuk-gagal", "masuk"]


def test_roles():
    assert akses.can_import({"peran": "admin"})
    assert akses.can_import({"peran": "operator", "kode_kecamatan": "12.09.08"})
    assert not akses.can_import({"peran": "operator"})
    assert not akses.can_import({"peran": "viewer"}) and not akses.can_import(None)
    assert akses.account_for_email([{"nama": "a", "peran": "admin", "email": "A@asahan.go.id", "hash": "x"}],
                                   "a@asahan.go.id") == {"nama": "a", "peran": "admin", "kode_kecamatan": None}
    assert akses.account_for_email([{"nama": "a", "peran": "raja", "email": "a@x"}], "a@x") is None


def _gated_app():
    import streamlit as st

    from metrics.app import akses as a

    a.gate()
    st.write("isi dasbor")


def test_sign_in_can_be_required_for_everything(hashes):
    assert not akses.sign_in_required({}) and akses.sign_in_required({"tiru": {"wajib_masuk": True}})
    at = AppTest.from_function(_gated_app)
    at.secrets["akun"] = [{"nama": "viewer", "peran": "viewer", "hash": hashes["viewer"]}]
    at.secrets["tiru"] = {"wajib_masuk": True}
    at.run()
    assert at.title[0].value == "Masuk" and not [m for m in at.markdown if m.value == "isi dasbor"]
    at.text_input(key="masuk_wajib_nama").set_value("viewer")
    at.text_input(key="masuk_wajib_sandi").set_value("sandi-viewer")
    at.button(key="FormSubmitter:masuk_wajib-Masuk").click().run()
    assert [m.value for m in at.markdown if m.value == "isi dasbor"]
    open_app = AppTest.from_function(_gated_app)
    open_app.run()
    assert [m.value for m in open_app.markdown if m.value == "isi dasbor"]


# ----------------------------------------------------------------- English (?bahasa=en)


def test_english_dry_run_report_names_sheet_row_and_column(db, hashes):
    at = upload(page(hashes, "admin", kode="en"), (BAD / "banyak_masalah.csv").read_bytes(), "banyak_masalah.csv")
    assert shown(at.error[0].value).startswith("**banyak_masalah.csv** rejected: 5 problem(s). Nothing was saved.")
    report = table(at, "sheet")
    assert list(report.columns) == ["sheet", "row", "column", "value", "problem"]
    assert list(report["column"]) == ["kode_kecamatan", "periode", "nilai", "indikator", "nilai"]
    assert report.iloc[4]["problem"] == "101 is outside the range of tte (%): expected 0–100."
    assert report.iloc[2]["problem"].startswith("'abc' is not a number; expected: a number such as 12,5")
    assert (
        at.tabs[0].label == "Import" and at.selectbox(key="jenis_impor").format_func("auto") == "detect automatically"
    )


def test_english_preview_imports_and_reverts_with_english_numbers(db, hashes):
    june = per.parse("2025-06")
    old = Store(db).observasi(june, june, "12.09.08").set_index("indikator").loc["tte", "nilai"]
    at = upload(page(hashes, "operator", kode="en"), GOOD)
    assert [m.label for m in at.metric] == ["New", "Changed", "Unchanged"]
    assert shown(at.success[0].value) == "**juni.csv** passed the dry run: observations, 1 row(s)."
    preview = table(at, "Status")
    with bahasa.dalam("en"):
        assert preview.iloc[0]["Old value"] == f"{formatting.angka(old, 2)} (DEMO DATA)"
        assert preview.iloc[0]["New value"] == formatting.angka(50.0, 2) == "50.00"
    assert preview.iloc[0]["Status"] == "changed" and preview.iloc[0]["Period/date"] == "2025-06"

    at = upload(page(hashes, "admin", kode="en"), GOOD)
    assert "Signed in as **admin** (admin)." in [c.value for c in at.caption]
    assert at.radio(key="pilihan_demo").options == [
        "Remove all demo data (in the same transaction)",
        "Keep the demo data (still marked row by row); this file's real values replace it",
    ]
    at.radio(key="pilihan_demo").set_value("pertahankan").run()
    assert at.button(key="konfirmasi_impor").label == "Import 1 change(s)"
    at.button(key="konfirmasi_impor").click().run()
    assert not at.exception
    message = at.success[0].value
    batch = message.split("batch ")[1].split(":")[0]
    assert message == f"Imported as batch {batch}: 0 new, 1 changed, 0 unchanged."
    history = table(at, "Batch")
    assert history.iloc[0]["Status"] == "in force" and history.iloc[0]["Type"] == "observations"
    assert set(history["Status"].iloc[1:]) == {"DEMO DATA"}
    at.selectbox(key="batch_dibatalkan").set_value(batch)
    at.text_input(key="alasan_batal").set_value("typo")
    at.button(key="FormSubmitter:batal_batch-Revert this batch").click().run()
    assert at.success[0].value == f"Batch {batch} reverted; the previous values apply again."
    assert table(at, "Batch").iloc[1]["Status"].startswith("reverted ")


def test_english_sign_in_messages_and_catalogue_tab(db, hashes):
    at = page(hashes, "viewer", "salah", kode="en")  # the throttle counts per name
    assert at.error[0].value == "Wrong user name or password."
    at = page(hashes, "admin", kode="en")
    catalogue = table(at, "Indicator")
    assert "Average waiting time before service" in set(catalogue["Indicator"])
    row = catalogue.set_index("Indicator").loc["Average waiting time before service"]
    with bahasa.dalam("en"):
        assert row["Floor"] == formatting.angka(120, 2) == "120.00"
    assert row["Unit"] == "minutes" and row["Pillar"] == "Speed"
    assert any(c.value.startswith("Pillar weights: Speed 0.20 · Satisfaction 0.20") for c in at.caption)
    at.number_input(key="lantai_nilai").set_value(1000.0)
    at.button(key="FormSubmitter:ubah_lantai-Save floor").click().run()
    assert at.error[0].value == "1,000 is outside the range of waktu_tunggu: 0–600."


def test_batch_history_shows_a_short_file_fingerprint_and_downloads_the_full_one(db):
    batches = Store(db).batches()
    shown = kelola.batch_table(batches)
    full = kelola.batch_table(batches, full=True)
    column = bahasa.t("kelola.riwayat.sidik")
    assert "sha256" not in shown.columns  # a raw field name is not a header (#15.9)
    real = batches["sha256"].fillna("") != ""
    assert real.any()
    assert all(len(v) == 12 for v in shown.loc[real.to_numpy(), column])
    assert list(full.loc[real.to_numpy(), column]) == list(batches.loc[real, "sha256"])


def test_batch_history_names_the_demo_for_people(db):
    batches = Store(db).batches()
    shown = kelola.batch_table(batches)
    by = shown[bahasa.t("istilah.oleh")]
    assert "metrics/data/demo.py" not in set(by)  # the stored value stays; the screen says what it is (#15.8)
    # On screen the short author and DATA CONTOH as the status (the caption names the origin: a long
    # author made the table scroll sideways at 1280 px); the download has the whole origin.
    demo = batches["demo"].to_numpy()
    assert set(by[demo]) == {"Tiru"} and set(shown.loc[demo, bahasa.t("istilah.status")]) == {"DATA CONTOH"}
    full = kelola.batch_table(batches, full=True)
    assert set(full.loc[demo, bahasa.t("istilah.oleh")]) == {"DATA CONTOH (dibangkitkan Tiru, benih tetap 20241211)"}
