"""The exercises as a learner meets them: each notebook runs top to bottom in a fresh kernel
with every stub filled in with its worked solution's code, which must get a tick; then each
stub runs again with a wrong answer, which must get a hint, never a traceback."""

import re

import nbformat
import pytest
from nbclient import NotebookClient
from test_notebook_hygiene import IDS, NOTEBOOKS, code_cells, load, output_text

CHECK = re.compile(r"\brl\.check_\w+\(")
MUST_PASS = re.compile(r",\s*must_pass=True")
VALUE_STUB = re.compile(r"^(\w+) = \.\.\.(\s*#.*)?$", re.MULTILINE)
CODE_STUB = re.compile(r"^(\s+)\.\.\.(\s*#.*)?$", re.MULTILINE)


def exercises(nb):
    """(stub, worked solution) source pairs, in the order the notebook poses them."""
    cells = code_cells(nb)
    stubs = [c.source for c in cells if CHECK.search(c.source) and not MUST_PASS.search(c.source)]
    solutions = [c.source for c in cells if MUST_PASS.search(c.source)]
    assert stubs and len(stubs) == len(solutions)
    return list(zip(stubs, solutions, strict=True))


def filled_in(solution):
    return MUST_PASS.sub("", solution)


def wrong(stub):
    """The stub with a wrong answer of the wrong kind: a number where code was asked, and
    a number no exercise has as its answer."""
    answer = VALUE_STUB.sub(r"\1 = 12345", stub)
    answer = CODE_STUB.sub(r"\1return 12345", answer)
    assert answer != stub, f"no stub placeholder (`= ...` or `...`) found in:\n{stub}"
    return answer


def run(cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True).execute()
    return nb.cells


def feedback(cell):
    errors = [f"{o.ename}: {o.evalue}" for o in cell.outputs if o.output_type == "error"]
    assert not errors, (cell.source, errors)
    assert all(o.get("name") != "stderr" for o in cell.outputs), cell.outputs
    text = "".join(output_text(o) for o in cell.outputs)
    assert "Traceback" not in text
    return text


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_solutions_typed_into_the_stubs_pass_and_wrong_answers_get_a_hint(path):
    nb = load(path)
    pairs = exercises(nb)
    answers = dict((stub, filled_in(solution)) for stub, solution in pairs)
    lesson = [c.source for c in code_cells(nb) if not MUST_PASS.search(c.source)]
    cells = run([answers.get(source, source) for source in lesson] + [wrong(s) for s, _ in pairs])
    rights = [cell for cell in cells[: len(lesson)] if cell.source in answers.values()]
    for (stub, _), right, bad in zip(pairs, rights, cells[len(lesson) :], strict=True):
        assert feedback(right).startswith("✓ Correct"), (stub, feedback(right))
        said = feedback(bad)
        assert said.startswith("✗ Not yet: ") and len(said) > 30, (stub, said)
