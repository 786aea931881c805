"""Malformed claims files through the command line: whatever the file holds, ``claimcheck
check`` either checks it or exits 2 naming file, line and field, never with a traceback."""

from __future__ import annotations

import contextlib
import io
import tempfile
from pathlib import Path

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimcheck.cli import main

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
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(["check", "--offline", str(path), "--snapshots", str(path.parent / "s")])
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else 2
    return code, err.getvalue()


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
