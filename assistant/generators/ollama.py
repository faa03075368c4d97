"""The ``ollama`` generator: an Ollama-served LLM answers from numbered, pseudonymised sources.

The prompt comes from ``prompts/answer_question.v<N>.txt``; it requires a citation on every
sentence, facts only, and treats source text as data. The reply is streamed and split into
sentences as they complete, so the service can verify and show each one early. Nothing
here trusts the model: the verifier checks every citation afterwards.

Errors never contain prompt or reply text (it is case material): only the server URL
(without credentials), the model name and what went wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import ollama

from assistant.contracts import DraftSentence, NumberedSource
from assistant.generators.cited_stream import CitedSentenceParser, is_absence
from assistant.prompt_files import PromptFile, load_prompt
from retrieval.records import as_day

DEFAULT_PROMPT = "answer_question"
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class OllamaError(RuntimeError):
    """Ollama could not be reached or refused the request (message names URL, never text)."""


def display_url(url: str) -> str:
    """The URL without user:password, for messages."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def format_source(source: NumberedSource) -> str:
    """``[1] (LCS case_note 2024-03-22; Social Worker) Title: text`` on one line.

    Whitespace is collapsed so a note cannot start a line that looks like a new numbered
    source or a prompt section (a prompt-injection guard, with the prompt's own rule).
    """
    chunk = source.chunk
    day = as_day(chunk.occurred_at)
    meta = f"{chunk.source_system} {chunk.record_type} {day.isoformat()}"
    if chunk.author_role:
        meta += f"; {chunk.author_role}"
    body = f"{chunk.title}: {chunk.text}" if chunk.title else chunk.text
    return f"[{source.n}] ({_one_line(meta)}) {_one_line(body)}"


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class OllamaGenerator:
    """Generator backed by an Ollama server (``/api/chat``), streaming by default."""

    name = "ollama"

    def __init__(
        self,
        *,
        url: str,
        model: str,
        timeout_s: float = 120.0,
        prompt: PromptFile | None = None,
        temperature: float = 0.0,
        max_sentences: int = 12,
        num_ctx: int | None = None,
        stream: bool = True,
        redact: Callable[[str], str] | None = None,
    ) -> None:
        if not urlsplit(url).scheme or not urlsplit(url).hostname:
            raise ValueError("ollama url must look like http://host:11434")
        if not model.strip():
            raise ValueError("ollama model name is empty")
        if timeout_s <= 0 or max_sentences < 1:
            raise ValueError("timeout_s must be > 0 and max_sentences >= 1")
        self.url = url.rstrip("/")
        self.model = model
        self.timeout_s = timeout_s
        self.prompt = prompt or load_prompt(DEFAULT_PROMPT)
        self.temperature = temperature
        self.max_sentences = max_sentences
        self.num_ctx = num_ctx
        self.stream = stream
        #: Free-text redaction of the question and the earlier questions before they go
        #: into the prompt: the family's names are already placeholders, this catches
        #: the people the case store does not know (a neighbour, a professional).
        self._redact = redact if redact is not None else (lambda text: text)
        # Loopback never goes through a proxy, whatever the environment says.
        trust_env = urlsplit(url).hostname not in _LOOPBACK
        self._client = ollama.Client(host=self.url, timeout=timeout_s, trust_env=trust_env)

    # --- what is sent ------------------------------------------------------------------

    def build_messages(
        self, question: str, sources: Sequence[NumberedSource], history: Sequence[str] = ()
    ) -> list[dict[str, str]]:
        """The chat messages for one question (also what a trace records as input)."""
        numbers = [s.n for s in sources]
        if len(set(numbers)) != len(numbers):
            raise ValueError("source numbers must be unique")
        return self.prompt.render(
            sources="\n".join(format_source(s) for s in sources) or "(no sources)",
            history="\n".join(f"- {_one_line(self._redact(h))}" for h in history) or "(none)",
            question=_one_line(self._redact(question)),
            max_sentences=str(self.max_sentences),
        )

    def options(self) -> dict[str, Any]:
        opts: dict[str, Any] = {"temperature": self.temperature}
        if self.num_ctx:
            opts["num_ctx"] = self.num_ctx
        return opts

    # --- Generator Protocol ------------------------------------------------------------

    def warm(self) -> None:
        """Nothing to load here: the model lives on the Ollama server."""

    def generate(
        self,
        question: str,
        sources: Sequence[NumberedSource],
        *,
        history: Sequence[str] = (),
        about: frozenset[str] = frozenset(),
    ) -> Iterator[DraftSentence]:
        """Cited sentences as the model completes them; nothing when it reports absence.

        With no sources the model is not called (nothing could be cited).
        """
        if not sources:
            return
        messages = self.build_messages(question, sources, history)
        parser = CitedSentenceParser()
        for piece in self._reply_pieces(messages):
            for sentence in parser.feed(piece):
                if not is_absence(sentence):
                    yield sentence
        for sentence in parser.close():
            if not is_absence(sentence):
                yield sentence

    def _reply_pieces(self, messages: list[dict[str, str]]) -> Iterator[str]:
        try:
            if self.stream:
                for part in self._client.chat(
                    model=self.model, messages=messages, stream=True, options=self.options()
                ):
                    yield part.message.content or ""
            else:
                reply = self._client.chat(
                    model=self.model, messages=messages, stream=False, options=self.options()
                )
                yield reply.message.content or ""
        except ollama.ResponseError as exc:
            raise self._response_error(exc.status_code) from None
        except (ConnectionError, httpx.ConnectError, httpx.ConnectTimeout):
            raise OllamaError(
                f"cannot connect to Ollama at {display_url(self.url)}; is it running? "
                "(set CASELENS_OLLAMA_URL)"
            ) from None
        except httpx.TimeoutException:
            raise OllamaError(
                f"Ollama at {display_url(self.url)} did not answer within {self.timeout_s:g} s "
                "(raise CASELENS_OLLAMA_TIMEOUT_S or use a smaller model)"
            ) from None
        except (httpx.TransportError, ValueError) as exc:
            raise OllamaError(
                f"broken reply from Ollama at {display_url(self.url)} ({type(exc).__name__})"
            ) from None

    def _response_error(self, status: int) -> OllamaError:
        where = display_url(self.url)
        if status == 404:
            return OllamaError(
                f"model {self.model!r} is not available at {where}; "
                f"run `ollama pull {self.model}` on that host"
            )
        if status == -1:
            return OllamaError(f"Ollama at {where} stopped the reply with an error")
        return OllamaError(f"Ollama at {where} answered HTTP {status} for model {self.model!r}")

    # --- health ------------------------------------------------------------------------

    def check(self) -> None:
        """Raise OllamaError unless the server answers and the configured model is pulled."""
        try:
            names = {m.model for m in self._client.list().models}
        except (ConnectionError, httpx.ConnectError, httpx.ConnectTimeout):
            raise OllamaError(f"cannot connect to Ollama at {display_url(self.url)}") from None
        except (ollama.ResponseError, httpx.HTTPError, ValueError) as exc:
            raise OllamaError(
                f"Ollama at {display_url(self.url)} failed a health check ({type(exc).__name__})"
            ) from None
        if not names & {self.model, f"{self.model}:latest"}:
            raise OllamaError(
                f"model {self.model!r} is not pulled at {display_url(self.url)}; "
                f"run `ollama pull {self.model}` there"
            )
