"""Pages made on every core are byte for byte the pages one process makes."""

from __future__ import annotations

import threading

import pytest

import sitegen.content.store
import sitegen.outputs.parallel
from sitegen.build import build
from sitegen.cache import BuildCache
from sitegen.config import load_config
from tests.helpers import article, tree

CATEGORIES = ["国际", "財經", "科技", "社會"]
TAGS = ["选举", "氣候", "能源"]


def many_articles(n: int) -> dict[str, str]:
    files = {}
    for i in range(n):
        text = article(id=f"n{i:04d}", title=f"第{i}条新闻：台风与发布会", lang=("zh-Hans", "zh-Hant")[i % 2],
                       category=CATEGORIES[i % 4], body=f"正文第{i}段，“引语”在这里。\n\n第二段。")
        day = 1 + i % 28
        text = text.replace("2024-03-01T23:30", f"2024-{1 + i % 12:02d}-{day:02d}T{i % 24:02d}:{i % 60:02d}")
        files[f"content/s{i % 3}/n{i:04d}.md"] = text.replace("---\n\n", f"tags: [{TAGS[i % 3]}]\n---\n\n", 1)
    return files


@pytest.fixture
def forks(monkeypatch) -> list[str]:
    """Where a pool of worker processes was started (the pools themselves are real)."""
    started: list[str] = []
    for module in (sitegen.outputs.parallel, sitegen.content.store):
        real = module.forked_pool

        def counted(*args, real=real, name=module.__name__, **kwargs):
            started.append(name)
            return real(*args, **kwargs)

        monkeypatch.setattr(module, "forked_pool", counted)
    return started


def test_workers_make_the_same_bytes_as_one_process(make_site, tmp_path, forks):
    root = make_site(files=many_articles(520))
    config = load_config(root)
    one = build(config, tmp_path / "one", cache=BuildCache(), save=False, workers=1)
    assert forks == []
    two = build(config, tmp_path / "two", cache=BuildCache(), save=False, workers=2)
    assert sorted(set(forks)) == ["sitegen.content.store", "sitegen.outputs.parallel"]
    assert not one.report.failed and not two.report.failed
    assert tree(tmp_path / "one") == tree(tmp_path / "two")
    assert one.report.counts == two.report.counts


def test_no_worker_is_forked_while_other_threads_run(make_site, tmp_path, forks):
    """The preview server has threads: a fork could inherit a lock one of them holds."""
    root = make_site(files=many_articles(520))
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        result = build(load_config(root), tmp_path / "out", cache=BuildCache(), save=False, workers=2)
    finally:
        stop.set()
        other.join()
    assert forks == [] and not result.report.failed
    assert len(list((tmp_path / "out").rglob("n0519.html"))) == 2
