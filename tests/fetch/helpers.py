"""What the fetch tests share: a site's [[sources]] tables, and a fetch with its stored articles."""

from __future__ import annotations

from datetime import datetime, timezone

from sitegen.config import load_config
from sitegen.content.store import load_articles
from sitegen.errors import Report
from sitegen.fetch.ingest import fetch_sources

NOW = datetime(2024, 8, 3, 12, 0, tzinfo=timezone.utc)


def sources_toml(*sources: tuple, **extra: str) -> str:
    """A sitegen.toml with one [[sources]] table for each (id, url, script, *extra lines)."""
    tables = ""
    for sid, url, script, *options in sources:
        tables += (f'\n[[sources]]\nid = "{sid}"\nname = "{sid} 新聞"\nurl = "{url}"\nscript = "{script}"\n'
                   f'category = "國際"\neditor = "王編輯"\n' + "".join(f"{o}\n" for o in options))
    return '[site]\ntitle = "測試"\nbase_url = "https://news.example.org/"\n' + tables


def fetch(root, only=None, now=NOW):
    """Fetch the site's sources: (the report, its stored articles by title, the results)."""
    report = Report()
    results = fetch_sources(load_config(root), report, only=only, now=now)
    articles = load_articles(root / "content", Report())
    return report, {a.title: a for a in articles}, results
