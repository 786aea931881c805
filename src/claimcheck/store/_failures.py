"""Failure records: what a live fetch or an archive lookup came to when it brought no copy (a
host that does not resolve, a refused connection, a failed TLS handshake, a timeout, an archive
that holds no capture or failed the lookup), kept in the snapshot store beside the captures, so
that an offline check gives the verdict the online check gave.

Why this shape (issue 14, item 8):

- **In the store, as a WARC file of its own.** A failure is written as a capture is: a gzipped
  WARC file named by its SHA-256, written atomically, its index entry added under the store's
  lock. So a crash leaves it whole or absent, ``rebuild-index`` re-derives its entry from the
  file and ``verify`` checks the file against the entry: the guarantees the store already has,
  with no second file of its own (a ``failures.jsonl`` beside the index would need its own
  atomic writes, lock and rebuild). The audit history (SQLite) records failures for audits;
  a check and ``snapshot fetch`` have only the store.
- **A ``metadata`` record**, after the ``warcinfo`` record: ``WARC-Target-URI`` the URL,
  ``WARC-Date`` when the failure was recorded, ``Content-Type: application/json``, and a body
  ``{"reason": …, "message": …, "origin": "live" | "archive"}``, which is the record (the
  ``Claimcheck-Failure`` header, its reason again, only marks the record for ``rebuild-index``
  and for people reading the file with WARC tools). Not a ``resource`` or ``response`` record:
  WARC tools (pywb, the Wayback Machine) replay those as the URL's content, and a failure must
  never be replayed as the page. WARC 1.1, section 6.6, makes a ``metadata`` record "content
  created in order to further describe, explain, or accompany a harvested resource"; its
  ``application/warc-fields`` body is a "may", and WARC writers (crocoite, qwarc) write JSON
  (iipc/warc-specifications#50).
- **Its index entry** has the fields of a capture's that still mean something (``url``,
  ``filename``, ``digest`` and ``length`` of the body) and ``recorded``, ``failure`` (the
  reason), ``message`` and ``origin``, but no ``captured`` nor ``mime``: a claimcheck from
  before failure records refuses the line ("unreadable index entry") and its ``rebuild-index``
  leaves the file out (no capture record in it), rather than read a failure as a capture of
  JSON text. A store from before has no such entries, and reads as it did.
- **What it is for** is :func:`claimcheck.checking.stored_copies`: the newest recorded outcome of
  a URL wins, as a new online check would find it (see there). Failures are recorded by a check
  and by ``snapshot fetch`` (:func:`claimcheck.checking.record_failures`), never by a run that
  reached no network at all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from typing import Any

import attrs

from ..errors import CorruptSnapshotError
from ..model import Reason, surt, well_formed
from ._warc import FAILURE_HEADER, new_warc

__all__ = [
    "ORIGINS",
    "FailureRecord",
    "failure_body",
    "failure_from_body",
    "failure_from_line",
    "failure_line",
    "failure_warc",
    "new_failure",
]

ORIGINS = ("live", "archive")
"""Where a recorded failure happened: the live fetch of the URL, or the archive lookup."""
_MEDIA_TYPE = "application/json"
# A message is a sentence or two; a longer one (a very long URL in it) is cut here, so that a
# failure record stays small whatever the message.
_MAX_MESSAGE = 4000


@attrs.frozen
class FailureRecord:
    """A recorded failure, as the store's index holds it.

    - ``url``: the URL whose fetch (``origin`` ``"live"``) or archive lookup (``"archive"``)
      failed, as cited.
    - ``recorded``: when (UTC, to the second).
    - ``reason`` and ``message``: what the fetch or the lookup said (for a lookup, ``no-archive``
      when the archives hold no copy, else why the lookup failed).
    - ``path``: the WARC file; ``digest`` (``sha256:<hex>``) and ``length``: of its body.
    """

    url: str
    recorded: dt.datetime
    reason: Reason
    message: str
    origin: str
    path: str
    digest: str
    length: int

    @property
    def key(self) -> str:
        """The SURT key the index sorts on."""
        return surt(self.url)


def new_failure(
    url: str, reason: Reason, message: str, origin: str, moment: dt.datetime
) -> tuple[bytes, FailureRecord]:
    """The WARC file of a new failure record of ``url`` (the URL checked by the caller), and
    its index entry; :class:`ValueError` for an origin other than ``"live"`` or
    ``"archive"``."""
    body = failure_body(reason, message, origin)
    warc = failure_warc(url, body, moment)
    relative = f"warc/{hashlib.sha256(warc).hexdigest()}.warc.gz"
    return warc, failure_from_body(body, relative, url, moment)


def failure_body(reason: Reason, message: str, origin: str) -> bytes:
    """The JSON body of a failure record (the record itself: see the module documentation)."""
    if origin not in ORIGINS:
        raise ValueError(f"a failure's origin is 'live' or 'archive', not {origin!r}")
    text = well_formed(message)
    if len(text) > _MAX_MESSAGE:
        text = text[: _MAX_MESSAGE - 1] + "…"
    fields = {"reason": Reason(reason).value, "message": text, "origin": origin}
    return json.dumps(fields, ensure_ascii=False, sort_keys=True).encode("utf-8")


def failure_warc(url: str, body: bytes, moment: dt.datetime) -> bytes:
    """The WARC file of a failure record: a ``warcinfo`` record, then the ``metadata`` record
    (``body`` from :func:`failure_body`), recorded at ``moment``."""
    buffer, writer = new_warc(hashlib.sha256(body).hexdigest())
    reason = json.loads(body)["reason"]
    record = writer.create_warc_record(
        url,
        "metadata",
        payload=io.BytesIO(body),
        length=len(body),
        warc_content_type=_MEDIA_TYPE,
        warc_headers_dict={
            "WARC-Date": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
            FAILURE_HEADER: reason,
        },
    )
    writer.write_record(record)
    return buffer.getvalue()


def failure_from_body(body: bytes, relative: str, url: str, recorded: dt.datetime) -> FailureRecord:
    """The index entry of the failure record in ``relative`` whose body is ``body`` (its
    ``url`` and ``recorded`` date read from its WARC headers by the caller, as a capture's
    are); :class:`CorruptSnapshotError` when the body is not a failure's JSON object."""
    try:
        fields = json.loads(body.decode("utf-8"))
        if not isinstance(fields, dict):
            raise ValueError("not a JSON object")
        reason, message, origin = fields["reason"], fields["message"], fields["origin"]
        if not all(isinstance(value, str) for value in (reason, message, origin)):
            raise ValueError("reason, message and origin must be strings")
        if origin not in ORIGINS:
            raise ValueError(f"origin {origin!r} is not 'live' or 'archive'")
        failure = FailureRecord(
            url=url,
            recorded=recorded,
            reason=Reason(reason),
            message=message,
            origin=origin,
            path=relative,
            digest="sha256:" + hashlib.sha256(body).hexdigest(),
            length=len(body),
        )
    except (ValueError, KeyError) as error:  # UnicodeDecodeError and JSONDecodeError too
        raise CorruptSnapshotError(f"{relative}: not a failure record ({error})") from None
    return failure


def failure_line(failure: FailureRecord) -> str:
    """The JSON part of a failure record's index line (after its SURT key and timestamp; why
    it has these fields: see the module documentation)."""
    fields = {
        "url": failure.url,
        "recorded": failure.recorded.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "failure": failure.reason.value,
        "message": failure.message,
        "origin": failure.origin,
        "digest": failure.digest,
        "length": failure.length,
        "filename": failure.path,
    }
    return json.dumps(fields, ensure_ascii=False)


def failure_from_line(fields: dict[str, Any], filename: str) -> FailureRecord:
    """The failure record an index line's JSON fields describe (``filename`` checked by the
    caller); :class:`ValueError` saying which field is missing or not of its type."""
    text = {name: fields.get(name) for name in ("url", "recorded", "failure", "message", "origin")}
    text["digest"] = fields.get("digest")
    for name, value in text.items():
        if not isinstance(value, str):
            raise ValueError(f"{name} must be a string, not {value!r:.60}")
    length = fields.get("length")
    if not isinstance(length, int) or isinstance(length, bool) or length < 0:
        raise ValueError(f"length must be a whole number, 0 or more, not {length!r:.60}")
    origin = str(text["origin"])
    if origin not in ORIGINS:
        raise ValueError(f"origin must be 'live' or 'archive', not {origin!r:.60}")
    recorded = dt.datetime.strptime(str(text["recorded"]), "%Y-%m-%dT%H:%M:%SZ")
    return FailureRecord(
        url=str(text["url"]),
        recorded=recorded.replace(tzinfo=dt.UTC),
        reason=Reason(str(text["failure"])),
        message=str(text["message"]),
        origin=origin,
        path=filename,
        digest=str(text["digest"]),
        length=length,
    )
