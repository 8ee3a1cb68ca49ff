"""Sitemaps past what one file may hold: split in parts under an index, kept while the pages stay,
and joined again when they fit. The limits are lowered so the demo site is "large"."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from sitegen import sitecheck
from sitegen.build import build
from sitegen.config import load_config
from sitegen.outputs import sitemap
from sitegen.sitecheck import check_built_site
from tests.helpers import MINIMAL_CONFIG, article

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SITE = "https://news.example.org/"


def locs(path: Path) -> list[str]:
    return [loc.text for loc in ET.parse(path).getroot().iter(NS + "loc")]


def root_tag(path: Path) -> str:
    return ET.parse(path).getroot().tag.removeprefix(NS)


def parts_of(public: Path) -> list[Path]:
    return sorted(public.glob("sitemap-*.xml"), key=lambda p: int(re.findall(r"\d+", p.name)[0]))


@pytest.fixture
def whole(demo_site) -> list[str]:
    """The demo's sitemap URLs when they fit in one file."""
    config = load_config(demo_site)
    assert not build(config, demo_site / "whole").report.failed
    assert root_tag(demo_site / "whole/sitemap.xml") == "urlset"
    return locs(demo_site / "whole/sitemap.xml")


def test_a_sitemap_past_the_url_limit_is_split_under_an_index(demo_site, whole, monkeypatch):
    monkeypatch.setattr(sitemap, "SITEMAP_MAX_URLS", 40)
    config, public = load_config(demo_site), demo_site / "public"
    assert not build(config).report.failed
    parts = parts_of(public)
    assert len(parts) == -(-len(whole) // 40) > 1
    assert root_tag(public / "sitemap.xml") == "sitemapindex"
    assert locs(public / "sitemap.xml") == [SITE + part.name for part in parts]
    assert all(root_tag(part) == "urlset" and len(locs(part)) <= 40 for part in parts)
    assert [url for part in parts for url in locs(part)] == whole  # every URL once, in the same order
    assert (public / "robots.txt").read_text().endswith(f"Sitemap: {SITE}sitemap.xml\n")
    assert [p for p in check_built_site(config).problems if p.level == "error"] == []


def test_a_sitemap_past_the_byte_limit_is_split_too(demo_site, whole, monkeypatch):
    monkeypatch.setattr(sitemap, "SITEMAP_MAX_BYTES", 20_000)
    assert not build(load_config(demo_site)).report.failed
    parts = parts_of(demo_site / "public")
    assert len(parts) > 1 and all(part.stat().st_size <= 20_000 for part in parts)
    assert [url for part in parts for url in locs(part)] == whole


def test_split_parts_are_kept_while_the_pages_stay_and_removed_when_they_fit_again(demo_site, monkeypatch):
    monkeypatch.setattr(sitemap, "SITEMAP_MAX_URLS", 40)
    config, public = load_config(demo_site), demo_site / "public"
    assert not build(config).report.failed
    written = {path: path.stat().st_mtime_ns for path in [public / "sitemap.xml", *parts_of(public)]}
    story = sorted((demo_site / "content").rglob("*.md"))[0]
    story.write_text(story.read_text(encoding="utf-8") + "\n多一段。\n", encoding="utf-8")
    report = build(config).report  # its pages change, but no page came, went or changed its date
    assert not report.failed and report.counts["pages rendered"] > 0
    assert {path: path.stat().st_mtime_ns for path in [public / "sitemap.xml", *parts_of(public)]} == written
    monkeypatch.setattr(sitemap, "SITEMAP_MAX_URLS", 50_000)
    (public / "sitemap-1.xml").touch()  # changed since sitegen wrote it: not sitegen's to remove
    report = build(config).report
    assert not report.failed
    assert root_tag(public / "sitemap.xml") == "urlset"
    assert [p.name for p in parts_of(public)] == ["sitemap-1.xml"]
    assert any("left" in p.message for p in report.problems)


def test_the_check_flags_a_sitemap_too_large_for_search_engines(demo_site, monkeypatch):
    config = load_config(demo_site)
    assert not build(config).report.failed
    monkeypatch.setattr(sitecheck, "SITEMAP_MAX_URLS", 10)
    problems = [p for p in check_built_site(config).problems if p.level == "error"]
    assert len(problems) == 1 and problems[0].where.endswith("sitemap.xml")
    assert "search engines read at most 10 URLs" in problems[0].message


def test_a_variant_on_a_host_of_its_own_gets_its_parts_in_its_own_tree(make_site, monkeypatch):
    monkeypatch.setattr(sitemap, "SITEMAP_MAX_URLS", 5)
    stories = {f"content/a{n}.md": article(id=f"a{n}", category=category) for n, category in
               enumerate(["国际", "科技", "体育"])}
    root = make_site(MINIMAL_CONFIG.format(hans_url="feeds/hans.xml") + '[variants.zh-Hant]\n'
                     'base_url = "https://tw.example.org/"\n', stories)
    config = load_config(root)
    assert not build(config).report.failed
    own = root / "public/zh-hant"
    assert root_tag(own / "sitemap.xml") == "sitemapindex" and len(parts_of(own)) > 1
    assert locs(own / "sitemap.xml") == [f"https://tw.example.org/{part.name}" for part in parts_of(own)]
    assert all(url.startswith("https://tw.example.org/") for part in parts_of(own) for url in locs(part))
    assert (own / "robots.txt").read_text().endswith("Sitemap: https://tw.example.org/sitemap.xml\n")
    assert [p for p in check_built_site(config).problems if p.level == "error"] == []


def test_a_story_updated_has_its_new_date_in_the_sitemap(demo_site):
    """The sitemap is kept while the site keeps its shape, and a story's update date is part of
    that shape: a story edited and dated as updated gets its new lastmod, as a clean build has it."""
    config, public = load_config(demo_site), demo_site / "public"
    assert not build(config).report.failed
    story = sorted((demo_site / "content").rglob("*.md"))[0]
    story.write_text(story.read_text(encoding="utf-8").replace("\nsource:", '\nupdated: "2030-01-02T03:04:05+00:00"\n'
                                                               "source:", 1) + "\n更正一处。\n", encoding="utf-8")
    assert not build(config).report.failed
    assert "<lastmod>2030-01-02T03:04:05+00:00</lastmod>" in (public / "sitemap.xml").read_text(encoding="utf-8")
    assert not build(config, demo_site / "clean").report.failed
    assert (public / "sitemap.xml").read_bytes() == (demo_site / "clean/sitemap.xml").read_bytes()
