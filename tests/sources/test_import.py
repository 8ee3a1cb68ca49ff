"""`sitegen sources import FILE.opml`: real-world OPML into a site's sitegen.toml, which keeps
every byte it had and still loads; a broken or hostile file changes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sitegen.config import load_config
from tests.sources.helpers import DATA, run, sources_toml


def sources_of(site: Path) -> list[tuple[str, str, str, str]]:
    return [(s.id, s.name, s.url, s.category) for s in load_config(site).sources]


def folder_snapshot(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_nested_folders_become_categories(empty_site, capsys):
    result = run(capsys, "sources", "import", str(DATA / "nested-folders.opml"), "--site", str(empty_site))
    assert result.status == 0
    assert sources_of(empty_site) == [
        ("alpha", "Alpha", "https://alpha.example/feed.xml", "World"),
        ("beta", "Beta", "https://beta.example/rss", "Asia"),
        ("gamma", "Gamma", "https://gamma.example/atom", ""),
    ]
    assert result.out.splitlines() == ["added alpha: Alpha", "added beta: Beta", "added gamma: Gamma",
                                       "imported 3 sources (1 skipped)"]
    assert result.err == f'{DATA / "nested-folders.opml"}: line 10: skipped "Empty folder": no xmlUrl: not a feed\n'


def test_outlines_with_only_text_and_none_at_all(empty_site, capsys):
    assert run(capsys, "sources", "--site", str(empty_site), "import", str(DATA / "text-only.opml")).status == 0
    assert sources_of(empty_site) == [
        ("hacker-weekly", "Hacker Weekly", "https://hacker.example/rss", "Tech"),
        ("plain-feed", "Plain Feed", "https://plain.example/feed", ""),
        ("nameless-example", "www.nameless.example", "https://www.nameless.example/feed", ""),
    ]


def test_chinese_titles_give_pinyin_ids_unique_and_short(empty_site, capsys):
    assert run(capsys, "sources", "import", str(DATA / "chinese-titles.opml"), "--site", str(empty_site)).status == 0
    sources = sources_of(empty_site)
    assert [s[0] for s in sources] == [
        "de-guo-zhi-sheng", "mei-guo-zhi-yin", "bbc-zhong-wen-wang", "de-guo-zhi-sheng-2",
        "stars-example",  # no pinyin in ★☆: the feed's host name, without its `feeds.`
        "zhong-hua-ren-min-gong-he-guo-guo-jia",  # cut between words at 40 characters
    ]
    assert sources[0][1:] == ("德國之聲", "https://rss.dw.com/rdf/rss-chi-all", "國際新聞")
    assert sources[2][3] == ""


def test_duplicate_urls_are_imported_once(empty_site, capsys):
    opml = DATA / "duplicate-urls.opml"
    result = run(capsys, "sources", "import", str(opml), "--site", str(empty_site))
    assert result.status == 0
    assert sources_of(empty_site) == [("delta", "Delta", "https://delta.example/feed", "News")]
    assert result.err.splitlines() == [
        f'{opml}: line 9: skipped "Delta again": the same feed as line 6',
        f'{opml}: line 11: skipped "Delta over http": the same feed as line 6',
    ]
    assert result.out.endswith("imported 1 sources (2 skipped)\n")


def test_urls_sitegen_toml_cannot_take_are_skipped_each_with_its_reason(empty_site, capsys):
    opml = DATA / "non-http-urls.opml"
    result = run(capsys, "sources", "import", str(opml), "--site", str(empty_site))
    assert result.status == 0
    assert sources_of(empty_site) == [("with-a-query", "With a query", "https://query.example/rss?lang=zh", ""),
                                      ("fine", "Fine", "https://fine.example/rss", "")]
    assert result.err.splitlines() == [
        f"{opml}: line 5: skipped \"Over FTP\": xmlUrl: not an http(s) URL: 'ftp://files.example/feed.xml'",
        f"{opml}: line 6: skipped \"A local file\": xmlUrl: not an http(s) URL: 'file:///etc/passwd'",
        f"{opml}: line 7: skipped \"Script\": xmlUrl: not an http(s) URL: 'javascript:alert(1)'",
        f"{opml}: line 8: skipped \"Podcast app\": xmlUrl: not an http(s) URL: 'feed://podcast.example/rss'",
    ]
    assert result.out.endswith("imported 2 sources (4 skipped)\n")


def test_outlines_missing_xmlurl_are_skipped(empty_site, capsys):
    opml = DATA / "missing-xmlurl.opml"
    result = run(capsys, "sources", "import", str(opml), "--site", str(empty_site))
    assert sources_of(empty_site) == [("the-real-one", "The real one", "https://real.example/feed", "")]
    assert [line.split(": skipped ")[1] for line in result.err.splitlines()] == [
        '"A web page": no xmlUrl: not a feed', '"Forgot its address": no xmlUrl: not a feed',
        '"Blank address": no xmlUrl: not a feed']


def test_existing_sources_are_kept_and_their_feeds_skipped(new_site, capsys):
    """The scaffold's sample source stays as it was; BBC is a source already (by URL, over http
    too), and its id is taken by an existing source's, so a new source moves on to -2."""
    config = new_site / "sitegen.toml"
    config.write_text(config.read_text(encoding="utf-8") + (
        '\n[[sources]]\nid = "bbc-zhong-wen-wang"\nname = "BBC"\n'
        'url = "http://feeds.bbci.co.uk/zhongwen/trad/rss.xml"\nrepublish = "summary"\n'), encoding="utf-8")
    before = load_config(new_site).sources
    opml = DATA / "chinese-titles.opml"
    result = run(capsys, "sources", "import", str(opml), "--site", str(new_site))
    assert result.status == 0
    after = load_config(new_site).sources
    assert after[:2] == before
    assert f'{opml}: line 9: skipped "BBC 中文網": already a source: bbc-zhong-wen-wang' in result.err.splitlines()
    assert [s.id for s in after[2:]] == ["de-guo-zhi-sheng", "mei-guo-zhi-yin", "de-guo-zhi-sheng-2",
                                         "stars-example", "zhong-hua-ren-min-gong-he-guo-guo-jia"]


def test_an_id_that_names_a_folder_of_content_is_taken(empty_site, capsys):
    """A folder left by a source since removed: a new source of its id would adopt its stories."""
    (empty_site / "content" / "alpha").mkdir(parents=True)
    run(capsys, "sources", "import", str(DATA / "nested-folders.opml"), "--site", str(empty_site))
    assert [s.id for s in load_config(empty_site).sources] == ["alpha-2", "beta", "gamma"]


def test_ids_never_local_nor_a_windows_device(empty_site, capsys, tmp_path):
    opml = tmp_path / "awkward.opml"
    opml.write_text('<opml version="2.0"><body>'
                    '<outline text="local" xmlUrl="https://local.example/rss"/>'
                    '<outline text="CON" xmlUrl="https://con.example/rss"/>'
                    '<outline text="Lpt1" xmlUrl="https://lpt.example/rss"/>'
                    '<outline text="" xmlUrl="https://192.0.2.7:8080/rss"/>'
                    '<outline text="!!!" xmlUrl="https://[2001:db8::1]/rss"/>'
                    "</body></opml>", encoding="utf-8")
    assert run(capsys, "sources", "import", str(opml), "--site", str(empty_site)).status == 0
    assert [(s.id, s.name) for s in load_config(empty_site).sources] == [
        ("local-2", "local"), ("con-2", "CON"), ("lpt1-2", "Lpt1"), ("192-0-2-7", "192.0.2.7"),
        ("2001-db8-1", "!!!")]


def test_the_file_keeps_every_byte_and_gains_the_tables_at_the_end(new_site, capsys):
    config = new_site / "sitegen.toml"
    before = config.read_bytes()
    assert b"# A real feed: remove the # signs" in before  # the scaffold's comments
    run(capsys, "sources", "import", str(DATA / "nested-folders.opml"), "--site", str(new_site))
    after = config.read_bytes()
    assert after.startswith(before)
    assert after[len(before):].decode("utf-8") == (
        "\n# Added by `sitegen sources import nested-folders.opml`.\n"
        '[[sources]]\nid = "alpha"\nname = "Alpha"\nurl = "https://alpha.example/feed.xml"\ncategory = "World"\n\n'
        '[[sources]]\nid = "beta"\nname = "Beta"\nurl = "https://beta.example/rss"\ncategory = "Asia"\n\n'
        '[[sources]]\nid = "gamma"\nname = "Gamma"\nurl = "https://gamma.example/atom"\n')


def test_a_file_with_windows_line_ends_keeps_them(empty_site, capsys):
    config = empty_site / "sitegen.toml"
    config.write_bytes(config.read_bytes().replace(b"\n", b"\r\n").rstrip(b"\r\n"))  # and no newline at the end
    before = config.read_bytes()
    run(capsys, "sources", "import", str(DATA / "text-only.opml"), "--site", str(empty_site))
    after = config.read_bytes()
    assert after.startswith(before + b"\r\n\r\n# Added by")
    assert b"\n" not in after.replace(b"\r\n", b"")
    assert len(load_config(empty_site).sources) == 3


def test_tables_after_other_tables_still_join_the_sources(empty_site, capsys):
    config = empty_site / "sitegen.toml"
    config.write_text(sources_toml({"id": "old", "name": "Old", "url": "https://old.example/rss"})
                      + '\n[health]\nsilent_days = 3\n', encoding="utf-8")
    run(capsys, "sources", "import", str(DATA / "text-only.opml"), "--site", str(empty_site))
    loaded = load_config(empty_site)
    assert [s.id for s in loaded.sources] == ["old", "hacker-weekly", "plain-feed", "nameless-example"]
    assert loaded.health.silent_days == 3


def test_importing_again_adds_nothing_and_writes_nothing(empty_site, capsys):
    opml = str(DATA / "chinese-titles.opml")
    run(capsys, "sources", "import", opml, "--site", str(empty_site))
    config = empty_site / "sitegen.toml"
    before, mtime = config.read_bytes(), config.stat().st_mtime_ns
    result = run(capsys, "sources", "import", opml, "--site", str(empty_site))
    assert result.status == 0 and result.out == "imported 0 sources (6 skipped)\n"
    assert config.read_bytes() == before and config.stat().st_mtime_ns == mtime


@pytest.mark.parametrize("name, says", [
    ("malformed.opml", "line 6, column 39: not valid XML: not well-formed (invalid token)"),
    ("doctype-entity.opml", "line 2: refused: it declares a DOCTYPE"),
    ("external-entity.opml", "line 2: refused: it declares a DOCTYPE"),
    ("not-opml.xml", "not an OPML file"),
    ("no-such-file.opml", "no such file"),
])
def test_a_broken_or_hostile_file_is_one_line_status_2_and_nothing_written(new_site, capsys, name, says):
    before = folder_snapshot(new_site)
    result = run(capsys, "sources", "import", str(DATA / name), "--site", str(new_site))
    assert result.status == 2
    assert result.out == ""
    assert result.err.startswith(f"error: {DATA / name}: ") and says in result.err
    assert result.err.count("\n") == 1
    assert folder_snapshot(new_site) == before  # no temporary file left either


def test_an_external_entity_is_never_read(empty_site, capsys, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-MARKER-0b7d", encoding="utf-8")
    opml = tmp_path / "xxe.opml"
    opml.write_text((DATA / "external-entity.opml").read_text(encoding="utf-8")
                    .replace("@SECRET_URL@", secret.as_uri()), encoding="utf-8")
    result = run(capsys, "sources", "import", str(opml), "--site", str(empty_site))
    assert result.status == 2 and "SECRET-MARKER" not in result.out + result.err
    assert "SECRET-MARKER" not in (empty_site / "sitegen.toml").read_text(encoding="utf-8")


def test_an_inline_sources_array_is_not_edited(empty_site, capsys):
    config = empty_site / "sitegen.toml"
    config.write_text('sources = [{id = "old", name = "Old", url = "https://old.example/rss"}]\n'
                      + config.read_text(encoding="utf-8"), encoding="utf-8")
    before = config.read_bytes()
    result = run(capsys, "sources", "import", str(DATA / "text-only.opml"), "--site", str(empty_site))
    assert result.status == 2
    assert "`sources` is written as an inline array" in result.err and result.err.count("\n") == 1
    assert config.read_bytes() == before


def test_a_site_whose_config_does_not_load_is_not_touched(empty_site, capsys):
    config = empty_site / "sitegen.toml"
    config.write_text(config.read_text(encoding="utf-8") + "typo = 1\n", encoding="utf-8")
    before = config.read_bytes()
    result = run(capsys, "sources", "import", str(DATA / "text-only.opml"), "--site", str(empty_site))
    assert result.status == 2 and "typo: unknown key" in result.err
    assert config.read_bytes() == before


def test_a_symbolic_link_to_the_config_stays_one(empty_site, capsys, tmp_path):
    real = tmp_path / "dotfiles" / "sitegen.toml"
    real.parent.mkdir()
    shutil.move(empty_site / "sitegen.toml", real)
    (empty_site / "sitegen.toml").symlink_to(real)
    run(capsys, "sources", "import", str(DATA / "text-only.opml"), "--site", str(empty_site))
    assert (empty_site / "sitegen.toml").is_symlink()
    assert "hacker-weekly" in real.read_text(encoding="utf-8")
