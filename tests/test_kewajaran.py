"""Plausibility control on import (#14.1): a value far outside the kecamatan's own recent history
is listed as "perlu dicek" with its usual value, refused unless the operator confirms, and a
confirmed outlier is marked on the Tren chart and in the Profil scorecard."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from cli_support import cli_copy, run

from metrics import ingest
from metrics.core import periode as per
from metrics.data.store import RejectedChange, Store
from metrics.engine import benchmark, kewajaran
from metrics.presentation import tabel

HEADER = "kode_kecamatan,periode,indikator,nilai,sumber,catatan\n"
KISARAN_TIMUR = "12.09.20"
# Twelve months of waiting time around 42 minutes (2025-03 … 2026-02).
HISTORY = [41.0, 43.5, 42.0, 40.5, 44.0, 42.5, 41.5, 43.0, 42.0, 40.0, 44.5, 42.0]
MONTHS = [per.fmt(per.parse("2025-03") + i) for i in range(12)]


# ----------------------------------------------------------------- the rule, pure


def test_a_typo_is_far_outside_the_band_of_the_usual_value():
    band = kewajaran.rentang(HISTORY, span=600)
    assert band is not None
    assert band.biasa == pytest.approx(42.0)
    assert band.bawah < 40 and 44.5 < band.atas < 100  # usual months inside, 240 far outside
    assert not band.memuat(240) and band.memuat(45) and band.memuat(38)


def test_too_short_a_history_gives_no_band():
    assert kewajaran.rentang(HISTORY[:kewajaran.MIN_RIWAYAT - 1], span=600) is None
    assert kewajaran.rentang(HISTORY[:kewajaran.MIN_RIWAYAT], span=600) is not None


def test_a_flat_series_does_not_flag_every_small_change():
    band = kewajaran.rentang([50.0] * 12, span=100)  # MAD 0: the minimum band decides
    assert band.memuat(55) and band.memuat(45)
    assert not band.memuat(80) and not band.memuat(5)


def test_periksa_uses_only_earlier_values_and_lists_the_usual_value():
    indikator = pd.DataFrame({"frekuensi": ["bulanan"], "batas_min": [0.0], "batas_max": [600.0]},
                             index=pd.Index(["waktu_tunggu"], name="kode"))
    history = pd.DataFrame({"kode_kecamatan": KISARAN_TIMUR, "periode": [per.parse(m) for m in MONTHS],
                            "indikator": "waktu_tunggu", "nilai": HISTORY})
    incoming = pd.DataFrame(
        {
            "kode_kecamatan": [KISARAN_TIMUR] * 2,
            "periode": [per.parse("2026-03"), per.parse("2026-04")],
            "indikator": "waktu_tunggu",
            "nilai": [240.0, 42.0],
        }
    )
    found = kewajaran.periksa(incoming, history, indikator)
    assert list(found["nilai"]) == [240.0]
    row = found.iloc[0]
    assert row["periode"] == per.parse("2026-03") and row["biasa"] == pytest.approx(42.0) and row["n"] == 12
    # A month whose history is mostly in the future of nothing: the first months have none.
    early = incoming.assign(periode=[per.parse("2025-04"), per.parse("2025-05")])
    assert kewajaran.periksa(early, history, indikator).empty


# ----------------------------------------------------------------- the import, end to end


@pytest.fixture
def db(empty_db, tmp_path, monkeypatch) -> Path:
    """No demo data (demo values are never a kecamatan's history), twelve real months imported."""
    path = cli_copy(empty_db, tmp_path / "db", monkeypatch, with_demo=False)
    rows = "".join(
        f"{KISARAN_TIMUR},{m},waktu_tunggu,{v},laporan bulanan,\n" for m, v in zip(MONTHS, HISTORY, strict=True)
    )
    store = Store(path)
    plan = ingest.prepare(store, (HEADER + rows).encode(), "riwayat.csv")
    assert plan.ok and plan.cek.empty  # nothing before 2025-03: no check
    ingest.impor(store, plan, "uji")
    store.close()
    return path


def march(tmp_path, value) -> Path:
    path = tmp_path / "maret.csv"
    path.write_text(HEADER + f"{KISARAN_TIMUR},2026-03,waktu_tunggu,{value},laporan bulanan,\n", encoding="utf-8")
    return path



def test_the_240_typo_is_listed_with_the_usual_value_and_refused(db, tmp_path, capsys):
    before = db.read_bytes()
    code, out, err = run(capsys, "import", march(tmp_path, 240), "--dry-run")
    assert code == 1
    assert "perlu dicek" in err.lower()
    assert KISARAN_TIMUR in err and "2026-03" in err and "waktu_tunggu" in err
    assert "240,0" in err and "biasanya 42,0" in err
    assert "--terima-peringatan" in err
    code, out, err = run(capsys, "import", march(tmp_path, 240))
    assert code == 1 and out == ""
    assert "biasanya 42,0" in err and "--terima-peringatan" in err
    assert db.read_bytes() == before  # nothing written


def test_in_english_too(db, tmp_path, capsys):
    code, _, err = run(capsys, "--bahasa", "en", "import", march(tmp_path, 240))
    assert code == 1 and "needs checking" in err and "usually 42.0" in err


def test_accepted_with_terima_peringatan_and_marked(db, tmp_path, capsys):
    code, out, err = run(capsys, "import", march(tmp_path, 240), "--terima-peringatan", "--oleh", "Budi")
    assert code == 0, err
    batch = out.strip()
    store = Store(db)
    m = per.parse("2026-03")
    row = store.observasi(m, m, KISARAN_TIMUR).set_index("indikator").loc["waktu_tunggu"]
    assert row["nilai"] == 240 and row["batch"] == batch and bool(row["dikonfirmasi"]) is True
    earlier = store.observasi(m - 1, m - 1, KISARAN_TIMUR)
    assert not earlier["dikonfirmasi"].any()
    stored = store.query("SELECT * FROM observasi_pencilan", {})
    assert len(stored) == 1 and stored.loc[0, "batch"] == batch
    assert stored.loc[0, "biasa"] == pytest.approx(42.0)
    # Profil: the value carries the mark.
    card = benchmark.scorecard(store, m)
    profile = benchmark.profile_scorecard(card, KISARAN_TIMUR, benchmark.catalog(store))
    table = tabel.profile_table(profile, store.observasi(m - 11, m, KISARAN_TIMUR),
                                    store.indikator()["frekuensi"], "DATA CONTOH")
    values = dict(
        zip(table[tabel.profile_columns()["indikator"]], table[tabel.profile_columns()["nilai"]], strict=True)
    )
    assert values["Rata-rata waktu tunggu sebelum dilayani"] == "240,0\u00a0menit ⚑"
    # Tren: a distinct marker with the hover note.
    from metrics.charts import grafik_tren as charts_tren
    from metrics.engine import tren

    observasi = store.observasi(m - 12, m)
    months = tren.months_shown(observasi, "waktu_tunggu", "bulanan", m - 12, m)
    frame = tren.series(observasi, "waktu_tunggu", [KISARAN_TIMUR], months)
    fig = charts_tren.trend_chart(frame, tren.median(observasi, "waktu_tunggu", [KISARAN_TIMUR], months),
                                  benchmark.catalog(store).indikator.loc["waktu_tunggu"],
                                  store.kecamatan().set_index("kode")["nama"], None, months)
    # the confirmed value's own marker (every series also carries a symbol now: never colour alone, #22)
    marked = [tr for tr in fig.data if tr.marker is not None and tr.marker.symbol is not None and len(tr.x) == 1]
    assert len(marked) == 1 and list(marked[0].x) == [m] and list(marked[0].y) == [240]
    assert "dikonfirmasi operator: nilai di luar kebiasaan" in marked[0].hovertext[0]
    # A later ordinary value for the same cell replaces the mark with it.
    code, _, err = run(capsys, "import", march(tmp_path, 41))
    assert code == 0, err
    row = Store(db).observasi(m, m, KISARAN_TIMUR).set_index("indikator").loc["waktu_tunggu"]
    assert row["nilai"] == 41 and not row["dikonfirmasi"]


def test_a_normal_month_passes_silently(db, tmp_path, capsys):
    code, out, err = run(capsys, "import", march(tmp_path, 44))
    assert code == 0, err
    assert "dicek" not in err.lower()
    store = Store(db)
    assert store.query("SELECT count(*) AS n FROM observasi_pencilan", {}).loc[0, "n"] == 0


def test_too_short_a_history_is_not_checked(empty_db, tmp_path, monkeypatch, capsys):
    cli_copy(empty_db, tmp_path / "pendek", monkeypatch, with_demo=False)
    rows = "".join(
        f"{KISARAN_TIMUR},{m},waktu_tunggu,{v},laporan,\n" for m, v in zip(MONTHS[-5:], HISTORY[-5:], strict=True)
    )
    history = tmp_path / "lima.csv"
    history.write_text(HEADER + rows, encoding="utf-8")
    assert run(capsys, "import", history)[0] == 0
    code, _, err = run(capsys, "import", march(tmp_path, 240))
    assert code == 0, err  # five months are too few to tell what is usual


def test_the_engine_refuses_unconfirmed_outliers_and_the_page_flow_confirms(db, tmp_path):
    store = Store(db)
    plan = ingest.prepare(store, march(tmp_path, 240).read_bytes(), "maret.csv")
    assert plan.ok and len(plan.cek) == 1
    cek = plan.cek.iloc[0]
    assert (cek["kode_kecamatan"], cek["indikator"], cek["nilai"]) == (KISARAN_TIMUR, "waktu_tunggu", 240)
    assert cek["biasa"] == pytest.approx(42.0) and cek["bawah"] < 42 < cek["atas"] < 240
    with pytest.raises(RejectedChange, match="perlu dicek"):
        ingest.impor(store, plan, "uji")
    result = ingest.impor(store, plan, "uji", terima_peringatan=True)
    assert result.batch and result.dicek == 1


def test_demo_outlier_is_marked_as_explained(demo_store):
    m = per.parse("2026-03")
    row = demo_store.observasi(m, m, KISARAN_TIMUR).set_index("indikator").loc["waktu_tunggu"]
    assert row["nilai"] == 240 and bool(row["dikonfirmasi"]) is True
    others = demo_store.observasi(m - 12, m)
    assert int(others["dikonfirmasi"].sum()) == 1


def test_kelola_data_lists_the_usual_value_and_needs_the_checkbox(db, use_db, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from metrics.app import akses

    use_db(db, with_demo=False)
    monkeypatch.setattr(akses, "THROTTLE", akses.Throttle())
    root = Path(__file__).resolve().parent.parent
    at = AppTest.from_file(str(root / "app.py"), default_timeout=60)
    at.secrets["akun"] = [{"nama": "admin", "peran": "admin", "hash": akses.hash_password("sandi-admin")}]
    at.run()
    at.switch_page("pages/kelola_data.py").run()
    at.text_input(key="masuk_kelola_nama").set_value("admin")
    at.text_input(key="masuk_kelola_sandi").set_value("sandi-admin")
    at.button(key="FormSubmitter:masuk_kelola-Masuk").click().run()
    content = (HEADER + f"{KISARAN_TIMUR},2026-03,waktu_tunggu,240,laporan bulanan,\n").encode()
    at.file_uploader[0].upload("maret.csv", content, "text/csv").run()
    assert not at.exception
    assert any("1 nilai perlu dicek" in w.value for w in at.warning)
    preview = next(d.value for d in at.dataframe if "Perlu dicek" in d.value.columns)
    assert list(preview["Perlu dicek"]) == ["⚑ biasanya 42,0\u00a0menit (wajar 12,0\u00a0menit s.d. 72,0\u00a0menit)"]
    assert at.button(key="konfirmasi_impor").disabled  # not without the confirmation
    at.checkbox(key="terima_peringatan").check().run()
    assert not at.button(key="konfirmasi_impor").disabled
    at.button(key="konfirmasi_impor").click().run()
    assert not at.exception
    m = per.parse("2026-03")
    row = Store(db).observasi(m, m, KISARAN_TIMUR).set_index("indikator").loc["waktu_tunggu"]
    assert row["nilai"] == 240 and bool(row["dikonfirmasi"])
