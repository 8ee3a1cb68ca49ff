"""The HTTP client against a real server on 127.0.0.1 that misbehaves on purpose."""

import gzip
import re
import time
import zlib

import pytest

from sitegen.fetch.connection import _PrivateAddress, public_address
from sitegen.fetch.http import Allowance, FetchError, HttpClient, Limits
from tests.faultserver import FaultServer
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
    with pytest.raises(FetchError, match=r"^took longer than the 2 s deadline$"):
        client.get(url)


def test_connection_refused_is_one_line(client):
    with pytest.raises(FetchError, match="^cannot connect: "):
        client.get("http://127.0.0.1:9/feed.xml")


def test_the_deadline_covers_every_try_and_wait(feed_server):
    url = feed_server.route("slow.xml", Scripted(200, b"late", delay=1.5))
    limits = Limits(connect_timeout=2, read_timeout=1, deadline=2.5, retries=5, backoff=0.05)
    started = time.monotonic()
    with HttpClient("https://news.example.org/", limits) as client, \
            pytest.raises(FetchError, match=r"^took longer than the 2.5 s deadline \(after 3 tries\)$"):
        client.get(url)
    assert time.monotonic() - started < 2.5 + 1.5
    assert len(feed_server.requests_for("slow.xml")) == 3  # not the 6 that retries=5 allows


def test_a_try_that_used_up_the_deadline_is_not_repeated(feed_server):
    url = feed_server.route("silent.xml", Scripted(200, b"late", delay=5))
    started = time.monotonic()
    with HttpClient("https://news.example.org/", Limits(read_timeout=30, deadline=2)) as client, \
            pytest.raises(FetchError, match=r"^took longer than the 2 s deadline$"):
        client.get(url)
    assert time.monotonic() - started < 2 + 1.5  # the read timeout was cut to what was left
    assert len(feed_server.requests_for("silent.xml")) == 1


def test_a_call_may_set_its_own_deadline(client, feed_server):
    url = feed_server.route("drip.xml", Scripted(200, b"x" * 3000, trickle=0.1))
    with pytest.raises(FetchError, match=r"^took longer than the 1 s deadline$"):
        client.get(url, allowance=Allowance.starting_now(1))


def test_nothing_is_asked_once_the_sources_deadline_has_run_out(client, feed_server):
    spent = Allowance(30, time.monotonic() - 1)
    with pytest.raises(FetchError, match=r"^not fetched: the source's 30 s deadline had run out$"):
        client.get(feed_server.url("news-zh-hant.atom.xml"), allowance=spent)
    assert not feed_server.requests_for("news-zh-hant.atom.xml")


def test_a_feed_on_the_public_internet_cannot_send_sitegen_to_a_private_address(client, feed_server):
    """Named by such a feed, 127.0.0.1 is refused before any connection (the test server hears nothing);
    named by a feed that is itself on a private address or in a file, it is fetched."""
    url = feed_server.url("news-zh-hant.atom.xml")
    with pytest.raises(FetchError, match=r"^127\.0\.0\.1 is a private or local address \(127\.0\.0\.1\), and "
                                         r"the feed that named it is on the public internet: not fetched$"):
        client.get(url, allowance=Allowance.starting_now(5, public_only=True))
    assert not feed_server.requests_for("news-zh-hant.atom.xml")
    assert Allowance.starting_now(5).for_named(feed_server.url("feed.xml")).public_only is False
    assert Allowance.starting_now(5).for_named("feeds/local.xml").public_only is False
    assert client.get(url, allowance=Allowance.starting_now(5).for_named(url)).status == 200


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
                                     "100.64.0.1", "0.0.0.0", "::1", "fc00::1", "fe80::1", "::ffff:127.0.0.1",
                                     "::ffff:169.254.169.254", "224.0.0.1"])
def test_private_local_and_metadata_addresses_are_not_public(address):
    with pytest.raises(_PrivateAddress):
        public_address(address, 80)


@pytest.mark.parametrize("address", ["8.8.8.8", "2001:4860:4860::8888", "::ffff:8.8.8.8"])
def test_public_addresses_are_connected_to_as_checked(address):
    assert public_address(address, 80) == address


def test_headers_dripped_just_inside_each_read_timeout_are_cut_off_at_the_deadline(client):
    """A byte every 0.2 s never lets a 1 s read timeout fire, and the body never starts, so only a
    deadline that every socket wait is cut to can stop it."""
    started = time.monotonic()
    with FaultServer(b"") as server, pytest.raises(FetchError, match=r"^took longer than the 2 s deadline$"):
        client.get(server.url("drip-headers"))
    assert time.monotonic() - started < 2 + 1.5


def test_a_retry_after_past_the_deadline_is_not_waited_for(client, feed_server):
    url = feed_server.route("busy.xml", Scripted(503, headers={"Retry-After": "5"}))
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"^HTTP 503 Service Unavailable \(Retry-After 5 s is past the 2 s deadline\)$"):
        client.get(url)
    assert time.monotonic() - started < 1.5 and len(feed_server.requests_for("busy.xml")) == 1


def test_a_backoff_past_the_deadline_is_not_waited_for(feed_server):
    url = feed_server.route("down.xml", Scripted(500))
    waits: list[float] = []
    with HttpClient("https://news.example.org/", Limits(deadline=2, backoff=1.5), sleep=waits.append) as client, \
            pytest.raises(FetchError, match=r"^HTTP 500 Internal Server Error \(after 2 tries; "
                                            r"no time left in the 2 s deadline for another\)$"):
        client.get(url)
    assert waits == [1.5] and len(feed_server.requests_for("down.xml")) == 2  # not 3 s more


@pytest.mark.parametrize("encoding, encode", [
    ("deflate", zlib.compress),
    ("deflate", lambda data: zlib.compress(data)[2:-4]),  # raw deflate, as some servers send it
    ("gzip, gzip", lambda data: gzip.compress(gzip.compress(data))),
    ("identity", lambda data: data),
])
def test_content_encodings_are_undone(client, feed_server, encoding, encode):
    body = "<rss>頭髮</rss>".encode() * 50
    url = feed_server.route("coded.xml", Scripted(200, encode(body), {"Content-Encoding": encoding}))
    assert client.get(url).data == body


def test_an_encoding_not_asked_for_is_refused(client, feed_server):
    url = feed_server.route("br.xml", Scripted(200, b"\x0b\x02\x80", {"Content-Encoding": "br"}))
    with pytest.raises(FetchError, match=r"^unsupported Content-Encoding 'br' \(sitegen asks for gzip or deflate\)$"):
        client.get(url)


def test_broken_gzip_is_one_line(client, feed_server):
    url = feed_server.route("bad.xml", Scripted(200, b"\x1f\x8bnot gzip at all", {"Content-Encoding": "gzip"}))
    with pytest.raises(FetchError, match=r"^broken response: bad gzip data \(.+\)$"):
        client.get(url)


@pytest.mark.parametrize("location", ["file:///etc/passwd", "ftp://127.0.0.1/feed.xml", "javascript:alert(1)",
                                      "data:text/xml,<rss/>"])
def test_a_redirect_may_only_lead_to_http_or_https(client, feed_server, location):
    url = feed_server.route("away.xml", Scripted(302, headers={"Location": location}))
    with pytest.raises(FetchError, match=rf"^redirected to '{re.escape(location)}', which is not an http\(s\) URL$"):
        client.get(url)
