import shutil
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from sitegen.content.frontmatter import FrontMatterError, split
from sitegen.content.store import article_text, load_articles, read_article, write_article
from sitegen.errors import Report
from sitegen.model import Article, Image
from tests.helpers import DATA

TAIPEI = timezone(timedelta(hours=8))


@pytest.fixture
def articles_dir(tmp_path):
    target = tmp_path / "content"
    shutil.copytree(DATA / "articles", target)
    return target


def test_each_broken_file_is_reported_with_its_reason_and_the_rest_load(articles_dir):
    report = Report()
    articles = load_articles(articles_dir, report)
    assert [a.id for a in articles] == ["ok-minimal"]
    reasons = {p.where.removeprefix("content/"): p.message for p in report.problems}
    assert reasons == {
        "date-without-offset.md": "date: '2024-03-01 08:00' has no UTC offset; add one such as +08:00",
        "hostile-source-url.md": "source_url: 'javascript:alert(1)' is not an http(s) URL",
        "invalid-yaml.md": reasons["invalid-yaml.md"],
        "missing-title-and-lang.md": "title: is required; lang: is required",
        "no-front-matter.md": "no front matter: the file must start with a line '---'",
        "unquoted-date-and-bad-lang.md": "date: '2024-03-01' has no UTC offset; add one such as +08:00; "
                                         "lang: must be zh-Hans or zh-Hant, not 'zh-TW'",
    }
    assert reasons["invalid-yaml.md"].startswith("front matter is not valid YAML: ")
    assert "line 5" in reasons["invalid-yaml.md"]
    assert report.failed


def test_an_article_round_trips_through_its_file(tmp_path):
    article = Article(
        id="1954134", title="朝俄加強軍事關係：中共態度曖昧", date=datetime(2023, 9, 15, 10, 21, tzinfo=TAIPEI),
        source="rfa", lang="zh-Hant", body="近日，朝鮮領導人金正恩高調到訪俄羅斯。\n\n## 小標\n\n- 一\n",
        path="rfa/1954134.md", guid="https://www.rfa.org/a", source_name="自由亞洲電台",
        source_url="https://www.rfa.org/a", author="記者", categories=("軍政",), tags=("朝鮮", "NO", "yes"),
        summary="摘要：全形標點，保留。", image=Image("https://img.example/a.jpg", "說明", "REUTERS"),
        editor="楚天", original_title="原題", updated=datetime(2023, 9, 16, tzinfo=TAIPEI),
        fetched=datetime(2023, 9, 16, 1, tzinfo=TAIPEI), content_hash="abc123")
    write_article(tmp_path, article)
    loaded, warnings = read_article(tmp_path / "rfa/1954134.md", tmp_path)
    assert loaded == article and warnings == []
    assert article_text(loaded) == (tmp_path / "rfa/1954134.md").read_text(encoding="utf-8")


def test_yaml_1_1_traps_stay_strings(tmp_path):
    (tmp_path / "a.md").write_text('---\ntitle: NO\ndate: "2024-01-01T00:00:00+08:00"\nsource: local\n'
                                   'lang: zh-Hans\ntags: [no, yes, on, 2024-01-01]\nid: 007\n---\n正文\n',
                                   encoding="utf-8")
    article, _ = read_article(tmp_path / "a.md", tmp_path)
    assert article.title == "NO"
    assert article.tags == ("no", "yes", "on", "2024-01-01")


def test_id_defaults_to_the_file_name_and_must_be_url_safe(tmp_path):
    body = '---\ntitle: 標題\ndate: "2024-01-01T00:00:00+08:00"\nsource: local\nlang: zh-Hant\n---\n正文\n'
    (tmp_path / "Hello-World.md").write_text(body, encoding="utf-8")
    (tmp_path / "我的文章.md").write_text(body, encoding="utf-8")
    report = Report()
    articles = load_articles(tmp_path, report)
    assert [a.id for a in articles] == ["hello-world"]
    [problem] = report.problems
    assert problem.where == "content/我的文章.md" and "id: '我的文章' must match" in problem.message


def test_duplicate_ids_keep_the_first_file_and_report_the_second(tmp_path):
    body = '---\ntitle: 標題\ndate: "2024-01-01T00:00:00+08:00"\nsource: local\nlang: zh-Hant\nid: same\n---\n'
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text(body, encoding="utf-8")
    report = Report()
    assert [a.path for a in load_articles(tmp_path, report)] == ["a.md"]
    assert [str(p) for p in report.problems] == ["error: content/b.md: id 'same' is already used by content/a.md; this file is not published (give it an id of its own)"]


def test_unknown_keys_are_warnings_not_errors(tmp_path):
    (tmp_path / "a.md").write_text('---\ntitle: 標題\ndate: "2024-01-01T00:00:00+08:00"\nsource: local\n'
                                   'lang: zh-Hant\nauthr: 打錯字\n---\n', encoding="utf-8")
    report = Report()
    assert len(load_articles(tmp_path, report)) == 1
    assert [str(p) for p in report.problems] == [
        "warning: content/a.md: authr: unknown front matter key (ignored)"]
    assert not report.failed


def test_not_utf8_is_reported(tmp_path):
    (tmp_path / "big5.md").write_bytes("---\ntitle: 標題\n---\n".encode("big5"))
    report = Report()
    assert load_articles(tmp_path, report) == []
    assert "not UTF-8 text" in report.problems[0].message


def test_hidden_files_and_folders_are_not_content(tmp_path):
    (tmp_path / ".drafts").mkdir()
    (tmp_path / ".drafts/x.md").write_text("garbage", encoding="utf-8")
    (tmp_path / ".#a.md").write_text("garbage", encoding="utf-8")
    report = Report()
    assert load_articles(tmp_path, report) == [] and report.problems == []


@pytest.mark.parametrize("text", ["", "---\n", "--- \ntitle: x\n", "---\n- a\n- b\n---\n"])
def test_front_matter_that_is_not_a_mapping(text):
    with pytest.raises(FrontMatterError):
        split(text)


def test_date_estimated_is_written_only_when_true_and_read_back(tmp_path):
    base = Article(id="a", title="標題", date=datetime(2024, 8, 3, 19, 59, 59, tzinfo=TAIPEI), source="rss",
                   lang="zh-Hant", body="正文\n", path="a.md")
    for article in (base, replace(base, id="b", path="b.md", date_estimated=True)):
        write_article(tmp_path, article)
        loaded, warnings = read_article(tmp_path / article.path, tmp_path)
        assert loaded == article and warnings == []
    assert "date_estimated" not in (tmp_path / "a.md").read_text(encoding="utf-8")
    assert "\ndate_estimated: true\n" in (tmp_path / "b.md").read_text(encoding="utf-8")


def test_date_estimated_must_be_true_or_false(tmp_path):
    (tmp_path / "a.md").write_text('---\ntitle: 標題\ndate: "2024-01-01T00:00:00+08:00"\nsource: local\n'
                                   'lang: zh-Hant\ndate_estimated: "yes"\n---\n', encoding="utf-8")
    report = Report()
    assert load_articles(tmp_path, report) == []
    assert report.problems[0].message == "date_estimated: must be true or false, not 'yes'"
