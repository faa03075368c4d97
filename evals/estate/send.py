"""SEND advice for EHC needs assessments: needs, quantified and vague provision, views.

Each advice report states needs and provision; most provision is specific and
quantified ("30 minutes of speech and language therapy twice a week delivered by a
specialist SaLT"), some is deliberately vague ("access to regular support as needed"),
and in some families two reports conflict. Child views are written in the first person.
"""

# ruff: noqa: E501  (long provision statements are data; keep them on one line)
from __future__ import annotations

from typing import Any

from evals.estate.context import NoteWriter
from evals.estate.demographics import DISABILITY_WORDS
from evals.estate.structure import INDEX_CHILD

NEEDS: dict[str, dict[str, str]] = {
    "educational_psychology": {
        "communication_and_interaction": "has significant difficulties with social communication and finds unstructured times, such as lunchtime, very hard",
        "cognition_and_learning": "has working memory and processing speed scores below the 5th centile, which affect reading and maths",
        "semh": "experiences high levels of anxiety in class that prevent learning, particularly in the afternoons",
        "sensory_physical": "becomes fatigued quickly, and fine motor difficulties limit written work",
    },
    "speech_and_language": {
        "communication_and_interaction": "has expressive language around two years behind age expectations and difficulty following multi-step instructions",
        "cognition_and_learning": "has a limited vocabulary and difficulty with word finding",
        "semh": "struggles to explain feelings in words, which leads to frustration",
        "sensory_physical": "has unclear speech that unfamiliar listeners find hard to understand",
    },
    "occupational_therapy": {
        "communication_and_interaction": "seeks sensory input and becomes dysregulated in noisy environments",
        "cognition_and_learning": "has weak fine motor skills and an immature pencil grip",
        "semh": "has difficulties with sensory regulation when anxious",
        "sensory_physical": "has reduced core stability and needs adapted seating to sit at a desk",
    },
    "paediatric": {
        "communication_and_interaction": "shows a profile consistent with social communication difficulties",
        "cognition_and_learning": "has global developmental delay with no identified medical cause",
        "semh": "has sleep difficulties and anxiety with physical symptoms (stomach aches)",
        "sensory_physical": "has physical needs affecting mobility over longer distances",
    },
    "social_care": {
        "communication_and_interaction": "'s family need support to manage behaviour at home",
        "cognition_and_learning": "'s family need support with routines and independence skills",
        "semh": "'s family report withdrawal at home and the family are under strain",
        "sensory_physical": "'s family need support with personal care and adaptations at home",
    },
}

#: advice_type -> quantified provision statements (specific: what, how often, how long, who)
QUANTIFIED: dict[str, tuple[str, ...]] = {
    "educational_psychology": (
        "20 minutes of small-group precision teaching for reading, 3 times a week, delivered by a trained teaching assistant",
        "a 10-minute meet-and-greet with a named adult before registration every day",
        "45 minutes of 1:1 literacy intervention twice a week delivered by a specialist teacher",
        "a 6-week ELSA programme of weekly 30-minute sessions delivered by a trained ELSA",
    ),
    "speech_and_language": (
        "30 minutes of speech and language therapy twice a week delivered by a specialist SaLT",
        "a daily 15-minute language group led by a teaching assistant the SaLT has trained",
        "a block of 6 weekly 45-minute SaLT sessions each term, with a written programme for school",
        "a termly review of targets by the specialist SaLT (3 times a year)",
    ),
    "occupational_therapy": (
        "a 15-minute sensory circuit every morning supervised by a trained teaching assistant",
        "a writing slope and pencil grips available in every lesson",
        "a termly OT visit to school by a qualified occupational therapist to update the programme",
        "a 20-minute fine motor programme 4 times a week delivered by a teaching assistant",
    ),
    "paediatric": (
        "a review with the community paediatrician every 12 months",
        "a sleep programme reviewed every 3 months by the paediatric nurse",
        "a medical care plan reviewed annually by the school nurse",
        "a referral to the continence service within 6 weeks",
    ),
    "social_care": (
        "short breaks of 3 hours every Saturday with an approved provider",
        "a carer's assessment for the parent within 28 days",
        "a family support worker visiting weekly for 12 weeks",
        "an overnight short break once a month at a registered provider",
    ),
}

VAGUE: tuple[str, ...] = (
    "access to regular support as needed",
    "opportunities for small-group work where appropriate",
    "some adult support when required",
    "additional help with learning as and when necessary",
    "sensory breaks when needed",
)

#: conflict pairs: (advice_type, statement) -- the two reports disagree on the same provision
CONFLICTS: dict[tuple[str, str], tuple[str, str]] = {
    ("speech_and_language", "paediatric"): (
        "30 minutes of speech and language therapy twice a week delivered by a specialist SaLT",
        "speech and language therapy once a fortnight (20 minutes) is sufficient; twice-weekly therapy is not needed",
    ),
    ("educational_psychology", "occupational_therapy"): (
        "full-time 1:1 teaching assistant support (32.5 hours a week)",
        "1:1 adult support is not required; 10 hours a week of shared teaching assistant support is sufficient",
    ),
}

ADVICE_TITLES = {
    "educational_psychology": "Educational psychology advice",
    "speech_and_language": "Speech and language therapy advice",
    "occupational_therapy": "Occupational therapy advice",
    "paediatric": "Paediatric (health) advice",
    "social_care": "Social care advice",
}


def send_advice(w: NoteWriter) -> list[dict[str, Any]]:
    """Write one advice report; returns the needs/provision facts it states."""
    advice_type = str(w.rec.extra["advice_type"])
    need = str(w.rec.extra["primary_need"])
    choices = [int(str(c)) for c in w.rec.extra["provision_choices"]]
    vague_flags = [bool(v) for v in w.rec.extra["vague_flags"]]
    conflict_role = int(str(w.rec.extra.get("conflict_role", -1)))
    child = INDEX_CHILD
    p = w.person(child)
    facts: list[dict[str, Any]] = []
    w.title.add(ADVICE_TITLES[advice_type] + " - ")
    w.full(child, tb=w.title)
    w.text.add("Advice for the EHC needs assessment of ")
    w.full(child)
    w.text.add(", ")
    w.dob(child)
    w.text.add(". School: ")
    w.school()
    w.text.add(". ")
    if w.rng.random() < 0.5:
        w.text.add("UPN ")
        if not w.upn(child):
            w.text.add("not known")
        w.text.add(". ")
    w.text.add("Needs: ")
    w.first(child)
    need_words = NEEDS[advice_type][need]
    w.text.add(f"{'' if need_words.startswith(chr(39)) else ' '}{need_words}. ")
    facts.append(
        {
            "kind": "send_need",
            "details": {
                "advice_type": advice_type,
                "area": need,
                "need": need_words.removeprefix("'s "),
            },
        }
    )
    if advice_type == "paediatric" and p.disability != "none":
        w.text.add(f"Diagnosis: {DISABILITY_WORDS[p.disability]}. ", typo=False)
    w.text.add("Recommended provision: ")
    pool = QUANTIFIED[advice_type]
    stated: list[str] = []
    for i, (choice, vague) in enumerate(zip(choices, vague_flags, strict=True)):
        statement = VAGUE[choice % len(VAGUE)] if vague else pool[(choice + i) % len(pool)]
        if statement in stated:
            statement = pool[(choice + i + 1) % len(pool)]
        stated.append(statement)
        w.text.add_exact(f"({i + 1}) {statement}. ")
        facts.append(
            {
                "kind": "send_provision",
                "details": {
                    "advice_type": advice_type,
                    "provision": statement,
                    "quantified": not vague,
                    "vague": vague,
                },
            }
        )
    if conflict_role >= 0:
        for pair, statements in CONFLICTS.items():
            if advice_type in pair and pair.index(advice_type) == conflict_role:
                statement = statements[conflict_role]
                w.text.add_exact(f"({len(stated) + 1}) {statement[0].upper()}{statement[1:]}. ")
                facts.append(
                    {
                        "kind": "send_provision",
                        "details": {
                            "advice_type": advice_type,
                            "provision": statement,
                            "quantified": True,
                            "vague": False,
                            "conflicts_with": pair[1 - conflict_role],
                        },
                    }
                )
    w.text.add(
        w.choose(
            (
                "I am happy to discuss this advice. ",
                "This advice is based on observation in school and a parent interview. ",
                "Outcomes should be reviewed at the annual review. ",
            )
        )
    )
    return facts


_LIKES = (
    "playing Lego",
    "drawing animals",
    "football at break time",
    "my tablet",
    "swimming with my dad",
    "music",
    "my dog",
    "cooking with my mum",
)
_HARD = (
    "when the classroom is noisy",
    "writing for a long time",
    "when people shout",
    "making friends at lunchtime",
    "reading out loud",
    "changing lessons",
)
_HELP = (
    "I want a quiet place to go when I am cross",
    "I like it when the teacher shows me pictures",
    "I want someone to help me with reading",
    "I like having a time out card",
)


def child_views(w: NoteWriter) -> list[dict[str, Any]]:
    c = [int(str(x)) for x in w.rec.extra["view_choices"]]
    w.title.add("Child's views - ")
    w.first(INDEX_CHILD, tb=w.title)
    w.text.add("My name is ")
    w.first(INDEX_CHILD)
    w.text.add(". I go to ")
    w.school()
    w.text.add(f". I like {_LIKES[c[0] % len(_LIKES)]} and {_LIKES[(c[1] + 1) % len(_LIKES)]}. ")
    w.text.add(f"I find it hard {_HARD[c[2] % len(_HARD)]}. {_HELP[c[3] % len(_HELP)]}. ")
    w.text.add("When I grow up I want to be happy. (Recorded with support from ")
    w.text.pii(w.author.name, "PROFESSIONAL")
    w.text.add(".)")
    return [
        {
            "kind": "send_view",
            "details": {"advice_type": "child_views", "finds_hard": _HARD[c[2] % len(_HARD)]},
        }
    ]


_WORRY = (
    "we are worried about falling behind with reading",
    "we worry about anxiety in the mornings before school",
    "we are worried about meltdowns after school",
    "we worry that friendships are difficult",
)
_BEST = (
    "is happiest when things are predictable",
    "loves being outdoors",
    "is kind and caring with younger children",
    "has a great sense of humour",
)


def parent_views(w: NoteWriter) -> list[dict[str, Any]]:
    c = [int(str(x)) for x in w.rec.extra["view_choices"]]
    adult = [s for s in w.rec.subjects if s != INDEX_CHILD]
    w.title.add("Parent/carer views")
    w.text.add("Views of ")
    if adult:
        w.full(adult[0])
    w.text.add(" about ")
    w.full(INDEX_CHILD)
    w.text.add(f": {_WORRY[c[0] % len(_WORRY)].capitalize()}. ")
    w.first(INDEX_CHILD)
    w.text.add(
        f" {_BEST[c[1] % len(_BEST)]}. We would like help at school to be consistent "
        "and written down. Contact: "
    )
    if not adult or not w.phone(adult[0]):
        w.text.add("via school")
    w.text.add(".")
    return [
        {
            "kind": "send_view",
            "details": {"advice_type": "parent_views", "worry": _WORRY[c[0] % len(_WORRY)]},
        }
    ]
