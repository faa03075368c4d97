"""Give Presidio lower-cased words as "lemmas" instead of running spaCy's lemmatizer.

Presidio reads lemmas for one thing only: its context enhancer looks for a recognizer's
context words among the words around a match, as substrings ("attend" is found in
"attends", "attended", "attending"). caselens's context lists are written as the words
appear in notes ("lives", "living", "born"), so the lower-cased word serves as well as
its lemma, and better for irregular forms (spaCy lemmatises "born" to "bear").

Lemmas come from four spaCy components (a shared tok2vec, tagger, attribute ruler,
lemmatizer) that cost about a quarter of all redaction time and that nothing else in
caselens reads; the named-entity recognizer of the packaged pipelines has its own
tok2vec. ``slim_pipeline`` removes them (keeping a tok2vec the recognizer listens to) and
adds ``caselens_surface_lemmas``. Spans came out identical on the synthetic estates
(tests/redaction/test_surface_lemmas.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.language import Language

if TYPE_CHECKING:
    from spacy.tokens import Doc

COMPONENT = "caselens_surface_lemmas"

#: spaCy components whose output only the lemmas need (POS tags, morphology, lemmas).
LEMMA_ONLY_COMPONENTS: tuple[str, ...] = (
    "tagger",
    "morphologizer",
    "attribute_ruler",
    "lemmatizer",
    "trainable_lemmatizer",
)


@Language.component(COMPONENT)
def surface_lemmas(doc: Doc) -> Doc:
    """Set each token's lemma to its lower-cased form (hash ids: no string work)."""
    for token in doc:
        token.lemma = token.lower
    return doc


def slim_pipeline(nlp: Language) -> Language:
    """Drop the lemma-only components (and a tok2vec only they listened to), in place,
    and add the surface-lemma component last."""
    for name in LEMMA_ONLY_COMPONENTS:
        if name in nlp.component_names:
            nlp.remove_pipe(name)
    if "tok2vec" in nlp.component_names:
        listeners = getattr(nlp.get_pipe("tok2vec"), "listening_components", [])
        if not listeners:
            nlp.remove_pipe("tok2vec")
    if COMPONENT not in nlp.component_names:
        nlp.add_pipe(COMPONENT, last=True)
    return nlp
