"""A page's head for machines: canonical URL, hreflang alternates, OpenGraph, JSON-LD."""

from __future__ import annotations

import json
from typing import Callable

from sitegen.config import VariantConfig
from sitegen.model import LocalizedArticle
from sitegen.render.context import Link, Meta
from sitegen.site.assemble import Site

OG_LOCALES = {"zh-Hans": "zh_CN", "zh-Hant": "zh_TW", "zh-TW": "zh_TW", "zh-HK": "zh_HK", "zh-MO": "zh_HK"}


def page_meta(site: Site, variant: VariantConfig, title: str, description: str,
              path_in: Callable[[VariantConfig], str], og_type: str = "website", image: str = "",
              json_ld: str = "", canonical: str = "", noindex: bool = False) -> Meta:
    urls = site.urls
    url = urls.absolute(path_in(variant), variant)
    alternates = tuple(Link(v.label, urls.absolute(path_in(v), v), v.name) for v in site.config.variants)
    alternates += (Link("x-default", urls.absolute(urls.root()), "x-default"),)
    return Meta(title=title, description=description, url=url, canonical=canonical or url,
                alternates=alternates, og_type=og_type, og_locale=OG_LOCALES.get(variant.name, "zh_TW"),
                image=image, json_ld=json_ld, noindex=noindex)


def article_json_ld(site: Site, variant: VariantConfig, article: LocalizedArticle, url: str, image: str) -> str:
    """schema.org NewsArticle; a republished story says what it is based on."""
    original = article.article
    data: dict = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": original.date.isoformat(),
        "dateModified": (original.updated or original.date).isoformat(),
        "inLanguage": variant.name,
        "mainEntityOfPage": url,
        "url": url,
        "publisher": {"@type": "Organization", "name": site.config.site.title,
                      "url": site.urls.absolute(site.urls.root())},
    }
    if article.author:
        data["author"] = {"@type": "Person", "name": article.author}
    elif article.source_name:
        data["author"] = {"@type": "Organization", "name": article.source_name}
    if image:
        data["image"] = [image]
    if article.summary:
        data["description"] = article.summary
    if original.source_url:
        data["isBasedOn"] = original.source_url
    if article.source_name:
        data["sourceOrganization"] = {"@type": "Organization", "name": article.source_name}
    return safe_json(data)


def safe_json(data: dict) -> str:
    """JSON that cannot end its script element: <, > and & are escaped as \\u sequences."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
