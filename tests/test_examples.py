"""The example notebook runs from top to bottom and shows what the library computes.

``examples/worked-example.ipynb`` is committed without outputs. Here it is executed in a fresh
Jupyter kernel (nbclient, ipykernel), offline, once with the working directory at ``examples/``
and once at the repository root, and its outputs are compared with what :func:`claimcheck.check`
gives in this process. The kernel is ipykernel's own "python3" spec, which runs
``sys.executable``: the interpreter running the tests, never a kernel installed for another
Python in the user's or the system's Jupyter folders. The tests that execute the notebook are
marked ``slow`` (two kernels start).
"""

from __future__ import annotations

import ast
import json
import os
import re
import sys
from html import escape
from io import StringIO
from pathlib import Path
from typing import Any

import pytest

import claimcheck
import claimcheck.reports
from support import ROOT

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pd = pytest.importorskip("pandas")
kernelspec = pytest.importorskip("jupyter_client.kernelspec")
manager = pytest.importorskip("jupyter_client.manager")

NOTEBOOK = ROOT / "examples" / "worked-example.ipynb"
CELL_TIMEOUT = 120  # seconds, per cell
KERNEL_STARTUP_TIMEOUT = 60  # seconds

# Appended to the executed copy (never to the file): which Python and which claimcheck ran.
PROBE = "import sys\n\nimport claimcheck\n\nprint(sys.executable)\nprint(claimcheck.__file__)"


@pytest.fixture(
    scope="module", params=["examples", "."], ids=["cwd=examples", "cwd=repository-root"]
)
def executed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The notebook, executed (with the probe cell appended) in the given working directory."""
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    notebook.cells.append(
        nbformat.v4.new_code_cell(PROBE, id="test-probe", metadata={"tags": ["test-probe"]})
    )
    # No kernel folders: only ipykernel's native "python3" spec, with sys.executable as argv[0].
    specs = kernelspec.KernelSpecManager(kernel_dirs=[])
    kernel = manager.AsyncKernelManager(kernel_name="python3", kernel_spec_manager=specs)
    assert kernel.kernel_spec.argv[0] == sys.executable
    client = nbclient.NotebookClient(
        notebook,
        km=kernel,
        timeout=CELL_TIMEOUT,
        startup_timeout=KERNEL_STARTUP_TIMEOUT,
        allow_errors=False,  # a failing cell raises CellExecutionError with its traceback
    )
    # A fresh IPython profile: no user startup files or configuration run in the kernel.
    env = {**os.environ, "IPYTHONDIR": str(tmp_path_factory.mktemp("ipython"))}
    client.execute(cwd=str(ROOT / request.param), env=env, cleanup_kc=True)  # then shut down
    return notebook


def tagged(notebook: Any, tag: str) -> list[Any]:
    """The outputs of the code cells tagged ``tag``."""
    cells = [cell for cell in notebook.cells if tag in cell.metadata.get("tags", [])]
    assert cells, f"no cell tagged {tag!r}"
    return [output for cell in cells for output in cell.outputs]


def rich(notebook: Any, tag: str, mime: str) -> list[str]:
    """The ``mime`` representations the cells tagged ``tag`` displayed or returned."""
    return [
        output.data[mime]
        for output in tagged(notebook, tag)
        if output.output_type in ("execute_result", "display_data") and mime in output.data
    ]


def stdout(notebook: Any, tag: str) -> str:
    """What the cells tagged ``tag`` printed."""
    return "".join(
        output.text
        for output in tagged(notebook, tag)
        if output.output_type == "stream" and output.name == "stdout"
    )


def test_notebook_is_valid_and_stored_without_outputs() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=nbformat.NO_CONVERT)
    nbformat.validate(notebook)
    assert notebook.nbformat == 4
    assert notebook.metadata.kernelspec.name == "python3"
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code
    for cell in code:
        assert cell.outputs == [], f"cell {cell.id} is stored with outputs"
        assert cell.execution_count is None, f"cell {cell.id} is stored with an execution count"


@pytest.mark.slow
def test_runs_without_errors_or_warnings(executed: Any) -> None:
    nbformat.validate(executed)
    for cell in executed.cells:
        if cell.cell_type != "code":
            continue
        assert cell.execution_count is not None, f"cell {cell.id} did not run"
        for output in cell.outputs:
            assert output.output_type != "error", f"cell {cell.id}: {output.ename}"
            assert not (output.output_type == "stream" and output.name == "stderr"), (
                f"cell {cell.id} wrote to stderr: {output.text}"
            )


@pytest.mark.slow
def test_kernel_runs_this_python_and_this_claimcheck(executed: Any) -> None:
    executable, package = stdout(executed, "test-probe").splitlines()
    assert executable == sys.executable
    assert Path(package).resolve() == Path(claimcheck.__file__).resolve()


@pytest.mark.slow
def test_report_cell_shows_the_report_table(
    executed: Any, worked_example: claimcheck.Report
) -> None:
    (html,) = rich(executed, "report", "text/html")
    assert "<table" in html
    for result in worked_example.results:  # every claim, with the explanation computed here
        assert escape(result.claim.id or "") in html
        assert escape(result.message) in html


@pytest.mark.slow
def test_summary_cell_shows_the_summary(executed: Any, worked_example: claimcheck.Report) -> None:
    (text,) = rich(executed, "summary", "text/plain")
    assert ast.literal_eval(text) == worked_example.summary


@pytest.mark.slow
def test_disputed_cell_says_which_source_says_what(
    executed: Any, worked_example: claimcheck.Report
) -> None:
    lines = stdout(executed, "disputed").splitlines()
    assert worked_example.disputed
    assert lines == [
        f"{result.claim.id}: verified, disputed: {result.dispute}"
        for result in worked_example.disputed
    ]


@pytest.mark.slow
def test_claims_are_listed(executed: Any, worked_example: claimcheck.Report) -> None:
    (html,) = rich(executed, "claims", "text/html")
    for result in worked_example.results:
        assert f">{result.claim.id}<" in html


@pytest.mark.slow
def test_dataframe_cells_show_tables(executed: Any, worked_example: claimcheck.Report) -> None:
    for tag in ("dataframe", "groupby", "differences", "sources"):
        tables = rich(executed, tag, "text/html") + rich(executed, tag, "text/plain")
        assert tables, f"the cells tagged {tag!r} show nothing"
    (html,) = rich(executed, "not-verified", "text/html")
    assert 'class="dataframe' in html
    for result in worked_example.results:
        shown = f">{result.claim.id}<" in html
        assert shown == (result.status is not claimcheck.Status.VERIFIED), result.claim.id
    counts = rich(executed, "groupby", "text/plain")[0]
    for status, count in worked_example.summary.items():
        if status != "total" and count:
            assert re.search(rf"^{status}\s+{count}$", counts, re.MULTILINE), (status, counts)


@pytest.mark.slow
def test_evidence_cells_show_a_drifted_quote(
    executed: Any, worked_example: claimcheck.Report
) -> None:
    printed = stdout(executed, "drift").splitlines()
    claim_id = re.fullmatch(r"claim (\S+): drifted \(.+\)", printed[0])
    url = re.fullmatch(r"source (\S+): drifted \(.+\)", printed[1])
    assert claim_id, printed[0]
    assert url, printed[1]
    (result,) = [r for r in worked_example.results if r.claim.id == claim_id[1]]
    assert result.status is claimcheck.Status.DRIFTED
    assert result.claim.kind is claimcheck.ClaimKind.QUOTE
    (verdict,) = [v for v in result.verdicts if v.source.url == url[1]]
    assert verdict.status is claimcheck.Status.DRIFTED
    assert verdict.evidence is not None
    assert verdict.evidence.differences
    (html,) = rich(executed, "differences", "text/html")
    table = pd.read_html(StringIO(html))[0]
    assert list(table["kind"]) == [diff.kind.value for diff in verdict.evidence.differences]
    assert list(table["material"]) == [diff.material for diff in verdict.evidence.differences]

    head, _, body = stdout(executed, "json").partition("\n")
    summary = claimcheck.reports.to_json(worked_example)["summary"]  # with "disputed"
    assert head == f"claimcheck.report 1 {summary}"
    entry = json.loads(body)
    (wanted,) = [
        c for c in claimcheck.reports.to_json(worked_example)["claims"] if c["id"] == claim_id[1]
    ]
    assert (entry["status"], entry["reason"], entry["text"]) == (
        wanted["status"],
        wanted["reason"],
        wanted["text"],
    )
    assert entry["sources"] == [s for s in wanted["sources"] if s["url"] == url[1]]
