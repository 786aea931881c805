"""Save Page Now keys: a key pasted with surrounding whitespace (a CI secret ending in a line
break) is used without it; a key no archive.org key can be (a line break or another control
character inside it, a space, a character outside printable ASCII, a colon in the access key,
which would split ``LOW access:secret`` elsewhere) is refused before any call, and the refusal
never quotes it. Nor does the transport quote a header it could not send.

Internals tested directly (private modules): the transport (``claimcheck.sources._http``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from claimcheck.errors import ConfigurationError
from claimcheck.sources import ArchiveConfig, SavePageNow
from claimcheck.sources._http import Answer, HttpSettings, Transport, Watch
from fake_archive import FakeArchive
from servers import page, serve

SECRET = "s3cr3tVALUE"
ACCESS = "acc3ssKEY"


@pytest.fixture
def archive() -> Iterator[FakeArchive]:
    with FakeArchive() as fake:
        fake.keys = (ACCESS, SECRET)
        yield fake


def _saver(archive: FakeArchive, access: str, secret: str) -> SavePageNow:
    config = ArchiveConfig(
        wayback=archive.base_url,
        save_page_now=archive.base_url + "/save",
        requests_per_minute=6000,
        timeout=5,
    )
    return SavePageNow(config, access_key=access, secret_key=secret, sleep=lambda _: None)


@pytest.mark.parametrize(
    ("access", "secret"),
    [
        (ACCESS, SECRET + "\n"),  # pasted with its line break
        (ACCESS + "\r\n", SECRET),
        (f" {ACCESS}\t", f"\n{SECRET} "),
    ],
)
def test_keys_are_used_without_surrounding_whitespace(
    archive: FakeArchive, access: str, secret: str
) -> None:
    result = _saver(archive, access, secret).save("https://example.org/page", poll_interval=0)
    assert result.ok, result.message
    sent = [r.headers.get("Authorization") for r in archive.requests]
    assert f"LOW {ACCESS}:{SECRET}" in sent


@pytest.mark.parametrize(
    ("access", "secret", "named"),
    [
        (ACCESS, f"{SECRET}\r\nX-Injected: 1", "secret_key"),  # a header of its own
        (ACCESS, f"{SECRET}\nmore", "secret_key"),
        (ACCESS, f"{SECRET}\x00", "secret_key"),
        (ACCESS, f"{SECRET} {SECRET}", "secret_key"),
        (ACCESS, f"{SECRET}é", "secret_key"),
        (ACCESS, f"{SECRET}\u20ac", "secret_key"),
        (f"{ACCESS}:{SECRET}", SECRET, "access_key"),
        (f"{ACCESS}\x1b[2J", SECRET, "access_key"),
    ],
)
def test_a_malformed_key_is_refused_without_being_quoted(
    archive: FakeArchive, access: str, secret: str, named: str
) -> None:
    with pytest.raises(ConfigurationError) as refused:
        _saver(archive, access, secret)
    message = str(refused.value)
    assert named in message
    assert SECRET not in message
    assert ACCESS not in message
    assert archive.requests == []  # refused before any call


def test_keys_from_the_environment_are_named_by_their_variable(
    archive: FakeArchive, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLAIMCHECK_IA_ACCESS_KEY", ACCESS + "\n")
    monkeypatch.setenv("CLAIMCHECK_IA_SECRET_KEY", f"{SECRET}\nmore")
    with pytest.raises(ConfigurationError, match="CLAIMCHECK_IA_SECRET_KEY") as refused:
        SavePageNow(ArchiveConfig(save_page_now=archive.base_url + "/save"))
    assert SECRET not in str(refused.value)
    monkeypatch.setenv("CLAIMCHECK_IA_SECRET_KEY", f"  {SECRET}\n")
    saver = SavePageNow(ArchiveConfig(save_page_now=archive.base_url + "/save"))
    assert saver.has_keys
    assert SECRET not in repr(saver)


def test_blank_keys_are_no_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMCHECK_IA_ACCESS_KEY", "\n")
    monkeypatch.setenv("CLAIMCHECK_IA_SECRET_KEY", "  ")
    assert not SavePageNow().has_keys


def test_the_transport_never_quotes_a_header_it_could_not_send() -> None:
    """requests refuses a header value with a line break in an error that quotes it; the
    transport reports the failure in its own words."""
    settings = HttpSettings("claimcheck-test", 5.0, 5.0, 5.0, 1000, allow_private_addresses=True)
    transport = Transport(settings)
    watch = Watch(5.0)
    with serve({"/": page("ok")}) as base:
        try:
            outcome = transport.exchange(
                "POST", base + "/", watch, headers={"Authorization": f"LOW {ACCESS}:{SECRET}\nX: 1"}
            )
        finally:
            watch.close()
            transport.close()
    assert not isinstance(outcome, Answer)
    assert SECRET not in outcome.message
    assert ACCESS not in outcome.message
