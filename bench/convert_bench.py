"""Conversion benchmark on real news text: round-trip fidelity and throughput.

    .venv/bin/python bench/convert_bench.py [--fixtures ../shared/fixtures]

Corpus: the Taiwan Big5 feeds and the sample article (Traditional), and the
GB2312/UTF-8 mainland feeds (Simplified), read through sitegen's own feed parser.
Prints characters that differ after Hant -> Hans -> Hant (and Hans -> Hant -> Hans)
per 10,000 Han characters, for sitegen's layer with the default glossary and for
bare OpenCC (t2s + s2tw), and throughput in MB/s of UTF-8 text, measured in the same run:
sitegen's whole layer, bare OpenCC, and OpenCC with sitegen's rules alone (Simplified text
kept within words, 著 -> 着), on article-sized texts.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sitegen.config import parse_config  # noqa: E402
from sitegen.convert.boundaries import within_words  # noqa: E402
from sitegen.convert.glossary import site_terms  # noqa: E402
from sitegen.convert.opencc import Converters  # noqa: E402
from sitegen.convert.particle import particle_zhe  # noqa: E402
from sitegen.fetch.clean import html_to_text  # noqa: E402
from sitegen.fetch.http import read_local  # noqa: E402
from sitegen.fetch.parse import parse_feed  # noqa: E402

HANT_FEEDS = ["chardet/Big5/coolloud.org.tw.xml", "chardet/Big5/ebao.us.xml", "chardet/Big5/sinica.edu.tw.xml"]
HANS_FEEDS = ["chardet/GB2312/acnnewswire.net.xml", "chardet/GB2312/cnblog.org.xml", "chardet/GB2312/softsea.net.xml",
              "chardet/GB2312/w3cn.org.xml", "rss-parser/encoding-gb2312.xml", "feeder/rss_geekpark.xml",
              "wechat-feeds/caixin_MjY2NzgwMjU0MA.xml", "wechat-feeds/thepaper_MjM5MzI5NTU3MQ.xml"]
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def articles(fixtures: Path, feeds: list[str]) -> list[str]:
    texts = []
    for name in feeds:
        feed = parse_feed(read_local(str(fixtures / "feeds-zh" / name), Path("."), 10**8), "Asia/Taipei",
                           datetime(2026, 1, 1, tzinfo=timezone.utc))
        texts += [html_to_text(f"{e.title}\n{e.content_html or e.summary_html}") for e in feed.entries]
    return [t for t in texts if HAN.search(t)]


def differing(original: str, back: str) -> int:
    if len(original) != len(back):
        return sum(a != b for a, b in zip(original, back)) + abs(len(original) - len(back))
    return sum(a != b for a, b in zip(original, back))


def round_trip(texts: list[str], there, back) -> float:  # noqa: ANN001 - text -> text callables
    han = sum(len(HAN.findall(t)) for t in texts)
    return 10_000 * sum(differing(t, back(there(t))) for t in texts) / han


def as_articles(texts: list[str], size: int = 4096) -> list[str]:
    """Texts joined into article-sized documents (~4 KB, as in bench/make_corpus): the build
    converts one article's text in one call, so that is the unit both sides are timed on."""
    documents, current = [], ""
    for text in texts:
        current += text + "\n\n"
        if len(current.encode()) >= size:
            documents.append(current)
            current = ""
    return documents + ([current] if current else [])


def throughputs(texts: list[str], converters: dict) -> dict[str, tuple[float, float]]:
    """MB/s of each converter over the texts as article-sized documents: (first round, best of 20).
    The converters take turns within each round, so a slow spell of the machine hits all alike;
    the first round is the one where a converter has remembered nothing yet."""
    texts = as_articles(texts)
    size = sum(len(t.encode()) for t in texts)
    rounds: dict[str, list[float]] = {name: [] for name in converters}
    for _ in range(20):
        for name, convert in converters.items():
            start = time.perf_counter()
            for text in texts:
                convert(text)
            rounds[name].append(time.perf_counter() - start)
    return {name: (size / seconds[0] / 1e6, size / min(seconds) / 1e6) for name, seconds in rounds.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fixtures", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "fixtures")
    args = parser.parse_args()
    config = parse_config({"site": {"title": "t", "base_url": "https://a.example/"}}, Path("."))
    converters = Converters(site_terms(Path("."), config.glossary.presets))
    hans_v, hant_v = config.variant("zh-Hans"), config.variant("zh-Hant")
    ours = {"to_hans": converters.for_variant(hans_v, "zh-Hant"), "to_hant": converters.for_variant(hant_v, "zh-Hans")}
    bare = {"to_hans": converters.get("t2s"), "to_hant": converters.get("s2tw")}
    hant = articles(args.fixtures, HANT_FEEDS) + [(args.fixtures.parent / "samples" /
                                                   "aboluowang-2023-0915-1954134.txt").read_text(encoding="utf-8")]
    hans = articles(args.fixtures, HANS_FEEDS)
    print(f"corpus: {len(hant)} Traditional texts ({sum(len(HAN.findall(t)) for t in hant):,} Han), "
          f"{len(hans)} Simplified texts ({sum(len(HAN.findall(t)) for t in hans):,} Han)")
    for name, layer in (("sitegen", ours), ("bare OpenCC", bare)):
        hant_rt = round_trip(hant, layer["to_hans"], layer["to_hant"])
        hans_rt = round_trip(hans, layer["to_hant"], layer["to_hans"])
        print(f"{name:12} round trip, differing chars per 10,000 Han: Hant->Hans->Hant {hant_rt:6.1f}, "
              f"Hans->Hant->Hans {hans_rt:6.1f}")
    fresh = Converters(site_terms(Path("."), config.glossary.presets))  # nothing remembered yet
    uncached = {key: (lambda c: lambda t: c._convert_joined_uncached(t))(c)
                for key, c in {"to_hans": fresh.for_variant(hans_v, "zh-Hant"),
                               "to_hant": fresh.for_variant(hant_v, "zh-Hans")}.items()}
    engines = {"to_hant": within_words(fresh.get("s2tw")), "to_hans": particle_zhe(fresh.get("t2s"))}
    for direction, texts in (("to_hant", hans), ("to_hans", hant)):
        speed = throughputs(texts, {"bare": bare[direction], "sitegen": uncached[direction],
                                    "rules": engines[direction]})
        for label, n in (("first round", 0), ("best of 20", 1)):
            bare_speed, ours, rules = speed["bare"][n], speed["sitegen"][n], speed["rules"][n]
            print(f"throughput {direction}, {label}: sitegen {ours:5.1f} MB/s, bare OpenCC {bare_speed:5.1f} MB/s "
                  f"({bare_speed / ours:.1f}x the time); OpenCC with sitegen's rules alone {rules:5.1f} MB/s "
                  f"({bare_speed / rules:.1f}x)")


if __name__ == "__main__":
    main()
