"""Install and run commands a reader copies work as written.

One job: read the commands of shell blocks (`bash`, `sh`, `shell`, `console`), of inline
code that starts with a command (`pip install ...`), of `!pip`/`%pip` lines in notebook
code cells and of `pip install` mentions in example programs' comments, and check:

- `pip install`, `python -m pip install`, `uv add`, `uv pip install`, and pip run from
  Python (`[sys.executable, "-m", "pip", "install", "fapilog==..."]`): each requirement
  (parsed by `packaging`) names a package a reader can get: fapilog, a registry package
  (`registry/plugins/*.yml`), a package of this repository (`examples/plugins/*/`,
  `packages/*/`, the hub itself), a package pyproject.toml pins, a dependency of fapilog or
  of one of its extras, or one of WELL_KNOWN; extras exist (fapilog's from its
  installed metadata, `Provides-Extra`; a local package's from its pyproject); a version
  agrees with the pin in pyproject.toml (for a package it does not pin: with the version
  the tests run with); a local path, or the `#subdirectory=` of a URL of this
  repository (mkdocs.yml's repo_url), exists and holds that package;
- `nox -s NAME`: the session is defined in noxfile.py (`@nox.session`, or `name=`);
- `python -m MODULE`: the module exists here (importable, or a package of the repository);
- `python FILE.py`: the file exists.

`{{ fapilog_version }}` is read as the pinned version (hub.placeholders fills it in).
"""

from __future__ import annotations

import ast
import importlib.util
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import yaml
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from hub.checks.markdown import Problem
from hub.checks.sources import SHELL_LANGS, PythonSource, Site, Where, parse_python
from hub.project import pinned_fapilog_version, tomllib

RULE = "command"
# Packages the site tells readers to install that are neither fapilog nor a plugin:
# each is named by a page for a reason (the tools the README and guides use).
WELL_KNOWN = {"nox", "copier", "httpx", "jupyter"}
INLINE_COMMAND = re.compile(r"^(?:pip3?|python3?|uv|nox)\s")
PIP_MENTION = re.compile(r"(?:python3? -m )?pip3? install [^`\n)]+")
PLACEHOLDER = re.compile(r"\{\{\s*fapilog_version\s*\}\}")


@dataclass(frozen=True)
class Package:
    name: str
    extras: frozenset[str] | None  # None: not known here (a PyPI package)
    where: str  # the folder holding it, for a local package


@dataclass
class Context:
    root: Path
    packages: dict[str, Package]
    sessions: set[str]
    pin: str  # fapilog's
    pins: dict[str, str]  # every `name==version` of pyproject.toml (dependencies and extras)
    repo_url: str = ""  # mkdocs.yml's repo_url: a git+ URL to it installs from this checkout


def local_package(folder: Path, root: Path) -> Package | None:
    try:
        project = tomllib.loads((folder / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return None
    extras = frozenset(canonicalize_name(e) for e in project.get("optional-dependencies", {}))
    rel = folder.resolve().relative_to(root.resolve()).as_posix() if folder != root else "."
    return Package(canonicalize_name(project["name"]), extras, rel)


@lru_cache(maxsize=1)
def fapilog_extras() -> frozenset[str]:
    return frozenset(canonicalize_name(e) for e in metadata.metadata("fapilog").get_all("Provides-Extra") or [])


@lru_cache(maxsize=1)
def fapilog_dependencies() -> frozenset[str]:
    """What fapilog and its extras depend on (fastapi through fapilog[fastapi], ...)."""
    found = set()
    for spec in metadata.requires("fapilog") or []:
        try:
            found.add(canonicalize_name(Requirement(spec).name))
        except InvalidRequirement:
            continue
    return frozenset(found)


def context(root: Path) -> Context:
    packages: dict[str, Package] = {"fapilog": Package("fapilog", fapilog_extras(), "")}
    for entry in sorted((root / "registry" / "plugins").glob("*.yml")):
        name = (yaml.safe_load(entry.read_text(encoding="utf-8")) or {}).get("package")
        if name:
            packages.setdefault(canonicalize_name(name), Package(canonicalize_name(name), None, ""))
    for folder in [root, *sorted((root / "examples" / "plugins").glob("*/")), *sorted((root / "packages").glob("*/"))]:
        found = local_package(folder, root)
        if found:
            packages[found.name] = found
    pins = pyproject_pins(root / "pyproject.toml")
    for name in [*WELL_KNOWN, *pins, *fapilog_dependencies()]:
        packages.setdefault(name, Package(name, None, ""))
    try:
        pin = pinned_fapilog_version.__wrapped__(root / "pyproject.toml")
    except (OSError, LookupError, KeyError):
        pin = ""
    return Context(root, packages, nox_sessions(root / "noxfile.py"), pin, pins, repo_url(root))


def repo_url(root: Path) -> str:
    config = root / "mkdocs.yml"
    match = re.search(r"(?m)^repo_url:\s*(\S+)", config.read_text(encoding="utf-8")) if config.is_file() else None
    return match[1].rstrip("/") if match else ""


def pyproject_pins(pyproject: Path) -> dict[str, str]:
    """Package -> version for each exact pin of the project (what the site is tested with)."""
    try:
        project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return {}
    pins = {}
    for spec in [*project.get("dependencies", []), *sum(project.get("optional-dependencies", {}).values(), [])]:
        try:
            requirement = Requirement(spec)
        except InvalidRequirement:
            continue
        exact = [s.version for s in requirement.specifier if s.operator == "=="]
        if exact:
            pins[canonicalize_name(requirement.name)] = exact[0]
    return pins


def tested_version(name: str, ctx: Context) -> str | None:
    """The version the site is tested with: pyproject's pin, else the test environment's."""
    if name in ctx.pins:
        return ctx.pins[name]
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def nox_sessions(noxfile: Path) -> set[str]:
    try:
        tree = ast.parse(noxfile.read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return set()
    sessions = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef):
            continue
        for decorator in node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            if ast.unparse(target) not in ("nox.session", "session"):
                continue
            name = node.name
            if isinstance(decorator, ast.Call):
                for kw in decorator.keywords:
                    if kw.arg == "name" and isinstance(kw.value, ast.Constant):
                        name = str(kw.value.value)
            sessions.add(name)
    return sessions


# ---------------------------------------------------------------- reading commands


def shell_commands(body: str, start: Where) -> Iterator[tuple[Where, list[str]]]:
    """Each simple command of a shell block as words, at the line it starts on."""
    lines = body.splitlines()
    index = 0
    while index < len(lines):
        first = index
        text = lines[index]
        while text.endswith("\\") and index + 1 < len(lines):
            index += 1
            text = text[:-1] + " " + lines[index]
        index += 1
        text = text.strip()
        if text.startswith("$ "):
            text = text[2:]
        yield from split_commands(text, start.at(first))


def split_commands(text: str, where: Where) -> Iterator[tuple[Where, list[str]]]:
    try:
        lexer = shlex.shlex(text, posix=True, punctuation_chars=";&|")
        lexer.commenters = "#"
        lexer.whitespace_split = True
        words = list(lexer)
    except ValueError:
        return  # unbalanced quotes: not a command we can read
    command: list[str] = []
    for word in words:
        if word and set(word) <= set(";&|"):
            if command:
                yield where, command
            command = []
        else:
            command.append(word)
    if command:
        yield where, command


def commands(site: Site) -> Iterator[tuple[Where, list[str]]]:
    for doc in site.markdown:
        for fence in doc.fences:
            if fence.lang in SHELL_LANGS:
                yield from shell_commands(fence.body, fence.body_where)
        for span in doc.inline:
            if INLINE_COMMAND.match(span.code.strip()):
                yield from split_commands(span.code.strip(), span.where)
    for source in site.python:
        yield from requirements_in_code(source)
        for number, line in enumerate(source.source.splitlines()):
            where = source.start.at(number)
            stripped = line.strip()
            if source.notebook and stripped[:1] in ("!", "%"):
                yield from split_commands(stripped[1:], where)
            elif not source.notebook:
                for mention in PIP_MENTION.findall(line):
                    yield from split_commands(mention.strip().rstrip(".,;"), where)


REQUIREMENT_LIKE = re.compile(r"^[A-Za-z0-9][\w.-]*(\[[\w,-]+\])?\s*(==|>=|~=|<=|!=|<|>|@)")


def requirements_in_code(source: PythonSource) -> Iterator[tuple[Where, list[str]]]:
    """`pip install` run from Python (`[sys.executable, "-m", "pip", "install", *reqs]`):
    each string that reads as a requirement with a version, as `pip install REQ`."""
    tree = parse_python(source)
    if tree is None:
        return
    strings = [n for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    if not {"pip", "install"} <= {n.value for n in strings}:
        return
    for node in strings:
        if REQUIREMENT_LIKE.match(node.value) and " " not in node.value.strip():
            yield source.start.at(node.lineno - 1), ["pip", "install", node.value]


# ---------------------------------------------------------------- checking commands


def check_command(words: list[str], ctx: Context, base: Path | None = None) -> list[str]:
    """Problems with one command; base is the folder a local path like "." means."""
    program = Path(words[0]).name
    args = words[1:]
    if program in ("python", "python3") and args[:2] in (["-m", "pip"],) and args[2:3] == ["install"]:
        return check_install(args[3:], ctx, base)
    if program in ("pip", "pip3") and args[:1] == ["install"]:
        return check_install(args[1:], ctx, base)
    if program == "uv" and (args[:1] == ["add"] or args[:2] == ["pip", "install"]):
        return check_install(args[1:] if args[0] == "add" else args[2:], ctx, base)
    if program == "nox":
        return check_nox(args, ctx)
    if program in ("python", "python3") and args[:1] == ["-m"] and len(args) > 1:
        return check_module(args[1], ctx)
    # A repository path (examples/x.py) must exist; a bare app.py is the reader's own file.
    script = args[0] if program in ("python", "python3") and args else ""
    if script.endswith(".py") and "/" in script and "<" not in script and not (ctx.root / script).is_file():
        return [f"python {script}: there is no such file in the repository"]
    return []


def check_nox(args: list[str], ctx: Context) -> list[str]:
    problems = []
    for index, arg in enumerate(args):
        if arg in ("-s", "--session", "--sessions", "-e"):
            for name in args[index + 1 :]:
                if name.startswith("-"):
                    break
                if name not in ctx.sessions:
                    known = ", ".join(sorted(ctx.sessions))
                    problems.append(f"nox -s {name}: noxfile.py has no session '{name}' (it has: {known})")
    return problems


def check_module(module: str, ctx: Context) -> list[str]:
    top = module.split(".")[0]
    local = ctx.root / top
    if (local / "__init__.py").is_file() or local.with_suffix(".py").is_file():
        parts = module.split(".")
        path = ctx.root.joinpath(*parts)
        if (path / "__main__.py").is_file() or path.with_suffix(".py").is_file():
            return []
        return [f"python -m {module}: the repository has no module {module} that runs"]
    try:
        found = importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        found = False
    return [] if found else [f"python -m {module}: no such module in the test environment"]


def check_install(args: list[str], ctx: Context, base: Path | None = None) -> list[str]:
    problems = []
    skip_next = False
    for arg in args:
        if skip_next:
            skip_next = False
            continue
        if arg in ("-r", "--requirement", "-c", "--constraint", "--index-url", "-i", "--extra-index-url"):
            skip_next = True
            continue
        if arg.startswith("-"):
            continue  # -e takes the next word, which is checked like any requirement
        problems += check_requirement(PLACEHOLDER.sub(ctx.pin, arg), ctx, base or ctx.root)
    return problems


LOCAL = re.compile(r"^(?P<path>\.{1,2}(?:/[^\[]*)?|[\w.-]+/[^\[@]*)(?:\[(?P<extras>[^\]]*)\])?$")


def check_requirement(spec: str, ctx: Context, base: Path) -> list[str]:
    local = LOCAL.match(spec)
    if local and ("/" in spec or spec.startswith(".")):
        return check_local(local["path"], local["extras"], spec, ctx, base if spec.startswith(".") else ctx.root)
    try:
        requirement = Requirement(spec)
    except InvalidRequirement as exc:
        return [f"{spec}: not a valid requirement ({exc})"]
    name = canonicalize_name(requirement.name)
    package = ctx.packages.get(name)
    if package is None:
        return [
            f"{spec}: '{requirement.name}' is not fapilog, a registry plugin, a package of this repository "
            f"or a tool the site names (hub/checks/commands.py WELL_KNOWN)"
        ]
    problems = check_extras(package, requirement.extras, spec)
    if name == "fapilog" and requirement.specifier and ctx.pin not in requirement.specifier:
        problems.append(f"{spec}: the site is verified against fapilog {ctx.pin} (pyproject.toml), which this excludes")
    elif name != "fapilog" and requirement.specifier and not package.where:
        tested = tested_version(name, ctx)
        if tested and tested not in requirement.specifier:
            source = "pyproject.toml pins" if name in ctx.pins else "the tests run with"
            problems.append(f"{spec}: {source} {requirement.name} {tested}, which this excludes")
    if requirement.url:
        subdirectory = re.search(r"[#&]subdirectory=([^&]+)", requirement.url)
        # Only a URL of this repository can be checked here; another repository's is not read.
        here = bool(ctx.repo_url) and requirement.url.removeprefix("git+").startswith(ctx.repo_url)
        if subdirectory and here:
            found = local_package(ctx.root / subdirectory[1], ctx.root)
            if found is None or found.name != name:
                problems.append(f"{spec}: {subdirectory[1]} does not hold the package {requirement.name}")
    return problems


def check_local(path: str, extras: str | None, spec: str, ctx: Context, base: Path) -> list[str]:
    matches = sorted(base.glob(path.rstrip("/"))) if any(c in path for c in "*?[") else [base / path]
    folders = [m for m in matches if m.is_dir() and not m.name.startswith(".")]  # as the shell globs
    if not folders:
        return [f"{spec}: {path} does not exist in the repository"]
    problems = []
    for folder in folders:
        package = local_package(folder, ctx.root)
        if package is None:
            problems.append(f"{spec}: {path} has no pyproject.toml with a [project] name")
        elif extras:
            wanted = {e.strip() for e in extras.split(",") if e.strip()}
            problems += check_extras(package, wanted, spec)
    return problems


def check_extras(package: Package, extras: set[str], spec: str) -> list[str]:
    if package.extras is None:
        return []
    problems = []
    for extra in sorted(extras):
        if canonicalize_name(extra) not in package.extras:
            known = ", ".join(sorted(package.extras)) or "none"
            problems.append(f"{spec}: {package.name} has no extra '{extra}' (it has: {known})")
    return problems


def check(site: Site) -> list[Problem]:
    ctx = context(site.root)
    problems = []
    for where, words in commands(site):
        # In a package's README (examples/plugins/x/README.md), "." is that package.
        folder = (site.root / where.path).parent
        base = folder if (folder / "pyproject.toml").is_file() and not where.cell else site.root
        for message in check_command(words, ctx, base):
            problems.append(where.problem(RULE, message))
    return problems
