from pathlib import Path

from fapilog import Settings, runtime

settings = Settings(
    core={"sinks": ["rotating_file"]},
    sink_config={
        "rotating_file": {"directory": "logs", "max_bytes": "10 MB", "max_files": 5}
    },
)

with runtime(settings=settings) as log:
    log.info("order placed", order_id=42)

for path in sorted(Path("logs").iterdir()):
    print(path.suffix, path.read_text().count("\n"), "line(s)")
