"""The package keeps its shape: the import contracts in pyproject.toml hold (import-linter)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import grimp  # import-linter's graph of the package

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "sitegen"


def test_import_contracts_hold():
    lint = Path(sys.executable).parent / "lint-imports"
    run = subprocess.run([str(lint), "--no-cache"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "2 kept, 0 broken" in run.stdout


def test_a_broken_contract_is_caught(tmp_path):
    """The check is real: a module of a lower layer importing a higher one breaks it."""
    copy = tmp_path / "sitegen"
    subprocess.run(["cp", "-r", str(PACKAGE), str(copy)], check=True)
    (tmp_path / "pyproject.toml").write_text((REPO / "pyproject.toml").read_text(encoding="utf-8"), encoding="utf-8")
    model = copy / "model.py"
    model.write_text(model.read_text(encoding="utf-8") + "\nimport sitegen.build  # noqa\n", encoding="utf-8")
    lint = Path(sys.executable).parent / "lint-imports"
    run = subprocess.run([str(lint), "--no-cache"], cwd=tmp_path, capture_output=True, text=True, timeout=300,
                         env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert run.returncode != 0
    assert "sitegen.model is not allowed to import sitegen.build" in run.stdout


def test_no_import_of_sitegen_hides_behind_type_checking():
    """An import only type checkers see is how cycles hid before: every import of sitegen's own
    modules is a real one, which the contracts see. (An optional library's types may stay hidden.)"""
    hidden = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test) and \
                    "sitegen" in ast.unparse(node):
                hidden.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert hidden == []


def test_no_module_imports_itself_back():
    """No import cycle anywhere in the package, not even inside one layer."""
    graph = grimp.build_graph("sitegen")
    cycles = sorted({tuple(sorted((module, imported))) for module in graph.modules
                     for imported in graph.find_modules_directly_imported_by(module)
                     if graph.chain_exists(importer=imported, imported=module)})
    assert cycles == []
