// sitegen's only script (no inline script: the pages' Content-Security-Policy forbids it).
// It remembers which script a reader picks and, on the root page, sends them there:
// their remembered choice first, else the first of their browser's languages that
// names a script or region. Without JavaScript the root page is a plain chooser.
(function () {
  "use strict";
  var KEY = "sitegen-variant";

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-variant]");
    if (!link) return;
    try { localStorage.setItem(KEY, link.getAttribute("data-variant")); } catch (ignored) {}
  });

  var chooser = document.getElementById("script-choice");
  if (!chooser || /[?&]choose\b/.test(location.search)) return;
  var links = Array.prototype.slice.call(chooser.querySelectorAll("a[data-variant]"));

  function script(tag) {
    tag = tag.toLowerCase();
    if (/-(hant|tw|hk|mo)\b/.test(tag)) return "hant";
    if (/-(hans|cn|sg|my)\b/.test(tag) || tag === "zh") return "hans";
    return "";
  }

  function find(tag) {
    if (!tag) return null;
    var exact = links.filter(function (a) { return a.getAttribute("data-variant").toLowerCase() === tag.toLowerCase(); });
    if (exact.length) return exact[0];
    var wanted = script(tag);
    var same = links.filter(function (a) { return wanted && script(a.getAttribute("data-variant")) === wanted; });
    return same.length ? same[0] : null;
  }

  var remembered = null;
  try { remembered = localStorage.getItem(KEY); } catch (ignored) {}
  var target = find(remembered);
  var languages = navigator.languages || [navigator.language || ""];
  for (var i = 0; !target && i < languages.length; i++) {
    if (/^zh\b/i.test(languages[i])) target = find(languages[i]);
  }
  if (target) location.replace(target.href);
})();
