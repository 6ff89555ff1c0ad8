"""How a plugin author runs the hub's conformance suite in their own pytest run.

`pip install fapilog-hub-conformance` (see its README), then write tests like these.
"""

import copy

import pytest
from fapilog_hub_conformance import ConformanceError, assert_conforms


class PasswordRedactor:
    """The plugin under test: masks `password` fields at any depth."""

    name = "password_redactor"

    async def start(self):
        return None

    async def stop(self):
        return None

    async def health_check(self):
        return True

    async def redact(self, event):
        def mask(value):
            if isinstance(value, dict):
                return {k: "***" if k == "password" else mask(v) for k, v in value.items()}
            if isinstance(value, list):
                return [mask(v) for v in value]
            return value

        return mask(copy.deepcopy(event))


def test_password_redactor_conforms():
    results = assert_conforms("redactor", PasswordRedactor)
    # Advisory checks are reported too; this plugin passes them all.
    assert all(r.outcome == "passed" for r in results)


class LeakyRedactor(PasswordRedactor):
    """A broken variant: it adds a field to every event, even an unrelated one."""

    async def redact(self, event):
        return {**event, "redacted_by": self.name}


def test_a_broken_redactor_is_caught():
    with pytest.raises(ConformanceError, match="redactor.unrelated_fields_untouched"):
        assert_conforms("redactor", LeakyRedactor)
