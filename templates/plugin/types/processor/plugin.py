import json
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ConfigDict

from ._config import parse_config


class [[ class_name ]]Config(BaseModel):
    """Settings, from `processor_config.extra["[[ plugin_name ]]"]` or keyword arguments."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    topic: str = "logs"


class [[ class_name ]]:
    """Wrap each serialized record in an envelope naming its topic: {"topic": ..., "record": ...}.

    Processors see bytes, not dictionaries: fapilog runs them only when events are
    serialized before the sink (`core.serialize_in_flush=True`) and the sink has a
    `write_serialized` method.
    """

    name = "[[ plugin_name ]]"

    def __init__(
        self,
        *,
        config: [[ class_name ]]Config | dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        self.config = parse_config([[ class_name ]]Config, config, kwargs)
        self._head = b'{"topic":' + json.dumps(self.config.topic).encode("utf-8") + b',"record":'

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def process(self, view: memoryview) -> memoryview:
        # Bytes in, bytes out, without parsing: the record is already valid JSON.
        record = bytes(view).rstrip(b"\n")
        return memoryview(self._head + record + b"}")

    async def process_many(self, views: Iterable[memoryview]) -> list[memoryview]:
        return [await self.process(view) for view in views]

    async def health_check(self) -> bool:
        return True
