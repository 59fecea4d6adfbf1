"""Factories that build the application's objects from `Settings` (kept apart from settings)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from assistant.settings import Settings

if TYPE_CHECKING:
    from assistant.answering import Answerer
    from knowledge import Embedder, KnowledgeBase


def make_embedder(
    settings: Settings, *, notify: Callable[[str], None] | None = None, spin: bool = False
) -> Embedder:
    """The embedder the settings name (ONNX Runtime for the bundled model unless told otherwise).

    `notify` hears about the one-off ONNX export, so a command can say why its first run waits.
    `spin`: for one person's questions (the CLI), ONNX Runtime's threads spin between steps.
    """
    from knowledge import Embedder

    return Embedder(
        settings.embedding_model,
        backend=settings.embedding_backend,
        onnx_dir=settings.onnx_dir,
        notify=notify,
        quantized=settings.embedding_quantized,
        spin=spin,
    )


def open_knowledge_base(settings: Settings, embedder: Embedder | None = None) -> KnowledgeBase:
    """The knowledge base the settings describe (nothing heavy is loaded until it is used)."""
    from knowledge import Embedder, KnowledgeBase

    return KnowledgeBase(
        settings.data_dir,
        embedder or make_embedder(settings),
        database_url=settings.database_url,
        chroma_url=settings.chroma_url,
        # A search while the index still holds another model's vectors embeds with that model.
        # (the recorded name may carry an ONNX export's tag after a '|': the model is before it)
        embedder_factory=lambda model: Embedder(model.split("|")[0], onnx_dir=settings.onnx_dir),
        max_file_bytes=settings.max_file_bytes,
        chunk_tokens=settings.chunk_tokens,
        chunk_overlap=settings.chunk_overlap,
    )


def make_answerer(settings: Settings, kb: KnowledgeBase, web: bool = False) -> Answerer:
    """The answerer, with the configured LLM when there is one (offline otherwise).

    `web`: it answers people using the API or the widget, who cannot run `impact ingest`.
    """
    from assistant.answering import Answerer

    llm = None
    if settings.llm_provider != "none":
        from assistant.llm import chat_model_from_settings  # langchain_openai: ~3 s, only if used

        llm = chat_model_from_settings(settings)
    return Answerer(kb, llm=llm, prompts_dir=settings.prompts_dir, tenant=settings.tenant, web=web)
