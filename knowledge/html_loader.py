"""HTML loader: the page's main text and title, without navigation, footers or cookie banners."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from knowledge.errors import CorruptDocument, NoMainText
from knowledge.types import LoadedDocument, Section, SectionBuilder, grid_markdown

_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "canvas",
    "nav",
    "footer",
    "aside",
    "form",
    "button",
    "iframe",
    "select",
    "input",
    "dialog",
)
_DROP_ROLES = {
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "search",
    "dialog",
    "alertdialog",
    "menu",
    "menubar",
}
_BOILERPLATE = re.compile(
    r"(^|[-_\s])(cookies?|consent|gdpr|banner|breadcrumbs?|skip|nav|navbar|navigation|menu|"
    r"footer|sidebar|share|social|newsletter|promo|advert|ads|masthead|site-header|"
    r"related|popup|modal)([-_\s]|$)",
    re.IGNORECASE,
)
_BLOCKS = (
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "li",
    "pre",
    "blockquote",
    "td",
    "th",
    "dd",
    "dt",
    "figcaption",
    "caption",
)
_MIN_MAIN_CHARS = 40
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


_INLINE = {
    "a",
    "abbr",
    "b",
    "br",
    "cite",
    "code",
    "del",
    "em",
    "i",
    "img",
    "ins",
    "kbd",
    "label",
    "mark",
    "q",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "time",
    "u",
    "var",
}


def _wrap_loose_text(soup: Any, root: Any) -> None:
    """Wrap text written straight into a div or section in <p>, so block extraction keeps it."""
    from bs4 import NavigableString, Tag

    containers: list[Tag] = []
    for string in root.find_all(string=True):
        if type(string) is not NavigableString or not string.strip():  # skip comments, CDATA
            continue
        if string.find_parent(_BLOCKS) is not None:
            continue
        parent = string.parent
        while parent is not None and parent.name in _INLINE:
            parent = parent.parent
        if isinstance(parent, Tag) and parent not in containers:
            containers.append(parent)
    for container in containers:
        run: list[Any] = []
        for child in [*container.children, None]:
            inline = child is not None and (
                isinstance(child, NavigableString) or getattr(child, "name", None) in _INLINE
            )
            if inline:
                run.append(child)
                continue
            if any(str(node).strip() for node in run):
                paragraph = soup.new_tag("p")
                run[0].insert_before(paragraph)
                for node in run:
                    paragraph.append(node.extract())
            run = []


def _table_markdown(table: Any) -> str | None:
    """A data table as a Markdown table, so that each row is read with its column names, as in
    a Markdown paper ("Measure: Accredited improvement coaches; 2025/26 target: 12"). None for
    a table used for layout (a cell holds paragraphs, lists or another table) or a single row,
    whose cells are read as paragraphs."""
    rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    cells = [tr.find_all(["th", "td"], recursive=False) for tr in rows]
    if any(c.find(["p", "div", "ul", "ol", "table", *_HEADINGS]) for row in cells for c in row):
        return None
    return grid_markdown([[c.get_text(" ", strip=True) for c in row] for row in cells])


def load_html(path: Path, data: bytes) -> LoadedDocument:
    from bs4 import BeautifulSoup, Tag

    try:
        soup = BeautifulSoup(data, "lxml")
    except Exception as exc:
        raise CorruptDocument(path, f"not readable as HTML ({exc.__class__.__name__})") from exc

    title = ""
    if soup.title and soup.title.string:
        title = soup.title.string.strip()
    og = soup.find("meta", attrs={"property": "og:title"})
    if not title and isinstance(og, Tag) and og.get("content"):
        title = str(og.get("content")).strip()

    root = soup.find("main") or soup.find(role="main") or soup.find("article")
    if not isinstance(root, Tag):
        root = soup.body if isinstance(soup.body, Tag) else soup
    inside_main = root.name in ("main", "article") or root.get("role") == "main"

    for node in list(root.find_all(True)):
        if not isinstance(node, Tag) or node.decomposed:
            continue
        if node.name in _DROP_TAGS or (node.name == "header" and not inside_main):
            node.decompose()
            continue
        role = str(node.get("role") or "").lower()
        marks = " ".join(
            [
                *(node.get("class") or []),
                str(node.get("id") or ""),
                str(node.get("aria-label") or ""),
            ]
        )
        if role in _DROP_ROLES or (node.name not in _BLOCKS and _BOILERPLATE.search(marks)):
            node.decompose()

    _wrap_loose_text(soup, root)
    built = SectionBuilder()
    first_h1 = ""
    tables: set[int] = set()  # data tables kept as Markdown tables, whose cells are done
    for node in root.find_all((*_BLOCKS, "table")):
        if node.find_parent([b for b in _BLOCKS if not b.startswith("h")]) is not None:
            continue
        if any(id(t) in tables for t in node.find_parents("table")):
            continue
        if node.name == "table":
            grid = _table_markdown(node)
            if grid is not None:
                tables.add(id(node))
                built.add(grid)
            continue
        text = re.sub(r"\s+", " ", node.get_text(" ", strip=True)).strip()
        if not text:
            continue
        if re.fullmatch(r"h[1-6]", node.name):
            level = int(node.name[1])
            built.heading(level, text)
            if level == 1 and not first_h1:
                first_h1 = text
        elif node.name == "li":
            built.add(f"- {text}")
        else:
            built.add(text)
    sections = built.flush()

    if not sections:
        loose = re.sub(r"\s+", " ", root.get_text(" ", strip=True)).strip()
        if loose:
            sections.append(Section(text=loose))
    main_chars = sum(len(s.text) for s in sections)
    if main_chars < _MIN_MAIN_CHARS:
        raise NoMainText(
            path,
            "no main text found once navigation, footer and banners were removed; "
            "save the article itself (or its PDF) and ingest that",
        )
    if not title:
        title = first_h1 or path.stem
    return LoadedDocument(source=str(path), title=title, sections=sections, kind="html")
