#!/usr/bin/env bash
# Lighthouse on the main pages of a local demo server: accessibility, best
# practices, SEO and performance, mobile (Lighthouse's default: a 412 px
# phone with a slow 4G connection and a 4x slower CPU, simulated), in
# Debian's chromium. Prints one table; the figures are in docs/benchmarks.md.
#
#   scripts/a11y/lighthouse.sh [BASE_URL]
#
# Without BASE_URL it builds the server and starts `serve --demo` (page
# images off) on a free loopback port with a fresh data folder, and stops it
# at the end. Lighthouse comes from npm (scripts/a11y/package-lock.json).
set -euo pipefail
export GOTOOLCHAIN=${GOTOOLCHAIN:-go1.27.3} # go.mod asks for it (README)
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
chrome=$(command -v chromium || command -v chromium-browser) || { echo "chromium is not installed (apt-get install chromium)" >&2; exit 1; }
export CHROME_PATH=$chrome
if [ ! -x "$here/node_modules/.bin/lighthouse" ]; then
	(cd "$here" && npm ci --no-audit --no-fund >/dev/null)
fi

work=$(mktemp -d)
server=
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

base=${1:-}
if [ -z "$base" ]; then
	(cd "$root" && go build -o "$work/smartustaz" ./cmd/smartustaz)
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	base=http://127.0.0.1:$port
	SMARTUSTAZ_PAGE_IMAGES=false "$work/smartustaz" serve --demo --addr "127.0.0.1:$port" --data "$work/data" \
		--base-url "$base" >"$work/server.log" 2>&1 &
	server=$!
	for _ in $(seq 1 600); do
		curl -fs "$base/healthz" >/dev/null 2>&1 && break
		kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
		sleep 0.5
	done
fi

# A material and an author page of the demo catalog, found from its first page.
material=$(curl -fs "$base/materials" | grep -o 'href="/materials/[0-9][0-9]*-[^"]*"' | head -n1 | cut -d'"' -f2)
author=$(curl -fs "$base$material" | grep -o 'href="/authors/[0-9]*"' | head -n1 | cut -d'"' -f2 || true)
pages=(/ /materials "/materials?q=%D0%B1%D3%A9%D0%BB%D1%88%D0%B5%D0%BA" "$material" /login /register /agreement /verify/ /contacts)
[ -n "$author" ] && pages+=("$author")

printf '%-40s %5s %5s %5s %5s %7s %7s %6s %6s\n' page a11y best seo perf FCP LCP TBT CLS
for p in "${pages[@]}"; do
	"$here/node_modules/.bin/lighthouse" "$base$p" --quiet --output=json --output-path="$work/report.json" \
		--only-categories=accessibility,best-practices,seo,performance \
		--chrome-flags="--headless --no-sandbox --disable-gpu" >/dev/null 2>"$work/lh.log" ||
		{ echo "lighthouse failed on $p:" >&2; tail -n 20 "$work/lh.log" >&2; exit 1; }
	node -e '
		const r = require(process.argv[1]), c = r.categories, s = k => Math.round(c[k].score * 100);
		const low = Object.values(r.audits).filter(a => a.score !== null && a.score < 1 && a.scoreDisplayMode === "binary").map(a => a.id);
		const ms = id => (Math.round(r.audits[id].numericValue) + " ms").padStart(7);
		console.log(process.argv[2].slice(0, 40).padEnd(40), ...["accessibility", "best-practices", "seo", "performance"].map(k => String(s(k)).padStart(5)),
			ms("first-contentful-paint"), ms("largest-contentful-paint"), ms("total-blocking-time").slice(1), r.audits["cumulative-layout-shift"].numericValue.toFixed(3).padStart(6),
			low.length ? " failed: " + low.join(" ") : "");
	' "$work/report.json" "$p"
done
echo "Lighthouse $("$here/node_modules/.bin/lighthouse" --version), $(chromium --version 2>/dev/null | head -n1), $(nproc) cores, $(date -u +%Y-%m-%d)"
