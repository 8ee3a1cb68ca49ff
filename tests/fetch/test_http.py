"""The HTTP client against a real server on 127.0.0.1 that misbehaves on purpose."""

import gzip

import pytest

from sitegen.fetch.http import FetchError, HttpClient, Limits
from tests.feedserver import Scripted

FAST = Limits(connect_timeout=2, read_timeout=1, deadline=2, retries=2, backoff=0.05, max_bytes=10_000)


@pytest.fixture
def client():
    with HttpClient("https://news.example.org/", FAST) as client:
        yield client


def test_sends_a_user_agent_naming_sitegen_and_the_site(client, feed_server):
    client.get(feed_server.url("news-zh-hant.atom.xml"))
    [request] = feed_server.requests_for("news-zh-hant.atom.xml")
    assert request.headers["user-agent"].startswith("sitegen/")
    assert request.headers["user-agent"].endswith("(+https://news.example.org/)")


def test_conditional_get_gets_304(client, feed_server):
    first = client.get(feed_server.url("news-zh-hant.atom.xml"))
    again = client.get(feed_server.url("news-zh-hant.atom.xml"), etag=first.headers["etag"])
    by_date = client.get(feed_server.url("news-zh-hant.atom.xml"), last_modified=first.headers["last-modified"])
    assert first.status == 200 and first.data
    assert (again.status, again.data) == (304, b"") and (by_date.status, by_date.data) == (304, b"")
    assert feed_server.requests_for("news-zh-hant.atom.xml")[1].headers["if-none-match"] == first.headers["etag"]


def test_gzip_is_decoded(client, feed_server):
    body = "<rss>頭髮</rss>".encode()
    url = feed_server.route("zipped.xml", Scripted(200, body, {"X-Gzip": "1"}))
    assert client.get(url).data == body
    assert "gzip" in feed_server.requests_for("zipped.xml")[0].headers["accept-encoding"]


def test_a_gzip_bomb_stops_at_the_size_cap(client, feed_server):
    url = feed_server.route("bomb.xml", Scripted(200, b"\0" * 5_000_000, {"X-Gzip": "1"}))
    assert len(gzip.compress(b"\0" * 5_000_000)) < FAST.max_bytes
    with pytest.raises(FetchError, match="larger than the 10,000-byte limit"):
        client.get(url)


def test_a_declared_oversize_body_is_refused_before_reading(client, feed_server):
    url = feed_server.route("big.xml", Scripted(200, b"x" * 20_000))
    with pytest.raises(FetchError, match=r"larger than the 10,000-byte limit \(20,000 bytes\)"):
        client.get(url)


def test_5xx_is_retried_with_backoff_then_succeeds(client, feed_server):
    url = feed_server.route("flaky.xml", Scripted(502), Scripted(503), Scripted(200, b"<rss/>"))
    assert client.get(url).data == b"<rss/>"
    assert len(feed_server.requests_for("flaky.xml")) == 3


def test_retries_are_bounded_and_said(client, feed_server):
    url = feed_server.route("down.xml", Scripted(500))
    with pytest.raises(FetchError, match=r"^HTTP 500 Internal Server Error \(after 3 tries\)$"):
        client.get(url)
    assert len(feed_server.requests_for("down.xml")) == 3


def test_retry_after_is_honoured(client, feed_server):
    url = feed_server.route("busy.xml", Scripted(429, headers={"Retry-After": "1"}), Scripted(200, b"ok"))
    assert client.get(url).data == b"ok"
    first, second = feed_server.requests_for("busy.xml")
    assert second.at - first.at >= 0.95


def test_an_unreasonable_retry_after_is_reported_not_waited_for(client, feed_server):
    url = feed_server.route("later.xml", Scripted(503, headers={"Retry-After": "86400"}))
    with pytest.raises(FetchError, match="HTTP 503"):
        client.get(url)
    assert len(feed_server.requests_for("later.xml")) == 1


def test_410_gone_says_so(client, feed_server):
    url = feed_server.route("gone.xml", Scripted(410))
    with pytest.raises(FetchError, match="HTTP 410 Gone: the feed is gone for good; remove it from sitegen.toml"):
        client.get(url)
    assert len(feed_server.requests_for("gone.xml")) == 1


def test_redirects_are_followed_up_to_five(client, feed_server):
    for hop in range(5):
        feed_server.route(f"r{hop}", Scripted(301, headers={"Location": feed_server.url(f"r{hop + 1}")}))
    feed_server.route("r5", Scripted(200, b"arrived"))
    response = client.get(feed_server.url("r0"))
    assert response.data == b"arrived" and response.url == feed_server.url("r5")
    feed_server.route("loop", Scripted(302, headers={"Location": feed_server.url("loop")}))
    with pytest.raises(FetchError, match="more than 5 redirects"):
        client.get(feed_server.url("loop"))


def test_a_slow_server_times_out_and_is_retried(client, feed_server):
    url = feed_server.route("slow.xml", Scripted(200, b"late", delay=1.5), Scripted(200, b"in time"))
    assert client.get(url).data == b"in time"


def test_a_trickling_body_hits_the_total_deadline(client, feed_server):
    url = feed_server.route("drip.xml", Scripted(200, b"x" * 3000, trickle=0.1))
    with pytest.raises(FetchError, match="took longer than 2 s"):
        client.get(url)


def test_connection_refused_is_one_line(client):
    with pytest.raises(FetchError, match="^cannot connect: "):
        client.get("http://127.0.0.1:9/feed.xml")
