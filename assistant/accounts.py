"""Accounts of one event, side by side: the neighbour alleges, the mother denies, the child
says something else, the officers found.

An answer that quotes one of them reads as if it were the whole story. Once the generator
has chosen its sentences and put each allegation, concern, referral or incident together
with its recorded outcome (``assistant.generators.extractive``), this module gathers the
other accounts of that same event under it, each cited and labelled with whose account it
is, so a worker sees them together rather than as unrelated items (or not at all).

Another sentence is an account of the event when it is somebody's account (self-reported,
a third party's report, or, from another record, what a professional observed), it is
not the claim's own account again (a different class or a different person), and it is
about the same event:

- it stands in the claim's own record and that record is of one event (a police log of a
  call, a notification): every account in it is of that event, but for what the log
  recalls of an earlier matter and a party's answers to a risk assessment; or
- it stands near it in the same record of many matters (``near_lines`` lines apart, no
  new list item, dated entry or section between) and is about the same matter: a matter
  word in common, close in meaning (the generator's MiniLM similarity), or answering it
  and pointing back ("her brother confirms he was there", "insists that had nothing to do with
  her"); never merely the next line, a figure ("attendance 83%") or consent to tell someone.
  A party's account there gathers the other accounts next to it even when
  it is no allegation ("Mum says he no longer stays" beside "K says he stays at
  weekends"): the record sets the two versions side by side itself; or
- it stands in a later record and names the event's day ("Re 12/03: says she was out
  for twenty minutes"); or
- it stands in another record dated within ``window_days`` of the event and shares at
  least ``shared_words`` content words with the event (the claim, its outcomes and its
  record's title), people's placeholders and kinship words aside.

Never a heading that identifies someone or lists who was there (``identifies_only``), and
never the same line twice (two chunks may split it differently). Accounts already in the
answer move under the event (with their own outcomes); others come from the retrieved
records, the record's denials and the answer's own sentences first. An account told over
several lines ("CALLER: ..." then "STATES ...") gathers its other accounts under its last
line. Nothing here reads or writes anything but pseudonymised sentences.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal, Protocol, TypeVar, cast

from assistant.outcomes import (
    PARTY_WORDS,
    addressed_to_reader,
    claim_cue,
    continues_account,
    days_named,
    earlier_matter,
    is_disputed,
    matter_words,
    new_entry,
    outcome_cue,
    risk_answer,
    seen_finding,
    single_event,
)
from assistant.reliability import Provenance, RecordContext
from assistant.text import content_words, list_item, stem, tokens

Role = Literal["item", "outcome", "account"]

#: The classes that are somebody's account of what happened (an assessment is an opinion
#: about it, "not stated" is nobody's account).
_ACCOUNTS = frozenset({"observed", "self_reported", "third_party_allegation"})
#: People words every sentence about a family shares; they do not make two sentences
#: about one event.
_PEOPLE_WORDS = (
    "mum mother father dad parent parents child children son daughter boy girl "
    "family brother sister sibling nan grandmother"
)
_PEOPLE = frozenset(stem(w) for w in _PEOPLE_WORDS.split())
#: A cheap first look (before any parse): the sentence may give somebody's account.
_MAY_BE_ACCOUNT = re.compile(
    r"\b(?:sa(?:y|ys|id)|stat(?:e|es|ed|ing)|t(?:ell|ells|old)|report(?:s|ed|ing)?|"
    r"den(?:y|ies|ied|ying)|alleg\w*|claim\w*|admit\w*|disclos\w*|explain\w*|describ\w*|"
    r"insist\w*|maintain\w*|account|version|according|view|saw|seen|heard|found|"
    r"observ\w*|witness\w*|rang|phoned|called|complain\w*|mention\w*|confirm\w*|"
    r"agree\w*|noted|examined|visible|obvious|evident)\b|"
    r"^\s*[^:]{1,25}:\s",
    re.IGNORECASE,
)
_DATE = re.compile(r"\b(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2,4}))?\b")


class Sentence(Protocol):
    """What this module reads of a candidate sentence."""

    @property
    def text(self) -> str: ...

    @property
    def record(self) -> str: ...

    @property
    def when(self) -> date: ...

    @property
    def words(self) -> set[str]: ...

    @property
    def context(self) -> RecordContext: ...

    @property
    def evidence(self) -> bool: ...


S = TypeVar("S", bound=Sentence)


@dataclass(frozen=True)
class AccountSettings:
    #: Another record's account is of the event when recorded this close to it ...
    window_days: int = 14
    #: ... and shares this many content words with the event.
    shared_words: int = 2
    #: Most other accounts shown under one event.
    per_event: int = 3
    #: In a record of many matters, another account of the event stands at most this
    #: many lines from it (the generator gives each sentence the three before it).
    near_lines: int = 3
    #: Two parties' own words on lines next to each other are of one matter this much
    #: less close in meaning than the generator's same-matter similarity.
    voices_margin: float = 0.05


def names_date(sentence: str, when: date) -> bool:
    """The sentence names the day ("12/03/23", "12.3") on which the event happened."""
    for m in _DATE.finditer(sentence):
        day, month, year = int(m.group(1)), int(m.group(2)), m.group(3)
        if (day, month) != (when.day, when.month):
            continue
        if year is None or int(year) % 100 == when.year % 100:
            return True
    return False


def event_words(words: set[str]) -> set[str]:
    """Content words that say what happened: people's placeholders and kinship words
    ("mum", "children"), which every sentence about a family shares, aside."""
    return {w for w in words if not w.startswith("[") and w not in _PEOPLE}


def _goes_on(claim: Sentence, after: Sentence) -> bool:
    """The item after ``claim`` goes on with its account ("CALLER: ..." then "STATES
    ..."): one account, told over several lines of one record."""
    return after.record == claim.record and continues_account(after.text)


def _same_words(a: set[str], b: set[str]) -> bool:
    """One line's content words (nearly) all the other's: the same line, split
    differently in two chunks, or quoted again."""
    small = min(len(a), len(b))
    return small > 0 and len(a & b) >= 0.8 * small


def different_account(a: Provenance, b: Provenance) -> bool:
    """Two sentences are two accounts: a different class, or a different person's."""
    return a.reliability != b.reliability or (a.source or "") != (b.source or "")


#: A line that answers the account before it: confirms, agrees, denies, disputes or
#: disowns it ("her brother confirms ...", "Dad disagrees", "insists that had nothing to do with
#: her").
_ANSWERS = re.compile(
    r"\b(?:confirm\w*|corroborat\w*|agree[sd]?(?! to\b)|disagree[sd]?|den(?:y|ies|ied)|disput\w*|"
    r"accept(?:s|ed)?|admit(?:s|ted)?|"
    r"contradict\w*|nothing to do with|not true|never happened|differently|"
    r"(?:a |her |his |their )?(?:different|other) (?:version|account|explanation))\b",
    re.IGNORECASE,
)
#: The writer putting the line before to a party and recording what they then said
#: ("Discussed with dad - he said it was only once", "Put to mum; she accepted ...", "When
#: asked about this, he said ..."): that party's answer to it, their further account of the
#: same matter, even when the line before was their own.
_PUT_TO = re.compile(
    r"^\W*(?:(?:this|that|it) (?:was )?)?(?:discussed|raised|explored|put|challenged|queried|"
    r"followed up|checked|spoke|talked)\b[^.;]{0,40}?\b(?:with|to)\b[^.;]{0,40}?[-–:,;]\s*"
    r"(?:\S+\s+){0,2}?(?:said|says|stated|states|replied|explained|told|admitted|accepted|"
    r"agreed|denied|confirmed|maintained|insisted)\b|"
    r"^\W*when (?:asked|challenged|questioned|pressed)\b[^.;]{0,40}?,\s*(?:\S+\s+){0,2}?"
    r"(?:said|says|stated|replied|explained|told|admitted|accepted|agreed|denied|confirmed|"
    r"maintained|insisted)\b",
    re.IGNORECASE,
)


def put_to_party(sentence: str) -> bool:
    """The writer put the matter of the line before to a party and records what they then
    said ("Raised this with gran - she replied ..."): their answer to it."""
    return bool(_PUT_TO.search(sentence))


#: A party's words setting themselves against the line before ("told me privately that he
#: still comes round", "however K said ...", "in fact").
_CONTRAST = re.compile(
    r"\b(?:still|actually|in fact|however|whereas|instead|privately|on the contrary)\b",
    re.IGNORECASE,
)
#: An answer pointing back at what it answers ("confirms he was there", "denies it").
_REFERS = re.compile(r"\b(?:it|this|that|him|her|them|there|he|she|they)\b", re.IGNORECASE)
#: Consent to share or tell ("he agreed the youth worker may be informed", "with mum's
#: consent"): an arrangement about information, nobody's account of an event.
_CONSENT = re.compile(
    r"\b(?:consent\w*|permission)\b|"
    r"\bagree[sd]?\b(?: that)?[^.;]{0,50}\b(?:can|could|may|to) be (?:told|informed|shared|"
    r"contacted|copied|sent)\b",
    re.IGNORECASE,
)
#: A percentage, a count out of a total or an age-equivalent ("attendance 83%", "5 of 9
#: sessions", "reading age 10y2m"); never a day ("30/08").
_FIGURE = re.compile(r"\d\s*%|\b\d+ (?:out )?of \d+\b|\b\d+y\s?\d+m\b", re.IGNORECASE)
#: Most words besides the figure a line that only gives a figure has.
_FIGURE_MAX_WORDS = 4


def figure_only(sentence: str) -> bool:
    """A line that gives a figure and little else ("Nursery: autumn attendance 83%."):
    a measure, neither an event with accounts nor anybody's account of one."""
    if not _FIGURE.search(sentence) or tells(sentence):
        return False
    words = {w for w in content_words(sentence) if not any(ch.isdigit() for ch in w)}
    return len(matter_words(event_words(words))) <= _FIGURE_MAX_WORDS


def consent_only(sentence: str) -> bool:
    """A line recording consent to share or tell, nobody's account of what happened."""
    return bool(_CONSENT.search(sentence))


#: A line's own field label ("Alcohol: ...", "Risk - ..."); a person's ("Mum: ...",
#: "CALLER: ...") is somebody's account, not a field.
_FIELD = re.compile(r"^\W*([A-Za-z][A-Za-z /&'-]{1,30}?)\s*:\s")


def _field(line: str) -> str | None:
    """The field a line is labelled as ("alcohol", "risk"), never a person."""
    m = _FIELD.match(line)
    if m is None or content_words(m.group(1)) & (_PEOPLE | PARTY_WORDS):
        return None
    return m.group(1).lower()


def _lines_between(first: Sentence, later: Sentence, limit: int) -> list[str] | None:
    """The lines between ``first`` and ``later`` when ``later`` stands at most ``limit``
    lines after it in its record (from the lines before it its context gives), else None."""
    before = [t.strip() for t in later.context.previous[-limit:]]
    for k in range(len(before) - 1, -1, -1):
        if before[k] == first.text.strip():
            return before[k + 1 :]
    return None


def _near(
    claim: Sentence,
    cand: Sentence,
    limit: int,
    same_matter: Callable[[Sentence, Sentence, float], bool],
    *,
    near_only: bool = False,
    voices_margin: float = 0.0,
) -> bool:
    """``cand`` stands beside ``claim`` in their record of many matters and gives an
    account of the same thing, with no new list item, dated entry or section starting in
    between: within ``limit`` lines with a word of its matter in common, or answering it
    ("her brother confirms ...", "insists that had nothing to do with her"); the line next to it
    only when close to it in meaning (``same_matter``). Never merely the next line: in a record
    of many matters that is as often another matter ("Attendance 83%." then "J says he just
    wants to box")."""
    between = _lines_between(claim, cand, limit)
    later = cand
    if between is None:
        between, later = _lines_between(cand, claim, limit), claim
    if between is None:
        return False
    if any(list_item(t) or new_entry(t) or names_a_section(t) for t in between):
        return False
    if list_item(later.text) or new_entry(later.text):
        return False
    first = claim if later is cand else cand
    fields = {f for f in map(_field, [first.text, *between]) if f}
    if (label := _field(later.text)) and fields - {label}:
        return False  # "Alcohol: ..." then "Risk: ...": two fields of a form
    if addressed_to_reader(cand.text):
        return False  # "(... - please update your records.)": a note to the reader
    if figure_only(claim.text) or figure_only(cand.text):
        return False  # "Attendance 83%": a measure, nobody's account of an event
    if _shared_matter(claim, cand):
        return True
    # A line that answers it: "her brother confirms he was there", "insists that had nothing to
    # do with her" (about the line before, whatever its words), or close to it in meaning.
    answers = bool(_ANSWERS.search(cand.text)) or (later is cand and put_to_party(cand.text))
    if answers and (_REFERS.search(cand.text) or same_matter(claim, cand, 0.0)):
        return True
    if between:
        return False
    # The line next to it: only on the same matter (close in meaning; two parties' own
    # words side by side a little less close: "says he doesn't stay over" / "told me he
    # sleeps over at weekends"; the second setting itself against the first: "told me
    # privately that he still comes round"), or what a professional saw beside a party's
    # word ("the nurse noted ..." after "said he fell").
    voices = tells(claim.text) and tells(cand.text)
    return (
        same_matter(claim, cand, voices_margin if voices else 0.0)
        or (voices and bool(_CONTRAST.search(later.text)))
        or (near_only and (outcome_cue(cand.text) or seen_finding(cand.text)))
    )


#: A line that goes on with the party's account on the line before, its subject dropped, as
#: an assessment writes a parent's section ("Denies hitting him." then "Accepts she shouted."
#: or "Says he pays rent 'when he can'."); never a passive ("Confirmed by school") nor an
#: arrangement ("Agreed to see the GP").
_GOES_ON = re.compile(
    r"^\W*(?:also |further |later )?(?:says|said|states|stated|accepts|accepted|admits|"
    r"admitted|denies|denied|agrees|agreed|explains|explained|adds|added|maintains|maintained|"
    r"insists|insisted|reports|reported|confirms|confirmed|disputes|disputed|acknowledges|"
    r"acknowledged)\b(?! (?:by|to)\b)",
    re.IGNORECASE,
)
#: ... of which an admission ("Accepts it was a mistake to ...") reflects on the line just
#: before; any other ("Denies using cannabis.") may be another matter of the section.
_CONCEDES = re.compile(
    r"^\W*(?:also |further |later )?(?:accepts|accepted|admits|admitted|acknowledges|"
    r"acknowledged|agrees|agreed|concedes|conceded)\b(?! (?:by|to)\b)",
    re.IGNORECASE,
)
#: Most lines shown going on with one account.
_REST_PER_ACCOUNT = 2


def _rest_of_account(account: Sentence, cand: Sentence, event: _Event, limit: int) -> bool:
    """``cand`` goes on with ``account`` (a party's account shown under ``event``): in its
    record of many matters (an assessment's parent's section; a log of one event has all
    its accounts already), at most ``limit`` lines after it with no new list item, dated
    entry or section in between, its subject dropped, and either an admission on the next
    line ("Accepts it was a mistake to ...") or on the event's matter (a matter word of the
    claim in common)."""
    if cand.record != account.record or not _GOES_ON.search(cand.text):
        return False
    if single_event(account.context.record_type):
        return False  # a log of one event: its accounts are all the event's already
    if _REPORTED_BY.search(cand.text) or consent_only(cand.text):
        return False
    between = _lines_between(account, cand, limit)
    if between is None:
        return False
    if any(list_item(t) or new_entry(t) or names_a_section(t) for t in between):
        return False
    return (not between and bool(_CONCEDES.search(cand.text))) or _shared_matter(event.claim, cand)


def _with_rest_of_accounts(
    kept: list[tuple[S, Provenance]],
    event: _Event,
    lines: Sequence[S],
    classify: Callable[[list[S]], list[Provenance]],
    excluded: set[str],
    limit: int,
) -> list[tuple[S, Provenance]]:
    """``kept`` with, after each account, the lines that go on with it (``_rest_of_account``),
    at most two: the party's account told over several lines of their section ("Denies
    it." ... "Says he pays 'when he can'.")."""
    out: list[tuple[S, Provenance]] = []
    used = excluded | {c.text for c, _ in kept} | {event.claim.text}
    for account, prov in kept:
        out.append((account, prov))
        rest: list[S] = []
        for cand in lines:
            if cand.text in used or any(cand.text == r.text for r in rest):
                continue
            if _rest_of_account(account, cand, event, limit):
                rest.append(cand)
        if not rest:
            continue
        # In the record's order: the line just after the account first.
        rest.sort(key=lambda c: len(_lines_between(account, c, limit) or []))
        told = [
            (c, p) for c, p in zip(rest, classify(rest), strict=True) if p.reliability in _ACCOUNTS
        ]
        for cand, p in told[:_REST_PER_ACCOUNT]:
            out.append((cand, p))
            used.add(cand.text)
    return out


def _told_again(claim: Sentence, cand: Sentence) -> bool:
    """``cand`` is the party's answer once the matter was put to them, a few lines after
    ``claim`` in its record ("Gran says he never visits." ... "Raised this with gran - she
    replied maybe at weekends"): another account, though the same person's."""
    return (
        cand.record == claim.record
        and put_to_party(cand.text)
        and claim.text.strip() in (t.strip() for t in cand.context.previous)
    )


def _shared_matter(a: Sentence, b: Sentence) -> bool:
    """A word of the matter in common: people, initials and the service's own words aside
    ("GP", "school", "referral" are in every line of a record)."""
    words = matter_words(event_words(a.words)) & matter_words(event_words(b.words))
    return any(len(w) > 1 for w in words)


def _answers_on(claim: Sentence, cand: Sentence) -> bool:
    """``cand``, anywhere in the claim's record, answers it on its matter: a denial or
    confirmation with a word of the matter in common ("Denies being controlling" under
    "says he was controlling"), people and the service's own words aside."""
    shared = matter_words(event_words(claim.words)) & matter_words(event_words(cand.words))
    return (
        bool(shared)
        and bool(_ANSWERS.search(cand.text))
        and not addressed_to_reader(cand.text)
        and not consent_only(cand.text)
    )


@dataclass(frozen=True)
class _Event:
    claim: Sentence
    #: Content words of the claim, its outcomes and its record's title.
    words: set[str]
    #: The claim's record is of one event (a police log of a call, a notification).
    one_event: bool
    #: Only the accounts beside it in its own record (a party's account that is no
    #: allegation, concern or incident).
    near_only: bool = False


def _about(
    event: _Event,
    cand: Sentence,
    s: AccountSettings,
    same_matter: Callable[[Sentence, Sentence, float], bool],
) -> bool:
    """``cand`` may be an account of ``event`` (before its class is known)."""
    claim = event.claim
    if cand.text == claim.text or not _MAY_BE_ACCOUNT.search(cand.text):
        return False
    if cand.record == claim.record:
        # What the record recalls of an earlier matter ("both deny any previous
        # incidents") is an account of that matter only: of a claim that recalls it
        # ("police systems show two previous domestics"), never of today's.
        if earlier_matter(cand.text) != earlier_matter(claim.text):
            return False
        if event.near_only or not event.one_event:
            # A record of many matters, or a party's own account: the accounts beside it,
            # and further on only one that answers it on the same matter or names the
            # day it names ("Re 12/03: says she was out for twenty minutes").
            return (
                _near(
                    claim,
                    cand,
                    s.near_lines,
                    same_matter,
                    near_only=event.near_only,
                    voices_margin=s.voices_margin,
                )
                or _answers_on(claim, cand)
                or bool(days_named(claim.text) & days_named(cand.text))
            )
        # Every account in a log of one event is of it, but for a party's answers to a
        # risk assessment ("DASH done ... disclosed he checks her phone").
        return not risk_answer(cand.context.previous)
    if event.near_only:
        return False
    if names_date(cand.text, claim.when) and cand.when >= claim.when:
        return True  # a later record's "Re 12/03: says she was out twenty minutes"
    if abs((cand.when - claim.when).days) > s.window_days:
        return False
    return len(event_words(cand.words) & event.words) >= s.shared_words


#: A list of who was there ("Present: ...", "Attendees - ...", "Seen: ..."), not an account.
_ROLL_CALL = re.compile(
    r"^\W*(?:present|attendees|attending|in attendance|apologies|seen|not present|"
    r"invited|distribution)\s*[:\-–]",
    re.IGNORECASE,
)


#: Somebody's words after the list's label ("Not present: dad - mum says he is away").
_SAYS = re.compile(
    r"\b(?:says?|said|saying|states?|stated|reports?|reported|told|tells|explained|"
    r"disclosed)\b",
    re.IGNORECASE,
)
#: An identifier labelled as a field of a heading: "DOB [Date of birth: Child 1]", "NHS No:
#: [NHS number: Child 1]", "UPN [UPN: Child 1]".
_ID_FIELD = re.compile(
    r"\b(?:dob|d\.o\.b|date of birth|nhs(?: no| number)?|upn|ni(?: no| number))\b\.?\s*:?\s*"
    r"\[(?:DOB|Date of birth|NHS number|UPN|NI number)\b",
    re.IGNORECASE,
)
#: A heading that is a record's kind and its reference ("WELFARE CHECK LOG REF [Case
#: reference 1]", "Custody record no. [Case reference 2]"): words only, then the reference.
_REF_HEADING = re.compile(
    r"^\W*[A-Za-z][A-Za-z /&'-]{0,40}?\b(?:ref|reference|no)\b\.?\s*:?\s*"
    r"\[Case reference[^\]]*\]\W*$",
    re.IGNORECASE,
)
#: Words that label an identifier in a heading ("Re:", "Pupil:", "DOB", "NHS No").
_ID_LABELS = content_words(
    "re ref reference dob nhs number upn child pupil name custody subject detained patient "
    "client young person case"
)
#: Most other words a heading that identifies its subject has ("Pupil: [Child 1], Y2,
#: Class 2B, DOB [Date of birth: Child 1]").
_ID_MAX_WORDS = 4


#: What a section of a record is called, as its heading's last word ("Parents' views",
#: "Household / visitors", "Information shared", "Actions", "Next steps").
_SECTION_WORDS = content_words(
    "views background actions plan analysis summary worries strengths visitors household "
    "chronology recommendations observations presentation agenda composition steps"
)
#: Section words that name whose part of the record it is: a heading only after an owner
#: ("Dad's history and account", "Child's voice"; never "Mum confirmed the account").
_OWNED_SECTION_WORDS = content_words("account accounts voice")
_OWNER = re.compile(r"\w(?:'s|s')\s", re.IGNORECASE)
#: The only small words a heading has ("Adults at the house", "Plan for the family").
_HEADING_SMALL_WORDS = frozenset({"at", "and", "of", "the", "for", "to", "&"})
#: Most words a section's heading has outside brackets.
_HEADING_MAX_WORDS = 4
#: Most words a line ending in a colon has outside brackets to be a lead-in, not a sentence.
_LEAD_IN_MAX_WORDS = 6
_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")


def names_a_section(sentence: str) -> bool:
    """A section's heading ("Parents' views (each spoken to alone)", "Information shared",
    "Dad's history and account") or a few words leading in to the lines under them, ending
    in a colon ("Support offered (her words):"): no full stop, not a list item; never "History
    of falls", "Family history of diabetes" (what it is of comes last)."""
    text = sentence.strip().replace("’", "'")  # records exported from Word curl apostrophes
    if not text or text[-1] in ".!?" or text[0] in "-•*":
        return False
    if text.endswith(":"):
        # A lead-in to the lines under it ("Support offered (her words, dad agreed):"): it
        # names what follows and says nothing itself; never someone telling or raising
        # something ("School reported concerns about bruising:", "Mum disclosed that dad:"),
        # whose list is their account.
        bare = _BRACKETED.sub(" ", text)
        if _SAYS.search(bare) or claim_cue(bare):
            return False
        return 0 < len(content_words(bare)) <= _LEAD_IN_MAX_WORDS
    every = tokens(_BRACKETED.sub(" ", text))
    words = [w for w in every if content_words(w)]
    if any(not content_words(w) and w not in _HEADING_SMALL_WORDS for w in every):
        return False  # "Mum gave her views": a sentence, not a heading
    last = content_words(words[-1]) if words else set()
    owned = bool(last & _OWNED_SECTION_WORDS) and bool(_OWNER.search(text))
    return 0 < len(words) <= _HEADING_MAX_WORDS and (bool(last & _SECTION_WORDS) or owned)


def repeats_title(sentence: str, title: str | None) -> bool:
    """The record's first line giving its title again ("PERMANENT EXCLUSION - [Child 1], Y10"
    under "Permanent exclusion - [Child 1]"): no full stop, and its words outside brackets,
    people aside, are the title's but for codes with digits ("Y10", "10K")."""
    text = sentence.strip()
    if not title or not text or text[-1] in ".!?":
        return False
    words = {w for w in content_words(_BRACKETED.sub(" ", text)) if not w.startswith("[")}
    extra = words - content_words(title)
    return len(words) >= 2 and all(any(ch.isdigit() for ch in w) for w in extra)


def roll_call(sentence: str) -> bool:
    """A list of who was there ("Present: ...", "Apologies - ..."), nobody's account
    (unless it goes on to give one: "Not present: dad - mum says he is on a night shift")."""
    return bool(_ROLL_CALL.match(sentence)) and not _SAYS.search(sentence)


def identifies_only(sentence: str) -> bool:
    """A heading line that only identifies its subject ("Re: [Child 1] DOB [Date of birth:
    Child 1] NHS No: [NHS number: Child 1]", "DETENTION NOTE REF [Case reference
    2]") or lists who was there ("Present: ..."): nobody's account, and an answer only to
    a question asking for it."""
    if roll_call(sentence) or _REF_HEADING.search(sentence):
        return True
    if not _ID_FIELD.search(sentence):
        return False
    rest = {w for w in content_words(sentence) if not w.startswith("[") and w not in _ID_LABELS}
    return len(rest) <= _ID_MAX_WORDS


#: A party giving their account in words: "STATES ...", "says ...", "told me", an
#: interview's "PREPARED STATEMENT - '...'"; never "reported absent by grandad" or
#: "confirmed by school" (a report of something, not the reporter's version of the event).
_STATEMENT = re.compile(r"\b(?:statement|interview(?:ed)?)\b", re.IGNORECASE)
_REPORTED_BY = re.compile(
    r"\breported\b(?:\s+\S+){0,3}?\s+by\b|\b(?:confirmed|corroborated|agreed)\s+by\b",
    re.IGNORECASE,
)


def tells(sentence: str) -> bool:
    """Somebody tells their version in the line, or answers another's ("confirmed the
    account"), as against a note about them ("WENT TO STAY AT HIS SISTER'S", "REDNESS ...
    NOTED BY PC ...")."""
    if _STATEMENT.search(sentence):
        return True
    said = _SAYS.search(sentence) or _ANSWERS.search(sentence)
    return bool(said) and not _REPORTED_BY.search(sentence)


def _somebodys(sentence: str, prov: Provenance) -> bool:
    """The line gives somebody's account: the family's or a third party's, or what the
    writer saw with what someone said ("opened the window - said he had a cold"); never
    a line of consent, which is nobody's account of an event."""
    if consent_only(sentence):
        return False
    if prov.reliability == "observed":
        return bool(_SAYS.search(sentence))
    return prov.reliability in _ACCOUNTS


def side_by_side(
    items: Sequence[tuple[S, Provenance, bool]],
    pool: Sequence[S],
    *,
    classify: Callable[[list[S]], list[Provenance]],
    is_claim: Callable[[str, Provenance], bool],
    title: Callable[[S], str],
    same_matter: Callable[[S, S, float], bool] | None = None,
    settings: AccountSettings | None = None,
) -> list[tuple[S, Provenance, Role]]:
    """``items``: the answer's sentences in order, each with its provenance and whether it
    is the outcome of the item before it. Returns them with every claim's other accounts
    (from ``items`` or ``pool``) moved or added under it, role "account". ``same_matter``
    says whether two sentences of a record are about the same matter by meaning (the
    generator's MiniLM similarity at its threshold less the margin given); without it only
    words in common do."""
    s = settings or AccountSettings()
    close = cast(
        Callable[[Sentence, Sentence, float], bool], same_matter or (lambda a, b, margin: False)
    )
    blocks: list[list[tuple[S, Provenance, bool]]] = []
    for item in items:
        if item[2] and blocks:
            blocks[-1].append(item)
        else:
            blocks.append([item])
    heads = {block[0][0].text: block for block in blocks}
    taken: set[str] = set()  # texts shown as accounts so far
    shown = {c.text for c, _, _ in items}
    outcome_texts = {c.text for c, _, o in items if o}
    under: dict[str, list[tuple[S, Provenance]]] = {}
    for i, block in enumerate(blocks):
        claim, prov, _ = block[0]
        if claim.text in taken or not claim.evidence:
            continue
        # An allegation, concern or incident gathers every account of its event; a
        # party's own account, only the other accounts beside it in its record.
        near_only = not is_claim(claim.text, prov)
        if near_only and not _somebodys(claim.text, prov):
            continue
        if i + 1 < len(blocks) and _goes_on(claim, blocks[i + 1][0][0]):
            continue  # the other accounts sit under the last line of its account
        words = event_words(set().union(*(c.words for c, _, _ in block)))
        words |= event_words(content_words(title(claim)))
        one_event = single_event(claim.context.record_type)
        event = _Event(claim, words, one_event, near_only)
        excluded = outcome_texts | taken
        seen: set[str] = set()
        maybe: list[S] = []
        for cand in [c for c, _, _ in items] + list(pool):
            if cand.text in seen or cand.text in under or cand.text in excluded:
                continue
            if _about(event, cand, s, close):
                seen.add(cand.text)
                maybe.append(cand)
        if not maybe:
            continue
        found: list[tuple[S, Provenance]] = []
        for cand, p in zip(maybe, classify(maybe), strict=True):
            if p.reliability not in _ACCOUNTS:
                continue
            if not different_account(p, prov) and not _told_again(claim, cand):
                continue
            if (
                cand.record == claim.record
                and p.reliability == "observed"
                and not (event.near_only and (outcome_cue(cand.text) or seen_finding(cand.text)))
            ):
                # The record's own findings are a claim's outcome, not another account; a
                # party's own account has no outcome, so a finding beside it ("the GP
                # recorded a shallow straight cut" after "said she caught it on a tin lid")
                # stands with it.
                continue
            if (
                identifies_only(cand.text)
                or names_a_section(cand.text)
                or repeats_title(cand.text, title(cand))
                or consent_only(cand.text)
            ):
                continue  # "Present: ...", "DOB ...", "agreed X can be told": no account
            if any(_same_words(cand.words, c.words) for c, _ in [*found, (claim, prov)]):
                continue  # the same line again (another chunk split it differently)
            found.append((cand, p))
        # Accounts shown already, denials, then the parties' own words ("SUSPECT STATES ...",
        # "PREPARED STATEMENT - '...'") before notes about them.
        found.sort(
            key=lambda cp: (
                cp[0].text not in shown,
                not is_disputed(cp[0].text),
                not tells(cp[0].text),
                not cp[0].evidence,
                cp[0].when,
            )
        )
        # Every record's best account before a second from any one record: the point is
        # to set different records' versions side by side.
        firsts: dict[str, int] = {}
        for i, (cand, _) in enumerate(found):
            firsts.setdefault(cand.record, i)
        order = sorted(range(len(found)), key=lambda i: (firsts[found[i][0].record] != i, i))
        kept = [found[i] for i in order[: s.per_event]]
        if kept:
            kept.sort(key=lambda cp: cp[0].when)
            kept = _with_rest_of_accounts(
                kept,
                event,
                [c for c, _, _ in items] + list(pool),
                classify,
                excluded | shown | set(under),
                s.near_lines,
            )
            under[claim.text] = kept
            taken.update(c.text for c, _ in kept)
    if not under:
        return [(c, p, "outcome" if o else "item") for c, p, o in items]
    out: list[tuple[S, Provenance, Role]] = []
    for block in blocks:
        head = block[0][0]
        if head.text in taken:
            continue  # shown under the event it is an account of
        out.extend((c, p, "outcome" if o else "item") for c, p, o in block)
        for cand, p in under.get(head.text, []):
            out.append((cand, p, "account"))
            own = heads.get(cand.text)
            if own is not None:
                out.extend((c, q, "outcome") for c, q, _ in own[1:])
    return out
