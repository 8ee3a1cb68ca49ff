"""Fuzzing with Hypothesis: the front-matter reader, the feed-HTML cleaner and the script converter.

Deterministic (`derandomize=True`, no example database), so CI sees the same examples every run;
the whole module takes well under a minute. What each target must do:

- front matter (sitegen.content.frontmatter split/join, sitegen.content.articles article_from_meta,
  as sitegen.content.store reads a file): any text either gives an article or raises a
  SitegenError with a clear message, never a bare ValueError/TypeError/KeyError; and what a fetch
  writes (article_to_meta + join) reads back as the same article.
- the cleaner (sitegen.fetch.clean): `sanitize` never raises, its output holds only allowlisted
  tags, attributes and URL schemes, and cleaning that output again changes nothing;
  `html_to_markdown` and `html_to_text` never raise, and the Markdown renders to inert HTML.
- the converter (sitegen.convert): never raises on any text; batching texts changes no text; text
  without Han characters, quotes or `-{` is left as it is; on a Markdown body, link targets, image
  sources and code are never touched and the token structure is kept.

Inputs are Python text without lone surrogates (Unicode category Cs): every input of these
functions comes from UTF-8 bytes decoded strictly (feeds by sitegen.fetch.decode, content files by
store._parse, which rejects bad UTF-8 as an ArticleError), so a lone surrogate cannot reach them.
"""

from __future__ import annotations

import json
import re
import string
from dataclasses import replace
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.config import parse_config
from sitegen.content.articles import article_from_meta, article_to_meta
from sitegen.content.frontmatter import join, split
from sitegen.content.markdown import new_parser, parse, render
from sitegen.convert.converter import BLOCK, INLINE
from sitegen.convert.glossary import site_terms
from sitegen.convert.localize import convert_tokens
from sitegen.convert.opencc import Converters
from sitegen.errors import SitegenError
from sitegen.fetch.clean import ATTRIBUTES, TAGS, URL_SCHEMES, html_to_markdown, html_to_text, sanitize
from sitegen.model import NOT_IN_XML
from tests.helpers import DATA

DETERMINISTIC = settings(derandomize=True, database=None, deadline=None, print_blob=True,
                         suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def fuzz(examples: int) -> settings:
    """Deterministic settings with this many examples."""
    return settings(DETERMINISTIC, max_examples=examples)


TEXT = st.characters(exclude_categories=("Cs",))  # decoded UTF-8 never holds a lone surrogate
CJK_TEXT = st.sampled_from(["头发", "皇后", "后天", "发布", "台湾", "網路", "軟體", "「引述」", "“引号”", "‘单’",
                            "普京", "被发明", "展示了如何", "　　", "，", "。", "、", "—", "…", "·"])


# The front-matter reader


def yaml_scalar() -> st.SearchStrategy[str]:
    plain = st.text(TEXT, max_size=12)
    tricky = st.sampled_from([
        "~", "null", "yes", "No", "on", "true", "FALSE", "0x1F", "0o17", "1_000", "1e400", ".inf", ".NaN",
        "2024-01-01", "2024-01-01T00:00:00+08:00", "\"2024-13-45T99:00:00+08:00\"", "12:30:45", "-", "?", ":",
        "'", "\"", "[", "]", "{", "}", "&a", "*a", "&a x", "*b", "!", "!!", "!!str", "!!int 12", "!!int x",
        "!!int \"\"", "!!float x", "!!bool maybe", "!!timestamp x", "!!timestamp 2024-13-45", "!!binary \"%\"",
        "!!binary aGk=", "!!set {a}", "!!omap [a]", "!!python/object:os.system x", "!foo bar", "|", ">",
        "|-\n  a\n  b", "\"\\x00\"", "\"\\ud800\"", "'a''b'", "# c", "1" * 4400, "@x", "`x`", "%TAG"])
    return st.one_of(plain, tricky, st.integers().map(str), st.floats().map(repr))


KEYS = st.sampled_from(["title", "date", "source", "lang", "id", "guid", "source_url", "author", "categories",
                        "tags", "summary", "image", "editor", "updated", "fetched", "glossary", "draft",
                        "date_estimated", "content_hash", "url", "caption", "credit", "zh-Hans", "zh-Hant",
                        "1", "~", "null", "true", "? a", "[a]", "{a: b}", "\"\"", "x y", "标题"])


@st.composite
def yaml_block(draw, depth: int = 0) -> str:
    """Lines of YAML-ish front matter: mappings, lists, flow collections and odd scalars."""
    lines = []
    indent = "  " * depth
    for _ in range(draw(st.integers(0, 6))):
        key = draw(KEYS)
        kind = draw(st.integers(0, 5 if depth < 2 else 2))
        if kind <= 2:
            lines.append(f"{indent}{key}: {draw(yaml_scalar())}")
        elif kind == 3:
            lines.append(f"{indent}{key}: [{', '.join(draw(st.lists(yaml_scalar(), max_size=3)))}]")
        elif kind == 4:
            lines.append(f"{indent}{key}:")
            lines += [f"{indent}  - {draw(yaml_scalar())}" for _ in range(draw(st.integers(0, 3)))]
        else:
            lines.append(f"{indent}{key}:")
            lines.append(draw(yaml_block(depth + 1)))
    return "\n".join(line for line in lines if line)


VALID_HEAD = ('title: 标题\ndate: "2024-03-01T23:30:00+00:00"\nsource: hans\nlang: zh-Hans\n')
FRONT_MATTER_TEXT = st.one_of(
    st.text(TEXT, max_size=200),
    st.builds(lambda block, body: f"---\n{block}\n---\n{body}", yaml_block(), st.text(TEXT, max_size=30)),
    st.builds(lambda block, body: f"---\n{VALID_HEAD}{block}\n---\n{body}", yaml_block(), st.text(TEXT, max_size=30)),
    st.builds(lambda fence, block: f"\ufeff{fence}{block}{fence}", st.sampled_from(["---\n", "---\r\n", "--- \t\n"]),
              yaml_block()),
)


def read_as_store_does(text: str):
    """What sitegen.content.store._parse does with a file's text: split, then the article."""
    meta, body = split(text)
    return article_from_meta(meta, body, "hans/x.md", default_id="x")


@fuzz(1500)
@given(FRONT_MATTER_TEXT)
def test_front_matter_never_raises_anything_but_sitegen_errors(text):
    try:
        article, warnings = read_as_store_does(text)
    except SitegenError as exc:
        assert str(exc) and "\n" not in str(exc)  # one clear line, as `sitegen build` prints it
    else:
        assert article.title and article.date.tzinfo is not None and all(isinstance(w, str) for w in warnings)


FOUND_FRONT_MATTER = {
    "!!int with letters": "---\na: !!int x\n---\n",
    "!!int empty": "---\na: !!int \"\"\n---\n",
    "!!float with letters": "---\na: !!float x\n---\n",
    "!!bool maybe": "---\na: !!bool maybe\n---\n",
    "!!timestamp not a date": "---\na: !!timestamp x\n---\n",
    "!!timestamp month 13": "---\na: !!timestamp 2024-13-01\n---\n",
    "int of 4,301 digits": "---\na: " + "1" * 4301 + "\n---\n",
    "unknown keys of two types": f"---\n{VALID_HEAD}1: a\nb: c\n---\n",
    "unknown keys null and text": f"---\n{VALID_HEAD}~: a\nb: c\n---\n",
    "a control character": "---\ntitle: a\x1f\n---\n",
}


def test_front_matter_inputs_the_fuzzing_found():
    # Each escaped as a bare ValueError/KeyError/AttributeError/IndexError/TypeError, or gave a
    # two-line message, before d45062e (found by the test above; fixed in frontmatter.py and articles.py).
    wrong = {}
    for name, text in FOUND_FRONT_MATTER.items():
        try:
            _, warnings = read_as_store_does(text)
        except SitegenError as exc:
            if "\n" in str(exc) or text.startswith(f"---\n{VALID_HEAD}"):
                wrong[name] = f"{exc}"
        except Exception as exc:  # noqa: BLE001 - what is being looked for
            wrong[name] = f"{type(exc).__name__}: {exc}"[:120]
        else:
            if not text.startswith(f"---\n{VALID_HEAD}"):
                wrong[name] = "read without an error"
            elif len(warnings) != 2:  # a valid article with two unknown keys: one warning each
                wrong[name] = f"warnings {warnings}"
    assert not wrong, wrong


# What a fetch writes holds no character XML cannot carry (entries._xml_safe strips them).
XML_TEXT = st.characters(exclude_categories=("Cs",), exclude_characters="".join(
    c for c in map(chr, [*range(0x20), 0xFFFE, 0xFFFF]) if NOT_IN_XML.match(c)))
NAME = st.text(XML_TEXT, min_size=1, max_size=20).filter(lambda s: s.strip())
ARTICLE_META = st.fixed_dictionaries(
    {"title": NAME, "date": st.sampled_from(["2024-03-01T23:30:00+00:00", "2023-09-15T10:21:00+08:00"]),
     "source": st.sampled_from(["hans", "local"]), "lang": st.sampled_from(["zh-Hans", "zh-Hant"])},
    optional={"author": st.text(XML_TEXT, max_size=20), "summary": st.text(XML_TEXT, max_size=40),
              "categories": st.lists(NAME, max_size=3), "tags": st.lists(NAME, max_size=3),
              "source_url": st.sampled_from(["https://a.example/发布?x=1#y", "http://b.example/", ""]),
              "image": st.fixed_dictionaries({"url": st.sampled_from(["/images/a.jpg", "https://a.example/1.jpg"])},
                                             optional={"caption": st.text(XML_TEXT, max_size=20),
                                                       "credit": st.text(XML_TEXT, max_size=10)}),
              "draft": st.booleans(),
              "glossary": st.lists(st.fixed_dictionaries({"zh-Hans": NAME, "zh-Hant": NAME}), max_size=2)})


@fuzz(400)
@given(ARTICLE_META, st.text(XML_TEXT, max_size=80).map(lambda body: body.lstrip("\r\n")))  # as fetch writes
def test_what_fetch_writes_reads_back_as_the_same_article(meta, body):
    """store.write_article writes join(article_to_meta(a), a.body); store.read_article must give `a` back."""
    try:
        article, _ = article_from_meta(meta, body, "hans/x.md", "x")
    except SitegenError:
        return  # e.g. a glossary term that gives the same word twice is refused: nothing is written
    text = join(article_to_meta(article), article.body)
    again, warnings = read_as_store_does(text)
    assert warnings == []
    assert replace(again, body=article.body) == article
    # What ingested_hash compares (a fetch tells an upstream change from a local edit by it).
    assert again.body.strip("\n") == article.body.strip("\n")


# The cleaner


def vectors() -> list[str]:
    """The permissively licensed XSS vectors copied into tests/data/xss (payloadbox: MIT;
    DOMPurify's cases: MPL-2.0 OR Apache-2.0)."""
    payloadbox = (DATA / "xss" / "payloadbox" / "xss-payload-list.txt").read_text(encoding="utf-8").splitlines()
    dompurify = [case["payload"] for case in json.loads((DATA / "xss" / "dompurify" / "expect.json")
                                                         .read_text(encoding="utf-8"))]
    return sorted(set(payloadbox + dompurify))


VECTORS = vectors()
ELEMENTS = sorted(TAGS | {"script", "style", "iframe", "svg", "math", "form", "object", "embed", "textarea",
                          "title", "noscript", "template", "select", "option", "xmp", "plaintext", "noembed",
                          "base", "meta", "link", "annotation-xml", "foreignobject", "mglyph", "malignmark",
                          "input", "button", "video", "audio", "source", "picture", "section", "main", "small",
                          "cite", "image", "frameset", "body", "html", "head", "isindex", "marquee"})
ATTRIBUTE_NAMES = ["href", "src", "alt", "title", "class", "id", "style", "onerror", "onclick", "onload",
                   "width", "height", "srcset", "data-src", "data-original", "xlink:href", "formaction", "action",
                   "colspan", "rowspan", "background", "poster", "lowsrc", "dynsrc", "target", "rel", "is"]
URLS = ["javascript:alert(1)", " java\tscript:alert(1)", "JaVaScRiPt:alert(1)", "&#106;avascript:alert(1)",
        "jav&#x09;ascript:alert(1)", "vbscript:msgbox(1)", "data:text/html,<script>alert(1)</script>",
        "data:image/png;base64,iVBORw0KGgo=", "https://a.example/1.jpg", "http://b.example/x?y=1&amp;z=2",
        "//evil.example/x.js", "/images/a.jpg", "x.jpg", "../up", "#frag", "mailto:a@b.example", "ftp://c.example/",
        "https://a.example/發布?q=台灣", "\x01javascript:alert(1)", "\u2028javascript:alert(1)", "",
        '"><script>alert(1)</script>', "'onerror='alert(1)", "1", "share-bar", "ad_box", "wp-caption"]
ENTITIES = ["&lt;", "&gt;", "&amp;", "&quot;", "&nbsp;", "&#60;", "&#x3C;", "&#0;", "&#xD800;", "&#x110000;",
            "&bogus;", "&amp;lt;p&amp;gt;", "&lt;p&gt;", "&lt;/script&gt;", "&", "&#", "&#x;", "&lt;img src=x&gt;"]
RAW = st.text(st.sampled_from(list("<>&\"'=/ !-[]?`;:\n\t\r") + list(string.ascii_letters[:8]) + ["頭", "　"]),
              max_size=20)


@st.composite
def attribute(draw) -> str:
    name = draw(st.sampled_from(ATTRIBUTE_NAMES))
    value = draw(st.one_of(st.sampled_from(URLS), st.text(TEXT, max_size=8), st.sampled_from(ENTITIES)))
    quote = draw(st.sampled_from(['"', "'", ""]))
    if quote:
        value = value.replace(quote, "")
    return f" {name}={quote}{value}{quote}"


def element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    @st.composite
    def build(draw) -> str:
        name = draw(st.sampled_from(ELEMENTS))
        attributes = "".join(draw(st.lists(attribute(), max_size=3)))
        inner = "".join(draw(st.lists(children, max_size=4)))
        closing = draw(st.sampled_from([f"</{name}>", "", f"</{name}", "/>"]))
        return f"<{name}{attributes}>{inner}{closing}"
    return build()


LEAF = st.one_of(st.text(TEXT, max_size=10), CJK_TEXT, st.sampled_from(ENTITIES), st.sampled_from(VECTORS), RAW,
                 st.sampled_from(["<!--", "-->", "<![CDATA[", "]]>", "<!doctype html>", "<?x?>", "</p>", "<br>",
                                  "\n\n", "　　", "\r\n"]))
HTML = st.lists(st.recursive(LEAF, element, max_leaves=12), max_size=6).map("".join)
BASES = st.sampled_from(["", "https://news.example.com/2023/0915/1.html", "http://a.example/", "javascript:x"])


def url_scheme(url: str) -> str:
    """The scheme a browser reads (WHATWG URL parsing): C0 controls and spaces at either end and
    tabs and newlines anywhere are ignored; any other character before a `:` makes it a relative URL."""
    url = re.sub(r"[\t\n\r]", "", url.strip("".join(map(chr, range(0x21)))))
    scheme = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", url)
    return scheme.group(1).lower() if scheme else ""


def unsafe_parts(fragment: str, tags: set[str], attributes: dict[str, set[str]]) -> list[str]:
    """What an allowlist sanitizer must never let through: other tags or attributes, or a URL whose
    scheme, as a browser reads it, is not allowed."""
    soup = BeautifulSoup(fragment, "html.parser")
    found = []
    for tag in soup.find_all(True):
        if tag.name not in tags:
            found.append(f"<{tag.name}>")
        for name, value in tag.attrs.items():
            if name not in attributes.get(tag.name, set()):
                found.append(f"<{tag.name} {name}>")
            elif name in ("href", "src") and url_scheme(str(value)) not in URL_SCHEMES | {""}:
                found.append(f"<{tag.name} {name}={value!r}>")
    return found


@fuzz(800)
@given(HTML, BASES)
def test_sanitize_output_is_safe_and_cleaning_it_again_changes_nothing(fragment, base):
    cleaned = sanitize(fragment, base)
    assert not unsafe_parts(cleaned, TAGS, ATTRIBUTES)
    assert sanitize(cleaned, base) == cleaned


@pytest.mark.parametrize("fragment", [
    "<script></script>&lt;p&gt;",  # escaped text left alone was made markup by a second cleaning
    "<h2><main><h2>台湾</h2></main></h2>",  # <h2><h2> once <main> is gone: a parser reads two headings
    "<pre><section>\n</section><pre>x</pre></pre>",  # the newline after <pre> lost at each cleaning
    "<pre>\n\n\nx</pre>",
    "<div><section>\n\n</section>\n<b>x</b></div>",  # whitespace-only texts folded only the next time
    '<img data-original="jav&#x09;ascript:alert(1)">&lt;',  # an <img> whose src went, dropped only the next time
])
def test_cleaning_what_the_fuzzing_found_twice_changes_nothing(fragment):
    cleaned = sanitize(fragment)
    assert sanitize(cleaned) == cleaned


MD = new_parser()
RENDERED_TAGS = {"p", "br", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "a", "img", "figure",
                 "figcaption", "blockquote", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td",
                 "pre", "code", "hr", "s", "div"}
RENDERED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"},
                       "th": {"style"}, "td": {"style"}, "div": {"class"}, "code": {"class"}}


@fuzz(300)
@given(HTML, BASES, st.text(TEXT, max_size=10))
def test_feed_html_becomes_markdown_that_renders_inert(fragment, base, title):
    markdown = html_to_markdown(fragment, base, fallback_alt=title)
    rendered = render(MD, parse(MD, markdown), lambda path: path)
    assert not unsafe_parts(rendered, RENDERED_TAGS, RENDERED_ATTRIBUTES), markdown
    for cell in BeautifulSoup(rendered, "html.parser").find_all(("th", "td"), style=True):
        assert re.fullmatch(r"text-align:(left|right|center)", cell["style"])  # markdown-it's table alignment
    text = html_to_text(fragment)
    assert isinstance(text, str) and "\x00" not in text


# The converter


CONFIG = parse_config({"site": {"title": "t", "base_url": "https://a.example/"}}, Path("."))
CONVERTERS = Converters(site_terms(Path("."), ["house-style", "taiwan-names"]))
DIRECTIONS = [(variant, script) for variant in ("zh-Hans", "zh-Hant") for script in ("zh-Hans", "zh-Hant")]
HAN_OR_QUOTE = re.compile("[\u2e80-\u2fff\u3000-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
                          "\U00020000-\U0003134f\U000f0000-\U0010ffff\ue000\ue001“”‘’「」『』]")
CONVERTIBLE = st.lists(st.one_of(st.text(TEXT, max_size=12), CJK_TEXT, st.just("\x00"),
                                 st.sampled_from(["-{", "}-", "-{头发}-", "-{zh-Hans:网络;zh-Hant:網路}-", ";",
                                                  "zh-Hant:", INLINE, BLOCK, "\U000f0000", "https://a.example/发"])),
                       max_size=8).map("".join)


def converter(direction: tuple[str, str]):
    variant, script = direction
    return CONVERTERS.for_variant(CONFIG.variant(variant), script)


@fuzz(600)
@given(st.sampled_from(DIRECTIONS), st.lists(CONVERTIBLE, max_size=5))
def test_converter_never_raises_and_batching_changes_nothing(direction, texts):
    convert = converter(direction)
    batched = convert.convert_texts(texts)
    blocks = [block for block in (texts[:2], texts[2:]) if block]  # convert_tokens never makes an empty block
    converted = convert.convert_blocks(blocks)
    assert batched == [convert(text) for text in texts]  # no word, quote or override across two texts
    assert [len(block) for block in converted] == [len(block) for block in blocks]


@pytest.mark.parametrize("case", ["fields", "paragraphs", "emphasis"])
def test_an_override_never_pairs_across_texts_or_paragraphs(case):
    convert = converter(("zh-Hant", "zh-Hans"))
    if case == "fields":  # title, summary, author of one article
        assert convert.convert_texts(["标题 -{", "头发", "}- 作者"]) == ["標題 -{", "頭髮", "}- 作者"]
    else:
        body = {"paragraphs": "价格 -{ 见下\n\n头发\n\n结束 }- 了", "emphasis": "-{zh-Hans:*网*;zh-Hant:網}-\n\n头发"}
        html = render(MD, convert_tokens(parse(MD, body[case]), convert), lambda path: path)
        assert "<p>頭髮</p>" in html, html  # converted: no override reaches into it


def test_an_empty_block_comes_back_empty():
    assert converter(("zh-Hant", "zh-Hans")).convert_blocks([[], ["头"]]) == [[], ["頭"]]


def test_nul_does_not_cut_text():
    # OpenCC reads C strings: a NUL (say in a sitegen.toml name) used to end the text there.
    convert = converter(("zh-Hant", "zh-Hans"))
    assert convert("头\x00发") == "頭\x00發"
    assert convert.convert_texts(["\x00", "发"]) == ["\x00", "發"]


@fuzz(400)
@given(st.sampled_from(DIRECTIONS), st.text(TEXT, max_size=40))
def test_text_without_han_quotes_or_overrides_is_left_as_it_is(direction, text):
    if HAN_OR_QUOTE.search(text) or "-{" in text:
        return
    assert converter(direction)(text) == text


@st.composite
def markdown_body(draw) -> str:
    words = st.one_of(CJK_TEXT, st.text(TEXT, max_size=6), st.sampled_from(["*头发*", "**发布**", "~~后天~~"]))
    url = st.sampled_from(["https://a.example/发布", "/图/发.jpg", "https://b.example/a_(b)", "头发.html",
                           "mailto:x@y.example", "<https://c.example/后天>", "#发"])
    pieces = st.one_of(
        words,
        st.builds(lambda text, target: f"[{text}]({target})", words, url),
        st.builds(lambda alt, target, title: f'![{alt}]({target} "{title}")', words, url, CJK_TEXT),
        st.builds(lambda code: f"`{code}`", st.text(TEXT, min_size=1, max_size=8).filter(lambda s: "`" not in s)),
        st.builds(lambda code: f"\n\n```\n{code}\n```\n\n", st.text(TEXT, max_size=20).filter(lambda s: "```" not in s)),
        st.builds(lambda code: f"\n\n    {code}\n\n", CJK_TEXT),
        st.sampled_from(["\n\n", "\n", "# ", "> ", "- ", "1. ", "| 头 | 发 |\n| --- | --- |\n| 后 | 天 |\n", "<b>头</b>",
                         "https://d.example/发布", "-{头发}-", "“", "”", "\\*"]))
    return "".join(draw(st.lists(pieces, max_size=12)))


def untouchables(tokens) -> list:
    """What conversion must leave alone: every link target, image source, code span and block, and
    the kind and nesting of every token."""
    found = []
    for token in tokens:
        found.append((token.type, token.tag, token.nesting, token.attrs.get("href"), token.attrs.get("src"),
                      token.content if token.type in ("code_inline", "code_block", "fence", "html_inline",
                                                      "html_block") else None, token.info))
        found += untouchables(token.children or [])
    return found


@fuzz(300)
@given(st.sampled_from(DIRECTIONS), markdown_body())
def test_converting_markdown_leaves_urls_code_and_structure_untouched(direction, body):
    tokens = parse(MD, body)
    converted = convert_tokens(tokens, converter(direction))
    assert untouchables(converted) == untouchables(tokens)
    render(MD, converted, lambda path: path)


def test_the_converter_fuzz_sees_han_text():
    # The "left as it is" property is vacuous unless conversion does change Han text.
    assert converter(("zh-Hant", "zh-Hans"))("头发") == "頭髮"
    assert converter(("zh-Hans", "zh-Hant"))("頭髮") == "头发"


def test_yaml_strategies_produce_both_good_and_bad_front_matter():
    # The reader's strategy reaches both outcomes (a quick smoke check, not a fuzz run).
    good = read_as_store_does(f"---\n{VALID_HEAD}---\n正文")
    assert good[0].title == "标题"
    with pytest.raises(SitegenError):
        read_as_store_does("---\n[a\n---\n")
