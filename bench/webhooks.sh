#!/usr/bin/env bash
# bench/webhooks.sh: webhook acknowledgements per second and latency at 1 and 32 concurrent senders: first at
# saturation (each sender posts again as soon as it is answered), then 32 senders paced at 2,000 deliveries/s.
# Starts a throwaway PostgreSQL (durable settings: fsync and synchronous_commit on), the host in Release
# with its default logging (to /dev/null), and the load driver; stops everything afterwards.
#   bench/webhooks.sh [--seconds 10]
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
pgdir=$(mktemp -d /var/tmp/integration-bench-pg.XXXXXX); chmod 755 "$pgdir"
out=$(mktemp -d)
host_pid=""
cleanup() {
  [ -n "$host_pid" ] && kill "$host_pid" 2>/dev/null && wait "$host_pid" 2>/dev/null || true
  INTEGRATION_PG_DIR=$pgdir scripts/db stop; rm -rf "$pgdir" "$out"
}
trap cleanup EXIT

eval "$(INTEGRATION_PG_DIR=$pgdir INTEGRATION_PG_DATABASE=bench scripts/db start)"
dotnet build src/Host/Integration.Host.csproj -c Release -nologo -v quiet -clp:ErrorsOnly -o "$out/host" >/dev/null
dotnet build bench/Integration.Webhooks.Load -c Release -nologo -v quiet -clp:ErrorsOnly -o "$out/load" >/dev/null

port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
# BENCH_HOST_ENV adds settings for an experiment, e.g. BENCH_HOST_ENV="Serilog__MinimumLevel__Default=Warning".
env DATABASE_URL="$DATABASE_URL" \
  Connectors__Shopify__Stores__0__ShopDomain=bench.myshopify.com \
  Connectors__Shopify__Stores__0__AppSecret=bench-secret \
  ${BENCH_HOST_ENV:-} \
  dotnet "$out/host/Integration.Host.dll" serve --urls "http://127.0.0.1:$port" --contentRoot "$repo" >/dev/null 2>&1 &
host_pid=$!
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break
  sleep 0.2
done

load() {
  dotnet "$out/load/Integration.Webhooks.Load.dll" --url "http://127.0.0.1:$port" --shop bench.myshopify.com \
    --secret bench-secret --body "$repo/../shared/fixtures/shopify/orders-create.shopify-docs-2026-04.json" "$@"
}
load --concurrency 1,32 "$@"
load --concurrency 32 --rate 2000 "$@"
rows=$(psql "$DATABASE_URL" -tAc "select count(*) from integration.inbox")
echo "inbox rows stored: $rows"
