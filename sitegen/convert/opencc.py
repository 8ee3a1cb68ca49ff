"""Converters: OpenCC configs built once per process, and script converters per variant."""

from __future__ import annotations

from typing import Callable, Iterable

import opencc

from sitegen.config import VariantConfig
from sitegen.convert.converter import ScriptConverter
from sitegen.convert.glossary import Term, replacements
from sitegen.errors import SitegenError

TextConverter = Callable[[str], str]


class UnknownConverterError(SitegenError, ValueError):
    """A variant names an OpenCC config that OpenCC does not have."""


def _identity(text: str) -> str:
    return text


class Converters:
    """OpenCC instances by config name, and a ScriptConverter per (variant, source script).

    `terms` is the site's glossary (presets, then glossary.toml); an article's own
    terms come last and win.
    """

    def __init__(self, terms: Iterable[Term] = ()) -> None:
        self.terms = tuple(terms)
        self._opencc: dict[str, TextConverter] = {"": _identity}
        self._scripts: dict[tuple, ScriptConverter] = {}

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
            glossary = replacements((*self.terms, *extra_terms), source_script, variant.name, variant.script)
            self._scripts[key] = ScriptConverter(self.get(config) if config else None, variant.name,
                                                 variant.script, source_script, glossary, variant.quotes)
        return self._scripts[key]
