"""Generate one family in memory: plan, people, per-system views, records, gold.

``generate_family`` is pure: the same (seed, index, overrides) always gives the same
family, and overrides change only names/characteristics, never the plan or wording choices.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from evals.estate.context import FamilyContext, NoteWriter
from evals.estate.demographics import FamilyOverrides, draw_demographics, origin_for
from evals.estate.people import TruePerson, build_people
from evals.estate.rng import stream
from evals.estate.send import child_views, parent_views, send_advice
from evals.estate.structure import (
    AUNT,
    FATHER,
    GRANDFATHER,
    GRANDMOTHER,
    MOTHER,
    PARTNER,
    FamilyPlan,
    RecordPlan,
    plan_family,
)
from evals.estate.systems import (
    GP_PRACTICES,
    SCHOOLS,
    SYSTEMS,
    Professional,
    case_reference,
    person_id,
    professional_for,
    professionals,
    record_id,
    source_url,
)
from evals.estate.templates import PRESENTATION, TEMPLATES
from evals.estate.variation import person_view


@dataclass
class GeneratedFamily:
    """One family's extract lines and gold, ready to be written or compared."""

    family_id: str
    index: int
    seed: int
    name_origin: str
    people: list[TruePerson]
    persons: dict[str, list[dict[str, object]]]
    records: dict[str, list[dict[str, object]]]
    facts: list[dict[str, object]]
    pii_spans: list[dict[str, object]]
    policy: list[dict[str, object]]
    links: list[dict[str, object]]
    family: dict[str, object]
    #: (system, person_id, distortion) for every person line; for reports and tests
    distortions: list[tuple[str, str, str]] = field(default_factory=list)

    def gold_persons(self) -> list[dict[str, object]]:
        return [p.gold() for p in self.people]


def family_id_for(index: int) -> str:
    return f"FAM-{index + 1:05d}"


@lru_cache(maxsize=16)
def _staff(seed: int) -> dict[str, tuple[Professional, ...]]:
    return {s: professionals(seed, s) for s in SYSTEMS}


def generate_family(
    seed: int, index: int, overrides: FamilyOverrides | None = None
) -> GeneratedFamily:
    """Build family ``index`` of the estate with ``seed`` (optionally counterfactual)."""
    if index < 0:
        raise ValueError("family index must be >= 0")
    fid = family_id_for(index)
    plan = plan_family(stream(seed, index, "structure"), index)
    n_children = len(plan.children)
    demo = draw_demographics(
        stream(seed, index, "demographics"), n_children, overrides, origin_for(seed, index)
    )
    moves = [f for f in plan.facts if f.kind == "house_move"]
    people = build_people(
        plan,
        demo,
        fid,
        names_rng=stream(seed, index, "names"),
        ids_rng=stream(seed, index, "ids"),
        address_rng=stream(seed, index, "addresses"),
        moved=bool(moves),
    )
    by_slot = {p.slot: p for p in people}
    first_year = min(r.occurred for r in plan.records).year if plan.records else 2024
    ctx = FamilyContext(
        seed=seed,
        plan=plan,
        people=by_slot,
        school=SCHOOLS[plan.school_choice % len(SCHOOLS)],
        gp_practice=GP_PRACTICES[plan.gp_choice % len(GP_PRACTICES)],
        pros=_staff(seed),
        case_refs={s: case_reference(seed, s, index, first_year) for s in SYSTEMS},
        move_date=moves[0].occurred if moves else None,
        facts={f.no: f for f in plan.facts},
    )
    members = _system_members(plan)
    pids = {
        (system, slot): person_id(seed, system, index, slot)
        for system, slots in members.items()
        for slot in slots
    }
    persons, links, distortions = _person_lines(seed, index, plan, by_slot, members, pids)
    records: dict[str, list[dict[str, object]]] = {s: [] for s in SYSTEMS}
    spans: list[dict[str, object]] = []
    policy: list[dict[str, object]] = []
    fact_records: dict[int, list[list[str]]] = {f.no: [] for f in plan.facts}
    extra_facts: list[_Fact] = []
    for rec in plan.records:
        rid = record_id(seed, rec.system, index, rec.no)
        line, rec_spans, rec_facts = _render_record(ctx, rec, rid, pids)
        records[rec.system].append(line)
        spans.extend(rec_spans)
        for n in rec.facts:
            fact_records[n].append([rec.system, rid])
        child = [by_slot[s] for s in rec.subjects if s < MOTHER][:1]
        for raw in rec_facts:
            extra_facts.append(
                _Fact(
                    str(raw["kind"]),
                    child,
                    rec.occurred.isoformat(),
                    dict(raw["details"]),
                    [[rec.system, rid]],
                )
            )
        entry = _policy_entry(rec, rid)
        if entry:
            policy.append(entry)
    facts = _fact_lines(fid, plan, by_slot, fact_records, policy, extra_facts, ctx)
    family: dict[str, object] = {
        "family_id": fid,
        "name_origin": demo.name_origin,
        "members": [p.true_person_id for p in people],
        "index_child": by_slot[0].true_person_id,
        "school": ctx.school,
        "gp_practice": ctx.gp_practice,
        "systems": [s for s in SYSTEMS if members.get(s)],
    }
    return GeneratedFamily(
        family_id=fid,
        index=index,
        seed=seed,
        name_origin=demo.name_origin,
        people=people,
        persons=persons,
        records=records,
        facts=facts,
        pii_spans=spans,
        policy=policy,
        links=links,
        family=family,
        distortions=distortions,
    )


def _system_members(plan: FamilyPlan) -> dict[str, list[int]]:
    """Who each system knows: everyone its records name, plus the carers schools/SEND hold."""
    members: dict[str, list[int]] = {s: [] for s in SYSTEMS}
    for rec in plan.records:
        members[rec.system].extend(rec.subjects)
    if members["LCS"]:
        members["LCS"].extend(m.slot for m in plan.members)
    carers = [m.slot for m in plan.members if not m.is_child and m.in_household]
    for system in ("SCHOOL", "SEND", "EHM"):
        if members[system]:
            members[system].extend(carers[:2])
    return {s: sorted(dict.fromkeys(v)) for s, v in members.items()}


def _relation(a: int, b: int, people: dict[int, TruePerson]) -> str | None:
    """What ``b`` is to ``a`` (e.g. a child's "mother")."""
    a_child, b_child = a < MOTHER, b < MOTHER
    partner_role = people[PARTNER].family_role if PARTNER in people else ""
    if a_child:
        if b_child:
            return "sibling"
        return {
            MOTHER: "mother",
            FATHER: "father",
            PARTNER: "stepfather" if partner_role == "stepfather" else "mothers_partner",
            GRANDMOTHER: "grandparent",
            GRANDFATHER: "grandparent",
            AUNT: "aunt",
        }[b]
    if b_child:
        return {
            MOTHER: "child",
            FATHER: "child",
            PARTNER: "stepchild",
            GRANDMOTHER: "grandchild",
            GRANDFATHER: "grandchild",
            AUNT: "niece_nephew",
        }[a]
    pair = {a, b}
    if pair == {MOTHER, PARTNER}:
        return "partner"
    if pair == {MOTHER, FATHER}:
        return "partner" if people[FATHER].in_household else "ex_partner"
    if pair == {GRANDMOTHER, GRANDFATHER}:
        return "partner"
    if a in (GRANDMOTHER, GRANDFATHER) and b in (MOTHER, AUNT):
        return "child"
    if b in (GRANDMOTHER, GRANDFATHER) and a in (MOTHER, AUNT):
        return "parent"
    if pair == {MOTHER, AUNT}:
        return "sibling"
    return None


def _person_lines(
    seed: int,
    index: int,
    plan: FamilyPlan,
    people: dict[int, TruePerson],
    members: dict[str, list[int]],
    pids: dict[tuple[str, int], str],
) -> tuple[dict[str, list[dict[str, object]]], list[dict[str, object]], list[tuple[str, str, str]]]:
    persons: dict[str, list[dict[str, object]]] = {s: [] for s in SYSTEMS}
    links: list[dict[str, object]] = []
    distortions: list[tuple[str, str, str]] = []
    for system in SYSTEMS:
        for slot in members[system]:
            pid = pids[(system, slot)]
            view, applied = person_view(
                people[slot], system, pid, stream(seed, index, f"variation|{system}|{slot}")
            )
            rels = []
            for other in members[system]:
                if other == slot:
                    continue
                kind = _relation(slot, other, people)
                if kind:
                    rels.append({"person_id": pids[(system, other)], "type": kind})
            view["relationships"] = rels
            persons[system].append(view)
            links.append(
                {
                    "true_person_id": people[slot].true_person_id,
                    "source_system": system,
                    "person_id": pid,
                }
            )
            distortions.append((system, pid, applied))
    return persons, links, distortions


def _render_record(
    ctx: FamilyContext, rec: RecordPlan, rid: str, pids: dict[tuple[str, int], str]
) -> tuple[dict[str, object], list[dict[str, object]], list[dict[str, Any]]]:
    rng = stream(ctx.seed, ctx.plan.index, f"text|{rec.system}|{rec.no}")
    author = professional_for(ctx.pros[rec.system], rec.author_key, rec.author_choice)
    writer = NoteWriter(ctx, rec, rng, author)
    rec_facts: list[dict[str, Any]] = []
    if rec.template == "send_advice":
        rec_facts = send_advice(writer)
    elif rec.template == "child_views":
        rec_facts = child_views(writer)
    elif rec.template == "parent_views":
        rec_facts = parent_views(writer)
    else:
        TEMPLATES[rec.template](writer)
    writer.pad()
    writer.sign_off()
    person_ids = [pids[(rec.system, s)] for s in rec.subjects]
    line: dict[str, object] = {
        "record_id": rid,
        "source_system": rec.system,
        "record_type": rec.record_type,
        "person_ids": person_ids,
        "occurred_at": rec.occurred.isoformat(),
        "recorded_at": rec.recorded_at.isoformat(),
        "author": author.author(),
        "title": writer.title.text,
        "text": writer.text.text,
        "sensitivity": rec.sensitivity,
        "source_url": source_url(rec.system, person_ids[0], rid),
        "version": rec.version,
        "updated_at": rec.updated_at.isoformat(),
        "policy_tags": list(rec.policy_tags),
    }
    if "advice_type" in rec.extra:
        line["advice_type"] = rec.extra["advice_type"]
    if "attendance_pct" in rec.extra:
        line["attendance_pct"] = rec.extra["attendance_pct"]
    spans: list[dict[str, object]] = []
    for field_name, builder in (("title", writer.title), ("text", writer.text)):
        for span in builder.spans:
            spans.append(
                {
                    "source_system": rec.system,
                    "record_id": rid,
                    "field": field_name,
                    "start": span.start,
                    "end": span.end,
                    "type": span.type,
                    "text": span.text,
                    "true_person_id": span.true_person_id,
                }
            )
    return line, spans, rec_facts


def _policy_entry(rec: RecordPlan, rid: str) -> dict[str, object] | None:
    base = {"source_system": rec.system, "record_id": rid}
    if rec.sensitivity == "sealed" or "adoption" in rec.policy_tags:
        return {**base, "expected": "exclude", "reason": "sealed_adoption_record"}
    if "no_ai_processing" in rec.policy_tags:
        return {**base, "expected": "exclude", "reason": "no_ai_processing"}
    if rec.sensitivity == "restricted":
        return {**base, "expected": "restricted", "reason": "restricted_clinical"}
    return None


@dataclass
class _Fact:
    kind: str
    subjects: list[TruePerson]
    occurred_at: str
    details: dict[str, Any]
    record_keys: list[list[str]]


def _fact_lines(
    fid: str,
    plan: FamilyPlan,
    people: dict[int, TruePerson],
    fact_records: dict[int, list[list[str]]],
    policy: list[dict[str, object]],
    extra_facts: list[_Fact],
    ctx: FamilyContext,
) -> list[dict[str, object]]:
    expected = {(str(p["source_system"]), str(p["record_id"])): str(p["expected"]) for p in policy}
    facts: list[_Fact] = []
    for plan_fact in plan.facts:
        details: dict[str, Any] = {
            k: v for k, v in plan_fact.details.items() if not k.endswith("_choice")
        }
        subjects = [people[s] for s in plan_fact.subjects]
        if plan_fact.kind == "substance_misuse":
            pron = {"male": ("he", "his"), "female": ("she", "her")}.get(
                subjects[0].gender, ("they", "their")
            )
            details["presentation"] = PRESENTATION[
                (str(details["substance"]), str(details["evidence"]))
            ].format(subj=pron[0], poss=pron[1])
        if plan_fact.kind == "house_move":
            mover = subjects[0]
            details["from"] = mover.previous_addresses[0] if mover.previous_addresses else None
            details["to"] = dict(mover.address)
        facts.append(
            _Fact(
                plan_fact.kind,
                subjects,
                plan_fact.occurred.isoformat(),
                details,
                fact_records[plan_fact.no],
            )
        )
    facts.extend(extra_facts)
    out: list[dict[str, object]] = []
    for n, fact in enumerate(facts):
        keys = [(k[0], k[1]) for k in fact.record_keys]
        restricted = [list(k) for k in keys if expected.get(k) == "restricted"]
        excluded = [list(k) for k in keys if expected.get(k) == "exclude"]
        out.append(
            {
                "fact_id": f"{fid}-F{n + 1:03d}",
                "family_id": fid,
                "kind": fact.kind,
                "subjects": [p.true_person_id for p in fact.subjects],
                "occurred_at": fact.occurred_at,
                "details": fact.details,
                "record_keys": fact.record_keys,
                "summary": _summary(fact.kind, fact.subjects, fact.details, ctx),
                "only_in_restricted": bool(keys) and len(restricted) + len(excluded) == len(keys),
                "restricted_record_keys": restricted,
                "excluded_record_keys": excluded,
            }
        )
    return out


def _summary(
    kind: str, subjects: list[TruePerson], details: dict[str, Any], ctx: FamilyContext
) -> str:
    names = " and ".join(f"{p.full_name} ({p.family_role.replace('_', ' ')})" for p in subjects)
    if kind == "substance_misuse":
        return (
            f"{names}: {details['substance']} misuse "
            f"({str(details['evidence']).replace('_', ' ')}); "
            f"{details['presentation']}."
        )
    if kind == "domestic_abuse":
        return (
            f"Domestic abuse incident: {subjects[0].full_name} against {subjects[1].full_name}; "
            f"risk {details['risk_level']}"
            f"{', children present' if details['children_present'] else ''}."
        )
    if kind == "missing_episode":
        return (
            f"{names} was missing for about {details['hours']} hours; "
            f"found at {details['found_at']}."
        )
    if kind == "exclusion":
        kind_words = (
            "permanent exclusion"
            if details["exclusion_type"] == "permanent"
            else f"{details['days']}-day fixed-term exclusion"
        )
        return f"{names}: {kind_words} from {ctx.school} for {details['reason']}."
    if kind == "camhs_involvement":
        return f"{names} is involved with CAMHS for {details['concern']}."
    if kind == "house_move":
        return f"The family moved house ({details['reason']})."
    if kind == "protective_factor":
        return f"Protective factor: {names} ({str(details['factor']).replace('_', ' ')})."
    if kind == "strength":
        return f"Strength: {names} ({details['strength']})."
    if kind == "adoption":
        return (
            f"{names} had a child placed for adoption in {details['adopted_year']} (sealed record)."
        )
    if kind == "send_conflict":
        between = details["between"]
        return f"SEND advice conflicts between {between[0]} and {between[1]} reports."
    if kind == "send_need":
        return f"{details['advice_type']} advice: need ({details['area']}): {details['need']}."
    if kind == "send_provision":
        quality = "quantified" if details.get("quantified") else "vague"
        return f"{details['advice_type']} advice: {quality} provision: {details['provision']}."
    if kind == "send_view":
        return f"{details['advice_type']} recorded."
    return f"{kind}: {names}."


def reference_date() -> date:
    from evals.estate.structure import REFERENCE_DATE

    return REFERENCE_DATE
