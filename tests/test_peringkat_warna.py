"""The league table's colours: made once per table (cache.PlainStyler) and sent as a plain Styler sends them."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.elements.lib.pandas_styler_utils import marshall_styler
from streamlit.proto.ArrowData_pb2 import ArrowData as ArrowProto

from metrics.app import peringkat, tampilan, ui
from metrics.presentation import tabel


def _sent(styler) -> ArrowProto:
    proto = ArrowProto()
    marshall_styler(proto, styler, "tidak-dipakai")
    return proto


def _display(proto: ArrowProto) -> pd.DataFrame:
    return pa.ipc.open_stream(proto.styler.display_values).read_all().to_pandas()


@pytest.mark.parametrize("measure", ["indeks", "ikm"])
def test_the_colours_are_sent_once_made_and_as_a_plain_styler_sends_them(demo_db, use_db, measure):
    use_db(demo_db)
    periode = ui.periods()[-1]
    frame, styled, coloured = peringkat.league_frame(periode, measure, "")
    shown = tampilan.ranked_rows(periode, measure, "")
    classes = tabel.colour_classes(shown, measure)
    plain = frame.style.apply(lambda values: [f"background-color: {peringkat.CATEGORY_COLOURS[int(c)]}"
                                              if pd.notna(c) else "" for c in classes], subset=[coloured])
    plain.set_uuid("peringkat")
    first, again, expected = _sent(styled), _sent(styled), _sent(plain)
    assert first == again, "the kept colours are not changed by being sent"
    assert peringkat.league_frame(periode, measure, "")[1].data is not styled.data, "each caller its own data"
    assert first.styler.styles == expected.styler.styles
    column = list(frame.columns).index(coloured)
    for colour in {peringkat.CATEGORY_COLOURS[int(c)] for c in classes if pd.notna(c)}:
        assert f"background-color: {colour}" in first.styler.styles
    rows = [r for r, c in enumerate(classes) if pd.notna(c)]
    assert rows and all(f"#T_peringkat_row{r}_col{column}" in first.styler.styles for r in rows)
    pd.testing.assert_frame_equal(_display(first), _display(expected))
