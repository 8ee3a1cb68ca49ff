"""Hostile feed HTML -> clean Markdown: an nh3 allowlist first, then markdownify."""

from __future__ import annotations

import html
import re

import nh3
from markdownify import MarkdownConverter

TAGS = {
    "p", "br", "h1", "h2", "h3", "h4", "h5", "h6", "b", "strong", "i", "em", "a", "img",
    "figure", "figcaption", "blockquote", "ul", "ol", "li", "table", "thead", "tbody", "tfoot",
    "tr", "th", "td", "caption", "pre", "code", "hr", "del", "s", "sub", "sup", "div", "span",
}
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"colspan", "rowspan"},
              "td": {"colspan", "rowspan"}}
DROPPED_WITH_CONTENT = {"script", "style", "noscript", "template", "iframe", "object", "embed",
                        "form", "button", "select", "textarea", "svg", "math", "canvas", "audio", "video"}
URL_SCHEMES = {"http", "https", "mailto"}


def sanitize(fragment: str, base_url: str = "") -> str:
    """Only the allowlisted tags and attributes survive; relative URLs become absolute."""
    options: dict = {}
    if base_url.startswith(("http://", "https://")):
        options["url_relative"] = ("rewrite_with_base", base_url)
    return nh3.clean(fragment, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                     clean_content_tags=DROPPED_WITH_CONTENT, link_rel=None, strip_comments=True, **options)


class _ArticleConverter(MarkdownConverter):
    def convert_figure(self, el, text, parent_tags):  # noqa: ANN001 - markdownify's hook signature
        img, caption = el.find("img"), el.find("figcaption")
        caption_text = _plain(caption.get_text(" ")) if caption else ""
        if img is None:
            return f"\n\n{text.strip()}\n\n"
        alt = _plain(img.get("alt") or "") or caption_text
        image = f"![{self.escape(alt, parent_tags)}]({img.get('src', '')})"
        return f"\n\n{image}\n\n{self.escape(caption_text, parent_tags)}\n\n" if caption_text else f"\n\n{image}\n\n"

    def convert_img(self, el, text, parent_tags):  # noqa: ANN001
        if not el.get("alt"):
            el["alt"] = ""
        return super().convert_img(el, text, parent_tags)


def html_to_markdown(fragment: str, base_url: str = "") -> str:
    """Clean Markdown for a feed's HTML content."""
    markdown = _ArticleConverter(heading_style="ATX", bullets="-", strip=["span", "div"]).convert(
        sanitize(fragment, base_url))
    return re.sub(r"\n{3,}", "\n\n", markdown).strip()


def html_to_text(fragment: str) -> str:
    """Plain text of a title or summary that may hold markup or entities."""
    return _plain(html.unescape(nh3.clean(fragment, tags=set())))


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
