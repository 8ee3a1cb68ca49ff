"""Fetch benchmark: N sources x M items from a loopback server, then an all-304 run.

    .venv/bin/python bench/fetch_bench.py [--sources 100] [--items 50]

Prints items/s for the first fetch (download, decode, parse, clean, convert-detect,
write) and the wall time of a second fetch where every feed answers 304.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sitegen.config import load_config  # noqa: E402
from sitegen.errors import Report  # noqa: E402
from sitegen.fetch.ingest import fetch_sources  # noqa: E402
from tests.feedserver import FeedServer  # noqa: E402

PHRASES = ["气象部门表示，台风将于后天登陆，沿海多地已发布暴雨预警。", "市政府宣布新地铁线路今天通车，沿线设有十五个车站。",
           "专家指出，今年的经济增长主要来自出口和消费的回升。", "图书馆延长开放时间，方便学生在暑假期间阅读和学习。",
           "当局呼吁民众支持防灾工作，并留意最新的天气信息。", "研究团队发布开源工具，让公众可以下载历史天气记录。"]


def make_feed(source: int, items: int, rng: random.Random) -> str:
    start = datetime(2025, 1, 1, tzinfo=timezone.utc)
    entries = []
    for i in range(items):
        body = "".join(f"<p>{''.join(rng.choices(PHRASES, k=3))}</p>" for _ in range(6))
        date = (start + timedelta(hours=source * items + i)).strftime("%a, %d %b %Y %H:%M:%S +0000")
        entries.append(f"<item><title>第{source}台 新闻 {i}：{rng.choice(PHRASES)[:16]}</title>"
                       f"<link>https://news{source}.example.com/a/{i}.html</link><pubDate>{date}</pubDate>"
                       f"<description><![CDATA[<figure><img src=\"/img/{i}.jpg\"><figcaption>图片说明 {i}</figcaption>"
                       f"</figure>{body}]]></description></item>")
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>来源 {source}</title>'
            f"<link>https://news{source}.example.com/</link>{''.join(entries)}</channel></rss>")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sources", type=int, default=100)
    parser.add_argument("--items", type=int, default=50)
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        feeds, site = Path(tmp, "feeds"), Path(tmp, "site")
        feeds.mkdir()
        (site / "content").mkdir(parents=True)
        for n in range(args.sources):
            (feeds / f"{n}.xml").write_text(make_feed(n, args.items, rng), encoding="utf-8")
        with FeedServer(feeds) as server:
            tables = "".join(f'[[sources]]\nid = "s{n}"\nname = "来源{n}"\nurl = "{server.url(f"{n}.xml")}"\n'
                             for n in range(args.sources))
            (site / "sitegen.toml").write_text(
                f'[site]\ntitle = "bench"\nbase_url = "https://bench.example/"\n{tables}', encoding="utf-8")
            config = load_config(site)
            for label in ("first fetch", "second fetch (all 304)"):
                report = Report()
                start = time.perf_counter()
                results = fetch_sources(config, report)
                seconds = time.perf_counter() - start
                stored = sum(r.new for r in results)
                statuses = {s: sum(r.status == s for r in results) for s in ("fetched", "not modified", "failed")}
                print(f"{label}: {seconds:.2f} s, {stored} new items, {stored / seconds:.0f} items/s, {statuses}")


if __name__ == "__main__":
    main()
