using Dapper;
using Npgsql;

namespace Integration.Erp.Ledger;

/// <summary>Inserts vouchers, numbered from the id they get: <c>{prefix}-{year}-{id:000000}</c> (JV-2026-000123).</summary>
internal static class VoucherStore
{
    public static Task<(long Id, string VoucherNo)> InsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string company, string voucherType, string prefix, DateOnly postingDate,
        string status, string? remarks, string? draft = null, string? idempotencyKey = null, long? reverses = null) =>
        connection.QuerySingleAsync<(long, string)>("""
            WITH next AS (SELECT nextval(pg_get_serial_sequence('erp.voucher', 'id')) AS id)
            INSERT INTO erp.voucher (id, company, voucher_type, voucher_no, posting_date, status, remarks, draft, idempotency_key, reverses, posted_at)
            OVERRIDING SYSTEM VALUE
            SELECT next.id, @company, @voucherType,
                   erp.document_number(@prefix, @postingDate::date, next.id),
                   @postingDate, @status, @remarks, @draft::jsonb, @idempotencyKey, @reverses, CASE WHEN @status = 'posted' THEN now() END
            FROM next
            RETURNING id, voucher_no
            """, new { company, voucherType, prefix, postingDate, status, remarks, draft, idempotencyKey, reverses }, transaction);
}
