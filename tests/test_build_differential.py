"""An incremental build always writes what a clean build writes: seeded random edits to a small site.

A site of ~30 articles (two sources, three categories, tags, both scripts, three stories a page so
that the lists shift) is edited step by step as a user would: a title, a date (the order changes; now
and then into the future, so the story waits, or onto another story's date), categories, tags, the
source (it is in the permalink), the summary, the body, the script it is written in, a draft flag
or a featured flag (which story leads the front page) set or cleared, a story added or deleted. After each edit the site is built in place, keeping its
.sitegen/ cache and public/ as a user's site does, and a fresh copy of it is built from nothing;
the two public/ trees must be the same, byte for byte.

    SITEGEN_DIFF_STEPS=200 SITEGEN_DIFF_SEED=7 pytest tests/test_build_differential.py

Steps alternate between the default (every core: a build of every page forks workers, one of a few
pages need not) and one process (workers=1), the clean build taking the other. An edited file gets
an mtime of its own in the past (as a save minutes ago would), or, one edit in four, keeps the mtime
of the save just now, which the build must not trust (the racy window); the test never sleeps.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sitegen.build import build
from sitegen.config import load_config
from tests.helpers import tree
from tests.golden import tree_differences

STEPS = int(os.environ.get("SITEGEN_DIFF_STEPS", "20"))
SEED = int(os.environ.get("SITEGEN_DIFF_SEED", "20240701"))
NOW = datetime(2024, 7, 1, tzinfo=timezone.utc)
"""What counts as now for every build: a story dated after it is scheduled (left out)."""

CONFIG = """\
[site]
title = "差分新聞"
base_url = "https://news.example.org/"
paginate = 3
permalink = "/{source}/{year}/{month}{day}/{id}.html"

[[sources]]
id = "wire"
name = "新华通讯"
url = "feeds/wire.xml"
category = "国际"
license = "转载请注明出处。"
editor = "王编辑"

[[sources]]
id = "radio"
name = "台灣廣播電台"
url = "feeds/radio.xml"
category = "財經"
license = "© 台灣廣播電台 版權所有。"
"""
SOURCES = ("wire", "radio")
CATEGORIES = ("国际", "財經", "科技")
TAGS = ("选举", "氣候", "能源", "台灣", "经济", "體育", "发布会")
ZONES = (timezone.utc, timezone(timedelta(hours=8)), timezone(timedelta(hours=-5)))
PLACES = ("台北", "北京", "香港", "东京", "柏林", "华盛顿", "高雄", "上海")
EVENTS = ("发布新闻", "舉行選舉", "气候会议", "能源價格上漲", "股市回落", "颱風來襲", "科技展开幕", "头发与皇后")
SENTENCES = ("后天发布新闻，电台报导。", "政府表示將繼續觀察。", "据了解，会议将于下周举行。", "記者在現場看到大批民眾。",
             "专家认为，这一变化值得关注。", "“我们会尽快处理，”他说。", "「這是第一次，」她說。", "台灣的天氣很好。")
INITIAL_ARTICLES = 30
FEWEST, MOST = 6, 45


@dataclass(frozen=True)
class Story:
    """One article file's fields."""

    id: str
    title: str
    date: datetime
    source: str
    lang: str
    categories: tuple[str, ...]
    tags: tuple[str, ...] = ()
    summary: str = ""
    body: str = ""
    draft: bool = False
    featured: bool = False

    def text(self) -> str:
        meta = {"title": self.title, "date": self.date.isoformat(), "source": self.source, "lang": self.lang,
                "id": self.id, "source_url": f"https://origin.example/{self.id}", "author": "记者",
                "categories": list(self.categories)}
        meta |= {"tags": list(self.tags)} if self.tags else {}
        meta |= {"summary": self.summary} if self.summary else {}
        meta |= {"draft": True} if self.draft else {}
        meta |= {"featured": True} if self.featured else {}
        front = "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in meta.items())
        return f"---\n{front}---\n\n{self.body}\n"


@dataclass
class Site:
    """The site being edited: its folder, its stories by id, and the mtimes handed out so far."""

    root: Path
    rng: random.Random
    stories: dict[str, Story] = field(default_factory=dict)
    next_id: int = 0
    clock: float = field(default_factory=lambda: time.time() - 86_400)

    def path(self, story: Story) -> Path:
        return self.root / "content" / f"{story.id}.md"

    def write(self, story: Story) -> None:
        """Write the story's file; mostly dated a moment later than any before (settled), sometimes
        left with the mtime of this very moment (not settled: the build must read it again)."""
        self.stories[story.id] = story
        path = self.path(story)
        path.write_text(story.text(), encoding="utf-8")
        if self.rng.random() < 0.75:
            self.clock += 1
            os.utime(path, (self.clock, self.clock))

    def new_story(self) -> Story:
        self.next_id += 1
        return Story(id=f"s{self.next_id:03d}", title=self.title(), date=self.date(), source=self.rng.choice(SOURCES),
                     lang=self.rng.choice(("zh-Hans", "zh-Hant")), categories=self.categories(), tags=self.tags(),
                     summary=self.summary(), body=self.body())

    # random field values

    def title(self) -> str:
        return f"{self.rng.choice(PLACES)}{self.rng.choice(EVENTS)}{self.rng.randrange(100)}"

    def date(self) -> datetime:
        roll = self.rng.random()
        if roll < 0.1 and self.stories:  # the very moment of another story: the order must still hold
            return self.rng.choice(list(self.stories.values())).date
        start = datetime(2024, 1, 1, tzinfo=timezone.utc)
        days = 190 if roll < 0.2 else 181  # a few land after NOW (scheduled)
        moment = start + timedelta(minutes=self.rng.randrange(days * 24 * 60))
        return moment.astimezone(self.rng.choice(ZONES))

    def categories(self) -> tuple[str, ...]:
        return tuple(self.rng.sample(CATEGORIES, 2 if self.rng.random() < 0.2 else 1))

    def tags(self) -> tuple[str, ...]:
        return tuple(self.rng.sample(TAGS, self.rng.randrange(4)))

    def summary(self) -> str:
        return "" if self.rng.random() < 0.4 else self.rng.choice(SENTENCES)

    def body(self) -> str:
        paragraphs = ["".join(self.rng.sample(SENTENCES, self.rng.randrange(1, 4)))
                      for _ in range(self.rng.randrange(1, 4))]
        if self.rng.random() < 0.2:
            paragraphs.insert(1, f"## {self.rng.choice(EVENTS)}")
        return "\n\n".join(paragraphs)

    # edits

    def edit(self) -> str:
        """Make one random edit; what it was, in words."""
        kinds = ["title", "date", "date", "category", "tags", "source", "summary", "body", "lang", "draft",
                 "featured"]
        kinds += ["add"] * (len(self.stories) < MOST) + ["delete"] * (len(self.stories) > FEWEST)
        kind = self.rng.choice(kinds)
        if kind == "add":
            story = self.new_story()
            self.write(story)
            return f"add {story.id}: {story.text()!r}"
        story = self.stories[self.rng.choice(sorted(self.stories))]
        if kind == "delete":
            self.path(story).unlink()
            del self.stories[story.id]
            return f"delete {story.id}"
        changes = {"title": lambda: {"title": self.title()}, "date": lambda: {"date": self.date()},
                   "category": lambda: {"categories": self.categories()}, "tags": lambda: {"tags": self.tags()},
                   "source": lambda: {"source": SOURCES[1 - SOURCES.index(story.source)]},
                   "summary": lambda: {"summary": self.summary()}, "body": lambda: {"body": self.body()},
                   "lang": lambda: {"lang": "zh-Hant" if story.lang == "zh-Hans" else "zh-Hans"},
                   "draft": lambda: {"draft": not story.draft},
                   "featured": lambda: {"featured": not story.featured}}[kind]
        for _ in range(10):  # a random value may be the one it had
            fields = changes()
            changed = replace(story, **fields)
            if changed != story:
                break
        self.write(changed)
        return f"{kind} of {story.id}: " + ", ".join(
            f"{key} {shown(getattr(story, key))} -> {shown(value)}" for key, value in fields.items())


def shown(value: object) -> str:
    return value.isoformat() if isinstance(value, datetime) else repr(value)


def make_site(root: Path, rng: random.Random) -> Site:
    (root / "content").mkdir(parents=True)
    (root / "sitegen.toml").write_text(CONFIG, encoding="utf-8")
    site = Site(root, rng)
    for _ in range(INITIAL_ARTICLES):
        site.write(site.new_story())
    return site


def clean_build(site: Path, into: Path, workers: int | None) -> dict[str, bytes]:
    """A fresh copy of the site's config and content, built from nothing (no cache, empty output)."""
    into.mkdir()
    shutil.copy2(site / "sitegen.toml", into)
    shutil.copytree(site / "content", into / "content")
    result = build(load_config(into), into / "public", save=False, now=NOW, workers=workers)
    assert not result.report.failed, result.report.problems
    built = tree(into / "public")
    shutil.rmtree(into)
    return built


def test_incremental_builds_match_clean_builds_after_random_edits(tmp_path):
    rng = random.Random(SEED)
    site = make_site(tmp_path / "site", rng)
    history = ["the first build"]
    for step in range(STEPS + 1):
        if step:
            history.append(site.edit())
        workers = (None, 1)[step % 2]  # the first build, of every page, on every core
        incremental = build(load_config(site.root), now=NOW, workers=workers)
        assert not incremental.report.failed, incremental.report.problems
        expected = clean_build(site.root, tmp_path / "clean", workers=(1, None)[step % 2])
        differences = tree_differences(expected, tree(site.root / "public"))
        assert not differences, (
            f"seed {SEED}, step {step} of {STEPS} (workers={workers}): after {history[-1]}\n"
            f"the incremental build differs from a clean build (expected = clean):\n{differences}\n\n"
            "the edits so far (the last 25):\n" +
            "\n".join(f"{i:4}: {edit}" for i, edit in list(enumerate(history))[-25:]) +
            f"\n\nagain: SITEGEN_DIFF_SEED={SEED} SITEGEN_DIFF_STEPS={step} "
            "pytest tests/test_build_differential.py")
