// Plugin catalog: search, filters and copy buttons on the static catalog page.
//
// The cards are rendered at build time (hub/templates/catalog/index.md.j2), so the page
// works without JavaScript; this file only hides the cards that do not match. The
// filter state lives in the address (?query=…&type=…) so a filtered view can be shared.
// Card text is only ever read from data attributes and written with textContent: never
// parsed as HTML. Parameter names avoid "q" and "h", which Material's search uses.
(function () {
  "use strict";

  // The stack composer (composer.js) is loaded by the page that has one, not by every page.
  // (An inline copy of this file, as one browser test uses, has no src: none is loaded.)
  var HERE = document.currentScript ? document.currentScript.src : "";

  var FIELDS = ["query", "type", "tag", "tier", "compat", "sort"];
  // At most this many matches are laid out until the reader asks for all: with a large
  // ecosystem, the cost of a keystroke then stays bounded by the page, not the catalog.
  var PAGE_SIZE = 48;

  var QUALITY = { gold: 3, silver: 2, bronze: 1 };  // no tier: 0, last

  // ISO dates compare as text; a card without the date sorts after every card with one.
  function newestFirst(x, y) {
    if (x === y) return 0;
    if (!x) return 1;
    if (!y) return -1;
    return x < y ? 1 : -1;
  }

  // The "Sort" choices; ties keep the build's order.
  var ORDERS = {
    name: function (a, b) { return a.name < b.name ? -1 : a.name > b.name ? 1 : 0; },
    rating: function (a, b) { return b.rating - a.rating || b.reviews - a.reviews; },  // unrated last
    quality: function (a, b) { return b.quality - a.quality; },
    added: function (a, b) { return newestFirst(a.added, b.added); },
    released: function (a, b) { return newestFirst(a.released, b.released); },
  };

  function words(text) {
    return text.toLowerCase().split(/\s+/).filter(Boolean);
  }

  function loadComposer() {
    if (!HERE || !document.getElementById("hub-composer") || window.HubComposer || document.querySelector("script[data-hub-composer]")) return;
    var script = document.createElement("script");
    script.src = new URL("composer.js", HERE).href;
    script.dataset.hubComposer = "";
    document.head.appendChild(script);
  }

  function init() {
    loadComposer();
    var root = document.getElementById("hub-catalog");
    if (!root || root.dataset.ready) return;
    root.dataset.ready = "true";

    var form = root.querySelector("form[data-hub-filters]");
    var count = root.querySelector("#hub-catalog-count");
    var empty = root.querySelector(".hub-catalog__empty");
    var more = root.querySelector(".hub-catalog__more");
    var limit = PAGE_SIZE;
    var total = Number(root.dataset.total);
    var cards = Array.prototype.map.call(root.querySelectorAll(".hub-card"), function (el, position) {
      return {
        el: el,
        position: position,  // the build's order, the tie-breaker of every sort
        name: el.dataset.name,
        quality: QUALITY[el.dataset.quality] || 0,
        added: el.dataset.added,
        released: el.dataset.released,
        type: el.dataset.type,
        tags: el.dataset.tags.split(" "),
        tier: el.dataset.tier,
        compat: el.dataset.compat,
        text: el.dataset.search,
        rating: el.dataset.rating ? Number(el.dataset.rating) : -1,  // unrated sorts last
        reviews: Number(el.dataset.reviews || 0),
        shown: true,
      };
    });
    var list = root.querySelector(".hub-catalog__list");
    var listed = cards.slice();  // the build's order, restored by "As listed"
    var sortedBy = "";

    // Restore a shared view: only values the page offers are taken from the address.
    var params = new URLSearchParams(window.location.search);
    FIELDS.forEach(function (name) {
      var control = form.elements[name];
      var value = params.get(name);
      if (!control || value === null) return;
      if (control.tagName === "SELECT") {
        var offered = Array.prototype.some.call(control.options, function (o) { return o.value === value; });
        if (offered) control.value = value;
      } else {
        control.value = value;
      }
    });

    function state() {
      var s = {};
      FIELDS.forEach(function (name) { s[name] = form.elements[name].value.trim(); });
      return s;
    }

    function matches(card, s, terms) {
      if (s.type && card.type !== s.type) return false;
      if (s.tier && card.tier !== s.tier) return false;
      if (s.compat && card.compat !== s.compat) return false;
      if (s.tag && card.tags.indexOf(s.tag) < 0) return false;
      for (var i = 0; i < terms.length; i++) {
        if (card.text.indexOf(terms[i]) < 0) return false;
      }
      return true;
    }

    function sort(by) {
      if (by === sortedBy) return;
      sortedBy = by;
      var order = listed.slice();
      var compare = ORDERS[by];
      if (compare) {
        order.sort(function (a, b) { return compare(a, b) || a.position - b.position; });
      }
      order.forEach(function (card) { list.appendChild(card.el); });
      cards = order;  // the page limit below then keeps the first in this order, not the first listed
    }

    function apply() {
      var s = state();
      sort(s.sort);
      var terms = words(s.query);
      var matched = 0;
      for (var i = 0; i < cards.length; i++) {
        var card = cards[i];
        var show = matches(card, s, terms) && matched++ < limit;
        if (show !== card.shown) {  // touch the DOM only where something changes
          card.el.hidden = !show;
          card.shown = show;
        }
      }
      var text = matched === total ? total + " plugins" : matched + " of " + total + " plugins";
      if (matched > limit) text += ", showing the first " + limit;
      count.textContent = text;
      empty.hidden = matched !== 0;
      more.hidden = matched <= limit;
      more.textContent = "Show all " + matched;

      var url = new URL(window.location.href);
      FIELDS.forEach(function (name) {
        if (s[name]) url.searchParams.set(name, s[name]);
        else url.searchParams.delete(name);
      });
      if (url.href !== window.location.href) window.history.replaceState(window.history.state, "", url.href);
    }

    function filter() {
      limit = PAGE_SIZE;  // a new question starts from the first page of answers
      apply();
    }

    form.addEventListener("input", filter);
    form.addEventListener("change", filter);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function () { window.setTimeout(filter, 0); });  // after the fields clear
    more.addEventListener("click", function () {
      limit = Infinity;
      apply();
    });
    apply();
  }

  function copy(button) {
    var text = button.dataset.copy;
    var done = function () {
      button.textContent = "Copied";
      window.setTimeout(function () { button.textContent = "Copy"; }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { fallbackCopy(text) && done(); });
    } else if (fallbackCopy(text)) {
      done();
    }
  }

  // Pages served over plain http from another host have no clipboard API.
  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }

  // One listener for every copy button, the cards' and the composer's, on any page.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.hub-copy") : null;
    if (button && button.dataset.copy) copy(button);
  });

  // Material's instant navigation swaps pages without a reload and announces each new
  // page on document$; without it, initialise once the document is ready.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
