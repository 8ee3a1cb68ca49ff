// Live reload for `sitegen serve` (served at /__sitegen/reload.js, never written to public/).
// Listens on an event stream: reloads the page after a good build, swaps stylesheets when
// only CSS changed, and shows the build error over the last good page until the next good save.
// The stream is closed while the tab is hidden: browsers allow few connections per host.
(function () {
  "use strict";
  var me = document.currentScript;
  var loadedEpoch = Number(me.getAttribute("data-epoch"));
  var base = me.src.replace(/reload\.js(\?.*)?$/, "");
  var source = null;
  var overlay = null;

  function showError(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "sitegen-error";
      overlay.setAttribute("role", "alert");
      var s = overlay.style;
      s.position = "fixed"; s.inset = "0"; s.zIndex = "2147483647"; s.overflow = "auto";
      s.background = "rgba(20, 20, 24, 0.92)"; s.color = "#ffd5d5"; s.padding = "2rem";
      s.font = "14px/1.6 ui-monospace, monospace"; s.whiteSpace = "pre-wrap";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "sitegen: the last save did not build\n\n" + text;
  }

  function swapStyles(epoch) {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      var clean = links[i].href.replace(/([?&])sitegen-epoch=\d+(&?)/, function (_, lead, tail) {
        return tail ? lead : "";
      });
      links[i].href = clean + (clean.indexOf("?") < 0 ? "?" : "&") + "sitegen-epoch=" + epoch;
    }
    loadedEpoch = epoch;
  }

  function handle(message) {
    if (message.type === "error") { showError(message.error); return; }
    if (message.type === "css" && !overlay) { swapStyles(message.epoch); return; }
    if (message.epoch !== loadedEpoch) location.reload();
  }

  function connect() {
    if (source) return;
    source = new EventSource(base + "events");
    source.onmessage = function (event) { handle(JSON.parse(event.data)); };
  }

  function disconnect() {
    if (source) { source.close(); source = null; }
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") disconnect(); else connect();
  });
  if (document.visibilityState !== "hidden") connect();
})();
