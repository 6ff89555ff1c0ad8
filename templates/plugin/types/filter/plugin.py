from typing import Any

from pydantic import BaseModel, ConfigDict

from ._config import parse_config


class [[ class_name ]]Config(BaseModel):
    """Settings, from `filter_config.extra["[[ plugin_name ]]"]` or keyword arguments."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    drop_prefixes: list[str] = ["healthcheck"]


class [[ class_name ]]:
    """Drop events whose message starts with one of the configured prefixes."""

    name = "[[ plugin_name ]]"

    def __init__(
        self,
        *,
        config: [[ class_name ]]Config | dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        self.config = parse_config([[ class_name ]]Config, config, kwargs)
        self._prefixes = tuple(self.config.drop_prefixes)

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def filter(self, event: dict[str, Any]) -> dict[str, Any] | None:
        # None drops the event; returning it (or a new mapping) keeps it.
        message = str(event.get("message", ""))
        return None if self._prefixes and message.startswith(self._prefixes) else event

    async def health_check(self) -> bool:
        return True
