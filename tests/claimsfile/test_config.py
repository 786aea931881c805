"""The configuration file (``claimcheck.toml``, or ``[tool.claimcheck]`` in ``pyproject.toml``):
found by walking up from the claims files like ruff's, read with every problem naming the file,
the line and the key; and the store rule, which ``check()`` and the command line share."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pytest

import claimcheck
from claimcheck.claimsfile import Config, find_config, find_store, load_config
from claimcheck.errors import ConfigurationError, SnapshotStoreWarning
from claimcheck.sources import ArchiveConfig
from support import ROOT, WORKED_EXAMPLE


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_found_walking_up_from_a_subfolder(tmp_path: Path) -> None:
    write(tmp_path / "claimcheck.toml", 'snapshots = "captures"\n')
    claims = write(tmp_path / "a" / "b" / "claims.toml", "")
    config = find_config(claims)
    assert isinstance(config, Config)
    assert config.path == tmp_path / "claimcheck.toml"
    assert config.snapshots == tmp_path / "captures"  # relative to the file's folder
    assert find_config(claims.parent) == config  # a folder is a start too


def test_a_pyproject_counts_only_with_a_claimcheck_table(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.claimcheck]\nsnapshots = "outer"\n')
    inner = tmp_path / "inner"
    write(inner / "pyproject.toml", '[project]\nname = "x"\n[tool.ruff]\nline-length = 100\n')
    config = find_config(inner / "claims.toml")
    assert config is not None
    assert config.path == tmp_path / "pyproject.toml"
    assert config.snapshots == tmp_path / "outer"


def test_claimcheck_toml_wins_over_pyproject_in_one_folder(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.claimcheck]\nsnapshots = "from-pyproject"\n')
    write(tmp_path / "claimcheck.toml", 'snapshots = "from-claimcheck"\n')
    config = find_config(tmp_path)
    assert config is not None
    assert config.snapshots == tmp_path / "from-claimcheck"


def test_no_config_anywhere(tmp_path: Path) -> None:
    assert find_config(tmp_path / "claims.toml") is None


def test_the_nested_archives_table_of_a_pyproject(tmp_path: Path) -> None:
    path = write(
        tmp_path / "pyproject.toml",
        "[tool.claimcheck]\nper_host = 4\n\n"
        "[tool.claimcheck.archives]\nrequests_per_minute = 6000\n",
    )
    config = load_config(path)
    assert config.archives.requests_per_minute == 6000.0
    assert config.get("per_host") == 4


def test_an_archives_only_file_still_reads(tmp_path: Path) -> None:
    path = write(tmp_path / "unthrottled.toml", "[archives]\nrequests_per_minute = 6000\n")
    config = load_config(path)
    assert config.archives == ArchiveConfig(requests_per_minute=6000)
    assert config.snapshots is None


def test_command_tables_keep_their_values(tmp_path: Path) -> None:
    path = write(
        tmp_path / "claimcheck.toml",
        '[check]\nfail_on = ["drifted", "broken", "disputed"]\nformat = "json"\n'
        'output = "out/report.json"\ncoverage = false\n'
        '[audit]\ndb = "history.sqlite"\nfailures = 3\nspan = 2.5\n'
        '[audit.report]\nformat = "html"\n'
        '[extract]\nlanguage = "de"\n'
        '[robustify]\nlink_to = "version"\nonline = true\n',
    )
    config = load_config(path)
    assert config.get("check.fail_on") == ["drifted", "broken", "disputed"]
    assert config.get("check.coverage") is False
    assert config.get("audit.db") == tmp_path / "history.sqlite"
    assert config.get("audit.span") == 2.5
    assert config.get("audit.report.format") == "html"
    assert config.get("extract.language") == "de"
    assert config.get("robustify.link_to") == "version"
    assert config.get("check.verbose") is None  # not set
    assert config.where("audit.failures") == f"{path}:8"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('snapshots = "s"\nfial_on = "broken"\n', ":2: unknown key 'fial_on'"),
        (
            "[check]\nfail-on = 'broken'\n",
            ":2: unknown key 'check.fail-on' (did you mean 'fail_on'?)",
        ),
        ("fail_on = 'broken'\n", ":1: unknown key 'fail_on' (it belongs in [check])"),
        ("per_host = '4'\n", ":1: per_host: must be a whole number, not a string"),
        ("per_host = true\n", ":1: per_host: must be a whole number, not a boolean"),
        ("deadline = 'soon'\n", ":1: deadline: must be a number, not a string"),
        ("snapshots = 3\n", ":1: snapshots: must be a string (a path), not a number"),
        ("snapshots = ''\n", ":1: snapshots: must not be empty"),
        ("[check]\ncoverage = 'no'\n", ":2: check.coverage: must be true or false, not a string"),
        ("[check]\nfail_on = [1]\n", ":2: check.fail_on: must be a string or a list of strings"),
        ("check = 3\n", ":1: check: must be a table ([check])"),
        ("\n\n[archives]\nwaybak = 'https://a.org'\n", ":4: unknown key 'archives.waybak'"),
        ("[archives]\nrequests_per_minute = 0\n", ":2: archives.requests_per_minute: must be a"),
        ("[archives\n", ":1: not valid TOML"),
        ("ignore = 3\n", ":1: ignore: must be an array of tables: [[ignore]]"),
    ],
)
def test_problems_name_file_line_and_key(tmp_path: Path, body: str, message: str) -> None:
    path = write(tmp_path / "claimcheck.toml", body)
    with pytest.raises(ConfigurationError) as error:
        load_config(path)
    assert str(error.value).startswith(str(path))
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_problems_in_a_pyproject_name_its_line(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n\n[tool.claimcheck]\nper_hots = 2\n')
    with pytest.raises(
        ConfigurationError,
        match=r"pyproject\.toml:5: unknown key 'per_hots' \(did you mean 'per_host'\?\)",
    ):
        find_config(tmp_path)


def test_ignore_entries_are_read_by_the_claims_files_rule(tmp_path: Path) -> None:
    path = write(
        tmp_path / "claimcheck.toml", '[[ignore]]\ntext = "72"\nreason = "a bill number"\n'
    )
    (entry,) = load_config(path).ignore
    assert (entry.text, entry.reason, entry.file, entry.file_line) == (
        "72",
        "a bill number",
        path,
        1,
    )


# ---------------------------------------------------------------------------------------------
# The store rule


def copy_example(tmp_path: Path, *, config: str | None = None) -> Path:
    """The worked example (claims and statement) and its store, copied into ``tmp_path/project``;
    returns the claims folder."""
    project = tmp_path / "project"
    shutil.copytree(WORKED_EXAMPLE.parent, project / "claims")
    shutil.copytree(
        ROOT / "snapshots", project / "snapshots", ignore=shutil.ignore_patterns(".cache")
    )
    if config is not None:
        write(project / "claimcheck.toml", config)
    return project / "claims"


def test_the_store_beside_the_claims_folder_is_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    claims = copy_example(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert find_store([claims / "denmark-syria-2021.toml"]) == claims.parent / "snapshots"


def test_the_config_names_the_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    claims = copy_example(tmp_path, config='snapshots = "snapshots"\n')
    (claims.parent / "snapshots").rename(claims.parent / "kept")
    write(claims.parent / "claimcheck.toml", 'snapshots = "kept"\n')
    monkeypatch.chdir(tmp_path)
    assert find_store([claims]) == claims.parent / "kept"


def test_check_finds_the_store_from_anywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    claims = copy_example(tmp_path)
    monkeypatch.chdir(tmp_path)
    report = claimcheck.check(claimcheck.load(claims / "denmark-syria-2021.toml"), copies="stored")
    assert report.summary["unchecked"] == 1  # as from the repository's root
    assert report.store == str((claims.parent / "snapshots").absolute())


def test_check_without_a_store_warns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    claims = copy_example(tmp_path)
    shutil.rmtree(claims.parent / "snapshots")
    monkeypatch.chdir(tmp_path)
    with pytest.warns(SnapshotStoreWarning, match="no snapshot store"):
        report = claimcheck.check(
            claimcheck.load(claims / "denmark-syria-2021.toml"), copies="stored"
        )
    assert report.store is None


def test_check_with_claims_that_cite_nothing_does_not_warn(tmp_path: Path) -> None:
    claims = write(
        tmp_path / "claims.toml",
        '[[claim]]\nid = "a"\nkind = "quote"\ntext = "so it is"\nunsourced = "common knowledge"\n',
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        claimcheck.check(claimcheck.load(claims), copies="stored")


def test_this_repository_names_its_store_in_pyproject() -> None:
    config = find_config(WORKED_EXAMPLE)
    assert config is not None
    assert config.path == ROOT / "pyproject.toml"
    assert config.snapshots == ROOT / "snapshots"
