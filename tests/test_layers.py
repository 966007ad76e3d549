"""The house keeps its plan: imports point down the layers of metrics/ (metrics/README.md), Streamlit
stays in the app adapter, and no room grows too long."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Lower number = lower layer. A module may import its own package and any lower layer, never a
# higher one. ops/ is tooling on the side: it may call everything, nothing calls it.
LAYERS = {"core": 0, "data": 1, "engine": 2, "presentation": 3, "charts": 4, "ingest": 4, "reports": 5, "app": 6,
          "ops": 7}
TOP = 8  # app.py and pages/
# Outside pages/, app.py and metrics/app/, only these run a Streamlit server or its AppTest.
STREAMLIT_DRIVERS = {"metrics.ops.bench", "metrics.ops.bench_apptest", "metrics.ops.beban", "metrics.ops.serve"}
MAX_LINES = 600
MAX_PAGE_LINES = 150


def sources():
    files = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "metrics").rglob("*.py"))]
    return [f for f in files if "__pycache__" not in f.parts]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> int | None:
    """The layer of a module (None for the package roots metrics and metrics.__main__)."""
    parts = module.split(".")
    if parts[0] in ("app", "pages"):
        return TOP
    if parts[0] == "metrics" and len(parts) > 1 and parts[1] in LAYERS:
        return LAYERS[parts[1]]
    return None


def imports(text: str) -> list[tuple[int, str]]:
    """(line, imported module) for every import in a source, `from metrics.x import y` as metrics.x.y
    when y is a module, else metrics.x."""
    found = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                is_module = (ROOT / Path(*full.split("."))).with_suffix(".py").exists() or (
                    ROOT / Path(*full.split("."))).is_dir()
                found.append((node.lineno, full if is_module else node.module))
    return found


def test_every_module_sits_in_a_layer():
    loose = [module_name(f) for f in sources() if layer(module_name(f)) is None
             and module_name(f) not in ("metrics", "metrics.__main__")]
    assert not loose, f"modules outside the layer folders of metrics/: {loose}"


def upward_imports(text: str, here: str) -> list[str]:
    """Imports of `here` that point up or sideways: to a higher or equal layer of another package,
    or into ops/ from outside it."""
    own = layer(here)
    if own is None:
        return []
    package = ".".join(here.split(".")[:2])
    wrong = []
    for line, imported in imports(text):
        if not imported.startswith("metrics.") or imported == package or imported.startswith(package + "."):
            continue
        target = layer(imported)
        if target is None or target >= own or target == LAYERS["ops"]:
            wrong.append(f"line {line}: {imported}")
    return wrong


@pytest.mark.parametrize("path", sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_point_down_the_layers(path):
    wrong = upward_imports(path.read_text(), module_name(path))
    assert not wrong, f"{path.relative_to(ROOT)} imports up or sideways the layers: {wrong}"


def test_the_rule_catches_upward_and_sideways_imports():
    """The check itself can fail."""
    assert upward_imports("from metrics.app import ui\n", "metrics.engine.scoring") == ["line 1: metrics.app.ui"]
    assert upward_imports("import metrics.ingest.templates\n", "metrics.charts.common") == [
        "line 1: metrics.ingest.templates"]
    assert upward_imports("from metrics.ops import cli\n", "pages.kecamatan") == ["line 1: metrics.ops.cli"]
    assert upward_imports("from metrics.data.store import Store\nfrom metrics.engine import scoring\n",
                          "metrics.engine.benchmark") == []


@pytest.mark.parametrize("path", sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_streamlit_only_in_the_app_adapter(path):
    here = module_name(path)
    if layer(here) == TOP or here.startswith("metrics.app") or here in STREAMLIT_DRIVERS:
        return
    uses = [line for line, imported in imports(path.read_text()) if imported.split(".")[0] == "streamlit"]
    assert not uses, f"{path.relative_to(ROOT)} imports streamlit at lines {uses}: move it to metrics/app/"


@pytest.mark.parametrize("path", sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_room_too_long(path):
    lines = len(path.read_text().splitlines())
    limit = MAX_PAGE_LINES if path.parent.name == "pages" else MAX_LINES
    assert lines <= limit, f"{path.relative_to(ROOT)} has {lines} lines (limit {limit}): split it along its seams"


def private_imports(text: str) -> list[str]:
    """Names another module keeps private (a leading underscore) that this source takes: imported
    from a metrics module, or reached as `module._name` through an imported metrics module."""
    tree = ast.parse(text)
    wrong, modules = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("metrics"):
            for alias in node.names:
                full = ROOT / Path(*f"{node.module}.{alias.name}".split("."))
                if full.with_suffix(".py").exists() or full.is_dir():
                    modules.add(alias.asname or alias.name)
                elif alias.name.startswith("_") and not alias.name.startswith("__"):
                    wrong.append(f"line {node.lineno}: {node.module}.{alias.name}")
        elif isinstance(node, ast.Import):
            modules |= {alias.asname or alias.name for alias in node.names if alias.name.startswith("metrics")}
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules
                and node.attr.startswith("_") and not node.attr.startswith("__")):
            wrong.append(f"line {node.lineno}: {node.value.id}.{node.attr}")
    return wrong


@pytest.mark.parametrize("path", sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_takes_another_modules_private_names(path):
    wrong = private_imports(path.read_text())
    assert not wrong, f"{path.relative_to(ROOT)} uses private names of other modules: {wrong} — make them public"


def test_the_private_name_rule_can_fail():
    assert private_imports("from metrics.ingest.values import _fmt, angka\n") == ["line 1: metrics.ingest.values._fmt"]
    assert private_imports("from metrics.data import store\nstore._WINS\n") == ["line 2: store._WINS"]
    assert private_imports("from metrics.data.store import Store\nx = Store._x\n") == []
    assert private_imports("import pandas as pd\npd._libs\n") == []


def import_graph() -> dict[str, set[str]]:
    """Module → the metrics modules it imports (at the top or inside functions)."""
    graph = {}
    for path in sources():
        here = module_name(path)
        graph[here] = {imported for _, imported in imports(path.read_text())
                       if imported.startswith("metrics.") and imported != here}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import circle (as a list of modules), found by a depth-first walk."""
    found, state = [], {}

    def walk(node, trail):
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if nxt not in graph:
                continue
            if state.get(nxt) == "open":
                found.append(trail[trail.index(nxt):] + [nxt])
            elif nxt not in state:
                walk(nxt, trail + [nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            walk(node, [node])
    return found


def test_no_import_circle():
    assert not cycles(import_graph()), "import circles (lazy imports included): " + "; ".join(
        " → ".join(c) for c in cycles(import_graph()))


def test_the_circle_rule_can_fail():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_one_name_per_module_across_layers():
    """A module name says one thing: `bulan` in two layers made every reader ask which one."""
    seen: dict[str, list[str]] = {}
    for path in sources():
        if path.parts[-3:-2] == ("metrics",) and path.name != "__init__.py":
            seen.setdefault(path.stem, []).append(path.parent.name)
    assert not {name: where for name, where in seen.items() if len(where) > 1}
