"""The build cache on disk: what is stored, what a small change rewrites, what damage does."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

from sitegen.build import build
from sitegen.cache import cache_dir, load_cache, load_shards, save_cache, shard_of
from sitegen.config import load_config
from sitegen.content.store import read_article
from sitegen.records import on_disk_as_recorded
from tests.helpers import article, edit_settled, settle


def stored(root: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in cache_dir(root / ".sitegen").iterdir()}


def test_no_cache_yet_is_an_empty_cache_without_complaint(tmp_path):
    cache = load_cache(tmp_path / "nothing here")
    assert (cache.files, cache.pages, cache.problem) == ({}, {}, "")


def test_the_cache_holds_every_article_without_its_body(make_site):
    root = make_site(files={f"content/{i}.md": article(id=f"x{i}", body=f"正文{i}") for i in range(5)})
    build(load_config(root))
    cache = load_shards(load_cache(cache_dir(root / ".sitegen")))
    assert sorted(cache.files) == [f"{i}.md" for i in range(5)]
    assert {cached.article.body for cached in cache.files.values()} == {""}
    assert {cached.article.title for cached in cache.files.values()} == {"头发与皇后"}
    assert len(cache.summaries) == 10 and cache.problem == ""


def test_stored_articles_come_back_equal_sharing_what_they_repeat(make_site):
    """Within a shard, a value many articles hold (their author, category, source, time zone) is
    stored and loaded once, and every article comes back equal to its file as read."""
    root = make_site(files={f"content/{i}.md": article(id=f"x{i}", title=f"标题{i}") for i in range(40)})
    build(load_config(root))
    cache = load_shards(load_cache(cache_dir(root / ".sitegen")))
    for path, cached in cache.files.items():
        as_read, _ = read_article(root / "content" / path, root / "content")
        assert cached.article == replace(as_read, body="")
    by_shard: dict[str, list] = {}
    for path, cached in cache.files.items():
        by_shard.setdefault(shard_of(path), []).append(cached.article)
    together = [articles for articles in by_shard.values() if len(articles) > 1]
    assert together
    for first, *others in together:
        for other in others:
            assert other.author is first.author and other.categories is first.categories
            assert other.date.tzinfo is first.date.tzinfo and other.title is not first.title


def test_one_changed_article_rewrites_a_small_part_of_the_cache(make_site):
    root = make_site(files={f"content/{i}.md": article(id=f"x{i}", body=f"正文{i}") for i in range(40)})
    settle(root)
    build(load_config(root))
    before = stored(root)
    edit_settled(root / "content/7.md", "正文7", "改过的正文7")
    build(load_config(root))
    after = stored(root)
    rewritten = sorted(name for name in after if after[name] != before.get(name))
    files_shard = [name for name in rewritten if name.startswith("files-")]
    assert len(files_shard) == 1
    # the article's last good text is stored beside its files shard
    assert files_shard[0].replace("files-", "bodies-") in rewritten
    assert "state.pickle" in rewritten and len(rewritten) <= 6  # state, files and bodies shards, two converted,
    # and the article pages' context prints
    assert "contexts.pickle" in rewritten
    # a body edit moves no page and no story: where the pages are and how the site is laid out stay stored
    assert "places.pickle" not in rewritten and "layout.pickle" not in rewritten
    (root / "content/new.md").write_text(article(id="x99", body="新的正文"), encoding="utf-8")
    settle(root)
    build(load_config(root))
    added = stored(root)
    assert added["places.pickle"] != after["places.pickle"] and added["layout.pickle"] != after["layout.pickle"]


def test_page_records_come_back_as_written_for_every_output_folder(make_site):
    """Stored in columns (a big site has hundreds of thousands): each record, of public/ and of
    another folder built from the same site, reads back equal, and an empty table stays empty."""
    root = make_site(files={f"content/{i}.md": article(id=f"x{i}", body=f"正文{i}") for i in range(3)})
    config = load_config(root)
    build(config, root / "elsewhere")
    build(config)
    cache = load_cache(cache_dir(root / ".sitegen"))
    elsewhere = cache.elsewhere[str(root / "elsewhere")][0]
    assert cache.pages and elsewhere and cache.pages.keys() == elsewhere.keys()
    for records, folder in ((cache.pages, root / "public"), (elsewhere, root / "elsewhere")):
        assert all(on_disk_as_recorded(folder, path, record) for path, record in records.items())
    cache.pages, cache.elsewhere = {}, {}
    save_cache(cache_dir(root / ".sitegen"), cache)
    again = load_cache(cache_dir(root / ".sitegen"))
    assert (again.pages, again.elsewhere, again.problem) == ({}, {}, "")


def test_the_state_alone_is_read_until_the_rest_is_asked_for(make_site):
    """A build with nothing to do decides from the small state file."""
    root = make_site(files={"content/a.md": article()})
    build(load_config(root))
    cache = load_cache(cache_dir(root / ".sitegen"))
    assert cache.pages and cache.files == {} and cache.summaries == {} and cache.names == {}
    loaded = load_shards(cache)
    assert sorted(loaded.files) == ["a.md"]
    assert loaded.names  # the converted taxonomy names, in a shard of their own


def test_last_good_bodies_come_back_exactly_as_read(make_site):
    """Stored as UTF-8 bytes, so that storing leaves no UTF-8 copy inside every article's text in
    memory (pickling a str keeps one for as long as it lives), and read back as the same text:
    characters beyond the BMP, and a lone surrogate."""
    bodies = {"a.md": "𠀀𪚥 正文 \U0001F600", "b.md": "孤立 \udcff 代理"}
    root = make_site(files={f"content/{path}": article(id=path[0], body="正文") for path in bodies})
    build(load_config(root))
    cache = load_shards(load_cache(cache_dir(root / ".sitegen")))
    cache.fresh_bodies = {path: (cache.files[path].digest, body) for path, body in bodies.items()}
    cache.saved = {}  # every shard written again
    sizes = {path: sys.getsizeof(body) for path, body in bodies.items()}  # counts a UTF-8 copy kept inside
    save_cache(cache_dir(root / ".sitegen"), cache)
    assert {path: sys.getsizeof(body) for path, body in bodies.items()} == sizes
    again = load_shards(load_cache(cache_dir(root / ".sitegen")))
    assert again.good_bodies({path: cached.digest for path, cached in again.files.items()}) == bodies
