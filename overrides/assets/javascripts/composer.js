// Stack composer on the catalog page: the one implementation of a composition.
//
// HubComposer.compose(data, ids) takes the per-plugin records that hub/catalog/composer.py
// embeds in the page (the data-composer attribute) and the chosen plugin ids, and returns {pip, uv, python, env,
// warnings}. It is pure (no DOM, no network), so the browser tests call it directly for
// every plugin and many combinations, then run each output against fapilog. The rest of
// this file only wires it to the checkboxes and keeps the choice in the address
// (?stack=sink/rotating_file,filter/level), so a stack can be shared.
// catalog.js loads this file, and only on a page that has a composer.
(function () {
  "use strict";

  var DEFAULT_ENRICHERS = ["runtime_info", "context_vars"];
  var SHELL_SAFE = /^[A-Za-z0-9_.\/:@%+=,-]+$/;

  function words(names) {
    if (names.length < 2) return names.join("");
    return names.slice(0, -1).join(", ") + " and " + names[names.length - 1];
  }

  function shellQuote(text) {
    return SHELL_SAFE.test(text) ? text : "'" + text.replace(/'/g, "'\\''") + "'";
  }

  // Python source for a JSON value: JSON's string escapes are valid in Python too.
  function pyLiteral(value) {
    if (value === null) return "None";
    if (value === true) return "True";
    if (value === false) return "False";
    if (Array.isArray(value)) return "[" + value.map(pyLiteral).join(", ") + "]";
    if (typeof value === "object") {
      return "{" + Object.keys(value).map(function (k) { return JSON.stringify(k) + ": " + pyLiteral(value[k]); }).join(", ") + "}";
    }
    return JSON.stringify(value);
  }

  function merge(target, source) {
    Object.keys(source).forEach(function (key) {
      var value = source[key];
      if (value && typeof value === "object" && !Array.isArray(value)) {
        if (!target[key] || typeof target[key] !== "object") target[key] = {};
        merge(target[key], value);
      } else {
        target[key] = value;
      }
    });
    return target;
  }

  // FAPILOG_<PATH joined by __>: lists and fapilog's free-form dict fields are one
  // variable holding JSON (pydantic-settings would leave a dict's inner values as text).
  function flatten(node, path, jsonPaths, out) {
    Object.keys(node).forEach(function (key) {
      var at = path.concat(key);
      var value = node[key];
      var name = "FAPILOG_" + at.join("__").toUpperCase();
      if (jsonPaths[at.join(".")] || Array.isArray(value)) out.push([name, JSON.stringify(value)]);
      else if (value && typeof value === "object") flatten(value, at, jsonPaths, out);
      else out.push([name, String(value)]);
    });
    return out;
  }

  // Double quotes as the catalog's cards write them; single quotes where a shell would
  // expand something inside double quotes (a registry URL may hold a "$" or a backtick).
  function requirement(text) {
    if (/^[A-Za-z0-9._=-]+$/.test(text)) return text;
    return /[$`\\"!]/.test(text) ? "'" + text.replace(/'/g, "'\\''") + "'" : '"' + text + '"';
  }

  function trap(data, id, values) {
    var t = data.traps[id];
    var text = t.text.replace(/\{(\w+)\}/g, function (_, key) { return values[key]; });
    return { id: id, text: text, link: t.link };
  }

  function compose(data, ids) {
    var wanted = {};
    (ids || []).forEach(function (id) { wanted[id] = true; });
    var chosen = data.plugins.filter(function (p) { return wanted[p.id]; });  // the catalog's order
    var of = function (type) { return chosen.filter(function (p) { return p.type === type; }); };
    var names = function (list) { return list.map(function (p) { return p.name; }); };
    var external = chosen.filter(function (p) { return p.external; });
    var processors = of("processor");

    // Install: fapilog's extras merged into one pinned requirement, then each external package.
    var extras = [];
    chosen.forEach(function (p) { if (p.extra && extras.indexOf(p.extra) < 0) extras.push(p.extra); });
    extras.sort();
    var reqs = ["fapilog" + (extras.length ? "[" + extras.join(",") + "]" : "") + "==" + data.fapilog_version];
    external.forEach(function (p) { if (reqs.indexOf(p.requirement) < 0) reqs.push(p.requirement); });
    var args = reqs.map(requirement).join(" ");

    // Settings: each plugin's name in its core list, then what it configures.
    var tree = { core: {} };
    var jsonPaths = {};
    chosen.forEach(function (p) {
      (tree.core[p.list] = tree.core[p.list] || []).push(p.name);
      merge(tree, p.settings);
      p.env_json.forEach(function (path) { jsonPaths[path] = true; });
    });
    if (processors.length) tree.core.serialize_in_flush = true;
    if (external.length) tree.plugins = { allow_external: true };
    var env = ["# Read with get_logger(settings=Settings()): see the warnings."].concat(
      flatten(tree, [], jsonPaths, []).map(function (pair) { return "export " + pair[0] + "=" + shellQuote(pair[1]); })
    ).join("\n");

    // Python: the builder when every plugin has a working method, Settings otherwise.
    var missing = chosen.filter(function (p) { return p.builder === null; });
    var lines;
    if (missing.length) {
      lines = ["import asyncio", "", "from fapilog import Settings, get_logger", "", "settings = Settings("];
      Object.keys(tree).forEach(function (key) {
        var value = tree[key];
        if (!Object.keys(value).length) return;
        var inline = "    " + key + "=" + pyLiteral(value) + ",";
        if (inline.length <= 88) {
          lines.push(inline);
          return;
        }
        lines.push("    " + key + "={");  // one entry a line, as a formatter would wrap it
        Object.keys(value).forEach(function (k) { lines.push("        " + JSON.stringify(k) + ": " + pyLiteral(value[k]) + ","); });
        lines.push("    },");
      });
      lines.push(")", "logger = get_logger(settings=settings)");
    } else {
      lines = ["import asyncio", "", "from fapilog import LoggerBuilder", "", "logger = (", "    LoggerBuilder()"];
      chosen.forEach(function (p) { lines.push("    ." + p.builder); });
      if (external.length) lines.push("    .with_plugins(allow_external=True)");
      lines.push("    .build()", ")");
    }
    lines.push(
      'logger.info("service started")',
      "# Drain before the program ends: fapilog " + data.fapilog_version + "'s exit handler cannot.",
      "asyncio.run(logger.stop_and_drain())"
    );

    // Warnings: the traps the site documents, for this stack.
    var warnings = [];
    if (missing.length) warnings.push(trap(data, "no_builder", { plugins: words(names(missing)) }));
    var seen = {};
    chosen.forEach(function (p) {
      p.traps.forEach(function (id) {
        if (seen[id]) return;
        seen[id] = true;
        var sinks = names(chosen.filter(function (q) { return q.batching; }));
        warnings.push(trap(data, id, { sinks: words(sinks) }));
      });
    });
    var filters = of("filter");
    if (filters.length && !wanted["filter/level"]) {
      warnings.push(trap(data, "filters_level_gate", { filters: words(names(filters)) }));
    }
    if (of("redactor").length && !wanted["redactor/url_credentials"]) {
      warnings.push(trap(data, "redactors_replace_default", {}));
    }
    var enrichers = names(of("enricher"));
    var lost = DEFAULT_ENRICHERS.filter(function (n) { return enrichers.length && enrichers.indexOf(n) < 0; });
    if (lost.length) warnings.push(trap(data, "enrichers_replace_default", { missing: words(lost) }));
    if (processors.length) {
      warnings.push(trap(data, "processors_serialize", {}));
      var unserialized = names(of("sink").filter(function (p) { return !p.serialized; }));
      if (unserialized.length) warnings.push(trap(data, "processors_sinks", { sinks: words(unserialized) }));
    }
    if (external.length) warnings.push(trap(data, "external", {}));
    if (chosen.length) warnings.push(trap(data, "env_settings", {}));

    return {
      pip: "pip install " + args,
      uv: "uv add " + args,
      python: lines.join("\n"),
      env: env,
      warnings: warnings,
    };
  }

  window.HubComposer = { compose: compose };

  // --- the page: checkboxes in, outputs and warnings out, the choice in the address ---

  function init() {
    var root = document.getElementById("hub-composer");
    if (!root || !root.dataset.composer || root.dataset.ready) return;
    root.dataset.ready = "true";
    var data = JSON.parse(root.dataset.composer);  // written by hub/catalog/composer.py
    var boxes = Array.prototype.slice.call(root.querySelectorAll("input[type=checkbox][name=plugin]"));
    var known = {};
    boxes.forEach(function (box) { known[box.value] = box; });

    var shared = new URLSearchParams(window.location.search).get("stack");
    (shared ? shared.split(",") : []).forEach(function (id) { if (known[id]) known[id].checked = true; });

    function render() {
      var ids = boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
      var out = compose(data, ids);
      root.querySelector("[data-empty]").hidden = ids.length > 0;
      root.querySelector("[data-outputs]").hidden = ids.length === 0;
      ["pip", "uv", "python", "env"].forEach(function (key) {
        root.querySelector("[data-output=" + key + "]").textContent = out[key];
        root.querySelector("[data-copy-output=" + key + "]").dataset.copy = out[key];
      });
      var list = root.querySelector("[data-warnings]");
      list.textContent = "";
      out.warnings.forEach(function (w) {
        var item = document.createElement("li");
        item.dataset.trap = w.id;
        item.appendChild(document.createTextNode(w.text + " "));
        var link = document.createElement("a");
        link.href = w.link;  // written by hub/catalog/composer.py, never registry text
        link.textContent = "Why";
        link.setAttribute("aria-label", "Why: " + w.text);
        item.appendChild(link);
        list.appendChild(item);
      });
      root.querySelector("[data-warnings-none]").hidden = out.warnings.length > 0;

      var url = new URL(window.location.href);
      if (ids.length) url.searchParams.set("stack", ids.join(","));
      else url.searchParams.delete("stack");
      if (url.href !== window.location.href) window.history.replaceState(window.history.state, "", url.href);
    }

    root.addEventListener("change", render);
    root.querySelector("button[data-clear]").addEventListener("click", function () {
      boxes.forEach(function (b) { b.checked = false; });
      render();
    });
    render();
  }

  // catalog.js may load this file after Material announced the page, so start now as well
  // as on every later page (init does nothing twice for one page).
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
