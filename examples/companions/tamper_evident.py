"""Tamper-evident logs with fapilog-tamper: sign and chain, seal, verify, tamper, verify again.

fapilog-tamper is fapilog's author's companion package; it is not on PyPI:

    pip install fapilog==0.18.1 "fapilog-tamper @ git+https://github.com/chris-haste/fapilog#subdirectory=packages/fapilog-tamper"

The `integrity` enricher adds an `integrity` field to every event: a sequence number,
an HMAC-SHA256 of the event under a secret key, and a hash that chains it to the event
before. The `sealed` sink wraps another sink and, when it is stopped, writes a manifest
(record count, the last chain hash, an HMAC signature). `fapilog-tamper verify` and the
`Verifier` class check a file against the key.

The program first puts the sealed sink around fapilog 0.18.1's own file sink, configured
by name: under `sink_config.sealed` the file sink never starts and fapilog writes the
events to stderr; under `sink_config.extra` the file is written without the `integrity`
field (the file sink writes only the fields of its v1.1 envelope). Then it wraps a plain
JSON-lines sink instead, verifies the file, edits one record and deletes another, and
verifies again.
The key is random and every file is in a temporary folder deleted at the end; MACs and
hashes, which change with the key, are not printed.

docs/guides/audit-trails.md includes this file; tests/test_examples_companions.py runs
it in a fresh virtual environment and compares its output with tamper_evident.out.
"""

import asyncio
import base64
import json
import os
import secrets
import subprocess
import sys
import sysconfig
import tempfile
from contextlib import contextmanager
from itertools import pairwise
from pathlib import Path

from fapilog import Settings, get_logger
from fapilog.core.settings import SealedSinkSettings
from fapilog.plugins.sinks.rotating_file import RotatingFileSinkConfig
from fapilog_tamper import FileKeyStore, SealedSink, TamperConfig, Verifier

KEY_ID = "audit-2026"
# The variable fapilog-tamper's default key provider (key_provider "env") reads.
KEY_VARIABLE = TamperConfig().key_env_var
# The fapilog-tamper command, installed beside this interpreter.
CLI = Path(sysconfig.get_path("scripts")) / (
    "fapilog-tamper" + (".exe" if os.name == "nt" else "")
)


class JsonLinesFile:
    """A sink that writes each event as it is, one JSON object per line."""

    name = "jsonl_file"

    def __init__(self, path: Path) -> None:
        self.path = path  # the sealed sink names its manifest after this attribute

    async def write(self, entry: dict) -> None:
        with self.path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(entry, separators=(",", ":")) + "\n")


def settings(chain: Path) -> Settings:
    """The integrity enricher, by name; its key comes from the environment (KEY_VARIABLE)."""
    return Settings(
        plugins={"allowlist": ["integrity", "sealed"]},
        core={"enrichers": ["integrity"]},
        enricher_config={
            "integrity": {"key_id": KEY_ID, "chain_state_path": str(chain)}
        },
    )


@contextmanager
def stderr_to(path: Path):
    """Send this process's stderr (file descriptor 2) to a file for a while."""
    saved = os.dup(2)
    with path.open("w") as f:
        os.dup2(f.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


def log_payments(log) -> None:
    for n, amount in enumerate((120, 75, 990, 15, 300), start=1):
        log.info("payment approved", order=f"ORD-{n}", amount=amount)
    asyncio.run(log.stop_and_drain())


def verify_cli(*args: str, cwd: Path) -> None:
    run = subprocess.run(
        [str(CLI), "verify", *args], cwd=cwd, capture_output=True, text=True
    )
    print(f"$ fapilog-tamper verify {' '.join(args)}  (exit status {run.returncode})")
    print("  " + run.stdout.strip().replace("\n", "\n  "))


def main() -> None:
    key = secrets.token_bytes(32)
    os.environ[KEY_VARIABLE] = base64.urlsafe_b64encode(key).decode()
    print("the enricher reads its key (base64url, 32 bytes) from", KEY_VARIABLE)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        keys = tmp / "keys"  # where the verifier looks up <key_id>.key
        keys.mkdir()
        (keys / f"{KEY_ID}.key").write_bytes(key)

        # 1. The sealed sink around fapilog's rotating_file sink, configured by name.
        def rotating(folder: str) -> dict:
            return {
                "inner_sink": "rotating_file",
                "inner_config": {
                    "config": RotatingFileSinkConfig(directory=tmp / folder)
                },
                "key_id": KEY_ID,
                "manifest_path": str(tmp / f"{folder}-manifests"),
            }

        # In sink_config.sealed, the settings field fapilog has for this sink:
        first = settings(tmp / "chain-1")
        first.core.sinks = ["sealed"]
        first.sink_config.sealed = SealedSinkSettings(**rotating("rotating-1"))
        with stderr_to(tmp / "stderr.txt"):
            log_payments(get_logger("payments-1", settings=first))
        print(
            "sink_config.sealed: rotating_file folder created:",
            (tmp / "rotating-1").exists(),
        )
        fallback = (tmp / "stderr.txt").read_text(encoding="utf-8").splitlines()
        print(
            "  events written to stderr instead:",
            sum('"payment approved"' in x for x in fallback),
        )

        # In sink_config.extra, which fapilog passes on as it is:
        second = settings(tmp / "chain-2")
        second.core.sinks = ["sealed"]
        second.sink_config.extra["sealed"] = rotating("rotating-2")
        log_payments(get_logger("payments-2", settings=second))
        [written] = (tmp / "rotating-2").glob("*.jsonl")
        line = json.loads(written.read_text(encoding="utf-8").splitlines()[0])
        print(
            "sink_config.extra: rotating_file wrote",
            sorted(line),
            "with log fields",
            sorted(line["log"]),
        )
        print(
            "integrity field in the file:",
            "integrity" in written.read_text(encoding="utf-8"),
        )
        print(
            "manifests written by the sealed sink:",
            len(list(tmp.glob("rotating-*-manifests/*"))),
        )
        report = asyncio.run(Verifier(FileKeyStore(keys)).verify_file(written))
        print(
            f"verify: valid={report.valid} records_valid={report.records_valid}"
            f"/{report.records_checked} errors: {sorted({e.error_type for e in report.errors})}"
        )

        # 2. The sealed sink around a sink that writes the event as it is. The logger
        # gets the instance, so that the program can stop it: fapilog 0.18.1 never calls
        # a sink's stop(), and stop() is when the sealed sink writes its manifest.
        sealed = SealedSink(
            inner_sink=JsonLinesFile(tmp / "payments.jsonl"),
            key_id=KEY_ID,
            manifest_path=str(tmp / "manifests"),
        )
        log_payments(
            get_logger("payments", settings=settings(tmp / "chain-3"), sinks=[sealed])
        )
        asyncio.run(sealed.stop())

        records = [
            json.loads(x) for x in (tmp / "payments.jsonl").read_text().splitlines()
        ]
        print("an event in payments.jsonl:", sorted(records[0]))
        print("its integrity field:", sorted(records[0]["integrity"]))
        print("sequence numbers:", [r["integrity"]["seq"] for r in records])
        print(
            "algorithm and key id:",
            {(r["integrity"]["algo"], r["integrity"]["key_id"]) for r in records},
        )
        print(
            "each prev_chain_hash is the chain_hash before it:",
            all(
                b["integrity"]["prev_chain_hash"] == a["integrity"]["chain_hash"]
                for a, b in pairwise(records)
            ),
        )
        state = json.loads((tmp / "chain-3" / "default.chainstate").read_text())
        print("chain state kept for the next start: seq", state["seq"])
        manifest = json.loads(
            (tmp / "manifests" / "payments.jsonl.manifest.json").read_text()
        )
        print(
            "manifest:",
            {k: manifest[k] for k in ("record_count", "first_seq", "last_seq", "algo")},
        )
        print("manifest names the file:", Path(manifest["file"]).name)
        print(
            "manifest root_chain_hash is the last chain_hash:",
            manifest["root_chain_hash"] == records[-1]["integrity"]["chain_hash"],
        )
        print("manifest signed:", "signature" in manifest)

        # Paths relative to tmp, so that the printed paths do not change between runs.
        manifest_arg = "manifests/payments.jsonl.manifest.json"
        verify_cli(
            "payments.jsonl", "--manifest", manifest_arg, "--keys", "keys", cwd=tmp
        )
        report = asyncio.run(
            Verifier(FileKeyStore(keys)).verify_file(
                tmp / "payments.jsonl", tmp / manifest_arg
            )
        )
        print(
            f"Verifier: valid={report.valid} manifest_valid={report.manifest_valid}"
            f" manifest_signature_valid={report.manifest_signature_valid}"
        )

        # 3. Tampering. A different key proves nothing either way:
        (tmp / "other-keys").mkdir()
        (tmp / "other-keys" / f"{KEY_ID}.key").write_bytes(secrets.token_bytes(32))
        verify_cli("payments.jsonl", "--keys", "other-keys", cwd=tmp)

        # Someone changes the amount of the third payment...
        lines = (tmp / "payments.jsonl").read_text().splitlines(keepends=True)
        assert '"amount":990' in lines[2]
        lines[2] = lines[2].replace('"amount":990', '"amount":99')
        (tmp / "payments.jsonl").write_text("".join(lines))
        verify_cli(
            "payments.jsonl", "--manifest", manifest_arg, "--keys", "keys", cwd=tmp
        )

        # ...and then deletes the second line.
        del lines[1]
        (tmp / "payments.jsonl").write_text("".join(lines))
        verify_cli(
            "payments.jsonl", "--manifest", manifest_arg, "--keys", "keys", cwd=tmp
        )
        report = asyncio.run(
            Verifier(FileKeyStore(keys)).verify_file(
                tmp / "payments.jsonl", tmp / manifest_arg
            )
        )
        print(
            f"Verifier: valid={report.valid} records_checked={report.records_checked}"
            f" chain_breaks={report.chain_breaks} manifest_valid={report.manifest_valid}"
        )
        for error in report.errors:
            print(f"  {error.error_type} seq={error.seq}: {error.message}")


if __name__ == "__main__":
    main()
