"""Equal values handed out as one object, so a stored shard holds each once."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sitegen.sharing import SharedValues


def test_equal_strings_and_tuples_become_one_object_and_keep_their_value():
    shared = SharedValues()
    first = shared.of(("国际", "".join(["新", "闻"]), ("a", 1000)))
    again = shared.of(("国际", "".join(["新", "闻"]), ("a", int("1000"))))
    assert again is first and again == ("国际", "新闻", ("a", 1000))
    assert shared.of("".join(["国", "际"])) is first[0]
    assert shared.of(("a", 10 ** 3)) is first[2]


def test_values_that_are_equal_but_of_other_types_stay_apart():
    shared = SharedValues()
    numbers = shared.of((1, 0))
    flags = shared.of((True, False))
    assert type(flags[0]) is bool and type(flags[1]) is bool and flags is not numbers
    assert shared.of(("a",)) is not shared.of("a")
    assert shared.of(((1,),)) == ((1,),) and shared.of(((True,),))[0][0] is True


def test_dates_share_their_time_zone_but_not_its_name():
    shared = SharedValues()
    plus8 = shared.of(datetime(2024, 3, 1, 8, tzinfo=timezone(timedelta(hours=8))))
    again = shared.of(datetime(2024, 3, 2, 9, tzinfo=timezone(timedelta(hours=8))))
    named = shared.of(datetime(2024, 3, 2, 9, tzinfo=timezone(timedelta(hours=8), "CST")))
    assert again.tzinfo is plus8.tzinfo and again == datetime(2024, 3, 2, 1, tzinfo=timezone.utc)
    assert named.tzinfo is not plus8.tzinfo and named.tzname() == "CST" and again.tzname() == "UTC+08:00"
    naive = datetime(2024, 3, 2, 9)
    assert shared.of(naive) is naive


def test_other_values_are_handed_back_as_they_are():
    shared = SharedValues()
    things = [None, 1.5, b"bytes", frozenset({"a"}), ["a", "list"]]
    assert all(shared.of(thing) is thing for thing in things)
