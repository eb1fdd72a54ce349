"""How `make test` runs the notebooks: nbval runs each code cell in one kernel per notebook and
compares what it prints with what the notebook stores. Here each cell then runs a second time,
as a learner who presses Shift+Enter twice, and must print the same again; and each exercise
stub is answered as a learner would, between the two runs: wrong first (a hint, never a
traceback), then with the worked solution's code (a tick). Later cells still have to print
what the notebook stores, so a cell that is not safe to run again fails here."""

import re

import nbformat
import pytest
from nbval.plugin import IPyNbCell, NbCellError

CHECK = re.compile(r"\brl\.check_\w+\(")
MUST_PASS = re.compile(r",\s*must_pass=True")
VALUE_STUB = re.compile(r"^(\w+) = \.\.\.(\s*#.*)?$", re.MULTILINE)
CODE_STUB = re.compile(r"^(\s+)\.\.\.(\s*#.*)?$", re.MULTILINE)


def exercises(cells):
    """{stub source: worked solution source}, paired in the order the notebook poses them."""
    sources = [c.source for c in cells if c.cell_type == "code"]
    stubs = [s for s in sources if CHECK.search(s) and not MUST_PASS.search(s)]
    solutions = [s for s in sources if MUST_PASS.search(s)]
    assert len(stubs) == len(solutions), "every exercise stub needs one worked solution"
    return dict(zip(stubs, solutions, strict=True))


def filled_in(solution):
    """The worked solution as a learner would type it into the stub: without must_pass."""
    return MUST_PASS.sub("", solution)


def wrong(stub):
    """The stub with a wrong answer of the wrong kind: a number where code was asked, and
    a number no exercise has as its answer."""
    answer = VALUE_STUB.sub(r"\1 = 12345", stub)
    answer = CODE_STUB.sub(r"\1return 12345", answer)
    assert answer != stub, f"no stub placeholder (`= ...` or `...`) found in:\n{stub}"
    return answer


def run(item, source, *, compare):
    """Run source in the notebook's kernel the way nbval runs a cell; compare its outputs with
    the stored cell's when asked. Returns the text it printed."""
    stored = item.cell
    if not compare:
        item.cell = nbformat.v4.new_code_cell(source)  # no execution count: nbval compares nothing
    try:
        item.runtest()
    finally:
        item.cell = stored
    return "".join(o.get("text", "") for o in item.test_outputs if o.output_type == "stream")


def feedback(item, source, why):
    try:
        said = run(item, source, compare=False)
    except NbCellError as error:
        error.args = (f"{why}: the checker raised instead of answering", *error.args[1:])
        raise
    assert all(o.get("name") != "stderr" for o in item.test_outputs), (why, item.test_outputs)
    return said


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    outcome = yield  # nbval's own run: the cell's first, compared with what it stores
    if not isinstance(item, IPyNbCell) or item.options["skip"]:
        return outcome
    notebook = item.parent
    if not hasattr(notebook, "exercises"):
        notebook.exercises = exercises(notebook.nb.cells)
    stub = item.cell.source
    if stub in notebook.exercises:
        said = feedback(item, wrong(stub), "a wrong answer")
        assert said.startswith("✗ Not yet: ") and len(said) > 30, ("a wrong answer", stub, said)
        said = feedback(item, filled_in(notebook.exercises[stub]), "the worked solution")
        assert said.startswith("✓ Correct"), ("the worked solution typed into the stub", said)
    try:
        run(item, stub, compare=True)
    except NbCellError as error:
        error.args = (f"Run a second time: {error.args[0]}", *error.args[1:])
        raise
    return outcome
