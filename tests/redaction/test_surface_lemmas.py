"""Lower-cased words instead of spaCy lemmas: a smaller pipeline, the same redaction."""

from __future__ import annotations

import pytest

from redaction.analyzer import AnalyzerConfig, build_analyzer
from redaction.detect import Detector, build_detector
from redaction.surface_lemmas import COMPONENT, slim_pipeline


def _pipe_names(config: AnalyzerConfig) -> list[str]:
    return list(build_analyzer(config).nlp_engine.nlp[config.language].pipe_names)


def test_default_pipeline_runs_only_ner_and_surface_lemmas(detector: Detector) -> None:
    assert _pipe_names(AnalyzerConfig()) == ["ner", COMPONENT]
    full = _pipe_names(AnalyzerConfig(spacy_lemmas=True))
    assert {"tok2vec", "tagger", "lemmatizer", "ner"} <= set(full)
    assert COMPONENT not in full


@pytest.mark.parametrize(
    ("text", "lemmas"),
    [
        ("She LIVES with her Mother", ["she", "lives", "with", "her", "mother"]),
        ("born 3 May", ["born", "3", "may"]),  # spaCy's lemmatizer would say "bear"
    ],
)
def test_lemmas_are_the_lower_cased_words(text: str, lemmas: list[str]) -> None:
    nlp = build_analyzer(AnalyzerConfig()).nlp_engine.nlp["en"]
    assert [token.lemma_ for token in nlp(text)] == lemmas


def test_a_tok2vec_the_recognizer_listens_to_is_kept() -> None:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("tok2vec")
    listener = {
        "@architectures": "spacy.TransitionBasedParser.v2",
        "state_type": "ner",
        "extra_state_tokens": False,
        "hidden_width": 32,
        "maxout_pieces": 2,
        "use_upper": True,
        "tok2vec": {"@architectures": "spacy.Tok2VecListener.v1", "width": 96, "upstream": "*"},
    }
    nlp.add_pipe("ner", config={"model": listener}).add_label("PERSON")
    nlp.add_pipe("tagger").add_label("NN")  # listens to the tok2vec too
    nlp.add_pipe("attribute_ruler")
    nlp.initialize()
    assert nlp.get_pipe("tok2vec").listening_components == ["ner"]
    slim_pipeline(nlp)
    assert nlp.pipe_names == ["tok2vec", "ner", COMPONENT]


@pytest.fixture(scope="module")
def estate_texts(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    from api.settings import default_policy_path
    from evals.estate import generate_estate
    from retrieval.ingest import Ingestor
    from retrieval.policy import InformationSharingPolicy
    from retrieval.store import CaseStore

    root = tmp_path_factory.mktemp("lemmas")
    generate_estate(root / "estate", families=4, seed=11)
    store = CaseStore.open(f"sqlite:///{root / 'store.sqlite3'}")
    policy = InformationSharingPolicy.load(default_policy_path())
    Ingestor(store, policy, quarantine_dir=root / "q").ingest(root / "estate")
    texts = [t for r in store.iter_records() for t in (r.title, r.text)]
    store.close()
    return texts


def test_spans_equal_those_found_with_spacy_lemmas(
    detector: Detector, estate_texts: list[str]
) -> None:
    """Same spans; a score may only rise, where a context word is found as written
    ("born", "registered") that its lemma hides ("bear", "register")."""
    with_lemmas = build_detector(AnalyzerConfig(spacy_lemmas=True))
    assert len(estate_texts) > 100
    surface = detector.detect_many(estate_texts)
    lemma = with_lemmas.detect_many(estate_texts)
    assert sum(len(spans) for spans in surface) > 100  # names, addresses, phones ... found

    def shape(spans: list) -> list[tuple[int, int, str]]:
        return [(s.start, s.end, s.entity_type) for s in spans]

    assert [shape(s) for s in surface] == [shape(s) for s in lemma]
    scores = [
        (a.score, b.score)
        for x, y in zip(surface, lemma, strict=True)
        for a, b in zip(x, y, strict=True)
    ]
    assert all(a >= b for a, b in scores)
    assert any(a > b for a, b in scores)


@pytest.mark.parametrize(
    ("text", "postcode"),
    [
        ("She lived at ls62qr until May.", "ls62qr"),
        ("They are living at ls62qr.", "ls62qr"),  # "live" is not in "living"
        ("The family is moving to ls62qr.", "ls62qr"),
        ("Mother now residing at ls62qr.", "ls62qr"),
        ("Ticket ls62qr was issued.", None),  # a weak shape with no context word stays
    ],
)
def test_context_words_lift_weak_matches_in_their_written_forms(
    detector: Detector, text: str, postcode: str | None
) -> None:
    found = [text[s.start : s.end] for s in detector.detect(text) if s.entity_type == "POSTCODE"]
    assert found == ([postcode] if postcode else [])
