"""`sitegen deploy` as a whole: what it refuses to publish, per-host trees, the command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sitegen.build import build
from sitegen.config import load_config
from sitegen.deploy.run import DeployOptions, deploy
from sitegen.errors import ConfigError, SitegenError
from tests.deploy.helpers import add_target, require, tree_of
from tests.helpers import article

require("rsync")


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sitegen", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


PER_HOST = """\
[site]
title = "測試新聞"
base_url = "https://www.example.org/"

[variants.zh-Hans]
path = "/"

[variants.zh-Hant]
base_url = "https://tw.example.org/"

[[sources]]
id = "hans"
name = "示范新闻"
url = "feeds/hans.xml"
"""


def test_a_per_host_site_deploys_each_tree_to_its_own_target(make_site, tmp_path):
    root = make_site(PER_HOST, files={"content/a.md": article(), "content/b.md": article(id="b2", title="第二条")})
    add_target(root, "www", f'url = "{tmp_path / "www"}"\nhost = "www.example.org"')
    add_target(root, "tw", f'url = "{tmp_path / "tw"}"\nhost = "tw.example.org"')
    build(load_config(root))
    result = run("deploy", cwd=root)
    assert result.returncode == 0, result.stderr
    public = tree_of(root / "public")
    tw = {path.removeprefix("zh-hant/"): data for path, data in public.items() if path.startswith("zh-hant/")}
    www = {path: data for path, data in public.items() if not path.startswith("zh-hant/")}
    assert tw and www and tree_of(tmp_path / "tw") == tw and tree_of(tmp_path / "www") == www
    assert any(path.endswith("/a1.html") for path in tw) and any(path.endswith("/a1.html") for path in www)


def test_a_per_host_site_must_say_which_host_a_target_publishes(make_site, tmp_path):
    root = make_site(PER_HOST)
    add_target(root, "www", f'url = "{tmp_path / "www"}"')
    with pytest.raises(ConfigError, match="deploy.www.host: is required: the site is served from several hosts"):
        load_config(root)


def test_a_preview_build_with_drafts_is_never_published(make_site, tmp_path):
    draft = article(id="d1").replace("categories:", "draft: true\ncategories:")
    root = make_site(files={"content/a.md": article(), "content/d.md": draft})
    add_target(root, "box", f'url = "{tmp_path / "www"}"')
    build(load_config(root), preview=True)
    report = deploy(load_config(root), DeployOptions(check=False), say=lambda line: None)
    assert any("last built by sitegen serve with drafts shown" in p.message for p in report.problems)
    assert not (tmp_path / "www").exists()
    build(load_config(root))
    report = deploy(load_config(root), DeployOptions(check=False), say=lambda line: None)
    assert not report.failed and not list((tmp_path / "www").rglob("d1.html"))


def test_an_unbuilt_site_is_not_published(make_site, tmp_path):
    root = make_site(files={"content/a.md": article()})
    add_target(root, "box", f'url = "{tmp_path / "www"}"')
    result = run("deploy", cwd=root)
    assert result.returncode == 1
    assert "the site is not built: run sitegen build first" in result.stderr
    assert not (tmp_path / "www").exists()


def test_an_unknown_target_name_is_usage_error_and_nothing_is_done(make_site, tmp_path):
    root = make_site(files={"content/a.md": article()})
    add_target(root, "box", f'url = "{tmp_path / "www"}"')
    with pytest.raises(SitegenError, match=r"no deploy target nope in sitegen.toml \(it has: box\)"):
        deploy(load_config(root), DeployOptions(names=("nope",)))
    result = run("deploy", "nope", cwd=root)
    assert result.returncode == 2 and result.stderr.count("\n") == 1


@pytest.mark.parametrize("line, says", [
    ('url = "s3://bucket/site"\naws_secret_access_key = "x"', "deploy.box.aws_secret_access_key: credentials never go"),
    ('url = "s3://bucket/site"\nendpoint_url = "AKIAIOSFODNN7EXAMPLE"', "deploy.box.endpoint_url: looks like a credential"),
    ('url = "git+https://me:hunter2@example.org/site.git"', "deploy.box.url: looks like a credential"),
    ('url = "ftp://example.org/site"', "deploy.box.url: 'ftp://example.org/site': not a deploy URL"),
    ('url = "s3://"', "deploy.box.url: 's3://' names no bucket"),
    ('url = "git+ssh://git@example.org/site.git"\nmax_deletes = -1', "deploy.box.max_deletes"),
])
def test_deploy_config_mistakes_are_one_line_each(make_site, line, says):
    root = make_site()
    add_target(root, "box", line)
    result = run("check", cwd=root)
    assert result.returncode == 2 and says in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_targets_are_told_by_their_url(make_site):
    root = make_site()
    for name, url in [("gh", "git+ssh://git@github.com/me/news.git"), ("cb", "git+https://codeberg.org/me/pages.git#main"),
                      ("ssh", "me@host.example.org:/var/www/news"), ("d", "rsync://host.example.org/www"),
                      ("dir", "../www"), ("r2", "s3://news/site")]:
        add_target(root, name, f'url = "{url}"')
    found = {t.name: (t.kind, t.location, t.branch, t.prefix) for t in load_config(root).deploy}
    assert found == {"gh": ("git", "ssh://git@github.com/me/news.git", "gh-pages", ""),
                     "cb": ("git", "https://codeberg.org/me/pages.git", "main", ""),
                     "ssh": ("rsync", "me@host.example.org:/var/www/news/", "", ""),
                     "d": ("rsync", "rsync://host.example.org/www/", "", ""),
                     "dir": ("rsync", "../www/", "", ""),
                     "r2": ("s3", "news", "", "site/")}


def test_a_built_site_that_fails_the_check_is_not_published(make_site, tmp_path):
    root = make_site(files={"content/a.md": article(), "content/b.md": article(id="b2", title="第二条")})
    add_target(root, "box", f'url = "{tmp_path / "www"}"')
    build(load_config(root))
    next((root / "public").rglob("b2.html")).unlink()  # pages and feeds now link to a page that is not there
    result = run("deploy", cwd=root)
    assert result.returncode == 1
    assert "b2.html : no such page" in result.stderr
    assert "not published: fix the problems above and build again" in result.stderr
    assert not (tmp_path / "www").exists()
    assert run("deploy", "--no-check", cwd=root).returncode == 0 and (tmp_path / "www").is_dir()


def test_every_target_kind_moves_the_progress_bar_to_its_end(make_site, tmp_path):
    from tests.deploy.helpers import git

    bare = tmp_path / "pages.git"
    git("init", "--bare", "--quiet", str(bare))
    root = make_site(files={"content/a.md": article()})
    add_target(root, "box", f'url = "{tmp_path / "www"}"')
    add_target(root, "pages", f'url = "git+file://{bare}"')
    build(load_config(root))
    seen: dict[str, list[tuple[int, int]]] = {}
    deploy(load_config(root), DeployOptions(), say=lambda line: None,
           progress_for=lambda name: lambda done, total: seen.setdefault(name, []).append((done, total)))
    for name in ("box", "pages"):
        assert seen[name] and seen[name][-1][0] == seen[name][-1][1]
        assert [done for done, _ in seen[name]] == sorted(done for done, _ in seen[name])
