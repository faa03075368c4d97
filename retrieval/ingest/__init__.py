"""Ingestion of source-system extracts into the case store (validate, permit, upsert, delete)."""

from retrieval.ingest.ingestor import BatchHook, Ingestor
from retrieval.ingest.quarantine import Quarantine
from retrieval.ingest.reader import Deletion, IngestError, find_extracts
from retrieval.ingest.report import Counts, IngestReport, SystemCounts

__all__ = [
    "BatchHook",
    "Counts",
    "Deletion",
    "IngestError",
    "IngestReport",
    "Ingestor",
    "Quarantine",
    "SystemCounts",
    "find_extracts",
]
