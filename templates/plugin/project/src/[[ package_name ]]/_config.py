"""Plugin settings: one validated, immutable model per plugin instance."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel

Model = TypeVar("Model", bound=BaseModel)


def parse_config(model: type[Model], config: Model | Mapping[str, Any] | None, overrides: Mapping[str, Any]) -> Model:
    """Accept what fapilog passes: `config=` (a model or a mapping) and/or keyword arguments.

    fapilog calls `PluginClass(**settings)` with the mapping from `*_config.extra[name]`;
    invalid settings fail here, at startup, with pydantic's message naming the field.
    """
    if isinstance(config, model) and not overrides:
        return config
    base = config.model_dump() if isinstance(config, BaseModel) else dict(config or {})
    return model.model_validate({**base, **overrides})
