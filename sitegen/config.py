"""sitegen.toml -> SiteConfig: typed, immutable, every problem reported at once.

Unknown keys are errors, so a typo never silently falls back to a default.
Problems name their key path (`sources[1].url: ...`, indexes from 0).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Callable, Mapping
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sitegen.errors import ConfigError, Problem
from sitegen.model import SCRIPTS, Script

CONFIG_FILE = "sitegen.toml"
PERMALINK_FIELDS = {"year", "month", "day", "id", "source"}
SOURCE_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
VARIANT_NAME = re.compile(r"^zh-(Hans|Hant|[A-Z]{2})$")
URL_PATH = re.compile(r"^/([A-Za-z0-9._~-]+/)*$")
HANT_REGIONS = {"zh-TW", "zh-HK", "zh-MO"}
PRESETS_DIR = Path(__file__).resolve().parent / "convert" / "presets"
"""Glossary presets that ship with sitegen, switched on by name in [glossary] presets."""


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


@dataclass(frozen=True)
class GlossaryConfig:
    presets: tuple[str, ...] = ("house-style",)
    """Bundled term lists to switch on, by name: house-style, taiwan-names."""


@dataclass(frozen=True)
class SiteConfig:
    root: Path
    site: SiteSettings
    variants: tuple[VariantConfig, ...]
    sources: tuple[SourceConfig, ...]
    glossary: GlossaryConfig = GlossaryConfig()

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


# ---- reading tables -------------------------------------------------------

Check = Callable[[Any], str | None]
"""Returns a problem message, or None when the value is fine."""


@dataclass(frozen=True)
class Key:
    kind: type | tuple[type, ...]
    default: Any = None
    required: bool = False
    check: Check | None = None


def _read_table(table: Any, keys: dict[str, Key], where: str, problems: list[Problem]) -> dict:
    """Typed values for `keys` from `table`, defaults filled in, problems recorded."""
    if not isinstance(table, dict):
        problems.append(Problem(where, "must be a table"))
        return {name: key.default for name, key in keys.items()}
    values = {}
    for name in table.keys() - keys.keys():
        problems.append(Problem(_join(where, name), "unknown key"))
    for name, key in keys.items():
        path = _join(where, name)
        if name not in table:
            if key.required:
                problems.append(Problem(path, "is required"))
            values[name] = key.default
            continue
        value = table[name]
        if not isinstance(value, key.kind) or (key.kind is int and isinstance(value, bool)):
            problems.append(Problem(path, f"must be {_kind_name(key.kind)}, not {value!r}"))
            value = key.default
        elif key.check and (message := key.check(value)):
            problems.append(Problem(path, message))
        values[name] = value
    return values


def _join(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {str: "a string", int: "an integer", bool: "true or false", dict: "a table", list: "a list"}
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(names.get(k, k.__name__) for k in kinds)


# ---- checks ---------------------------------------------------------------

def _http_url(value: str) -> str | None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"not an http(s) URL: {value!r}"
    if parts.query or parts.fragment:
        return f"must not hold a query or fragment: {value!r}"
    return None


def _feed_location(value: str) -> str | None:
    scheme = urlsplit(value).scheme
    if scheme in ("http", "https"):
        return _http_url(value)
    if scheme and scheme != "file" and len(scheme) > 1:  # len 1: a Windows drive letter
        return f"not an http(s) URL or a file path: {value!r}"
    return None if value.strip() else "must not be empty"


def _timezone(value: str) -> str | None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return f"unknown time zone {value!r} (use an IANA name such as Asia/Taipei)"
    return None


def _permalink(value: str) -> str | None:
    fields = set(re.findall(r"{(\w*)}", value))
    if not value.startswith("/"):
        return "must start with /"
    if unknown := fields - PERMALINK_FIELDS:
        return f"unknown placeholder {{{sorted(unknown)[0]}}}; known: {sorted(PERMALINK_FIELDS)}"
    if "id" not in fields:
        return "must contain {id}, or two articles could share a page"
    if not (value.endswith(".html") or value.endswith("/")):
        return "must end in .html or /"
    return None


def _url_path(value: str) -> str | None:
    return None if URL_PATH.match(value) else f"must be a URL path like /zh-hant/, not {value!r}"


def _one_of(*choices: str) -> Check:
    return lambda v: None if v in choices else f"must be one of {', '.join(choices)}, not {v!r}"


def _positive(value: int) -> str | None:
    return None if value > 0 else "must be at least 1"


def _not_negative(value: int) -> str | None:
    return None if value >= 0 else "must be 0 or more"


def _words(value: list) -> str | None:
    if not all(isinstance(v, str) and v.strip() for v in value):
        return "must be a list of non-empty strings"
    return None


def preset_names() -> list[str]:
    return sorted(p.stem for p in PRESETS_DIR.glob("*.toml"))


def _presets(names: list) -> str | None:
    known = preset_names()
    unknown = [n for n in names if n not in known]
    return f"unknown preset {unknown[0]!r} (known: {', '.join(known)})" if unknown else None


def _name_map(value: dict) -> str | None:
    if not all(isinstance(v, str) and v.strip() for v in value.values()):
        return "must map feed category names to site category names (strings)"
    return None


def _nonempty(value: str) -> str | None:
    return None if value.strip() else "must not be empty"


SITE_KEYS = {
    "title": Key(str, required=True, check=_nonempty),
    "base_url": Key(str, required=True, check=_http_url),
    "default_variant": Key(str, "zh-Hant"),
    "permalink": Key(str, "/{year}/{month}{day}/{id}.html", check=_permalink),
    "paginate": Key(int, 20, check=_positive),
    "timezone": Key(str, "Asia/Taipei", check=_timezone),
    "canonical": Key(str, "self", check=_one_of("self", "original")),
}
VARIANT_KEYS = {
    "path": Key(str, None, check=_url_path),
    "base_url": Key(str, "", check=_http_url),
    "label": Key(str, None),
    "from_hans": Key(str, None),
    "from_hant": Key(str, None),
    "quotes": Key(bool, True),
}
SOURCE_KEYS = {
    "id": Key(str, "", required=True),
    "name": Key(str, "", required=True, check=_nonempty),
    "url": Key(str, "", required=True, check=_feed_location),
    "category": Key(str, ""),
    "script": Key(str, "auto", check=_one_of("auto", *SCRIPTS)),
    "fulltext": Key(bool, False),
    "images": Key(str, "hotlink", check=_one_of("hotlink", "download")),
    "license": Key(str, ""),
    "editor": Key(str, ""),
    "timezone": Key(str, None, check=_timezone),
    "max_bytes": Key(int, 20 * 1024 * 1024, check=_positive),
    "max_items": Key(int, 0, check=_not_negative),
    "include": Key(list, [], check=_words),
    "exclude": Key(list, [], check=_words),
    "categories": Key(dict, {}, check=_name_map),
}
GLOSSARY_KEYS = {
    "presets": Key(list, ["house-style"], check=_presets),
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
    return parse_config(data, root)


def parse_config(data: dict, root: Path) -> SiteConfig:
    problems: list[Problem] = []
    for name in data.keys() - {"site", "variants", "sources", "glossary"}:
        problems.append(Problem(name, "unknown key"))
    glossary = _read_table(data.get("glossary", {}), GLOSSARY_KEYS, "glossary", problems)
    site_values = _read_table(data.get("site", {}), SITE_KEYS, "site", problems)
    variants = _read_variants(data.get("variants", DEFAULT_VARIANTS), problems)
    sources = _read_sources(data.get("sources", []), site_values["timezone"], problems)
    if variants and site_values["default_variant"] not in {v.name for v in variants}:
        problems.append(Problem("site.default_variant",
                                f"{site_values['default_variant']!r} is not one of the [variants]"))
    if problems:
        raise ConfigError(sorted(problems, key=lambda p: p.where))
    site_values["base_url"] = _with_slash(site_values["base_url"])
    return SiteConfig(root=root, site=SiteSettings(**site_values), variants=variants, sources=sources,
                      glossary=GlossaryConfig(presets=tuple(glossary["presets"])))


def _read_variants(table: Any, problems: list[Problem]) -> tuple[VariantConfig, ...]:
    if not isinstance(table, dict) or not table:
        problems.append(Problem("variants", "must be a table holding at least one variant"))
        return ()
    variants = []
    for name, value in sorted(table.items()):
        where = f"variants.{name}"
        values = _read_table(value, VARIANT_KEYS, where, problems)
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
        values = _read_table(item, SOURCE_KEYS, where, problems)
        source_id = values["id"]
        if source_id and (not SOURCE_ID.match(source_id) or source_id == "local"):
            problems.append(Problem(f"{where}.id", f"{source_id!r} must match [a-z0-9-]+ and not be 'local'"))
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
