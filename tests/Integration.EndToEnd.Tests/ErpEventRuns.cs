using System.Globalization;
using System.Text.Json;

namespace Integration.EndToEnd.Tests;

/// <summary>
/// Runs started by ERP events, the latest event's first: by the outbox id the run was given (<c>input.outboxId</c>,
/// as a per-store run gets it from the run the event started), else the one its trigger names (<c>outbox:ID</c>). Not
/// by when each run was made: the events of a template and of its variants are fed side by side, so an earlier event's
/// run may start later; of a product's runs, the latest event's is the one that writes.
/// </summary>
public static class ErpEventRuns
{
    public static IReadOnlyList<JsonElement> LatestEventFirst(IEnumerable<JsonElement> runs) => [.. runs.OrderByDescending(EventOf)];

    private static long EventOf(JsonElement run) =>
        run.TryGetProperty("input", out var input) && input.ValueKind == JsonValueKind.Object && input.TryGetProperty("outboxId", out var id)
            ? (id.ValueKind == JsonValueKind.Number ? id.GetInt64() : long.Parse(id.GetString()!, CultureInfo.InvariantCulture))
            : long.Parse(run.GetProperty("trigger").GetString()!["outbox:".Length..], CultureInfo.InvariantCulture);
}
