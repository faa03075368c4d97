"""Make every library we use behave offline.

caselens never downloads models or data at run time. Several libraries try to unless
told otherwise (Hugging Face hub, tldextract's suffix list used by Presidio's email
recognizer). Values already set by the operator are respected.
"""

from __future__ import annotations

import os

OFFLINE_ENVIRONMENT: dict[str, str] = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS": "",
    "TOKENIZERS_PARALLELISM": "false",
}


def apply_offline_environment() -> None:
    """Set the offline switches before the libraries that read them are imported."""
    for key, value in OFFLINE_ENVIRONMENT.items():
        os.environ.setdefault(key, value)
    if any(os.environ.get(k) for k in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")):
        # Loopback calls (a local Ollama, a test stand-in) must never go to a proxy.
        for key in ("NO_PROXY", "no_proxy"):
            current = os.environ.get(key, "")
            needed = [h for h in ("127.0.0.1", "localhost") if h not in current.split(",")]
            if needed:
                os.environ[key] = ",".join([p for p in [current, *needed] if p])
