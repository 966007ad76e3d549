"""Which batches count and which batch wins: one rule each for every kind of row (observations,
adoption events and their undos, targets, catalogue edits, SKM results, a month's closing)."""

# Which batches count: every batch that was not reverted. A reverted batch keeps its rows and its
# record (batch_batal, for audit); every read of rows that count joins the view batch_berlaku
# (`JOIN batch_berlaku b ON b.id = x.batch`, or `x.batch IN (SELECT id FROM batch_berlaku)`) and
# never writes the filter by hand (tests/test_urutan.py). The view is the batch table without the
# reverted batches, its rowid kept (WINS orders by it). It is made on each connection (define_live)
# rather than stored in the file, so every file reads the same way: an old backup restored, the
# synthetic national file, a database built before the view existed.
LIVE_BATCHES = "batch_berlaku"
_LIVE_SQL = """CREATE OR REPLACE {temp} VIEW {view} AS
SELECT *, rowid AS rowid FROM {db}batch WHERE id NOT IN (SELECT batch FROM {db}batch_batal)"""


def define_live(con, database: str | None = None) -> None:
    """Make the view batch_berlaku on `con`. database None: `con` is a connection to the file itself
    (a build after its schema, a write): a temporary view of this connection only, never stored. A
    name: the file is attached under it to an in-memory instance (the Store): the view is made in the
    instance's own catalog (`memory`), over the attached file's tables; cursors find it through
    SEARCH_PATH."""
    if database is None:
        con.execute(_LIVE_SQL.format(temp="TEMP", view=LIVE_BATCHES, db=""))
    else:
        con.execute(_LIVE_SQL.format(temp="", view=f"memory.main.{LIVE_BATCHES}", db=f"{database}.main."))


def search_path(database: str) -> str:
    """The statement a cursor of the Store runs first (in place of USE): the attached file's tables,
    then the view; the file stays the current database."""
    return f"SET search_path = '{database}.main,memory.main'"


# Which batch wins a cell (kecamatan × month × indicator, an event's stage, a target, an edit, a
# month's closing): a real value always outranks a demo value, by rule and not by time (a rebuild
# loads the demo again, with a newer time); among real values the later batch wins by its sequence
# in the batch table (rowid: the order batches were written, carried in order by a rebuild), never
# by its clock time (a clock that ran ahead must not make later imports lose). Only batches that
# count take part (`b` is batch_berlaku).
WINS = "b.demo, b.rowid DESC"
