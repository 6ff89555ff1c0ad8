from typing import Any

from pydantic import BaseModel, ConfigDict

from ._config import parse_config


class [[ class_name ]]Config(BaseModel):
    """Settings, from `redactor_config.extra["[[ plugin_name ]]"]` or keyword arguments."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    fields: list[str] = ["password", "token", "api_key"]
    mask: str = "***"


class [[ class_name ]]:
    """Mask the value of every field whose name is listed, at any depth of the event."""

    name = "[[ plugin_name ]]"

    def __init__(
        self,
        *,
        config: [[ class_name ]]Config | dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        self.config = parse_config([[ class_name ]]Config, config, kwargs)
        self._fields = {field.lower() for field in self.config.fields}

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def redact(self, event: dict[str, Any]) -> dict[str, Any]:
        # Return a redacted copy; the input may be shared with other plugins.
        return {key: self._redact_field(key, value) for key, value in event.items()}

    async def health_check(self) -> bool:
        return True

    def _redact(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {key: self._redact_field(key, item) for key, item in value.items()}
        if isinstance(value, list):
            return [self._redact(item) for item in value]
        return value

    def _redact_field(self, key: Any, value: Any) -> Any:
        return self.config.mask if str(key).lower() in self._fields else self._redact(value)
