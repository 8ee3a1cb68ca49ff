"""Paths built from outside data stay inside the site: GUIDs, links, titles, image URLs and tags of a
crafted feed (fetched over loopback), front matter written by hand, and symbolic links in content/
that lead out of the site. Nothing outside the site folder is written or read (a sentinel outside must
never reach public/), and every story is stored under a safe name or refused with a clear line."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

import pytest

from sitegen.content.store import load_articles
from sitegen.errors import Report
from sitegen.fsutil import UnsafePathError, files_under, safe_join
from sitegen.model import Output
from sitegen.write import OutputWriter
from tests.feedserver import Scripted
from tests.fetch.helpers import fetch, sources_toml
from tests.helpers import DATA, article, built, sitegen, snapshot_with_folders

MARKER = "SENTINEL-7731"
IMAGE = (DATA / "images" / "pixel.png").read_bytes()
LONG_TITLE = "很長的標題" * 70  # 350 characters, 1,050 bytes
WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))}


def outside_files(tmp_path: Path) -> dict:
    """Everything in tmp_path but the site, with bytes and mtimes, and the names beside tmp_path."""
    return {"inside tmp": {k: v for k, v in snapshot_with_folders(tmp_path).items() if not k.startswith("site")},
            "beside tmp": sorted(p.name for p in tmp_path.parent.iterdir())}


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the site holding a valid article, and one in a sub-folder, both with MARKER."""
    folder = tmp_path / "outside"
    (folder / "dir").mkdir(parents=True)
    text = article(id="sentinel", title=f"哨兵 {MARKER}", source="local", body=f"{MARKER} 正文")
    (folder / "sentinel.md").write_text(text, encoding="utf-8")
    (folder / "dir" / "inner.md").write_text(text.replace("id: sentinel", "id: inner"), encoding="utf-8")
    (folder / "secret.txt").write_text(MARKER, encoding="utf-8")
    return folder


def item(guid: str, link: str, title: str, image: str = "", tags: tuple[str, ...] = ()) -> str:
    categories = "".join(f"<category>{t}</category>" for t in tags)
    media = f'<media:content url="{image}" medium="image"/>' if image else ""
    return (f"<item><title>{title}</title><link>{link}</link><guid>{guid}</guid>{categories}{media}"
            f"<pubDate>Fri, 02 Aug 2024 08:00:00 +0800</pubDate><description>&lt;p&gt;正文。&lt;/p&gt;"
            f"&lt;img src=&quot;{image}&quot; alt=&quot;圖&quot;&gt;</description></item>")


def crafted_feed(feed_server, outside: Path) -> tuple[str, list[str]]:
    """A feed whose every item tries to escape: (its URL, the titles that must be stored)."""
    long_image = "/" + quote("長" * 300) + ".png"  # 2,700 characters of path
    for path in (long_image, "/CON.jpg", "/aux.png", "/a:b.gif", "/NUL"):
        feed_server.route(path, Scripted(200, IMAGE, {"Content-Type": "image/png"}))
    u = feed_server.url().rstrip("/")
    items = [
        item("../../../../outside/sentinel", "../../outside/sentinel.md", "上級目錄",
             u + "/../../outside/secret.txt", ("../../outside",)),
        item(str(outside / "sentinel.md"), outside.as_uri() + "/sentinel.md", "絕對路徑",
             outside.as_uri() + "/x.png"),
        item("guid\x01with\x7fcontrols", "https://a.example/nul", "控制字元\x01", u + "/nul%01.png"),
        item("g" * 400, "https://a.example/" + "長" * 300, LONG_TITLE, u + long_image, (LONG_TITLE, "短標籤")),
        item("CON", "https://a.example/CON", "CON", u + "/CON.jpg", ("CON", "nul", "aux.md", "a:b", "COM1")),
        item("aux.md", "https://a.example/aux.md", "aux.md", u + "/aux.png"),
        item("a:b", "https://a.example/a:b", "a:b", u + "/a:b.gif"),
        item("..", "..", "..", "/../../outside/secret.txt"),
        item("C:\\Windows\\system32", "\\\\server\\share", "C:\\Windows", u + "/NUL"),
    ]
    feed = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/">'
            "<channel><title>路徑</title>" + "".join(items) + "</channel></rss>")
    titles = ["上級目錄", "絕對路徑", "控制字元", LONG_TITLE, "CON", "aux.md", "a:b", "..", "C:\\Windows"]
    return feed_server.route("crafted.xml", Scripted(200, feed.encode("utf-8"))), titles


def test_a_crafted_feed_and_links_out_of_content_leave_nothing_outside_the_site(make_site, feed_server, outside,
                                                                                tmp_path):
    url, titles = crafted_feed(feed_server, outside)
    root = make_site(sources_toml(("paths", url, "zh-Hant", 'images = "download"')))
    (root / "content" / "linked.md").symlink_to(outside / "sentinel.md")
    (root / "content" / "linkeddir").symlink_to(outside / "dir")
    before = outside_files(tmp_path)

    fetched = sitegen("fetch", "--site", str(root))
    assert fetched.returncode == 0, fetched.stdout + fetched.stderr
    assert "9 new" in fetched.stdout
    warnings = [line for line in fetched.stdout.splitlines() + fetched.stderr.splitlines() if "warning:" in line]
    dropped = "tag '很長的標題很長的標題很長的標題很長的標題…' (350 characters) dropped: too long to name a page"
    assert any(dropped in w for w in warnings)
    stored = sorted((root / "content" / "paths").iterdir())
    assert len(stored) == 9 and all(len(p.stem) == 10 and set(p.stem) <= set("0123456789abcdef") for p in stored)
    report = Report()
    assert sorted(a.title for a in load_articles(root / "content" / "paths", report)) == sorted(titles)
    assert not report.problems
    media = sorted(p.relative_to(root / "static").as_posix() for p in (root / "static").rglob("*") if p.is_file())
    assert len(media) == 1 and media[0].startswith("media/")  # five URLs, one picture: stored once, by its bytes

    build = sitegen("build", "--site", str(root))
    errors = [line for line in (build.stdout + build.stderr).splitlines() if "error:" in line]
    assert [e.split("error: ", 1)[1] for e in errors] == [
        "content/linked.md: a symbolic link that leads out of content/ (or loops); not read: copy the file in instead",
        "content/linkeddir/: a symbolic link that leads out of content/ (or loops); not read: copy the file in instead"]
    assert build.returncode == 1
    public = root / "public"
    pages = [p for p in public.rglob("*") if p.is_file()]
    assert len(pages) > 40
    assert not [p for p in pages if MARKER.encode() in p.read_bytes()]
    assert outside_files(tmp_path) == before
    for folder in (root / "content", root / "static", public):
        for path in folder.rglob("*"):
            assert len(path.name.encode()) <= 255 and "\0" not in path.name, path
    for folder in (root / "content", root / "static", public):  # tags CON, nul, COM1 are pages too
        assert not [p for p in folder.rglob("*") if p.name.split(".")[0].lower() in WINDOWS_RESERVED]
    assert (public / "zh-hant/tag/con-1/index.html").exists()


BROKEN = {
    "up.md": ("id: ../../outside/x", "id: '../../outside/x' must match [a-z0-9][a-z0-9_-]* (it is used in URLs)"),
    "absolute.md": ("id: /etc/passwd", "id: '/etc/passwd' must match [a-z0-9][a-z0-9_-]* (it is used in URLs)"),
    "nul-id.md": ('id: "a\\0b"', "id: holds the control character U+0000, which pages and feeds cannot carry; "
                                  "remove it"),
    "nul-title.md": ('title: "a\\x01b"', "title: holds the control character U+0001, which pages and feeds cannot "
                                         "carry; remove it"),
    "nul-body.md": ("", "body: holds the control character U+0000, which pages and feeds cannot carry; remove it "
                        "(line 3)"),
    "reserved.md": ("id: con", "id: 'con' is a name Windows keeps for a device (CON, PRN, AUX, NUL, COM1-9, "
                               "LPT1-9); choose another"),
    "CON.md": ("", "id: 'con' is a name Windows keeps for a device (CON, PRN, AUX, NUL, COM1-9, LPT1-9); "
                   "choose another"),
    "aux.md": ("", "id: 'aux' is a name Windows keeps for a device (CON, PRN, AUX, NUL, COM1-9, LPT1-9); "
                   "choose another"),
    "a:b.md": ("", "id: 'a:b' must match [a-z0-9][a-z0-9_-]* (it is used in URLs)"),
    "long-id.md": ("id: " + "a" * 300, "id: '" + "a" * 60 + "…' is 300 characters long, over 100 (it is a file "
                                       "name in URLs)"),
    "長" * 80 + ".md": ("", "id: '" + "長" * 60 + "…' must match [a-z0-9][a-z0-9_-]* (it is used in URLs)"),
    "long-tag.md": ("tags: [" + "很長" * 100 + "]",
                    "tags: '" + "很長" * 10 + "…' is too long to name a page (its URL would pass 200 characters)"),
    "image-up.md": ("image: /../../outside/secret.txt", "image: image url '/../../outside/secret.txt' must be "
                                                        "an http(s) URL or a path in the site such as /images/a.jpg"),
    "image-nul.md": ('image: "/images/\\0.jpg"', "image: holds the control character U+0000, which pages and feeds "
                                                 "cannot carry; remove it"),
    "image-backslash.md": ('image: "/images/..\\\\..\\\\x.jpg"',
                           "image: image url '/images/..\\\\..\\\\x.jpg' must be an http(s) URL or a path in the "
                           "site such as /images/a.jpg"),
    "image-file.md": ("image: file:///etc/passwd", "image: image url 'file:///etc/passwd' must be an http(s) URL "
                                                   "or a path in the site such as /images/a.jpg"),
    "source-up.md": ("source: ../../outside", "source '../../outside' is not in sitegen.toml, so the story cannot "
                                              "be credited (add the source, or write source: local for your own "
                                              "story)"),
}


def crafted_article(line: str, body: str = "正文。") -> str:
    """A valid article (its id: the file name) with `line` in its front matter, in place of its key's own."""
    fields = {"title": "標題", "date": '"2024-03-01T23:30:00+00:00"', "source": "hans", "lang": "zh-Hans"}
    if line:
        key, value = line.split(": ", 1)
        fields[key] = value
    return "---\n" + "".join(f"{key}: {value}\n" for key, value in fields.items()) + f"---\n\n{body}\n"


def test_front_matter_that_would_name_a_path_out_of_the_site_is_refused_with_a_clear_line(make_site, outside,
                                                                                         tmp_path):
    files = {f"content/{name}": crafted_article(line) for name, (line, _) in BROKEN.items()}
    files["content/nul-body.md"] = crafted_article("", body="第一行\n\n第三行\0")
    files["content/ok.md"] = crafted_article(f"title: 超長標題 {LONG_TITLE}")
    root = make_site(files=files)
    before = outside_files(tmp_path)
    report, public = built(root)
    errors = {p.where: p.message for p in report.problems if p.level == "error"}
    assert errors == {f"content/{name}": message for name, (_, message) in BROKEN.items()}
    pages = list(public.rglob("*.html"))
    assert any(LONG_TITLE in p.read_text(encoding="utf-8") for p in pages)  # the good one is published
    assert not [p for p in public.rglob("*") if p.is_file() and MARKER.encode() in p.read_bytes()]
    assert outside_files(tmp_path) == before


def test_files_under_follows_only_links_that_stay_inside(tmp_path, outside):
    root = tmp_path / "site" / "content"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "a.md").write_text("a", encoding="utf-8")
    (root / "in-file.md").symlink_to(root / "sub" / "a.md")
    (root / "in-dir").symlink_to(root / "sub")
    (root / "out-file.md").symlink_to(outside / "sentinel.md")
    (root / "out-dir").symlink_to(outside / "dir")
    (root / "sub" / "loop").symlink_to(root)
    (root / "dotdot.md").symlink_to(Path("..") / ".." / "outside" / "sentinel.md")
    (root / "dangling.md").symlink_to(outside / "missing.md")
    listing = files_under(root)
    assert [relative for relative, _ in listing] == ["in-dir/a.md", "in-file.md", "sub/a.md"]
    assert listing.not_followed == ("dangling.md", "dotdot.md", "in-dir/loop/", "out-dir/", "out-file.md", "sub/loop/")
    through_a_link = tmp_path / "link-to-site"
    through_a_link.symlink_to(tmp_path / "site")  # the folder itself may be reached through a link
    assert [r for r, _ in files_under(through_a_link / "content")] == ["in-dir/a.md", "in-file.md", "sub/a.md"]


@pytest.mark.parametrize("relative", ["../x.md", "/etc/passwd", "a/../../x.md", "a\0b.md", "..\\..\\x.md",
                                      "out/x.md", "out-file.md"])
def test_safe_join_refuses_what_leaves_its_folder(tmp_path, outside, relative):
    root = tmp_path / "site"
    root.mkdir()
    (root / "out").symlink_to(outside)
    (root / "out-file.md").symlink_to(outside / "sentinel.md")
    with pytest.raises(UnsafePathError):
        safe_join(root, relative)


def test_fetch_never_writes_or_reads_through_a_link_out_of_content(make_site, feed_server, outside, tmp_path):
    atom = (DATA / "feeds" / "news-zh-hant.atom.xml").read_text(encoding="utf-8")
    hant = feed_server.route("live.xml", Scripted(200, atom.encode()),
                             Scripted(200, atom.replace("十萬人次", "十五萬人次").encode()))
    root = make_site(sources_toml(("hant", hant, "zh-Hant")))
    _, first, _ = fetch(root)
    story = root / "content" / first["夜市美食節登場 吸引大批遊客"].path
    planted = outside / "planted.md"
    planted.write_text(story.read_text(encoding="utf-8").replace("夜市", f"夜市{MARKER}"), encoding="utf-8")
    story.unlink()
    story.symlink_to(planted)
    before = outside_files(tmp_path)
    report, _, results = fetch(root)  # the story changed upstream: its file would be read, then written
    assert [p.message for p in report.problems] == [
        f"content/hant/{story.name} cannot be read (a symbolic link that leads out of content/ (or loops); not "
        "read: copy the file in instead); left as it is"]
    assert results[0].updated == 0 and outside_files(tmp_path) == before

    (root / "content" / "hans").symlink_to(outside / "dir")  # a source's whole folder
    root.joinpath("sitegen.toml").write_text(sources_toml(("hans", feed_server.url("news-zh-hans.rss.xml"), "auto")),
                                             encoding="utf-8")
    run = sitegen("fetch", "--site", str(root))
    assert run.returncode == 1  # those stories are not stored, each said; the run goes on
    refused = [line for line in run.stderr.splitlines() if line.startswith("error:")]
    assert refused and all("leads out of content/ (a symbolic link?); not written" in line for line in refused)
    assert outside_files(tmp_path) == before and sorted(os.listdir(outside / "dir")) == ["inner.md"]


@pytest.mark.parametrize("first_build", [True, False])
@pytest.mark.parametrize("relative", ["../x.html", "/tmp/x.html", "a/../../x.html", "a\0b.html"])
def test_the_writer_refuses_an_output_path_that_leaves_its_folder(tmp_path, first_build, relative):
    """A first build writes into its own staging folder without resolving links (there is nothing
    of the user's to resolve); a path that leaves it by its spelling is still refused."""
    output, staging = tmp_path / "public", tmp_path / "state" / "staging"
    if not first_build:
        output.mkdir()
    writer = OutputWriter(output, Report(), staging=staging)
    with pytest.raises(UnsafePathError):
        writer.store(Output(relative, b"<p>x</p>", "test"), "key")
    assert not (tmp_path / "x.html").exists() and not (tmp_path / "state" / "x.html").exists()
    assert writer.store(Output("ok/index.html", b"<p>ok</p>", "test"), "key").written
    assert (staging / "ok" / "index.html").read_bytes() == b"<p>ok</p>"
