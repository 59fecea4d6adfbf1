"""BM25 index adapter over chunk ids; the only module that imports bm25s."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from knowledge.errors import StoreUnavailable
from knowledge.types import Tags

_CURRENT = "CURRENT"


def _stemmer():  # type: ignore[no-untyped-def]
    import Stemmer

    return Stemmer.Stemmer("english")


class Bm25Index:
    """A BM25 index whose rows are chunk ids, with each row's source and tags kept for filters."""

    def __init__(
        self,
        ids: list[str],
        sources: list[str],
        tags: list[Tags],
        generation: int,
        retriever: object | None,
    ) -> None:
        self.ids = ids
        self.sources = np.asarray(sources, dtype=object)
        self.tags = tags
        self.generation = generation
        self._retriever = retriever
        self._stem = _stemmer()
        self._mask_cache: dict[str, np.ndarray] = {}

    @classmethod
    def build(
        cls,
        ids: list[str],
        texts: Sequence[str],
        sources: list[str],
        tags: list[Tags],
        generation: int,
    ) -> Bm25Index:
        import bm25s

        retriever = None
        if ids:
            tokens = bm25s.tokenize(
                list(texts), stopwords="en", stemmer=_stemmer(), show_progress=False
            )
            retriever = bm25s.BM25()
            retriever.index(tokens, show_progress=False)
        return cls(ids, sources, tags, generation, retriever)

    def __len__(self) -> int:
        return len(self.ids)

    def save(self, root: Path) -> None:
        """Write a new version beside the old one, then switch the CURRENT pointer atomically."""
        root.mkdir(parents=True, exist_ok=True)
        try:
            target = Path(tempfile.mkdtemp(prefix=f"gen-{self.generation:08d}-", dir=root))
            if self._retriever is not None:
                self._retriever.save(str(target / "bm25"))  # type: ignore[attr-defined]
            rows = {
                "ids": self.ids,
                "sources": list(self.sources),
                "tags": self.tags,
                "generation": self.generation,
            }
            (target / "rows.json").write_text(json.dumps(rows), encoding="utf-8")
            pointer = root / f".{_CURRENT}.tmp"
            pointer.write_text(target.name, encoding="utf-8")
            os.replace(pointer, root / _CURRENT)
        except OSError as exc:
            raise StoreUnavailable(f"could not write the BM25 index under {root}: {exc}") from exc
        for old in root.iterdir():
            if old.is_dir() and old.name != target.name:
                shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, root: Path) -> Bm25Index | None:
        """The saved index, or None when there is none or it cannot be read (then rebuild)."""
        pointer = root / _CURRENT
        if not pointer.exists():
            return None
        try:
            import bm25s

            target = root / pointer.read_text(encoding="utf-8").strip()
            rows = json.loads((target / "rows.json").read_text(encoding="utf-8"))
            retriever = None
            if rows["ids"]:
                retriever = bm25s.BM25.load(str(target / "bm25"))
            return cls(
                rows["ids"], rows["sources"], rows["tags"], int(rows["generation"]), retriever
            )
        except Exception:
            return None

    def _mask(self, tags: Tags | None, sources: Sequence[str] | None) -> np.ndarray | None:
        if not tags and not sources:
            return None
        key = json.dumps([tags or {}, sorted(sources or [])], sort_keys=True)
        cached = self._mask_cache.get(key)
        if cached is not None:
            return cached
        mask = np.ones(len(self.ids), dtype=np.float32)
        if sources:
            mask *= np.isin(self.sources, list(sources)).astype(np.float32)
        for tag, wanted in (tags or {}).items():
            wanted_set = set(wanted)
            mask *= np.fromiter(
                (bool(wanted_set.intersection(row.get(tag, ()))) for row in self.tags),
                dtype=np.float32,
                count=len(self.tags),
            )
        if len(self._mask_cache) > 64:
            self._mask_cache.clear()
        self._mask_cache[key] = mask
        return mask

    def query_tokens(self, query: str) -> list[str]:
        import bm25s

        tokens = bm25s.tokenize(
            query, stopwords="en", stemmer=self._stem, return_ids=False, show_progress=False
        )
        return list(tokens[0]) if tokens else []

    def search(
        self, query: str, n: int, tags: Tags | None = None, sources: Sequence[str] | None = None
    ) -> list[tuple[str, float]]:
        """Top chunks as (id, BM25 score), best first; only rows with a positive score."""
        if self._retriever is None or not self.ids:
            return []
        tokens = self.query_tokens(query)
        if not tokens:
            return []
        scores = self._retriever.get_scores(tokens)  # type: ignore[attr-defined]
        mask = self._mask(tags, sources)
        if mask is not None:
            scores = scores * mask
        n = min(n, len(scores))
        top = np.argpartition(-scores, n - 1)[:n] if n < len(scores) else np.arange(len(scores))
        top = top[np.argsort(-scores[top])]
        return [(self.ids[i], float(scores[i])) for i in top if scores[i] > 0]
