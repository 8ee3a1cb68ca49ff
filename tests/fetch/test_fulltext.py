"""Full-text extraction against a real HTTP server on 127.0.0.1 serving tests/data/pages."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Iterator
from urllib.parse import quote

import pytest

from sitegen.fetch.clean import html_to_markdown
from sitegen.fetch.fulltext import FulltextError, decode_html, fetch_fulltext
from sitegen.fetch.http import FetchError, HttpClient, Limits
from tests.feedserver import FeedServer

PAGES = Path(__file__).resolve().parent.parent / "data" / "pages"


def _extra_installed() -> bool:
    try:
        import trafilatura  # noqa: F401, PLC0415
    except ImportError:
        return False
    return True


# Extraction needs the optional `fulltext` extra; decoding and the missing-extra message do not.
# CI installs it (the test extra): there a missing extra fails instead of skipping.
needs_extra = pytest.mark.skipif(not _extra_installed() and not os.environ.get("CI"),
                                 reason="LOUD SKIP: trafilatura (the fulltext extra) is not installed")


@pytest.fixture(scope="module")
def pages_url() -> Iterator[str]:
    """tests/data/pages over HTTP; `?type=…` sets the Content-Type (`?type=none` sends none)."""
    with FeedServer(PAGES) as server:
        yield server.url()


@pytest.fixture
def client() -> Iterator[HttpClient]:
    with HttpClient("https://news.example.org/", Limits(retries=0)) as c:
        yield c


def article_markdown(client: HttpClient, url: str) -> str:
    return html_to_markdown(fetch_fulltext(client, url, 1024 * 1024), url)


# For each page: a phrase from every article paragraph, heading, quote and the figure caption;
# then phrases from the page's chrome that must not survive.
ARTICLES = {
    "article-utf8-zh-hans.html": (
        ["自六月下旬以来", "img/2024/0705/flood-wuhan.jpg", "## 水文站点超警戒水位", "汉口站水位达到二十七点三米", "梅雨期开始早",
         "> “我们已经连续五天在堤上值守", "## 群众转移安置有序进行", "三万余人", "志愿者为老人和儿童提供餐食",
         "启动防汛三级应急响应", "7月4日，武汉汉口江滩部分步道被上涨的江水淹没。（示范新闻网记者 李强 摄）"],
        ["blank.gif", "首页", "搜索", "分享到", "微博", "广告", "优惠券", "相关新闻", "暴雨橙色预警", "网友评论", "江城老王",
         "热门排行", "理财产品", "版权所有", "关于我们", "标签", "责任编辑"]),
    "article-gb2312-meta-only.html": (
        ["时任国务院总理朱镕基领导", "纺织行业“压锭”开始突破", "## 债转股与兼并破产并举", "四家金融资产管理公司",
         "> “那几年压力非常大", "到2000年底", "上世纪九十年代末，上海一家国有纺织厂的生产车间。（资料图片）"],
        ["登录", "手机版", "新楼盘", "您的位置", "新浪微博", "相关新闻", "国资委", "网友评论", "老张", "排行榜",
         "炒股软件", "版权所有", "广告服务", "责任编辑"]),
    "article-big5-meta-only.html": (
        ["港島線將延長夜間服務時間", "新安排試行半年", "## 乘客普遍歡迎", "只能改搭較貴的的士",
         "> 「呢個安排真係好方便，我哋做飲食業嘅，收工都好夜。」", "無障礙設施", "電車在銅鑼灣軒尼詩道行駛。（資料圖片）"],
        ["首頁", "港聞", "分享至Facebook", "WhatsApp", "廣告", "機票", "延伸閱讀", "天星小輪", "讀者留言", "阿明",
         "私隱政策", "版權所有"]),
}


@needs_extra
@pytest.mark.parametrize("name", ARTICLES)
def test_article_body_is_kept_and_page_chrome_dropped(client, pages_url, name):
    markdown = article_markdown(client, pages_url + name)
    kept, dropped = ARTICLES[name]
    assert [phrase for phrase in kept if phrase not in markdown] == []
    assert [phrase for phrase in dropped if phrase in markdown] == []
    assert "\ufffd" not in markdown


@needs_extra
@pytest.mark.parametrize("name", ARTICLES)
def test_title_is_not_repeated_in_the_body(client, pages_url, name):
    markdown = article_markdown(client, pages_url + name)
    assert not markdown.startswith("#") and "\n# " not in markdown


@needs_extra
def test_captions_are_reattached_and_relative_urls_resolved(client, pages_url):
    url = pages_url + "article-gb2312-meta-only.html"
    fragment = fetch_fulltext(client, url, 1024 * 1024)
    assert (f'<figure><img src="{pages_url}images/2024/0318/textile-mill.jpg" alt="纺织厂车间">'
            "<figcaption>上世纪九十年代末，上海一家国有纺织厂的生产车间。（资料图片）</figcaption></figure>") in fragment
    markdown = html_to_markdown(fragment, url)
    assert f"![纺织厂车间]({pages_url}images/2024/0318/textile-mill.jpg" in markdown
    assert f"[国企改革历年统计]({pages_url}finance/2024/data-soe.html)" in markdown


@needs_extra
def test_full_width_indent_is_gone_from_every_paragraph(client, pages_url):
    markdown = article_markdown(client, pages_url + "article-gb2312-meta-only.html")
    assert "\u3000" not in markdown


@needs_extra
@pytest.mark.parametrize("content_type", ["text/html; charset=iso-8859-1", "none",
                                          "application/xhtml+xml; charset=gbk"])
def test_page_charset_survives_a_default_or_missing_content_type(client, pages_url, content_type):
    markdown = article_markdown(client, f"{pages_url}article-gb2312-meta-only.html?type={quote(content_type)}")
    assert "朱镕基" in markdown and "\ufffd" not in markdown


@needs_extra
def test_a_page_without_an_article_is_an_error(client, pages_url):
    with pytest.raises(FulltextError, match="^no article text found on the page$"):
        fetch_fulltext(client, pages_url + "no-article-section-index.html", 1024 * 1024)


@needs_extra
@pytest.mark.parametrize("content_type", ["application/pdf", "application/json; charset=utf-8"])
def test_other_content_types_are_refused(client, pages_url, content_type):
    mime = content_type.split(";")[0]
    with pytest.raises(FulltextError, match=f"^not an HTML page \\(Content-Type: {mime}\\)$"):
        fetch_fulltext(client, f"{pages_url}article-utf8-zh-hans.html?type={quote(content_type)}", 1024 * 1024)


@needs_extra
def test_a_missing_page_raises_the_fetch_error(client, pages_url):
    with pytest.raises(FetchError, match="^HTTP 404 Not Found$"):
        fetch_fulltext(client, pages_url + "gone.html", 1024 * 1024)


@needs_extra
def test_a_page_over_the_size_cap_raises_the_fetch_error(client, pages_url):
    with pytest.raises(FetchError, match="larger than the 1,000-byte limit"):
        fetch_fulltext(client, pages_url + "article-utf8-zh-hans.html", 1000)


def test_without_trafilatura_the_error_names_the_extra(client, monkeypatch):
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # what `import` sees when it is not installed
    with pytest.raises(FulltextError, match=r"pip install 'sitegen\[fulltext\]'"):
        fetch_fulltext(client, "http://127.0.0.1:9/never-asked.html", 1024)


def test_http_charset_wins_over_meta():
    data = '<meta charset="gb2312"><p>港島電車</p>'.encode("big5")
    assert "港島電車" in decode_html(data, "text/html; charset=big5")


def test_declared_charsets_are_widened():
    assert "朱镕基" in decode_html('<meta charset="gb2312">朱镕基'.encode("gb18030"))
    assert "我哋嘅" in decode_html('<meta charset="big5">我哋嘅'.encode("big5hkscs"))
    assert "𠮷" in decode_html('<?xml version="1.0" encoding="GBK"?><p>𠮷</p>'.encode("gb18030"))


def test_valid_utf8_wins_over_a_stale_declaration():
    assert "长江" in decode_html('<meta charset="gb2312"><p>长江</p>'.encode("utf-8"), "text/html; charset=gbk")


def test_broken_bytes_are_replaced_in_the_declared_charset():
    data = '<meta charset="gbk"><p>长江'.encode("gb18030") + b"\xff\xff" + "流域</p>".encode("gb18030")
    assert "长江\ufffd" in decode_html(data) and "流域" in decode_html(data)


def test_undeclared_non_utf8_falls_back_to_replacement_characters():
    assert decode_html(b"<p>\xb3\xa4\xbd\xad</p>") == "<p>\ufffd\ufffd\ufffd\ufffd</p>"
