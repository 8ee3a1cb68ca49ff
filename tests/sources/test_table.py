"""`sitegen sources list`: one row a source, columns aligned in a terminal, Chinese taking two."""

from __future__ import annotations

import pytest

from sitegen.cli import main
from sitegen.sources.table import sources_table, text_width
from tests.sources.helpers import run, sources_toml

SOURCES = (
    {"id": "bbc", "name": "BBC", "url": "https://feeds.bbci.co.uk/zhongwen/trad/rss.xml", "category": "國際",
     "script": "zh-Hant"},
    {"id": "rfa", "name": "自由亞洲電台 Radio Free Asia", "url": "https://www.rfa.org/mandarin/RSS",
     "republish": "summary"},
    {"id": "fw", "name": "ＦＵＬＬ　ｗｉｄｔｈ", "url": "feeds/fw.xml", "category": "科技 tech", "republish": "title"},
    {"id": "cafe", "name": "Cafe\u0301 news", "url": "https://cafe.example/rss", "category": "x"},
)


@pytest.mark.parametrize("text, width", [("", 0), ("abc", 3), ("中文", 4), ("ＦＵ", 4), ("Cafe\u0301", 4),
                                         ("臺灣 news", 9), ("a\u200bb", 2)])
def test_text_width_counts_terminal_columns(text, width):
    assert text_width(text) == width


def test_list_prints_every_source_with_its_settings(tmp_path, capsys):
    (tmp_path / "sitegen.toml").write_text(sources_toml(*SOURCES), encoding="utf-8")
    result = run(capsys, "sources", "list", "--site", str(tmp_path))
    assert result.status == 0 and result.err == ""
    lines = result.out.splitlines()
    assert lines[0].split() == ["id", "name", "category", "script", "republish", "url"]
    assert lines[1].split() == ["bbc", "BBC", "國際", "zh-Hant", "full", SOURCES[0]["url"]]
    assert lines[2].split() == ["rfa", "自由亞洲電台", "Radio", "Free", "Asia", "-", "auto", "summary",
                                SOURCES[1]["url"]]
    assert lines[3].split()[-3:] == ["auto", "title", "feeds/fw.xml"]


def cells(source: dict[str, str]) -> list[str]:
    """What the row of a SOURCES entry shows, column by column."""
    return [source["id"], source["name"], source.get("category", "-"), source.get("script", "auto"),
            source.get("republish", "full"), source["url"]]


def column_starts(line: str, row: list[str]) -> list[int]:
    """The terminal column where each cell of `row` starts in `line`."""
    starts, at = [], 0
    for cell in row:
        at = line.index(cell, at)
        starts.append(text_width(line[:at]))
        at += len(cell)
    return starts


def test_wide_characters_keep_the_columns_aligned(tmp_path, capsys):
    (tmp_path / "sitegen.toml").write_text(sources_toml(*SOURCES), encoding="utf-8")
    lines = run(capsys, "sources", "list", "--site", str(tmp_path)).out.splitlines()
    rows = [["id", "name", "category", "script", "republish", "url"], *(cells(s) for s in SOURCES)]
    starts = [column_starts(line, row) for line, row in zip(lines, rows, strict=True)]
    assert all(each == starts[0] for each in starts), "\n".join(lines)
    assert starts[0] == [0, 6, 36, 47, 56, 67]  # the widest name, 自由亞洲電台 Radio Free Asia, takes 28
    assert all(line == line.rstrip() for line in lines)


def test_a_name_with_a_line_break_stays_on_its_row(tmp_path):
    from sitegen.config import parse_config

    config = parse_config({"site": {"title": "t", "base_url": "https://t.example/"},
                           "sources": [{"id": "a", "name": "兩\n行", "url": "https://a.example/rss"}]}, tmp_path)
    assert len(sources_table(config.sources)) == 2


def test_a_site_without_sources_prints_the_headings_and_says_so(empty_site, capsys):
    result = run(capsys, "sources", "list", "--site", str(empty_site))
    assert result.status == 0
    assert result.out.split() == ["id", "name", "category", "script", "republish", "url"]
    assert "no sources in sitegen.toml" in result.err


@pytest.mark.parametrize("where", ["before", "after", "current folder"])
def test_site_is_taken_before_or_after_the_action(where, new_site, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(new_site if where == "current folder" else tmp_path)
    args = {"before": ["sources", "--site", str(new_site), "list"],
            "after": ["sources", "list", "--site", str(new_site)],
            "current folder": ["sources", "list"]}[where]
    result = run(capsys, *args)
    assert result.status == 0 and "sample" in result.out


def test_site_given_twice_the_actions_wins(new_site, empty_site, capsys):
    result = run(capsys, "sources", "--site", str(empty_site), "list", "--site", str(new_site))
    assert "sample" in result.out


@pytest.mark.parametrize("action", ["list", "import", "export"])
def test_every_action_has_help_with_site_option(action, capsys):
    with pytest.raises(SystemExit) as exited:
        main(["sources", action, "--help"])
    assert exited.value.code == 0
    assert "--site DIR" in capsys.readouterr().out


def test_sources_without_an_action_says_what_to_do(capsys):
    result = run(capsys, "sources")
    assert result.status == 2 and "list, import FILE.opml, export" in result.err
