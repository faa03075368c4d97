"""Alembic migrations of the case store, shipped inside the package and run programmatically.

``retrieval.store.migrate.upgrade_to_head`` applies them; ``alembic.ini`` is not needed.
To add a migration: ``alembic -c <an ini with script_location = retrieval:migrations>
revision -m "..."`` or copy an existing file in ``versions/`` and set ``down_revision``.
"""
