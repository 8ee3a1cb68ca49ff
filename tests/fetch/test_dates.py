"""Chinese feeds' dates, read as they are meant; never from the clock."""

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
