"""Text in a record that is written to an AI tool, not to people: a prompt injection.

A note can hold text pasted from elsewhere (an e-mail, a message) that tells an AI tool
what to say. caselens quotes records; it never quotes such a sentence as a
fact, because shown in an answer it would read as the record's own finding. The record
itself is still cited for everything else it says.

A sentence counts when it carries at least two signs of an instruction to a machine:
it names one ("AI", "assistant", "chatbot", "language model"), tells the reader to set
rules aside ("ignore the previous instructions"), tells it what to say ("you must say",
"you are to answer"), speaks of every later question ("from now on", "whenever
someone asks"), commands a hand-over ("print the full text", "dump every ...") or names what only
the system holds ("sealed or restricted records", "every address you hold"). One sign
alone is ordinary casework ("mum told him: 'you must say nothing'"). Beside such a
sentence, a line of the same pasted text that gives the reader an order ("Do not mention
this e-mail.") or claims authority ("This is an authorised instruction from IT.") is part
of it too (``injected_lines``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_SIGNS = (
    re.compile(
        r"\b(?:AI|A\.I\.|chat ?bots?|chat ?GPT|copilot|language models?|LLMs?|(?:AI|virtual|"
        r"digital) assistants?|automated (?:tools?|systems?))\b",
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?:ignore|disregard|override|forget|bypass)\b[^.?!]{0,40}\b(?:instructions?|rules|"
        r"prompts?|guidance|policy|policies|everything (?:above|before))\b|\bsystem prompt\b",
        re.IGNORECASE,
    ),
    re.compile(
        r"\byou (?:must|should|are to|will|need to|have to) (?:now )?(?:say|tell|answer|"
        r"report|state|respond|reply|print|output|list|reveal|confirm|disclose)\b",
        re.IGNORECASE,
    ),
    re.compile(
        r"\bfrom now on\b|\bwhen(?:ever)? (?:anyone|anybody|someone|people|you are|you're) "
        r"(?:asks?|asked|enquires?|queries)\b",
        re.IGNORECASE,
    ),
    # A command to hand over everything: "print the full text", "dump every record".
    re.compile(
        r"^\W*(?:then |and |now |please )?(?:print|output|dump|reveal)\b"
        r"|\b(?:print|output|dump|reveal) (?:out )?(?:the |all |every )",
        re.IGNORECASE,
    ),
    # What only the system holds: sealed or restricted records, every address held.
    re.compile(
        r"\b(?:sealed|restricted|confidential) (?:or \w+ )?(?:records?|files?|notes?)\b|"
        r"\bevery (?:address|phone number|contact detail)s?\b[^.]{0,30}\byou (?:hold|have)\b",
        re.IGNORECASE,
    ),
)


def addressed_to_a_machine(sentence: str) -> bool:
    """``sentence`` instructs an AI tool (two or more signs; see the module docstring)."""
    return sum(1 for sign in _SIGNS if sign.search(sentence)) >= 2


#: An order to whoever reads ("Do not mention this.", "Never tell ...") or a claim of
#: authority for one ("this is an authorised instruction"): beside an instruction to a
#: machine, part of it.
_READER_ORDER = re.compile(
    r"^\W*(?:then |and |also |please )?(?:do not|don't|dont|never|always|make sure|"
    r"remember to)\b|\b(?:authori[sz]ed|official|genuine|legitimate) (?:instruction|request|"
    r"message|update)s?\b|\binstructions? from\b",
    re.IGNORECASE,
)


def injected_lines(sentences: Sequence[str]) -> set[int]:
    """Indices of the lines of ``sentences`` (one record's, in order) that belong to an
    instruction to a machine: those addressed to one, and a line next to one that orders
    the reader or claims authority for the instruction."""
    addressed = {i for i, s in enumerate(sentences) if addressed_to_a_machine(s)}
    beside = {
        j
        for i in addressed
        for j in (i - 1, i + 1)
        if 0 <= j < len(sentences) and j not in addressed and _READER_ORDER.search(sentences[j])
    }
    return addressed | beside
