"""Documents in, evidence out: loaders, chunking, embeddings, stores and hybrid retrieval.

Names load on first use (PEP 562), so `from knowledge import Evidence` does not import the stores
or a model: the CLI's light commands stay light.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from knowledge.base import KnowledgeBase
    from knowledge.embeddings import BACKENDS, Embedder
    from knowledge.errors import (
        CorruptDocument,
        DocumentError,
        EmbeddingModelError,
        EmptyDocument,
        EncryptedDocument,
        FileTooLarge,
        InvalidTenant,
        KnowledgeError,
        NoMainText,
        NotUtf8Text,
        ReadOnlyStore,
        SourceNotFound,
        StoreUnavailable,
        UnsupportedFileType,
    )
    from knowledge.ingest import BUNDLED_PREFIX, bundled_corpus_dir
    from knowledge.loaders import SUPPORTED_SUFFIXES, load_document
    from knowledge.model_files import BUNDLED_MODEL
    from knowledge.retrieval import MODES, reciprocal_rank_fusion
    from knowledge.safety import looks_like_instructions
    from knowledge.tenants import DEFAULT_TENANT, SHARED, check_tenant
    from knowledge.types import (
        Chunk,
        Evidence,
        IngestReport,
        LoadedDocument,
        ProgressEvent,
        Section,
        SourceInfo,
    )

_WHERE = {
    "knowledge.base": ["KnowledgeBase"],
    "knowledge.embeddings": ["BACKENDS", "Embedder"],
    "knowledge.errors": [
        "CorruptDocument",
        "DocumentError",
        "EmbeddingModelError",
        "EmptyDocument",
        "EncryptedDocument",
        "FileTooLarge",
        "InvalidTenant",
        "KnowledgeError",
        "NoMainText",
        "NotUtf8Text",
        "ReadOnlyStore",
        "SourceNotFound",
        "StoreUnavailable",
        "UnsupportedFileType",
    ],
    "knowledge.ingest": ["BUNDLED_PREFIX", "bundled_corpus_dir"],
    "knowledge.loaders": ["SUPPORTED_SUFFIXES", "load_document"],
    "knowledge.model_files": ["BUNDLED_MODEL"],
    "knowledge.retrieval": ["MODES", "reciprocal_rank_fusion"],
    "knowledge.safety": ["looks_like_instructions"],
    "knowledge.tenants": ["DEFAULT_TENANT", "SHARED", "check_tenant"],
    "knowledge.types": [
        "Chunk",
        "Evidence",
        "IngestReport",
        "LoadedDocument",
        "ProgressEvent",
        "Section",
        "SourceInfo",
    ],
}
_MODULE_OF = {name: module for module, names in _WHERE.items() for name in names}

__all__ = [
    "BACKENDS",
    "BUNDLED_MODEL",
    "BUNDLED_PREFIX",
    "DEFAULT_TENANT",
    "MODES",
    "SHARED",
    "SUPPORTED_SUFFIXES",
    "Chunk",
    "CorruptDocument",
    "DocumentError",
    "Embedder",
    "EmbeddingModelError",
    "EmptyDocument",
    "EncryptedDocument",
    "Evidence",
    "FileTooLarge",
    "IngestReport",
    "InvalidTenant",
    "KnowledgeBase",
    "KnowledgeError",
    "LoadedDocument",
    "NoMainText",
    "NotUtf8Text",
    "ProgressEvent",
    "ReadOnlyStore",
    "Section",
    "SourceInfo",
    "SourceNotFound",
    "StoreUnavailable",
    "UnsupportedFileType",
    "bundled_corpus_dir",
    "check_tenant",
    "load_document",
    "looks_like_instructions",
    "reciprocal_rank_fusion",
]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'knowledge' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
