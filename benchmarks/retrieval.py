"""Retrieval quality on the gold questions: does the right bundled document come back?

For every question in benchmarks/data/gold.jsonl ({"question", "doc", "fact"}) the expected
source is "bundled:<doc>"; a hit at rank r means the r-th result comes from that source. We
report hit@1 and hit@5 (from a k=5 search, as the assistant runs it) and MRR over the top 10
(from a k=10 search) for dense-only, BM25-only and hybrid (RRF, the default) search, hybrid
search with other fusion weights, and the baseline: a textbook LangChain pipeline over the
same Markdown files (RecursiveCharacterTextSplitter 1000/200, the same embedding model,
langchain_chroma similarity_search). Target: hybrid hit@5 >= 0.90 and
ahead of the textbook pipeline (higher hit@5, or equal hit@5 and higher MRR).

Everything runs offline in temporary directories. Run it with:

    .venv/bin/python benchmarks/retrieval.py [--gold PATH] [--weights 1:0.5,0.5:1]

It prints tables, the questions hybrid search misses at 5, and ends with one JSON line.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from _common import (
    GOLD_PATH,
    GoldItem,
    corpus_body,
    corpus_files,
    emit_json,
    load_gold,
    print_table,
    ratio,
    temp_kb,
    timed,
    verdict,
    warm_embedder,
)
from langchain_core.embeddings import Embeddings

from knowledge import BUNDLED_PREFIX, Embedder, KnowledgeBase
from knowledge.context import expand_context
from knowledge.retrieval import HybridRetriever

TOP = 10  # MRR is over the top 10 of a k=10 search
HITS = 5  # hit@1 and hit@5 come from a k=5 search, as the assistant asks for
TARGET_HIT5 = 0.90

# A search function returns the sources of its top k results, best first.
Search = Callable[[str, int], list[str]]


class CachedQueryEmbedder(Embedder):
    """Embeds each distinct query once, so every configuration sees the very same query vector."""

    def __init__(self) -> None:
        super().__init__()
        self._queries: dict[str, np.ndarray] = {}

    def embed_query(self, text: str) -> np.ndarray:
        if text not in self._queries:
            self._queries[text] = super().embed_query(text)
        return self._queries[text]


class LangChainEmbeddings(Embeddings):
    """Our embedder behind LangChain's Embeddings interface (same model, same normalisation)."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.embed_documents(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed_query(text).tolist()


@dataclass(frozen=True)
class Scores:
    hit1: float
    hit5: float
    mrr: float

    def as_dict(self) -> dict[str, float]:
        return {"hit1": round(self.hit1, 4), "hit5": round(self.hit5, 4), "mrr": round(self.mrr, 4)}


def first_hit(sources: Sequence[str], expected: str) -> int | None:
    """1-based rank of the first result from the expected source, or None."""
    for rank, source in enumerate(sources, start=1):
        if source == expected:
            return rank
    return None


def evaluate(search: Search, gold: Sequence[GoldItem]) -> tuple[Scores, list[list[str]]]:
    """Scores over the gold set, and each question's top-5 sources (for the miss list).

    Hybrid search fuses candidate pools sized by k, so its top 5 can differ between k=5 and
    k=10: hits are read from a k=5 search (what the assistant runs), MRR from a k=10 search.
    """
    tops = [search(item.question, HITS) for item in gold]
    short_ranks = [first_hit(top, item.source) for top, item in zip(tops, gold, strict=True)]
    long_ranks = [first_hit(search(item.question, TOP), item.source) for item in gold]
    n = len(gold)
    scores = Scores(
        hit1=sum(r == 1 for r in short_ranks) / n,
        hit5=sum(r is not None for r in short_ranks) / n,
        mrr=sum(1.0 / r for r in long_ranks if r is not None) / n,
    )
    return scores, tops


def kb_search(kb: KnowledgeBase, mode: str, weights: tuple[float, float] | None = None) -> Search:
    retriever = kb.retriever
    if weights is not None:
        retriever = HybridRetriever(kb.stores, dense_weight=weights[0], bm25_weight=weights[1])

    def search(question: str, k: int) -> list[str]:
        return [e.source for e in retriever.search(question, k, mode=mode)]  # type: ignore[arg-type]

    return search


def build_textbook(embedder: Embedder, persist_dir: Path) -> tuple[Search, int]:
    """The textbook LangChain pipeline over the bundled corpus; returns (search, chunk count)."""
    import chromadb.config
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    documents = [
        Document(
            page_content=corpus_body(path), metadata={"source": f"{BUNDLED_PREFIX}{path.name}"}
        )
        for path in corpus_files()
    ]
    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
    chunks = splitter.split_documents(documents)
    store = Chroma(
        collection_name="textbook",
        embedding_function=LangChainEmbeddings(embedder),
        persist_directory=str(persist_dir),
        client_settings=chromadb.config.Settings(anonymized_telemetry=False),
    )
    store.add_documents(chunks)

    def search(question: str, k: int) -> list[str]:
        return [d.metadata["source"] for d in store.similarity_search(question, k=k)]

    def texts(question: str, k: int) -> list[str]:
        return [d.page_content for d in store.similarity_search(question, k=k)]

    search.texts = texts  # type: ignore[attr-defined]
    return search, len(chunks)


def parse_weights(text: str) -> list[tuple[float, float]]:
    """Parse "1:0.5,0.5:1" into [(1.0, 0.5), (0.5, 1.0)]: (dense weight, BM25 weight) pairs."""
    pairs: list[tuple[float, float]] = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        dense, bm25 = part.split(":")
        pairs.append((float(dense), float(bm25)))
    return pairs


def ahead(ours: Scores, theirs: Scores) -> bool:
    return (ours.hit5, ours.mrr) > (theirs.hit5, theirs.mrr)


def short(source: str) -> str:
    return source.removeprefix(BUNDLED_PREFIX)


def print_misses(gold: Sequence[GoldItem], results: Sequence[list[str]]) -> None:
    rows = [
        (item.question, item.doc, ", ".join(short(s) for s in sources[:3]) or "(none)")
        for item, sources in zip(gold, results, strict=True)
        if item.source not in sources
    ]
    if rows:
        print_table(
            f"Hybrid misses at 5 ({len(rows)})", ["question", "expected doc", "top-3 sources"], rows
        )
    else:
        print("\nHybrid misses at 5: none")


# -- small-to-big on users' own short web pages ---------------------------------------------

_PAGE = """<!doctype html><html><head><title>{title}</title></head><body>
<header><nav><a href="/">Home</a> | <a href="/news">News</a> | <a href="/hub">Improvement hub</a>
</nav></header><main><h1>{title}</h1>{body}</main>
<footer><p>Anytown NHS Trust intranet. Page owner: communications team.</p></footer></body></html>"""


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def write_user_pages(folder: Path) -> list[tuple[str, str]]:
    """Short intranet and news pages built from public facts; returns (question, fact) pairs."""
    import html
    import json

    data = json.loads((GOLD_PATH.parent / "user_pages.json").read_text(encoding="utf-8"))
    for page in data["pages"]:
        body = "".join(
            f"<h2>{html.escape(h)}</h2>" + "".join(f"<p>{html.escape(p)}</p>" for p in paras)
            for h, paras in page["sections"]
        )
        text = _PAGE.format(title=html.escape(page["title"]), body=body)
        (folder / page["file"]).write_text(text, encoding="utf-8")
    return [(q, f) for q, f in data["questions"]]


def top1_fact(search: Callable[[str], str], pairs: Sequence[tuple[str, str]]) -> float:
    return sum(_norm(fact) in _norm(search(q)) for q, fact in pairs) / len(pairs)


def textbook_pages(embedder: Embedder, folder: Path, persist: Path) -> Callable[[str], str]:
    """The textbook pipeline on the same pages: page text, 1000/200 splits, Chroma top 1."""
    import chromadb.config
    from bs4 import BeautifulSoup
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    docs = [
        Document(page_content=BeautifulSoup(p.read_text(encoding="utf-8"), "lxml").get_text("\n"))
        for p in sorted(folder.glob("*.html"))
    ]
    chunks = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_documents(
        docs
    )
    store = Chroma(
        collection_name="pages",
        embedding_function=LangChainEmbeddings(embedder),
        persist_directory=str(persist),
        client_settings=chromadb.config.Settings(anonymized_telemetry=False),
    )
    store.add_documents(chunks)
    return lambda q: store.similarity_search(q, k=1)[0].page_content


def small_to_big(
    embedder: Embedder, gold: Sequence[GoldItem], textbook: Search
) -> dict[str, dict[str, float]]:
    """Fact in the top-1 passage: ours, ours with small-to-big context, textbook; two corpora."""
    out: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="impact-pages-") as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        pairs = write_user_pages(folder)
        with temp_kb(embedder) as kb:
            assert not kb.ingest([folder]).failed

            def ours(q: str) -> str:
                return kb.search(q, 5)[0].text

            def bigger(q: str) -> str:
                return expand_context(kb.catalog, kb.search(q, 5)[:1])[0].text

            out["user pages"] = {
                "ours": top1_fact(ours, pairs),
                "ours + small-to-big": top1_fact(bigger, pairs),
                "textbook": top1_fact(textbook_pages(embedder, folder, Path(tmp) / "tb"), pairs),
            }
    pack_pairs = [(g.question, g.fact) for g in gold]
    with temp_kb(embedder) as kb:
        kb.ingest_bundled()
        out["bundled pack"] = {
            "ours": top1_fact(lambda q: kb.search(q, 5)[0].text, pack_pairs),
            "ours + small-to-big": top1_fact(
                lambda q: expand_context(kb.catalog, kb.search(q, 5)[:1])[0].text, pack_pairs
            ),
            "textbook": top1_fact(lambda q: textbook(q, 1)[0], pack_pairs),
        }
    return out


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--gold", type=Path, default=GOLD_PATH, help="gold questions (JSONL)")
    parser.add_argument(
        "--weights",
        default="1:0.5,0.5:1,1:0.25",
        help="extra hybrid weightings to compare, as dense:bm25 pairs separated by commas",
    )
    parser.add_argument("--limit", type=int, default=0, help="use only the first N questions")
    args = parser.parse_args(argv)

    gold = load_gold(args.gold)
    if args.limit:
        gold = gold[: args.limit]
    embedder = warm_embedder(CachedQueryEmbedder())
    print(f"{len(gold)} gold questions from {args.gold}")

    with temp_kb(embedder) as kb, tempfile.TemporaryDirectory(prefix="impact-textbook-") as tb:
        ours_s, _ = timed(kb.ingest_bundled)
        textbook_s, (textbook, textbook_chunks) = timed(lambda: build_textbook(embedder, Path(tb)))
        configs: dict[str, Search] = {
            "dense": kb_search(kb, "dense"),
            "bm25": kb_search(kb, "bm25"),
            "hybrid": kb_search(kb, "hybrid"),
        }
        for dense_w, bm25_w in parse_weights(args.weights):
            configs[f"hybrid_d{dense_w:g}_b{bm25_w:g}"] = kb_search(kb, "hybrid", (dense_w, bm25_w))
        configs["textbook"] = textbook
        scores: dict[str, Scores] = {}
        results: dict[str, list[list[str]]] = {}
        for name, search in configs.items():
            scores[name], results[name] = evaluate(search, gold)
        chunks = kb.stats()["chunks"]
        stb = small_to_big(embedder, gold, textbook.texts)  # type: ignore[attr-defined]

    print_table(
        "Index builds (same embedding model)",
        ["pipeline", "chunks", "build s"],
        [
            ("ours (ingest_bundled)", chunks, ours_s),
            ("textbook LangChain", textbook_chunks, textbook_s),
        ],
    )
    base = scores["textbook"]
    print_table(
        f"Retrieval quality over {len(gold)} questions (ratio = value / textbook)",
        ["configuration", "hit@1", "hit@5", "MRR@10", "hit@5 ratio", "MRR ratio"],
        [
            (name, s.hit1, s.hit5, s.mrr, ratio(s.hit5, base.hit5), ratio(s.mrr, base.mrr))
            for name, s in scores.items()
        ],
    )
    hybrid = scores["hybrid"]
    pass_target = hybrid.hit5 >= TARGET_HIT5
    pass_textbook = ahead(hybrid, base)
    best = max(scores, key=lambda name: (scores[name].hit5, scores[name].mrr))
    print(f"\nhybrid hit@5 {hybrid.hit5:.3f} >= {TARGET_HIT5}: {verdict(pass_target)}")
    print(
        f"hybrid ahead of textbook (hit@5 {hybrid.hit5:.3f} vs {base.hit5:.3f}, "
        f"MRR {hybrid.mrr:.3f} vs {base.mrr:.3f}): {verdict(pass_textbook)}"
    )
    print(f"best configuration by (hit@5, MRR): {best}")
    print_misses(gold, results["hybrid"])
    print_table(
        "Fact in the top-1 passage (small chunks vs small-to-big context vs textbook 1000/200)",
        ["corpus", *stb["user pages"]],
        [(corpus, *(round(v, 3) for v in row.values())) for corpus, row in stb.items()],
    )

    figures: dict[str, object] = {"benchmark": "retrieval", "questions": len(gold)}
    figures.update({name: s.as_dict() for name, s in scores.items() if name != "textbook"})
    figures.update(
        {
            "textbook": base.as_dict(),
            "chunks": {"ours": chunks, "textbook": textbook_chunks},
            "hybrid_vs_textbook_hit5": ratio(hybrid.hit5, base.hit5),
            "target_hit5": TARGET_HIT5,
            "pass_hit5": pass_target,
            "pass_vs_textbook": pass_textbook,
            "pass": pass_target and pass_textbook,
            "fact_in_top1": {c: {k: round(v, 3) for k, v in r.items()} for c, r in stb.items()},
        }
    )
    emit_json(figures)


if __name__ == "__main__":
    main()
