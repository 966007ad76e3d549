"""Every setting the code reads or the config sets is documented in README.md."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_environment_variable_is_documented():
    code = "\n".join(p.read_text(encoding="utf-8") for p in [*ROOT.glob("metrics/*.py"), *ROOT.glob("tests/*.py"),
                                                           ROOT / "app.py", ROOT / ".ci" / "run"])
    variables = set(re.findall(r"\b(TIRU_[A-Z_]+)\b", code))
    assert variables, "the code reads TIRU_* settings"
    missing = sorted(v for v in variables if f"`{v}`" not in README)
    assert not missing, f"undocumented settings: {missing}"


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
