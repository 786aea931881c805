"""SARIF 2.1.0: a report as a static-analysis log, for GitHub code scanning and SARIF viewers.

The log holds one run. ``tool.driver`` names claimcheck and lists one rule per :class:`Reason`
that can show up in the log. The rule id is the reason's value (``"figure-changed"``), and its
descriptions come from the reason table (:func:`claimcheck.model.reason_descriptions`). The log
holds one result
per claim that is not verified:

- a claim whose status is in ``failing`` (what ``--fail-on`` names) is a result at level
  ``"error"``;
- any other claim that is not verified (drifted, broken, unchecked or unsourced, but not failing)
  is a result at level ``"warning"``, as it is in the GitHub annotations (:func:`render_github`);
- verified claims leave no result, unless ``failing`` names ``verified``, or they are disputed
  (another source says otherwise: :func:`~claimcheck.model.disputing`). A disputed claim is a
  result of its own rule, ``disputed``, at level ``"error"`` when ``failing`` names
  ``disputed`` and ``"warning"`` otherwise; its message says which source says what, and its
  properties hold ``disputed`` and ``dispute``.

A finding dismissed by an ignore entry stays a result, with a ``suppressions`` entry of kind
``"external"`` (the entry is written outside the statement), status ``"accepted"``, the entry's
reason as ``justification`` and its place as ``location``: SARIF viewers and GitHub code
scanning show it as suppressed (dismissed), and it is never at level ``"error"``. An ignore
entry that matches no finding is a ``"warning"`` notification of the run
(``invocations[0].toolExecutionNotifications``), at the entry's line.

A result points at the claim's text in the statement file: the region runs from its first
character to the character just after it, with lines and columns 1-based. claimcheck counts
columns in Unicode code points, so the run declares ``"columnKind": "unicodeCodePoints"``, and the
numbers are those of the JSON report. A claim without a location (its statement has no text file)
points at line 1 of its claims file: GitHub code scanning places no result that has no line.
Files under ``base`` get relative URIs with the ``%SRCROOT%`` base id, which GitHub code scanning
resolves against the repository root. Other files get absolute ``file:`` URIs.

Each cited source appears in the result's message. Every http(s) source is also a related
location (SARIF viewers can open it; GitHub code scanning shows related locations only when a
message links to them, and claimcheck's messages do not), and every source is listed in the
result's ``properties``. ``partialFingerprints``
hold a hash of the statement name and the claim id: the same claim keeps its identity across
runs, even when the statement's text moves.

Text from claims and sources reaches the message only with its control and bidi characters shown
as escapes, its square brackets escaped (SARIF reads ``[text](id)`` as a link) and its braces
doubled (SARIF reads ``{0}`` as a placeholder). The property bag keeps the exact text
(well-formed: a lone surrogate is U+FFFD).
"""

from __future__ import annotations

import hashlib
import os
import re
import urllib.parse
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Final

from .._version import __version__
from ..model import (
    ClaimResult,
    Flag,
    Ignore,
    Reason,
    Report,
    Status,
    reason_descriptions,
    well_formed,
)
from ._display import display_safe, normal_path, relative_to, stamp

__all__ = [
    "SARIF_SCHEMA",
    "SARIF_VERSION",
    "artifact_location",
    "message_string",
    "to_sarif",
    "web_uri",
]

SARIF_VERSION: Final = "2.1.0"
SARIF_SCHEMA: Final = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)

HOMEPAGE: Final = "https://github.com/claimcheck/claimcheck"
REASONS_HELP: Final = f"{HOMEPAGE}#reasons"
SRCROOT: Final = "%SRCROOT%"
FINGERPRINT: Final = "claimcheck/claim/v1"
UNUSED_IGNORE: Final = "unused-ignore"
"""The id of the notification that an ignore entry matches no finding."""

_SUB_DELIMS: Final = "!$&'()*+,;="


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _short(text: str) -> str:
    """The meaning's first clause: what a one-line rule title has room for."""
    cut = min((i for i in (text.find(" ("), text.find(": "), text.find("; ")) if i > 0), default=-1)
    return _sentence(text[:cut] if cut > 0 else text)


def _rule_name(reason: Reason) -> str:
    return "".join(part[:1].upper() + part[1:] for part in reason.value.split("-"))


def _rule(reason: Reason, meaning: str, level: str) -> dict[str, Any]:
    full = message_string(_sentence(meaning))
    return {
        "id": reason.value,
        "name": _rule_name(reason),
        "shortDescription": {"text": message_string(_short(meaning))},
        "fullDescription": {"text": full},
        "help": {
            "text": f"{full} Claims with this reason are {reason.status.value}. See {REASONS_HELP}",
            "markdown": f"{full} Claims with this reason are **{reason.status.value}**. "
            f"See [the reasons]({REASONS_HELP}).",
        },
        "helpUri": REASONS_HELP,
        "defaultConfiguration": {"level": level},
        "properties": {"tags": ["claimcheck", reason.status.value], "status": reason.status.value},
    }


DISPUTED_MEANING: Final = (
    "the claim is verified by one source, but another cited source says otherwise (another "
    "figure, date or wording): the claim stays verified"
)


def _disputed_rule(level: str) -> dict[str, Any]:
    full = message_string(_sentence(DISPUTED_MEANING))
    return {
        "id": Flag.DISPUTED.value,
        "name": "Disputed",
        "shortDescription": {"text": message_string(_short(DISPUTED_MEANING))},
        "fullDescription": {"text": full},
        "help": {
            "text": f"{full} See {REASONS_HELP}",
            "markdown": f"{full} See [the reasons]({REASONS_HELP}).",
        },
        "helpUri": REASONS_HELP,
        "defaultConfiguration": {"level": level},
        "properties": {"tags": ["claimcheck", Flag.DISPUTED.value], "status": "verified"},
    }


def _level(result: ClaimResult, failing: frozenset[Status | Flag]) -> str | None:
    if result.fails(failing):
        return "error"
    if result.status is Status.VERIFIED and not result.disputed:
        return None
    return "warning"


def _rule_id(result: ClaimResult) -> str:
    """A disputed claim's rule is ``disputed`` (its reason, a verified one, says nothing wrong);
    any other claim's is its reason."""
    return Flag.DISPUTED.value if result.disputed else result.reason.value


# --------------------------------------------------------------------------------------------
# Locations


def artifact_location(path: Path, base: Path | None) -> dict[str, Any]:
    """Where a file is, as a SARIF ``artifactLocation``: a relative URI with ``%SRCROOT%`` when
    the file is under ``base``, else an absolute ``file:`` URI. Both are percent-encoded, so
    spaces, ``%``, ``#`` and non-ASCII names give valid URI references."""
    if base is not None:
        relative = relative_to(path, base)
        if relative is not None:
            return {"uri": _quote_path(relative), "uriBaseId": SRCROOT}
    return {"uri": _file_uri(path)}


def _quote_path(path: Path) -> str:
    """``path`` percent-encoded as the bytes the file system has for it (a name that is not
    UTF-8 is read into lone surrogates, ``os.fsdecode``; each stands for its byte again), or,
    for a name no file system holds, as its well-formed text."""
    try:
        data = os.fsencode(path.as_posix())
    except UnicodeEncodeError:
        data = well_formed(path.as_posix()).encode("utf-8")
    return urllib.parse.quote_from_bytes(data, safe="/")


def _file_uri(path: Path) -> str:
    """An absolute ``file:`` URI, as :meth:`pathlib.Path.as_uri` makes it for any name."""
    return "file://" + _quote_path(normal_path(path))


def _physical(result: ClaimResult, base: Path | None) -> dict[str, Any] | None:
    statement = result.claim_set.statement.path
    location = result.claim.location
    if statement is not None and location is not None:
        region: dict[str, int] = {"startLine": location.line, "startColumn": location.column}
        if location.end_line is not None and location.end_column is not None:
            region |= {"endLine": location.end_line, "endColumn": location.end_column}
        return {"artifactLocation": artifact_location(statement, base), "region": region}
    fallback = result.claim_set.path or statement
    if fallback is None:
        return None
    return {"artifactLocation": artifact_location(fallback, base), "region": {"startLine": 1}}


def web_uri(url: str) -> str | None:
    """``url`` as a URI reference when it is an absolute http(s) URL with a host, else ``None``:
    placeholders (``#``, empty) and other schemes are not locations. Characters that RFC 3986
    does not allow where they stand are percent-encoded (existing escapes are kept), and the
    host is lowercased."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
        host, port = parts.hostname, parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    if ":" in host:  # an IPv6 literal
        if not re.fullmatch("[0-9a-f:.]+", host):
            return None
        authority = f"[{host}]"
    else:
        authority = _quote(host, _SUB_DELIMS)
    if port is not None:
        authority += f":{port}"
    userinfo, at, _ = parts.netloc.rpartition("@")
    if at:
        authority = f"{_quote(userinfo, _SUB_DELIMS + ':')}@{authority}"
    return urllib.parse.urlunsplit(
        (
            parts.scheme.lower(),
            authority,
            _quote(parts.path, _SUB_DELIMS + ":@/"),
            _quote(parts.query, _SUB_DELIMS + ":@/?"),
            _quote(parts.fragment, _SUB_DELIMS + ":@/?"),
        )
    )


def _quote(part: str, safe: str) -> str:
    """``part`` percent-encoded where RFC 3986 wants it, keeping the escapes it already has."""
    part = re.sub("%(?![0-9A-Fa-f]{2})", "%25", well_formed(part))
    return urllib.parse.quote(part, safe=safe + "%")


# --------------------------------------------------------------------------------------------
# Results


_BRACKET = re.compile(r"(\\*)([\[\]])")


def message_string(text: str) -> str:
    """``text`` as a SARIF message string that says just that: ``{`` and ``}`` doubled (SARIF
    reads ``{0}`` as a placeholder) and square brackets escaped with a backslash, along with the
    backslashes right before them (SARIF reads ``[text](id)`` as a link)."""
    text = text.replace("{", "{{").replace("}", "}}")
    return _BRACKET.sub(lambda match: match.group(1) * 2 + "\\" + match.group(2), text)


def _display(text: str) -> str:
    """Text from a claim or a source as it may appear in a SARIF message: on one line, with
    control and bidi characters shown as escapes, in :func:`message_string` form."""
    one_line = " ".join(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return message_string(display_safe(one_line))


def _message(result: ClaimResult) -> str:
    claim = result.claim
    name = f' "{claim.id}"' if claim.id else ""
    lines = [
        _display(f"{result.status.value} ({result.reason.value}): {result.message}"),
        _display(f"claim{name} ({claim.kind.value}): {claim.text}"),
    ]
    if result.dispute is not None:
        lines.insert(1, _display(f"disputed: {result.dispute}"))
    for number, verdict in enumerate(result.verdicts, start=1):
        line = (
            f"source {number}: {verdict.source.url or '(empty)'}: {verdict.status.value} "
            f"({verdict.reason.value}): {verdict.message}"
        )
        if verdict.replacement:
            line += f" (archived copy: {verdict.replacement})"
        lines.append(_display(line))
    return "\n".join(lines)


def _related(result: ClaimResult) -> list[dict[str, Any]]:
    related = []
    for number, verdict in enumerate(result.verdicts, start=1):
        uri = web_uri(verdict.source.url)
        if uri is None:
            continue
        related.append(
            {
                "id": number,
                "physicalLocation": {"artifactLocation": {"uri": uri}},
                "message": {
                    "text": _display(
                        f"source {number}: {verdict.status.value} ({verdict.reason.value}): "
                        f"{verdict.message}"
                    )
                },
            }
        )
    return related


def fingerprint(result: ClaimResult) -> str:
    """A claim's stable identity: the statement's name and the claim's id (its text when it has
    no id, or when it is a coverage finding, whose id only names its place), hashed. It does not
    depend on where the claim is in the file."""
    if result.claim.id is None or result.reason is Reason.NOT_IN_CLAIMS_FILE:
        key = f"text:{result.claim.kind.value}:{' '.join(result.claim.text.split())}"
    else:
        key = result.claim.id
    return hashlib.sha256(well_formed(f"{result.claim_set.name}\0{key}").encode()).hexdigest()


def _properties(result: ClaimResult) -> dict[str, Any]:
    sources = []
    for verdict in result.verdicts:
        source: dict[str, Any] = {
            "url": verdict.source.url,
            "status": verdict.status.value,
            "reason": verdict.reason.value,
            "message": verdict.message,
        }
        if verdict.replacement:
            source["replacement"] = verdict.replacement
        sources.append(source)
    properties: dict[str, Any] = {
        "statement": result.claim_set.name,
        "claim": result.claim.id,
        "kind": result.claim.kind.value,
        "status": result.status.value,
        "reason": result.reason.value,
        "text": result.claim.text,
        "sources": sources,
        "disputed": result.disputed,
    }
    if result.dispute is not None:
        properties["dispute"] = result.dispute
    if result.claim_set.path is not None:
        properties["claimsFile"] = str(result.claim_set.path)
    return properties


def _result(
    result: ClaimResult, level: str, rule_index: Mapping[str, int], base: Path | None
) -> dict[str, Any]:
    sarif: dict[str, Any] = {
        "ruleId": _rule_id(result),
        "ruleIndex": rule_index[_rule_id(result)],
        "level": level,
        "message": {"text": _message(result)},
    }
    physical = _physical(result, base)
    if physical is not None:
        sarif["locations"] = [{"physicalLocation": physical}]
    related = _related(result)
    if related:
        sarif["relatedLocations"] = related
    sarif["partialFingerprints"] = {FINGERPRINT: fingerprint(result)}
    if result.ignored is not None:
        sarif["suppressions"] = [_suppression(result.ignored, base)]
    sarif["properties"] = _properties(result)
    return sarif


def _suppression(entry: Ignore, base: Path | None) -> dict[str, Any]:
    """An ignore entry as a SARIF suppression: ``external`` (written outside the statement, in
    the claims file or a config file), ``accepted``, its reason as the justification, at the
    entry's line."""
    suppression: dict[str, Any] = {
        "kind": "external",
        "status": "accepted",
        "justification": entry.reason,
    }
    location = _entry_location(entry, base)
    if location is not None:
        suppression["location"] = location
    return suppression


def _entry_location(entry: Ignore, base: Path | None) -> dict[str, Any] | None:
    if entry.file is None:
        return None
    physical: dict[str, Any] = {"artifactLocation": artifact_location(entry.file, base)}
    if entry.file_line is not None:
        physical["region"] = {"startLine": entry.file_line}
    return {"physicalLocation": physical}


def _unused_notification(entry: Ignore, base: Path | None) -> dict[str, Any]:
    """An ignore entry that matches no finding, as a warning of the tool's own run."""
    notification: dict[str, Any] = {
        "level": "warning",
        "message": {"text": _display(entry.unused)},
        "descriptor": {"id": UNUSED_IGNORE},
    }
    location = _entry_location(entry, base)
    if location is not None:
        notification["locations"] = [location]
    return notification


def _invocation(report: Report, base: Path | None) -> dict[str, Any]:
    invocation: dict[str, Any] = {"executionSuccessful": True, "endTimeUtc": stamp(report.created)}
    if report.unused_ignores:
        invocation["toolExecutionNotifications"] = [
            _unused_notification(entry, base) for entry in report.unused_ignores
        ]
    return invocation


def to_sarif(
    report: Report, *, failing: Iterable[Status | Flag], base: Path | None = None
) -> dict[str, Any]:
    """The report as a SARIF 2.1.0 log: JSON-ready data (``json.dumps`` it).

    ``failing`` names the statuses that fail the check: their claims are ``"error"`` results,
    and other claims that are not verified are ``"warning"`` results. ``base`` is the folder that
    relative artifact URIs start from (the repository root for GitHub code scanning; the CLI's
    working directory is a good default). Without it every file gets an absolute ``file:`` URI.
    """

    failing = frozenset(failing)
    reported = [
        (result, level)
        for result in report.results
        if (level := _level(result, failing)) is not None
    ]
    visible = failing | {status for status in Status if status is not Status.VERIFIED}
    used = {_rule_id(result) for result, _ in reported}
    reasons = [reason for reason in Reason if reason.status in visible or reason.value in used]
    meanings = reason_descriptions()
    rules = [
        _rule(reason, meanings[reason], "error" if reason.status in failing else "warning")
        for reason in reasons
    ]
    if Flag.DISPUTED in failing or Flag.DISPUTED.value in used:
        rules.append(_disputed_rule("error" if Flag.DISPUTED in failing else "warning"))
    rule_index = {rule["id"]: index for index, rule in enumerate(rules)}
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "claimcheck",
                "version": __version__,
                "informationUri": HOMEPAGE,
                "rules": rules,
            }
        },
        "invocations": [_invocation(report, base)],
    }
    if base is not None:
        root = _file_uri(base)
        run["originalUriBaseIds"] = {SRCROOT: {"uri": root if root.endswith("/") else f"{root}/"}}
    run["columnKind"] = "unicodeCodePoints"
    run["results"] = [_result(result, level, rule_index, base) for result, level in reported]
    run["properties"] = {
        "offline": report.offline,
        "store": report.store,
        "failOn": sorted(status.value for status in failing),
        "summary": {**report.summary, "disputed": len(report.disputed)},
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}
