#!/bin/sh
# Issue 17's table on the large project of internal/gen (1,000 indicators
# in 10 outcomes x 10 outputs, sex x 25 districts, 20 quarters, 1,000,000
# figures, totals the sums of their breakdowns), each work beside its bare
# floor measured in the same run, with the ratio and the issue's aim; and
# the report of the worst case (the same project with every total off its
# breakdown: a finding for most figures), beyond the aims:
#
#	internal/gen/bench.sh
#
# With $RMF_TEST_POSTGRES set it also imports the workbook into PostgreSQL
# and reports from there, and prints each beside SQLite's with the ratio.
#
# It takes about ten minutes on 2 cores (the workbook and the database are
# built once and cached in $TMPDIR). Commands run as a user runs them: their
# wall time, CPU time (user + system) and peak resident set measured by
# /usr/bin/time. The import and the floors run in process (go test -bench):
# internal/gen/gen_test.go, importers/measurements_bench_test.go,
# exporters/large_bench_test.go, cmd/rmf/bench_test.go. Wall times on a
# machine doing other work grow with its load; CPU times much less: both
# are printed.
set -eu
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
T=${TMPDIR:-/tmp}
say() { printf '%s\n' "$*" >&2; }
# timed CMD...: runs CMD, prints "wall-s cpu-s peak-MB"
timed() {
	/usr/bin/time -f '%e %U %S %M' -o "$tmp/time" "$@" >"$tmp/out" 2>&1 || { cat "$tmp/out" >&2; return 1; }
	awk '{printf "%.1f %.1f %.0f\n", $1, $2 + $3, $4 / 1024}' "$tmp/time"
}
# metric FILE BENCH UNIT: the value of UNIT on BENCH's line of go test output
metric() {
	awk -v b="$2" -v u="$3" '$1 ~ "^"b"(-[0-9]+)?$" { for (i = 2; i <= NF; i++) if ($i == u) { print $(i-1); exit } }' "$1"
}
secs() { awk -v n="$1" 'BEGIN { printf "%.1f", n / 1e9 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
# within A OP B: "yes" when A OP B holds (OP is < or <=), else "**no**"
within() { awk -v a="$1" -v op="$2" -v b="$3" 'BEGIN { ok = (op == "<" ? a < b : a <= b); print (ok ? "yes" : "**no**") }'; }
w() { echo "$1" | cut -d' ' -f1; }
c() { echo "$1" | cut -d' ' -f2; }
m() { echo "$1" | cut -d' ' -f3; }

say "building rmf"
go build -o "$tmp/rmf" ./cmd/rmf

say "import: the engine's import of the 1,000,000-row workbook, in process"
go test ./internal/gen -run '^$' -bench 'LargeImportEngine$' -benchtime 1x -timeout 60m >"$tmp/gen.txt"
wb=$T/rmf-large-v3-1000000.xlsx
lo="- - -"
if command -v soffice >/dev/null 2>&1 && [ -f "$wb" ]; then
	say "import floor: LibreOffice's xlsx -> CSV of the same workbook"
	lo=$(timed soffice --headless "-env:UserInstallation=file://$tmp/lo" --convert-to csv --outdir "$tmp" "$wb")
fi

say "the large database (built once) and the report's stages in process"
go test ./cmd/rmf -run '^$' -bench 'ReportPipeline(Large|Worst)$' -benchtime 1x -timeout 60m >"$tmp/cmd.txt"
db=$T/rmf-bench-report-v3.db
worst=$T/rmf-bench-worst-v3.db
say "the commands on $db"
for f in json text md html xlsx; do
	eval "r_$f=\$(timed \"\$tmp/rmf\" --db \"\$db\" report --period 2023Q4 --format $f -o \"\$tmp/r.$f\")"
done
iati=$(timed "$tmp/rmf" --db "$db" export iati --period 2023Q4 -o "$tmp/a.xml")
say "the worst case: the same project, its totals off their breakdowns"
for f in json text; do
	eval "w_$f=\$(timed \"\$tmp/rmf\" --db \"\$worst\" report --period 2023Q4 --format $f -o \"\$tmp/w.$f\")"
done
nfind=$(grep -c '"kind": "mismatch"' "$tmp/w.json" || true)

say "the donor workbook's floor: excelize's StreamWriter writing the same rows, in process"
go test ./exporters -run '^$' -bench 'LargeDonorWorkbook' -benchtime 1x -timeout 60m >"$tmp/exp.txt"

pgimp="" pgjson=""
if [ -n "${RMF_TEST_POSTGRES:-}" ]; then
	say "PostgreSQL (\$RMF_TEST_POSTGRES): the import, and the large project copied there for the report"
	go test ./internal/gen -run '^$' -bench 'LargeImportPostgres$' -benchtime 1x -timeout 60m >"$tmp/genpg.txt"
	go test ./cmd/rmf -run '^$' -bench 'ReportJSONLargePostgres$' -benchtime 1x -timeout 60m >"$tmp/cmdpg.txt"
	case "$RMF_TEST_POSTGRES" in *\?*) sep='&' ;; *) sep='?' ;; esac
	pgurl="$RMF_TEST_POSTGRES${sep}project=BENCH-LARGE-v3"
	pgjson=$(timed "$tmp/rmf" --db "$pgurl" report --period 2023Q4 --format json -o "$tmp/rpg.json")
	pgimp=$(secs "$(metric "$tmp/genpg.txt" BenchmarkLargeImportPostgres ns/op)")
	pgimp_mb=$(metric "$tmp/genpg.txt" BenchmarkLargeImportPostgres peak-heap-MB)
fi

imp_s=$(secs "$(metric "$tmp/gen.txt" BenchmarkLargeImportEngine ns/op)")
imp_c=$(metric "$tmp/gen.txt" BenchmarkLargeImportEngine cpu-s)
imp_mb=$(metric "$tmp/gen.txt" BenchmarkLargeImportEngine peak-heap-MB)
imp_rss=$(metric "$tmp/gen.txt" BenchmarkLargeImportEngine peak-rss-MB)
fl_s=$(secs "$(metric "$tmp/exp.txt" BenchmarkLargeDonorWorkbookFloor ns/op)")
fl_c=$(metric "$tmp/exp.txt" BenchmarkLargeDonorWorkbookFloor cpu-s)
fl_mb=$(metric "$tmp/exp.txt" BenchmarkLargeDonorWorkbookFloor extra-live-MB)
fd_s=$(secs "$(metric "$tmp/exp.txt" BenchmarkLargeDonorWorkbookFloorData ns/op)")
fd_c=$(metric "$tmp/exp.txt" BenchmarkLargeDonorWorkbookFloorData cpu-s)

printf '\n| work | now: wall s, CPU s, peak MB | bare floor, same run: wall s, CPU s | ratio: wall, CPU | aim | within |\n|---|---|---|---|---|---|\n'
printf '| import of the 1,000,000-row workbook (engine, in process) | %s s, %s CPU s, %s MB heap, %s MB RSS | LibreOffice xlsx -> CSV: %s s, %s CPU s (%s MB) | %s, %s | < 0.5 of LibreOffice, < 100 MB | %s, %s |\n' \
	"$imp_s" "$imp_c" "$imp_mb" "${imp_rss:--}" "$(w "$lo")" "$(c "$lo")" "$(m "$lo")" "$(ratio "$imp_s" "$(w "$lo")")" "$(ratio "$imp_c" "$(c "$lo")")" \
	"$(within "$(ratio "$imp_s" "$(w "$lo")")" '<' 0.5)" "$(within "${imp_rss:-$imp_mb}" '<' 100)"
for f in json text md html; do
	eval "r=\$r_$f"
	printf '| `report --format %s` | %s s, %s CPU s, %s MB | - | - | < 1 s, < 300 MB | %s, %s |\n' "$f" "$(w "$r")" "$(c "$r")" "$(m "$r")" \
		"$(within "$(w "$r")" '<' 1)" "$(within "$(m "$r")" '<' 300)"
done
for f in json text; do
	eval "r=\$w_$f"
	printf '| `report --format %s`, worst case (every total off its breakdown: %s findings) | %s s, %s CPU s, %s MB | - | - | (beyond the aim: < 1 s, < 300 MB) | %s, %s |\n' "$f" "$nfind" "$(w "$r")" "$(c "$r")" "$(m "$r")" \
		"$(within "$(w "$r")" '<' 1)" "$(within "$(m "$r")" '<' 300)"
done
printf '| `report --format xlsx` (donor workbook) | %s s, %s CPU s, %s MB | StreamWriter, the same cells of the Data and Findings sheets: %s s, %s CPU s (+%s MB live) | %s, %s | <= 1.5 of the floor, < 300 MB | %s, %s |\n' \
	"$(w "$r_xlsx")" "$(c "$r_xlsx")" "$(m "$r_xlsx")" "$fl_s" "$fl_c" "$fl_mb" "$(ratio "$(w "$r_xlsx")" "$fl_s")" "$(ratio "$(c "$r_xlsx")" "$fl_c")" \
	"$(within "$(ratio "$(w "$r_xlsx")" "$fl_s")" '<=' 1.5)" "$(within "$(m "$r_xlsx")" '<' 300)"
printf '| the same, against the Data sheet alone | | StreamWriter, the Data sheet'"'"'s cells: %s s, %s CPU s | %s, %s | (the floor before the Findings sheet was counted) | %s |\n' \
	"$fd_s" "$fd_c" "$(ratio "$(w "$r_xlsx")" "$fd_s")" "$(ratio "$(c "$r_xlsx")" "$fd_c")" "$(within "$(ratio "$(w "$r_xlsx")" "$fd_s")" '<=' 1.5)"
printf '| `export iati` | %s s, %s CPU s, %s MB | - | - | < 5 s, < 300 MB | %s, %s |\n' "$(w "$iati")" "$(c "$iati")" "$(m "$iati")" \
	"$(within "$(w "$iati")" '<' 5)" "$(within "$(m "$iati")" '<' 300)"
if [ -n "$pgimp" ]; then
	printf '\nPostgreSQL against SQLite (issue 15: aim within 1.5x):\n\n| work | PostgreSQL | SQLite | ratio |\n|---|---|---|---|\n'
	printf '| import of the 1,000,000-row workbook (engine, in process) | %s s, %s MB Go heap | %s s | %s |\n' \
		"$pgimp" "$pgimp_mb" "$imp_s" "$(ratio "$pgimp" "$imp_s")"
	printf '| `report --format json` | %s s, %s MB | %s s | %s |\n' \
		"$(w "$pgjson")" "$(m "$pgjson")" "$(w "$r_json")" "$(ratio "$(w "$pgjson")" "$(w "$r_json")")"
else
	printf '\nPostgreSQL: not measured (set RMF_TEST_POSTGRES=postgres://... to compare it with SQLite)\n'
fi
printf '\nThe go test outputs:\n'
cat "$tmp/gen.txt" "$tmp/cmd.txt" "$tmp/exp.txt" $( [ -n "$pgimp" ] && echo "$tmp/genpg.txt $tmp/cmdpg.txt") | grep '^Benchmark'
