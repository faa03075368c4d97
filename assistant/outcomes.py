"""Claims and their outcomes: which sentences report an allegation, concern, referral or
incident, and which record how one ended.

Practitioners read "an anonymous caller alleges ..." with the next lines that say what came
of it ("officers attended and found ...", "no further action", "not substantiated",
"denies", "withdrawn"). These are the cue rules (one copy of each); the classifier
(``assistant.reliability``) adds similarity to the bank's outcome exemplars, and the
extractive generator picks, per claim, the sentences of the same record that resolve it.
"""

from __future__ import annotations

import re

from assistant.text import content_words

# --- cues --------------------------------------------------------------------------------

#: Someone checked on and found safe ("safe and well", "tired but safe", "confirmed
#: safe"); never "feels safe", "keep him safe", "a safe place".
_SAFE = (
    r"\bsafe and well\b|\b(?:confirmed|found|seen|located|checked)(?: to be)?(?: \w+)? safe\b|"
    r"\bbut safe\b|\b(?:is|was|were|are) (?:now |all |both )?safe\b(?! to\b| from\b| place| space)"
)
#: An injury or mark an officer or professional saw and recorded ("redness to neck noted").
_INJURY_SEEN = (
    r"\b(?:injur(?:y|ies)|marks?|redness|bruis\w*|swelling|graze[sd]?|scratch\w*)\b"
    r"[^.;]{0,40}\b(?:noted|observed|photographed|captured|documented)\b"
)
#: A denial without the verb "deny": "says that was not from her", "says he never hit her",
#: "it never happened", "made it up", "refutes"; never a refusal ("said she would rather
#: not speak in front of her dad").
_DENIED_IN_WORDS = (
    r"\b(?:says?|said|states?|stated|insists?|insisted|maintains?|maintained)\b (?:that )?"
    r"(?:(?:it|this|that)(?: is|'s| was)(?: not|n't) (?:true|right|correct|the case|what|"
    r"from|him|her|them|me|his|hers|theirs|mine)\b|"
    r"(?:he|she|they) (?:never (?:\w+ed|hit|left|took|went|did|said|saw|touched|threw|gave|"
    r"made|sent|told|bought|sold|drank|smoked|used|had)\b|(?:did|has|had) ?(?:not|n't)"
    r"(?: ever)?(?! (?:know|want|wish|like|feel|think|remember|understand|mind|need|care|"
    r"eat|sleep|enjoy)\b)))|"
    r"\b(?:it|this|that) (?:never|did not|didn't) happen(?:ed)?\b|"
    r"\bmade (?:it|this|that|the \w+) up\b|\brefut(?:e|es|ed)\b|"
    r"\breject(?:s|ed)? (?:the|this|that) (?:allegation|account|claim)"
)

#: No further action, by any service ("no further police action", "NFA").
_NO_FURTHER_ACTION = r"\bno further (?:police )?action\b|\bnfa\b"
#: A suspect held or let go pending the case: released under investigation, bailed,
#: remanded.
_HELD_OR_BAILED = r"\brui\b|\b(?:re-?)?bailed\b|\bremanded\b"
#: No one arrested ("not arrested", "no arrest").
_NOT_ARRESTED = r"\bnot arrested\b|\bno arrest\b"
#: Released pending the case or without one: under investigation, on bail, without charge.
_RELEASED = r"\breleased (?:under investigation|on bail|without charge)\b"
#: Nothing to charge: no crime, no offence, no case to answer.
_NO_CASE = r"\bno crime\b|\bno offences?\b|\bno case to answer\b"
#: Reported for a summons to court.
_SUMMONS = r"\breported for (?:a )?summons\b|\bsummonsed\b"
#: The case, log or incident closed.
_CLOSED = r"\b(?:case|log|incident) (?:was |is |now )?closed\b"

#: The orders a criminal court makes on a charge ...
_CRIMINAL_ORDER_NAMES = (
    r"referral|youth rehabilitation|community|detention and training|restraining|"
    r"criminal behaviour|supervision"
)
#: ... and those a family or civil court makes about a child or a household.
_FAMILY_ORDER_NAMES = (
    r"placement|care|child arrangements?|special guardianship|emergency protection|"
    r"non-molestation|occupation|secure accommodation"
)
#: A court's order named ("a care order", "youth rehabilitation orders"): one list for the
#: outcome rules here and the source-of-knowledge classifier's decisions.
COURT_ORDER = r"\b(?:" + _CRIMINAL_ORDER_NAMES + "|" + _FAMILY_ORDER_NAMES + r") orders?\b"
#: An order a criminal court makes on a charge: what came of an arrest.
_CRIMINAL_ORDER = r"\b(?:" + _CRIMINAL_ORDER_NAMES + r") orders?\b"
#: A criminal court's sentence (sentenced, a suspended or custodial sentence, a conditional
#: or absolute discharge, a fine) ...
_SENTENCE = (
    r"\bsentenced\b|\b(?:suspended|custodial) sentence\b|\b(?:conditional|absolute) discharge\b|"
    r"\bfined\b"
)
#: ... its verdict ...
_VERDICT = r"\bconvicted\b|\bacquitted\b|\bfound (?:not )?guilty\b"
#: ... and the police's caution in its place.
_CAUTION = r"\b(?:youth (?:conditional )?|conditional |simple )caution\b"

#: A service's decision about everything a record raised: no further action, consultation
#: only, the threshold either way, stepped down or closed to another service, no further
#: involvement, or taken further ("agreed to proceed to s47", "escalated to a strategy
#: discussion").
_SERVICE_DECISION = (
    r"\bno referral\b|\bconsultation only\b|" + _NO_FURTHER_ACTION + r"|"
    r"\bthreshold (?:was |is )?(?:not )?met\b|" + _CLOSED + r"|"
    r"\bstep(?:ped|s)? down\b|\bclosed to\b|\bno further (?:involvement|role)\b|"
    r"\b(?:does|did|do) not meet (?:the )?(?:\w+ )?threshold\b|\bbelow (?:the )?threshold\b|"
    r"\bmeets (?:the )?(?:\w+ )?threshold\b|"
    r"\b(?:proceed|progress|escalat)\w* to (?:an? |the )?(?:s\.?\s?47|section 47|strategy|"
    r"icpc|initial child protection|child protection|single assessment|assessment)|"
    r"\bno role for\b|\bcase closure\b|\bclosed with (?:the |their |her |his |\S+'s )?"
    r"(?:agreement|consent)\b|\boutcomes? (?:were |was )?(?:achieved|met)\b"
)

#: What a search found: a line headed as its finds ("FOUND: ...", "Items recovered - ...",
#: "Seized: ..."), or a search by the police or staff, or told in the passive ("searched by
#: the DSL", "search of his room"), and what it found; never a parent's own search told to
#: a worker.
_SEARCH_FOUND = (
    r"^\W*(?:items? )?(?:found|recovered|seized)\s*[:\-–]|"
    r"(?:\b(?:was|were|been|being) searched|\bsearched by|\bsearch of|\bstop(?: and)? search|"
    r"\b(?:police|officers?|pcs?|staff|dsl|teachers?|head\w*|security)\b[^.;]{0,40}?"
    r"\bsearched)\b[^.;]{0,150}?\b(?:found|recovered|located|seized)\b"
)

#: A decision by a court or another body, or a receiving service's conclusion, on what
#: was put to it: an order made (placement, care, supervision, referral order ...), a child
#: adopted, a sentence, a verdict, a caution; a referral accepted, taken on or declined,
#: an assessment concluding a level of risk, a formulation or conclusion, a discharge; what
#: a search or an examination found ("searched - a knife found in his bag", "FOUND: ...",
#: "school nurse noted a bruise"). ``decided`` keeps out the pending (an order applied
#: for, a hearing listed), a standing state ("currently on a referral order": an earlier
#: matter's) and a risk tool's grading.
_DECIDED = re.compile(
    COURT_ORDER
    + r"|\b(?:was|were|been|later|subsequently|child|children|baby|son|daughter) adopted\b|"
    r"\badopted (?:in|aged|at|by|from) \w|"
    + _SENTENCE
    + r"|"
    + _VERDICT
    + r"|"
    + _CAUTION
    + r"|"
    # What a search found.
    + _SEARCH_FOUND
    + r"|"
    # ... and a clinician's own finding, not what someone told them ("GP recorded that mum
    # reports ...")
    r"\b(?:nurse|doctor|dr|gp|paediatrician|consultant|clinician|medic|dentist|midwife|"
    r"health visitor|paramedic)s?\b[^.;]{0,20}?\b(?:noted|observed|found|examined|saw|"
    r"documented|recorded)\b(?! that\b)(?![^.;]{0,40}\b(?:reports?|says?|said|alleges?|"
    r"alleged|disclosed|told|worr\w*|concerns?)\b)",
    re.IGNORECASE,
)
#: What is still to come (an order applied for, a hearing listed, a decision awaited), a
#: standing state (currently on an order) or a risk tool's grading (DASH, a screening): no
#: decision on the matter.
_PENDING = re.compile(
    r"\b(?:currently|already|still|remains|is|are) (?:on|subject to|under)\b|\bcurrently\b|"
    r"\b(?:appl(?:y|ies|ied|ying|ication)|seek\w*|sought|consider(?:s|ing|ation)|"
    r"pre-proceedings|plo|listed|adjourned|await\w*|pending|"
    r"to be (?:made|heard|decided|listed|considered|sought|discussed|reviewed)|"
    r"(?:would|may|might) be (?:made|sought|granted|needed|required|considered|likely)|"
    r"if|unless|dash|ric|screening|checklist|score)\b",
    re.IGNORECASE,
)


#: A receiving service's conclusion on the referral made to it: accepted, taken on or
#: declined, a level of risk it concluded, its formulation or conclusion, the discharge.
_CONCLUDED = re.compile(
    r"\b(?:referral|case|request)s? (?:was |were |has been |had been )?(?:not )?(?:accepted|"
    r"declined|rejected|taken on)\b|^\W*(?:accepted|taken on) (?:by|onto|on to|into)\b|"
    r"\b(?:assessed|judged|considered|deemed) (?:as |to be )?(?:at |a )?(?:very )?"
    r"(?:low|medium|moderate|high|no|minimal)(?:er)? (?:level of )?risk\b|"
    r"^\W*(?:formulation|conclusions?|impression|clinical impression|findings?|"
    r"outcome of (?:the )?(?:assessment|examination|referral))\s*[:\-–]|"
    # a service's discharge, never a hospital's of a patient after an injury
    r"\bdischarged (?:from|back to|to)\b(?! (?:the )?(?:hospital|ward|a ?& ?e|ae|ed|home)\b)|"
    r"\b(?:at|on|upon) discharge\b(?![^.;]{0,30}\b(?:mum|dad|mother|father|parents?)\b)",
    re.IGNORECASE,
)


def concluded(sentence: str) -> bool:
    """A receiving service's conclusion on the referral (``_CONCLUDED``): it decides what
    the referral raised, wherever it stands in the service's record; never one still to
    come nor a risk tool's grading."""
    return (
        bool(_CONCLUDED.search(sentence))
        and not _PENDING.search(sentence)
        and not earlier_matter(sentence)
    )


#: What a professional saw on looking ("visible decay", "obvious bruising", "evident weight
#: loss"): a finding beside what someone said of it, though no decision of anything.
_SEEN = re.compile(
    r"\b(?:visible|obvious|evident|apparent) (?:decay|injur\w*|bruis\w*|marks?|swelling|cuts?|"
    r"burns?|wounds?|scars?|lice|nits|sores?|rash\w*|weight loss|infestation)\b",
    re.IGNORECASE,
)


def seen_finding(sentence: str) -> bool:
    """The sentence records what a professional saw on looking ("visible decay on the back
    teeth"): the finding beside a child's or parent's word ("says his mouth is sore"), never
    on its own the outcome of a concern (in a log of one concern it would answer every
    line)."""
    return bool(_SEEN.search(sentence))


def decided(sentence: str) -> bool:
    """A court's or another body's decision, a receiving service's conclusion, or what a
    search or examination found (``_DECIDED``, ``_CONCLUDED``); never one still to come,
    a standing state nor a risk tool's grading."""
    return (bool(_DECIDED.search(sentence)) and not _PENDING.search(sentence)) or concluded(
        sentence
    )


_SEARCH_FINDING = re.compile(_SEARCH_FOUND, re.IGNORECASE)


def search_finding(sentence: str) -> bool:
    """What a search found ("FOUND: two phones and cash", "searched by officers - a knife
    recovered"): on the lines after an arrest, what came of the search it followed; never
    an earlier matter's."""
    return bool(_SEARCH_FINDING.search(sentence)) and not earlier_matter(sentence)


#: What someone told or raised, which they may take back ("the allegation was withdrawn").
_TOLD = r"allegation|complaint|statement|report|referral|account|concern"

_OUTCOME = re.compile(
    r"\b(?:" + _TOLD + r")s? (?:was |were |has been |have been |is |are )?withdrawn\b|"
    r"\bwithdr[ae]w (?:the|her|his|their|its|this|that) (?:" + _TOLD + r")|"
    r"\b(?:un|not |was not |were not )substantiated\b|"
    r"\bsubstantiated\b|\bunfounded\b|\bretract|\bden(?:y|ies|ied)\b|"
    r"\bdisput(?:e|es|ed)\b|\buntrue\b|\bnot true\b|\bno evidence\b|"
    r"\bno (?:safeguarding )?concerns (?:were )?"
    r"(?:found|identified|noted|raised)\b|\bsafe and well\b|\bno (?:visible |obvious )?"
    r"injur|\bnot (?:corroborated|verified|supported|upheld)\b|\bupheld\b|"
    r"\b(?:case|referral|matter|enquiry|investigation|log|incident) (?:was |is |now )?"
    r"(?:closed|stepped down)\b|"
    r"\boutcome\s*[:\-–]|\boutcome (?:was|is|recorded)\b|\bconcluded\b|"
    r"\bnot met\b|\battended and found\b|\bon arrival\b|"
    # The police called to it attended and arrested someone ("Officers rang by neighbour -
    # attended, uncle arrested").
    r"\b(?:police|officers?)\b[^.;]{0,30}\battended\b[^.;]{0,30}?(?<!not )\barrested\b|"
    r"\bfound (?:no|both|all|the (?:children|child|home|house|flat|property))\b|"
    # A missing child found, a suspect not arrested or released: how the episode ended.
    r"\blocated\b|"
    + _NOT_ARRESTED
    + r"|"
    + _RELEASED
    + r"|^\s*decision\s*:|"
    + _HELD_OR_BAILED
    + r"|"
    # What the police recorded, and a victim or complainant not going on with it.
    r"\bcrimes? recorded\b|\bcounter[- ]allegation\b|"
    r"\b(?:does|did|do) not (?:wish|want) to (?:make|give|provide|pursue|support)\b|"
    r"\b(?:do|does|did) not support (?:a |the )?(?:prosecution|complaint|allegation)|"
    r"\bvictims? (?:do|does|did) not support\b|\blater (?:stated|said|admitted|retracted)\b|"
    r"\brecorded as (?:a )?consultation\b|\bno further concerns?\b|"
    # What a check found: no signs of it, the child or adult seen and safe, an injury seen.
    r"\bno (?:signs?|indications?) of\b(?! (?:improvement|progress|change))|"
    + _SAFE
    + r"|"
    + _INJURY_SEEN
    + r"|"
    # A party's answer to it: a denial in other words, an admission.
    + _DENIED_IN_WORDS
    + r"|\badmit(?:s|ted)? (?:to )?(?:\w+ing\b|that\b|it\b|this\b|the allegation)|"
    r"\bno longer (?:wish|want)(?:es|s)? to (?:pursue|support|proceed|make)\b|"
    # A concern found baseless, a case to answer or not, what a court or the police did.
    r"\b(?:malicious|false) (?:allegation|referral|report)s?\b|\bdeemed malicious\b|"
    r"\binsufficient evidence\b|\bunproven\b|"
    + _NO_CASE
    + r"|\bcharged with\b|\bcautioned\b|"
    + _VERDICT
    + r"|"
    + _SENTENCE
    + r"|"
    # Seen, and nothing of concern; a missing child back of their own accord.
    r"\bno (?:safeguarding |welfare )?concerns (?:were )?(?:observed|seen|evident|reported)\b|"
    r"\bno (?:further |safeguarding |welfare )?concerns?\s*(?:[.;]|$)|"
    r"\breturned (?:self|of (?:his|her|their) own accord|voluntarily)\b|\bself[- ]returned\b|"
    # Looked for and not there; an injury that fits the explanation given (or does not).
    r"\bno (?:visible |obvious )?(?:disturbance|marks?|bruis\w*|injur\w*|drugs?|weapons?|"
    r"damage|trace)\b(?: \w+){0,2} (?:found|seen|noted|identified|observed|evident)\b|"
    r"\b(?:in)?consistent with (?:the |his |her |their )?(?:\w+'s )?"
    r"(?:explanation|account|history)\b|"
    # How a service closed it or took it further.
     + _SERVICE_DECISION,
    re.IGNORECASE,
)
#: An outcome of an earlier matter the record recalls ("no charge at the time", "previously").
_OTHER_TIME = re.compile(
    r"\bat (?:that|the) time\b|\bpreviously\b|\bprev(?:ious)?\b|\bhistoric(?:al)?\b|"
    r"\bback in (?:19|20)\d\d\b",
    re.IGNORECASE,
)
#: A sentence addressed to its reader is an instruction or a letter, never an outcome.
_ADDRESSED = re.compile(r"\byou(?:r)?\b", re.IGNORECASE)
_CLAIM = re.compile(
    # A referral made or received, never a court's referral order.
    r"\balleg|\bconcern|\breferr(?!al orders?\b)|\bincident\b|\bdisclos|\bcomplain|\bcaller\b|"
    r"\brang\b|\brung\b|\bworried\b|\bsuspect|\brumou?r|\bclaim|\bnotification\b|\bppn\b|"
    r"\binformation (?:was )?received\b|\bintelligence\b|\b999\b|\bcall(?:ed)? (?:to|from)\b|"
    r"\breported (?:missing|that|to (?:the )?police)\b|\bmissing (?:person|episode)\b|"
    r"\breports? (?:of|that)\b|\boffen[cs]es?\b|\bassault|\bdomestics?\b|"
    # An event the police logged: the line gives its reference ("police ref 240101-0042").
    r"\b(?:police|crime|incident) (?:ref(?:erence)?|log|crime number)\b",
    re.IGNORECASE,
)


#: An outcome that points back at the claim itself ("the allegation was not substantiated",
#: "Outcome: no further action") or is the response to it ("officers attended and found"),
#: so it needs no word in common with it.
_POINTS_BACK = re.compile(
    r"\b(?:the|this|that|her|his|their) (?:allegations?|referral|concerns?|reports?|complaint|"
    r"incident|matter|call|claims?|disclosure)\b|^\s*outcome\s*[:\-–]|"
    # ... or is the response to it: officers attended, a visit was made, the child was
    # examined; or takes it back ("later retracted", "withdrew her account").
    r"\battended\b|\bon arrival\b|\bvisited\b|\blocated\b|\bexamined\b|\bbody map\b|"
    r"\bretract\w*|\bwithdr[ae]w (?:his|her|their) (?:account|allegation|statement|disclosure)",
    re.IGNORECASE,
)


_OUTCOME_LINE = re.compile(r"^\s*(?:outcome|result|decision)\s*[:\-–]", re.IGNORECASE)


def outcome_line(sentence: str) -> bool:
    """A line the record itself heads as the outcome ("OUTCOME: ...")."""
    return bool(_OUTCOME_LINE.search(sentence))


#: Records of one event (a call, an incident, a missing episode, a notification): every
#: outcome they record is that event's, wherever in the record it stands.
_SINGLE_EVENT_RECORDS = frozenset(
    {
        "incident",
        "missing_person",
        "arrest",
        "domestic_abuse_notification",
        "police_notification",
        "notification",
        "ppn",
    }
)


def single_event(record_type: str | None) -> bool:
    """The record is about one event, so its outcomes are that event's."""
    return (record_type or "") in _SINGLE_EVENT_RECORDS


def points_back(sentence: str) -> bool:
    """The sentence names the claim it resolves rather than its content."""
    return bool(_POINTS_BACK.search(sentence)) or decides_record(sentence)


#: A decision about everything the record raised ("Logged as a consultation only, advice
#: given", "NFA", "threshold not met").
_RECORD_DECISION = re.compile(_SERVICE_DECISION, re.IGNORECASE)


def decides_record(sentence: str) -> bool:
    """The sentence decides the whole record, so it resolves any claim the record makes,
    wherever it stands after it: a service's decision, or a line headed as the outcome."""
    return (
        bool(_RECORD_DECISION.search(sentence)) or outcome_line(sentence) or concluded(sentence)
    ) and not _OTHER_TIME.search(sentence)


def is_disputed(sentence: str) -> bool:
    """The sentence records a denial or dispute of what is alleged."""
    return bool(_DENIAL.search(sentence))


_DENIAL = re.compile(
    r"\bdenies\b|\bdenied\b|\bdeny\b|\bdisputes?\b|\bnot verified\b|\buntrue\b|\bnot true\b|"
    + _DENIED_IN_WORDS,
    re.IGNORECASE,
)


def earlier_matter(sentence: str) -> bool:
    """The sentence recalls an earlier matter ("2021 at a prev flat", "previously")."""
    return bool(_OTHER_TIME.search(sentence))


def earlier_outcome(sentence: str) -> bool:
    """The outcome of an earlier matter ("no charge at the time"): the outcome of a claim that
    recalls that matter, never of the present one."""
    return (
        bool(_OUTCOME.search(sentence))
        and earlier_matter(sentence)
        and not _ADDRESSED.search(sentence)
    )


def outcome_cue(sentence: str) -> bool:
    """The sentence's words record how something ended (NFA, not substantiated, denied,
    withdrawn, attended and found, located, an order made, what a search found ...)."""
    return bool(_OUTCOME.search(sentence)) or decided(sentence)


def claim_cue(sentence: str) -> bool:
    """The sentence's words report an allegation, concern, referral or incident."""
    return bool(_CLAIM.search(sentence))


def addressed_to_reader(sentence: str) -> bool:
    """Written to its reader ("you must ...", "your child"): an instruction or a letter."""
    return bool(_ADDRESSED.search(sentence))


def outcome_of_another_time(sentence: str) -> bool:
    """Written to a reader ("you must ..."), or about an earlier matter ("no charge at
    the time"): never the outcome of the present claim."""
    return addressed_to_reader(sentence) or bool(_OTHER_TIME.search(sentence))


#: Records that log one concern as it was raised and handled (a school's safeguarding log):
#: what they record as seen or said is the concern, and how it was handled its outcome.
_CONCERN_LOGS = frozenset(
    {"dsl_note", "safeguarding_concern", "welfare_concern", "cause_for_concern", "concern"}
)


def concern_log(record_type: str | None) -> bool:
    """The record logs one concern: its observations and accounts are that concern."""
    return (record_type or "") in _CONCERN_LOGS


def one_matter(record_type: str | None) -> bool:
    """The record is about one event or one concern, so an outcome anywhere in it is that
    matter's (a denial still only of what it denies)."""
    return single_event(record_type) or concern_log(record_type)


#: How a matter reached the service: a referral, notification, call or concern received
#: or raised, the reason for a meeting, a missing report.
_RECEIPT = re.compile(
    r"^\W*(?:reason(?: for(?: \w+){1,3})?|referral reason|presenting (?:issue|concern))\s*"
    r"[:\-–]|"
    r"\b(?:notification|referral|contact|call|ppn|report|concern|information)s?\b"
    r"[^.;]{0,40}\b(?:rec(?:ei)?ved|rec'd|raised|made|submitted)\b|"
    r"\b(?:999 |phone |telephone )?call (?:from|received)\b|"
    r"^\W*(?:referral|notification|concern|call|contact|email|report) from\b|"
    r"\breported (?:missing )?by\b",
    re.IGNORECASE,
)


_REASON_LINE = re.compile(
    r"^\W*(?:reason(?: for(?: \w+){1,3})?|referral(?: reason)?|presenting (?:issue|concern))\s*"
    r"[:\-–]|"
    # A receiving service's letter opening on the referral it answers.
    r"^\W*thank you for (?:your |the )?(?:referral|referring)\b",
    re.IGNORECASE,
)


#: The section of a record that sums up what its work found ("Analysis", "Conclusions",
#: "Summary of findings", "Professional judgement").
_CONCLUDING_SECTION = re.compile(
    r"^\W*(?:analysis|conclusions?|findings|summary(?: of (?:findings|assessment|analysis))?|"
    r"(?:professional|overall|social worker'?s?) (?:judgement|judgment|analysis|opinion|view)|"
    r"assessment (?:summary|analysis|conclusions?))\W*$",
    re.IGNORECASE,
)


def concluding_section(heading: str | None) -> bool:
    """The heading names the section that sums up what the record's work found: an
    outcome there ("Injury consistent with an accidental fall.") is the outcome of the
    reason for the work, wherever the section stands."""
    return bool(heading) and bool(_CONCLUDING_SECTION.search(heading or ""))


def reason_line(sentence: str) -> bool:
    """A line headed as the record's reason ("Reason for assessment: ...")."""
    return bool(_REASON_LINE.search(sentence))


#: A matter that reached the service while its work was under way ("a notification came in
#: during the assessment", "since the referral"): not what the record was opened for.
_DURING_THE_WORK = re.compile(
    r"\b(?:during|since|while|whilst|in the course of|part way through) (?:the |this |our |my )?"
    r"(?:assessment|enquir(?:y|ies)|s\.?\s?47|section 47|review|intervention|referral|"
    r"plan|piece of work|work)\b",
    re.IGNORECASE,
)


def arrived_later(sentence: str, earlier: tuple[str, ...] | list[str], heading: str | None) -> bool:
    """A line under a record's reason that is another matter than the reason itself: it
    says it came during the work ("... received during the assessment"), or it names
    another day than the reason's first line (the line under the heading ``heading``, or
    the first "Reason: ..." or receipt line among ``earlier``, the lines before it). The
    record's overall decision (threshold, plan, closure) is the reason's outcome, not this
    line's. A line headed as the reason ("Reason: ...", "Thank you for referring
    ...") is the reason itself, whatever it names."""
    if reason_line(sentence):
        return False
    if _DURING_THE_WORK.search(sentence):
        return True
    lines = [line.strip() for line in earlier]
    first: str | None = None
    if heading and heading.strip() in lines:
        at = lines.index(heading.strip()) + 1
        first = lines[at] if at < len(lines) else None
    else:
        first = next((line for line in lines if reason_line(line) or receipt(line)), None)
    return first is not None and another_day(first, sentence)


#: Something still to be found out or done ("dates not yet confirmed, worker to chase",
#: "result awaited", "TBC"): no outcome of anything.
_UNRESOLVED = re.compile(
    r"\bto (?:be )?follow(?:ed)?[- ]up\b|\bfollow[- ]up (?:needed|required|planned)\b|"
    r"\bnot (?:yet )?(?:clarified|confirmed|established|checked|verified yet)\b|"
    r"\bawait\w*|\bpending\b|\btbc\b|\bto be (?:confirmed|clarified|checked|established)\b|"
    r"\b(?:yet|still) to (?:be )?\w+|\bto (?:clarify|confirm|check|find out|establish)\b",
    re.IGNORECASE,
)


def unresolved(sentence: str) -> bool:
    """The line records something still to be found out or done ("Father's address to be
    checked", "outcome awaited"), and no ending beside it (an arrest's "RUI pending
    forensics", "NFA", an order made still end the matter): never a claim's outcome."""
    if not _UNRESOLVED.search(sentence):
        return False
    rest = _OUTCOME_LINE.sub("", sentence)  # "Outcome: awaited" heads a line, ends nothing
    return not (
        final_disposition(rest)
        or decided(rest)
        or bool(_RECORD_DECISION.search(rest))
        or bool(_OUTCOME.search(rest))
    )


def headed_outcome(sentence: str) -> bool:
    """A line the record heads as its outcome and that ends something ("OUTCOME: charged
    and bailed", "Decision - NFA"; never "Outcome: awaited"), not an earlier matter's: in a
    log of one event, the ending of whatever it logs, however far down it stands."""
    return outcome_line(sentence) and not unresolved(sentence) and not earlier_matter(sentence)


def receipt(sentence: str) -> bool:
    """The sentence records the matter reaching the service ("Referral received from
    school", "999 call from ...", "Concern raised by the form tutor", "Reason: ..."): the
    service's own decision on it is its outcome first."""
    return bool(_RECEIPT.search(sentence))


def is_decision(sentence: str) -> bool:
    """A service's decision on the matter (NFA, threshold, stepped down, closed, an
    "OUTCOME:" line), as against a finding (attended and found, safe and well) or a
    party's answer (a denial)."""
    return decides_record(sentence) or outcome_line(sentence)


#: Pointing back at the sentence just before: "says that was not from her" (what "that" is,
#: the line before says).
_REFERS_BACK = re.compile(r"\b(?:it|this|that)\b", re.IGNORECASE)


def refers_back(sentence: str) -> bool:
    """A denial of "it" / "this" / "that": about the sentence just before it."""
    return is_disputed(sentence) and bool(_REFERS_BACK.search(sentence))


#: A log line opening with a day ("11/04/22 09:05 - call from nursery", "14.3 - seen at the
#: gate"); a time alone ("11:40 rang her back") goes on with the same day's entry.
_NEW_ENTRY = re.compile(r"^\W*\d{1,2}[/.]\d{1,2}(?:[/.](?:\d{4}|\d{2}))?(?![\d:%])\b")


def new_entry(sentence: str) -> bool:
    """The line starts a new dated entry of a log kept over days or weeks."""
    return bool(_NEW_ENTRY.search(sentence))


#: Records that sum up many matters over weeks or months (an assessment, a review, a
#: closure summary, a school's exclusion report): a decision in them is about the matter it
#: names, not about every item they list.
_SUMMARY_RECORDS = frozenset(
    {"assessment", "review", "closure_summary", "exclusion", "advice_report", "report"}
)


def many_matters(record_type: str | None, sentences: int, long: int) -> bool:
    """The record covers many matters: a summary record, or any record but a log of one
    event or one concern with at least ``long`` sentences."""
    kind = record_type or ""
    if one_matter(kind):
        return False
    return (
        kind in _SUMMARY_RECORDS or kind.endswith(("_assessment", "_review")) or sentences >= long
    )


#: Words that name a service or a step of its process ("CSC", "police", "review",
#: "agreed"): every decision of a summary record shares them with some item, so they
#: never make an item and a decision one matter.
_SERVICE_WORDS = content_words(
    "csc cin cp lac mash lado police school social care children's childrens services "
    "service early help team case plan review meeting referral referred concern concerns "
    "recorded record agreed agreement decision outcome health gp nursery court staff "
    "worker assessment threshold closed closure step down need needs met"
)


#: Who a log or a form names a party by ("FEMALE", "VICTIM", "PARTNER", "CALLER: ...",
#: "Neighbour: ..."): people, not what the matter is, and a line labelled with one is
#: somebody's account, not a field of a form (``assistant.accounts``).
PARTY_WORDS = content_words(
    "caller informant neighbour victim victims suspect male males female females partner "
    "friend teacher nurse worker officer pupil student patient carer grandfather grandad "
    "uncle aunt"
)


def matter_words(words: set[str]) -> set[str]:
    """A sentence's words that say what matter it is about (its content words less
    people, the parties a log names and the service's own vocabulary)."""
    return {
        w
        for w in words
        if not w.startswith("[") and w not in _SERVICE_WORDS and w not in PARTY_WORDS
    }


#: A day ("15/10/24", "4.2.23"; "10/23" is a month and a year, not a day).
_DAY = re.compile(r"\b(\d{1,2})(?:/(\d{1,2})(?:/\d{2,4})?|\.(\d{1,2})\.\d{2,4})\b(?![/.]\d)")


def days_named(sentence: str) -> set[tuple[int, int]]:
    """The days (day, month) the sentence names."""
    out: set[tuple[int, int]] = set()
    for m in _DAY.finditer(sentence):
        day, month = int(m.group(1)), int(m.group(2) or m.group(3))
        if 1 <= day <= 31 and 1 <= month <= 12:
            out.add((day, month))
    return out


def another_day(claim: str, sentence: str) -> bool:
    """Both name days, and no day in common: the sentence is about another event."""
    a, b = days_named(claim), days_named(sentence)
    return bool(a) and bool(b) and not a & b


#: How a one-event log ends (no further action, not arrested, charged, the log closed,
#: a line headed "Outcome:"), as against a step on the way ("crimes recorded", "referred
#: to", "PPN submitted").
_FINAL = re.compile(
    _NO_FURTHER_ACTION
    + r"|"
    + _NOT_ARRESTED
    + r"|^\s*outcome\s*[:\-–]|"
    + _HELD_OR_BAILED
    + r"|"
    + _CLOSED
    + r"|\bcharged with\b|\bcautioned\b|"
    + _RELEASED
    + r"|"
    + _NO_CASE
    + r"|\blocated\b|\breturned (?:home|self|of)\b",
    re.IGNORECASE,
)


def final_disposition(sentence: str) -> bool:
    """The sentence records how the event ended, not a step on the way nor an earlier
    matter's ending ("no charge at the time")."""
    return bool(_FINAL.search(sentence)) and not earlier_matter(sentence)


#: A line that goes on with the account of the line before, its subject dropped, as
#: shorthand logs write it ("CALLER: ANON." then "REPORTS TWO CHILDREN ALONE." and
#: "STATES IT HAPPENS OFTEN."); never "LATER STATED ..." (a later answer, an outcome),
#: nor a past form that reads as a passive ("REPORTED MISSING BY ...").
_CONTINUES = re.compile(
    r"^\W*(?:further |also )?(?:reports|states|stated|says|said|alleges|claims|adds|"
    r"advises|describes|believes|informs|explains)\b",
    re.IGNORECASE,
)


def continues_account(sentence: str) -> bool:
    """The line goes on with the account of the line before it (its subject dropped:
    "STATES ...", "Reports that ..."): what the one before it, a caller's or referrer's
    line, alleges."""
    return bool(_CONTINUES.search(sentence))


#: A quotation mark that opens a quotation (after a space, a bracket, a dash or a colon,
#: before a word) and one that closes it (after a word or a stop, before a space, a stop
#: or the end); an apostrophe inside a word ("DIDN'T") is neither.
_OPENS = re.compile(r"(?:^|(?<=[\s(\[\-–:]))['‘\"“](?=\w)")
_CLOSES = re.compile(r"(?<=[\w.!?,)])['’\"”](?=$|[\s.,;:)!?\-–])")


def opens_quote(sentence: str) -> bool:
    """The sentence opens more quotations than it closes: someone's words go on in the
    next sentence ("WRITTEN ACCOUNT HANDED IN - 'SOMEONE ELSE MADE ME CARRY IT.")."""
    return len(_OPENS.findall(sentence)) > len(_CLOSES.findall(sentence))


def closes_quote(sentence: str) -> bool:
    """The sentence closes more quotations than it opens: the end of words quoted
    before it."""
    return len(_CLOSES.findall(sentence)) > len(_OPENS.findall(sentence))


#: The police finding, locating, stopping, searching or detaining someone ("located by
#: officers at a flat with cash", "Police stopped him in a car with two older males"): an
#: encounter that ends in what they did with the person.
_FOUND_BY_POLICE = r"located|found|stopped|searched|detained|recovered|picked up"
_ENCOUNTER = re.compile(
    r"\b(?:" + _FOUND_BY_POLICE + r")\b[^.;]{0,40}?\bby "
    r"(?:the )?(?:[\w\[\]]+ ){0,2}(?:police|officers?|patrol|pcs?|bt?p)\b|"
    r"\b(?:police|officers?|patrol)\b[^.;]{0,30}?\b(?:" + _FOUND_BY_POLICE + r")\b",
    re.IGNORECASE,
)

#: What the police did with the person they found: arrested or not, charged, cautioned,
#: released, reported for summons, treated as a victim.
_DISPOSAL = re.compile(
    r"\b(?:not |de-?)?arrested\b|\bno arrest\b|\bcharged\b|\bcautioned\b|\breleased\b|"
    + _SUMMONS
    + r"|"
    + _NO_FURTHER_ACTION
    + r"|"
    + _HELD_OR_BAILED
    + r"|"
    r"\btreated as (?:an? )?(?:potential |possible |likely )?victim\b",
    re.IGNORECASE,
)


#: Someone arrested ("J arrested", "ARRESTED 03/04 AT ...", "located and arrested at
#: a friend's flat"); never "not arrested", "no arrest", "de-arrested".
_ARREST = re.compile(r"(?<!\bnot )(?<!\bde-)(?<!\bde)\barrested\b", re.IGNORECASE)

#: How an arrest ended: released (under investigation, on bail, without charge, to a
#: parent), bailed, remanded, charged, cautioned, reported for summons, no further
#: (police) action, and what the court made of a charge (an order, a sentence, a verdict,
#: a discharge, a fine); never an arrest of its own.
_ARREST_DISPOSAL = re.compile(
    r"\breleased (?:under|on|without|to|from custody)\b|\bon bail\b|\bcharged\b|"
    + _HELD_OR_BAILED
    + r"|"
    r"\bcautioned\b|"
    + _CAUTION
    + r"|"
    + _SUMMONS
    + r"|\bcommunity resolution\b|"
    + _NO_FURTHER_ACTION
    + r"|\bno charges?\b|\bnot charged\b|"
    + _CRIMINAL_ORDER
    + r"|\b(?:youth|magistrates'?|crown) court\b|"
    + _SENTENCE
    + r"|"
    + _VERDICT
    + r"|\bpleaded (?:not )?guilty\b",
    re.IGNORECASE,
)


#: Words before "arrested" that say no one was ("wasn't", "nobody was", "never") or that
#: it was only threatened or wished ("threatened to have him arrested").
_NO_ARREST = re.compile(
    r"(?:\bnot|n't|\bnever|\bnobody|\bno one|\bno-one|\bthreat\w*|\bwant\w*|\bask\w*|"
    r"\bto (?:have|get))\W+(?:\w+\W+){0,3}$",
    re.IGNORECASE,
)


def arrest(sentence: str) -> bool:
    """The sentence records someone arrested, now, not an earlier matter ("arrested in
    2019"), nor no one arrested ("nobody was arrested") nor an arrest only threatened:
    what came of it (``arrest_disposal``) is how it ended."""
    return any(
        not _NO_ARREST.search(sentence[: m.start()]) for m in _ARREST.finditer(sentence)
    ) and not earlier_matter(sentence)


def arrest_disposal(sentence: str) -> bool:
    """How an arrest ended ("Released under investigation", "RUI", "bailed to return",
    "charged with ...", "NFA"), in a line that records no arrest of its own (another
    arrest is another matter) and no earlier matter."""
    return (
        bool(_ARREST_DISPOSAL.search(sentence))
        and not arrest(sentence)
        and not earlier_matter(sentence)
        and not addressed_to_reader(sentence)
        # "hearing to be listed", "CPS considering ...": nothing has come of it yet
        and not (_PENDING.search(sentence) and not _FINAL.search(sentence))
    )


def police_encounter(sentence: str) -> bool:
    """The police found, located, stopped or searched someone: what they then did with
    the person (``person_disposal``) is how it ended."""
    return bool(_ENCOUNTER.search(sentence))


def person_disposal(sentence: str) -> bool:
    """What the police did with a person they found ("No arrest made, treated as a likely
    victim", "charged", "released under investigation"), not an earlier matter's."""
    return bool(_DISPOSAL.search(sentence)) and not earlier_matter(sentence)


def ends_matter(sentence: str) -> bool:
    """A decision or an ending ("NFA", "no arrest - she would not make a complaint",
    "threshold not met", "charged", a court's order), as against a finding about someone
    ("mum low but safe"): it ends the matter, whoever else it names."""
    return (
        is_decision(sentence)
        or final_disposition(sentence)
        or person_disposal(sentence)
        or decided(sentence)
    )


#: A risk assessment done with a party (a DASH or risk identification checklist, a risk
#: or exploitation screening): "DASH completed with mum - 12 yes - high", "risk
#: assessment done with the victim", "completed a CCE screening tool with him".
_RISK_TOOL = (
    r"dash|ric|(?:risk|exploitation|cce|cse) (?:assessment|identification checklist|"
    r"checklist|screening|screen|tool)|screening tool"
)
_RISK_CHECK = re.compile(
    r"\b(?:" + _RISK_TOOL + r")\b[^.;?]{0,60}?(?<!be )\b(?:completed|"
    r"done|carried out|undertaken|conducted)\b(?![^.;]*\?)|"
    r"\b(?:completed|did|carried out|undertook|conducted) (?:an? |the )?(?:" + _RISK_TOOL + r")\b",
    re.IGNORECASE,
)


def risk_check(sentence: str) -> bool:
    """The sentence records a risk assessment done with a party (DASH, a checklist, a
    screening)."""
    return bool(_RISK_CHECK.search(sentence))


def risk_answer(previous: tuple[str, ...] | list[str]) -> bool:
    """The line after a risk assessment's line ("DASH completed with mum - medium." then
    "Mum disclosed he checks her phone."): a party's answers to it, a risk it weighs about
    how things are between them, not an account of the event a log records; the event's
    own ending (its crimes, NFA) is not theirs."""
    return bool(previous) and risk_check(previous[-1])
