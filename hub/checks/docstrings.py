"""The examples in fapilog's docstrings that the API reference publishes.

One job. A reference page renders an object with `::: identifier` (mkdocstrings), and with
it the `>>>` examples of its docstring and of its members' docstrings: code a reader
copies from the site, written by fapilog, not by this project. Each example is read like
any Python on the site (settings paths and plugin configuration keys, `FAPILOG_*` names),
and a problem is reported at the `:::` line, naming the member.

fapilog's text cannot be corrected here, so a problem the page itself warns about is
accepted: WARNED lists each, with words the page must contain (the warning), so removing
the warning brings the problem back.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Iterator

from hub.checks import env_vars, fapilog_model, settings_paths
from hub.checks.markdown import Problem
from hub.checks.sources import PythonSource, Site, Where

AUTODOC = re.compile(r"^\s*:::\s+(?P<id>[\w.]+)\s*$")
EXAMPLE = re.compile(r"^\s*(?:>>>|\.\.\.) ?(?P<code>.*)$")
# (member, problem text) -> words its page must contain for the problem to be accepted.
WARNED = {
    (f"fapilog.builder.{builder}.configure_enricher", "'enricher_config.runtime_info.service'"): (
        "does not set the service name"  # docs/reference/builders.md, the warning at the top
    )
    for builder in ("LoggerBuilder", "AsyncLoggerBuilder")
}


def resolve_object(identifier: str) -> object | None:
    parts = identifier.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target: object = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        try:
            for attribute in parts[cut:]:
                target = getattr(target, attribute)
        except AttributeError:
            return None
        return target
    return None


def documented(identifier: str) -> Iterator[tuple[str, str]]:
    """(qualified name, docstring) of the object and of its public members."""
    target = resolve_object(identifier)
    if target is None:
        return
    yield identifier, inspect.getdoc(target) or ""
    if inspect.isclass(target) or inspect.ismodule(target):
        for name, member in inspect.getmembers(target):
            if not name.startswith("_") and (inspect.isfunction(member) or inspect.ismethod(member)):
                yield f"{identifier}.{name}", inspect.getdoc(member) or ""


def example_code(docstring: str) -> str:
    return "\n".join(m["code"] for line in docstring.splitlines() if (m := EXAMPLE.match(line)))


def check(site: Site) -> list[Problem]:
    problems = []
    for doc in site.markdown:
        if doc.start.cell:
            continue
        for number, line in enumerate(doc.text.splitlines()):
            match = AUTODOC.match(line)
            if not match:
                continue
            where = doc.start.at(number)
            for member, docstring in documented(match["id"]):
                code = example_code(docstring)
                if not code:
                    continue
                found = [p.message for p in settings_paths.check_python(PythonSource(Where(member, 1), code))]
                found += [
                    message
                    for name in env_vars.NAME.finditer(code)
                    for message in fapilog_model.check_env_var(name[0].rstrip("*<{"), prefix_only=bool(name["family"]))
                ]
                for message in found:
                    warned = [words for (m, text), words in WARNED.items() if m == member and text in message]
                    if warned and warned[0] in doc.text:
                        continue
                    problems.append(where.problem("docstring-example", f"{member}: the published example: {message}"))
    return problems
