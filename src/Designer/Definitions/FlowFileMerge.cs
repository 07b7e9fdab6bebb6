using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Integration.Designer.Definitions;

/// <summary>
/// Turns a definition saved by Studio into the text of its flow file, keeping the file reviewable: what the file
/// already had stays where it was (key order, activity order), Studio's bookkeeping (version ids, flags, links) is not
/// written, nor are the empty or default values Studio fills in for everything (nulls, empty lists, false flags,
/// <c>nodeId</c>, generated names). What the engineer did change or add is kept, designer positions included.
/// </summary>
internal static partial class FlowFileMerge
{
    /// <summary>Top-level keys that describe a stored version, not the flow; the file keeps its own (if any).</summary>
    private static readonly HashSet<string> Bookkeeping =
    [
        "id", "version", "isLatest", "isPublished", "createdAt", "toolVersion", "isReadonly", "isSystem", "tenantId", "links",
        "materializerName", "materializerContext", "providerName", "usableAsActivity", "$schema",
    ];

    /// <summary>What Studio's definition model carries; anything else the file has is kept as the file has it.</summary>
    private static readonly HashSet<string> StudioModel =
        ["definitionId", "name", "description", "variables", "inputs", "outputs", "outcomes", "customProperties", "options", "root"];

    public static JsonObject Merge(JsonObject saved, JsonObject? original)
    {
        original ??= [];
        var result = new JsonObject();
        foreach (var (key, value) in original)
        {
            if (Bookkeeping.Contains(key) || !StudioModel.Contains(key))
            {
                result[key] = value?.DeepClone();
            }
            else if (saved.ContainsKey(key) && Clean(saved[key], value, key, insideExpression: false, out var cleaned))
            {
                result[key] = cleaned;
            }
        }

        foreach (var (key, value) in saved)
        {
            if (!original.ContainsKey(key) && !Bookkeeping.Contains(key) && Clean(value, null, key, insideExpression: false, out var cleaned) && !IsDefault(cleaned, key, false))
            {
                result[key] = cleaned;
            }
        }

        return result;
    }

    /// <summary>Cleans <paramref name="value"/> against what the file had at the same place; false when nothing is left.</summary>
    private static bool Clean(JsonNode? value, JsonNode? original, string key, bool insideExpression, out JsonNode? cleaned)
    {
        insideExpression |= key == "expression";
        switch (value)
        {
            case JsonObject obj:
                var originalObject = original as JsonObject;
                var result = new JsonObject();
                foreach (var (childKey, child) in originalObject ?? [])
                {
                    if (obj.ContainsKey(childKey) && Clean(obj[childKey], child, childKey, insideExpression, out var kept))
                    {
                        result[childKey] = kept;
                    }
                }

                foreach (var (childKey, child) in obj)
                {
                    if (originalObject?.ContainsKey(childKey) == true)
                    {
                        continue;
                    }

                    if (Clean(child, null, childKey, insideExpression, out var added) && !IsDefault(added, childKey, insideExpression) && !IsNoise(obj, childKey, added))
                    {
                        result[childKey] = added;
                    }
                }

                cleaned = result;
                return true;
            case JsonArray array:
                cleaned = CleanArray(array, original as JsonArray, key, insideExpression);
                return true;
            default:
                cleaned = value?.DeepClone();
                return true;
        }
    }

    /// <summary>Elements with an id (activities, variables) or a source and target (connections) keep the file's order.</summary>
    private static JsonArray CleanArray(JsonArray array, JsonArray? original, string key, bool insideExpression)
    {
        var result = new JsonArray();
        var originals = (original ?? []).ToList();
        var pending = array.ToList();
        foreach (var before in originals)
        {
            var match = pending.FirstOrDefault(item => Identity(item) is { } id && id == Identity(before));
            if (match is not null)
            {
                pending.Remove(match);
                Clean(match, before, key, insideExpression, out var kept);
                result.Add(kept);
            }
        }

        for (var i = 0; i < pending.Count; i++)
        {
            // Elements without an identity are matched by position.
            var before = Identity(pending[i]) is null && i < originals.Count && Identity(originals[i]) is null ? originals[i] : null;
            Clean(pending[i], before, key, insideExpression, out var kept);
            result.Add(kept);
        }

        return result;
    }

    private static string? Identity(JsonNode? node) => node switch
    {
        JsonObject o when o["id"] is JsonValue id && id.TryGetValue<string>(out var text) => "id:" + text,
        JsonObject o when o["source"] is not null && o["target"] is not null =>
            $"edge:{Endpoint(o["source"])}/{o["sourcePort"] ?? o["source"]?["port"]}->{Endpoint(o["target"])}",
        JsonObject o when o["name"] is JsonValue name && name.TryGetValue<string>(out var text) && o.ContainsKey("typeName") => "name:" + text,
        _ => null,
    };

    private static string? Endpoint(JsonNode? node) => node is JsonObject o ? o["activity"]?.ToString() : node?.ToString();

    /// <summary>A value Studio writes for everything and that means "not set": not worth a line in the file.</summary>
    private static bool IsDefault(JsonNode? value, string key, bool insideExpression) => key == "nodeId" || value switch
    {
        null => !insideExpression,
        JsonObject { Count: 0 } or JsonArray { Count: 0 } => true,
        // An input Studio wrapped with no value: unset.
        JsonObject o when o["expression"] is JsonObject e && e["value"] is null && !o.ContainsKey("memoryReference") => true,
        JsonObject o when o.Count == 1 && o.ContainsKey("typeName") => true,
        JsonValue v when !insideExpression && v.TryGetValue<bool>(out var flag) => !flag,
        JsonValue v when !insideExpression && v.TryGetValue<string>(out var text) => text.Length == 0,
        _ => false,
    };

    /// <summary>Names Studio generates (<c>WriteLine1</c>) for activities the file left unnamed.</summary>
    private static bool IsNoise(JsonObject owner, string key, JsonNode? value) =>
        key == "name" && owner["type"] is JsonValue type && type.TryGetValue<string>(out var typeName)
        && value is JsonValue name && name.TryGetValue<string>(out var text)
        && GeneratedName().IsMatch(text) && text.StartsWith(typeName[(typeName.LastIndexOf('.') + 1)..], StringComparison.Ordinal);

    [GeneratedRegex(@"^[A-Za-z]+\d+$")]
    private static partial Regex GeneratedName();
}
