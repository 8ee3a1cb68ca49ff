"""Text in one variant's script: an article's from the script it was written in (with its own
terms), the settings' from whichever script they are written in, the theme's from Traditional."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from sitegen.config import VariantConfig
from sitegen.convert.converter import ScriptConverter
from sitegen.convert.detect import detect_script
from sitegen.convert.glossary import article_terms
from sitegen.convert.opencc import Converters
from sitegen.model import Article, Script

UI_SCRIPT: Script = "zh-Hant"
"""The script the theme's UI strings are written in."""
UI_WORDS = {"zh-Hans": {"原文連結": "原文链接"}}
"""Theme strings whose word differs between regions, not only in its characters (t2s gives 原文连结)."""


@dataclass(frozen=True)
class VariantText:
    variant: VariantConfig
    converters: Converters

    def converter(self, lang: str, article: Article | None = None) -> ScriptConverter:
        """From `lang` into this variant's script, with the article's own terms if given."""
        terms = article_terms(article) if article else ()
        return self.converters.for_variant(self.variant, lang, terms)

    def setting(self, text: str) -> str:
        """Text from the settings, which may be written in either script (remembered: source names
        and notices recur on every article page; and from build to build with the converters'
        `names`, so the header of a small rebuild waits for no converter)."""
        if text not in self._settings:
            key = (self.variant.name, "setting", text)
            if (converted := self.converters.names.get(key)) is None:
                converted = self.converter(detect_script(text, self.converters, UI_SCRIPT))(text)
                self.converters.names.put(key, converted)
            self._settings[text] = converted
        return self._settings[text]

    def ui(self, text: str) -> str:
        """A theme string (remembered: every page asks for the same few)."""
        if text not in self._ui:
            word = UI_WORDS.get(self.variant.script, {}).get(text)
            self._ui[text] = word or self.converter(UI_SCRIPT)(text)
        return self._ui[text]

    @cached_property
    def _settings(self) -> dict[str, str]:
        return {}

    @cached_property
    def _ui(self) -> dict[str, str]:
        return {}
