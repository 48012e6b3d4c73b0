/// The script added to pages served in preview (never to `dossier build` output). It
/// listens to the event stream: `reload` reloads the page and keeps the scroll position,
/// `css` swaps stylesheets in place, `build-error` shows the diagnostics over the page and
/// `ok` removes them.
enum ReloadScript {
    static let source = #"""
    (function () {
      "use strict";
      var key = "dossier-scroll:" + location.pathname;
      var saved = sessionStorage.getItem(key);
      if (saved !== null) {
        sessionStorage.removeItem(key);
        window.addEventListener("load", function () { window.scrollTo(0, parseInt(saved, 10) || 0); });
      }
      var overlay = null;
      function hideOverlay() { if (overlay) { overlay.remove(); overlay = null; } }
      function showOverlay(report) {
        hideOverlay();
        overlay = document.createElement("div");
        overlay.id = "dossier-error-overlay";
        overlay.setAttribute("role", "alert");
        overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,23,26,.94);" +
          "color:#f5f5f5;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;padding:2rem;";
        var title = document.createElement("h2");
        title.textContent = "Dossier: the build failed — the last good version is still being served";
        title.style.cssText = "font:700 18px/1.3 system-ui,sans-serif;margin:0 0 1rem;color:#ffb4a9;";
        overlay.appendChild(title);
        (report.diagnostics || []).forEach(function (d) {
          var block = document.createElement("pre");
          block.style.cssText = "white-space:pre-wrap;margin:0 0 1rem;padding:.75rem;background:#000;border-left:4px solid #ff6b57;";
          block.textContent = d.text;
          overlay.appendChild(block);
        });
        var hint = document.createElement("p");
        hint.textContent = "Fix the file and save: this page updates by itself.";
        hint.style.cssText = "font-family:system-ui,sans-serif;color:#ccc;";
        overlay.appendChild(hint);
        document.body.appendChild(overlay);
      }
      // The page is named so that an edit renders it before the reload (others may follow).
      var source = new EventSource("/__dossier/events?page=" + encodeURIComponent(location.pathname));
      source.addEventListener("reload", function () {
        sessionStorage.setItem(key, String(window.scrollY));
        location.reload();
      });
      source.addEventListener("css", function () {
        hideOverlay();
        document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
          var url = new URL(link.href);
          url.searchParams.set("dossier", String(Date.now()));
          link.href = url.toString();
        });
      });
      source.addEventListener("build-error", function (event) { showOverlay(JSON.parse(event.data)); });
      source.addEventListener("ok", hideOverlay);
    })();
    """#
}
