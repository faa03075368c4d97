"""Word export of an EHCP draft (python-docx): sections A–K in the familiar layout.

Citations are bracketed references (``[2]``) into the list of advice at the end. Until
the draft is signed off, every page header and the first line say
"DRAFT — AI-assisted, not agreed", and the quality gates are listed for the officer.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor

from assistant.ehcp.advice import ADVICE_LABELS
from assistant.ehcp.model import EhcpDraft, EhcpSection, EhcpSentence

DRAFT_MARK = "DRAFT \u2014 AI-assisted, not agreed"
_SPEAKERS = {"child": "In the child's own words:", "parent": "The parents' / carers' views:"}


def _refs(sentence: EhcpSentence) -> str:
    return "".join(f"[{n}]" for n in sentence.citations)


def _line(sentence: EhcpSentence) -> str:
    refs = _refs(sentence)
    text = f"{sentence.text} {refs}".strip()
    if sentence.need_ids:
        text += f" (addresses needs {', '.join(sentence.need_ids)})"
    return text


def _section_body(doc: DocxDocument, section: EhcpSection, signed_off: bool) -> None:
    if section.status == "left_for_la" and section.review_state != "edited":
        doc.add_paragraph(section.sentences[0].text if section.sentences else "")
        return
    if section.review_state == "rejected":
        rejected = doc.add_paragraph().add_run("Section rejected by the officer; no text agreed.")
        rejected.italic = True
        return
    if section.review_state == "edited" and section.edited_text is not None:
        doc.add_paragraph(section.edited_text)
        if not signed_off:
            doc.add_paragraph(f"(Edited by {section.editor}.)")
        return
    if section.status == "empty":
        para = doc.add_paragraph()
        para.add_run(section.note or "No advice was received for this section.").italic = True
        return
    speaker: str | None = None
    for sentence in section.sentences:
        if section.section == "A" and sentence.speaker != speaker:
            speaker = sentence.speaker
            doc.add_paragraph().add_run(_SPEAKERS.get(speaker or "", "Views:")).bold = True
        style = "List Number" if section.section == "K" else None
        doc.add_paragraph(_line(sentence), style=style)


def export_docx(draft: EhcpDraft, path: str | Path, *, child_label: str | None = None) -> Path:
    """Write ``draft`` as a .docx at ``path``; returns the path."""
    path = Path(path)
    signed_off = draft.status == "signed_off"
    doc = Document()
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(11)
    if not signed_off:
        header = doc.sections[0].header.paragraphs[0]
        header.text = DRAFT_MARK
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        mark = doc.add_paragraph()
        run = mark.add_run(DRAFT_MARK)
        run.bold = True
        run.font.size = Pt(16)
        run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
        mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_heading("Education, Health and Care Plan", level=0)
    doc.add_paragraph(f"Child: {child_label or draft.child}")
    doc.add_paragraph(f"Draft reference: {draft.draft_id}")
    if signed_off:
        doc.add_paragraph(
            f"Signed off by {draft.signed_off_by} on {draft.signed_off_at:%d %B %Y}."
            if draft.signed_off_at
            else f"Signed off by {draft.signed_off_by}."
        )
    for section in draft.sections:
        doc.add_heading(f"Section {section.section}: {section.title}", level=1)
        _section_body(doc, section, signed_off)
    doc.add_heading("References (advice and information cited)", level=1)
    for source in draft.sources:
        label = ADVICE_LABELS.get(source.advice_type, source.title)
        role = f", {source.author_role}" if source.author_role else ""
        doc.add_paragraph(
            f"[{source.n}] {label}{role}, {source.occurred_at:%d %B %Y} "
            f"({source.source_system} {source.record_id})"
        )
    if not signed_off and draft.gates:
        doc.add_heading("Quality checks for the officer", level=1)
        for gate in draft.gates:
            doc.add_paragraph(
                f"Section {gate.section} \u2014 {gate.kind.replace('_', ' ')}: {gate.message}",
                style="List Bullet",
            )
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path
