using Dapper;
using Npgsql;

namespace Integration.Erp.Ledger;

/// <summary>Reads the general ledger.</summary>
internal static class GlEntryStore
{
    private const string Columns = """
        id, company, voucher_id, voucher_type, voucher_no, line_no, posting_date, account, party_type, party,
        cost_center, debit, credit, transaction_currency, exchange_rate, debit_in_transaction_currency,
        credit_in_transaction_currency, remarks, is_reversal
        """;

    public static async Task<IReadOnlyList<GlEntry>> ForVoucherAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long voucherId) =>
        [.. (await connection.QueryAsync<Row>($"SELECT {Columns} FROM erp.gl_entry WHERE voucher_id = @voucherId ORDER BY line_no", new { voucherId }, transaction))
            .Select(r => r.ToEntry())];

    public static async Task<IReadOnlyList<GlEntry>> QueryAsync(
        NpgsqlConnection connection, string company, string? account, string? partyType, string? party, string? costCenter,
        DateOnly? from, DateOnly? to, string? voucherNo, int limit, long? afterId) =>
        [.. (await connection.QueryAsync<Row>($"""
            SELECT {Columns} FROM erp.gl_entry
            WHERE company = @company
              AND (@account::text IS NULL OR account = @account)
              AND (@partyType::text IS NULL OR party_type = @partyType)
              AND (@party::text IS NULL OR party = @party)
              AND (@costCenter::text IS NULL OR cost_center = @costCenter)
              AND (@from::date IS NULL OR posting_date >= @from)
              AND (@to::date IS NULL OR posting_date <= @to)
              AND (@voucherNo::text IS NULL OR voucher_no = @voucherNo)
              AND (@afterId::bigint IS NULL OR id > @afterId)
            ORDER BY posting_date, id
            LIMIT @limit
            """, new { company, account, partyType, party, costCenter, from, to, voucherNo, limit, afterId })).Select(r => r.ToEntry())];

    private sealed record Row(
        long id, string company, long voucher_id, string voucher_type, string voucher_no, int line_no, DateOnly posting_date,
        string account, string? party_type, string? party, string? cost_center, decimal debit, decimal credit,
        string transaction_currency, decimal exchange_rate, decimal debit_in_transaction_currency,
        decimal credit_in_transaction_currency, string? remarks, bool is_reversal)
    {
        public GlEntry ToEntry() => new(id, company, voucher_id, voucher_type, voucher_no, line_no, posting_date,
            account, party_type, party, cost_center, debit, credit, transaction_currency.Trim(), exchange_rate,
            debit_in_transaction_currency, credit_in_transaction_currency, remarks, is_reversal);
    }
}
