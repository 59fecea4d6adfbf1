"""A per-key rate limit on the maintained `limits` library (moving window)."""

from __future__ import annotations

import math
import time

from api.errors import RateLimited
from assistant.errors import ConfigurationError


class RateLimiter:
    """`rate` such as "60/minute" or "10/second;300/hour"; `storage_uri` memory:// or redis://."""

    def __init__(self, rate: str, storage_uri: str = "memory://") -> None:
        from limits import parse_many, storage, strategies

        try:
            self.items = parse_many(rate)
            self._storage = storage.storage_from_string(storage_uri)
        except (ValueError, Exception) as exc:
            raise ConfigurationError(
                f"IMPACT_API_RATE_LIMIT / IMPACT_API_RATE_LIMIT_STORAGE cannot be used: {exc}"
            ) from exc
        self._strategy = strategies.MovingWindowRateLimiter(self._storage)
        self.rate = rate

    def hit(self, key_id: str) -> None:
        """Count one request for `key_id`, or raise RateLimited with the seconds to wait."""
        for item in self.items:
            if not self._strategy.test(item, "key", key_id):
                reset = self._strategy.get_window_stats(item, "key", key_id).reset_time
                wait = max(1.0, reset - time.time())
                raise RateLimited(
                    f"this key is over its rate limit ({item}); retry after {math.ceil(wait)} s",
                    wait,
                )
        for item in self.items:
            self._strategy.hit(item, "key", key_id)
