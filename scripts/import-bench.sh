#!/usr/bin/env bash
# Measures `smartustaz import users` on a generated CSV of N synthetic
# teachers (default 1,000,000) into SQLite and into PostgreSQL, with the
# encryption and blind indexes of a real import, and the peak memory
# (docs/benchmarks.md). Usage: scripts/import-bench.sh [N] [sqlite|postgres|both]
set -euo pipefail
export GOTOOLCHAIN=${GOTOOLCHAIN:-go1.27.3} # go.mod asks for it (README)
N=${1:-1000000}
WHICH=${2:-both}
PG=${SMARTUSTAZ_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/smartustaz" ./cmd/smartustaz
awk -v n="$N" 'BEGIN {
	print "email,full_name,phone,organization,position,region,password_hash,registered_at"
	for (i = 1; i <= n; i++)
		printf "teacher%d@old-portal.kz,Мұратова Айгүл Серікқызы %d,+7 (701) 123-45-67,№12 мектеп-гимназия,математика пәнінің мұғалімі,Алматы облысы,$2y$10$abcdefghijklmnopqrstuu5Ez7Ib3DGm3n1vMy5QU1ZP5Qn0hY9q6,2019-05-01 10:00:00\n", i, i
}' > "$work/users.csv"
ls -l "$work/users.csv"
# run imports the file and prints the time, the peak resident memory and
# the peak anonymous memory (RssAnon: the heap and stacks, without the
# pages of the SQLite file that its memory map makes count as resident).
run() {
	local name=$1 dsn=$2 start end pid anon=0 a
	echo "== $name: $N rows"
	start=$(date +%s.%N)
	"$work/smartustaz" import users "$work/users.csv" --data "$work/data-$name" --db "$dsn" > "$work/out-$name" 2>&1 &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		a=$(awk '/^RssAnon/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
		[[ -n $a && $a -gt $anon ]] && anon=$a
		sleep 0.5
	done
	wait "$pid"
	end=$(date +%s.%N)
	tail -1 "$work/out-$name"
	awk -v s="$start" -v e="$end" -v n="$N" -v a="$anon" 'BEGIN { printf "wall %.1f s, %.0f users/s, peak anonymous memory %.0f MiB\n", e - s, n / (e - s), a / 1024 }'
}
if [[ $WHICH == sqlite || $WHICH == both ]]; then
	run sqlite "sqlite:$work/bench.db"
fi
if [[ $WHICH == postgres || $WHICH == both ]]; then
	db=smartustaz_importbench_$$
	psql "$PG" -qc "CREATE DATABASE $db"
	trap 'psql "$PG" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)"; rm -rf "$work"' EXIT
	run postgres "${PG%/*}/$db?sslmode=disable"
fi
