"""The XLSX import templates follow the configuration (#25): for Kabupaten Batu Bara (12.19) they name it
and its model, offer its own kecamatan codes, and say nothing of Asahan; the model template's sample
source names the configured model."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from metrics.core import bahasa
from metrics.data import wilayah
from metrics.data.build import DATA_DIR, build
from metrics.data.store import Store
from metrics.ingest import templates

CONFIG = ("12.19", "32.05.01")  # Batu Bara against a kecamatan of Garut


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """Batu Bara's database; its Store is opened under the configuration (the `configured` fixture)."""
    return build(tmp_path_factory.mktemp("templat_bb") / "tiru.duckdb", DATA_DIR, with_demo=False,
                 config=wilayah.baca(*CONFIG))


@pytest.fixture
def configured(monkeypatch):
    monkeypatch.setenv("TIRU_WILAYAH", CONFIG[0])
    monkeypatch.setenv("TIRU_MODEL", CONFIG[1])
    return wilayah.baca(*CONFIG)


def _cells(wb) -> list[str]:
    return [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


@pytest.mark.parametrize("kode", ["id", "en"])
@pytest.mark.parametrize("kind", templates.KINDS)
def test_templates_name_batu_bara_and_offer_its_kecamatan(store, configured, kind, kode):
    with bahasa.dalam(kode):
        wb = openpyxl.load_workbook(io.BytesIO(templates.build(Store(store), kind)))
        catatan = configured.catatan()
    cells = _cells(wb)
    assert not [c for c in cells if "Asahan" in c or "12.09" in c], kind
    assert not [c for c in cells if "Cimahi" in c], kind  # the model is Garut's, not Cimahi Tengah
    assert catatan in cells and "Kabupaten Batu Bara" in catatan
    offered = [c.value for c in wb["Daftar"]["A"][1:] if c.value]
    batu_bara = wilayah.kecamatan_codes("12.19")
    if kind in ("adopsi", "target", "observasi-lebar"):
        assert offered == batu_bara
    elif kind in ("observasi", "skm"):
        assert set(batu_bara) <= set(offered) and set(offered) - set(batu_bara) <= set(wilayah.kecamatan_codes("32.05"))


def test_the_default_template_still_names_asahan(demo_store, monkeypatch):
    monkeypatch.delenv("TIRU_WILAYAH", raising=False)
    monkeypatch.delenv("TIRU_MODEL", raising=False)
    wb = openpyxl.load_workbook(io.BytesIO(templates.build(demo_store, "model")))
    cells = _cells(wb)
    assert wilayah.baca().catatan() in cells
    assert any("Cimahi Tengah" in c for c in cells)  # the shipped sample source, unchanged
    assert Path(DATA_DIR / "catalog" / "model.csv").read_text(encoding="utf-8").count("Cimahi Tengah") >= 12
