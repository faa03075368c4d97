"""Word export of an EHCP draft (python-docx): sections A–K in the familiar layout.

Citations are bracketed references (``[2]``) into the list of advice at the end; an
officer's edit keeps the citations of the AI sentences it still says
(``EhcpSection.final_sentences``). Until the draft is signed off, every page header and
the first line say "DRAFT — AI-assisted, not agreed", and the quality gates are listed for
the officer. Every page footer has its page number; a need -> outcome -> provision table
follows the sections; a signed-off plan prints who signed it, when, and the reason the
officer recorded for each section signed off although incomplete. The document's title
and author properties are the plan and the officer (never the library's default).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.text.paragraph import Paragraph

from assistant.ehcp.advice import ADVICE_LABELS
from assistant.ehcp.model import (
    NEED_SECTIONS,
    PROVISION_SECTIONS,
    EhcpDraft,
    EhcpSection,
    EhcpSentence,
)

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
        why = f": {section.review_reason}" if section.review_reason else ""
        rejected = doc.add_paragraph().add_run(
            f"Section rejected by the officer{why}. No text agreed."
        )
        rejected.italic = True
        return
    if section.status == "empty" and section.review_state != "edited":
        para = doc.add_paragraph()
        para.add_run(section.note or "No advice was received for this section.").italic = True
        return
    speaker: str | None = None
    for sentence in section.final_sentences():
        if section.section == "A" and sentence.speaker != speaker:
            speaker = sentence.speaker
            doc.add_paragraph().add_run(_SPEAKERS.get(speaker or "", "Views:")).bold = True
        style = "List Number" if section.section == "K" else None
        doc.add_paragraph(_line(sentence), style=style)
    if section.review_state == "edited" and not signed_off:
        doc.add_paragraph().add_run(f"(Edited by {section.editor}.)").italic = True


def _page_number(paragraph: Paragraph) -> None:
    """ "Page N" with a PAGE field Word fills in."""
    paragraph.add_run("Page ")
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = "PAGE"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(code)
    run._r.append(end)


def _plan_table(doc: DocxDocument, draft: EhcpDraft) -> None:
    """Need -> outcome -> provision: each need in B/C/D, the outcomes in E that address
    it, and the provision in F/G/H from the same advice."""
    needs = [
        s for sec in draft.sections if sec.section in NEED_SECTIONS for s in sec.final_sentences()
    ]
    if not needs:
        return
    outcomes = draft.section("E").final_sentences()
    provision = [
        (sec.section, s)
        for sec in draft.sections
        if sec.section in PROVISION_SECTIONS
        for s in sec.final_sentences()
    ]
    doc.add_heading("Needs, outcomes and provision", level=1)
    table = doc.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, label in zip(table.rows[0].cells, ("Need", "Outcome", "Provision"), strict=True):
        cell.text = label
        cell.paragraphs[0].runs[0].bold = True
    for need in needs:
        row = table.add_row().cells
        row[0].text = _line(need)
        row[1].text = "\n".join(
            _line(o)
            for o in outcomes
            if need.sid in o.need_ids or set(o.citations) & set(need.citations)
        )
        row[2].text = "\n".join(
            f"{sid}: {_line(p)}" for sid, p in provision if set(p.citations) & set(need.citations)
        )


def export_docx(
    draft: EhcpDraft,
    path: str | Path,
    *,
    child_label: str | None = None,
    child_dob: date | None = None,
) -> Path:
    """Write ``draft`` as a .docx at ``path``; returns the path."""
    path = Path(path)
    signed_off = draft.status == "signed_off"
    doc = Document()
    doc.core_properties.title = "Education, Health and Care Plan"
    doc.core_properties.author = draft.signed_off_by or draft.created_by
    doc.core_properties.last_modified_by = draft.signed_off_by or draft.created_by
    doc.core_properties.subject = "DRAFT \u2014 AI-assisted, not agreed" if not signed_off else ""
    doc.core_properties.comments = ""
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(11)
    footer = doc.sections[0].footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number(footer)
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
    if child_dob is not None:
        doc.add_paragraph(f"Date of birth: {child_dob.day} {child_dob:%B %Y}")
    doc.add_paragraph(f"Plan reference: {draft.draft_id}")
    if signed_off:
        doc.add_paragraph(
            f"Signed off by {draft.signed_off_by} on {draft.signed_off_at:%d %B %Y}."
            if draft.signed_off_at
            else f"Signed off by {draft.signed_off_by}."
        )
        if draft.sign_off_reasons:
            doc.add_paragraph("Signed off with these sections incomplete; the officer's reasons:")
            for sid, why in draft.sign_off_reasons.items():
                doc.add_paragraph(f"Section {sid}: {why}", style="List Bullet")
    for section in draft.sections:
        doc.add_heading(f"Section {section.section}: {section.title}", level=1)
        _section_body(doc, section, signed_off)
    _plan_table(doc, draft)
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
