-- Tiru's DuckDB schema. Built from the committed CSV files under data/ by `tiru build`.
-- Grain and units are given per table; periods are the first day of their month.

-- One row per kecamatan of the configured kabupaten and of the model's kabupaten (default Asahan and
-- Cimahi; metrics/data/wilayah.py, recorded in meta as wilayah / model). Real facts, each row with its source.
CREATE TABLE kecamatan (
    kode            VARCHAR PRIMARY KEY,   -- Kemendagri code, e.g. 12.09.19
    nama            VARCHAR NOT NULL,
    wilayah         VARCHAR NOT NULL,      -- role: the kabupaten's short name (Asahan) | the model's (Cimahi)
    kabupaten_kota  VARCHAR NOT NULL,
    desa            INTEGER NOT NULL,
    kelurahan       INTEGER NOT NULL,
    penduduk        INTEGER,               -- missing stays NULL: years differ, 11 unknown
    tahun_penduduk  INTEGER,
    luas_km2        DOUBLE,
    lat             DOUBLE,                -- approximate polygon centroid; NULL: no centre known
    lon             DOUBLE,
    sumber          VARCHAR NOT NULL
);

-- Pillars of the composite; bobot is relative (normalised by the sum when scoring).
CREATE TABLE pilar (
    kode    VARCHAR PRIMARY KEY,
    nama    VARCHAR NOT NULL,
    nama_en VARCHAR NOT NULL,
    bobot   DOUBLE NOT NULL CHECK (bobot >= 0),
    urutan  INTEGER NOT NULL
);

-- Indicator catalogue. pilar NULL = context only, not scored.
CREATE TABLE indikator (
    kode       VARCHAR PRIMARY KEY,
    nama       VARCHAR NOT NULL,
    nama_en    VARCHAR NOT NULL,
    satuan     VARCHAR NOT NULL,
    arah       VARCHAR NOT NULL CHECK (arah IN ('higher', 'lower')),
    frekuensi  VARCHAR NOT NULL CHECK (frekuensi IN ('bulanan', 'semesteran', 'tahunan')),
    pilar      VARCHAR REFERENCES pilar (kode),
    lantai     DOUBLE,                  -- floor of the distance-to-frontier score
    batas_min  DOUBLE NOT NULL,         -- allowed range of a value
    batas_max  DOUBLE NOT NULL,
    urutan     INTEGER NOT NULL,
    definisi   VARCHAR NOT NULL,
    definisi_en VARCHAR,                -- English definition (the switch ?bahasa=en)
    sumber     VARCHAR NOT NULL
);

-- The model (frontier): one value per scored indicator, with its source and date.
CREATE TABLE model (
    indikator VARCHAR PRIMARY KEY REFERENCES indikator (kode),
    nilai     DOUBLE NOT NULL,
    sumber    VARCHAR NOT NULL,
    sumber_en VARCHAR,              -- English wording of a source Tiru wrote itself (the sample values)
    tanggal   DATE NOT NULL
);

-- Every load of observations or events is a batch; demo = the generated demo dataset.
CREATE TABLE batch (
    id      VARCHAR PRIMARY KEY,
    jenis   VARCHAR NOT NULL,
    berkas  VARCHAR NOT NULL,
    sha256  VARCHAR NOT NULL,
    oleh    VARCHAR NOT NULL,
    waktu   TIMESTAMP NOT NULL,
    demo    BOOLEAN NOT NULL
);

-- One value per kecamatan, month and indicator per batch (units: the indicator's satuan).
-- No primary key: its index was most of a national-scale file. Every write is a new batch, so
-- store.write() checks that the incoming batch holds each (kecamatan, periode, indikator) once.
CREATE TABLE observasi (
    kode_kecamatan VARCHAR NOT NULL REFERENCES kecamatan (kode),
    periode        DATE NOT NULL,
    indikator      VARCHAR NOT NULL REFERENCES indikator (kode),
    nilai          DOUBLE NOT NULL,
    sumber         VARCHAR NOT NULL,
    catatan        VARCHAR,
    batch          VARCHAR NOT NULL REFERENCES batch (id)
);

-- Outliers an operator confirmed at import (plausibility control, metrics/engine/kewajaran.py):
-- one row per observation cell of a batch whose value lay outside the kecamatan's usual band.
-- The mark belongs to that batch's value only: a later batch for the cell carries its own.
-- biasa = the usual value (median of the history), bawah/atas = the band, in the indicator's unit
-- (NULL for the demo's explained outlier, marked by the demo build).
CREATE TABLE observasi_pencilan (
    kode_kecamatan VARCHAR NOT NULL REFERENCES kecamatan (kode),
    periode        DATE NOT NULL,
    indikator      VARCHAR NOT NULL REFERENCES indikator (kode),
    batch          VARCHAR NOT NULL REFERENCES batch (id),
    biasa          DOUBLE,
    bawah          DOUBLE,
    atas           DOUBLE,
    PRIMARY KEY (kode_kecamatan, periode, indikator, batch)
);

-- Innovation catalogue and the indicators each is expected to move; ukur: the innovation itself
-- changes how that indicator is measured or is part of what it counts (no impact verdict then).
CREATE TABLE inovasi (
    kode      VARCHAR PRIMARY KEY,
    nama      VARCHAR NOT NULL,
    nama_en   VARCHAR NOT NULL,
    deskripsi VARCHAR NOT NULL,
    deskripsi_en VARCHAR,
    urutan    INTEGER NOT NULL
);
CREATE TABLE inovasi_indikator (
    inovasi   VARCHAR NOT NULL REFERENCES inovasi (kode),
    indikator VARCHAR NOT NULL REFERENCES indikator (kode),
    ukur      BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (inovasi, indikator)
);

-- Adoption events in the order they were recorded (urutan); the stage is derived from them.
CREATE TABLE adopsi (
    urutan         INTEGER PRIMARY KEY,     -- recording order; renumbered on rebuild, order kept
    id             VARCHAR NOT NULL UNIQUE, -- stable: demo-<line> or a random hex id
    kode_kecamatan VARCHAR NOT NULL REFERENCES kecamatan (kode),
    inovasi        VARCHAR NOT NULL REFERENCES inovasi (kode),
    tahap          INTEGER NOT NULL CHECK (tahap BETWEEN 0 AND 4),
    tanggal        DATE NOT NULL,
    bukti          VARCHAR,
    oleh           VARCHAR,
    batch          VARCHAR NOT NULL REFERENCES batch (id)
);

-- An event entered by mistake is undone, not deleted: the history stays. An undo whose batch
-- was reverted no longer counts, and the event may be undone again (at most one undo in force).
CREATE TABLE adopsi_batal (
    adopsi_id VARCHAR NOT NULL,
    alasan    VARCHAR NOT NULL,
    oleh      VARCHAR NOT NULL,
    waktu     TIMESTAMP NOT NULL,
    batch     VARCHAR NOT NULL REFERENCES batch (id),
    PRIMARY KEY (adopsi_id, batch)
);

-- Targets: stage to reach by a date, for every kecamatan (kode_kecamatan NULL) or one.
CREATE TABLE target (
    inovasi        VARCHAR NOT NULL REFERENCES inovasi (kode),
    tahap          INTEGER NOT NULL CHECK (tahap BETWEEN 1 AND 4),
    tanggal        DATE NOT NULL,
    kode_kecamatan VARCHAR REFERENCES kecamatan (kode),
    batch          VARCHAR NOT NULL REFERENCES batch (id)
);

-- Performance targets: an indicator value to reach by a date, for all Asahan kecamatan
-- (kode_kecamatan NULL) or one. nilai in the indicator's unit.
CREATE TABLE target_indikator (
    indikator      VARCHAR NOT NULL REFERENCES indikator (kode),
    nilai          DOUBLE NOT NULL,
    tanggal        DATE NOT NULL,
    kode_kecamatan VARCHAR REFERENCES kecamatan (kode),
    batch          VARCHAR NOT NULL REFERENCES batch (id)
);

-- Ombudsman RI compliance, kabupaten/kota level, real (score 0–100, NULL when only a zone was reported).
CREATE TABLE ombudsman (
    wilayah   VARCHAR NOT NULL,
    kode      VARCHAR NOT NULL,
    tahun     INTEGER NOT NULL,
    nilai     DOUBLE,
    zona      VARCHAR,
    kategori  VARCHAR,
    sumber    VARCHAR NOT NULL
);

-- What each batch did: rows read from its file, and new / changed / unchanged values.
CREATE TABLE batch_ringkasan (
    batch    VARCHAR PRIMARY KEY REFERENCES batch (id),
    baris    INTEGER NOT NULL,
    baru     INTEGER NOT NULL,
    berubah  INTEGER NOT NULL,
    sama     INTEGER NOT NULL,
    catatan  VARCHAR
);

-- A reverted batch keeps its rows and its record (audit); every read ignores them, through the view
-- batch_berlaku (the batches that count), made on each connection by metrics/data/urutan.py.
-- oleh_batch is the batch (jenis 'batal') that did the revert.
CREATE TABLE batch_batal (
    batch      VARCHAR PRIMARY KEY REFERENCES batch (id),
    alasan     VARCHAR NOT NULL,
    oleh       VARCHAR NOT NULL,
    waktu      TIMESTAMP NOT NULL,
    oleh_batch VARCHAR NOT NULL REFERENCES batch (id)
);

-- Edits of the catalogue by an admin, versioned: the latest non-reverted edit of a
-- (jenis, kode) wins over the committed catalogue; older edits stay as history.
-- jenis model: kode = indikator, nilai in its unit, with sumber and tanggal;
-- lantai: kode = indikator (floor); bobot: kode = pilar (relative weight).
CREATE TABLE katalog_ubah (
    jenis   VARCHAR NOT NULL CHECK (jenis IN ('model', 'lantai', 'bobot')),
    kode    VARCHAR NOT NULL,
    nilai   DOUBLE NOT NULL,
    sumber  VARCHAR,
    tanggal DATE,
    batch   VARCHAR NOT NULL REFERENCES batch (id),
    PRIMARY KEY (jenis, kode, batch)
);

-- IKM computed from raw SKM answers (PermenPAN-RB 14/2017), one row per kecamatan and
-- semester (periode = the semester's last month). NRR per unsur 1–4, ikm 25–100. The
-- overall IKM also goes into observasi (indikator 'ikm') with the same batch.
CREATE TABLE skm_hasil (
    kode_kecamatan VARCHAR NOT NULL REFERENCES kecamatan (kode),
    periode        DATE NOT NULL,
    responden      INTEGER NOT NULL,
    nrr_u1 DOUBLE NOT NULL, nrr_u2 DOUBLE NOT NULL, nrr_u3 DOUBLE NOT NULL,
    nrr_u4 DOUBLE NOT NULL, nrr_u5 DOUBLE NOT NULL, nrr_u6 DOUBLE NOT NULL,
    nrr_u7 DOUBLE NOT NULL, nrr_u8 DOUBLE NOT NULL, nrr_u9 DOUBLE NOT NULL,
    ikm            DOUBLE NOT NULL,
    mutu           VARCHAR,
    batch          VARCHAR NOT NULL REFERENCES batch (id),
    PRIMARY KEY (kode_kecamatan, periode, batch)
);

-- Build facts: fingerprint of the sources the file was built from, when it was built, the configuration
-- it was built for (wilayah = kabupaten/kota code, model = kecamatan code; a file without them is
-- 12.09 / 32.77.02), and demo_dihapus (timestamp) once the demo dataset was removed: never loaded again.
CREATE TABLE meta (
    kunci VARCHAR PRIMARY KEY,
    nilai VARCHAR NOT NULL
);

-- Closing (aksi 'tutup': the month becomes final) and reopening ('buka', with a reason) of a
-- reporting month by an admin; each action is its own batch (who, when). The latest action of a
-- month that was not reverted decides. The demo build records its complete months as closed by
-- rule, in one demo batch. periode = first day of the month.
CREATE TABLE bulan_tutup (
    periode DATE NOT NULL,
    aksi    VARCHAR NOT NULL CHECK (aksi IN ('tutup', 'buka')),
    alasan  VARCHAR,
    batch   VARCHAR NOT NULL REFERENCES batch (id)
);
