#!/usr/bin/env python3
"""Runs the examples of GFM's spec through `dossier render` and compares the HTML after the
spec's own normalisation (../shared/reference/gfm-normalize.py), counting Dossier's
`style="text-align: …"` equal to the spec's `align="…"`.

usage: gfm_spec.py DOSSIER SPEC NORMALIZER [--show SECTION]
Prints one JSON object: for each kind of example ("commonmark", "table", "strikethrough",
"autolink", "tagfilter", "disabled"), how many passed, how many there are, and which failed.
"""
import html, importlib.util, json, os, re, subprocess, sys, tempfile, types

dossier, spec_path, normalizer_path = sys.argv[1:4]
show = sys.argv[5] if len(sys.argv) > 5 and sys.argv[4] == "--show" else None

# The normaliser calls cgi.escape, gone from Python since 3.8 (and cgi itself since 3.13).
sys.modules["cgi"] = types.SimpleNamespace(escape=html.escape)
spec = importlib.util.spec_from_file_location("normalize", normalizer_path)
normalize = importlib.util.module_from_spec(spec)
spec.loader.exec_module(normalize)

fence = "`" * 32 + " example"
examples, lines = [], open(spec_path, encoding="utf-8").read().split("\n")
i, number = 0, 0
while i < len(lines):
    if lines[i].startswith(fence):
        kind = lines[i][len(fence):].strip() or "commonmark"
        number += 1
        i += 1
        markdown = []
        while lines[i] != ".":
            markdown.append(lines[i]); i += 1
        i += 1
        expected = []
        while lines[i] != "`" * 32:
            expected.append(lines[i]); i += 1
        examples.append((number, kind, "\n".join(markdown).replace("→", "\t") + "\n",
                         "\n".join(expected).replace("→", "\t") + ("\n" if expected else "")))
    i += 1

# As cmark-gfm's own spec tests do, each example runs with only its extension on: the
# CommonMark ones with none (GFM's expected HTML for them assumes that), plus once with
# every extension on, to count what the extensions change ("commonmark+all").
EXTENSIONS = {"table": "tables", "strikethrough": "strikethrough", "autolink": "autolinks",
              "tagfilter": "tag_filter", "disabled": "task_lists"}
sites = {}
def site_for(on):
    key = tuple(sorted(on))
    if key not in sites:
        d = tempfile.mkdtemp()
        os.makedirs(os.path.join(d, "Content"))
        settings = ["raw_html: true", "smart_punctuation: false"]
        settings += [f"{name}: {'true' if name in on else 'false'}" for name in sorted(EXTENSIONS.values())]
        with open(os.path.join(d, "Content", "site.yaml"), "w") as f:
            f.write("title: Spec\nmarkdown: { " + ", ".join(settings) + " }\n")
        sites[key] = d
    return sites[key]

def norm(text):
    text = re.sub(r' style="text-align: (left|center|right)"', r' align="\1"', text)
    return normalize.normalize_html(text)

results = {}
def run(number, kind, markdown, expected, on):
    r = results.setdefault(kind, {"passed": 0, "total": 0, "failed": []})
    done = subprocess.run([dossier, "render", "--site", site_for(on)], input=markdown.encode(), capture_output=True)
    # Dossier gives every heading an id, which the spec's HTML has not.
    actual = re.sub(r'<(h[1-6]) id="[^"]*">', r'<\1>', done.stdout.decode("utf-8", "replace"))
    r["total"] += 1
    if done.returncode == 0 and norm(actual) == norm(expected):
        r["passed"] += 1
    else:
        r["failed"].append(number)
        if show == kind:
            print(f"--- example {number}\n{markdown}--- expected\n{expected}--- got\n{actual}", file=sys.stderr)

for number, kind, markdown, expected in examples:
    run(number, kind, markdown, expected, [EXTENSIONS[kind]] if kind in EXTENSIONS else [])
    if kind == "commonmark":
        run(number, "commonmark+all", markdown, expected, list(EXTENSIONS.values()))
print(json.dumps(results, sort_keys=True))
