using System.Globalization;
using System.Text.Json.Nodes;
using Dapper;
using Npgsql;

namespace Integration.Workflows.Persistence;

/// <summary>The delivery a run was started by (<c>inbox:ID</c>), read again from the inbox when the run goes on.</summary>
internal static class InboxPayload
{
    public static async Task<JsonNode?> ReadAsync(NpgsqlDataSource dataSource, string? trigger, CancellationToken cancellationToken)
    {
        if (trigger is null || !trigger.StartsWith("inbox:", StringComparison.Ordinal))
        {
            return null;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var body = await connection.ExecuteScalarAsync<byte[]?>("SELECT body FROM integration.inbox WHERE id = @id", new { id = long.Parse(trigger[6..], CultureInfo.InvariantCulture) });
        return body is null ? null : JsonNode.Parse(body);
    }
}
