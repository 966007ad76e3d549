"""The store on small fixture databases: build, freshness, latest batch, reopen, read-only."""

import os

import duckdb
import pandas as pd
import pytest

from metrics.core import periode as per
from metrics.data.build import build, ensure_built, fingerprint
from metrics.data.store import RejectedChange, Store, StoreError


def test_build_loads_reference_catalogue_and_demo(small_data_dir, tmp_path):
    store = Store(build(tmp_path / "t.duckdb", small_data_dir))
    assert len(store.kecamatan("Asahan")) == 25 and len(store.kecamatan("Cimahi")) == 3
    assert store.kecamatan().set_index("kode").loc["12.09.19", "nama"] == "Kota Kisaran Barat"
    assert pd.isna(store.kecamatan().set_index("kode").loc["12.09.09", "penduduk"])  # missing stays missing
    indikator = store.indikator()
    assert indikator.loc["waktu_tunggu", "model"] == 12 and indikator.loc["waktu_tunggu", "arah"] == "lower"
    assert pd.isna(indikator.loc["volume_layanan", "pilar"])
    assert store.periods() == [per.parse("2026-08"), per.parse("2026-09")]
    assert store.periods("Cimahi") == [per.parse("2026-09")]
    assert store.has_demo()
    assert list(store.adopsi()["tahap"]) == [1, 3]
    assert store.inovasi().loc["antrean_digital", "indikator"].tolist() == ["waktu_tunggu"]


def test_observations_come_back_with_month_indexes(small_data_dir, tmp_path):
    store = Store(build(tmp_path / "t.duckdb", small_data_dir))
    sep = per.parse("2026-09")
    frame = store.observasi(sep, sep, kecamatan="12.09.08")
    assert frame[["periode", "indikator", "nilai"]].values.tolist() == [[sep, "waktu_tunggu", 65.0]]


def test_ensure_built_builds_once_and_rebuilds_when_sources_change(small_data_dir, tmp_path):
    db = tmp_path / "t.duckdb"
    ensure_built(db, small_data_dir)
    first = db.stat().st_ino, db.stat().st_mtime_ns
    ensure_built(db, small_data_dir)
    assert (db.stat().st_ino, db.stat().st_mtime_ns) == first  # fresh: not rebuilt
    observasi = small_data_dir / "demo" / "observasi.csv"
    observasi.write_text(observasi.read_text() + "12.09.10,2026-09,waktu_tunggu,30,uji,\n")
    ensure_built(db, small_data_dir)
    assert db.stat().st_ino != first[0]
    assert "12.09.10" in set(Store(db).observasi(per.parse("2026-09"), per.parse("2026-09"))["kode_kecamatan"])


def test_fingerprint_depends_on_demo_choice(small_data_dir):
    assert fingerprint(small_data_dir, True) != fingerprint(small_data_dir, False)


def test_latest_batch_wins(small_data_dir, tmp_path):
    db = build(tmp_path / "t.duckdb", small_data_dir)
    con = duckdb.connect(str(db))
    con.execute("INSERT INTO batch VALUES ('b2', 'observasi', 'x.csv', 'abc', 'uji', TIMESTAMP '2099-01-01', FALSE)")
    con.execute(
        "INSERT INTO observasi VALUES ('12.09.08', DATE '2026-09-01', 'waktu_tunggu', 40, 'laporan', NULL, 'b2')"
    )
    con.close()
    sep = per.parse("2026-09")
    frame = Store(db).observasi(sep, sep, kecamatan="12.09.08")
    assert frame[["nilai", "batch"]].values.tolist() == [[40.0, "b2"]]


def test_store_sees_a_replaced_file_without_restart(small_data_dir, tmp_path):
    db = build(tmp_path / "t.duckdb", small_data_dir)
    store = Store(db)
    assert len(store.periods()) == 2
    observasi = small_data_dir / "demo" / "observasi.csv"
    observasi.write_text(observasi.read_text() + "12.09.10,2026-10,waktu_tunggu,30,uji,\n")
    build(db, small_data_dir)
    assert store.periods()[-1] == per.parse("2026-10")


def test_store_is_read_only(small_data_dir, tmp_path):
    store = Store(build(tmp_path / "t.duckdb", small_data_dir))
    with pytest.raises(duckdb.Error):
        store.query("DELETE FROM observasi")
    assert len(store.periods()) == 2


def test_missing_database_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="tidak ditemukan"):
        Store(tmp_path / "nope.duckdb").periods()


def test_corrupt_catalogue_is_refused_and_old_database_kept(small_data_dir, tmp_path):
    db = build(tmp_path / "t.duckdb", small_data_dir)
    before = db.read_bytes()
    model = small_data_dir / "catalog" / "model.csv"
    model.write_text(model.read_text().replace("waktu_tunggu,12,", "waktu_tunggu,120,"))  # equals the floor
    with pytest.raises(StoreError, match=r"catalog/indikator.csv baris 2 \(waktu_tunggu\)"):
        build(db, small_data_dir)
    assert db.read_bytes() == before
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]


def test_threads_share_one_store(demo_store):
    from concurrent.futures import ThreadPoolExecutor

    latest = demo_store.latest_period()
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: len(demo_store.observasi(latest - 12, latest)), range(32)))
    assert len(set(results)) == 1 and results[0] > 0


def test_recorded_event_is_visible_and_survives_a_rebuild(small_data_dir, tmp_path):
    import datetime as dt

    db = build(tmp_path / "t.duckdb", small_data_dir)
    store = Store(db)
    event = store.record_adoption("12.09.09", "tte", 2, dt.date(2025, 3, 4), "Uji coba TTE", "Operator Air Joman")
    events = store.adopsi()
    assert events.iloc[-1][["id", "kode_kecamatan", "tahap", "oleh"]].tolist() == [
        event, "12.09.09", 2, "Operator Air Joman"]
    batches = store.batches()
    recorded = batches[batches["id"].str.startswith("adopsi-")]
    assert len(recorded) == 1 and not recorded["demo"].any()
    # A source change rebuilds the file; the recorded event is carried over, after the demo events.
    target = small_data_dir / "demo" / "target.csv"
    target.write_text(target.read_text() + "tte,2,2025-09-30,\n")
    ensure_built(db, small_data_dir)
    events = store.adopsi()
    assert list(events["id"]) == ["demo-1", "demo-2", event]
    assert list(events["urutan"]) == [1, 2, 3]


def test_undo_keeps_the_history(small_data_dir, tmp_path):
    import datetime as dt

    store = Store(build(tmp_path / "t.duckdb", small_data_dir))
    event = store.record_adoption("12.09.09", "tte", 3, dt.date(2025, 3, 4), "", "Operator")
    store.undo_adoption(event, "Bagian Organisasi", "Salah kecamatan")
    assert event not in set(store.adopsi()["id"])
    history = store.adopsi(with_undone=True).set_index("id")
    assert history.loc[event, "batal_alasan"] == "Salah kecamatan"
    with pytest.raises(RejectedChange, match="sudah dibatalkan"):
        store.undo_adoption(event, "Bagian Organisasi", "lagi")


@pytest.mark.parametrize(
    "args, message",
    [
        (("32.77.02", "tte", 2, "2025-01-01", "x", "Op"), "bukan kecamatan Kabupaten Asahan"),
        (("12.09.09", "teleportasi", 2, "2025-01-01", "x", "Op"), "tidak ada di katalog"),
        (("12.09.09", "tte", 5, "2025-01-01", "x", "Op"), "harus 0–4"),
        (("12.09.09", "tte", 2, "2999-01-01", "x", "Op"), "masa depan"),
        (("12.09.09", "tte", 2, "2025-01-01", "x", " "), "pencatat wajib"),
    ],
)
def test_wrong_event_is_refused_and_nothing_written(small_data_dir, tmp_path, args, message):
    import datetime as dt

    db = build(tmp_path / "t.duckdb", small_data_dir)
    before = db.read_bytes()
    kec, inovasi, tahap, tanggal, bukti, oleh = args
    with pytest.raises(RejectedChange, match=message):
        Store(db).record_adoption(kec, inovasi, tahap, dt.date.fromisoformat(tanggal), bukti, oleh)
    assert db.read_bytes() == before


def test_a_failing_change_leaves_the_previous_file(small_data_dir, tmp_path):
    db = build(tmp_path / "t.duckdb", small_data_dir)
    before = db.read_bytes()

    def half_then_fail(con, batch_id):
        con.execute("DELETE FROM observasi")
        raise RuntimeError("crash midway")

    with pytest.raises(RuntimeError):
        Store(db).write(half_then_fail, jenis="uji", oleh="uji")
    assert db.read_bytes() == before
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]


# --------------------------------------------------------------------------- national scale (issue #7)


def _add_other_region(db, kode="99.01.01", periode="2026-09-01"):
    """A kecamatan outside the product's regions (as the national bench adds), with data."""
    con = duckdb.connect(str(db))
    con.execute("INSERT INTO kecamatan SELECT * REPLACE ($k AS kode, 'Sintetis' AS wilayah, 'Sintetis 1' AS nama) "
                "FROM kecamatan WHERE kode = '12.09.08'", {"k": kode})
    con.execute("INSERT INTO observasi SELECT $k, $p, 'waktu_tunggu', 30, 'sintetis', NULL, batch FROM observasi "
                "LIMIT 1", {"k": kode, "p": periode})
    con.execute("INSERT INTO adopsi SELECT urutan + 100, 'sintetis-1', $k, inovasi, tahap, tanggal, bukti, oleh, batch "
                "FROM adopsi LIMIT 1", {"k": kode})
    con.close()


def test_reads_default_to_the_product_regions(small_data_dir, tmp_path):
    from metrics.data.store import SEMUA_WILAYAH, WILAYAH_PRODUK

    db = build(tmp_path / "t.duckdb", small_data_dir)
    _add_other_region(db)
    store = Store(db)
    sep = per.parse("2026-09")
    assert WILAYAH_PRODUK == ("Asahan", "Cimahi")
    assert set(store.observasi(sep, sep)["kode_kecamatan"]) == {"12.09.08", "12.09.09", "32.77.02"}
    assert "99.01.01" in set(store.observasi(sep, sep, wilayah=SEMUA_WILAYAH)["kode_kecamatan"])
    assert set(store.observasi(sep, sep, wilayah="Cimahi")["kode_kecamatan"]) == {"32.77.02"}
    assert "99.01.01" not in set(store.adopsi()["kode_kecamatan"])
    assert "99.01.01" in set(store.adopsi(wilayah=SEMUA_WILAYAH)["kode_kecamatan"])
    assert store.periods() == [per.parse("2026-08"), sep] and store.has_demo()


def test_current_observations_reads_only_the_incoming_pairs(small_data_dir, tmp_path):
    from metrics.data.store import current_observations

    db = build(tmp_path / "t.duckdb", small_data_dir)
    _add_other_region(db)
    con = duckdb.connect(str(db))
    con.execute("INSERT INTO batch VALUES ('b2', 'observasi', 'x.csv', 'abc', 'uji', TIMESTAMP '2099-01-01', FALSE)")
    con.execute(
        "INSERT INTO observasi VALUES ('12.09.08', DATE '2026-09-01', 'waktu_tunggu', 40, 'laporan', NULL, 'b2')"
    )
    con.close()
    store = Store(db)
    aug, sep = per.parse("2026-08"), per.parse("2026-09")
    incoming = pd.DataFrame({"kode_kecamatan": ["12.09.08", "12.09.08", "12.09.09"], "periode": [sep, sep, aug]})
    frame = current_observations(store.query, incoming)
    # 12.09.08 in September (latest batch wins); not 12.09.08 in August nor 12.09.09 in September.
    assert frame[["kode_kecamatan", "nilai", "batch"]].values.tolist() == [["12.09.08", 40.0, "b2"]]
    assert frame["periode"].map(lambda d: pd.Timestamp(d).strftime("%Y-%m")).tolist() == ["2026-09"]
    demo_only = pd.DataFrame({"kode_kecamatan": ["12.09.09"], "periode": [sep]})
    assert current_observations(store.query, demo_only)["nilai"].tolist() == [120.0]
    assert current_observations(store.query, demo_only, with_demo=False).empty
    assert current_observations(store.query, demo_only.iloc[:0]).empty


def _observation_rows(rows):
    return pd.DataFrame(rows, columns=["kode_kecamatan", "periode", "indikator", "nilai", "sumber", "catatan"])


def _insert_rows(frame):
    def change(con, batch_id):
        con.register("masuk", frame.assign(batch=batch_id))
        con.execute("INSERT INTO observasi SELECT * FROM masuk")
        con.unregister("masuk")
    return change


def test_observations_have_no_primary_key_and_a_batch_with_a_value_twice_is_refused(small_data_dir, tmp_path):
    import datetime as dt

    db = build(tmp_path / "t.duckdb", small_data_dir)
    with duckdb.connect(str(db), read_only=True) as con:
        kinds = {r[0] for r in con.execute(
            "SELECT constraint_type FROM duckdb_constraints() WHERE table_name = 'observasi'").fetchall()}
    assert "PRIMARY KEY" not in kinds
    before = db.read_bytes()
    sep = dt.date(2026, 9, 1)
    twice = _observation_rows([("12.09.10", sep, "waktu_tunggu", 30.0, "uji", None),
                               ("12.09.10", sep, "waktu_tunggu", 31.0, "uji", None),
                               ("12.09.11", sep, "waktu_tunggu", 32.0, "uji", None)])
    with pytest.raises(RejectedChange, match=r"nilai ganda dalam satu batch — kecamatan 12\.09\.10, periode 2026-09, "
                                             r"indikator waktu_tunggu \(2 kali\)"):
        Store(db).write(_insert_rows(twice), jenis="observasi", oleh="uji", backup=True)
    assert db.read_bytes() == before
    # The same value again in a later batch is a new version, not a duplicate.
    store = Store(db)
    once = twice.drop(index=1)
    store.write(_insert_rows(once), jenis="observasi", oleh="uji")
    store.write(_insert_rows(once.assign(nilai=[29.0, 33.0])), jenis="observasi", oleh="uji")
    month = per.parse("2026-09")
    assert store.observasi(month, month, kecamatan="12.09.10")["nilai"].tolist() == [29.0]


def test_a_database_built_with_the_old_key_is_rebuilt_keeping_user_rows(small_data_dir, tmp_path):
    import datetime as dt
    import re

    schema = small_data_dir / "schema.sql"
    current = schema.read_text(encoding="utf-8")
    old = re.sub(
        r"(CREATE TABLE observasi \(.*?REFERENCES batch \(id\))\n\);",
        r"\1,\n    PRIMARY KEY (kode_kecamatan, periode, indikator, batch)\n);",
        current,
        count=1,
        flags=re.DOTALL,
    )
    assert old != current
    schema.write_text(old, encoding="utf-8")
    db = build(tmp_path / "t.duckdb", small_data_dir)
    rows = _observation_rows([("12.09.10", dt.date(2026, 9, 1), "waktu_tunggu", 30.0, "uji", None)])
    Store(db).write(_insert_rows(rows), jenis="observasi", oleh="uji")
    schema.write_text(current, encoding="utf-8")  # the new sources: observasi without its key
    first = db.stat().st_ino
    ensure_built(db, small_data_dir)
    assert db.stat().st_ino != first  # rebuilt
    with duckdb.connect(str(db), read_only=True) as con:
        assert not con.execute("SELECT * FROM duckdb_constraints() WHERE table_name = 'observasi' "
                               "AND constraint_type = 'PRIMARY KEY'").fetchall()
    sep = per.parse("2026-09")
    assert Store(db).observasi(sep, sep, kecamatan="12.09.10")["nilai"].tolist() == [30.0]


def test_demo_file_with_a_value_twice_is_refused(small_data_dir, tmp_path):
    observasi = small_data_dir / "demo" / "observasi.csv"
    observasi.write_text(observasi.read_text() + "12.09.08,2026-09,waktu_tunggu,64,uji,\n")
    with pytest.raises(StoreError, match=r"data/demo/observasi.csv baris 6: kecamatan 12\.09\.08, periode 2026-09"):
        build(tmp_path / "t.duckdb", small_data_dir)


# --------------------------------------------------------------------------- English messages


def test_store_messages_in_english(small_data_dir, tmp_path):
    import datetime as dt

    from metrics.core import bahasa

    db = build(tmp_path / "t.duckdb", small_data_dir)
    store = Store(db)
    with bahasa.dalam("en"):
        with pytest.raises(StoreError, match=r"^No database found at .*nope\.duckdb\. Run `tiru build` to build it\.$"):
            Store(tmp_path / "nope.duckdb").periods()
        with pytest.raises(RejectedChange) as refused:
            store.record_adoption("32.77.02", "teleportasi", 5, dt.date(2999, 1, 1), "", " ")
        assert str(refused.value) == (
            "Stage not recorded: kecamatan '32.77.02' is not a kecamatan of Asahan district; innovation 'teleportasi' "
            "is not in the catalogue; stage '5' must be 0–4; date '2999-01-01' must not be in the future; "
            "the recorder's name is required.")
        event = store.record_adoption("12.09.09", "tte", 2, dt.date(2025, 3, 4), "", "Operator")
        store.undo_adoption(event, "Bagian Organisasi", "Salah kecamatan")
        with pytest.raises(RejectedChange, match="^This event has already been undone.$"):
            store.undo_adoption(event, "Bagian Organisasi", "again")
        demo_batch = store.batches().query("demo")["id"].iloc[0]
        with pytest.raises(RejectedChange, match=f"^Batch '{demo_batch}' is DEMO DATA; demo data is removed"):
            store.revert(demo_batch, "Admin")
        with pytest.raises(RejectedChange, match="^Batch 'nope' not found. See `tiru batches`.$"):
            store.revert("nope", "Admin")
        sep = dt.date(2026, 9, 1)
        twice = _observation_rows([("12.09.10", sep, "waktu_tunggu", 30.0, "uji", None)] * 3)
        with pytest.raises(RejectedChange, match=r"^Change not written: duplicate values in one batch — kecamatan "
                                                 r"12\.09\.10, period 2026-09, indicator waktu_tunggu \(3 times\)\."):
            store.write(_insert_rows(twice), jenis="observasi", oleh="uji")
        model = small_data_dir / "catalog" / "model.csv"
        model.write_text(model.read_text().replace("waktu_tunggu,12,", "waktu_tunggu,120,"))
        with pytest.raises(StoreError, match=r"^The catalogue cannot be used:\ncatalog/indikator.csv row 2 "
                                             r"\(waktu_tunggu\): the model value must be better than the floor "
                                             r"\(direction lower\)"):  # a model on its floor: the one rule
            build(db, small_data_dir)
    # Indonesian again outside the block.
    with pytest.raises(RejectedChange, match="^Batch 'nope' tidak ditemukan"):
        store.revert("nope", "Admin")
