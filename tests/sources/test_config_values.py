"""Settings given in code are judged by the same rules as on the command line: a value no
setting can hold (NaN, an infinity, a negative, a number beyond a float's range, one of
thousands of digits) raises :class:`~claimcheck.errors.ConfigurationError` naming the setting,
in a message of one short line; never ``OverflowError``, nor a plain ``ValueError``, nor a
deadline thread that waits forever."""

from __future__ import annotations

import attrs
import pytest

from claimcheck import ArchiveConfig, AuditPolicy, FetchConfig
from claimcheck.errors import ConfigurationError
from claimcheck.sources import SavePageNow

ABSURD = [
    float("nan"),
    float("inf"),
    float("-inf"),
    -5,
    -1.5,
    10**400,  # beyond a float
    -(10**400),
    10**5000,  # beyond what Python writes in decimal (4,300 digits)
    "5",
    None,
]
# Counts, caps and rates have no upper bound.
UNBOUNDED = {
    "requests_per_minute",
    "max_bytes",
    "max_redirects",
    "per_host",
    "concurrency",
    "retries",
    "failures",
    "flaps",
}
NUMERIC = [
    (settings, field.name)
    for settings in (FetchConfig, ArchiveConfig, AuditPolicy)
    for field in attrs.fields(settings)
    if isinstance(field.default, int | float) and not isinstance(field.default, bool)
]


@pytest.mark.parametrize(("settings", "name"), NUMERIC, ids=lambda x: getattr(x, "__name__", x))
def test_absurd_numbers_are_refused_by_name(settings: type, name: str) -> None:
    for value in ABSURD:
        if name in UNBOUNDED and isinstance(value, int) and value > 0:
            continue  # a count, a cap or a rate of any size is legal
        with pytest.raises(ConfigurationError) as refused:
            settings(**{name: value})
        message = str(refused.value)
        assert message.startswith(f"{name}: "), message
        assert "\n" not in message
        assert len(message) < 200, message


def test_the_deadline_rules_of_the_issue() -> None:
    for value in (float("nan"), float("inf"), -5, 0):
        with pytest.raises(ConfigurationError, match="deadline"):
            FetchConfig(deadline=value)
    with pytest.raises(ConfigurationError, match="per_host"):
        FetchConfig(per_host=-1)
    with pytest.raises(ConfigurationError, match="poll_interval"):
        SavePageNow(access_key="a", secret_key="b").save(
            "https://example.org/", poll_interval=10**400
        )


def test_huge_whole_numbers_still_count() -> None:
    assert FetchConfig(per_host=10**400).per_host == 10**400
    assert FetchConfig(deadline=10**6).deadline == 1e6
