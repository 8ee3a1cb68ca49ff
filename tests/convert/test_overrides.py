"""An inline override `-{…}-` holds inside one text: the texts of an article are converted in one
call, joined by separators, and an override that paired across them shifted every later text
(found by fuzzing)."""

from __future__ import annotations

from sitegen.convert.opencc import check_converters
from sitegen.config import load_config
from sitegen.content.markdown import new_parser, parse, render
from sitegen.convert.localize import convert_tokens
from tests.helpers import REPO

MD = new_parser()


def to_traditional():
    config = load_config(REPO)
    return check_converters(config).for_variant(config.variant("zh-Hant"), "zh-Hans")


def test_an_override_never_pairs_across_two_texts():
    convert = to_traditional()
    assert convert.convert_texts(["标题 -{", "头发", "}- 作者"]) == ["標題 -{", "頭髮", "}- 作者"]


def test_an_override_never_reaches_into_another_paragraph():
    html = render(MD, convert_tokens(parse(MD, "价格 -{ 见下\n\n头发\n\n结束 }- 了"), to_traditional()), lambda p: p)
    assert "<p>頭髮</p>" in html


def test_an_override_inside_one_text_still_holds():
    convert = to_traditional()
    assert convert.convert_texts(["-{头发}-与头发"]) == ["头发與頭髮"]
