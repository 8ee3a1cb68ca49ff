"""`sitegen serve` makes the search index in the background: a save is built and the browser told
without waiting for Pagefind, and the index follows a moment later, with no reload of its own."""

from __future__ import annotations

import json

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
