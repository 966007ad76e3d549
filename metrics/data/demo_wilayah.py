"""The demo for the configured kabupaten (#25): the shipped story told with its own kecamatan.

The shipped configuration (Asahan against Cimahi Tengah) has its demo committed in data/demo/; any
other is generated when its database is built (metrics/data/build.py), deterministically from the
kabupaten's code: its kecamatan (and the model's kabupaten's) from the national list, the cast from
demo_pemeran.untuk, every value drawn by metrics.data.demo with the same rules. Still DATA CONTOH.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from metrics.data import demo, demo_pemeran, wilayah
from metrics.data.demo_cerita import Katalog, Kecamatan, load_catalogue


def katalog(config: wilayah.Konfigurasi, data_dir: Path) -> Katalog:
    """The shipped catalogue with the configuration's kecamatan (sorted by kode, as the generator expects)."""
    rows = wilayah.kecamatan_rows(config, Path(data_dir))
    kecamatan = sorted(
        (Kecamatan(r.kode, r.nama, r.wilayah, int(r.desa), int(r.kelurahan)) for r in rows.itertuples(index=False)),
        key=lambda k: k.kode,
    )
    return replace(load_catalogue(Path(data_dir)), kecamatan=kecamatan)


def pemeran(config: wilayah.Konfigurasi, cast_from: Katalog) -> demo_pemeran.Pemeran:
    """Who plays which role among the configured kabupaten's kecamatan."""
    own = [(k.kode, k.desa + k.kelurahan) for k in cast_from.kecamatan if k.wilayah == config.nama]
    studi = config.model_nama if config.internal else config.model_wilayah  # "studi tiru Cimahi"
    return demo_pemeran.untuk(config.kode, config.nama, config.model, studi, own)


def generate(config: wilayah.Konfigurasi, data_dir: Path, out: Path) -> list[Path]:
    """Write the configuration's four demo files into `out` (the generator's names and columns)."""
    cast_from = katalog(config, data_dir)
    return demo.generate(Path(data_dir), out=Path(out), katalog=cast_from, pemeran=pemeran(config, cast_from))


# The generator's own files: a database built with a generated demo is rebuilt when they change.
GENERATOR = tuple(Path(__file__).with_name(name) for name in ("demo.py", "demo_cerita.py", "demo_pemeran.py",
                                                              "demo_wilayah.py"))


def source(config: wilayah.Konfigurasi, data_dir: Path, scratch: Path) -> tuple[Path, tuple | None, str]:
    """Where the build reads the configuration's demo files, its outlier (stored as confirmed) and the
    batches' file label: the committed data/demo for the shipped configuration, else generated into `scratch`."""
    if config.bawaan:
        return Path(data_dir) / "demo", demo_pemeran.BAWAAN.outlier, "data/demo"
    cast_from = katalog(config, data_dir)
    cast = pemeran(config, cast_from)
    demo.generate(Path(data_dir), out=Path(scratch), katalog=cast_from, pemeran=cast)
    return Path(scratch), cast.outlier, f"demo-{config.kode}"
