using System.Globalization;
using Integration.Sandbox;
using Npgsql;

namespace Integration.WholeLoop.Load;

/// <summary>
/// What the database says about a run's orders: when each invoice's GL entries were committed (exact with
/// <c>track_commit_timestamp</c> on; the posting transaction's start otherwise), when each receipt turned Valid, and
/// the books: one invoice per order, every voucher balanced, stock ledger value equal to the stock account, every
/// receipt chain unbroken, no incidents.
/// </summary>
public sealed record LoopOutcome(
    IReadOnlyDictionary<long, DateTimeOffset> InvoicePosted,
    IReadOnlyDictionary<long, DateTimeOffset> ReceiptValid,
    bool CommitTimestamps,
    long Invoices,
    long DuplicateInvoices,
    decimal TrialBalanceDifference,
    long UnbalancedVouchers,
    decimal StockLedgerValue,
    decimal StockAccountBalance,
    long ReceiptChainBreaks,
    IReadOnlyDictionary<string, long> ReceiptsByState,
    IReadOnlyDictionary<string, long> IncidentsByFlow,
    IReadOnlyDictionary<string, long> RunsByStatus,
    IReadOnlyDictionary<string, long> InboxByStatus)
{
    /// <summary>The flows an order goes through; an incident in any of them fails the run (others are reported).</summary>
    public static readonly IReadOnlySet<string> OrderFlows = new HashSet<string>(StringComparer.Ordinal) { "shopify-order-to-cash", "eta-receipts", "shopify-order-receipt" };

    /// <summary>Incidents of the order's own flows.</summary>
    public long Incidents => IncidentsByFlow.Where(kv => OrderFlows.Contains(kv.Key)).Sum(kv => kv.Value);

    public static async Task<LoopOutcome> ReadAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var commitTimestamps = (string)(await Scalar(connection, "SHOW track_commit_timestamp", cancellationToken))! == "on";
        // GL entries are never updated after posting, so their xmin is the posting transaction's.
        var posted = commitTimestamps ? "pg_xact_commit_timestamp(g.xmin)" : "g.created_at";
        var invoices = new Dictionary<long, DateTimeOffset>();
        var duplicates = 0L;
        await using (var command = new NpgsqlCommand($"""
            SELECT d.source_id, min({posted})
            FROM erp.sales_document d JOIN erp.gl_entry g ON g.voucher_id = d.voucher_id
            WHERE d.doc_type = 'Sales Invoice' AND d.source_system = 'shopify' AND d.company = @company
            GROUP BY d.id, d.source_id
            """, connection))
        {
            command.Parameters.AddWithValue("company", DemoCatalogue.Company);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = long.Parse(reader.GetString(0), CultureInfo.InvariantCulture);
                if (!invoices.TryAdd(id, reader.GetFieldValue<DateTimeOffset>(1)))
                {
                    duplicates++;
                }
            }
        }

        var valid = new Dictionary<long, DateTimeOffset>();
        await using (var command = new NpgsqlCommand("""
            SELECT d.source_id, r.decided_at FROM eta.receipt r JOIN erp.sales_document d ON d.id = r.document_id
            WHERE r.state = 'Valid' AND d.source_system = 'shopify' AND r.corrects_id IS NULL
            """, connection))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                valid[long.Parse(reader.GetString(0), CultureInfo.InvariantCulture)] = reader.GetFieldValue<DateTimeOffset>(1);
            }
        }

        return new LoopOutcome(
            invoices,
            valid,
            commitTimestamps,
            invoices.Count,
            duplicates,
            (decimal)(await Scalar(connection, "SELECT coalesce(sum(debit) - sum(credit), 0) FROM erp.gl_entry", cancellationToken))!,
            (long)(await Scalar(connection, """
                SELECT count(*) FROM (SELECT voucher_id FROM erp.gl_entry GROUP BY voucher_id HAVING sum(debit) <> sum(credit)) v
                """, cancellationToken))!,
            (decimal)(await Scalar(connection, $"SELECT coalesce(sum(stock_value), 0) FROM erp.bin WHERE warehouse = '{DemoCatalogue.Warehouse}'", cancellationToken))!,
            (decimal)(await Scalar(connection, """
                SELECT coalesce(sum(g.debit - g.credit), 0) FROM erp.gl_entry g
                WHERE g.account IN (SELECT stock_account FROM erp.warehouse WHERE id = @warehouse AND stock_account IS NOT NULL)
                """, cancellationToken, ("warehouse", DemoCatalogue.Warehouse)))!,
            (long)(await Scalar(connection, """
                SELECT count(*) FROM eta.receipt r
                LEFT JOIN eta.receipt p ON p.device = r.device AND p.chain_seq = r.chain_seq - 1
                WHERE (r.chain_seq = 1 AND r.previous_uuid <> '') OR (r.chain_seq > 1 AND (p.uuid IS NULL OR p.uuid <> r.previous_uuid))
                """, cancellationToken))!,
            await CountsAsync(connection, "SELECT state, count(*) FROM eta.receipt GROUP BY state", cancellationToken),
            await CountsAsync(connection, "SELECT i.definition_id, count(*) FROM flows.incident n JOIN flows.instance i ON i.id = n.instance_id GROUP BY 1", cancellationToken),
            await CountsAsync(connection, "SELECT definition_id || ' ' || status, count(*) FROM flows.instance GROUP BY 1", cancellationToken),
            await CountsAsync(connection, "SELECT topic || ' ' || status, count(*) FROM integration.inbox GROUP BY 1", cancellationToken));
    }

    private static async Task<object?> Scalar(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private static async Task<IReadOnlyDictionary<string, long>> CountsAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }
}
