"""Script runs take turns (ui.turn, app.py, #24): one at a time, a run that waited TURN_WAIT_S goes
ahead anyway, and a turn is given back however the run ends (st.stop, a rerun, an error)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from metrics.app import ui


def test_a_run_has_the_interpreter_to_itself_and_gives_it_back():
    with ui.turn():
        assert ui._TURN.locked()
    assert not ui._TURN.locked()


@pytest.mark.parametrize("ending", [RuntimeError, KeyboardInterrupt])
def test_the_turn_is_given_back_when_a_run_ends_with_an_exception(ending):
    with pytest.raises(ending), ui.turn():
        raise ending()
    assert not ui._TURN.locked()


def test_a_run_that_waited_goes_ahead_without_taking_the_others_turn(monkeypatch):
    """A long run (an upload being read) holds its turn: the next one waits TURN_WAIT_S, then runs
    beside it, and leaving does not release the long run's turn."""
    monkeypatch.setattr(ui, "TURN_WAIT_S", 0.01)
    holding, done = threading.Event(), threading.Event()

    def long_run():
        with ui.turn():
            holding.set()
            done.wait(10)

    other = threading.Thread(target=long_run)
    other.start()
    try:
        assert holding.wait(10)
        ran = []
        with ui.turn():
            ran.append(True)
        assert ran and ui._TURN.locked()  # still the long run's
    finally:
        done.set()
        other.join(10)
    assert not ui._TURN.locked()


def test_app_runs_the_frame_and_its_page_in_a_turn():
    source = (Path(__file__).resolve().parent.parent / "app.py").read_text(encoding="utf-8")
    assert "with ui.turn():" in source
    body = source.split("with ui.turn():", 1)[1]
    assert "page.run()" in body and "st.set_page_config(" in body
