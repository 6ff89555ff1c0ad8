"""Entry point inside a plugin's virtualenv: `python main.py JOB.json RESULT.json`.

Runs the tasks the job names for one plugin (conformance, bench, compliance) or for
fapilog's redaction presets, writing RESULT.json after every task so that a crash late in
the run still leaves what was observed before it.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.metadata
import json
import os
import sys
import traceback
from pathlib import Path
from typing import Any

import guard

JOB = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
RESULT_PATH = Path(sys.argv[2])
WORKDIR = Path(JOB["workdir"])
guard.loopback_up()
ALLOWED = guard.record_network(str(WORKDIR / "network.log"))
guard.record_behaviour(str(WORKDIR / "behaviour.log"), str(WORKDIR))
result: dict[str, Any] = {"tasks": {}}


def save() -> None:
    partial = RESULT_PATH.with_suffix(".partial")
    partial.write_text(json.dumps(result, default=str), encoding="utf-8")
    os.replace(partial, RESULT_PATH)


def version_of(dist: str) -> str | None:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


class Destination:
    """Where a sink's events land, and how many have landed (for the drain check)."""

    def __init__(self, spec: dict[str, Any] | None, folder: Path):
        self.kind = (spec or {}).get("kind")
        self.folder = folder
        # Services the runner started for this job (a PostgreSQL socket folder), and an id
        # that keeps parallel jobs' tables apart.
        self.substitutions = {
            "workdir": str(folder),
            "job_id": folder.parent.name.replace("-", "_"),
            **JOB.get("services", {}),
        }
        self._receiver = None
        self._spec = spec or {}

    def __enter__(self) -> Destination:
        self.folder.mkdir(parents=True, exist_ok=True)
        if self.kind == "http_receiver":
            from fapilog_hub_conformance import Receiver

            self._receiver = Receiver().__enter__()
            self.substitutions["receiver"] = self._receiver.url
            ALLOWED.append(f"127.0.0.1:{self._receiver.port}")
        elif self.kind == "postgres":
            ALLOWED.append(self.substitutions["postgres_socket"])
        elif self.kind == "stdout":
            # The sink writes to file descriptor 1: point it at a file we can count.
            sys.stdout.flush()
            self._stdout_file = open(self.folder / "stdout.jsonl", "wb")  # noqa: SIM115
            os.dup2(self._stdout_file.fileno(), 1)
        return self

    def delivered(self):
        if self.kind == "http_receiver":
            return self._receiver.events
        if self.kind == "postgres":
            return self._count_rows
        if self.kind == "sqlite":
            return self._count_sqlite_rows
        if self.kind in ("directory", "stdout"):
            return lambda: sum(
                len(p.read_bytes().splitlines()) for p in self.folder.rglob("*") if p.is_file() and p.suffix != ".gz"
            )
        return None

    async def _count_rows(self) -> int:
        import asyncpg

        table = self._spec["table"].format_map(self.substitutions)
        conn = await asyncpg.connect(
            host=self.substitutions["postgres_socket"], port=5432, user="postgres", database="postgres"
        )
        try:
            return await conn.fetchval(f"SELECT count(*) FROM {table}")  # table name is ours, not input
        except asyncpg.UndefinedTableError:
            return 0
        finally:
            await conn.close()

    def _count_sqlite_rows(self) -> int:
        import sqlite3

        path = Path(self._spec["path"].format_map(self.substitutions))
        if not path.exists():
            return 0
        with contextlib.closing(sqlite3.connect(path)) as conn:
            try:
                return conn.execute(f"SELECT count(*) FROM {self._spec['table']}").fetchone()[0]  # noqa: S608 - registry-validated name
            except sqlite3.OperationalError:  # no table yet
                return 0

    def __exit__(self, *exc: object) -> None:
        if self._receiver is not None:
            self._receiver.__exit__(*exc)


async def evaluate_plugin(spec: dict[str, Any]) -> None:
    import plugins
    from fapilog_hub_conformance import run_suite

    result["fapilog_version"] = version_of("fapilog")
    result["package_version"] = version_of(spec["package"])
    # Where the run is, saved before each step: a process that dies on its way says where.
    result["stage"] = "on import"
    save()
    try:
        cls = plugins.find_class(spec)
        result["source_file"] = plugins.source_file(cls)
        # What a catalog would publish about it (decoy credentials are looked for in it too).
        metadata = getattr(sys.modules.get(getattr(cls, "__module__", ""), None), "PLUGIN_METADATA", None)
        if metadata is not None:
            result["metadata"] = json.dumps(metadata, default=str)[:4000]
    except plugins.NotPresent as exc:
        result["present"] = False
        result["detail"] = str(exc)
        return
    except BaseException as exc:  # import failure of the plugin's own module
        result["load_error"] = f"{type(exc).__name__}: {exc}"
        result["traceback"] = traceback.format_exc()[-3000:]
        return
    result["present"] = True
    result["stage"] = "while running the checks"
    save()
    tasks = JOB["tasks"]
    with Destination(spec.get("destination"), WORKDIR / "destination") as destination:
        make = plugins.factory(spec, destination.substitutions)
        if "conformance" in tasks:
            options = {}
            if spec["type"] == "sink":
                options["delivered"] = destination.delivered()
            checks = await run_suite(spec["type"], make, **options)
            result["tasks"]["conformance"] = [c.as_dict() for c in checks]
            save()
        if "bench" in tasks:
            import measure

            reference_spec = JOB["reference"]
            with Destination(reference_spec.get("destination"), WORKDIR / "reference") as ref_destination:
                reference = plugins.factory(reference_spec, ref_destination.substitutions)
                result["tasks"]["bench"] = await measure.compare(spec["type"], make, reference, **JOB["bench"])
            save()
        if "compliance" in tasks:
            import redact_corpus

            result["tasks"]["compliance"] = await redact_corpus.with_plugin(make, JOB["corpus"])
            save()


async def evaluate_presets() -> None:
    import redact_corpus

    result["fapilog_version"] = version_of("fapilog")
    # with_preset('production') adds a stdout sink: keep its copy out of the capped output.
    with Destination({"kind": "stdout"}, WORKDIR / "presets-stdout"):
        result["tasks"]["presets"] = await redact_corpus.with_presets(JOB["corpus"], WORKDIR / "presets")


async def main() -> None:
    with contextlib.suppress(FileNotFoundError):
        RESULT_PATH.unlink()
    if JOB.get("presets"):
        await evaluate_presets()
    else:
        await evaluate_plugin(JOB["plugin"])
    result["complete"] = True
    save()


asyncio.run(main())
