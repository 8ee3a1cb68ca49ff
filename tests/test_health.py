"""Source health records (sitegen/health.py): what the attempts add up to, at a fixed `now`."""

import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

from sitegen import health
from sitegen.health import (HEALTH_FILE, Attempt, HealthRecordError, ago, read_history, record_attempts,
                            source_health, status_cells)

START = datetime(2024, 8, 1, tzinfo=timezone.utc)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


def ok(at, new=0, seconds=0.5, source="a"):
    return Attempt(source, at, True, seconds=seconds, items=10, new=new)


def failed(at, error="HTTP 503 Service Unavailable (after 3 tries)", source="a"):
    return Attempt(source, at, False, error=error, seconds=9.0)


def health_at(state_dir, now, sources=("a",), failing_runs=3, silent_days=7):
    return source_health(read_history(state_dir), sources, now, failing_runs, silent_days)


def test_the_streak_counts_failures_up_to_now_and_a_success_ends_it(tmp_path):
    record_attempts(tmp_path, [ok(START, new=2), failed(START + HOUR), failed(START + 2 * HOUR, "timed out")])
    [two] = health_at(tmp_path, START + 3 * HOUR)
    assert (two.streak, two.last_error, two.last_success, two.failing) == (2, "timed out", START, False)
    record_attempts(tmp_path, [failed(START + 3 * HOUR, "HTTP 404 Not Found")])
    [three] = health_at(tmp_path, START + 4 * HOUR)
    assert (three.streak, three.last_error, three.failing, three.flag) == (3, "HTTP 404 Not Found", True, "FAILING")
    record_attempts(tmp_path, [ok(START + 4 * HOUR)])
    [back] = health_at(tmp_path, START + 5 * HOUR)
    assert (back.streak, back.last_error, back.last_success, back.failing) == (0, "", START + 4 * HOUR, False)
    assert back.last_attempt == START + 4 * HOUR and back.last_new == START


def test_a_source_that_never_succeeded_has_no_last_success(tmp_path):
    record_attempts(tmp_path, [failed(START), failed(START + HOUR), failed(START + 2 * HOUR)])
    [never] = health_at(tmp_path, START + 2 * HOUR)
    assert never.last_success is None and never.streak == 3 and never.failing
    assert status_cells(never, "甲", START + 2 * HOUR, timezone.utc)[2] == "never"


def test_silent_after_more_than_silent_days_without_a_new_story(tmp_path):
    record_attempts(tmp_path, [ok(START, new=5)] + [ok(START + n * DAY) for n in range(1, 9)])
    on_the_day = health_at(tmp_path, START + 7 * DAY)[0]
    assert not on_the_day.silent  # seven days is not more than seven
    later = health_at(tmp_path, START + 7 * DAY + HOUR)[0]
    assert later.silent and later.flag == "SILENT" and later.last_new == START and not later.failing


def test_a_new_source_is_not_silent_before_it_was_recorded_that_long(tmp_path):
    record_attempts(tmp_path, [ok(START + n * DAY) for n in range(5)])
    assert not health_at(tmp_path, START + 5 * DAY)[0].silent
    assert health_at(tmp_path, START + 8 * DAY)[0].silent


def test_items_per_day_averages_new_stories_over_thirty_days(tmp_path):
    # 40 days of fetches bringing 3 new stories each: only the last 30 days count
    record_attempts(tmp_path, [ok(START + n * DAY, new=3) for n in range(40)])
    [found] = health_at(tmp_path, START + 39 * DAY)
    assert found.items_per_day == pytest.approx(31 * 3 / 30)  # days 9..39, both ends within the 30 days


def test_items_per_day_of_a_younger_source_averages_over_its_days(tmp_path):
    record_attempts(tmp_path, [ok(START, new=10), ok(START + DAY, new=0), ok(START + 4 * DAY, new=2)])
    assert health_at(tmp_path, START + 4 * DAY)[0].items_per_day == pytest.approx(12 / 4)
    record_attempts(tmp_path, [ok(START + 5 * DAY + HOUR, new=6)])  # its first hours count as a day
    assert health_at(tmp_path, START + 5 * DAY + 2 * HOUR)[0].items_per_day == pytest.approx(18 / (5 + 2 / 24))


def test_the_first_hours_count_as_a_whole_day(tmp_path):
    record_attempts(tmp_path, [ok(START, new=20)])
    assert health_at(tmp_path, START + HOUR)[0].items_per_day == 20


def test_response_times_median_of_successes_and_the_last(tmp_path):
    record_attempts(tmp_path, [ok(START, seconds=0.2), ok(START + HOUR, seconds=0.4), ok(START + 2 * HOUR, seconds=3.0),
                               failed(START + 3 * HOUR)])
    [found] = health_at(tmp_path, START + 3 * HOUR)
    assert (found.median_seconds, found.last_seconds) == (0.4, 9.0)


def test_a_source_never_fetched_is_not_flagged(tmp_path):
    record_attempts(tmp_path, [ok(START, new=1)])
    fresh, known = health_at(tmp_path, START + HOUR, sources=("new", "a"))
    assert (fresh.source, fresh.fetched, fresh.flagged, fresh.flag) == ("new", False, False, "never fetched")
    assert known.fetched and not known.flagged


def test_sources_are_kept_apart(tmp_path):
    record_attempts(tmp_path, [ok(START, new=4, source="a"), failed(START, source="b")])
    a, b = health_at(tmp_path, START + HOUR, sources=("a", "b"))
    assert (a.streak, a.last_new, b.streak, b.last_new) == (0, START, 1, None)


def test_old_attempts_are_pruned_and_what_outlives_them_stays(tmp_path):
    record_attempts(tmp_path, [ok(START, new=7)])
    record_attempts(tmp_path, [ok(START + n * DAY) for n in range(1, 70)])
    history = read_history(tmp_path)
    kept = history.attempts["a"]
    assert kept[0].at == START + 69 * DAY - timedelta(days=health.KEEP_DAYS) and kept[-1].at == START + 69 * DAY
    [found] = source_health(history, ["a"], START + 69 * DAY, 3, 7)
    assert found.last_new == START and found.silent  # the attempt that brought it is gone; the fact is not


def test_each_source_keeps_only_its_last_attempts(tmp_path, monkeypatch):
    monkeypatch.setattr(health, "KEEP_ATTEMPTS", 5)
    record_attempts(tmp_path, [ok(START + n * HOUR) for n in range(12)] + [ok(START, source="b")])
    history = read_history(tmp_path)
    assert [a.at for a in history.attempts["a"]] == [START + n * HOUR for n in range(7, 12)]
    assert len(history.attempts["b"]) == 1


def test_a_source_gone_for_the_kept_days_is_forgotten(tmp_path):
    record_attempts(tmp_path, [ok(START, source="gone"), ok(START)])
    record_attempts(tmp_path, [ok(START + 61 * DAY)])
    assert set(read_history(tmp_path).standing) == {"a"}


def test_no_file_is_no_history_and_reading_makes_no_file(tmp_path):
    history = read_history(tmp_path / ".sitegen")
    assert history.newest is None and not history.problem and not (tmp_path / ".sitegen").exists()
    assert health_at(tmp_path / ".sitegen", START)[0].fetched is False


def test_a_damaged_file_is_no_history_with_its_problem(tmp_path):
    (tmp_path / HEALTH_FILE).write_bytes(b"not a database at all, just words" * 100)
    history = read_history(tmp_path)
    assert history.newest is None and "cannot be read" in history.problem and HEALTH_FILE in history.problem


def test_an_empty_file_is_no_history(tmp_path):
    (tmp_path / HEALTH_FILE).write_bytes(b"")
    history = read_history(tmp_path)
    assert history.newest is None and not history.problem


def test_a_file_that_cannot_be_written_is_one_error(tmp_path):
    (tmp_path / HEALTH_FILE).write_bytes(b"not a database at all, just words" * 100)
    with pytest.raises(HealthRecordError, match="health.sqlite"):
        record_attempts(tmp_path, [ok(START)])


def test_a_locked_file_is_one_error_not_a_hang(tmp_path, monkeypatch):
    record_attempts(tmp_path, [ok(START)])
    holder = sqlite3.connect(tmp_path / HEALTH_FILE, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        monkeypatch.setattr(health, "LOCK_WAIT", 0.2)
        with pytest.raises(HealthRecordError, match="locked"):
            record_attempts(tmp_path, [ok(START + HOUR)])
    finally:
        holder.close()


def test_newest_is_the_last_attempt_of_any_source(tmp_path):
    record_attempts(tmp_path, [ok(START, source="a"), ok(START + 2 * HOUR, source="b")])
    assert read_history(tmp_path).newest == START + 2 * HOUR


@pytest.mark.parametrize("seconds, says", [(0, "just now"), (59, "just now"), (60, "1 min ago"),
                                           (3599, "59 min ago"), (3600, "1 h ago"), (86399, "23 h ago"),
                                           (86400, "1 d ago"), (-30, "just now")])
def test_ago(seconds, says):
    assert ago(START, START + timedelta(seconds=seconds)) == says


def test_cells_of_a_row(tmp_path):
    record_attempts(tmp_path, [ok(START, new=3, seconds=0.25), failed(START + HOUR)])
    [found] = health_at(tmp_path, START + 3 * HOUR)
    cells = status_cells(found, "甲新聞", START + 3 * HOUR, timezone(timedelta(hours=8)))
    assert cells == ("a", "甲新聞", "3 h ago (2024-08-01 08:00)", "1", "3.0", "3 h ago", "250", "ok")
