"""Which file a claims file's ``[statement] text`` may name: a regular file in the claims file's
folder (or below it, or in the folder a statement root names), no larger than a bound, and
nothing else: no absolute path or ``../`` out of the folder, no link leading out, no device,
no FIFO (issue 13).

Internals tested directly (private modules): the loader of a claims file's text
(``claimcheck.claimsfile._load.loads``), for a claims file with no path."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

import claimcheck
from claimcheck import ClaimsFileError, SnapshotStore
from claimcheck.claimsfile._load import loads
from claimcheck.errors import Problem
from support import claim_toml, run_cli

STATEMENT = "The minister said “we will review every permit this year” on Monday.\n"
SECRET = "root:x:0:0:the secret words of another file:/root:/bin/bash\n"


def claims(text: str) -> str:
    return f'[statement]\nid = "s"\ntext = "{text}"\n\n' + claim_toml(
        "q", "quote", "we will review every permit", "https://news.example/a"
    )


@pytest.fixture
def layout(tmp_path: Path) -> Path:
    """``claims/`` (with ``statement.md`` and ``texts/statement.md``) beside ``outside/``,
    which holds a secret and a statement."""
    folder = tmp_path / "claims"
    (folder / "texts").mkdir(parents=True)
    (folder / "statement.md").write_text(STATEMENT, encoding="utf-8")
    (folder / "texts" / "statement.md").write_text(STATEMENT, encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text(SECRET, encoding="utf-8")
    (outside / "statement.md").write_text(STATEMENT, encoding="utf-8")
    return tmp_path


def refused(path: Path, **options: object) -> Problem:
    """The one problem of loading ``path``: it names the statement's text field and line, and
    never quotes the file it refused."""
    with pytest.raises(ClaimsFileError) as caught:
        claimcheck.load(path, **options)  # type: ignore[arg-type]
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.field) == (str(path), 3, "statement.text")
    assert "secret words" not in str(caught.value)
    return problem


def write(folder: Path, text: str) -> Path:
    path = folder / "c.toml"
    path.write_text(claims(text), encoding="utf-8")
    return path


@pytest.mark.parametrize("name", ["statement.md", "texts/statement.md", "./texts/../statement.md"])
def test_a_statement_in_the_claims_folder_loads(layout: Path, name: str) -> None:
    claim_set = claimcheck.load(write(layout / "claims", name))
    assert claim_set.statement.text == STATEMENT


def test_an_absolute_path_out_of_the_folder_is_refused(layout: Path) -> None:
    problem = refused(write(layout / "claims", str(layout / "outside" / "secret.md")))
    assert "outside" in problem.message
    assert "--statement-root" in problem.message


def test_etc_passwd_is_refused(layout: Path) -> None:
    # The report of issue 13: /etc/passwd was read whole into the reports.
    with pytest.raises(ClaimsFileError) as caught:
        claimcheck.load(write(layout / "claims", "/etc/passwd"))
    assert [problem.field for problem in caught.value.problems] == ["statement.text"]
    assert "root:" not in str(caught.value)


def test_dot_dot_out_of_the_folder_is_refused(layout: Path) -> None:
    refused(write(layout / "claims", "../outside/secret.md"))


def test_a_link_leading_out_of_the_folder_is_refused(layout: Path) -> None:
    (layout / "claims" / "link.md").symlink_to(layout / "outside" / "secret.md")
    problem = refused(write(layout / "claims", "link.md"))
    assert "outside" in problem.message


def test_a_linked_folder_leading_out_is_refused(layout: Path) -> None:
    (layout / "claims" / "linked").symlink_to(layout / "outside")
    refused(write(layout / "claims", "linked/secret.md"))


def test_a_link_within_the_folder_is_followed(layout: Path) -> None:
    (layout / "claims" / "link.md").symlink_to(layout / "claims" / "texts" / "statement.md")
    assert claimcheck.load(write(layout / "claims", "link.md")).statement.text == STATEMENT


def test_a_statement_root_widens_the_folder(layout: Path) -> None:
    path = write(layout / "claims", "../outside/statement.md")
    assert claimcheck.load(path, statement_root=layout).statement.text == STATEMENT
    # ... and only to itself: a root elsewhere is no wider for this file
    refused(path, statement_root=layout / "claims" / "texts")


def test_a_device_is_refused_even_within_the_root(layout: Path) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    problem = refused(write(layout / "claims", "/dev/zero"), statement_root="/")
    assert "not a regular file" in problem.message


def test_a_link_to_a_device_is_refused(layout: Path) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    (layout / "claims" / "zero.md").symlink_to("/dev/zero")
    refused(write(layout / "claims", "zero.md"))


def test_a_fifo_is_refused_without_waiting(layout: Path) -> None:
    fifo = layout / "claims" / "fifo.md"
    os.mkfifo(fifo)
    path = write(layout / "claims", "fifo.md")
    done = threading.Event()

    def unblock() -> None:
        # A reader that blocked on the FIFO would wait for a writer for ever: after a while,
        # be that writer (and close at once), so that a failing test fails rather than hangs.
        if not done.wait(10):
            descriptor = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            os.close(descriptor)

    helper = threading.Thread(target=unblock, daemon=True)
    helper.start()
    try:
        problem = refused(path)
    finally:
        done.set()
        helper.join()
    assert "not a regular file" in problem.message


def test_a_statement_larger_than_the_bound_is_refused(layout: Path) -> None:
    (layout / "claims" / "large.md").write_text(STATEMENT + "x" * 2000, encoding="utf-8")
    path = write(layout / "claims", "large.md")
    problem = refused(path, max_bytes=1000)
    assert "larger than 1,000 bytes" in problem.message
    assert claimcheck.load(path, max_bytes=10_000).statement.text is not None


def test_a_claims_file_larger_than_the_bound_is_refused(layout: Path) -> None:
    path = write(layout / "claims", "statement.md")
    with pytest.raises(ClaimsFileError) as caught:
        claimcheck.load(path, max_bytes=100)
    (problem,) = caught.value.problems
    assert (problem.file, problem.line) == (str(path), None)
    assert "larger than 100 bytes" in problem.message


def test_a_claims_file_that_is_a_device_is_refused(layout: Path) -> None:
    # A folder of claims files may hold a link named *.toml to anything.
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    (layout / "claims" / "zero.toml").symlink_to("/dev/zero")
    with pytest.raises(ClaimsFileError) as caught:
        claimcheck.load(layout / "claims" / "zero.toml")
    assert "not a regular file" in str(caught.value)


def test_loads_without_a_path_keeps_to_the_working_folder(
    layout: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(layout / "claims")
    assert loads(claims("statement.md")).statement.text == STATEMENT
    with pytest.raises(ClaimsFileError, match="outside"):
        loads(claims("../outside/statement.md"))


# ------------------------------------------------------------------------------------------
# The command line


def test_check_refuses_a_statement_out_of_the_folder_and_the_option_widens_it(
    layout: Path,
) -> None:
    path = write(layout / "claims", "../outside/statement.md")
    store = layout / "store"
    SnapshotStore(store, create=True)
    code, out, err = run_cli("check", "--offline", path, "--snapshots", store)
    assert (code, out) == (2, "")
    assert "Traceback" not in err
    assert f"{path}:3: statement.text: " in err
    code, out, err = run_cli(
        "check", "--offline", path, "--snapshots", store, "--statement-root", layout
    )
    assert (code, err) == (0, "")
    assert "1 claims: 0 verified, 0 drifted, 0 broken, 1 unchecked" in out


def test_check_refuses_etc_passwd(layout: Path) -> None:
    path = write(layout / "claims", "/etc/passwd")
    SnapshotStore(layout / "store", create=True)
    code, out, err = run_cli(
        "check", "--offline", path, "--snapshots", layout / "store", "--format", "json"
    )
    assert (code, out) == (2, "")
    assert f"{path}:3: statement.text: " in err
    assert "root:" not in err


def test_extract_says_when_the_statement_is_outside_the_claims_folder(tmp_path: Path) -> None:
    statement = tmp_path / "letter.md"
    statement.write_text(STATEMENT, encoding="utf-8")
    inside = tmp_path / "claims.toml"
    code, _, err = run_cli("extract", statement, "-o", inside)
    assert code == 0
    assert "--statement-root" not in err
    output = tmp_path / "claims" / "letter.toml"
    code, _, err = run_cli("extract", statement, "-o", output)
    assert code == 0
    assert "the statement is outside the claims file's folder" in err
    assert "--statement-root" in err
    assert claimcheck.load(output, statement_root=tmp_path).statement.text == STATEMENT
