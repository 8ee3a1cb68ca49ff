"""The built demo site's HTML passes the Nu HTML Checker (vnu), one page of each kind, in one JVM.

vnu comes from npm (package.json, node_modules/vnu-jar) and runs on the machine's Java;
`python3 dev.py test` installs both. Missing either is a loud skip on a developer's machine
and a failure on CI.

The pages are checked as served by sitegen's preview server on 127.0.0.1, not as files:
from file: URLs vnu reads every `/css/…`, `/js/…` and `/images/…` as breaking the pages'
Content-Security-Policy `'self'` and warns about each one, which would drown real warnings.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote

import pytest

from sitegen.build import build
from sitegen.config import load_config
from sitegen.serve.server import make_server
from tests.feedserver import running
from tests.helpers import REPO
from tests.site.awkward import add_awkward_articles

VNU_JAR = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def require(present: bool, what: str) -> None:
    """A missing tool: a loud skip on a developer's machine, a failure on CI."""
    if present:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what}: CI must validate the HTML (`python3 dev.py test` installs it)")
    pytest.skip(f"LOUD SKIP: {what}, so the HTML is NOT VALIDATED (`python3 dev.py test` installs it)")


def page_kind(relative: PurePosixPath, variant_dirs: set[str]) -> tuple:
    """What sort of page a path is, so that one page of each sort is checked, new sorts included.

    `zh-hant/2023/0915/1954134.html` and `zh-hans/2024/0312/2045812.html` are one kind (an article);
    `index.html`, `zh-hant/index.html`, `404.html` and `zh-hant/page/2/index.html` are four.
    """
    parts = relative.parts
    in_variant = len(parts) > 1 and parts[0] in variant_dirs
    inner = parts[1:] if in_variant else parts
    section = re.sub(r"\d+", "N", inner[0]) if len(inner) > 1 else ""
    name = inner[-1] if len(inner) == 1 or inner[-1] == "index.html" else "*.html"
    return in_variant, section, len(inner), name


def one_page_of_each_kind(public: Path, variant_dirs: set[str], first_dir: str) -> list[Path]:
    """One page of each kind, from the first variant's folder where there is a choice."""
    pages = sorted(public.rglob("*.html"),
                   key=lambda path: (path.relative_to(public).parts[0] != first_dir, str(path)))
    chosen: dict[tuple, Path] = {}
    for path in pages:
        chosen.setdefault(page_kind(PurePosixPath(path.relative_to(public).as_posix()), variant_dirs), path)
    return sorted(chosen.values())


@contextmanager
def serving(public: Path) -> Iterator[str]:
    with running(make_server(public, "/", "127.0.0.1", 0)) as url:
        yield url


def vnu(java: str, urls: list[str]) -> list[dict]:
    """vnu's messages for these pages, from one JVM (starting it is most of the time, about 2 s)."""
    # vnu refuses loopback hosts unless told otherwise.
    command = [java, "-Dnu.validator.servlet.allow-forbidden-hosts=true", "-jar", str(VNU_JAR),
               "--format", "json", "--exit-zero-always", "--stdout", *urls]
    checked = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert checked.returncode == 0, checked.stderr
    return json.loads(checked.stdout)["messages"]


def with_withdrawn_summary_and_status_pages(site: Path) -> list[str]:
    """A withdrawn story, a source republished as summaries and the editor's status page: the
    pages they make, as globs below public/."""
    [story] = sorted((site / "content/bbc").glob("*.md"))[:1]
    story.write_text(story.read_text(encoding="utf-8").replace(
        "\n---\n", "\nwithdrawn: {date: '2026-12-01T09:00:00+08:00', reason: 應原作者要求}\n---\n", 1), encoding="utf-8")
    [summarized] = sorted((site / "content/voa").glob("*.md"))[:1]
    config = site / "sitegen.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('id = "voa"\n', 'id = "voa"\nrepublish = "summary"\n', 1)
                      + "\n[health]\nstatus_page = true\n", encoding="utf-8")
    return [f"zh-hant/*/*/{story.stem}.html", f"zh-hant/*/*/{summarized.stem}.html", "_status/index.html"]


def test_every_kind_of_page_is_valid_html(demo_site):
    java = shutil.which("java")
    require(bool(java), "no java (Debian package default-jre-headless)")
    require(VNU_JAR.exists(), f"{VNU_JAR.relative_to(REPO)} is missing (npm ci)")
    # Article pages are one kind, but what a body holds changes their markup: body headings moved
    # under the title, tables in their scrolling box, a title-only story. Each is checked too.
    awkward = add_awkward_articles(demo_site)
    extra = with_withdrawn_summary_and_status_pages(demo_site)
    config = load_config(demo_site)
    assert not [p for p in build(config).report.problems if p.level != "note"]
    public = config.output_dir
    variant_dirs = {variant.path.strip("/") for variant in config.variants if variant.path.strip("/")}
    first_dir = next((variant.path.strip("/") for variant in config.variants
                      if variant.name == config.site.default_variant), "")
    pages = one_page_of_each_kind(public, variant_dirs, first_dir)
    names = [page.relative_to(public).as_posix() for page in pages]
    names += [f"{first_dir}/{path}" for path in awkward.values()]
    names += [path for pattern in extra for path in sorted(p.relative_to(public).as_posix()
                                                           for p in public.glob(pattern))[:1]]
    assert len(names) >= len(extra)
    print("validated:", " ".join(names))
    assert {"index.html", f"{first_dir}/index.html"} <= set(names)
    assert any(re.fullmatch(rf"{first_dir}/.+/\d+\.html", name) for name in names), names  # an article

    with serving(public) as base:
        messages = vnu(java, [base + quote(name) for name in names])

    def describe(message: dict) -> str:
        page = unquote(message.get("url", "").removeprefix(base))
        return f"{page}:{message.get('lastLine', '?')}: {message['message']}"

    for message in messages:
        if message.get("subType") == "warning":
            print("vnu warning:", describe(message))
    errors = [describe(message) for message in messages if message["type"] in {"error", "non-document-error"}]
    assert errors == [], "vnu errors:\n" + "\n".join(errors)
