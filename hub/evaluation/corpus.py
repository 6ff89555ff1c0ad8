"""Generate the synthetic PII and secrets corpus: `python -m hub.evaluation.corpus`.

Writes ``registry/compliance/corpus.json``. Seeded, so the same code writes the same bytes
(a test checks the committed file against a fresh generation). Nothing in it is real
personal data: e-mail domains and IP ranges are the ones reserved for documentation
(RFC 2606, RFC 5737, RFC 3849), card numbers are the card networks' published test
numbers, national identifiers use ranges that are never issued (US SSN area 666, UK
NINO prefix QQ), keys and tokens are random strings in public formats.

Each record is a log call (a message and its structured data) with labels: every label
names a path in the event, a category, whether the value there is sensitive, and for a
sensitive value the secret that must not survive redaction. Non-sensitive labels are
look-alikes (``email_verified``, ``token_type``, a URL without credentials) that a good
redactor leaves alone, and ordinary fields (``status``, ``path``) that none may touch.
"""

from __future__ import annotations

import json
import random
import string
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hub.project import ROOT

CORPUS_FILE = ROOT / "registry" / "compliance" / "corpus.json"
SEED = 20260101
RECORDS_PER_CATEGORY = 30

CATEGORIES = {
    "email": "e-mail addresses (RFC 2606 example domains)",
    "card_number": "payment card numbers (published Luhn-valid test numbers, plain, spaced or dashed)",
    "national_id": "national-id-like numbers (US SSN area 666, UK NINO prefix QQ: never issued)",
    "api_key": "API keys and tokens (random strings in Stripe-test, GitHub, AWS-key-id and JWT shapes)",
    "password": "passwords",
    "ip_address": "IP addresses (RFC 5737 and RFC 3849 documentation ranges)",
    "url_credentials": "URLs with user:password credentials",
}
SHAPES = ("flat", "nested", "list", "free_text", "header")

FIRST = ["alice", "bob", "chen", "dana", "emeka", "farah", "goran", "hana", "ivan", "julia"]
LAST = ["smith", "ng", "okafor", "silva", "kowalski", "haddad", "larsen", "moreau"]
TEST_CARDS = ["4111111111111111", "4242424242424242", "4012888888881881", "5555555555554444",
              "5105105105105100", "378282246310005", "371449635398431", "6011111111111117",
              "3530111333300000", "30569309025904"]  # fmt: skip


def luhn_valid(number: str) -> bool:
    digits = [int(d) for d in number if d.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return total % 10 == 0


class _Values:
    """Random but reproducible values of each category."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def _alnum(self, n: int, alphabet: str = string.ascii_letters + string.digits) -> str:
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def email(self) -> str:
        r = self.rng
        domain = r.choice(["example.com", "example.org", "example.net"])
        return f"{r.choice(FIRST)}.{r.choice(LAST)}{r.randint(1, 99)}@{domain}"

    def card_number(self) -> str:
        card = self.rng.choice(TEST_CARDS)
        style = self.rng.choice(["plain", "spaced", "dashed"])
        if style == "plain":
            return card
        sep = " " if style == "spaced" else "-"
        return sep.join(card[i : i + 4] for i in range(0, len(card), 4))

    def national_id(self) -> str:
        r = self.rng
        if r.random() < 0.5:
            return f"666-{r.randint(1, 99):02d}-{r.randint(1, 9999):04d}"
        return f"QQ {r.randint(10, 99)} {r.randint(10, 99)} {r.randint(10, 99)} {r.choice('ABCD')}"

    def api_key(self) -> str:
        kind = self.rng.choice(["stripe", "github", "aws", "jwt"])
        if kind == "stripe":
            return "sk_test_" + self._alnum(24)
        if kind == "github":
            return "ghp_" + self._alnum(36)
        if kind == "aws":
            return "AKIA" + self._alnum(16, string.ascii_uppercase + "234567")
        return "eyJhbGciOiJIUzI1NiJ9." + self._alnum(36) + "." + self._alnum(43)

    def password(self) -> str:
        words = ["correct", "horse", "battery", "staple", "violet", "summit", "ember", "quartz"]
        return f"{self.rng.choice(words).capitalize()}{self.rng.choice(words)}{self.rng.randint(10, 9999)}!"

    def ip_address(self) -> str:
        r = self.rng
        if r.random() < 0.8:
            return f"{r.choice(['192.0.2', '198.51.100', '203.0.113'])}.{r.randint(1, 254)}"
        return f"2001:db8::{r.randint(1, 0xFFFF):x}"

    def url_credentials(self) -> tuple[str, str]:
        r = self.rng
        password = self._alnum(12)
        user = r.choice(FIRST)
        url = r.choice(
            [
                f"https://{user}:{password}@api.example.com/v1/hooks",
                f"postgresql://{user}:{password}@db.example.net:5432/orders",
                f"redis://{user}:{password}@cache.example.org:6379/0",
                f"amqp://{user}:{password}@mq.example.com/vhost",
            ]
        )
        return url, password


# Key names a sensitive value is logged under (from obvious to obscure), per category.
KEYS = {
    "email": ["email", "user_email", "contact", "reply_to", "owner", "recipient"],
    "card_number": ["card_number", "pan", "cc", "payment_card", "credit_card", "card"],
    "national_id": ["ssn", "national_id", "nino", "tax_id", "gov_id", "identifier"],
    "api_key": ["api_key", "token", "access_token", "x_api_key", "secret", "client_secret"],
    "password": ["password", "passwd", "pwd", "pass", "user_password", "new_password"],
    "ip_address": ["ip", "client_ip", "remote_addr", "ip_address", "source", "peer"],
    "url_credentials": ["url", "callback", "database_url", "dsn", "broker", "endpoint"],
}
# Look-alike keys with values that are not sensitive, per category. None is one of the keys
# fapilog moves from data to context (request_id, user_id, tenant_id, trace_id, span_id):
# a moved field would be scored as changed although no redactor touched it.
LOOKALIKES: dict[str, list[tuple[str, Callable[[random.Random], Any]]]] = {
    "email": [
        ("email_verified", lambda r: r.random() < 0.5),
        ("email_count", lambda r: r.randint(0, 9)),
        ("email_template", lambda r: r.choice(["welcome-v2", "reset-v1"])),
    ],
    "card_number": [
        ("card_brand", lambda r: r.choice(["visa", "mastercard", "amex"])),
        ("order_number", lambda r: f"4000-{r.randint(1000, 9999)}-{r.randint(1000, 9999)}"),
        ("card_expiry_notice_days", lambda r: r.randint(7, 30)),
    ],
    "national_id": [
        ("customer_number", lambda r: r.randint(1000, 99999)),
        ("order_id", lambda r: f"ord_{r.randint(100000, 999999)}"),
        ("id_type", lambda r: r.choice(["passport", "driving_licence"])),
    ],
    "api_key": [
        ("token_type", lambda r: "Bearer"),
        ("token_expires_in", lambda r: r.choice([900, 3600])),
        ("api_version", lambda r: r.choice(["v1", "v2", "2026-01-01"])),
    ],
    "password": [
        ("password_changed_at", lambda r: f"2026-0{r.randint(1, 9)}-1{r.randint(0, 9)}"),
        ("password_policy", lambda r: "min-12-chars"),
        ("password_strength", lambda r: r.choice(["weak", "strong"])),
    ],
    "ip_address": [
        ("ip_version", lambda r: r.choice([4, 6])),
        ("app_version", lambda r: f"{r.randint(1, 9)}.{r.randint(0, 20)}.{r.randint(0, 9)}.{r.randint(0, 99)}"),
        ("ip_allowlist_enabled", lambda r: r.random() < 0.5),
    ],
    "url_credentials": [
        ("docs_url", lambda r: "https://example.com/docs/logging"),
        ("homepage", lambda r: "https://example.org/"),
        ("redirect_path", lambda r: "/login?next=/orders"),
    ],
}
UNRELATED: list[tuple[str, Callable[[random.Random], Any]]] = [
    ("status", lambda r: r.choice([200, 201, 400, 404, 500])),
    ("path", lambda r: r.choice(["/orders", "/users/me", "/health", "/checkout"])),
    ("duration_ms", lambda r: round(r.uniform(0.5, 900.0), 2)),
    ("region", lambda r: r.choice(["eu-west-1", "us-east-2", "ap-south-1"])),
    ("retries", lambda r: r.randint(0, 3)),
]
MESSAGES = {
    "email": "password reset link sent to {v}",
    "card_number": "charge declined for card {v}",
    "national_id": "identity check submitted with id {v}",
    "api_key": "request authenticated with key {v}",
    "password": "login attempt with password {v} rejected",
    "ip_address": "connection accepted from {v}",
    "url_credentials": "connecting to {v}",
}


def _place(data: dict[str, Any], path: list[Any], value: Any) -> None:
    node: Any = data
    for i, step in enumerate(path[:-1]):
        nxt = path[i + 1]
        if isinstance(step, int):
            while len(node) <= step:
                node.append({} if not isinstance(nxt, int) else [])
            node = node[step]
        else:
            node = node.setdefault(step, [] if isinstance(nxt, int) else {})
    node[path[-1]] = value


def record(rng: random.Random, values: _Values, category: str, number: int) -> dict[str, Any]:
    shape = SHAPES[number % len(SHAPES)]
    key = KEYS[category][number % len(KEYS[category])]
    if category == "url_credentials":
        value, secret = values.url_credentials()
    else:
        value = getattr(values, category)()
        secret = value
    data: dict[str, Any] = {}
    labels = []
    message = rng.choice(["request handled", "event processed", "job finished"])
    if shape == "flat":
        path = [key]
    elif shape == "nested":
        path = [rng.choice(["user", "customer", "account"]), rng.choice(["profile", "details"]), key]
    elif shape == "list":
        path = [rng.choice(["items", "recipients", "attempts"]), rng.randint(0, 2), key]
    elif shape == "header":
        path = [
            "headers",
            {"api_key": "Authorization", "password": "X-Password"}.get(category, "X-" + key.replace("_", "-").title()),
        ]
        if category == "api_key":
            value = f"Bearer {value}"
    else:  # free_text: the secret sits inside the message, under no telling key
        path = None
        message = MESSAGES[category].format(v=value)
    if path is not None:
        _place(data, path, value)
        labels.append({"path": ["data", *path], "category": category, "sensitive": True, "secret": secret})
    else:
        labels.append({"path": ["message"], "category": category, "sensitive": True, "secret": secret})
    look_key, make = LOOKALIKES[category][number % len(LOOKALIKES[category])]
    look_path = [look_key] if shape != "nested" else [*path[:-1], look_key]
    _place(data, look_path, make(rng))
    labels.append({"path": ["data", *look_path], "category": category, "sensitive": False})
    plain_key, make_plain = UNRELATED[number % len(UNRELATED)]
    _place(data, [plain_key], make_plain(rng))
    labels.append({"path": ["data", plain_key], "category": "unrelated", "sensitive": False})
    return {"id": f"{category}-{number:03d}", "shape": shape, "message": message, "data": data, "labels": labels}


def generate(seed: int = SEED, per_category: int = RECORDS_PER_CATEGORY) -> dict[str, Any]:
    rng = random.Random(seed)
    values = _Values(rng)
    records = [record(rng, values, category, n) for category in CATEGORIES for n in range(per_category)]
    for r in records:
        for label in r["labels"]:
            if label["category"] == "card_number" and label["sensitive"]:
                assert luhn_valid(label["secret"]), label
    return {
        "about": "Synthetic PII and secrets corpus for redactor scorecards; generated by "
        "`python -m hub.evaluation.corpus` (seeded). No real personal data: see the module docstring.",
        "seed": seed,
        "categories": CATEGORIES,
        "shapes": list(SHAPES),
        "records": records,
    }


def statistics(path: Path = CORPUS_FILE) -> dict[str, Any]:
    """What the quality page says about the committed corpus: labels per category (sensitive
    or not), records per shape, the record count and the seed."""
    data = json.loads(path.read_text(encoding="utf-8"))
    counts: dict[str, Counter] = {c: Counter() for c in [*CATEGORIES, "unrelated"]}
    for item in data["records"]:
        for label in item["labels"]:
            counts[label["category"]]["sensitive" if label["sensitive"] else "other"] += 1
    return {
        "counts": counts,
        "shapes": Counter(r["shape"] for r in data["records"]),
        "records": len(data["records"]),
        "seed": data["seed"],
    }


def write(path: Path = CORPUS_FILE) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(generate(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    print(write())
