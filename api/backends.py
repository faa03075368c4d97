"""The one place that turns Settings into working components (case store, policy, ...).

Commands and the web app call these builders; components themselves never read settings
or the environment, so tests can build them directly with explicit arguments.
"""

from __future__ import annotations

from api.settings import Settings  # noqa: F401  (used by the builders below)

# --- case store and policy (retrieval) -------------------------------------------------

# --- record linkage (retrieval.linkage) ------------------------------------------------

# --- redaction ---------------------------------------------------------------------------
