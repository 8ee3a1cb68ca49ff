"""The regional vocabulary presets, and the `from` and `whole_words` keys of a terms file."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.config import parse_config
from sitegen.convert.glossary import load_terms_file, site_terms
from sitegen.convert.opencc import Converters
from sitegen.errors import ConfigError
from sitegen.schema import PRESETS_DIR

SITE = {"title": "t", "base_url": "https://a.example/"}
NEWS = "我们用软件和网络观看视频，人工智能芯片，数据库服务器，搜索引擎。"
S2TWP_DAMAGE = "他们支持发布文件，扩展程序的质量。"


def converter(variants: dict | None = None, presets: list[str] | None = None, name: str = "zh-Hant",
              source: str = "zh-Hans"):
    site = {**SITE, "default_variant": name} if variants else SITE
    data = {"site": site, **({"variants": variants} if variants else {}),
            **({"glossary": {"presets": presets}} if presets else {})}
    config = parse_config(data, Path("."))
    return Converters(site_terms(Path("."), config.glossary.presets)).for_variant(config.variant(name), source)


def test_taiwan_vocabulary_is_opt_in():
    assert converter()(NEWS) == "我們用軟件和網絡觀看視頻，人工智能芯片，數據庫服務器，搜索引擎。"
    assert converter(presets=["house-style", "taiwan-vocabulary"])(NEWS) == \
        "我們用軟體和網路觀看影片，人工智慧晶片，資料庫伺服器，搜尋引擎。"


def test_taiwan_vocabulary_is_on_for_a_variant_named_zh_tw_only():
    variants = {"zh-Hans": {}, "zh-TW": {}, "zh-HK": {}}
    assert converter(variants, name="zh-TW")(NEWS) == "我們用軟體和網路觀看影片，人工智慧晶片，資料庫伺服器，搜尋引擎。"
    assert "軟件" in converter(variants, name="zh-HK")(NEWS)


def test_taiwan_vocabulary_leaves_what_s2twp_breaks():
    assert converter(presets=["house-style", "taiwan-vocabulary"])(S2TWP_DAMAGE) == "他們支持發布文件，擴展程序的質量。"


def test_a_whole_word_term_never_converts_part_of_another_word():
    convert = converter(presets=["taiwan-vocabulary"])
    assert convert("电视频道播出视频会议") == "電視頻道播出視訊會議"  # 电视频道 is one word
    assert convert("国内存款增加，内存不足") == "國內存款增加，記憶體不足"  # 国内|存款, 内存不足 is one word
    assert convert("网络安全和短信") == "網路安全和簡訊"  # a term may begin a longer word


def test_mainland_vocabulary_converts_traditional_stories_only():
    presets = ["house-style", "mainland-vocabulary"]
    to_hans = converter(presets=presets, name="zh-Hans", source="zh-Hant")
    assert to_hans("我們用軟體和網路看影片，資料庫伺服器。") == "我们用软件和网络看影片，数据库服务器。"
    assert converter(presets=presets)("软件") == "軟件"  # the other way round it does nothing


def test_presets_are_listed_in_the_readme_with_their_sizes():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for name in ("taiwan-vocabulary", "mainland-vocabulary"):
        size = len(load_terms_file(PRESETS_DIR / f"{name}.toml", name))
        assert f"`{name}` ({size} terms" in readme


@pytest.mark.parametrize(("text", "problem"), [
    ('from = "zh-TW"\n', r"x.toml: from: must be one of zh-Hans, zh-Hant"),
    ('whole_words = "yes"\n', r"x.toml: whole_words: must be true or false"),
    ('direction = "zh-Hans"\n', r"x.toml: direction: unknown key"),
])
def test_a_terms_file_with_a_bad_setting_is_refused(tmp_path, text, problem):
    (tmp_path / "x.toml").write_text(text + '[[terms]]\nzh-Hans = "软件"\nzh-Hant = "軟體"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=problem):
        load_terms_file(tmp_path / "x.toml", "x.toml")


def test_a_site_glossary_may_say_from_too(tmp_path):
    (tmp_path / "glossary.toml").write_text('from = "zh-Hant"\n[[terms]]\nzh-Hans = "软件"\nzh-Hant = "軟體"\n',
                                           encoding="utf-8")
    config = parse_config({"site": SITE}, tmp_path)
    converters = Converters(site_terms(tmp_path, config.glossary.presets))
    assert converters.for_variant(config.variant("zh-Hans"), "zh-Hant")("軟體") == "软件"
    assert converters.for_variant(config.variant("zh-Hant"), "zh-Hans")("软件") == "軟件"
