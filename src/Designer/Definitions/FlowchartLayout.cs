using System.Text.Json.Nodes;

namespace Integration.Designer.Definitions;

/// <summary>
/// Places the activities of a hand-written flowchart that have no designer position, left to right by the longest
/// path from a start (so each activity sits right of those leading to it), one row per activity in a column. Studio
/// would otherwise stack them all at 0,0. Saving from the designer writes the positions into the file.
/// </summary>
internal static class FlowchartLayout
{
    private const double ColumnWidth = 320;
    private const double RowHeight = 140;

    public static void Apply(JsonObject flowchart)
    {
        foreach (var child in (flowchart["activities"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (child["activities"] is JsonArray)
            {
                Apply(child);
            }
        }

        var activities = (flowchart["activities"] as JsonArray ?? []).OfType<JsonObject>().Where(a => a["id"] is JsonValue).ToList();
        if (activities.Count == 0 || activities.All(HasPosition))
        {
            return;
        }

        var ids = activities.Select(a => a["id"]!.ToString()).ToList();
        var edges = (flowchart["connections"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(c => (Source: Endpoint(c["source"]), Target: Endpoint(c["target"])))
            .Where(e => e.Source is not null && e.Target is not null && e.Source != e.Target && ids.Contains(e.Source) && ids.Contains(e.Target))
            .ToList();

        // Longest path by relaxation, bounded so a loop cannot push a column out forever.
        var column = ids.ToDictionary(id => id, _ => 0, StringComparer.Ordinal);
        for (var round = 0; round < ids.Count; round++)
        {
            var changed = false;
            foreach (var (source, target) in edges)
            {
                if (column[target!] < column[source!] + 1 && column[source!] + 1 < ids.Count)
                {
                    column[target!] = column[source!] + 1;
                    changed = true;
                }
            }

            if (!changed)
            {
                break;
            }
        }

        var rows = new Dictionary<int, int>();
        foreach (var activity in activities.Where(a => !HasPosition(a)))
        {
            var x = column[activity["id"]!.ToString()];
            var y = rows[x] = rows.GetValueOrDefault(x, -1) + 1;
            var metadata = activity["metadata"] as JsonObject ?? [];
            activity["metadata"] = metadata;
            var designer = metadata["designer"] as JsonObject ?? [];
            metadata["designer"] = designer;
            designer["position"] = new JsonObject { ["x"] = x * ColumnWidth, ["y"] = y * RowHeight };
        }
    }

    private static bool HasPosition(JsonObject activity) => activity["metadata"]?["designer"]?["position"] is JsonObject;

    private static string? Endpoint(JsonNode? node) => node switch
    {
        JsonObject o => o["activity"]?.ToString(),
        JsonValue v => v.ToString(),
        _ => null,
    };
}
