"""A newcomer's first run: `sitegen init`, then the steps it prints, which are the README's, offline."""

from __future__ import annotations

import os
import queue
import re
import shlex
import socket
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

from tests.helpers import REPO

VENV_BIN = Path(sys.executable).parent
DEAD_PROXY = "http://127.0.0.1:9"
"""Every http(s) request the commands make goes here and fails: the steps must not need the network."""


def readme_steps() -> list[str]:
    """The lines of the sh block after "To use sitegen for a site of your own:", as written."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"To use sitegen for a site of your own:\s*```sh\n(.*?)```", text, re.DOTALL)
    assert block, "README.md lost the new-site steps"
    return [line.strip() for line in block.group(1).splitlines() if line.strip()]


def offline_env() -> dict[str, str]:
    env = {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.update({name: DEAD_PROXY for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
                                              "http_proxy", "https_proxy", "all_proxy")})
    env.pop("NO_PROXY", None), env.pop("no_proxy", None)
    return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_init_prints_the_readme_steps_and_writes_a_gitignore(tmp_path):
    made = subprocess.run([sys.executable, "-m", "sitegen", "init", "my-news"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    printed = [line.strip() for line in made.stdout.splitlines()[1:]]
    steps = readme_steps()
    assert steps[steps.index("sitegen init my-news") + 1:] == printed
    ignored = (tmp_path / "my-news/.gitignore").read_text(encoding="utf-8").splitlines()
    assert "public/" in ignored and ".sitegen/" in ignored


def test_the_readme_steps_for_a_new_site_work_offline(tmp_path):
    assert (VENV_BIN / "sitegen").is_file(), f"sitegen is not installed in {VENV_BIN} (python3 dev.py sets it up)"
    steps, cwd, env = readme_steps(), tmp_path, offline_env()
    assert any(line.startswith("sitegen serve") for line in steps), steps
    for line in steps:
        command = line.split("#", 1)[0].strip()
        if command.startswith("pip install"):
            continue  # sitegen is installed in .venv already, and its bin/ is first on PATH
        if command.startswith("cd "):
            cwd = cwd / shlex.split(command)[1]
        elif command.startswith("sitegen serve"):
            check_serve_starts(shlex.split(command), cwd, env)
        else:
            ran = subprocess.run(command, shell=True, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
            assert ran.returncode == 0, f"{command}:\n{ran.stdout}{ran.stderr}"
            assert "error" not in ran.stderr, ran.stderr
    assert len(list((cwd / "content/sample").glob("*.md"))) == 3  # the sample feed, fetched with no network
    assert list((cwd / "public/zh-hans").rglob("*.html")) and list((cwd / "public/zh-hant").rglob("*.html"))


def check_serve_starts(command: list[str], cwd: Path, env: dict[str, str]) -> None:
    """`sitegen serve` as written, on a free port (8000 may be taken by another run): it must say where
    it serves, and answer a page there over 127.0.0.1."""
    process = subprocess.Popen([*command, "--port", str(free_port())], cwd=cwd, env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True)
    reader.start()
    try:
        said = ""
        while "serving" not in said:
            said = lines.get(timeout=120)  # queue.Empty fails the test instead of hanging it
        url = re.search(r"at (http://127\.0\.0\.1:\d+/)", said).group(1)
        direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback, never via a proxy
        with direct.open(url + "zh-hant/", timeout=30) as response:
            assert response.status == 200 and "我的新聞網" in response.read().decode("utf-8")
    finally:
        process.terminate()
        process.wait(timeout=30)
        reader.join(timeout=30)  # the pipe is at its end once the process is gone
        process.stdout.close()
