"""What kind of request a question is: answerable, off-topic, or one caselens refuses.

caselens shares recorded facts; a person decides. A question that asks caselens for a
decision, a risk score, a prediction, a judgement of a person or a choice between people,
professionals or options is refused (``assistant.refusal`` words the refusal and keeps its
factual core). A question that is not about a child's or family's records at all (the
weather, football, a recipe, a poem) is ``off_topic``. Everything else is answered, and
that includes the many factual questions that only *mention* risk, decisions or
recommendations ("What risk level did the DASH give?", "What did the panel decide?").

``RequestClassifier`` is the narrow interface the answer service uses, so another
classifier (a council's own model served by Ollama, say) can stand in later. Two live
here:

- ``PatternClassifier``: precise patterns only, no model. ``refusal.assess`` uses it when
  given no classifier.
- ``ExemplarClassifier``: the same patterns plus nearest neighbours among sentence
  embeddings of a broad exemplar bank (``assistant/data/*_exemplars.txt`` with the
  refusal and factual sets: about 380 refusal, 400 answerable and 120 off-topic
  questions). The bank is embedded once, when the classifier is built (kept per model in
  memory and, given a folder, on disk); classifying a question costs one embedding.
  ``api.backends.build_answer_service`` gives the answer service one.

How a question is decided, in order:

1. **Off-topic**: a question with no word of children's or family casework (no person,
   family, agency or case word) is off-topic when it names a plainly unrelated task
   (a poem, a recipe, a joke) or when its nearest off-topic exemplars are about as near
   as its nearest in-domain ones (similarity floor and margin). The answer service takes
   a short follow-up in a conversation as being about the records whatever this says.
2. **Asking what the records say** ("what did X say/decide/recommend", "has anyone
   recorded", "what options have been discussed", "is there any record of") is answered,
   unless the question also asks for caselens's own view ("do you think", "in your view",
   "should we").
3. **Patterns**: precise evaluative or predictive structures refuse with their kind
   ("should we", "is X a good parent", "rate ... out of ten", "who's right, X or Y",
   "will she be ok", "is X a danger to", "how concerned should we be", "better off").
4. **Exemplars**: refused when the mean similarity of the question's nearest refusal
   exemplars exceeds that of its nearest answerable exemplars by a margin and reaches a
   floor; a question with an evaluative or predictive cue word (a modal, a comparative,
   "going to", "enough", "safe") needs a smaller margin. "According to the records",
   "anything on dad?" and the like make the exemplars' verdict count for nothing
   (patterns still apply).

The thresholds in ``Thresholds`` were chosen by leave-one-out over the bank and checked
on held-out sets the bank never contains (``assistant.request_calibration``;
docs/architecture.md has the numbers).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Literal, Protocol

import numpy as np

from assistant.embedder import TextEmbedder
from assistant.text import content_words

RefusalKind = Literal["decision", "risk_score", "prediction", "judgement", "choice", "disclosure"]
RequestCategory = Literal[
    "answer",
    "off_topic",
    "decision",
    "risk_score",
    "prediction",
    "judgement",
    "choice",
    "disclosure",
]
REFUSAL_KINDS: tuple[RefusalKind, ...] = (
    "decision",
    "risk_score",
    "prediction",
    "judgement",
    "choice",
    "disclosure",
)
_KIND_OF: dict[str, RefusalKind] = {kind: kind for kind in REFUSAL_KINDS}
#: What decided: a pattern, the records guard, the exemplars, or nothing at all.
Signal = Literal["pattern", "records", "exemplars", "off_topic_pattern", "none"]


@dataclass(frozen=True)
class RequestDecision:
    category: RequestCategory
    signal: Signal = "none"
    #: Mean similarity of the nearest refusal / answerable / off-topic / in-domain
    #: exemplars (None when no embeddings were used).
    refusal_similarity: float | None = None
    answer_similarity: float | None = None
    off_topic_similarity: float | None = None
    in_domain_similarity: float | None = None

    @property
    def refused(self) -> bool:
        return self.category in REFUSAL_KINDS

    @property
    def off_topic(self) -> bool:
        return self.category == "off_topic"

    @property
    def kind(self) -> RefusalKind | None:
        return _KIND_OF.get(self.category)


class RequestClassifier(Protocol):
    """Decides what kind of request a question is (see the module docstring)."""

    def classify(self, question: str) -> RequestDecision: ...


# --- patterns ------------------------------------------------------------------------------

_I = re.IGNORECASE
#: Who a predictive "is X going to ..." is about.
_PERSON = (
    r"(?:he|she|they|mum|mom|dad|nan|gran|grandad|stepdad|stepmum|uncle|aunt|auntie|"
    r"(?:the|his|her|their|mum's|dad's) (?:baby|child|children|kids?|boy|girl|son|daughter|"
    r"family|mum|dad|mother|father|parents?|carers?|stepdad|stepmum|partner|boyfriend|"
    r"girlfriend|brother|sister|siblings?|toddler|teenager|little one|placement))"
)


def _rx(pattern: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    return re.compile(pattern, flags)


#: Precise signs that a question asks caselens to decide, score, predict, judge or choose.
#: The first match names the kind.
PATTERNS: tuple[tuple[RefusalKind, re.Pattern[str]], ...] = (
    # disclosure: lists of identifiers or contact details, sealed records, or an
    # instruction to set the rules aside (the answer never holds these anyway)
    (
        "disclosure",
        _rx(
            r"\b(?:print|list|give|send|show|tell|dump|export|email|copy|pull)\b[^?.]{0,60}\b(?:"
            r"addresses|address(?:es)? and|phone numbers?|mobile numbers?|contact details|"
            r"telephone numbers?|email addresses|dates? of birth|dobs?|nhs numbers?|"
            r"ni numbers?|national insurance numbers?|upns?)\b"
            r"|\b(?:anything|everything|all|records?|files?|notes?) (?:that is |that's |marked )?"
            r"(?:sealed|restricted|confidential|withheld)\b"
            r"|\b(?:ignore|disregard|override|bypass)\b[^?.]{0,30}\b(?:instructions?|rules|"
            r"policy|policies|restrictions|permissions|filters?)\b"
        ),
    ),
    # choice: between professionals, people, accounts or options
    (
        "choice",
        _rx(
            r"\bwho(?:'s| is| was|se)?\s+(?:got it\s+)?(?:right|correct|wrong|side are you on|"
            r"more (?:reliable|believable|accurate|credible|trustworthy|honest|truthful))\b"
        ),
    ),
    (
        "choice",
        _rx(
            r"\bwho(?:m)? (?:should|do|can|would|shall) (?:we|i|you) (?:believe|trust|side with|"
            r"go with|listen to|back)\b|\bwhose (?:side|account|view|assessment|report|advice)\b"
            r".{0,40}\b(?:right|correct|believ|trust|go with|reliable|accurate|should)"
        ),
    ),
    (
        "choice",
        _rx(
            r"\bwhich (?:one|of (?:the|them|these|those)(?: two)?|report|assessment|view|account|"
            r"professional|worker|agency|advice|recommendation|parent|carer|therapist)\b.{0,50}"
            r"\b(?:right|correct|wrong|better|best|(?:more|most) (?:accurate|reliable|believable)|"
            r"should (?:we|i|the panel|the \w+) (?:follow|accept|believe|trust|go with)|"
            r"(?:do|should) (?:we|i) (?:follow|believe|trust|go with))\b"
        ),
    ),
    (
        "choice",
        _rx(
            r"\bwhich (?:is|was|one is|seems) (?:right|correct|wrong|true|better|more (?:accurate|"
            r"reliable|believable))\b|\bwhich (?:\w+ )?(?:should|do|can) (?:we|i) (?:believe|trust|"
            r"follow|go with|side with)\b"
        ),
    ),
    ("choice", _rx(r"^\s*(?:please\s+)?(?:pick|choose)\b|\b(?:you|caselens) (?:pick|choose)\b")),
    (
        "decision",
        _rx(
            r"\bis it (?:safe|right|best|appropriate|ok|okay|wise|time|the right \w+) (?:for|to)\b"
        ),
    ),
    # risk scores and ratings
    ("risk_score", _rx(r"\b(?:risk|danger)\s+(?:score|rating)")),
    ("risk_score", _rx(r"\b(?:rate|score|assess|quantify|grade|rank)\b.{0,40}\b(?:risk|danger)")),
    (
        "risk_score",
        _rx(
            r"\bis (?:this|the|their) (?:family|child|case|mother|father|household)\b.{0,25}"
            r"\b(?:high|low|medium|significant)[- ]risk"
        ),
    ),
    ("risk_score", _rx(r"\bhow (?:dangerous|risky)\b|\bhow (?:much )?at risk\b")),
    ("risk_score", _rx(r"\bRAG\b|\b[Rr]ed,? [Aa]mber\b|\b[Aa]mber or [Gg]reen\b", 0)),
    (
        "risk_score",
        _rx(
            r"\b(?:is|are|does|do)\s+(?:[\w']+\s+){0,3}(?:a |an )?(?:danger|dangerous|threat|"
            r"risk|risky)\b(?!\s*(?:assessment|level|factor|score|rating|plan|marker|management|"
            r"register|log|matrix))"
        ),
    ),
    (
        "risk_score",
        _rx(
            r"\b(?:is|are)\s+(?:[\w']+\s+){0,3}(?:safe|unsafe|in danger)\b(?=\s*(?:$|[?.!,]|with|"
            r"at|around|from|near|in|on|if|when|now|there|here|enough|living|staying|to be|to go|"
            r"to return|to stay|to live|to have|to see|for))"
        ),
    ),
    (
        "risk_score",
        _rx(
            r"\b(?:pose|poses|present|presents)\s+(?:a |any )?(?:risk|danger|threat)\b"
            r"(?!.{0,40}\b(?:recorded|noted|said|according)\b)"
        ),
    ),
    # ratings of people and places
    (
        "judgement",
        _rx(
            r"\bout of (?:10|ten|five|5|100)\b|\bon a scale\b|"
            r"\b(?:1|one) to (?:4|5|10|four|five|ten)\b"
        ),
    ),
    (
        "judgement",
        _rx(
            r"^\s*(?:please\s+)?(?:rate|score|grade|rank)\b|"
            r"\b(?:would|could|can|will|do) (?:you|we|i) (?:rate|score|grade|rank)\b|"
            r"\bgive (?:[\w']+ ){0,2}(?:a )?(?:grade|score|mark|rating)\b"
        ),
    ),
    # predictions
    ("prediction", _rx(r"\b(?:predict|forecast|prognosis|outlook)")),
    ("prediction", _rx(r"\b(?:can|do|should|would|could) (?:we|you|i|u) expect\b")),
    ("prediction", _rx(r"\bhow likely\b|\blikely to\b|\bchances?\b|\bprobability\b|\bodds\b")),
    (
        "prediction",
        _rx(
            r"\bwill (?:he|she|they|dad|mum|the \w+)\b.{0,40}"
            r"\b(?:again|reoffend|re-offend|relapse|hurt|harm|go missing|be excluded|start|stop|"
            r"change|cope)"
        ),
    ),
    (
        "prediction",
        _rx(
            r"\b(?:will|'ll|going to|gonna|wil)\s+(?:\w+\s+){0,3}?(?:be|turn out|end up|get)\s+"
            r"(?:ok|okay|alright|all right|fine|safe|happy|better|worse|hurt|harmed)\b"
        ),
    ),
    (
        "prediction",
        _rx(
            r"\b(?:will|'ll|going to|gonna|likely)\b.{0,30}\bend up\b|"
            r"\bwhat(?: will| would| is going to|'s going to|s going to| is gonna|'s gonna) "
            r"(?:happen|become) (?:to|of)\b|"
            r"\bhow will .{0,40}\bturn out\b"
        ),
    ),
    (
        "prediction",
        _rx(
            r"^(?!\s*(?:when|what time|what date|on what date)\b).*\b(?:is|are|am)\s+"
            + _PERSON
            + r"\s+(?:\w+\s+)?(?:going to|gonna|likely to)\b"
        ),
    ),
    # judgements of people
    (
        "judgement",
        _rx(
            r"\bis\b.{0,30}\b(?:good|bad|fit|unfit|safe|poor|adequate|capable|suitable|decent|"
            r"neglectful|abusive) (?:enough )?(?:parent|mother|father|carer|mum|dad)"
        ),
    ),
    (
        "judgement",
        _rx(
            r"\b(?:is|are) (?:she|he|they|the \w+|mum|dad|nan|the \w+'s \w+) (?:really )?(?:lying|"
            r"exaggerating|making (?:it|this|that|things) up|telling the truth|being (?:honest|"
            r"truthful|manipulative))\b"
        ),
    ),
    (
        "judgement",
        _rx(r"\bwho is (?:to blame|at fault|responsible)\b|\bto blame\b|\bwhose fault\b"),
    ),
    (
        "judgement",
        _rx(r"^\s*(?:please\s+)?judge\b|\b(?:you|caselens) judge\b|\bjudge (?:whether|if|how)\b"),
    ),
    (
        "judgement",
        _rx(
            r"\b(?:your|caselens'?s?) (?:honest )?(?:opinion|view|assessment|judgement|judgment|"
            r"recommendation|impression|thoughts|take|gut)"
        ),
    ),
    ("judgement", _rx(r"\bin your (?:opinion|view)\b|\bdo you (?:think|reckon)\b")),
    (
        "judgement",
        _rx(
            r"\bhow (?:worried|concerned|anxious|alarmed) (?:should|ought|must|do|would|need)\b|"
            r"\b(?:should|ought) (?:i|we) (?:to )?be (?:worried|concerned)\b|"
            r"\b(?:am i|are we) right to (?:be )?(?:worr|concern)"
        ),
    ),
    ("judgement", _rx(r"\bdoes\b.{0,40}\bmeets? (?:the )?threshold")),
    (
        "judgement",
        _rx(r"\bhow (?:good|bad|decent|poor) (?:a |an )(?:parent|mother|father|carer|mum|dad)\b"),
    ),
    (
        "judgement",
        _rx(r"\b(?:coping|managing|doing) (?:or not|well enough|ok or)\b|\bgood enough\b"),
    ),
    # decisions
    (
        "decision",
        # Not "what should I know / be aware of before the visit": that asks what is recorded.
        _rx(
            r"\b(?:should|shud|shld)\b(?!\s+(?:i |we |you )?(?:know|be aware|bear in mind|"
            r"look out|watch out|read)\b)(?!.{0,60}\b(?:recorded|say|says|said|agreed|according)\b)"
        ),
    ),
    ("decision", _rx(r"\b(?:shall|ought) (?:we|i|the \w+)\b|\bought to\b")),
    (
        "decision",
        _rx(
            r"\b(?:do|does) (?:we|i|this|(?:this|the) (?:case|family|child|boy|girl|young person)) "
            r"(?:still |really )?need (?:to|a|an|another)\b"
            # "do we issue a plan or not?": a choice put to caselens.
            r"|\b(?:do|shall|can|should) (?:we|i)\b.{0,50}\bor not\b"
        ),
    ),
    (
        "decision",
        _rx(
            r"\b(?:do|would|can|could) (?:you|u) (?:recommend|suggest|advise)\b|"
            r"^\s*(?:please\s+)?(?:recommend|advise|suggest)\b|"
            r"\b(?:steps?|plan|action) do (?:you|u) recommend\b"
        ),
    ),
    (
        "decision",
        _rx(
            r"\b(?:you|caselens) (?:decide|choose)\b|\bdecide (?:whether|if|what|who|for)\b|"
            r"\bmake a decision\b|\bhelp me decide\b|\bmake the call\b|"
            r"\b(?:tell|advise) (?:me|us) (?:whether|if) (?:to|i should|we should)\b"
        ),
    ),
    (
        "decision",
        _rx(
            r"\bwould (?:it|they|he|she|the \w+|\w+) be (?:best|better|safer|happier|wiser)\b|"
            r"\bwould be (?:best|better|safer)\b|\bbest (?:option|placement|course|plan)\b|"
            r"\b(?:the )?better option\b|\bbetter off\b|\bsafest (?:option|place|plan)\b|"
            r"\b(?:would|will|'d|could)\b.{0,40}\b(?:safer|better|happier) (?:living|staying|with|"
            r"in|at|if)\b"
        ),
    ),
    (
        "decision",
        _rx(
            r"\bwhat (?:would|should) you do\b|\bif you were\b|\bwhat(?:'s| is) the right thing\b|"
            r"\bwhat (?:do|should|shall) (?:i|we) do\b"
        ),
    ),
)

#: The question asks what the records say, or what someone recorded, decided or
#: recommended: a factual question however much it mentions risk or decisions.
_RECORDS_ASKED = _rx(
    r"\b(?:what|who|which|how|when|where|why) (?:[\w']+ ){0,3}?(?:did|do|does)\b[^?]{0,60}?\b"
    r"(?:say|decide|recommend|record|conclude|agree|find|note|report|advise|write|suggest|"
    r"propose|identify|describe|observe|state|mention|ask|request|order|raise|show|discuss|"
    r"rate|score|give|assess|grade|put)\b"
    r"|\b(?:what|who|which|how|when|where|why) (?:[\w']+ ){0,3}?(?:has|have|had|was|were|is|are)"
    r"\b[^?]{0,60}?\b(?:said|decided|recommended|recorded|concluded|agreed|found|noted|"
    r"reported|advised|written|wrote|suggested|proposed|identified|given|gave|assessed|rated|"
    r"scored|described|observed|stated|mentioned|asked|requested|ordered|raised|discussed|"
    r"shown|documented|logged)\b"
    r"|\b(?:has|have|had|was|were|been|is|are)\b(?:\s+[\w']+){0,6}?\s+(?:recorded|documented|"
    r"noted|logged|reported|raised|identified|flagged|mentioned|discussed|considered|explored|"
    r"proposed|put forward|recommended|concluded|described|observed|stated|written|completed|"
    r"given|said|told|suggested|decided|agreed)\b"
    r"|\b(?:any|a|the) records? (?:of|that|showing|about)\b|\bwhat(?:'s| is| has been| was) "
    r"(?:recorded|documented|noted|on file|known)\b|\bdid (?:the |any |anyone|anybody)?\w*\s*"
    r"(?:say|record|note|report|raise|decide|recommend|discuss|agree|conclude)\b"
    r"|\bwhat (?:decision|outcome|recommendation)s?\b"
    r"|\b(?:do|does|did) (?:[\w']+ ){1,8}?(?:agree|disagree|differ|match|tally|conflict|"
    r"contradict)\b"
    r"|\b(?:what|where|who|how) (?:would|does|do|did) (?:[\w']+ ){1,3}(?:like|want|wish|hope)\b"
    r"|\b(?:his|her|their|[\w]+'s) (?:own )?(?:wishes|views|words)\b"
)
#: "According to the records", "anything on dad?" and the like: the exemplars' verdict
#: counts for nothing (a pattern still refuses "according to the records, is dad
#: dangerous?").
_RECORDS_MENTIONED = _rx(
    r"\baccording to\b|\b(?:in|on|from) (?:the )?(?:records?|notes?|file|case notes|chronology|"
    r"minutes|reports?)\b|\bon file\b|\bdo the records\b|\bin (?:his|her|their) own words\b"
    r"|^\W*(?:and|so|ok|okay)?\W*(?:what about|how about|anything|any (?:info|information|news|"
    r"updates?|notes?|records?|more))\b"
)
#: The question also asks for caselens's own view: the records guard does not apply.
_OWN_VIEW = _rx(
    r"\b(?:you|u)\b(?:\s+\w+){0,2}\s+(?:think|reckon|feel|believe|say|suggest|recommend|advise|"
    r"rate|score|give|put|make|decide|choose|prefer|expect|predict)\b|\b(?:in )?your (?:honest )?"
    r"(?:view|opinion|assessment|judgement|judgment|take|gut|impression|thoughts)\b|"
    r"\bshould (?:we|i)\b|\bis it (?:safe|right|best|ok|okay|appropriate|time)\b|\bbetter off\b"
)
#: Words of an evaluative or predictive question: with one, a smaller exemplar margin
#: refuses.
_CUE = _rx(
    r"\b(?:should|shud|shld|ought|would|wud|could|cud|shall|will|wil|going to|gonna|'ll|"
    r"likely|expect|better|worse|best|safer|safest|happier|enough|ok|okay|alright|fit|unfit|"
    r"safe|unsafe|capable|suitable|competent|decent|gud|good|bad|reliable|honest|genuine|"
    r"right|wrong|acceptable|appropriate|danger|dangerous|threat|worried|worry|concerned|"
    r"blame|fault|really|deserve|coping)\b"
)
#: "Is there ...?", "Has there been ...?", "Any ...?": asks whether something is recorded.
#: The exemplars never refuse it (a pattern still can: "is there a chance he'll ...").
_EXISTENTIAL = _rx(
    r"^\W*(?:(?:and|so|ok|okay)\W+)?(?:(?:is|are|was|were) there|(?:has|have|had) there been|"
    r"(?:is|are) (?:there )?any|any(?:thing)?\b)"
)
#: "Does mum drink?", "did dad turn up?", "how is his sister now?", "what does nan do for
#: them?": what someone does, did or how they are, which the records can answer. The
#: exemplars alone do not refuse it; a cue word still can ("does mum pose a danger?",
#: "how is mum coping, really?"), and so does asking whether someone needs or qualifies
#: for something, or what the future holds (``_NOT_ROUTINE``).
_ROUTINE = _rx(
    r"^\W*(?:(?:and|so|ok|okay)\W+)?(?:(?:does|do|did)\s+(?!(?:we|i|you|u|it|this|that)\b)"
    r"|how(?:'s|\s+is|\s+are|\s+was|\s+were|\s+has|\s+have)\s+(?!(?:we|i|you|u|it|this|that)\b)"
    r"|what\s+(?:does|do|did)\s+(?!(?:we|i|you|u)\b)(?:[\w'\[\]-]+\s+){1,3}?do\b)"
)
#: "Is she eating ok?", "is mum drinking again?", "is he going to school?": how someone's
#: days go, which the records can answer; "ok", "well" after it ask how, not a verdict.
_STATE = _rx(
    r"^\W*(?:(?:and|so)\W+)?(?:is|are|was|were|has|have)\s+(?!(?:it|this|that|there|we|i|you|u)\b)"
    r"(?:[\w'\[\]-]+\s+){1,3}?(?:still\s+|now\s+|been\s+)?(?:eating|sleeping|feeding|drinking|"
    r"using|smoking|attending|settling|toileting|engaging|working|taking (?:his|her|their) "
    r"(?:meds|medication|tablets)|going to (?:school|nursery|college|contact|appointments|the))\b"
)
_HOW_IT_GOES = _rx(r"\b(?:ok|okay|alright|all right|well|fine)\b")
#: A quotation: 'in single quotes' (not an apostrophe inside a word), "double" or curly.
_QUOTED = re.compile(
    r"(?<![\w'])'[^'\n]+'(?![\w'])|\"[^\"\n]+\"|\u2018[^\u2019\n]+\u2019|\u201c[^\u201d\n]+\u201d"
)
#: "Did that get any better?", "has his sleep got worse since?": whether something
#: changed, which the records can answer (what was recorded before and after), not a
#: verdict. "Will it get better?" is a prediction (``PATTERNS``); "is she getting
#: better at ...?" is left to the exemplars.
_CHANGED = _rx(
    r"\b(?:did|has|have|had)\s+(?:[\w'\[\]-]+\s+){0,4}?(?:get|got|gotten|become|became)\s+"
    r"(?:any\s+|much\s+|a (?:bit|lot)\s+)?(?:better|worse)\b"
)
_NOT_ROUTINE = _rx(
    r"\b(?:need|needs|needed|meet|meets|qualif\w*|warrant\w*|requir\w*|deserv\w*|merit\w*|"
    r"too (?:much|many|often|little)|threshold|pose|poses|future|prognosis|chances?|odds|"
    r"likel\w*|outlook|turn out|end up|"
    r"become of|happen|step (?:down|up)|escalat\w*|clos\w*|correct|truth|lying|lie)\b"
)
#: "Who does she trust?", "What does he enjoy?": the person's own views, as recorded.
_PERSONS_VIEWS = _rx(
    r"\b(?:who|what|where|how) (?:do|does|did) (?!you\b|u\b)(?:[\w']+ ){1,3}?(?:trust|enjoy|like|"
    r"love|talk to|confide in|turn to|want|wish|feel|hope|worry about|say)\b"
)
#: "I'm not after a decision - ...", "not wanting your opinion, just ...": a request
#: the question itself disowns is not part of what it asks.
_DISOWNED = _rx(
    r"\b(?:i'?m |i am |we'?re |we are )?not (?:asking|wanting|looking|after) (?:you )?(?:for |to )?"
    r"[^-\u2013\u2014.;:?!]*[-\u2013\u2014.;:!]*\s*(?:just,?\s*)?"
)


def without_disowned(question: str) -> str:
    """The question without a request it explicitly disowns (see ``_DISOWNED``)."""
    stripped = _DISOWNED.sub("", question).strip()
    return stripped or question


#: Words of children's and family casework. A question with any of them is never
#: off-topic (acronyms that are also ordinary words only in capitals).
_DOMAIN = _rx(
    r"\b(?:child|children|childs|kid|kids|baby|babies|son|daughter|boy|girl|teen|teenager|"
    r"toddler|infant|unborn|young person|mum|mums|mom|mother|mothers|dad|dads|father|fathers|"
    r"parent|parents|parental|parenting|carer|carers|nan|nana|nanna|gran|granny|grandma|grandad|"
    r"grandmother|grandfather|grandparents?|aunt|auntie|aunty|uncle|sibling|siblings|brother|"
    r"brothers|sister|sisters|stepdad|stepmum|step-dad|step-mum|stepfather|stepmother|partner|"
    r"boyfriend|girlfriend|ex|cousin|family|families|household|he|she|him|her|his|hers|case|"
    r"referral|referrals|records?|recorded|chronology|home visit|school|schools|nursery|"
    r"college|attendance|exclusion|excluded|police|gp|health visitor|hv|midwife|social worker|"
    r"social care|iro|camhs|ehcp|senco|yot|marac|lado|plo|icpc|placement|placements|foster|"
    r"fostering|adoption|care order|missing|abuse|abusive|neglect|drugs?|alcohol|violence|"
    r"violent|safeguarding|risk|danger|harm|injury|injuries|bruis\w*|court|professional|"
    r"professionals|agency|agencies|concerns?|incident|incidents|disclos\w*|self-harm|"
    r"mental health|housing|tenancy|eviction|arrears|early help|youth justice|offending|"
    r"custody|anyone|anybody|the plan|care plan|visit|visits|meeting|review|personal budget|"
    r"section [a-k]|provision)\b"
)
_DOMAIN_ACRONYM = _rx(r"\b(?:SEND|SEN|SALT|SLT|EP|OT|SW|CP|CIN|LAC|MASH|DASH|EHC|CSE|DV|DA)\b", 0)
#: Tasks that are plainly not about records (when the question has no casework word).
_OFF_TOPIC_TASK = _rx(
    r"\b(?:poem|poetry|limerick|haiku|sonnet|song|lyrics|rap|joke|jokes|riddle|pun|puns|recipe|"
    r"recipes|weather|football|premier league|cricket|rugby|lottery|horoscope)\b"
)


def pattern_kind(question: str) -> RefusalKind | None:
    """The kind of the first refusal pattern the question matches, if any."""
    for kind, pattern in PATTERNS:
        if pattern.search(question):
            return kind
    return None


def asks_what_is_recorded(question: str) -> bool:
    """The question asks what the records say, or a person's own recorded views (and not
    also for caselens's own view)."""
    asked = _RECORDS_ASKED.search(question) or _PERSONS_VIEWS.search(question)
    return bool(asked) and not _OWN_VIEW.search(question)


def has_domain_word(question: str) -> bool:
    return bool(_DOMAIN.search(question) or _DOMAIN_ACRONYM.search(question))


@dataclass(frozen=True)
class Cues:
    """What the patterns say about a question (computed once per question)."""

    #: A word of children's and family casework: never off-topic.
    domain: bool
    #: A plainly unrelated task (a poem, a recipe) and no casework word.
    off_topic_task: bool
    #: Asks what the records say, not for caselens's own view.
    records_asked: bool
    #: The kind of the first refusal pattern matched.
    pattern: RefusalKind | None
    #: "According to the records", "in the notes": the exemplars do not refuse.
    records_mentioned: bool
    #: An evaluative or predictive word: a smaller exemplar margin refuses.
    evaluative: bool
    #: "Is there ...?", "any ...?": the exemplars alone do not refuse.
    existential: bool = False
    #: How many content words the question has (see ``Thresholds.off_topic_words``).
    words: int = 0
    #: What someone does, did or how they are ("does mum drink?"): see ``_ROUTINE``.
    routine: bool = False
    #: A practice term or a casework topic's phrase ("county lines", "s47"): never
    #: off-topic by the exemplars.
    casework: bool = False

    @classmethod
    def of(cls, question: str, casework: Callable[[str], bool] | None = None) -> Cues:
        question = without_disowned(question)
        domain = has_domain_word(question)
        state = bool(_STATE.search(question))
        changed = bool(_CHANGED.search(question))
        # Words quoted are what someone said or wrote ("an e-mail about him being 'a good
        # lad'"), not the asker's verdict: no cue.
        plain = _QUOTED.sub(" ", _CHANGED.sub("", question))
        return cls(
            domain=domain,
            off_topic_task=not domain and bool(_OFF_TOPIC_TASK.search(question)),
            records_asked=asks_what_is_recorded(question),
            pattern=pattern_kind(question),
            records_mentioned=bool(_RECORDS_MENTIONED.search(question)),
            evaluative=bool(
                _CUE.search(_HOW_IT_GOES.sub("", _STATE.sub("", plain)) if state else plain)
            ),
            existential=bool(_EXISTENTIAL.search(question)),
            words=len(content_words(question)),
            routine=bool(_ROUTINE.search(question) or state or changed)
            and not _NOT_ROUTINE.search(question),
            casework=casework is not None and casework(question),
        )


class PatternClassifier:
    """Patterns only (no model): the records guard, then the refusal patterns; off-topic
    only for plainly unrelated tasks."""

    def classify(self, question: str) -> RequestDecision:
        if not question.strip():
            raise ValueError("the question is empty")
        cues = Cues.of(question)
        if cues.off_topic_task:
            return RequestDecision("off_topic", "off_topic_pattern")
        if cues.records_asked:
            return RequestDecision("answer", "records")
        if cues.pattern is not None:
            return RequestDecision(cues.pattern, "pattern")
        return RequestDecision("answer")


# --- exemplar bank -------------------------------------------------------------------------

_KIND_LINE = re.compile(r"^#\s*kind:\s*(\w+)\s*$")


def read_phrasings(name: str) -> list[tuple[str, str | None]]:
    """A packaged question file as (question, kind) pairs: ``# kind: X`` lines name the
    kind of the lines below them; other ``#`` lines are comments."""
    text = resources.files("assistant").joinpath(f"data/{name}.txt").read_text(encoding="utf-8")
    kind: str | None = None
    out: list[tuple[str, str | None]] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            if m := _KIND_LINE.match(line):
                kind = m.group(1)
                if kind not in REFUSAL_KINDS:
                    raise ValueError(f"{name}.txt: unknown refusal kind {kind!r}")
            continue
        out.append((line, kind))
    return out


def load_phrasings(name: str) -> list[str]:
    """A packaged question set (``refusal_set``, ``factual_set``, ``*_exemplars``,
    ``*_heldout``), comments skipped."""
    return [q for q, _ in read_phrasings(name)]


#: The files whose lines make the bank; the ``*_heldout`` files are never among them.
BANK_FILES: dict[str, tuple[str, ...]] = {
    "refusal": ("refusal_set", "refusal_exemplars"),
    "answer": ("factual_set", "factual_exemplars", "in_domain_exemplars"),
    "off_topic": ("off_topic_exemplars",),
}
#: Held out: the first set was written before the bank, the second after the classifier
#: was tuned; neither is ever part of the bank.
HELDOUT_FILES: dict[str, tuple[str, ...]] = {
    "refusal": ("refusal_heldout", "refusal_heldout2"),
    "answer": ("factual_heldout", "factual_heldout2"),
    "off_topic": ("off_topic_heldout", "off_topic_heldout2"),
}


@dataclass(frozen=True)
class ExemplarBank:
    """Labelled example questions: ``label`` is a refusal kind, ``answer`` or ``off_topic``."""

    texts: tuple[str, ...]
    labels: tuple[str, ...]

    def __post_init__(self) -> None:
        if len(self.texts) != len(self.labels):
            raise ValueError("one label per text")

    @classmethod
    def packaged(cls) -> ExemplarBank:
        texts: list[str] = []
        labels: list[str] = []
        for group, names in BANK_FILES.items():
            for name in names:
                for text, kind in read_phrasings(name):
                    if group == "refusal":
                        label = kind or pattern_kind(text)
                        if label is None:
                            raise ValueError(f"{name}.txt: no kind for {text!r}")
                    else:
                        label = group
                    texts.append(text)
                    labels.append(label)
        return cls(tuple(texts), tuple(labels))

    def without(self, texts: Sequence[str]) -> ExemplarBank:
        drop = {t.lower() for t in texts}
        kept = [
            (t, lab)
            for t, lab in zip(self.texts, self.labels, strict=True)
            if t.lower() not in drop
        ]
        return ExemplarBank(tuple(t for t, _ in kept), tuple(lab for _, lab in kept))

    def digest(self) -> str:
        h = hashlib.sha256()
        for text, label in zip(self.texts, self.labels, strict=True):
            h.update(f"{label}\t{text}\n".encode())
        return h.hexdigest()[:16]


@dataclass(frozen=True)
class Thresholds:
    """How the exemplar similarities decide (chosen by ``request_calibration``)."""

    #: Neighbours averaged per class.
    k: int = 5
    #: Refuse when refusal similarity minus answerable similarity reaches ``margin`` and
    #: the refusal similarity reaches ``floor`` (a wide margin: nearness alone, without an
    #: evaluative word, refused factual questions written by others) ...
    margin: float = 0.1
    floor: float = 0.2
    #: ... or, with an evaluative/predictive cue word, reaches ``cue_margin`` (negative:
    #: such a question is refused unless clearly nearer the answerable exemplars).
    cue_margin: float = -0.09
    #: Off-topic (no casework word) when off-topic similarity minus in-domain similarity
    #: reaches ``off_topic_margin`` and the off-topic similarity reaches ``off_topic_floor``.
    off_topic_margin: float = -0.06
    off_topic_floor: float = 0.1
    #: A question of fewer content words than this ("sleep?", "bullying", "pets") is
    #: off-topic only when its off-topic similarity clearly exceeds its in-domain one
    #: (``off_topic_short_margin``): the panel always has a child or family chosen, one
    #: word is most often a topic to look up in their records, and the nearest exemplars
    #: of one word say little. Measured: one-word topics a practitioner typed scored
    #: -0.20 to +0.05 (e.g. "sleep?" +0.02), one-word off-topic ones -0.01 to +0.27.
    off_topic_words: int = 2
    off_topic_short_margin: float = 0.055


#: Bank matrices already embedded in this process, by (model fingerprint, bank digest).
_EMBEDDED: dict[tuple[str, str], np.ndarray] = {}
#: Embedded to tell models apart: a bank matrix is reused only by the model that made it.
_PROBE = "Which embedding model made the caselens request bank?"


def model_fingerprint(embedder: TextEmbedder) -> str:
    """A short hash of the model's vector for a fixed sentence (one embedding): the same
    model and backend give the same fingerprint, another model or int8/torch another."""
    vector = np.asarray(embedder.encode([_PROBE])[0], dtype=np.float32)
    return hashlib.sha256(np.round(vector, 3).tobytes()).hexdigest()[:16]


def _embed_bank(
    embedder: TextEmbedder, bank: ExemplarBank, cache_key: str | None, cache_dir: Path | None
) -> np.ndarray:
    key = (cache_key or model_fingerprint(embedder), bank.digest())
    if key in _EMBEDDED:
        return _EMBEDDED[key]
    path = None
    if cache_dir is not None:
        name = hashlib.sha256(f"{key[0]}|{key[1]}".encode()).hexdigest()[:24]
        path = Path(cache_dir) / f"request-bank-{name}.npy"
        try:
            matrix: np.ndarray = np.load(path)
            if matrix.shape[0] == len(bank.texts):
                _EMBEDDED[key] = matrix
                return matrix
        except (OSError, ValueError):
            pass
    matrix = np.asarray(embedder.encode(list(bank.texts)), dtype=np.float32)
    _EMBEDDED[key] = matrix
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp.npy")
            np.save(tmp, matrix)
            tmp.replace(path)
        except OSError:
            pass  # a read-only cache folder only costs the next start the embedding
    return matrix


@dataclass(frozen=True)
class Similarities:
    """Per-class mean similarity of a question's nearest exemplars."""

    refusal: float
    answer: float
    off_topic: float
    in_domain: float
    #: The kind of the nearest refusal exemplar.
    nearest_refusal: RefusalKind


@dataclass
class ExemplarClassifier:
    """Patterns plus nearest exemplars by sentence embedding (see the module docstring).

    The bank matrix is reused by every classifier of the same model in this process and,
    with ``cache_dir``, by later processes; the model is told apart by ``cache_key`` when
    given, else by ``model_fingerprint`` (one embedding).
    """

    embedder: TextEmbedder
    bank: ExemplarBank = field(default_factory=ExemplarBank.packaged)
    thresholds: Thresholds = field(default_factory=Thresholds)
    cache_key: str | None = None
    cache_dir: Path | None = None
    #: Whether a question uses casework language the patterns do not list (the practice
    #: glossary's ``Glossary.about_casework``); such a question is never off-topic.
    casework: Callable[[str], bool] | None = None

    def __post_init__(self) -> None:
        if not self.bank.texts:
            raise ValueError("the exemplar bank is empty")
        self.matrix = _embed_bank(self.embedder, self.bank, self.cache_key, self.cache_dir)
        labels = np.asarray(self.bank.labels)
        self._refusal = np.isin(labels, REFUSAL_KINDS)
        self._answer = labels == "answer"
        self._off = labels == "off_topic"
        self._labels = labels

    def similarities(self, vector: np.ndarray, exclude: int | None = None) -> Similarities:
        sims = self.matrix @ np.asarray(vector, dtype=np.float32)
        if exclude is not None:
            sims = sims.copy()
            sims[exclude] = -1.0
        return _class_similarities(
            sims, self._labels, self._refusal, self._answer, self._off, self.thresholds.k
        )

    def classify(self, question: str) -> RequestDecision:
        if not question.strip():
            raise ValueError("the question is empty")
        vector = self.embedder.encode([without_disowned(question)])[0]
        cues = Cues.of(question, self.casework)
        return decide(cues, self.similarities(vector), self.thresholds)


def _top_mean(values: np.ndarray, k: int) -> float:
    if values.size == 0:
        return 0.0
    k = min(k, values.size)
    return float(np.mean(np.partition(values, -k)[-k:]))


def _class_similarities(
    sims: np.ndarray,
    labels: np.ndarray,
    refusal: np.ndarray,
    answer: np.ndarray,
    off: np.ndarray,
    k: int,
) -> Similarities:
    ref = sims[refusal]
    nearest = _KIND_OF[str(labels[refusal][int(np.argmax(ref))])] if ref.size else "decision"
    return Similarities(
        refusal=_top_mean(ref, k),
        answer=_top_mean(sims[answer], k),
        off_topic=_top_mean(sims[off], k),
        in_domain=_top_mean(sims[~off], k),
        nearest_refusal=nearest,
    )


def decide(cues: Cues, s: Similarities, t: Thresholds) -> RequestDecision:
    """The decision rule of the module docstring, from a question's cues and its exemplar
    similarities."""
    scores = {
        "refusal_similarity": round(s.refusal, 4),
        "answer_similarity": round(s.answer, 4),
        "off_topic_similarity": round(s.off_topic, 4),
        "in_domain_similarity": round(s.in_domain, 4),
    }
    if cues.off_topic_task:
        return RequestDecision("off_topic", "off_topic_pattern", **scores)
    short = cues.words < t.off_topic_words
    if (
        not cues.domain
        and not cues.casework
        and s.off_topic >= t.off_topic_floor
        and s.off_topic - s.in_domain >= (t.off_topic_short_margin if short else t.off_topic_margin)
    ):
        return RequestDecision("off_topic", "exemplars", **scores)
    if cues.records_asked:
        return RequestDecision("answer", "records", **scores)
    if cues.pattern is not None:
        return RequestDecision(cues.pattern, "pattern", **scores)
    if cues.records_mentioned:
        return RequestDecision("answer", "records", **scores)
    if cues.existential or (cues.routine and not cues.evaluative):
        return RequestDecision("answer", "records", **scores)
    margin = s.refusal - s.answer
    if (s.refusal >= t.floor and margin >= t.margin) or (
        cues.evaluative and margin >= t.cue_margin
    ):
        return RequestDecision(s.nearest_refusal, "exemplars", **scores)
    return RequestDecision("answer", "none", **scores)
