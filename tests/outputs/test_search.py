"""The search producer (outputs/search.py) on the demo site: an index per variant beside its pages,
made again only when an article page changed, byte-identical from build to build, gone with
`--no-search`, and a missing Pagefind is one clear line that keeps the last index."""

from __future__ import annotations

import json
import os
import tempfile
import threading
import time
from pathlib import Path

import pytest

from sitegen.build import build
from sitegen.config import load_config
from sitegen.outputs import search
from tests.helpers import copy_demo_site, sitegen, tree

BUNDLE = ("zh-hans/pagefind/", "zh-hant/pagefind/")


def index_files(public) -> dict[str, bytes]:
    return {path: data for path, data in tree(public).items() if path.startswith(BUNDLE)}


def no_pagefind(*_args, **_kwargs):
    raise AssertionError("Pagefind ran")


def test_each_variant_has_its_index_search_page_and_header_box(demo_site):
    result = build(load_config(demo_site))
    assert not result.report.failed, result.report.problems
    public = demo_site / "public"
    for variant, language in (("zh-hans", "zh-hans"), ("zh-hant", "zh-hant")):
        entry = json.loads((public / variant / "pagefind/pagefind-entry.json").read_text())
        assert list(entry["languages"]) == [language] and entry["languages"][language]["page_count"] == 14
        assert not [p for p in (public / variant / "pagefind").iterdir() if p.name.startswith("pagefind-ui")]
        page = (public / variant / "search/index.html").read_text(encoding="utf-8")
        assert "script-src 'self' 'wasm-unsafe-eval'" in page and f'data-bundle="/{variant}/pagefind/"' in page
        home = (public / variant / "index.html").read_text(encoding="utf-8")
        assert f'<form class="site-search" role="search" action="/{variant}/search/">' in home
        assert "wasm-unsafe-eval" not in home  # only the search page runs WebAssembly


def test_the_index_is_kept_while_no_article_page_changes(demo_site, monkeypatch):
    config = load_config(demo_site)
    build(config)
    before = index_files(demo_site / "public")
    (demo_site / "static/notes.txt").write_text("not a page", encoding="utf-8")
    monkeypatch.setattr(search, "_run_pagefind", no_pagefind)
    result = build(config)
    assert not result.report.failed, result.report.problems
    assert index_files(demo_site / "public") == before


def test_an_edited_article_makes_the_index_again_and_removes_the_old_files(demo_site):
    config = load_config(demo_site)
    build(config)
    before = index_files(demo_site / "public")
    article = next((demo_site / "content").rglob("*.md"))
    article.write_text(article.read_text(encoding="utf-8") + "\n新增一段獨特的詞：蘋果派。\n", encoding="utf-8")
    os.utime(article, (os.stat(article).st_atime, os.stat(article).st_mtime - 10))
    build(config)
    after = index_files(demo_site / "public")
    assert after != before
    gone = set(before) - set(after)
    assert gone and not [p for p in gone if (demo_site / "public" / p).exists()]


def test_two_builds_of_the_same_site_give_the_same_index_bytes(demo_site, tmp_path):
    other = copy_demo_site(tmp_path / "other")
    for root in (demo_site, other):
        assert sitegen("build", "--site", str(root)).returncode == 0
    assert index_files(demo_site / "public") == index_files(other / "public")
    assert len(index_files(other / "public")) > 20


def test_no_search_makes_no_index_page_or_box_and_removes_the_last_ones(demo_site):
    assert sitegen("build", "--site", str(demo_site)).returncode == 0
    assert index_files(demo_site / "public")
    done = sitegen("build", "--site", str(demo_site), "--no-search")
    assert done.returncode == 0, done.stderr
    public = demo_site / "public"
    assert not index_files(public) and not (public / "zh-hans/search").exists()
    assert "site-search" not in (public / "zh-hans/index.html").read_text(encoding="utf-8")
    config = demo_site / "sitegen.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("[site]\n", "[site]\nsearch = false\n", 1),
                      encoding="utf-8")
    assert sitegen("build", "--site", str(demo_site)).returncode == 0 and not index_files(public)


def test_without_pagefind_the_build_says_so_in_one_line_and_keeps_the_last_index(demo_site, monkeypatch):
    config = load_config(demo_site)
    build(config)
    before = index_files(demo_site / "public")
    article = next((demo_site / "content").rglob("*.md"))
    article.write_text(article.read_text(encoding="utf-8") + "\n補充。\n", encoding="utf-8")
    os.utime(article, (os.stat(article).st_atime, os.stat(article).st_mtime - 10))
    monkeypatch.setattr(search, "_executable", lambda: (_ for _ in ()).throw(FileNotFoundError("no binary")))
    result = build(config)
    errors = [f"{p.where}: {p.message}" for p in result.report.problems if p.level == "error"]
    assert len(errors) == 2 and all("Pagefind is not installed (no binary)" in e and "--no-search" in e
                                    and "the last index was kept" in e for e in errors), errors
    assert index_files(demo_site / "public") == before


@pytest.mark.parametrize("other", [b"", b"<html><body><p>no article</p></body></html>"])
def test_a_page_without_the_other_scripts_article_is_indexed_as_it_is(other):
    page = b"<html><body><article data-pagefind-body><h1>t</h1></article></body></html>"
    assert search.with_other_script(page, other) == page


def test_the_other_scripts_text_is_added_as_words_without_markup_or_pagefind_attributes():
    page = b"<html><body><article data-pagefind-body><h1>\xe9\xa0\xad</h1></article></body></html>"
    other = b'<article data-pagefind-body data-pagefind-filter="category:x"><h1>A</h1>' \
            b"<p>B &amp; C</p></article>"
    assert search.with_other_script(page, other).endswith(
        b"</article><div data-pagefind-body><p>A B &amp; C</p></div></body></html>")


def test_copy_of_the_site_is_what_is_indexed_not_public(demo_site, monkeypatch):
    """Pagefind reads a temporary copy (holding both scripts), never public/ itself."""
    seen = []
    real = search._run_pagefind
    monkeypatch.setattr(search, "_run_pagefind", lambda pages, bundle, *rest: (seen.append(pages), real(pages, bundle)))
    build(load_config(demo_site))
    assert len(seen) == 2 and not any(str(p).startswith(str(demo_site)) for p in seen)


@pytest.mark.parametrize("background, niceness", [(False, 0), (True, 15)])
def test_in_the_background_pagefind_yields_the_cpu_to_rebuilds(tmp_path, monkeypatch, background, niceness):
    fake = tmp_path / "pagefind"  # says how nice it was run, where Pagefind would write its bundle
    fake.write_text('#!/bin/sh\nwhile [ $# -gt 0 ]; do [ "$1" = --output-path ] && out="$2"; shift; done\n'
                    'mkdir -p "$out" && nice > "$out/niceness" && : > "$out/pagefind.js"\n', encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setattr(search, "_executable", lambda: str(fake))
    search._run_pagefind(tmp_path / "pages", tmp_path / "bundle", background=background)
    assert int((tmp_path / "bundle/niceness").read_text()) == os.nice(0) + niceness


def test_a_rebuild_for_a_save_leaves_the_index_keys_until_asked_after_the_pages_are_written(demo_site, monkeypatch):
    config = load_config(demo_site)
    build(config)
    before = index_files(demo_site / "public")
    asked: list[str] = []
    real = search.search_jobs
    monkeypatch.setattr(search, "search_jobs", lambda run: (asked.append("keys"), real(run))[1])
    article = sorted((demo_site / "content").rglob("*.md"))[0]
    article.write_text(article.read_text(encoding="utf-8") + "\n新增一段。\n", encoding="utf-8")
    result = build(config, search="later")
    assert not result.report.failed and asked == []  # the save's pages did not wait for the index keys
    assert index_files(demo_site / "public") == before  # the last index serves meanwhile
    jobs = result.search_jobs()
    assert asked == ["keys"] and {job.variant for job in jobs} == {"zh-Hans", "zh-Hant"}


def test_stopped_while_pagefind_runs_it_is_killed_and_the_copy_of_the_pages_removed(tmp_path, monkeypatch):
    fake = tmp_path / "pagefind"  # a Pagefind that never finishes, and says which process it is
    fake.write_text(f'#!/bin/sh\necho $$ > {tmp_path}/pid\nexec sleep 600\n', encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setattr(search, "_executable", lambda: str(fake))
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    job = search.SearchJob("zh-hant", "key", "zh-hant/pagefind/", (("/zh-hant/a.html", "zh-hant/a.html", ""),))
    stop = threading.Event()
    threading.Thread(target=_set_once_exists, args=(tmp_path / "pid", stop), daemon=True).start()
    with pytest.raises(search.SearchIndexError, match="stopped"):
        search.make_index(job, lambda path: b"<html><body><p>\xe6\x96\x87</p></body></html>", stop=stop)
    assert not Path(f"/proc/{(tmp_path / 'pid').read_text().strip()}").exists()
    assert list(temporary.iterdir()) == []


def _set_once_exists(path: Path, event: threading.Event) -> None:
    while not path.exists():
        time.sleep(0.01)
    event.set()
