"""The catalog's data, as pydantic models: what the registry holds, what discovery finds,
and the one catalog entry that pages and ``catalog.json`` are made from.

Later stages add to a :class:`CatalogEntry` through its optional slots (``evaluation``,
``quality_tier``, ``reviews``) rather than through a second format.
"""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Annotated, Any, Literal

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic import Strict as PydanticStrict
from pydantic_core import PydanticCustomError

from hub.links import web_url
from hub.names import GITHUB_HANDLE, PLUGIN_TYPES, PluginType
from hub.tier_rules import RULE_IDS

__all__ = ["PLUGIN_TYPES", "PluginType"]  # re-exported: the catalog's modules import them from here
RegistryTier = Literal["community", "verified", "commercial"]
# "core" is for fapilog's own built-ins only; a registry entry cannot claim it.
SupportTier = Literal["core", "verified", "community", "commercial"]
Pricing = Literal["free", "freemium", "paid"]

DESCRIPTION_MAX = 160  # one line on a card; the Backstage directory uses a similar limit
PACKAGE_PATTERN = r"^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,98}[A-Za-z0-9])?$"  # PEP 508 names
PLUGIN_NAME_PATTERN = r"^[a-z][a-z0-9_]{0,63}$"  # fapilog normalises names to this shape
TAG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,31}$"


URL_PATTERN = r"^https?://[^\s/<>\"'`\\]+[^\s<>\"'`\\]*$"
URL_MAX = 500
URL_HELP = "An http:// or https:// URL."


def git_url(value: str) -> str:
    if not value.startswith("git+https://"):
        raise ValueError(f"{value!r} must be a pip VCS URL starting with git+https://")
    web_url(value.removeprefix("git+"))
    return value


def specifier(value: str) -> str:
    try:
        SpecifierSet(value)
    except InvalidSpecifier as exc:
        raise ValueError(f"{value!r} is not a version range like '>=0.18,<0.19' ({exc})") from exc
    return value


def no_duplicates(values: list[Any]) -> list[Any]:
    if len(values) != len(set(values)):
        raise PydanticCustomError("duplicate_items", "lists an item twice")
    return values


def one_entry_per_plugin(plugins: list[DeclaredPlugin]) -> list[DeclaredPlugin]:
    if len({(p.type, p.name) for p in plugins}) != len(plugins):
        raise PydanticCustomError("duplicate_items", "lists the same plugin twice")
    return plugins


# The pattern is what the published schema (editors) checks; the validator checks the rest.
WebUrl = Annotated[str, Field(pattern=URL_PATTERN, max_length=URL_MAX), AfterValidator(web_url)]
GitUrl = Annotated[str, Field(pattern=r"^git\+https://[^\s<>\"'`\\]+$"), AfterValidator(git_url)]
Specifier = Annotated[str, Field(min_length=1, max_length=100), AfterValidator(specifier)]
OneLine = Annotated[str, Field(pattern=r"^[^\r\n]*$")]
# A plugin's tags, at most 10, each once (registry entries and the built-ins file alike).
Tags = Annotated[
    list[Annotated[str, Field(pattern=TAG_PATTERN)]],
    AfterValidator(no_duplicates),
    Field(max_length=10, json_schema_extra={"uniqueItems": True}),  # uniqueItems: no_duplicates, said for editors
]
# Registry and review files are YAML read with dates kept as text (hub/datafiles.py):
# strict models refuse "5" for a number, as the published schema does, but parse a date.
TextDate = Annotated[dt.date, PydanticStrict(False)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Submitted(Strict):
    """A file a stranger submits: no coercion beyond what its published schema allows."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


# --- the registry: one YAML file per external package (registry/plugins/*.yml) ----------
# These models are the registry's only definition: registry/schema/plugin-entry.schema.json
# is generated from them (python -m hub.catalog schema), and the descriptions below are the
# fixes that problem messages quote.


class Destination(Submitted):
    kind: Literal["directory", "stdout", "http_receiver", "sqlite", "postgres"]
    path: str | None = None
    table: str | None = None


class EvaluationSettings(Submitted):
    """How the hub's evaluation (nox -s catalog) configures this plugin for its checks, and
    which quality-tier rules it is exempt from. Optional: without it the plugin is built
    with no arguments."""

    config: dict[str, Any] = Field(
        default_factory=dict,
        description="Keyword arguments for the plugin class. Strings may use {workdir} (a fresh folder) and "
        "{receiver} (a local HTTP receiver's address).",
    )
    destination: Destination | None = Field(
        default=None,
        description="Where the sink's events can be counted for the drain check: {kind: directory | stdout | "
        "http_receiver | sqlite | postgres, path?, table?}.",
    )
    network: list[Annotated[str, Field(pattern=r"^[^\s]+:[0-9]+$")]] = Field(
        default_factory=list,
        max_length=10,
        description="host:port addresses the plugin is declared to contact; any other connection fails the evaluation.",
    )
    services: list[Literal["postgres"]] = Field(
        default_factory=list, description="Local services the evaluation starts for the plugin."
    )
    bench: bool | str = Field(default=True, description="true, or the reason the plugin cannot be benchmarked here.")
    exemptions: dict[str, Annotated[str, Field(min_length=20, max_length=500)]] = Field(
        default_factory=dict,
        description="Quality-tier rules the plugin is exempt from, each with its written justification "
        "(20 characters or more).",
    )

    @field_validator("exemptions")
    @classmethod
    def _known_rules(cls, value: dict[str, str]) -> dict[str, str]:
        # An exemption for a rule that does not exist would exempt nothing, silently.
        unknown = sorted(set(value) - set(RULE_IDS))
        if unknown:
            close = [m for u in unknown for m in difflib.get_close_matches(u, RULE_IDS, n=1)]
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            raise ValueError(
                f"exemption for an unknown tier rule {', '.join(map(repr, unknown))}{hint}: it would exempt "
                "nothing. Rule ids are listed on the quality page (docs/catalog/quality.md, Quality tiers)"
            )
        return value


class DeclaredPlugin(Submitted):
    type: PluginType = Field(description="The plugin type: sink, enricher, redactor, processor or filter.")
    name: str = Field(
        pattern=PLUGIN_NAME_PATTERN,
        description="The entry-point name users put in fapilog's settings: lowercase letters, digits and "
        "underscores, starting with a letter.",
    )
    evaluation: EvaluationSettings | None = Field(
        default=None,
        description="How the hub's evaluation (nox -s catalog) configures this plugin for its checks, and which "
        "quality-tier rules it is exempt from. Optional: without it the plugin is built with no arguments.",
    )


class Maintainer(Submitted):
    name: OneLine = Field(min_length=1, max_length=100, description="A person's or organisation's name, one line.")
    github: str | None = Field(default=None, pattern=GITHUB_HANDLE, description="A GitHub handle without the @.")
    email: str | None = Field(
        default=None,
        pattern=r"^[^@\s<>\"']+@[^@\s<>\"']+\.[A-Za-z]{2,}$",
        description="A contact e-mail address.",
    )
    url: WebUrl | None = Field(default=None, description="A homepage (an http:// or https:// URL).")


COMMERCIAL_FIELDS = ("vendor", "contact", "sla_url")


class Support(Submitted):
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        strict=True,
        # What commercial_needs_a_vendor checks, said in the published schema for editors.
        json_schema_extra={
            "if": {"properties": {"tier": {"const": "commercial"}}, "required": ["tier"]},
            "then": {"required": list(COMMERCIAL_FIELDS)},
        },
    )

    tier: RegistryTier = Field(description="community, verified or commercial.")
    vendor: OneLine | None = Field(
        default=None,
        min_length=1,
        max_length=100,
        description="The company that sells support (required for commercial entries).",
    )
    contact: str | None = Field(
        default=None,
        min_length=3,
        max_length=200,
        description="How to reach the vendor: an e-mail address or an http(s) URL (required for commercial entries).",
    )
    sla_url: WebUrl | None = Field(
        default=None,
        description="The vendor's support terms or SLA page, an http(s) URL (required for commercial entries).",
    )

    @model_validator(mode="after")
    def commercial_needs_a_vendor(self) -> Support:
        if self.tier == "commercial":
            missing = [f for f in COMMERCIAL_FIELDS if getattr(self, f) is None]
            if missing:
                # One problem per field (hub.datafiles reads `fields`), as for any missing field.
                raise PydanticCustomError(
                    "needed_by",
                    "a commercial entry needs {needed}",
                    {"needed": ", ".join(missing), "fields": missing, "because": "a commercial entry needs it"},
                )
        return self


class DeclaredCompatibility(Submitted):
    fapilog: Specifier = Field(description="A PEP 440 version range of fapilog, e.g. '>=0.18,<0.19'.")
    python: Specifier | None = Field(default=None, description="A PEP 440 version range of Python, e.g. '>=3.10'.")


class RegistryEntry(Submitted):
    """One external fapilog plugin package, listed in the fapilog hub catalog. One YAML file
    per package in registry/plugins/, named <package>.yml."""

    package: str = Field(
        pattern=PACKAGE_PATTERN,
        description="The distribution name that pip installs (the PyPI project name), e.g. fapilog-sqlite.",
    )
    description: OneLine = Field(
        min_length=10,
        max_length=DESCRIPTION_MAX,
        description=f"One line, 10 to {DESCRIPTION_MAX} characters, saying what the plugin does for the user.",
    )
    plugins: Annotated[list[DeclaredPlugin], AfterValidator(one_entry_per_plugin)] = Field(
        min_length=1,
        max_length=20,
        description="The plugins the package provides, as registered under fapilog's entry-point groups "
        "(fapilog.sinks, fapilog.redactors, ...).",
    )
    repository: WebUrl = Field(description="Where the source lives (an http:// or https:// URL).")
    documentation: WebUrl | None = Field(
        default=None, description="The plugin's documentation (an http:// or https:// URL)."
    )
    install_url: GitUrl | None = Field(
        default=None,
        description="Only for packages not on PyPI: a pip VCS URL such as "
        "git+https://github.com/owner/repo#subdirectory=path.",
    )
    maintainers: list[Maintainer] = Field(
        min_length=1,
        max_length=10,
        description="Who maintains the package: at least one person or organisation.",
    )
    license: OneLine = Field(
        min_length=2,
        max_length=64,
        description="The package's license as an SPDX expression, e.g. Apache-2.0 or MIT.",
    )
    tags: Tags = Field(
        default_factory=list,
        description="Up to 10 lowercase tags (letters, digits, dashes) that help people find the plugin, "
        "e.g. aws, pii, database.",
    )
    date_added: TextDate = Field(description="The date the entry was added, as YYYY-MM-DD.")
    support: Support = Field(
        description="Who supports the plugin. community: listed after automated checks. verified: the hub's CI "
        "installs it and runs its usage example and fapilog's validators. commercial: a vendor sells support "
        "(vendor, contact and sla_url required)."
    )
    pricing: Pricing = Field(description="free, freemium or paid.")
    funding: Annotated[list[WebUrl], AfterValidator(no_duplicates)] = Field(
        default_factory=list,
        max_length=5,
        description="Up to 5 links where users can fund the maintainers (GitHub Sponsors, Open Collective, ...).",
        json_schema_extra={"uniqueItems": True},
    )
    compatibility: DeclaredCompatibility = Field(description="Which versions the plugin supports.")


# --- discovery: what is installed, reported by the probe subprocess ----------------------


class DiscoveredPlugin(BaseModel):
    """A plugin fapilog can see in the build environment (built-in or entry point)."""

    type: PluginType
    name: str
    origin: Literal["builtin", "entry-point"]
    distribution: str
    distribution_version: str
    target: str = Field(description="module:attribute that fapilog instantiates")
    entry_point: str | None = Field(default=None, description="group: name = target, for entry points")
    registered: bool = Field(description="fapilog can load it by name (core.sinks=[name], ...)")
    aliases: list[str] = Field(default_factory=list)
    metadata: dict[str, Any] | None = Field(default=None, description="PLUGIN_METADATA as validated by fapilog")
    metadata_errors: list[str] = Field(default_factory=list)
    api_compatible: bool | None = None
    load_error: str | None = None
    imports: list[str] = Field(default_factory=list, description="third-party modules its source imports")
    needs_extras: list[str] = Field(default_factory=list)
    optional_imports: list[str] = Field(default_factory=list)


class Environment(BaseModel):
    """Facts about the build environment that discovery ran in."""

    python: str
    fapilog_version: str
    plugin_api_version: str
    fapilog_requires_python: str | None = None
    fapilog_license: str | None = None
    fapilog_maintainers: list[str] = Field(default_factory=list)
    fapilog_urls: dict[str, str] = Field(default_factory=dict)


class Discovery(BaseModel):
    environment: Environment
    plugins: list[DiscoveredPlugin]
    problems: list[str] = Field(default_factory=list)


# --- recorded release data (registry/releases.json) --------------------------------------


class Release(Strict):
    status: Literal["published", "not-on-pypi"]
    version: str | None = None
    date: dt.date | None = None
    source: WebUrl
    recorded: dt.date


class ReleaseData(Strict):
    note: str
    packages: dict[str, Release]


# --- the catalog entry: one per plugin, the only format pages and catalog.json use ------


class Install(BaseModel):
    requirement: str = Field(description="what pip installs: an extra of fapilog, a PyPI name or a VCS URL")
    pip: str
    pip_upgrade: str
    uv: str
    uv_upgrade: str


class Link(BaseModel):
    label: str
    url: WebUrl


class Person(BaseModel):
    name: str
    url: WebUrl | None = None


class Compatibility(BaseModel):
    fapilog: str = Field(description="the fapilog versions the plugin declares (PEP 440 range)")
    python: str | None = None
    checked_against: str = Field(description="the fapilog version this catalog was built with")
    status: Literal["compatible", "incompatible", "unknown"]
    notes: list[str] = Field(default_factory=list)


class ReleaseStatus(BaseModel):
    status: Literal["published", "not-on-pypi", "not-recorded"]
    version: str | None = None
    date: dt.date | None = None
    source: str | None = None
    recorded: dt.date | None = None
    state: Literal["active", "inactive", "archived", "unknown"]
    state_reason: str


class Configuration(BaseModel):
    schema_: dict[str, Any] | None = Field(default=None, alias="schema", serialization_alias="schema")
    defaults: dict[str, Any] | None = None
    source: str

    model_config = ConfigDict(populate_by_name=True)


class Usage(BaseModel):
    code: str
    file: str | None = Field(default=None, description="repository file the snippet comes from, if any")
    executed: bool = Field(description="the tests run this snippet and check that it loads the plugin")
    how: str = Field(description="how the tests run it, or why they do not")
    output: str | None = Field(default=None, description="sanitized output recorded by the tests")


class SupportInfo(BaseModel):
    tier: SupportTier
    vendor: str | None = None
    contact: str | None = None
    sla_url: str | None = None


class EvaluationSummary(BaseModel):
    """Slot for the evaluation runner (hub/evaluation): filled from its results file."""

    model_config = ConfigDict(extra="allow")
    results_file: str
    evaluated: dt.date | None = None


class ReviewSummary(BaseModel):
    """Slot for structured reviews: the aggregate that catalog.json carries."""

    count: int = 0
    average: float | None = None
    distribution: dict[str, int] = Field(default_factory=dict)


class CatalogEntry(BaseModel):
    """One plugin as the catalog shows it (a page, a card, an item of catalog.json).

    Immutable: hub/site.py makes the finished entry with model_copy(update=...), adding
    what the evaluation and the reviews found to what the catalog assembled.
    """

    model_config = ConfigDict(frozen=True)

    id: str = Field(description="'<type>/<name>', unique in the catalog")
    type: PluginType = Field(description="the plugin type, as fapilog's entry-point groups name it")
    name: str = Field(description="the name users put in fapilog's settings (core.sinks, core.redactors, ...)")
    aliases: list[str] = Field(default_factory=list, description="other names fapilog accepts for it")
    summary: str = Field(description="one line: the registry description, or the metadata's for built-ins")
    origin: Literal["builtin", "external"] = Field(description="part of fapilog, or from another package")
    package: str = Field(description="the distribution that provides it")
    package_version: str | None = Field(default=None, description="installed version in the build environment")
    plugin_version: str | None = Field(default=None, description="PLUGIN_METADATA version")
    api_version: str | None = Field(default=None, description="plugin API version declared in PLUGIN_METADATA")
    target: str | None = Field(default=None, description="module:attribute fapilog instantiates")
    entry_point: str | None = Field(default=None, description="'group: name = target', for external plugins")
    loadable_by_name: bool = Field(description="whether fapilog's settings can enable it by name")
    tags: list[str] = Field(default_factory=list)
    extra: str | None = Field(default=None, description="the fapilog extra a built-in needs, derived from its imports")
    optional_imports: list[str] = Field(
        default_factory=list, description="modules it uses when installed that no fapilog extra brings"
    )
    install: Install
    compatibility: Compatibility
    links: list[Link] = Field(default_factory=list)
    maintainers: list[Person] = Field(default_factory=list)
    license: str | None = Field(default=None, description="SPDX expression")
    support: SupportInfo = Field(description="core (fapilog itself), verified, community or commercial")
    pricing: Pricing
    funding: list[str] = Field(default_factory=list, description="http(s) links to fund the maintainers")
    release: ReleaseStatus = Field(description="latest release as recorded from PyPI, and the staleness state")
    date_added: dt.date | None = Field(default=None, description="when the registry entry was added")
    configuration: Configuration | None = Field(default=None, description="config_schema and default_config")
    usage: Usage
    verified_in_build: bool = Field(description="installed in the build environment and its metadata validated")
    problems: list[str] = Field(default_factory=list, description="what a user should know before using it")
    page: str = Field(description="site-relative URL of the plugin's page")
    sources: list[str] = Field(description="the files and records this entry was made from")
    # Set by hub/site.py from the evaluation results and the reviews; null until then.
    evaluation: EvaluationSummary | None = Field(default=None, description="results of the plugin evaluation")
    quality_tier: Literal["bronze", "silver", "gold"] | None = Field(
        default=None, description="computed by the plugin evaluation from documented rules"
    )
    reviews: ReviewSummary | None = Field(default=None, description="aggregate of the structured reviews")


class Source(BaseModel):
    path: str
    detail: str
    recorded: dt.date | None = None


CATALOG_SCHEMA_VERSION = "1.0"


class Catalog(BaseModel):
    """The whole catalog as published in catalog.json."""

    schema_version: Literal["1.0"] = Field(default=CATALOG_SCHEMA_VERSION, description="this format's version")
    fapilog_version: str = Field(description="the fapilog version the catalog was built and checked with")
    plugin_count: int
    sources: list[Source] = Field(description="the files and records the catalog was made from")
    plugins: list[CatalogEntry]
