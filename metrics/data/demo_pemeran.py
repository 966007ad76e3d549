"""Who plays which part of the demo story, for the shipped configuration or any other (#25).

The story (metrics.data.demo) has roles: fast, slow and slipping adopters, kecamatan silent in the
latest month, a partial reporter, an explained outlier, operators who typed events in late, the
kecamatan a target names, and the scripted cells of the outlier's and the slipping kecamatan.
For Asahan the roles are the hand-picked kecamatan of demo_cerita (the shipped story, unchanged).
For any other kabupaten the same roles fall on its own kecamatan: shuffled with a seed made of the
kabupaten's code (the same code gives the same cast), counts scaled to its number of kecamatan
(Asahan's 25 give the shipped counts). A small kabupaten shares roles honestly: the reporting roles
(silent, partial) are taken from the other end of the order, so they land on a profiled kecamatan
only when there are too few; with 1 kecamatan nobody is silent, with 2 nobody is partial.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from metrics.data import demo_cerita as cerita

# Asahan's counts per role (demo_cerita), the scale for another kabupaten's.
_ASAHAN_N = 25
_CEPAT, _LAMBAT, _DIAM, _TERLAMBAT = 4, 3, 2, 3
_TERLAMBAT_HARI = (41, 38, 55, 47, 36, 50)  # delays of late-typed events, reused in turn
_PENUTUP = "Cimahi"  # the model's short name in the shipped evidence texts


@dataclass(frozen=True)
class Pemeran:
    """The cast of one configuration's demo."""

    wilayah: str  # role (kecamatan.wilayah) of the benchmarked kabupaten's rows, e.g. Asahan
    model: str  # the model kecamatan's code
    studi: str  # the model's short name in evidence texts ("studi tiru Cimahi")
    profil: dict[str, str]  # kode -> cepat / lambat / merosot (others sedang)
    non_reporters: tuple[str, ...]
    partial_reporter: str | None
    outlier: tuple[str, str, str, float, str] | None  # kode, periode, indikator, nilai, catatan
    skenario: dict[tuple[str, str], list[tuple[int, str, str]]]
    terlambat: tuple[tuple[str, int], ...]
    targets: tuple[tuple[str, int, str, str], ...]
    benih: tuple[int, ...] = ()  # added to every random stream's seed; () for the shipped story


BAWAAN = Pemeran(
    wilayah="Asahan", model=cerita.CIMAHI_TENGAH, studi=_PENUTUP, profil=dict(cerita.PROFIL),
    non_reporters=cerita.NON_REPORTERS, partial_reporter=cerita.PARTIAL_REPORTER, outlier=cerita.OUTLIER,
    skenario=dict(cerita.SKENARIO), terlambat=cerita.TERLAMBAT_DICATAT, targets=cerita.TARGETS,
)

# The shipped scripted cells by role: the outlier's queue, the fast pledge, the slipping step back.
_SKRIP_OUTLIER = ("12.09.20", "antrean_digital")
_SKRIP_CEPAT = ("12.09.19", "standar_pelayanan")
_SKRIP_MEROSOT = ("12.09.14", "antrean_digital")


def _scaled(count: int, n: int, minimum: int) -> int:
    return max(minimum, round(count * n / _ASAHAN_N))


def _benih(kode_kabupaten: str) -> tuple[int, ...]:
    return tuple(int(part) for part in kode_kabupaten.split("."))


def _studi(text: str, studi: str) -> str:
    return text.replace(_PENUTUP, studi)


def untuk(kode_kabupaten: str, wilayah: str, model: str, studi: str, kecamatan: list[tuple[str, int]]) -> Pemeran:
    """The cast for a kabupaten: `kecamatan` its (kode, desa + kelurahan) pairs, the model excluded
    when it lies inside (it is the model, not an adopter). The shipped configuration gets BAWAAN."""
    if (kode_kabupaten, model) == ("12.09", cerita.CIMAHI_TENGAH):
        return BAWAAN
    benih = _benih(kode_kabupaten)
    codes = sorted(kode for kode, _ in kecamatan if kode != model)
    n = len(codes)
    order = [codes[i] for i in np.random.default_rng([cerita.SEED, 5, *benih]).permutation(n)]
    # Profiles from the front: the outlier's fast kecamatan, the slipping one, then slow and fast in turn.
    n_cepat, n_lambat = min(_scaled(_CEPAT, n, 1), n), _scaled(_LAMBAT, n, 1)
    roles = ["cepat", "merosot"] + ["lambat", "cepat"] * max(n_cepat - 1, n_lambat)
    wanted = {"cepat": n_cepat, "merosot": 1, "lambat": n_lambat}
    profil: dict[str, str] = {}
    for role in roles:
        if len(profil) == n:
            break
        if wanted[role] > 0:
            profil[order[len(profil)]] = role
            wanted[role] -= 1
    # Reporting roles from the back (sedang kecamatan when there are enough).
    n_diam = 0 if n < 2 else min(_scaled(_DIAM, n, 1), n - 1)
    non_reporters = tuple(sorted(order[n - 1 - i] for i in range(n_diam)))
    partial = order[n - 1 - n_diam] if n >= 3 else None
    fast = [k for k, role in profil.items() if role == "cepat"]
    slipping = next((k for k, role in profil.items() if role == "merosot"), None)
    outlier_kode = fast[0] if fast else None
    outlier = None
    if outlier_kode:
        outlier = (outlier_kode, *cerita.OUTLIER[1:])
    skenario = {}
    for (kode, inovasi), script in ((_SKRIP_OUTLIER, outlier_kode), (_SKRIP_CEPAT, fast[1] if len(fast) > 1 else None),
                                    (_SKRIP_MEROSOT, slipping)):
        if script is not None:
            skenario[(script, inovasi)] = [(tahap, day, _studi(bukti, studi))
                                           for tahap, day, bukti in cerita.SKENARIO[(kode, inovasi)]]
    plain = [k for k in reversed(order) if k not in profil and k not in non_reporters and k != partial]
    terlambat = tuple((kode, _TERLAMBAT_HARI[i % len(_TERLAMBAT_HARI)])
                      for i, kode in enumerate(sorted(plain[:_scaled(_TERLAMBAT, n, 0)])))
    units = dict(kecamatan)
    largest = max(codes, key=lambda k: (units[k], k)) if codes else ""  # jemput bola: the most villages
    targets = tuple((inovasi, tahap, tanggal, largest if kode else kode)
                    for inovasi, tahap, tanggal, kode in cerita.TARGETS)
    return Pemeran(wilayah=wilayah, model=model, studi=studi, profil=profil, non_reporters=non_reporters,
                   partial_reporter=partial, outlier=outlier, skenario=skenario, terlambat=terlambat,
                   targets=targets, benih=benih)
