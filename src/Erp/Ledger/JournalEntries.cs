using System.Text.Json;
using Dapper;
using Npgsql;

namespace Integration.Erp.Ledger;

/// <summary>
/// Journal entries: created as drafts (or posted at once), posted through <see cref="LedgerPosting"/>, cancelled by
/// a reversing voucher that swaps every debit and credit; both vouchers point at each other. Creating with an
/// idempotency key that was used before returns the existing entry.
/// </summary>
public sealed class JournalEntries(NpgsqlDataSource dataSource)
{
    internal const string VoucherType = "Journal Entry";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Creates a draft; posts it too when <paramref name="post"/>. Returns the entry and whether it already existed.</summary>
    public async Task<(JournalEntry Entry, bool Existed)> CreateAsync(Voucher voucher, string? idempotencyKey, bool post, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (idempotencyKey is not null
            && await connection.ExecuteScalarAsync<long?>(
                "SELECT id FROM erp.voucher WHERE company = @Company AND voucher_type = @type AND idempotency_key = @idempotencyKey",
                new { voucher.Company, type = VoucherType, idempotencyKey }) is { } existing)
        {
            return (await GetAsync(existing, cancellationToken), true);
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        long id;
        string voucherNo;
        try
        {
            (id, voucherNo) = await InsertVoucherAsync(connection, transaction, voucher, post ? "posted" : "draft",
                JsonSerializer.Serialize(voucher.Lines, Json), idempotencyKey, reverses: null);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            throw ErpRuleException.NotFound("unknown-company", $"No company '{voucher.Company}'.");
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // A concurrent create with the same key won; answer with its entry.
            await transaction.RollbackAsync(cancellationToken);
            return await CreateAsync(voucher, idempotencyKey, post, cancellationToken);
        }

        IReadOnlyList<string> warnings = [];
        if (post)
        {
            warnings = (await LedgerPosting.PostAsync(connection, transaction, id, voucherNo, voucher, isReversal: false, cancellationToken)).Warnings;
        }

        await transaction.CommitAsync(cancellationToken);
        return (await GetAsync(id, cancellationToken) with { Warnings = warnings }, false);
    }

    public async Task<JournalEntry> PostAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await PostLockedAsync(connection, transaction, id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return await GetAsync(id, cancellationToken) with { Warnings = result.Warnings };
    }

    /// <summary>Posts a reversing voucher (dated <paramref name="reversalDate"/>, default the original date) and marks the entry cancelled.</summary>
    public async Task<JournalEntry> CancelAsync(long id, DateOnly? reversalDate, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var original = await LockAsync(connection, transaction, id);
        if (original.Status != "posted")
        {
            throw new ErpRuleException("not-posted", $"{original.VoucherNo} is {original.Status}; only a posted entry can be cancelled.", 409);
        }

        // Cancelling a reversal would bring its original back into the books while the original still reads cancelled.
        if (original.Reverses is not null)
        {
            throw new ErpRuleException("is-reversal", $"{original.VoucherNo} reverses another entry; post a new entry instead of cancelling it.", 409);
        }

        var entries = await GlEntryStore.ForVoucherAsync(connection, transaction, id);
        var date = reversalDate ?? original.PostingDate;
        var reversal = new Voucher(original.Company, VoucherType, date,
            [.. entries.Select(e => new VoucherLine(e.Account, e.CreditInTransactionCurrency, e.DebitInTransactionCurrency, e.CostCenter,
                e.PartyType, e.Party, e.TransactionCurrency, e.ExchangeRate, $"On cancellation of {original.VoucherNo}"))],
            $"Reversal of {original.VoucherNo}");
        var (reversalId, reversalNo) = await InsertVoucherAsync(connection, transaction, reversal, "posted", null, null, reverses: id);
        await LedgerPosting.PostAsync(connection, transaction, reversalId, reversalNo, reversal, isReversal: true, cancellationToken, reverses: entries);
        await connection.ExecuteAsync("UPDATE erp.voucher SET status = 'cancelled', reversed_by = @reversalId WHERE id = @id", new { reversalId, id }, transaction);
        await transaction.CommitAsync(cancellationToken);
        return await GetAsync(id, cancellationToken);
    }

    public async Task<JournalEntry> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<VoucherRow>(
            "SELECT id, company, voucher_no, posting_date, status, remarks, draft::text AS draft, reverses, reversed_by FROM erp.voucher WHERE id = @id", new { id })
            ?? throw ErpRuleException.NotFound("unknown-journal-entry", $"No journal entry {id}.");
        var entries = await GlEntryStore.ForVoucherAsync(connection, null, id);
        var lines = row.draft is null
            ? [.. entries.Select(e => new VoucherLine(e.Account, e.DebitInTransactionCurrency, e.CreditInTransactionCurrency, e.CostCenter, e.PartyType, e.Party, e.TransactionCurrency, e.ExchangeRate, e.Remarks))]
            : JsonSerializer.Deserialize<List<VoucherLine>>(row.draft, Json) ?? [];
        return new JournalEntry(row.id, row.company, row.voucher_no, row.posting_date, row.status, row.remarks,
            lines, entries, row.reverses, row.reversed_by, []);
    }

    private static Task<(long Id, string VoucherNo)> InsertVoucherAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Voucher voucher, string status, string? draft, string? idempotencyKey, long? reverses) =>
        VoucherStore.InsertAsync(connection, transaction, voucher.Company, voucher.VoucherType, "JV", voucher.PostingDate, status, voucher.Remarks, draft, idempotencyKey, reverses);

    private static async Task<PostingResult> PostLockedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long id, CancellationToken cancellationToken)
    {
        var row = await LockAsync(connection, transaction, id);
        if (row.Status != "draft")
        {
            throw new ErpRuleException("not-a-draft", $"{row.VoucherNo} is {row.Status}; only a draft can be posted.", 409);
        }

        var lines = JsonSerializer.Deserialize<List<VoucherLine>>(row.Draft!, Json) ?? [];
        var voucher = new Voucher(row.Company, VoucherType, row.PostingDate, lines, row.Remarks);
        var result = await LedgerPosting.PostAsync(connection, transaction, id, row.VoucherNo, voucher, isReversal: false, cancellationToken);
        await connection.ExecuteAsync("UPDATE erp.voucher SET status = 'posted', posted_at = now() WHERE id = @id", new { id }, transaction);
        return result;
    }

    private static async Task<LockedVoucher> LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long id) =>
        await connection.QuerySingleOrDefaultAsync<LockedVoucher>(
            "SELECT id AS Id, company AS Company, voucher_no AS VoucherNo, posting_date AS PostingDate, status AS Status, remarks AS Remarks, draft::text AS Draft, reverses AS Reverses FROM erp.voucher WHERE id = @id AND voucher_type = @type FOR UPDATE",
            new { id, type = VoucherType }, transaction)
        ?? throw ErpRuleException.NotFound("unknown-journal-entry", $"No journal entry {id}.");

    private sealed record LockedVoucher(long Id, string Company, string VoucherNo, DateOnly PostingDate, string Status, string? Remarks, string? Draft, long? Reverses);

    private sealed record VoucherRow(long id, string company, string voucher_no, DateOnly posting_date, string status, string? remarks, string? draft, long? reverses, long? reversed_by);
}
