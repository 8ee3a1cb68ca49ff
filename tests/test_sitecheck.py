"""`check_built_site`: the built site as readers and feed readers meet it. The demo site checks clean;
each way of breaking a built site is found, naming the page, the reference and why."""

from __future__ import annotations

import re
import shutil
import threading
from pathlib import Path
from typing import Callable

import pytest

from sitegen import processes, sitecheck
from sitegen.build import build
from sitegen.config import SiteConfig, load_config
from sitegen.errors import Problem, Report
from sitegen.sitecheck import check_built_site
from tests.helpers import MINIMAL_CONFIG, article, copy_demo_site, edit

SITE = "https://news.example.org"
ARTICLE = "2023/0915/1954134.html"
"""The demo's real RFA story: in both scripts, linked from the homes, its neighbours and the feeds."""


def errors(report: Report) -> list[Problem]:
    return [p for p in report.problems if p.level == "error"]


def add_to_main(path: Path, html: str) -> None:
    edit(path, lambda text: text.replace('<main id="main">', '<main id="main">' + html, 1))


@pytest.fixture(scope="module")
def built_demo(tmp_path_factory) -> tuple[SiteConfig, Path]:
    """The demo site (as the demo_site fixture copies it), built once for this module."""
    root = copy_demo_site(tmp_path_factory.mktemp("demo") / "site")
    config = load_config(root)
    assert not build(config).report.failed
    return config, root / "public"


@pytest.fixture
def public(built_demo, tmp_path) -> Path:
    """A copy of the built demo's output, to break."""
    return Path(shutil.copytree(built_demo[1], tmp_path / "public"))


def check(built_demo, public: Path, **options) -> Report:
    return check_built_site(built_demo[0], public, **options)


def test_the_demo_site_checks_clean(demo_site):
    config = load_config(demo_site)
    assert not build(config).report.failed
    report = check_built_site(config)
    assert errors(report) == []
    pages = list((demo_site / "public").rglob("*.html"))
    assert len(pages) > 100 and report.counts == {"pages checked": len(pages)}


def test_a_site_not_built_is_one_error(demo_site):
    report = check_built_site(load_config(demo_site))
    assert [(p.level, p.message) for p in report.problems] == \
        [("error", "the site is not built: run sitegen build first")]
    (demo_site / "public").mkdir()
    assert len(errors(check_built_site(load_config(demo_site)))) == 1


def _delete(path: str) -> Callable[[Path], None]:
    return lambda public: (public / path).unlink()


def _drop_back_link(public: Path) -> None:
    link = f'<link rel="alternate" hreflang="zh-Hans" href="{SITE}/zh-hans/{ARTICLE}">\n'
    edit(public / "zh-hant" / ARTICLE, lambda text: text.replace(link, ""))


def _sitemap_loc(public: Path) -> None:
    url = f"  <url>\n    <loc>{SITE}/zh-hant/2099/0101/gone.html</loc>\n  </url>\n"
    edit(public / "sitemap.xml", lambda text: text.replace("</urlset>", url + "</urlset>"))


def _truncate_feed(public: Path) -> None:
    feed = public / "zh-hant/atom.xml"
    feed.write_bytes(feed.read_bytes()[:5000])


def _feed_entry(public: Path) -> None:
    old, new = f"<link>{SITE}/zh-hans/{ARTICLE}</link>", f"<link>{SITE}/zh-hans/2023/0915/gone.html</link>"
    edit(public / "zh-hans/rss.xml", lambda text: text.replace(old, new))


BREAKAGES = {
    "an article page that others link to is gone": (
        _delete(f"zh-hant/{ARTICLE}"),
        [("zh-hant/index.html", f"link /zh-hant/{ARTICLE} : no such page"),
         ("zh-hant/2023/1108/7240193.html", f"link /zh-hant/{ARTICLE} : no such page"),
         (f"zh-hans/{ARTICLE}", f"hreflang zh-Hant {SITE}/zh-hant/{ARTICLE} : no such page"),
         (f"zh-hans/{ARTICLE}", f"link /zh-hant/{ARTICLE} : no such page"),  # its script switch
         ("sitemap.xml", f"loc {SITE}/zh-hant/{ARTICLE} : no such page"),
         ("zh-hant/atom.xml", f"entry link {SITE}/zh-hant/{ARTICLE} : no such page")]),
    "the stylesheet is gone": (
        _delete("css/sitegen.css"),
        [("index.html", "stylesheet /css/sitegen.css : no such file"),
         (f"zh-hans/{ARTICLE}", "stylesheet /css/sitegen.css : no such file")]),
    "an hreflang back-link is gone": (
        _drop_back_link,
        [(f"zh-hans/{ARTICLE}", f"hreflang zh-Hant {SITE}/zh-hant/{ARTICLE} : "
                                "that page has no hreflang alternate back to this one")]),
    "an image shown in feed entries is gone": (
        _delete("images/demo/rocket-launchpad.svg"),
        [("zh-hant/2025/0306/2058874.html", "image /images/demo/rocket-launchpad.svg : no such file"),
         ("zh-hant/atom.xml", "image /images/demo/rocket-launchpad.svg : no such file "
                              f"(in the entry {SITE}/zh-hant/2025/0306/2058874.html)")]),
    "a sitemap loc names a missing page": (
        _sitemap_loc, [("sitemap.xml", f"loc {SITE}/zh-hant/2099/0101/gone.html : no such page")]),
    "a feed is cut short": (
        _truncate_feed, [("zh-hant/atom.xml", re.compile(r"not well-formed XML \(.*\): no feed reader can read it"))]),
    "a feed entry links to a missing page": (
        _feed_entry, [("zh-hans/rss.xml", f"entry link {SITE}/zh-hans/2023/0915/gone.html : no such page")]),
    "a zh-hans page links into zh-hant outside the switch": (
        lambda public: add_to_main(public / "zh-hans" / ARTICLE, '<a href="/zh-hant/category/ke-ji/">科技</a>'),
        [(f"zh-hans/{ARTICLE}", "link /zh-hant/category/ke-ji/ : leads into zh-Hant, not through the script switch")]),
    "a javascript: link": (
        lambda public: add_to_main(public / "zh-hant/index.html", "<a href='javascript:alert(1)'>x</a>"),
        [("zh-hant/index.html", re.compile(r"link javascript:alert\(1\) : a javascript: URL"))]),
    "a relative link on a 404 page": (
        lambda public: add_to_main(public / "zh-hant/404.html", '<a href="2023/">2023</a>'),
        [("zh-hant/404.html", "link 2023/ : relative, on a page served at any missing URL")]),
}


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_each_breakage_is_named(built_demo, public, breakage):
    assert errors(check(built_demo, public)) == []  # the copy is clean before it is broken
    damage, expected = BREAKAGES[breakage]
    damage(public)
    found = [(p.where, p.message) for p in errors(check(built_demo, public))]
    for where, message in expected:
        matches = [m for w, m in found if w == where and
                   (message.match(m) if isinstance(message, re.Pattern) else m == message)]
        assert len(matches) == 1, (where, message, found)
    assert len(found) == len(set(found)), "each problem once"


def test_a_page_stands_for_its_canonical_page_in_hreflang_pairs(built_demo, public):
    """The root 404.html is the default variant's 404 page (its canonical): the zh-Hans 404 page
    links back to that one. Without the canonical link, nothing links back to the root copy."""
    root_404 = public / "404.html"
    edit(root_404, lambda text: text.replace(f'<link rel="canonical" href="{SITE}/zh-hant/404.html">\n', ""))
    assert [(p.where, p.message) for p in errors(check(built_demo, public))] == [
        ("404.html", f"hreflang {lang} {SITE}/{lang.lower()}/404.html : "
                     "that page has no hreflang alternate back to this one") for lang in ("zh-Hans", "zh-Hant")]


def test_every_page_is_named_once_for_a_shared_reference(built_demo, public):
    (public / "css/sitegen.css").unlink()
    found = errors(check(built_demo, public))
    pages = sorted(p.relative_to(public).as_posix() for p in public.rglob("*.html"))
    assert sorted(p.where for p in found) == pages
    assert {p.message for p in found} == {"stylesheet /css/sitegen.css : no such file"}


def test_quotes_entities_escapes_and_srcset(built_demo, public):
    (public / "images/新聞圖.svg").write_text("<svg/>", encoding="utf-8")
    add_to_main(public / "zh-hant/index.html",
                "<a href='/zh-hant/2023/?page=1&amp;sort=new#top'>a</a>"
                '<img src="/images/%E6%96%B0%E8%81%9E%E5%9C%96.svg" alt="">'
                '<img src="/images/新聞圖.svg" alt="">'
                '<a href="../zh-hant/./2023/">b</a><a href="mailto:a@example.org">c</a>'
                '<a href="https://elsewhere.example/x.html">d</a><a href="#main">e</a>'
                "<img srcset='/images/%E6%96%B0%E8%81%9E%E5%9C%96.svg 1x, /images/missing.svg 2x' alt=''>"
                "<a href='/zh-hant/2023/0915/gone.html'>f</a>")
    found = [(p.where, p.message) for p in errors(check(built_demo, public))]
    assert found == [("zh-hant/index.html", "image /images/missing.svg : no such file"),
                     ("zh-hant/index.html", "link /zh-hant/2023/0915/gone.html : no such page")]


def test_the_switch_must_name_the_variant_it_leads_into(built_demo, public):
    add_to_main(public / "zh-hans/index.html",
                '<a href="/zh-hant/" hreflang="zh-Hant" lang="zh-Hant">繁體</a>'
                '<a href="/zh-hant/2023/" hreflang="zh-Hans">wrong</a>')
    found = [(p.where, p.message) for p in errors(check(built_demo, public))]
    assert found == [("zh-hans/index.html", "link /zh-hant/2023/ : leads into zh-Hant, not through the script switch")]


def test_worker_processes_find_what_one_process_finds(built_demo, public, monkeypatch):
    (public / f"zh-hant/{ARTICLE}").unlink()
    _truncate_feed(public)
    if threading.active_count() > 1:
        pytest.skip("LOUD SKIP: other threads are running, so the check does not fork (processes.workers_for)")
    one = errors(check(built_demo, public, workers=1))
    pools = []
    monkeypatch.setattr(sitecheck, "MIN_FILES_PER_WORKER", 10)
    monkeypatch.setattr(sitecheck, "CHUNK", 7)
    monkeypatch.setattr(sitecheck, "forked_pool", lambda *a: pools.append(a) or processes.forked_pool(*a))
    assert errors(check(built_demo, public, workers=2)) == one and len(one) > 10
    assert pools and pools[0][0] == 2


# ---- a site under a sub-path, and a variant on a host of its own -------------------------------

ARTICLES = {f"content/{name}.md": article(id=name, lang=lang, category=category, title=title)
            for name, lang, category, title in [("a1", "zh-Hans", "国际", "头发与皇后"),
                                                ("a2", "zh-Hant", "國際", "颱風逼近"),
                                                ("a3", "zh-Hans", "科技", "火箭发射")]}


def built_site(make_site, config: str) -> tuple[SiteConfig, Path]:
    root = make_site(config, ARTICLES)
    config_ = load_config(root)
    assert not build(config_).report.failed
    return config_, root / "public"


def test_a_site_under_a_sub_path_checks_clean(make_site):
    config, public = built_site(make_site, MINIMAL_CONFIG.format(hans_url="feeds/hans.xml").replace(
        "https://news.example.org/", "https://example.org/news/"))
    assert 'href="/news/css/sitegen.css"' in (public / "zh-hans/index.html").read_text(encoding="utf-8")
    report = check_built_site(config)
    assert errors(report) == [] and report.counts["pages checked"] > 20
    # the organisation's other pages on the same host are not the site's: external, not checked
    add_to_main(public / "zh-hans/index.html", '<a href="/zh-hans/">home</a><a href="/news/zh-hans/nope/">x</a>'
                                               '<a href="/about/contact.html">about us</a>')
    assert [(p.where, p.message) for p in errors(check_built_site(config))] == [
        ("zh-hans/index.html", "link /zh-hans/ : outside the site: the page is under https://example.org/news/ "
                               "(the base path is missing)"),
        ("zh-hans/index.html", "link /news/zh-hans/nope/ : no such page")]


def test_a_variant_on_a_host_of_its_own(make_site):
    config, public = built_site(make_site, MINIMAL_CONFIG.format(hans_url="feeds/hans.xml") +
                                '[variants.zh-Hans]\npath = "/zh-hans/"\n'
                                '[variants.zh-Hant]\nbase_url = "https://tw.example.org/"\n')
    assert (public / "zh-hant/sitemap.xml").is_file() and (public / "zh-hant/index.html").is_file()
    assert errors(check_built_site(config)) == []
    add_to_main(public / "zh-hant/index.html", '<a href="/2099/0101/none.html">x</a>')
    add_to_main(public / "zh-hans/index.html", '<a href="/zh-hant/">not on this host</a>'
                                               '<a href="https://tw.example.org/category/guo-ji/">x</a>')
    assert [(p.where, p.message) for p in errors(check_built_site(config))] == [
        ("zh-hans/index.html", "link /zh-hant/ : no such page"),
        ("zh-hans/index.html", "link https://tw.example.org/category/guo-ji/ : "
                               "leads into zh-Hant, not through the script switch"),
        ("zh-hant/index.html", "link /2099/0101/none.html : no such page")]
