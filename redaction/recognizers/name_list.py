"""Names found by name lists and the way notes talk about people.

The statistical model misses lone first names, names it has not seen ("Yusra says"),
names in lists ("Present: Owain, Bryn, Mali and the IRO") and names that are
ordinary words ("Will says he will ..."). This recognizer reads capitalised words with
the packaged name lists (``redaction.name_lists``: given and family names of many
origins) and with the shape of the sentence:

* a capitalised word in a name list that is not an ordinary English word is a name,
  unless the words before it make it a place (``place_before``: "in Preston", "flew
  back to Accra", "she is from Hastings");
* a name that is also a word ("Will", "Hope", "Grace", "Said", "Precious") only with
  evidence: a verb people do straight after it ("Will says"), a clear name next to it
  ("Faith Crossley"), a family or role word before it ("sister May"), or written with a
  capital inside a sentence where the word would not have one;
* an unknown capitalised word followed by such a verb ("Ikraan said"), after "known as",
  "called", "goes by", or next to a name;
* every capitalised item of a list ("A, B and C") in which one item is a name, and of a
  "Present:" list;
* an initial after a name ("Reggie T") or before one ("R. Hussey").

All-capital text is left to the case-normalised copy the detector also analyses
(``redaction.truecase``); practice terms, services, kinship and role words
(``redaction.keep``) are never names here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

import regex
from presidio_analyzer import EntityRecognizer, RecognizerResult

from redaction.keep import KeepList
from redaction.lists_on_demand import ListsOnDemand
from redaction.name_lists import SPEAKER_VERBS, NameLists, fold
from redaction.name_spans import ABBREVIATIONS, EDGE_WORDS, LEADING_WORDS, ROLE_PHRASE_WORDS
from redaction.recognizers._common import char_before, words

ENTITY = "PERSON_LIST"

#: Verbs (and verb phrases' first words) that people do, written straight after a name.
PERSON_VERBS: frozenset[str] = frozenset(
    words(
        """
        said says say told tells rang rings phoned phones called calls texted messaged
        emailed came comes went goes arrived left disclosed discloses reported reports
        stated states asked asks explained explains shared shares spoke speaks talked
        talks wants wanted wished wishes cried cries refused refuses agreed agrees denied
        denies admitted admits attended attends missed misses was is has had have does did
        will would can could should must may might lives lived stays stayed moved walks
        walked plays played prefers preferred sleeps slept feels felt seemed seems looked
        looks appeared appears presented presents became becomes got gets hit hits shouted
        shouts screamed laughed smiled answered replied confirmed confirms mentioned
        mentions described describes vomited needs needed likes liked loves loved hates
        hated knows knew thinks thought believes believed helps helped works worked
        started starts stopped stops continues continued remains remained turned named
        names spends spent lost won joined sat stood ran runs swore threatened hurt
        messages messaged texts snapchats
        """
    )
)
PRONOUNS: frozenset[str] = frozenset(words("he she they i we it you"))
#: Verbs of contact whose object is a person ("rang Mehwish", "texted Kwame").
CONTACT_VERBS: frozenset[str] = frozenset(
    words("rang phoned called texted messaged emailed rung ringing phoning texting visited")
)
#: Words before a capitalised word that make it a person (besides LEADING_WORDS).
PERSON_CUES: frozenset[str] = frozenset(
    words(
        """
        pastor imam father sister brother rev reverend uncle aunty auntie aunt nan gran
        cousin friend friends mate pal neighbour neighbours boyfriend girlfriend partner
        fiance fiancee husband wife son daughter baby twin twins sibling siblings
        """
    )
)
#: A place preposition before a lone capitalised word makes it more likely a place ...
PLACE_PREPOSITIONS: frozenset[str] = frozenset(
    words("in at near into towards around via outside inside across through")
)
#: ... and so do "to" and "from" after a verb of travel ("went back to Kumasi").
TRAVEL_WORDS: frozenset[str] = frozenset(
    words(
        """
        back went go goes going gone travel travels travelled travelling traveled moved
        move moving returned return returning flew fly flying fled arrived came come
        comes trip trips outing holiday holidays deported sent relocated took take takes
        taking taken drove drive drives driving driven caravan seaside
        """
    )
)
#: Who "is from" somewhere ("she is from Hastings"; not "the text is from Kayden").
_FROM_SUBJECTS: frozenset[str] = frozenset(words("he she they we i")) | LEADING_WORDS


def place_before(before: Sequence[str]) -> bool:
    """The words before a capitalised word (folded, up to four, nearest last) make it a
    place: a place preposition ("staying in Bradford"), "to"/"from" shortly after a verb of
    travel or taking ("went back to Kumasi", "took the boys to Weston"), or "from" after
    someone is or was ("she is from Hastings", "originally from Kumasi")."""
    if not before:
        return False
    last = before[-1]
    if last in PLACE_PREPOSITIONS:
        return True
    if last not in ("to", "from"):
        return False
    if any(w in TRAVEL_WORDS for w in before[:-1]):
        return True
    return last == "from" and (
        before[-2:-1] == ["originally"]
        or (
            len(before) >= 3
            and before[-2] in ("is", "are", "was", "were")
            and before[-3] in _FROM_SUBJECTS
        )
    )


#: Words after "Name's" that show Name is a person ("Efua's NHS no", "Iolo's dad").
POSSESSED: frozenset[str] = frozenset(
    words(
        """
        dob d.o.b nhs upn mob mobile phone number address school nursery bedroom room
        behaviour attendance class teacher worker social keyworker plan needs views wishes
        school's health appointment appt ehcp case file
        """
    )
)
#: Month names that are also given names: a name only with evidence.
CALENDAR_NAMES: frozenset[str] = frozenset(words("april may june july august jan jun"))
_NICKNAME_AFTER = regex.compile(
    r"^(?:['’]s)?\s*[,(]?\s*(?:is\s+|was\s+)?(?:also\s+)?(?:known\s+as|goes\s+by|aka\b|a\.k\.a"
    r"|pet\s+name|nicknamed|nickname|prefers\s+to\s+be\s+called)",
    regex.IGNORECASE,
)
_LABEL_AFTER = regex.compile(r"^:?\s*(?i:dob|d\.o\.b|nhs|upn|date of birth)\b|^:\s*(?i:born|age)\b")
#: Words after which a capitalised word is not at the start of a sentence but the word
#: would not have a capital if it were not a name.
DETERMINERS: frozenset[str] = frozenset(
    words("the a an this that these those his her their our my your its some any no every")
)
_NICKNAME_CUE = regex.compile(
    r"(?i:\b(?:known(?:\s+\w+){0,4}?\s+as|goes\s+by|going\s+by|called|calls\s+(?:him|her)self"
    r"|nicknamed|nickname|pet\s+name|prefers(?:\s+to\s+be\s+called)?|answers\s+to|aka|a\.k\.a\.?"
    r"|(?:call|calls|called)\s+(?:him|her|them|me)"
    r"|(?:they|we|you|people|everyone|everybody)\s+call))"
    r"[\s:,]+['‘\"“]?$"
)
#: "X is Bobby to everyone": a second name by which people know someone.
_KNOWN_TO = regex.compile(
    r"^['’\"”]?\s+to\s+(?i:everyone|everybody|all|friends|family|(?:his|her|their|the)\s+"
    r"(?:friends|family|mates|peers|class))\b"
)
_IS_BEFORE = regex.compile(r"(?:\b(?i:is|was)|['’]s)\s+['‘\"“]?$")
_LIST_CUE = regex.compile(
    r"(?i:\b(?:present|attendees|attending|in\s+attendance|attended\s+by|household|children"
    r"|siblings|members)\b[^.:;\n]{0,30}:\s*)$"
)
_TOKEN = regex.compile(r"(?:\p{Lu}['’])?\p{L}[\p{L}\p{M}]*(?:['’-]\p{L}[\p{L}\p{M}]*)*")
_SENTENCE_END = set(".!?;:\n\"'‘’“”()[]•*-–—|")
#: Informal spellings of English words that name lists also hold ("til 4pm", "cos").
INFORMAL_WORDS: frozenset[str] = frozenset(words("til cos coz tho thru abt nite"))
_NOT_NAMES: frozenset[str] = frozenset(
    (
        {*LEADING_WORDS, *ROLE_PHRASE_WORDS, *ABBREVIATIONS, *EDGE_WORDS, *PERSON_CUES}
        - {"said", "says"}
    )  # "Said Karam" is a name; "said" is a word-name like "Will"
    | set(
        words(
            """
            i i'm i've i'd i'll he she they we it you me him her them us mr mrs ms miss mx
            dr ok okay yes no not nb ps re cc fao the this these those their our its every
            some
            """
        )
    )
    | INFORMAL_WORDS
)


@dataclass
class _Tok:
    start: int
    end: int
    text: str
    key: str
    cap: bool  # first letter upper, not all upper (or one letter)
    upper: bool
    kept: bool
    sentence_start: bool
    kind: str = ""  # "", "name", "maybe"
    score: float = 0.0


class NameListRecognizer(ListsOnDemand, EntityRecognizer):
    """Names from name lists, sentence shape and lists of people (entity ``PERSON_LIST``)."""

    STRONG = 0.6
    CONTEXT_SCORE = 0.55
    WEAK = 0.45

    def __init__(
        self,
        supported_language: str = "en",
        lists: NameLists | None = None,
        keep: KeepList | None = None,
    ) -> None:
        self._lists = lists
        self._keep = keep
        super().__init__(
            supported_entities=[ENTITY],
            name="NameListRecognizer",
            supported_language=supported_language,
        )

    def load(self) -> None:  # lists are loaded lazily and cached per process
        pass

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: object = None
    ) -> list[RecognizerResult]:
        if entities and ENTITY not in entities:
            return []
        # The model's own readings are not used: it reads many names as places ("Tahir,
        # known as ...", "the text was from Kayden").
        return [
            RecognizerResult(ENTITY, start, end, score) for start, end, score in self.find(text)
        ]

    # -- the rules ---------------------------------------------------------------------

    def _tokens(self, text: str) -> list[_Tok]:
        kept = self.keep.ranges(text)
        toks = []
        for m in _TOKEN.finditer(text):
            word = m.group()
            upper = word.isupper() and sum(c.isalpha() for c in word) >= 2
            cap = word[0].isupper() and not upper
            before = char_before(text, m.start())
            sentence_start = not before or before in _SENTENCE_END
            toks.append(
                _Tok(
                    m.start(),
                    m.end(),
                    word,
                    fold(word),
                    cap,
                    upper,
                    any(s <= m.start() and m.end() <= e for s, e in kept),
                    sentence_start,
                )
            )
        return toks

    def _plain_name(self, tok: _Tok) -> bool:
        return tok.cap and not tok.kept and tok.key not in _NOT_NAMES and len(tok.key) >= 2

    def find(self, text: str) -> list[tuple[int, int, float]]:
        """``(start, end, score)`` of each name found in ``text``."""
        toks = self._tokens(text)
        if not toks:
            return []
        lists = self.lists
        kinship = self.keep.words_of("kinship")
        cue_words = LEADING_WORDS | PERSON_CUES | kinship

        def gap(i: int) -> str:
            return text[toks[i - 1].end : toks[i].start] if i > 0 else text[: toks[0].start]

        def prev_key(i: int) -> str:
            return toks[i - 1].key if i > 0 else ""

        def next_key(i: int) -> str:
            return toks[i + 1].key if i + 1 < len(toks) else ""

        def joined(i: int, j: int) -> bool:
            """Tokens i and j (= i + 1) are one name: a single space between them."""
            return gap(j) in (" ", "-")

        placed: set[int] = set()  # words after a place preposition
        for i, tok in enumerate(toks):
            if not self._plain_name(tok):
                continue
            after = text[tok.end : tok.end + _CUE_REACH]
            verb_after = next_key(i) in PERSON_VERBS and (
                gap(i + 1) == " " or (gap(i + 1) == ", " and next_key(i) in ("said", "says"))
            )
            cue_before = i > 0 and (
                (
                    (
                        prev_key(i) in LEADING_WORDS
                        or prev_key(i) in PERSON_CUES
                        or prev_key(i) in kinship
                    )
                    and gap(i).strip() in ("", ",", ":", "(")
                )
                or (prev_key(i) in ("m", "f") and gap(i).strip() == "(")
                or (prev_key(i) in CONTACT_VERBS and gap(i) == " ")
                or (
                    prev_key(i) in ("to", "with")
                    and i > 1
                    and toks[i - 2].key in ("spoke", "speak", "spoken", "talked", "met", "meeting")
                )
            )
            # "father K. Mbeki": the cue stands before the initial.
            cue_before = cue_before or (
                i > 1
                and len(toks[i - 1].text) == 1
                and toks[i - 1].text.isupper()
                and gap(i) in (". ", " ")
                and toks[i - 2].key in cue_words
            )
            possessed = regex.match(r"['’]s\s", tok.text[-2:] + after[:1]) is not None and (
                next_key(i) in POSSESSED or next_key(i) in LEADING_WORDS
            )
            identified = bool(_LABEL_AFTER.match(after))  # "Favour DOB ..."
            labelled = identified or bool(_NICKNAME_AFTER.match(after))
            # "Efe (8)", "Rab (gran)": evidence for a word no list holds, or a given name
            # that is also a word ("Grace (8)", not "Room (2)").
            bracketed = described_in_brackets(after, cue_words)
            quoted = _quoted(text, tok)
            # A later word of a place's name is in the place too ("in Hai Phong is"): the
            # verb after it is the place's.
            continued_place = (
                i - 1 in placed
                and gap(i) == " "
                and toks[i - 1].cap
                and not tok.text.endswith(("'s", "’s"))
            )
            # "the Trust said", "Council said", "Hope is that ...": an organisation speaks,
            # or a thing is described; the verb after shows no person.
            not_a_speaker = (
                tok.key in INSTITUTION_WORDS
                or (prev_key(i) in _ARTICLES and gap(i) == " ")
                or _thing_described(toks, i, gap, lists)
            )
            verb_after = verb_after and not continued_place and not not_a_speaker
            evidence = verb_after or cue_before or possessed or labelled
            in_place = continued_place or (
                i > 0 and gap(i) == " " and place_before([t.key for t in toks[max(0, i - 4) : i]])
            )
            if in_place:
                placed.add(i)
            nickname = bool(_NICKNAME_CUE.search(_tail(text, tok.start))) or bool(
                _KNOWN_TO.match(after) and _IS_BEFORE.search(_tail(text, tok.start))
            )
            # "Bile vomited": a verb only a person does after a word some name table holds.
            speaker_after = (
                next_key(i) in SPEAKER_VERBS
                and gap(i + 1) == " "
                and lists.may_be_name(tok.key)
                and not not_a_speaker
            )
            gap_after = gap(i + 1) if i + 1 < len(toks) else ""
            if _not_a_name_here(tok, after, prev_key(i), gap(i), next_key(i), gap_after):
                continue
            if tok.key in CALENDAR_NAMES:
                if evidence and not in_place:
                    tok.kind, tok.score = "name", self.CONTEXT_SCORE
                continue
            if next_key(i) in PRONOUNS and gap(i + 1) == " " and lists.is_english(tok.key):
                continue  # "mum Said she ...", "Will he come": a verb, not a name
            if (
                lists.is_clear_name(tok.key)
                or lists.has_name_shape(tok.key)
                or lists.is_misspelt_given(tok.key)
            ):
                if in_place and not (evidence or bracketed):
                    continue
                tok.kind, tok.score = "name", self.STRONG
            elif lists.is_word_name(tok.key):
                given = lists.is_given(tok.key)
                # "Will kicked off": a modal or a noun is not followed by a past tense.
                past_after = (
                    given
                    and not not_a_speaker
                    and i + 1 < len(toks)
                    and gap(i + 1) == " "
                    and past_tense(next_key(i), lists)
                    and not toks[i + 1].cap
                )
                # "the argument with Grace.": a capital inside running lower-case prose,
                # where the word would not have one, and no capitalised word after it (not
                # "Hope House").
                in_prose = (
                    given
                    and not tok.sentence_start
                    and i > 0
                    and gap(i) == " "
                    and toks[i - 1].text[:1].islower()
                    and prev_key(i) not in DETERMINERS
                    and prev_key(i) not in _COPULAS  # "the family are Christian"
                    and not in_place
                    and not (i + 1 < len(toks) and toks[i + 1].cap and gap(i + 1) == " ")
                    and not regex.match(r"\s*\d", after)  # "Ward 9", "Year 7"
                )
                if evidence or nickname or past_after or in_prose or (bracketed and given):
                    tok.kind, tok.score = "name", self.CONTEXT_SCORE
                elif not tok.sentence_start and prev_key(i) not in DETERMINERS and not in_place:
                    tok.kind, tok.score = "maybe", self.WEAK
                else:
                    tok.kind = "maybe"
            elif not lists.is_common(tok.key):
                # Unknown, or a rare English word ("Rab", "Biddy"): a name with evidence;
                # only an unknown word joins a name beside it.
                english = lists.is_english(tok.key)
                # A rare English word before a verb is often a service ("Tenancy ...").
                strong = cue_before or possessed or labelled or nickname or quoted or bracketed
                verb_evidence = verb_after and (not english or speaker_after)
                if (strong or verb_evidence) and (not in_place or bracketed):
                    tok.kind, tok.score = "name", self.CONTEXT_SCORE
                elif not english:
                    tok.kind = "maybe"
            elif nickname or identified or possessed or (speaker_after and not in_place):
                # A common word with an identifier after it is a name ("Favour DOB ..."),
                # but not one before "known as" that no name list holds ("Also known as").
                tok.kind, tok.score = "name", self.CONTEXT_SCORE
        # Nicknames in capitals after "known as" ("KB").
        for tok in toks:
            if tok.upper and not tok.kept and _NICKNAME_CUE.search(_tail(text, tok.start)):
                tok.kind, tok.score = "name", self.CONTEXT_SCORE
        # Neighbours: a clear name next to a "maybe" makes one name ("Faith Crossley").
        changed = True
        while changed:
            changed = False
            for i in range(len(toks) - 1):
                a, b = toks[i], toks[i + 1]
                if not joined(i, i + 1):
                    continue
                for x, y in ((a, b), (b, a)):
                    if x.kind == "name" and y.kind == "maybe" and y.cap:
                        y.kind, y.score = "name", max(x.score, self.CONTEXT_SCORE)
                        changed = True
        self._lists_of_people(text, toks, gap)
        return self._spans(text, toks, gap)

    def _lists_of_people(self, text: str, toks: list[_Tok], gap: object) -> None:
        """Every capitalised item of "A, B and C" when one item is a name or a
        "Present:" cue introduces the list."""
        n = len(toks)
        i = 0
        while i < n:
            # A chain: capitalised tokens separated by ", " / " and " / " & ".
            chain = [i] if self._plain_name(toks[i]) else []
            j = i
            while chain and j + 1 < n:
                between = text[toks[j].end : toks[j + 1].start]
                nxt = toks[j + 1]
                if between == " " and nxt.cap:
                    j += 1  # second word of the same item
                    chain.append(j)
                    continue
                if between in (", ", " & ", ",") and self._plain_name(nxt):
                    j += 1
                    chain.append(j)
                    continue
                if between == " " and nxt.key == "and" and j + 2 < n:
                    after = text[nxt.end : toks[j + 2].start]
                    if after == " " and self._plain_name(toks[j + 2]):
                        j += 2
                        chain.append(j)
                        continue
                break
            items = [k for k in chain if self._plain_name(toks[k])]
            separated = (
                len({text[toks[a].end : toks[b].start] for a, b in pairwise(chain)} - {" "}) > 0
            )
            if len(items) >= 2 and separated:
                cued = bool(_LIST_CUE.search(_tail(text, toks[chain[0]].start)))
                if cued or any(toks[k].kind == "name" for k in items):
                    for k in items:
                        # Not an ordinary word no name list holds ("Dr Okafor, Specialty
                        # Doctor"): a role or a heading, not a person of the list.
                        ordinary = self.lists.is_common(toks[k].key) and not self.lists.may_be_name(
                            toks[k].key
                        )
                        if (
                            toks[k].kind != "name"
                            and toks[k].key not in DETERMINERS
                            and not ordinary
                        ):
                            toks[k].kind, toks[k].score = "name", self.CONTEXT_SCORE
            i = (j + 1) if chain else i + 1

    def _spans(self, text: str, toks: list[_Tok], gap: object) -> list[tuple[int, int, float]]:
        spans: list[tuple[int, int, float]] = []
        i = 0
        n = len(toks)
        while i < n:
            if toks[i].kind != "name" or toks[i].score <= 0:
                i += 1
                continue
            start, end, score = toks[i].start, toks[i].end, toks[i].score
            j = i
            while (
                j + 1 < n
                and toks[j + 1].kind == "name"
                and toks[j + 1].score > 0
                and text[toks[j].end : toks[j + 1].start] in (" ", "-")
            ):
                j += 1
                end = toks[j].end
                score = max(score, toks[j].score)
            # Possessive "'s" stays outside; an initial after ("Reggie T") or before
            # ("R. Hussey") joins.
            initial_after = _INITIAL_AFTER.match(text, end)
            if initial_after:
                end = initial_after.end()
            # (Only the few characters before the name are searched, not the whole text.)
            head = max(0, start - 5)
            initial_before = _INITIAL_BEFORE.search(text[head:start])
            if initial_before and (
                initial_before.group(2) or initial_before.group(1) not in ("A", "I")
            ):
                start = head + initial_before.start(1)
            end = _strip_possessive(text, start, end)
            if end > start:
                spans.append((start, end, score))
            i = j + 1
        return spans


#: A short remark in brackets straight after a word: "(8)", "(8/12, NHS ...)", "(gran)".
_BRACKETS = regex.compile(r"\s?\(([^()\n]{1,40})\)")
#: An age as written in brackets after a name ("15", "8/12", "3 yrs", "6 months old").
_AGE = regex.compile(
    r"\s*\d{1,2}(?:\s*/\s*12)?\s*(?i:y(?:rs?|ears?)?|m(?:ths?|onths?)?|wks?|weeks?)?"
    r"(?:\s+(?i:old))?\s*(?:[,;]|$)"
)
_LABEL_INSIDE = regex.compile(r"(?i:\b(?:dob|d\.o\.b|nhs|upn|aged?)\b)")


def described_in_brackets(after: str, cue_words: frozenset[str] | set[str]) -> bool:
    """A person's age, an identifier label or a family or role word in brackets straight
    after a word ("(15)", "(8/12, NHS ...)", "(DOB ...)", "(gran)", "(mum's partner)")."""
    m = _BRACKETS.match(after)
    if m is None:
        return False
    inside = m.group(1)
    if _AGE.match(inside) or _LABEL_INSIDE.search(inside):
        return True
    keys = [fold(w) for w in regex.findall(r"[\p{L}'’]+", inside)]
    return 0 < len(keys) <= 3 and any(k in cue_words for k in keys)


#: How far before or after a word its cue patterns reach (they end or start at it).
_CUE_REACH = 100


#: Bodies that speak and act as a person does ("the Trust said", "Council agreed"); some
#: name tables hold them.
INSTITUTION_WORDS: frozenset[str] = frozenset(
    words("trust council court church temple mosque board panel tribunal")
)
#: Words before a capitalised word that make it a thing or a body, not a person.
_ARTICLES: frozenset[str] = frozenset(words("the a an its this these those"))
#: Words after "X is" / "X was" at the start of a sentence that describe a thing, not a
#: person ("Hope is that ...", "Faith is important to them", "Summer was spent at nan's").
_THING_COMPLEMENTS: frozenset[str] = frozenset(
    words("that what how why whether because important key vital essential crucial spent")
)


def _thing_described(toks: list[_Tok], i: int, gap: Callable[[int], str], lists: NameLists) -> bool:
    """A word-name opening a sentence before "is"/"was" and a word that describes a thing."""
    return (
        toks[i].sentence_start
        and i + 2 < len(toks)
        and lists.is_word_name(toks[i].key)
        and toks[i + 1].key in ("is", "was")
        and toks[i + 2].key in _THING_COMPLEMENTS
        and gap(i + 1) == " "
        and gap(i + 2) == " "
    )


#: Verbs after which a capitalised word describes (a faith, a nationality), not names.
_COPULAS: frozenset[str] = frozenset(
    words("is are was were be been being am seem seems seemed became become becomes")
)
#: Short weekday names that are also given names ("Thu", "Tue", "Sun").
WEEKDAYS: frozenset[str] = frozenset(
    words(
        """
        mon tue tues wed weds thu thur thurs fri sat sun monday tuesday wednesday thursday
        friday saturday sunday
        """
    )
)
#: Words before a weekday that make it one ("on Thu", "every Tue").
_DAY_BEFORE: frozenset[str] = frozenset(words("on every each from until till til by next last"))
#: "Reg 6(1)(e)", "Sch 2 para 4": a section of an act or regulation after the word.
_SECTION_AFTER = regex.compile(r"\s+\d+[A-Z]?(?:\(\w{1,4}\))+|\s+\d+\.\d+(?:\.\d+)*\b")


def _not_a_name_here(
    tok: _Tok, after: str, before: str, gap_before: str, nxt: str, gap_after: str
) -> bool:
    """A weekday in a series or after "on" ("Tue/Thu", "on Thu"), or a word before a
    section number ("Reg 6(1)")."""
    if tok.key in WEEKDAYS:
        series = {"/", "-", "–", " & ", ", ", " and ", " or "}
        if (before in WEEKDAYS and gap_before in series) or (
            nxt in WEEKDAYS and gap_after in series
        ):
            return True
        if before in _DAY_BEFORE and gap_before == " ":
            return True
    return _SECTION_AFTER.match(after) is not None


def past_tense(key: str, lists: NameLists) -> bool:
    """A regular past tense of an English verb ("kicked", "stopped", "cried")."""
    if len(key) < 5 or not key.endswith("ed") or key in lists.given:
        return False
    stems = (key[:-2], key[:-1], key[:-3] if key[-3:-2] == key[-4:-3] else "", key[:-3] + "y")
    return any(len(stem) >= 3 and lists.is_common(stem) for stem in stems if stem)


def _tail(text: str, end: int) -> str:
    """The ``_CUE_REACH`` characters before ``end``: a pattern anchored at ``$`` searched in
    the whole text before every word would make long notes quadratic."""
    return text[max(0, end - _CUE_REACH) : end]


_INITIAL_AFTER = regex.compile(r" (\p{Lu})(?=[\s.,;:)]|$)")
_INITIAL_BEFORE = regex.compile(r"(?<![\w./])(\p{Lu})(\.?) $")  # not "M/O Name"


def _quoted(text: str, tok: _Tok) -> bool:
    """The token alone inside quotes ('Rab', "Dheere")."""
    before = text[tok.start - 1 : tok.start] if tok.start else ""
    after = text[tok.end : tok.end + 1]
    return before in ("'", "‘", '"', "“") and after in ("'", "’", '"', "”")


def _strip_possessive(text: str, start: int, end: int) -> int:
    piece = text[start:end]
    for tail in ("'s", "’s", "'", "’"):
        if piece.endswith(tail) and len(piece) > len(tail) + 1:
            return end - len(tail)
    return end
