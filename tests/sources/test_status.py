"""`sitegen sources status [--json]`: the health table as printed, its JSON, its exit status."""

import io
import json
from datetime import datetime, timedelta, timezone

from sitegen.cli import main
from sitegen.config import load_config
from sitegen.health import Attempt, record_attempts
from sitegen.sources.status import print_status
from sitegen.sources.table import text_width

NOW = datetime(2024, 8, 10, 4, 0, tzinfo=timezone.utc)
HOUR, DAY = timedelta(hours=1), timedelta(days=1)
CONFIG = """\
[site]
title = "測試"
base_url = "https://news.example.org/"

[health]
failing_runs = 2
silent_days = 3
{sources}"""
SOURCE = '\n[[sources]]\nid = "{id}"\nname = "{name}"\nurl = "feeds/{id}.xml"\n'
NAMES = {"rfa": "自由亞洲電台", "voa": "VOA", "dw": "德國之聲", "bbc": "BBC中文"}


def site(make_site, names=NAMES):
    return make_site(CONFIG.format(sources="".join(SOURCE.format(id=i, name=n) for i, n in names.items())))


def record_week(root):
    """rfa: fine; voa: failing twice since its last success; dw: quiet for four days; bbc: never fetched;
    gone: recorded, no longer in sitegen.toml."""
    attempts = []
    for day in range(7):
        at = NOW - (6 - day) * DAY
        attempts += [Attempt("rfa", at, True, seconds=0.2 + day / 100, items=20, new=4),
                     Attempt("dw", at, True, seconds=1.5, items=9, new=3 if day < 3 else 0),
                     Attempt("gone", at, False, error="HTTP 410 Gone")]
        attempts.append(Attempt("voa", at, True, seconds=0.6, items=30, new=2) if day < 5 else
                        Attempt("voa", at, False, error="HTTP 503 Service Unavailable (after 3 tries)", seconds=7.0))
    record_attempts(root / ".sitegen", attempts)


def status(root, as_json=False):
    out = io.StringIO()
    code = print_status(load_config(root), NOW + 2 * HOUR, as_json=as_json, out=out)
    return code, out.getvalue()


def test_the_table(make_site):
    root = site(make_site)
    record_week(root)
    code, text = status(root)
    assert code == 1  # items/day: rfa's 28 new stories over the 6 days and 2 hours since its first fetch
    assert text.splitlines() == [
        "source  name          last success                streak  items/day  last new story  median ms  flag",
        "rfa     自由亞洲電台  2 h ago (2024-08-10 12:00)  0       4.6        2 h ago         230        ok",
        "voa     VOA           2 d ago (2024-08-08 12:00)  2       1.6        2 d ago         600        FAILING",
        "dw      德國之聲      2 h ago (2024-08-10 12:00)  0       1.5        4 d ago         1500       SILENT",
        "bbc     BBC中文       -                           -       -          -               -          never fetched",
        "voa: 2 failed in a row: HTTP 503 Service Unavailable (after 3 tries)",
        "times in Asia/Taipei",
    ]


def from_column(row, column):
    """What `row` shows from terminal column `column` on (None: a wide character straddles it)."""
    return next((row[i:] for i in range(len(row) + 1) if text_width(row[:i]) == column), None)


def test_columns_line_up_on_a_terminal_however_wide_the_names(make_site):
    root = site(make_site, {"rfa": "自由亞洲電台", "voa": "VOA", "dw": "德國之聲", "x": "Ｗｉｄｅ"})
    record_week(root)
    header, *rows = status(root)[1].splitlines()[:5]
    for column in ("last success", "streak", "flag"):
        at = header.index(column)
        cells = [from_column(row, at) for row in rows]
        assert all(cell and cell[0] != " " and from_column(row, at - 2).startswith("  ")
                   for row, cell in zip(rows, cells)), (column, cells)


def test_the_json_is_a_stable_list_in_the_config_order(make_site):
    root = site(make_site)
    record_week(root)
    code, text = status(root, as_json=True)
    document = json.loads(text)
    assert code == 1 and [d["source"] for d in document] == ["rfa", "voa", "dw", "bbc"]
    assert document[1] == {
        "failing": True, "fetched": True, "flag": "FAILING", "items_per_day": 1.64,
        "last_attempt": "2024-08-10T04:00:00+00:00", "last_error": "HTTP 503 Service Unavailable (after 3 tries)",
        "last_new_story": "2024-08-08T04:00:00+00:00", "last_response_ms": 7000,
        "last_success": "2024-08-08T04:00:00+00:00", "median_response_ms": 600, "name": "VOA", "silent": False,
        "source": "voa", "streak": 2}
    assert (document[2]["flag"], document[2]["silent"], document[2]["last_new_story"]) == \
        ("SILENT", True, "2024-08-06T04:00:00+00:00")
    assert list(document[0]) == sorted(document[0]) and "自由亞洲電台" in text  # sorted keys, readable names
    assert status(root, as_json=True)[1] == text


def test_all_well_is_status_0(make_site):
    root = site(make_site, {"rfa": "自由亞洲電台"})
    record_week(root)
    assert status(root)[0] == 0


def test_a_site_never_fetched_is_status_0_and_says_so(make_site, capsys):
    root = site(make_site)
    assert main(["sources", "status", "--site", str(root)]) == 0
    rows = capsys.readouterr().out.splitlines()[1:5]
    assert all(row.endswith("never fetched") for row in rows)
    assert not (root / ".sitegen" / "health.sqlite").exists()


def test_a_damaged_health_file_is_one_error_line_and_status_2(make_site, capsys):
    root = site(make_site)
    (root / ".sitegen").mkdir()
    (root / ".sitegen" / "health.sqlite").write_bytes(b"\x00garbage" * 500)
    assert main(["sources", "status", "--site", str(root)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("error: ") and "delete it to start the records again" in err[0]


def test_the_command_has_help(capsys):
    try:
        main(["sources", "status", "--help"])
    except SystemExit:
        pass
    out = capsys.readouterr().out
    assert "--json" in out and "--site DIR" in out
