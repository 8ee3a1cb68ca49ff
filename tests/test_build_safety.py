"""The ordinary mistakes of a working editor lose nothing and unpublish nothing: a wrong --output,
a typo in a published article, a newcomer with a taken id, an unknown source, drafts and
articles dated in the future."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from sitegen.build import build
from sitegen.config import load_config
from sitegen.errors import SitegenError
from tests.helpers import article, settle, tree

NOW = datetime(2024, 6, 1, tzinfo=timezone.utc)


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sitegen", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def pages_of(public: Path, article_id: str) -> list[Path]:
    return sorted(public.glob(f"zh-*/**/{article_id}.html"))


def feed_and_home(public: Path) -> str:
    return "".join((public / v / name).read_text(encoding="utf-8")
                   for v in ("zh-hans", "zh-hant") for name in ("atom.xml", "rss.xml", "index.html"))


def good_build(root: Path, **options):
    result = build(load_config(root), now=NOW, **options)
    assert not result.report.failed, result.report.problems
    return result


# ---- output folders are owned, not assumed ----

@pytest.mark.parametrize("output", [".", "..", "content", "static/built", ".sitegen/out", "elsewhere"])
def test_an_output_folder_that_is_or_holds_the_site_is_refused_and_nothing_is_touched(make_site, output):
    root = make_site(files={"content/a.md": article(), "static/logo.txt": "logo"})
    if output == "elsewhere":  # a folder that holds another site
        (root / "elsewhere" / "content").mkdir(parents=True)
        (root / "elsewhere" / "sitegen.toml").write_text("# another site\n", encoding="utf-8")
    before = tree(root.parent)
    result = run("build", "--output", output, cwd=root)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "nothing was done" in lines[0] and "Traceback" not in result.stderr
    assert tree(root.parent) == before


def test_the_build_api_refuses_the_site_folder_too(make_site):
    root = make_site(files={"content/a.md": article()})
    with pytest.raises(SitegenError, match="is the site folder"):
        build(load_config(root), root)
    assert sorted(p.name for p in root.iterdir()) == ["content", "sitegen.toml"]


def test_a_first_build_into_a_folder_with_other_files_removes_none_of_them(make_site, tmp_path):
    root = make_site(files={"content/a.md": article()})
    target = tmp_path / "www"
    (target / "old").mkdir(parents=True)
    (target / "old" / "notes.html").write_text("mine", encoding="utf-8")
    (target / "CNAME").write_text("news.example.org\n", encoding="utf-8")
    result = run("build", "--output", str(target), cwd=root)
    assert result.returncode == 0, result.stderr
    assert (target / "old" / "notes.html").read_text(encoding="utf-8") == "mine"
    assert (target / "CNAME").exists() and pages_of(target, "a1")
    assert "2 file(s) here were not written by this build and were left" in result.stderr
    assert ", 0 removed," in result.stdout


def test_only_files_the_records_say_sitegen_wrote_are_removed(make_site):
    root = make_site(files={"content/a.md": article(), "content/b.md": article(id="b2", title="第二条")})
    good_build(root)
    public = root / "public"
    (public / "mine.txt").write_text("a file of the user's", encoding="utf-8")
    hand_edited = pages_of(public, "b2")[0]
    hand_edited.write_text(hand_edited.read_text(encoding="utf-8") + "<!-- edited -->", encoding="utf-8")
    (root / "content/b.md").unlink()
    report = good_build(root).report
    assert (public / "mine.txt").exists()
    assert hand_edited.exists(), "changed since sitegen wrote it: not sitegen's to remove"
    assert len(pages_of(public, "b2")) == 1  # the untouched one in the other script is gone
    assert report.counts["removed"] >= 1
    assert any("no longer made were left: they changed since" in p.message for p in report.problems)


def test_a_build_into_another_folder_does_not_make_public_forget_what_it_wrote(make_site, tmp_path):
    root = make_site(files={"content/a.md": article(), "content/b.md": article(id="b2", title="第二条")})
    good_build(root)
    good_build(root, output_dir=tmp_path / "elsewhere")
    (root / "content/b.md").unlink()
    good_build(root)
    assert pages_of(root / "public", "b2") == [], "public/'s records survived the other build"
    assert pages_of(root / "public", "a1")


# ---- an input error never unpublishes ----

def broken_date(root: Path, name: str) -> None:
    path = root / "content" / name
    path.write_text(path.read_text(encoding="utf-8").replace('"2024-03-01T23:30:00+00:00"', "2024-03-01"),
                    encoding="utf-8")


def test_a_typo_in_a_published_article_keeps_its_pages_list_entries_and_feed_items(make_site):
    root = make_site(files={"content/a.md": article(title="第一条新闻", body="第一条的正文。"),
                            "content/b.md": article(id="b2", title="第二条新闻", body="第二条的正文。")})
    good_build(root)
    public = root / "public"
    pages = {p: p.read_bytes() for p in pages_of(public, "a1")}
    broken_date(root, "a.md")
    result = run("build", cwd=root)
    assert result.returncode == 1
    error = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert error == ["error: content/a.md: date: '2024-03-01' has no UTC offset; add one such as +08:00; "
                     "its last good version stays published until this is fixed"]
    assert {p: p.read_bytes() for p in pages_of(public, "a1")} == pages
    everything = feed_and_home(public) + (public / "sitemap.xml").read_text(encoding="utf-8")
    assert "第一条新闻" in everything and "a1.html" in everything
    assert ", 0 removed," in result.stdout


def test_a_broken_article_keeps_its_last_good_text_when_its_pages_are_made_again(make_site):
    root = make_site(files={"content/a.md": article(title="第一条新闻", body="第一条的正文。")})
    good_build(root)
    broken_date(root, "a.md")
    (root / "content/a.md").write_text((root / "content/a.md").read_text(encoding="utf-8")
                                       .replace("第一条的正文", "还没写完的正文"), encoding="utf-8")
    # a newer story arrives: a1's page now links to it, so the page is made again, from the last good text
    (root / "content/b.md").write_text(article(id="b2", title="第二条新闻").replace("03-01T", "03-05T"),
                                       encoding="utf-8")
    result = build(load_config(root), now=NOW)
    assert [p.where for p in result.report.problems if p.level == "error"] == ["content/a.md"]
    page = pages_of(root / "public", "a1")[0].read_text(encoding="utf-8")
    assert "第一条的正文" in page and "还没写完" not in page and "第二条新闻" in page
    assert "還沒寫完" not in feed_and_home(root / "public") and "还没写完" not in feed_and_home(root / "public")


def test_the_next_good_save_replaces_the_held_pages(make_site):
    root = make_site(files={"content/a.md": article(body="第一条的正文。")})
    good_build(root)
    broken_date(root, "a.md")
    build(load_config(root), now=NOW)
    (root / "content/a.md").write_text(article(body="改好了的正文。"), encoding="utf-8")
    good_build(root)
    for page in pages_of(root / "public", "a1"):
        text = page.read_text(encoding="utf-8")
        assert "改好了的正文" in text and "第一条的正文" not in text


def test_a_broken_article_that_was_never_published_is_left_out_and_reported(make_site):
    root = make_site(files={"content/a.md": article()})
    broken_date(root, "a.md")
    result = build(load_config(root), now=NOW)
    assert [str(p) for p in result.report.problems] == [
        "error: content/a.md: date: '2024-03-01' has no UTC offset; add one such as +08:00"]
    assert pages_of(root / "public", "a1") == []


def test_held_articles_survive_a_build_cache_that_was_stored_and_read_again(make_site):
    root = make_site(files={"content/a.md": article(title="第一条新闻")})
    settle(root)
    good_build(root)
    broken_date(root, "a.md")
    for _ in range(2):  # the second build reads the held text from the stored cache, not from memory
        result = build(load_config(root), now=NOW)
        assert result.report.failed and pages_of(root / "public", "a1")
    assert "第一条新闻" in feed_and_home(root / "public")


# ---- duplicate ids ----

def test_a_newcomer_with_a_published_id_is_refused_and_the_holder_stays(make_site):
    root = make_site(files={"content/z-old.md": article(id="same", title="早已发布的新闻")})
    good_build(root)
    pages = {p: p.read_bytes() for p in pages_of(root / "public", "same")}
    # sorts before the holder, and is dated earlier: neither may take the id from a published story
    (root / "content/a-new.md").write_text(article(id="same", title="新来的新闻").replace("03-01T", "02-01T"),
                                           encoding="utf-8")
    result = run("build", cwd=root)
    assert result.returncode == 1
    assert [line for line in result.stderr.splitlines() if line.startswith("error:")] == [
        "error: content/a-new.md: id 'same' is already used by content/z-old.md; this file is not published "
        "(give it an id of its own)"]
    assert {p: p.read_bytes() for p in pages_of(root / "public", "same")} == pages
    assert ", 0 removed," in result.stdout


def test_without_records_the_earlier_fetched_story_keeps_the_id(make_site):
    first = article(id="same", title="先抓到的").replace("categories:", 'fetched: "2024-03-02T00:00:00+08:00"\ncategories:')
    second = article(id="same", title="后抓到的").replace("categories:", 'fetched: "2024-03-03T00:00:00+08:00"\ncategories:')
    root = make_site(files={"content/a.md": second, "content/b.md": first})
    result = build(load_config(root), now=NOW)
    assert [p.where for p in result.report.problems if p.level == "error"] == ["content/a.md"]
    assert "先抓到的" in pages_of(root / "public", "same")[0].read_text(encoding="utf-8")


# ---- attribution is mandatory ----

def test_an_unknown_source_is_an_error_in_build_and_check(make_site):
    root = make_site(files={"content/a.md": article(), "content/x.md": article(id="x1", source="nosuch")})
    for command in ("build", "check"):
        result = run(command, cwd=root)
        assert result.returncode == 1
        assert "error: content/x.md: source 'nosuch' is not in sitegen.toml" in result.stderr
    assert pages_of(root / "public", "x1") == [] and pages_of(root / "public", "a1")


def test_source_local_publishes_ones_own_story(make_site):
    root = make_site(files={"content/mine.md": article(id="mine", source="local")})
    good_build(root)
    assert len(pages_of(root / "public", "mine")) == 2


# ---- drafts and scheduling ----

def with_key(text: str, line: str) -> str:
    return text.replace("categories:", f"{line}\ncategories:")


def scheduled_site(make_site, now: datetime = NOW):
    later = (now + timedelta(days=1)).isoformat()
    return make_site(files={
        "content/a.md": article(title="已发布的新闻"),
        "content/d.md": with_key(article(id="d1", title="草稿新闻"), "draft: true"),
        "content/f.md": article(id="f1", title="明天的新闻").replace("2024-03-01T23:30:00+00:00", later)})


def test_drafts_and_future_articles_are_left_out_and_said(make_site):
    root = scheduled_site(make_site)
    result = good_build(root)
    assert pages_of(root / "public", "d1") == [] and pages_of(root / "public", "f1") == []
    assert "草稿新闻" not in feed_and_home(root / "public") and "明天的新闻" not in feed_and_home(root / "public")
    notes = {p.where: p.message for p in result.report.problems if p.level == "note"}
    assert notes["content/d.md"].startswith("draft: not published")
    assert notes["content/f.md"].startswith("dated in the future")
    assert result.report.summary().endswith("0 errors")  # notes are not problems


def test_a_scheduled_article_appears_when_its_time_has_come_with_nothing_else_changed(make_site):
    root = scheduled_site(make_site)
    settle(root)
    good_build(root)
    tomorrow = build(load_config(root), now=NOW + timedelta(days=2))
    assert tomorrow.report.counts["pages rendered"] > 0, "the nothing-changed shortcut must not hide a due story"
    assert len(pages_of(root / "public", "f1")) == 2
    assert pages_of(root / "public", "d1") == []


def test_a_preview_shows_drafts_and_scheduled_articles_marked(make_site, tmp_path):
    root = scheduled_site(make_site)
    build(load_config(root), now=NOW, preview=True)
    draft = pages_of(root / "public", "d1")[0].read_text(encoding="utf-8")
    future = pages_of(root / "public", "f1")[0].read_text(encoding="utf-8")
    published = pages_of(root / "public", "a1")[0].read_text(encoding="utf-8")
    assert 'class="preview-mark"' in draft and "草稿" in draft
    assert 'class="preview-mark"' in future and "预定发布" in future or "預定發布" in future
    assert "preview-mark" not in published
    home = (root / "public/zh-hant/index.html").read_text(encoding="utf-8")
    # wherever the front page shows a story (its lead, top band, latest list), a waiting one is marked
    marked = re.findall(r'class="preview-mark">[^<]*</span> <a href="[^"]*/([^/"]+)\.html"', home)
    assert set(marked) == {"d1", "f1"} and home.count('class="preview-mark"') == len(marked)
    # the build after a preview publishes only what is out, and removes the preview's extra pages
    good_build(root)
    assert pages_of(root / "public", "d1") == [] and pages_of(root / "public", "f1") == []
    assert "preview-mark" not in (root / "public/zh-hant/index.html").read_text(encoding="utf-8")


def test_check_lists_drafts_and_scheduled_articles(make_site):
    root = scheduled_site(make_site, now=datetime.now(timezone.utc))  # the command asks the clock
    result = run("check", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "note: content/d.md: draft: not published" in result.stderr
    assert "note: content/f.md: dated in the future" in result.stderr


def test_draft_must_be_true_or_false(make_site):
    root = make_site(files={"content/d.md": with_key(article(id="d1"), "draft: yes please")})
    result = build(load_config(root), now=NOW)
    assert [str(p) for p in result.report.problems] == [
        "error: content/d.md: draft: must be true or false, not 'yes please'"]


def test_a_first_build_into_a_new_folder_puts_the_staged_tree_in_whole(make_site, tmp_path, monkeypatch):
    """A folder that is not there yet becomes the staged tree in one rename: every page the same as
    built file by file, nothing left in staging, and the next build knows every file it wrote."""
    import os

    root = make_site(files={"content/a.md": article(id="a1", title="第一条新闻", body="第一条的正文。")})
    whole, by_file = tmp_path / "out" / "new", tmp_path / "by-file"
    by_file.mkdir()
    moved, real_replace = [], os.replace
    monkeypatch.setattr(os, "replace", lambda source, target: (moved.append(target), real_replace(source, target)))
    good_build(root, output_dir=whole)
    assert not [target for target in moved if Path(target).is_relative_to(whole)]  # no file moved on its own
    monkeypatch.undo()
    good_build(root, output_dir=by_file)
    assert tree(whole) == tree(by_file) and tree(whole)
    assert not any((root / ".sitegen/staging").iterdir())
    (root / "content/a.md").unlink()
    again = good_build(root, output_dir=whole)
    assert again.report.counts["removed"] > 0 and not list(whole.rglob("a1.html"))


def test_a_first_build_into_an_empty_folder_keeps_that_folder(make_site, tmp_path):
    """An empty output folder may have been made with an owner or mode of its own: it stays the
    same folder, filled file by file."""
    root = make_site(files={"content/a.md": article(id="a1", title="第一条新闻", body="第一条的正文。")})
    out = tmp_path / "www"
    out.mkdir(mode=0o750)
    before = out.stat()
    good_build(root, output_dir=out)
    after = out.stat()
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode) and list(out.rglob("a1.html"))
