"""Source records, permissions, case store, record linkage and (later) the search index."""

from retrieval.offline import apply_offline_environment

apply_offline_environment()
