"""The book that `make book` writes to _build/html (English) and _build/html/zh (Chinese),
opened from disk in Chromium as a learner opens it.

Every page (the landing page and one per notebook) loads with no console error, no failed
request and no request outside the book's folder; its figures are drawn; its math is typeset by
the local MathJax, with no raw TeX left; its links into the book land on a file and, with a
#fragment, on an id of that page. On each notebook page every worked solution is a toggle,
closed at load, that shows the solution's code on a click, and every exercise stub shows its
"Not attempted yet" line. The top of each notebook page is saved to _build/html/_screenshots/
for a person to look at. Every page links to the same page in the other edition.
"""

import dataclasses
import functools
import json
import pathlib
import re
import struct
import urllib.parse
import urllib.request

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

ROOT = pathlib.Path(__file__).resolve().parents[1]
BOOK = ROOT / "_build" / "html"
BOOK_URL = BOOK.as_uri() + "/"
SCREENSHOTS = BOOK / "_screenshots"
NOTEBOOKS = sorted(ROOT.glob("notebooks/[0-9][0-9]_*.ipynb"))
# The Chinese book sits in zh/, its notebooks in notebooks/zh/ as in the course.
EDITIONS = {"en": "", "zh": "zh/"}
NOTEBOOK_FOLDER = {"en": "notebooks/", "zh": "notebooks/zh/"}
SHOW_SOLUTION = {"en": "Show the worked solution", "zh": "显示参考答案"}
NOTEBOOK_PAGES = [
    f"{EDITIONS[lang]}{NOTEBOOK_FOLDER[lang]}{notebook.stem}.html"
    for lang in EDITIONS
    for notebook in NOTEBOOKS
]
PAGES = [
    f"{prefix}{page}.html"
    for prefix in EDITIONS.values()
    for page in ("index", "book/references", "book/glossary", "CONTRIBUTING")
]
PAGES += NOTEBOOK_PAGES
VIEWPORT = {"width": 1280, "height": 900}
ARTICLE = "article.bd-article"  # the page's own content, without the theme's navigation
RAW_TEX = ("$$", "\\(", "\\[")  # what MathJax would have replaced had it run on the text
# "done" once MathJax has typeset the page; true at once where it is not loaded (pages without
# math do not load it, and the math test tells that from a MathJax that failed to load).
MATHJAX_DONE = "() => !window.MathJax?.startup || MathJax.startup.promise.then(() => 'done')"


def page_id(name):
    return f"{edition(name)}-{pathlib.Path(name).stem}"


def edition(name):
    return "zh" if name.startswith("zh/") else "en"


def counterpart(name):
    """The same page in the other edition."""
    if edition(name) == "zh":
        return name.removeprefix("zh/").replace("notebooks/zh/", "notebooks/")
    return "zh/" + name.replace("notebooks/", "notebooks/zh/")


@dataclasses.dataclass
class Visit:
    """One page of the book, open in the shared tab, and what the tab saw while it was."""

    name: str  # the page's path in the book: index.html, notebooks/01_what_is_relu.html, ...
    page: Page
    requests: list = dataclasses.field(default_factory=list, repr=False)
    failed: list = dataclasses.field(default_factory=list)
    errors: list = dataclasses.field(default_factory=list)
    typeset: bool = False


@pytest.fixture(scope="module")
def book():
    if not (BOOK / "index.html").is_file():
        pytest.fail(f"No book at {BOOK}: run `make book` first")
    return BOOK


@pytest.fixture(scope="module")
def tab(browser, book):
    page = browser.new_page(viewport=VIEWPORT)
    yield page
    page.close()


# Module-scoped and parametrized by page: pytest runs every test of one page in a row, so each
# page is loaded once. The tests below run in the order they are written.
@pytest.fixture(scope="module", params=PAGES, ids=page_id)
def visit(request, tab):
    path = BOOK / request.param
    if not path.is_file():  # not opened: Chromium's error page would interrupt the next page
        pytest.fail(f"{request.param} is not in the book: run `make book`")
    seen = Visit(request.param, tab)
    listeners = {
        "request": lambda req: seen.requests.append(req.url),
        "requestfailed": lambda req: seen.failed.append(f"{req.url}: {req.failure}"),
        "console": lambda msg: msg.type == "error" and seen.errors.append(msg.text),
        "pageerror": lambda error: seen.errors.append(str(error)),
    }
    for event, listener in listeners.items():
        tab.on(event, listener)
    tab.goto(path.as_uri())  # returns at "load": every image is in by then
    try:
        seen.typeset = tab.wait_for_function(MATHJAX_DONE, timeout=20_000).json_value() == "done"
    except PlaywrightTimeoutError:
        pass  # left False: the math test says so
    yield seen
    for event, listener in listeners.items():
        tab.remove_listener(event, listener)
    tab.goto("about:blank")  # what is still loading stops here, not while the next page loads


def notebook_of(visit):
    source = ROOT / pathlib.Path(visit.name.removeprefix("zh/")).with_suffix(".ipynb")
    return json.loads(source.read_text(encoding="utf-8"))


def code_sources(notebook):
    return ["".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "code"]


def png_size(path):
    width, height = struct.unpack(">II", path.read_bytes()[16:24])  # the IHDR chunk
    return width, height


@functools.cache
def ids_on(path):
    return set(re.findall(r'\sid="([^"]*)"', path.read_text(encoding="utf-8")))


def resolves(url):
    """A link into the book names a file of the book and, with a #fragment, an id on it."""
    address, _, fragment = url.partition("#")
    if not address.startswith(BOOK_URL):
        return False  # a file:// link that leaves the book: broken once the book is published
    path = pathlib.Path(urllib.request.url2pathname(urllib.parse.urlsplit(address).path))
    if not path.is_file():
        return False
    return not fragment or urllib.parse.unquote(fragment) in ids_on(path)


@pytest.mark.parametrize("lang", EDITIONS)
def test_one_page_per_notebook(book, lang):
    assert len(NOTEBOOKS) == 8, [notebook.name for notebook in NOTEBOOKS]
    folder = book / EDITIONS[lang] / NOTEBOOK_FOLDER[lang]
    built = sorted(page.stem for page in folder.glob("*.html"))
    expected = [notebook.stem for notebook in NOTEBOOKS]
    assert built == expected, f"pages {built} for notebooks {expected}"


# First of a page's tests: the top of the page as it loads, before any toggle is opened.
@pytest.mark.parametrize("visit", NOTEBOOK_PAGES, indirect=True, ids=page_id)
def test_screenshot_of_the_top_of_the_page(visit):
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{page_id(visit.name)}.png"
    visit.page.screenshot(path=path)
    assert png_size(path) == (VIEWPORT["width"], VIEWPORT["height"])


def test_every_image_is_drawn(visit):
    broken = visit.page.locator(f"{ARTICLE} img").evaluate_all(
        "images => images.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)"
    )
    assert not broken, f"images not drawn: {broken}"


@pytest.mark.parametrize("visit", NOTEBOOK_PAGES, indirect=True, ids=page_id)
def test_every_figure_says_in_its_alt_text_what_it_shows(visit):
    """The figure's description (rl.describe_figure: its panels' titles, axes and curves), not
    the hashed file name that myst-nb gives an image without one."""
    alts = visit.page.locator(f"{ARTICLE} img").evaluate_all("images => images.map(i => i.alt)")
    assert alts, "a notebook page without a figure"
    assert all(re.fullmatch(r'Figure, \d panels?(, [^:]+)?: [("].+', alt) for alt in alts), alts


def test_math_is_typeset(visit):
    article = visit.page.locator(ARTICLE)
    if article.locator(".math").count():
        assert visit.typeset, "the page has math but MathJax did not start"
        untypeset = article.locator(".math:not(:has(mjx-container))")
        assert untypeset.count() == 0, f"math not typeset: {untypeset.all_inner_texts()[:3]}"
    text = article.inner_text()
    raw = [tex for tex in RAW_TEX if tex in text]
    assert not raw, f"raw TeX in the text: {raw}"


def test_links_into_the_book_resolve(visit):
    # <link> too: the theme's previous and next pages are <link rel="prev|next"> as well as <a>.
    hrefs = visit.page.locator("a[href], link[href]").evaluate_all("all => all.map(a => a.href)")
    broken = sorted({href for href in hrefs if href.startswith("file:") and not resolves(href)})
    assert not broken, f"links to nothing: {broken}"


@pytest.mark.parametrize("visit", NOTEBOOK_PAGES, indirect=True, ids=page_id)
def test_exercise_stubs_are_shown_not_attempted(visit):
    sources = code_sources(notebook_of(visit))
    stubs = [source for source in sources if "rl.check_" in source and "must_pass" not in source]
    code = functools.partial(visit.page.locator, ".cell_input")  # matched inside each cell
    cells = visit.page.locator(f"{ARTICLE} .cell").filter(
        has=code(has_text="rl.check_"), has_not=code(has_text="must_pass")
    )
    assert cells.count() == len(stubs) > 0  # every stub of the notebook is on the page
    for cell in cells.all():
        expect(cell.locator(".cell_input")).to_be_visible()
        expect(cell.locator(".cell_output")).to_be_visible()
        expect(cell.locator(".cell_output")).to_contain_text("○ Not attempted yet")


# Opens the toggles: after the tests that look at the page as it loads.
@pytest.mark.parametrize("visit", NOTEBOOK_PAGES, indirect=True, ids=page_id)
def test_solutions_are_closed_toggles_that_open_on_click(visit):
    solutions = [s for s in code_sources(notebook_of(visit)) if "must_pass" in s]
    toggles = visit.page.locator(f"{ARTICLE} .cell.tag_hide-cell details")
    assert toggles.count() == len(solutions) > 0  # every solution behind a toggle
    for toggle in toggles.all():
        solution = toggle.locator(".cell_input pre")
        assert not toggle.evaluate("details => details.open"), "a solution is open at load"
        expect(solution).to_be_hidden()
        expect(toggle.get_by_text(SHOW_SOLUTION[edition(visit.name)])).to_be_visible()
        toggle.locator("summary").click()
        expect(solution).to_be_visible()
        expect(solution).to_contain_text("Worked solution")
        expect(solution).to_contain_text("must_pass=True")


@pytest.mark.parametrize("visit", NOTEBOOK_PAGES, indirect=True, ids=page_id)
def test_going_deeper_sections_are_closed_distinct_blocks_that_open_on_click(visit):
    marker = {"en": "Going deeper: ", "zh": "深入："}[edition(visit.name)]
    headings = [
        cell["source"]
        for cell in notebook_of(visit)["cells"]
        if "deeper" in cell["metadata"].get("tags", [])
        and re.match(r"#+ " + marker, "".join(cell["source"]))
    ]
    sections = visit.page.locator(f"{ARTICLE} section.going-deeper")
    assert sections.count() == len(headings)
    for section in sections.all():
        block = section.locator("details.going-deeper").first
        assert section.evaluate("s => getComputedStyle(s).borderLeftWidth") == "4px"  # set apart
        assert not block.evaluate("details => details.open"), (
            "a Going deeper section is open at load"
        )
        expect(section.locator(":scope > h2, :scope > h3, :scope > h4").first).to_contain_text(
            marker
        )
        block.locator("summary").first.click()
        assert block.evaluate("details => details.open")


def test_the_page_links_to_itself_in_the_other_edition(visit):
    switch = visit.page.locator("a.language-switch")
    expect(switch).to_have_count(1)
    expect(switch).to_be_visible()
    assert switch.evaluate("a => a.href") == BOOK_URL + counterpart(visit.name)


def test_one_search_field_on_the_page(visit):
    fields = visit.page.locator(".search-button-field").filter(visible=True)
    expect(fields).to_have_count(1)  # the sidebar's: the theme's top bar would add a second


PHONE = {"width": 390, "height": 844}
# Wide things a page may hold, each of which must fit its box or scroll inside it.
WIDE = "table, mjx-container[display='true'], div.highlight pre, .cell_output pre, img"
OVERFLOWING = """(page, selector) => [...page.querySelectorAll(selector)].flatMap(element => {
    const limit = page.getBoundingClientRect().right + 1;
    for (let box = element; box && box !== page; box = box.parentElement) {
        const scrolls = ["auto", "scroll"].includes(getComputedStyle(box).overflowX);
        if (scrolls && box.getBoundingClientRect().right <= limit) return [];
    }
    return element.getBoundingClientRect().right > limit ? [element.outerHTML.slice(0, 80)] : [];
})"""


@pytest.mark.parametrize("visit", NOTEBOOK_PAGES, indirect=True, ids=page_id)
def test_the_download_link_saves_the_notebook_without_outputs_even_from_disk(visit):
    with visit.page.expect_download(timeout=10_000) as download:
        visit.page.locator(f"{ARTICLE} a.download-notebook").click()
    assert download.value.suggested_filename == pathlib.Path(visit.name).stem + ".ipynb"
    saved = json.loads(pathlib.Path(download.value.path()).read_text(encoding="utf-8"))
    text = lambda cell: "".join(cell["source"])  # noqa: E731 (a list of lines or one string)
    assert list(map(text, saved["cells"])) == list(map(text, notebook_of(visit)["cells"]))
    assert all(c["outputs"] == [] for c in saved["cells"] if c["cell_type"] == "code")


def test_wide_tables_math_and_code_scroll_in_their_own_box_at_1280_px_and_on_a_phone(visit):
    article = visit.page.locator(ARTICLE)
    try:
        for size in (VIEWPORT, PHONE):
            visit.page.set_viewport_size(size)
            width = visit.page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= size["width"], f"the page scrolls sideways at {size['width']} px"
            cut = article.evaluate(OVERFLOWING, WIDE)
            assert not cut, f"cut off at {size['width']} px, with no scroll bar of its own: {cut}"
        wider = article.evaluate(  # the phone's size, the last of the loop
            "a => [...a.querySelectorAll('.cell_output pre')]"
            ".filter(p => p.scrollWidth > p.clientWidth + 1).length"
        )
        assert wider == 0, (
            f"{wider} output boxes scroll sideways on a phone: their lines should wrap"
        )
    finally:
        visit.page.set_viewport_size(VIEWPORT)


# Last of a page's tests, so that it also sees what the clicks and MathJax's fonts requested.
def test_page_loads_cleanly_from_the_book_alone(visit):
    outside = [url for url in visit.requests if not url.startswith(BOOK_URL)]
    seen = {"console errors": visit.errors, "failed": visit.failed, "outside the book": outside}
    problems = {kind: items for kind, items in seen.items() if items}
    assert not problems, problems


# The Chinese search needs jieba (requirements.txt) to index Chinese words at all; the course's
# terms stay whole words (book/search_words_zh.txt). An English word works in both editions.
SEARCHES = [
    ("zh", "梯度"),
    ("zh", "死亡"),
    ("zh", "激活函数"),
    ("zh", "gradient"),
    ("en", "gradient"),
]


@pytest.mark.parametrize("lang, word", SEARCHES, ids=[f"{lang}-{w}" for lang, w in SEARCHES])
def test_search_finds_the_notebooks_that_contain_the_word(tab, book, lang, word):
    tab.goto(f"{(book / EDITIONS[lang] / 'search.html').as_uri()}?q={urllib.parse.quote(word)}")
    results = tab.locator("#search-results ul.search li a")
    expect(results.first).to_be_visible(timeout=20_000)
    found = {pathlib.Path(urllib.parse.urlsplit(a).path).stem for a in results.evaluate_all(
        "links => links.map(a => a.href)")}  # fmt: skip
    folder = ROOT / "notebooks" / ("zh" if lang == "zh" else "")
    holding = {
        p.stem for p in folder.glob("[0-9][0-9]_*.ipynb") if word in p.read_text(encoding="utf-8")
    }
    assert holding and holding & found, f"{word}: found {sorted(found)}; in {sorted(holding)}"
    tab.goto("about:blank")
