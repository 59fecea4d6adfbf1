"""PDF tables are read back into rows with their column names, like Word and HTML tables.

The PDFs are real files drawn by fpdf2's table layout, the way a trust's board assurance
framework is often exported: cells that wrap over lines, aligned to the top or centred.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.answering import Answerer
from knowledge import KnowledgeBase
from knowledge.pdf_loader import load_pdf
from knowledge.pdf_tables import TextRun, page_text_with_tables
from knowledge.sentences import table_rows

RISKS = [
    ("Ref", "Strategic risk", "Executive owner", "Current score", "Trend"),
    (
        "SR1",
        "Failure to keep safe staffing on inpatient wards",
        "Aled Price, Chief Nurse",
        "16",
        "Static",
    ),
    (
        "SR2",
        "Demand for acute and psychiatric intensive care beds exceeds capacity, leading to "
        "placements out of area and poor patient flow",
        "Marta Kowal, Chief Operating Officer",
        "20",
        "Rising",
    ),
    (
        "SR3",
        "A cyber attack takes the electronic patient record offline",
        "Tom Reyes, CIO",
        "15",
        "Static",
    ),
    ("SR4", "The financial plan is not delivered", "Ruth Ng, Director of Finance", "12", "Falling"),
]
AFTER = (
    "The committee asked for a deep dive on SR2 at its next meeting, with the bed model and "
    "the placement costs for the year to date."
)


def _page(note: str, line_height: float) -> Any:
    """A landscape page with the framework's title and a covering note, ready for its table."""
    from fpdf import FPDF

    pdf = FPDF(orientation="landscape")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 9, "Board assurance framework", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(0, line_height, note, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    return pdf


def _baf(path: Path, v_align: str) -> Path:
    pdf = _page("The principal risks to the trust's objectives at quarter 2.", 6)
    pdf.set_font("Helvetica", "", 9)
    with pdf.table(
        col_widths=(14, 70, 45, 20, 18), v_align=v_align, first_row_as_headings=False
    ) as table:
        for row in RISKS:
            cells = table.row()
            for value in row:
                cells.cell(value)
    pdf.ln(4)
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(0, 6, AFTER, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def _rows(path: Path) -> list[str]:
    document = load_pdf(path, path.read_bytes())
    found: list[str] = []
    for section in document.sections:
        for block in section.text.split("\n\n"):
            found += table_rows(block.strip()) or []
    return found


@pytest.mark.parametrize("v_align", ["TOP", "MIDDLE"])
def test_a_pdf_table_is_read_as_rows_with_their_column_names(tmp_path: Path, v_align: str) -> None:
    rows = _rows(_baf(tmp_path / "baf.pdf", v_align))
    assert len(rows) == 4
    # the wrapped risk title joins its row whole, and the owner and score stay with it
    sr2 = next(row for row in rows if row.startswith("Ref: SR2"))
    assert "Strategic risk: Demand for acute and psychiatric intensive care beds exceeds" in sr2
    assert "placements out of area and poor patient flow" in sr2
    assert "Executive owner: Marta Kowal, Chief Operating Officer" in sr2
    assert "Current score: 20" in sr2
    assert "Trend: Rising" in sr2


def test_the_text_around_a_pdf_table_stays_prose(tmp_path: Path) -> None:
    document = load_pdf(path := _baf(tmp_path / "baf.pdf", "MIDDLE"), path.read_bytes())
    text = "\n".join(s.text for s in document.sections)
    assert "principal risks to the trust's objectives at quarter 2." in text
    # the paragraph after the table is not taken into its last row
    assert "deep dive on SR2" in text
    rows = _rows(path)
    assert len(rows) == 4
    assert not any("deep dive" in row for row in rows)


def _register(path: Path, v_align: str) -> Path:
    """A register set smaller than its covering note, its narrow score headings wrapping."""
    pdf = _page(NOTE, 5)
    pdf.set_font("Helvetica", "", 8)
    with pdf.table(col_widths=(12, 80, 50, 8, 8), v_align=v_align) as table:
        for ref, risk, owner, current, _trend in RISKS:
            cells = table.row()
            for value in (ref, risk, owner, "Inherent score" if ref == "Ref" else "20", current):
                cells.cell(value)
    pdf.output(str(path))
    return path


NOTE = (
    "Scores are likelihood times consequence on a five by five matrix, so the highest is 25. "
    "The appetite for risks to quality and safety is low; for innovation and improvement it "
    "is open, and the committee reviews it each year."
)


@pytest.mark.parametrize("v_align", ["TOP", "MIDDLE"])
def test_wrapped_headings_stay_the_column_names(tmp_path: Path, v_align: str) -> None:
    # "Inherent" over "score", beside one-line headings: the header is one row of names
    rows = _rows(_register(tmp_path / "register.pdf", v_align))
    assert len(rows) == 4
    sr3 = next(row for row in rows if row.startswith("Ref: SR3"))
    assert "Executive owner: Tom Reyes, CIO" in sr3
    assert "Inherent score: 20" in sr3
    assert "Current score: 15" in sr3


def test_a_covering_note_in_larger_type_than_its_table_is_kept_whole(tmp_path: Path) -> None:
    # Most of the page's text is the table's: its size is not the body's, and the note's
    # lines are not read as headings (which lost its second line)
    path = _register(tmp_path / "register.pdf", "MIDDLE")
    document = load_pdf(path, path.read_bytes())
    text = " ".join(" ".join(s.text for s in document.sections).split())
    assert NOTE in text
    assert all("appetite" not in part for s in document.sections for part in s.heading)


def test_a_pdf_without_a_table_reads_as_before(tmp_path: Path) -> None:
    from tests.docgen import make_pdf

    lines = "Chair: Ann Lowe\nVice chair: Raj Patel\nSecretary: Jo Hart\nTreasurer: Li Wu"
    path = make_pdf(tmp_path / "plain.pdf", [[("h1", "Officers"), ("p", lines)]])
    document = load_pdf(path, path.read_bytes())
    text = "\n".join(s.text for s in document.sections)
    assert "|" not in text
    assert "Vice chair: Raj Patel" in text


def test_a_question_about_a_pdf_risk_register_gets_its_row(
    tmp_path: Path, kb: KnowledgeBase
) -> None:
    folder = tmp_path / "papers"
    folder.mkdir()
    _baf(folder / "board-assurance-framework.pdf", "MIDDLE")
    assert not kb.ingest([folder]).failed
    answer = Answerer(kb).answer("Who owns the cyber attack risk and what is its current score?")
    assert not answer.abstained
    # the row with its column names, not a run of cells a reader has to work out
    assert "Executive owner: Tom Reyes, CIO" in answer.text
    assert "Current score: 15" in answer.text


def _runs(cells: list[tuple[float, float, str]]) -> list[TextRun]:
    return [TextRun(text, x, y, 8.0, order) for order, (x, y, text) in enumerate(cells)]


def test_a_key_that_wraps_in_a_top_aligned_table_stays_one_row() -> None:
    # As ReportLab draws a register: "BAF" over "5", the title over three lines, the figures on
    # the first line only; rows 16 points apart, wrapped lines 10.
    cols = (57.0, 89.0, 219.0, 384.0, 422.0)
    runs = _runs(
        [
            *zip(
                cols,
                [568.9] * 5,
                ["Ref", "Principal risk", "Owner", "Current", "Target"],
                strict=True,
            ),
            (cols[0], 542.9, "BAF 4"),
            (cols[1], 542.9, "Financial sustainability: we do"),
            (cols[1], 532.9, "not deliver the financial plan"),
            (cols[2], 542.9, "Gareth Pughsley, CFO"),
            (cols[3], 542.9, "15"),
            (cols[4], 542.9, "10"),
            (cols[0], 516.9, "BAF"),
            (cols[0], 506.9, "5"),
            (cols[1], 516.9, "Estates: failure of theatre"),
            (cols[1], 506.9, "ventilation at Kestrel House"),
            (cols[2], 516.9, "Martin Deverill,"),
            (cols[2], 506.9, "Director of Estates"),
            (cols[3], 516.9, "12"),
            (cols[4], 516.9, "6"),
            (cols[0], 490.9, "BAF 6"),
            (cols[1], 490.9, "Cyber security"),
            (cols[2], 490.9, "Nadia Ferreira, CDIO"),
            (cols[3], 490.9, "10"),
            (cols[4], 490.9, "5"),
        ]
    )
    text = page_text_with_tables(runs)
    assert text is not None
    rows = table_rows(text.strip()) or []
    assert len(rows) == 3
    assert rows[1] == (
        "Ref: BAF 5; Principal risk: Estates: failure of theatre ventilation at Kestrel House; "
        "Owner: Martin Deverill, Director of Estates; Current: 12; Target: 6."
    )


def test_prose_across_the_columns_ends_a_table() -> None:
    cols = (31.0, 76.0, 411.0)
    runs = _runs(
        [
            *zip(cols, [435.0] * 3, ["ID", "Risk title", "Owner"], strict=True),
            *zip(
                cols,
                [415.0] * 3,
                ["BAF 1", "Overcrowding in the emergency department", "COO"],
                strict=True,
            ),
            *zip(cols, [395.0] * 3, ["BAF 2", "Elective waiting times", "COO"], strict=True),
            (
                31.0,
                375.0,
                "BAF 1 - Urgent and emergency care (score 20). Key controls: a new same day unit.",
            ),
        ]
    )
    text = page_text_with_tables(runs)
    assert text is not None
    assert text.endswith(
        "BAF 1 - Urgent and emergency care (score 20). Key controls: a new same day unit."
    )
    assert len(table_rows(text.split("\n\n")[0].strip()) or []) == 2
