"""The catalogue in force: the committed catalogue (data/catalog/) with an admin's latest edits of
model values, floors and weights (table katalog_ubah). One definition for what the pages read
(Store.indikator, Store.pilar) and what every write guards (writer: each model still beats its floor)."""

from metrics.data.urutan import WINS

# Effective catalogue edits: per (jenis, kode) the latest batch that counts, among edits within
# bounds (a weight 0 < w ≤ MAX_BOBOT, a model value or floor within the indicator's range): a bad
# value stored before a bound existed never reaches a page (it stays in the history, for audit).
MAX_BOBOT = 100.0
EDITS_SQL = f"""
SELECT k.jenis, k.kode, k.nilai, k.sumber, k.tanggal FROM katalog_ubah k JOIN batch_berlaku b ON b.id = k.batch
WHERE isfinite(k.nilai)
  AND CASE WHEN k.jenis = 'bobot' THEN k.nilai > 0 AND k.nilai <= {MAX_BOBOT}
           ELSE EXISTS (SELECT 1 FROM indikator i WHERE i.kode = k.kode AND k.nilai BETWEEN i.batas_min AND i.batas_max)
      END
QUALIFY row_number() OVER (PARTITION BY k.jenis, k.kode ORDER BY {WINS}) = 1
"""

# Every indicator of the catalogue with its floor and model value in force, the model's source and
# date. Grain: one row per indicator, catalogue order; lantai and model in the indicator's unit.
INDIKATOR_SQL = f"""
WITH e AS ({EDITS_SQL})
SELECT i.* REPLACE (coalesce(f.nilai, i.lantai) AS lantai),
       coalesce(em.nilai, m.nilai) AS model,
       CASE WHEN em.nilai IS NULL THEN m.sumber ELSE em.sumber END AS model_sumber,
       CASE WHEN em.nilai IS NULL THEN m.sumber_en END AS model_sumber_en,
       CASE WHEN em.nilai IS NULL THEN m.tanggal ELSE em.tanggal END AS model_tanggal
FROM indikator i LEFT JOIN model m ON m.indikator = i.kode
LEFT JOIN e em ON em.jenis = 'model' AND em.kode = i.kode
LEFT JOIN e f ON f.jenis = 'lantai' AND f.kode = i.kode
ORDER BY i.urutan
"""

# Pillars with their weight in force. Grain: one row per pillar, catalogue order.
PILAR_SQL = f"""
WITH e AS ({EDITS_SQL})
SELECT p.kode, p.nama, p.nama_en, coalesce(e.nilai, p.bobot) AS bobot, p.urutan
FROM pilar p LEFT JOIN e ON e.jenis = 'bobot' AND e.kode = p.kode ORDER BY p.urutan
"""
