"""Absurd values end as the command line promises (0 or 1, or 2 with one line), never as a
traceback: figure values no statement means (``1e999999999``, ten thousand digits, ``nan``) in a
claims file, in the claim's text, in the statement and in the source; option values out of
range given as separate arguments (``--per-host -1``, ``--deadline -5``, ``nan``, ``inf``); and
numbers no setting can hold in a ``--config`` file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support import run_cli

HUGE = "9" * 10_000  # more digits than Python turns into an int (4,300)
MILLION = "9" * 1_000_001  # an exponent beyond decimal's default range (999,999)
SOURCE = (
    "<html><body><p>Last month, it denied applications to around 189 Syrians, "
    f"then to {MILLION} Syrians, then to 1e999999999 Syrians and to {HUGE} Syrians.</p>"
    "</body></html>"
)


def assert_clean(code: int, err: str) -> None:
    assert "Traceback" not in err, err
    assert code in (0, 1, 2), (code, err)
    if code == 2:
        assert err.startswith("claimcheck: "), err


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("absurd")
    page = folder / "page.html"
    page.write_text(SOURCE, encoding="utf-8")
    code, _, err = run_cli(
        "snapshot", "add", "https://example.org/p", page, "--snapshots", folder / "store"
    )
    assert code == 0, err
    return folder / "store"


def _check(folder: Path, store: Path, text: str, value: str | None) -> tuple[int, str, str]:
    line = f"value = {value}\n" if value is not None else ""
    claims = folder / "claims.toml"
    claims.write_text(
        '[statement]\nid = "s"\n\n[[claim]]\nid = "figure"\nkind = "figure"\n'
        f'text = {json.dumps(text)}\n{line}context = "Syrians"\n\n'
        '[[claim.source]]\nurl = "https://example.org/p"\n',
        encoding="utf-8",
    )
    return run_cli("check", claims, "--offline", "--snapshots", store, "--format", "json")


@pytest.mark.parametrize(
    "value", ['"189"', '"1e1000"', '"-1e1000"', '"1e-1000"', f'"{HUGE[:1000]}"']
)
def test_large_figure_values_are_checked(store: Path, tmp_path: Path, value: str) -> None:
    code, out, err = _check(tmp_path, store, "Syrians", value)  # the value is the figure
    assert_clean(code, err)
    assert json.loads(out)["claims"][0]["status"] in ("verified", "drifted")


@pytest.mark.parametrize(
    "value",
    [
        '"1e999999999"',
        '"-1e999999999"',
        '"1E+999999999"',
        '"1e-999999999"',
        '"1e1001"',
        f'"{HUGE}"',
        HUGE,  # TOML: more digits than Python reads as an int
        '"nan"',
        '"inf"',
        '"-Infinity"',
        "nan",
        "inf",
        '"1e9999999999999999999999"',  # beyond even decimal's exponents
    ],
)
def test_figure_values_no_text_writes_are_problems(store: Path, tmp_path: Path, value: str) -> None:
    code, _, err = _check(tmp_path, store, "around 189 Syrians", value)
    assert_clean(code, err)
    assert code == 2
    assert "claims.toml" in err
    assert len(err) < 400  # the value is not repeated whole


@pytest.mark.parametrize(
    "text", [f"around {MILLION} Syrians", f"around {HUGE} Syrians", "around 189 Syrians"]
)
def test_absurd_figures_in_the_claim_and_the_source(store: Path, tmp_path: Path, text: str) -> None:
    code, out, err = _check(tmp_path, store, text, None)
    assert_clean(code, err)
    if "189" in text:
        assert json.loads(out)["claims"][0]["status"] in ("verified", "drifted")
    else:  # a run of digits that long is no figure: the claim states none
        assert code == 2
        assert "has no number in it" in err


def test_absurd_figures_in_the_statement(store: Path, tmp_path: Path) -> None:
    statement = tmp_path / "statement.md"
    statement.write_text(
        f"Around 189 Syrians, then {MILLION} million, then 1e999999999 and {HUGE} more.\n",
        encoding="utf-8",
    )
    claims = tmp_path / "claims.toml"
    claims.write_text(
        '[statement]\nid = "s"\ntext = "statement.md"\n\n[[claim]]\nid = "figure"\n'
        'kind = "figure"\ntext = "Around 189 Syrians"\n\n'
        '[[claim.source]]\nurl = "https://example.org/p"\n',
        encoding="utf-8",
    )
    code, _, err = run_cli("check", claims, "--offline", "--snapshots", store)
    assert_clean(code, err)
    code, _, err = run_cli("extract", statement)
    assert_clean(code, err)
    assert code == 0


# ---------------------------------------------------------------------------------------------
# Options and --config


PLACEHOLDER = '[[claim]]\nid = "a"\nkind = "quote"\ntext = "so"\n\n[[claim.source]]\nurl = "#"\n'


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--per-host", "-1"),
        ("--per-host", "-0"),
        ("--deadline", "-5"),
        ("--deadline", "nan"),
        ("--deadline", "inf"),
        ("--deadline", "-inf"),
        ("--deadline", "1e999999999"),
        ("--deadline", "1" + "0" * 5000),
    ],
)
@pytest.mark.parametrize("command", ["check", "audit", "fetch"])
def test_option_values_out_of_range_as_separate_arguments(
    tmp_path: Path, command: str, option: str, value: str
) -> None:
    claims = tmp_path / "claims.toml"
    claims.write_text(PLACEHOLDER, encoding="utf-8")
    store = tmp_path / "store"
    argv = {
        "check": ["check", claims, "--snapshots", store, "--no-archive"],
        "audit": ["audit", claims, "--db", tmp_path / "a.sqlite", "--snapshots", store],
        "fetch": ["snapshot", "fetch", claims, "--snapshots", store, "--no-archive"],
    }[command]
    code, _, err = run_cli(*argv, option, value)
    assert_clean(code, err)
    assert code == 2
    assert option in err
    assert len(err.splitlines()) == 1
    assert len(err) < 300  # a value of 5,000 digits is not repeated whole


@pytest.mark.parametrize("digits", [400, 5000])
@pytest.mark.parametrize("key", ["timeout", "deadline", "backoff_after_429", "max_bytes"])
def test_config_numbers_no_setting_can_hold(tmp_path: Path, key: str, digits: int) -> None:
    claims = tmp_path / "claims.toml"
    claims.write_text(PLACEHOLDER, encoding="utf-8")
    config = tmp_path / "archives.toml"
    config.write_text(f"[archives]\n{key} = 1{'0' * digits}\n", encoding="utf-8")
    code, _, err = run_cli(
        "check", claims, "--snapshots", tmp_path / "store", "--no-archive", "--config", config
    )
    assert_clean(code, err)
    if key != "max_bytes":  # a cap of any size is a cap
        assert code == 2
        assert str(config) in err
        assert len(err) < 300
