"""The watcher of `sitegen serve`: which paths count as sources, and a real watchdog observer on a tmp site."""

from __future__ import annotations

import os
import queue
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sitegen.serve.live import MAX_WAIT_SECONDS, QUIET_SECONDS, Rebuilder
from sitegen.serve.state import LiveState
from sitegen.serve.watch import is_source, watch

QUIET = 0.6
"""How long "nothing reported" is watched for (inotify delivers within milliseconds)."""
PATIENCE = 5.0


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "content" / "rfa").mkdir(parents=True)
    (root / "content" / "rfa" / "a.md").write_text("---\ntitle: 甲\n---\n\n正文。\n", encoding="utf-8")
    (root / "static" / "css").mkdir(parents=True)
    (root / "static" / "css" / "site.css").write_text("h1 {}\n", encoding="utf-8")
    (root / "sitegen.toml").write_text("[site]\n", encoding="utf-8")
    (root / "public").mkdir()
    (root / "public" / "index.html").write_text("<p>built</p>", encoding="utf-8")
    (root / ".sitegen").mkdir()
    return root


class Reports:
    """What the watcher hands to its callback, one set per call, in a queue."""

    def __init__(self) -> None:
        self.calls: queue.Queue[set[str]] = queue.Queue()

    def __call__(self, paths: set[str]) -> None:
        self.calls.put(set(paths))

    def wait_for(self, wanted: Callable[[set[str]], bool], what: str, timeout: float = PATIENCE) -> set[str]:
        """Every path reported until `wanted(all reported so far)` holds."""
        seen: set[str] = set()
        deadline = time.monotonic() + timeout
        while not wanted(seen):
            left = deadline - time.monotonic()
            if left <= 0:
                pytest.fail(f"the watcher never reported {what}; it reported {sorted(seen)}")
            try:
                seen |= self.calls.get(timeout=left)
            except queue.Empty:
                continue
        return seen

    def wait_for_path(self, path: Path, timeout: float = PATIENCE) -> set[str]:
        return self.wait_for(lambda seen: str(path) in seen, str(path), timeout)

    def quiet(self, seconds: float = QUIET) -> set[str]:
        """Everything reported in the next `seconds` (empty when nothing was)."""
        seen: set[str] = set()
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                seen |= self.calls.get(timeout=left)
            except queue.Empty:
                break
        return seen

    def drain(self) -> None:
        self.quiet(0.3)


@pytest.fixture
def watching(site: Path) -> Iterator[Reports]:
    reports = Reports()
    observer = watch(site, reports)
    try:
        yield reports
    finally:
        observer.stop()
        observer.join(timeout=10)
        assert not observer.is_alive()


# --- is_source -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("relative", [
    "content/rfa/1954134.md", "content/a.md", "content/deep/er/b.md",
    "templates/article.html", "templates/partials/x.html",
    "static/css/sitegen.css", "static/images/demo/a.svg",
    "static/.well-known/security.txt", "static/.nojekyll",  # static/ publishes its dotfiles
    "sitegen.toml", "glossary.toml",
    "content", "templates", "static",  # the folders themselves (made, removed, moved)
])
def test_sources(site, relative):
    assert is_source(site, str(site / relative))


@pytest.mark.parametrize("relative", [
    "public/index.html", "public/zh-hant/2023/0915/1954134.html", "public", ".sitegen/fetch.sqlite", ".sitegen",
    "content/.a.md.swp", "content/a.md.swp", "content/a.md~", "content/a.md.tmp", "content/.hidden/a.md",
    "templates/.article.html.swx", "static/css/.sitegen.css.abc123.tmp", ".git/index",
    "static/.git/HEAD", "static/.gitignore", "static/.#sitegen.css", "static/.DS_Store",
    "README.md", "other/sitegen.toml", "public/sitegen.toml", "node_modules/x/content/a.md", "",
])
def test_not_sources(site, relative):
    assert not is_source(site, str(site / relative))


def test_paths_outside_the_site_are_not_sources(site, tmp_path):
    assert not is_source(site, str(tmp_path / "elsewhere" / "content" / "a.md"))
    assert not is_source(site, str(site.parent / "sitegen.toml"))
    assert not is_source(site, "/etc/passwd")


def test_a_path_through_a_symlinked_root_is_a_source(site, tmp_path):
    link = tmp_path / "link-to-site"
    link.symlink_to(site)
    assert is_source(site, str(link / "content" / "a.md"))
    assert is_source(link, str(site / "content" / "a.md"))
    assert not is_source(link, str(site / "public" / "index.html"))


# --- watch() with a real observer ---------------------------------------------------------------------------------


def test_an_edit_in_place_reports_the_file(site, watching):
    target = site / "content" / "rfa" / "a.md"
    with open(target, "w", encoding="utf-8") as f:  # truncate, write, close: what most editors do by default
        f.write("---\ntitle: 乙\n---\n\n新的正文。\n")
    seen = watching.wait_for_path(target)
    assert seen <= {str(target)}, seen


def test_an_atomic_save_reports_the_target(site, watching):
    """Write a temp file beside the target, then os.replace it over (vim's backupcopy=no, many IDEs)."""
    target = site / "content" / "rfa" / "a.md"
    for temp_name in (".a.md.swp-save", "a.md.tmp", "a.md~"):
        temp = target.with_name(temp_name)
        temp.write_text(f"---\ntitle: {temp_name}\n---\n\n正文。\n", encoding="utf-8")
        os.replace(temp, target)
        seen = watching.wait_for_path(target)
        seen |= watching.quiet(0.3)
        assert seen == {str(target)}, f"{temp_name}: {seen}"  # the temp file itself is never reported


def test_a_new_file_and_a_deleted_file_are_reported(site, watching):
    new = site / "content" / "rfa" / "b.md"
    new.write_text("---\ntitle: 丙\n---\n", encoding="utf-8")
    watching.wait_for_path(new)
    old = site / "content" / "rfa" / "a.md"
    old.unlink()
    watching.wait_for_path(old)


def test_a_folder_made_inside_content_is_watched(site, watching):
    folder = site / "content" / "new-source"
    folder.mkdir()
    watching.wait_for_path(folder)
    article = folder / "c.md"
    article.write_text("---\ntitle: 丁\n---\n", encoding="utf-8")
    watching.wait_for_path(article)


def test_config_files_at_the_root_are_reported(site, watching):
    for name in ("sitegen.toml", "glossary.toml"):
        path = site / name
        path.write_text("# changed\n", encoding="utf-8")
        watching.wait_for_path(path)
    watching.drain()  # a new file comes as created + modified + closed
    (site / "README.md").write_text("not a source\n", encoding="utf-8")
    assert watching.quiet() == set()


def test_reading_reports_nothing(site, watching):
    """The build reads every source: if reading counted, each build would start the next one."""
    for relative in ("content/rfa/a.md", "static/css/site.css", "sitegen.toml"):
        with open(site / relative, encoding="utf-8") as f:
            f.read()
        (site / relative).stat()
        os.listdir((site / relative).parent)
    assert watching.quiet() == set()


def test_public_and_dot_sitegen_report_nothing(site, watching):
    (site / "public" / "index.html").write_text("<p>rebuilt</p>", encoding="utf-8")
    (site / "public" / "zh-hant" / "2023").mkdir(parents=True)
    (site / "public" / "zh-hant" / "2023" / "a.html").write_text("<p>新</p>", encoding="utf-8")
    tmp = site / "public" / ".index.html.x.tmp"
    tmp.write_text("<p>atomic</p>", encoding="utf-8")
    os.replace(tmp, site / "public" / "index.html")
    (site / ".sitegen" / "fetch.sqlite").write_bytes(b"SQLite format 3\0")
    (site / ".sitegen" / "cache").mkdir()
    shutil.rmtree(site / "public")
    (site / "public").mkdir()  # a clean build: public/ removed and made again
    assert watching.quiet() == set()


def test_a_templates_folder_made_after_watching_starts_is_watched(site, watching):
    templates = site / "templates"
    assert not templates.exists()
    templates.mkdir()
    watching.wait_for_path(templates)  # the folder itself is a change (the theme may now be overridden)
    article = templates / "article.html"
    article.write_text("{% extends 'base.html' %}\n", encoding="utf-8")
    watching.wait_for_path(article)
    article.write_text("{% extends 'base.html' %}{# again #}\n", encoding="utf-8")
    watching.wait_for_path(article)


def test_a_templates_folder_made_with_a_file_at_once_is_reported_and_then_watched(site, watching):
    """`mkdir templates && cp …` in one go: the file may land before the folder is watched, so the
    folder's own event must count; later edits of the file must be reported either way."""
    templates = site / "templates"
    templates.mkdir()
    (templates / "footer.html").write_text("<footer>一</footer>\n", encoding="utf-8")
    watching.wait_for(lambda seen: str(templates) in seen or str(templates / "footer.html") in seen,
                      "templates/ or templates/footer.html")
    watching.drain()
    (templates / "footer.html").write_text("<footer>二</footer>\n", encoding="utf-8")
    watching.wait_for_path(templates / "footer.html")


def test_a_templates_folder_moved_into_place_is_watched(site, watching):
    staged = site / "templates.new"
    staged.mkdir()
    (staged / "article.html").write_text("{% extends 'base.html' %}\n", encoding="utf-8")
    staged.rename(site / "templates")
    watching.wait_for_path(site / "templates")
    article = site / "templates" / "article.html"
    article.write_text("{% extends 'base.html' %}{# edited #}\n", encoding="utf-8")
    watching.wait_for_path(article)


def test_a_static_folder_removed_and_made_again_is_still_watched(site, watching):
    """`rm -rf static && cp -r ../other/static .`, or a `git checkout` of a branch without the folder and
    back: the folder's old watch died with it, and the new folder must be watched again."""
    static = site / "static"
    shutil.rmtree(static)
    watching.wait_for_path(static)
    watching.drain()  # every event of the removal, so the next report of static/ is its making
    static.mkdir()
    watching.wait_for_path(static)
    css = static / "site.css"
    css.write_text("h1 { color: red }\n", encoding="utf-8")
    watching.wait_for_path(css)


# --- the debounce between the watcher and the rebuild (sitegen.serve.live.Rebuilder) -----------------------------


class RecordingRebuilder(Rebuilder):
    """The real debounce loop; the build itself only recorded."""

    def __init__(self, root: Path) -> None:
        super().__init__(root, LiveState(), say=lambda line: None)
        self.builds_started: queue.Queue[tuple[float, set[str]]] = queue.Queue()

    def rebuild(self, paths: set[str]) -> bool:
        self.builds_started.put((time.monotonic(), set(paths)))
        return True


@pytest.fixture
def rebuilder(site: Path) -> Iterator[RecordingRebuilder]:
    recording = RecordingRebuilder(site)
    thread = threading.Thread(target=recording.run, daemon=True)
    thread.start()
    try:
        yield recording
    finally:
        recording.live.stopping.set()
        thread.join(timeout=5)
        assert not thread.is_alive()


def saves(rebuilder: RecordingRebuilder, paths: list[str], every: float) -> float:
    """Report `paths` one by one, `every` seconds apart; the time of the last report."""
    last = time.monotonic()
    for i, path in enumerate(paths):
        if i:
            time.sleep(every)
        rebuilder.changed({path})
        last = time.monotonic()
    return last


def test_a_burst_of_different_files_is_one_build_after_a_quiet_spell(site, rebuilder):
    last = saves(rebuilder, [str(site / "content" / f"{n}.md") for n in range(8)], every=0.03)
    at, paths = rebuilder.builds_started.get(timeout=5)
    assert len(paths) == 8, paths
    assert at - last >= QUIET_SECONDS * 0.9
    with pytest.raises(queue.Empty):
        rebuilder.builds_started.get(timeout=0.3)


def test_a_burst_on_one_file_is_one_build_after_a_quiet_spell(site, rebuilder):
    """An editor's save is truncate + write(s) + close on one path, `cp` of a big file many writes,
    a formatter on save writes again: the build must wait until the file has been quiet for
    QUIET_SECONDS, or it reads the file half-written (and the browser flashes an error or half a page)."""
    path = str(site / "content" / "rfa" / "a.md")
    last = saves(rebuilder, [path] * 8, every=0.03)  # 8 writes, 30 ms apart: one burst
    at, paths = rebuilder.builds_started.get(timeout=5)
    assert paths == {path}
    assert at - last >= QUIET_SECONDS * 0.9, (
        f"the build started {at - last:+.3f} s after the last write of the burst, "
        f"before {QUIET_SECONDS} s of quiet: it may read the file half-written")
    with pytest.raises(queue.Empty):
        rebuilder.builds_started.get(timeout=0.3)


def test_a_never_ending_burst_still_builds_after_the_longest_wait(site, rebuilder):
    paths = [str(site / "content" / f"{n}.md") for n in range(int(MAX_WAIT_SECONDS / 0.03) + 20)]
    first = time.monotonic()
    stopper = threading.Thread(target=saves, args=(rebuilder, paths, 0.03), daemon=True)
    stopper.start()
    at, _ = rebuilder.builds_started.get(timeout=5)
    stopper.join(timeout=10)
    assert at - first <= MAX_WAIT_SECONDS + 0.3
