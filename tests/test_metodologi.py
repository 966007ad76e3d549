"""Metodologi tells the method as it is computed (#14): the composite with "tanpa data = 0" and the
aid over the reported indicators, ranks at the one decimal shown, the real bound of the rounded IKM
weight, and a worked example whose numbers are the engine's."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from page_support import open_page

from metrics.core import formatting
from metrics.engine import benchmark, ikm, metodologi


def test_the_rounded_ikm_weight_shifts_at_most_a_tenth_of_a_point():
    answers = pd.DataFrame({"kode_kecamatan": "A", "periode": 1, **{u: [4] * 30 for u in ikm.UNSUR}})
    exact = ikm.ikm_from_responses(answers, by=["kode_kecamatan", "periode"])["ikm"].iloc[0]
    rounded = sum(answers[u].mean() * 0.111 for u in ikm.UNSUR) * 25  # the spreadsheet way, at its worst
    assert exact == pytest.approx(100) and exact - rounded == pytest.approx(0.1)


def test_metodologi_states_the_method_as_computed(demo_db, use_db):
    at = open_page(demo_db, use_db, "pages/metode.py")
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "0,1 poin" in text and "sekitar 1 poin" not in text
    assert "satu desimal" in text and "dua desimal (seperti" not in text
    assert "tanpa data = 0" in text


def test_worked_example_is_the_engines_numbers(demo_store, demo_db, use_db):
    periode = per_default = demo_store.latest_period()
    example = metodologi.worked_example(demo_store, per_default)
    table = benchmark.league_table(demo_store, periode, draws=0).set_index("kode_kecamatan")
    row = table.loc[example.kode]
    assert example.missing, "the example shows a kecamatan with an indicator counted as 0"
    assert example.frame["w_s"].sum() / example.frame["bobot"].sum() == pytest.approx(row["skor"])
    reported = example.frame.dropna(subset=["nilai"])
    assert reported["w_s"].sum() / reported["bobot"].sum() == pytest.approx(row["skor_dilaporkan"])
    assert (example.frame.loc[example.frame["nilai"].isna(), "skor"] == 0).all()
    at = open_page(demo_db, use_db, "pages/metode.py")
    shown = [d.value for d in at.dataframe if "w·s" in " ".join(map(str, d.value.columns))]
    assert shown, "the worked example table is on the page"
    assert any(formatting.angka(row["skor"], 1) in m.value for m in at.markdown)
    assert np.isfinite(row["skor"])


def test_metodologi_links_the_method_written_in_the_repository(demo_db, use_db):
    at = open_page(demo_db, use_db, "pages/metode.py")
    labels = [d.label for d in at.get("download_button")]
    assert "Metode lengkap: docs/metodologi.md (bahasa Inggris)" in labels
    assert (Path(__file__).resolve().parent.parent / "docs" / "metodologi.md").read_text(encoding="utf-8").startswith(
        "# The method")
