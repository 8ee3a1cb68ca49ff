"""OpenCC's own test cases (Apache-2.0, tests/data/opencc) through sitegen's conversion layer.

The layer joins many texts into one OpenCC call and swaps protected words for
placeholders; none of that may change what OpenCC itself would answer.
"""

from __future__ import annotations

import json
from collections import defaultdict

import pytest

from sitegen.convert.converter import ScriptConverter
from sitegen.convert.opencc import Converters
from tests.helpers import DATA

OPENCC = DATA / "opencc"
CONVERTERS = Converters()
# The configs a site can name in from_hans / from_hant, with the scripts they go between.
EXPOSED = {"s2t": ("zh-Hans", "zh-Hant"), "s2tw": ("zh-Hans", "zh-Hant"), "s2twp": ("zh-Hans", "zh-Hant"),
           "s2hk": ("zh-Hans", "zh-Hant"), "t2s": ("zh-Hant", "zh-Hans"), "tw2s": ("zh-Hant", "zh-Hans"),
           "hk2s": ("zh-Hant", "zh-Hans"), "t2hk": ("zh-Hant", "zh-Hant"), "t2tw": ("zh-Hant", "zh-Hant"),
           "tw2sp": ("zh-Hant", "zh-Hans")}


def plain_layer(config: str) -> ScriptConverter:
    source, target = EXPOSED[config]
    return ScriptConverter(CONVERTERS.get(config), target, target, source, glossary={}, quotes=False)


def cases_by_config() -> dict[str, list[tuple[str, str]]]:
    cases = json.loads((OPENCC / "testcases.strict.json").read_text(encoding="utf-8"))["cases"]
    grouped: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for case in cases:
        for config, expected in case["expected"].items():
            if config in EXPOSED:
                grouped[config].append((case["input"], expected))
    return grouped


CASES = cases_by_config()


@pytest.mark.parametrize("config", sorted(CASES))
def test_opencc_cases_one_call_each(config):
    layer = plain_layer(config)
    assert [layer(text) for text, _ in CASES[config]] == [expected for _, expected in CASES[config]]


@pytest.mark.parametrize("config", sorted(CASES))
def test_opencc_cases_batched_in_one_call(config):
    layer = plain_layer(config)
    converted = layer.convert_texts([text for text, _ in CASES[config]])
    assert converted == [expected for _, expected in CASES[config]]


@pytest.mark.parametrize("config", ["s2t", "s2tw", "s2twp", "s2hk"])
def test_golden_document_whole_and_by_paragraph(config):
    source = (OPENCC / "golden/input/us_constitution_zhs.txt").read_text(encoding="utf-8")
    expected = (OPENCC / f"golden/output/us_constitution_zhs.{config}.txt").read_text(encoding="utf-8")
    layer = plain_layer(config)
    assert layer(source) == expected
    paragraphs = source.split("\n")
    assert "\n".join(block[0] for block in layer.convert_blocks([[p] for p in paragraphs])) == expected
