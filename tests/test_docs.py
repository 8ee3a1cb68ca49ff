"""The public surface is documented: every config key, front matter field and command."""

import re
from pathlib import Path

import pytest

from sitegen.config import SITE_KEYS, SOURCE_KEYS, VARIANT_KEYS
from sitegen.content.articles import OPTIONAL, REQUIRED
from tests.helpers import COMMANDS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("key", sorted({*SITE_KEYS, *VARIANT_KEYS, *SOURCE_KEYS}))
def test_every_config_key_is_in_the_readme_tables(key):
    assert re.search(rf"^\| `{key}` \|", README, re.MULTILINE), f"{key} is not documented"


@pytest.mark.parametrize("field", REQUIRED + OPTIONAL)
def test_every_front_matter_field_is_documented(field):
    assert f"`{field}`" in README


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_a_readme_section(command):
    assert re.search(rf"^### sitegen {command}\b", README, re.MULTILINE)


def test_quick_start_commands_are_the_ones_ci_runs():
    ci = (Path(__file__).resolve().parent.parent / ".ci/run").read_text(encoding="utf-8")
    assert "python3 dev.py test" in README and "exec python3 dev.py test" in ci
    assert "python3 dev.py demo" in README
