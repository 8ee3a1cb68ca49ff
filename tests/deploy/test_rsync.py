"""Deploy with real rsync: to a local folder, and to an rsync daemon on 127.0.0.1."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

import pytest

from sitegen.build import build
from sitegen.config import load_config
from sitegen.deploy.run import DeployOptions, deploy
from tests.deploy.helpers import add_target, require, tree_of
from tests.helpers import sitegen

require("rsync")



def published(root: Path, **options) -> tuple[list[str], list]:
    said: list[str] = []
    report = deploy(load_config(root), DeployOptions(**options), say=said.append)
    return said, [p for p in report.problems if p.level == "error"]


def test_a_folder_gets_the_site_byte_for_byte_and_a_second_deploy_sends_nothing(demo_site, tmp_path):
    www = tmp_path / "www"
    add_target(demo_site, "box", f'url = "{www}"')
    build(load_config(demo_site))
    said, errors = published(demo_site)
    assert not errors and tree_of(www) == tree_of(demo_site / "public")
    assert said[0].startswith(f"box: sent {len(tree_of(www))} files")
    mtimes = {p: p.stat().st_mtime_ns for p in www.rglob("*")}
    said, errors = published(demo_site)
    assert not errors and said[0].startswith("box: sent 0 files") and ", deleted 0," in said[0]
    assert {p: p.stat().st_mtime_ns for p in www.rglob("*")} == mtimes


def test_a_relative_folder_is_taken_from_the_site_folder_and_withdrawn_pages_go(demo_site):
    add_target(demo_site, "box", 'url = "../www"')
    build(load_config(demo_site))
    published(demo_site)
    www = demo_site.parent / "www"
    before = set(tree_of(demo_site / "public"))
    sorted((demo_site / "content").rglob("*.md"))[0].unlink()
    build(load_config(demo_site))
    withdrawn = before - set(tree_of(demo_site / "public"))
    said, errors = published(demo_site)
    assert not errors and withdrawn and tree_of(www) == tree_of(demo_site / "public")
    assert f", deleted {len(withdrawn)}," in said[0]


def test_a_story_taken_down_is_replaced_by_its_notice_and_no_other_page_is_deleted(demo_site, tmp_path):
    www = tmp_path / "www"
    add_target(demo_site, "box", f'url = "{www}"')
    build(load_config(demo_site))
    published(demo_site)
    target = sorted((demo_site / "content").rglob("*.md"))[0]
    assert sitegen("withdraw", target.stem, "--reason", "應原作者要求", "--site", str(demo_site)).returncode == 0
    build(load_config(demo_site))
    before = set(tree_of(www))
    said, errors = published(demo_site)
    assert not errors and tree_of(www) == tree_of(demo_site / "public")
    # Gone: only lists and feeds the story alone was in, and search index files (named by their content)
    gone = before - set(tree_of(www))
    assert f", deleted {len(gone)}," in said[0]
    assert gone and all(path.endswith(("/index.html", ".xml")) or "/pagefind/" in path for path in gone)
    notices = list(www.rglob(f"{target.stem}.html"))
    assert len(notices) == 2 and all("這篇報導已撤下" in p.read_text(encoding="utf-8")
                                     or "这篇报导已撤下" in p.read_text(encoding="utf-8") for p in notices)


def test_a_destination_that_would_lose_many_files_is_refused_before_anything_is_sent(demo_site, tmp_path):
    www = tmp_path / "home"
    for n in range(5):  # a wrong path: somebody's folder, not the site
        (www / f"letter-{n}.txt").parent.mkdir(parents=True, exist_ok=True)
        (www / f"letter-{n}.txt").write_text("mine", encoding="utf-8")
    add_target(demo_site, "box", f'url = "{www}"\nmax_deletes = 3')
    build(load_config(demo_site))
    before = tree_of(www)
    said, errors = published(demo_site)
    assert [e.where for e in errors] == ["deploy.box"]
    assert "would delete 5 files, more than max_deletes = 3; nothing was changed" in errors[0].message
    assert tree_of(www) == before and said == []
    said, errors = published(demo_site, force=True)
    assert not errors and tree_of(www) == tree_of(demo_site / "public")


def test_a_dry_run_lists_what_would_go_and_changes_nothing(demo_site, tmp_path):
    www = tmp_path / "www"
    www.mkdir()
    (www / "old.html").write_text("old", encoding="utf-8")
    add_target(demo_site, "box", f'url = "{www}"')
    build(load_config(demo_site))
    said, errors = published(demo_site, dry_run=True)
    assert not errors and tree_of(www) == {"old.html": b"old"}
    assert "box: delete old.html" in said
    assert sum(line.startswith("box: send ") for line in said) == len(tree_of(demo_site / "public"))


@pytest.mark.parametrize("destination", [".", "..", "content", "public"])
def test_a_destination_inside_or_holding_the_site_is_refused(demo_site, destination):
    add_target(demo_site, "box", f'url = "{destination}"')
    build(load_config(demo_site))
    before = tree_of(demo_site.parent)
    said, errors = published(demo_site)
    assert [e.where for e in errors] == ["deploy.box"] and said == []
    assert tree_of(demo_site.parent) == before


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def rsync_daemon(tmp_path):
    """A real rsync daemon on 127.0.0.1 with one writable module, `site`."""
    module, port = tmp_path / "module", free_port()
    module.mkdir()
    conf = tmp_path / "rsyncd.conf"
    conf.write_text(f"use chroot = no\n[site]\npath = {module}\nread only = no\n"
                    f"uid = {os.getuid()}\ngid = {os.getgid()}\n", encoding="utf-8")
    process = subprocess.Popen(["rsync", "--daemon", "--no-detach", f"--config={conf}", "--address=127.0.0.1",
                                f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"rsync://127.0.0.1:{port}/site/news", module / "news"
    process.terminate()
    process.wait(timeout=20)


def test_an_rsync_daemon_gets_the_site(demo_site, rsync_daemon):
    url, folder = rsync_daemon
    add_target(demo_site, "daemon", f'url = "{url}"')
    build(load_config(demo_site))
    said, errors = published(demo_site)
    assert not errors, errors
    assert tree_of(folder) == tree_of(demo_site / "public")
    said, errors = published(demo_site)
    assert not errors and said[0].startswith("daemon: sent 0 files")
