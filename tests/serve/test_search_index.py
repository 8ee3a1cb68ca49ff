"""`sitegen serve` makes the search index in the background: a save is built and the browser told
without waiting for Pagefind, and the index follows a moment later, with no reload of its own."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Callable

from tests.serve.helpers import ARTICLE_FILE, OLD_SENTENCE, SitegenServe, tracebacks


def test_the_index_is_made_after_the_reload_never_before_it(demo_site):
    entry = demo_site / "public/zh-hant/pagefind/pagefind-entry.json"
    with SitegenServe(demo_site) as server:
        server.wait_for_line(r"^search index written in ", timeout=60)
        assert json.loads(entry.read_text())["languages"]["zh-hant"]["page_count"] >= 14
        status, _, body = server.get("/zh-hant/search/")
        assert status == 200 and b"wasm-unsafe-eval" in body
        mark = server.mark()
        article = demo_site / ARTICLE_FILE
        article.write_text(article.read_text(encoding="utf-8").replace(OLD_SENTENCE, "搜尋測試新句子。", 1),
                           encoding="utf-8")
        rebuilt = server.wait_for_line(r"^rebuilt in ", since=mark, timeout=30)
        written = server.wait_for_line(r"^search index written in ", since=mark, timeout=60)
        said = server.lines[mark:]
        assert said.index(rebuilt) < said.index(written)
        # the index's own build told the browser nothing: one reload, for the save
        assert sum(line.startswith("rebuilt in ") for line in said) == 1, said
    assert tracebacks(server.lines) == []


def test_stopped_while_indexing_it_leaves_no_pagefind_running_and_no_copy_of_the_pages(demo_site, tmp_path):
    """Stopped as a service manager stops it (SIGTERM) while the first index is being made: Pagefind
    is killed and the temporary copy of the pages it reads is removed."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    with SitegenServe(demo_site, env={"TMPDIR": str(temporary)}) as server:
        indexing = _wait_for(lambda: list(temporary.glob("sitegen-search-*")))
        assert indexing, "the index is made in the background from the start"
        server.process.terminate()
        assert server.process.wait(timeout=30) == 0
    assert "stopped" in server.lines
    assert list(temporary.iterdir()) == []
    assert _processes_naming(str(temporary)) == []
    assert tracebacks(server.lines) == []


def _wait_for(found: Callable[[], list], seconds: float = 60) -> list:
    deadline = time.monotonic() + seconds
    while not (result := found()) and time.monotonic() < deadline:
        time.sleep(0.005)
    return result


def _processes_naming(text: str) -> list[str]:
    """The command lines of running processes that name `text` (Pagefind is given its folders)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            line = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if text in line:
            found.append(line)
    return found
