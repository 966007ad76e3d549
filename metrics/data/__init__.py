"""The data layer. Importing it gives the text catalogue the configured region's names (#25)."""

from functools import cache

from metrics.core import bahasa


def _daerah() -> dict[str, str]:
    """The names the catalogue's DAERAH placeholders stand for, from the configuration (TIRU_WILAYAH, TIRU_MODEL)."""
    from metrics.data import wilayah  # here, not at import: wilayah itself imports this package

    return _daerah_untuk(wilayah.aktif())


@cache
def _daerah_untuk(config) -> dict[str, str]:
    """Kept per configuration: t() asks for these names hundreds of times per page."""
    from metrics.data import wilayah

    codes = wilayah.kecamatan_codes(config.kode)
    return {"daerah": config.nama, "daerah_kabupaten": config.kabupaten, "daerah_kode": config.kode,
            "jumlah_kecamatan": str(len(codes)), "contoh_kecamatan": codes[0],
            "kepala_daerah": "Wali Kota" if config.kabupaten.startswith("Kota ") else "Bupati",
            "model_nama": config.model_nama, "model_wilayah": config.model_wilayah,
            "model_kabupaten": config.model_kabupaten}


bahasa.daftarkan_daerah(_daerah)
