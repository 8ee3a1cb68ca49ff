"""Site search in real headless Chromium, on the built demo site: a two-character word typed into
the header's search box, in either script, on either variant's home page, finds the story, linked
in the reader's own script — at the host's root and from a sub-path, under the theme's
Content-Security-Policy (a blocked script or WebAssembly shows as a console error)."""

from __future__ import annotations

import http.server
import re
import shutil
from functools import partial
from pathlib import Path

import pytest

from tests.feedserver import running
from tests.helpers import copy_demo_site, sitegen

# (the story's id, a word of its title in Simplified, the same word in Traditional)
STORIES = [("2031457", "台风", "颱風"), ("5550213", "伦敦", "倫敦")]
TITLE = re.compile(r'<h1>([^<]*)</h1>')


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib hook name
        pass


def built_demo(tmp_path: Path, sub_path: str) -> tuple[Path, Path]:
    """The demo site built for `https://news.example.org/<sub_path>`: (its public/, the folder to
    serve, which holds public/ under the sub-path)."""
    root = copy_demo_site(tmp_path / "demo")
    config = root / "sitegen.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r'(?m)^base_url = "[^"]*"', f'base_url = "https://news.example.org/{sub_path}"', text,
                             count=1), encoding="utf-8")
    done = sitegen("build", "--site", str(root))
    assert done.returncode == 0, done.stderr
    served = tmp_path / "served"
    shutil.copytree(root / "public", served / sub_path)
    return root / "public", served


def own_page(public: Path, variant: str, story: str) -> tuple[str, str]:
    """(the story's page path on the variant, its title there)."""
    [page] = [p for p in (public / variant).rglob(f"{story}.html")]
    return "/" + page.relative_to(public).as_posix(), TITLE.search(page.read_text(encoding="utf-8")).group(1)


@pytest.mark.parametrize("sub_path", ["", "news/"])
def test_a_word_in_either_script_finds_the_story_in_the_readers_script(open_page, tmp_path, sub_path):
    public, served = built_demo(tmp_path, sub_path)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(served)))
    with running(server) as base:
        site = base.rstrip("/") + "/" + sub_path
        page, watch = open_page()
        for variant in ("zh-hans", "zh-hant"):
            for story, hans_word, hant_word in STORIES:
                path, title = own_page(public, variant, story)
                for word in (hans_word, hant_word):
                    page.goto(site + f"{variant}/")
                    page.fill(".site-search input[name=q]", word)
                    page.press(".site-search input[name=q]", "Enter")
                    page.wait_for_selector(".search-results li", timeout=20_000)
                    found = page.eval_on_selector_all(
                        ".search-results h2 a", "links => links.map(a => [a.textContent, a.pathname])")
                    assert [title, "/" + sub_path + path.lstrip("/")] in [list(f) for f in found], \
                        f"{word} on {variant}: {found}"
                    assert all(href.startswith(f"/{sub_path}{variant}/") for _, href in found), found
                    assert page.eval_on_selector("h1", "h => h.closest('main') !== null")
        assert watch.problems == []


def test_the_filters_narrow_the_results_and_the_query_follows_the_script_switch(open_page, tmp_path):
    public, served = built_demo(tmp_path, "")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(served)))
    with running(server) as base:
        page, watch = open_page()
        page.goto(base.rstrip("/") + "/zh-hant/search/?q=" + "傳統")
        page.wait_for_selector(".search-results li", timeout=20_000)
        everywhere = page.eval_on_selector_all(".search-meta", "ps => ps.map(p => p.textContent)")
        sources = page.eval_on_selector_all("select[name=source] option", "os => os.map(o => o.value)")
        assert len(sources) > 2 and sources[0] == ""  # "all sources", then each source
        assert len({m.split(" · ")[-1] for m in everywhere}) > 1, everywhere  # the filter has work to do
        page.select_option("select[name=source]", "BBC中文")
        page.wait_for_function("location.search.includes('source=')")
        page.wait_for_selector(".search-results li", timeout=20_000)
        meta = page.eval_on_selector_all(".search-meta", "ps => ps.map(p => p.textContent)")
        assert meta and all(m.endswith("BBC中文") for m in meta) and len(meta) < len(everywhere), meta
        switch = page.eval_on_selector(".script-switch a", "a => a.href")
        assert "/zh-hans/search/" in switch and "q=" in switch
        assert watch.problems == []
