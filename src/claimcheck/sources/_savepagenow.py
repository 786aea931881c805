"""Save Page Now 2: ask the Internet Archive to capture a page now (:class:`SavePageNow`).

Save Page Now needs an archive.org account's S3-style keys (https://archive.org/account/s3.php),
passed in or read from the environment variables ``CLAIMCHECK_IA_ACCESS_KEY`` and
``CLAIMCHECK_IA_SECRET_KEY``; it is never called anonymously. The keys are sent only to the
configured endpoint's origin, and its redirects are not followed: they never travel to another
host. A key is used without the whitespace around it (a secret pasted with its line break), and
one that no archive.org key can be is refused before any call, in words that never quote it
(:func:`_key`): a line break in a header value made requests raise an error quoting the header,
``LOW access:secret``. Save Page Now's own verdicts on a page (blocked, too many requests to
the site, still pending) come back as a :class:`SaveResult`, not as exceptions.

Sources of the formats (see ``../shared/reference/web-archives.md`` section 1.5): the Save Page
Now 2 API draft (Vangelis Banos, 2022) and clients quoting its answers (``{"url": …, "job_id":
…}``, a ``job_id`` of ``null`` with a "same snapshot" ``message`` for a recent duplicate, status
``pending``/``success``/``error`` with ``status_ext`` in an HTTP 200 answer, ``pending`` forever
for an unknown job id).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import attrs

from ..errors import ArchiveError, ConfigurationError, MissingCredentialsError, RateLimitedError
from ..model import check, positive_count, seconds_at_most
from ._archive import (
    ArchiveClient,
    archive_refusal,
    configured_limiter,
    original_url,
    parse_wayback_timestamp,
    replay_url,
)
from ._config import ArchiveConfig
from ._http import Answer, origin
from ._limits import RateLimiter
from ._wayback import Wayback

if TYPE_CHECKING:  # a type only: requests is loaded for a session the caller gives
    import requests

__all__ = ["ACCESS_KEY_ENV", "SECRET_KEY_ENV", "SavePageNow", "SaveResult"]

MAX_POLL_INTERVAL = 600.0
"""The longest wait between two polls of a Save Page Now job, in seconds."""

ACCESS_KEY_ENV = "CLAIMCHECK_IA_ACCESS_KEY"
SECRET_KEY_ENV = "CLAIMCHECK_IA_SECRET_KEY"

# A Retry-After that Save Page Now polling may simply wait out; longer ones end the save.
_MAX_INLINE_RETRY_AFTER = 60.0

# What an archive.org S3-style key may hold (they are letters and digits: archive.org/account/
# s3.php): printable ASCII without spaces, so that ``Authorization: LOW access:secret`` is one
# header line. The access key holds no colon either: it would move the split.
_KEY = re.compile(r"[!-~]+")


def _key(given: str | None, variable: str, name: str) -> str | None:
    """The key ``given`` (or else from the environment ``variable``), without the whitespace
    around it; ``None`` when there is none. Raises
    :class:`~claimcheck.errors.ConfigurationError` for a key no archive.org key can be, naming
    where it came from but never quoting it: a message may end up in a CI log."""
    source = name if given else variable
    value = (given or os.environ.get(variable) or "").strip()
    if not value:
        return None
    if not _KEY.fullmatch(value) or (name == "access_key" and ":" in value):
        raise ConfigurationError(
            f"{source}: not an archive.org key (it holds a space, a line break, a control "
            "character, a character outside ASCII or, in an access key, a colon); set it again "
            "from https://archive.org/account/s3.php"
        )
    return value


@attrs.frozen
class SaveResult:
    """What Save Page Now made of a request to capture ``url``.

    - ``ok``: the Internet Archive holds a capture of the page now (a new one, or a recent one
      it declined to duplicate).
    - ``archive_url``/``timestamp``: that capture, when known.
    - ``job_id``: the Save Page Now job, when one was started.
    - ``error``: why not: Save Page Now's ``status_ext`` (``"error:blocked"``,
      ``"error:too-many-requests"``, …), ``"rate-limited"`` (the Internet Archive asked us to
      slow down) or ``"still-pending"`` (the job did not finish while we polled).
    - ``message``: what happened, in words (Save Page Now's own message when it gave one).
    """

    url: str
    ok: bool
    archive_url: str | None
    timestamp: dt.datetime | None
    job_id: str | None
    error: str | None
    message: str


class SavePageNow(ArchiveClient):
    """The Internet Archive's Save Page Now 2 API: ask for a capture of a page now.

    Needs an archive.org account's S3-style keys (https://archive.org/account/s3.php):
    ``access_key``/``secret_key``, by default from the environment variables
    ``CLAIMCHECK_IA_ACCESS_KEY`` and ``CLAIMCHECK_IA_SECRET_KEY``. Without them :meth:`save`
    raises :class:`~claimcheck.errors.MissingCredentialsError`; it never calls anonymously. The
    whitespace around a key is dropped; a key that no archive.org key can be (a line break,
    a space or a control character in it) is a :class:`~claimcheck.errors.ConfigurationError`
    that does not quote it.
    """

    def __init__(
        self,
        config: ArchiveConfig | None = None,
        *,
        access_key: str | None = None,
        secret_key: str | None = None,
        session: requests.Session | None = None,
        limiter: RateLimiter | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        config = config if config is not None else ArchiveConfig()
        if limiter is None:
            limiter = configured_limiter(config, config.save_page_now)
        super().__init__(config, endpoints=[config.save_page_now], session=session, limiter=limiter)
        self._access_key = _key(access_key, ACCESS_KEY_ENV, "access_key")
        self._secret_key = _key(secret_key, SECRET_KEY_ENV, "secret_key")
        self._sleep = sleep

    def __repr__(self) -> str:
        keys = "keys set" if self.has_keys else "no keys"
        return f"SavePageNow({self.config.save_page_now!r}, {keys})"

    @property
    def has_keys(self) -> bool:
        """Whether both keys are set (else :meth:`save` raises
        :class:`~claimcheck.errors.MissingCredentialsError`): lets a caller refuse before doing
        any work."""
        return bool(self._access_key and self._secret_key)

    def save(
        self,
        url: str,
        *,
        if_not_archived_within: str | None = "30d",
        poll_interval: float = 5.0,
        max_polls: int = 24,
    ) -> SaveResult:
        """Ask Save Page Now to capture ``url`` and wait (polling) for the outcome.

        ``if_not_archived_within`` (``"30d"``, ``"24h"``, seconds) lets the archive answer with
        a recent capture instead of making another. The job's status is polled every
        ``poll_interval`` seconds at most ``max_polls`` times: Save Page Now answers
        ``pending`` forever for a job id it does not know, so polling must end (``poll_interval``
        at most :data:`MAX_POLL_INTERVAL`). A
        ``Retry-After`` of up to a minute while polling is waited out; a longer stop, or a 429
        to the request itself, ends the save as ``rate-limited``.

        Raises :class:`~claimcheck.errors.ConfigurationError` for a ``poll_interval`` or
        ``max_polls`` out of range, :class:`~claimcheck.errors.MissingCredentialsError` without
        keys, and
        :class:`~claimcheck.errors.ArchiveError` when the archive cannot be reached, refuses
        the keys, or answers unexpectedly (a redirect among them: it is not followed).
        """
        check("poll_interval", poll_interval, seconds_at_most(MAX_POLL_INTERVAL))
        check("max_polls", max_polls, positive_count)
        if not self.has_keys:
            raise MissingCredentialsError(
                "Save Page Now needs archive.org keys (https://archive.org/account/s3.php): "
                f"pass access_key and secret_key, or set {ACCESS_KEY_ENV} and {SECRET_KEY_ENV}"
            )
        form = {"url": original_url(url)}
        if if_not_archived_within:
            form["if_not_archived_within"] = if_not_archived_within
        endpoint = self.config.save_page_now
        try:
            answer = self._call("POST", endpoint, form)
        except RateLimitedError as error:
            return _rate_limited(url, None, error)
        if answer.status >= 500:
            # Per URL, not the service: Save Page Now answers 520/523 when the page's own server
            # fails it, while other URLs save, and sometimes archives the page anyway
            # (internetarchive/wayback#297; agude/wayback-machine-archiver#17, #19).
            return _not_saved(
                url,
                None,
                f"http-{answer.status}",
                f"Save Page Now answered HTTP {answer.status} (it sometimes archives the page "
                "anyway: look for a capture later)",
            )
        reply = self._reply(answer, endpoint)
        message = str(reply.get("message") or "")
        if reply.get("status") == "error":
            return _failed(url, None, reply)
        job_id = reply.get("job_id")
        if not job_id:
            if message:
                return self._recent_capture(url, message)
            raise ArchiveError(f"{endpoint}: no job id in the answer {reply}")
        return self._poll(url, str(job_id), message, poll_interval, max_polls)

    def _call(self, method: str, url: str, form: dict[str, str] | None = None) -> Answer:
        """One call carrying the keys: only ever to the configured endpoint's origin."""
        if origin(url) != origin(self.config.save_page_now):
            raise ArchiveError(f"{url}: not the Save Page Now endpoint; the keys stay home")
        headers = {
            "Accept": "application/json",
            "Authorization": f"LOW {self._access_key}:{self._secret_key}",
        }
        return self._request(method, url, data=form, headers=headers)

    def _poll(
        self, url: str, job_id: str, message: str, poll_interval: float, max_polls: int
    ) -> SaveResult:
        """Poll job ``job_id`` until it succeeds or fails, at most ``max_polls`` times."""
        status_url = f"{self.config.save_page_now}/status/{quote(job_id, safe='')}"
        for _ in range(max_polls):
            self._sleep(poll_interval)
            try:
                answer = self._call("GET", status_url)
            except RateLimitedError as error:
                wait = error.retry_after
                if wait is not None and wait <= _MAX_INLINE_RETRY_AFTER:
                    self._sleep(wait)
                    continue
                return _rate_limited(url, job_id, error)
            status = self._reply(answer, status_url)
            state = status.get("status")
            if state == "pending":
                continue
            if state == "error":
                return _failed(url, job_id, status)
            if state == "success":
                return self._saved(url, job_id, status, message)
            raise ArchiveError(f"{status_url}: unexpected job status {state!r}")
        return _not_saved(
            url,
            job_id,
            "still-pending",
            f"Save Page Now job {job_id} was still pending after {max_polls} polls; "
            "look for the capture later",
        )

    def _reply(self, answer: Answer, url: str) -> dict[str, Any]:
        reply: Any = None
        with contextlib.suppress(ValueError):
            reply = answer.json()
        said = reply.get("message") if isinstance(reply, dict) else None
        if answer.status in (401, 403):  # every URL would fail alike: the run stops
            raise MissingCredentialsError(
                f"{url}: Save Page Now refused the access keys (HTTP {answer.status}"
                + (f": {said})" if said else ")")
            )
        if answer.status != 200:
            raise archive_refusal(answer, url, detail=str(said) if said else None)
        if not isinstance(reply, dict):
            raise ArchiveError(f"{url}: the answer is not a JSON object")
        return reply

    def _saved(self, url: str, job_id: str, status: dict[str, Any], message: str) -> SaveResult:
        try:
            moment = parse_wayback_timestamp(str(status.get("timestamp")))
        except ValueError:
            raise ArchiveError(f"job {job_id}: success without a timestamp: {status}") from None
        original = str(status.get("original_url") or url)
        archive_url = replay_url(self.config.wayback, moment, original)
        return SaveResult(
            url=url,
            ok=True,
            archive_url=archive_url,
            timestamp=moment,
            job_id=job_id,
            error=None,
            message=message or str(status.get("message") or f"saved as {archive_url}"),
        )

    def _recent_capture(self, url: str, message: str) -> SaveResult:
        """Save Page Now started no job because a recent capture exists ("The same snapshot
        had been made 3 minutes ago"); name that capture when the CDX index already lists it."""
        capture = None
        with (
            contextlib.suppress(ArchiveError),
            Wayback(self.config, session=self._transport.session, limiter=self._limiter) as wayback,
        ):
            capture = wayback.nearest(url)
        return SaveResult(
            url=url,
            ok=True,
            archive_url=capture.archive_url if capture else None,
            timestamp=capture.timestamp if capture else None,
            job_id=None,
            error=None,
            message=message,
        )


def _not_saved(url: str, job_id: str | None, error: str, message: str) -> SaveResult:
    return SaveResult(
        url=url,
        ok=False,
        archive_url=None,
        timestamp=None,
        job_id=job_id,
        error=error,
        message=message,
    )


def _failed(url: str, job_id: str | None, reply: dict[str, Any]) -> SaveResult:
    status_ext = str(reply.get("status_ext") or "error")
    job_id = job_id or (str(reply["job_id"]) if reply.get("job_id") else None)
    return _not_saved(url, job_id, status_ext, str(reply.get("message") or status_ext))


def _rate_limited(url: str, job_id: str | None, error: RateLimitedError) -> SaveResult:
    return _not_saved(url, job_id, "rate-limited", str(error))
