"""Exports for analysts and people: the long observation format and the catalogues.

CSV and XLSX are opened in spreadsheets, so text that a spreadsheet would run as a formula
(starting with = + - @, tab or carriage return) is prefixed with an apostrophe there.
Parquet is for analysts' code and keeps text exactly as stored.

The files are data for recomputation, the same in every interface language (`tiru --bahasa
en export` writes the same files): column names, codes (arah, frekuensi, tahap) and file and
sheet names are identifiers; catalogue tables carry their English texts in *_en columns.

Labels travel with the data: `indikator` carries the model value's source (model_sumber, e.g.
"Nilai contoh … (bukan angka resmi)" for the shipped sample values), `adopsi` the batch of each
event (demo-… for DATA CONTOH), `inovasi` the indicators whose measurement the innovation
changes itself (indikator_ukur). New columns are added at the end, so existing readers keep working.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from metrics.core import formatting
from metrics.core import periode as per
from metrics.data import wilayah
from metrics.data.store import Store

FORMATS = ("csv", "parquet", "xlsx")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

OBSERVASI_COLUMNS = ["kode_kecamatan", "periode", "indikator", "nilai", "sumber", "batch"]
INDIKATOR_COLUMNS = ["kode", "nama", "satuan", "arah", "frekuensi", "pilar", "bobot_pilar", "lantai", "model",
                     "model_sumber", "model_sumber_en", "model_tanggal"]
INOVASI_COLUMNS = ["kode", "nama", "nama_en", "deskripsi", "indikator", "indikator_ukur"]
ADOPSI_COLUMNS = ["kode_kecamatan", "inovasi", "tahap", "tanggal", "bukti", "oleh", "batch"]


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would evaluate with an apostrophe, and replace control
    characters (U+FFFD): an XLSX may not hold them and a terminal would run them, even in data stored
    before imports refused them."""
    out = frame.copy()
    out.columns = [formatting.tanpa_kendali(c) for c in out.columns]
    for column in out.columns:
        if pd.api.types.is_string_dtype(out[column]) or out[column].dtype == object:
            out[column] = out[column].map(
                lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_START) else v
            ).map(formatting.tanpa_kendali)
    return out


def tables(store: Store) -> dict[str, pd.DataFrame]:
    """The exported tables, in their exact column order."""
    months = [m for region in wilayah.product_regions() for m in store.periods(region)]
    if months:
        observasi = store.observasi(min(months), max(months))
        observasi["periode"] = observasi["periode"].map(per.fmt)
    else:
        observasi = pd.DataFrame(columns=OBSERVASI_COLUMNS)
    indikator = store.indikator().reset_index()
    indikator["bobot_pilar"] = indikator["pilar"].map(store.pilar()["bobot"])
    indikator["model_tanggal"] = pd.to_datetime(indikator["model_tanggal"]).dt.strftime("%Y-%m-%d")
    inovasi = store.inovasi().reset_index()
    for column in ("indikator", "indikator_ukur"):
        inovasi[column] = inovasi[column].map(";".join)
    adopsi = store.adopsi()
    adopsi["tanggal"] = pd.to_datetime(adopsi["tanggal"]).dt.strftime("%Y-%m-%d")
    return {
        "observasi": observasi[OBSERVASI_COLUMNS],
        "indikator": indikator[INDIKATOR_COLUMNS],
        "kecamatan": store.kecamatan(),
        "inovasi": inovasi[INOVASI_COLUMNS],
        "adopsi": adopsi[ADOPSI_COLUMNS],
    }


def export(store: Store, directory: Path, fmt: str = "csv") -> list[Path]:
    """Write every table as DIR/<name>.<fmt>; returns the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in tables(store).items():
        path = directory / f"{name}.{fmt}"
        if fmt == "csv":
            neutralise(frame).to_csv(path, index=False, lineterminator="\n")
        elif fmt == "xlsx":
            neutralise(frame).to_excel(path, index=False, sheet_name=name)
        elif fmt == "parquet":
            frame.to_parquet(path, index=False)
        else:
            raise ValueError(fmt)
        written.append(path)
    return written
