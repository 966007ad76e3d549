"""The configured region: which kabupaten/kota is benchmarked and which kecamatan is its model.

One place reads and checks the two settings, TIRU_WILAYAH (a kabupaten/kota code, default 12.09,
Kabupaten Asahan) and TIRU_MODEL (a kecamatan code, default 32.77.02, Cimahi Tengah), against the
national list data/reference/kecamatan_indonesia.csv (Kepmendagri 300.2.2-2138/2025), and gives a
frozen Konfigurasi with the codes and names. `tiru build --wilayah KODE --model KODE` sets the same
two settings for its process (metrics/ops/cli.py), so the CLI, the build and the app read one source.

The database records the configuration it was built for (meta keys `wilayah`, `model`; see
metrics/data/build.py): a file built for one configuration is never opened or rebuilt under another.
Without TIRU_DB each configuration has its own file (Konfigurasi.berkas), so switching never mixes.

The `wilayah` column of the kecamatan table keeps the short region names as the role of a row: the
benchmarked kabupaten's short name (Asahan) for its kecamatan, the model kabupaten's (Cimahi) for the
model's kabupaten, which is context only. A model inside the benchmarked kabupaten is allowed: its
internal best practice, said so (catatan).
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from metrics.core import bahasa
from metrics.core.bahasa import t
from metrics.data.kunci import StoreError

WILAYAH_ENV = "TIRU_WILAYAH"
MODEL_ENV = "TIRU_MODEL"
DEFAULT_WILAYAH = "12.09"  # Kabupaten Asahan
DEFAULT_MODEL = "32.77.02"  # Cimahi Tengah, Kota Cimahi
DATA_DIR = Path(__file__).resolve().parents[2] / "data"
NATIONAL = "reference/kecamatan_indonesia.csv"
REFERENCE = "reference/kecamatan.csv"
_PREFIXES = ("Kabupaten ", "Kota ")
# Where a kecamatan's name and counts come from when data/reference/kecamatan.csv has no row for it.
NATIONAL_SOURCE = ("kode/nama/desa/kelurahan: Kepmendagri No 300.2.2-2138 Tahun 2025 via github.com/cahyadsn/wilayah "
                   "db/wilayah.sql (MIT), data/reference/kecamatan_indonesia.csv; population/area/centre: not found")


class WilayahError(StoreError):
    """A code that names no kabupaten/kota or no kecamatan; the message (active language) names the nearest."""


@dataclass(frozen=True)
class Konfigurasi:
    kode: str                  # the benchmarked kabupaten/kota, e.g. 12.09
    kabupaten: str             # its name, e.g. Kabupaten Asahan
    nama: str                  # its short name, the role of its kecamatan rows, e.g. Asahan
    provinsi: str
    model: str                 # the model kecamatan, e.g. 32.77.02
    model_nama: str            # e.g. Cimahi Tengah
    model_kode_kabupaten: str  # e.g. 32.77
    model_kabupaten: str       # e.g. Kota Cimahi
    model_wilayah: str         # the role of the model's kabupaten rows, e.g. Cimahi (= nama when internal)

    @property
    def internal(self) -> bool:
        """The model lies inside the benchmarked kabupaten: its own best practice."""
        return self.model_kode_kabupaten == self.kode

    @property
    def bawaan(self) -> bool:
        """The shipped configuration (Asahan against Cimahi Tengah), which the demo dataset is for."""
        return (self.kode, self.model) == (DEFAULT_WILAYAH, DEFAULT_MODEL)

    @property
    def berkas(self) -> str:
        """The database file name when TIRU_DB is not set: one file per configuration."""
        return "tiru.duckdb" if self.bawaan else f"tiru-{self.kode}-{self.model}.duckdb"

    def catatan(self) -> str:
        """One line naming what is benchmarked against what (active language)."""
        key = "daerah.konfigurasi_internal" if self.internal else "daerah.konfigurasi"
        return t(key, kabupaten=self.kabupaten, kode=self.kode, n=len(kecamatan_codes(self.kode)),
                 model=self.model_nama, model_kode=self.model, model_kabupaten=self.model_kabupaten)


@cache
def national(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """The national kecamatan list, every column as text."""
    path = Path(data_dir) / NATIONAL
    if not path.exists():
        raise StoreError(t("basisdata.sumber_tidak_ada", path=path))
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def kecamatan_codes(kode_kabupaten: str, data_dir: Path = DATA_DIR) -> list[str]:
    return list(_codes(kode_kabupaten, Path(data_dir)))


@cache
def _codes(kode_kabupaten: str, data_dir: Path) -> tuple[str, ...]:
    """Kept: the catalogue's region texts ask for the count and an example code on every t() call."""
    frame = national(data_dir)
    return tuple(sorted(frame.loc[frame["kode_kabupaten"] == kode_kabupaten, "kode"]))


def terbesar(data_dir: Path = DATA_DIR) -> str:
    """The kabupaten/kota with the most kecamatan in the national list (the lowest code on a tie)."""
    counts = national(Path(data_dir)).groupby("kode_kabupaten").size()
    return str(counts[counts == counts.max()].index.min())


def _short(name: str) -> str:
    for prefix in _PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def _nearest(text: str, labels: dict[str, str]) -> str:
    """The closest entries ('12.19 Kabupaten Batu Bara') to `text` among codes and names; '—' when none."""
    wanted = text.strip().lower()
    by_code = difflib.get_close_matches(wanted, list(labels), n=3, cutoff=0.6)
    names = {label.lower(): code for code, label in labels.items()}
    by_name = [names[n] for n in difflib.get_close_matches(wanted, list(names), n=3, cutoff=0.6)]
    by_part = [code for code, label in labels.items() if wanted and wanted in label.lower()]
    found = list(dict.fromkeys(by_code + by_name + by_part))[:3]
    return "; ".join(f"{code} {labels[code]}" for code in found) or "—"


def _setting_value(value: str | None, env: str, default: str) -> str:
    if value is None:
        value = os.environ.get(env, "")
    return value.strip() or default


def baca(wilayah: str | None = None, model: str | None = None, data_dir: Path = DATA_DIR,
         setelan: tuple[str, str] = (WILAYAH_ENV, MODEL_ENV)) -> Konfigurasi:
    """The configuration: the given codes, else TIRU_WILAYAH / TIRU_MODEL, else the defaults.
    Raises WilayahError naming the setting (`setelan`: what the codes came from, e.g. the CLI's
    --wilayah / --model), the value and the nearest codes when a code is wrong."""
    return _baca(_setting_value(wilayah, WILAYAH_ENV, DEFAULT_WILAYAH), _setting_value(model, MODEL_ENV, DEFAULT_MODEL),
                 data_dir if isinstance(data_dir, Path) else Path(data_dir), setelan)


def aktif() -> Konfigurasi:
    """The configuration of this process (TIRU_WILAYAH, TIRU_MODEL)."""
    return baca()


def ranked() -> str:
    """The `wilayah` role of the ranked kecamatan: the configured kabupaten's short name (Asahan)."""
    return aktif().nama


class _Produk(Sequence):
    """product_regions(), read when used: a default argument (Store.observasi, Store.adopsi) that
    follows the configuration and equals the tuple of the regions."""

    def __getitem__(self, index):
        return product_regions()[index]

    def __len__(self) -> int:
        return len(product_regions())

    def __eq__(self, other) -> bool:
        return tuple(self) == tuple(other) if isinstance(other, Sequence) and not isinstance(other, str) else False

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return repr(product_regions())


PRODUK = _Produk()


def product_regions() -> tuple[str, ...]:
    """The roles the product shows: the ranked kabupaten and the model's (Asahan, Cimahi), once each."""
    config = aktif()
    return tuple(dict.fromkeys((config.nama, config.model_wilayah)))


@cache
def _baca(kode: str, model: str, data_dir: Path, setelan: tuple[str, str]) -> Konfigurasi:
    frame = national(data_dir)
    kabupaten = dict(zip(frame["kode_kabupaten"], frame["kabupaten"], strict=True))
    if kode not in kabupaten:
        raise WilayahError(t("daerah.kabupaten_tidak_ada", setelan=setelan[0], kode=kode,
                             terdekat=_nearest(kode, kabupaten)))
    rows = frame.set_index("kode")
    if model not in rows.index:
        labels = {k: f"{n} ({kab})" for k, n, kab in zip(frame["kode"], frame["nama"], frame["kabupaten"], strict=True)}
        raise WilayahError(t("daerah.model_bukan_kecamatan", setelan=setelan[1], kode=model,
                             terdekat=_nearest(model, labels)))
    found = rows.loc[model]
    nama, model_wilayah = _short(kabupaten[kode]), _short(found["kabupaten"])
    if found["kode_kabupaten"] == kode:
        model_wilayah = nama
    elif model_wilayah == nama:  # Kabupaten Bandung against Kota Bandung: the full names tell them apart
        nama, model_wilayah = kabupaten[kode], found["kabupaten"]
    provinsi = frame.loc[frame["kode_kabupaten"] == kode, "provinsi"].iloc[0]
    return Konfigurasi(kode=kode, kabupaten=kabupaten[kode], nama=nama, provinsi=provinsi, model=model,
                       model_nama=found["nama"], model_kode_kabupaten=found["kode_kabupaten"],
                       model_kabupaten=found["kabupaten"], model_wilayah=model_wilayah)


KECAMATAN_COLUMNS = ["kode", "nama", "wilayah", "kabupaten_kota", "desa", "kelurahan", "penduduk", "tahun_penduduk",
                     "luas_km2", "lat", "lon", "sumber"]
_FACTS = ["penduduk", "tahun_penduduk", "luas_km2", "lat", "lon", "sumber"]


def kecamatan_rows(config: Konfigurasi, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """The kecamatan table of a database built for `config` (columns KECAMATAN_COLUMNS, text, '' = missing):
    every kecamatan of the benchmarked kabupaten, then those of the model's kabupaten (unless it is the
    same). Names and desa/kelurahan counts from the national list; population, area, centre and their
    sources from data/reference/kecamatan.csv where it has the row, missing where not."""
    frame = national(Path(data_dir))
    parts = [(config.kode, config.nama)]
    if not config.internal:
        parts.append((config.model_kode_kabupaten, config.model_wilayah))
    rows = pd.concat([frame[frame["kode_kabupaten"] == kode].sort_values("kode").assign(wilayah=role)
                      for kode, role in parts], ignore_index=True)
    out = pd.DataFrame({"kode": rows["kode"], "nama": rows["nama"], "wilayah": rows["wilayah"],
                        "kabupaten_kota": rows["kabupaten"], "desa": rows["jumlah_desa"],
                        "kelurahan": rows["jumlah_kelurahan"]})
    path = Path(data_dir) / REFERENCE
    if not path.exists():
        raise StoreError(t("basisdata.sumber_tidak_ada", path=path))
    known = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8").set_index("kode")[_FACTS]
    out = out.join(known, on="kode")
    out["sumber"] = out["sumber"].fillna(NATIONAL_SOURCE)
    return out[KECAMATAN_COLUMNS].fillna("")


def sample_sources(model: pd.DataFrame, config: Konfigurasi) -> pd.DataFrame:
    """data/catalog/model.csv (text columns) for `config`: the sample values' sources (rows with `sumber_en`)
    name the configured model, not Cimahi Tengah and Asahan's visit, unless the configuration is the shipped one."""
    if config.bawaan:
        return model
    sample = model["sumber_en"].str.strip() != ""
    model = model.copy()
    for column, kode in (("sumber", "id"), ("sumber_en", "en")):
        with bahasa.dalam(kode):
            model.loc[sample, column] = t("daerah.model_contoh_sumber", model=config.model_nama)
    return model
