"""The most similar kecamatan, from context facts that exist for every kecamatan.

Population and area are missing or of mixed years for many kecamatan (see data/README.md),
so they are not used. The features are the ones known for all 25:
- number of desa + kelurahan (size of the service area),
- share of kelurahan (urban character: the two Kisaran kecamatan are all kelurahan),
- latitude and longitude of the approximate centre (neighbours share roads, markets,
  and often the same travel time to the Kabupaten offices).
Each feature is standardised (z-score) over the kecamatan compared; the distance is
Euclidean with equal weight per feature group (size, urban, location). When a centre is unknown
(outside Asahan and Cimahi the reference data has none), location is left out for all, never read as 0.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

FEATURES = ["jumlah_desa_kelurahan", "porsi_kelurahan", "lat", "lon"]
# Location counts as one feature group, split over its two coordinates.
FEATURE_WEIGHTS = np.array([1.0, 1.0, 0.5, 0.5])


def context_features(kecamatan: pd.DataFrame) -> pd.DataFrame:
    """kode-indexed frame of the similarity features."""
    total = kecamatan["desa"] + kecamatan["kelurahan"]
    return pd.DataFrame(
        {
            "jumlah_desa_kelurahan": total,
            "porsi_kelurahan": kecamatan["kelurahan"] / total.where(total > 0),
            "lat": kecamatan["lat"],
            "lon": kecamatan["lon"],
        }
    ).set_axis(kecamatan["kode"]).fillna(0.0)


def most_similar(kecamatan: pd.DataFrame, kode: str, n: int = 5) -> pd.DataFrame:
    """The n kecamatan closest to `kode` (itself excluded): kode, nama, jarak; nearest first."""
    features = context_features(kecamatan)
    spread = features.std(ddof=0).replace(0, 1.0)
    z = (features - features.mean()) / spread
    weights = FEATURE_WEIGHTS.copy()
    if kecamatan[["lat", "lon"]].isna().to_numpy().any():  # a centre unknown (#25): location is not compared
        weights[[FEATURES.index("lat"), FEATURES.index("lon")]] = 0.0
    distance = np.sqrt((((z - z.loc[kode]) ** 2) * weights).sum(axis=1))
    names = kecamatan.set_index("kode")["nama"]
    out = pd.DataFrame({"kode": distance.index.to_numpy(), "nama": names.loc[distance.index].to_numpy(),
                        "jarak": distance.to_numpy()})
    out = out[out["kode"] != kode].sort_values(["jarak", "kode"]).head(n)
    return out.reset_index(drop=True)
