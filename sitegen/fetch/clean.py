"""Hostile feed HTML -> clean Markdown that renders back to what the feed meant.

A loose nh3 pass first makes any markup well-formed the way a browser would (a
broken tag vanishes instead of leaking out as text such as ` alt=`). BeautifulSoup
then removes what only class names and sizes give away (share widgets, ads,
tracking pixels) and folds photo credits into captions. The strict nh3 allowlist
decides what survives, and markdownify writes Markdown with escaping and
whitespace rules that suit Chinese text.
"""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import quote

import nh3
from bs4 import BeautifulSoup, NavigableString, Tag
from markdownify import MarkdownConverter, chomp

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
_BLOCKS = {"[document]", "p", "div", "li", "ul", "ol", "blockquote", "figure", "figcaption", "table", "thead",
           "tbody", "tfoot", "tr", "td", "th", "caption", "pre", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
           "section", "article", "aside", "header", "footer", "main", "nav", "dl", "dt", "dd"}

# Ideographs and full-width punctuation, plus the shared punctuation Chinese text uses
# as its own (· — ‘ ’ “ ” …), so that 「“海燕”\n逼近」 joins up too.
_CJK = ("\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f\u3000-\u303f\uff00-\uffef"
        "\xb7\u2014\u2018\u2019\u201c\u201d\u2026")
_IS_CJK = re.compile(f"[{_CJK}]")
# Source line wrapping between two CJK characters; a browser would show it as a space.
_WRAP = re.compile(f"(?<=[{_CJK}])[ \\t\\f]*[\\r\\n][ \\t\\r\\n\\f]*(?=[{_CJK}])")
_SPACES = re.compile("[ \\t\\r\\n\\f\\xa0]+")
_ESCAPED_TAG = re.compile(r"&lt;/?[a-z][a-z0-9]*(?:\s|/|&gt;)", re.I)
_REAL_TAG = re.compile(r"<[a-z!/?]", re.I)
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);", re.I)
_SPECIAL = re.compile(r"[\\`*_\[\]<|~]|&(?=#?[0-9a-z]+;)|!$", re.I)  # ! then a link would be an image
_LINE_START = re.compile(r"^(\s*\d{0,9})((?<=\d)[.)]|(?<!\d)[#>+=-])")  # headings, quotes, lists
_STYLE_SIZE = re.compile(r"(?<![\w-])(?:width|height)\s*:\s*([^;]*)", re.I)
_PIXEL = re.compile(r"\s*(?:[01](?:\.\d*)?|2(?:\.0*)?)\s*(?:px)?\s*$")  # 2 or less
_DELIMITING = {  # what Markdown writes at the edge of these elements
    "a": "[", "img": "!", "b": "*", "strong": "*", "i": "*", "em": "*", "code": "`", "del": "~", "s": "~"}


def sanitize(fragment: str, base_url: str = "") -> str:
    """Only the allowlisted tags and attributes survive; relative URLs become absolute."""
    soup = BeautifulSoup(nh3.clean(_unescape_if_double(fragment), **_LOOSE), "html.parser")
    _drop_junk(soup)
    _fold_credits(soup)
    options: dict = {}
    if base_url.startswith(("http://", "https://")):
        options["url_relative"] = ("rewrite_with_base", base_url)
    return nh3.clean(str(soup), tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                     clean_content_tags=DROPPED_WITH_CONTENT, link_rel=None, **options)


def html_to_markdown(fragment: str, base_url: str = "", fallback_alt: str = "") -> str:
    """Clean Markdown for a feed's HTML; `fallback_alt` (the title) is the alt of an image with none."""
    soup = BeautifulSoup(sanitize(fragment, base_url), "html.parser")
    _tidy_text(soup)
    _figures_to_paragraphs(soup)
    converter = _ArticleConverter(heading_style="ATX", bullets="-", wrap=True, wrap_width=None, autolinks=False,
                                  newline_style="backslash", fallback_alt=_squash(fallback_alt))
    return _tidy_markdown(converter.convert_soup(soup))


def html_to_text(fragment: str) -> str:
    """Plain text of a title or summary that may hold markup or entities."""
    cleaned = nh3.clean(_unescape_if_double(fragment), tags=(_BLOCKS | {"br"}) - {"[document]"},
                        attributes={}, clean_content_tags=DROPPED_WITH_CONTENT)
    return _text_of(BeautifulSoup(cleaned, "html.parser"))


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
            text = "" if credit.decomposed else _squash(credit.get_text())
            credit.decompose()
            if text and not re.match(r"^[(（].*[)）]$", text) and _squash(caption.get_text()):
                text = f"（{text}）" if _IS_CJK.search(caption.get_text()) else f" ({text})"
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
        images = [img for img in figure.find_all("img") if _url_ok(img.get("src", ""), "http", "https")]
        for img in images:
            figure.insert_before(paragraph := soup.new_tag("p"))
            paragraph.append(img.extract())
            img["alt"] = _squash(img.get("alt", "")) or caption
        if images and caption_element:
            images[-1]["title"] = caption
            caption_element.decompose()
        figure.name = "div"


def _text_of(element: Tag) -> str:
    parts = [str(n) if n.name is None else "\n" for n in element.descendants
             if n.name is None or n.name == "br" or n.name in _BLOCKS]
    return _squash(_ENTITY.sub(lambda m: html.unescape(m.group()), "".join(parts)))


def _squash(text: str) -> str:
    return _SPACES.sub(" ", _WRAP.sub("", text)).strip()


def _url_ok(url: str, *schemes: str) -> bool:
    return url.lower().startswith(tuple(f"{scheme}:" for scheme in schemes))


def _destination(url: str) -> str:
    return re.sub(r"[\s()<>\\]", lambda m: quote(m.group()), url)


def _title(title: str) -> str:
    escaped = re.sub(r'[\\"&]', r"\\\g<0>", _squash(title))  # \ " & are literal in a title
    return f' "{escaped}"' if escaped else ""


def _punct_or_space(char: str) -> bool:
    return not char or char.isspace() or unicodedata.category(char)[0] in "PS"


def _edge_char(el: Tag, forward: bool) -> str:
    """The character Markdown will show beside `el`'s delimiter ('' at a block's edge)."""
    other = _neighbour(el, forward)
    text = "" if other is None else _DELIMITING.get(other.name or "") or other.get_text()
    return text[:1] if forward else text[-1:]


def _emphasis(markup: str):  # noqa: ANN202 - builds a markdownify hook
    def convert(self: _ArticleConverter, el: Tag, text: str, parent_tags: set[str]) -> str:
        prefix, suffix, inner = chomp(text.replace("\n\n", "\\\n"))  # no paragraphs inside
        if "_noformat" in parent_tags or not inner:
            return text
        # CommonMark cannot open or close emphasis between punctuation and a letter
        # (的**「引語」**的); say it without the markers rather than show them.
        first, last = inner.lstrip(markup[0])[:1], inner.rstrip(markup[0])[-1:]
        opens = not _punct_or_space(first) or _punct_or_space(prefix or _edge_char(el, False))
        closes = not _punct_or_space(last) or _punct_or_space(suffix or _edge_char(el, True))
        return f"{prefix}{markup}{inner}{markup}{suffix}" if opens and closes else text
    return convert


class _ArticleConverter(MarkdownConverter):
    convert_b = convert_strong = _emphasis("**")
    convert_i = convert_em = _emphasis("*")
    convert_del = convert_s = _emphasis("~~")

    def escape(self, text: str, parent_tags: set[str]) -> str:
        return _LINE_START.sub(r"\1\\\2", _SPECIAL.sub(r"\\\g<0>", text))

    def convert_a(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        prefix, suffix, text = chomp(text.replace("\n\n", "\\\n"))  # no paragraphs inside a link
        href = el.get("href", "")
        if "_noformat" in parent_tags or not text or not _url_ok(href, "http", "https", "mailto"):
            return f"{prefix}{text}{suffix}"
        return f"{prefix}[{text}]({_destination(href)}{_title(el.get('title', ''))}){suffix}"

    def convert_img(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        src = el.get("src", "")
        if not _url_ok(src, "http", "https"):
            return ""
        alt = self.escape(_squash(el.get("alt", "")) or self.options["fallback_alt"], parent_tags)
        return f"![{alt}]({_destination(src)}{_title(el.get('title', ''))})"

    def convert_pre(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        fence = "`" * max(3, 1 + max(map(len, re.findall("`+", text)), default=0))
        return f"\n\n{fence}\n{text.strip(chr(10))}\n{fence}\n\n" if text.strip() else ""

    def convert_hr(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return " " if "_inline" in parent_tags else "\n\n---\n\n"  # a table cell cannot hold a rule

    def convert_br(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        # Chinese feeds separate paragraphs with <br><br>; a break at a block's edge means nothing.
        before, after = _neighbour(el, False), _neighbour(el, True)
        if before is None or after is None or after.name == "br" or {before.name, after.name} & _BLOCKS:
            return ""
        if "_inline" in parent_tags:  # a heading or table cell is one line; no space inside CJK text
            return "" if _IS_CJK.match(_text_char(el, False)) and _IS_CJK.match(_text_char(el, True)) else " "
        return "\n\n" if before.name == "br" else "\\\n"


def _tidy_markdown(markdown: str) -> str:
    """Collapse blank lines and drop trailing spaces, except inside fenced code."""
    pieces = re.split(r"(^ *(`{3,})\n.*?^ *\2$)", markdown, flags=re.M | re.S)
    for i in range(0, len(pieces), 3):
        pieces[i] = re.sub(r"\n{3,}", "\n\n", re.sub(r"[ \t\xa0\u3000]+$", "", pieces[i], flags=re.M))
    return "".join(p for i, p in enumerate(pieces) if i % 3 != 2).strip()
