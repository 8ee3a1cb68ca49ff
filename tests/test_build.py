"""`sitegen build` on the demo site and on small sites made for one case each."""

import re
from html.parser import HTMLParser

import pytest

from sitegen.build import build
from sitegen.config import load_config
from sitegen.errors import ConfigError
from tests.helpers import article, built


class Links(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.hrefs: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.hrefs += [value for name, value in attrs if name in ("href", "src") and value]


def test_demo_site_builds_both_variant_trees(demo_site):
    report, public = built(demo_site)
    assert not report.failed, report.problems
    sources = sorted((demo_site / "content").rglob("*.md"))
    assert len(sources) >= 12
    for variant in ("zh-hans", "zh-hant"):
        assert len(list((public / variant).glob("20*/[0-9][0-9][0-9][0-9]/*.html"))) == len(sources)
        assert (public / variant / "index.html").is_file()
    assert (public / "index.html").is_file() and (public / "css/sitegen.css").is_file()


def test_sample_article_page_in_both_scripts(demo_site):
    _, public = built(demo_site)
    hant = (public / "zh-hant/2023/0915/1954134.html").read_text(encoding="utf-8")
    hans = (public / "zh-hans/2023/0915/1954134.html").read_text(encoding="utf-8")
    assert '<html lang="zh-Hant">' in hant and '<html lang="zh-Hans">' in hans
    assert hant.count("<h1>朝俄加強軍事關係 中共態度曖昧含糊</h1>") == 1
    assert hans.count("<h1>朝俄加强军事关系 中共态度暧昧含糊</h1>") == 1
    for page in (hant, hans):
        assert " alt=\n" not in page and "alt=" not in re.sub(r'<img [^>]*>', "", page)
        assert not re.search(r"[\u4e00-\u9fff],[\u4e00-\u9fff]", page), "ASCII comma between Chinese characters"
    # the attribution block, in each script
    assert re.search(r'<dt>來源</dt><dd><a href="https://www.rfa.org/[^"]+" rel="noopener">自由亞洲電台</a>', hant)
    assert re.search(r'<dt>来源</dt><dd><a href="https://www.rfa.org/[^"]+" rel="noopener">自由亚洲电台</a>', hans)
    assert "<dt>責任編輯</dt><dd>楚天</dd>" in hant and "<dt>责任编辑</dt><dd>楚天</dd>" in hans
    assert "<dt>作者</dt>" in hant and "<dt>作者</dt>" in hans
    assert "轉載請註明作者、出處並保持完整。" in hant and "转载请注明作者、出处并保持完整。" in hans
    url = "https://news.example.org/zh-hant/2023/0915/1954134.html"
    assert f'<dt>本文網址</dt><dd><a href="{url}">{url}</a></dd>' in hant
    # the switch leads to the same article in the other script
    assert re.search(r'<a href="/zh-hans/2023/0915/1954134.html" hreflang="zh-Hans" [^>]*>简体中文</a>', hant)
    assert re.search(r'<a href="/zh-hant/2023/0915/1954134.html" hreflang="zh-Hant" [^>]*>繁體中文</a>', hans)


def test_conversion_starts_from_the_articles_own_script(make_site):
    root = make_site(files={
        "content/hans.md": article(),
        "content/hant.md": article(id="b1", title="頭髮與皇后 台灣", lang="zh-Hant", author="記者",
                                   category="國際", body="後天發布新聞，電台報導。"),
    })
    report, public = built(root)
    assert not report.failed, report.problems
    hans_of_hans = (public / "zh-hans/2024/0302/a1.html").read_text(encoding="utf-8")
    hant_of_hans = (public / "zh-hant/2024/0302/a1.html").read_text(encoding="utf-8")
    hant_of_hant = (public / "zh-hant/2024/0302/b1.html").read_text(encoding="utf-8")
    hans_of_hant = (public / "zh-hans/2024/0302/b1.html").read_text(encoding="utf-8")
    assert "<h1>头发与皇后</h1>" in hans_of_hans and "<p>后天发布新闻。</p>" in hans_of_hans
    assert "<h1>頭髮與皇后</h1>" in hant_of_hans and "<p>後天發布新聞。</p>" in hant_of_hans
    # a Traditional original is published as written: no round trip through Simplified
    assert "<h1>頭髮與皇后 台灣</h1>" in hant_of_hant and "<p>後天發布新聞，電台報導。</p>" in hant_of_hant
    assert "<h1>头发与皇后 台湾</h1>" in hans_of_hant and "<p>后天发布新闻，电台报导。</p>" in hans_of_hant
    # the permalink is dated in the site's time zone (23:30 UTC is the next day in Taipei)
    assert "2024年3月2日 07:30" in hans_of_hans


def test_a_broken_article_is_reported_and_the_rest_builds(make_site):
    root = make_site(files={"content/good.md": article(), "content/bad.md": "---\ntitle: [\n---\n"})
    report, public = built(root)
    assert [p.where for p in report.problems] == ["content/bad.md"]
    assert report.failed
    assert (public / "zh-hant/2024/0302/a1.html").is_file()


def test_a_template_typo_is_one_line_naming_the_file(make_site):
    root = make_site(files={"content/a.md": article(), "content/b.md": article(id="b2"),
                            "templates/article.html": "{% extends 'base.html' %}\n{% block main %}\n"
                                                      "{{ page.article.titel }}\n{% endblock %}\n"})
    report, public = built(root)
    [problem] = report.problems
    assert problem.where == "content/a.md"
    assert re.fullmatch(r"template: .*templates/article.html:3: .*'titel'.* \(and 3 more pages\)", problem.message)
    assert (public / "zh-hant/index.html").is_file()


def test_a_template_syntax_error_names_file_and_line(make_site):
    root = make_site(files={"content/a.md": article(), "templates/list.html": "{% block main %}\n{{ x }\n"})
    report, _ = built(root)
    [problem] = [p for p in report.problems if p.level == "error"]
    assert problem.where == "zh-Hans lists"
    assert re.fullmatch(rf"template: {re.escape(str(root / 'templates/list.html'))}:2: unexpected '}}' "
                        r"\(and \d+ more pages\)", problem.message)


def test_site_templates_override_the_theme_by_name(demo_site):
    _, public = built(demo_site)
    home = (public / "zh-hans/index.html").read_text(encoding="utf-8")
    assert "这是 sitegen 的示范网站" in home  # the demo's own footer.html, converted to Simplified


def test_two_builds_give_the_same_bytes_and_rewrite_nothing(demo_site, tmp_path):
    build(load_config(demo_site), tmp_path / "one")
    build(load_config(demo_site), tmp_path / "two")
    one = {p.relative_to(tmp_path / "one"): p.read_bytes() for p in (tmp_path / "one").rglob("*") if p.is_file()}
    two = {p.relative_to(tmp_path / "two"): p.read_bytes() for p in (tmp_path / "two").rglob("*") if p.is_file()}
    assert one == two
    again = build(load_config(demo_site), tmp_path / "one").report.counts
    assert again["files written"] == 0 and again["unchanged"] == len(one)


def test_files_no_longer_produced_are_removed(make_site):
    root = make_site(files={"content/a.md": article(), "content/b.md": article(id="b2")})
    built(root)
    (root / "content/b.md").unlink()
    old_index = {p for p in (root / "public").rglob("*") if "pagefind" in p.parts and p.is_file()}
    report, public = built(root)
    new_index = {p for p in public.rglob("*") if "pagefind" in p.parts and p.is_file()}
    assert report.counts["removed"] == 2 + len(old_index - new_index)  # the pages, and the index's old files
    assert not (public / "zh-hans/2024/0302/b2.html").exists() and not [p for p in old_index - new_index if p.exists()]


def test_every_internal_link_resolves_to_a_file(demo_site):
    _, public = built(demo_site)
    for page in public.rglob("*.html"):
        for href in Links(page.read_text(encoding="utf-8")).hrefs:
            if href.startswith("/"):
                target = public / href.lstrip("/")
                assert (target / "index.html" if href.endswith("/") else target).is_file(), f"{page}: {href}"


def test_a_sub_path_site_links_under_its_base(make_site):
    root = make_site(files={"content/a.md": article(body="![图](/images/x.png)")})
    config = (root / "sitegen.toml").read_text(encoding="utf-8")
    (root / "sitegen.toml").write_text(config.replace("https://news.example.org/", "https://example.github.io/news/"),
                                       encoding="utf-8")
    report, public = built(root)
    page = (public / "zh-hans/2024/0302/a1.html").read_text(encoding="utf-8")
    assert 'href="/news/css/sitegen.css"' in page and 'src="/news/images/x.png"' in page
    assert "https://example.github.io/news/zh-hans/2024/0302/a1.html" in page


def test_an_unknown_opencc_config_stops_the_build_with_its_key(make_site):
    root = make_site(config='[site]\ntitle = "x"\nbase_url = "https://a.example/"\n'
                            '[variants.zh-Hans]\n[variants.zh-Hant]\nfrom_hans = "s2xx"\n')
    with pytest.raises(ConfigError, match=r"variants.zh-Hant.from_hans: OpenCC has no config 's2xx'"):
        build(load_config(root))


def test_site_and_article_glossaries_win_over_opencc(make_site):
    body = article(title="普京与特朗普通话", body="普京说，特朗普的网络很快。")
    with_own = body.replace("categories: [国际]", "categories: [国际]\nglossary:\n  - {zh-Hans: 网络, zh-Hant: 網路}")
    root = make_site(files={"content/a.md": with_own, "content/b.md": body.replace("id: a1", "id: b1"),
                            "glossary.toml": '[[terms]]\nzh-Hans = "普京"\nzh-Hant = "普丁"\n'})
    report, public = built(root)
    assert not report.failed, report.problems
    own = (public / "zh-hant/2024/0302/a1.html").read_text(encoding="utf-8")
    other = (public / "zh-hant/2024/0302/b1.html").read_text(encoding="utf-8")
    assert "<h1>普丁與特朗普通話</h1>" in own and "<p>普丁說，特朗普的網路很快。</p>" in own
    assert "<p>普丁說，特朗普的網絡很快。</p>" in other  # the article's term is its own


def test_taiwan_names_preset_is_opt_in(make_site):
    root = make_site(files={"content/a.md": article(title="普京会见特朗普")})
    config = (root / "sitegen.toml").read_text(encoding="utf-8")
    built(root)
    assert "<h1>普京會見特朗普</h1>" in (root / "public/zh-hant/2024/0302/a1.html").read_text(encoding="utf-8")
    (root / "sitegen.toml").write_text(config + '\n[glossary]\npresets = ["house-style", "taiwan-names"]\n',
                                       encoding="utf-8")
    built(root)
    assert "<h1>普丁會見川普</h1>" in (root / "public/zh-hant/2024/0302/a1.html").read_text(encoding="utf-8")


def test_a_broken_glossary_file_names_the_entry(make_site):
    root = make_site(files={"glossary.toml": '[[terms]]\nzh-Hans = "普京"\n'})
    with pytest.raises(ConfigError, match=r"glossary.toml: terms\[0\]: must give the word in at least two scripts"):
        build(load_config(root))


def test_a_build_with_nothing_to_do_loads_no_parser_segmenter_or_renderer(make_site):
    """Deciding that nothing changed must cost little more than starting Python: none of the
    libraries that segment, parse or render is imported for it (nor, so, any converter made)."""
    import os
    import subprocess
    import sys

    from tests.helpers import settle

    root = make_site(files={"content/a.md": article(id="a1", title="第一条新闻", body="正文。")})
    settle(root)
    assert not build(load_config(root)).report.failed
    heavy = ("jinja2", "markdown_it", "rjieba", "pypinyin", "yaml", "importlib.metadata",
             "sitegen.pipeline")
    probe = ("import sys\nfrom sitegen.cli import main\nstatus = main(['build', '--site', sys.argv[1]])\n"
             f"print(status, [name for name in {heavy!r} if name in sys.modules])")
    done = subprocess.run([sys.executable, "-c", probe, str(root)], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert done.stdout.splitlines()[-1] == "0 []", done.stdout + done.stderr
    assert "0 pages rendered" in done.stdout
