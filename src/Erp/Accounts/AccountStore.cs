using Dapper;
using Npgsql;

namespace Integration.Erp.Accounts;

internal static class AccountStore
{
    internal const string Columns = """
        company AS Company, id AS Id, name AS Name, parent AS Parent, is_group AS IsGroup, root_type AS RootType,
        account_type AS AccountType, disabled AS Disabled
        """;

    public static async Task<IReadOnlyList<Account>> ListAsync(NpgsqlConnection connection, string company, NpgsqlTransaction? transaction = null) =>
        [.. await connection.QueryAsync<Account>($"SELECT {Columns} FROM erp.account WHERE company = @company ORDER BY id", new { company }, transaction)];

    public static async Task<Dictionary<string, Account>> GetManyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string company, IEnumerable<string> ids) =>
        (await connection.QueryAsync<Account>(
            $"SELECT {Columns} FROM erp.account WHERE company = @company AND id = ANY(@ids)",
            new { company, ids = ids.Distinct().ToArray() },
            transaction)).ToDictionary(a => a.Id, StringComparer.Ordinal);

    public static async Task CreateAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Account account)
    {
        if (!Account.RootTypes.Contains(account.RootType))
        {
            throw new ErpRuleException("invalid-root-type", $"Root type must be one of {string.Join(", ", Account.RootTypes)}.", 400);
        }

        if (account.AccountType is not null && !Account.AccountTypes.Contains(account.AccountType))
        {
            throw new ErpRuleException("invalid-account-type", $"Account type must be one of {string.Join(", ", Account.AccountTypes)}.", 400);
        }

        if (account.Parent is not null)
        {
            var parent = await connection.QuerySingleOrDefaultAsync<Account>(
                $"SELECT {Columns} FROM erp.account WHERE company = @Company AND id = @Parent", account, transaction)
                ?? throw new ErpRuleException("unknown-account", $"Parent account '{account.Parent}' does not exist.", 400);
            if (!parent.IsGroup)
            {
                throw new ErpRuleException("parent-not-group", $"Parent account '{parent.Id}' is a ledger, not a group.", 400);
            }

            if (parent.RootType != account.RootType)
            {
                throw new ErpRuleException("root-type-mismatch", $"'{account.Id}' must have its parent's root type {parent.RootType}.", 400);
            }
        }

        try
        {
            await connection.ExecuteAsync("""
                INSERT INTO erp.account (company, id, name, parent, is_group, root_type, account_type, disabled)
                VALUES (@Company, @Id, @Name, @Parent, @IsGroup, @RootType, @AccountType, @Disabled)
                """, account, transaction);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new ErpRuleException("duplicate-account", $"Account '{account.Id}' already exists in {account.Company}.", 409);
        }
    }

    public static async Task<Account> UpdateAsync(NpgsqlConnection connection, string company, string id, string? name, bool? disabled)
    {
        // An account the company posts to on its own (sales, rounding, stock) would make every such posting fail.
        if (disabled == true && await connection.ExecuteScalarAsync<bool>("""
                SELECT EXISTS (SELECT 1 FROM erp.company WHERE id = @company AND @id IN (receivable_account, output_tax_account, round_off_account,
                    stock_adjustment_account, stock_received_not_billed_account))
                """, new { company, id }))
        {
            throw new ErpRuleException("account-in-use", $"Account '{id}' is one the company {company} posts to on its own (PATCH /api/erp/companies/{company} names another first).", 409);
        }

        return await connection.QuerySingleOrDefaultAsync<Account>($"""
            UPDATE erp.account SET name = coalesce(@name, name), disabled = coalesce(@disabled, disabled)
            WHERE company = @company AND id = @id
            RETURNING {Columns}
            """, new { company, id, name, disabled })
            ?? throw ErpRuleException.NotFound("unknown-account", $"No account '{id}' in {company}.");
    }
}
