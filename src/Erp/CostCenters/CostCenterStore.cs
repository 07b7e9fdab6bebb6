using Dapper;
using Npgsql;

namespace Integration.Erp.CostCenters;

internal static class CostCenterStore
{
    internal const string Columns = "company AS Company, id AS Id, name AS Name, parent AS Parent, is_group AS IsGroup, disabled AS Disabled";

    public static async Task<IReadOnlyList<CostCenter>> ListAsync(NpgsqlConnection connection, string company, NpgsqlTransaction? transaction = null) =>
        [.. await connection.QueryAsync<CostCenter>($"SELECT {Columns} FROM erp.cost_center WHERE company = @company ORDER BY id", new { company }, transaction)];

    public static async Task<Dictionary<string, CostCenter>> GetManyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string company, IEnumerable<string> ids) =>
        (await connection.QueryAsync<CostCenter>(
            $"SELECT {Columns} FROM erp.cost_center WHERE company = @company AND id = ANY(@ids)",
            new { company, ids = ids.Distinct().ToArray() },
            transaction)).ToDictionary(c => c.Id, StringComparer.Ordinal);

    public static async Task CreateAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CostCenter costCenter)
    {
        if (costCenter.Parent is not null)
        {
            var parent = await connection.QuerySingleOrDefaultAsync<CostCenter>(
                $"SELECT {Columns} FROM erp.cost_center WHERE company = @Company AND id = @Parent", costCenter, transaction)
                ?? throw new ErpRuleException("unknown-cost-center", $"Parent cost center '{costCenter.Parent}' does not exist.", 400);
            if (!parent.IsGroup)
            {
                throw new ErpRuleException("parent-not-group", $"Parent cost center '{parent.Id}' is not a group.", 400);
            }
        }

        try
        {
            await connection.ExecuteAsync("""
                INSERT INTO erp.cost_center (company, id, name, parent, is_group, disabled)
                VALUES (@Company, @Id, @Name, @Parent, @IsGroup, @Disabled)
                """, costCenter, transaction);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new ErpRuleException("duplicate-cost-center", $"Cost center '{costCenter.Id}' already exists in {costCenter.Company}.", 409);
        }
    }

    /// <summary>The cost center and everything below it (the set a budget or a report on it covers).</summary>
    public static async Task<string[]> SelfAndDescendantsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string company, string id) =>
        [.. await connection.QueryAsync<string>("""
            WITH RECURSIVE tree AS (
                SELECT id FROM erp.cost_center WHERE company = @company AND id = @id
                UNION ALL
                SELECT c.id FROM erp.cost_center c JOIN tree t ON c.parent = t.id AND c.company = @company
            )
            SELECT id FROM tree
            """, new { company, id }, transaction)];
}
