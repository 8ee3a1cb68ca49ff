"""The localize stage: what of an article is published in one variant, in that variant's script.

`localize` is the one place that decides the published text of an article page or feed entry;
`headline` what lists show of it. Only text is converted: URLs, link targets, code spans and
blocks, ids and front-matter keys are never touched, because the body is converted on the
Markdown token stream, not as a string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape, unescape
from itertools import groupby
from typing import Callable, Iterator, Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token

from sitegen.config import SourceConfig
from sitegen.content import markdown
from sitegen.convert.converter import ScriptConverter
from sitegen.convert.rights import FULL, SUMMARY, TITLE, cut_text, opening, republishing, summary_length
from sitegen.convert.variant_text import VariantText
from sitegen.model import Article, Image, LocalizedArticle

_TEXT_TOKENS = {"text", "image"}
Slot = tuple[Token, str, str, int]
"""(token, field, text, block): field is content or title; a block is one run of inline text."""


def localize(article: Article, tokens: Sequence[Token], text: VariantText, source: SourceConfig | None,
             md: MarkdownIt, link: Callable[[str], str]) -> LocalizedArticle:
    """The article as published in `text`'s variant: `tokens` is its parsed body (parsed once for
    every variant), `source` its source's settings, `link` makes an href of a path inside the site."""
    convert = text.converter(article.lang, article)
    policy = republishing(article, source)
    image = article.image if policy == FULL and article.image else Image("")  # an image is a work of its own
    texts = [article.title, published_summary(article, policy, source), article.author,
             article.source_name or (source.name if source else ""),
             article.editor or (source.editor if source else ""),
             image.caption, image.credit, *article.categories, *article.tags]
    (title, summary, author, source_name, editor, caption, credit, *names) = convert.convert_texts(texts)
    published = tokens if policy == FULL else opening(tokens, summary_length(source)) if policy == SUMMARY else []
    body = markdown.render(md, convert_tokens(published, convert), link)
    if policy != FULL and article.source_url:
        body += _read_on(article.source_url, source_name, text)
    n = len(article.categories)
    return LocalizedArticle(
        article=article, variant=text.variant.name, title=title, summary=summary, body_html=body,
        author=author, source_name=source_name, editor=editor,
        categories=tuple(names[:n]), tags=tuple(names[n:]),
        image=Image(image.url, caption, credit, image.width, image.height) if image.url else None,
        license=text.setting(source.license) if source and source.license else "", republish=policy)


def published_summary(article: Article, policy: str, source: SourceConfig | None) -> str:
    """The article's summary as its policy allows: whole, cut to the summary length, or none."""
    if policy == TITLE:
        return ""
    return cut_text(article.summary, summary_length(source)) if policy == SUMMARY else article.summary


def _read_on(url: str, source_name: str, text: VariantText) -> str:
    """The link to the whole story at its source, which a summary or a title stands in for."""
    label = text.ui("閱讀全文") + (f"：{source_name}" if source_name else "")
    return f'<p class="read-original"><a href="{escape(url)}" rel="noopener">{escape(label)}</a></p>\n'


@dataclass(frozen=True)
class Headline:
    """What a list entry shows of an article's text."""

    title: str
    summary: str
    source_name: str
    image: Image | None
    """The lead image, when the whole story is republished."""


def headline(article: Article, text: VariantText, source: SourceConfig | None) -> Headline:
    """The article's title, summary and source's name in `text`'s variant, as `localize` publishes them."""
    convert = text.converter(article.lang, article)
    policy = republishing(article, source)
    source_name = article.source_name or (source.name if source else "")
    title, summary, source_name = convert.convert_texts(
        [article.title, published_summary(article, policy, source), source_name])
    return Headline(title, summary, source_name, article.image if policy == FULL else None)


def title_only(article: LocalizedArticle) -> bool:
    """Nothing to show under the title: judged by the rendered body, not the Markdown, because an
    article may come from the build cache without its text, and a body of only whitespace or
    link definitions renders to nothing too."""
    return not article.body_html.strip()


def description(article: LocalizedArticle) -> str:
    """The page's meta description: the summary, else the body's opening, else (a title-only
    story, or a body of images alone) the title, never empty."""
    if article.republish == TITLE:
        return article.title  # its body is only the link to the original
    return article.summary or _excerpt(article.body_html) or article.title


def _excerpt(body_html: str, length: int = 120) -> str:
    # Entities are decoded: the template escapes the text again, and `&amp;amp;` would show.
    text = unescape(re.sub(r"<[^>]+>", "", body_html))
    text = re.sub(r"\s+", " ", text).strip()
    return text[:length]


def convert_tokens(tokens: Sequence[Token], converter: ScriptConverter) -> list[Token]:
    """New tokens with every text node, image alt and link/image title converted."""
    slots = list(_text_slots(tokens, [0]))
    if not converter.converting and not any("-{" in slot[2] for slot in slots):
        return list(tokens)  # the article's own script, no inline overrides: nothing to change
    blocks = [[slot[2] for slot in group] for _, group in groupby(slots, key=lambda slot: slot[3])]
    converted = [text for block in converter.convert_blocks(blocks) for text in block]
    replacements = {(id(token), field): text for (token, field, _, _), text in zip(slots, converted)}
    return _rebuild(tokens, replacements)


def _text_slots(tokens: Sequence[Token], counter: list[int], block: int | None = None) -> Iterator[Slot]:
    in_autolink = False
    for token in tokens:
        if token.type in ("link_open", "link_close") and token.markup == "autolink":
            in_autolink = token.type == "link_open"  # <https://…> shows its URL as text: keep it
        if in_autolink:
            continue
        if token.children:  # an inline run, or an image whose alt text is its children
            counter[0] += 1
            yield from _text_slots(token.children, counter, block if block is not None else counter[0])
        elif token.type in _TEXT_TOKENS and token.content:
            yield token, "content", token.content, block if block is not None else _next(counter)
        title = token.attrs.get("title")
        if isinstance(title, str) and title:
            yield token, "title", title, _next(counter)  # its own block: quotes never pair into it


def _next(counter: list[int]) -> int:
    counter[0] += 1
    return counter[0]


def _rebuild(tokens: Sequence[Token], replacements: dict[tuple[int, str], str]) -> list[Token]:
    """Copies of the tokens that change (and of their parents); the others are shared."""
    rebuilt = []
    for token in tokens:
        changes: dict = {}
        if (id(token), "content") in replacements:
            changes["content"] = replacements[id(token), "content"]
        if (id(token), "title") in replacements:
            changes["attrs"] = {**token.attrs, "title": replacements[id(token), "title"]}
        if token.children:
            children = _rebuild(token.children, replacements)
            if any(new is not old for new, old in zip(children, token.children)):
                changes["children"] = children
        rebuilt.append(token.copy(**changes) if changes else token)
    return rebuilt
