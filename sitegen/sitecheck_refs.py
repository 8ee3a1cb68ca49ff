"""Where a reference in the built site lands: the output folder as its hosts serve it.

The output folder holds one tree per host (see sitegen/site/urls.py): the site's host is
`public/` less the folders of variants with a host of their own (`public/zh-hant/`). A URL on one
of those hosts, under the host's base path, names a file in its tree; anything else is external.
The pages are sitegen's own output, so references are read with regular expressions, not an HTML
parser: every `<` in text is escaped, so `<a ` always starts a tag, and no attribute value holds `>`.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, NamedTuple
from urllib.parse import quote, unquote, urljoin, urlsplit

from sitegen.config import SiteConfig, VariantConfig
from sitegen.site.urls import SAFE, Urls

TAG_NAMES = "a|area|link|img|script|source|iframe|audio|video|track|embed"
TAGS = re.compile(rf"<(?:{TAG_NAMES})\s[^>]*>")
"""Whole tags, in lower case as sitegen writes them: twice as fast as ignoring case (see `tags_in`)."""
TAGS_ANY_CASE = re.compile(TAGS.pattern, re.I)
UPPER_CASE_TAG = re.compile(r"<[A-Z]")
ATTR = re.compile(r"""([^\s"'=<>/]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""")
SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
SRCSET_URL = re.compile(r"[\s,]*(\S*)")
URL_ATTRS = ("href", "src", "poster")
LABELS = {"a": "link", "area": "link", "img": "image", "script": "script", "source": "source"}
SCRIPT_SCHEMES = ("javascript", "vbscript")


@dataclass(frozen=True)
class Host:
    base_url: str
    """`https://x.org/news/`: what the host's links start with, absolute."""
    netloc: str
    base_path: str
    """`/` or the sub-path, e.g. `/news/`."""
    tree: str
    """The folder of the output holding the host's files: '' or `zh-hant/`."""
    variants: tuple[tuple[str, str], ...]
    """(path prefix, variant name) of the variants served from this host, longest prefix first."""

    def variant_at(self, relative: str) -> str:
        """The variant whose pages `relative` (a path under the base path, no leading `/`) is one of."""
        path = "/" + relative
        return next((name for prefix, name in self.variants if path.startswith(prefix)), "")


class Target(NamedTuple):
    key: str
    """The file, relative to the output folder (`zh-hant/index.html` for a folder URL)."""
    variant: str
    """The variant whose pages hold it ('' for the root chooser, shared files ...)."""


class Ref(NamedTuple):
    label: str
    """How a reader meets it: link, stylesheet, image, hreflang zh-Hant ..."""
    url: str
    """As a browser reads the attribute: entities decoded, tabs and newlines dropped."""
    hreflang: str = ""
    """An `<a hreflang>`: a script switch link (may cross variants)."""
    alternate: bool = False
    """A `<link rel=alternate hreflang>`: checked as an hreflang pair, not as a plain link."""
    canonical: bool = False


def hosts_of(config: SiteConfig) -> tuple[Host, ...]:
    """Every host the site is served from, the trees of variants with hosts of their own first."""
    urls = Urls(config.site)
    members: dict[str, list[VariantConfig | None]] = {}
    for variant in [None, *config.variants]:
        members.setdefault(urls.tree(variant), []).append(variant)
    hosts = []
    for tree, variants in members.items():
        owner = next((v for v in variants if v), None) if tree else None
        paths = sorted(((v.path, v.name) for v in variants if v), key=lambda p: -len(p[0]))
        base = urls.base_url(owner)
        hosts.append(Host(base, urlsplit(base).netloc.lower(), urls.base_path(owner), tree, tuple(paths)))
    return tuple(sorted(hosts, key=lambda h: -len(h.tree)))


class Layout:
    """The output folder's files and hosts: maps a page to its URL and a URL to a file."""

    def __init__(self, root: Path, hosts: tuple[Host, ...], files: frozenset[str]):
        self.root, self.hosts, self.files = root, hosts, files
        self.trees = tuple(h.tree for h in hosts if h.tree)
        self.by_base_url = sorted(hosts, key=lambda h: -len(h.base_url))
        self._cache: dict[str, Target | str | None] = {}
        self.memos: dict[tuple[str, str], dict] = {}
        """For the page scan: what each tag (as written) of a host's pages of a variant amounts to."""

    def host_of(self, key: str) -> Host:
        return next(h for h in self.hosts if key.startswith(h.tree))

    def url_of(self, key: str) -> str:
        host = self.host_of(key)
        return host.base_url + quote(key[len(host.tree):], safe=SAFE)

    def resolve(self, url: str, base: str) -> Target | str | None:
        """Where `url` (cleaned, as written in a page or feed at URL `base`) lands: a file of the site,
        why it is broken, or None when it is not the site's to check (another host, mailto: ...)."""
        if not url or url[0] == "#":
            return None
        if url[0] == "/":
            url = "https:" + url if url.startswith("//") else base[:base.index("/", 8)] + url  # origin + path
        elif scheme := SCHEME.match(url):
            name = scheme.group(1).lower()
            if name in SCRIPT_SCHEMES:
                return f"a {name}: URL (does nothing without script, and the CSP blocks it)"
            if name not in ("http", "https"):
                return None
        else:
            url = urljoin(base, url)
        found = self._cache.get(url, self)
        if found is self:
            found = self._cache[url] = self._absolute(url)
        return found  # type: ignore[return-value]

    def _absolute(self, url: str) -> Target | str | None:
        for host in self.by_base_url:  # as sitegen writes its own URLs: no need to take them apart
            if url.startswith(host.base_url):
                rest = url[len(host.base_url):]
                return self._file(host, unquote(rest.partition("#")[0].partition("?")[0]))
        parts = urlsplit(url)
        netloc = parts.netloc.lower()
        on_host = [h for h in self.hosts if h.netloc == netloc]
        if not on_host:
            return None
        path = parts.path or "/"
        host = max((h for h in on_host if (path + "/").startswith(h.base_path)),
                   key=lambda h: len(h.base_path), default=None)
        if host is None:
            return self._outside(on_host[0], path)
        return self._file(host, unquote(path[len(host.base_path):]))

    def _outside(self, host: Host, path: str) -> str | None:
        """A link to the site's host outside its base path is another part of that host (the
        organisation's own pages, say): external, unless it names a page of the site without the
        base path, which is a link made without it."""
        found = self._file(host, unquote(path.lstrip("/")))
        if isinstance(found, str):
            return None
        return f"outside the site: the page is under {host.base_url} (the base path is missing)"

    def _file(self, host: Host, relative: str) -> Target | str:
        if "/." in "/" + relative:  # dot segments, as a browser removes them
            relative = posixpath.normpath("/" + relative).lstrip("/") + ("/" if relative.endswith("/") else "")
        key = host.tree + relative + ("index.html" if not relative or relative.endswith("/") else "")
        if key not in self.files and key + "/index.html" in self.files:
            key += "/index.html"  # a folder without its slash: every static host redirects to the slash
        if key not in self.files or (not host.tree and key.startswith(self.trees)):
            return "no such page" if key.endswith(".html") else "no such file"
        return Target(key, host.variant_at(relative))


def clean(value: str, entities: bool = True) -> str:
    """The URL an attribute value (or, `entities` False, XML text already decoded) holds: entities
    decoded, tabs and newlines dropped and spaces stripped, as browsers do."""
    if entities and "&" in value:
        value = html.unescape(value)
    if "\t" in value or "\n" in value or "\r" in value:
        value = value.replace("\t", "").replace("\n", "").replace("\r", "")
    return value.strip()


def tags_in(text: str) -> list[str]:
    """The tags of a page that may hold references, as written."""
    return (TAGS_ANY_CASE if UPPER_CASE_TAG.search(text) else TAGS).findall(text)


def refs_in(text: str) -> Iterator[Ref]:
    """Every reference in a page's (or a feed entry's) HTML, in order."""
    for tag in tags_in(text):
        yield from refs_of(tag)


def refs_of(tag: str) -> list[Ref]:
    """The references of one tag (one of `tags_in`)."""
    name, attributes = tag[1:-1].split(None, 1)
    name = name.lower()
    attrs = {key.lower(): double or single or bare for key, double, single, bare in ATTR.findall(attributes)}
    if name == "a":  # most of them: an href, and an hreflang on the script switch
        href = attrs.get("href")
        return [Ref("link", clean(href), attrs.get("hreflang", ""), False, False)] if href else []
    if name == "link":
        return _link_refs(attrs)
    label = LABELS.get(name, name)
    refs = [Ref(label, clean(attrs[attr])) for attr in URL_ATTRS if attrs.get(attr)]
    if attrs.get("srcset"):
        refs += [Ref(label, url) for url in srcset_urls(html.unescape(attrs["srcset"]))]
    return refs


def _link_refs(attrs: dict[str, str]) -> list[Ref]:
    href, rel, hreflang = attrs.get("href"), attrs.get("rel", "").lower().split(), attrs.get("hreflang")
    if not href:
        return []
    if hreflang and "alternate" in rel:
        return [Ref(f"hreflang {hreflang}", clean(href), "", True, False)]
    if "alternate" in rel and "xml" in attrs.get("type", ""):
        return [Ref("feed", clean(href))]
    label = next((r for r in ("stylesheet", "canonical", "icon") if r in rel), "link")
    return [Ref(label, clean(href), "", False, label == "canonical")]


def srcset_urls(value: str) -> list[str]:
    """The URLs of a `srcset`: candidates split at commas, each a URL and its descriptors."""
    urls, at = [], 0
    while True:
        match = SRCSET_URL.match(value, at)
        if not match.group(1):
            return urls
        url, at = match.group(1), match.end()
        if url.endswith(","):  # no descriptors: the comma ends the candidate
            urls.append(url.rstrip(","))
            continue
        urls.append(url)
        comma = value.find(",", at)
        if comma < 0:
            return urls
        at = comma + 1
