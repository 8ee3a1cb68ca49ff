"""OpenCC converters by config name, each built once per process."""

from __future__ import annotations

from typing import Callable

import opencc

TextConverter = Callable[[str], str]


class UnknownConverterError(ValueError):
    pass


def _identity(text: str) -> str:
    return text


class Converters:
    """Hands out one converter per OpenCC config; an empty name means "keep as is"."""

    def __init__(self) -> None:
        self._built: dict[str, TextConverter] = {"": _identity}

    def get(self, config: str) -> TextConverter:
        if config not in self._built:
            try:
                self._built[config] = opencc.OpenCC(config).convert
            except RuntimeError:
                known = ", ".join(sorted(c.removesuffix(".json") for c in opencc.CONFIGS))
                raise UnknownConverterError(f"OpenCC has no config {config!r} (known: {known})") from None
        return self._built[config]
