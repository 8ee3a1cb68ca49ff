"""The commands as a user runs them: in a subprocess, in a fresh folder."""

import gc
import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from sitegen.cli import main
from tests.helpers import COMMANDS, article, shared_fixture, sitegen, snapshot_with_folders


def test_help_lists_every_command():
    result = sitegen("--help")
    assert result.returncode == 0
    for command in COMMANDS:
        assert f"    {command} " in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_site_option(command, capsys):
    with pytest.raises(SystemExit) as exited:
        main([command, "--help"])
    assert exited.value.code == 0
    assert "--site DIR" in capsys.readouterr().out


def test_init_then_build_makes_a_working_site_anywhere(tmp_path):
    made = sitegen("init", "my-news", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    site = tmp_path / "my-news"
    assert (site / "sitegen.toml").is_file() and list((site / "content").rglob("*.md"))
    built = sitegen("build", "--site", str(site), cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert "built: 2 articles" in built.stdout
    assert (site / "public/zh-hans/2025/0101/welcome.html").is_file()
    assert (site / "public/zh-hant/2025/0102/hello.html").is_file()
    assert sitegen("check", cwd=site).returncode == 0


def test_init_takes_the_folder_as_site_too(tmp_path):
    assert sitegen("init", "--site", "by-option", cwd=tmp_path).returncode == 0
    assert (tmp_path / "by-option/sitegen.toml").is_file()


def test_init_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    result = sitegen("init", str(tmp_path))
    assert result.returncode == 2 and "not empty" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_config_problems_exit_2_with_key_paths(make_site):
    root = make_site(config='[site]\ntitle = "x"\nbase_url = "nope"\n[[sources]]\nid = "a"\nname = "A"\n')
    result = sitegen("build", "--site", str(root))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "error: site.base_url: not an http(s) URL: 'nope'",
        "error: sources[0].url: is required",
        "sitegen.toml: 2 problem(s); nothing was done",
    ]


def test_build_and_check_exit_1_when_an_article_is_broken(make_site):
    root = make_site(files={"content/bad.md": "no front matter\n"})
    for command in ("build", "check"):
        result = sitegen(command, "--site", str(root))
        assert result.returncode == 1
        assert "error: content/bad.md: no front matter" in result.stderr
        assert "1 error" in result.stdout


def test_fetch_exits_1_when_a_source_fails_and_keeps_the_others(make_site, feed_server):
    ok, gone = feed_server.url("news-zh-hant.atom.xml"), feed_server.url("gone.xml")
    root = make_site(config='[site]\ntitle = "x"\nbase_url = "https://a.example/"\n'
                            f'[[sources]]\nid = "ok"\nname = "好"\nurl = "{ok}"\n'
                            f'[[sources]]\nid = "gone"\nname = "無"\nurl = "{gone}"\n')
    result = sitegen("fetch", "--site", str(root))
    assert result.returncode == 1
    assert f"error: source gone ({gone}): HTTP 404 Not Found" in result.stderr
    assert result.stdout.splitlines() == ["ok: 2 new, 0 updated, 0 unchanged", "gone: failed: HTTP 404 Not Found",
                                          "fetched 1 of 2 sources: 2 new, 0 updated, 0 unchanged, 1 error"]
    assert len(list((root / "content/ok").glob("*.md"))) == 2


def test_convert_uses_the_sites_variants(tmp_path):
    assert sitegen("convert", "--to", "zh-Hant", cwd=tmp_path, stdin="头发和皇后，后天发布。").stdout == "頭髮和皇后，後天發布。"
    assert sitegen("convert", "--to", "zh-Hans", cwd=tmp_path, stdin="頭髮和皇后，電台。").stdout == "头发和皇后，电台。"
    wrong = sitegen("convert", "--to", "zh-XX", cwd=tmp_path, stdin="x")
    assert wrong.returncode == 2 and "no variant 'zh-XX'" in wrong.stderr


def test_an_installed_wheel_carries_the_theme_and_scaffold(tmp_path):
    """`pip install` (not the source tree) must be enough for init + build."""
    repo = Path(__file__).resolve().parent.parent
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--wheel-dir", str(tmp_path / "wheel"), str(repo)], check=True, capture_output=True, timeout=300)
    [wheel] = (tmp_path / "wheel").glob("sitegen-*.whl")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target",
                    str(tmp_path / "installed"), str(wheel)], check=True, capture_output=True, timeout=300)
    env = {"PYTHONPATH": str(tmp_path / "installed"), "PATH": "/usr/bin:/bin"}
    run = lambda *args: subprocess.run([sys.executable, "-m", "sitegen", *args], cwd=tmp_path, env=env,  # noqa: E731
                                       capture_output=True, text=True, timeout=120)
    where = subprocess.run([sys.executable, "-c", "import sitegen; print(sitegen.__file__)"], cwd=tmp_path,
                           env=env, capture_output=True, text=True).stdout
    assert where.startswith(str(tmp_path / "installed"))
    assert run("init", "site").returncode == 0
    assert (tmp_path / "site/feeds/sample.xml").is_file()  # the offline first fetch needs it
    built = run("build", "--site", "site")
    assert built.returncode == 0, built.stderr
    page = (tmp_path / "site/public/zh-hans/2025/0101/welcome.html").read_text(encoding="utf-8")
    assert "<h1>欢迎使用 sitegen</h1>" in page and "<dt>本文网址</dt>" in page
    assert (tmp_path / "site/public/css/sitegen.css").is_file()


@pytest.mark.parametrize("original", [Path(__file__).resolve().parent.parent / "content/rfa/1954134.md",
                                      "shared:samples/aboluowang-2023-0915-1954134.txt"])
def test_sample_article_round_trips_through_sitegen_convert(original, tmp_path):
    if isinstance(original, str):
        original = shared_fixture("../samples/" + original.split("/", 1)[1])
    text = original.read_text(encoding="utf-8")
    hans = sitegen("convert", "--to", "zh-Hans", str(original), cwd=tmp_path)
    assert hans.returncode == 0 and "朝俄加强军事关系" in hans.stdout and "“" in hans.stdout
    back = sitegen("convert", "--to", "zh-Hant", cwd=tmp_path, stdin=hans.stdout)
    assert back.stdout == text


def test_build_says_what_it_did_and_with_v_how_long_each_stage_took(make_site):
    root = make_site(files={"content/a.md": article()})
    first = sitegen("build", "--site", str(root), "-v")
    stages = [line.split(":")[0].strip() for line in first.stdout.splitlines()[:-1]]
    assert stages == ["check", "load", "images", "assemble", "localize", "plan", "render", "feeds", "special pages",
                      "search index", "withdrawn stories", "sitemaps", "status page", "image renditions",
                      "static files", "write", "remember"]
    said = re.fullmatch(r"built: 1 articles, (\d+) pages rendered, (\d+) files written, 0 unchanged, 0 removed, "
                        r"0 errors", first.stdout.splitlines()[-1])
    assert said and 0 < int(said[1]) < int(said[2])  # the files also hold the sitemaps and static files
    again = sitegen("build", "--site", str(root), "--jobs", "1")  # files just written: not trusted by mtime
    assert re.fullmatch(r"built: 1 articles, 0 pages rendered, 0 files written, \d+ unchanged, 0 removed, 0 errors",
                        again.stdout.strip())


# --- a mistake on the command line: one line, status 2, nothing changed ---------------------------------------------

BAD_UTF8 = b"\xff\xfe not text"


@pytest.fixture
def playground(make_site, tmp_path):
    """tmp_path holding site/ (a working site), a plain file, a folder that is no site, a file that is not
    UTF-8, and broken/ (a site whose content/ is a file)."""
    make_site(files={"content/a.md": article()})
    (tmp_path / "afile").write_text("not a folder", encoding="utf-8")
    (tmp_path / "nosite").mkdir()
    (tmp_path / "latin1.md").write_bytes(BAD_UTF8)
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken/sitegen.toml").write_text((tmp_path / "site/sitegen.toml").read_text(encoding="utf-8"),
                                                  encoding="utf-8")
    (tmp_path / "broken/content").write_text("a file where the articles belong", encoding="utf-8")
    return tmp_path


CONFIG_LINES = 2
"""A sitegen.toml problem: the problem line, then `sitegen.toml: 1 problem(s); nothing was done`."""

MISTAKES = [
    # (command line, what the one line must say, lines on stderr)
    (["init", "afile"], "afile: exists and is not a folder", 1),
    (["init", "afile/new-site"], "afile/new-site: cannot make the folder", 1),
    (["init", "site"], "site: folder exists and is not empty", 1),
    (["init"], "name the folder to make", 1),
    (["init", "one", "--site", "two"], "two folders given", 1),
    (["new"], "required: title", 1),
    (["new", "  ", "--site", "site"], "title: is empty", 1),
    (["new", "標題", "--site", "site", "--lang", "zh-XX"], "--lang: invalid choice: 'zh-XX'", 1),
    (["new", "標題", "--site", "nosite"], "nosite/sitegen.toml: not found", CONFIG_LINES),
    (["new", "標題", "--site", "missing"], "--site missing: no such folder", 1),
    (["fetch", "--site", "missing"], "--site missing: no such folder", 1),
    (["fetch", "--site", "afile"], "--site afile: not a folder", 1),
    (["fetch", "--site", "site", "--source", "nope"], "no source nope", 1),
    (["fetch", "--site", "broken"], "broken/content: not a folder", 1),
    (["fetch", "--site", "nosite"], "nosite/sitegen.toml: not found", CONFIG_LINES),
    (["build", "--site", "site", "--jobs", "0"], "--jobs: '0' is not a whole number of at least 1", 1),
    (["build", "--site", "site", "--jobs", "-2"], "--jobs: '-2' is not a whole number", 1),
    (["build", "--site", "site", "--jobs", "many"], "--jobs: 'many' is not a whole number", 1),
    (["build", "--site", "site", "--output", "afile"], "--output afile: is not a folder", 1),
    (["build", "--site", "site", "--output", "afile/public"], "--output afile/public: ", 1),
    (["build", "--site", "afile"], "--site afile: not a folder", 1),
    (["build", "--site", "broken"], "broken/content: not a folder", 1),
    (["build", "--site", "nosite"], "nosite/sitegen.toml: not found", CONFIG_LINES),
    (["build", "--verbose=yes", "--site", "site"], "--verbose: ignored explicit argument 'yes'", 1),
    (["serve", "--site", "site", "--port", "99999"], "--port: '99999' is not a port number (1-65535)", 1),
    (["serve", "--site", "site", "--port", "0"], "--port: '0' is not a port number", 1),
    (["serve", "--site", "site", "--port", "-1"], "--port: '-1' is not a port number", 1),
    (["serve", "--site", "site", "--fetch-every", "soon"], "--fetch-every: 'soon' is not a duration", 1),
    (["serve", "--site", "site", "--fetch-every", "5s"], "--fetch-every: '5s': at least 10s", 1),
    (["serve", "--site", "site", "--fetch-every", "inf"], "--fetch-every: 'inf' is longer than a week", 1),
    (["serve", "--site", "site", "--host", "192.0.2.1"], "--host 192.0.2.1 --port 8000: cannot listen", 1),
    (["serve", "--site", "nosite"], "nosite/sitegen.toml: not found", CONFIG_LINES),
    (["serve", "--site", "missing"], "--site missing: no such folder", 1),
    (["serve", "--site", "broken"], "broken/content: not a folder", 1),
    (["deploy", "--site", "missing"], "--site missing: no such folder", 1),
    (["deploy", "--site", "site"], "sitegen.toml has no [deploy.NAME] target", 1),
    (["deploy", "--site", "nosite"], "nosite/sitegen.toml: not found", CONFIG_LINES),
    (["check", "--site", "afile"], "--site afile: not a folder", 1),
    (["check", "--site", "nosite"], "nosite/sitegen.toml: not found", CONFIG_LINES),
    (["convert", "nofile.md"], "nofile.md: no such file", 1),
    (["convert", "latin1.md"], "latin1.md: not UTF-8 text (byte 0)", 1),
    (["convert", "nosite"], "nosite: is a folder, not a file", 1),
    (["convert", "--to", "zh-XX"], "--to: no variant 'zh-XX'", 1),
    (["convert", "--from", "klingon"], "--from: invalid choice: 'klingon'", 1),
    (["convert", "--site", "missing"], "--site missing: no such folder", 1),
    (["publish"], "invalid choice: 'publish'", 1),
]


@pytest.mark.parametrize("args, says, lines", MISTAKES, ids=[" ".join(m[0]) for m in MISTAKES])
def test_a_mistake_is_one_line_and_status_2_and_changes_nothing(playground, args, says, lines):
    before = snapshot_with_folders(playground)
    result = sitegen(*args, cwd=playground, timeout=60)  # serve must stop at once: a timeout fails the test
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    said = result.stderr.splitlines()
    assert len(said) == lines, said
    assert said[0].startswith("error: ") and says in said[0], said
    if lines == CONFIG_LINES:
        assert said[1] == "sitegen.toml: 1 problem(s); nothing was done"
    assert snapshot_with_folders(playground) == before


def test_standard_input_that_is_not_utf8_is_one_line(tmp_path):
    result = subprocess.run([sys.executable, "-m", "sitegen", "convert"], cwd=tmp_path, input=BAD_UTF8,
                            capture_output=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == ["error: standard input: not UTF-8 text (byte 0)"]


# --- sitegen new ----------------------------------------------------------------------------------------------------

def front_matter(path: Path) -> dict:
    from sitegen.content.frontmatter import split

    return split(path.read_text(encoding="utf-8"))[0]


def test_new_writes_a_local_article_that_loads_cleanly_and_builds(make_site):
    root = make_site(files={"content/a.md": article()})
    made = sitegen("new", "  標題\n測試 ", "--site", str(root))
    assert made.returncode == 0, made.stderr
    path = Path(made.stdout.strip())
    assert path == root / "content/local/biao-ti-ce-shi.md"
    meta = front_matter(path)
    assert {k: meta[k] for k in ("title", "source", "lang", "id", "draft")} == {
        "title": "標題 測試", "source": "local", "lang": "zh-Hant", "id": "biao-ti-ce-shi", "draft": True}
    date = datetime.fromisoformat(meta["date"])
    assert date.utcoffset() == timedelta(hours=8)  # the site's zone: Asia/Taipei, the default
    assert abs(datetime.now(timezone.utc) - date) < timedelta(minutes=2)
    assert path.read_text(encoding="utf-8").endswith("---\n\n（在這裡寫正文。）\n")
    checked = sitegen("check", "--site", str(root))
    assert checked.returncode == 0, checked.stderr
    assert checked.stderr == "note: content/local/biao-ti-ce-shi.md: draft: not published (sitegen serve shows it)\n"
    page = root / f"public/zh-hans/{date:%Y}/{date:%m%d}/biao-ti-ce-shi.html"
    assert sitegen("build", "--site", str(root)).returncode == 0 and not page.exists()  # a placeholder is never out
    path.write_text(path.read_text(encoding="utf-8").replace("draft: true\n", ""), encoding="utf-8")
    built = sitegen("build", "--site", str(root))
    assert built.returncode == 0, built.stderr
    assert "<h1>标题 测试</h1>" in page.read_text(encoding="utf-8")


def test_new_tells_the_script_from_the_title_unless_told(make_site):
    root = make_site()
    hans = Path(sitegen("new", "头发与后天的发布", "--site", str(root)).stdout.strip())
    assert front_matter(hans)["lang"] == "zh-Hans"
    assert hans.read_text(encoding="utf-8").endswith("（在这里写正文。）\n")
    told = Path(sitegen("new", "头发", "--lang", "zh-Hant", "--site", str(root)).stdout.strip())
    assert front_matter(told)["lang"] == "zh-Hant"


def test_new_never_overwrites_and_takes_the_next_free_id(make_site):
    root = make_site(files={"content/hans/other.md": article(id="xin-wen")})  # the id, under another file name
    first = sitegen("new", "新聞", "--site", str(root))
    assert first.returncode == 0 and first.stdout.strip().endswith("content/local/xin-wen-2.md")
    assert first.stderr == (f"note: {first.stdout.strip()}: id 'xin-wen' is taken by content/hans/other.md; "
                            "this one is 'xin-wen-2'\n")
    kept = Path(first.stdout.strip()).read_bytes()
    second = sitegen("new", "新聞", "--site", str(root))
    assert second.stdout.strip().endswith("content/local/xin-wen-3.md")
    assert Path(first.stdout.strip()).read_bytes() == kept
    checked = sitegen("check", "--site", str(root))
    assert checked.returncode == 0 and checked.stderr.count("draft: not published") == 2, checked.stderr


def test_new_falls_back_to_a_short_hash_when_the_title_has_no_pinyin(make_site):
    root = make_site()
    made = sitegen("new", "！？😀", "--site", str(root))
    assert made.returncode == 0, made.stderr
    article_id = front_matter(Path(made.stdout.strip()))["id"]
    assert re.fullmatch(r"[0-9a-f]{8}", article_id)
    assert sitegen("build", "--site", str(root)).returncode == 0


def test_new_never_names_an_article_like_a_windows_device(make_site):
    root = make_site()
    made = sitegen("new", "CON", "--site", str(root))
    assert made.returncode == 0, made.stderr
    assert Path(made.stdout.strip()).name == "con-1.md" and front_matter(Path(made.stdout.strip()))["id"] == "con-1"


@pytest.mark.parametrize("command", ["build", "check"])
def test_a_command_that_ends_the_process_leaves_the_cyclic_collector_off(command, make_site):
    """Turned on again after a build, the collector would scan the whole heap the build made, just
    before the process leaves (`run` passes ending=True); called in-process, it is left on."""
    site = make_site(files={"content/a1.md": article()})
    assert main(["build", "--site", str(site)]) == 0 and gc.isenabled()
    try:
        assert main([command, "--site", str(site)], ending=True) == 0
        assert not gc.isenabled()
    finally:
        gc.enable()
