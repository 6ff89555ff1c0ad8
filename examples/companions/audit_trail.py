"""An audit trail with fapilog-audit (sink `audit`), read back from the files it writes.

fapilog-audit is fapilog's author's companion package; it is not on PyPI:

    pip install fapilog==0.18.1 "fapilog-audit @ git+https://github.com/chris-haste/fapilog#subdirectory=packages/fapilog-audit"

The program checks a compliance policy with the package's own rules, sends events
through a fapilog 0.18.1 logger into the `audit` sink, and prints what the trail holds:
the fields of each record, which parts of the fapilog event were kept, the hash chain
that links the records, and what the package's chain verification says before and after
one record is edited. Everything is written to a temporary folder that is deleted at
the end; timestamps, ids, host names and hashes, which change on every run, are not
printed.

docs/guides/audit-trails.md includes this file; tests/test_examples_companions.py runs
it in a fresh virtual environment and compares its output with audit_trail.out.
"""

import asyncio
import hashlib
import json
import re
import tempfile
import warnings
from itertools import pairwise
from pathlib import Path

from fapilog import get_logger
from fapilog_audit import (
    AuditSink,
    AuditSinkConfig,
    AuditTrail,
    ComplianceLevel,
    CompliancePolicy,
    validate_compliance_policy,
)

WARNED: list[str] = []


def record_warning(message, category, filename, lineno, file=None, line=None):
    WARNED.append(f"{category.__name__}: {message}")


def read_trail(folder: Path) -> list[dict]:
    lines = [line for f in sorted(folder.glob("audit_*.jsonl")) for line in f.open()]
    return sorted(
        (json.loads(line) for line in lines), key=lambda r: r["sequence_number"]
    )


def write_trail(folder: Path, records: list[dict]) -> None:
    """Rewrite the trail as one file (the first), one JSON object per line."""
    first, *others = sorted(folder.glob("audit_*.jsonl"))
    for path in others:
        path.unlink()
    first.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def checksum(record: dict) -> str:
    """The record's SHA-256 as fapilog-audit computes it: canonical JSON without checksum."""
    body = {k: v for k, v in record.items() if k != "checksum"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def main() -> None:
    # 1. The compliance policy, checked with the package's rules (not legal advice).
    for level, retention in (("hipaa", 7), ("sox", 2555)):
        policy = CompliancePolicy(
            level=ComplianceLevel(level), retention_days=retention
        )
        issues = validate_compliance_policy(policy).issues
        print(f"policy {level}, retention_days={retention}:", end=" ")
        print([f"{i.field}: {i.message}" for i in issues] or "no issues")

    # The sink's own settings expose only some of the policy's fields. AuditSinkConfig:
    print("AuditSinkConfig fields:", list(AuditSinkConfig.__dataclass_fields__))

    warnings.simplefilter("always")
    warnings.showwarning = record_warning  # the sink starts in fapilog's worker thread

    with tempfile.TemporaryDirectory() as tmp:
        storage = Path(tmp) / "audit"
        sink = AuditSink(
            AuditSinkConfig(
                compliance_level="sox",
                storage_path=str(storage),
                retention_days=2555,
                encrypt_logs=True,
            )
        )
        # The logger gets the sink instance (not the name "audit" in core.sinks) so
        # that the program can stop it: fapilog 0.18.1 never calls a sink's stop(),
        # which is where AuditTrail writes the events still in its queue.
        log = get_logger("payments", sinks=[sink])
        log.error("export failed", metadata={"user_id": "u-17", "operation": "export"})
        log.info("invoice viewed", user_id="u-17", invoice="INV-1", contains_pii=True)
        log.warning("refund above limit", amount=950)
        log.info("invoice paid", invoice="INV-1")
        asyncio.run(log.stop_and_drain())
        asyncio.run(sink.stop())

        print("warnings when the sink started:")
        for warning in WARNED:
            print(" ", warning)

        names = {
            re.sub(r"\d{4}-\d{2}-\d{2}", "<date>", p.name) for p in storage.iterdir()
        }
        print("files:", sorted(names))
        trail = read_trail(storage)
        print("records:", len(trail))
        print("fields of a record:", sorted(trail[0]))
        for r in trail:
            print(
                f"  #{r['sequence_number']} {r['event_type']:<16} {r['log_level']:<8}"
                f" component={r['component']} message={r['message']!r}"
                f" user_id={r['user_id']} contains_pii={r['contains_pii']}"
                f" metadata={r['metadata']}"
            )
        print(
            "set by the trail itself:",
            {
                k: type(trail[0][k]).__name__
                for k in ("event_id", "timestamp", "hostname", "process_id")
            },
        )
        print(
            "compliance_level on every record:", {r["compliance_level"] for r in trail}
        )
        print("signature on any record:", any(r["signature"] for r in trail))
        raw = "".join(
            f.read_text(encoding="utf-8") for f in storage.glob("audit_*.jsonl")
        )
        print("message readable in the file without a key:", '"invoice viewed"' in raw)

        # 2. The hash chain: each record carries the checksum of the one before it.
        print("first record's previous_hash:", trail[0]["previous_hash"])
        print(
            "each previous_hash is the checksum before it:",
            all(b["previous_hash"] == a["checksum"] for a, b in pairwise(trail)),
        )
        print(
            "each checksum is SHA-256 of the record without it:",
            all(r["checksum"] == checksum(r) for r in trail),
        )
        reader = AuditTrail(CompliancePolicy(level=ComplianceLevel.SOX), storage)
        print(
            "verify_chain_from_storage:",
            asyncio.run(reader.verify_chain_from_storage()),
        )

        # 3. Someone edits the message of one record in place.
        [target] = [r for r in trail if r["message"] == "refund above limit"]
        print("editing record", target["sequence_number"], repr(target["message"]))
        for path in storage.glob("audit_*.jsonl"):
            text = path.read_text(encoding="utf-8")
            edited = text.replace('"refund above limit"', '"refund within limit"')
            path.write_text(edited, encoding="utf-8")
        print("after the edit:", asyncio.run(reader.verify_chain_from_storage()))

        # ...and someone who also recomputes that record's checksum.
        records = read_trail(storage)
        edited_record = records[target["sequence_number"] - 1]
        edited_record["checksum"] = checksum(edited_record)
        write_trail(storage, records)
        print(
            "after also recomputing its checksum:",
            asyncio.run(reader.verify_chain_from_storage()),
        )

        # ...and someone who rebuilds the rest of the chain: no key is involved.
        for before, record in pairwise(records):
            if record["sequence_number"] > target["sequence_number"]:
                record["previous_hash"] = before["checksum"]
                record["checksum"] = checksum(record)
        write_trail(storage, records)
        print(
            "after rebuilding the chain after it:",
            asyncio.run(reader.verify_chain_from_storage()),
        )


if __name__ == "__main__":
    main()
