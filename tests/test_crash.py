"""Killed at any moment (a cron job's timeout, a reboot, kill -9): `sitegen build` leaves the old
site or the new one, `sitegen fetch` leaves only complete articles, and the next run finishes
the work with the same bytes as a run nobody interrupted.

The kills are real SIGKILLs of the real commands at seeded random moments, each a fraction of how
long an uninterrupted run takes on this machine (so they land while the command runs on a fast
machine and a slow one alike); SITEGEN_CRASH_KILLS raises how many (default 6 of each)."""

from __future__ import annotations

import os
import json
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sitegen.build import build
from sitegen.config import load_config
from sitegen.content.store import load_content
from sitegen.errors import Report
from sitegen.sitecheck import check_built_site
from sitegen.records import PageRecord
from sitegen.staging import COMMIT_LIST, finish_interrupted
from sitegen.write import OutputWriter
from sitegen.model import Output
from tests.helpers import MINIMAL_CONFIG, sitegen, tree

KILLS = int(os.environ.get("SITEGEN_CRASH_KILLS", "6"))
SEED = int(os.environ.get("SITEGEN_CRASH_SEED", "14"))



def killed(args: list[str], after: float) -> bool:
    """Run `python -m sitegen ARGS` and SIGKILL it `after` seconds in; whether it was still running."""
    process = subprocess.Popen([sys.executable, "-m", "sitegen", *args], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    time.sleep(after)
    running = process.poll() is None
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    return running


def timed(args: list[str]) -> float:
    """Seconds an uninterrupted `python -m sitegen ARGS` takes here."""
    start = time.monotonic()
    run = sitegen(*args)
    assert run.returncode == 0, run.stderr + run.stdout
    return time.monotonic() - start


class Killer:
    """Kills at seeded moments within `span`, the time an uninterrupted run took. A kill that came
    after the command had finished shortens the span, so the next ones land even when this machine
    has become faster than it was when measured (a busy neighbour went quiet)."""

    def __init__(self, rng: random.Random, span: float):
        self.rng, self.span, self.tries = rng, span, 0

    def kill(self, args: list[str]) -> bool:
        self.tries += 1
        landed = killed(args, self.rng.uniform(0.03, 0.9) * self.span)
        if not landed:
            self.span *= 0.6
        return landed

    def more(self, landed: int) -> bool:
        """Whether to kill again: until KILLS kills have landed, and never endlessly."""
        if landed >= KILLS:
            return False
        assert self.tries < 4 * KILLS, f"only {landed} of {self.tries} kills landed while the command ran"
        return True


def content_files(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in sorted((root / "content").rglob("*.md"))}


def put_content(root: Path, files: dict[str, str]) -> None:
    shutil.rmtree(root / "content")
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def edited(files: dict[str, str]) -> dict[str, str]:
    """The demo's articles after an editor's morning: titles and bodies changed, one story deleted,
    one added (so pages change, appear and go, and lists and feeds shift)."""
    paths = sorted(files)
    new = dict(files)
    for path in paths[:4]:
        new[path] = new[path].replace("\ntitle: ", "\ntitle: 更新：", 1) + "\n補充一段新的內容。\n"
    del new[paths[-1]]
    new["content/local/new-story.md"] = ('---\ntitle: 新的報道\ndate: "2024-11-01T08:00:00+08:00"\n'
                                         "source: local\nlang: zh-Hant\ncategories: [國際]\n---\n\n新的正文。\n")
    return new


def build_ok(root: Path) -> dict[str, bytes]:
    run = sitegen("build", "--site", str(root))
    assert run.returncode == 0, run.stderr + run.stdout
    return tree(root / "public")


def test_a_build_killed_anywhere_leaves_the_old_site_or_the_new_one(demo_site, tmp_path):
    root, rng = demo_site, random.Random(SEED)
    after = edited(content_files(root))
    old = build_ok(root)
    reference = tmp_path / "reference"
    shutil.copytree(root, reference, ignore=shutil.ignore_patterns("public", ".sitegen"))
    put_content(reference, after)
    new = build_ok(reference)
    assert new != old
    saved = tmp_path / "saved"
    for name in ("public", ".sitegen"):
        shutil.copytree(root / name, saved / name)  # copy2 keeps the mtimes the records hold

    def old_site_edited() -> None:
        for name in ("public", ".sitegen"):  # the old site, as its build left it
            shutil.rmtree(root / name)
            shutil.copytree(saved / name, root / name)
        put_content(root, after)

    old_site_edited()
    killer = Killer(rng, timed(["build", "--site", str(root)]))
    landed = moving = 0
    while killer.more(landed):
        kill = killer.tries
        old_site_edited()
        landed += killer.kill(["build", "--site", str(root)])
        found = tree(root / "public")
        if list((root / ".sitegen/staging").glob(f"*/{COMMIT_LIST}")):
            # Killed during the final moves: every file is the old one or the new one, and the
            # commit list says what is left to do (the next command does it first).
            moving += 1
            mixed = [p for p, data in found.items() if data not in (old.get(p), new.get(p))]
            assert not mixed, f"kill {kill}: half-made files {mixed[:5]}"
        else:
            assert found in (old, new), f"kill {kill}: public/ is neither the old site nor the new one: " \
                f"{sorted(p for p in set(found) | set(new) if found.get(p) != new.get(p))[:5]}"
        assert build_ok(root) == new, f"kill {kill}: the next build did not finish the work"
    print(f"{killer.tries} kills, {landed} while the build ran, {moving} during its final moves")


def test_a_build_killed_while_it_puts_files_in_place_is_finished_by_the_next_command(tmp_path):
    """The one moment public/ changes: the moves of the commit list. Killed part way (here: the
    moves stop after two), the next sitegen command that opens the folder completes them."""
    output, staging = tmp_path / "public", tmp_path / "staging"
    (output / "a").mkdir(parents=True)
    (output / "a/old.html").write_bytes(b"old")
    (output / "gone.html").write_bytes(b"gone")
    gone = (output / "gone.html").stat()
    writer = OutputWriter(output, Report(), {"gone.html": PageRecord("k", gone.st_size, gone.st_mtime_ns)},
                          staging=staging)
    for name in ("a/old.html", "a/new.html", "b/c.html", "d.html"):
        writer.put(Output(name, f"new {name}".encode(), "test"))
    staged = sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*") if p.is_file())
    assert staged == ["a/new.html", "a/old.html", "b/c.html", "d.html"]
    assert (output / "a/old.html").read_bytes() == b"old"  # nothing in place before the commit
    real_replace, moves = os.replace, []

    def dies_after_two(source, target):
        if len(moves) == 2:
            raise KeyboardInterrupt  # stands for the kill: the process stops here
        moves.append(target)
        real_replace(source, target)

    os.replace = dies_after_two
    try:
        with pytest.raises(KeyboardInterrupt):
            writer.finish()
    finally:
        os.replace = real_replace
    assert (staging / COMMIT_LIST).exists() and len(moves) == 2
    finish_interrupted(output, staging)
    assert tree(output) == {"a/new.html": b"new a/new.html", "a/old.html": b"new a/old.html",
                            "b/c.html": b"new b/c.html", "d.html": b"new d.html"}
    assert not staging.exists()


def test_staging_without_a_commit_list_is_thrown_away(tmp_path):
    """A build killed before it began to change the output folder: the folder is the old site."""
    output, staging = tmp_path / "public", tmp_path / "staging"
    output.mkdir()
    (output / "index.html").write_bytes(b"old")
    (staging / "sub").mkdir(parents=True)
    (staging / "sub/half.html").write_bytes(b"half")
    finish_interrupted(output, staging)
    assert tree(output) == {"index.html": b"old"} and not staging.exists()


def fetched_content(root: Path) -> dict[str, str]:
    """The stored stories, without the time of the fetch (the only thing two fetches may differ in)."""
    return {path: "".join(line for line in text.splitlines(keepends=True) if not line.startswith("fetched:"))
            for path, text in content_files(root).items()}


def test_a_fetch_killed_anywhere_leaves_only_complete_articles(make_site, feed_server, tmp_path):
    rng = random.Random(SEED)
    config = MINIMAL_CONFIG.format(hans_url=feed_server.url("news-zh-hans.rss.xml"))
    reference = make_site(config)
    killer = Killer(rng, timed(["fetch", "--site", str(reference)]))
    expected = fetched_content(reference)
    assert len(expected) >= 3
    landed = 0
    while killer.more(landed):
        kill = killer.tries
        root = tmp_path / f"site{kill}"
        shutil.copytree(reference, root, ignore=shutil.ignore_patterns("content", ".sitegen", "public"))
        (root / "content").mkdir()
        landed += killer.kill(["fetch", "--site", str(root)])
        report = Report()
        load_content(root / "content", report)
        assert not report.problems, f"kill {kill}: {report.problems[:3]}"
        assert all(not p.name.endswith(".tmp") or p.name.startswith(".") for p in (root / "content").rglob("*"))
        again = sitegen("fetch", "--site", str(root))
        assert again.returncode == 0, f"kill {kill}: {again.stderr}"
        assert fetched_content(root) == {p.replace(str(reference), str(root)): t for p, t in expected.items()}
        assert load_config(root).sources


def test_every_moment_of_the_final_moves_shows_whole_files_and_no_broken_link(demo_site, monkeypatch):
    """Between two moves of the commit list (where a kill may leave the folder until the next
    sitegen command), public/ holds only old or new files and every link of a page a reader can
    reach (one the old site had) lands on a file.
    The demo after an editor's morning: pages new, replaced and gone; looked at before ~12 moves."""
    root = demo_site
    old = build_ok(root)
    put_content(root, edited(content_files(root)))
    config = load_config(root)
    real_replace, moves, looks = os.replace, [], {}

    def look_then_move(source, target):
        if Path(target).is_relative_to(root / "public"):
            if not moves:
                moves.extend(json.loads(next(root.glob(f".sitegen/staging/*/{COMMIT_LIST}")).read_text())["move"])
            step = len(looks.setdefault("steps", []))
            looks["steps"].append(target)
            if step % max(1, len(moves) // 12) == 0 or step == len(moves) - 1:
                looks[step] = (tree(root / "public"), check_built_site(config, workers=1).problems)
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", look_then_move)
    result = build(config)
    monkeypatch.undo()
    assert not result.report.failed
    new = tree(root / "public")
    assert len(moves) > 20 and [p for p in new if p not in old] and [p for p in old if p not in new]
    assert len(looks) > 8
    for step, (found, problems) in sorted((k, v) for k, v in looks.items() if k != "steps"):
        assert all(data in (old.get(path), new.get(path)) for path, data in found.items()), f"move {step}"
        # New pages may name new pages not in place yet (an hreflang pair names each other): no reader
        # reaches them before an old page links to them, and old pages are replaced after every new file.
        seen_by_readers = [p for p in problems if p.where in old]
        assert not seen_by_readers, f"before move {step} of {len(moves)}: {seen_by_readers[:3]}"
