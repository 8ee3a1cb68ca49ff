"""What the `sitegen sources` tests share: their fixture files, and running the command."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from sitegen.cli import main

DATA = Path(__file__).resolve().parent / "data"
"""One OPML file per edge case, named for it."""

EMPTY_SITE = """\
# A site with no sources yet.
[site]
title = "空的新聞網"   # no feeds until an import
base_url = "https://empty.example/"
"""
"""A site's sitegen.toml with a [site] table, comments, and no sources."""


@dataclass(frozen=True)
class Run:
    status: int
    out: str
    err: str


def run(capsys: pytest.CaptureFixture[str], *args: str) -> Run:
    """`sitegen ARGS` in this process, with what it printed."""
    capsys.readouterr()
    status = main(list(args))
    captured = capsys.readouterr()
    return Run(status, captured.out, captured.err)


def sources_toml(*tables: dict[str, str], site_title: str = "來源測試") -> str:
    """A sitegen.toml holding these [[sources]] tables (string values only)."""
    def string(value: str) -> str:
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string

    lines = ["[site]", f"title = {string(site_title)}", 'base_url = "https://sources.example/"', ""]
    for table in tables:
        lines += ["[[sources]]", *(f"{key} = {string(value)}" for key, value in table.items()), ""]
    return "\n".join(lines)
