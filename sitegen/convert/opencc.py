"""Converters: OpenCC configs built once per process, and script converters per variant."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

from sitegen.config import SiteConfig, VariantConfig
from sitegen.convert.boundaries import word_bounds
from sitegen.convert.converter import Remembered, ScriptConverter
from sitegen.convert.elsewhere import ConverterProcess
from sitegen.convert.engines import Engines, TextConverter, UnknownConverterError, bundled
from sitegen.convert.glossary import Term, replacements, site_terms, variant_terms
from sitegen.errors import ConfigError, Problem


class Converters:
    """OpenCC instances by config name, and a ScriptConverter per (variant, source script).

    `terms` is the site's glossary (presets, then glossary.toml); the presets on by default for
    a variant come before them, an article's own terms after them, and later ones win.
    `elsewhere`: a process loading the converters meanwhile, which converts until this one has
    its own (see convert/elsewhere.py). OpenCC's configs load on first use either way.
    `phrases`: where OpenCC's phrases are kept ready to load (see convert/boundaries.py).
    """

    def __init__(self, terms: Iterable[Term] = (), elsewhere: ConverterProcess | None = None,
                 phrases: Path | None = None) -> None:
        self.terms = tuple(terms)
        self.elsewhere = elsewhere
        self.here = Engines(phrases)
        """The converters loaded in this process."""
        self._opencc: dict[str, TextConverter] = {"": self.here.opencc("")}
        self._scripts: dict[tuple, ScriptConverter] = {}
        self._engines: dict[tuple[str, str, str], TextConverter | None] = {}
        self.bounds = _HereOrThere(("bounds",), lambda: word_bounds, elsewhere)
        """Where the words of a text start and end (see convert/boundaries.py)."""
        self.names = Remembered()
        """Short texts converted by the site-wide converters (see ScriptConverter.names)."""

    def stop_elsewhere(self) -> None:
        """Convert in this process from now on (see convert/elsewhere.py)."""
        if self.elsewhere is not None:
            self.elsewhere.stop()

    def get(self, config: str) -> TextConverter:
        """OpenCC's `config`. A config OpenCC does not bundle (a file of one's own) is loaded at
        once, so a bad one fails before any work; a bundled one when first used."""
        if config not in self._opencc:
            self._opencc[config] = _HereOrThere(("opencc", config), lambda: self.here.opencc(config), self.elsewhere) \
                if bundled(config) else self.here.opencc(config)
        return self._opencc[config]

    def same_name(self, name: str) -> str:
        """A taxonomy name in Simplified, where names written in either script meet (國際 and 国际
        are one category); remembered from build to build with the `names`."""
        key = ("", "t2s", name)
        if (known := self.names.get(key)) is None:
            known = self.get("t2s")(name)
            self.names.put(key, known)
        return known

    def for_variant(self, variant: VariantConfig, source_script: str,
                    extra_terms: tuple[Term, ...] = ()) -> ScriptConverter:
        key = (variant, source_script, extra_terms)
        if key not in self._scripts:
            engine_key = _engine_key(variant, source_script)
            config = engine_key[0]
            glossary, whole_words = replacements((*variant_terms(variant.name), *self.terms, *extra_terms),
                                                 source_script, variant.name, variant.script)
            if engine_key not in self._engines:  # one per config: what within_words remembers is shared
                self._engines[engine_key] = _HereOrThere(("engine", *engine_key),
                                                         lambda: self.here.ruled(*engine_key),
                                                         self.elsewhere) if config else None
            self._scripts[key] = ScriptConverter(self._engines[engine_key],
                                                 variant.name, variant.script, source_script, glossary,
                                                 variant.quotes, whole_words, self.get(config) if config else None,
                                                 None if extra_terms else self.names, self.bounds)
        return self._scripts[key]


class _HereOrThere:
    """A converter that asks the converter process while it serves and this process has not
    loaded its own, and is made here (by `make`) once it is wanted and the process cannot answer."""

    def __init__(self, request: tuple, make: Callable[[], Callable], elsewhere: ConverterProcess | None):
        self._request, self._make, self._elsewhere = request, make, elsewhere
        self._here: Callable | None = None

    def __call__(self, text: str):  # noqa: ANN204 - text for the converters, offsets for `bounds`
        if self._here is None:
            if self._elsewhere is not None:
                answer = self._elsewhere.ask((*self._request, text))
                if answer is not None:
                    return answer
            self._here = self._make()
        return self._here(text)


def check_converters(config: SiteConfig, elsewhere: ConverterProcess | None = None) -> Converters:
    """The converters the variants name, checked, so a bad name fails before any work.
    `elsewhere`: a process loading them meanwhile (see convert/elsewhere.py)."""
    converters = Converters(site_terms(config.root, config.glossary.presets), elsewhere, phrases_file(config))
    problems = []
    for variant in config.variants:
        for key in ("from_hans", "from_hant"):
            try:
                converters.get(getattr(variant, key))
            except UnknownConverterError as exc:
                problems.append(Problem(f"variants.{variant.name}.{key}", str(exc)))
    if problems:
        raise ConfigError(problems)
    return converters


def phrases_file(config: SiteConfig) -> Path:
    """Where the site keeps OpenCC's phrases ready to load (see convert/boundaries.py)."""
    return config.state_dir / "opencc-phrases"


def converters_wanted(config: SiteConfig) -> tuple[tuple[str, ...], tuple[tuple[str, str, str], ...]]:
    """What a build of the site converts with: OpenCC's configs (t2s first: assembling the site
    puts taxonomy names not met before in Simplified), and its converters with sitegen's rules."""
    keys = (_engine_key(variant, script) for variant in config.variants for script in ("zh-Hans", "zh-Hant"))
    engines = tuple(dict.fromkeys(key for key in keys if key[0]))
    return tuple(dict.fromkeys(("t2s", *(key[0] for key in engines)))), engines


def _engine_key(variant: VariantConfig, source_script: str) -> tuple[str, str, str]:
    """(OpenCC config, source script, script): one converter with sitegen's rules per key."""
    return variant.opencc_config(source_script), source_script, variant.script  # type: ignore[arg-type]
