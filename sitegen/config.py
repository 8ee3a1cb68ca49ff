"""sitegen.toml -> SiteConfig: typed, immutable, every problem reported at once.

Unknown keys are errors, so a typo never silently falls back to a default.
Problems name their key path (`sources[1].url: ...`, indexes from 0).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping
from urllib.parse import urlsplit

from sitegen.errors import ConfigError, Problem
from sitegen.fsutil import WINDOWS_DEVICE
from sitegen.schema import (Key, feed_location, http_url, name_map, nonempty, not_negative, one_of, permalink,
                            positive, presets, read_table, timezone, url_path, words)
from sitegen.model import SCRIPTS, Script
from sitegen.targets import DeployTarget, read_targets

CONFIG_FILE = "sitegen.toml"
SOURCE_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
VARIANT_NAME = re.compile(r"^zh-(Hans|Hant|[A-Z]{2})$")
HANT_REGIONS = {"zh-TW", "zh-HK", "zh-MO"}
REPUBLISH = ("full", "summary", "title")
"""From most to least of a story published (a source's `republish`, narrowed per article)."""


@dataclass(frozen=True)
class SiteSettings:
    title: str
    """The site's name, written once in either script; converted per variant."""
    base_url: str
    """Absolute URL of the site's root, always ending in `/`; may hold a sub-path."""
    default_variant: str
    permalink: str
    """Article path inside a variant, e.g. `/{year}/{month}{day}/{id}.html`."""
    paginate: int
    timezone: str
    """IANA zone that dates are shown in and permalinks are dated by."""
    canonical: str = "self"
    """Each article's canonical URL: `self` (this page) or `original` (the republished source)."""
    search: bool = True
    """A search page per variant and a search box on every page (Pagefind; `sitegen build --no-search`)."""


@dataclass(frozen=True)
class VariantConfig:
    name: str
    """BCP 47 tag, used as `<html lang>`: zh-Hans, zh-Hant, zh-HK ..."""
    script: Script
    path: str
    """URL path prefix of the variant's pages, `/zh-hant/`; `/` for a host of its own."""
    base_url: str
    """Host of its own (ending in `/`), or empty to share the site's base_url."""
    label: str
    """How the variant names itself in the script switch."""
    from_hans: str
    """OpenCC config taking Simplified articles to this variant; empty: keep as is."""
    from_hant: str
    """OpenCC config taking Traditional articles to this variant; empty: keep as is."""
    quotes: bool = True
    """Converted text takes this variant's quotation marks: 「」『』 or “”‘’."""

    def opencc_config(self, lang: Script) -> str:
        return self.from_hans if lang == "zh-Hans" else self.from_hant

    @property
    def tree(self) -> str:
        """The folder inside public/ holding this variant's host: '' when it shares the site's host."""
        return f"{self.name.lower()}/" if self.base_url else ""


@dataclass(frozen=True)
class SourceConfig:
    id: str
    name: str
    url: str
    """http(s) URL, or a feed file path (relative to the site folder)."""
    category: str
    script: str
    """zh-Hans, zh-Hant or auto (detect per article)."""
    fulltext: bool
    images: str
    license: str
    editor: str
    timezone: str
    """Zone for feed dates that carry none; defaults to the site's."""
    max_bytes: int
    """Largest feed (and full-text page) accepted, in bytes."""
    max_items: int
    """Newest items taken from each fetch; 0 means every item the feed carries."""
    include: tuple[str, ...]
    """Keep only stories whose title, summary or text holds one of these words (none: keep all)."""
    exclude: tuple[str, ...]
    """Drop stories whose title, summary or text holds one of these words."""
    categories: Mapping[str, str]
    """Feed category -> site category; unmapped stories get `category`."""
    deadline: int = 60
    """Seconds one fetch of the feed may take in all, every try and every wait between tries included."""
    republish: str = "full"
    """What of its stories is published: full, summary (the opening, up to summary_length) or title."""
    summary_length: int = 200
    """`republish = "summary"`: the most characters of a story's text published (whole paragraphs)."""


@dataclass(frozen=True)
class GlossaryConfig:
    presets: tuple[str, ...] = ("house-style",)
    """Bundled term lists to switch on, by name: house-style, taiwan-names."""


@dataclass(frozen=True)
class HealthConfig:
    failing_runs: int = 3
    """`sitegen sources status` flags a source whose last N fetches or more all failed."""
    silent_days: int = 7
    """... and a source that brought no new story for more than N days."""
    status_page: bool = False
    """`sitegen build` writes the unlisted, noindex `/_status/` page for the editor."""


@dataclass(frozen=True)
class SiteConfig:
    root: Path
    site: SiteSettings
    variants: tuple[VariantConfig, ...]
    sources: tuple[SourceConfig, ...]
    glossary: GlossaryConfig = GlossaryConfig()
    deploy: tuple[DeployTarget, ...] = ()
    """Where `sitegen deploy` publishes, by name order."""
    health: HealthConfig = HealthConfig()

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def static_dir(self) -> Path:
        return self.root / "static"

    @property
    def output_dir(self) -> Path:
        return self.root / "public"

    @property
    def state_dir(self) -> Path:
        return self.root / ".sitegen"

    def variant(self, name: str) -> VariantConfig:
        return next(v for v in self.variants if v.name == name)

    def source(self, source_id: str) -> SourceConfig | None:
        return next((s for s in self.sources if s.id == source_id), None)

    def without_search(self) -> "SiteConfig":
        return replace(self, site=replace(self.site, search=False))


SITE_KEYS = {
    "title": Key(str, required=True, check=nonempty),
    "base_url": Key(str, required=True, check=http_url),
    "default_variant": Key(str, "zh-Hant"),
    "permalink": Key(str, "/{year}/{month}{day}/{id}.html", check=permalink),
    "paginate": Key(int, 20, check=positive),
    "timezone": Key(str, "Asia/Taipei", check=timezone),
    "canonical": Key(str, "self", check=one_of("self", "original")),
    "search": Key(bool, True),
}
VARIANT_KEYS = {
    "path": Key(str, None, check=url_path),
    "base_url": Key(str, "", check=http_url),
    "label": Key(str, None),
    "from_hans": Key(str, None),
    "from_hant": Key(str, None),
    "quotes": Key(bool, True),
}
SOURCE_KEYS = {
    "id": Key(str, "", required=True),
    "name": Key(str, "", required=True, check=nonempty),
    "url": Key(str, "", required=True, check=feed_location),
    "category": Key(str, ""),
    "script": Key(str, "auto", check=one_of("auto", *SCRIPTS)),
    "fulltext": Key(bool, False),
    "images": Key(str, "hotlink", check=one_of("hotlink", "download")),
    "license": Key(str, ""),
    "editor": Key(str, ""),
    "timezone": Key(str, None, check=timezone),
    "max_bytes": Key(int, 20 * 1024 * 1024, check=positive),
    "max_items": Key(int, 0, check=not_negative),
    "include": Key(list, [], check=words),
    "exclude": Key(list, [], check=words),
    "categories": Key(dict, {}, check=name_map),
    "deadline": Key(int, 60, check=positive),
    "republish": Key(str, "full", check=one_of(*REPUBLISH)),
    "summary_length": Key(int, 200, check=positive),
}
HEALTH_KEYS = {
    "failing_runs": Key(int, 3, check=positive),
    "silent_days": Key(int, 7, check=positive),
    "status_page": Key(bool, False),
}
GLOSSARY_KEYS = {
    "presets": Key(list, ["house-style"], check=presets),
}
DEFAULT_VARIANTS = {"zh-Hans": {"path": "/zh-hans/"}, "zh-Hant": {"path": "/zh-hant/"}}
DEFAULT_LABELS = {"zh-Hans": "简体中文", "zh-Hant": "繁體中文", "zh-TW": "臺灣正體", "zh-HK": "香港繁體"}
DEFAULT_OPENCC = {"zh-Hans": ("", "t2s"), "zh-Hant": ("s2tw", ""), "zh-TW": ("s2tw", ""),
                  "zh-HK": ("s2hk", "t2hk"), "zh-MO": ("s2hk", "t2hk")}


# ---- building the config --------------------------------------------------

def load_config(root: Path) -> SiteConfig:
    """Read `root/sitegen.toml`; raise ConfigError listing every problem found."""
    path = root / CONFIG_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError([Problem(str(path), "not found (run `sitegen init` to make a site)")])
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError([Problem(str(path), f"not valid TOML: {exc}")])
    except OSError as exc:  # a folder of that name, no permission to read ...
        raise ConfigError([Problem(str(path), f"cannot be read: {exc.strerror or exc}")])
    return parse_config(data, root)


def parse_config(data: dict, root: Path) -> SiteConfig:
    problems: list[Problem] = []
    for name in data.keys() - {"site", "variants", "sources", "glossary", "deploy", "health"}:
        problems.append(Problem(name, "unknown key"))
    glossary = read_table(data.get("glossary", {}), GLOSSARY_KEYS, "glossary", problems)
    health = read_table(data.get("health", {}), HEALTH_KEYS, "health", problems)
    site_values = read_table(data.get("site", {}), SITE_KEYS, "site", problems)
    variants = _read_variants(data.get("variants", DEFAULT_VARIANTS), problems)
    sources = _read_sources(data.get("sources", []), site_values["timezone"], problems)
    if variants and site_values["default_variant"] not in {v.name for v in variants}:
        problems.append(Problem("site.default_variant",
                                f"{site_values['default_variant']!r} is not one of the [variants]"))
    deploy = read_targets(data.get("deploy", {}), _hosts(site_values["base_url"], variants), problems)
    if problems:
        raise ConfigError(sorted(problems, key=lambda p: p.where))
    site_values["base_url"] = _with_slash(site_values["base_url"])
    return SiteConfig(root=root, site=SiteSettings(**site_values), variants=variants, sources=sources,
                      glossary=GlossaryConfig(presets=tuple(glossary["presets"])), deploy=deploy,
                      health=HealthConfig(**health))


def _hosts(base_url: str, variants: tuple[VariantConfig, ...]) -> dict[str, str]:
    """Each host name the site is served from, and the folder of public/ that holds its files."""
    hosts = {urlsplit(v.base_url).netloc: v.tree for v in variants if v.base_url}
    hosts[urlsplit(base_url or "").netloc] = ""
    return hosts


def _read_variants(table: Any, problems: list[Problem]) -> tuple[VariantConfig, ...]:
    if not isinstance(table, dict) or not table:
        problems.append(Problem("variants", "must be a table holding at least one variant"))
        return ()
    variants = []
    for name, value in sorted(table.items()):
        where = f"variants.{name}"
        values = read_table(value, VARIANT_KEYS, where, problems)
        if not VARIANT_NAME.match(name):
            problems.append(Problem(where, "name must be a Chinese language tag: zh-Hans, zh-Hant, zh-TW, zh-HK ..."))
            continue
        script: Script = "zh-Hant" if name == "zh-Hant" or name in HANT_REGIONS else "zh-Hans"
        from_hans, from_hant = DEFAULT_OPENCC.get(name, DEFAULT_OPENCC[script])
        variants.append(VariantConfig(
            name=name, script=script,
            path=values["path"] or ("/" if values["base_url"] else f"/{name.lower()}/"),
            base_url=_with_slash(values["base_url"]) if values["base_url"] else "",
            label=values["label"] or DEFAULT_LABELS.get(name, name),
            from_hans=from_hans if values["from_hans"] is None else values["from_hans"],
            from_hant=from_hant if values["from_hant"] is None else values["from_hant"],
            quotes=values["quotes"],
        ))
    _check_distinct_places(variants, problems)
    return tuple(variants)


def _check_distinct_places(variants: list[VariantConfig], problems: list[Problem]) -> None:
    seen: dict[tuple[str, str], str] = {}
    for v in variants:
        place = (v.base_url, v.path)
        if place in seen:
            problems.append(Problem(f"variants.{v.name}.path",
                                    f"same place as variants.{seen[place]}; give each its own path or base_url"))
        seen[place] = v.name


def _read_sources(items: Any, site_timezone: str, problems: list[Problem]) -> tuple[SourceConfig, ...]:
    if not isinstance(items, list):
        problems.append(Problem("sources", "must be an array of tables ([[sources]])"))
        return ()
    sources, seen = [], set()
    for i, item in enumerate(items):
        where = f"sources[{i}]"
        values = read_table(item, SOURCE_KEYS, where, problems)
        source_id = values["id"]
        if source_id and (not SOURCE_ID.match(source_id) or source_id == "local"):
            problems.append(Problem(f"{where}.id", f"{source_id!r} must match [a-z0-9-]+ and not be 'local'"))
        elif WINDOWS_DEVICE.match(source_id):
            problems.append(Problem(f"{where}.id", f"{source_id!r} is a name Windows keeps for a device "
                                                   "(it names a folder of the site); choose another"))
        elif source_id in seen:
            problems.append(Problem(f"{where}.id", f"{source_id!r} is used by an earlier source"))
        seen.add(source_id)
        values["timezone"] = values["timezone"] or site_timezone
        values["include"], values["exclude"] = tuple(values["include"]), tuple(values["exclude"])
        values["categories"] = MappingProxyType(dict(values["categories"]))
        sources.append(SourceConfig(**values))
    return tuple(sources)


def _with_slash(url: str) -> str:
    return url if url.endswith("/") else url + "/"
