"""The converter process (sitegen/convert/elsewhere.py): what it answers is what this process would
make itself; gone, or asked from a forked worker, it leaves the conversion to the asker; a build
of a large site uses it for a few new articles and makes the same pages."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
from pathlib import Path

import pytest

import sitegen.build
import sitegen.outputs.parallel
import sitegen.pipeline
from sitegen.build import build
from sitegen.config import load_config
from sitegen.convert import elsewhere
from sitegen.convert.elsewhere import ConverterProcess
from sitegen.convert.glossary import site_terms
from sitegen.convert.opencc import Converters, converters_wanted
from tests.helpers import copy_demo_site, edit_settled, settle, tree

CONFIG = load_config(Path("."))
TERMS = site_terms(Path("."), CONFIG.glossary.presets)
# Phrases across words (一个|中国, 和|面临, 大陆|游客), whole glossary words (网络 in 网络安全, not
# 视频 in 电视频道 or 内存 in 国内|存款), quotes, an inline override, the particle 著 and 土著.
HANS = ["一个中国和面临大陆游客", "网络安全与电视频道，国内存款和内存。", "他说：“头发-{发}-后天发布。”"]
HANT = ["他看著土著跳舞，意味著發布會後天舉行。", "「網路安全」與記憶體"]
WANTED = converters_wanted(CONFIG)


def converted(converters: Converters) -> list[list[str]]:
    return [converters.for_variant(variant, source).convert_texts(texts)
            for variant in CONFIG.variants for source, texts in (("zh-Hans", HANS), ("zh-Hant", HANT))] + \
        [[converters.same_name(name) for name in ("國際", "国际", "軍政")]]


def started(*args) -> ConverterProcess:  # noqa: ANN002
    process = ConverterProcess(*args)
    process.begin()
    assert process.pid is not None
    return process


@pytest.fixture
def process(tmp_path):
    running = started(*WANTED, tmp_path / "phrases")
    yield running
    running.stop()


def test_its_answers_are_what_this_process_makes(process):
    assert converted(Converters(TERMS, process)) == converted(Converters(TERMS))
    assert process.answered > 0


def test_a_config_it_cannot_load_leaves_that_one_to_this_process():
    process = started(("s2xx", "t2s"), (("s2xx", "zh-Hans", "zh-Hant"),), None)
    try:
        assert process.ask(("opencc", "s2xx", "国际")) is None
        assert process.ask(("opencc", "t2s", "國際")) == "国际"
    finally:
        process.stop()


def test_once_it_is_gone_this_process_converts_as_it_would_have(process):
    there = Converters(TERMS, process)
    assert there.get("t2s")("國際") == "国际"
    answered = process.answered
    os.kill(process.pid, signal.SIGKILL)
    assert converted(there) == converted(Converters(TERMS))
    assert process.answered == answered


def _ask_from_a_fork(process: ConverterProcess) -> None:
    os._exit(0 if process.ask(("opencc", "t2s", "國際")) is None else 1)


def _ask_with_stdio_closed(tmp_path: Path) -> None:
    """In a build whose stdin and stdout are closed, the pipes are the lowest numbers free."""
    os.close(0)
    os.close(1)
    process = started(*WANTED, tmp_path / "phrases")
    try:
        os._exit(0 if process.ask(("opencc", "t2s", "國際")) == "国际" else 1)
    finally:
        os._exit(2)


def test_a_build_with_stdin_and_stdout_closed_is_answered(tmp_path):
    forked = multiprocessing.get_context("fork").Process(target=_ask_with_stdio_closed, args=(tmp_path,))
    forked.start()
    forked.join(120)
    assert forked.exitcode == 0


def test_a_process_forked_from_the_build_is_told_to_convert_itself(process):
    forked = multiprocessing.get_context("fork").Process(target=_ask_from_a_fork, args=(process,))
    forked.start()
    forked.join()
    assert forked.exitcode == 0
    assert process.ask(("opencc", "t2s", "國際")) == "国际"  # the pipe is the build's still


def test_a_new_article_converted_elsewhere_makes_the_pages_made_here(tmp_path, monkeypatch):
    sites = [copy_demo_site(tmp_path / name) for name in ("elsewhere", "here")]
    for site in sites:
        build(load_config(site))
        for name, lang, title, body in (("new-hans.md", "zh-Hans", HANS[0], "\n\n".join(HANS)),
                                        ("new-hant.md", "zh-Hant", HANT[0], "\n\n".join(HANT))):
            (site / "content" / "voa" / name).write_text(
                f'---\ntitle: {title}\ndate: "2024-05-01T08:00:00+08:00"\nsource: voa\nlang: {lang}\n'
                f"categories: [國際, 网络]\ntags: [新詞{lang}]\n---\n\n{body}\n", encoding="utf-8")
        settle(site)
    started = _spy_on_starts(monkeypatch)
    monkeypatch.setattr(sitegen.build, "CONVERT_ELSEWHERE_FROM", 1)
    report = build(load_config(sites[0])).report
    assert not report.failed and started and started[0].answered > 0
    monkeypatch.setattr(sitegen.build, "CONVERT_ELSEWHERE_FROM", 10**9)
    assert not build(load_config(sites[1])).report.failed and len(started) == 1
    assert tree(sites[0] / "public") == tree(sites[1] / "public")


def test_a_build_converting_many_articles_converts_them_itself(tmp_path, monkeypatch):
    site, clean = _built_and_edited(tmp_path / "many"), _built_and_edited(tmp_path / "clean")
    started = _spy_on_starts(monkeypatch)
    monkeypatch.setattr(sitegen.build, "CONVERT_ELSEWHERE_FROM", 0)
    monkeypatch.setattr(sitegen.pipeline, "FEW_TO_CONVERT", 0)  # one is many
    assert not build(load_config(site)).report.failed
    assert started and started[0].answered == 0 and started[0].pid is None
    assert tree(site / "public") == _built_clean(clean)


def test_a_build_asking_much_of_it_goes_on_converting_itself(tmp_path, monkeypatch):
    site, clean = _built_and_edited(tmp_path / "asking"), _built_and_edited(tmp_path / "clean")
    started = _spy_on_starts(monkeypatch)
    monkeypatch.setattr(sitegen.build, "CONVERT_ELSEWHERE_FROM", 0)
    monkeypatch.setattr(elsewhere, "MOST_ANSWERS", 2)
    assert not build(load_config(site)).report.failed
    assert started and started[0].answered == 2 and started[0].pid is None
    assert tree(site / "public") == _built_clean(clean)


def test_workers_forked_while_it_serves_convert_themselves_and_make_the_same_pages(tmp_path, monkeypatch):
    site, clean = _built_and_edited(tmp_path / "renamed"), _built_and_edited(tmp_path / "clean")
    for folder in (site, clean):  # every page made again, every article converted again, no file read
        config = folder / "sitegen.toml"
        config.write_text(config.read_text(encoding="utf-8").replace("自由新聞", "自由新聞網"), encoding="utf-8")
    started, forked = _spy_on_starts(monkeypatch), []
    real_pool = sitegen.outputs.parallel.forked_pool
    monkeypatch.setattr(sitegen.outputs.parallel, "forked_pool", lambda *args: forked.append(args) or real_pool(*args))
    monkeypatch.setattr(sitegen.build, "CONVERT_ELSEWHERE_FROM", 0)
    assert not build(load_config(site)).report.failed
    assert started and started[0].answered > 0 and forked
    assert tree(site / "public") == _built_clean(clean)


def test_a_build_with_no_article_changed_starts_none(tmp_path, monkeypatch):
    site = _built_and_edited(tmp_path / "demo")
    assert not build(load_config(site)).report.failed
    started = _spy_on_starts(monkeypatch)
    monkeypatch.setattr(sitegen.build, "CONVERT_ELSEWHERE_FROM", 0)
    assert not build(load_config(site)).report.failed  # nothing changed
    (site / "static" / "notice.txt").write_text("本站公告", encoding="utf-8")  # an input, not an article
    result = build(load_config(site))
    assert not result.report.failed and (site / "public" / "notice.txt").exists()
    assert not started
    edit_settled(site / "content" / "bbc" / "5538201.md", "四万", "四万多")
    assert not build(load_config(site)).report.failed
    assert started


def test_a_build_told_to_use_one_process_starts_no_other(tmp_path, monkeypatch):
    site = _built_and_edited(tmp_path / "demo")
    started = _spy_on_starts(monkeypatch)
    monkeypatch.setattr(sitegen.build, "CONVERT_ELSEWHERE_FROM", 0)
    assert not build(load_config(site), workers=1).report.failed
    assert not started
    edit_settled(site / "content" / "bbc" / "5538201.md", "四万", "四万多")
    assert not build(load_config(site)).report.failed
    assert started  # with every core, it does


def _built_and_edited(folder: Path) -> Path:
    """A copy of the demo site, built, then one article edited."""
    site = copy_demo_site(folder)
    settle(site)
    build(load_config(site))
    edit_settled(site / "content" / "bbc" / "5538201.md", "三万", "四万")
    return site


def _built_clean(site: Path) -> dict[str, bytes]:
    """The site's pages from a build with no cache and no earlier output."""
    shutil.rmtree(site / "public")
    shutil.rmtree(site / ".sitegen")
    assert not build(load_config(site)).report.failed
    return tree(site / "public")


def _spy_on_starts(monkeypatch) -> list[ConverterProcess]:
    """The converter processes builds start, as they start them."""
    began: list[ConverterProcess] = []
    real = ConverterProcess.begin

    def begin(self: ConverterProcess) -> None:
        real(self)
        if self.pid is not None:
            began.append(self)

    monkeypatch.setattr(elsewhere.ConverterProcess, "begin", begin)
    return began
