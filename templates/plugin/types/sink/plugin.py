import asyncio
import json
import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from ._config import parse_config


class [[ class_name ]]Config(BaseModel):
    """Settings, from `sink_config.extra["[[ plugin_name ]]"]` or keyword arguments."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    path: str = "[[ plugin_name ]].jsonl"


class [[ class_name ]]:
    """Append each event to a file as one JSON line."""

    name = "[[ plugin_name ]]"

    def __init__(
        self,
        *,
        config: [[ class_name ]]Config | dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        self.config = parse_config([[ class_name ]]Config, config, kwargs)
        self._path = Path(self.config.path)
        self._lock = asyncio.Lock()

    async def start(self) -> None:
        # File-system calls block: run them in a thread, never on the event loop.
        await asyncio.to_thread(self._path.parent.mkdir, parents=True, exist_ok=True)

    async def stop(self) -> None:
        return None  # every write opens and closes the file: nothing to release

    async def write(self, entry: dict[str, Any]) -> bool:
        line = json.dumps(entry, default=str, separators=(",", ":")) + "\n"
        return await self._append(line.encode("utf-8"))

    async def write_serialized(self, view: Any) -> bool:
        """Fast path when fapilog already serialized the event (core.serialize_in_flush)."""
        data = bytes(view)
        return await self._append(data if data.endswith(b"\n") else data + b"\n")

    async def health_check(self) -> bool:
        return await asyncio.to_thread(os.access, self._path.parent, os.W_OK)

    async def _append(self, data: bytes) -> bool:
        async with self._lock:  # one writer at a time keeps lines whole
            try:
                await asyncio.to_thread(self._append_blocking, data)
            except OSError:
                # False tells fapilog the write failed (it counts it and uses its
                # fallback); raising would be contained too, but False is the contract.
                return False
        return True

    def _append_blocking(self, data: bytes) -> None:
        with self._path.open("ab") as file:
            file.write(data)
