using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using WireMock;

namespace Integration.Simulators.WooCommerce;

public sealed partial class WooCommerceSimulator
{
    /// <summary>Counts the batch requests answered per endpoint (path after /wp-json/wc/v3/).</summary>
    public int BatchRequests(string path) => Requests.Count(r => r.Method == "POST" && r.Path == path);

    // POST .../batch: { create: [...], update: [...], delete: [ids] }. Answered 200 whatever the items did, each item
    // with the object or its own error, as WC_REST_Controller::batch_items does.
    private ResponseMessage Batch(JsonObject body, SortedDictionary<long, JsonObject> table, string type, string? uniqueField, long? parentId = null)
    {
        var create = body["create"] as JsonArray ?? [];
        var update = body["update"] as JsonArray ?? [];
        var delete = body["delete"] as JsonArray ?? [];
        if (create.Count + update.Count + delete.Count > Options.BatchLimit)
        {
            return Error(HttpStatusCode.RequestEntityTooLarge, "rest_request_entity_too_large",
                $"Unable to accept more than {Options.BatchLimit.ToString(CultureInfo.InvariantCulture)} items for this request.");
        }

        var answer = new JsonObject();
        if (create.Count > 0)
        {
            answer["create"] = new JsonArray([.. create.Select(item => Create(item as JsonObject ?? [], table, type, uniqueField, parentId))]);
        }

        if (update.Count > 0)
        {
            answer["update"] = new JsonArray([.. update.Select(item => Update(item as JsonObject ?? [], table, type, uniqueField))]);
        }

        if (delete.Count > 0)
        {
            answer["delete"] = new JsonArray([.. delete.Select(item => Delete(item, table, type))]);
        }

        return Reply(HttpStatusCode.OK, answer);
    }

    private JsonNode Create(JsonObject item, SortedDictionary<long, JsonObject> table, string type, string? uniqueField, long? parentId)
    {
        var unique = uniqueField is null ? null : (string?)item[uniqueField];
        if (State.Refused(unique) is { } refusal)
        {
            return ItemError(0, refusal.Code, refusal.Message);
        }

        if (!string.IsNullOrEmpty(unique) && SkuTaken(unique, null))
        {
            return ItemError(0, "product_invalid_sku", "Invalid or duplicated SKU.");
        }

        var created = item.DeepClone().AsObject();
        if (Prepare(created, null, type) is { } refused)
        {
            return ItemError(0, refused.Code, refused.Message);
        }

        created["id"] = State.NextId();
        if (type == "product")
        {
            created["type"] ??= "simple";
            created["status"] ??= "publish";
        }

        if (parentId is { } parent)
        {
            created["parent_id"] = parent;
        }

        Stamp(created);
        Derive(created, type);
        table[(long)created["id"]!] = created;
        return created.DeepClone();
    }

    private JsonNode Update(JsonObject item, SortedDictionary<long, JsonObject> table, string type, string? uniqueField)
    {
        var id = item["id"] is JsonValue v && v.TryGetValue<long>(out var n) ? n : 0;
        if (id == 0 || !table.TryGetValue(id, out var current))
        {
            return ItemError(id, $"woocommerce_rest_{type}_invalid_id", "Invalid ID.");
        }

        var unique = uniqueField is null ? null : (string?)item[uniqueField] ?? (string?)current[uniqueField];
        if (State.Refused(unique) is { } refusal)
        {
            return ItemError(id, refusal.Code, refusal.Message);
        }

        if (uniqueField is not null && (string?)item[uniqueField] is { Length: > 0 } changed && SkuTaken(changed, id))
        {
            return ItemError(id, "product_invalid_sku", "Invalid or duplicated SKU.");
        }

        var changes = item.DeepClone().AsObject();
        if (Prepare(changes, current, type) is { } refused2)
        {
            return ItemError(id, refused2.Code, refused2.Message);
        }

        MergeMeta(current, changes);
        foreach (var (key, value) in changes)
        {
            current[key] = value?.DeepClone();
        }

        Stamp(current);
        Derive(current, type);
        return current.DeepClone();
    }

    private static JsonNode Delete(JsonNode? item, SortedDictionary<long, JsonObject> table, string type)
    {
        var id = item is JsonValue v && v.TryGetValue<long>(out var n) ? n : 0;
        return table.Remove(id, out var removed) ? removed.DeepClone() : ItemError(id, $"woocommerce_rest_{type}_invalid_id", "Invalid ID.");
    }

    // Products and variations share one SKU space in WooCommerce.
    private bool SkuTaken(string sku, long? except) =>
        State.ProductTable.Values.Concat(State.ProductTable.Keys.SelectMany(p => State.VariationTable(p).Values))
            .Any(p => (string?)p["sku"] == sku && (long)p["id"]! != except);

    /// <summary>
    /// <c>meta_data</c> in an update changes the entries it names (by id, else by key) and adds the others, as
    /// WC_Data::update_meta_data does; entries it does not name stay. Removes <c>meta_data</c> from <paramref name="changes"/>.
    /// </summary>
    internal void MergeMeta(JsonObject current, JsonObject changes)
    {
        if (changes["meta_data"] is not JsonArray incoming)
        {
            return;
        }

        changes.Remove("meta_data");
        if (current["meta_data"] is not JsonArray meta)
        {
            current["meta_data"] = meta = [];
        }

        foreach (var entry in incoming.OfType<JsonObject>())
        {
            var key = (string?)entry["key"];
            var id = entry["id"] is JsonValue v && v.TryGetValue<long>(out var n) ? n : 0;
            var existing = meta.OfType<JsonObject>().FirstOrDefault(m => id != 0 ? (m["id"] is JsonValue mv && mv.TryGetValue<long>(out var mid) && mid == id) : (string?)m["key"] == key);
            if (existing is not null)
            {
                existing["value"] = entry["value"]?.DeepClone();
            }
            else
            {
                meta.Add(new JsonObject { ["id"] = State.NextId(), ["key"] = key, ["value"] = entry["value"]?.DeepClone() });
            }
        }
    }

    private void Stamp(JsonObject item)
    {
        item["date_modified_gmt"] = State.Now();
        // A managed stock decides the stock status, as wc_update_product_stock_status does.
        if (item["manage_stock"] is JsonValue m && m.TryGetValue<bool>(out var managed) && managed
            && decimal.TryParse(item["stock_quantity"]?.ToString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var qty))
        {
            var backorders = (string?)item["backorders"] is "notify" or "yes";
            item["stock_status"] = qty > 0 ? "instock" : backorders ? "onbackorder" : "outofstock";
        }
    }

    private static JsonObject ItemError(long id, string code, string message) => new()
    {
        ["id"] = id,
        ["error"] = new JsonObject { ["code"] = code, ["message"] = message, ["data"] = new JsonObject { ["status"] = 400 } },
    };
}
