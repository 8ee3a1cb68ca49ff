"""Article pages: one job per article whose page changed, its body parsed once and localized and
rendered in every variant that needs it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from sitegen.content import markdown
from sitegen.model import Article, Output
from sitegen.outputs.feeds import feed_articles
from sitegen.outputs.produce import Made, Producer, Run
from sitegen.render.keys import ContextPrints
from sitegen.render.pages import article_page, surroundings
from sitegen.render.variant import VariantRenderer


@dataclass(frozen=True)
class VariantJob:
    renderer: int
    """Index of the variant's renderer."""
    key: str
    """LATER when the worker works it out (produce.Run.keep_or_claim)."""
    keep_localized: bool
    """Send the localized article back (the feeds will want it)."""


@dataclass(frozen=True)
class ArticleJob:
    article: Article
    """As assembled (without its body when it came from the cache): the worker takes up the body and
    the neighbours' links, so the jobs of a cold build hold no article text."""
    variants: tuple[VariantJob, ...]


class ArticlePages(Producer):
    name = "articles"

    def plan(self, run: Run) -> list[ArticleJob]:
        jobs, showing_changes, carried = [], _showing_changes(run), feed_articles(run.site)
        same_context = _same_contexts(run)
        remembered = run.renderers[0].remembered(ArticlePages.name)
        articles = run.site.articles
        if run.changes is not None:  # the same shape: the pages of stories that show no change stay put
            left = run.keep_in_place([a.path for a in articles if a.path not in showing_changes], "article.html")
            articles = [a for a in articles if a.path in showing_changes or a.path in left]
        for article in articles:
            variants = []
            unchanged = article.path not in showing_changes if run.changes is not None else \
                article.path in same_context
            listings = article_listings(run.renderers, remembered, article)
            run.places[article.path] = tuple(listing.path for listing in listings)
            for index, (renderer, listing) in enumerate(zip(run.renderers, listings)):
                key = run.keep_or_claim(listing.path, listing.origin,
                                        lambda r=renderer: r.keys.article_page(article), unchanged)
                if key is None:
                    continue
                wanted = article in carried and \
                    (renderer.memory.key_of(article), renderer.variant.name) not in renderer.memory.localized
                variants.append(VariantJob(index, key, wanted))
            if variants:
                jobs.append(ArticleJob(article, tuple(variants)))
        return jobs

    def work(self, run: Run, job: ArticleJob) -> tuple[Made, ...]:
        """The article's pages in the variants the job names (its body parsed once)."""
        article = run.renderers[0].memory.with_body(job.article)
        tokens = markdown.parse(run.renderers[job.variants[0].renderer].md, article.body)
        made = []
        for variant in job.variants:
            renderer = run.renderers[variant.renderer]
            localized = renderer.localize(article, tokens)
            around = surroundings(renderer, job.article)  # the article as the site holds it, by equality
            key = variant.key or renderer.keys.article_page(job.article)
            made.append(run.make(key, lambda: article_page(renderer, article, around, localized),
                                 localized if variant.keep_localized else None))
        return tuple(made)

    def take(self, run: Run, job: ArticleJob, made: tuple[Made, ...]) -> None:
        for variant, result in zip(job.variants, made):
            if result.extra is not None:
                renderer = run.renderers[variant.renderer]
                renderer.memory.localized[renderer.memory.key_of(job.article), renderer.variant.name] = result.extra
            run.take(f"content/{job.article.path}", result)


def article_listings(renderers: list[VariantRenderer], remembered: dict[str, tuple[Article, tuple[Output, ...]]],
                     article: Article) -> tuple[Output, ...]:
    """The article page's place and sitemap entry in each renderer's variant, without its bytes;
    `remembered`: the table of them, by article path (kept while the site stays warm), each with
    the article they are for: a path's article may change between builds."""
    found = remembered.get(article.path)
    # By identity first: a warm site's unchanged articles are the objects they were (== is slower).
    if found is not None and (found[0] is article or found[0] == article):
        return found[1]
    permalink, lastmod = renderers[0].site.urls.permalink(article), (article.updated or article.date).isoformat()
    listings = tuple(Output(r.site.urls.output_file(r.variant.path + permalink, r.variant), b"", "article.html",
                            page=r.variant.path + permalink, variant=r.variant.name, lastmod=lastmod)
                     for r in renderers)
    remembered[article.path] = (article, listings)
    return listings


def _same_contexts(run: Run) -> set[str]:
    """The articles whose pages are made from what they were last made from (`ContextPrints`), when
    the site changed shape (a story came or went: `run.changes` is None); their pages are kept if
    intact, without their keys worked out. Prints are worked out for every article then, and else
    for the changed ones and those within their reach (the others' contexts hold no change), into
    `run.contexts`, which the build remembers once it has made every page it set out to."""
    site, memory = run.site, run.renderers[0].memory
    prints = run.prints = ContextPrints(site, memory, tuple(renderer.keys.base for renderer in run.renderers))
    if run.changes is None:
        articles: Iterable[Article] = site.articles
    else:
        changed = [a for a in site.articles if a.path in run.changes.articles]
        articles = {*changed, *(other for a in changed for other in site.within_reach(a))}
    same = set()
    for article in articles:
        found = run.contexts[article.path] = prints.of(article)
        if memory.contexts.get(article.path) == found:
            same.add(article.path)
    return same if run.changes is None else set()


def _showing_changes(run: Run) -> set[str]:
    """Paths of the articles whose pages show a changed article: those, and the ones linking to them."""
    if run.changes is None:
        return set()
    showing = set(run.changes.articles)
    for article in run.site.articles:
        if article.path in run.changes.articles:
            showing.update(a.path for a in run.site.linking_to(article))
    return showing
