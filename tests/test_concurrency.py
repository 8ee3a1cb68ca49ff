"""Two commands at once on one site: nothing is corrupted and each says what it waits for.

A build, a deploy and `check --built` take the site's build lock in turn (a second one waits,
saying for whom); two fetches refuse each other (the second says so, status 2); a fetch during
a build or a serve is safe because every article is written whole (write and rename) and the
build reads each file once."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from sitegen.config import load_config
from sitegen.content.store import load_content
from sitegen.errors import Report
from sitegen.fsutil import waiting_lock
from tests.helpers import MINIMAL_CONFIG, article, sitegen, tree
from tests.serve.helpers import RELOAD_SCRIPT, SitegenServe, tracebacks



def start(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "sitegen", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def clean_build(root: Path, where: Path) -> dict[str, bytes]:
    run = sitegen("build", "--site", str(root), "--output", str(where))
    assert run.returncode == 0, run.stderr
    return tree(where)


def test_a_build_waits_for_the_one_before_it_and_says_for_whom(make_site, tmp_path):
    root = make_site(files={"content/a.md": article()})
    released = threading.Event()
    held = threading.Event()

    def hold() -> None:
        with waiting_lock(root / ".sitegen/build.lock"):
            held.set()
            released.wait(timeout=60)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(timeout=10)
    build = start("build", "--site", str(root))
    time.sleep(1.5)
    assert build.poll() is None, "the build did not wait for the lock"
    released.set()
    holder.join()
    out, err = build.communicate(timeout=120)
    assert build.returncode == 0, err
    assert "waiting for another sitegen process" in err
    assert tree(root / "public") == clean_build(root, tmp_path / "clean")


def test_two_builds_at_once_end_with_the_site_one_build_makes(make_site, tmp_path):
    files = {f"content/s{n}.md": article(id=f"s{n}", title=f"第{n}篇", body="正文。" * 200) for n in range(60)}
    root = make_site(files=files)
    first, second = start("build", "--site", str(root)), start("build", "--site", str(root))
    for process in (first, second):
        _, err = process.communicate(timeout=180)
        assert process.returncode == 0, err
    assert tree(root / "public") == clean_build(root, tmp_path / "clean")


def test_a_fetch_during_a_build_corrupts_nothing(make_site, feed_server, tmp_path):
    config = MINIMAL_CONFIG.format(hans_url=feed_server.url("news-zh-hans.rss.xml"))
    files = {f"content/local/s{n}.md": article(id=f"s{n}", source="local", body="正文。" * 200) for n in range(80)}
    root = make_site(config, files)
    build, fetch = start("build", "--site", str(root)), start("fetch", "--site", str(root))
    for process in (build, fetch):
        _, err = process.communicate(timeout=180)
        assert process.returncode == 0, err
    report = Report()
    content = load_content(root / "content", report, sources=frozenset(s.id for s in load_config(root).sources))
    assert not report.failed and len(content.articles) > 80
    again = sitegen("build", "--site", str(root))
    assert again.returncode == 0, again.stderr
    assert tree(root / "public") == clean_build(root, tmp_path / "clean")


def test_a_second_fetch_is_refused_while_one_runs(make_site, feed_server):
    root = make_site(MINIMAL_CONFIG.format(hans_url=feed_server.url("news-zh-hans.rss.xml")))
    released, held = threading.Event(), threading.Event()

    def hold() -> None:
        from sitegen.fetch.state import fetch_lock
        with fetch_lock(root / ".sitegen"):
            held.set()
            released.wait(timeout=60)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(timeout=10)
    try:
        second = sitegen("fetch", "--site", str(root))
    finally:
        released.set()
        holder.join()
    assert second.returncode == 2 and "another sitegen fetch" in second.stderr
    assert not list((root / "content").rglob("*.md"))
    assert sitegen("fetch", "--site", str(root)).returncode == 0


def test_a_fetch_while_serve_runs_ends_with_the_site_a_build_makes(make_site, feed_server, tmp_path):
    config = MINIMAL_CONFIG.format(hans_url=feed_server.url("news-zh-hans.rss.xml"))
    files = {f"content/local/s{n}.md": article(id=f"s{n}", source="local", body="正文。" * 200) for n in range(40)}
    root = make_site(config, files)
    with SitegenServe(root) as server:
        mark = server.mark()
        fetch = sitegen("fetch", "--site", str(root))
        assert fetch.returncode == 0, fetch.stderr
        copy = tmp_path / "copy"
        shutil.copytree(root, copy, ignore=shutil.ignore_patterns("public", ".sitegen"))
        expected = clean_build(copy, tmp_path / "clean")
        deadline = time.monotonic() + 60
        while tree(root / "public") != expected:
            assert time.monotonic() < deadline, "serve never showed the fetched stories:\n" + "\n".join(server.lines)
            time.sleep(0.2)
        page = next(path for path in expected if path.startswith("zh-hans/") and "/s" not in path
                    and path.count("/") == 3 and path.endswith(".html"))
        status, _, body = server.get("/" + page)
        assert status == 200 and RELOAD_SCRIPT.sub(b"", body) == expected[page]  # a fetched story, served
    said = server.lines[mark:]
    assert tracebacks(said) == [] and not [line for line in said if line.startswith(("error:", "build failed"))], said
