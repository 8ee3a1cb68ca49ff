from pathlib import Path

import pytest

from sitegen.config import load_config, parse_config
from sitegen.errors import ConfigError

GOOD_SITE = {"title": "新聞", "base_url": "https://news.example.org"}


def problems_of(data: dict) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_config(data, Path("."))
    return [f"{p.where}: {p.message}" for p in caught.value.problems]


def test_defaults_fill_a_minimal_config():
    config = parse_config({"site": GOOD_SITE}, Path("."))
    assert config.site.base_url == "https://news.example.org/"
    assert config.site.permalink == "/{year}/{month}{day}/{id}.html"
    assert config.site.default_variant == "zh-Hant"
    assert [(v.name, v.path, v.from_hans, v.from_hant) for v in config.variants] == [
        ("zh-Hans", "/zh-hans/", "", "t2s"), ("zh-Hant", "/zh-hant/", "s2tw", "")]


def test_the_repository_site_config_loads():
    config = load_config(Path(__file__).resolve().parent.parent)
    assert {s.id for s in config.sources} >= {"rfa", "voa", "dw"}
    assert all(s.url.startswith("https://") for s in config.sources)


def test_every_problem_is_reported_at_once_with_its_key_path():
    found = problems_of({
        "site": {**GOOD_SITE, "base_url": "news.example.org", "paginate": "20", "colour": "red"},
        "sources": [
            {"id": "ok", "name": "好", "url": "https://a.example/rss"},
            {"id": "Bad Id", "name": "壞", "url": "ftp://a.example/rss", "script": "hans"},
            {"id": "ok", "name": "重複", "url": "feeds/local.xml"},
            {"id": "com1", "name": "裝置", "url": "feeds/com.xml"},
        ],
        "themes": {},
    })
    assert found == [
        "site.base_url: not an http(s) URL: 'news.example.org'",
        "site.colour: unknown key",
        "site.paginate: must be an integer, not '20'",
        "sources[1].id: 'Bad Id' must match [a-z0-9-]+ and not be 'local'",
        "sources[1].script: must be one of auto, zh-Hans, zh-Hant, not 'hans'",
        "sources[1].url: not an http(s) URL or a file path: 'ftp://a.example/rss'",
        "sources[2].id: 'ok' is used by an earlier source",
        "sources[3].id: 'com1' is a name Windows keeps for a device (it names a folder of the site); choose another",
        "themes: unknown key",
    ]


def test_missing_site_table_names_the_required_keys():
    assert problems_of({}) == ["site.base_url: is required", "site.title: is required"]


@pytest.mark.parametrize("permalink, message", [
    ("{year}/{id}.html", "must start with /"),
    ("/{year}/{slug}.html", "unknown placeholder {slug}"),
    ("/{year}/{month}.html", "must contain {id}"),
    ("/{id}.htm", "must end in .html or /"),
])
def test_permalink_problems(permalink, message):
    [found] = problems_of({"site": {**GOOD_SITE, "permalink": permalink}})
    assert found.startswith("site.permalink: ") and message in found


def test_variant_problems():
    found = problems_of({"site": {**GOOD_SITE, "default_variant": "zh-Hant"},
                         "variants": {"zh-Hans": {"path": "hans"}, "english": {}, "zh-TW": {"path": "/x/"},
                                      "zh-HK": {"path": "/x/", "label": 3}}})
    assert "variants.english: name must be a Chinese language tag: zh-Hans, zh-Hant, zh-TW, zh-HK ..." in found
    assert "variants.zh-Hans.path: must be a URL path like /zh-hant/, not 'hans'" in found
    assert "variants.zh-HK.label: must be a string, not 3" in found
    assert "variants.zh-TW.path: same place as variants.zh-HK; give each its own path or base_url" in found
    assert "site.default_variant: 'zh-Hant' is not one of the [variants]" in found


def test_unknown_time_zone_is_reported():
    [found] = problems_of({"site": {**GOOD_SITE, "timezone": "Asia/Taibei"}})
    assert found.startswith("site.timezone: unknown time zone 'Asia/Taibei'")


def test_source_timezone_defaults_to_the_sites():
    config = parse_config({"site": {**GOOD_SITE, "timezone": "Asia/Shanghai"},
                           "sources": [{"id": "a", "name": "A", "url": "a.xml"},
                                       {"id": "b", "name": "B", "url": "b.xml", "timezone": "Europe/Berlin"}]},
                          Path("."))
    assert [s.timezone for s in config.sources] == ["Asia/Shanghai", "Europe/Berlin"]


def test_a_feed_address_may_hold_a_query_and_the_site_address_may_not():
    config = parse_config({"site": GOOD_SITE, "sources": [
        {"id": "a", "name": "A", "url": "https://example.org/index.php?format=rss&cat=3"}]}, Path("."))
    assert config.sources[0].url == "https://example.org/index.php?format=rss&cat=3"
    [found] = problems_of({"site": {**GOOD_SITE, "base_url": "https://news.example.org/?x=1"}})
    assert found.startswith("site.base_url: must not hold a query")
    [found] = problems_of({"site": GOOD_SITE, "sources": [{"id": "a", "name": "A", "url": "https://?q=1"}]})
    assert found.startswith("sources[0].url: not an http(s) URL")


def test_rights_and_health_settings_are_checked():
    problems = problems_of({"site": GOOD_SITE, "health": {"failing_runs": 0, "loud": True},
                            "sources": [{"id": "a", "name": "A", "url": "a.xml", "republish": "some",
                                         "summary_length": 0}]})
    assert problems == ["health.failing_runs: must be at least 1", "health.loud: unknown key",
                        "sources[0].republish: must be one of full, summary, title, not 'some'",
                        "sources[0].summary_length: must be at least 1"]


def test_config_is_immutable():
    config = parse_config({"site": GOOD_SITE}, Path("."))
    with pytest.raises(AttributeError):
        config.site.title = "改"  # type: ignore[misc]


def test_missing_and_broken_files_are_one_clear_line(tmp_path):
    with pytest.raises(ConfigError, match=r"sitegen.toml: not found"):
        load_config(tmp_path)
    (tmp_path / "sitegen.toml").write_text("[site]\ntitle = 3 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"sitegen.toml: not valid TOML: .*line 2"):
        load_config(tmp_path)


def test_a_control_character_in_any_text_is_named_not_published():
    """A NUL or other control character (\\u0000 in TOML) would make the site's own feeds unreadable."""
    assert problems_of({
        "site": {**GOOD_SITE, "title": "新聞\u0001網"},
        "sources": [{"id": "a", "name": "來源\u0000", "url": "https://a.example/rss", "include": ["好", "壞\u0008"]},
                    {"id": "b", "name": "乙", "url": "https://b.example/rss", "categories": {"World\u001f": "國際"}}],
    }) == [
        "site.title: holds the control character U+0001, which pages and feeds cannot carry; remove it",
        "sources[0].include: holds the control character U+0008, which pages and feeds cannot carry; remove it",
        "sources[0].name: holds the control character U+0000, which pages and feeds cannot carry; remove it",
        "sources[1].categories: holds the control character U+001F, which pages and feeds cannot carry; remove it",
    ]
