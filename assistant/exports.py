"""Exports of a session: the DOCX board paper, Markdown, the CSV action log and the chart PNG.

Files are written to a temporary name and moved into place, so an interrupted export never
leaves half a paper behind. The CSV is UTF-8 with a byte-order mark so Excel on Windows reads
it correctly.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from assistant.chart import maturity_chart
from assistant.errors import InvalidInput
from assistant.paper import PaperContent, build_paper, long_date, source_label
from assistant.session_model import Action, SessionState

__all__ = ["FORMATS", "csv_text", "export_session", "markdown_text", "write_docx"]

FORMATS = ("docx", "md", "csv", "png")
CSV_COLUMNS = (
    "ref", "action", "owner", "due", "status", "priority", "component", "question", "source",
)  # fmt: skip


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _chart(content: PaperContent) -> bytes:
    return maturity_chart(content.ratings, content.scale_levels)


def export_session(state: SessionState, fmt: str, out: Path) -> list[Path]:
    """Write the session as `fmt` to `out`; returns the files written (Markdown adds its chart)."""
    fmt = fmt.lower().lstrip(".")
    if fmt not in FORMATS:
        raise InvalidInput(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
    out = Path(out)
    if out.is_dir():
        raise InvalidInput(f"{out} is a folder: give a file name, e.g. {out / ('paper.' + fmt)}")
    content = build_paper(state)
    if fmt == "csv":
        _write_atomic(out, csv_text(content.action_log).encode("utf-8-sig"))
        return [out]
    if fmt == "png":
        _write_atomic(out, _chart(content))
        return [out]
    if fmt == "md":
        chart = out.with_name(out.stem + "-chart.png")
        _write_atomic(chart, _chart(content))
        _write_atomic(out, markdown_text(content, chart.name).encode("utf-8"))
        return [out, chart]
    _write_atomic(out, write_docx(content))
    return [out]


def csv_text(actions: Sequence[Action]) -> str:
    """The action log as CSV (one row per action, the columns of CSV_COLUMNS)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)  # component: the section id (for NHS IMPACT, c1-c5)
    for a in actions:
        writer.writerow(
            [
                a.ref,
                a.text,
                a.owner or "",
                a.due.isoformat() if a.due else "",
                a.status,
                a.priority,
                a.component or "",
                a.source.question or "",
                source_label(a),
            ]
        )
    return buffer.getvalue()


# -- Markdown ---------------------------------------------------------------------------------
def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _md_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def _action_rows(
    content: PaperContent, actions: Sequence[Action], with_status: bool = True
) -> list[list[str]]:
    return [
        [a.ref, a.text, a.owner or "(no owner)", long_date(a.due) if a.due else "-"]
        + ([a.status] if with_status else [])
        + [content.section_titles.get(a.component or "", a.component or "-"), source_label(a)]
        for a in actions
    ]


def markdown_text(content: PaperContent, chart_name: str | None = None) -> str:
    """The paper as Markdown, the chart linked as `chart_name` (a file beside it)."""
    lines = [f"# {content.title}", ""]
    if content.draft:
        lines += ["> **Draft**: the session is still open; ratings and actions may change.", ""]
    lines += _md_table(["Cover sheet", ""], [[k, v] for k, v in content.cover]) + [""]
    lines += ["## Ratings", ""]
    lines += _md_table(
        ["Area", "Agreed rating", "Spread of private ratings", "Target", "Rationale"],
        [
            [r.label, r.agreed_text, r.spread_text, r.target_text, r.rationale]
            for r in content.ratings
        ],
    ) + [""]
    if chart_name:
        lines += [f"![Maturity chart: agreed rating and target per area]({chart_name})", ""]
    if content.scale_note:
        lines += [f"*About the scale: {_cell(content.scale_note)}*", ""]
    lines += ["## Discussion", ""]
    for part in content.sections:
        lines += [f"### {part.title}", ""]
        if part.summary:
            lines += [f"**Summary.** {part.summary}", ""]
        for q in part.questions:
            lines += [f"**{q.text}**", ""]
            lines += [f"- {_cell(n)}" for n in q.notes]
            lines += [f"- Decision: {_cell(d)}" for d in q.decisions]
            if q.outcome:
                lines.append(f"- {_cell(q.outcome)}")
            lines.append("")
        if not part.questions and not part.summary:
            lines += ["Not discussed.", ""]
    lines += ["## Action log", ""]
    if content.action_log:
        lines += _md_table(
            ["Ref", "Action", "Owner", "Due", "Status", "Component", "Source"],
            _action_rows(content, content.action_log),
        )
    else:
        lines.append("No actions have been agreed yet.")
    lines.append("")
    if content.proposed:
        lines += ["### Proposed actions not yet agreed (not part of the action log)", ""]
        lines += _md_table(
            ["Ref", "Action", "Owner", "Due", "Component", "Source"],
            _action_rows(content, content.proposed, with_status=False),
        ) + [""]
    lines += ["## Sources", ""]
    lines += [f"- {_cell(s)}" for s in content.sources] or [
        "- No evidence was shown in the session."
    ]
    lines += ["", "Framework sources:", ""] + [f"- {s}" for s in content.framework_sources]
    return "\n".join(lines).rstrip() + "\n"


# -- DOCX -------------------------------------------------------------------------------------
def write_docx(content: PaperContent) -> bytes:
    """The paper as a Word document: cover sheet, then the report (python-docx)."""
    import docx
    from docx.enum.text import WD_BREAK
    from docx.shared import Cm, Pt

    document = docx.Document()
    document.core_properties.title = content.title
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(10.5)
    for section in document.sections:  # A4, as NHS board papers are printed
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.0)

    document.add_heading(content.title, level=0)
    if content.draft:
        document.add_paragraph().add_run(
            "DRAFT: the session is still open; ratings and actions may change."
        ).bold = True
    cover = document.add_table(rows=0, cols=2)
    cover.style = "Table Grid"
    for key, value in content.cover:
        cells = cover.add_row().cells
        cells[0].text = key
        cells[0].paragraphs[0].runs[0].bold = True
        cells[1].text = value
    _widths(cover, [4.5, 12.5])
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    document.add_heading("Ratings", level=1)
    _docx_table(
        document,
        ["Area", "Agreed rating", "Spread of private ratings", "Target", "Rationale"],
        [
            [r.label, r.agreed_text, r.spread_text, r.target_text, r.rationale]
            for r in content.ratings
        ],
        [3.8, 2.2, 3.4, 3.0, 4.6],
    )
    document.add_paragraph()
    document.add_picture(
        io.BytesIO(maturity_chart(content.ratings, content.scale_levels)), width=Cm(16)
    )
    if content.scale_note:
        document.add_paragraph().add_run(f"About the scale: {content.scale_note}").italic = True

    document.add_heading("Discussion", level=1)
    for part in content.sections:
        document.add_heading(part.title, level=2)
        if part.summary:
            para = document.add_paragraph()
            para.add_run("Summary. ").bold = True
            para.add_run(part.summary)
        for q in part.questions:
            document.add_paragraph().add_run(q.text).bold = True
            for note in q.notes:
                document.add_paragraph(note, style="List Bullet")
            for decision in q.decisions:
                document.add_paragraph(f"Decision: {decision}", style="List Bullet")
            if q.outcome:
                document.add_paragraph(q.outcome, style="List Bullet")
        if not part.questions and not part.summary:
            document.add_paragraph("Not discussed.")

    document.add_heading("Action log", level=1)
    if content.action_log:
        _docx_table(
            document,
            ["Ref", "Action", "Owner", "Due", "Status", "Component", "Source"],
            _action_rows(content, content.action_log),
            [1.0, 4.4, 2.2, 2.1, 1.6, 2.3, 3.4],
        )
    else:
        document.add_paragraph("No actions have been agreed yet.")
    if content.proposed:
        document.add_heading(
            "Proposed actions not yet agreed (not part of the action log)", level=2
        )
        _docx_table(
            document,
            ["Ref", "Action", "Owner", "Due", "Component", "Source"],
            _action_rows(content, content.proposed, with_status=False),
            [1.1, 5.0, 2.4, 2.1, 2.3, 4.1],
        )

    document.add_heading("Sources", level=1)
    for source in content.sources or ["No evidence was shown in the session."]:
        document.add_paragraph(source, style="List Bullet")
    document.add_paragraph("Framework sources:")
    for source in content.framework_sources:
        document.add_paragraph(source, style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _widths(table, cm: Sequence[float]) -> None:  # type: ignore[no-untyped-def]
    """Fixed column widths (Word and LibreOffice both honour them with autofit off)."""
    from docx.shared import Cm

    table.autofit = False
    for column, width in zip(table.columns, cm, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)


def _docx_table(  # type: ignore[no-untyped-def]
    document, headers: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]
) -> None:
    from docx.shared import Pt

    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = header
        cell.paragraphs[0].runs[0].bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = str(value)
    for row in table.rows:
        for cell in row.cells:
            for para in cell.paragraphs:
                for run in para.runs:
                    run.font.size = Pt(9)
    _widths(table, widths)
