"""The editor's `/_status/` page (outputs/status_page.py): made only when `[health] status_page`
is on, noindex, linked from nowhere and listed nowhere, the same bytes for the same records, made
again when a fetch is recorded, removed when switched off; a missing or damaged health file never
fails the build."""

from __future__ import annotations

import json
import re
import time
from datetime import datetime, timedelta, timezone

from sitegen.build import build
from sitegen.config import load_config
from sitegen.health import Attempt, record_attempts
from sitegen.sitecheck import check_built_site
from tests.helpers import MINIMAL_CONFIG, REPO, article, settle, tree

PAGE = "_status/index.html"
NOW = datetime(2024, 8, 10, 4, 0, tzinfo=timezone.utc)
DAY = timedelta(days=1)
ON = "\n[health]\nstatus_page = true\n"
SMALL = MINIMAL_CONFIG.format(hans_url="feeds/hans.xml").replace(
    'base_url = "https://news.example.org/"\n', 'base_url = "https://news.example.org/"\nsearch = false\n')
"""One source, `hans` (示范新闻); no search index, which takes seconds to make."""


def small_site(make_site, health: str = ON):
    return make_site(SMALL + health, {"content/a.md": article()})


def record_days(root, source="hans", days=3, fail_from=None, start=NOW):
    """A fetch a day from `start`, two new stories each, failing from day `fail_from` on."""
    attempts = []
    for day in range(days):
        at = start + day * DAY
        if fail_from is None or day < fail_from:
            attempts.append(Attempt(source, at, True, seconds=0.4, items=5, new=2))
        else:
            attempts.append(Attempt(source, at, False, error="HTTP 503 <Service Unavailable> & more", seconds=3.0))
    record_attempts(root / ".sitegen", attempts)


def built_page(root) -> bytes:
    result = build(load_config(root))
    assert not result.report.failed, result.report.problems
    return (root / "public" / PAGE).read_bytes()


def test_no_page_unless_switched_on(make_site):
    root = small_site(make_site, health="")
    record_days(root)
    build(load_config(root))
    assert not (root / "public" / "_status").exists()


def test_the_page_is_the_status_table_noindex_under_the_theme_policy(make_site):
    root = small_site(make_site)
    record_days(root, days=5, fail_from=2)
    page = built_page(root).decode("utf-8")
    assert '<meta name="robots" content="noindex, nofollow">' in page and '<meta charset="utf-8">' in page
    assert "<title>Source health · 測試新聞</title>" in page
    theme = (REPO / "sitegen/theme/templates/base.html").read_text(encoding="utf-8")
    policy = re.search(r'Content-Security-Policy" content="([^"]*)"', theme)[1].replace(
        "{% block script_src %}{% endblock %}", "")
    assert f'<meta http-equiv="Content-Security-Policy" content="{policy}">' in page
    assert "style=" not in page and "<script" not in page and "<style" not in page
    assert '<time datetime="2024-08-14T12:00:00+08:00">2024-08-14 12:00 (Asia/Taipei)</time>' in page
    assert ('<tr><th scope="row">hans</th><td lang="zh">示范新闻</td><td>3 d ago (2024-08-11 12:00)</td>'
            "<td>3</td><td>1.0</td><td>3 d ago</td><td>400</td><td>FAILING</td></tr>") in page
    assert "hans</code>: 3 failed in a row: HTTP 503 &lt;Service Unavailable&gt; &amp; more</li>" in page


def test_the_page_is_linked_from_nowhere_and_listed_nowhere(make_site):
    root = small_site(make_site)
    record_days(root)
    built_page(root)
    others = {path: data for path, data in tree(root / "public").items() if path != PAGE}
    assert others and not [path for path, data in others.items() if b"_status" in data]
    assert "sitemap.xml" in others and "zh-hant/atom.xml" in others


def test_the_demo_site_with_the_page_passes_the_built_site_check_and_is_not_searchable(demo_site):
    (demo_site / "sitegen.toml").write_text((demo_site / "sitegen.toml").read_text(encoding="utf-8") + ON,
                                            encoding="utf-8")
    record_days(demo_site, source="rfa", days=4, fail_from=3)
    config = load_config(demo_site)
    result = build(config)
    assert not result.report.failed, result.report.problems
    assert (demo_site / "public" / PAGE).exists()
    checked = check_built_site(config)
    assert not checked.problems, checked.problems
    for variant in ("zh-hans", "zh-hant"):  # the demo site's 14 articles, and nothing else
        entry = json.loads((demo_site / "public" / variant / "pagefind/pagefind-entry.json").read_text())
        assert entry["languages"][variant]["page_count"] == 14


def test_the_same_records_give_the_same_bytes_and_the_page_is_kept(make_site, tmp_path):
    root = small_site(make_site)
    record_days(root)
    first = built_page(root)
    written = (root / "public" / PAGE).stat().st_mtime_ns
    assert built_page(root) == first and (root / "public" / PAGE).stat().st_mtime_ns == written
    other = tmp_path / "other"
    (other / "content").mkdir(parents=True)
    (other / "sitegen.toml").write_bytes((root / "sitegen.toml").read_bytes())
    (other / "content" / "a.md").write_bytes((root / "content" / "a.md").read_bytes())
    record_days(other)
    assert built_page(other) == first


def test_a_recorded_fetch_makes_the_page_again(make_site):
    root = small_site(make_site)
    record_days(root)
    first = built_page(root)
    record_days(root, days=1, fail_from=0, start=NOW + 3 * DAY)
    second = built_page(root)
    assert second != first and b"1 failed in a row" in second and b"2024-08-13 12:00" in second


def test_a_fetch_that_changed_no_story_still_refreshes_the_page(make_site):
    root = small_site(make_site)
    record_days(root)
    settle(root)
    first = built_page(root)
    time.sleep(2.1)  # the build's own records are older than the racy window too: a build with nothing to do
    record_days(root, days=1, fail_from=0, start=NOW + 3 * DAY)
    assert built_page(root) != first


def test_switched_off_the_page_is_removed(make_site):
    root = small_site(make_site)
    record_days(root)
    built_page(root)
    (root / "sitegen.toml").write_text(SMALL + ON.replace("true", "false"), encoding="utf-8")
    result = build(load_config(root))
    assert not (root / "public" / PAGE).exists() and result.report.counts["removed"] == 1


def test_no_records_is_a_page_saying_so(make_site):
    root = small_site(make_site)
    page = built_page(root)
    assert b"No fetch is recorded." in page and b"<table" not in page
    assert not (root / ".sitegen" / "health.sqlite").exists()  # the build never makes the file


def test_a_damaged_health_file_is_a_warning_and_a_page_saying_no_fetch_is_recorded(make_site):
    root = small_site(make_site)
    (root / ".sitegen").mkdir()
    (root / ".sitegen" / "health.sqlite").write_bytes(b"\x00damaged" * 512)
    result = build(load_config(root))
    assert not result.report.failed
    assert [(p.level, p.where) for p in result.report.problems] == [("warning", "status page")]
    assert b"No fetch is recorded." in (root / "public" / PAGE).read_bytes()
