"""`sitegen fetch` against a real HTTP server on 127.0.0.1 serving real feed files."""

from datetime import datetime, timezone

from sitegen.config import load_config
from sitegen.content.store import load_articles
from sitegen.errors import Report
from sitegen.fetch.ingest import fetch_sources

NOW = datetime(2024, 8, 3, 12, 0, tzinfo=timezone.utc)


def sources_toml(*sources: tuple[str, str, str]) -> str:
    tables = "".join(f'\n[[sources]]\nid = "{sid}"\nname = "{sid} 新聞"\nurl = "{url}"\nscript = "{script}"\n'
                     f'category = "國際"\neditor = "王編輯"\n' for sid, url, script in sources)
    return '[site]\ntitle = "測試"\nbase_url = "https://news.example.org/"\n' + tables


def fetch(root, only=None):
    report = Report()
    fetch_sources(load_config(root), report, only=only, now=NOW)
    articles = load_articles(root / "content", Report())
    return report, {a.title: a for a in articles}


def test_fetch_stores_each_story_once_with_clean_markdown(make_site, feed_server):
    root = make_site(sources_toml(("hans", feed_server + "news-zh-hans.rss.xml", "auto"),
                                  ("hant", feed_server + "news-zh-hant.atom.xml", "auto")))
    report, articles = fetch(root)
    assert not report.failed, report.problems
    assert report.counts == {"new articles": 5, "already stored": 1}
    typhoon = articles["台风“海燕”逼近沿海 多地发布暴雨预警"]
    assert typhoon.lang == "zh-Hans" and typhoon.source == "hans" and typhoon.source_name == "hans 新聞"
    assert typhoon.date.isoformat() == "2024-07-12T08:30:00+08:00"
    assert typhoon.source_url == "https://news.example.com/2024/0712/typhoon.html"
    assert typhoon.author == "记者 李明" and typhoon.tags == ("天气",) and typhoon.categories == ("國際",)
    assert typhoon.image and typhoon.image.url == "https://news.example.com/img/typhoon.jpg"
    assert typhoon.path == f"hans/{typhoon.id}.md" and len(typhoon.id) == 10
    body = typhoon.body
    assert "![气象雷达图显示台风云系（资料图片）](https://news.example.com/img/radar.png)" in body
    assert "## 交通受影响" in body and "- 部分航班取消" in body
    assert "[详见气象网站](https://weather.example.com/)" in body
    assert "script" not in body and "alert" not in body and "onerror" not in body
    assert "，" in body and "," not in body.replace("(", "").split("](")[0]
    typhoon_tw = articles["電台發布颱風警報 台灣東部停班停課"]
    assert typhoon_tw.lang == "zh-Hant" and typhoon_tw.author == "記者 陳怡君"
    assert typhoon_tw.updated and typhoon_tw.updated.isoformat() == "2024-08-02T07:30:00+08:00"


def test_hostile_links_are_not_kept(make_site, feed_server):
    root = make_site(sources_toml(("hans", feed_server + "news-zh-hans.rss.xml", "zh-Hans")))
    _, articles = fetch(root)
    assert articles["图书馆延长开放时间"].source_url == ""


def test_refetch_keeps_ids_and_never_overwrites_a_local_edit(make_site, feed_server):
    root = make_site(sources_toml(("hant", feed_server + "news-zh-hant.atom.xml", "zh-Hant")))
    _, first = fetch(root)
    edited = root / "content" / first["夜市美食節登場 吸引大批遊客"].path
    edited.write_text(edited.read_text(encoding="utf-8").replace("十萬人次", "十二萬人次"), encoding="utf-8")
    report, second = fetch(root)
    assert report.counts == {"already stored": 2}
    assert {t: a.id for t, a in first.items()} == {t: a.id for t, a in second.items()}
    assert "十二萬人次" in edited.read_text(encoding="utf-8")


def test_a_local_file_is_a_source_too(make_site):
    from tests.conftest import DATA

    root = make_site(sources_toml(("local-file", str(DATA / "feeds" / "news-zh-hant.atom.xml"), "auto")))
    report, articles = fetch(root)
    assert report.counts == {"new articles": 2} and "夜市美食節登場 吸引大批遊客" in articles


def test_gb2312_feed_comes_through_intact(make_site, feed_server):
    root = make_site(sources_toml(("qq", feed_server + "qq-gb2312.rss.xml", "auto")))
    report, articles = fetch(root)
    assert not report.failed
    assert "习近平为何如此强调崇尚英雄？" in articles
    assert all("\ufffd" not in a.title + a.body for a in articles.values())
    assert all(a.lang == "zh-Hans" for a in articles.values())


def test_each_broken_source_is_one_line_and_the_others_still_fetch(make_site, feed_server):
    root = make_site(sources_toml(("missing", feed_server + "no-such-feed.xml", "auto"),
                                  ("html", feed_server + "not-a-feed.html", "auto"),
                                  ("cut", feed_server + "truncated.rss.xml", "auto"),
                                  ("down", "http://127.0.0.1:9/feed.xml", "auto"),
                                  ("good", feed_server + "news-zh-hant.atom.xml", "auto")))
    report, articles = fetch(root)
    lines = {p.where.split()[1]: (p.level, p.message) for p in report.problems}
    assert lines["missing"] == ("error", "HTTP 404 File not found")
    assert lines["html"][0] == "error" and lines["html"][1].startswith("not a readable RSS or Atom feed")
    assert lines["down"][0] == "error" and lines["down"][1].startswith("cannot fetch:")
    assert lines["cut"][0] == "warning" and "kept the 1 entries that could be read" in lines["cut"][1]
    assert "台风“海燕”逼近沿海 多地发布暴雨预警" in articles
    assert "夜市美食節登場 吸引大批遊客" in articles
    assert report.failed
