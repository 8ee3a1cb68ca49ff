"""The commands as a user runs them: in a subprocess, in a fresh folder."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from sitegen.cli import main
from tests.conftest import shared_fixture
from tests.test_build import article

COMMANDS = ["init", "fetch", "build", "serve", "deploy", "check", "convert"]


def sitegen(*args: str, cwd: Path | None = None, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sitegen", *args], cwd=cwd, input=stdin,
                          capture_output=True, text=True, timeout=120)


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


def test_deploy_says_it_is_not_there_yet(demo_site):
    result = sitegen("deploy", "--site", str(demo_site))
    assert result.returncode == 2 and "not there yet" in result.stderr


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
    assert stages == ["check", "load", "assemble", "plan", "render", "feeds", "extras", "write", "cache"]
    said = re.fullmatch(r"built: 1 articles, (\d+) pages rendered, (\d+) files written, 0 unchanged, 0 removed, "
                        r"0 errors", first.stdout.splitlines()[-1])
    assert said and 0 < int(said[1]) < int(said[2])  # the files also hold the sitemaps and static files
    again = sitegen("build", "--site", str(root), "--jobs", "1")  # files just written: not trusted by mtime
    assert re.fullmatch(r"built: 1 articles, 0 pages rendered, 0 files written, \d+ unchanged, 0 removed, 0 errors",
                        again.stdout.strip())
