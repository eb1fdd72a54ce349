"""The learner's own copies of the notebooks (my_notebooks/): made, renewed and read back.

    python etc/my_notebooks.py copy     --to my_notebooks notebooks/0*.ipynb  # the ones missing
    python etc/my_notebooks.py changed  --to my_notebooks notebooks/0*.ipynb  # the course changed?
    python etc/my_notebooks.py fresh    --to my_notebooks [--only 03] notebooks/0*.ipynb
    python etc/my_notebooks.py progress --to my_notebooks [--lang zh] notebooks/0*.ipynb

A copy starts without outputs and execution counts: every prediction the notebook asks for is
made before the answer is on screen (the course's own notebooks/ and the book keep theirs). Each
copy records a fingerprint of the course notebook it came from (its cells' text), so `changed`
can tell which notebooks the course has changed since. `progress` reads each exercise's checker
output as the learner's notebook was last saved: done (✓ Correct), tried (any other output), not
started (○ Not attempted yet, or not run). Standard library only, so it runs before any import of
the course's packages.
"""

import argparse
import datetime
import hashlib
import json
import pathlib
import re
import shutil
import sys

CHECKER = re.compile(r"\brl\.check_\w+\(")
WORDS = {
    "en": {
        "done": "done",
        "tried": "tried",
        "not started": "not started",
        "exercise": "Exercise",
        "heading": "Your exercises in {folder}/, as last saved:",
        "total": "{done} of {total} exercises done, {tried} tried.",
        "none": "No notebooks in {folder}/ yet: `make lab` makes your copies.",
        "unreadable": "not a notebook JupyterLab can open (make fresh-notebooks NOTEBOOK=NN)",
    },
    "zh": {
        "done": "已完成",
        "tried": "尝试过",
        "not started": "未开始",
        "exercise": "练习",
        "heading": "{folder}/ 中各练习的进度（以最后一次保存为准）：",
        "total": "共 {total} 道练习：已完成 {done} 道，尝试过 {tried} 道。",
        "none": "{folder}/ 中还没有笔记本：`make lab` 会复制一份给你。",
        "unreadable": "不是 JupyterLab 能打开的笔记本（make fresh-notebooks NOTEBOOK=NN）",
    },
}


def read(path):
    return json.loads(pathlib.Path(path).read_text(encoding="utf-8"))


def write(notebook, path):
    text = json.dumps(notebook, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    pathlib.Path(path).write_text(text, encoding="utf-8")


def source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def fingerprint(notebook):
    """The course notebook's text (cell types and sources), outputs aside: 12 hex digits."""
    cells = [(cell["cell_type"], source(cell)) for cell in notebook["cells"]]
    return hashlib.sha256(json.dumps(cells, ensure_ascii=False).encode()).hexdigest()[:12]


def learner_copy(notebook):
    """The notebook as a learner starts it: no outputs, no execution counts, its origin noted."""
    copy = json.loads(json.dumps(notebook))
    for cell in copy["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    copy["metadata"].setdefault("relu_course", {})["copied_from"] = fingerprint(notebook)
    return copy


def copy_missing(course, folder):
    folder.mkdir(parents=True, exist_ok=True)
    for path in course:
        if not (folder / path.name).exists():
            write(learner_copy(read(path)), folder / path.name)
            print(f"new: {folder / path.name}")


def changed(course, folder):
    """The course notebooks whose text changed since the learner's copy of them was made."""
    found = []
    for path in course:
        mine = folder / path.name
        if mine.exists():
            try:
                origin = read(mine)["metadata"].get("relu_course", {}).get("copied_from")
            except (ValueError, KeyError, AttributeError):  # not a notebook any more: theirs
                continue
            if origin and origin != fingerprint(read(path)):
                found.append(path.name)
    return found


def fresh(course, folder, only=()):
    """Move the learner's copies (of the notebooks numbered `only`, or all) into old-DATE/ and
    make fresh ones in their place."""
    chosen = [p for p in course if not only or p.name[:2] in only]
    unknown = set(only) - {p.name[:2] for p in course}
    if unknown:
        sys.exit(f"NOTEBOOK: no course notebook numbered {', '.join(sorted(unknown))}")
    old = folder / f"old-{datetime.datetime.now():%Y%m%d-%H%M%S}"
    for path in chosen:
        if (folder / path.name).exists():
            old.mkdir(parents=True, exist_ok=True)
            shutil.move(folder / path.name, old / path.name)
    if old.exists():
        print(f"Your notebooks are kept in {old}/")
    copy_missing(chosen, folder)


def exercise_states(notebook):
    """done / tried / not started, one per exercise stub (worked solutions aside), in order."""
    states = []
    for cell in notebook["cells"]:
        text = source(cell)
        if cell["cell_type"] != "code" or not CHECKER.search(text) or "must_pass=True" in text:
            continue
        printed = "".join(
            "".join(o.get("text", "")) if o.get("output_type") == "stream" else o.get("ename", "x")
            for o in cell.get("outputs", [])
        ).strip()
        if printed.startswith("✓ Correct"):
            states.append("done")
        elif not printed or printed.startswith("○ Not attempted"):
            states.append("not started")
        else:
            states.append("tried")
    return states


def progress(course, folder, lang):
    words = WORDS[lang]
    mine = [folder / p.name for p in course if (folder / p.name).exists()]
    if not mine:
        return [words["none"].format(folder=folder)]
    lines, every = [words["heading"].format(folder=folder)], []
    for path in mine:
        try:
            states = exercise_states(read(path))
        except (ValueError, KeyError, TypeError, AttributeError):
            lines.append(f"  {path.stem:<28} {words['unreadable']}")
            continue
        every += states
        shown = [f"{words['exercise']} {i} {words[s]}" for i, s in enumerate(states, 1)]
        lines.append(f"  {path.stem:<28} " + " · ".join(shown))
    counts = {s: every.count(s) for s in ("done", "tried")}
    lines.append(words["total"].format(total=len(every), **counts))
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("copy", "changed", "fresh", "progress"))
    parser.add_argument("course", nargs="+", type=pathlib.Path, help="the course's notebooks")
    parser.add_argument("--to", type=pathlib.Path, required=True, help="the learner's folder")
    parser.add_argument("--only", default="", help="fresh: notebook numbers, e.g. 03 or 03,05")
    parser.add_argument("--lang", choices=tuple(WORDS), default="en")
    args = parser.parse_args(argv)
    if args.command == "copy":
        copy_missing(args.course, args.to)
    elif args.command == "changed":
        names = changed(args.course, args.to)
        if names:
            print(
                f"The course has changed since you copied: {', '.join(names)}. Your copies are "
                f"untouched; `make fresh-notebooks NOTEBOOK={names[0][:2]}` takes a fresh copy "
                f"of one (yours moves to {args.to}/old-DATE/)."
            )
    elif args.command == "fresh":
        fresh(args.course, args.to, [n for n in args.only.split(",") if n])
    else:
        print("\n".join(progress(args.course, args.to, args.lang)))


if __name__ == "__main__":
    main()
