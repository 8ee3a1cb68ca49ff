"""OPML read and made (sitegen.sources.opml): real-world shapes in, OPML 2.0 out that readers take."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from sitegen.errors import SitegenError
from sitegen.sources.opml import Outline, make_opml, parse_opml, read_opml
from tests.sources.helpers import DATA


def test_nested_folders_give_the_innermost_folder_as_category():
    """An empty folder cannot be told from an outline that lost its xmlUrl: it is read as one
    (and the import skips it, saying why)."""
    opml = read_opml(DATA / "nested-folders.opml")
    assert opml.title == "Nested folders, as Inoreader exports them"
    assert [(o.title, o.xml_url, o.category) for o in opml.outlines] == [
        ("Alpha", "https://alpha.example/feed.xml", "World"),
        ("Beta", "https://beta.example/rss", "Asia"),
        ("Empty folder", "", "World"),
        ("Gamma", "https://gamma.example/atom", ""),
    ]
    assert opml.outlines[0].html_url == "https://alpha.example/"


def test_outlines_with_only_text_take_it_as_title():
    outlines = read_opml(DATA / "text-only.opml").outlines
    assert [(o.title, o.category) for o in outlines] == [("Hacker Weekly", "Tech"), ("Plain Feed", ""),
                                                         ("", "")]


def test_each_outline_knows_its_line():
    outlines = read_opml(DATA / "duplicate-urls.opml").outlines
    assert [o.line for o in outlines] == [6, 9, 11]


def test_line_numbers_count_blank_lines_before_the_declaration():
    outlines = read_opml(DATA / "blank-lines-before-declaration.opml").outlines
    assert [(o.title, o.line) for o in outlines] == [("Epsilon", 7), ("No address", 8)]


def test_a_gbk_file_is_read_as_what_it_declares():
    opml = read_opml(DATA / "gbk-encoded.opml")
    assert opml.title == "鲜果导出的订阅"
    assert opml.outlines == (Outline("新浪科技", "https://tech.sina.example/rss.xml", "科技", "", 6),)


def test_attribute_names_in_any_case():
    opml = parse_opml(b'<opml><body><outline TEXT="A" xmlURL="https://a.example/rss" htmlurl="https://a.example/"/>'
                      b"</body></opml>", "x.opml")
    assert opml.outlines == (Outline("A", "https://a.example/rss", "", "https://a.example/", 1),)


@pytest.mark.parametrize("name, says", [
    ("malformed.opml", "malformed.opml: line 6, column 39: not valid XML: not well-formed (invalid token)"),
    ("doctype-entity.opml", "doctype-entity.opml: line 2: refused: it declares a DOCTYPE"),
    ("external-entity.opml", "external-entity.opml: line 2: refused: it declares a DOCTYPE"),
    ("not-opml.xml", "not-opml.xml: not an OPML file: its root element is <rss>, not <opml>"),
])
def test_a_broken_or_hostile_file_is_one_error_naming_it(name, says):
    with pytest.raises(SitegenError) as refused:
        read_opml(DATA / name)
    assert says in str(refused.value)
    assert "\n" not in str(refused.value)


def test_a_file_that_is_not_there_or_not_a_file(tmp_path):
    with pytest.raises(SitegenError, match="no such file"):
        read_opml(tmp_path / "missing.opml")
    with pytest.raises(SitegenError, match="cannot be read"):
        read_opml(tmp_path)


def test_an_opml_without_a_body_is_refused():
    with pytest.raises(SitegenError, match="x.opml: not an OPML file: it has no <body>"):
        parse_opml(b"<opml version='2.0'><head/></opml>", "x.opml")


FEEDS = [
    Outline("BBC 中文", "https://feeds.bbci.co.uk/zhongwen/trad/rss.xml", "國際"),
    Outline("Top", "https://top.example/rss"),
    Outline('Q & A <"quoted">', "https://qa.example/feed?x=1&y=2", "國際"),
    Outline("控制\x01字元", "https://ctl.example/rss", "科技 & 網路", "https://ctl.example/"),
]


def test_made_opml_is_opml_2_with_folders_by_category():
    root = ET.fromstring(make_opml("我的新聞網", FEEDS))
    assert root.tag == "opml" and root.get("version") == "2.0"
    assert root.findtext("head/title") == "我的新聞網"
    assert root.find("head/dateCreated") is None  # the same sources always give the same bytes
    body = root.find("body")
    assert [(o.get("text"), o.get("xmlUrl")) for o in body] == [
        ("國際", None), ("Top", "https://top.example/rss"), ("科技 & 網路", None)]
    world = body[0]
    assert [o.attrib for o in world] == [
        {"type": "rss", "text": "BBC 中文", "title": "BBC 中文", "xmlUrl": "https://feeds.bbci.co.uk/zhongwen/trad/rss.xml"},
        {"type": "rss", "text": 'Q & A <"quoted">', "title": 'Q & A <"quoted">',
         "xmlUrl": "https://qa.example/feed?x=1&y=2"},
    ]
    assert body[2][0].attrib == {"type": "rss", "text": "控制字元", "title": "控制字元",
                                 "xmlUrl": "https://ctl.example/rss", "htmlUrl": "https://ctl.example/"}


def test_made_opml_is_utf8_and_deterministic():
    data = make_opml("我的新聞網", FEEDS)
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">')
    assert "BBC 中文".encode("utf-8") in data  # characters, not &#...; references
    assert make_opml("我的新聞網", FEEDS) == data


def test_made_opml_reads_back_as_the_same_feeds():
    opml = parse_opml(make_opml("我的新聞網", FEEDS), "made.opml")
    assert [(o.title, o.xml_url, o.category, o.html_url) for o in opml.outlines] == [
        (f.title.replace("\x01", ""), f.xml_url, f.category, f.html_url) for f in
        [FEEDS[0], FEEDS[2], FEEDS[1], FEEDS[3]]]


def test_listparser_reads_made_opml():
    listparser = pytest.importorskip("listparser")
    parsed = listparser.parse(make_opml("我的新聞網", FEEDS))
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "opml2"
    assert parsed.meta.title == "我的新聞網"
    assert [(f.url, f.title, f.tags) for f in parsed.feeds] == [
        ("https://feeds.bbci.co.uk/zhongwen/trad/rss.xml", "BBC 中文", ["國際"]),
        ("https://qa.example/feed?x=1&y=2", 'Q & A <"quoted">', ["國際"]),
        ("https://top.example/rss", "Top", []),
        ("https://ctl.example/rss", "控制字元", ["科技 & 網路"]),
    ]


def test_folders_nested_past_reason_are_refused_not_a_crash():
    deep = 5000  # deeper than Python's recursion limit: a reader that recurses would crash
    data = ('<opml><body>' + '<outline text="f">' * deep + '<outline text="x" xmlUrl="https://x.example/rss"/>'
            + '</outline>' * deep + '</body></opml>').encode("utf-8")
    with pytest.raises(SitegenError, match=r"^deep.opml: line 1: refused: elements nested more than 100 deep$"):
        parse_opml(data, "deep.opml")


def test_an_empty_file_is_not_xml():
    with pytest.raises(SitegenError, match=r"^empty.opml: line 1, column 1: not valid XML: no element found$"):
        parse_opml(b"", "empty.opml")
