"""Mutation testing for relu_lib: do the unit tests notice a one-line bug?

Makes one-line mutants of every module in relu_lib/ and relu_lib/exercises/, runs the unit tests
against each one in a scratch copy, and prints which mutants the tests catch. A mutant that
survives is either equivalent (no input tells it from the original) or a gap in the tests.

    .venv/bin/python etc/mutation_run.py                  # 60 mutants sampled with seed 0
    .venv/bin/python etc/mutation_run.py --sample 20 --seed 3
    .venv/bin/python etc/mutation_run.py --all            # every mutant (hours)
    .venv/bin/python etc/mutation_run.py --only 12,345    # these mutants (ids from a run)
    .venv/bin/python etc/mutation_run.py --list           # list the mutants, run nothing

Mutations, each found from the module's syntax tree and tokens, one token on one line (a
``return`` value: one expression on one line), kept only if the module still compiles:
``==``/``!=``, ``<``/``<=``, ``>``/``>=``, ``+``/``-`` (binary, unary, augmented), ``*``/``/``,
``and``/``or``, ``True``/``False``, ``is None``/``is not None``, a number c -> c + 1, a ``not``
removed, ``return x`` -> ``return None``. Docstrings, comments, imports, ``__all__`` and
f-strings are left alone. Ids number all the mutants in file and line order, so they stay the
same while relu_lib does.

relu_lib/, tests/, pyproject.toml, requirements.txt and notebooks/conftest.py (which
tests/test_notebook_reruns.py runs) are copied once, at the start, into a scratch directory, so
edits made to the working tree during a run do not change it. For each mutant that copy is
copied again, the mutation applied there, and ``python -m pytest tests -x ...`` runs with it as
cwd, so the mutated copy of relu_lib is imported, not the editable install (checked before the
first run). Test modules that read files the copy does not have (Makefile, README,
environment.yml, the stored notebooks, i18n/, the built book) are left out: they check the
course's files, not relu_lib. The unmutated copy runs first and must pass. A run that exceeds
300 s (``--timeout``) counts as caught, marked TIMEOUT: on a busy machine, run those again with
``--only``. Standard library only.
"""

import argparse
import ast
import bisect
import io
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tokenize
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYTHON = REPO / ".venv" / "bin" / "python"
COPIED = ["relu_lib", "tests", "pyproject.toml", "requirements.txt", "notebooks/conftest.py"]
PYTEST = ["-m", "pytest", "tests", "-x", "-q", "-p", "no:cacheprovider"]
PYTEST += ["-n", "2", "--dist", "loadscope"]
# These read the Makefile, README, environment.yml, .ci/, etc/, i18n/, the stored notebooks or
# the built book, which the copy does not have: they would fail on every mutant, and they test
# none of relu_lib.
PYTEST += [
    "--ignore=tests/test_claims_register.py",
    "--ignore=tests/test_environment.py",
    "--ignore=tests/test_learner_setup.py",
    "--ignore=tests/test_lesson_path.py",
    "--ignore=tests/test_my_notebooks.py",
    "--ignore=tests/test_notebook_hygiene.py",
    "--ignore=tests/test_robustness_run.py",
    "--ignore=tests/test_translations.py",
    "--ignore=tests/test_book_browser.py",
    "--ignore=tests/test_lab_browser.py",
    "--deselect=tests/test_exercises_nb08.py::test_the_cases_are_not_run_in_the_lesson_above_them",
    "--deselect=tests/test_exercises_nb08.py::test_no_answer_is_printed_above_its_exercise",
]

SWAPS = {
    ast.Eq: ("==", "!="),
    ast.NotEq: ("!=", "=="),
    ast.Lt: ("<", "<="),
    ast.LtE: ("<=", "<"),
    ast.Gt: (">", ">="),
    ast.GtE: (">=", ">"),
    ast.Add: ("+", "-"),
    ast.Sub: ("-", "+"),
    ast.Mult: ("*", "/"),
    ast.Div: ("/", "*"),
    ast.UAdd: ("+", "-"),
    ast.USub: ("-", "+"),
    ast.And: ("and", "or"),
    ast.Or: ("or", "and"),
}


@dataclass
class Mutant:
    id: int
    path: Path  # relative to the copy, as to the repository
    line: int
    start: int  # character columns of the replaced text on that line
    end: int
    new: str

    def apply(self, source):
        lines = source.splitlines(keepends=True)
        text = lines[self.line - 1]
        lines[self.line - 1] = text[: self.start] + self.new + text[self.end :]
        return "".join(lines)

    def lines(self, folder):
        """The line before and after, stripped."""
        before = (folder / self.path).read_text(encoding="utf-8").splitlines()[self.line - 1]
        after = before[: self.start] + self.new + before[self.end :]
        return before.strip(), after.strip()


class Sites:
    """The mutation sites of one module, as (line, start, end, new text), from its tokens."""

    def __init__(self, source):
        self.lines = source.splitlines()
        skip = {tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT}
        tokens = tokenize.generate_tokens(io.StringIO(source).readline)
        self.tokens = [t for t in tokens if t.type not in skip]
        self.starts = [t.start for t in self.tokens]
        self.found = []

    def pos(self, line, byte_col):
        """ast gives UTF-8 byte offsets; tokenize gives characters."""
        return line, len(self.lines[line - 1].encode()[:byte_col].decode())

    def start(self, node):
        return self.pos(node.lineno, node.col_offset)

    def end(self, node):
        return self.pos(node.end_lineno, node.end_col_offset)

    def token_at(self, where):
        i = bisect.bisect_left(self.starts, where)
        return self.tokens[i] if i < len(self.tokens) and self.tokens[i].start == where else None

    def token_between(self, after, before, text):
        """The first token ``text`` at or after ``after`` and before ``before``."""
        i = bisect.bisect_left(self.starts, after)
        while i < len(self.tokens) and self.tokens[i].start < before:
            if self.tokens[i].string == text:
                return self.tokens[i]
            i += 1
        return None

    def add(self, token, new, end=None):
        if token is not None:
            (line, start), stop = token.start, end or token.end
            if stop[0] == line:  # one line only
                self.found.append((line, start, stop[1], new))

    def visit(self, node):
        if isinstance(node, ast.Import | ast.ImportFrom | ast.JoinedStr):
            return  # imports; f-strings (their inner positions are unreliable before 3.12)
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
                return
        self.mutate(node)
        for child in ast.iter_child_nodes(node):
            self.visit(child)

    def swap(self, op, left, right):
        if type(op) in SWAPS:
            old, new = SWAPS[type(op)]
            self.add(self.token_between(self.end(left), self.start(right), old), new)

    def mutate(self, node):
        if isinstance(node, ast.BinOp):
            self.swap(node.op, node.left, node.right)
        elif isinstance(node, ast.AugAssign) and type(node.op) in SWAPS:
            old, new = SWAPS[type(node.op)]
            token = self.token_between(self.end(node.target), self.start(node.value), old + "=")
            self.add(token, new + "=")
        elif isinstance(node, ast.BoolOp):
            for left, right in zip(node.values, node.values[1:], strict=False):
                self.swap(node.op, left, right)
        elif isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            for op, left, right in zip(node.ops, operands, operands[1:], strict=False):
                self.swap(op, left, right)
                none = any(isinstance(x, ast.Constant) and x.value is None for x in (left, right))
                if isinstance(op, ast.Is | ast.IsNot) and none:
                    is_ = self.token_between(self.end(left), self.start(right), "is")
                    if isinstance(op, ast.Is):
                        self.add(is_, "is not")
                    else:  # `is not` -> `is`
                        not_ = self.token_between(self.end(left), self.start(right), "not")
                        self.add(is_, "is", end=not_ and not_.end)
        elif isinstance(node, ast.UnaryOp):
            token = self.token_at(self.start(node))
            if isinstance(node.op, ast.Not) and token is not None and token.string == "not":
                following = self.token_at(self.start(node.operand))  # `not x` -> `x`
                self.add(token, "", end=following and following.start)
            elif type(node.op) in SWAPS and token is not None:
                old, new = SWAPS[type(node.op)]
                self.add(token if token.string == old else None, new)
        elif isinstance(node, ast.Constant) and type(node.value) in (bool, int, float):
            token = self.token_at(self.start(node))
            if token is None:
                return
            if isinstance(node.value, bool) and token.string == str(node.value):
                self.add(token, str(not node.value))
            elif token.type == tokenize.NUMBER and ast.literal_eval(token.string) == node.value:
                self.add(token, repr(node.value + 1))
        elif isinstance(node, ast.Return) and node.value is not None:
            value = node.value
            if not (isinstance(value, ast.Constant) and value.value is None):
                if value.lineno == value.end_lineno == node.lineno:
                    token = self.token_at(self.start(value))
                    self.add(token, "None", end=self.end(value))


def all_mutants(folder):
    mutants = []
    modules = sorted([*folder.glob("relu_lib/*.py"), *folder.glob("relu_lib/exercises/*.py")])
    for module in modules:
        source = module.read_text(encoding="utf-8")
        sites = Sites(source)
        sites.visit(ast.parse(source))
        original = ast.dump(ast.parse(source))
        for line, start, end, new in sorted(set(sites.found)):
            mutant = Mutant(len(mutants) + 1, module.relative_to(folder), line, start, end, new)
            mutated = mutant.apply(source)
            try:
                compile(mutated, str(module), "exec")
            except SyntaxError:
                continue
            if ast.dump(ast.parse(mutated)) != original:
                mutants.append(mutant)
    return mutants


def scratch_copy(source):
    """A new scratch directory holding COPIED from ``source``."""
    folder = Path(tempfile.mkdtemp(prefix="relu_mutant_"))
    for name in COPIED:
        if (source / name).is_dir():
            ignore = shutil.ignore_patterns("__pycache__", ".hypothesis")
            shutil.copytree(source / name, folder / name, ignore=ignore)
        else:
            (folder / name).parent.mkdir(exist_ok=True)
            shutil.copy(source / name, folder / name)
    return folder


def run_tests(folder, timeout):
    """pytest in ``folder``: (return code or "timeout", its output)."""
    env = dict(os.environ, RELU_LIB_DEVICE="cpu", PYTHONDONTWRITEBYTECODE="1")
    proc = subprocess.Popen(
        [str(PYTHON), *PYTEST],
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group: a timeout ends the xdist workers too
    )
    try:
        out, _ = proc.communicate(timeout=timeout)
        return proc.returncode, out
    except subprocess.TimeoutExpired:
        return "timeout", ""
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()


def first_failure(rc, out):
    if rc == "timeout":
        return "TIMEOUT"
    found = re.search(r"^(?:FAILED|ERROR) (\S+)", out, re.MULTILINE)
    return found.group(1) if found else f"pytest exit code {rc}"


def check_baseline(template, timeout):
    folder = scratch_copy(template)
    try:
        code = "import relu_lib; print(relu_lib.__file__)"
        where = subprocess.run(
            [str(PYTHON), "-c", code], cwd=folder, capture_output=True, text=True, check=True
        ).stdout.strip()
        if not Path(where).resolve().is_relative_to(folder.resolve()):
            sys.exit(f"the scratch copy imports {where}, not its own relu_lib: stopping")
        print(f"relu_lib in the scratch copy is imported from {where}")
        began = time.monotonic()
        rc, out = run_tests(folder, timeout)
        if rc != 0:
            sys.exit(f"the unmutated copy fails ({first_failure(rc, out)}):\n{out[-3000:]}")
        summary = out.strip().splitlines()[-1]
        print(f"BASELINE passed, unmutated: {summary} ({time.monotonic() - began:.0f} s)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sample", type=int, default=60, help="how many mutants (default 60)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the sample (default 0)")
    parser.add_argument("--all", action="store_true", help="run every mutant")
    parser.add_argument("--only", help="comma-separated mutant ids to run")
    parser.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    parser.add_argument("--timeout", type=int, default=300, help="seconds per run (default 300)")
    args = parser.parse_args(argv)
    template = scratch_copy(REPO)
    try:
        run(args, template)
    finally:
        shutil.rmtree(template, ignore_errors=True)


def run(args, template):
    mutants = all_mutants(template)
    if args.only:
        wanted = {int(i) for i in args.only.split(",")}
        chosen = [m for m in mutants if m.id in wanted]
        if missing := wanted - {m.id for m in chosen}:
            sys.exit(f"no mutant with id {sorted(missing)}")
    elif args.all or args.list:
        chosen = mutants
    else:
        chosen = random.Random(args.seed).sample(mutants, min(args.sample, len(mutants)))
    chosen.sort(key=lambda m: (str(m.path), m.line, m.start))
    print(f"{len(chosen)} of {len(mutants)} mutants")
    if args.list:
        for m in chosen:
            before, after = m.lines(template)
            print(f"{m.id:5d} {m.path}:{m.line}  {before!r} -> {after!r}")
        return

    check_baseline(template, args.timeout)
    caught, timeouts, survivors = 0, 0, []
    for m in chosen:
        folder = scratch_copy(template)
        try:
            target = folder / m.path
            target.write_text(m.apply(target.read_text(encoding="utf-8")), encoding="utf-8")
            began = time.monotonic()
            rc, out = run_tests(folder, args.timeout)
            took = time.monotonic() - began
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        before, after = m.lines(template)
        verdict = "SURVIVED" if rc == 0 else "CAUGHT"
        if rc == 0:
            survivors.append(m.id)
            failure = "-"
        else:
            caught += 1
            timeouts += rc == "timeout"
            failure = first_failure(rc, out)
        print(
            f"{verdict:8s} {m.id:5d} {m.path}:{m.line}  {before!r} -> {after!r}  "
            f"{failure}  ({took:.0f} s)",
            flush=True,
        )
    print(f"{caught} of {len(chosen)} mutants caught ({timeouts} by timeout)")
    if survivors:
        print("survived:", ",".join(map(str, survivors)))


if __name__ == "__main__":
    main()
