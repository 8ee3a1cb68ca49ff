"""One object for each value that many stored records repeat (a source's name, an author, a
category, a time zone, the rights of a source), so that a pickle of them stores each such value
once: pickle remembers what it wrote by identity, not equality. Loading then makes the value
once too, and the records loaded share it."""

from __future__ import annotations

from datetime import datetime, timezone

_AS_THEY_ARE = frozenset({type(None), bool, float})
"""Values not worth sharing (None and the booleans are one object already)."""


class SharedValues:
    """Hands out, for each value, the first equal one it was given (of the same type all through:
    1, 1.0 and True stay apart, as do time zones of one offset and different names)."""

    def __init__(self) -> None:
        self._seen: dict[object, object] = {}

    def of(self, value: object) -> object:
        """`value`, or an equal one handed out before; tuples are shared item by item, and a
        date's fixed-offset time zone with it."""
        kind = type(value)
        if kind is str:
            return self._seen.setdefault(value, value)
        if kind is tuple:
            items = self.items_of(value)  # type: ignore[arg-type]
            # Its items are shared already: the same items are the same objects, of the same types.
            return self._seen.setdefault((tuple, *map(id, items)), items)
        if kind is int:
            return self._seen.setdefault((int, value), value)
        if kind is datetime and type(value.tzinfo) is timezone:  # type: ignore[union-attr]
            zone = value.tzinfo  # type: ignore[union-attr]
            shared = self._seen.setdefault((timezone, zone.utcoffset(None), zone.tzname(None)), zone)
            return value if shared is zone else value.replace(tzinfo=shared)  # type: ignore[union-attr]
        return value

    def items_of(self, record: tuple) -> tuple:
        """`record` with each of its items shared (itself not: for a record of its own, such as
        one article's fields)."""
        seen, of = self._seen, self.of
        # Strings, most of what a record holds, without a call each.
        return tuple([seen.setdefault(item, item) if type(item) is str else
                      item if type(item) in _AS_THEY_ARE else of(item) for item in record])
