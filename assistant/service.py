"""AnswerService: question in, cited Answer out (or a stream of sentences, then the Answer).

The steps, in an order no text inside a record can change: resolve the follow-up against
the conversation, refuse decision requests (keeping their factual core), retrieve with the
caller's principal and subject only, number the sources, generate, verify every citation,
say plainly when nothing relevant is recorded, and re-identify for display only what the
principal may see.

Tracing (``assistant.tracing``; off by default): one trace per question with retrieval,
generation and verification steps and the generator's prompt name and version. Only
pseudonymised text enters a trace. The question is typed by a person and may hold a real
name, so it is traced only through ``question_redactor`` (``api.backends`` passes the
Presidio free-text redactor when tracing is on); without one the trace records just its
length. Generated sentences, sources and quotes are pseudonymised already (the trace sees
them before display-time re-identification).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import Any, Protocol

from assistant.contracts import (
    Answer,
    AnswerSentence,
    Citation,
    Generator,
    NumberedSource,
    RetrievalResult,
    RetrievedChunk,
    Retriever,
)
from assistant.conversation import ConversationState, ResolvedQuestion
from assistant.display import name_as_read
from assistant.outcomes import is_disputed
from assistant.refusal import RefusalDecision, assess
from assistant.requests import RequestClassifier
from assistant.topics import TOPIC_BY_NAME, topic_labels
from assistant.tracing import NoopTracer, Tracer, retrieval_summary
from assistant.verifier import CitationVerifier, VerifiedSentence
from redaction.question import as_typed
from redaction.reidentify import PLACEHOLDER_SHAPE
from retrieval.principal import Principal
from retrieval.records import as_day

#: (principal, text, cited record keys) -> text with placeholders the principal may see
#: replaced by real names; anything else stays pseudonymised.
Reidentifier = Callable[[Any, str, Sequence[tuple[str, str]]], str]
#: Real text -> pseudonymised text (for the traced question only).
QuestionRedactor = Callable[[str], str]


class FocusedQuestion(Protocol):
    """A question in the subject family's pseudonyms (``redaction.question``)."""

    @property
    def text(self) -> str: ...

    @property
    def family_id(self) -> str | None: ...

    @property
    def named_ids(self) -> frozenset[str]: ...

    @property
    def subject_placeholder(self) -> str | None:
        """The person subject's own placeholder ("[Father]"), if the subject is a person."""
        ...

    @property
    def outsider(self) -> bool:
        """The question asks after a named person who is not in the subject's family."""
        ...


class QuestionPseudonymiser(Protocol):
    """Rewrites names and kinship words in a question as the family's placeholders."""

    def pseudonymise(self, subject: str, question: str) -> FocusedQuestion: ...

    def warm(self) -> None:
        """Load what rewriting needs (name lists) ahead of the first question."""
        ...


#: The answer to a question asking after a person outside the chosen child or family.
OUTSIDER_REASON = (
    "caselens answers only about the chosen child or family, and the person this asks "
    "about is not part of it. To see their records, choose them as the subject, if your "
    "role and caseload allow it."
)
_PERSON_PREFIX = "LP-"
#: Reciprocal-rank fusion constant for merging the person's and the family's results.
_RRF_K = 60


class AnswerService:
    def __init__(
        self,
        retriever: Retriever,
        generator: Generator,
        verifier: CitationVerifier,
        reidentifier: Reidentifier | None = None,
        *,
        k: int = 40,
        keep_unsupported: bool = True,
        tracer: Tracer | None = None,
        question_redactor: QuestionRedactor | None = None,
        question_pseudonymiser: QuestionPseudonymiser | None = None,
        requests: RequestClassifier | None = None,
        on_close: Sequence[Callable[[], None]] = (),
    ) -> None:
        if k < 1:
            raise ValueError("k must be at least 1")
        self._retriever = retriever
        self._generator = generator
        self._verifier = verifier
        self._reidentify = reidentifier
        self._k = k
        #: Unsupported sentences are kept, flagged supported=False (never shown as fact).
        self._keep_unsupported = keep_unsupported
        self._tracer: Tracer = tracer if tracer is not None else NoopTracer()
        self._redact_question = question_redactor
        self._pseudonymise_question = question_pseudonymiser
        #: Decides refusals and off-topic questions (``assistant.requests``); None: the
        #: refusal patterns alone.
        self._requests = requests
        self._on_close = list(on_close)

    @property
    def generator(self) -> Generator:
        return self._generator

    @property
    def tracer(self) -> Tracer:
        return self._tracer

    def warm(self) -> None:
        """Run the request classifier once on a fixed text with no case data: it embeds
        with the same model as search and relevance, so the model is loaded and its
        session initialised before the first question; the question rewriter and the
        generator load what they need (name lists, the parser) too."""
        if self._requests is not None:
            self._requests.classify("What is recorded about school attendance?")
        if self._pseudonymise_question is not None:
            self._pseudonymise_question.warm()
        self._generator.warm()

    def close(self) -> None:
        """Flush traces and release what the builder opened (vector store, case store);
        safe to call twice."""
        self._tracer.flush()
        closers, self._on_close = self._on_close, []
        for close in reversed(closers):
            close()

    def __enter__(self) -> AnswerService:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def traced_question(self, question: str) -> str:
        """What a trace may hold of the question: redacted, or only its length."""
        if self._redact_question is not None:
            return self._redact_question(question)
        return f"[question withheld: {len(question)} characters]"

    def ask(
        self,
        principal: Principal,
        subject: str | None,
        question: str,
        history: ConversationState | None = None,
    ) -> Answer:
        answer: Answer | None = None
        for item in self.ask_stream(principal, subject, question, history):
            if isinstance(item, Answer):
                answer = item
        assert answer is not None
        return answer

    def ask_stream(
        self,
        principal: Principal,
        subject: str | None,
        question: str,
        history: ConversationState | None = None,
        narrow: Any = None,
    ) -> Iterator[AnswerSentence | Answer]:
        """Yield each verified sentence as soon as it is ready, then the whole Answer.

        ``narrow`` (``assistant.timeline.RecordFilter``) limits the search to the source
        systems, record types and dates a worker chose; it never widens the permitted set."""
        state = history if history is not None else ConversationState()
        resolved = state.resolve(question, subject)
        if not resolved.subject:
            raise ValueError("a subject (linked person or family id) is required")
        traced = self.traced_question(resolved.asked)
        with self._tracer.question(
            question=traced, subject=resolved.subject, role=principal.role
        ) as trace:
            answer: Answer | None = None
            for item in self._answer(principal, resolved, state, trace, traced, narrow):
                if isinstance(item, Answer):
                    answer = item.model_copy(update={"trace_id": trace.trace_id})
                    trace.finish(
                        output=_answer_summary(answer),
                        metadata={"generator": self._generator.name},
                    )
                    yield answer
                else:
                    yield item

    def _about_someone_here(
        self, resolved: ResolvedQuestion, decision: RefusalDecision
    ) -> RefusalDecision:
        """An off-topic reading of a question that names someone in this child's family
        ("what does kayleigh eat?") is taken back: it asks about their records. It is
        classified again as the records write it (their placeholder), so a decision
        request about them is still refused."""
        if self._pseudonymise_question is None or resolved.subject is None:
            return decision
        focused = self._pseudonymise_question.pseudonymise(resolved.subject, resolved.asked)
        if not focused.named_ids:
            return decision
        again = assess(focused.text, self._requests)
        return decision if again.off_topic else again

    def _answer(
        self,
        principal: Principal,
        resolved: ResolvedQuestion,
        state: ConversationState,
        trace: Any,
        traced_question: str,
        narrow: Any = None,
    ) -> Iterator[AnswerSentence | Answer]:
        decision = assess(resolved.asked, self._requests)
        if decision.off_topic and not decision.unrelated_task:
            decision = self._about_someone_here(resolved, decision)
        if decision.off_topic and (not resolved.follow_up or decision.unrelated_task):
            # Not about the records at all: one sentence, no search, no case facts. (A
            # short follow-up in a conversation is taken as being about the records,
            # unless it is plainly something else: "and the weather tomorrow?")
            yield from _refused(resolved, decision.reason, traced_question)
            return
        # A refused question still gets the recorded facts that bear on it: the question
        # itself (so "would they be better off with dad?" finds what is recorded about dad
        # and contact) and its factual core (concerns beside strengths and protective
        # factors). Relevance reads each part of the question on its own.
        asked_for = (
            f"{resolved.question} {decision.factual_question}"
            if decision.refused and decision.factual_question
            else resolved.question
        )
        assert asked_for is not None and resolved.subject is not None
        sentences: list[AnswerSentence] = []
        # The same sentences before re-identification (what a kept conversation stores).
        plain: list[AnswerSentence] = []
        if decision.refused:
            refusal = AnswerSentence(text=decision.reason or "", kind="refusal")
            sentences.append(refusal)
            plain.append(refusal)
            yield refusal

        focused = (
            self._pseudonymise_question.pseudonymise(resolved.subject, asked_for)
            if self._pseudonymise_question is not None
            else None
        )
        if focused is not None and focused.outsider and not decision.refused:
            # About someone outside this child or family: not searched, nothing shown.
            yield from _refused(resolved, OUTSIDER_REASON, traced_question)
            return
        # Retrieval and generation read the question in the family's pseudonyms, so a
        # name typed by the worker meets the placeholders of the indexed text.
        query = focused.text if focused is not None else asked_for
        # Who the question is about: the people it names, else a person subject.
        about = focused.named_ids if focused is not None else frozenset()
        if not about and resolved.subject.startswith(_PERSON_PREFIX):
            about = frozenset({resolved.subject})
        with trace.retrieval(query=traced_question) as step:
            result = self._retrieve(principal, resolved.subject, query, focused, narrow)
            if resolved.since_move:
                result = self._since_latest_move(principal, resolved.subject, result)
            step.record(
                output=retrieval_summary(result),
                metadata={
                    "k": self._k,
                    "refused": decision.refused,
                    "follow_up": resolved.follow_up,
                    "since_move": resolved.since_move,
                },
            )
        sources = [NumberedSource(i + 1, chunk) for i, chunk in enumerate(result.chunks)]
        by_n = {s.n: s.chunk for s in sources}
        display: dict[int, int] = {}  # source number -> number shown in the answer
        quotes: dict[int, str] = {}
        drafted: list[dict[str, Any]] = []
        checked = {"supported": 0, "unsupported": 0, "invented": 0, "unsupporting": 0}

        # Earlier questions in the family's pseudonyms, like this one (a model's prompt
        # never holds the names the family's roster knows).
        history = tuple(
            self._pseudonymise_question.pseudonymise(resolved.subject, q).text
            if self._pseudonymise_question is not None
            else q
            for q in state.questions
        )

        def drafts() -> Iterator[Any]:
            for draft in self._generator.generate(query, sources, history=history, about=about):
                drafted.append({"text": draft.text, "citations": list(draft.citations)})
                yield draft

        # Generation and verification run interleaved (streaming), so both steps are open
        # together; each records its own output when the stream ends.
        with (
            trace.generation(
                generator=self._generator.name,
                model=self._generator.model,
                prompt=self._generator.prompt,
                messages=self._traced_messages(traced_question, sources),
            ) as gen_step,
            trace.verification() as ver_step,
        ):
            for verified in self._verifier.verify(drafts(), sources):
                checked["supported" if verified.supported else "unsupported"] += 1
                checked["invented"] += len(verified.invented)
                checked["unsupporting"] += len(verified.unsupporting)
                if (
                    verified.kind == "closest"
                    and any(s.kind == "fact" for s in sentences)
                    and not _about_subject(resolved.subject, focused, verified, by_n)
                ):
                    continue  # related, but about someone else than the person chosen
                pseudonymised = self._present(verified, by_n, display, quotes)
                if pseudonymised is None:
                    continue
                keys = [(by_n[n].source_system, by_n[n].record_id) for n in verified.citations]
                sentence = self._shown(principal, pseudonymised, keys)
                if sentence.kind == "closest" and not any(
                    s.kind in ("fact", "closest", "absence") for s in sentences
                ):
                    self._explain_withheld(principal, result)
                    hedge = AnswerSentence(text=_hedge_text(result), kind="absence")
                    sentences.append(hedge)
                    plain.append(hedge)
                    yield hedge
                sentences.append(sentence)
                plain.append(pseudonymised)
                yield sentence
            gen_step.record(output=drafted)
            ver_step.record(output=checked)

        if not any(s.kind in ("fact", "closest") and s.supported for s in sentences):
            self._explain_withheld(principal, result)
            absence = AnswerSentence(text=_absence_text(resolved, result), kind="absence")
            sentences.append(absence)
            plain.append(absence)
            yield absence

        plain_citations = [
            _citation(shown, by_n[n], quotes.get(n, ""))
            for n, shown in sorted(display.items(), key=lambda item: item[1])
        ]
        citations = [self._shown_citation(principal, c) for c in plain_citations]
        state.record(resolved)
        answer = Answer(
            answer_id=uuid.uuid4().hex,
            question=resolved.asked,
            # What was answered, if not what was typed (a refusal answers the typed part).
            resolved_question=(
                resolved.question
                if resolved.question != resolved.asked and not decision.refused
                else None
            ),
            subject=resolved.subject,
            sentences=sentences,
            citations=citations,
            searched_systems=list(result.searched_systems),
            withheld_count=result.withheld_count,
            refused=decision.refused,
            refusal_reason=decision.reason,
        )
        # The question as retrieval read it is usually the one to keep: not rewritten twice.
        known = {asked_for: focused} if focused is not None else {}
        yield answer.keeping(
            answer.model_copy(
                update={
                    "question": self._kept_question(resolved.subject, answer.question, known),
                    "resolved_question": answer.resolved_question
                    and self._kept_question(resolved.subject, answer.resolved_question, known),
                    "sentences": plain,
                    "citations": plain_citations,
                }
            )
        )

    def _kept_question(self, subject: str, question: str, known: dict[str, FocusedQuestion]) -> str:
        """The question as a kept conversation may hold it: in the family's pseudonyms
        (names, kinship words and addresses the family's records know, as retrieval reads
        it), then redacted as a traced question is where a redactor is configured. A
        question naming someone outside the family is kept as a trace would keep it."""
        if self._pseudonymise_question is None:
            return self.traced_question(question)
        focused = known.get(question) or self._pseudonymise_question.pseudonymise(subject, question)
        if focused.outsider:
            return self.traced_question(question)
        if self._redact_question is not None:
            return self._redact_question(focused.text)
        return focused.text

    def redisplay(self, principal: Principal, stored: Answer) -> Answer:
        """A kept (pseudonymised) answer shown to ``principal`` now: re-identified only
        where their role may see the cited records today (the question too)."""
        keys = {c.n: (c.source_system, c.record_id) for c in stored.citations}
        every = list(dict.fromkeys(keys.values()))
        # The question as typed: "mum", not "mum [Mother]" shown as "mum Grace".
        return stored.model_copy(
            update={
                "question": self._display_text(principal, as_typed(stored.question), every),
                "resolved_question": stored.resolved_question
                and self._display_text(principal, as_typed(stored.resolved_question), every),
                "sentences": [
                    self._shown(principal, s, [keys[n] for n in s.citations if n in keys])
                    for s in stored.sentences
                ],
                "citations": [self._shown_citation(principal, c) for c in stored.citations],
            }
        )

    def _retrieve(
        self,
        principal: Principal,
        subject: str,
        query: str,
        focused: FocusedQuestion | None,
        narrow: Any = None,
    ) -> RetrievalResult:
        """The subject's records; for a person, their family's records too (fused by
        rank), so "this family" questions and records about the household are found.
        The family search has the same role and caseload filter as any other."""
        # Narrowed only when asked (``Retriever.retrieve`` takes ``narrow`` as a keyword).
        extra: dict[str, Any] = {"narrow": narrow} if narrow is not None else {}
        result = self._retriever.retrieve(principal, subject, query, self._k, **extra)
        result.searched_subject = subject
        if not subject.startswith(_PERSON_PREFIX):
            return result
        # The family only as the case store knows it, and never under break-glass (the
        # recorded reason covers this subject, not the whole family).
        family = focused.family_id if focused is not None else None
        if family is None or principal.break_glass_reason:
            return result
        wide = self._retriever.retrieve(principal, family, query, self._k, **extra)
        wide.searched_subject = family
        return _fused(result, wide)

    def _explain_withheld(self, principal: Principal, result: RetrievalResult) -> None:
        """Fill in which systems the withheld records came from (for an absence or hedge
        sentence only: it costs a few index counts)."""
        if result.withheld_count and not result.withheld_by_system and result.searched_subject:
            by_system, visible_to = self._retriever.explain_withheld(
                principal, result.searched_subject
            )
            result.withheld_by_system = by_system
            result.withheld_visible_to = visible_to

    def _traced_messages(self, traced_question: str, sources: Sequence[NumberedSource]) -> Any:
        """The prompt as a model would get it, with the question as traced (redacted)."""
        return self._generator.build_messages(traced_question, sources)

    # --- helpers ---------------------------------------------------------------------------

    def _present(
        self,
        verified: VerifiedSentence,
        by_n: dict[int, RetrievedChunk],
        display: dict[int, int],
        quotes: dict[int, str],
    ) -> AnswerSentence | None:
        """The verified sentence as it will be shown, still in pseudonyms (numbered as
        shown); None for an unsupported sentence the service does not keep."""
        if not verified.supported:
            if not self._keep_unsupported:
                return None
            # Flagged, never shown as fact, never re-identified, cites nothing.
            return AnswerSentence(
                text=verified.text,
                citations=[],
                supported=False,
                occurred_at=verified.occurred_at,
                reliability=verified.reliability,
            )
        numbers: list[int] = []
        for n in verified.citations:
            display.setdefault(n, len(display) + 1)
            quotes.setdefault(n, verified.quotes.get(n, ""))
            numbers.append(display[n])
        numbers.sort()
        return AnswerSentence(
            text=verified.text,
            citations=numbers,
            supported=True,
            occurred_at=verified.occurred_at,
            reliability=verified.reliability,
            disputed=is_disputed(verified.text),
            kind=verified.kind,
            source=verified.source or None,
            provenance=verified.provenance or None,
            outcome=verified.outcome,
            account=verified.account,
        )

    def _shown(
        self, principal: Principal, sentence: AnswerSentence, keys: list[tuple[str, str]]
    ) -> AnswerSentence:
        """Re-identified for display where the principal may see the cited records. Whose
        account it is may be a placeholder ("[Mother]'s account"): its person is shown as
        a reader expects a name ("Grace Okafor's account", not the record's capitals).
        Unsupported sentences are never re-identified."""
        if not sentence.supported or not sentence.citations:
            return sentence
        return sentence.model_copy(
            update={
                "text": self._display_text(principal, sentence.text, keys),
                "source": self._display_label(principal, sentence.source, keys)
                if sentence.source
                else None,
                "provenance": self._display_label(principal, sentence.provenance, keys)
                if sentence.provenance
                else None,
            }
        )

    def _display_label(self, principal: Principal, label: str, keys: list[tuple[str, str]]) -> str:
        """A label in the answer's own words ("[Mother]'s account"), each person in it
        re-identified and written as a name is read (``name_as_read``)."""

        def person(match: re.Match[str]) -> str:
            shown = self._display_text(principal, match.group(0), keys)
            return shown if shown == match.group(0) else name_as_read(shown)

        return PLACEHOLDER_SHAPE.sub(person, label)

    def _display_text(self, principal: Principal, text: str, keys: list[tuple[str, str]]) -> str:
        if self._reidentify is None:
            return text
        return self._reidentify(principal, text, keys)

    def _shown_citation(self, principal: Principal, citation: Citation) -> Citation:
        key = [(citation.source_system, citation.record_id)]
        return citation.model_copy(
            update={
                "title": self._display_text(principal, citation.title, key),
                "quote": self._display_text(principal, citation.quote, key),
            }
        )

    def _since_latest_move(
        self, principal: Principal, subject: str, result: RetrievalResult
    ) -> RetrievalResult:
        """Keep only chunks from the most recent recorded house move onwards."""
        housing = TOPIC_BY_NAME["housing"].sentence
        moves = self._retriever.retrieve(
            principal, subject, "house move new address tenancy eviction", self._k
        )
        dates = [as_day(c.occurred_at) for c in moves.chunks if housing.search(c.text)]
        if not dates:
            return result
        since = max(dates)
        return replace(result, chunks=[c for c in result.chunks if as_day(c.occurred_at) >= since])


def _about_subject(
    subject: str,
    focused: FocusedQuestion | None,
    sentence: VerifiedSentence,
    by_n: dict[int, RetrievedChunk],
) -> bool:
    """A sentence's records are about the subject: any subject but a person; for a person,
    a record linked to them or naming them. Beside a direct answer, a related record about
    someone else (a sibling's school report, asked what dad said) is left out: records
    about others are used where they answer."""
    if not subject.startswith(_PERSON_PREFIX):
        return True
    own = focused.subject_placeholder if focused is not None else None
    return any(
        subject in by_n[n].person_ids or (own is not None and own in by_n[n].text)
        for n in sentence.citations
    )


def _fused(person: RetrievalResult, family: RetrievalResult) -> RetrievalResult:
    """Reciprocal-rank fusion of the person's and the family's chunks: a chunk about the
    person ranks in both lists and comes first."""
    score: dict[str, float] = {}
    chunk: dict[str, RetrievedChunk] = {}
    for result in (person, family):
        for rank, c in enumerate(result.chunks, start=1):
            score[c.chunk_id] = score.get(c.chunk_id, 0.0) + 1.0 / (_RRF_K + rank)
            chunk.setdefault(c.chunk_id, c)
    ordered = sorted(score, key=lambda cid: -score[cid])
    return RetrievalResult(
        [chunk[cid] for cid in ordered],
        sorted(set(person.searched_systems) | set(family.searched_systems)),
        # What was withheld is said about the subject only, never about other members.
        person.withheld_count,
        searched_subject=person.searched_subject,
    )


def _citation(shown: int, chunk: RetrievedChunk, quote: str) -> Citation:
    """A cited record as the answer numbers it, its title and quote still in pseudonyms."""
    return Citation(
        n=shown,
        record_id=chunk.record_id,
        source_system=chunk.source_system,
        record_type=chunk.record_type,
        occurred_at=chunk.occurred_at,
        author=chunk.author_role,
        title=chunk.title,
        source_url=chunk.source_url,
        last_refreshed=chunk.last_refreshed,
        quote=quote,
    )


def _refused(
    resolved: ResolvedQuestion, reason: str | None, traced_question: str
) -> Iterator[AnswerSentence | Answer]:
    """A refusal with no search and no case text: its one sentence, then the Answer (kept
    as it is, with the question as traced)."""
    note = AnswerSentence(text=reason or "", kind="refusal")
    yield note
    answer = Answer(
        answer_id=uuid.uuid4().hex,
        question=resolved.asked,
        subject=resolved.subject,
        sentences=[note],
        refused=True,
        refusal_reason=reason,
    )
    yield answer.keeping(answer.model_copy(update={"question": traced_question}))


def _answer_summary(answer: Answer) -> dict[str, Any]:
    """Counts and record ids only: the answer's text is already in the step outputs."""
    return {
        "sentences": {
            kind: sum(1 for s in answer.sentences if s.kind == kind)
            for kind in ("fact", "absence", "refusal")
        },
        "unsupported": sum(1 for s in answer.sentences if not s.supported),
        "cited": [f"{c.source_system}:{c.record_id}" for c in answer.citations],
        "refused": answer.refused,
    }


def _withheld_text(result: RetrievalResult) -> str:
    """How many records were withheld, of which kinds and who could see them; never
    what they contain."""
    if not result.withheld_count:
        return "No records were withheld by policy."
    if not result.withheld_by_system:
        return (
            f"{result.withheld_count} record(s) for this subject were withheld by policy "
            "and not searched."
        )
    parts = []
    for system, count in sorted(result.withheld_by_system.items()):
        roles = [r.replace("_", " ") for r in result.withheld_visible_to.get(system, [])]
        who = f" (a {' or '.join(roles)} can see {'it' if count == 1 else 'them'})" if roles else ""
        parts.append(f"{count} {system} record{'' if count == 1 else 's'}{who}")
    return (
        f"{result.withheld_count} record(s) for this subject were withheld from your role "
        f"by policy and not searched: {'; '.join(parts)}."
    )


def _hedge_text(result: RetrievalResult) -> str:
    systems = ", ".join(result.searched_systems) or "none"
    return (
        "I could not find a direct answer in the records searched "
        f"({systems}); these are the closest records. {_withheld_text(result)}"
    )


def _absence_text(resolved: ResolvedQuestion, result: RetrievalResult) -> str:
    about = ", ".join(topic_labels(resolved.topics)) if resolved.topics else "this question"
    systems = ", ".join(result.searched_systems) or "none"
    return (
        f"Nothing about {about} is recorded for this subject in the records searched "
        f"({systems}). {_withheld_text(result)}"
    )
