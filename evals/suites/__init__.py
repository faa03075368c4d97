"""Eval suites: each returns a summary (numbers) and per-case rows (JSON-ready dicts)."""
