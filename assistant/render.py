"""Plain-text rendering of an Answer for the terminal and the demo.

Facts are shown with their date, how the record knows it and whose account it is, and
citation numbers; an allegation's recorded outcome sits under it, in the same item, and so
do the other accounts of the same event (another person's, another record's); related
records ("closest") follow under their own heading, never as the answer; sentences the
verifier could not support are listed apart under a warning, never as facts.
"""

from __future__ import annotations

from assistant.contracts import Answer, AnswerSentence
from assistant.reliability import LABELS


def _item(sentence: AnswerSentence) -> str:
    refs = "".join(f"[{n}]" for n in sentence.citations)
    how = sentence.provenance or LABELS.get(sentence.reliability or "unknown", "")
    flag = ""
    if sentence.disputed:
        # A person's own denial is their account, a denial; anything else records a dispute.
        own = sentence.reliability == "self_reported"
        flag = ", a denial" if own else " (disputed in the record)"
    if sentence.outcome and sentence.disputed:
        # A party's answer to the item above (a denial, a dispute): their account of it,
        # never how the matter was settled.
        return f"    disputed by a party: {sentence.text} {refs}  ({how})"
    if sentence.outcome:
        # Part of the item above: how the allegation, concern or incident was resolved.
        return f"    outcome recorded: {sentence.text} {refs}  ({how}{flag})"
    when = sentence.occurred_at.isoformat() if sentence.occurred_at else "undated"
    if sentence.account:
        # Another account of the event above, side by side with it.
        return f"    other account, {when}: {sentence.text} {refs}  ({how}{flag})"
    return f"- {when}: {sentence.text} {refs}  ({how}{flag})"


def render_answer(answer: Answer) -> str:
    lines: list[str] = [f"Q: {answer.question}"]
    for sentence in answer.sentences:
        if sentence.kind in ("refusal", "absence"):
            lines.append(sentence.text)
    for sentence in answer.sentences:
        if sentence.kind == "fact" and sentence.supported:
            lines.append(_item(sentence))
    related = [s for s in answer.sentences if s.kind == "closest" and s.supported]
    if related:
        lines.append("Related records (not a direct answer):")
        lines.extend(f"  {_item(s)}" for s in related)
    unsupported = [s for s in answer.sentences if s.kind == "fact" and not s.supported]
    if unsupported:
        lines.append(
            f"Not shown as fact: {len(unsupported)} sentence(s) their sources do not support."
        )
    if answer.citations:
        lines.append("Sources:")
        for c in answer.citations:
            when = c.occurred_at.isoformat()[:10]
            author = f", {c.author}" if c.author else ""
            lines.append(
                f"  [{c.n}] {c.source_system} {c.record_type} {c.record_id} "
                f"({when}{author}) {c.title} <{c.source_url}>"
            )
    lines.append(
        f"Systems searched: {', '.join(answer.searched_systems) or 'none'}; "
        f"withheld by policy: {answer.withheld_count}"
    )
    return "\n".join(lines)
