"""Which articles are out: drafts and articles dated in the future wait (a preview shows them marked);
withdrawn ones are out for good."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sitegen.model import Article

DRAFT, SCHEDULED = "draft", "scheduled"


@dataclass(frozen=True)
class Schedule:
    articles: list[Article]
    """What the site shows: the published articles, and in a preview the waiting ones too."""
    waiting: dict[str, str] = field(default_factory=dict)
    """DRAFT or SCHEDULED, by article path, for every article that is not published yet."""
    next_due: int = 0
    """When (ns since the epoch) the earliest scheduled article is due; 0 when none is."""
    withdrawn: list[Article] = field(default_factory=list)
    """Published, then withdrawn: out of every list; their pages say they were withdrawn."""


def schedule(articles: list[Article], now: datetime, preview: bool = False) -> Schedule:
    """Drafts and articles dated after `now` are left out, unless `preview` (then they are marked).
    Their time coming is itself a change: `next_due` says when the site must be built again."""
    shown, published, withdrawn, waiting, due = [], [], [], {}, []
    for article in articles:  # one pass over every story: comparing dates in different zones is most of it
        if article.withdrawn:
            withdrawn.append(article)
            continue
        shown.append(article)
        if article.draft:
            waiting[article.path] = DRAFT
        elif article.date > now:
            waiting[article.path] = SCHEDULED
            due.append(article.date)
        else:
            published.append(article)
    return Schedule(articles=shown if preview else published,
                    waiting=waiting, next_due=int(min(due).timestamp() * 1e9) if due else 0,
                    # one never published (a draft, or dated later) needs no notice: it just stays out
                    withdrawn=[a for a in withdrawn if not a.draft and a.date <= now])
