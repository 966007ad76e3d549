"""Dependencies: the lock files agree with pyproject.toml, and every third-party internal that Tiru
relies on still exists. One test per internal, named after it, so an upgrade says where it broke
(the upper bounds in pyproject.toml keep such an upgrade from arriving unannounced)."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _pins(lock: Path) -> dict[str, str]:
    """name → pinned version, from a pip-compile lock file (every pin must carry a hash)."""
    text = lock.read_text(encoding="utf-8")
    pins = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        match = re.match(r"([A-Za-z0-9_.\-]+)==([^\s\\;]+)", block)
        if match:
            assert "--hash=sha256:" in block, f"{lock.name}: {match.group(1)} has no hash"
            pins[_norm(match.group(1))] = match.group(2)
    return pins


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@pytest.mark.parametrize(("lock", "extras"), [("requirements.lock", ()), ("requirements-test.lock", ("test",))])
def test_lock_file_pins_every_requirement_within_its_range(lock, extras):
    pins = _pins(ROOT / lock)
    wanted = [Requirement(r) for r in PROJECT["dependencies"]]
    for extra in extras:
        wanted += [Requirement(r) for r in PROJECT["optional-dependencies"][extra]]
    for requirement in wanted:
        name = _norm(requirement.name)
        assert name in pins, f"{lock}: {requirement.name} is not pinned; regenerate it (docs/pengembangan.md)"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"{lock}: {requirement.name}=={pins[name]} is outside {requirement.specifier}")


def test_runtime_lock_is_the_test_lock_without_test_tools():
    runtime, test = _pins(ROOT / "requirements.lock"), _pins(ROOT / "requirements-test.lock")
    for name, version in runtime.items():
        assert test.get(name) == version, f"{name}: {version} in requirements.lock, {test.get(name)} in the test lock"


def test_installed_versions_are_the_locked_ones():
    """The environment the tests run in is the locked one (CI installs from the lock)."""
    pins = _pins(ROOT / "requirements-test.lock")
    for name in ("streamlit", "duckdb", "pandas", "plotly", "openpyxl", "python-pptx"):
        assert metadata.version(name) == pins[name], f"{name} installed {metadata.version(name)}, locked {pins[name]}"


# --- internals -----------------------------------------------------------------------------------

def test_openpyxl_worksheetparser_streams_cells_with_formula_tag():
    """metrics/ingest/readers.py streams a sheet's XML through openpyxl's internal WorkSheetParser."""
    import inspect

    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    assert FORMULA_TAG.endswith("}f")
    parameters = inspect.signature(WorkSheetParser.__init__).parameters
    for name in ("src", "shared_strings", "data_only", "epoch", "date_formats", "timedelta_formats"):
        assert name in parameters, f"WorkSheetParser lost its {name} argument"
    assert callable(WorkSheetParser.parse) and callable(WorkSheetParser.parse_cell)


def test_openpyxl_worksheet_source_and_shared_strings():
    """The reader opens a read-only sheet's XML with ws._get_source() and its ws._shared_strings."""
    from io import BytesIO

    from openpyxl import Workbook, load_workbook
    from openpyxl.worksheet._reader import WorkSheetParser

    book = Workbook()
    book.active.append(["kode", "nilai"])
    buffer = BytesIO()
    book.save(buffer)
    sheet = load_workbook(BytesIO(buffer.getvalue()), read_only=True).active
    book = sheet.parent
    with sheet._get_source() as source:  # exactly how readers._read_sheet drives the parser
        parser = WorkSheetParser(source, sheet._shared_strings, data_only=True, epoch=book.epoch,
                                 date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
        rows = [[cell["value"] for cell in cells] for _, cells in parser.parse()]
    assert rows == [["kode", "nilai"]]


def test_python_pptx_axis_element_is_the_category_axis_xml():
    """metrics/reports/pptx_pack.py writes c:tickLblSkip into axis._element (no API for it)."""
    from pptx import Presentation
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.util import Inches

    data = CategoryChartData()
    data.categories = ["a", "b"]
    data.add_series("s", (1, 2))
    slide = Presentation().slides.add_slide(Presentation().slide_layouts[6])
    chart = slide.shapes.add_chart(XL_CHART_TYPE.LINE, 0, 0, Inches(4), Inches(3), data).chart
    assert chart.category_axis._element.tag.endswith("}catAx")


def test_streamlit_pages_manager_uses_pages_directory():
    """metrics/ops/serve.py turns off Streamlit's pages/ folder discovery (app.py lists the pages)."""
    from streamlit.runtime.pages_manager import PagesManager

    assert hasattr(PagesManager, "uses_pages_directory")


def test_streamlit_stop_exception_and_script_run_context():
    """metrics/app/bagikan.py draws its row also when a page stops (StopException) and reads the
    current page from the script-run context's pages manager."""
    from streamlit.runtime.scriptrunner_utils.exceptions import StopException
    from streamlit.runtime.scriptrunner_utils.script_run_context import ScriptRunContext, get_script_run_ctx

    assert issubclass(StopException, BaseException)
    assert get_script_run_ctx() is None  # outside a script run
    fields = getattr(ScriptRunContext, "__dataclass_fields__", {})
    assert "pages_manager" in fields
    from streamlit.runtime.pages_manager import PagesManager

    assert callable(PagesManager.get_pages) and hasattr(PagesManager, "current_page_script_hash")


def test_streamlit_script_run_context_logger_name():
    """serve.py and the bench quiet this logger's 'missing ScriptRunContext' warnings by its name."""
    import logging

    import streamlit.runtime.scriptrunner_utils.script_run_context as module

    assert module.__name__ == "streamlit.runtime.scriptrunner_utils.script_run_context"
    assert isinstance(logging.getLogger(module.__name__), logging.Logger)


def test_streamlit_plotly_chart_encodes_the_figures_dict_with_plotly_io_to_json():
    """metrics/app/cache.py keeps a shared figure's JSON by wrapping plotly.io.to_json, which
    st.plotly_chart looks up at each call and gives the figure's dict form (to_dict, via plotly.tools)."""
    import inspect

    import plotly.tools
    import streamlit.elements.plotly_chart as module

    source = inspect.getsource(module)
    assert "plotly.io.to_json(figure, validate=False)" in source
    assert "return_figure_from_figure_or_data(" in source
    import plotly.graph_objects as go

    class Marked(go.Figure):
        def to_dict(self):
            return {"marked": True, **super().to_dict()}

    assert plotly.tools.return_figure_from_figure_or_data(Marked(), validate_figure=True)["marked"]


def test_pandas_styler_compute_translate_and_streamlit_calls_them():
    """metrics/app/cache.py (PlainStyler) computes a kept Styler once and translates it once per
    set of arguments, replacing Styler._compute and Styler._translate, which Streamlit's dataframe
    marshalling calls on every run; cell_ids=False leaves ids only on styled cells."""
    import inspect

    import pandas as pd
    from pandas.io.formats.style import Styler
    from streamlit.elements.lib import pandas_styler_utils

    source = inspect.getsource(pandas_styler_utils)
    assert "styler._compute()" in source and "styler._translate(False, False)" in source
    styler = Styler(pd.DataFrame({"a": [1, 2]}), uuid="x")
    styler.cell_ids = False
    assert callable(styler._compute) and callable(styler._translate)
    assert "body" in styler._compute()._translate(False, False)


def test_pandas_dataframe_from_arrays_builds_a_frame_from_column_arrays():
    """metrics/app/cache.py (PlainFrame.frame) gives every caller its frame with DataFrame._from_arrays,
    pandas' own constructor from column arrays (2,5× faster than DataFrame(dict) on a page's frames)."""
    import numpy as np
    import pandas as pd

    columns = pd.MultiIndex.from_tuples([("x", "a"), ("x", "b")])
    arrays = [np.array([1.0, 2.0]), pd.array(["p", None], dtype="string")]
    made = pd.DataFrame._from_arrays(arrays, columns=columns, index=pd.Index(["k", "l"]), verify_integrity=False)
    expected = pd.DataFrame({("x", "a"): [1.0, 2.0], ("x", "b"): pd.array(["p", None], dtype="string")},
                            index=["k", "l"])
    pd.testing.assert_frame_equal(made, expected)


def test_streamlit_websocket_protocol_messages():
    """metrics/ops/beban.py (tiru bench) speaks Streamlit's websocket protocol with its protobufs."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    assert "rerun_script" in BackMsg.DESCRIPTOR.fields_by_name
    assert "delta" in ForwardMsg.DESCRIPTOR.fields_by_name


def _css_testids() -> set[str]:
    found = set()
    for path in [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "metrics").rglob("*.py")]:
        found |= set(re.findall(r'data-testid="(st[A-Za-z0-9-]+)"', path.read_text(encoding="utf-8")))
    return found


def _in_bundle(testid: str, bundle: str) -> bool:
    """Literally (`stMetric`, "stMetric"), or built from a template (`stAlertContent${kind}` makes
    stAlertContentWarning)."""
    if f"`{testid}`" in bundle or f'"{testid}"' in bundle:
        return True
    return any(f"`{testid[:cut]}${{" in bundle for cut in range(len(testid) - 1, 5, -1))


def test_streamlit_frontend_still_has_every_data_testid_our_css_selects():
    """The app's CSS (Mode Rapat, compact metrics, the demo strip) selects Streamlit's elements by their
    data-testid; each must still exist in Streamlit's front-end bundle."""
    import streamlit

    bundle = "".join(p.read_text(encoding="utf-8", errors="ignore")
                     for p in (Path(streamlit.__file__).parent / "static" / "static" / "js").glob("*.js"))
    testids = _css_testids()
    assert len(testids) >= 10, testids  # the scan itself works
    missing = sorted(t for t in testids if not _in_bundle(t, bundle))
    assert not missing, f"data-testid no longer in Streamlit {streamlit.__version__}: {missing}"
