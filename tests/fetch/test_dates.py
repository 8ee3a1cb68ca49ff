"""Chinese feeds' dates, read as they are meant; never from the clock."""

from datetime import datetime, timezone

import pytest

from sitegen.fetch.dates import parse_date


@pytest.mark.parametrize("raw, expected", [
    ("2023年9月13日", "2023-09-13T00:00:00+08:00"),
    ("2023年09月13日 08:00", "2023-09-13T08:00:00+08:00"),
    ("2023年9月13日 下午3時20分", "2023-09-13T15:20:00+08:00"),
    ("2023/09/13 08:00", "2023-09-13T08:00:00+08:00"),
    ("2023-09-13 08:00:00", "2023-09-13T08:00:00+08:00"),
    ("2005-5-28 16:05:36", "2005-05-28T16:05:36+08:00"),
    ("Wed, 13 Sep 2023 08:00:00 CST", "2023-09-13T08:00:00+08:00"),
    ("Wed, 13 Sep 2023 08:00:00 GMT+8", "2023-09-13T08:00:00+08:00"),
    ("Wed, 13 Sep 2023 08:00:00 GMT+08:00", "2023-09-13T08:00:00+08:00"),
    ("星期三, 13 Sep 2023 08:00:00 +0800", "2023-09-13T08:00:00+08:00"),
    ("Wed, 13 Sep 2023 08:00:00", "2023-09-13T08:00:00+08:00"),
    ("Wed, 13 Sep 2023 08:00:00 GMT", "2023-09-13T08:00:00+00:00"),
    ("Mon, 20 Jun 2005 06:15:55+0900", "2005-06-20T06:15:55+09:00"),
    ("2023-09-13T08:00:00+08:00", "2023-09-13T08:00:00+08:00"),
    ("2023-09-13T00:00:00Z", "2023-09-13T00:00:00+00:00"),
    ("2004-06-02T19:07:55-04:00", "2004-06-02T19:07:55-04:00"),
    ("2023-09-13 08:00 北京时间", "2023-09-13T08:00:00+08:00"),
])
def test_chinese_feed_dates(raw, expected):
    assert parse_date(raw, "Asia/Taipei").isoformat() == expected


def test_a_date_without_zone_is_in_the_sources_zone():
    assert parse_date("2023-09-13 08:00:00", "Europe/Berlin").isoformat() == "2023-09-13T08:00:00+02:00"


@pytest.mark.parametrize("raw", ["", "garbage", "2023", "2023年", "2023-13-45 08:00", "明天"])
def test_unreadable_dates_are_none_not_today(raw):
    assert parse_date(raw, "Asia/Taipei") is None


FETCHED = datetime(2024, 8, 3, 12, 0, tzinfo=timezone.utc)  # 20:00 in Taipei


@pytest.mark.parametrize("raw, expected", [
    ("05/20 7:03 am", "2024-05-20T07:03:00+08:00"),
    ("05/20 7:03 pm", "2024-05-20T19:03:00+08:00"),
    ("5/20 12:10 am", "2024-05-20T00:10:00+08:00"),
    ("5/20 12:10 p.m.", "2024-05-20T12:10:00+08:00"),
    ("05-20 07:03", "2024-05-20T07:03:00+08:00"),
    ("5月20日 07:03", "2024-05-20T07:03:00+08:00"),
    ("5月20日 下午3時20分", "2024-05-20T15:20:00+08:00"),
    ("May 20 7:03", "2024-05-20T07:03:00+08:00"),
    ("Sept. 3rd 9:00", "2023-09-03T09:00:00+08:00"),
    ("Mon, 20 May 07:03:00 +0000", "2024-05-20T07:03:00+00:00"),
    ("12/31 23:00", "2023-12-31T23:00:00+08:00"),  # this year's would be after the fetch
    ("08/04 08:00", "2024-08-04T08:00:00+08:00"),  # hours ahead: a wrong zone, not last year's story
    ("08/05 08:00", "2023-08-05T08:00:00+08:00"),  # more than a day ahead: last year's
    ("02/29 10:00", "2024-02-29T10:00:00+08:00"),
    ("May 20, 2019 7:03 pm", "2019-05-20T19:03:00+08:00"),  # a year, when written, is read as written
])
def test_a_date_without_a_year_takes_the_latest_year_not_after_the_reference(raw, expected):
    assert parse_date(raw, "Asia/Taipei", FETCHED).isoformat() == expected


def test_29_february_goes_back_to_the_last_leap_year():
    assert parse_date("2月29日 10:00", "Asia/Taipei", datetime(2027, 3, 1, tzinfo=timezone.utc)).year == 2024


@pytest.mark.parametrize("raw", ["05/20 7:03 am", "5月20日", "May 20 7:03"])
def test_a_date_without_a_year_and_nothing_to_place_it_by_is_unreadable(raw):
    assert parse_date(raw, "Asia/Taipei") is None


@pytest.mark.parametrize("raw", ["13/20 7:03", "02/30 10:00", "05/20 13:03 pm", "05/20 24:00", "7:03 am"])
def test_impossible_year_less_dates_are_none(raw):
    assert parse_date(raw, "Asia/Taipei", FETCHED) is None
