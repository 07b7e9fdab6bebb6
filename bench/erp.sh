#!/usr/bin/env bash
# bench/erp.sh: vouchers posted per second and budget-check latency at 10 thousand and 1 million GL entries,
# against a throwaway PostgreSQL with durable settings (fsync and synchronous commit on).
#   bench/erp.sh [--seconds 10]
#   bench/erp.sh --prices 10000 [--each]   (the nightly price upload's reads only)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
pgdir=$(mktemp -d /var/tmp/integration-bench-pg.XXXXXX); chmod 755 "$pgdir"
out=$(mktemp -d)
trap 'INTEGRATION_PG_DIR=$pgdir scripts/db stop; rm -rf "$pgdir" "$out"' EXIT
eval "$(INTEGRATION_PG_DIR=$pgdir INTEGRATION_PG_DATABASE=bench scripts/db start)"
dotnet build bench/Integration.Erp.Bench -c Release -nologo -v quiet -clp:ErrorsOnly -o "$out" >/dev/null
Serilog__MinimumLevel__Default=Warning dotnet "$out/Integration.Erp.Bench.dll" --database-url "$DATABASE_URL" "$@"
