"""The test suite's own layout: no test module imports another test module, or a conftest.py.

What several test modules share is in tests/helpers.py or a package's helper module (not named
test_*), and shared fixtures are in conftest.py files, which pytest loads and nobody imports.
Importing a test module runs it twice under two names and drags its tests' fixtures along."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def is_test_module(dotted: str) -> bool:
    parts = dotted.split(".")
    return parts[0] == "tests" and (parts[-1].startswith("test_") or parts[-1] == "conftest")


def module_name(path: Path) -> str:
    return ".".join(("tests", *path.relative_to(TESTS).with_suffix("").parts))


def imported(path: Path) -> list[tuple[int, str]]:
    """(line, dotted module name) of every import in the file, at any depth, relative ones resolved."""
    package = module_name(path).rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            found.append((node.lineno, base))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]  # `from pkg import module`
    return found


def test_no_test_module_imports_another_test_module_or_a_conftest():
    modules = sorted(p for p in TESTS.rglob("*.py") if "data" not in p.relative_to(TESTS).parts)
    assert len([p for p in modules if p.name.startswith("test_")]) > 40, "the walk found too few test modules"
    wrong = [f"{path.relative_to(TESTS.parent)}:{line}: imports {name}"
             for path in modules for line, name in imported(path) if is_test_module(name)]
    assert wrong == [], ("test modules and conftest.py are not for importing; move what is shared to "
                         "tests/helpers.py (or a package's helpers.py), fixtures to a conftest.py:\n" + "\n".join(wrong))
