"""The docs stand alone and stay true: every setting the code reads is documented exactly once,
every Streamlit option set is documented, every module path, file path and Python block in the docs
imports, exists or runs, every command named in the README answers --help, and the README's test
command is what CI runs."""

import contextlib
import importlib
import io
import re
import tomllib
from pathlib import Path

import pytest

from metrics.ops import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "metrics" / "README.md"]
TEXT = {doc: doc.read_text(encoding="utf-8") for doc in DOCS}
CODE = [*sorted((ROOT / "metrics").rglob("*.py")), ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")),
        *sorted((ROOT / "tests").glob("*.py"))]


def _name(doc: Path) -> str:
    return str(doc.relative_to(ROOT))


def settings_read() -> set[str]:
    """Every TIRU_* name the code uses as a string (os.environ.get("TIRU_DB"), GEOJSON_ENV = "TIRU_GEOJSON",
    monkeypatch.setenv(...)) in metrics/ (every subpackage), app.py, pages/ and tests/, and what .ci/run exports."""
    found = set()
    for path in CODE:
        found |= set(re.findall(r"""["'](TIRU_[A-Z_]+)["']""", path.read_text(encoding="utf-8")))
    found |= set(re.findall(r"\bexport (TIRU_[A-Z_]+)=", (ROOT / ".ci" / "run").read_text(encoding="utf-8")))
    return found


def settings_documented() -> dict[str, list[str]]:
    """Each setting's rows in a settings table (`| `TIRU_X` | default | meaning |`), by document."""
    rows: dict[str, list[str]] = {}
    for doc, text in TEXT.items():
        for name in re.findall(r"^\| `(TIRU_[A-Z_]+)` \|", text, re.MULTILINE):
            rows.setdefault(name, []).append(_name(doc))
    return rows


def test_settings_are_found_in_every_subpackage():
    # The scan must see a setting read only in a subpackage (TIRU_GEOJSON in metrics/charts/peta.py,
    # TIRU_LOCK_TIMEOUT in metrics/data/build.py), or the next test would pass without looking.
    assert {"TIRU_DB", "TIRU_GEOJSON", "TIRU_LOCK_TIMEOUT", "TIRU_HARI_INI", "TIRU_REQUIRE_BROWSER"} <= settings_read()


def test_every_setting_read_is_documented_exactly_once():
    documented = settings_documented()
    problems = {name: documented.get(name, []) for name in settings_read() if len(documented.get(name, [])) != 1}
    assert not problems, f"settings not documented exactly once (name: documents with a row): {problems}"


def test_every_setting_documented_is_read():
    assert not set(settings_documented()) - settings_read(), "documented settings that nothing reads"


def test_every_streamlit_option_is_documented():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    for section, options in config.items():
        for option in options:
            name = f"{section}.{option}"
            assert f"`{name}`" in README or (section == "theme" and "`theme.*`" in README), name


def test_readme_test_command_is_what_ci_runs():
    block = re.search(r"<!-- test-command -->\s*```bash\n(.+?)\n```\s*<!-- /test-command -->", README, re.DOTALL)
    assert block and "pytest" in block.group(1)
    assert "test-command" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_is_a_manual_not_a_diary():
    assert len(README.splitlines()) <= 250, "README.md: keep it a manual; details belong in docs/"


def test_docs_cite_nothing_outside_the_repository():
    for doc, text in TEXT.items():
        assert not re.search(r"PRODUCT\.md|ENGINEERING\.md|/work/", text), _name(doc)


# --------------------------------------------------------------------------- module paths and code


def _resolve(dotted: str) -> object:
    """Import the longest module prefix of `dotted`, then read the rest as attributes."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[cut:]:
            obj = getattr(obj, attribute)
        return obj
    raise ModuleNotFoundError(dotted)


def module_paths() -> list[tuple[str, str]]:
    """(document, dotted path) for every `metrics.…` in a code span and every name in a
    `from metrics… import a, b` or `import metrics…` anywhere in the docs (inline commands included)."""
    found = []
    for doc, text in TEXT.items():
        for span in re.findall(r"`([^`\n]+)`", text):
            found += [(_name(doc), m) for m in re.findall(r"^(metrics(?:\.\w+)+)", span)]
        for module, names in re.findall(r"from (metrics[\w.]*) import ([\w, ]+)", text):
            found += [(_name(doc), f"{module}.{n.strip()}") for n in names.split(",") if n.strip()]
        found += [(_name(doc), m) for m in re.findall(r"^\s*import (metrics[\w.]*)", text, re.MULTILINE)]
    return found


def test_docs_name_module_paths():
    assert ("README.md", "metrics.core.bahasa.t") in module_paths()


@pytest.mark.parametrize(("doc", "dotted"), module_paths())
def test_every_module_path_in_the_docs_imports(doc, dotted):
    try:
        _resolve(dotted)
    except (ImportError, AttributeError) as exc:
        pytest.fail(f"{doc}: `{dotted}` does not import: {exc}")


NEVER_COMMITTED = {".streamlit/secrets.toml"}  # the accounts: written on the server, never in git


def file_paths() -> list[tuple[str, str]]:
    """(document, path) for every repository path in a code span (`metrics/engine/scoring.py`,
    `data/schema.sql`) and every relative Markdown link."""
    found = []
    for doc, text in TEXT.items():
        for span in re.findall(r"`([^`\n]+)`", text):
            if span not in NEVER_COMMITTED and re.fullmatch(r"[\w.-]+(/[\w.-]+)+\.(py|sql|toml|md|conf|csv)", span):
                found.append((_name(doc), span))
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
            if not re.match(r"\w+://", target):
                found.append((_name(doc), target))
    return found


@pytest.mark.parametrize(("doc", "path"), file_paths())
def test_every_file_path_in_the_docs_exists(doc, path):
    here = (ROOT / doc).parent
    # A path is read from the repository root or from the document's folder (metrics/README.md: from metrics/).
    assert any((base / path).exists() for base in (ROOT, here)), f"{doc}: {path} does not exist"


def python_blocks() -> list[tuple[str, int, str]]:
    return [(_name(doc), n, block) for doc, text in TEXT.items()
            for n, block in enumerate(re.findall(r"^```python\n(.*?)^```", text, re.MULTILINE | re.DOTALL))]


def test_the_method_has_a_checked_python_block():
    assert any(doc == "docs/metodologi.md" for doc, _, _ in python_blocks())


@pytest.mark.parametrize(("doc", "n", "block"), python_blocks(), ids=lambda v: v if isinstance(v, str) and
                         len(v) < 40 else None)
def test_every_python_block_in_the_docs_runs(doc, n, block):
    exec(compile(block, f"{doc} python block {n + 1}", "exec"), {"__name__": "docs_block"})


# --------------------------------------------------------------------------- the command line


def readme_commands() -> set[str]:
    """Every `tiru COMMAND` in a code span of the README (options before the command skipped)."""
    commands = set()
    for span in re.findall(r"`([^`\n]+)`", README):
        for words in re.findall(r"(?:^|[\s/(])tiru((?: [^\s`]+)+)", span):
            rest = [w for w in words.split() if not w.startswith("-")]
            if words.split()[:1] == ["--bahasa"]:
                rest = rest[1:]  # the language value
            if rest and re.fullmatch(r"[a-z][a-z-]*", rest[0]):
                commands.add(rest[0])
    return commands


def test_readme_names_every_command_of_the_cli():
    assert readme_commands() == set(cli._parser()._subparsers._group_actions[0].choices)


@pytest.mark.parametrize("command", sorted(readme_commands()))
def test_every_command_named_in_the_readme_answers_help(command):
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as exited:
        cli.main([command, "--help"])
    assert exited.value.code == 0
    assert f"tiru {command}" in out.getvalue()
