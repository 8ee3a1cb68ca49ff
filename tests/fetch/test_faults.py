"""`sitegen fetch` against a server that breaks on purpose (tests/faultserver.py).

For each fault, one faulty source sits between two good ones, with a 3 s deadline of its own.
The faulty source must come out as exactly one clear error line naming it and the problem,
within its deadline; the good sources are stored; nothing of the faulty one is stored or
remembered; and the next run, the fault gone, fetches it as if nothing had happened.
"""

from __future__ import annotations

import re
import time
import tracemalloc
from contextlib import ExitStack
from pathlib import Path

import pytest

from sitegen.config import load_config
from sitegen.errors import ConfigError
from sitegen.fetch.state import FetchState, Validators
from tests.faultserver import GIGABYTE, FaultServer, closed_port
from tests.fetch.helpers import fetch, sources_toml
from tests.helpers import sitegen

DEADLINE = 3
"""The faulty source's `deadline`; every fault must be over within it (plus a margin for slow machines)."""
MARGIN = 2.5
FEED = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>故障源</title>'
        '<link>https://faulty.example/</link>'
        + "".join(f'<item><title>故障源新聞{n}</title><link>https://faulty.example/{n}</link><guid>faulty-{n}</guid>'
                  f'<pubDate>Fri, 12 Jul 2024 0{n}:00:00 +0800</pubDate><description>第{n}則。</description></item>'
                  for n in (1, 2))
        + "</channel></rss>").encode()
GOOD_TITLES = {"台风“海燕”逼近沿海 多地发布暴雨预警", "夜市美食節登場 吸引大批遊客"}
LIMIT = f"{20 * 1024 * 1024:,}"
NOT_WEB = r"redirected to '{}', which is not an http\(s\) URL"
GAVE_UP = r"\(after 2 tries; no time left in the 3 s deadline for another\)"

# fault: the whole error line's message (a regular expression)
FAULTS = {
    "refused": r"cannot connect: Connection refused",
    "tls": r"cannot connect: TLS handshake failed \(\[SSL: [A-Z_]+\] [^)]+\): "
           r"the server does not speak https on this port",
    "reset": rf"connection broken: Connection reset by peer {GAVE_UP}",
    "drip": r"took longer than the 3 s deadline",
    "drip-headers": r"took longer than the 3 s deadline",
    "huge": rf"larger than the {LIMIT}-byte limit \({GIGABYTE:,} bytes\)",
    "huge-chunked": rf"larger than the {LIMIT}-byte limit",
    "bomb": rf"larger than the {LIMIT}-byte limit when unzipped",
    "bomb-nested": rf"larger than the {LIMIT}-byte limit when unzipped",
    "loop": r"more than 5 redirects",
    "to-file": NOT_WEB.format(re.escape("file:///etc/passwd")),
    "to-ftp": NOT_WEB.format(re.escape("ftp://127.0.0.1/feed.xml")),
    "to-javascript": NOT_WEB.format(re.escape("javascript:alert(1)")),
    "png": r"not a readable RSS or Atom feed: the server sent image/png \(67 bytes\)",
    "html": r"not a readable RSS or Atom feed: the server sent an HTML page titled '首頁 - 某新聞網' \(text/html\)",
    "storm": rf"HTTP 500 Internal Server Error {GAVE_UP}",
    "busy": r"HTTP 503 Service Unavailable \(Retry-After 30 s is past the 3 s deadline\)",
}
BIG = {"huge", "huge-chunked", "bomb", "bomb-nested"}
"""Faults of a gigabyte: memory must stay bounded and the server must not get to send it."""


@pytest.fixture
def faults():
    with FaultServer(FEED) as server:
        yield server


def faulty_site(make_site, feed_server, url: str):
    return make_site(sources_toml(("good-hans", feed_server.url("news-zh-hans.rss.xml"), "auto"),
                                  ("bad", url, "zh-Hant", f"deadline = {DEADLINE}"),
                                  ("good-hant", feed_server.url("news-zh-hant.atom.xml"), "auto")))


def fault_url(fault: str, faults: FaultServer) -> str:
    if fault == "refused":
        return f"http://127.0.0.1:{closed_port()}/feed.xml"
    if fault == "tls":  # https to a port where plain HTTP listens
        return faults.url("feed", scheme="https")
    return faults.url(fault)


@pytest.mark.parametrize("fault", FAULTS)
def test_a_fault_is_one_line_within_its_deadline_and_the_next_run_fetches(fault, make_site, feed_server, faults):
    url = fault_url(fault, faults)
    root = faulty_site(make_site, feed_server, url)
    if fault in BIG:
        tracemalloc.start()
    started = time.monotonic()
    report, articles, results = fetch(root)
    took = time.monotonic() - started
    if fault in BIG:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        faults.idle()
        assert peak < 80 * 1024 * 1024, f"{peak:,} bytes at the peak"
        assert faults.sent[fault] < 100 * 1024 * 1024, f"the server got to send {faults.sent[fault]:,} bytes"

    assert took < DEADLINE + MARGIN, f"{fault}: {took:.1f} s"
    errors = [p for p in report.problems if p.level == "error"]
    assert [p.where for p in errors] == [f"source bad ({url})"] and "\n" not in errors[0].message
    assert re.fullmatch(FAULTS[fault], errors[0].message), errors[0].message
    assert not [p for p in report.problems if "bad" in p.where and p.level != "error"]
    assert [(r.source, r.status) for r in results] == [("good-hans", "fetched"), ("bad", "failed"),
                                                        ("good-hant", "fetched")]
    assert GOOD_TITLES <= set(articles) and all(a.source != "bad" for a in articles.values())
    assert not (root / "content" / "bad").exists()
    state = FetchState(root / ".sitegen")
    try:
        assert not [s for s in state.known_stories().values() if s.path.startswith("bad/")]
        assert state.validators("bad", url) == Validators()
    finally:
        state.close()

    with ExitStack() as stack:
        heal(fault, faults, root, url, stack)
        report, articles, results = fetch(root)
    assert [(r.source, r.status, r.new) for r in results if r.source == "bad"] == [("bad", "fetched", 2)]
    assert {"故障源新聞1", "故障源新聞2"} <= set(articles) and not report.failed, report.problems


def heal(fault: str, faults: FaultServer, root: Path, url: str, stack: ExitStack) -> None:
    """Take the fault away: the next run finds the feed where the faulty one was (a server that
    came back on the refused port; the http:// URL, as its operator would fix it, for the TLS-less port)."""
    if fault == "refused":
        stack.enter_context(FaultServer(FEED, port=int(url.split(":")[2].split("/")[0])))
    elif fault == "tls":
        config = root / "sitegen.toml"
        config.write_text(config.read_text(encoding="utf-8").replace(url, faults.url("feed")), encoding="utf-8")
    else:
        faults.heal(fault)


def test_the_cli_exits_1_within_the_deadline_with_one_line_for_a_dripping_source(make_site, feed_server, faults):
    root = faulty_site(make_site, feed_server, faults.url("drip"))
    started = time.monotonic()
    result = sitegen("fetch", "--site", str(root))
    took = time.monotonic() - started
    assert result.returncode == 1, result.stderr
    assert took < DEADLINE + 8, f"{took:.1f} s"  # the deadline, and a Python start with its imports
    assert [line for line in result.stderr.splitlines() if line.startswith("error:")] == [
        f"error: source bad ({faults.url('drip')}): took longer than the 3 s deadline"]
    assert "bad: failed: took longer than the 3 s deadline" in result.stdout.splitlines()
    assert "fetched 2 of 3 sources" in result.stdout
    faults.heal("drip")
    result = sitegen("fetch", "--site", str(root))
    assert result.returncode == 0, result.stderr
    assert "bad: 2 new, 0 updated, 0 unchanged" in result.stdout.splitlines()


@pytest.mark.parametrize("value, problem", [
    ("0", "sources[0].deadline: must be at least 1"),
    ('"1m"', "sources[0].deadline: must be an integer, not '1m'"),
])
def test_the_deadline_is_a_positive_number_of_seconds(make_site, value, problem):
    root = make_site(sources_toml(("a", "feeds/a.xml", "auto", f"deadline = {value}")))
    with pytest.raises(ConfigError) as raised:
        load_config(root)
    assert [f"{p.where}: {p.message}" for p in raised.value.problems] == [problem]


def test_the_deadline_defaults_to_a_minute(make_site):
    root = make_site(sources_toml(("a", "feeds/a.xml", "auto"), ("b", "feeds/b.xml", "auto", "deadline = 20")))
    assert [s.deadline for s in load_config(root).sources] == [60, 20]


def test_pages_and_images_a_feed_names_share_its_one_deadline(make_site, feed_server):
    """Two stories, each naming an image that drips for ever: the first image uses up what the
    feed left of the 3 s deadline, the second is not tried; both stories are stored, with their
    images left where they were, and each image is one warning."""
    with FaultServer(b"") as server:
        images = [server.url("drip") + f"?image={n}" for n in (1, 2)]
        server.feed = FEED.replace(b"<description>", b"<description>&lt;img src='%s'&gt;", 1).replace(
            b"%s", images[0].encode()).replace(b"</item>", f"<enclosure url='{images[1]}' type='image/jpeg'/></item>"
                                               .encode(), 2)
        root = make_site(sources_toml(("bad", server.url("feed"), "zh-Hant", f"deadline = {DEADLINE}",
                                       'images = "download"')))
        started = time.monotonic()
        report, articles, results = fetch(root)
        took = time.monotonic() - started
    assert took < DEADLINE + MARGIN, f"{took:.1f} s"
    assert [(r.source, r.status, r.new) for r in results] == [("bad", "fetched", 2)]
    assert {"故障源新聞1", "故障源新聞2"} <= set(articles)
    warnings = sorted(p.message for p in report.problems if p.level == "warning")
    assert len(warnings) == 3 and not report.failed, report.problems
    assert sum("took longer than the 3 s deadline" in w for w in warnings) == 1, warnings
    assert sum("not fetched: the source's 3 s deadline had run out" in w for w in warnings) == 2, warnings
    assert sorted(a.image.url for a in articles.values() if a.image) == sorted([images[1]] * 2)
