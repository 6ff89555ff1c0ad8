// Plugin pages: filter the reviews by plugin version (hub/templates/reviews/section.md.j2).
// Without JavaScript every review shows and the filter stays hidden.
(function () {
  function setUp() {
    var root = document.querySelector("[data-hub-reviews]");
    var filter = root && root.querySelector("[data-hub-reviews-filter]");
    if (!filter || filter.dataset.ready) return;
    filter.dataset.ready = "1";
    var select = filter.querySelector("select");
    var shown = root.querySelector("[data-hub-reviews-shown]");
    var items = Array.prototype.slice.call(root.querySelectorAll(".hub-review"));
    filter.hidden = false;
    select.addEventListener("change", function () {
      var version = select.value;
      var count = 0;
      items.forEach(function (item) {
        var match = !version || item.dataset.version === version;
        item.hidden = !match;
        if (match) count += 1;
      });
      shown.textContent =
        count + (count === 1 ? " review" : " reviews") + (version ? " of version " + version : "") + ", newest first.";
    });
  }
  // Material's instant navigation swaps pages without a load event; document$ signals each.
  if (window.document$) window.document$.subscribe(setUp);
  else document.addEventListener("DOMContentLoaded", setUp);
})();
