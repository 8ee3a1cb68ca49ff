#!/usr/bin/env python3
"""Set-up and everyday tasks for sitegen's own repository; needs nothing but python3.

    python3 dev.py demo [--port N]   set up, build the bundled demo site and preview it
    python3 dev.py test [PYTEST ARGS] set up, then run the whole test suite

Set-up makes `.venv/` and installs sitegen into it (editable, with its test
tools); it runs again only when pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTEST_NO_TESTS = 5


def setup() -> None:
    """Create the venv and install sitegen with its test extras, unless already current."""
    if not (BIN / "python").exists() and not (BIN / "python.exe").exists():
        print("dev.py: creating .venv", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / ".sitegen-installed"
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == wanted:
        return
    print("dev.py: installing sitegen and its dependencies into .venv", flush=True)
    subprocess.check_call([str(BIN / "python"), "-m", "pip", "install", "--quiet",
                           "--disable-pip-version-check", "--editable", f"{ROOT}[test]"], cwd=ROOT)
    stamp.write_text(wanted)


def demo(args: list[str]) -> int:
    setup()
    return subprocess.call([str(BIN / "sitegen"), "serve", "--site", str(ROOT), *args], cwd=ROOT)


def test(args: list[str]) -> int:
    setup()
    status = subprocess.call([str(BIN / "python"), "-m", "pytest", *args], cwd=ROOT)
    if status == PYTEST_NO_TESTS:
        print("dev.py: no test ran; that is a failure", file=sys.stderr)
        return 1
    return status


def main() -> int:
    tasks = {"demo": demo, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in tasks:
        print(__doc__, file=sys.stderr)
        return 2
    return tasks[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
