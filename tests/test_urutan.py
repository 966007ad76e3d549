"""Which batches count is written once (metrics/data/urutan.py: the view batch_berlaku), and every
file reads with it: built, written, or made before the view existed."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb

from metrics.core import periode as per
from metrics.data import urutan
from metrics.data.build import build
from metrics.data.store import Store

ROOT = Path(__file__).resolve().parents[1]

# batch_batal is the record of a revert (who, why, when). Reading that record is allowed; deciding
# by it whether a row counts is the rule, and lives in urutan.py only.
_RECORD_READS = (
    re.compile(r"INSERT INTO batch_batal\b"),
    re.compile(r"LEFT JOIN batch_batal r ON r\.batch = \w+\.(id|batch)\b"),  # its alasan / oleh / waktu
    re.compile(r'"batch_batal"'),  # a table name in a list (what a rebuild carries over)
)


def _sources() -> list[Path]:
    return sorted(p for p in (ROOT / "metrics").rglob("*.py") if p != ROOT / "metrics/data/urutan.py")


def test_the_revert_filter_is_written_in_urutan_only():
    found = []
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"batch_batal", text):
            line = text[text.rfind("\n", 0, match.start()) + 1:text.find("\n", match.end())]
            if not any(pattern.search(line) for pattern in _RECORD_READS):
                found.append(f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, match.start()) + 1}: {line.strip()}")
    assert not found, "filter reverted batches with batch_berlaku (metrics/data/urutan.py), not by hand:\n" + \
        "\n".join(found)


def test_no_read_decides_by_the_revert_record():
    """A LEFT JOIN on batch_batal reads the record's fields; `r.batch IS NULL` would be the rule again."""
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        if "LEFT JOIN batch_batal r" in text:
            assert not re.search(r"\br\.batch IS NULL\b", text), path


def _views(path: Path) -> list[str]:
    with duckdb.connect(":memory:") as con:
        con.execute("ATTACH $p AS f (READ_ONLY)", {"p": str(path)})
        return [r[0] for r in con.execute(
            "SELECT view_name FROM duckdb_views() WHERE database_name = 'f' AND NOT internal").fetchall()]


def test_a_reverted_batch_stops_counting_and_the_view_is_never_stored(small_data_dir, tmp_path):
    db = build(tmp_path / "t.duckdb", small_data_dir, with_demo=True)
    store = Store(db)
    first = store.latest_period()
    kode = store.kecamatan("Asahan")["kode"].iloc[0]
    before = store.observasi(first, first, kecamatan=kode)
    assert not before.empty

    def change(con, batch_id):
        con.execute("""INSERT INTO observasi SELECT kode_kecamatan, periode, indikator, nilai + 1, 'uji', NULL, $b
                       FROM observasi WHERE kode_kecamatan = $k AND periode = $p""",
                    {"b": batch_id, "k": kode, "p": per.to_date(first)})
        return batch_id

    batch_id = store.write(change, jenis="observasi", oleh="uji")
    changed = store.observasi(first, first, kecamatan=kode)
    assert (changed["nilai"].to_numpy() == before["nilai"].to_numpy() + 1).all()
    store.revert(batch_id, oleh="uji", alasan="salah")
    after = store.observasi(first, first, kecamatan=kode)
    assert after["nilai"].tolist() == before["nilai"].tolist()
    assert batch_id in set(store.batches()["id"])  # the rows and the record stay
    assert urutan.LIVE_BATCHES not in _views(db)  # a view of the connection, never of the file
    store.close()


def test_a_file_made_before_the_view_reads_the_same(demo_db, tmp_path):
    """A file holding no view (an old backup restored, the synthetic national file) reads as any."""
    copy = tmp_path / "lama.duckdb"
    shutil.copyfile(demo_db, copy)
    assert _views(copy) == []
    old, new = Store(copy), Store(demo_db)
    month = new.latest_period()
    assert old.observasi(month, month).equals(new.observasi(month, month))
    assert old.target().equals(new.target())
    old.close()
    new.close()
