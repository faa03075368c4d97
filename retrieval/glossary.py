"""UK practice glossary: abbreviations and plain-English terms of children's services.

One reviewed data file (``retrieval/data/glossary.yaml``, shipped with the package) says
what practitioners' abbreviations stand for (DA, s47, NFA, EHCP, HV, ...) and groups
plain-English cues into topics ("smelt of cannabis", "weed" -> substance_misuse). It is
used to expand questions for search and to spell abbreviations out in note sentences for
relevance scoring, so a question that says "DV" finds a note that says "domestic
violence", and a question about "police involvement" and a note that says "officers
attended" meet in one topic.

Matching rules (the file's header says the same for its reviewers):

* Whole tokens only: a term never matches inside a word or a number ("OT" is not in "got",
  "SW" is not in "SW1A"); a plural "s" or possessive "'s" after it is allowed ("SWs").
* An entry's term and aliases match case-sensitively when the term has a capital letter
  ("DA" but not "da", "ED" but not "Ed"), unless the entry says ``case: insensitive``
  (only for forms that are not ordinary words: gp, camhs, ehcp). Expansions and topic
  phrases match case-insensitively; spaces and hyphens in them are interchangeable, and a
  trailing ``*`` in a topic phrase matches any word ending.

The file is validated strictly on load: unknown keys, duplicate terms, empty expansions,
unknown topics or a case-insensitive form that would swallow a case-sensitive term are a
``GlossaryError`` naming the file and the entry.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "Entry",
    "Glossary",
    "GlossaryError",
    "Match",
    "Topic",
    "default_glossary",
    "load_glossary",
]

_VERSION = 1
_TOP_KEYS = {"version", "topics", "entries"}
_TOPIC_KEYS = {"id", "label", "note", "phrases", "everyday"}
_ENTRY_KEYS = {"term", "expansions", "topic", "note", "aliases", "case", "spelled", "reverse"}
_TOPIC_ID = re.compile(r"[a-z][a-z0-9_]*\Z")
_SEPARATORS = re.compile(r"[\s\-]+")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'"})
#: Tokens: runs of letters and digits, or single punctuation marks ("A&E" = A, &, E).
#: Spaces and hyphens only separate tokens, so "self-harm" = "self harm".
_TOKEN = re.compile(r"[A-Za-z0-9]+|[^\sA-Za-z0-9\-]")
#: A one-word wildcard phrase ("abscond*") is indexed by its first letters.
_STEM = 3


class GlossaryError(ValueError):
    """The glossary file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Topic:
    id: str
    label: str
    phrases: tuple[str, ...]
    note: str = ""
    #: Its phrases are everyday life too (school, money, hobbies), not only casework.
    everyday: bool = False


@dataclass(frozen=True)
class Entry:
    """One abbreviation or named term and what it stands for."""

    term: str
    expansions: tuple[str, ...]
    topics: tuple[str, ...]
    note: str
    aliases: tuple[str, ...] = ()
    case_sensitive: bool = True
    #: How ``expand_note`` spells the term out (default: the first expansion).
    spelled: str = ""
    #: Whether the expansions are matched back to the term.
    reverse: bool = True

    @property
    def forms(self) -> tuple[str, ...]:
        """The written forms of the term itself (term and aliases)."""
        return (self.term, *self.aliases)


@dataclass(frozen=True)
class Match:
    """A glossary form found in a text: ``text[start:end]``."""

    start: int
    end: int
    text: str
    #: Entries whose term or alias this is (at most one: terms are unique).
    abbreviation_of: tuple[Entry, ...] = ()
    #: Entries whose expansion (long form) this is.
    long_form_of: tuple[Entry, ...] = ()

    @property
    def entries(self) -> tuple[Entry, ...]:
        return self.abbreviation_of + tuple(
            e for e in self.long_form_of if e not in self.abbreviation_of
        )


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.translate(_APOSTROPHES))


def _plain(text: str) -> str:
    """Text for containment checks: lower case, one space for any run of spaces/hyphens."""
    return _SEPARATORS.sub(" ", text.translate(_APOSTROPHES).casefold())


def _contains(plain_text: str, phrase: str) -> bool:
    needle = re.escape(_plain(phrase.rstrip("*")))
    return re.search(rf"(?<![a-z0-9]){needle}(?![a-z0-9])", plain_text) is not None


@dataclass
class _Form:
    """One written form as tokens, and what it stands for."""

    tokens: tuple[str, ...]
    sensitive: bool
    wildcard: bool
    abbreviation_of: list[Entry]
    long_form_of: list[Entry]
    topics: list[str]

    def match(self, toks: list[tuple[str, str, int, int]], i: int) -> int:
        """Tokens matched at ``toks[i]`` (0 if none); ``toks`` are (text, folded, start, end)."""
        n = len(self.tokens)
        if i + n > len(toks):
            return 0
        for j, want in enumerate(self.tokens):
            got = toks[i + j][0] if self.sensitive else toks[i + j][1]
            if got == want:
                continue
            if j == n - 1 and (
                (self.wildcard and got.startswith(want))
                or (want[-1].isalnum() and got == want + "s")
            ):
                continue
            return 0
        return n


class Glossary:
    """The validated glossary: find, expand and classify practice language."""

    def __init__(self, topics: Iterable[Topic], entries: Iterable[Entry], source: str = "") -> None:
        self.source = source
        self.topics: dict[str, Topic] = {t.id: t for t in topics}
        self.entries: dict[str, Entry] = {e.term: e for e in entries}
        forms: dict[tuple[tuple[str, ...], bool, bool], _Form] = {}

        def form(written: str, sensitive: bool) -> _Form:
            wildcard = written.endswith("*")
            toks = _tokens(written.rstrip("*"))
            toks = toks if sensitive else [t.casefold() for t in toks]
            key = (tuple(toks), sensitive, wildcard)
            if key not in forms:
                forms[key] = _Form(tuple(toks), sensitive, wildcard, [], [], [])
            return forms[key]

        for entry in self.entries.values():
            for written in entry.forms:
                form(written, entry.case_sensitive).abbreviation_of.append(entry)
            if entry.reverse:
                for written in entry.expansions:
                    meant = form(written, False).long_form_of
                    if entry not in meant:
                        meant.append(entry)
        for topic in self.topics.values():
            for phrase in topic.phrases:
                ids = form(phrase, False).topics
                if topic.id not in ids:
                    ids.append(topic.id)
        # First token (folded) -> forms starting with it; one-word wildcards by their stem.
        self._by_first: dict[str, list[_Form]] = {}
        self._by_stem: dict[str, list[_Form]] = {}
        for f in forms.values():
            first = f.tokens[0].casefold()
            if f.wildcard and len(f.tokens) == 1:
                self._by_stem.setdefault(first[:_STEM], []).append(f)
            else:
                self._by_first.setdefault(first, []).append(f)
        self._topic_terms: dict[str, list[str]] = {t: [] for t in self.topics}
        for entry in self.entries.values():
            for tid in entry.topics:
                self._topic_terms[tid].append(entry.term)
        self._scan = functools.lru_cache(maxsize=4096)(self._scan_uncached)

    # ---- loading ------------------------------------------------------------------------

    @classmethod
    def load(cls, path: str | Path | None = None) -> Glossary:
        """The packaged glossary, or the file at ``path``; validated strictly."""
        if path is None:
            source = "retrieval/data/glossary.yaml"
            text = resources.files("retrieval").joinpath("data/glossary.yaml").read_text("utf-8")
        else:
            source = str(path)
            try:
                text = Path(path).read_text(encoding="utf-8")
            except OSError as exc:
                raise GlossaryError(f"{source}: cannot read the glossary ({exc.strerror})") from exc
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise GlossaryError(f"{source}: not valid YAML ({exc})") from exc
        return cls.from_data(data, source)

    @classmethod
    def from_data(cls, data: Any, source: str = "<glossary>") -> Glossary:
        """Validate the parsed file (``{version, topics, entries}``) and build the glossary."""
        topics, entries = _validate(data, source)
        return cls(topics, entries, source)

    def __len__(self) -> int:
        return len(self.entries)

    # ---- finding ------------------------------------------------------------------------

    def _candidates(self, folded: str) -> list[_Form]:
        out = list(self._by_first.get(folded, ()))
        if len(folded) > 1 and folded.endswith("s"):
            out += [f for f in self._by_first.get(folded[:-1], ()) if len(f.tokens) == 1]
        out += self._by_stem.get(folded[:_STEM], ())
        return out

    def _scan_uncached(self, text: str) -> tuple[tuple[Match, ...], frozenset[str], frozenset[str]]:
        norm = text.translate(_APOSTROPHES)
        toks = [
            (m.group(0), m.group(0).casefold(), m.start(), m.end()) for m in _TOKEN.finditer(norm)
        ]
        matches: list[Match] = []
        topics: set[str] = set()
        phrases: set[str] = set()
        i = 0
        while i < len(toks):
            best: tuple[int, list[_Form]] = (0, [])
            for f in self._candidates(toks[i][1]):
                n = f.match(toks, i)
                if not n:
                    continue
                topics.update(f.topics)
                if len(f.tokens) > 1 and any(not self.topics[t].everyday for t in f.topics):
                    phrases.add(" ".join(f.tokens).casefold())
                if f.abbreviation_of or f.long_form_of:
                    if n > best[0]:
                        best = (n, [f])
                    elif n == best[0]:
                        best[1].append(f)
            n, chosen = best
            if not n:
                i += 1
                continue
            start, end = toks[i][2], toks[i + n - 1][3]
            # A possessive "'s" right after the form belongs to it ("GP's").
            if (
                i + n + 1 < len(toks)
                and toks[i + n][0] == "'"
                and toks[i + n][2] == end
                and toks[i + n + 1][1] == "s"
                and toks[i + n + 1][2] == end + 1
            ):
                end, n = toks[i + n + 1][3], n + 2
            abbr = [e for f in chosen for e in f.abbreviation_of]
            long = [e for f in chosen for e in f.long_form_of if e not in abbr]
            matches.append(
                Match(
                    start,
                    end,
                    text[start:end],
                    tuple(dict.fromkeys(abbr)),
                    tuple(dict.fromkeys(long)),
                )
            )
            topics.update(t for e in abbr + long for t in e.topics)
            i += n
        return tuple(matches), frozenset(topics), frozenset(phrases)

    def find(self, text: str) -> list[Match]:
        """Glossary terms and long forms in ``text``, left to right, not overlapping (the
        longest form wins where two start together)."""
        return list(self._scan(text)[0]) if text else []

    def has_abbreviation(self, text: str) -> bool:
        """Whether ``text`` holds an abbreviation or named term (not only long forms)."""
        return any(m.abbreviation_of for m in self.find(text))

    def terms_in(self, text: str) -> set[str]:
        """The entries (by term: "DA", "s47") mentioned in ``text``, by term, alias or long
        form: "domestic violence" and "DV" both give {"DV", "DA"} as both mean it."""
        return {e.term for m in self.find(text) for e in m.entries}

    def concepts(self, text: str) -> set[str]:
        """Topic ids ``text`` touches: topics of the entries in it plus topics whose
        phrases it uses ("officers attended" -> police)."""
        return set(self._scan(text)[1]) if text else set()

    def phrases_in(self, text: str) -> set[str]:
        """The casework topics' phrases of two or more words ``text`` uses, as written in
        the glossary ("home alone", "low mood", "head lice"): a practice phrase a question
        and a note share says more than either of its words alone."""
        return set(self._scan(text)[2]) if text else set()

    def about_casework(self, text: str) -> bool:
        """Whether ``text`` uses a practice term ("s47", "MASH", "county lines") or a phrase
        of a casework topic: not only of an everyday one (school, money, hobbies)."""
        found, concepts, _ = self._scan(text) if text else ((), frozenset(), frozenset())
        return any(m.entries for m in found) or any(
            not self.topics[tid].everyday for tid in concepts
        )

    def named_concepts(self, text: str) -> set[str]:
        """Topic ids ``text`` names by the topic's own name or label ("bullying?",
        "how is he sleeping", "any housing issues"), not only by one of its phrases
        ("nightmares?" touches sleep but names a particular thing)."""
        words = _stems(re.sub(r"\[[^\]]*\]", " ", text)) - _ABOUT_A_TOPIC
        if not words:
            return set()

        def named(tid: str) -> bool:
            names = _stems(f"{tid.replace('_', ' ')} {self.topics[tid].label}")
            # Every word names the topic ("friends": friendships, "sleeping": sleep);
            # "excluded from school" names a particular thing about school.
            return all(any(n.startswith(w) or w.startswith(n) for n in names) for w in words)

        return {tid for tid in self.concepts(text) if named(tid)}

    # ---- expanding ----------------------------------------------------------------------

    def expansions(self, text: str, *, topics: bool = False) -> list[str]:
        """What ``expand_query`` adds to ``text``, in order, without repeats or phrases
        ``text`` already has: the long forms of its abbreviations, the terms (and other
        long forms) of its long forms, and with ``topics`` each touched topic's phrases and
        terms."""
        plain = _plain(text)
        seen: set[str] = set()
        out: list[str] = []

        def add(phrase: str) -> None:
            phrase = phrase.rstrip("*")
            key = _plain(phrase)
            if key in seen:
                return
            seen.add(key)
            if not _contains(plain, phrase):
                out.append(phrase)

        for m in self.find(text):
            seen.add(_plain(m.text))
            for entry in m.abbreviation_of:
                for phrase in entry.expansions:
                    add(phrase)
            for entry in m.long_form_of:
                add(entry.term)
                for phrase in entry.expansions:
                    add(phrase)
        if topics:
            for tid in sorted(self.concepts(text), key=list(self.topics).index):
                for phrase in self.topics[tid].phrases:
                    add(phrase)
                for term in self._topic_terms[tid]:
                    add(term)
        return out

    def expand_query(self, text: str, *, topics: bool = False) -> str:
        """``text`` plus the expansions of every abbreviation and term in it:
        "any DV?" -> "any DV? (domestic violence; domestic abuse)"."""
        extra = self.expansions(text, topics=topics)
        return f"{text} ({'; '.join(extra)})" if extra else text

    def expand_note(self, text: str) -> str:
        """``text`` with each abbreviation spelled out once, in brackets after its first
        use, unless the text already spells it out: "DA incident, NFA" ->
        "DA (domestic abuse) incident, NFA (no further action)"."""
        plain = _plain(text)
        parts: list[str] = []
        pos = 0
        done: set[str] = set()
        for m in self.find(text):
            for entry in m.abbreviation_of:
                if entry.term in done:
                    continue
                done.add(entry.term)
                if _contains(plain, entry.spelled) or text[m.end :].lstrip().startswith("("):
                    continue
                parts.append(f"{text[pos : m.end]} ({entry.spelled})")
                pos = m.end
        parts.append(text[pos:])
        return "".join(parts)


# ---- validation ---------------------------------------------------------------------------


_TOPIC_NAME_FILLER = frozenset({"and", "or", "the", "of", "a", "an", "in", "to", "with", "after"})


#: Words a question about a whole topic wraps it in ("any housing issues", "money worries").
_ABOUT_A_TOPIC = frozenset(
    {"any", "issue", "concern", "problem", "worry", "stuff", "what", "how", "his", "her"}
    | {"she", "him", "they", "their", "are", "has", "have", "been", "there", "about", "info"}
    | {"update", "recorded", "record", "going", "doing", "like", "current", "currently"}
    | {"was", "were", "did", "does", "the", "and", "with", "ever"}
)


def _stems(text: str) -> set[str]:
    """Lower-case words of ``text`` with a plural, "-ed" or "-ing" ending taken off
    ("sleeping": "sleep"; "bullied": "bully"), without filler words."""
    out = set()
    for word in re.findall(r"[a-z]+", text.lower()):
        if word in _TOPIC_NAME_FILLER or len(word) < 3:
            continue
        for ending, then in (("ing", ""), ("ied", "y"), ("ies", "y"), ("ed", ""), ("s", "")):
            if word.endswith(ending) and len(word) - len(ending) >= 4:
                word = word[: -len(ending)] + then
                break
        out.add(word)
    return out


def _fail(source: str, where: str, problem: str) -> GlossaryError:
    return GlossaryError(f"{source}: {where}: {problem}")


def _text(value: Any, source: str, where: str, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(source, where, f"{name} must be a non-empty string, got {value!r}")
    if value != value.strip():
        raise _fail(source, where, f"{name} {value!r} has leading or trailing spaces")
    return value


def _key(form: str) -> str:
    """A form's tokens as one string (what matching compares; case kept)."""
    return " ".join(_tokens(form.rstrip("*"))) + ("*" if form.endswith("*") else "")


def _form(value: Any, source: str, where: str, name: str, *, wildcard: bool = False) -> str:
    form = _text(value, source, where, name)
    if not form[0].isalnum():
        raise _fail(source, where, f"{name} {form!r} must start with a letter or digit")
    if form.endswith("*"):
        stem = form.rstrip("*")
        if not wildcard:
            raise _fail(source, where, f"{name} {form!r}: a trailing * is for topic phrases only")
        if "*" in stem or not stem[-1].isalpha() or (" " not in stem and len(stem) < _STEM):
            raise _fail(source, where, f"{name} {form!r}: * must follow a word of {_STEM}+ letters")
    elif "*" in form:
        raise _fail(source, where, f"{name} {form!r}: * may only end a phrase")
    return form


def _texts(
    value: Any, source: str, where: str, name: str, *, required: bool, wildcard: bool = False
) -> tuple[str, ...]:
    if value is None and not required:
        return ()
    if not isinstance(value, list) or (required and not value):
        raise _fail(
            source,
            where,
            f"{name} must be a non-empty list" if required else f"{name} must be a list",
        )
    items = tuple(_form(v, source, where, name, wildcard=wildcard) for v in value)
    seen: set[str] = set()
    for item in items:
        key = _key(item).casefold()
        if key in seen:
            raise _fail(source, where, f"{name} lists {item!r} twice")
        seen.add(key)
    return items


def _keys(item: Any, allowed: set[str], source: str, where: str) -> Mapping[str, Any]:
    if not isinstance(item, dict):
        raise _fail(source, where, "must be a mapping")
    unknown = sorted(set(item) - allowed)
    if unknown:
        raise _fail(source, where, f"unknown key(s) {', '.join(map(str, unknown))}")
    return item


def _validate(data: Any, source: str) -> tuple[list[Topic], list[Entry]]:
    root = _keys(data, _TOP_KEYS, source, "top level")
    if root.get("version") != _VERSION:
        raise _fail(source, "top level", f"version must be {_VERSION}, got {root.get('version')!r}")
    raw_topics = root.get("topics") or []
    raw_entries = root.get("entries")
    if not isinstance(raw_topics, list):
        raise _fail(source, "topics", "must be a list")
    if not isinstance(raw_entries, list) or not raw_entries:
        raise _fail(source, "entries", "must be a non-empty list")

    topics: list[Topic] = []
    for n, raw in enumerate(raw_topics, start=1):
        where = f"topic {n}"
        item = _keys(raw, _TOPIC_KEYS, source, where)
        tid = _text(item.get("id"), source, where, "id")
        where = f"topic {n} ({tid})"
        if not _TOPIC_ID.match(tid):
            raise _fail(source, where, "id must be snake_case (a-z, 0-9, _)")
        if any(t.id == tid for t in topics):
            raise _fail(source, where, f"duplicate topic id {tid!r}")
        label = _text(item.get("label"), source, where, "label")
        note = _text(item["note"], source, where, "note") if "note" in item else ""
        phrases = _texts(
            item.get("phrases"), source, where, "phrases", required=True, wildcard=True
        )
        everyday = item.get("everyday", False)
        if not isinstance(everyday, bool):
            raise _fail(source, where, "everyday must be true or false")
        topics.append(Topic(tid, label, phrases, note, everyday))
    topic_ids = {t.id for t in topics}

    entries: list[Entry] = []
    owners: dict[str, tuple[str, bool, str]] = {}  # folded key -> (term, sensitive, written)
    for n, raw in enumerate(raw_entries, start=1):
        where = f"entry {n}"
        item = _keys(raw, _ENTRY_KEYS, source, where)
        term = _form(item.get("term"), source, where, "term")
        where = f"entry {n} ({term})"
        if "expansions" not in item or not item["expansions"]:
            raise _fail(source, where, "expansions must be a non-empty list")
        expansions = _texts(item["expansions"], source, where, "expansions", required=True)
        aliases = _texts(item.get("aliases"), source, where, "aliases", required=False)
        note = _text(item.get("note"), source, where, "note")
        raw_topic = item.get("topic")
        topic_list = [raw_topic] if isinstance(raw_topic, str) else (raw_topic or [])
        if not isinstance(topic_list, list):
            raise _fail(source, where, "topic must be a topic id or a list of them")
        for tid in topic_list:
            if tid not in topic_ids:
                raise _fail(source, where, f"unknown topic {tid!r}")
        if len(set(topic_list)) != len(topic_list):
            raise _fail(source, where, "topic lists a topic twice")
        case = item.get("case", "sensitive" if any(c.isupper() for c in term) else "insensitive")
        if case not in ("sensitive", "insensitive"):
            raise _fail(source, where, f"case must be sensitive or insensitive, got {case!r}")
        reverse = item.get("reverse", True)
        if not isinstance(reverse, bool):
            raise _fail(source, where, f"reverse must be true or false, got {reverse!r}")
        spelled = (
            _text(item["spelled"], source, where, "spelled") if "spelled" in item else expansions[0]
        )
        sensitive = case == "sensitive"
        forms = (term, *aliases)
        for exp in expansions:
            if _key(exp).casefold() in {_key(f).casefold() for f in forms}:
                raise _fail(source, where, f"expansion {exp!r} repeats the term")
        for form in forms:
            key = _key(form).casefold()
            if key in owners:
                other, other_sensitive, written = owners[key]
                if not (sensitive and other_sensitive and _key(written) != _key(form)):
                    raise _fail(
                        source, where, f"duplicate term {form!r} (already used by entry {other!r})"
                    )
            owners.setdefault(key, (term, sensitive, form))
        entries.append(
            Entry(
                term=term,
                expansions=expansions,
                topics=tuple(topic_list),
                note=note,
                aliases=aliases,
                case_sensitive=sensitive,
                spelled=spelled,
                reverse=reverse,
            )
        )
    # Long forms and topic phrases match in any case: none may swallow a case-sensitive
    # term ("send" would make SEND match the verb).
    sensitive_terms = {
        _key(f).casefold(): (e.term, f) for e in entries if e.case_sensitive for f in e.forms
    }
    loose = [
        (f"entry {e.term}", "expansion", x) for e in entries if e.reverse for x in e.expansions
    ]
    loose += [(f"topic {t.id}", "phrase", p) for t in topics for p in t.phrases]
    for where, name, written in loose:
        clash = sensitive_terms.get(_key(written).casefold())
        if clash:
            raise _fail(
                source,
                where,
                f"{name} {written!r} would match the case-sensitive term {clash[1]!r} "
                f"of entry {clash[0]!r} in any case",
            )
    return topics, entries


@functools.lru_cache(maxsize=8)
def load_glossary(path: str | None = None) -> Glossary:
    """The glossary at ``path`` (default: the packaged one), loaded and validated once."""
    return Glossary.load(path)


def default_glossary() -> Glossary:
    """The packaged glossary, loaded once per process."""
    return load_glossary(None)
