"""Malformed input through the command line, never a traceback: whatever a claims file holds,
``claimcheck check`` either checks it or exits 2 naming file, line and field; whatever value a
numeric or date option of any command is given (negative, zero, huge, not a number), and whatever
a ``--config`` file holds, the command either runs cleanly (the value is legal) or exits 2 with a
one-line message."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from servers import page, serve
from support import run_cli

VALID = """\
[[claim]]
id = "a"
kind = "quote"
text = "the minister said so"

[[claim.source]]
url = "https://example.org/a"
"""

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False),
    st.text(max_size=40),
    st.dates(),
)
fields = st.sampled_from(
    ["id", "kind", "text", "value", "context", "source", "url", "accessed", "colour", ""]
)


@st.composite
def claim_tables(draw: st.DrawFn) -> dict[str, object]:
    table: dict[str, object] = {
        key: draw(scalars) for key in draw(st.lists(fields, max_size=6, unique=True)) if key
    }
    if draw(st.booleans()):
        source = {"url": draw(st.one_of(st.text(max_size=30), scalars)), "accessed": draw(scalars)}
        table["source"] = [{k: v for k, v in source.items() if v is not None}]
    return {k: v for k, v in table.items() if v is not None}  # TOML has no null


def run(path: Path) -> tuple[int, str]:
    code, _, err = run_cli("check", "--offline", path, "--snapshots", path.parent / "s")
    return code, err


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=300), st.just(VALID).map(lambda v: v[: len(v) // 2])))
def test_any_text_as_a_claims_file(content: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "claims.toml"
        path.write_text(content, encoding="utf-8", errors="surrogatepass")
        code, err = run(path)
    assert code in (0, 1, 2)
    assert "Traceback" not in err
    if code == 2:
        assert err.startswith("claimcheck:")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(claim_tables(), max_size=3))
def test_broken_claim_tables(claims: list[dict[str, object]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "claims.toml"
        path.write_text(tomli_w.dumps({"claim": claims}), encoding="utf-8")
        code, err = run(path)
    assert code in (0, 1, 2)
    assert "Traceback" not in err
    if code == 2:
        assert "claims.toml" in err or "claimcheck:" in err


# ---------------------------------------------------------------------------------------------
# Option values


def assert_clean(code: int, err: str, *, legal: bool | None = None) -> None:
    """A run that ended as the command line promises: 0 or 1, or 2 with one line that says why;
    never a traceback. ``legal`` (when known) says which of the two it must be."""
    assert "Traceback" not in err, err
    assert code in (0, 1, 2), (code, err)
    if code == 2:
        lines = err.splitlines()
        assert len(lines) == 1, err
        assert lines[0].startswith("claimcheck: "), err
        assert len(lines[0]) > len("claimcheck: "), err
    if legal is not None:
        assert (code != 2) is legal, (code, err)


NOT_NUMBERS = ["", "abc", "1e", "--", "0x10", "nan", "inf", "-inf", "1,5", "\u0661\u0662x"]
NEGATIVE = ["-1", "-5", "-0.5", "-1e300", f"-{10**30}"]
ZERO = ["0", "0.0", "-0"]
HUGE = [str(10**30), "1e300", "1e6", "99999", "4294967297"]
FRACTIONS = ["1.5", "0.001", "1e-300"]

# Every numeric option of every command: the command, the option, and whether it counts (a
# whole number) or measures (seconds or days, a fraction is fine). Each is given to a command
# that runs in a moment (offline, a placeholder source, no keys), so that what is checked is
# how the value is judged.
NUMERIC_OPTIONS: list[tuple[str, str, bool]] = [
    ("check", "--per-host", True),
    ("check", "--deadline", False),
    ("audit", "--failures", True),
    ("audit", "--span", False),
    ("audit", "--flaps", True),
    ("audit", "--flap-window", False),
    ("audit", "--archive-window", False),
    ("audit", "--archive-recheck", False),
    ("audit", "--dask-workers", True),
    ("audit", "--per-host", True),
    ("audit", "--deadline", False),
    ("fetch", "--per-host", True),
    ("fetch", "--deadline", False),
    ("save", "--poll-interval", False),
]

PLACEHOLDER = VALID.replace("https://example.org/a", "#")  # nothing to fetch


def command(name: str, folder: Path) -> list[str | Path]:
    """A command line that runs in a moment: nothing to fetch (a placeholder source), no keys
    for Save Page Now."""
    claims = folder / "claims.toml"
    if not claims.exists():
        claims.write_text(PLACEHOLDER, encoding="utf-8")
    store, db = folder / "store", folder / "audit.sqlite"
    return {
        "check": ["check", claims, "--snapshots", store, "--no-archive"],
        "audit": ["audit", "run", claims, "--db", db, "--snapshots", store, "--no-archive"],
        "fetch": ["snapshot", "fetch", claims, "--snapshots", store, "--no-archive"],
        "save": ["snapshot", "save", claims],
    }[name]


@pytest.mark.parametrize(("name", "option", "counts"), NUMERIC_OPTIONS)
def test_numeric_option_values(
    name: str, option: str, counts: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CLAIMCHECK_IA_ACCESS_KEY", raising=False)
    monkeypatch.delenv("CLAIMCHECK_IA_SECRET_KEY", raising=False)
    for value in NOT_NUMBERS + NEGATIVE:
        code, _, err = run_cli(*command(name, tmp_path), f"{option}={value}")
        assert_clean(code, err, legal=False)
        assert option in err, (value, err)  # the message names the option
    for value in ZERO + HUGE + (FRACTIONS if not counts else []):
        code, _, err = run_cli(*command(name, tmp_path), f"{option}={value}")
        assert_clean(code, err)
    if counts:
        for value in FRACTIONS:
            code, _, err = run_cli(*command(name, tmp_path), f"{option}={value}")
            assert_clean(code, err, legal=False)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(NUMERIC_OPTIONS),
    st.one_of(
        st.integers(min_value=-(10**40), max_value=10**40).map(str),
        st.floats().map(repr),
        st.text(max_size=12),
    ),
)
def test_any_option_value(option: tuple[str, str, bool], value: str) -> None:
    name, flag, _ = option
    with tempfile.TemporaryDirectory() as folder:
        code, _, err = run_cli(*command(name, Path(folder)), f"{flag}={value}")
    assert_clean(code, err)


DATED = ["snapshot", "add", "https://example.org/", "statement.md", "--snapshots", "store"]


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "--offline", "claims.toml", "--format", "claimreview", "--review-date"],
        ["extract", "statement.md", "--published"],
        [*DATED, "--captured"],
        [*DATED, "--published"],
    ],
)
def test_date_option_values(
    argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "claims.toml").write_text(PLACEHOLDER, encoding="utf-8")
    (tmp_path / "statement.md").write_text("The minister said so.\n", encoding="utf-8")
    for value in ["", "yesterday", "2021-13-01", "2021-02-30", "-1", "0", "99999-01-01", "1e300"]:
        code, _, err = run_cli(*argv, value)
        assert_clean(code, err, legal=False)
        assert argv[-1] in err
    for value in ["0001-01-01", "0999-12-31T23:00:00-05:00", "9999-12-31", "2021-05-07"]:
        code, _, err = run_cli(*argv, value)
        assert_clean(code, err)


# ---------------------------------------------------------------------------------------------
# Option values that reach the network: a page served on 127.0.0.1


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with serve({"/page": page("<p>The minister said so, on Monday.</p>")}) as base:
        yield base


def online(name: str, folder: Path, site: str) -> list[str | Path]:
    """A command line that fetches one page from ``site`` (and asks no archive)."""
    claims = folder / "online.toml"
    claims.write_text(PLACEHOLDER.replace('"#"', f'"{site}/page"'), encoding="utf-8")
    store, db = folder / "store", folder / "audit.sqlite"
    common = ["--snapshots", store, "--no-archive", "--allow-private-addresses"]
    return {
        "check": ["check", claims, *common],
        "audit": ["audit", "run", claims, "--db", db, *common],
        "fetch": ["snapshot", "fetch", claims, *common],
    }[name]


@pytest.mark.slow  # 18 runs that each fetch a page, with the default spacing of requests
@pytest.mark.parametrize("name", ["check", "audit", "fetch"])
@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--per-host", "1"),
        ("--per-host", str(10**30)),  # no more connections than requests in flight
        ("--deadline", "1e-300"),  # every fetch times out: unchecked, not an error
        ("--deadline", "0.5"),
        ("--deadline", "1e6"),
        ("--deadline", "1e300"),  # beyond what locks can wait: refused, never an overflow
    ],
)
def test_network_option_values_in_use(
    name: str, option: str, value: str, site: str, tmp_path: Path
) -> None:
    code, _, err = run_cli(*online(name, tmp_path, site), option, value)
    assert_clean(code, err)


# ---------------------------------------------------------------------------------------------
# --config files


def config_commands(folder: Path) -> list[list[str | Path]]:
    """Every command that reads ``--config``, each in a form that runs in a moment."""
    statement = folder / "statement.md"
    statement.write_text("The [minister](https://example.org/) said so.\n", encoding="utf-8")
    return [
        command("check", folder),
        command("audit", folder),
        command("fetch", folder),
        command("save", folder),
        ["robustify", statement, "-o", folder / "robust.md", "--snapshots", folder / "store"],
    ]


MALFORMED_CONFIGS: dict[str, bytes] = {
    "not TOML": b"[archives\nwayback = 'https://web.archive.org'\n",
    "not TOML either": b"[archives]\ntimeout = \n",
    "not UTF-8": b"[archives]\nuser_agent = '\xff\xfe'\n",
    "NUL": b"[archives]\x00\n",
    "a string for a number": b'[archives]\ntimeout = "fast"\n',
    "a boolean for a number": b"[archives]\nrequests_per_minute = true\n",
    "a negative number": b"[archives]\nbackoff_after_429 = -5\n",
    "zero": b"[archives]\nrequests_per_minute = 0\n",
    "a number for a URL": b"[archives]\nwayback = 3\n",
    "not an http URL": b'[archives]\nsave_page_now = "ftp://example.org/save"\n',
    "a string for a list": b'[archives]\ntimegates = "https://example.org/tg/"\n',
    "a list of numbers": b"[archives]\ntimegates = [1, 2]\n",
    "an unknown key": b"[archives]\nwaybak = 'https://web.archive.org'\n",
    "a table for a key": b"[archives]\n[archives.wayback]\nurl = 'https://web.archive.org'\n",
    "not a table": b"archives = 3\n",
    "an empty user agent": b'[archives]\nuser_agent = "  "\n',
}


@pytest.mark.parametrize("content", MALFORMED_CONFIGS.values(), ids=MALFORMED_CONFIGS.keys())
def test_malformed_config_files(
    content: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CLAIMCHECK_IA_ACCESS_KEY", raising=False)
    monkeypatch.delenv("CLAIMCHECK_IA_SECRET_KEY", raising=False)
    config = tmp_path / "archives.toml"
    config.write_bytes(content)
    for argv in config_commands(tmp_path):
        code, _, err = run_cli(*argv, "--config", config)
        assert_clean(code, err, legal=False)
        assert str(config) in err, (argv[0], err)  # the message names the file...
        if b"\n[archives\n" in b"\n" + content or content.endswith(b"= \n"):
            assert "line" in err, err  # ...and the line, where TOML says


@pytest.mark.parametrize("where", ["missing.toml", "."])
def test_unreadable_config_files(where: str, tmp_path: Path) -> None:
    for argv in config_commands(tmp_path):
        code, _, err = run_cli(*argv, "--config", tmp_path / where)
        assert_clean(code, err, legal=False)


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"# nothing\n",
        b"[archives]\n",
        b"[archives]\ntimeout = 1e6\nrequests_per_minute = 1e9\n",
    ],
)
def test_legal_config_files_run(content: bytes, tmp_path: Path) -> None:
    config = tmp_path / "archives.toml"
    config.write_bytes(content)
    for argv in config_commands(tmp_path)[:3]:  # save needs keys, robustify a store
        code, _, err = run_cli(*argv, "--config", config)
        assert_clean(code, err, legal=True)


config_values = st.one_of(
    scalars,
    st.lists(st.one_of(st.text(max_size=30), st.integers()), max_size=3),
    st.sampled_from(["https://web.archive.org", "http://127.0.0.1:9/", "ftp://x", "inf"]),
)
config_keys = st.sampled_from(
    [
        "wayback",
        "timegates",
        "save_page_now",
        "requests_per_minute",
        "backoff_after_429",
        "user_agent",
        "timeout",
        "deadline",
        "max_bytes",
        "colour",
    ]
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(config_keys, config_values, max_size=4))
def test_any_archives_table(table: dict[str, object]) -> None:
    table = {key: value for key, value in table.items() if value is not None}  # TOML has no null
    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "archives.toml"
        config.write_text(tomli_w.dumps({"archives": table}), encoding="utf-8")
        code, _, err = run_cli(*command("check", Path(folder)), "--config", config)
    assert_clean(code, err)
    if code == 2:
        assert str(config) in err or "archives" in err, err


@pytest.mark.parametrize(
    "content", [b"", b"not a database", b"SQLite format 3\x00" + b"\x00" * 100, None]
)
def test_malformed_audit_histories(content: bytes | None, tmp_path: Path) -> None:
    db = tmp_path / "audit.sqlite"
    if content is None:
        db.mkdir()
    else:
        db.write_bytes(content)
    for argv in (["audit", "report", "--db", db], [*command("audit", tmp_path)[:3], "--db", db]):
        code, _, err = run_cli(*argv)
        assert_clean(code, err)
        if content:
            assert code == 2, err
