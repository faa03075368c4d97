"""Follow-up questions resolve against the previous turn, and say what they became.

A question is resolved as a follow-up only when it depends on the previous turn:

* it starts with a continuation: "and …", "what about …", "how about …", "also …",
  "then …", "but …";
* it points back at something it does not name itself: "it", "its"; "that", "this",
  "these", "those" as a pronoun or before a noun ("when did that happen?", "that
  incident"); "there" or "then" closing a phrase ("was she there?", "since then?");
  "else"; "the same"; or a person pronoun (he, she, they, him, her, them, his, their);
* it names nothing of its own: no topic and no content word besides people and time
  ("who was involved?", "mum?", "since the move?").

A question with its own topic or content words is self-contained whatever its length
("Who lives in the household?", "Any police involvement?"), and so is one that asks only
about a person ("tell me about mum", "anything on tyler?", "how is nan?"): it is answered as
typed. A person pronoun in it ("he", "she", "his", "her") stands for the one person the
previous question named, where it agrees with them ("and mum?" then "has she had any
treatment?" -> "has mum had any treatment?"), and otherwise for the subject being asked
about.

Who is a person: a kinship or role word (mum, nan, step-dad, partner, sister), a
pseudonym placeholder, a capitalised word that is no topic, or a given name however typed
("and tyler?": in the name lists and not an everyday word).

A follow-up is resolved in one of two ways:

* a fragment ("and mum?", "since the move?", "what about exclusions?") replaces what it
  names in the previous question (who it is about, the period, or the topic) and keeps
  the rest: "What is recorded about domestic abuse?" then "and since the move?" becomes
  "What is recorded about domestic abuse since the latest house move?", then "and mum?"
  becomes "What is recorded about mum regarding domestic abuse since the latest house
  move?"; after a question about a person alone ("tell me about mum") "and tyler?" becomes
  "What is recorded about tyler?"; "what about school?" keeps the topic, at school;
* a whole question that points back gets the previous topic: "When did that happen?"
  becomes "When did the domestic abuse happen?", "Was she there?" becomes "Regarding
  domestic abuse: was she there?".

The resolved question is what is searched and answered; the Answer carries it
(``resolved_question``) whenever it differs from what was typed, so the user sees it.
The state is a small object the caller keeps between turns (the API keeps one per chat).
Plain token rules, no language model: the assistant does not load spaCy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Protocol

from assistant.topics import question_topics, topic_labels


class NameWords(Protocol):
    """Given-name lists (``redaction.name_lists.NameLists``): "and tyler?" names a person."""

    def is_clear_given(self, word: str) -> bool:
        """A given name that is not also an everyday word ("tyler", not "will")."""
        ...


def _default_names() -> NameWords:
    from redaction.name_lists import default_name_lists

    return default_name_lists()


# --- words -----------------------------------------------------------------------------
# Closed-class English words: they never name what a question is about.


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_DETERMINERS = _words(
    "a an the any some no every each all both either neither another other others such "
    "much many more most few less least several own what which whose"
)
_PERSONAL = _words("he she they him her them his hers their theirs himself herself themselves")
_OTHER_PRONOUNS = _words(
    "i me my mine myself we us our ours you your yours it its itself one ones "
    "this that these those there here then "
    "anything something nothing everything anyone someone anybody somebody everyone "
    "everybody nobody none anywhere somewhere everywhere"
)
_WH = _words("what who whom whose which when where why how whether")
_PREPOSITIONS = _words(
    "about above across after against along among around at before behind below beneath "
    "beside between beyond by despite down during except for from in inside into like near "
    "of off on onto out outside over past per since than through throughout till to toward "
    "towards under until up upon via with within without regarding concerning re"
)
_CONJUNCTIONS = _words(
    "and or but nor so yet if because though although while whereas unless as plus"
)
_AUXILIARIES = _words(
    "am is are was were be been being have has had having do does did doing will would "
    "shall should can could may might must ought isn't aren't wasn't weren't hasn't "
    "haven't hadn't don't doesn't didn't won't wouldn't can't cannot couldn't shouldn't "
    "mustn't"
)
_ADVERBS = _words(
    "not never ever also too just only still yet again already even very really quite "
    "rather else next now currently recently lately ok okay please thanks thank yes well "
    "ago afterwards later earlier first last so often long soon frequently usually"
)
#: Verbs and nouns too general to name a topic on their own ("what happened?", "who was
#: involved?", "any update?"): a question made only of these needs the previous turn.
_LIGHT = _words(
    "happen happens happened happening occur occurs occurred occurring say says said "
    "saying tell tells told telling mention mentions mentioned note notes noted record "
    "records recorded recording report reports reported know knows knew known think "
    "thinks thought mean means meant go goes went gone going get gets got gotten getting "
    "start starts started stop stops stopped begin began begun end ends ended continue "
    "continues continued change changes changed see sees saw seen show shows showed shown "
    "find finds found make makes made take takes took taken come comes came look looks "
    "looked seem seems seemed involve involves involved include includes included explain "
    "explained describe described ask asks asked give gives gave given keep kept put let "
    "like done "
    "thing things stuff information info detail details update updates news history "
    "background summary outcome outcomes result results response reason reasons cause "
    "action actions evidence situation status time times date dates"
)
_FUNCTION = (
    _DETERMINERS
    | _PERSONAL
    | _OTHER_PRONOUNS
    | _WH
    | _PREPOSITIONS
    | _CONJUNCTIONS
    | _AUXILIARIES
    | _ADVERBS
)
#: Nouns for people in a family or around it: "and mum?" changes who it is about.
_PERSON_NOUNS = _words(
    "mum mom mother mummy mam mammy dad father daddy parent parents stepmum stepmom "
    "stepmother stepdad stepfather step-mum step-dad brother brothers sister sisters "
    "sibling siblings son sons daughter daughters child children kid kids baby babies boy "
    "boys girl girls grandma grandmother nan nana nanna gran granny grandad granddad "
    "grandfather grandpa grandparent grandparents aunt aunty auntie uncle cousin cousins "
    "nephew niece partner partners boyfriend girlfriend husband wife ex carer carers "
    "guardian family twin twins adult adults stepbrother stepsister half-brother "
    "half-sister nanny fella lad lads lass lasses bairn bairns toddler teenager infant newborn"
)
#: Words that only qualify a person noun ("his older brother", "the youngest").
_PERSON_QUALIFIERS = _words(
    "older younger eldest youngest oldest elder little big step birth biological "
    "maternal paternal new former other"
)
_CALENDAR = _words(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday christmas easter"
)
#: "this year", "this family": deictic, they point at now or at the subject, not back.
_DEICTIC_NOUNS = _words(
    "year years month months week weeks term terms time morning afternoon evening night "
    "weekend summer winter spring autumn holiday holidays family families child children "
    "household case person young"
)
#: After "that"/"this": the start of a clause ("said that he …"), not a thing pointed at.
_CLAUSE_STARTERS = _words(
    "i you he she it we they there the a an his her their my our your its some any no"
)

_TOKEN = re.compile(r"\[[^\[\]\n]{1,40}\]|[A-Za-z0-9][A-Za-z0-9'’-]*")
#: "it's", "that's", "who's": a pronoun and a verb; any other "'s" is a possessive.
_CONTRACTED = _words("it that this he she there here what who where how when")

_FILLER = re.compile(
    r"^(?:ok(?:ay)?|right|thanks|thank\s+you|great|cool|fine|sure|yes|no|hmm|oh)\b"
    r"(?:\s*[,.!;:-]+\s*|\s+(?=(?:and|also|so|then|but|what\s+about|how\s+about)\b))",
    re.IGNORECASE,
)
#: Words that carry a question on from the previous one: "and mum?", "what about school?".
_CONTINUATION = re.compile(
    r"^(?:(?:what|how)\s+about|as\s+for|same\s+(?:for|with|about|question\s+for)|"
    r"and|also|plus|but|or|then|so(?!\s+(?:far|that|much|many)\b))\b[\s,;:-]*",
    re.IGNORECASE,
)

_UNITS = (
    r"years?|months?|weeks?|days?|terms?|summer|winter|spring|autumn|holidays?|christmas|"
    r"easter|half[- ]term|weekends?"
)
_MONTHS = "|".join(sorted(_CALENDAR - {"christmas", "easter"}))
#: A time restriction: "since the move", "before that", "in the last year", "recently".
_PERIOD = re.compile(
    rf"""\b(?:
        (?:since|after|before|until|till|following|prior\s+to|up\s+to)
            \s+(?!(?:him|her|them|me|us|you)\s*$)(?:(?!\s(?:and|but|or)\s)[^,;?!.])*[^\s,;?!.]
      | since\b(?=\s*[?!.]*\s*$)
      | (?:in|during|over|within|throughout|for)\s+(?:the\s+)?
            (?:(?:last|past|previous|first|next|same|early|late)\s+)?
            (?:(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|
                 few|couple\s+of)\s+)?
            (?:{_UNITS}|{_MONTHS}|\d{{4}})\b
      | (?:last|this|previous|past)\s+(?:{_UNITS}|{_MONTHS})\b
      | recently | lately | these\s+days | of\s+late
    )""",
    re.IGNORECASE | re.VERBOSE,
)
#: Verbs that take "after" or "before" as a particle ("look after", "come before a court").
_PHRASAL = re.compile(
    r"\b(?:look|looks|looked|looking|care|cares|cared|caring|named|ask|asks|asked|asking|"
    r"take|takes|took|taking|go|goes|went|going|come|comes|came|coming|appear|appears|"
    r"appeared|run|runs|ran|running|chase|chased|clean|cleaned|cleaning)\s*$",
    re.IGNORECASE,
)
_WORKERS_OWN = re.compile(r"(?:before|after|until|till)\s+(?:i|we|you)\b", re.IGNORECASE)
_SINCE_MOVE = re.compile(r"\bsince\s+(?:[\w'’-]+\s+){0,3}?mov(?:e|ed|es|ing)\b", re.IGNORECASE)
_ANAPHORIC_PERIOD = re.compile(
    r"^(since|after|before|until|till|following|prior\s+to|up\s+to)\s+(?:that|then|this|it)$",
    re.IGNORECASE,
)
_PERIOD_HEAD = re.compile(
    r"^(since|after|before|until|till|following|prior\s+to|up\s+to)\s+(.+)$", re.IGNORECASE
)
#: A fragment led by one of these narrows the previous question: "and at school?".
_WHERE = _words("at in with inside outside from to during")
#: Places a question can narrow to: "what about school?" after a topic asks about that
#: topic at school.
_SETTINGS = _words("school nursery college preschool pre-school home")
_LATEST_MOVE = "since the latest house move"
#: Who a person word means, for "his"/"her" ("and mum?" then "her drinking" is mum's).
_FEMALE = _words(
    "mum mom mother mummy mam mammy stepmum stepmom stepmother step-mum sister sisters "
    "stepsister daughter grandma grandmother nan nana nanna nanny gran granny aunt aunty "
    "auntie niece girlfriend wife girl"
)
_MALE = _words(
    "dad father daddy stepdad stepfather step-dad brother brothers stepbrother son "
    "grandad granddad grandfather grandpa uncle nephew boyfriend husband boy fella"
)
_SINGULAR_PRONOUNS = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
#: "tell me about mum", "anything on tyler": the person is what the question is after.
_ABOUT = _words("about on regarding concerning re for")


@dataclass(frozen=True)
class _Token:
    word: str  # as typed
    base: str  # lower case, possessive "'s" removed
    start: int
    end: int
    #: Ends in a verb contraction ("that's" = "that is").
    contracted: bool = False


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    for m in _TOKEN.finditer(text):
        word = m.group()
        lower = word.lower().replace("’", "'")
        contracted = False
        if lower.endswith("'s"):
            contracted = lower[:-2] in _CONTRACTED
            lower = lower[:-2]
        out.append(_Token(word, lower, m.start(), m.end(), contracted))
    return out


def _is_name(tok: _Token, first: bool, given: frozenset[str] = frozenset()) -> bool:
    """A typed name or a pseudonym placeholder ("Reuben", "[PERSON_3]"); ``given``: the
    question's words that are given names and nothing else ("reuben", "jake" typed in
    lower case, or first)."""
    if tok.word.startswith("["):
        return True
    if tok.base in given:
        return True
    if first or not tok.word[:1].isupper() or tok.base in _FUNCTION or tok.base in _CALENDAR:
        return False
    if len(tok.word) > 1 and tok.word.isupper():  # an acronym: CAMHS, YOT, GP
        return False
    return not question_topics(tok.word)


def _is_person(tok: _Token, first: bool, given: frozenset[str] = frozenset()) -> bool:
    return tok.base in _PERSON_NOUNS or _is_name(tok, first, given)


def _is_content(tok: _Token, first: bool, given: frozenset[str] = frozenset()) -> bool:
    return not (
        tok.base in _FUNCTION
        or tok.base in _LIGHT
        or tok.base in _PERSON_QUALIFIERS
        or tok.base.isdigit()
        or _is_person(tok, first, given)
    )


def _given_names(tokens: list[_Token], names: NameWords) -> frozenset[str]:
    """The words that can only be a given name: in the name lists, not an English word,
    not a topic, not a word of a question's grammar ("tyler", "josh"; not "will", "grace",
    "mum")."""
    return frozenset(
        t.base
        for t in tokens
        if t.base.isalpha()
        and t.base not in _FUNCTION | _LIGHT | _PERSON_NOUNS | _PERSON_QUALIFIERS | _CALENDAR
        and names.is_clear_given(t.base)
        and not question_topics(t.base)
    )


def _anaphors(tokens: list[_Token]) -> list[int]:
    """Positions of words that point back at something the question does not name."""
    found: list[int] = []
    for i, tok in enumerate(tokens):
        prev = tokens[i - 1].base if i > 0 else None
        nxt = "is" if tok.contracted else (tokens[i + 1].base if i + 1 < len(tokens) else None)
        w = tok.base
        if w == "its" or w in {"else", "former", "latter"}:
            found.append(i)
        elif w == "it":
            # "is it recorded whether …", "it is true that …": a dummy subject.
            ahead = {t.base for t in tokens[i + 1 : i + 5]}
            if not (ahead & {"that", "whether", "if"} and (ahead | {prev}) & _AUXILIARIES):
                found.append(i)
        elif w == "that":
            if nxt is None:
                found.append(i)
            elif prev in {"so", "such", "now", "given", "provided"} or nxt in _CLAUSE_STARTERS:
                continue  # a conjunction: "so that", "said that he …"
            elif prev is None or prev in (
                _AUXILIARIES | _PREPOSITIONS | _WH | _CONJUNCTIONS | _LIGHT
            ):
                found.append(i)
            # after any other word it is a relative pronoun: "anything that happened"
        elif w in {"this", "these"}:
            if nxt not in _DEICTIC_NOUNS:
                found.append(i)
        elif w == "those":
            if nxt not in {"who", "that", "which"}:
                found.append(i)
        elif w == "then":
            if i > 0 and (nxt is None or prev in _PREPOSITIONS):
                found.append(i)
        elif w == "there":
            existential = (  # "what involvement is there?", "are there any?"
                prev in _AUXILIARIES
                and tokens[0].base in {"what", "which", "how", "is", "are", "was", "were", "any"}
            )
            if not existential and (
                nxt is None or nxt in {"too", "then", "at", "either", "again", "also", "as"}
            ):
                found.append(i)
        elif (
            (w == "same" and prev == "the")  # "the same for mum?"
            or (w in {"next", "afterwards"} and nxt is None)  # "what happened next?"
            or (w == "more" and (nxt is None or nxt in {"about", "on", "detail", "details"}))
        ):
            found.append(i)
    return found


def _outside(tokens: list[_Token], anaphors: list[int], given: frozenset[str]) -> list[int]:
    """The anaphors that point outside the question: not those in a second clause that
    follows one with its own content ("… drugs and alcohol in this family and how has it
    presented?": "it" is that)."""
    joins = [j for j, t in enumerate(tokens) if t.base in {"and", "but", "so"} and j > 0]

    def inside(i: int) -> bool:
        return any(
            j < i and any(_is_content(t, False, given) for t in tokens[:j]) for j in joins
        ) and any(tokens[j + 1].base in _WH | _AUXILIARIES for j in joins if j < i)

    return [i for i in anaphors if not inside(i)]


def _pronominal(tokens: list[_Token], i: int, given: frozenset[str] = frozenset()) -> bool:
    """Whether the word stands for a thing ("when did that happen?"), not before a noun."""
    if tokens[i].contracted:
        return False  # "that's": substituting would need the verb spelt out
    if tokens[i].base == "it" or i + 1 == len(tokens):
        return True
    nxt = tokens[i + 1]
    return not _is_content(nxt, False, given)


# --- the frame a follow-up fills in ---------------------------------------------------------


@dataclass(frozen=True)
class _Frame:
    """The previous question taken apart, so a fragment can replace one part of it."""

    #: The question without its period or closing mark ("What is recorded about drug use").
    plain: str
    #: What it is about, as a noun phrase ("domestic abuse", "DA"); None when not known.
    focus: str | None
    person: str | None
    period: str | None
    topics: tuple[str, ...]
    #: The resolved question as shown.
    text: str
    #: "the <focus>" reads as a noun phrase (a topic's label, or what followed "any" or
    #: "about" in the question).
    focus_is_label: bool = False
    #: The question asks about a person and nothing else ("tell me about mum"): a fragment
    #: naming someone else asks the same about them.
    about_person: bool = False
    #: Who "he", "she", "his" or "her" in the next question stand for: the one person
    #: this question named ("mum", "tyler's sister"); None when it named nobody, or several.
    referent: str | None = None
    #: The question named someone (a name, a kinship word, a pronoun): a fragment naming
    #: someone else asks about them, not "<this question>, regarding <them>".
    names_people: bool = False

    def compose(self) -> str:
        if self.person and self.focus:
            core = f"What is recorded about {self.person} regarding {self.focus}"
        elif self.person and (self.about_person or self.names_people):
            core = f"What is recorded about {self.person}"
        elif self.person:
            core = f"{self.plain}, regarding {self.person}" + ("," if self.period else "")
        else:
            core = self.plain
        if self.period:
            core = f"{core} {self.period}"
        return _capitalised(core) + "?"


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _decapitalised(text: str, tokens: list[_Token]) -> str:
    if tokens and tokens[0].base in (_FUNCTION | _LIGHT) and tokens[0].base != "i":
        return text[:1].lower() + text[1:]
    return text


def _trimmed(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ,;:-?!.")
    return re.sub(r"^(?:and|or|but)\s+|\s+(?:and|or|but)$", "", text, flags=re.I).strip(" ,")


def _joined(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def _focus_of(topics: tuple[str, ...]) -> str | None:
    """A short noun phrase for the question's topics; None when there are too many."""
    named = [t for t in topics if t != "protective"] or list(topics)
    if not named or len(named) > 2:
        return None
    return _joined(topic_labels(tuple(named)))


def _normalised_period(period: str, previous: str | None) -> str:
    """ "since the move" -> the move the filter uses; "before that" -> the previous anchor."""
    period = re.sub(r"\s+", " ", period.strip())
    period = period[:1].lower() + period[1:]  # "Since then?" -> "… since then?"
    m = _SINCE_MOVE.match(period)
    if m:
        return _LATEST_MOVE + period[m.end() :]
    if previous and _ANAPHORIC_PERIOD.match(period):
        head = _PERIOD_HEAD.match(previous)
        if head:
            return f"{_ANAPHORIC_PERIOD.match(period).group(1).lower()} {head.group(2)}"  # type: ignore[union-attr]
    return period


@dataclass(frozen=True)
class ResolvedQuestion:
    #: What the user typed.
    asked: str
    #: The self-contained question the generator answers (``asked`` when not rewritten).
    question: str
    subject: str | None
    topics: tuple[str, ...]
    #: Only records after the family's most recent recorded move.
    since_move: bool = False
    #: The question depends on the previous turn (it may still read as typed).
    follow_up: bool = False
    _frame: _Frame | None = field(default=None, repr=False, compare=False)


@dataclass
class ConversationState:
    subject: str | None = None
    topics: tuple[str, ...] = ()
    questions: list[str] = field(default_factory=list)
    _frame: _Frame | None = field(default=None, repr=False)
    #: Given-name lists, so that a name typed in lower case ("and tyler?") is read as a
    #: person; the packaged lists when not given.
    names: NameWords | None = field(default=None, repr=False)

    def resolve(self, question: str, subject: str | None = None) -> ResolvedQuestion:
        """The question as asked, or, for a follow-up, the self-contained question it means."""
        question = question.strip()
        if not question:
            raise ValueError("the question is empty")
        if self.names is None:
            self.names = _default_names()
        resolved_subject = subject or self.subject
        previous = self._frame if self.questions else None
        text, frame, follow_up = _resolve(question, previous, self.names)
        return ResolvedQuestion(
            asked=question,
            question=text,
            subject=resolved_subject,
            topics=frame.topics,
            since_move=bool(_SINCE_MOVE.search(text)),
            follow_up=follow_up,
            _frame=frame,
        )

    def record(self, resolved: ResolvedQuestion) -> None:
        """Remember this turn for the next follow-up."""
        self.subject = resolved.subject
        if resolved.topics:
            self.topics = resolved.topics
        if resolved._frame is not None:
            self._frame = resolved._frame
        self.questions.append(resolved.question)


# --- reading one question ------------------------------------------------------------------


@dataclass(frozen=True)
class _Parse:
    """One question taken apart: its lead ("and", "what about"), period, people, content."""

    question: str
    continued: bool
    body: str
    tokens: list[_Token]
    given: frozenset[str]
    period_match: re.Match[str] | None
    period: str | None
    rest: str
    rest_tokens: list[_Token]
    #: Rest tokens that name a person (names, kinship words), pronouns not included.
    named: list[_Token]
    own_topics: tuple[str, ...]
    anaphors: list[int]
    personal: bool
    own_content: bool

    @property
    def names_people(self) -> bool:
        return bool(self.named) or any(t.base in _PERSONAL for t in self.rest_tokens)

    def asks_about_person(self) -> bool:
        """Nothing but a person to ask about: "tell me about mum", "anything on tyler?",
        "how is nan?"."""
        if self.own_content or self.anaphors or not self.named:
            return False
        if self.tokens and self.tokens[0].base == "how":
            return True
        index = {id(t): i for i, t in enumerate(self.rest_tokens)}
        return any(
            index[id(t)] > 0 and self.rest_tokens[index[id(t)] - 1].base in _ABOUT
            for t in self.named
        )


def _parse(question: str, names: NameWords | None) -> _Parse:
    lead_end, continued = 0, False
    while True:
        rest_of_question = question[lead_end:]
        m = _FILLER.match(rest_of_question) or _CONTINUATION.match(rest_of_question)
        if not m or not m.group():
            break
        continued = continued or m.re is _CONTINUATION
        lead_end += m.end()
    body = question[lead_end:].strip().rstrip("?!. ")
    tokens = _tokens(body)
    given = _given_names(tokens, names) if names is not None else frozenset()

    period_match = _PERIOD.search(body)
    if period_match and (
        _PHRASAL.search(body[: period_match.start()]) or _WORKERS_OWN.match(period_match.group())
    ):
        # "look after the kids", "named after": not a time; "before I see her", "before
        # we meet": the worker's own plans, not a period of the records.
        period_match = None
    period = _trimmed(period_match.group()) if period_match else None
    if period_match:
        rest = _trimmed(body[: period_match.start()] + " " + body[period_match.end() :])
    else:
        rest = _trimmed(body)
    rest_tokens = _tokens(rest)
    # The question's first word may be capitalised only because it comes first.
    starts = lead_end == 0 and (period_match is None or period_match.start() > 0)

    def is_first(tok: _Token) -> bool:
        return starts and bool(rest_tokens) and tok is rest_tokens[0]

    content = [t for t in rest_tokens if _is_content(t, is_first(t), given)]
    named = [t for t in rest_tokens if _is_person(t, is_first(t), given)]
    own_topics = question_topics(rest) if rest else ()
    return _Parse(
        question=question,
        continued=continued,
        body=body,
        tokens=tokens,
        given=given,
        period_match=period_match,
        period=period,
        rest=rest,
        rest_tokens=rest_tokens,
        named=named,
        own_topics=own_topics,
        anaphors=_outside(tokens, _anaphors(tokens), given),
        personal=any(t.base in _PERSONAL for t in tokens),
        own_content=bool(content or own_topics),
    )


def _person_phrase(p: _Parse) -> str | None:
    """The people a question names, as typed ("mum", "her dad", "tyler's sister", "the new
    partner", "mum and dad"); None when something else stands between them."""
    toks = p.rest_tokens
    named = {id(t) for t in p.named}
    marks = [i for i, t in enumerate(toks) if id(t) in named]
    if not marks:
        return None
    first, last = marks[0], marks[-1]
    for t in toks[first : last + 1]:
        if not (id(t) in named or t.base in _PERSON_QUALIFIERS or t.base in {"and", "or"}):
            return None
    # "his sister", "the new partner": a possessive or "the" and qualifiers in front.
    while first > 0 and toks[first - 1].base in _PERSON_QUALIFIERS:
        first -= 1
    if first > 0 and toks[first - 1].base in {"the", "his", "her", "their", "my", "our"}:
        first -= 1
    phrase = p.rest[toks[first].start : toks[last].end]
    phrase = re.sub(r"['’]s$", "", phrase)
    if toks[first].base in _PERSON_NOUNS | _FUNCTION | _PERSON_QUALIFIERS:
        phrase = phrase[:1].lower() + phrase[1:]  # "Mum?" -> "… about mum …"
    return phrase


def _noun_phrase(p: _Parse) -> str | None:
    """What a question asks about, when it says "any …" or "about …": "Has there been any
    DA in this family?" -> "DA", "any attendence concerns for josh?" -> "attendence
    concerns" (up to the next preposition, not a person)."""
    toks = p.rest_tokens
    inner = {"and", "of"}
    for head in reversed([i for i, t in enumerate(toks) if t.base in _ABOUT | {"any"}]):
        phrase: list[_Token] = []
        for t in toks[head + 1 :]:
            if t.base in _FUNCTION and t.base not in inner and not (t.base == "the" and not phrase):
                break
            if t.base != "the":
                phrase.append(t)
        while phrase and phrase[-1].base in inner:
            phrase.pop()
        if (
            1 <= len(phrase) <= 4
            and phrase[0].base not in inner
            and not any(_is_person(t, False, p.given) for t in phrase)
            and any(_is_content(t, False, p.given) for t in phrase)
        ):
            return p.rest[phrase[0].start : phrase[-1].end]
    return None


#: Person words that name more than one ("he"/"she" cannot stand for them).
_PLURAL_PEOPLE = _words(
    "parents brothers sisters siblings sons daughters children kids babies boys girls "
    "grandparents cousins partners carers twins adults family families lads lasses bairns"
)


def _one_person(phrase: str | None) -> str | None:
    """The phrase, where it names one person ("tyler's sister"), else None ("the kids",
    "mum and dad")."""
    if not phrase or re.search(r"\s(?:and|or)\s", phrase):
        return None
    words = [t for t in _tokens(phrase) if t.base not in _PERSON_QUALIFIERS]
    return None if words and words[-1].base in _PLURAL_PEOPLE else phrase


def _gender(phrase: str) -> str | None:
    """ "f" or "m" where the phrase's last person word says ("tyler's sister": "f")."""
    for tok in reversed(_tokens(phrase)):
        if tok.base in _PERSON_QUALIFIERS:
            continue
        return "f" if tok.base in _FEMALE else "m" if tok.base in _MALE else None
    return None


def _with_referent(p: _Parse, referent: str | None) -> str | None:
    """The question with "he"/"she"/"his"/"her" replaced by the person the previous
    question named, where every such pronoun agrees with them; None otherwise."""
    if not referent:
        return None
    found = [i for i, t in enumerate(p.tokens) if t.base in _SINGULAR_PRONOUNS]
    genders = {_SINGULAR_PRONOUNS[p.tokens[i].base] for i in found}
    if not found or len(genders) > 1 or _gender(referent) not in (None, *genders):
        return None
    offset = len(p.question) - len(p.question.lstrip())
    lead = p.question.lstrip()[: p.question.lstrip().find(p.body)] if p.body else ""
    start = offset + len(lead)
    text = p.question
    changed = False
    for i in reversed(found):
        tok = p.tokens[i]
        nxt = p.tokens[i + 1] if i + 1 < len(p.tokens) else None
        possessive = tok.base in {"his", "hers"} or (
            tok.base == "her" and nxt is not None and nxt.base not in _FUNCTION
        )
        if possessive and nxt is not None and _is_person(nxt, False, p.given):
            # "his sister", "her dad": left as typed. "reuben's dad" would name Reuben too,
            # and the answer would be about Reuben as much as about his dad.
            continue
        if possessive and nxt is not None and nxt.base in _PERSON_QUALIFIERS:
            continue  # "his older brother"
        changed = True
        word = f"{referent}'s" if possessive else referent
        if tok.word[:1].isupper() and i == 0 and not lead:
            word = _capitalised(word)
        text = text[: start + tok.start] + word + text[start + tok.end :]
    return text if changed else None


# --- resolution ------------------------------------------------------------------------------


def _resolve(
    question: str, previous: _Frame | None, names: NameWords | None = None
) -> tuple[str, _Frame, bool]:
    """(resolved text, this turn's frame, is it a follow-up)."""
    p = _parse(question, names)
    if previous is None:
        return question, _self_contained(p, None), False
    own = p.own_content or p.asks_about_person()
    follow_up = p.continued or bool(p.anaphors) or p.personal or not own
    if not follow_up:
        return question, _self_contained(p, None), False
    # A question naming its own person means them by "he"/"she" ("has mum attended her
    # appointments?"); one that names nobody means the person named just before.
    names_one = any(t.base not in _PLURAL_PEOPLE for t in p.named)
    referent = None if names_one else previous.referent
    named_again = _with_referent(p, referent)
    if named_again is not None:
        # "he", "she", "his", "her": the person the previous question named.
        p = _parse(named_again, names)
    else:
        referent = None
    if not (p.continued or p.anaphors or p.personal) and (p.own_content or p.asks_about_person()):
        # A whole question once its pronouns are named: "how is he doing?" after "and mum?".
        shown = _as_shown(p.question, question)
        return shown, replace(_self_contained(p, referent), text=shown), True

    tokens = p.tokens
    is_clause = bool(tokens) and (
        tokens[0].base in _WH or any(t.base in _AUXILIARIES or t.contracted for t in tokens)
    )
    pointing = [
        i
        for i in p.anaphors
        if p.period_match is None
        or not (p.period_match.start() <= tokens[i].start < p.period_match.end())
    ]
    if not is_clause and not pointing:
        frame = _fragment(p, previous)
        return frame.text, frame, True
    if pointing or not p.own_content:
        frame = _pointing_back(p, pointing, previous)
        return frame.text, frame, True
    # A whole question of its own ("and who lives in the household?"): answered as typed.
    shown = _as_shown(p.question, question)
    return shown, replace(_self_contained(p, referent), text=shown), True


def _as_shown(text: str, typed: str) -> str:
    """A question rewritten only by naming its pronouns, as shown under "Answered as":
    capitalised and closed with a question mark ("has jake engaged with …?")."""
    if text == typed:
        return text
    return _capitalised(text.rstrip(" ?")) + "?"


def _self_contained(p: _Parse, referent: str | None) -> _Frame:
    topics = p.own_topics or question_topics(p.question)
    person = _person_phrase(p)
    if p.asks_about_person() and person:
        return _Frame(
            plain=f"What is recorded about {person}",
            focus=None,
            person=person,
            period=p.period,
            topics=topics,
            text=p.question,
            about_person=True,
            referent=_one_person(person),
            names_people=True,
        )
    focus = _noun_phrase(p) or _focus_of(topics)
    one = _one_person(person)
    return _Frame(
        plain=_capitalised(p.rest or p.body) if p.period else _capitalised(p.body),
        focus=focus,
        person=None,
        period=p.period,
        topics=topics,
        text=p.question,
        focus_is_label=focus is not None,
        referent=referent or one,
        names_people=p.names_people or referent is not None,
    )


def _fragment(p: _Parse, previous: _Frame) -> _Frame:
    """ "and mum?", "since the move?", "what about exclusions?": replace that part."""
    frame = previous
    if p.period:
        frame = replace(frame, period=_normalised_period(p.period, previous.period))
    rest, own_topics = p.rest, p.own_topics
    lead = p.rest_tokens[0].base if p.rest_tokens else None
    bare = re.sub(r"^the\s+", "", rest, flags=re.I).lower()
    if p.own_content and bare in _SETTINGS and previous.focus and not p.named:
        # "what about school?" after a topic: that topic, at school.
        rest, lead = f"at {bare}", "at"
    person = _person_phrase(p)
    if p.own_content and lead in _WHERE:
        # "and at school?": the previous question, narrowed.
        if previous.focus:
            focus = f"{previous.focus} {rest}"
            frame = replace(frame, plain=f"What is recorded about {focus}", focus=focus)
        else:
            frame = replace(frame, plain=f"{previous.plain} {rest}")
        frame = replace(
            frame,
            focus_is_label=False,
            topics=tuple(dict.fromkeys(previous.topics + own_topics)),
        )
    elif p.own_content:
        # "what about exclusions?": a new topic, for the same person and period.
        focus = re.sub(r"^(?:about|regarding|concerning|re|on|for)\s+", "", rest, flags=re.I)
        frame = replace(
            frame,
            plain=f"What is recorded about {focus}",
            focus=focus,
            focus_is_label=False,
            about_person=False,
            person=None if p.names_people else previous.person,
            topics=own_topics,
            referent=_one_person(person) or previous.referent,
        )
    elif p.names_people and person:
        # "and mum?": the same topic and period, about someone else ("and his brother?"
        # after "what about Reuben's attendance?" asks about the brother's attendance).
        kept = previous.focus
        if kept and previous.referent and kept.startswith(f"{previous.referent}'s "):
            kept = kept[len(previous.referent) + 3 :]
        frame = replace(
            frame,
            person=person,
            focus=kept,
            referent=_one_person(person),
        )
    # Otherwise ("anything recorded?", "and?") the previous question stands as it was.
    return replace(frame, text=frame.compose())


def _pointing_back(p: _Parse, anaphors: list[int], previous: _Frame) -> _Frame:
    """ "When did that happen?", "was she there?": the previous topic, made explicit."""
    body, tokens = p.body, p.tokens
    clause = _capitalised(body.strip()) + "?"
    topics = tuple(dict.fromkeys(previous.topics + p.own_topics))
    one_topic = [t for t in previous.topics if t != "protective"]
    thing = [i for i in anaphors if tokens[i].base in {"it", "that", "this"}]
    if (
        previous.focus_is_label
        and previous.focus
        and len(one_topic) <= 1
        and not previous.person
        and not previous.period
        and len(anaphors) == 1
        and thing
        and _pronominal(tokens, thing[0], p.given)
        and not previous.focus.lower().startswith("the ")
    ):
        tok = tokens[thing[0]]
        text = _capitalised(f"{body[: tok.start]}the {previous.focus}{body[tok.end :]}".strip())
        text += "?"
    elif previous.focus:
        # "what does nan say?" after "and grandad?": about nan, on the same topic.
        person = previous.person if not p.named else None
        about = f"{person} and {previous.focus}" if person else previous.focus
        if previous.period and not p.period:
            about = f"{about} {previous.period}"
        text = f"Regarding {about}: {_decapitalised(clause, tokens)}"
    elif previous.about_person and previous.person:
        # "tell me about grandad", then "does he see the children?": it names him already.
        named = previous.person.lower() in body.lower()
        text = clause if named else f"Regarding {previous.person}: {_decapitalised(clause, tokens)}"
    else:
        text = f"{previous.text.rstrip()} {clause}"
    return _Frame(
        plain=text.rstrip("?"),
        focus=previous.focus,
        person=_person_phrase(p) if p.named else previous.person,
        period=None,
        topics=topics,
        text=text,
        focus_is_label=previous.focus_is_label,
        referent=(_person_phrase(p) if p.named else None) or previous.referent,
    )
