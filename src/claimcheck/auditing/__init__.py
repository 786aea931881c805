"""The scheduled link-rot audit: check every citation online, remember, report what changed.

An organisation with hundreds of published statements runs ``claimcheck audit`` every night
and wants to hear only about change. :func:`audit` checks every citation (a claim's source)
online, exactly as :func:`~claimcheck.check` would (the live page, then the archived copy "as
cited" where the live page does not verify the claim), records each observation in a
:class:`~claimcheck.store.History` as it is made, moves each citation's state machine, and
returns an :class:`AuditResult`: what newly broke or drifted, what recovered, what is still
failing and since when, what flaps, with the archived replacement suggested for broken links.

The state machine (:func:`advance`), per citation, and per URL for the live fetch alone:

- Each run's observation is an :class:`~claimcheck.store.Outcome`: ``ok`` (verified),
  ``broken``, ``drifted``, or ``unchecked``.
- **Unchecked never counts**: a bot wall, a rate limit, a timeout says nothing about the
  source. It is neither a failure nor a success: it does not add to a run of failures, and it
  does not end one (the count and its first date stay as they were), so a source that fails,
  is blocked for a week, and fails again is broken, and a healthy one behind a bot wall stays
  healthy. A verdict that rests on the archived copy alone because the live page could not be
  read (``check`` calls it verified when the archive has the claim) counts as unchecked too:
  it tells nothing of the source now.
- **A run without network observes nothing**: when no host answers at all, the web archive
  neither (:class:`~claimcheck.sources.Reachability`), the citations that could not be reached
  are recorded ``unchecked`` / ``no-network`` and their state (and their URL's) is left exactly
  as it was, not even marked checked; a host that fails while others answer is that host's
  failure and counts. A URL that reached no server is judged once the run is known to have a
  network or not.
- **Broken only after N failing runs spanning T** (``AuditPolicy.failures``, default 2, and
  ``span``, default 3 days), as InternetArchiveBot re-tests a dead link before calling it dead:
  a failure is counted in every run until an ``ok`` ends the series; the citation is
  ``failing`` (not yet confirmed; every output says so) until the series holds N runs and
  its first and latest failures are T apart, then ``broken`` (or ``drifted``).
- **How drift counts**: a failure that is *evidence read from the page* counts at once
  (``definite``): the live page has the claim's passage with another figure, date, wording or
  negation, so the source has drifted, and it is reported ``drifted`` the first time it is
  seen. So are citations that can never lead anywhere (a placeholder link, not a URL). A drift
  that rests on the claim's *absence* from the live page (``content-changed`` where the live
  page does not have the passage at all, a maintenance page say) is not evidence enough on its
  own and follows the N-runs-over-T rule, as broken links do. A citation's state is ``broken``
  or ``drifted`` by the kind of its latest failure; once confirmed, a later failure that is not
  yet confirmed itself (a drifted page that now answers 404 once) keeps the confirmed state.
- **Flapping**: every change between ok and failing (either way) is a flip; a source with at
  least ``flaps`` flips (default 4) within ``flap_window`` (default 14 days) is ``flapping``.
  Flapping silences the immediate drift alerts (a page rotating between two versions) and is
  reported as such, never as newly failing; a run of failures that meets the N-over-T rule is
  still reported ``broken`` (a flapping site that then dies for good).
- An ``ok`` ends the series of failures: the state becomes ``healthy`` (or stays
  ``flapping``); a citation that was ``broken`` or ``drifted`` and is now healthy has
  **recovered**.
- Each citation is counted once per run, dated by the run's start (``runs.started``), so a
  resumed run counts a citation the way an uninterrupted one would.

Exit status (the command line): 1 only when something *newly* failed (newly broken or newly
drifted), so that a nightly cron job alerts on change, not every night on known breakage.

Resume: a run whose process died stays ``running`` in the history. The next audit, if that run
started less than ``AuditPolicy.resume_within`` ago (12 hours), continues it: the citations it
already observed are skipped, the others observed, and the run completes. An older one is
marked ``abandoned`` (its observations stay and have counted) and a new run starts. One audit at
a time writes a history (an advisory lock on ``<history>.lock``).

Cheap re-runs: each URL's last good fetch leaves validators (``ETag``, ``Last-Modified``, the
body's digest, its capture) in ``url_state``. The next fetch is conditional; a ``304 Not
Modified``, or a body with the same digest, is *unchanged*: nothing is stored, no soft-404 probe
is made, and a citation whose previous observation read that same copy, for the same claim (its
``claim_hash``: the claim's text, value, context, dates and the claimcheck version), and decided
(not unchecked), reuses that observation's verdict without extracting or matching anything. A
changed claim over an unchanged source is matched again against the stored copy (whose
extracted text is cached by digest). Where the archived copy "as cited" is needed and the
snapshot store already holds one, it is used without asking the archive again.

Archive before death (``AuditPolicy.save_before_death``, opt-in): when a live page verifies its
claim and the Internet Archive holds no capture of it within ``archive_window`` (30 days), the
CDX index is asked to be sure, and Save Page Now to capture it (archive.org keys from
``CLAIMCHECK_IA_ACCESS_KEY``/``CLAIMCHECK_IA_SECRET_KEY``), within the process-wide archive rate
limit; the capture is recorded in ``url_state`` and on the observation. A URL is asked about at
most once per ``archive_recheck`` (a day), and not at all while its latest known capture is
within the window.

Archive lookups a host at a time: the Internet Archive's index is asked once for all the cited
URLs of a host (a prefix query under the path they share, paged by resume keys), on the first
need of one of them (an archived copy "as cited", or archive before death), not once per
citation; the answer is kept in the history (``archive_listings``) and used instead of asking
again while it is younger than ``archive_recheck``. A URL the answer does not cover (paging
stopped short of it: a listing reads at most one page per two of the host's URLs), or of a host
whose query failed, is asked about on its own. See :mod:`claimcheck.auditing._listings`.

Runners: the fetch-and-judge step is done by an :class:`AuditRunner`. The default,
:class:`LocalRunner`, fetches on this process's threads and judges each citation here as its
fetch ends. :class:`DaskRunner` (``--dask``) does both on a Dask cluster,
the work partitioned by host, and hands back observations and the captures (index entries and
WARC files) for this process to add to its snapshot store: whatever the runner, only the
process that called :func:`audit` writes the history and the store, an observation at a time
as results arrive, so resume and crash safety are the same. A runner also says which rate
limiter every call to a web archive goes through (:meth:`AuditRunner.archive_limiter`): the
process-wide one, or one for the whole cluster.

The audit history is rendered as a report by :mod:`claimcheck.reports` from what
:func:`load_audit` reads (an :class:`AuditHistory`).
"""

from ._citations import Citation, audit_judge, citations_of, claim_hash, observe
from ._dask import DaskRunner, check_workers
from ._engine import audit
from ._history_report import (
    ATTENTION_STATES,
    AUDIT_REPORT_VERSION,
    FAILED_STATES,
    AuditHistory,
    RunSummary,
    Segment,
    SourceSummary,
    TimelineEntry,
    load_audit,
    timeline_segments,
)
from ._policy import AuditPolicy, advance
from ._result import AUDIT_JSON_VERSION, AuditResult, Finding, summarize
from ._runners import AuditRunner, Batch, Fetched, LocalRunner, fetches_as_done

__all__ = [
    "ATTENTION_STATES",
    "AUDIT_JSON_VERSION",
    "AUDIT_REPORT_VERSION",
    "FAILED_STATES",
    "AuditHistory",
    "AuditPolicy",
    "AuditResult",
    "AuditRunner",
    "Batch",
    "Citation",
    "DaskRunner",
    "Fetched",
    "Finding",
    "LocalRunner",
    "RunSummary",
    "Segment",
    "SourceSummary",
    "TimelineEntry",
    "advance",
    "audit",
    "audit_judge",
    "check_workers",
    "citations_of",
    "claim_hash",
    "fetches_as_done",
    "load_audit",
    "observe",
    "summarize",
    "timeline_segments",
]
