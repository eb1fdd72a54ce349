"""The Chinese edition from one source: the English notebooks plus one gettext catalogue each.

    python i18n/translate.py update   # bring i18n/zh/*.po up to date with the English notebooks
    python i18n/translate.py build    # write notebooks/zh/*.ipynb (refuses while a problem remains)
    python i18n/translate.py check    # list missing and stale translations; exit 1 if there are any
    python i18n/translate.py build 02 # any of the three for some notebooks only (by number)

(`make translations` runs update, then build.) Each markdown cell of an English notebook is one
entry of its catalogue: msgctxt is the cell's id (stable when the text or the outputs change),
msgid the cell's English text, msgstr its translation. When the English text of a cell changes,
`update` keeps the text the translation was made from as the entry's previous msgid (`#| msgid`)
and marks the entry fuzzy, as gettext's msgmerge does, so that a translation tool shows the
translator what changed; the build refuses the entry until its translation is revised and the
fuzzy flag removed. Code cells and their outputs are copied unchanged: both editions run the
same code and print the same checked results, in English.
"""

import copy
import pathlib
import sys

import nbformat
import polib

ROOT = pathlib.Path(__file__).resolve().parents[1]
ENGLISH = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
LANGUAGES = {"zh": "zh_CN"}


def catalogue_path(notebook, lang):
    return ROOT / "i18n" / lang / f"{notebook.stem}.po"


def edition_path(notebook, lang):
    return ROOT / "notebooks" / lang / notebook.name


def markdown_cells(nb):
    """(position among all cells, cell) for each markdown cell."""
    return [(i, cell) for i, cell in enumerate(nb.cells) if cell.cell_type == "markdown"]


def load_catalogue(notebook, lang):
    path = catalogue_path(notebook, lang)
    if path.exists():
        return polib.pofile(str(path), wrapwidth=0)
    catalogue = polib.POFile(wrapwidth=0)
    catalogue.metadata = {
        "Project-Id-Version": f"ReLU course, notebooks/{notebook.name}",
        "Language": LANGUAGES[lang],
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    return catalogue


def update(notebook, lang):
    """Add an entry for every new markdown cell, mark the changed ones fuzzy, drop the deleted
    ones; keep every translation that still matches. Returns True when the file changed."""
    nb = nbformat.read(notebook, as_version=4)
    catalogue = load_catalogue(notebook, lang)
    before = str(catalogue)
    by_cell = {entry.msgctxt: entry for entry in catalogue}
    entries = []
    for position, cell in markdown_cells(nb):
        entry = by_cell.get(cell.id) or polib.POEntry(msgctxt=cell.id, msgid=cell.source)
        if entry.msgid != cell.source:
            if entry.msgstr and "fuzzy" not in entry.flags:
                entry.previous_msgid = entry.msgid  # what the translation was made from
                entry.flags.append("fuzzy")
            entry.msgid = cell.source
        entry.occurrences = [(f"notebooks/{notebook.name}", f"cell{position + 1}")]
        entries.append(entry)
    catalogue[:] = entries
    if str(catalogue) == before and catalogue_path(notebook, lang).exists():
        return False
    catalogue_path(notebook, lang).parent.mkdir(parents=True, exist_ok=True)
    catalogue.save(str(catalogue_path(notebook, lang)))
    return True


def problems(notebook, lang):
    """What keeps the notebook from being translated, one line per cell."""
    nb = nbformat.read(notebook, as_version=4)
    path = catalogue_path(notebook, lang)
    by_cell = {e.msgctxt: e for e in polib.pofile(str(path))} if path.exists() else {}
    found = []
    for position, cell in markdown_cells(nb):
        where = f"{notebook.name} cell {position + 1} (id {cell.id})"
        entry = by_cell.get(cell.id)
        if entry is None or not entry.msgstr.strip():
            found.append(f"{where}: no translation")
        elif entry.msgid != cell.source or "fuzzy" in entry.flags:
            found.append(
                f"{where}: stale, the English text changed since it was translated "
                f"(run `make translations`, revise the entry in {path.relative_to(ROOT)} "
                "and remove its fuzzy flag)"
            )
    return found


def translated(notebook, lang):
    """The notebook in lang: the English notebook with each markdown cell's text replaced."""
    found = problems(notebook, lang)
    if found:
        raise ValueError("cannot translate:\n" + "\n".join(found))
    nb = nbformat.read(notebook, as_version=4)
    by_cell = {e.msgctxt: e for e in polib.pofile(str(catalogue_path(notebook, lang)))}
    edition = copy.deepcopy(nb)
    for _, cell in markdown_cells(edition):
        cell.source = by_cell[cell.id].msgstr
    edition.metadata["relu_course"] = {
        "edition": lang,
        "written_by": "make translations, from notebooks/"
        f"{notebook.name} and i18n/{lang}/{notebook.stem}.po: edit those, not this file",
    }
    return edition


def build(notebook, lang):
    path = edition_path(notebook, lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(translated(notebook, lang), path)


def main(command, numbers=()):
    chosen = [nb for nb in ENGLISH if not numbers or nb.name[:2] in numbers]
    unknown = set(numbers) - {nb.name[:2] for nb in ENGLISH}
    if unknown:
        sys.exit(f"no notebook numbered {', '.join(sorted(unknown))} in notebooks/")
    everything = [(notebook, lang) for lang in LANGUAGES for notebook in chosen]
    if command == "update":
        for notebook, lang in everything:
            if update(notebook, lang):
                print(f"updated {catalogue_path(notebook, lang).relative_to(ROOT)}")
        return 0
    found = [line for notebook, lang in everything for line in problems(notebook, lang)]
    print("\n".join(found) or "every markdown cell is translated and up to date")
    if command == "build" and not found:
        for notebook, lang in everything:
            build(notebook, lang)
            print(f"wrote {edition_path(notebook, lang).relative_to(ROOT)}")
    return 1 if found else 0


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in ("update", "build", "check"):
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2:]))
