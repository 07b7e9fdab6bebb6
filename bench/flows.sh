#!/usr/bin/env bash
# bench/flows.sh: persisted flows per second, end to end: stored Shopify orders/create deliveries each start the
# 5-activity flow in bench/flows/order-flow.json, which runs and is stored with its delivery marked done.
# First the deliveries are received with the dispatcher off, then the host is restarted with it on and the time to
# drain them is measured. Durable PostgreSQL settings.   bench/flows.sh [deliveries, default 10000]
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
count=${1:-10000}
pgdir=$(mktemp -d /var/tmp/integration-bench-pg.XXXXXX); chmod 755 "$pgdir"
out=$(mktemp -d)
host_pid=""
stop_host() { [ -n "$host_pid" ] && kill "$host_pid" 2>/dev/null && wait "$host_pid" 2>/dev/null || true; host_pid=""; }
cleanup() { stop_host; INTEGRATION_PG_DIR=$pgdir scripts/db stop; rm -rf "$pgdir" "$out"; }
trap cleanup EXIT
eval "$(INTEGRATION_PG_DIR=$pgdir INTEGRATION_PG_DATABASE=bench scripts/db start)"
dotnet build src/Host/Integration.Host.csproj -c Release -nologo -v quiet -clp:ErrorsOnly -o "$out/host" >/dev/null
dotnet build bench/Integration.Webhooks.Load -c Release -nologo -v quiet -clp:ErrorsOnly -o "$out/load" >/dev/null
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
start_host() {
  env DATABASE_URL="$DATABASE_URL" Serilog__MinimumLevel__Default=Warning Flows__Directory="$repo/bench/flows" Flows__DispatchInbox="$1" \
    Connectors__Shopify__Stores__0__ShopDomain=bench.myshopify.com Connectors__Shopify__Stores__0__AppSecret=bench-secret \
    dotnet "$out/host/Integration.Host.dll" serve --urls "http://127.0.0.1:$port" --contentRoot "$repo" >/dev/null 2>&1 &
  host_pid=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && return 0; sleep 0.2; done
}
start_host false
# Receive the deliveries at 2,000/s with 32 senders for count/2000 seconds.
dotnet "$out/load/Integration.Webhooks.Load.dll" --url "http://127.0.0.1:$port" --shop bench.myshopify.com --secret bench-secret \
  --body "$repo/../shared/fixtures/shopify/orders-create.shopify-docs-2026-04.json" --concurrency 32 --rate 2000 --warmup 0 \
  --seconds $(( (count + 1999) / 2000 )) >/dev/null
stop_host
received=$(psql "$DATABASE_URL" -tAc "select count(*) from integration.inbox where status = 'received'")
started=$(date +%s.%N)
start_host true
while [ "$(psql "$DATABASE_URL" -tAc "select count(*) from integration.inbox where status = 'received'")" -gt 0 ]; do sleep 0.2; done
ended=$(date +%s.%N)
runs=$(psql "$DATABASE_URL" -tAc "select count(*) from flows.instance where status = 'Finished'")
python3 - "$received" "$runs" "$started" "$ended" <<'PY'
import sys
received, runs, started, ended = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
seconds = ended - started
print(f"deliveries: {received}, flow runs stored (Finished): {runs}")
print(f"drained in {seconds:.2f} s including host start: {runs / seconds:.0f} persisted flows/s")
PY
