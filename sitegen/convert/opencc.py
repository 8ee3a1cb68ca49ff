"""Converters: OpenCC configs built once per process, and script converters per variant."""

from __future__ import annotations

from typing import Callable, Iterable

import opencc

from sitegen.config import SiteConfig, VariantConfig
from sitegen.convert.boundaries import within_words
from sitegen.convert.converter import Remembered, ScriptConverter
from sitegen.convert.glossary import Term, replacements, site_terms, variant_terms
from sitegen.convert.particle import particle_zhe
from sitegen.errors import ConfigError, Problem, SitegenError

TextConverter = Callable[[str], str]


class UnknownConverterError(SitegenError, ValueError):
    """A variant names an OpenCC config that OpenCC does not have."""


def _identity(text: str) -> str:
    return text


class Converters:
    """OpenCC instances by config name, and a ScriptConverter per (variant, source script).

    `terms` is the site's glossary (presets, then glossary.toml); the presets on by default for
    a variant come before them, an article's own terms after them, and later ones win.
    """

    def __init__(self, terms: Iterable[Term] = ()) -> None:
        self.terms = tuple(terms)
        self._opencc: dict[str, TextConverter] = {"": _identity}
        self._scripts: dict[tuple, ScriptConverter] = {}
        self._engines: dict[tuple[str, str, str], TextConverter | None] = {}
        self.names = Remembered()
        """Short texts converted by the site-wide converters (see ScriptConverter.names)."""

    def get(self, config: str) -> TextConverter:
        if config not in self._opencc:
            try:
                self._opencc[config] = opencc.OpenCC(config).convert
            except RuntimeError:
                known = ", ".join(sorted(c.removesuffix(".json") for c in opencc.CONFIGS))
                raise UnknownConverterError(f"OpenCC has no config {config!r} (known: {known})") from None
        return self._opencc[config]

    def for_variant(self, variant: VariantConfig, source_script: str,
                    extra_terms: tuple[Term, ...] = ()) -> ScriptConverter:
        key = (variant, source_script, extra_terms)
        if key not in self._scripts:
            config = variant.opencc_config(source_script)  # type: ignore[arg-type]
            glossary, whole_words = replacements((*variant_terms(variant.name), *self.terms, *extra_terms),
                                                 source_script, variant.name, variant.script)
            engine_key = (config, source_script, variant.script)
            if engine_key not in self._engines:  # one per config: what within_words remembers is shared
                self._engines[engine_key] = self._engine(*engine_key)
            self._scripts[key] = ScriptConverter(self._engines[engine_key],
                                                 variant.name, variant.script, source_script, glossary,
                                                 variant.quotes, whole_words, self.get(config) if config else None,
                                                 None if extra_terms else self.names)
        return self._scripts[key]

    def _engine(self, config: str, source_script: str, script: str) -> TextConverter | None:
        """OpenCC's `config` with the rules it lacks: Simplified text converted word by word,
        and 著 -> 着 where Traditional text becomes Simplified."""
        if not config:
            return None
        if source_script == "zh-Hans":
            return within_words(self.get(config))
        return particle_zhe(self.get(config)) if script == "zh-Hans" else self.get(config)


def check_converters(config: SiteConfig) -> Converters:
    """Build every converter the variants name, so a bad name fails before any work."""
    converters, problems = Converters(site_terms(config.root, config.glossary.presets)), []
    for variant in config.variants:
        for key in ("from_hans", "from_hant"):
            try:
                converters.get(getattr(variant, key))
            except UnknownConverterError as exc:
                problems.append(Problem(f"variants.{variant.name}.{key}", str(exc)))
    if problems:
        raise ConfigError(problems)
    return converters
