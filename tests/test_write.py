"""Keeping files in place (sitegen/write.py): a group of files (a story's pages in every
variant) is kept whole or not at all, and only files the last build recorded, still as written,
that no other output has taken."""

from __future__ import annotations

import pytest

from sitegen.errors import Report
from sitegen.model import Output
from sitegen.records import not_as_recorded
from sitegen.write import OutputWriter

GROUPS = {"intact": ("a/1.html", "b/1.html"), "edited": ("a/2.html", "b/2.html"),
          "taken": ("a/3.html", "b/3.html"), "gone": ("a/4.html", "b/4.html")}


@pytest.fixture
def written(tmp_path):
    """An output folder whose files a first writer wrote and recorded."""
    first = OutputWriter(tmp_path, Report())
    for paths in GROUPS.values():
        for path in paths:
            first.put(Output(path, f"<p>{path}</p>".encode(), "test"), key=f"key of {path}")
    first.finish()
    return tmp_path, first.records


@pytest.mark.parametrize("checked", [True, False], ids=["checked before", "looked at now"])
def test_a_group_is_kept_whole_or_not_at_all(written, checked):
    folder, records = written
    (folder / "b/2.html").write_text("<p>edited by hand</p>", encoding="utf-8")
    (folder / "a/4.html").unlink()
    writer = OutputWriter(folder, Report(), records, not_as_written=not_as_recorded(folder, records) if checked else None)
    assert writer.claim("b/3.html", "another page")
    left = writer.keep_each_if_intact(GROUPS, ["intact", "edited", "taken", "gone", "unknown"], "article.html")
    assert left == {"edited", "taken", "gone", "unknown"}
    assert set(writer.records) == {"a/1.html", "b/1.html"} and writer.unchanged == 2
    assert {path: writer.owners[path] for path in GROUPS["intact"]} == dict.fromkeys(GROUPS["intact"], "article.html")
    assert "a/2.html" not in writer.owners and "a/3.html" not in writer.owners


def test_groups_all_intact_are_all_kept_and_a_file_is_kept_once(written):
    folder, records = written
    writer = OutputWriter(folder, Report(), records, not_as_written=not_as_recorded(folder, records))
    assert writer.keep_each_if_intact(GROUPS, ["intact", "edited"], "article.html") == set()
    assert set(writer.records) == {*GROUPS["intact"], *GROUPS["edited"]} and writer.unchanged == 4
    # a file two groups name is one group's: the other is left to be planned
    again = OutputWriter(folder, Report(), records, not_as_written=frozenset())
    shared = {"first": ("a/1.html",), "second": ("a/1.html", "b/1.html")}
    assert again.keep_each_if_intact(shared, ["first", "second"], "article.html") == {"second"}
    assert set(again.records) == {"a/1.html"} and again.owners == {"a/1.html": "article.html"}
