"""The Chinese edition (notebooks/zh) is the English notebooks plus i18n/zh/*.po, nothing else:
every markdown cell translated and up to date, the files on disk exactly what the build writes,
the code and outputs the English ones, the markdown's structure kept cell by cell."""

import importlib.util
import pathlib
import re
import shutil

import nbformat
import polib
import pytest
from test_notebook_hygiene import IDS, NOTEBOOKS, ROOT

spec = importlib.util.spec_from_file_location("translate", ROOT / "i18n" / "translate.py")
translate = importlib.util.module_from_spec(spec)
spec.loader.exec_module(translate)

LANG = "zh"
HEADING = re.compile(r"^(#+) ", re.MULTILINE)
LINK_TARGET = re.compile(r"\]\(([^)\s]+)\)")
CODE_SPAN = re.compile(r"`[^`\n]+`")
# Inline math may wrap onto a second line, never across a blank one.
MATH = re.compile(r"\$\$.+?\$\$|\$(?:[^$\n]|\n(?!\n))+?\$", re.DOTALL)
ARTICLE_QUOTE = re.compile(r"^> .*[\u4e00-\u9fff].*$", re.MULTILINE)
# In math, the Chinese edition may say with TeX commands alone what the English says in words in
# a \text{...}: "\text{for every } x \in D" may read "\forall x \in D". Nothing else may differ.
ENGLISH_IN_MATH = re.compile(r"(\\text\{[^{}]*[A-Za-z]{2}[^{}]*\})")
COMMANDS_ONLY = r"(?:\\(?!text|mbox)[A-Za-z]+|\\[,;:!]| )+"  # \forall, \;\exists: no words, braces


def same_math(english, chinese):
    """The Chinese span is the English one, or it with each English \\text{...} in commands."""
    parts = ENGLISH_IN_MATH.split(english)  # odd items: the \text{...} spans
    pattern = "".join(
        f"(?:{re.escape(part)}|{COMMANDS_ONLY})" if i % 2 else re.escape(part)
        for i, part in enumerate(parts)
    )
    return re.fullmatch(pattern, chinese) is not None


def unmatched_math(english, chinese):
    """The math spans of each side that the other lacks (exact matches are paired first)."""
    english, chinese = list(english), list(chinese)
    for span in list(english):
        if span in chinese:
            english.remove(span)
            chinese.remove(span)
    for span in list(english):
        twin = next((z for z in chinese if same_math(span, z)), None)
        if twin is not None:
            english.remove(span)
            chinese.remove(twin)
    return english + chinese


def pairs(path):
    """(English cell, Chinese cell) for every cell of the notebook."""
    english = nbformat.read(path, as_version=4)
    chinese = nbformat.read(translate.edition_path(path, LANG), as_version=4)
    assert [c.id for c in chinese.cells] == [c.id for c in english.cells]
    return list(zip(english.cells, chinese.cells, strict=True))


def test_every_english_notebook_has_a_catalogue_and_a_chinese_edition():
    assert [p.name for p in translate.ENGLISH] == [p.name for p in NOTEBOOKS]
    for path in NOTEBOOKS:
        assert translate.catalogue_path(path, LANG).exists(), "run `make translations`"
        assert translate.edition_path(path, LANG).exists(), "run `make translations`"
    editions = sorted((ROOT / "notebooks" / LANG).glob("*.ipynb"))
    assert [p.name for p in editions] == [p.name for p in NOTEBOOKS], "a stray Chinese notebook"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_markdown_cell_is_translated_and_up_to_date(path):
    found = translate.problems(path, LANG)
    assert not found, "\n".join(found)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_the_chinese_notebook_on_disk_is_what_the_build_writes(path):
    written = nbformat.writes(translate.translated(path, LANG))
    on_disk = translate.edition_path(path, LANG).read_text(encoding="utf-8")
    assert on_disk == written + "\n" or on_disk == written, (
        f"{translate.edition_path(path, LANG).relative_to(ROOT)} was edited by hand or is out of "
        "date: edit the English notebook or the catalogue, then run `make translations`"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_code_cells_and_outputs_are_the_english_ones(path):
    for english, chinese in pairs(path):
        assert english.cell_type == chinese.cell_type
        if english.cell_type == "code":
            assert chinese == english


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_each_translation_keeps_the_cells_structure(path):
    for english, chinese in pairs(path):
        if english.cell_type != "markdown":
            continue
        en, zh = english.source, chinese.source
        where = f"{path.name} cell {english.id}"
        assert HEADING.findall(zh) == HEADING.findall(en), f"{where}: the headings' levels"
        assert LINK_TARGET.findall(zh) == LINK_TARGET.findall(en), f"{where}: the links"
        assert sorted(CODE_SPAN.findall(zh)) == sorted(CODE_SPAN.findall(en)), f"{where}: code"
        left = unmatched_math(MATH.findall(en), MATH.findall(zh))
        assert not left, f"{where}: the math: {left}"
        for quote in ARTICLE_QUOTE.findall(en):
            assert quote in zh, f"{where}: the article's words, verbatim: {quote}"
        assert re.search(r"[\u4e00-\u9fff]", zh), f"{where}: not translated"


# The article's own words: i18n/article_zh.md holds its text (after a two-line header and a blank
# line). Every line of a blockquote with Chinese in it, in either edition, is a quote of it: the
# article's characters, whitespace aside (markdown joins and breaks lines), in the article's order.
# A quote that leaves something out inside it marks the cut with "……".
ARTICLE = ROOT / "i18n" / "article_zh.md"
QUOTED_LINE = re.compile(r"^>+ ?(.*[\u4e00-\u9fff].*)$", re.MULTILINE)
CUT = "……"


def article_text():
    text = ARTICLE.read_text(encoding="utf-8").split("\n", 3)[3]
    assert text.startswith("[激活函数]什么是 ReLU\n"), "i18n/article_zh.md: the header is two lines"
    return text


def misquotes(markdown, article):
    """(line, the first piece of it not found) for each quoted line that is not the article's."""
    text = re.sub(r"\s+", "", article)
    found = []
    for line in QUOTED_LINE.findall(markdown):
        start = 0
        for piece in re.sub(r"\s+", "", line).split(CUT):
            at = text.find(piece, start)
            if at < 0:
                found.append((line, piece))
                break
            start = at + len(piece)
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_the_article_is_quoted_verbatim_in_both_editions(path):
    article = article_text()
    wrong = [
        f"{notebook.relative_to(ROOT)} cell {cell.id}: {line!r} ({piece!r} not found)"
        for notebook in (path, translate.edition_path(path, LANG))
        for cell in nbformat.read(notebook, as_version=4).cells
        if cell.cell_type == "markdown"
        for line, piece in misquotes(cell.source, article)
    ]
    assert not wrong, (
        f"not the article's words (i18n/article_zh.md; a cut is {CUT}):\n" + "\n".join(wrong)
    )


def test_the_quote_checker():
    article = article_text()
    line = "> ReLU 是修正线性单元(rectified linear unit),在 0 和 x 之间取最大值。"
    assert misquotes(line, article) == []
    broken = "> ReLU是修正线性单元(rectified linear\n> unit),在 0 和 x 之间取最大值。"
    assert misquotes(broken, article) == []  # whitespace is markdown's, not the article's
    assert misquotes("> ReLU 是修正线性单元……在 0 和 x 之间取最大值。", article) == []  # a cut
    assert misquotes("> ……其中 \\alpha  通常取值为 0.01……", article) == []
    for wrong in (
        "> ReLU 是修正线性单元（rectified linear unit），在 0 和 x 之间取最大值。",  # punctuation
        "> ReLU 是修正线性单元,在 0 和 x 之间取最大值。",  # a cut not marked
        "> 其中 α 通常取值为 0.01",  # \alpha rewritten
        "> 在 0 和 x 之间取最大值……ReLU 是修正线性单元",  # out of order
        "> ReLU 是修正线性单元 *(figure)*",  # an insertion
    ):
        assert misquotes(wrong, article), wrong
    assert misquotes("> *ReLU is the rectified linear unit.*\n>\n> Not a quote.", article) == []


def test_only_english_words_in_math_may_become_commands():
    english = r"$$z_j(x) \le 0 \quad \text{for every } x \in D .$$"
    assert same_math(english, r"$$z_j(x) \le 0 \quad \forall x \in D .$$")
    assert same_math(english, r"$$z_j(x) \le 0 \quad \;\forall x \in D .$$")
    assert same_math(english, english)
    assert not same_math(english, r"$$z_j(x) \le 0 \quad \forall x \in E .$$")  # not only the words
    assert not same_math(english, r"$$z_j(x) \le 0 \quad \text{对每个 } x \in D .$$")
    assert not same_math(english, r"$$z_j(x) \le 0 \quad 对每个 x \in D .$$")
    assert not same_math(english, r"$$z_j(x) \le 0 \quad all x \in D .$$")
    assert not same_math(r"$\text{x} + 1$", r"$\forall + 1$")  # a symbol, not words
    assert not same_math(r"$x^2$", r"$x^3$")
    chinese = r"$$z_j(x) \le 0 \quad \forall x \in D .$$"
    assert unmatched_math([r"$a$", english], [chinese, r"$a$"]) == []
    assert unmatched_math([r"$a$"], [r"$b$"]) == [r"$a$", r"$b$"]


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    """A copy of notebook 01 with a complete catalogue, where translate.py works: its path."""
    english = NOTEBOOKS[0]
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "i18n" / LANG).mkdir(parents=True)
    monkeypatch.setattr(translate, "ROOT", tmp_path)
    copy = pathlib.Path(shutil.copy(english, tmp_path / "notebooks"))
    translate.update(copy, LANG)
    catalogue = polib.pofile(str(translate.catalogue_path(copy, LANG)))
    for entry in catalogue:
        entry.msgstr = "译文：" + entry.msgid  # a stand-in translation of every cell
    catalogue.save()
    assert translate.problems(copy, LANG) == []
    return copy


def test_a_changed_english_cell_is_stale_until_its_translation_is_revised(sandbox):
    nb = nbformat.read(sandbox, as_version=4)
    cell = next(c for c in nb.cells[1:] if c.cell_type == "markdown")
    old_text, cell.source = cell.source, cell.source + "\n\nA sentence added in English."
    nbformat.write(nb, sandbox)

    (reported,) = translate.problems(sandbox, LANG)
    assert sandbox.name in reported and cell.id in reported and "stale" in reported
    with pytest.raises(ValueError, match="stale"):
        translate.translated(sandbox, LANG)

    assert translate.update(sandbox, LANG)
    catalogue = polib.pofile(str(translate.catalogue_path(sandbox, LANG)))
    (entry,) = [e for e in catalogue if e.msgctxt == cell.id]
    assert "fuzzy" in entry.flags and entry.previous_msgid == old_text
    assert entry.msgid == cell.source and entry.msgstr, "the old translation kept for revision"
    assert "stale" in translate.problems(sandbox, LANG)[0]

    entry.flags.remove("fuzzy")  # what a translator does after revising it
    catalogue.save()
    assert translate.problems(sandbox, LANG) == []


def test_a_new_english_cell_is_reported_missing(sandbox):
    nb = nbformat.read(sandbox, as_version=4)
    nb.cells.insert(1, nbformat.v4.new_markdown_cell("A new paragraph."))
    nbformat.write(nb, sandbox)
    (reported,) = translate.problems(sandbox, LANG)
    assert f"cell 2 (id {nb.cells[1].id}): no translation" in reported


def test_a_notebook_number_limits_a_command_to_that_notebook(sandbox, monkeypatch):
    untranslated = pathlib.Path(shutil.copy(sandbox, sandbox.with_name("02_untranslated.ipynb")))
    monkeypatch.setattr(translate, "ENGLISH", [sandbox, untranslated])
    assert translate.main("check", ["01"]) == 0
    assert translate.main("check", ["02"]) == 1
    assert translate.main("check", []) == 1
    with pytest.raises(SystemExit, match="no notebook numbered 99"):
        translate.main("check", ["99"])


ENGLISH_RUN = re.compile(r"(?:\b[A-Za-z][a-z']*[,;:]?\s+){10,}[A-Za-z]")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_the_chinese_lesson_skeleton(path):
    english = nbformat.read(path, as_version=4).cells[0].source.splitlines()[0]
    article_heading = english.rsplit(" · ", 1)[1]
    cells = nbformat.read(translate.edition_path(path, LANG), as_version=4).cells
    title = cells[0].source
    assert title.startswith(f"# {path.name[:2]} · ") and article_heading in title.splitlines()[0]
    assert "你将学到" in title
    headings = [c.source.splitlines()[0] for c in cells if c.cell_type == "markdown"]
    assert "## 要点" in headings and "## 练习" in headings


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_english_prose_is_left_in_the_chinese_edition(path):
    for english, chinese in pairs(path):
        if english.cell_type == "markdown":
            prose = MATH.sub("", CODE_SPAN.sub("", LINK_TARGET.sub("]", chinese.source)))
            left = ENGLISH_RUN.search(prose)
            assert not left, f"{path.name} cell {english.id}: English left: {left.group()!r}"


# CommonMark closes ** only where it is "right-flanking": after Chinese punctuation such as ：
# it must be followed by a space or punctuation, so "**时间：**约" shows its asterisks. Write
# "**时间**：约". Checked on the rendered text, as the book's and JupyterLab's parsers see it.
LEFT_MARKERS = re.compile(r"\*\*|(?<![\w*])\*(?=[^\s*])|(?<=[^\s*])\*(?![\w*])")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_bold_and_italic_render_in_the_chinese_edition(path):
    from markdown_it import MarkdownIt

    render = MarkdownIt("commonmark").enable("table").render
    for _, chinese in pairs(path):
        if chinese.cell_type == "markdown":
            html = re.sub(r"<code>.*?</code>", "", render(MATH.sub("", chinese.source)), flags=re.S)
            left = LEFT_MARKERS.search(html)
            near = html[max(0, left.start() - 20) : left.end() + 20] if left else ""
            assert not left, f"{path.name} cell {chinese.id}: literal * near {near!r}"


# A line break inside a paragraph shows as a space; between two Chinese characters, or after
# Chinese punctuation, a space is a typo on the page ("完全相同， 所以").
CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
BLOCK_START = r"(?![\s#>|*-]|\d+\. )"  # a new line that starts a list, quote or table is no space
STRAY_SPACE = re.compile(
    rf"[{CJK}][ \n]{BLOCK_START}[{CJK}]|[，。；：！？、）][ \n]{BLOCK_START}\S"
)


def stray_spaces(markdown):
    """Code and math stand in as "x": the spaces around them are the writer's choice."""
    prose = MATH.sub("x", CODE_SPAN.sub("x", re.sub(r"```.*?```", "x", markdown, flags=re.S)))
    return [m.group() for m in STRAY_SPACE.finditer(prose)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_stray_space_inside_chinese_text(path):
    for _, chinese in pairs(path):
        if chinese.cell_type == "markdown":
            assert not stray_spaces(chinese.source), f"{path.name} cell {chinese.id}"


@pytest.mark.parametrize("page", ["README.md", "CONTRIBUTING.md"])
def test_no_stray_space_inside_the_chinese_half_of(page):
    chinese = (ROOT / page).read_text(encoding="utf-8").split("<!-- 中文版 -->")[1]
    assert not stray_spaces(chinese)
    assert (
        stray_spaces("完全相同，\n所以")
        and stray_spaces("梯度 消失")
        and not stray_spaces("梯度\n\n消失")
    )


# book/glossary.md: one English term, its Chinese (d2l-zh's where d2l-zh has one) and the variants
# the Chinese edition does not use. A variant is looked for in the Chinese prose only: not in code
# (spans and fenced blocks), math, link targets or the article's quoted lines (its own words).
GLOSSARY = ROOT / "book" / "glossary.md"
QUOTED_LINES = re.compile(r"^>.*[\u4e00-\u9fff].*$", re.MULTILINE)
FENCE = re.compile(r"```.*?```", re.DOTALL)
LATIN = "A-Za-z0-9_"


def terms(cell):
    """A cell's terms: several are separated by " / "."""
    return [term.strip() for term in cell.split(" / ") if term.strip()]


def glossary_rows(text=None):
    """(English, [Chinese terms], [rejected variants]) for each row of the glossary's table."""
    text = GLOSSARY.read_text(encoding="utf-8") if text is None else text
    lines = [line for line in text.splitlines() if line.startswith("|")]
    assert lines[0].replace(" ", "") == "|English|中文|notused(不用)|", "the table's header"
    rows = []
    for line in lines[2:]:
        english, chinese, rejected = (cell.strip() for cell in line.strip().strip("|").split("|"))
        rows.append((english, terms(chinese), terms(rejected)))
    return rows


def variant_pattern(variant):
    """A Latin variant is a whole word (case aside), not part of a dotted name (torch.autograd);
    a number stands for every number grouped the same way (100 000: 2 500 and 1 000 000 too)."""
    runs = iter(range(99))
    pattern = re.sub(
        r"\d+", lambda m: r"\d{1,3}" if next(runs) == 0 else r"\d{3}", re.escape(variant)
    )
    if re.search(rf"[{LATIN}]", variant):
        pattern = rf"(?<![{LATIN}.]){pattern}(?![{LATIN}]|\.[{LATIN}])"
    return re.compile(pattern, re.IGNORECASE)


def rejected_variants(markdown, rows):
    """(variant, the Chinese to use, the text around it) for each rejected variant in the prose."""
    prose = LINK_TARGET.sub("]", FENCE.sub(" ", markdown))
    prose = QUOTED_LINES.sub(" ", MATH.sub(" ", CODE_SPAN.sub(" ", prose)))
    found = []
    for _, chinese, rejected in rows:
        text = prose
        for term in chinese:
            for variant in rejected:  # the English in parentheses after its Chinese: a gloss
                gloss = rf"{re.escape(term)}\s*[（(]\s*{re.escape(variant)}\s*[）)]"
                text = re.sub(gloss, "\0", text)
            text = text.replace(term, "\0")  # 种子 inside 随机种子 is the term itself
        for variant in rejected:
            for m in variant_pattern(variant).finditer(text):
                near = text[max(0, m.start() - 12) : m.end() + 12].replace("\0", "…")
                found.append((variant, chinese[0], near))
    return found


def test_every_glossary_row_has_both_terms_and_rejects_none_it_uses():
    rows = glossary_rows()
    assert 30 <= len(rows) <= 45
    for english, chinese, rejected in rows:
        assert english and chinese, f"glossary row {english!r}: an English and a Chinese term"
        assert not set(chinese) & set(rejected), f"glossary row {english!r}: used and rejected"
    english = [row[0] for row in rows]
    assert len(set(english)) == len(english), "a term listed twice"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_the_chinese_edition_uses_the_glossary_terms(path):
    rows = glossary_rows()
    catalogue = polib.pofile(str(translate.catalogue_path(path, LANG)))
    wrong = [
        f"{path.name} cell {entry.msgctxt}: {variant!r} (use {use}) near {near!r}"
        for entry in catalogue
        for variant, use, near in rejected_variants(entry.msgstr, rows)
    ]
    assert not wrong, "variants book/glossary.md rejects:\n" + "\n".join(wrong)


def test_the_glossary_checker():
    rows = glossary_rows(
        "| English | 中文 | not used (不用) |\n|---|---|---|\n"
        "| automatic differentiation | 自动微分 | autograd |\n| seed | 随机种子 | 种子 |\n"
        "| plain SGD | 普通 SGD | 朴素的 SGD / 朴素 SGD |\n| 100,000 | 100,000 | 100 000 |\n"
    )
    assert rows[2] == ("plain SGD", ["普通 SGD"], ["朴素的 SGD", "朴素 SGD"])
    for prose, variant in (
        ("梯度由 autograd 计算。", "autograd"),
        ("PyTorch 的 *Autograd*", "autograd"),
        ("按种子配对", "种子"),
        ("朴素的 SGD 不会改变它", "朴素的 SGD"),
        ("把 100 000 个样本输入", "100 000"),
        ("共 2 500 步", "100 000"),
        ("1 000 000 个参数", "100 000"),
    ):
        assert [found[0] for found in rejected_variants(prose, rows)] == [variant], prose
    for prose in (
        "梯度由 `autograd` 计算。",  # code
        "```python\nfrom torch import autograd\n```",  # a code block
        "自动微分（autograd）即 PyTorch 的自动求导",  # a gloss after the Chinese term
        "（torch.autograd 文档）；`autograd.Variable` 与 autograd.Variable",  # a dotted name
        "20 个随机种子",  # the term itself
        "> 种子 autograd 朴素 SGD",  # the article's words
        "$100 000$ 与 100,000 个样本",  # math, and the right separator
    ):
        assert rejected_variants(prose, rows) == [], prose
    link = "[autograd 种子](https://example.org/autograd)"  # a link's text is prose, its target not
    assert [found[0] for found in rejected_variants(link, rows)] == ["autograd", "种子"]
