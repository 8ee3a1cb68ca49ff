"""Every fetch records each source's health: real fetches from a real HTTP server on 127.0.0.1
that serves real feed files and fails on a schedule, read back by `sitegen sources status`."""

import io
import json
import sqlite3
from datetime import timedelta

import pytest

from sitegen import health
from sitegen.cli import main
from sitegen.config import load_config
from sitegen.errors import Report
from sitegen.fetch.http import Limits
from sitegen.fetch.ingest import fetch_sources
from sitegen.health import read_history, source_health
from sitegen.sources.status import print_status
from tests.feedserver import Scripted
from tests.fetch.helpers import NOW, sources_toml
from tests.helpers import DATA, sitegen

ATOM = (DATA / "feeds" / "news-zh-hant.atom.xml").read_bytes()
"""A real feed of two stories."""
HOUR = timedelta(hours=1)
QUICK = Limits(backoff=0.01)
"""Retries without the real backoff's seconds: a 5xx is still tried three times."""

SCHEDULE = [
    ("ok", Scripted(200, ATOM)),
    ("ok", Scripted(200, ATOM)),
    ("HTTP 500", Scripted(500, b"oops")),
    ("HTTP 500", Scripted(500, b"oops")),
    ("HTTP 500", Scripted(500, b"oops")),
    ("timeout", Scripted(200, ATOM, delay=1.6)),
]
"""What the server answers on each run, hourly from NOW (the source's deadline is 1 s)."""


def health_after(root, at):
    config = load_config(root)
    return source_health(read_history(config.state_dir), [s.id for s in config.sources], at,
                         config.health.failing_runs, config.health.silent_days)


def test_a_source_failing_on_a_schedule_is_recorded_run_by_run(make_site, feed_server):
    url = feed_server.route("live.xml", SCHEDULE[0][1])
    root = make_site(sources_toml(("live", url, "zh-Hant", "deadline = 1"),
                                  ("steady", feed_server.url("news-zh-hans.rss.xml"), "zh-Hans")))
    seen = []
    for run, (_, answer) in enumerate(SCHEDULE):
        feed_server.route("live.xml", answer)
        fetch_sources(load_config(root), Report(), now=NOW + run * HOUR, limits=QUICK)
        live, steady = health_after(root, NOW + run * HOUR)
        seen.append((live.streak, live.failing, live.flag))
        assert (steady.streak, steady.last_success, steady.flag) == (0, NOW + run * HOUR, "ok")
    assert seen == [(0, False, "ok"), (0, False, "ok"), (1, False, "ok"), (2, False, "ok"),
                    (3, True, "FAILING"), (4, True, "FAILING")]
    assert len(feed_server.requests_for("live.xml")) == 2 + 3 * 3 + 1  # each 500 tried three times

    live, steady = health_after(root, NOW + 5 * HOUR)
    assert live.last_error == "took longer than the 1 s deadline"
    assert (live.last_attempt, live.last_success, live.last_new) == (NOW + 5 * HOUR, NOW + HOUR, NOW)
    assert live.items_per_day == 2.0 and steady.items_per_day == 3.0  # their first day counts as a whole one
    assert 0.9 < live.last_seconds < 3, live.last_seconds  # the wall time, cut at the deadline
    assert live.median_seconds < 0.9 and not steady.failing and not steady.silent

    kept = read_history(root / ".sitegen").attempts["live"]
    assert [(a.ok, a.items, a.new) for a in kept] == [(True, 2, 2), (True, 2, 0)] + [(False, None, 0)] * 4
    assert [a.error.split(" ")[0:2] for a in kept[2:5]] == [["HTTP", "500"]] * 3

    out = io.StringIO()
    assert print_status(load_config(root), NOW + 5 * HOUR, as_json=True, out=out) == 1
    document = json.loads(out.getvalue())
    assert [(d["source"], d["flag"], d["streak"]) for d in document] == [("live", "FAILING", 4), ("steady", "ok", 0)]
    assert document[0]["last_success"] == "2024-08-03T13:00:00+00:00"
    assert document[0]["last_new_story"] == "2024-08-03T12:00:00+00:00"
    assert document[0]["last_error"] == "took longer than the 1 s deadline"


def test_a_quiet_source_turns_silent_and_a_new_story_clears_it(make_site, feed_server):
    url = feed_server.route("quiet.xml", Scripted(200, ATOM))
    root = make_site(sources_toml(("quiet", url, "zh-Hant")) + "\n[health]\nsilent_days = 2\n")
    for day in range(4):  # the same two stories every day: nothing new after the first
        fetch_sources(load_config(root), Report(), now=NOW + day * timedelta(days=1), limits=QUICK)
    [quiet] = health_after(root, NOW + timedelta(days=3))
    assert (quiet.silent, quiet.flag, quiet.streak, quiet.last_new) == (True, "SILENT", 0, NOW)
    feed_server.route("quiet.xml", Scripted(200, ATOM.replace(b",2024:", b",2024:new-")))
    fetch_sources(load_config(root), Report(), now=NOW + timedelta(days=4), limits=QUICK)
    [quiet] = health_after(root, NOW + timedelta(days=4))
    assert (quiet.silent, quiet.last_new) == (False, NOW + timedelta(days=4))


def test_the_cli_fetch_then_status_exits_1_while_a_source_fails_and_0_once_it_recovers(make_site, feed_server, capsys):
    flaky = feed_server.route("flaky.xml", Scripted(404, b"not here"))
    root = make_site(sources_toml(("good", feed_server.url("news-zh-hant.atom.xml"), "zh-Hant"),
                                  ("flaky", flaky, "auto")) + "\n[health]\nfailing_runs = 2\n")
    site = ["--site", str(root)]
    assert sitegen("fetch", *site).returncode == 1
    assert main(["sources", "status", *site]) == 0  # one failure is not yet a failing source
    fetched = sitegen("fetch", "--json", *site)
    assert fetched.returncode == 1 and set(json.loads(fetched.stdout)) == {"sources", "totals", "problems"}
    capsys.readouterr()

    result = sitegen("sources", "status", *site)  # as cron runs it
    assert result.returncode == 1, result.stderr
    table = result.stdout.splitlines()
    assert table[0].split() == ["source", "name", "last", "success", "streak", "items/day", "last", "new", "story",
                                "median", "ms", "flag"]
    good, bad = table[1], table[2]
    assert good.startswith("good    good 新聞   just now (")  # 新聞 is four columns wide and good.endswith("ok")
    assert bad.startswith("flaky   flaky 新聞  never ") and bad.endswith("FAILING")
    assert "flaky: 2 failed in a row: HTTP 404 Not Found" in table
    assert table[-1] == "times in Asia/Taipei"

    assert main(["sources", "status", "--json", *site]) == 1
    document = json.loads(capsys.readouterr().out)
    flaky_json = document[1]
    assert (flaky_json["flag"], flaky_json["failing"], flaky_json["streak"]) == ("FAILING", True, 2)
    assert flaky_json["last_error"] == "HTTP 404 Not Found" and flaky_json["last_success"] is None
    assert document[0]["last_success"].endswith("+00:00") and document[0]["last_response_ms"] >= 0

    feed_server.route("flaky.xml", Scripted(200, ATOM.replace(b",2024:", b",2024:flaky-")))
    assert sitegen("fetch", *site).returncode == 0
    assert main(["sources", "status", *site]) == 0
    assert "FAILING" not in capsys.readouterr().out


def test_a_source_added_since_is_never_fetched_and_one_removed_is_not_shown(make_site, feed_server, capsys):
    root = make_site(sources_toml(("old", feed_server.url("news-zh-hant.atom.xml"), "zh-Hant")))
    assert sitegen("fetch", "--site", str(root)).returncode == 0
    (root / "sitegen.toml").write_text(sources_toml(("new", feed_server.url("news-zh-hans.rss.xml"), "zh-Hans")),
                                       encoding="utf-8")
    capsys.readouterr()
    assert main(["sources", "status", "--json", "--site", str(root)]) == 0
    assert json.loads(capsys.readouterr().out) == [{
        "failing": False, "fetched": False, "flag": "never fetched", "items_per_day": 0.0, "last_attempt": None,
        "last_error": "", "last_new_story": None, "last_response_ms": None, "last_success": None,
        "median_response_ms": None, "name": "new 新聞", "silent": False, "source": "new", "streak": 0}]


def test_a_health_file_that_cannot_be_written_is_one_warning_and_the_fetch_goes_on(make_site, feed_server):
    root = make_site(sources_toml(("a", feed_server.url("news-zh-hant.atom.xml"), "zh-Hant"),
                                  ("b", feed_server.url("news-zh-hans.rss.xml"), "zh-Hans")))
    (root / ".sitegen" / "health.sqlite").mkdir(parents=True)  # not a file sqlite can open
    said = sitegen("fetch", "--site", str(root))
    assert said.returncode == 0, said.stderr
    assert [line for line in said.stderr.splitlines() if "health" in line] == [
        f"warning: source health: not recorded: {root / '.sitegen' / 'health.sqlite'}: unable to open database file"]
    assert "a: 2 new" in said.stdout and "b: 3 new" in said.stdout and "1 warning" in said.stdout
    assert len(list((root / "content").rglob("*.md"))) == 5


def test_a_locked_health_file_does_not_hold_up_the_fetch(make_site, feed_server, monkeypatch):
    root = make_site(sources_toml(("a", feed_server.url("news-zh-hant.atom.xml"), "zh-Hant")))
    fetch_sources(load_config(root), Report(), now=NOW)
    monkeypatch.setattr(health, "LOCK_WAIT", 0.2)
    holder = sqlite3.connect(root / ".sitegen" / "health.sqlite", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        report = Report()
        results = fetch_sources(load_config(root), report, now=NOW + HOUR)
    finally:
        holder.close()
    assert [r.status for r in results] == ["not modified"] and not report.failed
    assert [(p.level, p.where) for p in report.problems] == [("warning", "source health")]
    assert "database is locked" in report.problems[0].message


@pytest.mark.parametrize("answer, ok, items", [(Scripted(200, ATOM), True, 2), (Scripted(304), True, None)])
def test_a_not_modified_feed_is_a_success_without_an_item_count(make_site, feed_server, answer, ok, items):
    url = feed_server.route("cond.xml", Scripted(200, ATOM, {"ETag": '"v1"'}))
    root = make_site(sources_toml(("cond", url, "zh-Hant")))
    fetch_sources(load_config(root), Report(), now=NOW)
    feed_server.route("cond.xml", answer)
    fetch_sources(load_config(root), Report(), now=NOW + HOUR)
    last = read_history(root / ".sitegen").attempts["cond"][-1]
    assert (last.ok, last.items, last.new, last.at) == (ok, items, 0, NOW + HOUR)
