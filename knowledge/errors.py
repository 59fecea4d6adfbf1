"""Errors raised by the knowledge package.

KnowledgeError
├── DocumentError            a file that cannot be ingested (names the file and the reason)
│   ├── UnsupportedFileType
│   ├── EmptyDocument
│   ├── FileTooLarge
│   ├── CorruptDocument
│   ├── EncryptedDocument
│   ├── NoMainText
│   └── NotUtf8Text
├── EmbeddingModelError      the embedding model could not be loaded (misuse: wrong path or name)
├── InvalidTenant            a tenant name that is not valid, or a write into `shared` (misuse)
├── SourceNotFound           `forget` of a source the tenant does not have (misuse)
├── ReadOnlyStore            a write asked of a data directory or database opened read-only
└── StoreUnavailable         the catalog, vector store or lexical index could not be opened,
                             read or written (runtime)
"""

from __future__ import annotations

from pathlib import Path


class KnowledgeError(Exception):
    """Base class for every error the knowledge package raises."""


class DocumentError(KnowledgeError):
    """A file could not be ingested; the message names the file and says how to fix it."""

    hint = ""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class UnsupportedFileType(DocumentError):
    """The file's type is not one the loaders read."""


class EmptyDocument(DocumentError):
    """The file holds no text."""


class FileTooLarge(DocumentError):
    """The file is over the configured size limit."""


class CorruptDocument(DocumentError):
    """The file could not be parsed as its type."""


class EncryptedDocument(DocumentError):
    """The file is password-protected."""


class NoMainText(DocumentError):
    """An HTML page with no main text once navigation and boilerplate are removed."""


class NotUtf8Text(DocumentError):
    """A text or Markdown file that is not valid UTF-8."""


class EmbeddingModelError(KnowledgeError):
    """The embedding model could not be loaded."""


class InvalidTenant(KnowledgeError):
    """A tenant name that is not valid, or a write into the `shared` tenant."""


class SourceNotFound(KnowledgeError):
    """The tenant has no source of that name."""

    def __init__(self, source: str, tenant: str, hint: str = "") -> None:
        self.source = source
        self.tenant = tenant
        super().__init__(
            f"no source {source!r} in tenant {tenant!r}; "
            + (hint or "`impact sources` lists them (use the name exactly as listed)")
        )


class ReadOnlyStore(KnowledgeError):
    """A write was asked of a knowledge base that can only be read here."""


class StoreUnavailable(KnowledgeError):
    """The catalog, vector store or lexical index could not be opened, read or written."""
