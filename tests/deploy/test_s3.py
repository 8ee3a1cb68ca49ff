"""The S3 target against a real S3 API (moto's server on 127.0.0.1): the demo site, built for real,
published, republished, shrunk, capped, dry-run, and refused."""

from __future__ import annotations

import hashlib
import socket
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config

from sitegen.build import build
from sitegen.config import load_config
from sitegen.deploy import s3
from sitegen.deploy.job import DeployError, Outcome, Publish
from sitegen.deploy.tree import LocalFile, local_files
from sitegen.targets import LONG_CACHE, SHORT_CACHE, DeployTarget

BUCKET = "news-site"
MEDIA = "media/3f2a9c1b7d4e5f60.png"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


def target_for(server, *, bucket: str = BUCKET, prefix: str = "site/", **options: Any) -> DeployTarget:
    return DeployTarget(name="s3", kind="s3", url=f"s3://{bucket}/{prefix}", location=bucket, prefix=prefix,
                        endpoint_url=server.endpoint_url, region="us-east-1", **options)


def built(root: Path) -> Path:
    result = build(load_config(root))
    assert not result.report.failed, result.report.problems
    return root / "public"


def files_of(root: Path, target: DeployTarget) -> list[LocalFile]:
    return local_files(root / "public", target, {""})


def publish(root: Path, target: DeployTarget, **options: Any) -> Outcome:
    return s3.publish(target, Publish(files_of(root, target), root, **options))


def objects(client, bucket: str = BUCKET) -> dict[str, bytes]:
    keys = [item["Key"] for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
            for item in page.get("Contents", ())]
    return {key: client.get_object(Bucket=bucket, Key=key)["Body"].read() for key in keys}


def listing(client, bucket: str = BUCKET) -> list[tuple]:
    """Every object's key, ETag, size and time: what changes when anything is written."""
    return [(item["Key"], item["ETag"], item["Size"], item["LastModified"])
            for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
            for item in page.get("Contents", ())]


def public_tree(public: Path, prefix: str = "site/") -> dict[str, bytes]:
    return {prefix + p.relative_to(public).as_posix(): p.read_bytes() for p in public.rglob("*") if p.is_file()}


def matches_public(client, public: Path) -> bool:
    """Whether the bucket's objects under site/ are public/'s files, by MD5 (quicker than fetching each;
    the first test fetches every byte)."""
    stored = {key: etag.strip('"') for key, etag, *_ in listing(client) if key.startswith("site/")}
    return stored == {key: hashlib.md5(data).hexdigest() for key, data in public_tree(public).items()}


@pytest.fixture
def site(demo_site: Path) -> Path:
    """The demo site with a file named by its bytes under media/, built."""
    (demo_site / "static" / "media").mkdir()
    (demo_site / "static" / MEDIA).write_bytes(PNG)
    built(demo_site)
    return demo_site


@pytest.fixture
def client(s3_server):
    client = s3_server.client()
    client.create_bucket(Bucket=BUCKET)
    return client


@pytest.fixture
def calls(monkeypatch) -> list[tuple[str, str]]:
    """The PutObject and DeleteObjects requests the publisher really makes, in order, by site path."""
    made: list[tuple[str, str]] = []
    real_client = boto3.session.Session.client

    def client(self, *args, **kwargs):
        made_client = real_client(self, *args, **kwargs)
        made_client.meta.events.register("before-parameter-build.s3.PutObject",
                                         lambda params, **_: made.append(("send", params["Key"])))
        made_client.meta.events.register("before-parameter-build.s3.DeleteObjects", lambda params, **_: made.extend(
            ("delete", item["Key"]) for item in params["Delete"]["Objects"]))
        return made_client

    monkeypatch.setattr(boto3.session.Session, "client", client)
    return made


def as_plan(made: list[tuple[str, str]], prefix: str = "site/") -> list[str]:
    return [f"{verb} {key.removeprefix(prefix)}" for verb, key in made]


def remove_article(root: Path, article_id: str) -> None:
    (path,) = (root / "content").glob(f"*/{article_id}.md")
    path.unlink()


# ---- publishing ----

@pytest.mark.parametrize("prefix", ["site/", ""])
def test_the_first_publish_puts_the_whole_site_byte_for_byte(site, s3_server, client, prefix):
    target = target_for(s3_server, prefix=prefix)
    outcome = publish(site, target)
    expected = public_tree(site / "public", prefix)
    assert objects(client) == expected
    assert (outcome.sent, outcome.deleted, outcome.unchanged) == (len(expected), 0, 0)
    assert outcome.bytes == sum(len(data) for data in expected.values())


TYPES_AND_LIFETIMES = {
    "index.html": ("text/html; charset=utf-8", SHORT_CACHE),
    "zh-hant/2024/1018/6725390.html": ("text/html; charset=utf-8", SHORT_CACHE),
    "zh-hant/atom.xml": ("application/atom+xml; charset=utf-8", SHORT_CACHE),
    "zh-hans/rss.xml": ("application/rss+xml; charset=utf-8", SHORT_CACHE),
    "sitemap.xml": ("application/xml; charset=utf-8", SHORT_CACHE),
    "css/sitegen.css": ("text/css; charset=utf-8", SHORT_CACHE),
    "images/demo/6725390.svg": ("image/svg+xml; charset=utf-8", SHORT_CACHE),
    MEDIA: ("image/png", LONG_CACHE),
}


def test_each_object_has_its_type_and_cache_lifetime(site, s3_server, client):
    publish(site, target_for(s3_server))
    heads = {path: client.head_object(Bucket=BUCKET, Key="site/" + path) for path in TYPES_AND_LIFETIMES}
    assert {path: (head["ContentType"], head["CacheControl"]) for path, head in heads.items()} == TYPES_AND_LIFETIMES


def test_the_configured_cache_lifetimes_are_the_ones_sent(site, s3_server, client):
    publish(site, target_for(s3_server, cache_control="no-cache", cache_control_fingerprinted="max-age=99"))
    assert client.head_object(Bucket=BUCKET, Key="site/index.html")["CacheControl"] == "no-cache"
    assert client.head_object(Bucket=BUCKET, Key="site/" + MEDIA)["CacheControl"] == "max-age=99"


def test_a_second_publish_sends_nothing_even_when_file_times_change(site, s3_server, client, calls):
    target = target_for(s3_server)
    first = publish(site, target)
    for path in (site / "public").rglob("*.html"):
        path.touch()  # hashes decide, not times
    before = listing(client)
    calls.clear()
    again = publish(site, target)
    assert (again.sent, again.bytes, again.deleted, again.unchanged) == (0, 0, 0, first.sent)
    assert calls == [] and listing(client) == before


def test_an_object_that_differs_on_the_store_is_sent_again(site, s3_server, client, calls):
    target = target_for(s3_server)
    publish(site, target)
    client.put_object(Bucket=BUCKET, Key="site/zh-hans/index.html", Body=b"edited on the store")
    parts = client.create_multipart_upload(Bucket=BUCKET, Key="site/robots.txt")
    same_bytes = (site / "public" / "robots.txt").read_bytes()  # same bytes, but an ETag that is no MD5
    part = client.upload_part(Bucket=BUCKET, Key="site/robots.txt", UploadId=parts["UploadId"], PartNumber=1,
                              Body=same_bytes)
    client.complete_multipart_upload(Bucket=BUCKET, Key="site/robots.txt", UploadId=parts["UploadId"],
                                     MultipartUpload={"Parts": [{"ETag": part["ETag"], "PartNumber": 1}]})
    calls.clear()
    outcome = publish(site, target)
    assert as_plan(calls) == ["send zh-hans/index.html", "send robots.txt"]
    assert outcome.sent == 2 and matches_public(client, site / "public")


def test_progress_is_told_after_each_upload(site, s3_server, client):
    seen: list[tuple[int, int]] = []
    outcome = publish(site, target_for(s3_server), progress=lambda done, total: seen.append((done, total)))
    assert seen == [(n, outcome.sent) for n in range(1, outcome.sent + 1)]


# ---- deleting, and only under the prefix ----

def test_a_removed_article_leaves_the_store_and_nothing_else_does(site, s3_server, client, calls):
    target = target_for(s3_server)
    publish(site, target)
    before = public_tree(site / "public")
    remove_article(site, "6725390")
    after = public_tree(built(site))
    gone = set(before) - set(after)
    assert {"site/zh-hans/2024/1018/6725390.html", "site/zh-hant/2024/1018/6725390.html"} <= gone
    calls.clear()
    outcome = publish(site, target)
    assert sorted(key for verb, key in calls if verb == "delete") == sorted(gone)
    assert outcome.deleted == len(gone) and matches_public(client, site / "public")


def test_objects_outside_the_prefix_are_never_touched(site, s3_server, client):
    outside = {"index.html": b"the bucket's own root", "other/site/a.html": b"another site",
               "site.html": b"a sibling of the prefix", "site-old/index.html": b"an older copy"}
    for key, data in outside.items():
        client.put_object(Bucket=BUCKET, Key=key, Body=data)
    kept = listing(client)
    target = target_for(s3_server)
    assert publish(site, target).deleted == 0
    before = public_tree(site / "public")
    remove_article(site, "6725390")
    gone = set(before) - set(public_tree(built(site)))
    shrunk = publish(site, target, force=True)
    assert shrunk.deleted == len(gone) and matches_public(client, site / "public")
    assert [entry for entry in listing(client) if not entry[0].startswith("site/")] == kept
    assert {k: v for k, v in objects(client).items() if not k.startswith("site/")} == outside


def test_a_folder_placeholder_under_the_prefix_is_left_alone(site, s3_server, client):
    client.put_object(Bucket=BUCKET, Key="site/", Body=b"")
    outcome = publish(site, target_for(s3_server))
    assert outcome.deleted == 0 and "site/" in [entry[0] for entry in listing(client)]


def test_deletions_go_in_batches(site, s3_server, client, calls, monkeypatch):
    monkeypatch.setattr(s3, "DELETE_BATCH", 2)
    for n in range(5):
        client.put_object(Bucket=BUCKET, Key=f"site/old/{n}.html", Body=b"old")
    outcome = publish(site, target_for(s3_server))
    assert outcome.deleted == 5 and matches_public(client, site / "public")


def test_more_deletions_than_the_cap_change_nothing_unless_forced(site, s3_server, client):
    target = target_for(s3_server, max_deletes=1)
    publish(site, target)
    remove_article(site, "6725390")
    remove_article(site, "2058874")
    built(site)
    assert any(line.startswith("send ") for line in publish(site, target, dry_run=True, force=True).plan)
    before = listing(client)
    with pytest.raises(DeployError, match=r"would delete \d+ files, more than max_deletes = 1") as refused:
        publish(site, target)
    assert "\n" not in str(refused.value)
    assert listing(client) == before
    outcome = publish(site, target, force=True)
    assert outcome.deleted >= 4 and matches_public(client, site / "public")


def test_deletions_up_to_the_cap_go_ahead(site, s3_server, client):
    for n in range(3):
        client.put_object(Bucket=BUCKET, Key=f"site/old/{n}.html", Body=b"old")
    assert publish(site, target_for(s3_server, max_deletes=3)).deleted == 3


# ---- dry runs and order ----

def test_a_dry_run_changes_nothing_and_plans_exactly_what_the_real_run_does(site, s3_server, client, calls):
    target = target_for(s3_server)
    publish(site, target)
    remove_article(site, "6725390")
    (site / "content" / "dw" / "6738812.md").write_text(
        (site / "content" / "dw" / "6738812.md").read_text(encoding="utf-8") + "\n補充一段。\n", encoding="utf-8")
    built(site)
    before = listing(client)
    calls.clear()
    dry = publish(site, target, dry_run=True)
    assert calls == [] and listing(client) == before
    real = publish(site, target)
    # the same requests; within a step files go up at once, so only the steps' order is fixed
    assert sorted(dry.plan) == sorted(as_plan(calls)) and dry.plan
    assert dry.plan[-dry.deleted:] == as_plan(calls)[-dry.deleted:]  # deletions last
    assert (dry.sent, dry.bytes, dry.deleted, dry.unchanged) == (real.sent, real.bytes, real.deleted, real.unchanged)
    assert real.plan == [] and matches_public(client, site / "public")


def test_a_dry_run_of_the_first_publish_lists_every_file(site, s3_server, client):
    dry = publish(site, target_for(s3_server), dry_run=True)
    assert sorted(dry.plan) == sorted(f"send {path}" for path in public_tree(site / "public", ""))
    assert objects(client) == {}


def test_new_pages_go_up_before_changed_pages_and_those_before_feeds_and_the_sitemap(site, s3_server, client,
                                                                                     calls):
    target = target_for(s3_server)
    publish(site, target)
    source = site / "content" / "dw" / "6738812.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text + "\n補充一段。\n", encoding="utf-8")  # a changed article
    (site / "content" / "dw" / "6799999.md").write_text(  # a new one, on a day of its own
        text.replace('id: "6738812"', 'id: "6799999"').replace("2024-09-27", "2024-09-29"), encoding="utf-8")
    built(site)
    plan = publish(site, target, dry_run=True).plan
    new_page, changed_page = "send zh-hant/2024/0929/6799999.html", "send zh-hant/2024/0927/6738812.html"
    assert new_page in plan and changed_page in plan
    new = [line for line in plan if line.endswith("6799999.html")]
    feeds = [i for i, line in enumerate(plan) if line.endswith(("atom.xml", "rss.xml", "sitemap.xml"))]
    assert feeds and max(plan.index(line) for line in new) < plan.index(changed_page) < min(feeds)
    sends = [line for line in plan if line.startswith("send ")]
    assert sends[-1] == "send sitemap.xml"  # then what is gone (the search index's old files), once nothing links to it
    assert all(line.startswith("delete ") for line in plan[len(sends):])
    calls.clear()
    publish(site, target)  # the real requests keep that order, though each step's files go up at once
    sent = as_plan(calls)
    feeds = [i for i, line in enumerate(sent) if line.endswith(("atom.xml", "rss.xml", "sitemap.xml"))]
    assert max(sent.index(line) for line in new) < sent.index(changed_page) < min(feeds)
    assert [line for line in sent if line.startswith("send ")][-1] == "send sitemap.xml"


# ---- refusals, in one line ----

def one_line(error: pytest.ExceptionInfo) -> str:
    message = str(error.value)
    assert "\n" not in message and "Traceback" not in message
    return message


def test_a_missing_bucket_is_one_line(site, s3_server, client):
    with pytest.raises(DeployError) as error:
        publish(site, target_for(s3_server, bucket="no-such-bucket"))
    assert one_line(error) == "s3://no-such-bucket/site/: bucket not found"


def test_no_credentials_is_one_line(site, s3_server, client, monkeypatch, tmp_path):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    for name in ("AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        (tmp_path / name).write_text("", encoding="utf-8")
        monkeypatch.setenv(name, str(tmp_path / name))
    before = listing(client)  # the fixture's client was made while the credentials were there
    with pytest.raises(DeployError) as error:
        publish(site, target_for(s3_server))
    assert one_line(error).startswith("s3://news-site/site/: no credentials found (set AWS_ACCESS_KEY_ID")
    assert listing(client) == before


def test_a_store_that_cannot_be_reached_is_one_line(site, s3_server, monkeypatch):
    monkeypatch.setattr(s3, "CONFIG", s3.CONFIG.merge(Config(retries={"max_attempts": 1})))
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    target = DeployTarget(name="s3", kind="s3", url="s3://b/", location=BUCKET, endpoint_url=f"http://127.0.0.1:{port}")
    with pytest.raises(DeployError) as error:
        publish(site, target)
    assert one_line(error) == f"s3://{BUCKET}/: cannot reach http://127.0.0.1:{port}: Connection refused"
