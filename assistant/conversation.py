"""Follow-up questions resolve against the previous turn's subject and topic.

"What is recorded about drug use?" then "and since the move?" means drug use since the
house move, for the same subject; "what about school?" keeps the subject, changes topic.
The state is a small object the caller keeps between turns (the API keeps one per chat).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.topics import question_topics, topic_labels

_FOLLOW_UP = re.compile(
    r"^\s*(?:and|what about|how about|and what about|also|since|after|before|what else|"
    r"anything else|more on|same for|then)\b",
    re.IGNORECASE,
)
_SINCE_MOVE = re.compile(
    r"\bsince (?:the|they|their|she|he)?\s*(?:last )?(?:house )?mov", re.IGNORECASE
)


@dataclass(frozen=True)
class ResolvedQuestion:
    #: What the user typed.
    asked: str
    #: The self-contained question the generator answers.
    question: str
    subject: str | None
    topics: tuple[str, ...]
    #: Only records after the family's most recent recorded move.
    since_move: bool = False
    follow_up: bool = False


@dataclass
class ConversationState:
    subject: str | None = None
    topics: tuple[str, ...] = ()
    questions: list[str] = field(default_factory=list)

    def resolve(self, question: str, subject: str | None = None) -> ResolvedQuestion:
        """Fill in what a follow-up leaves out from the previous turn."""
        question = question.strip()
        if not question:
            raise ValueError("the question is empty")
        own_topics = question_topics(question)
        since_move = bool(_SINCE_MOVE.search(question))
        words = len(question.split())
        follow_up = bool(self.questions) and (
            bool(_FOLLOW_UP.match(question)) or words <= 4 or (since_move and words <= 6)
        )
        resolved_subject = subject or self.subject
        if follow_up and since_move and set(own_topics) <= {"housing", "moves"}:
            own_topics = ()  # "since the move" dates the question, it is not about housing
        if follow_up and not own_topics and self.topics:
            topics = self.topics
            full = f"What is recorded about {', '.join(topic_labels(topics))}? ({question})"
        else:
            topics = own_topics
            full = question
        return ResolvedQuestion(
            asked=question,
            question=full,
            subject=resolved_subject,
            topics=topics,
            since_move=since_move,
            follow_up=follow_up,
        )

    def record(self, resolved: ResolvedQuestion) -> None:
        """Remember this turn for the next follow-up."""
        self.subject = resolved.subject
        if resolved.topics:
            self.topics = resolved.topics
        self.questions.append(resolved.question)
