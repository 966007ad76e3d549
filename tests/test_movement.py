"""Fair movement (#13 A, docs/metodologi.md "Movement"): read from Δ Indeks first; rank movement counted among
the kecamatan ranked in both months; entering or leaving the ranking is labelled, never a rise or fall."""

import pandas as pd
import pytest
from page_support import open_page

from metrics.core import formatting
from metrics.core import periode as per
from metrics.engine import benchmark, scoring
from metrics.reports import deck_spec, ringkas_kecamatan, slides

SEP, OCT = per.parse("2026-09"), per.parse("2026-10")


def month(rows):
    """rows: (kode, skor, diperingkat) -> a composite() frame."""
    return pd.DataFrame(rows, columns=["kode_kecamatan", "skor", "diperingkat"])


def test_nobody_rises_because_someone_dropped_out():
    before = month([("A", 90, True), ("B", 80, True), ("C", 70, True), ("D", 60, True)])
    now = month([("A", 20, False), ("B", 80, True), ("C", 70, True), ("D", 60, True)])
    moved = scoring.movement(now, before).set_index("kode_kecamatan")
    assert moved.loc[["B", "C", "D"], "gerak"].tolist() == [0, 0, 0]
    assert moved.loc[["B", "C", "D"], "status_gerak"].tolist() == ["tetap"] * 3
    assert moved.loc["A", "status_gerak"] == "keluar" and pd.isna(moved.loc["A", "gerak"])
    assert pd.isna(moved.loc["A", "perubahan"])


def test_movement_is_read_from_the_indeks_first_and_ranks_among_the_common_set():
    before = month([("A", 50.0, True), ("B", 48.0, True), ("C", 47.0, False), ("E", 10.0, True)])
    now = month([("A", 49.0, True), ("B", 47.3, True), ("C", 60.0, True), ("E", 12.04, True)])
    moved = scoring.movement(now, before).set_index("kode_kecamatan")
    # B's Indeks fell 48,0 -> 47,3: it fell, whatever its published rank did.
    assert moved.loc["B", "status_gerak"] == "turun" and moved.loc["B", "perubahan"] == pytest.approx(-0.7)
    assert moved.loc["B", "gerak"] == 0  # second of A, B, E in both months
    assert moved.loc["E", "status_gerak"] == "naik" and moved.loc["E", "perubahan"] == pytest.approx(2.0)
    assert moved.loc["C", "status_gerak"] == "masuk" and pd.isna(moved.loc["C", "gerak"])
    assert moved.loc[["A", "B", "E"], "peringkat_bersama"].tolist() == [1, 2, 3]
    assert moved.loc[["A", "B", "E"], "peringkat_bersama_sebelumnya"].tolist() == [1, 2, 3]


def test_an_unchanged_shown_indeks_is_unchanged():
    moved = scoring.movement(month([("A", 47.34, True)]), month([("A", 47.26, True)]))
    assert moved.loc[0, "status_gerak"] == "tetap" and moved.loc[0, "perubahan"] == 0


@pytest.fixture(scope="module")
def tables(demo_store):
    latest = demo_store.latest_period()
    return (benchmark.league_table(demo_store, latest, draws=0).set_index("kode_kecamatan"),
            benchmark.league_table(demo_store, latest - 1, draws=0).set_index("kode_kecamatan"))


def test_the_league_table_follows_the_rule_on_the_demo(tables):
    now, before = tables
    both = now.index[now["diperingkat"] & before.reindex(now.index)["diperingkat"].fillna(False).astype(bool)]
    shown = now.loc[both, "skor"].round(1) - before.loc[both, "skor"].round(1)
    for kode in both:
        want = "naik" if shown[kode] > 0.04 else "turun" if shown[kode] < -0.04 else "tetap"
        assert now.loc[kode, "status_gerak"] == want, kode
        assert now.loc[kode, "perubahan"] == pytest.approx(shown[kode], abs=1e-9)
    common_now = scoring.shared_rank(now.loc[both, "skor"])
    common_before = scoring.shared_rank(before.loc[both, "skor"])
    assert (now.loc[both, "gerak"] == common_before - common_now).all()
    left = now.index[~now["diperingkat"] & before.reindex(now.index)["diperingkat"].fillna(False).astype(bool)]
    assert (now.loc[left, "status_gerak"] == "keluar").all()
    # tiru ranking's peringkat_sebelumnya stays last month's published rank
    assert now["peringkat_sebelumnya"].equals(before.reindex(now.index)["peringkat"])


def test_movers_and_counts_use_the_indeks_among_the_common_set(demo_store, tables):
    now, _ = tables
    latest = demo_store.latest_period()
    history = benchmark.composite_history(demo_store, latest - 1, latest)
    up, down = benchmark.movers(history, latest, n=50)
    assert set(up["kode_kecamatan"]) == set(now.index[now["status_gerak"] == "naik"])
    assert set(down["kode_kecamatan"]) == set(now.index[now["status_gerak"] == "turun"])
    assert (up["gerak"].to_numpy() == now.loc[up["kode_kecamatan"], "gerak"].to_numpy()).all()
    assert (up["peringkat"].to_numpy() == now.loc[up["kode_kecamatan"], "peringkat"].to_numpy()).all()


def signed(value) -> str:
    return ("+" if value >= 0 else "−") + formatting.angka(abs(value), 1)


def test_peringkat_page_counts_and_column(demo_db, use_db, tables):
    now, _ = tables
    at = open_page(demo_db, use_db, "pages/tabel_peringkat.py")
    assert not at.exception
    assert at.metric[2].value == f"{(now['status_gerak'] == 'naik').sum()} / {(now['status_gerak'] == 'turun').sum()}"
    shown = at.dataframe[0].value.set_index("Kecamatan")["Gerak"]
    names = now.set_index("kecamatan")
    for nama, text in shown.items():
        row = names.loc[nama]
        if row["status_gerak"] == "masuk":
            assert text == "masuk peringkat"
        else:
            assert text.startswith(signed(row["perubahan"])), (nama, text)
    unranked = at.dataframe[1].value.set_index("Kecamatan")
    for nama in names.index[names["status_gerak"] == "keluar"]:
        assert unranked.loc[nama, "Gerak"] == "keluar peringkat"


def test_profil_tile_reads_the_indeks_change_first(demo_db, use_db, tables):
    now, _ = tables
    kode = now.index[now["status_gerak"] == "turun"][0]
    at = open_page(demo_db, use_db, "pages/kecamatan.py", kecamatan=kode)
    assert not at.exception
    assert at.metric[2].value.startswith(signed(now.loc[kode, "perubahan"]))


def test_ringkasan_movers_show_the_rank_among_the_common_set(demo_db, demo_store, use_db, tables):
    now, _ = tables
    at = open_page(demo_db, use_db, "pages/ikhtisar_kabupaten.py")
    assert not at.exception
    labels = [link.label for link in at.get("page_link")]
    fell = now[now["status_gerak"] == "turun"].reset_index().sort_values(["perubahan", "kode_kecamatan"]).head(3)
    for _, row in fell.iterrows():
        label = next(x for x in labels if x.startswith(row["kecamatan"] + ":"))
        assert signed(row["perubahan"]) in label and formatting.gerak(row["gerak"]) in label, label


def test_deck_and_rapor_follow_the_same_rule(demo_store, tables):
    now, _ = tables
    inputs = deck_spec.gather(demo_store, demo_store.latest_period())
    deck = slides.deck(inputs)
    table_rows = [r for s in deck.slides if s.key == "tabel" for tb in s.tables for r in tb.rows]
    by_name = {r[1]: r[4] for r in table_rows}
    for kode, row in now.iterrows():
        if row["status_gerak"] in ("naik", "turun", "tetap"):
            assert by_name[row["kecamatan"]].startswith(signed(row["perubahan"])), row["kecamatan"]
            metric = ringkas_kecamatan.rank_metrics(ringkas_kecamatan.kecamatan_summary(inputs, kode))[2]
            assert metric.value == by_name[row["kecamatan"]]
        elif row["status_gerak"] == "masuk":
            assert by_name[row["kecamatan"]] == "masuk peringkat"
    gerak = next(s for s in deck.slides if s.key == "gerak")
    rows = gerak.tables[1].rows
    for r in rows:
        kode = now.index[now["kecamatan"] == r[0]][0]
        assert now.loc[kode, "status_gerak"] == "turun"
        assert (
            r[2] == f"{formatting.peringkat(now.loc[kode, 'peringkat'])} ({deck_spec.movement(now.loc[kode, 'gerak'])})"
        )
