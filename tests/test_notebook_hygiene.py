"""The stored notebooks are clean: what a learner reads and what nbval compares against.

Each notebook was executed top to bottom in a clean kernel, stores no error, warning,
memory address or machine path, follows the lesson skeleton, and checks its worked solutions.
"""

import json
import pathlib
import re

import nbformat
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
IDS = [nb.stem for nb in NOTEBOOKS]

ADDRESS = re.compile(r"0x[0-9a-fA-F]{6,}")
MACHINE_PATH = re.compile(r"/(root|home|tmp|usr|opt|Users|work)/|site-packages|[A-Z]:\\")
WARNING = re.compile(r"\b\w*(?:Warning|Error|Traceback)\b")
# Ours: the text a checker or a claim prints is allowed to name the exception it reports.
ALLOWED_WARNING_TEXT = re.compile(r"TypeError|ValueError|RuntimeError|AssertionError")


SOLUTION_FIRST_LINE = "# Worked solution: try the exercise first, then click to open."


def load(path):
    return nbformat.read(path, as_version=4)


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def output_text(output):
    if "text" in output:
        return output["text"]
    return "".join(v for k, v in output.get("data", {}).items() if k.startswith("text/"))


def test_the_notebooks_are_numbered_one_to_n():
    numbers = [int(nb.name[:2]) for nb in NOTEBOOKS]
    assert numbers == list(range(1, len(numbers) + 1)) and numbers


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_valid_format_and_python3_kernel(path):
    nb = load(path)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"
    assert nb.metadata.kernelspec.language == "python"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_executed_in_order_from_a_clean_kernel(path):
    counts = [c.execution_count for c in code_cells(load(path))]
    assert counts == list(range(1, len(counts) + 1)), "run `make execute` and commit"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_empty_cells_and_no_per_cell_timestamps(path):
    nb = load(path)
    for cell in nb.cells:
        assert cell.source.strip(), "empty cell"
        assert "execution" not in cell.metadata, "per-cell timestamps: refresh with `make execute`"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_errors_stderr_warnings_addresses_or_paths_in_outputs(path):
    for i, cell in enumerate(code_cells(load(path))):
        for output in cell.outputs:
            where = f"code cell {i + 1}"
            assert output.output_type != "error", f"{where} stored an error"
            assert output.get("name") != "stderr", f"{where} wrote to stderr"
            text = output_text(output)
            assert not ADDRESS.search(text), f"{where} shows a memory address"
            assert not MACHINE_PATH.search(text), f"{where} shows a machine path"
            for word in WARNING.findall(text):
                assert ALLOWED_WARNING_TEXT.fullmatch(word), f"{where} shows a {word}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_one_stream_output_per_stream_as_jupyterlab_saves_it(path):
    for i, cell in enumerate(code_cells(load(path))):
        names = [o.get("name") for o in cell.outputs]
        for previous, output in zip(cell.outputs, cell.outputs[1:], strict=False):
            same_stream = output.output_type == previous.output_type == "stream"
            assert not (same_stream and output.name == previous.name), (
                f"code cell {i + 1} stores its {output.name} in pieces ({names}): `make execute`"
            )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_the_first_code_cell_sets_up_relu_lib(path):
    first = code_cells(load(path))[0].source
    assert "import relu_lib as rl" in first and "rl.setup_notebook(" in first


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_the_lesson_skeleton(path):
    nb = load(path)
    title = nb.cells[0]
    assert title.cell_type == "markdown" and title.source.startswith(f"# {path.name[:2]} ")
    assert re.search(r"[\u4e00-\u9fff]", title.source), "the article's heading in Chinese"
    assert "What you will learn" in title.source
    headings = [c.source.splitlines()[0] for c in nb.cells if c.cell_type == "markdown"]
    assert "## Takeaways" in headings and "## Exercises" in headings


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_exercise_has_a_hidden_solution_that_must_pass(path):
    cells = code_cells(load(path))
    checks = [c for c in cells if re.search(r"\brl\.check_\w+\(", c.source)]
    stubs = [c for c in checks if "must_pass=True" not in c.source]
    solutions = [c for c in cells if "must_pass=True" in c.source]
    assert stubs and len(stubs) == len(solutions)
    for cell in solutions:
        hidden = cell.metadata.get("jupyter", {})
        # JupyterLab hides the output only on request, and previews a hidden source's first line
        assert hidden.get("source_hidden") and hidden.get("outputs_hidden"), "solution on show"
        assert cell.source.splitlines()[0] == SOLUTION_FIRST_LINE, "the preview gives it away"
        assert "hide-cell" in cell.metadata.get("tags", []), "the book shows it: tag hide-cell"
        assert cell.outputs and output_text(cell.outputs[0]).startswith("✓ Correct")
    for cell in stubs:
        assert output_text(cell.outputs[0]).startswith("○ Not attempted yet")


# Seeding that bypasses relu_lib's knob (RELU_LIB_SEED_OFFSET): make robustness could not move it.
DIRECT_SEEDING = re.compile(
    r"\b(?:torch\.(?:manual_seed|Generator|random\.manual_seed|cuda\.manual_seed\w*)"
    r"|np\.random\.(?:seed|default_rng|RandomState|Generator)|random\.seed)\s*\("
)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_seed_goes_through_relu_lib(path):
    seeded = [
        (index, match.group(0))
        for index, cell in enumerate(load(path).cells)
        if cell.cell_type == "code"
        for match in DIRECT_SEEDING.finditer(cell.source)
    ]
    assert seeded == [], "use rl.manual_seed, rl.generator or rl.rng (relu_lib/seeds.py)"


@pytest.mark.parametrize(
    "direct, through_relu_lib",
    [
        ("torch.manual_seed(0)", "rl.manual_seed(0)"),
        ("g = torch.Generator().manual_seed(1)", "g = rl.generator(1)"),
        ("rng = np.random.default_rng(0)", "rng = rl.rng(0)"),
        ("np.random.seed(3)", "rl.setup_notebook(seed=3)"),
        ("random.seed(0)", "rl.setup_notebook(seed=0)"),
    ],
)
def test_the_direct_seeding_pattern_tells_direct_seeding_from_relu_lib(direct, through_relu_lib):
    assert DIRECT_SEEDING.search(direct)
    assert not DIRECT_SEEDING.search(through_relu_lib)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_outputs_are_stored_as_huge_blobs(path):
    assert path.stat().st_size < 1_500_000, "shrink the figures (dpi, size, number)"
    json.loads(path.read_text(encoding="utf-8"))


def test_the_readme_maps_every_notebook_with_the_minutes_it_states():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for nb in NOTEBOOKS:
        stated = re.search(
            r"\*\*Time:\*\* about (\d+) minutes.*?add about (\d+)", load(nb).cells[0].source
        )
        for folder in ("notebooks/", "notebooks/zh/"):
            link = f"[{folder}{nb.name}]({folder}{nb.name})"
            assert f"{link} | {stated[1]} + {stated[2]} |" in readme, f"README's map: {link}"


# "He et al. 2015", "Lu et al.", "Glorot & Bengio 2010", "Kakade and Lee (NeurIPS 2018)": a
# surname, its co-authors, perhaps a venue, and a year ("X and Y" counts only with a year).
YEAR = r"(?:,? \(?(?:[A-Za-z]+ )?((?:19|20)\d\d))"
CITATIONS = [
    re.compile(rf"\b((?:Le)?[A-Z][a-zü]+)(?: et al\.|(?:,? [A-Z][a-z]+)*,? & [A-Z][a-z]+){YEAR}?"),
    re.compile(rf"\b([A-Z][a-zü]+) and [A-Z][a-z]+{YEAR}"),
]
REFERENCES = (ROOT / "book" / "references.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_cited_paper_has_a_full_reference_in_the_book(path):
    prose = " ".join(c.source for c in load(path).cells if c.cell_type == "markdown")
    entries = REFERENCES.split("\n- ")[1:]
    for pattern in CITATIONS:
        for surname, year in pattern.findall(prose.replace("\n", " ")):
            assert any(e.startswith(surname) and f"({year or ''}" in e for e in entries), (
                f"{surname} {year}: no entry in book/references.md"
            )


def test_every_file_of_the_course_that_a_page_names_exists():
    """A notebook, the README or CONTRIBUTING.md that names tests/x.py, etc/x.py or relu_lib/x.py
    names a file that is there (a test module renamed leaves no stale pointer behind)."""
    pages = [*NOTEBOOKS, ROOT / "README.md", ROOT / "CONTRIBUTING.md"]
    named = {
        (page.name, path)
        for page in pages
        for path in re.findall(r"\b((?:tests|etc|relu_lib)/[\w/]+\.py)\b", page.read_text("utf-8"))
    }
    assert named, "no file named at all: the pattern is wrong"
    assert [(page, path) for page, path in sorted(named) if not (ROOT / path).is_file()] == []
