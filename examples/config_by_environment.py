"""One logging configuration for dev, staging and production: the code stays, the environment changes.

The service builds its logger in one line, `get_logger(name, settings=Settings())`, and
`Settings()` reads every `FAPILOG_*` variable: `FAPILOG_CORE__LOG_LEVEL` is
`settings.core.log_level`, nested fields are joined with `__`, lists and dicts are JSON.
Passing `settings=` also skips fapilog's environment detection: in a Kubernetes pod, list
the `kubernetes` enricher in `FAPILOG_CORE__ENRICHERS` (see the integration guide).
Each stage ships its own variables (a `.env` file, a Helm values file, a systemd
unit). This program plays the three stages in turn: it sets a stage's variables,
starts the same service code, and shows what it writes.
"""

import asyncio
import json
import os
import tempfile
from pathlib import Path

from fapilog import Settings, get_logger

# Every stage: the service name, and redaction (a dev log pasted into a ticket should be safe too).
COMMON = {
    "FAPILOG_SERVICE": "checkout",
    "FAPILOG_CORE__REDACTORS": '["field_mask", "url_credentials"]',
    "FAPILOG_REDACTOR_CONFIG__FIELD_MASK__FIELDS_TO_MASK": '["data.password"]',
}
STAGES = {
    "dev": {  # readable lines in the terminal, everything down to DEBUG
        "FAPILOG_ENV": "dev",
        "FAPILOG_CORE__LOG_LEVEL": "DEBUG",
        "FAPILOG_CORE__SINKS": '["stdout_pretty"]',
    },
    "staging": {  # JSON for the log platform
        "FAPILOG_ENV": "staging",
        "FAPILOG_CORE__LOG_LEVEL": "INFO",
        "FAPILOG_CORE__SINKS": '["stdout_json"]',
    },
    "production": {  # JSON, a local file copy; a full queue waits up to 50 ms, then drops
        "FAPILOG_ENV": "production",
        "FAPILOG_CORE__LOG_LEVEL": "INFO",
        "FAPILOG_CORE__SINKS": '["stdout_json", "rotating_file"]',
        "FAPILOG_SINK_CONFIG__ROTATING_FILE__MAX_BYTES": "50 MB",
        "FAPILOG_CORE__DROP_ON_FULL": "false",
    },
}


def service() -> None:
    """The application: identical in every stage. Settings() reads the environment."""
    # reuse=False only because this demo creates the logger three times in one process.
    log = get_logger("checkout", settings=Settings(), reuse=False)
    log.debug("cache warmed", entries=120)
    log.info("user signed in", user="ada", password="hunter2")
    asyncio.run(log.stop_and_drain())


def main() -> None:
    for stage, variables in STAGES.items():
        with tempfile.TemporaryDirectory() as logs:
            os.environ.update(
                {**COMMON, **variables}
            )  # what the stage's deployment sets
            os.environ["FAPILOG_SINK_CONFIG__ROTATING_FILE__DIRECTORY"] = logs
            print(f"--- {stage} ---", flush=True)
            service()
            for path in sorted(Path(logs).iterdir()):
                lines = path.read_text().splitlines()
                print(
                    f"file {path.suffix}: {len(lines)} line(s), message: {json.loads(lines[0])['log']['message']}"
                )


if __name__ == "__main__":
    main()
