"""What the audit log records of an answer, the same from the API and the command line:
the records it cites (``SYSTEM:record_id``), whether it was refused, and counts. Never its
text: the question is in the ``question`` entry written before it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.contracts import Answer


def answer_entry(answer: Answer) -> dict[str, Any]:
    """``record_ids``, ``outcome`` and ``detail`` of the ``answer`` entry for ``answer``."""
    return {
        "record_ids": [f"{c.source_system}:{c.record_id}" for c in answer.citations],
        "outcome": "refused" if answer.refused else "ok",
        "detail": {
            "answer_id": answer.answer_id,
            "sentences": len(answer.sentences),
            "withheld_count": answer.withheld_count,
        },
    }
