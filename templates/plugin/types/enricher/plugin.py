from typing import Any

from pydantic import BaseModel, ConfigDict

from ._config import parse_config


class [[ class_name ]]Config(BaseModel):
    """Settings, from `enricher_config.extra["[[ plugin_name ]]"]` or keyword arguments."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    service: str = "unknown-service"
    environment: str = "development"


class [[ class_name ]]:
    """Add the service name and environment to every event's context."""

    name = "[[ plugin_name ]]"

    def __init__(
        self,
        *,
        config: [[ class_name ]]Config | dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        self.config = parse_config([[ class_name ]]Config, config, kwargs)

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def enrich(self, event: dict[str, Any]) -> dict[str, Any]:
        # Return only the new fields, grouped by semantic section; fapilog deep-merges
        # them into the event. Never mutate `event` itself.
        return {"context": {"service": self.config.service, "environment": self.config.environment}}

    async def health_check(self) -> bool:
        return True
