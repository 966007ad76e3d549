"""Which batch wins: one rule for every kind of row (observations, adoption events, targets,
catalogue edits, SKM results, a month's closing)."""

# Which batch wins a cell (kecamatan × month × indicator, an event's stage, a target, an edit, a
# month's closing): a real value always outranks a demo value, by rule and not by time (a rebuild
# loads the demo again, with a newer time); among real values the later batch wins by its sequence
# in the batch table (rowid: the order batches were written, carried in order by a rebuild), never
# by its clock time (a clock that ran ahead must not make later imports lose). Reverted batches
# never count (each query filters them).
WINS = "b.demo, b.rowid DESC"
