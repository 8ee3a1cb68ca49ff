"""The built site as a reader, a search engine and a feed reader see it, in each URL mode."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup

from sitegen.build import build
from sitegen.config import load_config
from sitegen.content.store import load_articles
from sitegen.errors import Report
from tests.helpers import article, copy_demo_site, paginated

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
HOST_MODE = """
[variants.zh-Hans]
base_url = "https://www.news.example.org/"
[variants.zh-Hant]
base_url = "https://tw.news.example.org/"
"""
MODES = {
    "prefix": lambda c: c,
    "sub-path": lambda c: c.replace('base_url = "https://news.example.org/"',
                                    'base_url = "https://example.github.io/news/"'),
    "hosts": lambda c: re.sub(r"\[variants\.zh-Hans\]\npath = \"/zh-hans/\"\n\n\[variants\.zh-Hant\]\n"
                              r"path = \"/zh-hant/\"\n", HOST_MODE, c),
}


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def build_in_mode(demo_site: Path, mode: str) -> Path:
    config = demo_site / "sitegen.toml"
    changed = MODES[mode](config.read_text(encoding="utf-8"))
    assert mode == "prefix" or changed != config.read_text(encoding="utf-8")
    config.write_text(changed, encoding="utf-8")
    result = build(load_config(demo_site))
    assert not result.report.failed, result.report.problems
    return demo_site / "public"


class HostMap:
    """Maps an absolute URL of the built site to its file, whatever the URL mode."""

    def __init__(self, root: Path):
        config = load_config(root)
        self.public = root / "public"
        self.site_root = config.site.base_url
        self.hosts = {config.site.base_url: ""}
        for variant in config.variants:
            if variant.base_url:
                self.hosts[variant.base_url] = f"{variant.name.lower()}/"

    def file_for(self, url: str) -> Path | None:
        for base, tree in self.hosts.items():
            if url.split("#")[0].startswith(base):
                relative = unquote(urlsplit(url).path)[len(urlsplit(base).path):]
                target = self.public / tree / relative
                return target / "index.html" if relative.endswith("/") or not relative else target
        return None

    def page_url(self, path: Path) -> str:
        relative = path.relative_to(self.public).as_posix()
        for base, tree in sorted(self.hosts.items(), key=lambda item: -len(item[1])):
            if relative.startswith(tree):
                rest = relative[len(tree):]
                return base + (rest[:-len("index.html")] if rest.endswith("index.html") else rest)
        raise AssertionError(path)


@pytest.fixture(scope="module")
def built_modes(tmp_path_factory) -> dict[str, Path]:
    sites = {}
    for mode in MODES:
        root = copy_demo_site(tmp_path_factory.mktemp(mode) / "site")
        build_in_mode(root, mode)
        sites[mode] = root
    return sites


@pytest.mark.parametrize("mode", MODES)
def test_no_broken_internal_link_image_or_feed(built_modes, mode):
    root = built_modes[mode]
    hosts, checked = HostMap(root), 0
    for page in (root / "public").rglob("*.html"):
        page_url = hosts.page_url(page)
        for tag in soup(page).find_all(["a", "link", "img", "script"]):
            ref = tag.get("href") or tag.get("src")
            if not ref or ref.startswith(("data:", "mailto:")):
                continue
            target = hosts.file_for(urljoin(page_url, ref))
            if target is not None:
                checked += 1
                assert target.is_file(), f"{page}: {ref} -> {target}"
    assert checked > 1000


@pytest.mark.parametrize("mode", MODES)
def test_feeds_parse_cleanly_with_attribution(built_modes, mode):
    root = built_modes[mode]
    feeds = list((root / "public").rglob("atom.xml")) + list((root / "public").rglob("rss.xml"))
    assert len(feeds) >= 2 * 2 * 8  # 2 formats x 2 variants x (site + categories)
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert parsed.bozo == 0 and parsed.version in ("atom10", "rss20"), path
        assert parsed.feed.title and parsed.feed.link and parsed.entries
        ids = [e.id for e in parsed.entries]
        assert len(set(ids)) == len(ids)
        for entry in parsed.entries:
            assert entry.title and entry.link and entry.get("published_parsed")
            content = entry.content[0].value if "content" in entry else entry.description
            assert ("來源" in content or "来源" in content) and ("本文網址" in content or "本文网址" in content)
            assert HostMap(root).file_for(entry.link).is_file()
        ET.fromstring(path.read_bytes())  # well-formed XML


@pytest.mark.parametrize("mode", MODES)
def test_hreflang_alternates_are_reciprocal_and_the_sitemap_lists_every_page(built_modes, mode):
    root = built_modes[mode]
    hosts = HostMap(root)
    listed: dict[str, set[tuple[str, str]]] = {}
    for sitemap in (root / "public").rglob("sitemap.xml"):
        for url in ET.parse(sitemap).getroot().findall("s:url", SITEMAP_NS):
            alternates = {(link.get("hreflang"), link.get("href")) for link in url.findall("x:link", SITEMAP_NS)}
            listed[url.find("s:loc", SITEMAP_NS).text] = alternates
    pages = [p for p in (root / "public").rglob("*.html") if p.name != "404.html"]
    assert {hosts.page_url(p) for p in pages} == set(listed)
    for page in pages:
        url = hosts.page_url(page)
        alternates = {(link["hreflang"], link["href"]) for link in soup(page).find_all("link", hreflang=True)}
        if page.parent == root / "public" and page.name == "index.html":
            continue  # the chooser belongs to no variant
        assert ("x-default", hosts.site_root) in alternates  # the chooser on the site's own host
        assert listed[url] == alternates, page
        for lang, href in alternates - {a for a in alternates if a[0] == "x-default"}:
            other = soup(hosts.file_for(href))
            assert other.html["lang"] == lang
            assert (lang, href) in {(link["hreflang"], link["href"]) for link in other.find_all("link", hreflang=True)}
            assert any(h == url for _, h in {(link["hreflang"], link["href"])
                                               for link in other.find_all("link", hreflang=True)})
    robots = (root / "public/robots.txt").read_text(encoding="utf-8")
    assert robots.startswith("User-agent: *") and "Sitemap: http" in robots


def test_article_page_for_readers_and_machines(built_modes):
    public = built_modes["prefix"] / "public"
    page = soup(public / "zh-hant/2023/0915/1954134.html")
    assert page.html["lang"] == "zh-Hant"
    crumbs = [li.get_text() for li in page.select(".breadcrumb li")]
    assert crumbs == ["新聞", "軍政", "正文"]
    assert page.select_one(".breadcrumb a[href='/zh-hant/category/jun-zheng/']")
    assert len(page.find_all("h1")) == 1 and page.h1.get_text() == "朝俄加強軍事關係 中共態度曖昧含糊"
    assert page.select_one(".byline time").get_text() == "2023年9月15日 10:21"
    assert page.select_one("figure.lead figcaption").get_text().startswith("朝鮮中央通訊社發布的圖片中")
    assert page.select_one(".script-switch a")["href"] == "/zh-hans/2023/0915/1954134.html"
    assert page.find("link", rel="canonical")["href"] == "https://news.example.org/zh-hant/2023/0915/1954134.html"
    og = {m["property"]: m["content"] for m in page.find_all("meta", property=True)}
    assert og["og:type"] == "article" and og["og:locale"] == "zh_TW"
    assert og["og:image"] == "https://news.example.org/images/demo/1954134.svg"
    assert page.find("meta", attrs={"name": "twitter:card"})["content"] == "summary_large_image"
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert data["@type"] == "NewsArticle" and data["inLanguage"] == "zh-Hant"
    assert data["headline"] == "朝俄加強軍事關係 中共態度曖昧含糊"
    assert data["isBasedOn"].startswith("https://www.rfa.org/") and data["datePublished"].startswith("2023-09-15")
    assert data["publisher"]["name"] == "自由新聞" and data["image"] == [og["og:image"]]
    assert page.select_one("nav.prev-next a[rel=prev]") or page.select_one("nav.prev-next a[rel=next]")


@pytest.mark.parametrize("variant, label", [("zh-hant", "原文連結"), ("zh-hans", "原文链接")])
def test_the_original_story_is_one_click_away_in_the_byline_and_at_the_foot(built_modes, variant, label):
    page = soup(built_modes["prefix"] / f"public/{variant}/2023/0915/1954134.html")
    original = page.select_one(".byline a.original-link")
    assert original.get_text() == label and original["rel"] == ["noopener"]
    assert original["href"].startswith("https://www.rfa.org/")
    assert page.select_one(".byline .source a")["href"] == f"/{variant}/source/rfa/"  # the source's page stays
    foot = {dt.get_text(): dt.find_next_sibling("dd").a for dt in page.select(".attribution dt")}
    assert foot[label]["href"] == original["href"] and foot[label]["rel"] == ["noopener"]


def test_related_stories_share_the_category_across_scripts(built_modes):
    public = built_modes["prefix"] / "public"
    category = soup(public / "zh-hant/category/guo-ji/index.html")
    titles = [a.get_text() for a in category.select(".article-list h2 a")]
    assert "國際" in category.h1.get_text()
    written_as = load_articles(built_modes["prefix"] / "content", Report())
    merged = [a for a in written_as if a.categories and a.categories[0] in ("国际", "國際")]
    assert {a.lang for a in merged} == {"zh-Hans", "zh-Hant"}  # both spellings feed one page
    assert len(titles) == len(merged)
    for link in category.select(".article-list h2 a"):
        article = soup(public / link["href"].lstrip("/"))
        related = [a["href"] for a in article.select(".related a")]
        assert set(related) <= {a["href"] for a in category.select(".article-list h2 a")}
    hans = soup(public / "zh-hans/category/guo-ji/index.html")
    assert "国际" in hans.h1.get_text() and len(hans.select(".article-list li")) == len(titles)


def test_tag_source_archive_and_404_pages(built_modes):
    public = built_modes["prefix"] / "public"
    source = soup(public / "zh-hans/source/rfa/index.html")
    assert "自由亚洲电台" in source.h1.get_text() and source.select(".article-list li")
    month = soup(public / "zh-hant/2023/09/index.html")
    assert month.h1.get_text() == "2023年9月" and month.select(".article-list li")
    year = soup(public / "zh-hant/2024/index.html")
    assert year.h1.get_text() == "2024年" and year.select_one(".archives a[href='/zh-hant/2023/09/']")
    tags = list((public / "zh-hant/tag").iterdir())
    assert tags and soup(tags[0] / "index.html").select(".article-list li")
    for not_found in (public / "404.html", public / "zh-hans/404.html"):
        page = soup(not_found)
        assert page.h1 and {a["href"] for a in page.select(".script-choice a")} == {"/zh-hans/", "/zh-hant/"}


def test_a_variants_404_page_offers_its_search_and_its_ten_newest_stories(built_modes):
    public = built_modes["prefix"] / "public"
    page = soup(public / "zh-hant/404.html")
    assert page.select_one("form.not-found-search")["action"] == "/zh-hant/search/"
    assert page.select_one("form.not-found-search input[name=q]")
    latest = [a["href"] for a in page.select(".not-found-latest a")]
    newest = [urlsplit(e.link).path for e in feedparser.parse((public / "zh-hant/atom.xml").read_bytes()).entries]
    assert len(latest) == 10 and latest == newest[:10]
    root = soup(public / "404.html")  # the site root's belongs to no script: the choice of script only
    assert not root.select(".not-found-latest") and not root.select("form.not-found-search")


def test_root_page_is_a_chooser_that_works_without_javascript(built_modes):
    page = soup(built_modes["prefix"] / "public/index.html")
    choices = {a["data-variant"]: a["href"] for a in page.select("#script-choice a")}
    assert choices == {"zh-Hans": "/zh-hans/", "zh-Hant": "/zh-hant/"}
    assert page.find("script", src="/js/sitegen.js") and not page.find("script", src=False, type=False)


def test_the_root_page_is_one_title_and_each_script_offered_in_itself(built_modes):
    page = soup(built_modes["prefix"] / "public/index.html")
    assert [h.get_text() for h in page.find_all(["h1", "h2"])] == ["自由新聞"]
    assert not page.select("header, nav, footer, form")  # nothing that leads into one script
    notes = {a["lang"]: (a.select_one(".choice-label").get_text(), a.select_one(".choice-note").get_text())
             for a in page.select("#script-choice a")}
    assert notes == {"zh-Hans": ("简体中文", "以简体中文阅读全站新闻"), "zh-Hant": ("繁體中文", "以繁體中文閱讀全站新聞")}


def paginated_site(make_site, stories: int) -> Path:
    """A site of `stories` stories, a minute apart (a0 the oldest), two to a list page."""
    files = {f"content/a{n}.md": dated(article(id=f"a{n}", body=f"第{n}篇。"), n) for n in range(stories)}
    root = make_site(files=files)
    paginated(root, 2)
    return root


def dated(text: str, minute: int) -> str:
    return text.replace("2024-03-01T23:30:00+00:00", f"2024-03-01T23:{minute:02d}:00+00:00")


def listed(page: Path) -> list[str]:
    return [a["href"].rsplit("/", 1)[-1].removesuffix(".html") for a in soup(page).select(".article-list h2 a")]


def test_pagination_puts_the_newest_on_the_front_and_numbers_the_rest_from_the_oldest(make_site):
    root = paginated_site(make_site, 5)
    build(load_config(root))
    public = root / "public/zh-hans"
    front, newest, oldest = public / "index.html", public / "page/2/index.html", public / "page/1/index.html"
    assert [a["href"].rsplit("/", 1)[-1] for a in soup(front).select(".front-latest li a")] == ["a4.html", "a3.html"]
    assert listed(newest) == ["a2"] and listed(oldest) == ["a1", "a0"]
    assert not (public / "page/3").exists()
    assert soup(front).select_one(".front-more a[rel=next]")["href"] == "/zh-hans/page/2/"
    assert soup(newest).select_one(".pagination a[rel=prev]")["href"] == "/zh-hans/"
    assert soup(newest).select_one(".pagination a[rel=next]")["href"] == "/zh-hans/page/1/"
    assert soup(oldest).select_one(".pagination a[rel=prev]")["href"] == "/zh-hans/page/2/"
    assert not soup(oldest).select(".pagination a[rel=next]")
    assert "第1页" in soup(oldest).select_one(".pagination").get_text()


def test_a_new_story_leaves_the_older_list_pages_as_they_were(make_site):
    """What a fetch does every hour: the pages of older stories keep their address and bytes, so a
    build remakes, and a deploy uploads, a few list pages however long the list."""
    root = paginated_site(make_site, 5)
    build(load_config(root))
    public = root / "public/zh-hans"
    oldest = (public / "page/1/index.html").read_bytes()
    (root / "content/a5.md").write_text(dated(article(id="a5", body="第5篇。"), 5), encoding="utf-8")
    result = build(load_config(root))
    assert not result.report.failed, result.report.problems
    assert (public / "page/1/index.html").read_bytes() == oldest
    assert listed(public / "page/2/index.html") == ["a3", "a2"] and not (public / "page/3").exists()
    (root / "content/a6.md").write_text(dated(article(id="a6", body="第6篇。"), 6), encoding="utf-8")
    build(load_config(root))
    assert (public / "page/1/index.html").read_bytes() == oldest
    assert listed(public / "page/3/index.html") == ["a4"] and listed(public / "page/2/index.html") == ["a3", "a2"]
    assert soup(public / "page/2/index.html").select_one(".pagination a[rel=prev]")["href"] == "/zh-hans/page/3/"


def test_canonical_can_point_to_the_original(make_site):
    root = make_site(files={"content/a.md": article()})
    config = (root / "sitegen.toml").read_text(encoding="utf-8")
    (root / "sitegen.toml").write_text(config.replace('base_url = "https://news.example.org/"',
                                                      'base_url = "https://news.example.org/"\ncanonical = "original"'),
                                       encoding="utf-8")
    build(load_config(root))
    page = soup(root / "public/zh-hans/2024/0302/a1.html")
    assert page.find("link", rel="canonical")["href"] == "https://origin.example/a1"


def test_builds_are_byte_identical_across_hash_seeds_and_file_order(demo_site, tmp_path):
    outputs = []
    for seed, order in (("1", "as-is"), ("2", "reversed")):
        site = tmp_path / f"site-{seed}"
        shutil.copytree(demo_site, site, ignore=shutil.ignore_patterns("content"))
        files = sorted((demo_site / "content").rglob("*"))
        for path in reversed(files) if order == "reversed" else files:  # creation order differs
            target = site / path.relative_to(demo_site)
            target.mkdir(parents=True, exist_ok=True) if path.is_dir() else (
                target.parent.mkdir(parents=True, exist_ok=True), shutil.copy(path, target))
        subprocess.run([sys.executable, "-m", "sitegen", "build", "--site", str(site)], check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, timeout=300)
        public = site / "public"
        outputs.append({p.relative_to(public): p.read_bytes() for p in public.rglob("*") if p.is_file()})
    assert outputs[0] == outputs[1]


def test_the_header_keeps_its_order_when_one_category_overtakes_another(make_site):
    """The header is on every page: ordered by size, it would make the whole site again whenever two
    categories of much the same size swapped places."""
    files = {f"content/w{n}.md": dated(article(id=f"w{n}", category="国际", body="一。"), n) for n in range(3)}
    files |= {f"content/e{n}.md": dated(article(id=f"e{n}", category="财经", body="二。"), 10 + n) for n in range(2)}
    root = make_site(files=files)
    build(load_config(root))
    page = root / "public/zh-hans/index.html"
    header = [a.get_text() for a in soup(page).select(".site-nav a")]
    assert sorted(header) == ["国际", "财经"]
    for n in range(2, 4):
        (root / f"content/e{n}.md").write_text(dated(article(id=f"e{n}", category="财经", body="二。"), 10 + n),
                                                encoding="utf-8")
    result = build(load_config(root))
    assert not result.report.failed, result.report.problems
    assert [a.get_text() for a in soup(page).select(".site-nav a")] == header
    assert result.report.counts["pages rendered"] < result.report.counts["unchanged"]
