"""Outputs as producers: a new kind of output is one Producer, and the build treats it as its own
(kept while its key holds, made again when it changes, removed when no longer made)."""

from __future__ import annotations

import json

import pytest

import sitegen.build
import sitegen.pipeline
from sitegen.build import build
from sitegen.config import load_config
from sitegen.digests import digest
from sitegen.model import Output
from sitegen.outputs import kinds
from sitegen.outputs.produce import Producer, Run
from tests.helpers import article


class TitleIndex(Producer):
    """A JSON list of every article's id and title in each variant: the shape of a JSON feed or a
    search index, made from the whole site after the pages."""

    name = "title index"

    def finish(self, run: Run) -> None:
        for renderer in run.renderers:
            entries = [{"id": a.id, "title": renderer.summary(a).title} for a in run.site.articles]
            path = run.site.urls.output_file(f"{renderer.variant.path}titles.json", renderer.variant)
            run.group("title index", digest(entries), [path],
                      lambda e=entries, p=path: [Output(p, json.dumps(e, ensure_ascii=False).encode(), "titles")])


@pytest.fixture
def with_index(monkeypatch):
    monkeypatch.setattr(sitegen.pipeline, "producers", lambda: [*kinds.producers(), TitleIndex()])


def test_a_new_kind_of_output_is_made_in_every_variant_and_converted(make_site, with_index):
    root = make_site(files={"content/a.md": article(title="头发与皇后")})
    result = build(load_config(root))
    assert not result.report.failed
    assert json.loads((root / "public/zh-hans/titles.json").read_text()) == [{"id": "a1", "title": "头发与皇后"}]
    assert json.loads((root / "public/zh-hant/titles.json").read_text()) == [{"id": "a1", "title": "頭髮與皇后"}]
    assert "titles.json" in "".join(result.cache.pages)  # recorded like every output


def test_it_is_kept_while_its_key_holds_and_made_again_when_it_changes(make_site, with_index):
    root = make_site(files={"content/a.md": article()})
    build(load_config(root))
    index = root / "public/zh-hans/titles.json"
    before = index.stat().st_mtime_ns
    (root / "content/a.md").write_text(article(body="只改了正文。"), encoding="utf-8")
    again = build(load_config(root))
    assert again.report.counts["files written"] > 0  # the article's pages
    assert index.stat().st_mtime_ns == before  # its title did not change: the index is kept
    (root / "content/b.md").write_text(article(id="b2", title="第二篇"), encoding="utf-8")
    build(load_config(root))
    assert [e["id"] for e in json.loads(index.read_text())] == ["a1", "b2"]


def test_a_kind_no_longer_made_has_its_files_removed(make_site, monkeypatch):
    root = make_site(files={"content/a.md": article()})
    monkeypatch.setattr(sitegen.pipeline, "producers", lambda: [*kinds.producers(), TitleIndex()])
    build(load_config(root))
    assert (root / "public/zh-hant/titles.json").exists()
    monkeypatch.setattr(sitegen.pipeline, "producers", kinds.producers)
    monkeypatch.setattr(sitegen.build, "code_version", lambda: "a version without TitleIndex")
    result = build(load_config(root))
    assert not (root / "public/zh-hant/titles.json").exists()
    assert result.report.counts["removed"] == 2


def test_every_producer_has_a_name_of_its_own():
    names = [p.name for p in kinds.producers()]
    assert len(names) == len(set(names)) and all(names)
