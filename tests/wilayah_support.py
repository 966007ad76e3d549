"""#25: the configurations other than Asahan's that the page and CLI checks also run on.

A Konfig is one state: a database built for a kabupaten and a model (metrics/data/wilayah.py), with the
settings that open it (TIRU_WILAYAH, TIRU_MODEL, TIRU_DB, TIRU_DEMO). conftest's `wilayah_db` builds each
once per session.

batu_bara: Kabupaten Batu Bara (12.19, 12 kecamatan) against Cimahi Tengah, its generated demo;
garut: Kabupaten Garut (32.05, 42 kecamatan) against Cimahi Tengah, its generated demo;
garut_internal: Garut against its own Garut Kota (32.05.01), internal best practice, its demo;
batu_bara_hapus_demo: Batu Bara after `tiru import --hapus-demo` of one real observation;
terbesar: the kabupaten with the most kecamatan (95.03, 51) against Cimahi Tengah, its demo.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from metrics.data import wilayah
from metrics.data.build import DATA_DIR, build


@dataclass(frozen=True)
class Konfig:
    name: str
    kode: str
    model: str
    db: Path
    with_demo: bool  # demo data shows (DATA CONTOH)

    @property
    def config(self) -> wilayah.Konfigurasi:
        return wilayah.baca(self.kode, self.model)

    @property
    def env(self) -> dict[str, str]:
        return {"TIRU_WILAYAH": self.kode, "TIRU_MODEL": self.model, "TIRU_DB": str(self.db),
                "TIRU_DEMO": "1" if self.with_demo else "0"}

    def apply(self, monkeypatch) -> Konfig:
        for name, value in self.env.items():
            monkeypatch.setenv(name, value)
        return self

    @property
    def names_cimahi(self) -> bool:
        """Whether Cimahi may show: only when the model lies in Kota Cimahi."""
        return "Cimahi" in self.config.model_kabupaten

    @property
    def focus(self) -> str:
        """A kecamatan of the configured kabupaten to open or focus on (not its first, the default)."""
        codes = [k for k in wilayah.kecamatan_codes(self.kode) if k != self.model]
        return codes[len(codes) // 2]


# name -> (kabupaten, model, demo kept)
STATES = {"batu_bara": ("12.19", "32.77.02", True), "garut": ("32.05", "32.77.02", True),
          "garut_internal": ("32.05", "32.05.01", True), "batu_bara_hapus_demo": ("12.19", "32.77.02", False),
          "terbesar": ("95.03", "32.77.02", True)}


def make(name: str, folder: Path, demo_of) -> Konfig:
    """Build state `name` in `folder`; `demo_of(kode, model)` gives an already built demo database to copy."""
    kode, model, keep_demo = STATES[name]
    path = folder / "tiru.duckdb"
    if keep_demo:
        build(path, DATA_DIR, with_demo=True, config=wilayah.baca(kode, model))
        return Konfig(name, kode, model, path, True)
    from metrics.ops.cli import main

    shutil.copy(demo_of(kode, model), path)
    state = Konfig(name, kode, model, path, False)
    upload = folder / "satu.csv"
    first = wilayah.kecamatan_codes(kode)[0]
    upload.write_text(f"kode_kecamatan,periode,indikator,nilai,sumber,catatan\n{first},2026-09,waktu_tunggu,45,uji,\n",
                      encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        state.apply(mp)
        mp.setenv("TIRU_DEMO", "1")  # the demo is there until this import removes it
        assert main(["import", str(upload), "--oleh", "uji", "--hapus-demo"]) == 0
    return state


def cited_sources() -> set[str]:
    """The indicator catalogue's cited sources (Metodologi): data, kept as written (a Peraturan Bupati Asahan
    defines an indicator; the catalogue is the same for every kabupaten)."""
    from metrics.data.store import Store

    indikator = Store().indikator()
    return {str(v) for c in indikator.columns if "sumber" in c or "dasar" in c for v in indikator[c].dropna()}
