"""Builds after the first: only what changed is made again, and the result is always what a
clean build would make."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from sitegen import build as build_module
from sitegen import cache as build_cache
from sitegen.build import build
from sitegen.config import load_config
from sitegen.outputs import articles as article_pages
from sitegen.outputs.lists import VariantLists
from sitegen.render.keys import PageKeys
from tests.helpers import article, edit_settled, paginated, settle, snapshot, tree


def counts(root: Path, **options) -> dict[str, int]:
    result = build(load_config(root), **options)
    assert not result.report.failed, result.report.problems
    return result.report.counts


def three_articles() -> dict[str, str]:
    return {"content/a.md": article(id="a1", title="第一条新闻", body="第一条的正文。"),
            # another category: b2 is a1's and c3's neighbour in time, not their related story
            "content/b.md": article(id="b2", title="第二条新闻", body="第二条的正文。", category="财经")
            .replace("2024-03-01", "2024-03-02"),
            "content/c.md": article(id="c3", title="第三条新闻", body="第三条的正文。")
            .replace("2024-03-01", "2024-03-03")}


def page(root: Path, variant: str, article_id: str) -> Path:
    """The article's page in `variant`'s tree (zh-hans or zh-hant)."""
    [found] = (root / "public" / variant).glob(f"20*/*/{article_id}.html")
    return found


def text(root: Path, variant: str, article_id: str) -> str:
    return page(root, variant, article_id).read_text(encoding="utf-8")


@pytest.fixture
def site(make_site) -> Path:
    root = make_site(files=three_articles())
    settle(root)
    counts(root)
    return root


def every_page(root: Path) -> int:
    """HTML pages and feeds: what `pages rendered` counts."""
    public = root / "public"
    return len(list(public.rglob("*.html"))) + len([p for p in public.rglob("*.xml") if p.name != "sitemap.xml"])


def test_nothing_changed_nothing_rendered_or_written(site):
    before = snapshot(site / "public")
    again = counts(site)
    assert again["pages rendered"] == 0 and again["files written"] == 0 and again["removed"] == 0
    assert again["unchanged"] == len(before) and again["articles"] == 3
    assert snapshot(site / "public") == before  # bytes and mtimes: rsync and deploy see nothing new


def test_a_body_edit_changes_that_articles_pages_and_the_feeds_only(site):
    before = snapshot(site / "public")
    edit_settled(site / "content/b.md", "第二条的正文。", "第二条改过的正文。")
    again = counts(site)
    after = snapshot(site / "public")
    changed = {path for path in after if after[path] != before.get(path)}
    pages = {page(site, v, "b2").relative_to(site / "public").as_posix() for v in ("zh-hans", "zh-hant")}
    feeds = {path for path, (data, _) in after.items() if path.endswith(("atom.xml", "rss.xml"))  # with its text
             and any(edited.encode() in data for edited in ("改过的正文", "改過的正文"))}
    assert len(feeds) == 8  # both formats, both variants: the site's feeds and its category's
    index = {path for path in changed if "/pagefind/" in path}  # made again: an article page changed
    assert index and changed - index == pages | feeds and again["files written"] == len(changed)
    assert "第二條改過的正文" in text(site, "zh-hant", "b2")


def test_a_title_edit_reaches_the_neighbours_and_the_lists(site):
    edit_settled(site / "content/b.md", "第二条新闻", "第二条新闻改了标题")
    counts(site)
    shown = [text(site, "zh-hans", "a1"), text(site, "zh-hans", "c3"), text(site, "zh-hant", "a1"),
             (site / "public/zh-hans/index.html").read_text(encoding="utf-8"),
             (site / "public/zh-hant/index.html").read_text(encoding="utf-8")]
    assert ["改了标题" in t or "改了標題" in t for t in shown] == [True] * 5


def test_marking_a_date_as_estimated_moves_the_article_down_the_lists(site):
    paginated(site, 1)  # one story a page: the first page must change though c3 leaves it
    settle(site)
    counts(site)

    def first_page() -> str:  # on the front page, the latest list is the list's first page
        home = (site / "public/zh-hans/index.html").read_text(encoding="utf-8")
        return home.split('class="front-latest"', 1)[1].split("</section>", 1)[0]
    assert "第三条新闻" in first_page()
    edit_settled(site / "content/c.md", "categories:", "date_estimated: true\ncategories:")
    counts(site)  # c3 sorts a day lower: level with b2, which has a real date and goes first
    assert "第二条新闻" in first_page() and "第三条新闻" not in first_page()
    fresh = site.parent / "fresh"
    shutil.copytree(site / "content", fresh / "content")
    shutil.copy(site / "sitegen.toml", fresh)
    counts(fresh)
    assert tree(fresh / "public") == tree(site / "public")


def test_a_template_edit_remakes_every_page(site):
    (site / "templates").mkdir()
    (site / "templates/footer.html").write_text('<footer class="probe">新的页脚</footer>\n', encoding="utf-8")
    settle(site)
    again = counts(site)
    assert again["pages rendered"] == every_page(site)
    chooser = site / "public/index.html"  # the root chooser has no footer of one script
    assert all("probe" in p.read_text(encoding="utf-8") for p in (site / "public").rglob("*.html") if p != chooser)


def test_a_config_edit_remakes_every_page(site):
    config = site / "sitegen.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("測試新聞", "改名新聞"), encoding="utf-8")
    counts(site)
    for html in (site / "public").rglob("*.html"):
        shown = html.read_text(encoding="utf-8")
        assert "改名新聞" in shown or "改名新闻" in shown, html


def test_a_glossary_edit_reaches_converted_text(site):
    (site / "glossary.toml").write_text('[[terms]]\nzh-Hans = "正文"\nzh-Hant = "內文"\n', encoding="utf-8")
    counts(site)
    assert "第一條的內文" in text(site, "zh-hant", "a1")


def test_a_deleted_output_file_is_made_again(site):
    gone = page(site, "zh-hans", "a1")
    gone.unlink()
    again = counts(site)
    assert gone.is_file() and again["files written"] == 1


def test_outputs_checked_on_another_core_are_checked_the_same(site, monkeypatch):
    """A large site's check stats its outputs in a process of its own: what it finds is what a
    check here finds, so a deleted page is made again and an untouched site has nothing to do."""
    monkeypatch.setattr(build_module, "CHECK_OUTPUTS_APART_FROM", 1)
    gone = page(site, "zh-hans", "a1")
    gone.unlink()
    assert counts(site)["files written"] == 1 and gone.is_file()
    assert counts(site)["pages rendered"] == 0


def test_an_output_file_changed_by_hand_is_made_again(site):
    changed = page(site, "zh-hant", "c3")
    good = changed.read_bytes()
    changed.write_bytes(good.replace("第三條".encode(), "亂改".encode()))
    counts(site)
    assert changed.read_bytes() == good


def test_a_removed_article_takes_its_pages_with_it(site):
    folder = page(site, "zh-hans", "c3").parent
    (site / "content/c.md").unlink()
    again = counts(site)
    assert again["removed"] >= 2
    assert not folder.exists()


def test_a_file_changed_twice_within_the_same_mtime_is_read_again(make_site):
    """Just written, a file is not trusted by size and mtime: it could change again, keeping both."""
    root = make_site(files=three_articles())
    counts(root)  # the files were written just now
    path = root / "content/a.md"
    stat = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("第一条的正文", "第壹条的正文"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size
    counts(root)
    assert "第壹条的正文" in text(root, "zh-hans", "a1")


def clean_build(root: Path, tmp_path: Path) -> dict[str, bytes]:
    """What a build with no cache at all makes, for comparison."""
    out = tmp_path / "clean"
    build(load_config(root), out, cache=build_cache.BuildCache(), save=False)
    return tree(out)


def public_bytes(root: Path) -> dict[str, bytes]:
    return tree(root / "public")


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty"])
@pytest.mark.parametrize("which", ["*", "files-*"])
def test_a_damaged_cache_means_a_clean_build_never_a_wrong_page(site, tmp_path, damage, which):
    edit_settled(site / "content/a.md", "第一条的正文", "第一条新的正文")
    for stored in (site / ".sitegen/build").glob(which):
        data = stored.read_bytes()
        stored.write_bytes({"garbage": b"\x80\x04not a pickle", "truncated": data[:len(data) // 2],
                            "empty": b""}[damage])
    result = build(load_config(site))
    # An edited site's index has other file names; the last one's, unrecorded now, are left and counted.
    assert [p.where for p in result.report.problems if not p.where.endswith("public")] == ["build cache"]
    assert "building everything" in result.report.problems[0].message
    assert result.report.counts["pages rendered"] == every_page(site)
    found, clean = public_bytes(site), clean_build(site, tmp_path)
    left = set(found) - set(clean)
    assert all("/pagefind/" in path for path in left)  # never removed without a record, only counted
    assert {path: data for path, data in found.items() if path not in left} == clean


def test_another_sitegen_version_means_a_clean_build(site, tmp_path, monkeypatch):
    monkeypatch.setattr(build_cache, "code_version", lambda: "another version")
    again = counts(site)
    assert again["pages rendered"] == every_page(site)
    assert public_bytes(site) == clean_build(site, tmp_path)


def test_warnings_are_said_again_when_nothing_changed(make_site):
    root = make_site(files={"content/a.md": article(source="nowhere")})
    settle(root)
    first = build(load_config(root)).report
    again = build(load_config(root)).report
    assert again.counts["pages rendered"] == 0
    assert [str(p) for p in again.problems] == [str(p) for p in first.problems] != []


def test_a_warm_site_kept_between_builds_stays_right(site):
    """serve keeps the cache (and the assembled site) in memory between builds."""
    config = load_config(site)
    result = build(config, keep_last_good=True, save=False)
    edit_settled(site / "content/b.md", "第二条的正文。", "第二条在预览里改的正文。")
    result = build(config, keep_last_good=True, save=False, cache=result.cache)
    assert "第二条在预览里改的正文" in text(site, "zh-hans", "b2")
    edit_settled(site / "content/b.md", "第二条新闻", "第二条在预览里改的标题")
    build(config, keep_last_good=True, save=False, cache=result.cache)
    assert "第二条在预览里改的标题" in text(site, "zh-hans", "c3")


def test_a_failed_build_in_preview_writes_nothing_and_the_next_good_one_recovers(site):
    config = load_config(site)
    before = snapshot(site / "public")
    (site / "templates").mkdir()
    (site / "templates/article.html").write_text("{% extends 'base.html' %}{% block main %}{{ nope }}{% endblock %}",
                                                 encoding="utf-8")
    edit_settled(site / "content/a.md", "第一条的正文", "第一条预览的正文")
    failed = build(config, keep_last_good=True, save=False)
    assert failed.report.failed and snapshot(site / "public") == before
    (site / "templates/article.html").unlink()
    good = build(config, keep_last_good=True, save=False, cache=failed.cache)
    assert not good.report.failed
    assert "第一条预览的正文" in text(site, "zh-hans", "a1")


def test_a_date_edit_moves_the_article_and_its_neighbours_follow(site):
    """a1 < b2 < c3 in time; b2 moved after c3: a1's newer story is now c3, and c3's older one a1."""
    edit_settled(site / "content/b.md", "2024-03-02T23:30", "2024-03-09T23:30")
    counts(site)
    newer_of_a1 = text(site, "zh-hans", "a1").split('rel="prev"')[1].split('"')[1]
    older_of_c3 = text(site, "zh-hans", "c3").split('rel="next"')[1].split('"')[1]
    assert newer_of_a1.endswith("/c3.html") and older_of_c3.endswith("/a1.html")


def test_a_date_edit_that_empties_a_month_reaches_every_archive_page(make_site):
    """The 2023 archive shows links to every archive; a1 leaving February 2024 takes that link away."""
    files = three_articles()
    files["content/a.md"] = files["content/a.md"].replace("2024-03-01T23:30", "2024-02-20T08:00")
    files["content/z.md"] = article(id="z0", title="去年的新闻").replace("2024-03-01T23:30", "2023-05-01T08:00")
    root = make_site(files=files)
    settle(root)
    counts(root)
    archive_2023 = root / "public/zh-hans/2023/index.html"
    assert "2024年2月" in archive_2023.read_text(encoding="utf-8")
    edit_settled(root / "content/a.md", "2024-02-20T08:00", "2024-03-01T08:00")
    counts(root)
    assert "2024年2月" not in archive_2023.read_text(encoding="utf-8")


def test_a_cache_that_cannot_be_stored_is_a_warning_not_a_failure(make_site):
    root = make_site(files=three_articles())
    (root / ".sitegen").mkdir()
    (root / ".sitegen/build").write_text("a file where the cache folder goes", encoding="utf-8")
    result = build(load_config(root))
    assert not result.report.failed and "第一条的正文" in text(root, "zh-hans", "a1")
    # An edited site's index has other file names; the last one's, unrecorded now, are left and counted.
    assert [p.where for p in result.report.problems if not p.where.endswith("public")] == ["build cache"]


def test_an_article_written_again_with_the_same_bytes_leaves_nothing_to_do(site):
    """As a fetch that found nothing new rewrites a file, or an editor saves twice: the file's time
    changed, not what it holds, and the build stops at its check."""
    before = snapshot(site / "public")
    path = site / "content/b.md"
    path.write_bytes(path.read_bytes())
    result = build(load_config(site))
    assert list(result.timings) == ["check"]
    assert result.report.counts["pages rendered"] == 0 and result.report.counts["unchanged"] == len(before)
    assert snapshot(site / "public") == before


def test_an_article_changed_within_the_same_mtime_after_a_build_with_nothing_to_do(make_site):
    """A file too new to trust by its time is judged by its bytes, on every build until one stores it
    settled: a build that found it unchanged does not make the next one trust it."""
    root = make_site(files=three_articles())
    counts(root)  # the files were written just now
    assert list(build(load_config(root)).timings) == ["check"]  # the same bytes: nothing to do
    path = root / "content/c.md"
    stat = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("第三条的正文", "第叁条的正文"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    counts(root)
    assert "第叁条的正文" in text(root, "zh-hans", "c3")


def test_a_static_file_changed_within_the_same_mtime_is_copied_again(make_site):
    root = make_site(files={**three_articles(), "static/note.txt": "first"})
    counts(root)
    path = root / "static/note.txt"
    stat = path.stat()
    path.write_text("again", encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    counts(root)
    assert (root / "public/note.txt").read_text(encoding="utf-8") == "again"


def test_a_new_article_beside_a_rewritten_one_is_built(site):
    """Only the shards of the cache that hold changed files are read by the check; a file added to
    one of them is a change, whatever else in it is only rewritten."""
    path = site / "content/a.md"
    path.write_bytes(path.read_bytes())
    name = next(f"d{n}.md" for n in range(100) if build_cache.shard_of(f"d{n}.md") == build_cache.shard_of("a.md"))
    (site / "content" / name).write_text(article(id="d4", title="第四条新闻", body="第四条的正文。"), encoding="utf-8")
    counts(site)
    assert "第四条的正文" in text(site, "zh-hans", "d4")


def thirty_stories_built(make_site) -> Path:
    """A site of thirty stories a minute apart in two categories, built and settled."""
    files = {f"content/s{n:02d}.md": article(id=f"s{n:02d}", title=f"第{n}条新闻", body=f"第{n}条的正文。",
                                            category="国际" if n % 3 else "财经")
             .replace("2024-03-01T23:30", f"2024-03-01T{n // 60:02d}:{n % 60:02d}") for n in range(30)}
    root = make_site(files=files)
    settle(root)
    counts(root)
    return root


def test_a_new_story_remakes_its_neighbours_pages_and_keeps_the_rest_untouched(make_site, tmp_path, monkeypatch):
    """A fetch's story on top of a long archive: the site changes shape, yet the pages of articles
    whose context is as before are kept without their keys worked out; the site is a clean build's."""
    root = thirty_stories_built(make_site)
    before = snapshot(root / "public")
    (root / "content/new.md").write_text(article(id="s99", title="最新的新闻", body="最新的正文。")
                                         .replace("2024-03-01T23:30", "2024-03-01T12:00"), encoding="utf-8")
    settle(root)
    keyed = []
    real_key = PageKeys.article_page
    monkeypatch.setattr(PageKeys, "article_page", lambda keys, article: (keyed.append(article.id),
                                                                         real_key(keys, article))[1])
    after = counts(root)
    # keys are worked out for the articles whose context changed, not for all 31 in both scripts
    assert 0 < len(keyed) <= 2 * 8, keyed
    old_articles = [path for path in before if "/2024/03" in path and path.endswith(".html")]
    kept = [path for path in old_articles if snapshot(root / "public").get(path) == before[path]]
    # the new story's neighbours in time and its category's nearest stories change; the older ones do not
    assert len(kept) >= len(old_articles) - 2 * 8 and after["pages rendered"] < every_page(root) // 2
    assert public_bytes(root) == clean_build(root, tmp_path)


def seven_stories_built(make_site) -> Path:
    """A site of seven stories a minute apart (s0 the oldest), two to a list page, built and settled."""
    files = {f"content/s{n}.md": article(id=f"s{n}", title=f"第{n}条新闻", body=f"第{n}条的正文。")
             .replace("2024-03-01T23:30", f"2024-03-01T10:{n:02d}") for n in range(7)}
    root = make_site(files=files)
    paginated(root, 2)
    settle(root)
    counts(root)
    return root


def add_newest_story(root: Path) -> None:
    """A story newer than all (as a fetch brings one), built into public/."""
    (root / "content/s9.md").write_text(article(id="s9", title="最新的新闻", body="最新的正文。")
                                        .replace("2024-03-01T23:30", "2024-03-01T11:00"), encoding="utf-8")
    settle(root)
    counts(root)


def test_a_list_page_made_again_for_an_edit_is_judged_by_what_it_shows_now(make_site, tmp_path):
    """A title edited (the site keeps its shape: the list pages showing it are made again), then
    edited back in the same build that a new story comes in (the site changes shape): the list page
    that showed the edited title shows the first one again, as a clean build would."""
    root = seven_stories_built(make_site)
    oldest = root / "public/zh-hans/page/1/index.html"
    assert "第0条新闻" in oldest.read_text(encoding="utf-8")
    edit_settled(root / "content/s0.md", "第0条新闻", "改过的标题")
    counts(root)
    assert "改过的标题" in oldest.read_text(encoding="utf-8")
    edit_settled(root / "content/s0.md", "改过的标题", "第0条新闻")
    add_newest_story(root)
    assert "第0条新闻" in oldest.read_text(encoding="utf-8")
    assert public_bytes(root) == clean_build(root, tmp_path)


def test_prints_of_another_output_folder_never_vouch_for_this_ones_pages(make_site, tmp_path):
    """Built into public/, then (after an edit) into another folder, then back into public/ with a
    new story: public/'s pages were made before the edit, so what the other build remembered of
    each page must not keep them."""
    root = seven_stories_built(make_site)
    edit_settled(root / "content/s0.md", "第0条新闻", "改过的标题")
    counts(root, output_dir=tmp_path / "elsewhere")
    add_newest_story(root)
    assert "改过的标题" in (root / "public/zh-hans/page/1/index.html").read_text(encoding="utf-8")
    assert public_bytes(root) == clean_build(root, tmp_path)


def test_a_body_edit_leaves_the_other_pages_where_they_are_without_placing_them(make_site, tmp_path, monkeypatch):
    """The site keeps its shape: the pages that do not show the edited story stay where the last
    build put them, and where each goes is worked out only for the few that show it."""
    root = thirty_stories_built(make_site)
    edit_settled(root / "content/s10.md", "第10条的正文", "第10条改过的正文")
    placed, listed = [], []
    real_listings, real_list_listing = article_pages.article_listings, VariantLists.listing
    monkeypatch.setattr(article_pages, "article_listings", lambda renderers, remembered, article: (
        placed.append(article.id), real_listings(renderers, remembered, article))[1])
    monkeypatch.setattr(VariantLists, "listing", lambda lists, index, number: (
        listed.append({article.id for article in lists.specs[index].articles}), real_list_listing(lists, index, number))[1])
    counts(root)
    assert "s10" in placed and len(placed) <= 12, placed  # the story and those within its reach, not all 30
    assert listed and all("s10" in ids for ids in listed)  # only the lists that hold it, not the other category's
    assert public_bytes(root) == clean_build(root, tmp_path)


def test_pages_left_where_they_were_are_made_again_if_they_are_gone(make_site, tmp_path):
    """A page the build would leave in place, and the sitemap it would keep, are made again when
    someone deleted them since the last build."""
    root = thirty_stories_built(make_site)
    gone = [page(root, "zh-hant", "s02"), root / "public/sitemap.xml"]
    for path in gone:
        path.unlink()
    edit_settled(root / "content/s20.md", "第20条的正文", "第20条改过的正文")
    counts(root)
    assert all(path.is_file() for path in gone)
    assert public_bytes(root) == clean_build(root, tmp_path)


def test_a_story_moved_to_another_category_leaves_its_old_lists(make_site, tmp_path):
    """What places a story is remembered with its file's entry in the cache: a story given another
    category (nothing else changed) changes the site's shape, so every list it left or joined is
    made again, as a clean build makes them."""
    root = thirty_stories_built(make_site)
    edit_settled(root / "content/s03.md", "categories: [财经]", "categories: [国际]")
    counts(root)
    finance = (root / "public/zh-hans/category/cai-jing/index.html").read_text(encoding="utf-8")
    assert "第3条新闻" not in finance
    assert public_bytes(root) == clean_build(root, tmp_path)


def test_a_site_of_the_same_shape_is_laid_out_as_the_last_build_laid_it_out(make_site, tmp_path, monkeypatch):
    """The assembled site is kept with its shape (site/layout.py): an edit that moves no story is
    laid out without assembling, a story added or moved is assembled anew, and both build what a
    clean build makes."""
    from sitegen import pipeline

    root = thirty_stories_built(make_site)
    assembled = []
    real_assemble = pipeline.assemble
    monkeypatch.setattr(pipeline, "assemble", lambda *args, **kwargs: (assembled.append(1),
                                                                       real_assemble(*args, **kwargs))[1])
    edit_settled(root / "content/s10.md", "第10条新闻", "第10条改过的新闻")  # the title: no story moves
    assert counts(root)["pages rendered"] > 0
    assert not assembled
    assert public_bytes(root) == clean_build(root, tmp_path / "edited")
    edit_settled(root / "content/s11.md", "2024-03-01T00:11", "2024-03-01T00:31")  # moved up the lists
    counts(root)
    assert assembled
    assert public_bytes(root) == clean_build(root, tmp_path / "moved")


def test_a_title_edit_remakes_the_list_pages_that_show_it_and_keeps_the_others(make_site, tmp_path):
    """A list's pages that do not show the edited story stay where they are; the one that does, on
    whichever page of the list it is, is made again, as a clean build makes it."""
    files = {f"content/s{n:02d}.md": article(id=f"s{n:02d}", title=f"第{n}条新闻", body=f"第{n}条的正文。")
             .replace("2024-03-01T23:30", f"2024-03-01T{n // 60:02d}:{n % 60:02d}") for n in range(30)}
    root = make_site(files=files)
    paginated(root, 5)  # six pages a list
    settle(root)
    counts(root)
    listed = []
    real_listing = VariantLists.listing
    for story in ("s01", "s15", "s29"):  # on the oldest numbered page, a middle one, the first page
        number = int(story[1:])
        edit_settled(root / f"content/{story}.md", f"第{number}条新闻", f"第{number}条改过的新闻")
        listed.clear()
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(VariantLists, "listing", lambda lists, index, page: (
                listed.append(page), real_listing(lists, index, page))[1])
            counts(root)
        assert public_bytes(root) == clean_build(root, tmp_path / story)
        # each list holding it, in both scripts, plans the page showing it, not all six
        assert listed and len(listed) <= 2 * 6, listed
