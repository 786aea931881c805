"""The rules settings are checked by: one rule per kind of value, each a function returning why a
value will not do (or ``None``), and :func:`option`, an attrs field that checks its value by
its rule and keeps the rule in its metadata (so that a configuration file's values are checked
by the same rule before conversion). :class:`~claimcheck.sources.FetchConfig`,
:class:`~claimcheck.sources.ArchiveConfig` and :class:`~claimcheck.auditing.AuditPolicy` are
built from them; a value that breaks its rule is a :class:`~claimcheck.errors.ConfigurationError`
naming the setting and showing the value (:func:`shown`: shortened, and never an error of its
own, whatever the number).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

import attrs

from ..errors import ConfigurationError

__all__ = [
    "MAX_SECONDS",
    "Rule",
    "check",
    "count",
    "duration",
    "flag",
    "is_number",
    "option",
    "positive_count",
    "positive_seconds",
    "rate",
    "rules_of",
    "seconds",
    "seconds_at_most",
    "shown",
    "to_float",
    "whole_number",
]

# The longest time any option may name (about 11.5 days): a longer one is a typo, and would
# overflow the timeouts of sockets and locks.
MAX_SECONDS = 1e6

Rule = Callable[[object], str | None]


def is_number(value: object) -> bool:
    """A finite int or float. Every int is finite, however large (``math.isfinite`` would turn
    one beyond a float's range into an ``OverflowError``)."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and math.isfinite(value))


# A value shown in a message is cut to about this many characters: a number of five thousand
# digits is not repeated whole.
_SHOWN = 40


def shown(value: object) -> str:
    """``value`` as a message about a setting shows it: its ``repr``, shortened when long. An
    int too long for Python to write in decimal (more than 4,300 digits) is said to be one."""
    try:
        text = repr(value)
    except ValueError:  # int to str conversion is limited (sys.get_int_max_str_digits)
        return "a number of thousands of digits"
    if len(text) <= _SHOWN:
        return text
    return f"{text[: _SHOWN // 2]}…{text[-8:]} ({len(text):,} characters)"


def seconds(value: object) -> str | None:
    if not is_number(value) or not 0 <= value <= MAX_SECONDS:  # type: ignore[operator]
        return f"must be a number of seconds, 0 or more (at most {MAX_SECONDS:,.0f})"
    return None


def positive_seconds(value: object) -> str | None:
    if not is_number(value) or not 0 < value <= MAX_SECONDS:  # type: ignore[operator]
        return f"must be a positive number of seconds (at most {MAX_SECONDS:,.0f})"
    return None


def rate(value: object) -> str | None:
    if not is_number(value) or not value >= 60 / MAX_SECONDS:  # type: ignore[operator]
        return "must be a positive number of calls a minute"
    return None


def flag(value: object) -> str | None:
    return None if isinstance(value, bool) else "must be true or false"


def option(default: Any, rule: Rule, converter: Callable[[Any], Any] | None = None) -> Any:
    """An attrs field whose value must pass ``rule`` (kept in its metadata, so that a
    configuration file's values are checked by the same rule before conversion)."""

    def validate(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        problem = rule(value)
        if problem is not None:
            raise ConfigurationError(f"{attribute.name}: {problem}, not {shown(value)}")

    return attrs.field(
        default=attrs.Factory(default) if callable(default) else default,
        validator=validate,
        converter=converter,
        metadata={"rule": rule},
    )


def rules_of(settings: type) -> dict[str, Rule]:
    """The rule of each field of a settings class built with :func:`option`, by name: what a
    configuration file's values are checked by, before conversion."""
    return {field.name: field.metadata["rule"] for field in attrs.fields(settings)}


def to_float(value: object) -> object:
    """Whole numbers as floats (the kind a seconds option holds); anything else as given, for
    the rule to judge, and so is a whole number beyond a float's range (``10**400``): converted,
    it would raise ``OverflowError`` rather than the rule's refusal."""
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return float(value)
        except OverflowError:
            return value
    return value


def whole_number(minimum: int, maximum: int | None = None) -> Rule:
    """A whole number, ``minimum`` or more (and ``maximum`` or less, when given)."""

    def rule(value: object) -> str | None:
        whole = isinstance(value, int) and not isinstance(value, bool)
        if whole and minimum <= value and (maximum is None or value <= maximum):  # type: ignore[operator]
            return None
        if maximum is None:
            return f"must be a whole number, {minimum} or more"
        return f"must be a whole number from {minimum} to {maximum}"

    return rule


count = whole_number(0)
"""A whole number, 0 or more."""

positive_count = whole_number(1)
"""A whole number, 1 or more."""


def seconds_at_most(limit: float) -> Rule:
    """A number of seconds from 0 to ``limit``."""

    def rule(value: object) -> str | None:
        if not is_number(value) or not 0 <= value <= limit:  # type: ignore[operator]
            return f"must be a number of seconds from 0 to {limit:g}"
        return None

    return rule


def duration(value: object) -> str | None:
    """A length of time (a ``datetime.timedelta``), zero or more."""
    if not isinstance(value, dt.timedelta) or value < dt.timedelta(0):
        return "must be a duration (a timedelta), zero or more"
    return None


def check(name: str, value: object, rule: Rule) -> None:
    """Raise :class:`~claimcheck.errors.ConfigurationError` unless ``value`` passes ``rule``:
    for settings given as arguments rather than as fields of a settings class."""
    problem = rule(value)
    if problem is not None:
        raise ConfigurationError(f"{name}: {problem}, not {shown(value)}")
