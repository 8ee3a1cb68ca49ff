"""`sitegen serve` shows drafts and scheduled stories, marked; `--no-drafts` shows the site as published."""

from __future__ import annotations

import queue
import re
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.helpers import article

DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def get(url: str) -> tuple[int, str]:
    try:
        with DIRECT.open(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, ""


def serving(root: Path, *flags: str) -> tuple[subprocess.Popen, str]:
    """`sitegen serve` (from port 18700, the next free one if taken); (the process, the URL it says it serves at)."""
    process = subprocess.Popen([sys.executable, "-m", "sitegen", "serve", "--port", "18700", *flags], cwd=root,
                               text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    said = ""
    while "serving" not in said:
        said = lines.get(timeout=120)  # queue.Empty fails the test instead of hanging it
    return process, re.search(r"at (http://127\.0\.0\.1:\d+/)", said).group(1)


@pytest.mark.parametrize("flags, shown", [((), True), (("--no-drafts",), False)])
def test_serve_shows_drafts_and_scheduled_stories_marked_unless_no_drafts(make_site, flags, shown):
    tomorrow = (datetime.now(timezone.utc) + timedelta(days=1)).replace(microsecond=0).isoformat()
    root = make_site(files={
        "content/a.md": article(title="已发布的新闻"),
        "content/d.md": article(id="d1", title="草稿新闻").replace("categories:", "draft: true\ncategories:"),
        "content/f.md": article(id="f1", title="明天的新闻").replace("2024-03-01T23:30:00+00:00", tomorrow)})
    process, url = serving(root, *flags)
    try:
        status, home = get(url + "zh-hans/")
        assert status == 200 and "已发布的新闻" in home
        assert ("草稿新闻" in home and "明天的新闻" in home) is shown
        # wherever the front page shows a story (its lead, top band, latest list), a waiting one is marked
        marked = re.findall(r'class="preview-mark">[^<]*</span> <a href="[^"]*/([^/"]+)\.html"', home)
        assert set(marked) == ({"d1", "f1"} if shown else set()) and home.count('class="preview-mark"') == len(marked)
        draft = next(iter(root.glob("public/zh-hans/**/d1.html")), None)
        assert (draft is not None) is shown
        if shown:
            status, page = get(url + draft.relative_to(root / "public").as_posix())
            assert status == 200 and 'class="preview-mark"' in page and "草稿" in page
    finally:
        process.terminate()
        process.wait(timeout=30)
        process.stdout.close()
