"""What redaction never replaces: practice terms, services, kinship and role words.

One allow-list: every term, alias and spelled-out form of the practice glossary
(``retrieval/data/glossary.yaml``, the file the answers expand questions with) plus
``redaction/data/keep_terms.yaml`` (services, kinship words of many languages, role
words, languages, calendar words, medicines, apps, shops and brands).
``KeepList.ranges(text)`` gives the character ranges
they cover; the detector cuts those ranges out of any name, place or organisation span,
so "Nani Kamla" keeps "Nani", "referred to SLT" keeps "SLT" and "Early Help" is never an
``[Organisation N]``.

Keep-terms match case-insensitively as whole words, with spaces, hyphens and apostrophes
inside a phrase interchangeable; a service, role or calendar word of seven letters or
more also matches when one edit away ("Barnados", "Chrismas"), and so does a later word
of a phrase of five letters or more ("Turning Pont"). Glossary terms follow the
glossary's own case rules (``DA`` but not "da").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import regex
import yaml

from redaction.name_lists import DATA_DIR, SPEAKER_VERBS, fold

KEEP_FILE = DATA_DIR / "keep_terms.yaml"
SECTIONS: tuple[str, ...] = (
    "services",
    "kinship",
    "roles",
    "languages",
    "calendar",
    "medicines",
    "brands",
)
#: Sections whose words are matched misspelt too (a medicine or kinship word one edit
#: from a given name, "Concerta" / "Concetta", must not swallow the name).
FUZZY_SECTIONS: frozenset[str] = frozenset({"services", "roles", "calendar"})
#: Words this long may be misspelt by one edit and still match.
FUZZY_MIN = 7
#: ... or this long when it is not the first word of a phrase ("Turning Pont").
FUZZY_LATER = 5
_WORD = regex.compile(r"[\p{L}\p{N}&]+(?:['’][\p{L}]+)*")
#: Texts whose ranges are remembered (a redaction batch: records, titles and their
#: case-normalised copies), and words whose phrase starts are.
_REMEMBERED_TEXTS = 512
_REMEMBERED_WORDS = 50_000


class KeepListError(ValueError):
    """The keep-terms file is malformed (the message names the file and section)."""


@lru_cache(maxsize=1 << 16)
def _key(token: str) -> str:
    return fold(token.replace("'", "").replace("’", ""))


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


@dataclass
class KeepList:
    """Phrases (as token keys) that must survive redaction, and the glossary beside them."""

    phrases: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    glossary: Any = None
    #: deletion variant -> long first words it comes from (one-edit matching).
    _fuzzy: dict[str, set[str]] = field(default_factory=dict)
    kinds: dict[tuple[str, ...], str] = field(default_factory=dict)
    _recent: dict[str, tuple[tuple[int, int], ...]] = field(default_factory=dict, repr=False)
    _sections: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)
    _first_words: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)

    @classmethod
    def from_terms(cls, terms: Mapping[str, Iterable[str]], glossary: Any = None) -> KeepList:
        keep = cls(glossary=glossary)
        for kind, items in terms.items():
            for item in items:
                tokens = tuple(_key(t) for t in _WORD.findall(str(item)))
                if not tokens:
                    continue
                keep.phrases.setdefault(tokens[0], []).append(tokens)
                keep.kinds.setdefault(tokens, kind)
                if len(tokens[0]) >= FUZZY_MIN and kind in FUZZY_SECTIONS:
                    for variant in {tokens[0], *_deletes(tokens[0])}:
                        keep._fuzzy.setdefault(variant, set()).add(tokens[0])
        for first in keep.phrases:
            keep.phrases[first].sort(key=len, reverse=True)
        return keep

    @classmethod
    def load(cls, path: Path = KEEP_FILE, glossary: Any = None) -> KeepList:
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise KeepListError(f"{path}: cannot read keep terms ({type(exc).__name__})") from exc
        if not isinstance(data, dict) or data.get("version") != 1:
            raise KeepListError(f"{path}: expected a mapping with version: 1")
        unknown = set(data) - {"version", *SECTIONS}
        if unknown:
            raise KeepListError(f"{path}: unknown sections {sorted(unknown)}")
        terms: dict[str, list[str]] = {}
        for section in SECTIONS:
            items = data.get(section) or []
            if not isinstance(items, list) or not all(
                isinstance(i, str) and i.strip() for i in items
            ):
                raise KeepListError(f"{path}: section {section!r} must be a list of words")
            terms[section] = items
        return cls.from_terms(terms, glossary)

    def _firsts(self, key: str) -> frozenset[str]:
        """First words of phrases ``key`` may start (itself, or one edit away); remembered
        per word, since every note repeats its words."""
        found = self._first_words.get(key)
        if found is None:
            found = frozenset(self._find_firsts(key))
            if len(self._first_words) >= _REMEMBERED_WORDS:
                self._first_words = {}
            self._first_words[key] = found
        return found

    def _find_firsts(self, key: str) -> set[str]:
        found = {key} if key in self.phrases else set()
        if len(key) >= FUZZY_MIN - 1:
            for variant in {key, *_deletes(key)}:
                for first in self._fuzzy.get(variant, ()):
                    if abs(len(first) - len(key)) <= 1:
                        found.add(first)
        return found

    @staticmethod
    def _same(want: str, got: str, shortest: int = FUZZY_MIN) -> bool:
        if want == got:
            return True
        if len(want) < shortest or abs(len(want) - len(got)) > 1:
            return False
        return bool({want, *_deletes(want)} & {got, *_deletes(got)})

    def ranges(self, text: str) -> list[tuple[int, int]]:
        """Character ranges of every keep phrase and glossary term in ``text``.

        The detector, the case-normalised copy and the name recognizer each ask for the
        same text, at different stages of a batch, so the answers for about a batch's
        texts are remembered."""
        cached = self._recent.get(text)
        if cached is None:
            cached = self._ranges(text)
            if len(self._recent) >= _REMEMBERED_TEXTS:
                self._recent = {}  # replaced, not cleared: other threads may be reading
            self._recent[text] = cached
        return list(cached)

    def _ranges(self, text: str) -> tuple[tuple[int, int], ...]:
        tokens = [(m.start(), m.end(), _key(m.group())) for m in _WORD.finditer(text)]
        found: list[tuple[int, int]] = []
        i = 0
        while i < len(tokens):
            best = 0
            for first in self._firsts(tokens[i][2]):
                for phrase in self.phrases[first]:
                    n = len(phrase)
                    if n <= best or i + n > len(tokens):
                        continue
                    if all(
                        self._same(phrase[j], tokens[i + j][2], FUZZY_LATER) for j in range(1, n)
                    ):
                        best = n
            if best and self._named_after(text, tokens, i, best):
                i += best
            elif best:
                found.append((tokens[i][0], tokens[i + best - 1][1]))
                i += best
            else:
                i += 1
        if self.glossary is not None:
            found.extend((m.start, m.end) for m in self.glossary.find(text))
        return tuple(sorted(found))

    def _named_after(
        self, text: str, tokens: list[tuple[int, int, str]], i: int, length: int
    ) -> bool:
        """A one-word festival or calendar word that is someone's name here: written with
        a capital and followed by a verb only a person does ("Nawroz asked to ...")."""
        if length != 1 or i + 1 >= len(tokens) or not text[tokens[i][0]].isupper():
            return False
        if self.kinds.get((tokens[i][2],)) != "calendar":
            return False
        return tokens[i + 1][2] in SPEAKER_VERBS and text[tokens[i][1] : tokens[i + 1][0]] == " "

    def words_of(self, section: str) -> frozenset[str]:
        """The one-word entries of a section, as lookup keys ("nani", "hooyo")."""
        found = self._sections.get(section)
        if found is None:
            found = frozenset(
                p[0] for p, kind in self.kinds.items() if kind == section and len(p) == 1
            )
            self._sections[section] = found
        return found

    def kind_of(self, phrase: str) -> str | None:
        """The section a phrase was listed in (``None`` if it is not listed)."""
        return self.kinds.get(tuple(_key(t) for t in _WORD.findall(phrase)))


@lru_cache(maxsize=1)
def default_keep_list() -> KeepList:
    """The packaged keep terms plus the packaged practice glossary (read once)."""
    from retrieval.glossary import default_glossary

    return KeepList.load(KEEP_FILE, default_glossary())


def subtract(start: int, end: int, ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """``[start, end)`` without ``ranges``."""
    pieces = [(start, end)]
    for r_start, r_end in ranges:
        next_pieces = []
        for s, e in pieces:
            if r_end <= s or r_start >= e:
                next_pieces.append((s, e))
                continue
            if s < r_start:
                next_pieces.append((s, r_start))
            if r_end < e:
                next_pieces.append((r_end, e))
        pieces = next_pieces
    return pieces
