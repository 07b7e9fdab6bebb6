using System.Globalization;
using System.Text.Json;
using Dapper;
using Npgsql;

namespace Integration.Faults.Tests;

/// <summary>
/// What no fault may break, read after the loop has settled: through the host's API (<c>/api/erp</c>, <c>/api/eta</c>,
/// <c>/api/incidents</c>) and, where no API lists it, the database. Every problem found is collected (not only the
/// first), so a failing scenario says everything that went wrong.
/// </summary>
public sealed class LoopConsistency(HttpClient api, string connectionString, string company)
{
    /// <summary>Checks the books, the receipts and the incidents against the orders the stores took.</summary>
    public async Task<LoopReport> CheckAsync(IReadOnlyCollection<StoreOrder> orders, IReadOnlyList<ExpectedIncident> expected)
    {
        var report = new LoopReport { Orders = orders.Count };
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        report.QuietAfter = await WaitQuietAsync(connection, TimeSpan.FromSeconds(90));
        await CheckOrdersAsync(connection, orders, report);
        await CheckReceiptsAsync(connection, orders, report);
        await CheckStockAgainstLedgerAsync(connection, report);
        await CheckIncidentsAsync(expected, report);
        await CheckNothingStuckAsync(connection, report);
        return report;
    }

    /// <summary>
    /// Waits until nothing is in flight: no delivery or ERP event waiting or claimed, no run Running (the write-backs a
    /// Valid receipt starts, a dead host's runs being taken over). Whatever is still in flight at the deadline is reported.
    /// </summary>
    private static async Task<TimeSpan> WaitQuietAsync(NpgsqlConnection connection, TimeSpan timeout)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        // Quiet for 3 s, not one sample: a write-back to a store (a receipt's metafield) sends its webhook a moment later.
        var quietRounds = 0;
        while (waited.Elapsed < timeout && quietRounds < 6)
        {
            var busy = await connection.ExecuteScalarAsync<long>("""
                SELECT (SELECT count(*) FROM integration.inbox WHERE status IN ('received', 'processing'))
                     + (SELECT count(*) FROM integration.outbox WHERE status IN ('pending', 'processing'))
                     + (SELECT count(*) FROM flows.instance WHERE status = 'Running')
                """);
            quietRounds = busy == 0 ? quietRounds + 1 : 0;
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        return waited.Elapsed;
    }

    /// <summary>One invoice, one payment, at most one sales order per store order; its stock issued once, line by line; its GL posted once.</summary>
    private async Task CheckOrdersAsync(NpgsqlConnection connection, IReadOnlyCollection<StoreOrder> orders, LoopReport report)
    {
        var documents = (await connection.QueryAsync<(string DocType, string System, string Store, string SourceId, string DocNo, long Count)>("""
            SELECT doc_type, source_system, source_store, source_id, min(doc_no), count(*) FROM erp.sales_document
            WHERE company = @company AND doc_type IN ('Sales Order', 'Sales Invoice', 'Payment') AND source_system IS NOT NULL
            GROUP BY doc_type, source_system, source_store, source_id
            """, new { company })).ToDictionary(d => (d.DocType, d.System, d.Store, d.SourceId));
        var stock = (await connection.QueryAsync<(string VoucherNo, string Sku, long Rows, decimal Qty)>("""
            SELECT voucher_no, sku, count(*), sum(qty_change) FROM erp.stock_ledger_entry WHERE company = @company GROUP BY voucher_no, sku
            """, new { company })).ToLookup(s => s.VoucherNo);
        var vouchers = (await connection.QueryAsync<(string VoucherNo, long Vouchers, decimal Debit, decimal Credit)>("""
            SELECT voucher_no, count(DISTINCT voucher_id), sum(debit), sum(credit) FROM erp.gl_entry WHERE company = @company GROUP BY voucher_no
            """, new { company })).ToDictionary(v => v.VoucherNo);
        foreach (var order in orders)
        {
            var id = order.Id.ToString(CultureInfo.InvariantCulture);
            int Count(string docType) => documents.TryGetValue((docType, order.System, order.Store, id), out var d) ? (int)d.Count : 0;
            if (Count("Sales Invoice") != 1 || Count("Payment") != 1 || Count("Sales Order") > 1)
            {
                report.Problems.Add($"{order}: {Count("Sales Invoice")} invoices, {Count("Payment")} payments, {Count("Sales Order")} sales orders (want 1, 1, at most 1)");
                continue;
            }

            report.Invoices++;
            var invoice = documents[("Sales Invoice", order.System, order.Store, id)].DocNo;
            report.InvoiceNumbers[order] = invoice;
            var moved = stock[invoice].ToDictionary(s => s.Sku);
            foreach (var (sku, qty) in order.Quantities)
            {
                if (!moved.TryGetValue(sku, out var line) || line.Rows != 1 || line.Qty != -qty)
                {
                    report.Problems.Add($"{order} ({invoice}): stock of {sku} moved {(moved.TryGetValue(sku, out var m) ? $"{m.Qty} in {m.Rows} rows" : "not at all")}, want -{qty} once");
                }
            }

            if (moved.Keys.Except(order.Quantities.Keys).ToList() is { Count: > 0 } extra)
            {
                report.Problems.Add($"{order} ({invoice}): stock moved for {string.Join(", ", extra)} that the order does not hold");
            }

            if (!vouchers.TryGetValue(invoice, out var gl) || gl.Vouchers != 1 || gl.Debit != gl.Credit)
            {
                report.Problems.Add($"{order} ({invoice}): GL {(gl.VoucherNo is null ? "missing" : $"in {gl.Vouchers} vouchers, debit {gl.Debit} credit {gl.Credit}")}");
            }
        }
    }

    /// <summary>
    /// Each invoice has one receipt and it is Valid; each return's receipt is Valid and references its sale's receipt;
    /// every device's chain walks unbroken with no fork (two receipts on one predecessor).
    /// </summary>
    private async Task CheckReceiptsAsync(NpgsqlConnection connection, IReadOnlyCollection<StoreOrder> orders, LoopReport report)
    {
        var receipts = (await connection.QueryAsync<(long DocumentId, string DocType, string DocNo, long? AgainstId, string Uuid, string? ReferenceUuid, string State, long? CorrectsId)>("""
            SELECT d.id, d.doc_type, d.doc_no, d.against_id, r.uuid, r.reference_uuid, r.state, r.corrects_id
            FROM eta.receipt r JOIN erp.sales_document d ON d.id = r.document_id
            WHERE r.company = @company
            """, new { company })).ToList();
        var byDocNo = receipts.ToLookup(r => r.DocNo);
        foreach (var order in orders)
        {
            if (!report.InvoiceNumbers.TryGetValue(order, out var invoice))
            {
                continue;
            }

            var own = byDocNo[invoice].Where(r => r.CorrectsId is null).ToList();
            if (own is not [{ State: "Valid" }])
            {
                report.Problems.Add($"{order} ({invoice}): receipts {Describe(own.Select(r => r.State))}, want one Valid");
                continue;
            }

            report.ValidReceipts++;
        }

        var saleUuids = receipts.Where(r => r.DocType == "Sales Invoice" && r.State == "Valid").ToDictionary(r => r.DocumentId, r => r.Uuid);
        foreach (var ret in receipts.Where(r => r.DocType == "Sales Return" && r.CorrectsId is null))
        {
            if (ret.State != "Valid" || ret.AgainstId is not { } sale || !saleUuids.TryGetValue(sale, out var saleUuid) || ret.ReferenceUuid != saleUuid)
            {
                report.Problems.Add($"return {ret.DocNo}: receipt {ret.State} referencing {ret.ReferenceUuid ?? "nothing"}, want Valid referencing its sale's receipt");
                continue;
            }

            report.ValidReturnReceipts++;
        }

        foreach (var device in await connection.QueryAsync<string>("SELECT DISTINCT device FROM eta.receipt WHERE company = @company", new { company }))
        {
            var chain = await GetAsync($"/api/eta/devices/{Uri.EscapeDataString(device)}/chain");
            if (!chain.GetProperty("unbroken").GetBoolean())
            {
                report.Problems.Add($"device {device}: chain broken: {chain.GetProperty("breaks")}");
            }
        }

        // A receipt the portal refused on arrival is no link: the one after it follows the same receipt.
        var forks = await connection.QueryAsync<string>("""
            SELECT device || ' after ' || previous_uuid FROM eta.receipt WHERE company = @company AND NOT refused_on_arrival
            GROUP BY device, previous_uuid HAVING count(*) > 1
            """, new { company });
        report.Problems.AddRange(forks.Select(f => $"chain fork on {f}"));
    }

    /// <summary>The stock ledger's value per stock account equals that account's GL balance, and the trial balance balances.</summary>
    private async Task CheckStockAgainstLedgerAsync(NpgsqlConnection connection, LoopReport report)
    {
        var accountOf = (await connection.QueryAsync<(string Id, string Account)>(
            "SELECT id, stock_account FROM erp.warehouse WHERE company = @company AND stock_account IS NOT NULL", new { company })).ToDictionary(w => w.Id, w => w.Account);
        var balances = await GetAsync($"/api/erp/reports/stock-balance?company={company}");
        var stockValue = balances.EnumerateArray()
            .GroupBy(b => accountOf.GetValueOrDefault(b.GetProperty("warehouse").GetString()!, "?"))
            .ToDictionary(g => g.Key, g => g.Sum(b => b.GetProperty("stockValue").GetDecimal()));
        var trial = await GetAsync($"/api/erp/reports/trial-balance?company={company}&from=2000-01-01&to=2100-12-31");
        if (trial.GetProperty("totalDebit").GetDecimal() != trial.GetProperty("totalCredit").GetDecimal())
        {
            report.Problems.Add($"trial balance: debit {trial.GetProperty("totalDebit")} != credit {trial.GetProperty("totalCredit")}");
        }

        var glBalance = trial.GetProperty("rows").EnumerateArray()
            .ToDictionary(r => r.GetProperty("account").GetString()!, r => r.GetProperty("closingDebit").GetDecimal() - r.GetProperty("closingCredit").GetDecimal());
        foreach (var account in accountOf.Values.Distinct())
        {
            var value = Math.Round(stockValue.GetValueOrDefault(account), 2, MidpointRounding.AwayFromZero);
            var gl = glBalance.GetValueOrDefault(account);
            report.StockValue += value;
            if (value != gl)
            {
                report.Problems.Add($"stock account {account}: stock ledger value {value} != GL balance {gl}");
            }
        }
    }

    /// <summary>Open incidents must each be one the scenario expects (with its reason); retried ones are counted.</summary>
    private async Task CheckIncidentsAsync(IReadOnlyList<ExpectedIncident> expected, LoopReport report)
    {
        foreach (var incident in (await GetAsync("/api/incidents?status=Open&limit=500")).EnumerateArray())
        {
            var flow = incident.GetProperty("definitionId").GetString()!;
            var message = incident.GetProperty("message").GetString()!;
            if (expected.FirstOrDefault(e => e.Flow == flow && message.Contains(e.MessagePart, StringComparison.Ordinal)) is { } known)
            {
                report.ExplainedIncidents.Add($"{flow}: {known.Reason}");
                continue;
            }

            report.Problems.Add($"unexplained open incident {incident.GetProperty("id")} of {flow} at {incident.GetProperty("activityId")}: {message}");
        }

        report.RetriedIncidents = (await GetAsync("/api/incidents?status=Retried&limit=500")).GetArrayLength();
    }

    /// <summary>No delivery or ERP event left unprocessed or failed; no run left in flight (a dead host's run taken over).</summary>
    private static async Task CheckNothingStuckAsync(NpgsqlConnection connection, LoopReport report)
    {
        foreach (var (status, count) in await connection.QueryAsync<(string, long)>(
            "SELECT status, count(*) FROM integration.inbox WHERE status NOT IN ('done', 'ignored', 'superseded') GROUP BY status"))
        {
            report.Problems.Add($"{count} webhook deliveries {status}");
        }

        foreach (var (status, count) in await connection.QueryAsync<(string, long)>(
            "SELECT status, count(*) FROM integration.outbox WHERE status = 'failed' GROUP BY status"))
        {
            report.Problems.Add($"{count} ERP events {status}");
        }

        foreach (var (flow, count) in await connection.QueryAsync<(string, long)>(
            "SELECT definition_id, count(*) FROM flows.instance WHERE status = 'Running' GROUP BY definition_id"))
        {
            report.Problems.Add($"{count} runs of {flow} still Running");
        }
    }

    private async Task<JsonElement> GetAsync(string path)
    {
        using var response = await api.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static string Describe(IEnumerable<string> states) => states.Any() ? string.Join(", ", states) : "none";
}
