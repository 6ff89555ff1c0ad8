"""A production file setup: size-based rotation, gzip of closed files, bounded retention.

For services on VMs or bare metal that keep their own log files. The sink rotates when
the next record would push the active file past `max_bytes`, compresses each closed
file to `.jsonl.gz` and deletes the oldest closed files beyond `max_files` (the active
file is not counted). Files are named `<prefix>-<UTC time>.jsonl`; a second file
opened within the same second gets a `-1`, `-2`... suffix.

The limits here are tiny so that a few dozen events rotate several times; in
production use something like `max_bytes="50 MB"`, `max_files=10`. The events come in
bursts a second apart because in fapilog 0.18.1 two rotations within the same second
compress to the same `.gz` name and the second overwrites the first (the
troubleshooting guide reproduces it): size files so they take longer than that to
fill. The logs go to a temporary directory that is deleted at the end.
"""

import asyncio
import gzip
import json
import re
import tempfile
import time
from pathlib import Path

from fapilog import LoggerBuilder

NAME = re.compile(r"^fapilog-\d{8}-\d{6}(-\d+)?\.jsonl(\.gz)?$")
MAX_BYTES = 4096
MAX_FILES = 3
BURSTS = 5
LAST = BURSTS * 10 - 1


def read_events(path: Path) -> list[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        log_dir = Path(tmp) / "logs"
        log = (
            LoggerBuilder()
            .with_name("billing")
            .with_level("INFO")
            .add_file(str(log_dir), max_bytes=MAX_BYTES, max_files=MAX_FILES, compress=True)
            .with_redaction(preset="CREDENTIALS", url_credentials=True)
            .build()
        )
        for burst in range(BURSTS):  # each burst is ~10 events of ~330 bytes
            if burst:
                time.sleep(1.05)
            for seq in range(burst * 10, burst * 10 + 10):
                log.info("invoice stored", seq=seq, invoice=f"INV-{seq:04d}", api_token="not-for-logs")
        asyncio.run(log.stop_and_drain())

        files = sorted(log_dir.iterdir(), key=lambda p: p.stat().st_mtime)
        active = [p for p in files if p.suffix == ".jsonl"]
        rotated = [p for p in files if p.name.endswith(".jsonl.gz")]
        print(f"files: {len(active)} active .jsonl, {len(rotated)} rotated .jsonl.gz (max_files={MAX_FILES})")
        print("names follow fapilog-<YYYYMMDD-HHMMSS>[-N].jsonl[.gz]:", all(NAME.match(p.name) for p in files))
        print(
            f"every rotated file held at most {MAX_BYTES} bytes before compression:",
            all(len(gzip.decompress(p.read_bytes())) <= MAX_BYTES for p in rotated),
        )

        kept = [event for path in files for event in read_events(path)]
        seqs = [event["log"]["data"]["seq"] for event in kept]
        print(f"kept events are the newest, in order, ending with seq {LAST}:", seqs == list(range(seqs[0], LAST + 1)))
        print("the oldest events were deleted by retention:", seqs[0] > 0)
        print("no token reached the files:", all(e["log"]["data"]["api_token"] == "***" for e in kept))
        print("last line of the active file:")
        print(json.dumps(kept[-1], separators=(",", ":")))


if __name__ == "__main__":
    main()
