"""Which stories each page of a list holds, so that a new story changes few pages.

A list (newest first) shows its newest `per_page` stories on its first page, at the list's own
address (`FIRST`). The stories after those are put on numbered pages counted from the oldest:
page 1 holds the oldest `per_page`, page 2 the next, and the newest numbered page the rest, which
may be fewer. A story added at the top then changes the first page and the newest numbered page
(or adds one), and every older page keeps its address, its stories and its bytes: a build of a
large site after a fetch remakes a few list pages, not every one, and a deploy uploads as few.
(Numbering from the newest, as most generators do, moves every story one place down every page.)
"""

from __future__ import annotations

FIRST = 0
"""The list's first page: its newest stories, at the list's own address."""


def numbered_pages(stories: int, per_page: int) -> int:
    """How many numbered pages a list of `stories` has besides its first page."""
    return max(0, -(-(stories - per_page) // per_page))


def page_numbers(stories: int, per_page: int) -> range:
    """Every page of the list: FIRST, then the numbered pages from the oldest."""
    return range(FIRST, numbered_pages(stories, per_page) + 1)


def stories_on(number: int, stories: int, per_page: int) -> slice:
    """Where page `number`'s stories are in the list (newest first)."""
    if number == FIRST:
        return slice(0, min(per_page, stories))
    end = stories - (number - 1) * per_page
    return slice(max(per_page, end - per_page), end)


def page_of(place: int, stories: int, per_page: int) -> int:
    """The page showing the story at `place` in the list (newest first, from 0)."""
    if place < per_page:
        return FIRST
    return (stories - 1 - place) // per_page + 1


def newer_page(number: int, stories: int, per_page: int) -> int | None:
    """The page before `number` going towards the newest stories (None from the first page)."""
    if number == FIRST:
        return None
    return FIRST if number == numbered_pages(stories, per_page) else number + 1


def older_page(number: int, stories: int, per_page: int) -> int | None:
    """The page after `number` going towards the oldest stories (None from the oldest)."""
    if number == FIRST:
        return numbered_pages(stories, per_page) or None
    return number - 1 if number > 1 else None
