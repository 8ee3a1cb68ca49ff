"""One error tree: every public exception sitegen defines is a SitegenError, drawn in errors.py."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

import sitegen
from sitegen import errors
from sitegen.errors import SitegenError
from sitegen.fetch.state import fetch_lock


def _sitegen_exceptions() -> dict[str, type[BaseException]]:
    """{qualified name: class} of every exception class defined (not imported) in a sitegen module."""
    found = {}
    for module_info in pkgutil.walk_packages(sitegen.__path__, "sitegen."):
        if module_info.name.endswith(".__main__"):  # runs the command line on import
            continue
        module = importlib.import_module(module_info.name)
        for name, value in vars(module).items():
            if (inspect.isclass(value) and issubclass(value, BaseException)
                    and value.__module__ == module.__name__ and not name.startswith("_")):
                found[f"{module.__name__}.{name}"] = value
    return found


@pytest.fixture(scope="module")
def exceptions() -> dict[str, type[BaseException]]:
    return _sitegen_exceptions()


def test_the_walk_finds_the_exceptions(exceptions):
    assert len(exceptions) >= 14, sorted(exceptions)  # guards against a walk that quietly finds nothing
    assert "sitegen.fetch.http.FetchError" in exceptions


def test_every_public_exception_is_a_sitegen_error(exceptions):
    outside = sorted(name for name, cls in exceptions.items() if not issubclass(cls, SitegenError))
    assert outside == []


TREE_NODE = re.compile(r"^    (?:[│ ]   )*(?:[├└]── )?([A-Z]\w*) +([\w.]+) ", re.MULTILINE)
"""A class in the docstring's tree: its name, then the module it lives in (without `sitegen.`)."""


def _drawn() -> dict[str, str]:
    return dict(TREE_NODE.findall(errors.__doc__ or ""))


def test_every_public_exception_is_drawn_in_the_tree_and_nothing_else(exceptions):
    assert sorted(_drawn()) == sorted(cls.__name__ for cls in exceptions.values())


def test_the_tree_says_where_each_class_lives_and_under_which(exceptions):
    drawn = _drawn()
    for cls in exceptions.values():
        assert drawn.get(cls.__name__) == cls.__module__.removeprefix("sitegen."), cls
    by_name = {cls.__name__: cls for cls in exceptions.values()}
    nodes = [(m[1], m.start(1) - m.start()) for m in TREE_NODE.finditer(errors.__doc__ or "")]  # (name, indent)
    for at, (name, indent) in enumerate(nodes[1:], start=1):  # its parent: the nearest node above, less indented
        parent = next(above for above, above_indent in reversed(nodes[:at]) if above_indent < indent)
        assert by_name[parent] in by_name[name].__bases__, (name, parent)


def _sitegen(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sitegen", *args], capture_output=True, text=True, timeout=60)


def test_an_error_from_deep_in_a_command_is_one_line_and_status_2(make_site):
    root = make_site()
    with fetch_lock(root / ".sitegen"):  # FetchLockedError, raised inside fetch_sources
        result = _sitegen("fetch", "--site", str(root))
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: another sitegen fetch (pid "), lines


def test_a_bad_config_is_an_error_line_per_problem_and_status_2(make_site):
    root = make_site(config='[site]\ntitle = "x"\nbase_url = "https://example.org/"\n\n'
                            '[[variants]]\nname = "zh-Hant"\nfrom_hans = "s2xx"\n')
    result = _sitegen("build", "--site", str(root))
    assert result.returncode == 2
    *problems, count = result.stderr.splitlines()
    assert problems and all(line.startswith("error: ") for line in problems), problems
    assert count.endswith("problem(s); nothing was done")
    assert "Traceback" not in result.stderr
    assert not (Path(root) / "public").exists()
