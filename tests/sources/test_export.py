"""`sitegen sources export`: OPML 2.0 that readers take, and that `sources import` turns back into
the same sources."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from sitegen.config import load_config
from tests.sources.helpers import run, sources_toml

SOURCES = (
    {"id": "bbc", "name": "BBC 中文", "url": "https://feeds.bbci.co.uk/zhongwen/trad/rss.xml", "category": "國際"},
    {"id": "local-feed", "name": "本地範例", "url": "feeds/sample.xml", "category": "範例"},
    {"id": "rfa", "name": "自由亞洲電台 & <RFA>", "url": "https://www.rfa.org/mandarin/RSS"},
    {"id": "dw", "name": "德國之聲", "url": "https://rss.dw.com/rdf/rss-chi-all", "category": "國際"},
    {"id": "tech", "name": "科技 \"Tech\" 新闻", "url": "http://tech.example/feed.xml", "category": "科技/網路"},
)


@pytest.fixture
def full_site(tmp_path):
    root = tmp_path / "full"
    root.mkdir()
    (root / "sitegen.toml").write_text(sources_toml(*SOURCES, site_title="兩岸 & 國際 <新聞>"), encoding="utf-8")
    return root


def online(site):
    return [(s.url, s.name, s.category) for s in load_config(site).sources if s.url.startswith("http")]


def test_round_trip_export_then_import_gives_the_same_sources(full_site, empty_site, capsys, tmp_path):
    opml = tmp_path / "out" / "sources.opml"
    exported = run(capsys, "sources", "export", "-o", str(opml), "--site", str(full_site))
    assert exported.status == 0 and exported.out == ""
    imported = run(capsys, "sources", "import", str(opml), "--site", str(empty_site))
    assert imported.status == 0 and imported.err == ""
    assert sorted(online(empty_site)) == sorted(online(full_site))  # in folder order now: 國際 first
    assert [s.id for s in load_config(empty_site).sources] == [
        "bbc-zhong-wen", "de-guo-zhi-sheng", "zi-you-ya-zhou-dian-tai-rfa", "ke-ji-tech-xin-wen"]


def test_a_feed_file_source_is_left_out_with_a_note(full_site, capsys):
    result = run(capsys, "sources", "export", "--site", str(full_site))
    assert result.status == 0
    assert result.err == "note: sources.local-feed: reads the feed file feeds/sample.xml, not a URL: left out\n"
    assert "feeds/sample.xml" not in result.out and "本地範例" not in result.out


def test_the_export_is_opml_2_in_folders_by_category(full_site, capsys):
    root = ET.fromstring(run(capsys, "sources", "export", "--site", str(full_site)).out.encode("utf-8"))
    assert root.tag == "opml" and root.get("version") == "2.0"
    assert root.findtext("head/title") == "兩岸 & 國際 <新聞>"
    assert root.find("head/dateCreated") is None
    body = root.find("body")
    assert [(o.get("text"), o.get("type")) for o in body] == [("國際", None), ("自由亞洲電台 & <RFA>", "rss"),
                                                              ("科技/網路", None)]
    assert [o.attrib for o in body[0]] == [
        {"type": "rss", "text": "BBC 中文", "title": "BBC 中文", "xmlUrl": SOURCES[0]["url"]},
        {"type": "rss", "text": "德國之聲", "title": "德國之聲", "xmlUrl": SOURCES[3]["url"]},
    ]
    assert body[2][0].get("title") == '科技 "Tech" 新闻'


def test_the_export_is_the_same_bytes_every_time_and_the_file_is_what_stdout_shows(full_site, capsys, tmp_path):
    first = run(capsys, "sources", "export", "--site", str(full_site)).out
    assert run(capsys, "sources", "export", "--site", str(full_site)).out == first
    run(capsys, "sources", "export", "-o", str(tmp_path / "a.opml"), "--site", str(full_site))
    assert (tmp_path / "a.opml").read_bytes() == first.encode("utf-8")
    assert first.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')


def test_listparser_reads_the_export(full_site, capsys):
    listparser = pytest.importorskip("listparser")
    parsed = listparser.parse(run(capsys, "sources", "export", "--site", str(full_site)).out.encode("utf-8"))
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "opml2" and parsed.meta.title == "兩岸 & 國際 <新聞>"
    assert [(f.url, f.title, f.tags) for f in parsed.feeds] == [
        (SOURCES[0]["url"], "BBC 中文", ["國際"]), (SOURCES[3]["url"], "德國之聲", ["國際"]),
        (SOURCES[2]["url"], "自由亞洲電台 & <RFA>", []), (SOURCES[4]["url"], '科技 "Tech" 新闻', ["科技/網路"])]


def test_a_site_without_sources_exports_an_empty_body(empty_site, capsys):
    result = run(capsys, "sources", "export", "--site", str(empty_site))
    assert result.status == 0
    assert len(ET.fromstring(result.out.encode("utf-8")).find("body")) == 0


def test_an_output_that_cannot_be_written_is_one_line(full_site, capsys, tmp_path):
    (tmp_path / "taken").mkdir()
    result = run(capsys, "sources", "export", "-o", str(tmp_path / "taken"), "--site", str(full_site))
    assert result.status == 2
    assert result.err == f"error: -o {tmp_path / 'taken'}: cannot write: Is a directory\n"
    assert list((tmp_path / "taken").iterdir()) == [] and [p.name for p in tmp_path.iterdir()
                                                          if p.name.endswith(".tmp")] == []
