"""An answer as a worker pastes it into case notes: plain text with numbered references
(record id, source system, date, link), or a Word document (python-docx) with the same
content. One layout for both, so the copy and the download never disagree.

The sentences keep their citation numbers (``[1][2]``); references list each cited record
once. Dates are written the way case notes write them ("14 Feb 2023"). A closing line
says where the text came from and that each reference should be checked in its source.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime

from assistant.contracts import Answer, Citation

CHECK_LINE = (
    "Copied from caselens, which quotes the records and makes no decisions. "
    "Check each reference in its source system before relying on it."
)


def human_date(value: date | datetime | str) -> str:
    """14 Feb 2023."""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    day = value.date() if isinstance(value, datetime) else value
    return f"{day.day} {day:%b %Y}"


@dataclass(frozen=True)
class CaseNote:
    heading: str
    question: str
    #: Each sentence with its citation marks ("... [1][2]").
    lines: list[str]
    #: "[1] LCS case_note LCS-R-1, 14 Feb 2023, Home visit: https://..."
    references: list[str]
    footer: str
    #: Who copied it (the Word document's author).
    user: str


def _reference(c: Citation) -> str:
    title = f", {c.title}" if c.title else ""
    return (
        f"[{c.n}] {c.source_system} {c.record_type.replace('_', ' ')} {c.record_id}, "
        f"{human_date(c.occurred_at)}{title}: {c.source_url}"
    )


def case_note(answer: Answer, user: str, subject_label: str, on: date) -> CaseNote:
    cited = {c.n for c in answer.citations}
    lines = []
    for s in answer.sentences:
        marks = "".join(f"[{n}]" for n in s.citations if n in cited)
        lines.append(f"{s.text} {marks}".strip())
    asked = answer.resolved_question or answer.question
    return CaseNote(
        heading=f"caselens answer about {subject_label}, {human_date(on)}",
        question=asked,
        lines=lines,
        references=[_reference(c) for c in sorted(answer.citations, key=lambda c: c.n)],
        footer=f"{CHECK_LINE} Copied by {user} on {human_date(on)}.",
        user=user,
    )


def as_text(note: CaseNote) -> str:
    parts = [note.heading, f"Question: {note.question}", "", *note.lines]
    if note.references:
        parts += ["", "References", *note.references]
    parts += ["", note.footer]
    return "\n".join(parts) + "\n"


def as_docx(note: CaseNote) -> bytes:
    from docx import Document

    doc = Document()
    doc.core_properties.title = note.heading
    doc.core_properties.author = note.user
    doc.add_heading(note.heading, level=1)
    doc.add_paragraph(f"Question: {note.question}")
    for line in note.lines:
        doc.add_paragraph(line)
    if note.references:
        doc.add_heading("References", level=2)
        for ref in note.references:
            doc.add_paragraph(ref)
    doc.add_paragraph(note.footer).runs[0].italic = True
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
