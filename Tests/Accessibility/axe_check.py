#!/usr/bin/env python3
"""Runs axe-core (Deque's accessibility rules engine) on every page of a built site, in
headless Chromium, as a desktop (1280 px) and a phone (390 px), in the light and the dark
colour scheme, and fails on any violation.

    axe_check.py OUTPUT_DIR AXE_JS [--chromium chromium]

The site is served from 127.0.0.1 on a free port. Each HTML response gets two scripts
before </body>: axe itself and a call that writes the violations into the page as JSON,
which `chromium --dump-dom` then prints. Nothing is written into OUTPUT_DIR.
"""
import argparse
import functools
import http.server
import json
import os
import re
import subprocess
import sys
import threading

MARK = "__dossier_axe__"
RUNNER = """<script src="/%s/axe.min.js"></script><script>
axe.run(document, {resultTypes: ["violations"]}).then(function (r) {
  var pre = document.createElement("pre");
  pre.id = "%s";
  pre.textContent = JSON.stringify(r.violations.map(function (v) {
    return {id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(function (n) { return n.target.join(" ") + ": " + (n.failureSummary || ""); })};
  }));
  document.body.appendChild(pre);
}, function (e) {
  var pre = document.createElement("pre"); pre.id = "%s"; pre.textContent = "ERROR " + e; document.body.appendChild(pre);
});
</script>""" % (MARK, MARK, MARK)


class Handler(http.server.SimpleHTTPRequestHandler):
    axe_js = b""

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path == "/%s/axe.min.js" % MARK:
            return self.reply(self.axe_js, "text/javascript")
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        if path.endswith(".html") and os.path.isfile(path):
            with open(path, "rb") as f:
                html = f.read().decode("utf-8")
            at = html.rfind("</body>")
            html = html[:at] + RUNNER + html[at:] if at >= 0 else html + RUNNER
            return self.reply(html.encode("utf-8"), "text/html; charset=utf-8")
        return super().do_GET()

    def reply(self, body, kind):
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def pages(root):
    for folder, _, files in sorted(os.walk(root)):
        for name in sorted(files):
            if name.endswith(".html"):
                rel = os.path.relpath(os.path.join(folder, name), root).replace(os.sep, "/")
                yield rel


# Each page is checked as a desktop and as a phone, in the light and the dark scheme.
VIEWS = [("desktop", "1280,900"), ("phone", "390,844")]


def violations(chromium, url, dark, size="1280,900"):
    args = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--window-size=" + size,
            "--virtual-time-budget=30000", "--dump-dom"]
    if dark:
        args += ["--force-dark-mode", "--blink-settings=preferredColorScheme=0"]
    out = subprocess.run(args + [url], capture_output=True, text=True, timeout=120).stdout
    m = re.search(r'<pre id="%s">(.*?)</pre>' % MARK, out, re.S)
    if not m:
        return None
    text = m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
    if text.startswith("ERROR"):
        raise RuntimeError(text)
    return json.loads(text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("root")
    ap.add_argument("axe_js")
    ap.add_argument("--chromium", default="chromium")
    a = ap.parse_args()
    with open(a.axe_js, "rb") as f:
        Handler.axe_js = f.read()
    version = re.search(rb'axe\.version="([^"]+)"', Handler.axe_js)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=a.root))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = "http://127.0.0.1:%d/" % server.server_address[1]
    failed, checked = 0, 0
    for rel in pages(a.root):
        for (view, size), dark in [(v, d) for v in VIEWS for d in (False, True)]:
            scheme = view + ", " + ("dark" if dark else "light")
            found = violations(a.chromium, base + rel, dark, size)
            checked += 1
            if found is None:
                print("axe: %s (%s): axe did not report (the page never finished loading?)" % (rel, scheme))
                failed += 1
                continue
            for v in found:
                failed += 1
                print("axe: %s (%s): %s [%s, %s]" % (rel, scheme, v["help"], v["id"], v["impact"]))
                for n in v["nodes"][:5]:
                    print("    " + n.replace("\n", " "))
    server.shutdown()
    print("axe %s: %d page views checked (desktop and phone, light and dark), %d violations"
          % (version.group(1).decode() if version else "?", checked, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
