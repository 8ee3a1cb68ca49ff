"""site/pagination.py: every story on exactly one page, newest first, and older pages unmoved by
newer stories."""

from __future__ import annotations

import pytest

from sitegen.site.pagination import FIRST, newer_page, older_page, page_numbers, page_of, stories_on


def pages(stories: int, per_page: int) -> dict[int, list[int]]:
    """Each page's stories, by their place in the list (newest first)."""
    return {n: list(range(stories))[stories_on(n, stories, per_page)] for n in page_numbers(stories, per_page)}


@pytest.mark.parametrize("per_page", [1, 2, 3, 20])
@pytest.mark.parametrize("stories", [0, 1, 2, 3, 19, 20, 21, 39, 40, 41, 100])
def test_every_story_is_on_one_page_in_reading_order(stories, per_page):
    found = pages(stories, per_page)
    in_reading_order = [found[FIRST], *(found[n] for n in reversed(page_numbers(stories, per_page)[1:]))]
    assert [place for page in in_reading_order for place in page] == list(range(stories))
    assert all(page_of(place, stories, per_page) == n for n, places in found.items() for place in places)
    assert all(0 < len(places) <= per_page for n, places in found.items() if n != FIRST)
    assert len(found[FIRST]) == min(stories, per_page)


@pytest.mark.parametrize("per_page", [1, 2, 3, 20])
def test_newer_and_older_links_walk_the_pages_in_reading_order(per_page):
    stories = 7 * per_page + 1
    walked, page = [FIRST], older_page(FIRST, stories, per_page)
    while page is not None:
        walked.append(page)
        assert newer_page(page, stories, per_page) == walked[-2]
        page = older_page(page, stories, per_page)
    assert sorted(walked) == list(page_numbers(stories, per_page))
    assert newer_page(FIRST, stories, per_page) is None


@pytest.mark.parametrize("per_page", [1, 2, 3, 20])
def test_a_newer_story_leaves_every_page_but_the_first_and_the_newest_numbered_one_as_it_was(per_page):
    for stories in range(0, 5 * per_page):
        before, after = pages(stories, per_page), pages(stories + 1, per_page)
        numbered = [n for n in before if n != FIRST]
        for n in numbered[:-1]:
            assert [p + 1 for p in before[n]] == after[n]  # the same stories (one place further down)
