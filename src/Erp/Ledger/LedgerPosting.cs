using Dapper;
using Integration.Erp.Accounts;
using Integration.Erp.Budgets;
using Integration.Erp.Companies;
using Integration.Erp.CostCenters;
using Integration.Erp.FiscalYears;
using Npgsql;
using NpgsqlTypes;

namespace Integration.Erp.Ledger;

/// <summary>
/// The single code path that writes the general ledger. Inside the caller's transaction it checks the period,
/// the accounts, cost centers and parties, balances the voucher in company currency (a difference within the
/// currency's rounding allowance goes to the Round Off account; a larger one is refused), checks budgets, then
/// inserts the GL entries and updates the running balances. Anything refused leaves nothing written.
/// </summary>
internal static class LedgerPosting
{
    public static async Task<PostingResult> PostAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        long voucherId,
        string voucherNo,
        Voucher voucher,
        bool isReversal,
        CancellationToken cancellationToken,
        bool checkBudgets = true,
        IReadOnlyList<GlEntry>? reverses = null,
        (int Line, decimal CompanyAmount)? exact = null)
    {
        var (company, fiscalYear, accounts, costCenters) = await LoadAsync(connection, transaction, voucher);
        if (voucher.Lines.Count < 2)
        {
            throw new ErpRuleException("too-few-lines", "A voucher needs at least two lines.");
        }

        var lines = new List<PostedLine>(voucher.Lines.Count + 1);
        for (var i = 0; i < voucher.Lines.Count; i++)
        {
            if (voucher.VoucherType == JournalEntries.VoucherType && !isReversal)
            {
                RequireExchangeRate(company, voucher.Lines[i].Currency, voucher.Lines[i].ExchangeRate, $"Line {i + 1}");
            }

            var line = Resolve(company, accounts, voucher.Lines[i], i + 1, isReversal);
            if (!isReversal && (MovesNoStock(voucher.VoucherType) || voucher.Lines[i].NoStockAccount) && accounts[line.Account].AccountType == "Stock")
            {
                // A stock account's balance is the stock ledger's value: only stock transactions move it.
                throw new ErpRuleException("stock-account", $"Line {i + 1}: account '{line.Account}' is a stock account; its balance is the stock's value and only stock transactions (receipt, issue, reconciliation, sales) change it.", 422);
            }

            // A reversal gives back exactly what its original posted in company currency; converting its amounts again
            // at the stored (rounded) rate could miss by a cent and leave it on Round Off.
            lines.Add(reverses is not null ? line with { Debit = reverses[i].Credit, Credit = reverses[i].Debit }
                // A line whose company amount is known exactly (what is left of a foreign-currency receivable): taken as it
                // is, the conversion's cent going to Round Off, so the receivable ends at zero.
                : exact is { } given && given.Line == i ? line with { Debit = line.Debit > 0 ? given.CompanyAmount : 0, Credit = line.Credit > 0 ? given.CompanyAmount : 0 }
                : line);
        }

        foreach (var line in lines.Where(l => l.CostCenter is not null))
        {
            if (!costCenters.TryGetValue(line.CostCenter!, out var costCenter))
            {
                throw new ErpRuleException("unknown-cost-center", $"Line {line.LineNo}: no cost center '{line.CostCenter}' in {company.Id}.");
            }

            if (costCenter.IsGroup || (costCenter.Disabled && !isReversal))
            {
                throw new ErpRuleException("group-cost-center", $"Line {line.LineNo}: cost center '{line.CostCenter}' is a group or disabled; post to a ledger cost center.");
            }
        }

        var roundOff = Balance(company, accounts, lines);
        var warnings = isReversal || !checkBudgets
            ? []
            : await BudgetCheck.CheckAsync(connection, transaction, company, fiscalYear, voucher.PostingDate,
                lines.Where(l => accounts[l.Account].RootType == "Expense")
                    .Select(l => (l.Account, l.CostCenter!, l.Debit - l.Credit)),
                cancellationToken);

        var entries = await WriteAsync(connection, transaction, company, voucherId, voucherNo, voucher, lines, isReversal, cancellationToken);
        return new PostingResult(voucherId, voucherNo, entries, roundOff, warnings);
    }

    // Company, fiscal year, accounts and cost centers in one round trip.
    // Journal entries and money moved for a sale (a payment, a refund) never move stock: a stock account given to one
    // (a payment "received" on 1160) would part the GL from the stock ledger.
    private static bool MovesNoStock(string voucherType) =>
        voucherType is JournalEntries.VoucherType or Sales.SalesDocuments.Payment or Sales.SalesDocuments.OverpaymentRefund;

    private static async Task<(Company, (string Id, DateOnly Start, DateOnly End), Dictionary<string, Account>, Dictionary<string, CostCenter>)> LoadAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Voucher voucher)
    {
        var parameters = new
        {
            company = voucher.Company,
            date = voucher.PostingDate,
            accounts = voucher.Lines.Select(l => l.Account).Distinct().ToArray(),
            costCenters = voucher.Lines.Where(l => l.CostCenter is not null).Select(l => l.CostCenter!).Distinct().ToArray(),
        };
        await using var results = await connection.QueryMultipleAsync($"""
            {CompanyStore.Query};
            {FiscalYearStore.OpenYearQuery};
            SELECT {AccountStore.Columns} FROM erp.account
            WHERE company = @company AND (id = ANY(@accounts) OR id = (SELECT round_off_account FROM erp.company WHERE id = @company));
            SELECT {CostCenterStore.Columns} FROM erp.cost_center
            WHERE company = @company AND (id = ANY(@costCenters) OR id = (SELECT default_cost_center FROM erp.company WHERE id = @company));
            """, parameters, transaction);
        var company = (await results.ReadSingleOrDefaultAsync<CompanyStore.CompanyRow>())?.ToCompany()
            ?? throw ErpRuleException.NotFound("unknown-company", $"No company '{voucher.Company}'.");
        var fiscalYear = FiscalYearStore.Open(company.Id, voucher.PostingDate, await results.ReadSingleOrDefaultAsync<FiscalYearStore.OpenYearRow>());
        var accounts = (await results.ReadAsync<Account>()).ToDictionary(a => a.Id, StringComparer.Ordinal);
        var costCenters = (await results.ReadAsync<CostCenter>()).ToDictionary(c => c.Id, StringComparer.Ordinal);
        return (company, fiscalYear, accounts, costCenters);
    }

    /// <summary>
    /// Refuses a foreign currency at rate 1 where a document chooses its rate (a journal entry, a sales order or invoice):
    /// 1 is every document's default, and a foreign amount at 1 would be booked as so many units of the company's
    /// currency (a USD store's order as EGP) and reported so on its tax receipt. What inherits a posted document's rate
    /// (its payments, credit notes, reversals) is not asked again.
    /// </summary>
    public static void RequireExchangeRate(Company company, string? currency, decimal rate, string where)
    {
        if (rate == 1m && !string.IsNullOrEmpty(currency) && !string.Equals(currency, company.Currency, StringComparison.OrdinalIgnoreCase))
        {
            throw new ErpRuleException("exchange-rate-required",
                $"{where}: {currency} is not the company's currency ({company.Currency}); give its exchange rate to {company.Currency} (1 is taken as missing).");
        }
    }

    // A reversal gives back what was posted: an account disabled since (closed to new postings) still takes it.
    private static PostedLine Resolve(Company company, Dictionary<string, Account> accounts, VoucherLine line, int lineNo, bool isReversal)
    {
        if (!accounts.TryGetValue(line.Account, out var account))
        {
            throw new ErpRuleException("unknown-account", $"Line {lineNo}: no account '{line.Account}' in {company.Id}.");
        }

        if (account.IsGroup || (account.Disabled && !isReversal))
        {
            throw new ErpRuleException("group-account", $"Line {lineNo}: account '{account.Id}' is a group or disabled; post to a ledger account.");
        }

        if (line.Debit < 0 || line.Credit < 0 || (line.Debit == 0) == (line.Credit == 0))
        {
            throw new ErpRuleException("invalid-amount", $"Line {lineNo}: exactly one of debit and credit must be positive.");
        }

        if (account.NeedsParty && string.IsNullOrWhiteSpace(line.Party))
        {
            throw new ErpRuleException("party-required", $"Line {lineNo}: account '{account.Id}' is {account.AccountType} and needs a party.");
        }

        var currency = line.Currency ?? company.Currency;
        var rate = currency == company.Currency ? 1m : line.ExchangeRate;
        if (rate <= 0)
        {
            throw new ErpRuleException("invalid-exchange-rate", $"Line {lineNo}: exchange rate must be positive.");
        }


        var costCenter = account.IsProfitAndLoss ? line.CostCenter ?? company.DefaultCostCenter : line.CostCenter;
        if (account.IsProfitAndLoss && costCenter is null)
        {
            throw new ErpRuleException("cost-center-required", $"Line {lineNo}: {account.RootType} account '{account.Id}' needs a cost center.");
        }

        return new PostedLine(
            lineNo, account.Id, line.PartyType, line.Party, costCenter,
            Money.Round(line.Debit * rate, company.CurrencyPrecision),
            Money.Round(line.Credit * rate, company.CurrencyPrecision),
            currency, rate, line.Debit, line.Credit, line.Remarks);
    }

    // Returns the round-off amount added (positive: a credit line was added).
    private static decimal Balance(Company company, Dictionary<string, Account> accounts, List<PostedLine> lines)
    {
        var difference = lines.Sum(l => l.Debit) - lines.Sum(l => l.Credit);
        if (difference == 0)
        {
            return 0;
        }

        // As ERPNext allows for journal entries: up to five units of the last decimal place; and when every currency of
        // the voucher balances in itself, what converting its lines rounded (half a unit each), however many there are.
        var unit = 1m / (decimal)Math.Pow(10, company.CurrencyPrecision);
        var converted = lines.Count(l => l.ExchangeRate != 1m);
        var balancedInEachCurrency = lines.GroupBy(l => l.Currency, StringComparer.Ordinal).All(g => g.Sum(l => l.DebitInCurrency) == g.Sum(l => l.CreditInCurrency));
        var allowance = balancedInEachCurrency ? Math.Max(5m * unit, converted * unit / 2) : 5m * unit;
        if (Math.Abs(difference) > allowance || company.RoundOffAccount is null || !accounts.ContainsKey(company.RoundOffAccount))
        {
            throw new ErpRuleException("unbalanced-voucher",
                $"Debits and credits differ by {difference} {company.Currency}; the most that is rounded off is {allowance}.",
                details: new Dictionary<string, object?>
                {
                    ["debit"] = lines.Sum(l => l.Debit),
                    ["credit"] = lines.Sum(l => l.Credit),
                    ["difference"] = difference,
                });
        }

        lines.Add(new PostedLine(
            lines.Count + 1, company.RoundOffAccount, null, null, company.DefaultCostCenter,
            difference < 0 ? -difference : 0, difference > 0 ? difference : 0,
            company.Currency, 1, difference < 0 ? -difference : 0, difference > 0 ? difference : 0, "Round off"));
        return difference;
    }

    // The GL entries and the running balances they move, in one round trip.
    private static async Task<IReadOnlyList<GlEntry>> WriteAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Company company, long voucherId, string voucherNo,
        Voucher voucher, List<PostedLine> lines, bool isReversal, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(EntriesCommand(company, voucherId, voucherNo, voucher, lines, isReversal));
        batch.BatchCommands.Add(BalancesCommand(company.Id, voucher.PostingDate, lines));
        var ids = new Dictionary<int, long>(lines.Count);
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                ids[reader.GetInt32(1)] = reader.GetInt64(0);
            }

            // The balances' statement: its errors surface here.
            await reader.NextResultAsync(cancellationToken);
        }

        return [.. lines.Select(l => new GlEntry(ids[l.LineNo], company.Id, voucherId, voucher.VoucherType, voucherNo, l.LineNo,
            voucher.PostingDate, l.Account, l.PartyType, l.Party, l.CostCenter, l.Debit, l.Credit, l.Currency, l.ExchangeRate,
            l.DebitInCurrency, l.CreditInCurrency, l.Remarks ?? voucher.Remarks, isReversal))];
    }

    private static NpgsqlBatchCommand EntriesCommand(
        Company company, long voucherId, string voucherNo, Voucher voucher, List<PostedLine> lines, bool isReversal)
    {
        var command = new NpgsqlBatchCommand("""
            INSERT INTO erp.gl_entry (company, voucher_id, voucher_type, voucher_no, line_no, posting_date, account, party_type,
                party, cost_center, debit, credit, transaction_currency, exchange_rate, debit_in_transaction_currency,
                credit_in_transaction_currency, remarks, is_reversal)
            SELECT $1, $2, $3, $4, l.line_no, $5, l.account, l.party_type, l.party, l.cost_center, l.debit, l.credit,
                   l.currency, l.rate, l.debit_tx, l.credit_tx, coalesce(l.remarks, $6), $7
            FROM unnest($8::int[], $9::text[], $10::text[], $11::text[], $12::text[], $13::numeric[], $14::numeric[],
                        $15::text[], $16::numeric[], $17::numeric[], $18::numeric[], $19::text[])
                 AS l(line_no, account, party_type, party, cost_center, debit, credit, currency, rate, debit_tx, credit_tx, remarks)
            RETURNING id, line_no
            """);
        var p = command.Parameters;
        p.AddWithValue(company.Id);
        p.AddWithValue(voucherId);
        p.AddWithValue(voucher.VoucherType);
        p.AddWithValue(voucherNo);
        p.AddWithValue(voucher.PostingDate);
        p.Add(new NpgsqlParameter { Value = (object?)voucher.Remarks ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        p.AddWithValue(isReversal);
        p.AddWithValue(lines.Select(l => l.LineNo).ToArray());
        p.AddWithValue(lines.Select(l => l.Account).ToArray());
        p.Add(new NpgsqlParameter { Value = lines.Select(l => l.PartyType).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter { Value = lines.Select(l => l.Party).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter { Value = lines.Select(l => l.CostCenter).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        p.AddWithValue(lines.Select(l => l.Debit).ToArray());
        p.AddWithValue(lines.Select(l => l.Credit).ToArray());
        p.AddWithValue(lines.Select(l => l.Currency).ToArray());
        p.AddWithValue(lines.Select(l => l.ExchangeRate).ToArray());
        p.AddWithValue(lines.Select(l => l.DebitInCurrency).ToArray());
        p.AddWithValue(lines.Select(l => l.CreditInCurrency).ToArray());
        p.Add(new NpgsqlParameter { Value = lines.Select(l => l.Remarks).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        return command;
    }

    private static NpgsqlBatchCommand BalancesCommand(string company, DateOnly postingDate, List<PostedLine> lines)
    {
        // Sorted keys: concurrent postings lock balance rows in the same order and cannot deadlock. The slot (per
        // connection, so one per transaction) spreads concurrent postings over eight rows per key (migration 0008).
        var sums = lines
            .GroupBy(l => (l.Account, CostCenter: l.CostCenter ?? ""))
            .Select(g => (g.Key.Account, g.Key.CostCenter, Debit: g.Sum(l => l.Debit), Credit: g.Sum(l => l.Credit)))
            .OrderBy(s => s.Account, StringComparer.Ordinal).ThenBy(s => s.CostCenter, StringComparer.Ordinal)
            .ToList();
        var command = new NpgsqlBatchCommand("""
            INSERT INTO erp.gl_balance AS b (company, account, cost_center, month, slot, debit, credit)
            SELECT $1, s.account, s.cost_center, $2, pg_backend_pid() % 8, s.debit, s.credit
            FROM unnest($3::text[], $4::text[], $5::numeric[], $6::numeric[]) WITH ORDINALITY AS s(account, cost_center, debit, credit, n)
            ORDER BY s.n
            ON CONFLICT (company, account, cost_center, month, slot)
            DO UPDATE SET debit = b.debit + excluded.debit, credit = b.credit + excluded.credit
            """);
        command.Parameters.AddWithValue(company);
        command.Parameters.AddWithValue(new DateOnly(postingDate.Year, postingDate.Month, 1));
        command.Parameters.AddWithValue(sums.Select(s => s.Account).ToArray());
        command.Parameters.AddWithValue(sums.Select(s => s.CostCenter).ToArray());
        command.Parameters.AddWithValue(sums.Select(s => s.Debit).ToArray());
        command.Parameters.AddWithValue(sums.Select(s => s.Credit).ToArray());
        return command;
    }

    private sealed record PostedLine(
        int LineNo, string Account, string? PartyType, string? Party, string? CostCenter, decimal Debit, decimal Credit,
        string Currency, decimal ExchangeRate, decimal DebitInCurrency, decimal CreditInCurrency, string? Remarks);
}
