#!/usr/bin/env bash
# The load runs of docs/benchmarks.md ("The library at a million materials"):
# the whole mix and each kind alone, at saturation and at fixed rates, with
# the page cache on and off. Each run starts its own server (page images off,
# so LibreOffice does not share the cores) and lasts 20 s.
#
#   scripts/load/battery.sh LABEL BINARY DATA [POSTGRES_DSN]
#
# DATA is a folder filled by `smartustaz demo --users 20000 --materials N`.
set -euo pipefail
export GOTOOLCHAIN=${GOTOOLCHAIN:-go1.27.3} # go.mod asks for it (README)
label=$1 bin=$2 data=$3 dsn=${4:-}
cd "$(dirname "$0")/../.."
run() { # kinds rate [VAR=value...]
	local kinds=$1 rate=$2
	shift 2
	echo "== $label kinds=${kinds:-all} rate=$rate $* $(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)"
	env SMARTUSTAZ_PAGE_IMAGES=false "$@" go run ./scripts/load -scenario catalog -bin "$bin" -data "$data" -users 20000 \
		${dsn:+-db "$dsn"} -duration 20s -max-requests 100000 ${kinds:+-kinds $kinds} -rate "$rate" 2>/dev/null |
		grep -v '^load:\|^kind\|     0      0        0.0'
}
run "" 0
run "" 100
run "" 200
run "" 400
run catalog,deep 100
run catalog,deep 0
run material 500
run material 0
run search 100
run "" 200 SMARTUSTAZ_PAGE_CACHE_MB=0
run catalog,deep 100 SMARTUSTAZ_PAGE_CACHE_MB=0
run material 200 SMARTUSTAZ_PAGE_CACHE_MB=0
