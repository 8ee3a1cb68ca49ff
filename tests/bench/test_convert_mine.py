"""bench/convert_mine.py finds what it says it finds, with the real converters, segmenter and zhconv-rs.

A site glossary that writes 面临 as 麵臨 (and 压力 as 壓力們) makes the site wrong on purpose, so the tests do not
depend on which words sitegen's conversion gets right today."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "convert_mine.py"
WRONG_GLOSSARY = '[[terms]]\nzh-Hans = "面临"\nzh-Hant = "麵臨"\n\n[[terms]]\nzh-Hans = "压力"\nzh-Hant = "壓力們"\n'


@pytest.fixture(scope="module")
def mine() -> ModuleType:
    spec = importlib.util.spec_from_file_location("convert_mine", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["convert_mine"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tools(mine: ModuleType):
    return mine.make_tools()


@pytest.fixture(scope="module")
def wrong_tools(mine: ModuleType, tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("site")
    (root / "glossary.toml").write_text(WRONG_GLOSSARY, encoding="utf-8")
    return mine.make_tools(root=root)


def rows(tally) -> dict[str, object]:
    return {row.source: row for row in tally.rows.values()}


def test_boundary_finds_a_phrase_across_two_words(mine: ModuleType, tools) -> None:
    _, _, boundary = mine.mine_corpus(mine.Corpus("t", "zh-Hans", ("经济发展和面临的挑战",)), tools)
    row = rows(boundary)["和|面临"]
    assert row.readings["phrase"] == "和面"
    assert (row.readings["whole"], row.readings["by word"]) == ("和麵臨", "和面臨")
    assert row.readings["zhconv"] == "和面臨"
    agrees = row.readings["site"] == row.readings["zhconv"]
    assert row.verdict == ("site agrees with zhconv" if agrees else "site differs from zhconv")
    assert row.count == 1 and row.contexts == ["经济发展[和面临]的挑战"]


def test_boundary_is_only_mined_in_simplified_text(mine: ModuleType, tools) -> None:
    _, _, boundary = mine.mine_corpus(mine.Corpus("t", "zh-Hant", ("經濟發展和面臨的挑戰",)), tools)
    assert not boundary.rows


def test_zhconv_disagreements_are_grouped_by_word(mine: ModuleType, wrong_tools) -> None:
    texts = ("我们面临的挑战很多。", "公司仍然面临困难。")
    stats, zhconv, _ = mine.mine_corpus(mine.Corpus("t", "zh-Hans", texts), wrong_tools)
    row = rows(zhconv)["面临"]
    assert row.readings == {"site": "麵臨", "zhconv": "面臨"}
    assert row.count == 2 and row.verdict == ""
    assert row.contexts == ["我们[面临]的挑战很多。", "公司仍然[面临]困难。"]
    assert stats.zhconv_chars == 2 and stats.zhconv_places == 2 and stats.zhconv_distinct == 1


def test_regional_vocabulary_is_told_apart(mine: ModuleType, tools) -> None:
    text = ("我们讨论软件。",)
    _, zhconv, _ = mine.mine_corpus(mine.Corpus("t", "zh-Hans", text), tools)
    assert rows(zhconv)["软件"].readings["zhconv"] == "軟體"
    assert rows(zhconv)["软件"].verdict == mine.VOCABULARY
    plain = mine.make_tools(targets={"zh-Hans": "zh-hant", "zh-Hant": "zh-hans"})
    assert "软件" not in rows(mine.mine_corpus(mine.Corpus("t", "zh-Hans", text), plain)[1])


def test_a_sentence_whose_length_changes_is_skipped(mine: ModuleType, wrong_tools) -> None:
    text = "互联网面临变化。我们面临压力。公司面临挑战。"
    stats, zhconv, _ = mine.mine_corpus(mine.Corpus("t", "zh-Hans", (text,)), wrong_tools)
    assert (stats.skipped_by_zhconv, stats.skipped_by_site) == (1, 1)  # zh-tw's 網際網路, the glossary's 壓力們
    assert stats.han == 19 and stats.han_compared == 6
    assert rows(zhconv)["面临"].count == 1 and rows(zhconv)["面临"].contexts == ["们面临压力。公司[面临]挑战。"]


def test_cedict_flags_the_pairs_the_site_writes_otherwise(mine: ModuleType, wrong_tools) -> None:
    pairs = [("面临", "面臨"), ("发", "發"), ("发", "髮"), ("头发", "頭髮"), ("挑战", "挑戰"), ("台", "臺")]
    counts, tally = mine.mine_cedict(pairs, wrong_tools, {"zh-Hans": ["面临面临", "台"]})
    found = {(row.direction, row.source): row for row in tally.rows.values()}
    assert found.keys() == {("Hans→Hant", "面临"), ("Hans→Hant", "台")}  # 发: 發 is one of CEDICT's forms
    error, variant = found["Hans→Hant", "面临"], found["Hans→Hant", "台"]
    assert error.readings == {"site": "麵臨", "CEDICT": "面臨", "zhconv": "面臨"}
    assert error.verdict == "likely a site error" and error.seen == 2
    assert variant.readings == {"site": "台", "CEDICT": "臺", "zhconv": "台"}
    assert variant.verdict == "probably CEDICT's variant"
    assert tally.ordered()[0] is error
    assert counts["Hans→Hant"] == {"pairs": 6, "forms": 5, "disagreements": 2, "likely a site error": 1,
                                   "probably CEDICT's variant": 1}
    assert counts["Hant→Hans"]["disagreements"] == 0


def test_command_line_on_a_site_is_deterministic(mine: ModuleType, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    content = tmp_path / "site" / "content" / "a"
    content.mkdir(parents=True)
    (content / "1.md").write_text("---\ntitle: t\nlang: zh-Hans\n---\n\n经济发展和面临的挑战。\n", encoding="utf-8")
    (content / "2.md").write_text("---\ntitle: t\nlang: zh-Hant\n---\n\n經濟發展和面臨的挑戰。\n", encoding="utf-8")
    outputs = []
    for run in ("1", "2"):
        mine.main(["--corpus", "site", str(tmp_path / "site"), "--limit", "5", "--json", str(tmp_path / f"{run}.json")])
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]
    assert (tmp_path / "1.json").read_bytes() == (tmp_path / "2.json").read_bytes()
    report = json.loads((tmp_path / "1.json").read_text(encoding="utf-8"))
    assert report["summary"][f"site {tmp_path / 'site'} Hans→Hant"]["han"] == 10
    assert report["summary"][f"site {tmp_path / 'site'} Hant→Hans"]["texts"] == 1
    assert [row["source"] for row in report["rows"]["boundary"]] == ["和|面临"]
    assert outputs[0].startswith("SUMMARY") and "BOUNDARY Hans→Hant: 1 rows" in outputs[0]
    assert "cedict" not in report["summary"] and not report["rows"]["cedict"]
