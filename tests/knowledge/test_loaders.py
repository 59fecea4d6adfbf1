"""Loaders read real PDF, DOCX, HTML, Markdown and text files into sections with provenance."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from knowledge import LoadedDocument, Section, load_document
from knowledge.sentences import table_rows
from tests.docgen import make_docx, make_html, make_markdown, make_pdf

LIMIT = 10 * 1_048_576


def load(path: Path) -> LoadedDocument:
    return load_document(path, max_bytes=LIMIT)


def section_with(doc: LoadedDocument, phrase: str) -> Section:
    matches = [s for s in doc.sections if phrase in s.text]
    assert len(matches) == 1, f"{phrase!r} in {len(matches)} sections: {doc.sections}"
    return matches[0]


def all_text(doc: LoadedDocument) -> str:
    return "\n".join(s.text for s in doc.sections)


# -- PDF ------------------------------------------------------------------------------------

BOARD_PAGES = [
    [
        ("h1", "Improvement strategy"),
        ("p", "The board agreed a three year plan for quality improvement on every ward."),
    ],
    [
        ("p", "Ward leaders will report progress against the plan to each public board meeting."),
        ("h2", "Capability"),
        ("p", "Staff trained in improvement methods reached four hundred people this year."),
    ],
    [
        ("h1", "Measurement"),
        ("p", "Run charts of harm-free care are reviewed monthly at the quality committee."),
    ],
]


@pytest.fixture
def board_pdf(tmp_path: Path) -> LoadedDocument:
    return load(make_pdf(tmp_path / "board-paper.pdf", BOARD_PAGES, title="Board paper May 2024"))


@pytest.mark.parametrize(
    ("phrase", "page"),
    [("three year plan", 1), ("public board meeting", 2), ("four hundred", 2), ("Run charts", 3)],
)
def test_pdf_keeps_page_numbers_for_each_page(
    board_pdf: LoadedDocument, phrase: str, page: int
) -> None:
    assert section_with(board_pdf, phrase).page == page


def test_pdf_reports_how_many_pages_it_has(board_pdf: LoadedDocument) -> None:
    assert board_pdf.kind == "pdf"
    assert board_pdf.metadata["pages"] == 3


def test_pdf_headings_from_font_size_give_the_heading_path(board_pdf: LoadedDocument) -> None:
    assert section_with(board_pdf, "four hundred").heading == ("Improvement strategy", "Capability")


def test_pdf_heading_text_is_not_repeated_as_body_text(board_pdf: LoadedDocument) -> None:
    assert "Capability" not in all_text(board_pdf)
    assert "Measurement" not in all_text(board_pdf)


def test_pdf_heading_carries_over_to_the_next_page(board_pdf: LoadedDocument) -> None:
    carried = section_with(board_pdf, "public board meeting")
    assert carried.page == 2
    assert carried.heading == ("Improvement strategy",)


def test_pdf_new_top_heading_closes_the_previous_subheading(board_pdf: LoadedDocument) -> None:
    assert section_with(board_pdf, "Run charts").heading == ("Measurement",)


def test_pdf_title_comes_from_metadata_when_set(board_pdf: LoadedDocument) -> None:
    assert board_pdf.title == "Board paper May 2024"


def test_pdf_title_falls_back_to_the_first_heading(tmp_path: Path) -> None:
    doc = load(make_pdf(tmp_path / "q3.pdf", BOARD_PAGES))
    assert doc.title == "Improvement strategy"


def test_pdf_heading_that_wraps_over_two_lines_stays_one_heading(tmp_path: Path) -> None:
    heading = "Improvement capability and capacity building across the whole integrated care system"
    body = "Body text that runs on long enough to set the body font size of the page. " * 3
    pages = [[("h1", heading), ("p", body)]]
    doc = load(make_pdf(tmp_path / "wrapped.pdf", pages))
    assert doc.title == heading
    assert section_with(doc, "Body text").heading == (heading,)


# -- DOCX -----------------------------------------------------------------------------------


@pytest.fixture
def plan_docx(tmp_path: Path) -> LoadedDocument:
    path = make_docx(
        tmp_path / "annual-plan.docx",
        [
            ("title", "Annual improvement plan"),
            ("h1", "Vision"),
            ("p", "We aim to be the safest trust in the region."),
            ("h2", "Goals"),
            ("li", "Reduce waits for elective surgery"),
            ("li", "Halve avoidable pressure ulcers"),
            ("h3", "Measures"),
            ("p", "Each goal has a monthly run chart."),
            ("h1", "Delivery"),
            ("p", "Delivery is led by the improvement hub."),
        ],
    )
    document = docx.Document(str(path))
    table = document.add_table(rows=2, cols=2)
    for row, cells in enumerate([("Metric", "Target"), ("Elective wait", "18 weeks")]):
        for col, text in enumerate(cells):
            table.cell(row, col).text = text
    document.save(str(path))
    return load(path)


def test_docx_title_style_sets_the_title_and_stays_out_of_the_text(
    plan_docx: LoadedDocument,
) -> None:
    assert plan_docx.title == "Annual improvement plan"
    assert "Annual improvement plan" not in all_text(plan_docx)


def test_docx_core_property_title_wins_over_the_first_heading(tmp_path: Path) -> None:
    path = make_docx(
        tmp_path / "paper.docx", [("h1", "Background"), ("p", "Text.")], title="Board paper 12"
    )
    assert load(path).title == "Board paper 12"


@pytest.mark.parametrize(
    ("phrase", "heading"),
    [
        ("safest trust", ("Vision",)),
        ("elective surgery", ("Vision", "Goals")),
        ("monthly run chart", ("Vision", "Goals", "Measures")),
        ("improvement hub", ("Delivery",)),
    ],
)
def test_docx_heading_paths_nest_and_reset_at_the_next_h1(
    plan_docx: LoadedDocument, phrase: str, heading: tuple[str, ...]
) -> None:
    assert section_with(plan_docx, phrase).heading == heading


def test_docx_keeps_bullets_as_list_items(plan_docx: LoadedDocument) -> None:
    text = section_with(plan_docx, "elective surgery").text
    assert "- Reduce waits for elective surgery" in text
    assert "- Halve avoidable pressure ulcers" in text


def test_docx_table_is_read_as_a_table_with_its_header(plan_docx: LoadedDocument) -> None:
    # As a Markdown table, so each row is read with its column names, as in a Markdown paper
    # (a fresh user's Word action log had been quoted as "WW-26/04 | Publish ... | Complete").
    text = all_text(plan_docx)
    assert "| Metric | Target |\n|---|---|\n| Elective wait | 18 weeks |" in text


def test_a_merged_docx_cell_keeps_the_columns_aligned_and_a_one_row_table_is_text(
    tmp_path: Path,
) -> None:
    path = make_docx(tmp_path / "merged.docx", [("p", "Intro.")])
    document = docx.Document(str(path))
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "Ward and bay"
    table.cell(0, 2).text = "Falls"
    for row, cells in enumerate([("Heron", "Bay 1", "4"), ("Wren", "Bay 2", "2")], start=1):
        for col, value in enumerate(cells):
            table.cell(row, col).text = value
    box = document.add_table(rows=1, cols=2)
    box.cell(0, 0).text = "Prepared by"
    box.cell(0, 1).text = "J. Pritt"
    document.save(str(path))

    text = all_text(load(path))

    # the merged header under both its columns: "Falls" stays over the falls
    assert "| Ward and bay | Ward and bay | Falls |" in text
    assert "| Heron | Bay 1 | 4 |" in text
    assert "Prepared by | J. Pritt" in text and "| Prepared by" not in text


# -- HTML -----------------------------------------------------------------------------------

ARTICLE = (
    "<h1>Discharge lounge evaluation</h1>"
    "<p>Patient flow improved after the discharge lounge opened in the spring.</p>"
    "<h2>Results</h2><p>Average length of stay fell by almost a full day.</p>"
    "<h3>By ward</h3><p>Respiratory wards saw the biggest change in bed days.</p>"
    "<h2>Next steps</h2><p>The lounge will open at weekends from September.</p>"
)


@pytest.fixture
def flow_page(tmp_path: Path) -> LoadedDocument:
    return load(make_html(tmp_path / "flow.html", "Flow at Anytown NHS Trust", ARTICLE))


def test_html_keeps_the_page_title(flow_page: LoadedDocument) -> None:
    assert flow_page.title == "Flow at Anytown NHS Trust"


def test_html_keeps_the_main_text(flow_page: LoadedDocument) -> None:
    text = all_text(flow_page)
    for phrase in ("discharge lounge opened", "full day", "bed days", "at weekends"):
        assert phrase in text


@pytest.mark.parametrize(
    "boilerplate", ["cookies", "parking", "Copyright", "tracking", "Careers", "canteen", "intranet"]
)
def test_html_drops_banners_navigation_header_footer_aside_and_scripts(
    flow_page: LoadedDocument, boilerplate: str
) -> None:
    assert boilerplate.lower() not in all_text(flow_page).lower()


@pytest.mark.parametrize(
    ("phrase", "heading"),
    [
        ("full day", ("Discharge lounge evaluation", "Results")),
        ("bed days", ("Discharge lounge evaluation", "Results", "By ward")),
        ("at weekends", ("Discharge lounge evaluation", "Next steps")),
    ],
)
def test_html_headings_inside_main_give_heading_paths(
    flow_page: LoadedDocument, phrase: str, heading: tuple[str, ...]
) -> None:
    assert section_with(flow_page, phrase).heading == heading


@pytest.mark.parametrize("wrapper", ["article", "div"])
def test_html_without_main_keeps_the_article_text_but_not_the_nav(
    tmp_path: Path, wrapper: str
) -> None:
    path = tmp_path / "news.html"
    path.write_text(
        "<html><head><title>Ward news</title></head><body>"
        "<nav><a href='/p'>Parking permits and car parks</a></nav>"
        f"<{wrapper}><h2>Theatre lists</h2>"
        "<p>Theatre utilisation rose to ninety percent after the scheduling change.</p>"
        f"</{wrapper}><footer>Copyright Anytown NHS Trust</footer></body></html>",
        encoding="utf-8",
    )
    doc = load(path)
    assert doc.title == "Ward news"
    assert section_with(doc, "ninety percent").heading == ("Theatre lists",)
    assert "parking" not in all_text(doc).lower()
    assert "copyright" not in all_text(doc).lower()


def test_html_keeps_main_text_written_directly_in_a_div(tmp_path: Path) -> None:
    main = (
        "<h2>Results</h2>"
        "<div>Discharges before midday rose to forty percent across the medical wards.</div>"
        "<p>Source: ward data collected by the discharge team each week.</p>"
    )
    doc = load(make_html(tmp_path / "results.html", "Discharge results", main))
    assert "forty percent" in all_text(doc)


def test_html_data_table_is_read_as_a_table_with_its_column_names(tmp_path: Path) -> None:
    # A fresh tester's HTML strategy had its targets in a table; each cell was a paragraph, so
    # "What is our 2025/26 target for accredited improvement coaches?" met a run of numbers.
    main = (
        "<h2>Targets</h2><p>Our targets for building capability are below.</p>"
        "<table><thead><tr><th>Measure</th><th>2025/26 target</th><th>2026/27 target</th></tr>"
        "</thead><tbody><tr><td>Accredited improvement coaches</td><td>12</td><td>20</td></tr>"
        "<tr><td>QSIR practitioners</td><td>150</td><td>240</td></tr></tbody></table>"
        "<table><tr><td><p>A layout table holding a paragraph of text.</p></td></tr></table>"
    )
    doc = load(make_html(tmp_path / "strategy.html", "Strategy", main))
    text = all_text(doc)

    assert "| Measure | 2025/26 target | 2026/27 target |" in text
    assert "| Accredited improvement coaches | 12 | 20 |" in text
    assert "A layout table holding a paragraph of text." in text  # layout: read as paragraphs
    assert "| A layout table" not in text


# -- Markdown -------------------------------------------------------------------------------

FRONT_MATTER = """
title: Component guide
sources:
  - https://example.org/impact/one
  - https://example.org/impact/three
publisher: NHS England
date: 2023-04-01
components: [1, 3]
"""

GUIDE_BODY = """
# Building a shared purpose

Why purpose matters.

## Vision

A clear vision ties improvement to strategy.

```bash
# install the tools
make install
```

### Board role

The board owns the vision.

## Values

Values are lived, not laminated.
"""


@pytest.fixture
def guide_md(tmp_path: Path) -> LoadedDocument:
    return load(make_markdown(tmp_path / "guide.md", FRONT_MATTER, GUIDE_BODY))


def test_markdown_title_comes_from_front_matter(guide_md: LoadedDocument) -> None:
    assert guide_md.title == "Component guide"


def test_markdown_components_become_tags(guide_md: LoadedDocument) -> None:
    assert guide_md.tags == {"component": ["1", "3"]}


def test_markdown_front_matter_gives_urls_publisher_and_date(guide_md: LoadedDocument) -> None:
    assert guide_md.metadata == {
        "publisher": "NHS England",
        "date": "2023-04-01",
        "urls": ["https://example.org/impact/one", "https://example.org/impact/three"],
    }


def test_markdown_front_matter_is_not_indexed_as_text(guide_md: LoadedDocument) -> None:
    assert "publisher" not in all_text(guide_md)


@pytest.mark.parametrize(
    ("phrase", "heading"),
    [
        ("Why purpose matters", ("Building a shared purpose",)),
        ("ties improvement", ("Building a shared purpose", "Vision")),
        ("owns the vision", ("Building a shared purpose", "Vision", "Board role")),
        ("not laminated", ("Building a shared purpose", "Values")),
    ],
)
def test_markdown_headings_nest(
    guide_md: LoadedDocument, phrase: str, heading: tuple[str, ...]
) -> None:
    assert section_with(guide_md, phrase).heading == heading


def test_markdown_hash_lines_in_code_fences_are_not_headings(guide_md: LoadedDocument) -> None:
    fenced = section_with(guide_md, "# install the tools")
    assert fenced.heading == ("Building a shared purpose", "Vision")
    assert all("install the tools" not in part for s in guide_md.sections for part in s.heading)


def test_markdown_without_front_matter_takes_title_from_first_h1(tmp_path: Path) -> None:
    body = "Preamble.\n\n## Early section\n\nText.\n\n# Quality strategy\n\nMore.\n"
    doc = load(make_markdown(tmp_path / "notes.md", "", body))
    assert doc.title == "Quality strategy"
    assert doc.tags == {}


def test_a_markdown_rule_between_parts_is_not_text(tmp_path: Path) -> None:
    # A fresh tester's "When did our board last meet?" got "The meeting closed at 12:25. --- [1]."
    body = "# Minutes\n\nThe meeting closed at 12:25.\n\n---\n\n* * *\n\nNext meeting in May.\n"
    text = all_text(load(make_markdown(tmp_path / "minutes.md", "", body)))
    assert "---" not in text and "* * *" not in text
    assert "The meeting closed at 12:25." in text and "Next meeting in May." in text
    fenced = "# Notes\n\n```\n---\n```\n"  # inside a code block it is kept as written
    assert "---" in all_text(load(make_markdown(tmp_path / "code.md", "", fenced)))


def test_markdown_without_headings_takes_title_from_file_name(tmp_path: Path) -> None:
    doc = load(make_markdown(tmp_path / "weekly-ops_notes.md", "", "Just notes, no headings.\n"))
    assert doc.title == "Weekly ops notes"


def test_markdown_with_windows_line_endings_keeps_front_matter_and_headings(
    tmp_path: Path,
) -> None:
    path = tmp_path / "win.md"
    path.write_bytes(
        b"---\r\ntitle: Winter plan\r\ncomponents: [2]\r\n---\r\n# Beds\r\n\r\nText.\r\n"
    )
    doc = load(path)
    assert (doc.title, doc.tags) == ("Winter plan", {"component": ["2"]})
    assert section_with(doc, "Text.").heading == ("Beds",)


# -- Plain text -----------------------------------------------------------------------------


def test_text_file_is_one_section_titled_from_its_name(tmp_path: Path) -> None:
    path = tmp_path / "board_minutes.txt"
    path.write_text("Item 1: apologies.\n\nItem 2: flow report.\n", encoding="utf-8")
    doc = load(path)
    assert doc.sections == [Section(text="Item 1: apologies.\n\nItem 2: flow report.")]
    assert (doc.title, doc.kind) == ("Board minutes", "text")


def test_text_paper_is_cut_at_its_heading_lines_and_titled_from_its_first_line(
    tmp_path: Path,
) -> None:
    # A fresh tester's plain-text board paper was one section titled from its file name, and
    # its headings ("1. Summary", "7. Risks") came back in answers as list items.
    path = tmp_path / "update-q2.txt"
    path.write_text(
        "HARBOURSIDE NHS FOUNDATION TRUST\nImprovement Programme Update: Quarter 2\n"
        "Author: Head of Quality Improvement\n\n"
        "1. Summary\n\nTwo of the three priorities are on track.\n\n"
        "2. Priority 2: improving patient flow\n\nImprovement lead: Marcus Thorne.\n\n"
        "2.1 Flow Coaching Academy\n\nTwo teams joined in September.\n\n"
        "1. Extend the pilot to two more wards.\n\n12 March 2026\n\n"
        "RISKS\n\nThe main risk is vacancies.\n",
        encoding="utf-8",
    )
    doc = load(path)

    assert doc.title == "Improvement Programme Update: Quarter 2"
    headings = [s.heading for s in doc.sections]
    assert ("1. Summary",) in headings
    assert ("2. Priority 2: improving patient flow", "2.1 Flow Coaching Academy") in headings
    assert ("RISKS",) in headings
    flow = next(s for s in doc.sections if s.heading == ("2. Priority 2: improving patient flow",))
    assert flow.text == "Improvement lead: Marcus Thorne."
    # a numbered line that ends a sentence is text, not a heading
    assert "1. Extend the pilot to two more wards." in all_text(doc)
    assert "HARBOURSIDE NHS FOUNDATION TRUST" in all_text(doc)  # the title block stays text
    assert "12 March 2026" in all_text(doc)  # a date on its own line is not section 12


def test_a_heading_line_with_its_text_on_the_next_line_starts_a_section(tmp_path: Path) -> None:
    # A fresh user's committee report had no blank line under its headings ("2. PRESSURE
    # ULCERS" then "There were ..."): the whole paper was one section and answers quoted
    # "PRESSURE ULCERS There were 9 ...". Another's strategy put "TARGETS FOR MARCH 2027"
    # straight over its bullets, which were read as more of the section before, so "How many
    # staff have we trained?" was answered with next year's targets as if they were done.
    path = tmp_path / "committee.txt"
    path.write_text(
        "RIVERBANK TRUST\nQuality Committee Report\n\n"
        "1. PRESSURE ULCERS\nThere were 9 category 2 pressure ulcers in September.\n\n"
        "FALLS\nReview completion was 61% against a target of 90%.\n\n"
        "TARGETS FOR MARCH 2027\n- 1,500 staff trained at Level 1\n- 60 staff at Level 3\n\n"
        "2. Actions agreed\n1. Audit the falls reviews\n2. Report back in March\n\n"
        "PRIORITY 2: PREVENTING PRESSURE ULCERS\nClinical lead: Jo Pryce, Chief Nurse\n\n"
        "3. Review the falls data and\nreport to the board in March.\n",
        encoding="utf-8",
    )
    doc = load(path)

    assert section_with(doc, "There were 9").heading == ("1. PRESSURE ULCERS",)
    assert section_with(doc, "Review completion").heading == ("FALLS",)
    assert section_with(doc, "1,500 staff").heading == ("TARGETS FOR MARCH 2027",)
    # a line in capitals with a colon heads its section too (a fresh user's QI plan answered
    # about one priority with another's change ideas)
    assert section_with(doc, "Clinical lead").heading == ("PRIORITY 2: PREVENTING PRESSURE ULCERS",)
    assert "PRESSURE ULCERS There" not in all_text(doc)
    # a numbered list under its line, and a numbered line that runs on, stay text
    assert "1. Audit the falls reviews" in section_with(doc, "Audit the falls").text
    assert "3. Review the falls data and" in all_text(doc)


def test_a_numbered_heading_in_capitals_heads_the_bullets_under_it(tmp_path: Path) -> None:
    # A fresh user's strategy put "7. RISKS" straight over its bullets, which were read as more
    # of "6. GOVERNANCE" and cited under that heading.
    path = tmp_path / "strategy.txt"
    path.write_text(
        "ELMFORD TRUST\nImprovement Strategy\n\n"
        "6. GOVERNANCE\nThe committee oversees delivery.\n\n"
        "7. RISKS\n- Winter pressure may reduce training.\n- Funding is not yet secured.\n\n"
        "8. Steps agreed\n1. Audit the falls reviews\n2. Report back in March\n",
        encoding="utf-8",
    )
    doc = load(path)

    assert section_with(doc, "Winter pressure").heading == ("7. RISKS",)
    assert section_with(doc, "committee oversees").heading == ("6. GOVERNANCE",)
    # a numbered list under a numbered line still goes on as text
    assert "1. Audit the falls reviews" in section_with(doc, "Audit the falls").text


def test_a_table_typed_in_plain_text_is_read_row_by_row(tmp_path: Path) -> None:
    # A fresh user's "SUMMARY OF RATINGS" ("Component | Rating | Executive lead" over one line
    # a component) came out as one run-on line in answers; "Who is the executive lead for
    # people and culture?" could not be answered from it.
    path = tmp_path / "ratings.txt"
    path.write_text(
        "ELMFORD TRUST\nSelf-assessment summary\n\n"
        "SUMMARY OF RATINGS\n"
        "Component | Rating | Executive lead\n"
        "Shared purpose and vision | 3 | Ann Lee\n"
        "People and culture | 2 | Tom Hart\n\n"
        "Prices are 3 | 4 pounds.\n",
        encoding="utf-8",
    )
    doc = load(path)

    ratings = section_with(doc, "People and culture")
    assert ratings.heading == ("SUMMARY OF RATINGS",)
    table = ratings.text.split("\n\n")[0]
    assert "Component: People and culture; Rating: 2; Executive lead: Tom Hart." in (
        table_rows(table) or []
    )
    assert "Prices are 3 | 4 pounds." in all_text(doc)  # one line with a bar is not a table


def test_a_title_in_capitals_under_a_name_in_capitals_is_the_title(tmp_path: Path) -> None:
    # A fresh tester's strategy was titled with its trust's name, so "our QI strategy" was
    # declined as a document not in the knowledge base.
    path = tmp_path / "strategy.txt"
    path.write_text(
        "RIVERBANK COMMUNITY NHS TRUST\nQUALITY IMPROVEMENT STRATEGY 2024-2027\n\n"
        "Approved by the Trust Board in November.\n",
        encoding="utf-8",
    )
    assert load(path).title == "QUALITY IMPROVEMENT STRATEGY 2024-2027"
    # a name in capitals alone above prose is still the title
    path.write_text("ANNUAL REVIEW\n\nThe year went well.\n", encoding="utf-8")
    assert load(path).title == "ANNUAL REVIEW"


def _chunked_sentences(text: str) -> list[str]:
    """The sentences of the one chunk a short section makes."""
    from knowledge.chunking import chunk_section
    from knowledge.sentences import split_sentences

    ((chunk, _),) = chunk_section(
        Section(text=text), lambda units: [len(u.split()) for u in units], 200, 0
    )
    return [s.text for s in split_sentences(chunk)]


def test_a_line_with_no_full_stop_stays_apart_from_the_sentence_after_it() -> None:
    # A fresh clone's answer opened "RIVERSIDE ... QUALITY IMPROVEMENT STRATEGY 2024-2027
    # Approved by the Trust Board on 14 November 2024 [1]": a chunk ran the title lines and the
    # first sentence together with a space, so they read as one sentence.
    text = "RIVERBANK NHS TRUST\nQUALITY STRATEGY 2024-2027\n\nApproved by the board in May. "
    assert _chunked_sentences(text + "It has three aims.") == [
        "RIVERBANK NHS TRUST QUALITY STRATEGY 2024-2027",
        "Approved by the board in May.",
        "It has three aims.",
    ]


def test_a_paper_s_label_lines_are_lines_of_their_own() -> None:
    # A fresh tester's plain-text report read "Report to: Board of Directors, 17 July 2025
    # Executive lead: ... Author: ... Purpose: Assurance" as one sentence.
    text = (
        "Report to: Board of Directors, 17 July 2025\n"
        "Executive lead: Dr Jo Bloggs, Director of Improvement\n"
        "Purpose: Assurance\n\n"
        "The year went well and the board met\nevery month. Members agreed: more training."
    )
    assert _chunked_sentences(text) == [
        "Report to: Board of Directors, 17 July 2025",
        "Executive lead: Dr Jo Bloggs, Director of Improvement",
        "Purpose: Assurance",
        "The year went well and the board met every month.",  # a wrapped line runs on
        "Members agreed: more training.",
    ]


def test_label_lines_around_a_list_are_lines_of_their_own() -> None:
    # A fresh user's QI plan read "Clinical lead: ... Quality Baseline: 45 ... Target: ..." as
    # one sentence, and "equipment delivered within 24 hours Progress: 41 ..." as one item.
    text = (
        "Clinical lead: Jo Pryce, Chief Nurse\n"
        "Baseline: 45 pressure ulcers a quarter\n"
        "Change ideas being tested:\n"
        "- the SSKIN bundle at every first visit\n"
        "- equipment delivered within 24 hours\n"
        "Progress: 41 in the first quarter"
    )
    assert _chunked_sentences(text) == [
        "Clinical lead: Jo Pryce, Chief Nurse",
        "Baseline: 45 pressure ulcers a quarter",
        "Change ideas being tested:",
        "the SSKIN bundle at every first visit",
        "equipment delivered within 24 hours",
        "Progress: 41 in the first quarter",
    ]


def test_a_sentence_after_a_list_is_not_part_of_its_last_item() -> None:
    # A fresh user's QI plan answered "every Board member to attend the session on 14 November
    # 2024 The QI Hub team has 6.4 whole-time equivalent staff" as one list item.
    text = (
        "Our training targets are:\n"
        "- Gold (QI coach): 12 coaches, up from 5\n"
        "- every Board member to attend the session on 14 November 2024\n"
        "The QI Hub team has 6.4 staff. The budget is £410,000.\n"
        "- a wrapped item that goes\n"
        "  On an indented line\n"
        "- and one that goes\n"
        "on in lower case"
    )
    assert _chunked_sentences(text) == [
        "Our training targets are:",
        "Gold (QI coach): 12 coaches, up from 5",
        "every Board member to attend the session on 14 November 2024",
        "The QI Hub team has 6.4 staff.",
        "The budget is £410,000.",
        "a wrapped item that goes On an indented line",
        "and one that goes on in lower case",
    ]


def test_text_with_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes("\ufeffCafé opening hours agreed.".encode())
    assert load(path).sections[0].text == "Café opening hours agreed."


def test_loaded_document_source_is_the_path_unless_named(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Some text.", encoding="utf-8")
    assert load(path).source == str(path)
    assert load_document(path, max_bytes=LIMIT, source="bundled:a.txt").source == "bundled:a.txt"


def test_markdown_front_matter_with_an_impossible_date_keeps_it_as_text(tmp_path: Path) -> None:
    path = tmp_path / "minutes.md"
    path.write_text(
        "---\ntitle: Minutes\ndate: 2025-13-45\n---\n\n# Minutes\n\nThe board met.\n",
        encoding="utf-8",
    )
    doc = load_document(path, max_bytes=1_000_000)
    assert doc.title == "Minutes" and doc.metadata["date"] == "2025-13-45"


def test_markdown_that_starts_with_a_horizontal_rule_is_text(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text(
        "---\n\nNotes from the away day: the board agreed three priorities.\n\n"
        "## Priorities\n\nFlow, workforce and quality.\n",
        encoding="utf-8",
    )
    doc = load_document(path, max_bytes=1_000_000)
    text = " ".join(s.text for s in doc.sections)
    assert "three priorities" in text and "Flow, workforce and quality." in text
