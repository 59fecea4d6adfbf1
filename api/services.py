"""What the routes use, built once per process from the settings (no other module-level state)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine, text

from api.conversations import ConversationStore
from api.database import open_engine
from api.documents import DocumentIds
from api.facilitation import Facilitation
from api.gateway import Gateway
from api.keys import KeyStore
from api.ratelimit import RateLimiter
from assistant.settings import Settings


@dataclass
class Services:
    settings: Settings
    engine: Engine
    keys: KeyStore
    conversations: ConversationStore
    documents: DocumentIds
    facilitation: Facilitation
    limiter: RateLimiter
    gateway: Gateway
    extra_origins: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def build(cls, settings: Settings, gateway: Gateway | None = None) -> Services:
        engine = open_engine(settings)
        return cls(
            settings=settings,
            engine=engine,
            keys=KeyStore(engine, settings.api_key_cache_s),
            conversations=ConversationStore(engine),
            documents=DocumentIds(engine),
            facilitation=Facilitation.build(settings),
            limiter=RateLimiter(settings.api_rate_limit, settings.api_rate_limit_storage),
            gateway=gateway or Gateway(settings),
            extra_origins=frozenset(o.lower() for o in settings.cors_origins),
        )

    def allowed_origins(self) -> frozenset[str]:
        return self.keys.origins() | self.extra_origins

    def check_database(self) -> None:
        """Raise StoreUnavailable (503) unless the database answers."""
        from sqlalchemy.exc import SQLAlchemyError

        from knowledge.errors import StoreUnavailable

        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except SQLAlchemyError as exc:
            raise StoreUnavailable(f"the database does not answer ({type(exc).__name__})") from exc
