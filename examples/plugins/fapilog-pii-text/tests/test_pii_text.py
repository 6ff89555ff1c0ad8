"""The free-text PII redactor on its own and inside a real fapilog logger."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import textwrap

import pytest
from fapilog.plugins.loader import load_plugin
from fapilog.plugins.metadata import PluginMetadata
from fapilog.testing import validate_plugin_lifecycle, validate_redactor
from fapilog_pii_text import PLUGIN_METADATA, PiiTextRedactor, mask_text

ALL = ("email", "iban", "card", "ipv4")


def redact(event, **config):
    redactor = PiiTextRedactor(**config)
    return asyncio.run(redactor.redact(event)), redactor.last_redacted_count


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("refund failed for alice.o'neil@example.co.uk", "refund failed for [EMAIL]"),
        ("contact: bob+tag@mail.example.com.", "contact: [EMAIL]."),
        ("card 4111 1111 1111 1111 declined", "card [CARD] declined"),
        ("card 4111-1111-1111-1111", "card [CARD]"),
        ("pan=4111111111111111;", "pan=[CARD];"),
        ("amex 3782 822463 10005 ok", "amex [CARD] ok"),
        ("pay to DE89 3704 0044 0532 0130 00 today", "pay to [IBAN] today"),
        ("iban GB82WEST12345698765432", "iban [IBAN]"),
        ("from 192.168.10.254, then 8.8.8.8.", "from [IPV4], then [IPV4]."),
    ],
)
def test_recognised_items_are_masked(text, expected):
    assert mask_text(text, ALL, "[{category}]")[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "order 4111 1111 1111 1112 shipped",  # fails the Luhn check
        "batch 1234567890123",  # 13 digits, not Luhn-valid
        "pay to DE89 3704 0044 0532 0130 01",  # fails mod-97
        "version 1.2.3 and 256.1.1.1",  # not an address / octet out of range
        "at 2026-11-26T16:03:02.476Z",
        "id 5aeab28e-5fe4-42b1-bcbc-a0bf37774df3",
        "no at sign here: example.com",
    ],
)
def test_lookalikes_are_left_alone(text):
    assert mask_text(text, ALL, "[{category}]") == (text, 0)


def test_nested_values_lists_and_the_message_are_scanned_and_counted():
    event = {
        "message": "mail alice@example.com",
        "level": "INFO",
        "data": {"notes": ["card 4111111111111111", {"ip": "10.0.0.1"}], "n": 4111111111111111, "ok": True},
    }
    redacted, count = redact(event)
    assert redacted == {
        "message": "mail [EMAIL]",
        "level": "INFO",
        "data": {"notes": ["card [CARD]", {"ip": "[IPV4]"}], "n": 4111111111111111, "ok": True},
    }
    assert count == 3
    assert event["message"] == "mail alice@example.com"  # the input is not mutated


def test_categories_and_replacement_are_configurable():
    redacted, _ = redact({"m": "a@b.io at 10.0.0.1"}, categories=["ipv4"], replacement="<{category}>")
    assert redacted == {"m": "a@b.io at <IPV4>"}


def test_too_deep_values_are_masked_not_passed_through():
    redacted, count = redact({"a": {"b": {"c": "x@y.io"}}}, max_depth=2)
    assert redacted == {"a": {"b": "[UNSCANNED]"}}
    assert count == 1


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"categories": ["ssn"]}, "subset"),
        ({"categories": []}, "subset"),
        ({"replacement": "{x}"}, "category"),
        ({"max_depth": 0}, "max_depth"),
    ],
)
def test_bad_configuration_is_refused(config, message):
    with pytest.raises(ValueError, match=message):
        PiiTextRedactor(**config)


def test_metadata_is_valid_for_fapilog():
    meta = PluginMetadata.model_validate(PLUGIN_METADATA)
    assert (meta.plugin_type, meta.name) == ("redactor", "pii_text")
    PiiTextRedactor(**meta.default_config)  # the advertised defaults are accepted


def test_fapilog_validators_accept_the_redactor():
    redactor = load_plugin("fapilog.redactors", "pii_text")  # through the entry point
    assert isinstance(redactor, PiiTextRedactor)
    assert validate_redactor(redactor).valid
    assert asyncio.run(validate_plugin_lifecycle(redactor)).valid


def test_a_logger_masks_free_text_end_to_end(tmp_path):
    # A fresh interpreter, as an application would run it; stdout carries the JSON lines.
    program = textwrap.dedent(
        """
        from fapilog import Settings, runtime
        settings = Settings(
            core={"redactors": ["pii_text"]},
            plugins={"allow_external": True},
        )
        with runtime(settings=settings) as log:
            log.warning("refund failed for alice@example.com", card="4111 1111 1111 1111")
        """
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout.splitlines()[-1])["log"]
    assert record["message"] == "refund failed for [EMAIL]"
    assert record["data"]["card"] == "[CARD]"
