"""Hostile feed HTML -> clean Markdown that renders back to what the feed meant.

A loose nh3 pass first makes any markup well-formed the way a browser would (a
broken tag vanishes instead of leaking out as text such as ` alt=`). BeautifulSoup
then removes what only class names and sizes give away (share widgets, ads,
tracking pixels) and folds photo credits into captions. The strict nh3 allowlist
decides what survives. What is left is the cleaned HTML (clean_html), and the stored
Markdown must render back to it: same text, emphasis, links, images, lists, quotes,
tables and code (sitegen.fetch.tomarkdown and sitegen.fetch.inline write it; see
tests/fetch/test_roundtrip.py). A body with no HTML element at all is plain text and keeps
its paragraphs (sitegen.fetch.plaintext).
"""

from __future__ import annotations

import html
import re

import nh3
from bs4 import BeautifulSoup, NavigableString, Tag

from sitegen.fetch.markdown_text import CJK, IMAGE_SCHEMES, IS_CJK, LINK_SCHEMES, squash
from sitegen.fetch.plaintext import text_to_markdown
from sitegen.fetch.tomarkdown import BLOCKS, soup_to_markdown

TAGS = {
    "p", "br", "h1", "h2", "h3", "h4", "h5", "h6", "b", "strong", "i", "em", "a", "img",
    "figure", "figcaption", "blockquote", "ul", "ol", "li", "table", "thead", "tbody", "tfoot",
    "tr", "th", "td", "caption", "pre", "code", "hr", "del", "s", "sub", "sup", "div", "span",
}
# No srcset (nh3 does not check the schemes inside it) and no img title: a title is
# only ever set from a figure's caption, so the Markdown can mark figures with it.
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt"}, "th": {"colspan", "rowspan"},
              "td": {"colspan", "rowspan"}}
# Dropped with everything inside. <form> and <object> are only unwrapped: some CMSs wrap
# the whole page in a form, and an unclosed <object> swallows the rest of the article.
DROPPED_WITH_CONTENT = {"script", "style", "noscript", "template", "iframe", "embed", "title",
                        "button", "select", "textarea", "svg", "math", "canvas", "audio", "video"}
URL_SCHEMES = {"http", "https", "mailto"}

_LAZY_SRC = ("data-src", "data-original", "data-lazy-src")  # lazy-loading scripts keep the real image here
_LOOSE = {"tags": nh3.ALLOWED_TAGS | TAGS | {"section", "main"}, "clean_content_tags": DROPPED_WITH_CONTENT,
          "attributes": {"*": {"class", "id", "style", "width", "height"}, "a": {"href", "title"},
                         "img": {"src", "alt", *_LAZY_SRC}}, "link_rel": None, "url_schemes": URL_SCHEMES}
# An allowlist cannot tell a share bar or an ad from content; their class or id can.
# Matched against the parts of a class/id split at "-" and "_", so share-bar, post-share
# and ad_box match while shadow, header, head, read, lead and download do not.
_JUNK_PARTS = {"share", "sharing", "social", "addthis", "sharethis", "sns", "ad", "ads", "advert",
               "advertisement", "advertising", "adsbygoogle", "promo", "sponsor", "sponsored",
               "newsletter", "subscribe", "comments", "disqus", "related"}
_CREDIT_PARTS = {"credit", "credits", "copyright", "byline", "photographer"}
_BLOCKS = BLOCKS | {"[document]"}

# Source line wrapping between two CJK characters (「“海燕”\n逼近」 too); a browser would show a space.
_WRAP = re.compile(f"(?<=[{CJK}])[ \\t\\f]*[\\r\\n][ \\t\\r\\n\\f]*(?=[{CJK}])")
_ESCAPED_TAG = re.compile(r"&lt;/?[a-z][a-z0-9]*(?:\s|/|&gt;)", re.I)
_REAL_TAG = re.compile(r"<[a-z!/?]", re.I)
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);", re.I)
_STYLE_SIZE = re.compile(r"(?<![\w-])(?:width|height)\s*:\s*([^;]*)", re.I)
_MAX_PASSES = 4  # a re-parse settles in one more pass; the bound only guards against a parser quirk
_PRE_NEWLINE_KEPT = nh3.clean("<pre>\n\nx</pre>") == "<pre>\n\nx</pre>"  # False with nh3 0.3.8
_SPACE_RUN = re.compile(r"(?:^|>)[ \t\n\r\f]{2,}(?:<|$)")  # whitespace-only text BeautifulSoup would fold
_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")
_PIXEL = re.compile(r"\s*(?:[01](?:\.\d*)?|2(?:\.0*)?)\s*(?:px)?\s*$")  # 2 or less


def sanitize(fragment: str, base_url: str = "") -> str:
    """Only the allowlisted tags and attributes survive; relative URLs become absolute.
    Cleaning the output again gives it back unchanged (tests/test_fuzz.py)."""
    options: dict = {}
    if base_url.startswith(("http://", "https://")):
        options["url_relative"] = ("rewrite_with_base", base_url)
    cleaned = _settled(_tidied(_nh3_clean(_unescape_if_double(fragment), **_LOOSE)), options)
    if _SPACE_RUN.search(cleaned) or _IMG_WITHOUT_SRC.search(cleaned):
        # The strict pass can leave what _tidied takes away: an image whose src it dropped
        # (javascript:), or whitespace-only texts side by side where elements were (which
        # BeautifulSoup folds into one "\n" or " "). Take it away now, not at the next cleaning.
        cleaned = _settled(_tidied(cleaned), options)
    return _not_double_escaped(cleaned)


def _tidied(markup: str) -> str:
    """Share bars, ads and tracking pixels dropped, credits folded into captions."""
    soup = BeautifulSoup(markup, "html.parser")
    _drop_junk(soup)
    _fold_credits(soup)
    return str(soup)


def _settled(markup: str, options: dict) -> str:
    """The strict allowlist, applied until the text stands for the tree it was written from: a tree
    with an element removed can serialize to HTML that parses into another tree (<h2><main><h2>
    loses its <main> and becomes <h2><h2>, which a parser reads as two headings side by side)."""
    for _ in range(_MAX_PASSES):
        cleaned = _nh3_clean(markup, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                             clean_content_tags=DROPPED_WITH_CONTENT, link_rel=None, **options)
        if cleaned == markup:
            break
        markup = cleaned
    return cleaned


def _nh3_clean(markup: str, **options) -> str:
    """nh3.clean, with the newline HTML's serializer writes after <pre> when the text starts with
    one (a parser drops a newline there); nh3's does not, so each cleaning would take one away."""
    cleaned = nh3.clean(markup, **options)
    return cleaned if _PRE_NEWLINE_KEPT else cleaned.replace("<pre>\n", "<pre>\n\n")


def html_to_markdown(fragment: str, base_url: str = "", fallback_alt: str = "") -> str:
    """Clean Markdown for a feed's HTML; `fallback_alt` (the title) is the alt of an image with none."""
    if is_plain_text(fragment):
        return text_to_markdown(_decode_entities(fragment))
    return soup_to_markdown(clean_html(fragment, base_url, fallback_alt))


def clean_html(fragment: str, base_url: str = "", fallback_alt: str = "") -> BeautifulSoup:
    """The feed's HTML as the stored Markdown must say it: sanitized, text tidied (CJK line
    wrapping joined, indents and leftover entities gone), figures made image paragraphs, and
    links and images that will not be kept unwrapped or dropped. Rendering the Markdown gives
    this back (see tests/fetch/test_roundtrip.py)."""
    soup = BeautifulSoup(sanitize(fragment, base_url), "html.parser")
    _tidy_text(soup)
    _figures_to_paragraphs(soup)
    _drop_dead_links(soup, squash(fallback_alt))
    return soup


def is_plain_text(fragment: str) -> bool:
    """No HTML element at all (after undoing double escaping): line breaks and indents mean paragraphs."""
    return not _REAL_TAG.search(_unescape_if_double(fragment))


def html_to_text(fragment: str) -> str:
    """Plain text of a title or summary that may hold markup or entities."""
    cleaned = nh3.clean(_unescape_if_double(fragment), tags=(_BLOCKS | {"br"}) - {"[document]"},
                        attributes={}, clean_content_tags=DROPPED_WITH_CONTENT)
    return _text_of(BeautifulSoup(cleaned, "html.parser"))


def _decode_entities(text: str) -> str:
    # Like HTML text: entities decoded, and those left after that taken for double escaping.
    return _ENTITY.sub(lambda m: html.unescape(m.group()), html.unescape(text))


def _not_double_escaped(cleaned: str) -> str:
    """Sanitized HTML that holds escaped tags as text but no element (its markup was all dropped:
    `<script>…</script>&lt;p&gt;`) would be taken for double-escaped HTML by a second cleaning,
    which would make the text markup. `&#60;` says `<` as well and is not taken for that."""
    if _ESCAPED_TAG.search(cleaned) and not _REAL_TAG.search(cleaned):
        return cleaned.replace("&lt;", "&#60;")
    return cleaned


def _unescape_if_double(fragment: str) -> str:
    # Some feeds escape their HTML twice: tags arrive as text (&lt;p&gt;, &amp;nbsp;).
    if _ESCAPED_TAG.search(fragment) and not _REAL_TAG.search(fragment):
        return html.unescape(fragment)
    return fragment


def _drop_junk(soup: BeautifulSoup) -> None:
    total = len(soup.get_text())
    for tag in soup.find_all(True):
        if tag.decomposed:
            continue
        # A matching class on a wrapper must not take the whole article with it.
        if _parts(tag) & _JUNK_PARTS and (not tag.get_text().strip() or 2 * len(tag.get_text()) < total):
            tag.decompose()
        elif tag.name == "img":
            _prepare_image(tag)


def _prepare_image(img: Tag) -> None:
    lazy = next((img[name] for name in _LAZY_SRC if img.get(name, "").strip()), "")
    if lazy:
        img["src"] = lazy
    src = img.get("src", "").strip()
    sizes = [img.get("width", ""), img.get("height", ""), *_STYLE_SIZE.findall(img.get("style", ""))]
    if any(map(_PIXEL.match, sizes)) or not src or re.search(r"[\"'<>]", src) or re.match(r"[\w-]+=", src):
        img.decompose()  # a tracking pixel, or a src like `alt=` left by a broken tag


def _fold_credits(soup: BeautifulSoup) -> None:
    """A credit in its own element becomes part of the caption text: 說明（REUTERS）."""
    for name, css_class in (("figure", "wp-caption"), ("figcaption", "wp-caption-text")):
        for element in soup.find_all(class_=css_class):  # WordPress's figure, before HTML5 had one
            element.name = name
    for figure in soup.find_all("figure"):
        credits = [c for c in figure.find_all(_is_credit) if c.name != "figcaption"]
        caption = figure.find("figcaption")
        if credits and caption is None:
            figure.append(caption := soup.new_tag("figcaption"))
        for credit in credits:
            text = "" if credit.decomposed else squash(credit.get_text())
            credit.decompose()
            if text and not re.match(r"^[(（].*[)）]$", text) and squash(caption.get_text()):
                text = f"（{text}）" if IS_CJK.search(caption.get_text()) else f" ({text})"
            caption.append(text)


def _is_credit(tag: Tag) -> bool:
    return tag.name in ("cite", "small") or bool(_parts(tag) & _CREDIT_PARTS)


def _parts(tag: Tag) -> set[str]:
    names = " ".join([*(tag.get("class") or []), tag.get("id") or ""]).lower()
    return set(re.split(r"[\s_-]+", names))


def _tidy_text(soup: BeautifulSoup) -> None:
    """Decode leftover entities, join CJK lines split by the source, drop paragraph indents."""
    for node in soup.find_all(string=True):
        if node.find_parent(("pre", "code")):  # code means what it says, entities and all
            continue
        text = _ENTITY.sub(lambda m: html.unescape(m.group()), str(node))
        if "\n" in text or "\r" in text:
            before, after = _text_char(node, False), _text_char(node, True)
            joined = _WRAP.sub("", before + text + after)
            text = joined[len(before):len(joined) - len(after)]
        if _starts_line(node):
            text = text.lstrip()  # 　　 and &nbsp; indents; str.lstrip knows both
        if text != node:
            node.replace_with(text)


def _text_char(node: Tag | NavigableString, forward: bool) -> str:
    """The nearest visible character in the text before or after `node` (a string or an empty tag)."""
    while (node := node.find_next(string=True) if forward else node.find_previous(string=True)) is not None:
        if text := node.strip(" \t\r\n\f"):
            return text[0] if forward else text[-1]
    return ""


def _starts_line(node: NavigableString) -> bool:
    prev = _neighbour(node, False)
    while prev is not None and prev.name == "img":  # text after a leading image starts the paragraph
        prev = _neighbour(prev, False)
    return prev is None or prev.name == "br" or prev.name in _BLOCKS


def _neighbour(el: Tag | NavigableString, forward: bool) -> Tag | NavigableString | None:
    """The nearest element or visible text beside `el` in its block; None at the block's edge."""
    while True:
        siblings = el.next_siblings if forward else el.previous_siblings
        found = next((s for s in siblings if s.name is not None or s.strip()), None)
        if found is not None or el.parent is None or el.parent.name in _BLOCKS:
            return found
        el = el.parent


def _figures_to_paragraphs(soup: BeautifulSoup) -> None:
    """Each figure image becomes a paragraph of its own; the last one carries the caption."""
    for figure in soup.find_all("figure"):
        caption_element = figure.find("figcaption")
        caption = _text_of(caption_element) if caption_element else ""
        images = [img for img in figure.find_all("img") if img.get("src", "").lower().startswith(IMAGE_SCHEMES)]
        for img in images:
            figure.insert_before(paragraph := soup.new_tag("p"))
            paragraph.append(img.extract())
            img["alt"] = squash(img.get("alt", "")) or caption
        if images and caption_element:
            images[-1]["title"] = caption
            caption_element.decompose()
        figure.name = "div"


def _text_of(element: Tag) -> str:
    parts = [str(n) if n.name is None else "\n" for n in element.descendants
             if n.name is None or n.name == "br" or n.name in _BLOCKS]
    return squash(_ENTITY.sub(lambda m: html.unescape(m.group()), "".join(parts)))


def _drop_dead_links(soup: BeautifulSoup, fallback_alt: str) -> None:
    """Links other than http(s) and mailto: keep their text; images not on the web go; every image has an alt."""
    for link in soup.find_all("a"):
        if not link.get("href", "").lower().startswith(LINK_SCHEMES):
            link.unwrap()
    for img in soup.find_all("img"):
        if not img.get("src", "").lower().startswith(IMAGE_SCHEMES):
            img.decompose()
        else:
            img["alt"] = squash(img.get("alt", "")) or fallback_alt
