"""hub/evaluation/corpus.py: the committed corpus is the generator's, holds no real-looking
data and covers every shape and category."""

from __future__ import annotations

import ipaddress
import json
import os

import pytest

# The evaluation sandbox kills process groups and sets resource limits: POSIX only (the
# runner refuses Windows with a message; docs/catalog/quality.md says so).
if os.name == "nt":
    pytest.skip("the evaluation runner needs POSIX (Linux or macOS)", allow_module_level=True)

from hub.evaluation import compliance, corpus


def test_committed_corpus_is_what_the_generator_writes():
    committed = json.loads(corpus.CORPUS_FILE.read_text(encoding="utf-8"))
    assert committed == json.loads(json.dumps(corpus.generate()))


def test_corpus_holds_no_real_looking_data():
    records = compliance.load_corpus()
    assert len(records) == len(corpus.CATEGORIES) * corpus.RECORDS_PER_CATEGORY
    documentation_nets = [
        ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")
    ]
    for record in records:
        for label in record["labels"]:
            if not label["sensitive"]:
                continue
            secret = label["secret"]
            if label["category"] == "email":
                assert secret.rsplit("@", 1)[1] in {"example.com", "example.org", "example.net"}
            elif label["category"] == "card_number":
                assert corpus.luhn_valid(secret)
                assert secret.replace(" ", "").replace("-", "") in corpus.TEST_CARDS
            elif label["category"] == "ip_address":
                assert any(ipaddress.ip_address(secret) in net for net in documentation_nets)
            elif label["category"] == "national_id":
                assert secret.startswith(("666-", "QQ "))
            elif label["category"] == "url_credentials":
                assert ".example." in compliance.lookup(
                    {"message": record["message"], "data": record["data"]}, label["path"]
                )


def test_corpus_covers_every_shape_and_category():
    records = compliance.load_corpus()
    assert {r["shape"] for r in records} == set(corpus.SHAPES)
    for category in corpus.CATEGORIES:
        shapes = {r["shape"] for r in records if r["id"].startswith(category + "-")}
        assert shapes == set(corpus.SHAPES), category
