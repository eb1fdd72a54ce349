"""Each notebook's learner path: a core that fits one sitting, the side roads marked "Going deeper".

The core path is every cell outside a Going deeper section. A Going deeper section starts at a
markdown heading "## Going deeper: ..." (any level; "深入：..." in the Chinese edition) and runs to
the next heading of the same or a higher level; its cells, and no others, carry the tag `deeper`
(the book draws them as a closed, visibly distinct block; JupyterLab collapses the heading).
Measured on the English source, the core path keeps to these budgets:

- prose: at most CORE_WORDS words of markdown (code, math and link targets not counted);
- claims: the lines of rl.claim statements are at most CLAIM_SHARE of the core paths' code
  lines across the course, and at most CLAIM_SHARE_ONE_NOTEBOOK in any one notebook (code
  lines: non-blank, non-comment lines of the code cells a learner reads, worked solutions aside);
- no cell made only of claims unless it is tagged `verdict`;
- minutes, estimated (printed, not tested) as words / 100 + 0.5 per code cell + 3 per exercise.
  On the notebooks before the split this gave 37, 59, 47, 36, 73, 77, 81, 64 minutes; two
  readers timed themselves at about 35, 75, 50, 30 and 70-100 (05-08).

`make test` prints the table of these figures for every notebook at its end.
"""

import ast
import functools
import json
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
EDITIONS = {
    "en": (NOTEBOOKS, "Going deeper: ", r"\*\*You need:\*\* "),
    # "**预备知识**：", not "**预备知识：**": CommonMark does not close a bold after "：".
    "zh": (
        sorted((ROOT / "notebooks" / "zh").glob("[0-9][0-9]_*.ipynb")),
        "深入：",
        r"\*\*预备知识\*\*：",
    ),
}
BOTH = [(lang, p) for lang, (paths, _, _) in EDITIONS.items() for p in paths]
BOTH_IDS = [f"{lang}-{p.stem[:2]}" for lang, p in BOTH]
IDS = [p.stem for p in NOTEBOOKS]

CORE_WORDS = 2500
CLAIM_SHARE = 0.20  # across the course's core paths, as the 32% it replaces was measured
CLAIM_SHARE_ONE_NOTEBOOK = 0.30  # 03's core has one claim per result and fewer lines around them
TAG = "deeper"
VERDICT = "verdict"
SOLUTION = "hide-cell"


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def text(cell):
    return "".join(cell["source"])


def tags(cell):
    return set(cell["metadata"].get("tags", []))


def heading(cell):
    """(level, title) of a markdown cell that opens with a heading, else None."""
    if cell["cell_type"] != "markdown":
        return None
    match = re.match(r"(#{1,6}) +(.+)", text(cell))
    return (len(match.group(1)), match.group(2).strip()) if match else None


def deeper_cells(cells, marker):
    """Positions of the cells inside Going deeper sections, found from the headings alone."""
    inside, level = set(), None
    for i, cell in enumerate(cells):
        found = heading(cell)
        if found and level is not None and found[0] <= level:
            level = None
        if found and level is None and found[1].startswith(marker):
            level = found[0]
        if level is not None:
            inside.add(i)
    return inside


def deeper_titles(cells, marker):
    return [h[1][len(marker) :] for h in map(heading, cells) if h and h[1].startswith(marker)]


def prose_words(markdown):
    """English words of prose: code, math, HTML tags and link targets removed first."""
    for pattern in (r"```.*?```", r"\$\$.*?\$\$", r"\$[^$\n]+\$", r"`[^`\n]*`", r"<[^>]+>"):
        markdown = re.sub(pattern, " ", markdown, flags=re.S)
    markdown = re.sub(r"\]\([^)]*\)", "]", markdown)
    return len(re.findall(r"[A-Za-z0-9][\w'’.-]*", markdown))


def is_claim(node):
    call = node.value if isinstance(node, ast.Expr) else None
    return isinstance(call, ast.Call) and (
        isinstance(call.func, ast.Attribute)
        and call.func.attr == "claim"
        or isinstance(call.func, ast.Name)
        and call.func.id == "claim"
    )


def parse(source):
    # IPython magics and shell lines are not Python: blank them, keeping the line numbers.
    return ast.parse(
        "\n".join("" if ln.lstrip().startswith(("%", "!")) else ln for ln in source.splitlines())
    )


def claim_lines(source):
    """(number of rl.claim statements, the lines they span) in a code cell."""
    claims = [node for node in ast.walk(parse(source)) if is_claim(node)]
    return len(claims), {ln for node in claims for ln in range(node.lineno, node.end_lineno + 1)}


def code_lines(source):
    return {
        i
        for i, ln in enumerate(source.splitlines(), 1)
        if ln.strip() and not ln.strip().startswith("#")
    }


def only_claims(source):
    """Every statement is a claim, or a loop or branch that holds nothing but claims."""

    def claims_only(node):
        if is_claim(node):
            return True
        inner = [n for field in ("body", "orelse") for n in getattr(node, field, [])]
        return isinstance(node, (ast.For, ast.If, ast.With)) and all(map(claims_only, inner))

    body = parse(source).body
    return bool(body) and all(map(claims_only, body))


def is_exercise(cell):
    return cell["cell_type"] == "code" and re.search(r"\brl\.check_\w+\(", text(cell))


@functools.cache  # the table and several tests read the same figures
def metrics(path):
    """The figures of one English notebook, split into its core path and its Going deeper part."""
    cells = load(path)
    deeper = deeper_cells(cells, EDITIONS["en"][1])
    figures = {}
    for part, chosen in (("core", lambda i: i not in deeper), ("deeper", lambda i: i in deeper)):
        picked = [c for i, c in enumerate(cells) if chosen(i)]
        code = [c for c in picked if c["cell_type"] == "code" and SOLUTION not in tags(c)]
        claims, claimed, lines = 0, 0, 0
        for cell in code:
            count, spanned = claim_lines(text(cell))
            claims += count
            claimed += len(spanned & code_lines(text(cell)))
            lines += len(code_lines(text(cell)))
        exercises = sum(1 for c in picked if is_exercise(c) and SOLUTION not in tags(c))
        words = sum(prose_words(text(c)) for c in picked if c["cell_type"] == "markdown")
        figures[part] = {
            "words": words,
            "claims": claims,
            "claim_share": claimed / lines if lines else 0.0,
            "claim_lines": claimed,
            "code_lines": lines,
            "minutes": round(words / 100 + 0.5 * len(code) + 3 * exercises),
        }
    return figures


def table():
    header = ("core words", "deeper words", "core claims", "deeper claims", "core claim share")
    rows = ["Learner's path  " + "  ".join(header) + "  minutes (core / all)"]
    for path in NOTEBOOKS:
        core, deep = metrics(path).values()
        cells = (core["words"], deep["words"], core["claims"], deep["claims"])
        figures = [f"{n:>{len(h)},}" for n, h in zip(cells, header, strict=False)]
        share = f"{core['claim_share']:>{len(header[-1])}.0%}"
        minutes = f"{core['minutes']:>4} / {core['minutes'] + deep['minutes']}"
        rows.append(f"  {path.stem[:2]}{' ' * 12}" + "  ".join([*figures, share, minutes]))
    cores = [metrics(path)["core"] for path in NOTEBOOKS]
    claimed, lines = sum(c["claim_lines"] for c in cores), sum(c["code_lines"] for c in cores)
    rows.append(
        f"  course: claims are {claimed} of the core paths' {lines} code lines "
        f"({claimed / lines:.0%})"
    )
    return rows


@pytest.mark.parametrize("lang, path", BOTH, ids=BOTH_IDS)
def test_going_deeper_sections_carry_the_tag_and_nothing_else_does(lang, path):
    cells = load(path)
    deeper = deeper_cells(cells, EDITIONS[lang][1])
    tagged = {i for i, c in enumerate(cells) if TAG in tags(c)}
    assert tagged == deeper, (
        f"cells tagged {TAG!r} but outside a Going deeper section: {sorted(tagged - deeper)}; "
        f"inside one but not tagged: {sorted(deeper - tagged)}"
    )


@pytest.mark.parametrize("lang, path", BOTH, ids=BOTH_IDS)
def test_the_opening_says_what_it_assumes_and_lists_the_going_deeper_sections(lang, path):
    cells = load(path)
    _, marker, you_need = EDITIONS[lang]
    opening = text(cells[0])
    assert re.search(rf"^{you_need}", opening, flags=re.M), f"no line {you_need!r}"
    for title in deeper_titles(cells, marker):
        assert title in opening, f"{marker}{title} is not listed (as optional) in the opening cell"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_the_core_path_fits_one_sitting(path):
    assert metrics(path)["core"]["words"] <= CORE_WORDS


# "**Time:** about 40 minutes ..." / "**时间**：约 40 分钟……": within 5 of the estimate.
STATED_MINUTES = {
    "en": r"\*\*Time:\*\* about (\d+) minutes",
    "zh": r"\*\*时间\*\*：约 ?(\d+) ?分钟",
}


@pytest.mark.parametrize("lang, path", BOTH, ids=BOTH_IDS)
def test_the_opening_states_the_core_path_minutes_as_estimated(lang, path):
    stated = re.search(STATED_MINUTES[lang], text(load(path)[0]))
    assert stated, f"no line matching {STATED_MINUTES[lang]!r} in the opening cell"
    english = ROOT / "notebooks" / path.name
    assert abs(int(stated.group(1)) - metrics(english)["core"]["minutes"]) <= 5


def test_claims_are_at_most_a_fifth_of_the_core_code_across_the_course():
    claimed = sum(metrics(path)["core"]["claim_lines"] for path in NOTEBOOKS)
    lines = sum(metrics(path)["core"]["code_lines"] for path in NOTEBOOKS)
    assert claimed / lines <= CLAIM_SHARE, f"{claimed} of {lines} core code lines are claims"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_notebooks_core_is_mostly_claims(path):
    assert metrics(path)["core"]["claim_share"] <= CLAIM_SHARE_ONE_NOTEBOOK


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_core_cell_is_only_claims_unless_it_is_the_verdict(path):
    cells = load(path)
    deeper = deeper_cells(cells, EDITIONS["en"][1])
    bare = [
        i
        for i, c in enumerate(cells)
        if i not in deeper
        and c["cell_type"] == "code"
        and VERDICT not in tags(c)
        and only_claims(text(c))
    ]
    assert not bare, f"cells {bare} hold nothing but claims: put each beside the result it checks"


def bound_and_loaded(node):
    """Names a statement sets, and the names it reads (a function's own parameters aside)."""
    bound, loaded, parameters = set(), set(), set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name):
            (loaded if isinstance(sub.ctx, ast.Load) else bound).add(sub.id)
        elif isinstance(sub, ast.arg):
            parameters.add(sub.arg)
        elif isinstance(sub, (ast.FunctionDef, ast.ClassDef)):
            bound.add(sub.name)
        elif isinstance(sub, (ast.Import, ast.ImportFrom)):
            bound.update((a.asname or a.name).split(".")[0] for a in sub.names)
    return bound, loaded - parameters


def reads_before_set(source, names):
    """The names a cell reads while they still hold what a Going deeper cell set, statement by
    statement (an assignment reads its right side first; a loop or a def sets before it reads),
    and the names left in that state after the cell."""
    found, names = set(), set(names)
    for statement in parse(source).body:
        bound, loaded = bound_and_loaded(statement)
        assigns = isinstance(statement, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Expr))
        found |= loaded & (names if assigns else names - bound)
        names -= bound
    return found, names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_the_core_path_and_the_exercises_need_nothing_from_going_deeper(path):
    """Read without its Going deeper sections, a notebook still runs: no later core cell reads a
    name that a Going deeper cell set (or set again), and no exercise sits in one."""
    cells = load(path)
    deeper = deeper_cells(cells, EDITIONS["en"][1])
    from_deeper, uses = set(), []
    for i, cell in enumerate(cells):
        if cell["cell_type"] != "code":
            continue
        if i in deeper:
            assert not is_exercise(cell), f"cell {i}: an exercise inside a Going deeper section"
            from_deeper |= bound_and_loaded(parse(text(cell)))[0]
        else:
            found, from_deeper = reads_before_set(text(cell), from_deeper)
            uses += [(i, name) for name in sorted(found)]
    assert not uses, f"core cells that read names a Going deeper cell set: {uses}"


def test_the_rules_find_a_section_its_end_and_its_budget():
    cells = [
        {"cell_type": "markdown", "source": "## Core", "metadata": {}},
        {"cell_type": "markdown", "source": "### Going deeper: a side road", "metadata": {}},
        {"cell_type": "code", "source": "x = 1\nrl.claim(x == 1,\n  'x is one')", "metadata": {}},
        {"cell_type": "markdown", "source": "#### still inside", "metadata": {}},
        {
            "cell_type": "markdown",
            "source": "### Back on the path, `code` and $x^2$ not counted",
            "metadata": {},
        },
    ]
    assert deeper_cells(cells, "Going deeper: ") == {1, 2, 3}
    assert deeper_titles(cells, "Going deeper: ") == ["a side road"]
    assert prose_words(text(cells[4])) == 7
    assert claim_lines(text(cells[2])) == (1, {2, 3}) and only_claims("rl.claim(True, 'a')\n")
    assert not only_claims(text(cells[2])) and only_claims("for x in y:\n    rl.claim(x, 'a')")
    assert bound_and_loaded(parse("y = x + 1\nimport numpy as np")) == ({"y", "np"}, {"x"})
    assert bound_and_loaded(parse("def f(x):\n    return x + y")) == ({"f"}, {"y"})
    assert reads_before_set("x = x + 1\nfor y in z: print(y)\nprint(w)", {"x", "y", "w"}) == (
        {"x", "w"},
        {"w"},
    )
