#!/usr/bin/env python3
"""Hugo's preview latency on the benchmark corpus, for `make bench`: starts `hugo server`
rendering to disk, then edits N articles one after another and times each from the file
write to the article's new output on disk. Every article is put back as it was."""
import os, shutil, socket, subprocess, sys, tempfile, time

site, edits = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 20
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
out = tempfile.mkdtemp(prefix="hugo-latency-")
server = subprocess.Popen(["hugo", "server", "-s", site, "--config", os.path.join(site, "config.toml"), "--renderToDisk",
                           "-d", out, "--port", str(port), "--bind", "127.0.0.1", "--minify=false"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    deadline = time.time() + 600
    while not os.path.exists(os.path.join(out, "index.html")):
        if time.time() > deadline or server.poll() is not None:
            sys.exit("hugo-latency: hugo server did not start")
        time.sleep(0.1)
    time.sleep(2)
    posts_dir = os.path.join(site, "content", "posts")
    posts = sorted(p for p in os.listdir(posts_dir) if p.endswith(".md") and p != "_index.md")
    latencies = []
    for i in range(edits):
        name = posts[i * (len(posts) // edits)]
        path = os.path.join(posts_dir, name)
        original = open(path, encoding="utf-8").read()
        marker = f"Edited for the latency benchmark ({i})."
        candidates = [os.path.join(out, "posts", name[:-3], "index.html"), os.path.join(out, "posts", name[:-3].lower(), "index.html")]
        start = time.monotonic()
        with open(path, "w", encoding="utf-8") as f:
            f.write(original + "\n" + marker + "\n")
        while True:
            if any(os.path.exists(c) and marker in open(c, encoding="utf-8", errors="replace").read() for c in candidates):
                break
            if time.monotonic() - start > 30:
                sys.exit(f"hugo-latency: no new output for {name} (looked at {candidates[0]})")
            time.sleep(0.002)
        latencies.append((time.monotonic() - start) * 1000)
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
        time.sleep(1.0)
    latencies.sort()
    n = len(latencies)
    median = latencies[n // 2] if n % 2 else (latencies[n // 2 - 1] + latencies[n // 2]) / 2
    print(f"hugo server latency (file write → new output on disk, {len(posts)} posts, {n} edits): median {median:.1f} ms, max {latencies[-1]:.1f} ms")
finally:
    server.terminate()
    server.wait()
    shutil.rmtree(out, ignore_errors=True)
