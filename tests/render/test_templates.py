"""The template context is a contract: each theme template uses only the names and
fields documented in sitegen/render/context.py, so a site can override any template."""

from __future__ import annotations

import dataclasses

import jinja2
import pytest
from jinja2 import meta, nodes

from sitegen.model import LocalizedArticle
from sitegen.render import context
from sitegen.render.templates import THEME_DIR, new_environment

PAGES = {"article.html": context.ArticlePage, "list.html": context.ListPage, "home.html": context.HomePage,
         "root.html": context.RootPage, "404.html": context.NotFoundPage, "search.html": context.SearchPage,
         "withdrawn.html": context.WithdrawnPage}
PARTS = {"base.html": None, "footer.html": None, "attribution.html": context.ArticlePage, "image.html": None}
FEEDS = {"atom.xml": context.FeedView, "rss.xml": context.FeedView}
TOP_LEVEL = {"site", "page", "t"}
ALIASES = {"a": LocalizedArticle, "feed": context.FeedView, "entry": context.FeedEntry, "item": context.ArticleSummary,
           "link": context.Link, "crumb": context.Link, "alt": context.Link, "tag": context.Link,
           "section": context.HomeSection, "view": context.ImageView}


def fields(cls) -> set[str]:
    return {f.name for f in dataclasses.fields(cls)}


def attributes_of(ast: nodes.Template, name: str) -> set[str]:
    return {n.attr for n in ast.find_all(nodes.Getattr) if isinstance(n.node, nodes.Name) and n.node.name == name}


def parse(name: str) -> nodes.Template:
    env = new_environment(THEME_DIR / "none")
    return env.parse(env.loader.get_source(env, name)[0])


def test_every_theme_template_is_covered():
    names = {p.name for p in (THEME_DIR / "templates").iterdir()}
    assert names == set(PAGES) | set(PARTS) | set(FEEDS) | {"feed-content.html"}


@pytest.mark.parametrize("name", sorted(PAGES) + sorted(PARTS))
def test_page_templates_use_only_documented_fields(name):
    ast = parse(name)
    assert meta.find_undeclared_variables(ast) <= TOP_LEVEL
    assert attributes_of(ast, "site") <= fields(context.SiteView)
    page_class = PAGES.get(name) or PARTS[name]
    used = attributes_of(ast, "page")
    if page_class is None:  # base and footer serve every page type: only fields all of them have
        assert used <= set.intersection(*(fields(cls) for cls in PAGES.values()))
    else:
        assert used <= fields(page_class)
    for alias, cls in ALIASES.items():
        assert attributes_of(ast, alias) <= fields(cls) | {"isoformat"} | fields(context.Link), (alias, cls)


@pytest.mark.parametrize("name", sorted(FEEDS))
def test_feed_templates_use_only_documented_fields(name):
    ast = parse(name)
    assert meta.find_undeclared_variables(ast) <= {"site", "feed", "t"}
    assert attributes_of(ast, "feed") <= fields(context.FeedView)
    assert attributes_of(ast, "entry") <= fields(context.FeedEntry)


def test_feed_content_template():
    ast = parse("feed-content.html")
    assert meta.find_undeclared_variables(ast) <= {"site", "a", "url", "title_only", "t"}
    assert attributes_of(ast, "a") <= fields(LocalizedArticle)


def test_an_undocumented_field_is_caught(tmp_path):
    (tmp_path / "list.html").write_text("{{ page.itemz }}", encoding="utf-8")
    env = new_environment(tmp_path)
    ast = env.parse(env.loader.get_source(env, "list.html")[0])
    assert not attributes_of(ast, "page") <= fields(context.ListPage)
    with pytest.raises(jinja2.UndefinedError):
        env.get_template("list.html").render(page=object())
