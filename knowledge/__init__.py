"""Documents in, evidence out: loaders, chunking, embeddings, stores and hybrid retrieval."""

from knowledge.base import KnowledgeBase
from knowledge.embeddings import BUNDLED_MODEL, Embedder
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

__all__ = [
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
