"""caselens evals.

Importing this package imports nothing of ours, so the estate generator (``evals.estate``)
stays independent of the code it tests. The modules that reach model libraries do so
through ``api``/``retrieval``, whose imports apply the offline switches
(``retrieval.offline``).
"""
