"""Answer generators behind the one ``Generator`` Protocol (``assistant.contracts``).

Backends are imported from their own modules (``assistant.generators.extractive``,
``assistant.generators.ollama``) so that using one never loads another's dependencies.
"""
