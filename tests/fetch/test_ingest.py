"""`sitegen fetch` against a real HTTP server on 127.0.0.1 serving real feed files."""

import json
import os
import subprocess
import sys
from datetime import datetime, timezone

import pytest

from sitegen.content.store import load_articles
from sitegen.errors import Report
from sitegen.fetch.state import FetchLockedError, fetch_lock
from tests.feedserver import Scripted
from tests.fetch.helpers import NOW, fetch, sources_toml
from tests.helpers import DATA, snapshot

ATOM = (DATA / "feeds" / "news-zh-hant.atom.xml").read_text(encoding="utf-8")


def test_fetch_stores_each_story_once_with_clean_markdown(make_site, feed_server):
    root = make_site(sources_toml(("hans", feed_server.url("news-zh-hans.rss.xml"), "auto"),
                                  ("hant", feed_server.url("news-zh-hant.atom.xml"), "auto")))
    report, articles, results = fetch(root)
    assert not report.failed, report.problems
    assert [(r.source, r.status, r.new) for r in results] == [("hans", "fetched", 3), ("hant", "fetched", 2)]
    typhoon = articles["台风“海燕”逼近沿海 多地发布暴雨预警"]
    assert typhoon.lang == "zh-Hans" and typhoon.source == "hans" and typhoon.source_name == "hans 新聞"
    assert typhoon.date.isoformat() == "2024-07-12T08:30:00+08:00"
    assert typhoon.source_url == "https://news.example.com/2024/0712/typhoon.html"
    assert typhoon.author == "记者 李明" and typhoon.tags == ("天气",) and typhoon.categories == ("國際",)
    assert typhoon.image and typhoon.image.url == "https://news.example.com/img/typhoon.jpg"
    assert typhoon.path == f"hans/{typhoon.id}.md" and len(typhoon.id) == 10
    assert typhoon.original_title == typhoon.title and typhoon.editor == "王編輯"
    body = typhoon.body
    assert "https://news.example.com/img/radar.png" in body and "气象雷达图显示台风云系（资料图片）" in body
    assert "## 交通受影响" in body and "- 部分航班取消" in body
    assert "[详见气象网站](https://weather.example.com/)" in body
    assert "script" not in body and "alert" not in body and "onerror" not in body and "pixel.gif" not in body
    typhoon_tw = articles["電台發布颱風警報 台灣東部停班停課"]
    assert typhoon_tw.lang == "zh-Hant" and typhoon_tw.author == "記者 陳怡君"
    assert typhoon_tw.updated and typhoon_tw.updated.isoformat() == "2024-08-02T07:30:00+08:00"


def test_hostile_links_are_not_kept(make_site, feed_server):
    root = make_site(sources_toml(("hans", feed_server.url("news-zh-hans.rss.xml"), "zh-Hans")))
    _, articles, _ = fetch(root)
    assert articles["图书馆延长开放时间"].source_url == ""


def test_a_second_fetch_is_conditional_and_changes_no_byte(make_site, feed_server):
    root = make_site(sources_toml(("hans", feed_server.url("news-zh-hans.rss.xml"), "auto"),
                                  ("hant", feed_server.url("news-zh-hant.atom.xml"), "auto")))
    fetch(root)
    before = snapshot(root / "content")
    report, _, results = fetch(root, now=datetime(2025, 1, 1, tzinfo=timezone.utc))
    assert [r.status for r in results] == ["not modified", "not modified"]
    assert all("if-none-match" in r.headers for r in feed_server.log[-2:])
    assert snapshot(root / "content") == before and not report.problems


def test_refetch_without_state_keeps_ids_and_duplicates_nothing(make_site, feed_server):
    root = make_site(sources_toml(("hant", feed_server.url("news-zh-hant.atom.xml"), "zh-Hant")))
    _, first, _ = fetch(root)
    before = snapshot(root / "content")
    for path in (root / ".sitegen").iterdir():
        path.unlink()
    report, second, results = fetch(root, now=datetime(2025, 1, 1, tzinfo=timezone.utc))
    assert (results[0].new, results[0].unchanged) == (0, 2)
    assert {t: a.id for t, a in first.items()} == {t: a.id for t, a in second.items()}
    assert snapshot(root / "content") == before


def test_an_upstream_change_updates_the_story_in_place(make_site, feed_server):
    url = feed_server.route("live.xml", Scripted(200, ATOM.encode()),
                            Scripted(200, ATOM.replace("十萬人次", "十五萬人次").encode()))
    root = make_site(sources_toml(("hant", url, "zh-Hant")))
    _, first, _ = fetch(root)
    report, second, results = fetch(root, now=datetime(2024, 8, 4, tzinfo=timezone.utc))
    assert (results[0].updated, results[0].unchanged) == (1, 1)
    story = second["夜市美食節登場 吸引大批遊客"]
    assert "十五萬人次" in story.summary + story.body
    assert story.path == first["夜市美食節登場 吸引大批遊客"].path and story.date == first[story.title].date
    assert story.updated == datetime(2024, 8, 4, tzinfo=timezone.utc)
    assert not report.problems


def test_an_upstream_change_keeps_what_only_an_editor_sets(make_site, feed_server):
    url = feed_server.route("live.xml", Scripted(200, ATOM.encode()),
                            Scripted(200, ATOM.replace("十萬人次", "十五萬人次").encode()))
    root = make_site(sources_toml(("hant", url, "zh-Hant")))
    _, first, _ = fetch(root)
    path = root / "content" / first["夜市美食節登場 吸引大批遊客"].path
    marks = "featured: true\nrepublish: summary\ndraft: true\nglossary:\n- {zh-Hans: 夜市, zh-Hant: 夜市集}\n"
    path.write_text(path.read_text(encoding="utf-8").replace("\n---\n", "\n" + marks + "---\n", 1), encoding="utf-8")
    _, second, results = fetch(root, now=datetime(2024, 8, 4, tzinfo=timezone.utc))
    story = second["夜市美食節登場 吸引大批遊客"]
    assert results[0].updated == 1 and "十五萬人次" in story.summary + story.body
    assert (story.featured, story.republish, story.draft) == (True, "summary", True)
    assert story.glossary == ((("zh-Hans", "夜市"), ("zh-Hant", "夜市集")),)


def test_a_local_edit_wins_over_an_upstream_change_and_is_reported_once(make_site, feed_server):
    url = feed_server.route("live.xml", Scripted(200, ATOM.encode()),
                            Scripted(200, ATOM.replace("十萬人次", "十五萬人次").encode()))
    root = make_site(sources_toml(("hant", url, "zh-Hant")))
    _, first, _ = fetch(root)
    edited = root / "content" / first["夜市美食節登場 吸引大批遊客"].path
    text = edited.read_text(encoding="utf-8").replace("title: 夜市美食節登場 吸引大批遊客", "title: 夜市美食節開幕")
    edited.write_text(text, encoding="utf-8")
    report, _, results = fetch(root)
    assert edited.read_text(encoding="utf-8") == text
    assert [p.message for p in report.problems] == [
        f"content/{first['夜市美食節登場 吸引大批遊客'].path} changed upstream but was edited here; kept the local edit"]
    report, _, _ = fetch(root)
    assert report.problems == [] and edited.read_text(encoding="utf-8") == text


def test_a_story_deleted_here_stays_deleted(make_site, feed_server):
    root = make_site(sources_toml(("hant", feed_server.url("news-zh-hant.atom.xml"), "zh-Hant")))
    _, first, _ = fetch(root)
    (root / "content" / first["夜市美食節登場 吸引大批遊客"].path).unlink()
    feed_server.route("news-zh-hant.atom.xml", Scripted(200, ATOM.replace("十萬", "十一萬").encode()))
    _, second, _ = fetch(root)
    assert "夜市美食節登場 吸引大批遊客" not in second


def test_stories_that_leave_the_feed_stay(make_site, feed_server):
    url = feed_server.route("shrinking.xml", Scripted(200, ATOM.encode()),
                            Scripted(200, ATOM.split("<entry>")[0].encode() + b"</feed>"))
    root = make_site(sources_toml(("hant", url, "zh-Hant")))
    fetch(root)
    _, articles, _ = fetch(root)
    assert len(articles) == 2


def test_a_local_file_is_a_source_too(make_site):
    root = make_site(sources_toml(("local-file", str(DATA / "feeds" / "news-zh-hant.atom.xml"), "auto")))
    _, articles, results = fetch(root)
    assert results[0].new == 2 and "夜市美食節登場 吸引大批遊客" in articles


def test_gb2312_feed_with_zone_less_dates_comes_through_intact(make_site, feed_server):
    root = make_site(sources_toml(("qq", feed_server.url("qq-gb2312.rss.xml"), "auto")))
    report, articles, _ = fetch(root)
    assert not report.failed
    story = articles["习近平为何如此强调崇尚英雄？"]
    assert story.date.isoformat() == "2018-09-18T14:38:10+08:00"  # the site's zone, not UTC
    assert all("\ufffd" not in a.title + a.body for a in articles.values())
    assert all(a.lang == "zh-Hans" for a in articles.values())


def test_per_source_selection_and_category_mapping(make_site, feed_server):
    url = feed_server.url("news-zh-hans.rss.xml")
    root = make_site(sources_toml(("a", url, "auto", 'exclude = ["图书馆"]', 'categories = { "天气" = "氣象" }'),
                                  ("b", url, "auto", 'include = ["地铁"]'),
                                  ("c", url, "auto", "max_items = 1")))
    _, _, results = fetch(root)
    assert [r.new for r in results] == [2, 1, 1]
    articles = load_articles(root / "content", Report())
    by_source = {}
    for article in articles:
        by_source.setdefault(article.source, set()).add(article.title)
    assert by_source["a"] == {"台风“海燕”逼近沿海 多地发布暴雨预警", "新地铁线路通车 市民称出行更方便"}
    assert by_source["b"] == {"新地铁线路通车 市民称出行更方便"}
    assert by_source["c"] == {"台风“海燕”逼近沿海 多地发布暴雨预警"}  # the newest
    typhoon = next(a for a in articles if a.source == "a" and "台风" in a.title)
    metro = next(a for a in articles if a.source == "a" and "地铁" in a.title)
    assert typhoon.categories == ("氣象",) and metro.categories == ("國際",)


def test_an_entry_without_a_date_takes_the_feeds_date_never_today(make_site, feed_server):
    feed = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
            '<lastBuildDate>2023年9月13日 08:00</lastBuildDate>'
            '<item><title>沒有日期的新聞</title><link>https://a.example/1</link></item></channel></rss>')
    root = make_site(sources_toml(("nodate", feed_server.route("nodate.xml", Scripted(200, feed.encode())), "auto")))
    report, articles, _ = fetch(root)
    assert articles["沒有日期的新聞"].date.isoformat() == "2023-09-13T08:00:00+08:00"
    assert articles["沒有日期的新聞"].date_estimated
    assert [p.message for p in report.problems] == [
        "1 item had no date that could be read; dated by the feed (2023-09-13T08:00:00+08:00), marked date_estimated"]


def test_an_entry_dated_after_its_fetch_is_dated_when_fetched_so_it_is_not_held_back(make_site, feed_server):
    items = "".join(f'<item><title>時區寫錯的新聞{n}</title><link>https://a.example/{n}</link>'
                    f'<pubDate>Sat, 03 Aug 2024 2{n}:00:00 +0000</pubDate></item>' for n in range(2))
    feed = f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
    root = make_site(sources_toml(("ahead", feed_server.route("ahead.xml", Scripted(200, feed.encode())), "auto")))
    report, articles, _ = fetch(root)
    assert articles["時區寫錯的新聞0"].date == articles["時區寫錯的新聞1"].date == NOW
    assert not articles["時區寫錯的新聞0"].date_estimated  # it had a date of its own
    assert [p.message for p in report.problems] == [  # once for the source, not once per item
        "2 items were dated after this fetch (a wrong time zone upstream?); dated when fetched"]


def test_each_broken_source_is_one_line_and_the_others_still_fetch(make_site, feed_server):
    root = make_site(sources_toml(("missing", feed_server.url("no-such-feed.xml"), "auto"),
                                  ("html", feed_server.url("not-a-feed.html"), "auto"),
                                  ("cut", feed_server.url("truncated.rss.xml"), "auto"),
                                  ("down", "http://127.0.0.1:9/feed.xml", "auto"),
                                  ("good", feed_server.url("news-zh-hant.atom.xml"), "auto")))
    report, articles, results = fetch(root)
    lines = {p.where.split()[1]: (p.level, p.message) for p in report.problems}
    assert lines["missing"] == ("error", "HTTP 404 Not Found")
    assert lines["html"][0] == "error" and lines["html"][1].startswith("not a readable RSS or Atom feed")
    assert lines["down"][0] == "error" and lines["down"][1].startswith("cannot connect:")
    assert lines["cut"][0] == "warning" and "kept the 1 entries that could be read" in lines["cut"][1]
    assert all("\n" not in message for _, message in lines.values())
    assert "台风“海燕”逼近沿海 多地发布暴雨预警" in articles and "夜市美食節登場 吸引大批遊客" in articles
    assert [r.status for r in results] == ["failed", "failed", "fetched", "failed", "fetched"]
    assert report.failed


def test_a_second_fetch_at_once_is_refused_clearly(make_site):
    root = make_site(sources_toml())
    with fetch_lock(root / ".sitegen"):
        with pytest.raises(FetchLockedError, match=f"another sitegen fetch \\(pid {os.getpid()}\\) is running"):
            fetch(root)
        result = subprocess.run([sys.executable, "-m", "sitegen", "fetch", "--site", str(root)],
                                capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "another sitegen fetch" in result.stderr
    fetch(root)  # the lock is free again


def test_json_report_for_cron(make_site, feed_server):
    root = make_site(sources_toml(("ok", feed_server.url("news-zh-hant.atom.xml"), "auto"),
                                  ("gone", feed_server.route("gone.xml", Scripted(410)), "auto")))
    result = subprocess.run([sys.executable, "-m", "sitegen", "fetch", "--json", "--site", str(root)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert document["totals"] == {"new": 2, "updated": 0, "unchanged": 0, "failed": 1}
    assert [(s["source"], s["status"]) for s in document["sources"]] == [("ok", "fetched"), ("gone", "failed")]
    assert document["sources"][1]["error"].startswith("HTTP 410 Gone")


def summary_only_feed(link: str, image: str = "") -> bytes:
    media = f'<enclosure url="{image}" type="image/png" length="1"/>' if image else ""
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>摘要源</title>'
            f'<item><title>只有摘要的新聞</title><link>{link}</link><guid>summary-1</guid>{media}'
            '<pubDate>Fri, 12 Jul 2024 08:30:00 +0800</pubDate><description>一句摘要。</description>'
            '</item></channel></rss>').encode()


def test_fulltext_fetches_the_linked_page_for_a_summary_only_item(make_site, feed_server):
    page = feed_server.route("story.html", Scripted(200, (DATA / "pages" / "article-utf8-zh-hans.html").read_bytes(),
                                                    {"Content-Type": "text/html; charset=utf-8"}))
    feed = feed_server.route("summary.xml", Scripted(200, summary_only_feed(page)))
    root = make_site(sources_toml(("full", feed, "auto", "fulltext = true")))
    report, articles, _ = fetch(root)
    story = articles["只有摘要的新聞"]
    assert len(story.body) > 300 and "一句摘要。" != story.body.strip()
    assert "分享" not in story.body and not report.problems


def test_fulltext_failure_keeps_the_summary_and_says_why(make_site, feed_server):
    feed = feed_server.route("summary.xml", Scripted(200, summary_only_feed(feed_server.url("missing.html"))))
    root = make_site(sources_toml(("full", feed, "auto", "fulltext = true")))
    report, articles, results = fetch(root)
    assert articles["只有摘要的新聞"].body.strip() == "一句摘要。" and results[0].new == 1
    [problem] = report.problems
    assert problem.level == "warning" and "full text of " in problem.message and "HTTP 404" in problem.message


def test_downloaded_images_are_stored_with_the_site(make_site, feed_server):
    image = feed_server.route("lead.png", Scripted(200, (DATA / "images" / "pixel.png").read_bytes(),
                                                   {"Content-Type": "image/png"}))
    feed = feed_server.route("pics.xml", Scripted(200, summary_only_feed("https://a.example/1", image)))
    root = make_site(sources_toml(("pics", feed, "auto", 'images = "download"')))
    report, articles, _ = fetch(root)
    url = articles["只有摘要的新聞"].image.url
    assert url.startswith("/media/") and url.endswith(".png") and not report.problems
    assert (root / "static" / url.lstrip("/")).read_bytes() == (DATA / "images" / "pixel.png").read_bytes()


def test_a_guid_repeated_on_different_stories_does_not_merge_them(make_site, feed_server):
    items = "".join(f"<item><title>新聞{n}</title><guid>same</guid><link>https://a.example/same</link>"
                    f"<pubDate>Fri, 12 Jul 2024 0{n}:00:00 +0800</pubDate><description>內容{n}</description></item>"
                    for n in range(3))
    repeat = "<item><title>新聞0</title><guid>same</guid><pubDate>Fri, 12 Jul 2024 00:00:00 +0800</pubDate></item>"
    feed = f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>{items}{repeat}</channel></rss>'
    root = make_site(sources_toml(("dup", feed_server.route("dup.xml", Scripted(200, feed.encode())), "auto")))
    _, articles, results = fetch(root)
    assert sorted(articles) == ["新聞0", "新聞1", "新聞2"] and results[0].new == 3
