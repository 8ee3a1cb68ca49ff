"""Feeds with missing, year-less or stray bytes where dates and declarations should be, served by the
loopback feed server: the stories come through dated as a reader can trust, and nothing alarms."""

from datetime import timedelta

from sitegen.config import load_config
from sitegen.site.assemble import assemble
from tests.feedserver import Scripted
from tests.fetch.helpers import NOW, fetch, sources_toml

HEAD = '<?xml version="1.0" encoding="utf-8"?>'


def rss(items: str, channel: str = "") -> str:
    return f'{HEAD}<rss version="2.0"><channel><title>t</title>{channel}{items}</channel></rss>'


def item(title: str, date: str = "", tag: str = "pubDate") -> str:
    dated = f"<{tag}>{date}</{tag}>" if date else ""
    return (f"<item><title>{title}</title><link>https://a.example/{title}</link>{dated}"
            "<description>內文</description></item>")


def serve(feed_server, name: str, *bodies: str) -> str:
    return feed_server.route(name, *(Scripted(200, body.encode("utf-8")) for body in bodies))


YEARLESS = (item("甲", "05/20 7:03 am", tag="date") + item("乙", "5月20日 07:03") + item("丙", "May 20 7:03 pm")
            + item("丁", "12/31 23:00"))


def test_a_year_less_date_takes_the_latest_year_not_after_the_fetch(make_site, feed_server):
    root = make_site(sources_toml(("noyear", serve(feed_server, "noyear.xml", rss(YEARLESS)), "auto")))
    report, articles, _ = fetch(root)  # fetched 2024-08-03
    assert {t: a.date.isoformat() for t, a in articles.items()} == {
        "甲": "2024-05-20T07:03:00+08:00", "乙": "2024-05-20T07:03:00+08:00",
        "丙": "2024-05-20T19:03:00+08:00", "丁": "2023-12-31T23:00:00+08:00"}
    assert not any(a.date_estimated for a in articles.values()) and not report.problems


def test_a_year_less_date_takes_the_latest_year_not_after_the_feeds_own_date(make_site, feed_server):
    old = rss(YEARLESS, "<lastBuildDate>Tue, 21 May 2019 08:00:00 +0800</lastBuildDate>")
    root = make_site(sources_toml(("old", serve(feed_server, "old.xml", old), "auto")))
    report, articles, _ = fetch(root)
    assert {t: a.date.isoformat() for t, a in articles.items()} == {
        "甲": "2019-05-20T07:03:00+08:00", "乙": "2019-05-20T07:03:00+08:00",
        "丙": "2019-05-20T19:03:00+08:00", "丁": "2018-12-31T23:00:00+08:00"}
    assert not report.problems


def test_a_feed_without_dates_keeps_its_order_below_the_fetch_and_says_so_once(make_site, feed_server):
    feed = rss("".join(item(f"舊文{n}") for n in range(3)))
    root = make_site(sources_toml(("undated", serve(feed_server, "undated.xml", feed), "auto")))
    report, articles, _ = fetch(root)
    assert [articles[f"舊文{n}"].date for n in range(3)] == [NOW - timedelta(seconds=n + 1) for n in range(3)]
    assert all(a.date_estimated for a in articles.values())
    text = (root / "content" / articles["舊文0"].path).read_text(encoding="utf-8")
    assert "\ndate_estimated: true\n" in text
    assert [p.message for p in report.problems] == [
        "3 items had no date that could be read; dated by this fetch (2024-08-03T20:00:00+08:00), "
        "a second apart in the feed's order, marked date_estimated"]


def test_an_estimated_date_stays_when_the_story_changes_upstream_and_is_not_reported_again(make_site, feed_server):
    first = rss(item("舊文"))
    url = serve(feed_server, "changing.xml", first, first.replace("內文", "改過的內文"))
    root = make_site(sources_toml(("undated", url, "auto")))
    _, before, _ = fetch(root)
    report, after, results = fetch(root, now=NOW + timedelta(days=2))
    assert results[0].updated == 1 and "改過的內文" in after["舊文"].body
    assert after["舊文"].date == before["舊文"].date and after["舊文"].date_estimated
    assert not report.problems


def test_undated_stories_never_lead_the_home_page_over_the_days_real_news(make_site, feed_server):
    real = rss(item("今晨新聞", "Sat, 03 Aug 2024 19:00:00 +0800")
               + item("今早新聞", "Sat, 03 Aug 2024 09:00:00 +0800")
               + item("前天新聞", "Thu, 01 Aug 2024 18:00:00 +0800"))
    undated = rss(item("二十年前甲") + item("二十年前乙"))
    root = make_site(sources_toml(("real", serve(feed_server, "real.xml", real), "auto"),
                                  ("undated", serve(feed_server, "undated.xml", undated), "auto")))
    _, articles, _ = fetch(root)  # at 2024-08-03 20:00 +08:00: the undated two are dated 19:59:59 and 19:59:58
    site = assemble(load_config(root), list(articles.values()), same_name=lambda name: name)
    assert [a.title for a in site.articles] == ["今晨新聞", "今早新聞", "二十年前甲", "二十年前乙", "前天新聞"]


def test_blank_lines_before_the_xml_declaration_are_not_reported(make_site, feed_server):
    body = "\n\n" + rss(item("新聞", "2024-08-01 08:00"))
    root = make_site(sources_toml(("php", serve(feed_server, "php.xml", body), "auto")))
    report, articles, results = fetch(root)
    assert results[0].new == 1 and "新聞" in articles and not report.problems


def test_a_bom_and_white_space_before_the_xml_declaration_are_not_reported(make_site, feed_server):
    body = "\ufeff \r\n" + rss(item("新聞", "2024-08-01 08:00"))
    root = make_site(sources_toml(("bom", serve(feed_server, "bom.xml", body), "auto")))
    report, articles, results = fetch(root)
    assert results[0].new == 1 and "新聞" in articles and not report.problems


def test_a_truncated_feed_after_blank_lines_is_still_malformed(make_site, feed_server):
    body = f'\n\n{HEAD}<rss version="2.0"><channel><title>t</title>' + item("完整的新聞", "2024-08-01 08:00") + "</chan"
    root = make_site(sources_toml(("cut", serve(feed_server, "cut.xml", body), "auto")))
    report, articles, _ = fetch(root)
    assert "完整的新聞" in articles
    [problem] = report.problems
    assert problem.message.startswith("feed is malformed (") and "kept the 1 entries" in problem.message


def test_a_story_whose_title_and_summary_are_only_markup_is_named_by_its_text(make_site, feed_server):
    """Hostile or careless: the title and description are all markup, the text is in content:encoded."""
    feed = (f'{HEAD}<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>t'
            '</title><item><title>&lt;script&gt;alert(1)&lt;/script&gt;</title><link>https://a.example/1</link>'
            '<description>&lt;img src=x onerror=alert(1)&gt;</description>'
            '<content:encoded><![CDATA[<p>市政府今日宣布新的交通措施。</p>]]></content:encoded></item>'
            '</channel></rss>')
    root = make_site(sources_toml(("markup", serve(feed_server, "markup.xml", feed), "auto")))
    report, articles, results = fetch(root)
    assert [(r.status, r.new) for r in results] == [("fetched", 1)]
    assert list(articles) == ["市政府今日宣布新的交通措施。"] and "alert" not in articles["市政府今日宣布新的交通措施。"].body


MEDIA_FEED = (f'{HEAD}<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>t</title>'
              # a photo's caption after the story's description: feedparser took the caption for the text
              '<item><title>颱風登陸</title><link>https://a.example/1</link>'
              '<description>颱風今晨在花蓮登陸，全台停班停課。</description>'
              '<media:content url="https://a.example/1.jpg" medium="image">'
              '<media:description>花蓮海邊的巨浪。</media:description></media:content></item>'
              # the caption first: feedparser took it for the summary
              '<item><title>夜市開幕</title><link>https://a.example/2</link>'
              '<media:content url="https://a.example/2.jpg" medium="image">'
              '<media:description type="html"><![CDATA[<b>夜市</b>人潮。]]></media:description></media:content>'
              '<description>新夜市今晚開幕，吸引大批遊客。</description></item>'
              # a video feed: the media description is all the text there is
              '<item><title>影片</title><link>https://a.example/3</link>'
              '<media:group><media:description>記者會全程影片。</media:description></media:group></item>'
              '</channel></rss>')


def test_a_photo_caption_in_media_rss_never_stands_in_for_the_story(make_site, feed_server):
    root = make_site(sources_toml(("media", serve(feed_server, "media.xml", MEDIA_FEED), "auto")))
    report, articles, _ = fetch(root)
    assert not report.failed, report.problems
    assert articles["颱風登陸"].body.strip() == "颱風今晨在花蓮登陸，全台停班停課。"
    assert articles["夜市開幕"].body.strip() == "新夜市今晚開幕，吸引大批遊客。"
    assert "人潮" not in articles["夜市開幕"].summary
    assert articles["影片"].body.strip() == "記者會全程影片。"


SIZED_FEED = (f'{HEAD}<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>t</title>'
              '<item><title>颱風登陸</title><link>https://a.example/1</link><description>颱風今晨在花蓮登陸。</description>'
              '<media:content url="https://a.example/1.jpg" medium="image" width="1280" height="720"/></item>'
              # a size that is no number of pixels is no size
              '<item><title>夜市開幕</title><link>https://a.example/2</link><description>新夜市今晚開幕。</description>'
              '<media:thumbnail url="https://a.example/2.jpg" width="wide" height="720"/></item>'
              '</channel></rss>')


def test_a_hotlinked_image_keeps_the_size_media_rss_gives_it(make_site, feed_server):
    """Stored in the front matter and read back, so pages can reserve the picture's place."""
    root = make_site(sources_toml(("sized", serve(feed_server, "sized.xml", SIZED_FEED), "auto")))
    report, articles, _ = fetch(root)
    assert not report.failed, report.problems
    sized, unsized = articles["颱風登陸"].image, articles["夜市開幕"].image
    assert (sized.url, sized.width, sized.height) == ("https://a.example/1.jpg", 1280, 720)
    assert (unsized.url, unsized.width, unsized.height) == ("https://a.example/2.jpg", 0, 0)
