"""#25: every text users see names the configured kabupaten and model, never a literal Asahan or Cimahi.

The catalogue names the region through placeholders (metrics.core.bahasa.DAERAH) that t() fills from
the configuration; here a Batu Bara database (TIRU_WILAYAH=12.19 against Cimahi Tengah) with one
month imported by the CLI is opened on every page and by `tiru ranking`, `pptx`, `rapor` and `laporan`.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import FULL_MONTH, _observations
from wilayah_support import cited_sources

from metrics.core import bahasa
from metrics.data import wilayah
from metrics.data.build import DATA_DIR, build

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted(f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py"))
# History, not configuration: the 2024 study visit of Asahan's camat to Cimahi that started the project.
HISTORY = {"rapat.judul.studi"}
BATU_BARA = ("12.19", "32.77.02")


def _filled(text: str, names: dict[str, str]) -> str:
    for name, value in names.items():
        text = text.replace("{" + name + "}", value)
    return text


def test_the_catalogue_names_no_region_but_through_its_placeholders():
    """Filled for Batu Bara, no catalogue text (either language) names Asahan; Cimahi only as the model."""
    config = wilayah.baca(*BATU_BARA)
    names = {"daerah": config.nama, "daerah_kabupaten": config.kabupaten, "daerah_kode": config.kode,
             "jumlah_kecamatan": "12", "model_nama": "Pasir Mukti", "model_wilayah": "Pasir",
             "model_kabupaten": "Kota Pasir"}
    for key, entry in bahasa.katalog().items():
        for kode, text in entry.items():
            if key in HISTORY:
                continue
            shown = _filled(text, names)
            assert "Asahan" not in shown and "Cimahi" not in shown, f"{key} ({kode}): {shown[:120]}"


def test_t_fills_the_region_from_the_configuration(monkeypatch):
    assert bahasa.t("umum.judul_aplikasi") == "Tiru · Asahan menuju model Cimahi"
    monkeypatch.setenv("TIRU_WILAYAH", "12.19")
    monkeypatch.setenv("TIRU_MODEL", "32.05.01")
    assert "Batu Bara" in bahasa.t("umum.judul_aplikasi") and "Asahan" not in bahasa.t("umum.judul_aplikasi")
    with bahasa.dalam("en"):
        assert bahasa.t("tren.grafik.median_25") == "Median of the 12 Batu Bara kecamatan"
    assert bahasa.t("grafik.tren.model") == f"Model {wilayah.baca('12.19', '32.05.01').model_nama} = 100"
    assert "12.19.01" in bahasa.t("impor.kec_tak_dikenal_asahan", kode="x")  # an example code of its own
    monkeypatch.setenv("TIRU_WILAYAH", "32.73")  # Kota Bandung: a Wali Kota, not a Bupati
    assert "Wali Kota" in bahasa.t("laporan.subjudul", bulan="Mei") and "Bupati" not in bahasa.t("laporan.subjudul", bulan="Mei")
    # a caller's own value wins over the configured one
    assert bahasa.t("laporan.kosong", bulan="Mei", daerah="Contoh").count("Contoh") == 1


@pytest.fixture(scope="module")
def batu_bara_db(tmp_path_factory):
    """A Batu Bara database with one month of every indicator for each of its kecamatan (CLI import)."""
    from metrics.ops.cli import main

    folder = tmp_path_factory.mktemp("batubara_teks")
    path = build(folder / "tiru.duckdb", DATA_DIR, with_demo=False, config=wilayah.baca(*BATU_BARA))
    codes = wilayah.kecamatan_codes("12.19")
    rows = [(k, "2026-09", code, value * (1 - 0.03 * i)) for i, k in enumerate(codes)
            for code, value in FULL_MONTH.items()]
    upload = folder / "observasi-2026-09.csv"
    upload.write_text(_observations(rows), encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TIRU_WILAYAH", BATU_BARA[0])
        mp.setenv("TIRU_MODEL", BATU_BARA[1])
        mp.setenv("TIRU_DB", str(path))
        mp.setenv("TIRU_DEMO", "0")
        assert main(["import", str(upload), "--oleh", "uji"]) == 0
    return path


@pytest.fixture
def batu_bara(batu_bara_db, monkeypatch):
    monkeypatch.setenv("TIRU_WILAYAH", BATU_BARA[0])
    monkeypatch.setenv("TIRU_MODEL", BATU_BARA[1])
    monkeypatch.setenv("TIRU_DB", str(batu_bara_db))
    monkeypatch.setenv("TIRU_DEMO", "0")
    return batu_bara_db


def _no_asahan(text: str, where: str) -> None:
    assert "Asahan" not in text, f"{where}: {text[max(0, text.find('Asahan') - 80):text.find('Asahan') + 40]!r}"
    assert "Batu Bara" in text, f"{where} does not name Batu Bara"


@pytest.mark.parametrize("kode", ["id", "en"])
def test_tiru_ranking_names_the_configured_kabupaten(batu_bara, capsys, kode):
    from metrics.ops.cli import main

    assert main(["--bahasa", kode, "ranking", "--format", "table"]) == 0
    out = capsys.readouterr()
    _no_asahan(out.out + out.err, "tiru ranking")


def _pdf_text(path: Path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext not installed (poppler-utils)")
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _pptx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as pack:
        return " ".join(pack.read(n).decode("utf-8") for n in pack.namelist() if n.startswith("ppt/slides/slide"))


@pytest.mark.parametrize("kind", ["pptx", "rapor", "laporan"])
def test_the_pack_rapor_and_brief_name_the_configured_kabupaten(batu_bara, tmp_path, kind):
    from metrics.ops.cli import main

    out = tmp_path / f"keluar.{'pptx' if kind == 'pptx' else 'pdf'}"
    assert main([kind, "--periode", "2026-09", str(out)]) == 0
    text = _pptx_text(out) if kind == "pptx" else _pdf_text(out)
    _no_asahan(text.replace("\n", " "), kind)
    assert "Pemkot Cimahi" not in text  # Asahan's 2024 study visit is not Batu Bara's history


@pytest.mark.parametrize("kode", ["id", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_names_the_configured_kabupaten_and_never_asahan(batu_bara, page, kode):
    from bahasa_support import visible_texts
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["bahasa"] = kode
    at.run()
    at = at.switch_page(page).run()
    assert not at.exception, at.exception
    cited = cited_sources()
    _no_asahan(" ".join(t for t in visible_texts(at) if t not in cited), page)
    assert not any(t.startswith(("Studi tiru<br>", "Study visit<br>")) for t in visible_texts(at))  # Asahan's 2024 visit



def test_no_catalogue_text_gives_an_asahan_code_as_its_example():
    """Examples of a kecamatan code are the configured kabupaten's ({contoh_kecamatan}), never a literal 12.09.xx."""
    import re

    found = [f"{key} ({kode})" for key, entry in bahasa.katalog().items() for kode, text in entry.items()
             if re.search(r"\b12\.09\.\d\d\b", text)]
    assert not found, found


@pytest.mark.parametrize("kode", ["id", "en"])
def test_the_pptx_help_and_its_wrong_code_error_give_an_example_of_the_configured_kabupaten(batu_bara, capsys, kode):
    from metrics.ops.cli import main

    with pytest.raises(SystemExit):
        main(["--bahasa", kode, "pptx", "--help"])
    shown = capsys.readouterr().out
    assert main(["--bahasa", kode, "pptx", "--kecamatan", "12.09.19", "/tmp/tidak-dibuat.pptx"]) == 1
    shown += capsys.readouterr().err
    assert "12.09." not in shown.replace("'12.09.19'", "")
    assert shown.count(wilayah.kecamatan_codes("12.19")[0]) == 2, shown


def _tiru(*args, **env) -> subprocess.CompletedProcess:
    import os
    import sys

    command = "import sys; from metrics.ops.cli import main; sys.exit(main())"
    return subprocess.run([sys.executable, "-c", command, *args], check=False, capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "TIRU_DB": "/nonexistent/tiru.duckdb", **env}, timeout=120)


@pytest.mark.parametrize("kode", ["id", "en"])
def test_tiru_help_names_the_configuration_in_force_and_how_it_is_set(kode):
    shown = _tiru("--bahasa", kode, "--help", TIRU_WILAYAH="32.05", TIRU_MODEL="32.05.01")
    assert shown.returncode == 0, shown.stderr
    text = " ".join(shown.stdout.split())
    for part in ("Kabupaten Garut", "32.05", "Garut Kota", "32.05.01", "TIRU_WILAYAH", "TIRU_MODEL",
                 "--wilayah", "12.09"):  # what is in force, where it comes from, the default
        assert part in text, (part, text[:600])
    assert "Asahan" not in text.split("12.09")[0]  # the default is named as such, after what is in force


def test_a_wrong_setting_is_one_clear_line_and_help_still_says_so():
    ran = _tiru("ranking", TIRU_WILAYAH="99.99")
    assert ran.returncode == 1 and "Traceback" not in ran.stderr, ran.stderr
    assert ran.stderr.startswith("tiru: TIRU_WILAYAH = '99.99'") and ran.stderr.count("\n") == 1, ran.stderr
    shown = _tiru("--help", TIRU_WILAYAH="99.99")
    assert shown.returncode == 0 and "Traceback" not in shown.stderr, shown.stderr
    assert "TIRU_WILAYAH = '99.99'" in " ".join(shown.stdout.split()) and " — " not in shown.stdout.split("\n\n")[1]
