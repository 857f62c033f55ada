// Starts Pagefind's search UI on the search page. Pagefind picks the index of the page's
// <html lang>, so each language searches only its own articles. A language indexed in slices
// lists the other slices' bundles in data-merge: their results are merged into one list. Each of
// those slices also holds a record of the language's words, which keeps a slice from answering
// a word it lacks with looser ones; the search is limited to articles (the filter gazette:
// article), so that record is never a result, and the filter's panel is hidden.
(function () {
  var element = document.getElementById("search");
  if (!element || typeof PagefindUI === "undefined") return;
  var merged = (element.getAttribute("data-merge") || "").split(" ").filter(Boolean);
  var ui = new PagefindUI({
    element: "#search",
    bundlePath: element.getAttribute("data-bundle-path"),
    mergeIndex: merged.map(function (path) {
      return { bundlePath: path };
    }),
    showImages: false,
    showSubResults: true,
  });
  if (merged.length > 0) ui.triggerFilters({ gazette: "article" });
  // Pagefind labels its input with a title only; screen readers and axe want a real name.
  var input = element.querySelector("input");
  if (input) input.setAttribute("aria-label", element.getAttribute("data-label") || input.title);
  // Result titles are bold <p>s: make them headings under the page's <h1> (results at level 2,
  // sections of a result at level 3), so they can be navigated as headings (axe: p-as-heading).
  function markHeadings() {
    var titles = element.querySelectorAll(".pagefind-ui__result-title:not([role])");
    for (var i = 0; i < titles.length; i++) {
      titles[i].setAttribute("role", "heading");
      titles[i].setAttribute("aria-level", titles[i].closest(".pagefind-ui__result-nested") ? "3" : "2");
    }
  }
  // The filter only keeps the words' records out: no panel to choose it (inline: Pagefind's CSS sets its display).
  function hideFilterPanel() {
    var panel = element.querySelector(".pagefind-ui__filter-panel");
    if (panel && panel.style.display !== "none") panel.style.display = "none";
  }
  function adjust() {
    markHeadings();
    if (merged.length > 0) hideFilterPanel();
  }
  if (typeof MutationObserver !== "undefined") new MutationObserver(adjust).observe(element, { childList: true, subtree: true });
})();
