"""Smoke runs of the benchmark scripts: they must keep working, and the accuracy targets must
hold on a small sample. The full runs are separate (see benchmarks/README.md)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"benchmark_{name}", BENCHMARKS / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_accuracy_smoke_run_meets_the_targets(
    shared_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    accuracy = load("accuracy")
    corpus = shared_dir / "corpus" / "news-html"
    status = accuracy.main(["--corpus", str(corpus), "--limit-pages", "4", "--check-targets"])
    report = capsys.readouterr().out
    assert "claimcheck" in report
    assert "naive baseline" in report
    assert status == 0, report


def test_accuracy_skips_cleanly_without_the_corpus(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    accuracy = load("accuracy")
    assert accuracy.main(["--corpus", str(tmp_path / "missing")]) == 0
    assert "skipped" in capsys.readouterr().out


def test_speed_skips_cleanly_without_the_corpus(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    speed = load("speed")
    assert speed.main(["--corpus", str(tmp_path / "missing")]) == 0
    assert "not found" in capsys.readouterr().out
