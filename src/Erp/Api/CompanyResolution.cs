using Dapper;
using Npgsql;

namespace Integration.Erp.Api;

/// <summary>The company a request is about: the one named, or the only one there is.</summary>
internal static class CompanyResolution
{
    public static async Task<string> ResolveAsync(NpgsqlConnection connection, string? company)
    {
        if (!string.IsNullOrWhiteSpace(company))
        {
            return company;
        }

        var ids = (await connection.QueryAsync<string>("SELECT id FROM erp.company LIMIT 2")).ToList();
        return ids.Count == 1
            ? ids[0]
            : throw new ErpRuleException("company-required", "Name the company: there is more than one (or none).", 400);
    }
}
