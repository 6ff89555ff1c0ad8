"""hub.catalog.composer: what each plugin contributes to a stack, checked against fapilog 0.18.1.

The composition itself (composer.js) and its outputs run in tests/e2e/test_composer.py;
here, the per-plugin data it is given: real builder methods with arguments they accept,
settings paths fapilog knows, the sinks processors can reach, the JSON block's escaping.
"""

from __future__ import annotations

import ast
import html
import inspect
import json
import re

import pytest

from catalog_support import BUILTINS, build, entry, installed
from hub.catalog import composer, render
from hub.checks import fapilog_model

COMPOSABLE_BUILTINS = {f"{t}/{n}" for t, names in BUILTINS.items() for n in names} - {"sink/mmap_persistence"}


def small_catalog(**install_changes):
    registry = {
        "example.yml": entry(
            plugins=[{"type": "sink", "name": "example"}, {"type": "filter", "name": "example_f"}],
            install_url="git+https://github.com/example/fapilog-example",
        )
    }
    builtin = {"origin": "builtin", "distribution": "fapilog", "entry_point": None}
    plugins = [
        installed(),
        installed(name="example_f", plugin_type="filter"),
        installed(name="rotating_file", target="fapilog.plugins.sinks.rotating_file:RotatingFileSink", **builtin),
        installed(name="mmap_persistence", registered=False, **builtin),
    ]
    catalog = build(registry, plugins).catalog
    for p in catalog.plugins:
        for key, value in install_changes.items():
            setattr(p.install, key, value)
    return catalog


def test_every_builtin_fapilog_can_enable_by_name_has_a_recipe():
    assert set(composer.BUILTIN) == COMPOSABLE_BUILTINS


def builder_call(text: str) -> tuple[str, list, dict]:
    node = ast.parse(text, mode="eval").body
    assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name), text
    args = [ast.literal_eval(a) for a in node.args]
    kwargs = {k.arg: ast.literal_eval(k.value) for k in node.keywords}
    return node.func.id, args, kwargs


# Plugins without a builder call get Settings code, which test_composer.py runs.
@pytest.mark.parametrize("plugin", sorted(k for k, r in composer.BUILTIN.items() if r.builder))
def test_each_builder_call_is_a_method_of_fapilogs_builder_with_arguments_it_takes(plugin):
    from fapilog import LoggerBuilder

    name, args, kwargs = builder_call(composer.BUILTIN[plugin].builder)
    method = getattr(LoggerBuilder, name)
    inspect.signature(method).bind(LoggerBuilder(), *args, **kwargs)  # raises on a wrong argument
    builder = LoggerBuilder()
    assert getattr(builder, name)(*args, **kwargs) is builder  # the builder accepts the values


def leaf_paths(tree: dict, prefix=()) -> list[list[str]]:
    return [
        p
        for k, v in tree.items()
        for p in (leaf_paths(v, (*prefix, k)) if isinstance(v, dict) and v else [[*prefix, k]])
    ]


@pytest.mark.parametrize("plugin", sorted(composer.BUILTIN))
def test_each_settings_path_means_something_to_fapilog(plugin):
    paths = leaf_paths(composer.BUILTIN[plugin].settings)
    assert [problem for path in paths for problem in fapilog_model.resolve(path)] == []


def test_the_builtins_the_builder_cannot_set_up_are_the_ones_manage_md_names():
    """docs/catalog/manage.md, "Combine plugins into a stack", lists these four."""
    without = {plugin for plugin, r in composer.BUILTIN.items() if r.builder is None}
    assert without == {"sink/http", "sink/routing", "redactor/string_truncate", "processor/zero_copy"}


def test_json_paths_are_fapilogs_free_form_fields():
    assert composer.json_path(("sink_config", "extra", "routing", "routes")) == ("sink_config", "extra")
    assert composer.json_path(("filter_config", "sampling", "sample_rate")) == ("filter_config", "sampling")
    assert composer.json_path(("sink_config", "rotating_file", "directory")) is None  # a model: one variable a field
    with pytest.raises(ValueError, match="not a settings path"):
        composer.json_path(("sink_config", "rotating_fil", "directory"))


def test_the_sinks_processors_reach_are_those_with_write_serialized_that_need_no_start():
    """rotating_file has write_serialized, but the serialized path never starts it
    (docs/guides/troubleshooting.md, and test_composer.py sees its folder stay empty)."""
    sinks = fapilog_model.builtin_plugins()["fapilog.sinks"]
    with_method = {name for name, cls in sinks.items() if hasattr(cls, "write_serialized")}
    assert with_method - {"rotating_file"} == composer.SERIALIZED_SINKS


def test_records_carry_the_catalogs_requirement_and_the_builder_methods_that_take_any_name():
    catalog = small_catalog()
    records = {r["id"]: r for r in composer.data(catalog)["plugins"]}
    assert "sink/mmap_persistence" not in records  # fapilog cannot enable it by name
    by_id = {p.id: p for p in catalog.plugins}
    sink, filt, builtin = records["sink/example"], records["filter/example_f"], records["sink/rotating_file"]
    assert (
        sink["requirement"]
        == by_id["sink/example"].install.requirement
        == ("fapilog-example @ git+https://github.com/example/fapilog-example")
    )
    assert sink["external"] and sink["builder"] is None and sink["list"] == "sinks"
    assert filt["builder"] == 'with_filters("example_f")'
    assert builtin["requirement"] is None and builtin["builder"] == 'add_file("logs")' and not builtin["external"]
    assert builtin["serialized"] is False and filt["serialized"] is None


HOSTILE = "</script><script>window.__hub_xss=1</script>\"' onload='x' <!-- \u2028 & \u2029 ]]>"


def test_the_page_json_carries_no_markup_whatever_the_registry_says():
    text = composer.page_json({"summary": HOSTILE})
    assert not re.search(r"[<>&\u2028\u2029]", text)
    assert json.loads(text) == {"summary": HOSTILE}


def test_the_catalog_page_embeds_the_data_escaped_and_intact():
    catalog = small_catalog(requirement=f"fapilog-example {HOSTILE}")
    page = render.index_page(catalog)
    attributes = re.findall(r'<div class="hub-composer" id="hub-composer" data-composer="([^"]*)">', page)
    assert len(attributes) == 1  # the value ends at the first quote: none of the JSON's got through
    embedded = json.loads(html.unescape(attributes[0]))
    assert embedded == json.loads(json.dumps(composer.data(catalog)))
    assert HOSTILE in embedded["plugins"][-1]["requirement"]
    # One checkbox per composable plugin, its value the plugin's id.
    assert re.findall(r'<input type="checkbox" name="plugin" value="([^"]+)">', page) == [
        r["id"] for r in composer.data(catalog)["plugins"]
    ]
