"""Do the notebooks' claims hold on other draws? Runs each notebook again with every seed shifted,
and once without its Going deeper sections.

    .venv/bin/python etc/robustness_run.py                          # offsets 1-5, every notebook
    .venv/bin/python etc/robustness_run.py --offsets 1,3 --notebooks 06,07 --no-core-path

Each notebook is executed from a clean kernel once per offset k, with ``RELU_LIB_SEED_OFFSET=k``
(every seed shifted by 1000 k: relu_lib/seeds.py) and ``RELU_LIB_CLAIMS=record`` (a claim that
does not hold prints a cross and its measurements instead of raising, so one run finds them
all). Nothing is compared with the stored outputs except the number of claims each cell
states: a cell that states fewer than it stores has claims that were never reached. Printed:
every claim that fails at some offset (with the offsets and what was measured), every cell that
raises, every claim never reached. Exit status 1 if there is any, else 0. ``make robustness``
runs it; the executed copies are not kept, and nothing in the working tree changes.

The core-path run executes each notebook at offset 0 with its Going deeper cells (tag `deeper`)
left out and compares every remaining code cell's text output with the stored one (durations
and addresses masked as nbval masks them, NBVAL_IGNORE_OUTPUT cells skipped): a difference means
the core path reads something a side road set, so it would not run as the course says it does.
"""

import argparse
import concurrent.futures
import configparser
import itertools
import os
import pathlib
import re
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


DEEPER = "deeper"
CORE_PATH = "core path"  # the run's name where an offset would be
# What nbval masks before it compares (durations, addresses): the same file, so the same masks.
_SANITIZE = configparser.RawConfigParser()
_SANITIZE.read(ROOT / "tests" / "nbval_sanitize.cfg", encoding="utf-8")
MASKS = [(re.compile(_SANITIZE[s]["regex"]), _SANITIZE[s]["replace"]) for s in _SANITIZE.sections()]


def core_path(notebook):
    """The notebook without its Going deeper cells."""
    nb = nbformat.read(notebook, as_version=4)
    nb.cells = [cell for cell in nb.cells if DEEPER not in cell.metadata.get("tags", [])]
    return nb


def execute(notebook, offset, scratch):
    """The notebook executed with seeds shifted by ``offset`` (CORE_PATH: at 0, its core path
    alone); errors kept in the outputs."""
    executed = scratch / f"{notebook.stem}-offset{offset}.ipynb"
    if offset == CORE_PATH:
        source = scratch / f"{notebook.stem}-core.ipynb"
        nbformat.write(core_path(notebook), source)
        executed = scratch / f"{notebook.stem}-core-run.ipynb"
        notebook, offset = source, 0
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


def printed(cell):
    """A code cell's text output as nbval compares it (figures aside, volatile parts masked)."""
    text = ""
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            text += output.text
        elif output.output_type in ("execute_result", "display_data"):
            text += output.data.get("text/plain", "") if "image/png" not in output.data else ""
    for pattern, mask in MASKS:
        text = pattern.sub(mask, text)
    return text


def core_path_findings(notebook, executed):
    """One line per core cell whose output differs from the stored notebook's, or that raises."""
    found = []
    stored = nbformat.read(notebook, as_version=4)
    core = [(i, c) for i, c in enumerate(stored.cells) if DEEPER not in c.metadata.get("tags", [])]
    for (index, cell), ran in zip(core, executed.cells, strict=True):
        if cell.cell_type != "code" or "NBVAL_IGNORE_OUTPUT" in cell.source:
            continue
        where = f"{notebook.stem} cell {index}"
        for error in (o for o in ran.get("outputs", []) if o.output_type == "error"):
            found.append((where, "raises", f"{error.ename}: {error.evalue}"[:300], CORE_PATH))
        if printed(cell) != printed(ran) and not any(o.output_type == "error" for o in ran.outputs):
            stored_lines, ran_lines = printed(cell).splitlines(), printed(ran).splitlines()
            first = next(
                (a, b)
                for a, b in itertools.zip_longest(stored_lines, ran_lines, fillvalue="")
                if a != b
            )
            found.append(
                (
                    where,
                    "prints otherwise",
                    f"stored {first[0]!r}, without Going deeper {first[1]!r}",
                    CORE_PATH,
                )
            )
    return found


def findings(notebook, offset, executed):
    """One line per failing claim, raising cell and unreached claim of this run."""
    if offset == CORE_PATH:
        return core_path_findings(notebook, executed)
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
        offsets = sorted({offset for offset, _ in occurrences if offset != CORE_PATH})
        at = [f"at offset {', '.join(map(str, offsets))}"] if offsets else []
        at += ["in its core path alone"] if len(offsets) < len({o for o, _ in occurrences}) else []
        lines.append(f"{where}: {kind} {' and '.join(at)}")
        lines += [f"    [{offset}] {text}" for offset, text in sorted(occurrences, key=str)]
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--offsets", default="1,2,3,4,5", help="comma-separated whole numbers")
    parser.add_argument("--notebooks", default="", help="comma-separated numbers, e.g. 06,07")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks executed at once")
    parser.add_argument(
        "--no-core-path", action="store_true", help="skip the run without Going deeper sections"
    )
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
    if not args.no_core_path:
        runs = [(nb, CORE_PATH) for nb in chosen] + runs
    results = []
    with (
        tempfile.TemporaryDirectory() as scratch,
        concurrent.futures.ThreadPoolExecutor(args.jobs) as pool,
    ):
        futures = {pool.submit(execute, nb, k, pathlib.Path(scratch)): (nb, k) for nb, k in runs}
        for future in concurrent.futures.as_completed(futures):
            notebook, offset = futures[future]
            results += findings(notebook, offset, future.result())
            at = "its core path alone" if offset == CORE_PATH else f"at offset {offset}"
            print(f"ran {notebook.stem} {at}", flush=True)
    lines = report(results)
    core = "" if args.no_core_path else "; each core path alone prints what the notebook prints"
    print(
        "\n".join(lines)
        or f"every claim of {len(chosen)} notebooks holds at offsets {args.offsets}{core}"
    )
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main())
