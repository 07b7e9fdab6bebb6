#!/usr/bin/env bash
# bench/mappings.sh: mapped orders per second for a 10-line Shopify order (shopify-order__erp-sales-order), in memory,
# with BenchmarkDotNet. Orders/s per core = 1 s / mean.   bench/mappings.sh [extra BenchmarkDotNet arguments]
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo/bench/Integration.Mappings.Bench"
dotnet run -c Release -- --filter '*OrderMappingBenchmarks*' "$@"
