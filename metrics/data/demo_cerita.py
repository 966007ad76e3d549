"""The demo story's cast and parameters, for the generator in metrics.data.demo (which tells
the story in its docstring).

The cast is read from the committed catalogue (kecamatan, indicators, model values,
innovations); the parameters say who adopts how fast, which cells are scripted, what evidence
is written, the targets, and how values are written. Changing a number here changes the
generated files: regenerate data/demo/ (tests/test_demo.py checks they match).
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

STUDY_VISIT_END = dt.date(2024, 12, 13)
SEED = 20241211  # every random stream of the demo (metrics.data.demo, demo_pemeran) starts from it

# Demo performance targets for the end of 2026 (the Sekda's real ones replace them):
# roughly halfway from the 2024 baseline to the model; kepatuhan_sp at Ombudsman's green zone.
TARGET_INDIKATOR = (
    ("waktu_tunggu", "30", "2026-12-31", ""),
    ("waktu_selesai", "3", "2026-12-31", ""),
    ("tepat_waktu", "85", "2026-12-31", ""),
    ("ikm", "82", "2026-12-31", ""),
    ("pengaduan_tuntas", "80", "2026-12-31", ""),
    ("permohonan_daring", "40", "2026-12-31", ""),
    ("tte", "60", "2026-12-31", ""),
    ("jenis_layanan", "30", "2026-12-31", ""),
    ("kewenangan_paten", "80", "2026-12-31", ""),
    ("petugas_terlatih", "80", "2026-12-31", ""),
    ("kepatuhan_sp", "81", "2026-12-31", ""),
    ("ipp", "3.5", "2026-12-31", ""),
)

# --- how values are written -------------------------------------------------------------

DECIMALS = {"ikm": 2, "ipp": 2, "jenis_layanan": 0, "volume_layanan": 0}  # others: 1
# Plausible range of a generated value (narrower than the catalogue's batas).
REALISTIC = {
    "waktu_tunggu": (5.0, 180.0),
    "waktu_selesai": (0.5, 12.0),
    "ikm": (60.0, 92.0),
    "jenis_layanan": (5.0, 45.0),
    "ipp": (1.5, 4.8),
    "volume_layanan": (150.0, 2500.0),
}

# --- the story: who is who ---------------------------------------------------------------

CIMAHI_TENGAH = "32.77.02"
NON_REPORTERS = ("12.09.25", "12.09.32")  # Sei Kepayang Timur, Aek Ledong: silent in LAST
PARTIAL_REPORTER = "12.09.17"  # Bandar Pasir Mandoge: sends only these in LAST
PARTIAL_INDICATORS = ("waktu_tunggu", "volume_layanan")
PARTIAL_NOTE = "Laporan parsial: indikator lain belum dikirim"
# Kota Kisaran Timur's queue system failed for a month (it runs antrean_digital since 2025).
OUTLIER = ("12.09.20", "2026-03", "waktu_tunggu", 240.0, "Sistem antrean rusak, antrean manual")

# Adoption speed class per Asahan kecamatan; every other Asahan kecamatan is "sedang".
PROFIL = {
    "12.09.12": "cepat",  # Simpang Empat
    "12.09.19": "cepat",  # Kota Kisaran Barat
    "12.09.20": "cepat",  # Kota Kisaran Timur
    "12.09.29": "cepat",  # Rawang Panca Arga
    "12.09.11": "lambat",  # Sei Kepayang
    "12.09.15": "lambat",  # Bandar Pulau
    "12.09.21": "lambat",  # Aek Songsongan
    "12.09.14": "merosot",  # Pulau Rakyat: slips from mid-2025
}


@dataclass(frozen=True)
class Laju:
    """How a class of kecamatan adopts and performs."""

    peluang_rencana: tuple[float, float, float]  # chance to plan an innovation, by its priority 1–3
    tunda: tuple[int, int]  # months by which the first plan is later than the priority window
    jeda: tuple[float, float]  # months between two stages
    tahap_max: tuple[float, float, float, float]  # chance the cell stops at stage 1, 2, 3, 4
    kekuatan: tuple[float, float]  # how much of an innovation's effect shows up
    tren: float  # drift of progress p per year, from tren_mulai on
    tren_mulai: str
    hilang_bulan: float  # chance a whole monthly report is missing


LAJU = {
    "cepat": Laju((1.0, 0.95, 0.85), (0, 0), (1.5, 4.0), (0.0, 0.05, 0.45, 0.50), (0.95, 1.15), 0.04, "2025-01", 0.005),
    "sedang": Laju((0.95, 0.8, 0.55), (0, 1), (2.5, 7.0), (0.10, 0.35, 0.49, 0.06), (0.7, 1.0), 0.02, "2025-01", 0.012),
    "lambat": Laju((0.8, 0.5, 0.3), (3, 8), (5.0, 12.0), (0.50, 0.45, 0.05, 0.0), (0.4, 0.6), 0.0, "2025-01", 0.03),
    "merosot": Laju((0.9, 0.7, 0.4), (0, 2), (3.0, 7.0), (0.30, 0.60, 0.10, 0.0), (0.5, 0.7), -0.15, "2025-07", 0.02),
}

# Priority 1 innovations were the visit's headline; 3 came later. Unknown codes default to 3.
PRIORITAS = {
    "antrean_digital": 1,
    "layanan_terpadu": 1,
    "standar_pelayanan": 1,
    "permohonan_daring": 2,
    "tte": 2,
    "pengaduan_terintegrasi": 2,
    "paten": 2,
    "skm_digital": 3,
    "jemput_bola": 3,
    "papan_kinerja": 3,
}
# First-plan window per priority.
JENDELA_RENCANA = {
    1: (dt.date(2024, 12, 16), dt.date(2025, 1, 31)),
    2: (dt.date(2025, 1, 13), dt.date(2025, 6, 30)),
    3: (dt.date(2025, 3, 3), dt.date(2025, 12, 31)),
}
SULIT = {"paten": 1.6, "layanan_terpadu": 1.3}  # stages take longer (regulation, a building)
# PATEN cannot run before the bupati delegates authority (Permendagri 4/2010).
PERBUP_PATEN = dt.date(2025, 8, 11)

# Share of an indicator's remaining gap to the model an innovation closes once Berjalan.
EFEK = {
    ("antrean_digital", "waktu_tunggu"): 0.50,
    ("layanan_terpadu", "waktu_selesai"): 0.30,
    ("layanan_terpadu", "tepat_waktu"): 0.35,
    ("layanan_terpadu", "ikm"): 0.25,
    ("layanan_terpadu", "petugas_terlatih"): 0.40,
    ("paten", "kewenangan_paten"): 0.65,
    ("paten", "jenis_layanan"): 0.45,
    ("permohonan_daring", "permohonan_daring"): 0.60,
    ("permohonan_daring", "waktu_selesai"): 0.20,
    ("tte", "tte"): 0.70,
    ("tte", "waktu_selesai"): 0.20,
    ("skm_digital", "ikm"): 0.15,
    ("pengaduan_terintegrasi", "pengaduan_tuntas"): 0.50,
    ("standar_pelayanan", "kepatuhan_sp"): 0.50,
    ("standar_pelayanan", "ipp"): 0.35,
    ("jemput_bola", "ikm"): 0.15,
    ("jemput_bola", "tepat_waktu"): 0.15,
    ("papan_kinerja", "kepatuhan_sp"): 0.15,
    ("papan_kinerja", "tepat_waktu"): 0.10,
}
EFEK_DEFAULT = 0.25
# Effect reached per stage (a trial shows a little), approached at SERAP per month.
EFEK_TAHAP = {0: 0.0, 1: 0.0, 2: 0.2, 3: 1.0, 4: 1.15}
SERAP = 0.35

# Hand-written cells carrying the story's edge cases (all other cells are drawn at random).
SKENARIO = {
    # the outlier's kecamatan: digital queue early, so its breakdown in 2026-03 makes sense
    ("12.09.20", "antrean_digital"): [
        (1, "2024-12-17", "Rencana aksi pasca studi tiru Cimahi (notulen rapat staf)"),
        (2, "2025-02-10", "Uji coba 2 minggu di loket KTP"),
        (3, "2025-04-09", "Foto loket antrean dan layar panggilan"),
        (4, "2025-09-15", "SK Camat No. 065/214/2025 tentang SOP antrean; pemeliharaan mesin di DPA 2026"),
    ],
    # two events on the same day: the pledge went up the day the SK was signed
    ("12.09.19", "standar_pelayanan"): [
        (1, "2024-12-19", "Rencana aksi pasca studi tiru Cimahi (notulen rapat staf)"),
        (2, "2025-02-03", "Draf standar pelayanan 14 komponen dibahas dengan forum warga"),
        (3, "2025-04-14", "Maklumat pelayanan ditandatangani dan dipajang di ruang tunggu"),
        (4, "2025-04-14", "SK Camat No. 065/112/2025 tentang Standar Pelayanan; biaya publikasi di DPA 2025"),
    ],
    # the step back: the slipping kecamatan loses its queue operator
    ("12.09.14", "antrean_digital"): [
        (1, "2025-01-08", "Rencana aksi pasca studi tiru Cimahi (notulen rapat staf)"),
        (2, "2025-03-17", "Uji coba 2 minggu di loket KTP"),
        (3, "2025-06-02", "Foto loket antrean dan layar panggilan"),
        (2, "2025-11-10", "Turun ke uji coba: operator antrean dimutasi, belum ada pengganti terlatih; "
                          "antrean kembali manual"),
    ],
}
# Operators who typed an event in weeks late: (kecamatan, delay in days) for their first stage-2 event.
TERLAMBAT_DICATAT = (("12.09.22", 41), ("12.09.26", 38), ("12.09.30", 55))

# The Sekda's action-plan deadlines; kode_kecamatan "" = every Asahan kecamatan.
TARGETS = (
    ("tte", 2, "2025-09-30", ""),
    ("antrean_digital", 3, "2025-12-31", ""),
    ("permohonan_daring", 3, "2026-03-31", ""),
    ("jemput_bola", 3, "2026-03-31", "12.09.17"),  # the largest kecamatan (713 km²) goes to its villages
    ("layanan_terpadu", 3, "2026-06-30", ""),
    ("paten", 4, "2026-12-31", ""),
)

BUKTI_RENCANA = (
    "Rencana aksi pasca studi tiru {studi} (notulen rapat staf)",
    "Masuk rencana aksi kecamatan {tahun}",
    "Notulen rapat koordinasi dengan Bagian Organisasi",
    "Usulan anggaran kegiatan untuk tahun {tahun_depan}",
)
BUKTI = {
    "antrean_digital": (
        ("Uji coba 2 minggu di loket KTP", "Uji coba mesin antrean pinjaman Diskominfo"),
        ("Foto loket antrean dan layar panggilan", "Rekap waktu tunggu dari sistem antrean"),
    ),
    "layanan_terpadu": (
        ("Uji coba satu loket untuk KK dan surat pindah", "Meja front office dipisah dari back office (uji coba)"),
        ("Foto ruang layanan terpadu satu loket", "Aplikasi pelacakan berkas dipakai semua seksi"),
    ),
    "paten": (
        ("Inventarisasi kewenangan yang akan dilimpahkan", "Draf daftar layanan PATEN dibahas dengan Bagian Hukum"),
        ("Layanan PATEN berjalan sesuai Perbup pelimpahan kewenangan", "Foto loket PATEN dan daftar layanan"),
    ),
    "permohonan_daring": (
        ("Nomor WhatsApp layanan diuji di 2 desa", "Formulir daring diuji untuk surat keterangan"),
        ("Rekap permohonan daring bulan pertama", "Tangkapan layar formulir daring di situs kecamatan"),
    ),
    "tte": (
        ("Akun BSrE camat dan sekcam aktif, uji coba surat keterangan",),
        ("Contoh dokumen ber-TTE BSrE", "Rekap dokumen ber-TTE bulan pertama"),
    ),
    "skm_digital": (
        ("Kios SKM dipasang di ruang tunggu (uji coba)", "Tautan SKM dibagikan lewat WhatsApp (uji coba)"),
        ("Rekap SKM kios bulan pertama",),
    ),
    "pengaduan_terintegrasi": (
        ("Admin SP4N-LAPOR! kecamatan ditunjuk, uji coba disposisi",),
        ("Rekap tindak lanjut SP4N-LAPOR! bulan pertama",),
    ),
    "standar_pelayanan": (
        ("Draf standar pelayanan 14 komponen dibahas dengan forum warga",),
        ("Foto maklumat dan standar pelayanan di ruang tunggu", "Standar pelayanan diunggah di situs kecamatan"),
    ),
    "jemput_bola": (
        ("Uji coba layanan keliling di 2 desa",),
        ("Jadwal layanan keliling ke desa dan foto kegiatan",),
    ),
    "papan_kinerja": (
        ("Papan capaian bulanan dipasang di lobi (uji coba)",),
        ("Foto papan kinerja dan tautan dasbor",),
    ),
}
BUKTI_UMUM = (("Uji coba di loket utama",), ("Foto kegiatan dan rekap bulan pertama",))


# --- catalogue ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Kecamatan:
    kode: str
    nama: str
    wilayah: str
    desa: int
    kelurahan: int

    @property
    def urban(self) -> bool:
        return self.desa == 0  # only kelurahan: a town


@dataclass(frozen=True)
class Indikator:
    kode: str
    arah: str
    frekuensi: str
    pilar: str
    lantai: float | None
    batas_min: float
    batas_max: float


@dataclass(frozen=True)
class Katalog:
    kecamatan: list[Kecamatan]  # sorted by kode
    indikator: list[Indikator]  # catalogue order (urutan)
    model: dict[str, float]
    inovasi: dict[str, list[str]]  # code -> linked indicators, catalogue order



def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_catalogue(data_dir: Path) -> Katalog:
    kecamatan = sorted(
        (
            Kecamatan(r["kode"], r["nama"], r["wilayah"], int(r["desa"]), int(r["kelurahan"]))
            for r in _read_csv(data_dir / "reference" / "kecamatan.csv")
        ),
        key=lambda k: k.kode,
    )
    rows = sorted(_read_csv(data_dir / "catalog" / "indikator.csv"), key=lambda r: int(r["urutan"]))
    indikator = [
        Indikator(
            r["kode"],
            r["arah"],
            r["frekuensi"],
            r["pilar"],
            float(r["lantai"]) if r["lantai"] else None,
            float(r["batas_min"]),
            float(r["batas_max"]),
        )
        for r in rows
    ]
    model = {r["indikator"]: float(r["nilai"]) for r in _read_csv(data_dir / "catalog" / "model.csv")}
    inovasi = {
        r["kode"]: [code for code in r["indikator"].split(";") if code]
        for r in _read_csv(data_dir / "catalog" / "inovasi.csv")
    }
    return Katalog(kecamatan, indikator, model, inovasi)
