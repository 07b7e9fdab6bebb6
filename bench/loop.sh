#!/usr/bin/env bash
# bench/loop.sh: the whole loop under load. Signed Shopify orders/create webhooks at a fixed rate (open loop) into the
# real host, which reads each order back from the Shopify simulator, books customer, invoice, stock issue and GL, and
# issues the ETA receipt; the ETA round is fired every 2 s so receipts turn Valid. Prints per order webhook
# acknowledged -> invoice posted (commit time of its GL entries), receipts Valid, processor and memory of the host and
# PostgreSQL, connections, PostgreSQL's busiest statements, and checks the books at the end.
# Starts a throwaway PostgreSQL (durable: fsync and synchronous_commit on; track_commit_timestamp and
# pg_stat_statements on), the simulators and the host (Release, a child process) on this machine; stops all afterwards.
#   bench/loop.sh [--rate 300] [--duration 60s] [--warmup 90s] [--drain 180s] [--paid] [--echo] [--reconcile-every 20s] [--shopify-points N]
#                 [--statements 12] [--statements-by time|calls]
#                 [--host-env Key=Value]...     (BENCH_PG_FAST=1: fsync off)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
pgdir=$(mktemp -d /var/tmp/integration-loop-pg.XXXXXX); chmod 755 "$pgdir"
out=$(mktemp -d)
cleanup() { INTEGRATION_PG_DIR=$pgdir scripts/db stop || true; rm -rf "$pgdir" "$out"; }
trap cleanup EXIT

eval "$(INTEGRATION_PG_DIR=$pgdir INTEGRATION_PG_DATABASE=loop INTEGRATION_PG_FAST=${BENCH_PG_FAST:-0} \
  INTEGRATION_PG_OPTIONS="-c track_commit_timestamp=on -c shared_preload_libraries=pg_stat_statements ${BENCH_PG_OPTIONS:-}" scripts/db start)"
dotnet build bench/Integration.WholeLoop.Load -c Release -nologo -v quiet -clp:ErrorsOnly -o "$out/loop" >/dev/null
echo "bench/loop.sh: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(git rev-parse --short HEAD)"
DATABASE_URL=$DATABASE_URL dotnet "$out/loop/Integration.WholeLoop.Load.dll" "$@"
