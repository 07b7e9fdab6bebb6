using System.Net;
using System.Text.Json.Nodes;

namespace Integration.Connectors.WooCommerce.Client;

/// <summary>
/// Cuts a batch into requests WooCommerce accepts (create, then update, then delete, at most <see cref="MaxItems"/>
/// objects a request) and reads each item's outcome. A 413 halves the request size and sends it again, since a
/// store may lower the limit (<c>woocommerce_rest_batch_items_limit</c>).
/// </summary>
internal static class WooCommerceBatch
{
    /// <summary>WooCommerce's default limit of objects in one batch request.</summary>
    public const int MaxItems = 100;

    public static async Task<WooCommerceBatchResult> SendAsync(
        WooCommerceClient client, string operation, Func<IWooCommerceApi, JsonObject, CancellationToken, Task<HttpResponseMessage>> send,
        IReadOnlyList<JsonObject> create, IReadOnlyList<JsonObject> update, IReadOnlyList<long> delete, CancellationToken cancellationToken)
    {
        var items = new List<(string Kind, int Index, JsonNode Item)>(create.Count + update.Count + delete.Count);
        items.AddRange(create.Select((c, i) => ("create", i, (JsonNode)c)));
        items.AddRange(update.Select((u, i) => ("update", i, (JsonNode)u)));
        items.AddRange(delete.Select((d, i) => ("delete", i, (JsonNode)JsonValue.Create(d))));

        var result = new WooCommerceBatchResult();
        var size = MaxItems;
        for (var start = 0; start < items.Count;)
        {
            var chunk = items.Skip(start).Take(size).ToList();
            var body = new JsonObject();
            foreach (var group in chunk.GroupBy(c => c.Kind))
            {
                body[group.Key] = new JsonArray([.. group.Select(c => c.Item.DeepClone())]);
            }

            var response = await client.SendAsync(operation, (api, ct) => send(api, body, ct), cancellationToken);
            if (response.Status == HttpStatusCode.RequestEntityTooLarge && size > 1)
            {
                size = Math.Max(1, size / 2);
                continue;
            }

            if (!response.IsSuccess || response.Body is not JsonObject answer)
            {
                throw client.Failure(operation, response);
            }

            foreach (var group in chunk.GroupBy(c => c.Kind))
            {
                var answered = answer[group.Key] as JsonArray ?? [];
                var sent = group.ToList();
                for (var i = 0; i < sent.Count; i++)
                {
                    var (kind, index, item) = sent[i];
                    var outcome = i < answered.Count ? answered[i] as JsonObject : null;
                    if (outcome is null)
                    {
                        result.Add(new WooCommerceBatchError(kind, index, IdOf(item), SkuOf(item), "no_answer", "The store's answer has no item for it.", null));
                    }
                    else if (outcome["error"] is JsonObject error)
                    {
                        result.Add(new WooCommerceBatchError(kind, index, IdOf(outcome) ?? IdOf(item), SkuOf(item),
                            (string?)error["code"] ?? "error", (string?)error["message"] ?? "", (int?)error["data"]?["status"]));
                    }
                    else
                    {
                        result.Add(kind, outcome);
                    }
                }
            }

            start += chunk.Count;
            result.Requests++;
        }

        return result;
    }

    private static long? IdOf(JsonNode? item) => item switch
    {
        JsonValue v when v.TryGetValue<long>(out var id) => id,
        JsonObject o when o["id"] is JsonValue v && v.TryGetValue<long>(out var id) && id != 0 => id,
        _ => null,
    };

    private static string? SkuOf(JsonNode? item) => item is JsonObject o && o["sku"] is JsonValue v && v.TryGetValue<string>(out var sku) ? sku : null;
}

/// <summary>What a batch did: the objects created, updated and deleted, and each item that failed with its reason.</summary>
public sealed class WooCommerceBatchResult
{
    private readonly List<JsonObject> _created = [];
    private readonly List<JsonObject> _updated = [];
    private readonly List<JsonObject> _deleted = [];
    private readonly List<WooCommerceBatchError> _errors = [];

    public IReadOnlyList<JsonObject> Created => _created;

    public IReadOnlyList<JsonObject> Updated => _updated;

    public IReadOnlyList<JsonObject> Deleted => _deleted;

    /// <summary>The items the store refused, each with WooCommerce's code and message.</summary>
    public IReadOnlyList<WooCommerceBatchError> Errors => _errors;

    /// <summary>How many requests the batch took.</summary>
    public int Requests { get; internal set; }

    public bool Succeeded => _errors.Count == 0;

    internal void Add(string kind, JsonObject done) => (kind switch { "create" => _created, "update" => _updated, _ => _deleted }).Add(done);

    internal void Add(WooCommerceBatchError error) => _errors.Add(error);
}

/// <summary>One batch item the store refused: which list and position it was sent at, its id or SKU, and why.</summary>
public sealed record WooCommerceBatchError(string Kind, int Index, long? Id, string? Sku, string Code, string Message, int? Status)
{
    public override string ToString() => $"{Kind}[{Index}]" + (Id is { } id ? $" id {id}" : "") + (Sku is { } sku ? $" sku {sku}" : "") + $": {Message} ({Code})";
}
