"""Conversion rules, one named case file each (tests/data/conversion), through both paths:
`sitegen convert` on Markdown source, and the build's token stream rendered to HTML."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from sitegen.config import parse_config
from sitegen.convert.converter import ScriptConverter
from sitegen.convert.detect import detect_script
from sitegen.convert.glossary import Term, site_terms
from sitegen.convert.localize import convert_tokens
from sitegen.convert.opencc import Converters
from sitegen.convert.source import convert_markdown
from sitegen.content.markdown import new_parser, parse, render
from tests.helpers import DATA

CASES_DIR = DATA / "conversion"
CONFIG = parse_config({"site": {"title": "t", "base_url": "https://a.example/"}}, Path("."))
CONVERTERS = Converters(site_terms(Path("."), CONFIG.glossary.presets))
MD = new_parser()


def rule_cases() -> list:
    found = []
    for path in sorted(CASES_DIR.glob("*.toml")):
        if path.stem != "detection":
            for n, case in enumerate(tomllib.loads(path.read_text(encoding="utf-8"))["cases"]):
                found.append(pytest.param(case, id=f"{path.stem}-{n}"))
    return found


def converter_for(case: dict) -> ScriptConverter:
    target = case.get("to") or ("zh-Hant" if case["from"] == "zh-Hans" else "zh-Hans")
    terms = tuple(Term(tuple(sorted(t.items()))) for t in case.get("glossary", []))
    return CONVERTERS.for_variant(CONFIG.variant(target), case["from"], terms)


def html(markdown: str) -> str:
    return render(MD, parse(MD, markdown), lambda path: path)


@pytest.mark.parametrize("case", rule_cases())
def test_rule_through_sitegen_convert(case):
    assert convert_markdown(case["input"], converter_for(case)) == case["expected"]


@pytest.mark.parametrize("case", rule_cases())
def test_rule_through_the_build(case):
    converted = render(MD, convert_tokens(parse(MD, case["input"]), converter_for(case)), lambda path: path)
    assert converted == html(case["expected"])


DETECTION = tomllib.loads((CASES_DIR / "detection.toml").read_text(encoding="utf-8"))["cases"]


@pytest.mark.parametrize("case", DETECTION, ids=[c["text"][:12] for c in DETECTION])
def test_detection(case):
    assert detect_script(case["text"], CONVERTERS, case.get("default", "zh-Hans")) == case["script"]


def test_front_matter_keys_and_non_text_fields_are_not_converted():
    source = ("---\ntitle: 头发与皇后\ndate: \"2024-01-01T00:00:00+08:00\"\nsource: local\nlang: zh-Hans\n"
              "id: fa-bu\nsource_url: https://a.example/发布\ncategories:\n  - 国际\ntags: [头发, 后天]\n"
              "image:\n  url: /图/发.jpg\n  caption: 发布会现场\n---\n\n正文发布。\n")
    expected = ("---\ntitle: 頭髮與皇后\ndate: \"2024-01-01T00:00:00+08:00\"\nsource: local\nlang: zh-Hans\n"
                "id: fa-bu\nsource_url: https://a.example/发布\ncategories:\n  - 國際\ntags: [頭髮, 後天]\n"
                "image:\n  url: /图/发.jpg\n  caption: 發布會現場\n---\n\n正文發布。\n")
    assert convert_markdown(source, converter_for({"from": "zh-Hans"})) == expected


def test_words_never_join_across_separate_texts():
    plain = ScriptConverter(CONVERTERS.get("s2tw"), "zh-Hant", "zh-Hant", "zh-Hans", {}, quotes=False)
    assert plain("头发") == "頭髮" and plain("发") == "發"
    assert plain.convert_blocks([["头", "发"]]) == [["頭", "發"]]
    assert plain.convert_blocks([]) == []


def test_texts_holding_separators_or_placeholders_still_convert():
    converter = converter_for({"from": "zh-Hans"})
    assert converter.convert_texts(["头\ue000发", "后天\U000F0000台湾"]) == ["頭\ue000發", "後天\U000F0000台灣"]


def test_zh_hk_converts_traditional_within_its_script():
    config = parse_config({"site": {"title": "t", "base_url": "https://a.example/", "default_variant": "zh-HK"},
                           "variants": {"zh-Hans": {}, "zh-HK": {}}}, Path("."))
    hk = Converters().for_variant(config.variant("zh-HK"), "zh-Hant")
    assert hk("衛生") == "衞生"
    assert Converters().for_variant(config.variant("zh-HK"), "zh-Hans")("卫生") == "衞生"
