#!/bin/sh
# Page throughput with page-view recording (internal/telemetry) off and on,
# side by side in one run: the same data folder, the same binary, serve
# started with --telemetry=false, then =true, twice over, each measured
# with wrk on loopback (apt-get install wrk). Pages: the anonymous catalog
# and the home page (both from the page cache after the first request) and
# /healthz (the lightest answer the site gives, not recorded).
#
#   sh scripts/load/telemetry.sh                 # SQLite
#   DB=postgres://postgres@127.0.0.1:5432/teltest?sslmode=disable sh scripts/load/telemetry.sh
#
# MATERIALS (default 2000) sets the demo catalog's size; DURATION (10s)
# each wrk run's.
set -eu
export GOTOOLCHAIN=${GOTOOLCHAIN:-go1.27.3} # go.mod asks for it (README)
BIN=${BIN:-$(mktemp -d)/smartustaz}
MATERIALS=${MATERIALS:-2000}
DURATION=${DURATION:-10s}
ADDR=127.0.0.1:18099
go build -o "$BIN" ./cmd/smartustaz
DATA=$(mktemp -d)
DBFLAG=""
if [ -n "${DB:-}" ]; then DBFLAG="--db $DB"; fi
# shellcheck disable=SC2086
"$BIN" demo --data "$DATA" $DBFLAG --users 200 --materials "$MATERIALS" >/dev/null 2>&1
for round in 1 2 3; do
	for tel in false true; do
		# shellcheck disable=SC2086
		SMARTUSTAZ_PAGE_IMAGES=false "$BIN" serve --data "$DATA" $DBFLAG --addr $ADDR --telemetry=$tel >"$DATA/serve.log" 2>&1 &
		pid=$!
		i=0
		until curl -fs "http://$ADDR/healthz" >/dev/null 2>&1; do
			i=$((i + 1)); [ $i -lt 200 ] || { cat "$DATA/serve.log"; exit 1; }
			sleep 0.1
		done
		for path in /materials / /healthz; do
			rps=$(wrk -t2 -c32 -d"$DURATION" "http://$ADDR$path" | awk '/Requests\/sec/ {print $2}')
			echo "round $round telemetry=$tel $path $rps req/s"
		done
		kill $pid
		wait $pid || true
	done
done
rm -rf "$DATA"
