"""Taking a story down: `sitegen withdraw ID --reason …` (or `withdrawn:` in front matter) leaves a
notice at its address in both scripts, takes it out of every list, feed, sitemap and the search
index, writes 410 rules for hosts that read `_redirects`, survives a re-fetch, and `--undo` gives
back the very site there was before."""

from __future__ import annotations

import gzip
import re
from datetime import datetime, timezone
from pathlib import Path

from sitegen.build import build
from sitegen.config import load_config
from sitegen.content.store import load_articles
from sitegen.errors import Report
from tests.feedserver import Scripted
from tests.fetch.helpers import fetch, sources_toml
from tests.helpers import DATA, settle, sitegen, snapshot

ATOM = (DATA / "feeds" / "news-zh-hant.atom.xml").read_text(encoding="utf-8")


def story(site: Path, source: str = "bbc"):
    return sorted((a for a in load_articles(site / "content", Report()) if a.source == source),
                  key=lambda a: a.path)[0]


def bytes_of(folder: Path) -> dict[str, bytes]:
    return {path: data for path, (data, _) in snapshot(folder).items()}


def notices(site: Path, article) -> dict[str, str]:
    return {p.relative_to(site / "public").as_posix(): p.read_text(encoding="utf-8")
            for p in (site / "public").rglob(f"{article.id}.html")}


def test_a_withdrawn_story_leaves_a_notice_in_both_scripts_and_nothing_else(demo_site):
    target = story(demo_site)
    done = sitegen("withdraw", target.id, "--reason", "应原作者要求", "--site", str(demo_site))
    assert done.returncode == 0, done.stderr
    result = build(load_config(demo_site))
    assert not result.report.failed
    assert any("withdrawn" in p.message for p in result.report.problems if p.where.endswith(target.path))
    pages = notices(demo_site, target)
    assert len(pages) == 2 and {path.split("/")[0] for path in pages} == {"zh-hans", "zh-hant"}
    for path, page in pages.items():
        assert '<meta name="robots" content="noindex">' in page
        reason = "應原作者要求" if path.startswith("zh-hant/") else "应原作者要求"
        assert reason in page and "撤下" in page
        assert target.title not in page and target.summary[:10] not in page
        assert 'class="body"' not in page and (not target.image or target.image.url not in page)
    public = demo_site / "public"
    for path in public.rglob("*"):
        relative = path.relative_to(public).as_posix()
        if path.suffix in (".html", ".xml") and relative not in pages:
            assert f"/{target.id}.html" not in path.read_text(encoding="utf-8"), relative
        if path.suffix == ".pf_fragment":
            assert f"/{target.id}.html" not in gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
    rules = (public / "_redirects").read_text(encoding="utf-8").splitlines()
    assert sorted(line for line in rules if not line.startswith("#")) == sorted(
        f"/{p} /{p} 410!" for p in pages)


def test_undoing_a_withdrawal_gives_back_the_very_same_site(demo_site):
    settle(demo_site)
    assert not build(load_config(demo_site)).report.failed
    before = bytes_of(demo_site / "public")
    target = story(demo_site)
    file_before = (demo_site / "content" / target.path).read_bytes()
    assert sitegen("withdraw", target.id, "--site", str(demo_site)).returncode == 0
    assert not build(load_config(demo_site)).report.failed
    assert bytes_of(demo_site / "public") != before
    undo = sitegen("withdraw", target.id, "--undo", "--site", str(demo_site))
    assert undo.returncode == 0, undo.stderr
    assert (demo_site / "content" / target.path).read_bytes() == file_before
    assert not build(load_config(demo_site)).report.failed
    assert bytes_of(demo_site / "public") == before


def test_withdrawn_in_front_matter_and_the_sites_own_redirects_come_after_the_rules(demo_site):
    (demo_site / "static").mkdir(exist_ok=True)
    (demo_site / "static" / "_redirects").write_text("/old /new 301\n", encoding="utf-8")
    assert not build(load_config(demo_site)).report.failed
    assert (demo_site / "public" / "_redirects").read_text(encoding="utf-8") == "/old /new 301\n"
    target = story(demo_site, "rfa")
    path = demo_site / "content" / target.path
    path.write_text(path.read_text(encoding="utf-8").replace(
        "\n---\n", "\nwithdrawn: {date: '2026-12-01T09:00:00+08:00', reason: 誹謗訴訟和解}\n---\n", 1), encoding="utf-8")
    assert not build(load_config(demo_site)).report.failed
    rules = (demo_site / "public" / "_redirects").read_text(encoding="utf-8")
    assert rules.endswith("410!\n/old /new 301\n") and rules.count("410!") == 2
    assert all("2026年12月1日" in page for page in notices(demo_site, target).values())


def test_a_bad_withdrawal_names_the_file_and_the_rest_is_built(demo_site):
    target = story(demo_site)
    path = demo_site / "content" / target.path
    path.write_text(path.read_text(encoding="utf-8").replace("\n---\n", "\nwithdrawn: yes\n---\n", 1),
                    encoding="utf-8")
    report = build(load_config(demo_site)).report
    [problem] = [p for p in report.problems if p.level == "error"]
    assert problem.where.endswith(target.path) and "withdrawn" in problem.message


def test_withdraw_says_what_it_cannot_do(demo_site):
    missing = sitegen("withdraw", "no-such-story", "--site", str(demo_site))
    assert missing.returncode == 2 and "no story with id 'no-such-story'" in missing.stderr
    target = story(demo_site)
    not_withdrawn = sitegen("withdraw", target.id, "--undo", "--site", str(demo_site))
    assert not_withdrawn.returncode == 2 and "is not withdrawn" in not_withdrawn.stderr


def test_a_refetch_of_a_feed_that_still_carries_the_story_stores_nothing(make_site, feed_server):
    url = feed_server.route("live.xml", Scripted(200, ATOM.encode()),
                            Scripted(200, ATOM.replace("十萬人次", "十五萬人次").encode()))
    root = make_site(sources_toml(("hant", url, "zh-Hant")))
    _, first, _ = fetch(root)
    taken = first["夜市美食節登場 吸引大批遊客"]
    assert sitegen("withdraw", taken.id, "--reason", "應主辦單位要求", "--site", str(root)).returncode == 0
    before = snapshot(root / "content")
    report, after, results = fetch(root, now=datetime(2024, 8, 4, tzinfo=timezone.utc))
    assert snapshot(root / "content") == before and results[0].new == 0 and results[0].updated == 0
    assert after[taken.title].withdrawn is not None and not report.failed
    text = (root / "content" / taken.path).read_text(encoding="utf-8")
    assert re.search(r"withdrawn:\n  date: '[^']+'\n  reason: 應主辦單位要求\n", text)


def test_a_story_is_found_by_the_id_in_its_front_matter_whatever_its_file_is_called(demo_site):
    target = story(demo_site)
    renamed = (demo_site / "content" / target.path).with_name("marathon.md")
    (demo_site / "content" / target.path).rename(renamed)
    assert sitegen("withdraw", target.id, "--site", str(demo_site)).returncode == 0
    assert "\nwithdrawn:\n" in renamed.read_text(encoding="utf-8")
