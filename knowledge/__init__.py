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
    KnowledgeError,
    NoMainText,
    NotUtf8Text,
    StoreUnavailable,
    UnsupportedFileType,
)
from knowledge.ingest import BUNDLED_PREFIX, bundled_corpus_dir
from knowledge.loaders import SUPPORTED_SUFFIXES, load_document
from knowledge.retrieval import MODES, reciprocal_rank_fusion
from knowledge.safety import looks_like_instructions
from knowledge.types import Chunk, Evidence, IngestReport, LoadedDocument, Section, SourceInfo

__all__ = [
    "BUNDLED_MODEL",
    "BUNDLED_PREFIX",
    "MODES",
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
    "KnowledgeBase",
    "KnowledgeError",
    "LoadedDocument",
    "NoMainText",
    "NotUtf8Text",
    "Section",
    "SourceInfo",
    "StoreUnavailable",
    "UnsupportedFileType",
    "bundled_corpus_dir",
    "load_document",
    "looks_like_instructions",
    "reciprocal_rank_fusion",
]
