#!/usr/bin/env python3
"""Set-up and everyday tasks for sitegen's own repository; needs nothing but python3.

    python3 dev.py demo [--port N]   set up, build the bundled demo site and preview it
    python3 dev.py test [PYTEST ARGS] set up, then run the whole test suite
    python3 dev.py golden            set up, then rebuild the golden demo-site tree (tests/data/golden/)

Set-up makes `.venv/` and installs sitegen into it (editable, with its test
tools); it runs again only when pyproject.toml changes. `test` also installs
what the browser and HTML-validation tests need: as root, the Debian packages
below (only the missing ones); then the Nu HTML Checker and axe-core from
package-lock.json into node_modules/ (again when that file changes). It never
downloads a browser.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTEST_NO_TESTS = 5
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


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


def has_cjk_fonts() -> bool:
    def run(*command: str) -> subprocess.CompletedProcess:
        return subprocess.run(command, capture_output=True, text=True, check=False)
    if shutil.which("dpkg") and run("dpkg", "-s", "fonts-noto-cjk").returncode == 0:
        return True
    return bool(shutil.which("fc-list")) and "noto sans cjk" in run("fc-list").stdout.lower()


VIA_NPM = "installing the HTML checker with npm (tests/test_html_valid.py)"
# Debian package, whether it is already there, and what is skipped without it.
SYSTEM_PACKAGES = [
    ("chromium", lambda: Path("/usr/bin/chromium").exists(), "the browser tests (tests/browser/)"),
    ("fonts-noto-cjk", has_cjk_fonts, "Chinese glyphs in browser screenshots (tests/browser/)"),
    ("default-jre-headless", lambda: bool(shutil.which("java")), "HTML validation (tests/test_html_valid.py)"),
    ("rsync", lambda: bool(shutil.which("rsync")), "the rsync deploy target (tests/deploy/)"),
    ("git", lambda: bool(shutil.which("git")), "the git deploy target (tests/deploy/)"),
    ("nodejs", lambda: bool(shutil.which("node")), VIA_NPM),
    ("npm", lambda: bool(shutil.which("npm") and shutil.which("npx")), VIA_NPM),
]


def missing_system_packages() -> list[str]:
    return [name for name, present, _ in SYSTEM_PACKAGES if not present()]


def apt_install(packages: list[str]) -> None:
    print(f"dev.py: installing Debian packages: {' '.join(packages)}", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update"],
                    ["apt-get", "install", "-y", "--no-install-recommends", *packages]):
        subprocess.check_call(command, env=env, stdin=subprocess.DEVNULL)


def system_packages() -> None:
    """As root, apt-get install the missing test tools; otherwise say loudly what will be skipped."""
    missing = missing_system_packages()
    if not missing:
        return
    is_root = getattr(os, "geteuid", lambda: -1)() == 0
    if not is_root or not shutil.which("apt-get"):
        warn = ["*" * 72, ("not root" if not is_root else "no apt-get") + ": these Debian packages are missing"
                " and NOT installed, so what needs them is SKIPPED (or fails with CI set):"]
        warn += [f"  {name}: {needed_for}" for name, _, needed_for in SYSTEM_PACKAGES if name in missing]
        warn += [f"install them as root: apt-get install --no-install-recommends {' '.join(missing)}", "*" * 72]
        print("\n".join(f"dev.py: WARNING: {line}" for line in warn), file=sys.stderr, flush=True)
        return
    # NodeSource's nodejs bundles npm and conflicts with Debian's npm: add npm only if still missing.
    apt_install([name for name in missing if not (name == "npm" and "nodejs" in missing)])
    if "npm" in missing_system_packages():
        apt_install(["npm"])


def npm_packages() -> None:
    """Install the Nu HTML Checker and axe-core from package-lock.json, when missing or when the lock file changed."""
    stamp = ROOT / "node_modules" / ".dev-py-installed"
    wanted = hashlib.sha256((ROOT / "package-lock.json").read_bytes()).hexdigest()
    if VNU_JAR.exists() and AXE.exists() and stamp.exists() and stamp.read_text() == wanted:
        return
    npm = shutil.which("npm")
    if not npm:
        print("dev.py: WARNING: no npm, so the Nu HTML Checker and axe-core are NOT installed"
              " and HTML validation and the accessibility screens are SKIPPED", file=sys.stderr)
        return
    print("dev.py: installing the Nu HTML Checker and axe-core into node_modules/ (npm ci)", flush=True)
    # --ignore-scripts: vnu-jar's postinstall would download a Java runtime; Debian's is used instead.
    subprocess.check_call([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
                          cwd=ROOT, stdin=subprocess.DEVNULL)
    stamp.write_text(wanted)


def demo(args: list[str]) -> int:
    setup()
    return subprocess.call([str(BIN / "sitegen"), "serve", "--site", str(ROOT), *args], cwd=ROOT)


def test(args: list[str]) -> int:
    setup()
    system_packages()
    npm_packages()
    status = subprocess.call([str(BIN / "python"), "-m", "pytest", *args], cwd=ROOT)
    if status == PYTEST_NO_TESTS:
        print("dev.py: no test ran; that is a failure", file=sys.stderr)
        return 1
    return status


def golden(args: list[str]) -> int:
    """Rebuild tests/data/golden/demo/ with the current code (tests/golden.py; review it with git diff).
    Run as a script, not with -m, so that PYTHONPATH=SRC picks another sitegen to build with."""
    setup()
    return subprocess.call([str(BIN / "python"), str(ROOT / "tests" / "golden.py"), *args], cwd=ROOT)


def main() -> int:
    tasks = {"demo": demo, "test": test, "golden": golden}
    if len(sys.argv) < 2 or sys.argv[1] not in tasks:
        print(__doc__, file=sys.stderr)
        return 2
    return tasks[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
