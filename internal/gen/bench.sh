#!/bin/sh
# Issue 17's table on the large project of internal/gen (1,000 indicators
# in 10 outcomes x 10 outputs, sex x 25 districts, 20 quarters, 1,000,000
# figures), each work beside its bare floor measured in the same run:
#
#	internal/gen/bench.sh
#
# With $RMF_TEST_POSTGRES set it also imports the workbook into PostgreSQL
# and reports from there, and prints each beside SQLite's with the ratio.
#
# It takes several minutes on 2 cores (the workbook and the database are
# built once and cached in $TMPDIR). Commands run as a user runs them, their
# wall time and peak resident set measured by /usr/bin/time; the exporters
# and the floors also in process (go test -bench, exporters/large_bench_test.go).
set -eu
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
T=${TMPDIR:-/tmp}
say() { printf '%s\n' "$*" >&2; }
# timed CMD...: runs CMD, prints "seconds peak-MB"
timed() {
	/usr/bin/time -f '%e %M' -o "$tmp/time" "$@" >"$tmp/out" 2>&1 || { cat "$tmp/out" >&2; return 1; }
	awk '{printf "%.1f %.0f\n", $1, $2/1024}' "$tmp/time"
}
# metric FILE BENCH UNIT: the value of UNIT on BENCH's line of go test output
metric() {
	awk -v b="$2" -v u="$3" '$1 ~ "^"b"(-[0-9]+)?$" { for (i = 2; i <= NF; i++) if ($i == u) { print $(i-1); exit } }' "$1"
}
secs() { awk -v n="$1" 'BEGIN { printf "%.1f", n / 1e9 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

say "building rmf"
go build -o "$tmp/rmf" ./cmd/rmf

say "import: the engine import and excelize's raw read of the 1,000,000-row workbook"
go test ./internal/gen -run '^$' -bench 'LargeImportEngine$' -benchtime 1x -timeout 60m >"$tmp/gen.txt"
go test ./importers -run '^$' -bench 'LargeExcelizeRaw$' -benchtime 1x -timeout 60m >"$tmp/imp.txt"
wb=$T/rmf-large-v2-1000000.xlsx
lo="-"
if command -v soffice >/dev/null 2>&1 && [ -f "$wb" ]; then
	say "import floor: LibreOffice's xlsx -> CSV of the same workbook"
	lo=$(timed soffice --headless "-env:UserInstallation=file://$tmp/lo" --convert-to csv --outdir "$tmp" "$wb")
fi

say "the large database (built once) and rmf report --format json in the benchmark of cmd/rmf"
go test ./cmd/rmf -run '^$' -bench 'ReportJSONLarge$' -benchtime 1x -timeout 60m >"$tmp/cmd.txt"
db=$T/rmf-bench-report-v2.db
say "the commands on $db"
json=$(timed "$tmp/rmf" --db "$db" report --period 2023Q4 --format json -o "$tmp/r.json")
html=$(timed "$tmp/rmf" --db "$db" report --period 2023Q4 --format html -o "$tmp/r.html")
xlsx=$(timed "$tmp/rmf" --db "$db" report --period 2023Q4 --format xlsx -o "$tmp/r.xlsx")
iati=$(timed "$tmp/rmf" --db "$db" export iati --period 2023Q4 -o "$tmp/a.xml")

pgimp="" pgjson=""
if [ -n "${RMF_TEST_POSTGRES:-}" ]; then
	say "PostgreSQL (\$RMF_TEST_POSTGRES): the import, and the large project copied there for the report"
	go test ./internal/gen -run '^$' -bench 'LargeImportPostgres$' -benchtime 1x -timeout 60m >"$tmp/genpg.txt"
	go test ./cmd/rmf -run '^$' -bench 'ReportJSONLargePostgres$' -benchtime 1x -timeout 60m >"$tmp/cmdpg.txt"
	case "$RMF_TEST_POSTGRES" in *\?*) sep='&' ;; *) sep='?' ;; esac
	pgurl="$RMF_TEST_POSTGRES${sep}project=BENCH-LARGE-v2"
	pgjson=$(timed "$tmp/rmf" --db "$pgurl" report --period 2023Q4 --format json -o "$tmp/rpg.json")
	pgimp=$(secs "$(metric "$tmp/genpg.txt" BenchmarkLargeImportPostgres ns/op)")
	pgimp_mb=$(metric "$tmp/genpg.txt" BenchmarkLargeImportPostgres peak-heap-MB)
fi

say "the exporters in process, and the bare StreamWriter"
go test ./exporters -run '^$' -bench 'Large' -benchtime 1x -timeout 60m >"$tmp/exp.txt"

imp_s=$(secs "$(metric "$tmp/gen.txt" BenchmarkLargeImportEngine ns/op)")
imp_mb=$(metric "$tmp/gen.txt" BenchmarkLargeImportEngine peak-heap-MB)
raw_s=$(secs "$(metric "$tmp/imp.txt" BenchmarkLargeExcelizeRaw ns/op)")
dw_s=$(secs "$(metric "$tmp/exp.txt" BenchmarkLargeDonorWorkbook ns/op)")
dw_mb=$(metric "$tmp/exp.txt" BenchmarkLargeDonorWorkbook extra-live-MB)
fl_s=$(secs "$(metric "$tmp/exp.txt" BenchmarkLargeDonorWorkbookFloor ns/op)")
fl_mb=$(metric "$tmp/exp.txt" BenchmarkLargeDonorWorkbookFloor extra-live-MB)
ia_s=$(secs "$(metric "$tmp/exp.txt" BenchmarkLargeIATI ns/op)")
ia_mb=$(metric "$tmp/exp.txt" BenchmarkLargeIATI extra-live-MB)
lo_s=${lo%% *}

printf '\n| work | now: wall s, peak MB | bare floor, same run | ratio |\n|---|---|---|---|\n'
printf '| import of the 1,000,000-row workbook (engine, in process) | %s s, %s MB Go heap | LibreOffice xlsx -> CSV %s s; excelize raw read %s s | %s of LibreOffice |\n' \
	"$imp_s" "$imp_mb" "$lo_s" "$raw_s" "$(ratio "$imp_s" "$lo_s")"
printf '| `report --format json` | %s s, %s MB | - | - |\n' "${json%% *}" "${json##* }"
printf '| `report --format html` | %s s, %s MB | - | - |\n' "${html%% *}" "${html##* }"
printf '| `report --format xlsx` (donor workbook) | %s s, %s MB; its exporter %s s, +%s MB live | StreamWriter, the same rows x cells: %s s, +%s MB live | %s |\n' \
	"${xlsx%% *}" "${xlsx##* }" "$dw_s" "$dw_mb" "$fl_s" "$fl_mb" "$(ratio "$dw_s" "$fl_s")"
printf '| `export iati` | %s s, %s MB; its exporter %s s, +%s MB live | - | - |\n' "${iati%% *}" "${iati##* }" "$ia_s" "$ia_mb"
if [ -n "$pgimp" ]; then
	printf '\nPostgreSQL against SQLite (issue 15: aim within 1.5x):\n\n| work | PostgreSQL | SQLite | ratio |\n|---|---|---|---|\n'
	printf '| import of the 1,000,000-row workbook (engine, in process) | %s s, %s MB Go heap | %s s | %s |\n' \
		"$pgimp" "$pgimp_mb" "$imp_s" "$(ratio "$pgimp" "$imp_s")"
	printf '| `report --format json` | %s s, %s MB | %s s | %s |\n' \
		"${pgjson%% *}" "${pgjson##* }" "${json%% *}" "$(ratio "${pgjson%% *}" "${json%% *}")"
else
	printf '\nPostgreSQL: not measured (set RMF_TEST_POSTGRES=postgres://... to compare it with SQLite)\n'
fi
printf '\nThe go test outputs:\n'
cat "$tmp/gen.txt" "$tmp/imp.txt" "$tmp/cmd.txt" "$tmp/exp.txt" $( [ -n "$pgimp" ] && echo "$tmp/genpg.txt $tmp/cmdpg.txt") | grep '^Benchmark'
