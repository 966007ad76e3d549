"""Importing files: read CSV/XLSX, validate every cell, preview, then write one batch.

Pure engine (no Streamlit). The page and the CLI call the same three steps:

    rencana = prepare(store, content, "januari.xlsx", jenis="auto", akun=akun)   # dry run
    rencana.masalah / rencana.perubahan / rencana.laporan()                        # what to fix / what changes
    hasil = impor(store, rencana, oleh="nama", demo="hapus" | "pertahankan" | None, akun=akun, catatan=None)

Rules (messages in the active language, metrics/core/teks/impor.toml; every problem listed, not
only the first; each names the file's sheet, row and column and what was expected):

- Files: at most MAX_BYTES, MAX_ROWS rows holding a value, MAX_COLUMNS columns and MAX_CELLS
  cells (rows × columns, the whole file), checked while streaming, before any table is built; CSV in UTF-8 (with or without BOM),
  UTF-16 with BOM or Windows-1252, separated by comma, semicolon or tab, read strictly (an unclosed
  quote or a row with more or fewer fields than the header is an error naming the row); XLSX only (old
  .xls is refused). XLSX is read with defusedxml active (openpyxl uses it when installed);
  zip entries may not inflate beyond MAX_UNZIPPED or 100×; formulas count with their stored
  value (a formula without a stored value is an error naming the cell); merged cells are
  refused (every cell must hold its own value).
- Numbers: 12,5 · 1.234,5 · 1.234.567 · 1234.5 · 1234 in ASCII digits; a trailing % is dropped (75 % = 75).
  '1.234' (a dot followed by exactly three digits, no comma) is ambiguous and refused.
- Periods: YYYY-MM (or a date cell), from EARLIEST up to the current month.
- Values within the indicator's batas_min…batas_max from the catalogue; model values only for
  scored indicators (scored_problem, the catalogue editor's rule too). Free text ≤ 500 characters.
  An optional `kecamatan` name must be the code's name (case and spaces aside) or empty.
- Text a spreadsheet would run as a formula (=, +, -, @) is kept as text; every export and
  the downloadable report neutralise it.
- Roles: an operator may import only observasi, skm and adopsi rows of their own kecamatan;
  a viewer nothing; an admin everything. The CLI (akun=None) is the server administrator.
- Plausibility (metrics/engine/kewajaran.py): a new or changed observation far outside its
  kecamatan's usual band is listed in plan.cek ("perlu dicek", with the usual value); impor()
  refuses the file (PerluDicek) unless terima_peringatan, and stores confirmed ones as such.
- Final months (metrics/engine/bulan.closed_by_admin): new or changed observation values in a month
  an admin closed are listed in plan.bulan_final; impor() refuses them (BulanFinal) unless an admin
  (or the CLI) gives koreksi_final. The month stays final; the batch note records the correction.
  Opening the month first (tiru buka-bulan, Kelola Data → Pelaporan bulanan) needs no flag.
- Changes: a row is new (no current value), changed (value, sumber or catatan differ from
  the current effective one) or unchanged. Only new and changed rows are written; a file
  with nothing new writes no batch ("tidak ada perubahan").
"""

from metrics.ingest.checks import MAX_TEXT
from metrics.ingest.readers import (
    MAX_BYTES,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_UNZIPPED,
    Masalah,
    Tabel,
    read,
    too_big,
)
from metrics.ingest.rencana import Rencana, final_teks
from metrics.ingest.validation import ADMIN_ONLY, COLUMNS, JENIS, check_role, model_problem, prepare, scored_problem
from metrics.ingest.values import EARLIEST, BadValue, angka, bulan, bulat, number_style, tanggal
from metrics.ingest.write import BulanFinal, DemoBelumDiputuskan, Ditolak, Hasil, PerluDicek, edit_catalogue, impor

__all__ = [
    "ADMIN_ONLY",
    "COLUMNS",
    "MAX_TEXT",
    "EARLIEST",
    "JENIS",
    "MAX_BYTES",
    "MAX_CELLS",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "MAX_UNZIPPED",
    "BulanFinal",
    "DemoBelumDiputuskan",
    "Ditolak",
    "Hasil",
    "Masalah",
    "PerluDicek",
    "Rencana",
    "Tabel",
    "BadValue",
    "angka",
    "bulan",
    "bulat",
    "check_role",
    "edit_catalogue",
    "final_teks",
    "impor",
    "model_problem",
    "number_style",
    "prepare",
    "read",
    "scored_problem",
    "tanggal",
    "too_big",
]
