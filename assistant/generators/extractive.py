"""The embedded default generator: quotes the source sentences that answer the question.

No model writes anything: every output sentence is a whole sentence of a retrieved,
pseudonymised chunk, so it cannot paraphrase, invent or obey text inside a note. It picks
sentences by their relevance to the question (``assistant.relevance``: meaning, words,
search rank and topic cues together), covering every answering record before quoting more
of any one, merges the same fact recorded in several systems into one sentence with all
its citations, and orders history answers chronologically, each item with its date and
how the record knows it. When nothing reaches the answer threshold it offers the closest
sentences, marked as such (``kind="closest"``), and only when nothing comes near at all
does it return no sentence, which the service reports as nothing recorded.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Literal

import numpy as np

from assistant.accounts import (
    AccountSettings,
    Role,
    consent_only,
    event_words,
    identifies_only,
    names_a_section,
    repeats_title,
    side_by_side,
)
from assistant.contracts import DraftSentence, NumberedSource
from assistant.embedder import TextEmbedder
from assistant.injection import injected_lines
from assistant.outcomes import (
    another_day,
    arrest,
    arrest_disposal,
    arrived_later,
    claim_cue,
    closes_quote,
    concern_log,
    concluding_section,
    continues_account,
    decides_record,
    earlier_matter,
    earlier_outcome,
    ends_matter,
    final_disposition,
    headed_outcome,
    is_decision,
    is_disputed,
    many_matters,
    matter_words,
    new_entry,
    one_matter,
    opens_quote,
    outcome_cue,
    outcome_line,
    person_disposal,
    points_back,
    police_encounter,
    reason_line,
    receipt,
    refers_back,
    risk_answer,
    search_finding,
    single_event,
    unresolved,
)
from assistant.prompt_files import PromptFile
from assistant.relevance import Candidate, RelevanceModel, RelevanceThresholds, SignalRelevance
from assistant.reliability import (
    Provenance,
    RecordContext,
    ReliabilityClassifier,
    SourceClassifier,
    section_heading,
)
from assistant.text import (
    content_words,
    list_item,
    placeholders,
    split_sentences,
    without_naming_words,
)
from assistant.topics import question_topics, sentence_topics
from retrieval.records import as_day

#: Routine administrative sentences: true, but never an answer to anything.
_ADMIN = re.compile(
    r"\b(?:informed|logged on|to be discussed|updated|up to date|consent (?:for|obtained)|"
    r"leaflets|supervision|plan reviewed|next (?:visit|session)|booked|to be confirmed|"
    r"signposted|outcome star|conditions explained|statement provided|"
    r"notified where relevant|composition confirmed|sustainment support|read alongside|"
    r"happy to (?:attend|discuss)|taken into account|should be in place|should be specific|"
    r"body worn|intelligence report|words of advice|lived experience|recording completed|"
    r"dear colleague|yours sincerely|care pathway|named nurse|contact number|email on file|"
    r"please call|first appointment)\b",
    re.IGNORECASE,
)
#: Longest sentence that can be an administrative line.
_ADMIN_MAX_WORDS = 16
_HISTORY = re.compile(
    r"\bhistory\b|\bchronolog|\bover time\b|\bsince\b|\bwhen\b|\bpast\b|\bprevious|\bever\b|"
    r"\bhow has\b|\btimeline\b|\bhas there been\b|\bhave there been\b|\bbeen\b",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=16384)
def _is_admin(sentence: str) -> bool:
    """A short routine line ("parents informed", "next visit booked"); a long sentence
    that happens to use one of the words carries facts. Memoised: the same retrieved
    sentences come back question after question."""
    return len(sentence.split()) <= _ADMIN_MAX_WORDS and bool(_ADMIN.search(sentence))


#: A question about what such lines hold: a date of birth, an identifier, who attended.
_ASKS_IDENTITY = re.compile(
    r"\b(?:dob|date of birth|born|birthday|how old|age|nhs|upn|ni number|reference|ref|"
    r"attended|attendees|present|who (?:was|were) (?:there|at))\b",
    re.IGNORECASE,
)


#: Sentences before a candidate given to the source-of-knowledge classifier.
_PREVIOUS = 3


def _account_of_event(cand: _Candidate, provenance: Provenance) -> bool:
    """Somebody's account in a record of one event (a police log of a call: "REPORTS
    TODDLER ALONE IN FLAT", "[Child 1] STATED ..."), or what a log of one concern records as
    seen or said ("slurred speech in class", "told her teacher mum was crying"): a
    claim about that event or concern, so it carries its outcomes. A line of consent
    ("mum consented to Early Help") is nobody's account of the event."""
    if consent_only(cand.text):
        return False
    kinds: tuple[str, ...] = ("self_reported", "third_party_allegation")
    if concern_log(cand.context.record_type):
        kinds = (*kinds, "observed")
    elif not single_event(cand.context.record_type):
        return False
    return provenance.reliability in kinds


def _unit(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to length one, so a dot product is the cosine similarity."""
    out = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norms == 0, 1.0, norms)


def is_history_question(question: str) -> bool:
    return bool(_HISTORY.search(question))


@dataclass
class _Candidate:
    n: int
    position: int
    text: str
    when: date
    words: set[str]
    people: set[str]
    record: str = ""
    citations: list[int] = field(default_factory=list)
    #: How well the sentence answers, among its record's sentences.
    score: float = 0.0
    #: Relevance of its record to the question in [0, 1] (``assistant.relevance``).
    record_score: float = 0.0
    #: Shares a word with the question, or is very close to it in meaning.
    evidence: bool = False
    #: Who wrote the record and what kind it is (for the source of knowledge).
    context: RecordContext = field(default_factory=RecordContext)


#: A year on its own ("in 2019"), not one inside a date ("03/02/2019").
_YEAR = re.compile(r"(?<![/\-.\d])(?:19|20)\d{2}(?![/\-.\d])")


#: Most lines shown after a claim as going on with its account ("STATES ...").
_CONTINUATIONS = 3
#: An outcome this close after its claim answers it before any other finding.
_ANSWERS_NEXT = 2
#: Most lines shown after a sentence to close the quotation it opens.
_QUOTE_LINES = 2


#: A receipt among a record's first sentences is the record's reason ("Reason for
#: assessment: ...", "Referral received from school ..."), not one item of many.
_HEAD_OF_RECORD = 4


def _by_place(candidates: list[_Candidate]) -> dict[tuple[int, int], _Candidate]:
    """Each candidate by its chunk and place in it, to walk on to the lines after it."""
    return {(c.n, c.position): c for c in candidates}


def _following(
    at: dict[tuple[int, int], _Candidate], cand: _Candidate, limit: int
) -> list[_Candidate]:
    """Up to ``limit`` lines after ``cand`` in its chunk, in order."""
    out: list[_Candidate] = []
    nxt = at.get((cand.n, cand.position + 1))
    while nxt is not None and len(out) < limit:
        out.append(nxt)
        nxt = at.get((nxt.n, nxt.position + 1))
    return out


def _same_line(a: str, b: str) -> bool:
    """The same line of a record in two chunks: chunks overlap, and a line cut at a
    chunk's end is the start of the same line in the next chunk."""
    a, b = a.strip(), b.strip()
    return a == b or (min(len(a), len(b)) >= 20 and (a.startswith(b) or b.startswith(a)))


def _record_after(
    candidates: list[_Candidate], cand: _Candidate, limit: int
) -> Iterator[_Candidate]:
    """Up to ``limit`` lines after ``cand`` in its record, in order: on in its chunk, then,
    where the chunk ends, in another chunk of the record that holds the same line (chunks
    overlap). A line left out of the candidates (a number, a name alone) is stepped over;
    the walk stops where the lines run out."""
    at = _by_place(candidates)
    visited = {(cand.n, cand.position)}
    current, count = cand, 0
    while count < limit:
        nxt = at.get((current.n, current.position + 1)) or at.get((current.n, current.position + 2))
        if nxt is None:
            # The chunk ends here: the same line in another chunk of the record goes on.
            nxt = next(
                (
                    c
                    for c in candidates
                    if c.record == current.record
                    and (c.n, c.position) not in visited
                    and c.n != current.n
                    and _same_line(c.text, current.text)
                    and (c.n, c.position + 1) in at
                ),
                None,
            )
            if nxt is None:
                return
            visited.add((nxt.n, nxt.position))
            current = nxt
            continue
        if (nxt.n, nxt.position) in visited:
            return
        visited.add((nxt.n, nxt.position))
        count += 1
        current = nxt
        yield nxt


#: A list's next item ("- DA incident ..."): another matter starts.


def _ending(
    candidates: list[_Candidate],
    cand: _Candidate,
    limit: int,
    ends: Callable[[str], bool],
) -> _Candidate | None:
    """The first line of ``cand``'s record within ``limit`` lines after it that ``ends``
    it, before any line that starts another matter: another arrest or police find, a new
    item of a list, a new dated entry, an earlier matter recalled."""
    for nxt in _record_after(candidates, cand, limit):
        if _same_line(nxt.text, cand.text):
            continue
        if list_item(nxt.text) or new_entry(nxt.text) or earlier_matter(nxt.text):
            return None
        if ends(nxt.text):
            return nxt
        if police_encounter(cand.text) and police_encounter(nxt.text) and _same_find(cand, nxt):
            continue  # the same find told again ("Police - located at 06:10 ..."): go on
        if arrest(nxt.text) or police_encounter(nxt.text):
            return None
    return None


def _same_find(a: _Candidate, b: _Candidate) -> bool:
    """Two lines telling one police find (two words of the event in common: "located by
    police at a flat with cash" / "Police - located 06:10 at the flat with two males")."""
    return len(event_words(a.words) & event_words(b.words)) >= 2


def _earlier_years(cand: _Candidate) -> set[int]:
    """Years up to twenty before the record that the sentence names: an earlier matter
    ("in 2019"), not an Act ("CYPA 1933") or an officer's number ("PC 1956")."""
    return {
        year
        for year in map(int, _YEAR.findall(cand.text))
        if cand.when.year - 20 <= year < cand.when.year
    }


def _merged(group: list[_Candidate]) -> _Candidate:
    """One sentence (the earliest) citing every system that recorded the fact."""
    first = group[0]
    return replace(
        first,
        citations=[c for cand in group for c in cand.citations],
        score=max(c.score for c in group),
        record_score=max(c.record_score for c in group),
        evidence=any(c.evidence for c in group),
    )


@dataclass(frozen=True)
class ExtractiveSettings:
    #: Most sentences in a direct answer (a short chronology, not a wall of text).
    max_sentences: int = 12
    #: Most sentences quoted from one record, so an answer covers every record that
    #: answers the question before it says more from any one of them.
    per_record: int = 6
    #: Records offered as "the closest records" when nothing answers directly.
    closest: int = 4
    #: Related records (relevant, no sentence answering directly) shown after a direct
    #: answer, one sentence each.
    related: int = 10
    #: Only the best-ranked chunks' sentences are scored (each costs an embedding).
    max_chunks: int = 48
    #: Two sentences are one fact when their content words overlap this much ...
    duplicate_jaccard: float = 0.6
    #: ... and they were recorded this close together.
    duplicate_days: int = 45
    #: Penalty on an administrative line ("leaflets given", "next visit booked").
    admin_penalty: float = 0.15
    #: Penalty on a heading that only identifies its subject or lists who was there
    #: ("DOB ...", "Present: ..."): a record's other sentences come first, even as related.
    listing_penalty: float = 1.0
    #: Bonus for a sentence that directly answers (``assistant.relevance`` evidence).
    evidence_bonus: float = 0.2
    #: Bonus for a sentence that names a person the question names.
    named_person_bonus: float = 0.15
    #: Penalty on a sentence only about people the question does not name.
    other_person_penalty: float = 0.15
    #: Most outcome sentences shown under one allegation, concern, referral or incident.
    outcomes_per_claim: int = 2
    #: An outcome in the claim's own chunk lies at most this many sentences after it.
    outcome_window: int = 8
    #: What an arrest came to (released, charged, bailed) lies at most this many lines
    #: after it in its record; what the police did with a person they found, at most
    #: ``encounter_window`` lines after the find.
    arrest_window: int = 3
    encounter_window: int = 5
    #: A record of this many sentences (not a log of one event or concern) covers many
    #: matters: a decision in it is the outcome only of the items it is about.
    many_matters_sentences: int = 15
    #: MiniLM similarity at which a sentence is about the same matter as a claim with no
    #: word in common ("slurred speech" / "denied drinking").
    same_matter_similarity: float = 0.3
    #: Other accounts of a claim's event shown under it (``assistant.accounts``).
    accounts: AccountSettings = field(default_factory=AccountSettings)


class ExtractiveGenerator:
    """Generator "extractive": selection, de-duplication and ordering of source sentences."""

    name = "extractive"
    #: No model and no prompt: every sentence is a source's own.
    model: str | None = None
    prompt: PromptFile | None = None

    def build_messages(
        self, question: str, sources: Sequence[NumberedSource]
    ) -> dict[str, list[str]]:
        """What it is given, as a trace records it: the source chunks, by id."""
        return {"sources": [s.chunk.chunk_id for s in sources]}

    def __init__(
        self,
        embedder: TextEmbedder,
        settings: ExtractiveSettings | None = None,
        *,
        relevance: RelevanceModel | None = None,
        thresholds: RelevanceThresholds | None = None,
        reliability: SourceClassifier | None = None,
    ) -> None:
        self._embedder = embedder
        self._reliability: SourceClassifier = (
            reliability if reliability is not None else ReliabilityClassifier(embedder)
        )
        self._settings = settings or ExtractiveSettings()
        self._relevance: RelevanceModel = (
            relevance if relevance is not None else SignalRelevance(embedder)
        )
        self._thresholds = thresholds or RelevanceThresholds()

    def warm(self) -> None:
        """Load the source-of-knowledge parser on a fixed sentence (no case data)."""
        self._reliability.classify("Mum said the children were asleep.")

    def generate(
        self,
        question: str,
        sources: Sequence[NumberedSource],
        *,
        history: Sequence[str] = (),
        about: frozenset[str] = frozenset(),
    ) -> Iterator[DraftSentence]:
        candidates = self._candidates(sources)
        self._score(question, sources, candidates, about)
        chosen, kind = self._select(candidates)
        dated = question_topics(question) or is_history_question(question)
        # Direct answers first (in date order for history and topic questions); then the
        # other relevant records, offered as related ("closest"), never as the answer.
        chosen.sort(key=lambda c: (not c.evidence, *((c.when,) if dated else ())))
        chosen = self._with_continuations(chosen, candidates)
        provenance = self._reliability.classify_many(
            [c.text for c in chosen], [c.context for c in chosen]
        )
        items = self._with_outcomes(chosen, provenance, candidates, kind)
        shown = self._whole_quotes(
            self._with_accounts(items, candidates, sources, kind), candidates
        )
        for cand, prov, role in shown:
            yield DraftSentence(
                text=cand.text,
                citations=tuple(sorted(set(cand.citations))),
                occurred_at=cand.when,
                reliability=prov.reliability,
                kind="fact" if (kind == "fact" and cand.evidence) or role != "item" else "closest",
                source=prov.source,
                provenance=prov.label(),
                outcome=role == "outcome",
                account=role == "account",
            )

    def _is_claim(self, sentence: str, provenance: Provenance) -> bool:
        """An allegation, concern, referral or incident (``SourceClassifier.is_claim``);
        never a line of consent ("mum consented to Early Help"), whoever relayed it: the
        incident's outcome and a party's denial do not go under it."""
        return not consent_only(sentence) and self._reliability.is_claim(sentence, provenance)

    def _with_accounts(
        self,
        items: list[tuple[_Candidate, Provenance, bool]],
        candidates: list[_Candidate],
        sources: Sequence[NumberedSource],
        kind: Literal["fact", "closest"],
    ) -> list[tuple[_Candidate, Provenance, Role]]:
        """Each claim's other accounts of its event under it (``assistant.accounts``)."""
        if kind != "fact":
            return [(c, p, "outcome" if o else "item") for c, p, o in items]
        titles = {s.n: s.chunk.title for s in sources}
        return side_by_side(
            items,
            candidates,
            classify=lambda cs: self._reliability.classify_many(
                [c.text for c in cs], [c.context for c in cs]
            ),
            is_claim=self._is_claim,
            title=lambda c: titles.get(c.n, ""),
            same_matter=lambda a, b, margin: (
                self._similar(a, [b])[0][b.text] >= self._settings.same_matter_similarity - margin
            ),
            settings=self._settings.accounts,
        )

    def _whole_quotes(
        self, shown: list[tuple[_Candidate, Provenance, Role]], candidates: list[_Candidate]
    ) -> list[tuple[_Candidate, Provenance, Role]]:
        """A shown sentence that opens a quotation its sentence does not close ("PREPARED
        STATEMENT - 'I ONLY HELD THE BAG." cut at the full stop) is followed by the next
        lines of its chunk up to the one that closes it, with the same role and source: a
        person's words are shown whole, never cut short."""
        at = _by_place(candidates)
        texts = {c.text for c, _, _ in shown}
        out: list[tuple[_Candidate, Provenance, Role]] = []
        for cand, prov, role in shown:
            out.append((cand, prov, role))
            if not opens_quote(cand.text):
                continue
            rest: list[_Candidate] = []
            # The same line in each chunk of the record that holds it (chunks overlap, and
            # a quotation cut at a chunk's end goes on in the next one).
            for same in [c for c in candidates if c.record == cand.record and c.text == cand.text]:
                rest = []
                for nxt in _following(at, same, _QUOTE_LINES):
                    rest.append(nxt)
                    if closes_quote(nxt.text):
                        break
                if rest and closes_quote(rest[-1].text):
                    break
            if not rest or not closes_quote(rest[-1].text):
                continue  # where it ends is not in the chunk: leave it as it is
            for line in rest:
                if line.text not in texts:
                    texts.add(line.text)
                    out.append((replace(line, evidence=cand.evidence), prov, role))
        return out

    # --- outcomes -------------------------------------------------------------------------

    def _with_continuations(
        self, chosen: list[_Candidate], candidates: list[_Candidate]
    ) -> list[_Candidate]:
        """Each chosen allegation, call or referral followed by the next lines of its
        chunk that go on with its account, their subject dropped ("CALLER: ANON
        (NEIGHBOUR)." then "REPORTS TODDLER ALONE IN FLAT." and "STATES MUM IS OFTEN
        OUT."): the line naming who called says nothing of what they alleged, which
        those lines say, each with its outcome (``_with_outcomes``)."""
        at = _by_place(candidates)
        follow: dict[str, list[_Candidate]] = {}
        for cand in chosen:
            if not (cand.evidence and claim_cue(cand.text)) or cand.text in follow:
                continue
            lines: list[_Candidate] = []
            for nxt in _following(at, cand, _CONTINUATIONS):
                if not continues_account(nxt.text) or nxt.text == cand.text:
                    break
                lines.append(replace(nxt, evidence=True, record_score=cand.record_score))
            if lines:
                follow[cand.text] = lines
        if not follow:
            return chosen
        moved = {c.text for lines in follow.values() for c in lines}
        out: list[_Candidate] = []
        done: set[str] = set()
        for cand in chosen:
            if cand.text in moved and cand.text not in follow:
                continue  # shown after the line whose account it goes on with
            for line in (cand, *follow.get(cand.text, ())):
                if line.text not in done:
                    out.append(line)
                    done.add(line.text)
        return out

    def _with_outcomes(
        self,
        chosen: list[_Candidate],
        provenance: list[Provenance],
        candidates: list[_Candidate],
        kind: Literal["fact", "closest"],
    ) -> list[tuple[_Candidate, Provenance, bool]]:
        """The chosen sentences in order, each allegation, concern, referral or incident
        followed by the sentences of the same record that record its outcome (a chosen
        outcome sentence moves under its claim; nothing chosen is dropped)."""
        plain = [(c, p, False) for c, p in zip(chosen, provenance, strict=True)]
        if kind != "fact":
            return plain
        # Allegations, concerns and referrals first, then the other accounts of an event
        # or concern, so a record's outcome sits under the claim it resolves.
        claims = sorted(
            (
                (c, p)
                for c, p in zip(chosen, provenance, strict=True)
                if c.evidence and (self._is_claim(c.text, p) or _account_of_event(c, p))
            ),
            key=lambda cp: not self._is_claim(cp[0].text, cp[1]),
        )
        # Last, the police finding someone ("located by officers at a flat with cash"):
        # its ending is what they did with the person, unless it is itself the outcome of
        # a claim above (where a missing child was found).
        listed = {c.text for c, _ in claims}
        encounters = [
            (c, p)
            for c, p in zip(chosen, provenance, strict=True)
            if c.evidence and c.text not in listed and police_encounter(c.text)
        ]
        # And someone arrested ("J arrested", "found and arrested at the station"): its ending
        # is what came of the arrest, in the next lines of its record only.
        found_by_police = {c.text for c, _ in encounters}
        arrests = [
            (c, p)
            for c, p in zip(chosen, provenance, strict=True)
            if c.evidence
            and c.text not in listed
            and c.text not in found_by_police
            and arrest(c.text)
        ]
        if not claims and not encounters and not arrests:
            return plain
        attached: dict[str, list[_Candidate]] = {}
        used: set[str] = set(listed)
        # A caller's line whose account the next lines go on with ("STATES ..."): the
        # outcomes are of what those lines allege, shown under them.
        places = {(c.n, c.position) for c in chosen if continues_account(c.text)}
        only_arrests = {c.text for c, _ in arrests}
        for claim, _ in [*claims, *encounters, *arrests]:
            if claim.text in used and claim.text not in listed:
                continue  # shown as a claim's outcome
            if (claim.n, claim.position + 1) in places and not continues_account(claim.text):
                continue
            found = [] if claim.text in only_arrests else self._outcomes_of(claim, candidates, used)
            found = self._with_endings(claim, found, candidates, used)
            used.update(o.text for o in found)
            if found:
                attached[claim.text] = found
        if not attached:
            return plain
        moved = {o.text for found in attached.values() for o in found}
        out: list[tuple[_Candidate, Provenance, bool]] = []
        for cand, prov in zip(chosen, provenance, strict=True):
            if cand.text in moved:
                continue
            out.append((cand, prov, False))
            found = attached.get(cand.text, [])
            if found:
                found_prov = self._reliability.classify_many(
                    [o.text for o in found], [o.context for o in found]
                )
                out.extend((o, p, True) for o, p in zip(found, found_prov, strict=True))
        return out

    def _with_endings(
        self,
        claim: _Candidate,
        found: list[_Candidate],
        candidates: list[_Candidate],
        used: set[str],
    ) -> list[_Candidate]:
        """``found`` with how an arrest or a police find ended, from the next lines of the
        same record (``_ending``): an arrest shown without what came of it ("Released
        under investigation" on the next line) takes it first; a police find (the claim,
        or a find shown as its outcome: "located by the patrol ...") takes what the police
        did with the person ("No arrest - dealt with as a victim") after it. Never a line
        already shown under another claim, and never past a line that starts another
        matter."""
        taken = {claim.text, *used, *(o.text for o in found)}

        def ending(line: _Candidate, limit: int, ends: Callable[[str], bool]) -> _Candidate | None:
            end = _ending(candidates, line, limit, ends)
            return end if end is not None and end.text not in taken else None

        out = list(found)
        if arrest(claim.text) and not any(arrest_disposal(o.text) for o in out):
            end = ending(claim, self._settings.arrest_window, arrest_disposal)
            if end is None and single_event(claim.context.record_type):
                # A log of one event heads its ending ("OUTCOME: ..."), however many lines
                # on it stands (up to another arrest or matter).
                end = ending(claim, len(candidates), headed_outcome)
            if end is not None:
                taken.add(end.text)
                out.insert(0, end)
        if arrest(claim.text) and not any(search_finding(o.text) for o in out):
            # What the search the arrest followed found ("FOUND: ..."), before how it ended.
            finds = ending(claim, self._settings.arrest_window, search_finding)
            if finds is not None:
                taken.add(finds.text)
                out.insert(0, finds)
        if police_encounter(claim.text) and not any(person_disposal(o.text) for o in out):
            end = ending(claim, self._settings.encounter_window, person_disposal)
            if end is not None:
                taken.add(end.text)
                out.append(end)
        for find in [o for o in out if police_encounter(o.text)]:
            if any(person_disposal(o.text) for o in out if o is not find):
                continue
            end = ending(find, self._settings.encounter_window, person_disposal)
            if end is not None:
                taken.add(end.text)
                out.insert(out.index(find) + 1, end)
        return out

    def _outcomes_of(
        self, claim: _Candidate, candidates: list[_Candidate], used: set[str]
    ) -> list[_Candidate]:
        """Sentences of the claim's record that resolve it: later in its own chunk (within
        the window) and about the same thing (a word in common, close in meaning, or naming
        the claim: "the allegation was not substantiated"); in another chunk of the record
        only with two words in common or as a decision ("OUTCOME: ...", NFA). A long
        assessment's "denies drinking" is not the outcome of its referral; a record of one
        event or one concern (a police log of a call, a school's log of a concern) has only
        that matter's outcomes, wherever they stand, though a denial there is still only of
        what it denies. At most ``outcomes_per_claim`` decisions and findings, then one
        denial or dispute (``_ranked``)."""
        claim_words = event_words(claim.words)
        matter = one_matter(claim.context.record_type)
        earlier = earlier_matter(claim.text)
        claim_years = _earlier_years(claim)
        heading = receipt(claim.text)
        # A summary of many matters (an assessment, a review, a closure summary): its
        # closure, step-down or threshold decision is the outcome of the matter it names or
        # of the record's reason (a receipt at the head of it), not of every item it lists;
        # an outcome of another day is another event's unless it names the same matter.
        many = many_matters(
            claim.context.record_type,
            sum(1 for c in candidates if c.record == claim.record),
            self._settings.many_matters_sentences,
        )
        # The record's reason: a "Reason:" line, a receipt at its head, or a line under a
        # "Reason for assessment" heading.
        # A later line of the reason that came during the work or names another day ("PPN
        # received during the assessment") is another matter: the overall decision is not
        # its outcome.
        reason = (
            reason_line(claim.text)
            or (heading and claim.position < _HEAD_OF_RECORD)
            or bool(claim.context.heading and reason_line(f"{claim.context.heading}:"))
        ) and not arrived_later(claim.text, claim.context.previous, claim.context.heading)
        one_event = single_event(claim.context.record_type)
        ended: list[_Candidate] = []
        # The police finding someone: what they did with the person ends it, however
        # few words the two lines share ("No arrest - seen as a likely victim").
        encounter = police_encounter(claim.text)
        ends: set[str] = set()
        matter_of_claim = matter_words(event_words(claim.words))
        # A party's answers to a risk assessment ("DASH completed ..." then "disclosed he
        # checks her phone"): the log's ending (its crimes, NFA) is the event's, not theirs.
        risk = risk_answer(claim.context.previous)
        # A log of concerns kept over weeks: a line opening with another day starts a new
        # entry, and what follows it is that entry's.
        entries = (
            [
                (c.n, c.position)
                for c in candidates
                if c.record == claim.record and new_entry(c.text) and c.text != claim.text
            ]
            if concern_log(claim.context.record_type)
            else []
        )
        # First what needs no meaning: where it stands, which year, whether it is an outcome.
        possible: list[tuple[_Candidate, int | None]] = []
        seen: set[str] = {claim.text, *used}
        for cand in candidates:
            if cand.record != claim.record or cand.text in seen:
                continue
            if unresolved(cand.text):
                continue  # still to be found out or done: no outcome of anything
            shares_matter = (risk or many) and bool(
                matter_of_claim & matter_words(event_words(cand.words))
            )
            if risk and not shares_matter:
                continue
            years = _earlier_years(cand)
            if years and not years & claim_years:
                # "Police called out once in 2018 (shouting heard, NFA)": the outcome of an
                # earlier matter of its own year, not of this claim.
                continue
            after = cand.position - claim.position if cand.n == claim.n else None
            # The record's reason takes what its concluding section ("Analysis") found.
            concludes_reason = reason and concluding_section(cand.context.heading)
            if (
                encounter
                and person_disposal(cand.text)
                and self._ends_encounter(claim, cand, candidates)
            ):
                ends.add(cand.text)
            if encounter and police_encounter(cand.text):
                continue  # the same find told again, not how it ended
            if many and not shares_matter:
                if is_decision(cand.text) and not reason:
                    continue  # the record's decision on another matter it lists
                if another_day(claim.text, cand.text) and not reason:
                    continue  # what happened on another day: another event's outcome
            if matter:
                if after is not None and after <= 0:
                    if (
                        one_event
                        and final_disposition(cand.text)
                        and self._reliability.is_outcome(cand.text)
                    ):
                        ended.append(cand)  # how the one event ended, if nothing after says
                    continue
                if entries and any(
                    (claim.n, claim.position) < at < (cand.n, cand.position) for at in entries
                ):
                    continue  # a later dated entry of the log: another matter's outcome
            elif after is not None:
                if not (0 < after <= self._settings.outcome_window) and not (
                    after > 0 and (decides_record(cand.text) or concludes_reason)
                ):
                    continue
            elif (
                len(claim_words & cand.words) < 2
                and cand.text not in ends
                and not outcome_line(cand.text)
                and not decides_record(cand.text)
                and not concludes_reason
            ):
                continue
            # A claim that recalls an earlier matter ("2017 at her old flat") takes that
            # matter's outcome when the next sentence gives it ("NFA at that time").
            recalled = earlier and after == 1 and earlier_outcome(cand.text)
            if earlier and not recalled:
                continue  # the earlier matter's outcome only, never today's
            if recalled or self._reliability.is_outcome(cand.text):
                possible.append((cand, after))
                seen.add(cand.text)
        # Then whether it is about the claim: a word in common, or close in meaning.
        similar, to_subject = self._similar(claim, [c for c, _ in possible])
        kin_named = bool({w for w in claim.words if not w.startswith("[")} - claim_words)
        same: list[_Candidate] = []
        for cand, after in possible:
            about = len(claim_words & cand.words) >= 1 or (
                similar[cand.text] >= self._settings.same_matter_similarity
                # A denial answers what is alleged; a claim that only says a matter
                # arrived ("notification rec'd 09:40") resembles every line of it.
                and not (heading and is_disputed(cand.text))
            )
            # "Says it isn't hers", "Dad denies it": a denial of "it" with no words of
            # its own is of the line just before, whatever else it resembles.
            adjacent = after is not None and 0 < after <= 2 and refers_back(cand.text)
            # What the police did with the person they found ends the encounter.
            about = about or cand.text in ends
            if refers_back(cand.text) and len(event_words(cand.words)) < 2:
                about = False
            # A finding about someone the claim does not name ("[Mother] tired but coping"
            # under "[Child 1] said she got [Child 2] to school") is that person's matter,
            # unless it shares a word with the claim or is a denial just after it (closeness
            # in meaning is not enough: two lines of one family's morning are close). A
            # decision or an ending ("no arrest - [Mother] would not make a complaint") still
            # ends the matter; a claim naming someone by kin ("up with mum") may mean
            # anyone a line names, and a receipt names who raised the matter, not whom it
            # is about.
            if (
                not heading
                and claim.people
                and cand.people
                and not claim.people & cand.people
                and not kin_named
                and not claim_words & cand.words
                and not adjacent
                and not ends_matter(cand.text)
            ):
                continue
            if matter:
                if (
                    is_disputed(cand.text)
                    and not (about or adjacent)
                    and (heading or self._closest_before(cand, candidates) != claim.text)
                ):
                    continue  # a denial of something else the log records
            elif after is not None and not (about or adjacent or points_back(cand.text)):
                continue
            same.append(cand)
        kept = self._ranked(claim, same, similar, to_subject)
        if one_event and not earlier and not any(final_disposition(c.text) for c in kept):
            # A log of one event shows how it ended ("both NFA") over a step on the way
            # ("crimes recorded"), even where the log records the ending before the line
            # shown as the claim.
            final = [c for c in [*same, *ended] if final_disposition(c.text)]
            if final:
                last = max(final, key=lambda c: (c.n == claim.n, c.position))
                steps = [c for c in kept if not is_disputed(c.text)]
                drop = steps[-1] if len(steps) >= self._settings.outcomes_per_claim else None
                kept = [last, *(c for c in kept if c is not drop)]
                if last not in same:
                    same.append(last)
        # In record order, a log of one event's decision (NFA) after the steps on the way
        # to it ("crimes recorded"; its chunks may come in any order), and a party's
        # denial or dispute after what settled the matter: it is their account of it,
        # never read as the outcome.
        same.sort(
            key=lambda c: (
                is_disputed(c.text),
                one_event and is_decision(c.text),
                c.n != claim.n,
                c.n,
                c.position,
            )
        )
        return [c for c in same if c in kept]

    def _ranked(
        self,
        claim: _Candidate,
        outcomes: list[_Candidate],
        similar: dict[str, float],
        to_subject: dict[str, float],
    ) -> list[_Candidate]:
        """Which outcomes to show. A referral, notification, call or concern received
        takes the service's own decision on it first (the record's latest: "Outcome: no
        further action by children's services", "stepped down to Early Help"); an account of
        what happened takes the first decision about it (the incident's: "Police: no
        arrest, NFA"), then the findings closest in meaning to it. Then the denial closest
        to it."""
        where = {id(c): i for i, c in enumerate(sorted(outcomes, key=lambda c: (c.n, c.position)))}
        decisions = sorted(
            (c for c in outcomes if not is_disputed(c.text) and is_decision(c.text)),
            key=lambda c: where[id(c)],
        )

        # The lines just after an account that answer it ("declines to make a complaint",
        # "later said she only saw the end of it") first, nearest first; then
        # by meaning.
        def next_to_claim(c: _Candidate) -> int:
            after = c.position - claim.position if c.n == claim.n else 0
            return after if 0 < after <= _ANSWERS_NEXT else _ANSWERS_NEXT + 1

        findings = sorted(
            (c for c in outcomes if not is_disputed(c.text) and not is_decision(c.text)),
            key=lambda c: (next_to_claim(c), -to_subject[c.text]),
        )
        disputes = sorted(
            (c for c in outcomes if is_disputed(c.text)), key=lambda c: -similar[c.text]
        )
        if receipt(claim.text):
            ranked = decisions[::-1] + findings
        else:
            ranked = decisions[:1] + findings + decisions[1:]
        return ranked[: self._settings.outcomes_per_claim] + disputes[:1]

    def _ends_encounter(
        self, claim: _Candidate, disposal: _Candidate, candidates: list[_Candidate]
    ) -> bool:
        """``disposal`` (arrested or not, charged, released) is what the police did at the
        end of ``claim``'s encounter: the nearest line before it in its chunk that records
        the police finding someone is the claim, or tells the same encounter again (two
        words in common: "Police - located at 06:10 at the flat ..." under "located by
        police at a flat with cash")."""
        before = [
            c
            for c in candidates
            if c.n == disposal.n and c.position < disposal.position and police_encounter(c.text)
        ]
        if not before:
            return False
        nearest = max(before, key=lambda c: c.position)
        return nearest.text == claim.text or _same_find(nearest, claim)

    def _closest_before(self, denial: _Candidate, candidates: list[_Candidate]) -> str:
        """Of the lines of its record before it (with words of their own), the one a
        denial is closest to in meaning: in a log of one concern, what it denies ("denied
        drinking" after "slurred speech", not after "arrived late")."""
        before = list(
            dict.fromkeys(
                c.text
                for c in candidates
                if c.record == denial.record
                and (c.n, c.position) < (denial.n, denial.position)
                and c.text != denial.text
                and len(event_words(c.words)) >= 2
                # A denial answers what was said or seen, not another finding.
                and not outcome_cue(c.text)
            )
        )
        if not before:
            return ""
        vectors = _unit(self._embedder.encode([denial.text, *before]))
        return before[int(np.argmax(vectors[1:] @ vectors[0]))]

    def _similar(
        self, claim: _Candidate, others: list[_Candidate]
    ) -> tuple[dict[str, float], dict[str, float]]:
        """MiniLM similarity of each sentence to the claim, and to what the claim is about:
        the claim, or for a claim that only says a matter arrived ("Reported missing by
        his carer at 23:00") the claim or its record's title, whichever is closer."""
        if not others:
            return {}, {}
        about = [claim.text]
        if receipt(claim.text) and claim.context.title:
            about.append(claim.context.title)
        texts = list(dict.fromkeys(c.text for c in others))
        vectors = _unit(self._embedder.encode([*about, *texts]))
        sims = vectors[len(about) :] @ vectors[: len(about)].T
        return (
            {t: float(v) for t, v in zip(texts, sims[:, 0], strict=True)},
            {t: float(v) for t, v in zip(texts, sims.max(axis=1), strict=True)},
        )

    # --- selection ------------------------------------------------------------------------

    def _candidates(self, sources: Sequence[NumberedSource]) -> list[_Candidate]:
        out: list[_Candidate] = []
        for source in sources[: self._settings.max_chunks]:
            sentences = split_sentences(source.chunk.text)
            # The record's lines before the chunk: context for its first lines (their
            # section's heading), never candidates.
            lead = split_sentences(source.chunk.lead_in) if source.chunk.lead_in else []
            read_in = [*lead, *sentences]
            injected = injected_lines(read_in)
            for position, sentence in enumerate(sentences):
                at = len(lead) + position
                words = content_words(sentence)
                if sum(1 for w in words if not w.startswith("[")) < 2 and not outcome_cue(sentence):
                    # A heading or a name on its own says nothing; "NFA.", "Dad denies
                    # it." say how a matter ended.
                    continue
                if at in injected:
                    continue  # pasted text telling an AI what to say is not a finding
                out.append(
                    _Candidate(
                        n=source.n,
                        position=position,
                        text=sentence,
                        when=as_day(source.chunk.occurred_at),
                        words=words,
                        people=placeholders(sentence),
                        record=f"{source.chunk.source_system}:{source.chunk.record_id}",
                        citations=[source.n],
                        # The lines before it: a shorthand "STATES ..." goes on with the
                        # account they give ("CALLER: ANON ...").
                        context=RecordContext(
                            source.chunk.author_role,
                            source.chunk.record_type,
                            tuple(read_in[max(0, at - _PREVIOUS) : at]),
                            # "CIN home visit", "Phone call from mum": how its lines are known.
                            source.chunk.title or None,
                            # "Father's view", "Analysis": the section it stands in.
                            section_heading(read_in, at),
                        ),
                    )
                )
        return out

    def _score(
        self,
        question: str,
        sources: Sequence[NumberedSource],
        candidates: list[_Candidate],
        about: frozenset[str],
    ) -> None:
        """Each candidate's relevance to the question, then who it is about."""
        if not candidates:
            return
        topics = question_topics(question)
        by_n = {s.n: s.chunk for s in sources}
        # Chunks arrive in hybrid-search rank order; one rank per chunk.
        ranks = {n: i + 1 for i, n in enumerate(dict.fromkeys(c.n for c in candidates))}
        scored = self._relevance.score(
            question,
            [
                Candidate(
                    text=c.text,
                    title=by_n[c.n].title,
                    chunk_rank=ranks[c.n],
                    topic_match=bool(topics and sentence_topics(c.text, topics)),
                    record=c.record,
                    # No one named and a family subject: every record is about it.
                    about=not about or bool(about & set(by_n[c.n].person_ids)),
                    source=f"{by_n[c.n].source_system} {by_n[c.n].record_type}".replace("_", " "),
                )
                for c in candidates
            ],
        )
        named = placeholders(question)
        # "What is recorded about [Child 2]?", "tell me about [Mother]": a question of
        # nothing but people asks what is recorded of them, which a sentence naming one
        # of them answers. A word just before a placeholder is the person's role as the
        # question rewriter keeps it ("about dad [Father]", "his little sister [Child 2]"),
        # so it names them too.
        # A two-letter abbreviation ("any DV for mum?") is a topic, though too short to
        # be a content word.
        asked = without_naming_words(question)
        words = content_words(asked)
        topic = re.search(r"\b[A-Z]{2}\b", re.sub(r"\[[^\]]*\]", " ", asked))
        only_people = bool(named) and not topic and all(w.startswith("[") for w in words)
        asks_identity = bool(_ASKS_IDENTITY.search(question))
        for cand, s in zip(candidates, scored, strict=True):
            evidence = s.evidence or (only_people and bool(cand.people & named))
            # A heading that identifies the subject, or a list of who was there, answers
            # only a question asking for it.
            # A section's heading ("Parents' views"), or the record's title again, never does.
            listing = (
                (not asks_identity and identifies_only(cand.text))
                or names_a_section(cand.text)
                or repeats_title(cand.text, by_n[cand.n].title)
            )
            evidence = evidence and not listing
            score = s.relevance + (self._settings.evidence_bonus if evidence else 0.0)
            if _is_admin(cand.text):
                score -= self._settings.admin_penalty
            if listing:
                score -= self._settings.listing_penalty
            if named and cand.people:
                if cand.people & named:
                    score += self._settings.named_person_bonus
                else:
                    score -= self._settings.other_person_penalty
            cand.score = score
            cand.record_score = s.record_relevance
            if only_people and evidence:
                # Its record says something of the person asked about: it answers.
                cand.record_score = max(cand.record_score, self._thresholds.answer)
            # An administrative line ("parents informed", "next visit booked") never answers.
            cand.evidence = evidence and not _is_admin(cand.text)

    def _select(
        self, candidates: list[_Candidate]
    ) -> tuple[list[_Candidate], Literal["fact", "closest"]]:
        """The sentences that answer, or the closest ones, or none (nothing recorded)."""
        if not candidates:
            return [], "fact"
        t = self._thresholds
        best = max(c.record_score for c in candidates)
        ranked = sorted(candidates, key=lambda c: (-c.record_score, -c.score))
        if best < t.absent:
            return [], "fact"
        if best < t.answer or not any(c.evidence for c in candidates):
            # Nothing answers directly: the nearest sentences, best sentence first.
            nearest = sorted(candidates, key=lambda c: (-c.score, -c.record_score))
            return self._per_record(nearest, self._settings.closest, 1, by="sentence"), "closest"
        floor = max(t.floor, t.relative * best)
        # A record with a sentence that directly answers needs only the floor; one
        # without needs to be nearly as relevant as the best record.
        evidenced = {c.record for c in candidates if c.evidence}
        strong = max(floor, t.without_evidence * best)
        keep = [c for c in ranked if c.record_score >= (floor if c.record in evidenced else strong)]
        # The same fact recorded by several systems becomes one sentence citing them all,
        # before choosing, so it takes one place in the answer.
        merged = [_merged(g) for g in self._duplicate_groups(keep)]
        merged.sort(key=lambda c: (-c.record_score, -c.score))
        chosen = self._per_record(
            merged,
            self._settings.max_sentences,
            self._settings.per_record,
            t.sentence_relative * max(c.score for c in candidates),
            related=self._settings.related,
        )
        return sorted(chosen, key=lambda c: -c.record_score), "fact"

    def _per_record(
        self,
        ranked: list[_Candidate],
        cap: int,
        per_record: int,
        more_from: float = 0.0,
        by: Literal["record", "sentence"] = "record",
        related: int | None = None,
    ) -> list[_Candidate]:
        """The answer: each answering record's best sentence (every answering record gets
        a voice), then their other sentences scoring at least ``more_from``, up to ``cap``
        sentences and ``per_record`` of one record. Then the related records (no sentence
        answers directly), one sentence each, up to ``related`` of them (``cap`` when
        not given)."""
        by_record: dict[str, list[_Candidate]] = {}
        for cand in ranked:
            by_record.setdefault(cand.record, []).append(cand)
        for sentences in by_record.values():
            # A record answers through the sentence that answers: one that only resembles
            # the question more ("ran to mum when she got in", asked whether mum left the
            # children) must not stand for the record and leave it unanswered. Only a
            # sentence near the best in meaning does: a word met by chance far down ("past"
            # in "pasta") makes no answer of its record.
            sentences.sort(
                key=lambda c: (
                    by == "record" and not (c.evidence and c.score >= more_from),
                    -c.score,
                )
            )
        # By relevance: of the record, or, for the closest records, of its best sentence.
        order = sorted(
            by_record,
            key=lambda r: (
                -(by_record[r][0].score if by == "sentence" else by_record[r][0].record_score)
            ),
        )
        answering = [r for r in order if by_record[r][0].evidence]
        extra = (c for r in answering for c in by_record[r][1:] if c.score >= more_from)
        chosen: list[_Candidate] = []
        taken: dict[str, int] = {}
        for cand in [by_record[r][0] for r in answering] + sorted(extra, key=lambda c: -c.score):
            if len(chosen) < cap and taken.get(cand.record, 0) < per_record:
                chosen.append(cand)
                taken[cand.record] = taken.get(cand.record, 0) + 1
        # Related records come after the whole direct answer, so they never crowd out a
        # detail of an answering record (where a missing child was found).
        others = [by_record[r][0] for r in order if r not in answering]
        return chosen + others[: cap if related is None else related]

    def _duplicate_groups(self, candidates: list[_Candidate]) -> list[list[_Candidate]]:
        """The same fact from several systems: groups whose first member is kept."""
        groups: list[list[_Candidate]] = []
        for cand in sorted(candidates, key=lambda c: (c.when, c.n, c.position)):
            for group in groups:
                if self._same_fact(cand, group[0]):
                    group.append(cand)
                    break
            else:
                groups.append([cand])
        return groups

    def _same_fact(self, a: _Candidate, b: _Candidate) -> bool:
        if abs((a.when - b.when).days) > self._settings.duplicate_days:
            return False
        if a.people and b.people and not (a.people & b.people):
            return False
        union = a.words | b.words
        jaccard = len(a.words & b.words) / len(union) if union else 1.0
        return jaccard >= self._settings.duplicate_jaccard
