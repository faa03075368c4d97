"""caselens evals."""

from retrieval.offline import apply_offline_environment

apply_offline_environment()
