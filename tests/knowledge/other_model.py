"""A second, real embedding model for model-switch tests: the bundled one projected to 128 numbers."""

from __future__ import annotations

from pathlib import Path


def projected_model(folder: Path, dimension: int = 128) -> Path:
    """Save all-MiniLM-L6-v2 followed by a fixed random projection and normalisation."""
    import torch
    from sentence_transformers import SentenceTransformer, models

    from knowledge.embeddings import bundled_model_path

    base = SentenceTransformer(str(bundled_model_path()), device="cpu")
    torch.manual_seed(0)
    projection = models.Dense(
        in_features=384,
        out_features=dimension,
        bias=False,
        activation_function=torch.nn.Identity(),
    )
    model = SentenceTransformer(modules=[*base, projection, models.Normalize()], device="cpu")
    model.save(str(folder))
    return folder
