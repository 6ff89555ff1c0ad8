// Material's search container has role="dialog" but no accessible name (axe-core:
// aria-dialog-name). The header survives instant navigation, so naming it once is enough.
const search = document.querySelector(".md-search[role=dialog]");
if (search) search.setAttribute("aria-label", "Search");
