"""Do the notebooks' claims hold on other draws? Runs each notebook again with every seed shifted.

    .venv/bin/python tests/robustness_run.py                          # offsets 1-5, every notebook
    .venv/bin/python tests/robustness_run.py --offsets 1,3 --notebooks 06,07

Each notebook is executed from a clean kernel once per offset k, with ``RELU_LIB_SEED_OFFSET=k``
(every seed shifted by 1000 k: relu_lib/seeds.py) and ``RELU_LIB_CLAIMS=record`` (a claim that
does not hold prints a cross and its measurements instead of raising, so one run finds them
all). Nothing is compared with the stored outputs except the number of claims each cell
states: a cell that states fewer than it stores has claims that were never reached. Printed:
every claim that fails at some offset (with the offsets and what was measured), every cell that
raises, every claim never reached. Exit status 1 if there is any, else 0. ``make robustness``
runs it; the executed copies are not kept, and nothing in the working tree changes.
"""

import argparse
import concurrent.futures
import os
import pathlib
import subprocess
import sys
import tempfile
from collections import defaultdict

import nbformat

from relu_lib.claims import CLAIMS_VARIABLE, RECORDED
from relu_lib.seeds import SEED_OFFSET_VARIABLE

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def stated_claims(cell):
    """(claims that held, claims that did not) in a code cell's printed output."""
    text = "".join(o.get("text", "") for o in cell.get("outputs", []) if o.output_type == "stream")
    lines = text.splitlines()
    return (
        [line[2:] for line in lines if line.startswith("✓ ")],
        [line[len(RECORDED) :] for line in lines if line.startswith(RECORDED)],
    )


def execute(notebook, offset, scratch):
    """The notebook executed with seeds shifted by ``offset``; errors kept in the outputs."""
    executed = scratch / f"{notebook.stem}-offset{offset}.ipynb"
    env = dict(os.environ, **{SEED_OFFSET_VARIABLE: str(offset), CLAIMS_VARIABLE: "record"})
    env["RELU_LIB_DEVICE"] = "cpu"  # the stored outputs' device: the same experiments
    command = [
        sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
        "--allow-errors", "--ExecutePreprocessor.kernel_name=python3",
        "--ExecutePreprocessor.timeout=900", "--log-level=ERROR",
        f"--output={executed}", str(notebook),
    ]  # fmt: skip
    # The kernel's own start-up chatter goes to stderr: shown only when the run itself fails.
    run = subprocess.run(command, env=env, cwd=ROOT / "notebooks", capture_output=True, text=True)
    if run.returncode:
        raise RuntimeError(f"{notebook.name} at offset {offset} did not run:\n{run.stderr}")
    return nbformat.read(executed, as_version=4)


def findings(notebook, offset, executed):
    """One line per failing claim, raising cell and unreached claim of this run."""
    stored = nbformat.read(notebook, as_version=4)
    found = []
    for index, (cell, ran) in enumerate(zip(stored.cells, executed.cells, strict=True)):
        if cell.cell_type != "code":
            continue
        held, failed = stated_claims(ran)
        where = f"{notebook.stem} cell {index}"
        found += [(where, "fails", claim) for claim in failed]
        for error in (o for o in ran.get("outputs", []) if o.output_type == "error"):
            found.append((where, "raises", f"{error.ename}: {error.evalue}"[:300]))
        missing = len(stated_claims(cell)[0]) - len(held) - len(failed)
        if missing > 0:
            found.append((where, "never reached", f"{missing} of its claims"))
    return [(where, kind, text, offset) for where, kind, text in found]


def report(results):
    """Lines for the findings, grouped by cell and kind, with the offsets each occurred at."""
    grouped = defaultdict(list)
    for where, kind, text, offset in results:
        grouped[(where, kind)].append((offset, text))
    lines = []
    for (where, kind), occurrences in sorted(grouped.items()):
        offsets = sorted({offset for offset, _ in occurrences})
        lines.append(f"{where}: {kind} at offset {', '.join(map(str, offsets))}")
        lines += [f"    [{offset}] {text}" for offset, text in sorted(occurrences)]
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--offsets", default="1,2,3,4,5", help="comma-separated whole numbers")
    parser.add_argument("--notebooks", default="", help="comma-separated numbers, e.g. 06,07")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks executed at once")
    args = parser.parse_args(argv)
    offsets = [int(k) for k in args.offsets.split(",")]
    if any(k < 0 for k in offsets):
        parser.error("--offsets: whole numbers (0 is the stored run: a control)")
    chosen = [
        nb for nb in NOTEBOOKS if not args.notebooks or nb.name[:2] in args.notebooks.split(",")
    ]
    if not chosen:
        parser.error(f"--notebooks: no notebook numbered {args.notebooks}")
    runs = [(nb, k) for nb in chosen for k in offsets]
    results = []
    with (
        tempfile.TemporaryDirectory() as scratch,
        concurrent.futures.ThreadPoolExecutor(args.jobs) as pool,
    ):
        futures = {pool.submit(execute, nb, k, pathlib.Path(scratch)): (nb, k) for nb, k in runs}
        for future in concurrent.futures.as_completed(futures):
            notebook, offset = futures[future]
            results += findings(notebook, offset, future.result())
            print(f"ran {notebook.stem} at offset {offset}", flush=True)
    lines = report(results)
    print(
        "\n".join(lines)
        or f"every claim of {len(chosen)} notebooks holds at offsets {args.offsets}"
    )
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main())
