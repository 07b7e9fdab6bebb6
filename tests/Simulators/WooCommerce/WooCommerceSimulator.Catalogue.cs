using System.Globalization;
using System.Text.Json.Nodes;

namespace Integration.Simulators.WooCommerce;

public sealed partial class WooCommerceSimulator
{
    private const string DateFormat = "yyyy-MM-dd'T'HH:mm:ss";

    private static readonly string[] PriceFields = ["regular_price", "sale_price", "date_on_sale_from", "date_on_sale_from_gmt", "date_on_sale_to", "date_on_sale_to_gmt"];

    // What WC_REST_Products_Controller::prepare_object_for_database does with a product or variation before it is
    // saved: null price fields are ignored (isset), "" clears a sale date, a _gmt date is read as GMT and kept with its
    // site-time twin; images given by src are sideloaded as new attachments, by id must exist; categories by id.
    // Terms (product_cat) need a name unique under their parent.
    private (string Code, string Message)? Prepare(JsonObject item, JsonObject? current, string type)
    {
        if (type == "product_cat")
        {
            return PrepareCategory(item, current);
        }

        if (type is not ("product" or "product_variation"))
        {
            return null;
        }

        foreach (var field in PriceFields.Where(f => item.ContainsKey(f) && item[f] is null))
        {
            item.Remove(field);
        }

        foreach (var edge in new[] { "from", "to" })
        {
            var gmt = $"date_on_sale_{edge}_gmt";
            var local = $"date_on_sale_{edge}";
            if (item[gmt] is JsonValue g)
            {
                if (Dates(g.ToString(), isGmt: true) is not { } both)
                {
                    return ("rest_invalid_param", $"Invalid parameter(s): {gmt}");
                }

                (item[gmt], item[local]) = both;
            }
            else if (item[local] is JsonValue l)
            {
                if (Dates(l.ToString(), isGmt: false) is not { } both)
                {
                    return ("rest_invalid_param", $"Invalid parameter(s): {local}");
                }

                (item[gmt], item[local]) = both;
            }
        }

        if (type == "product" && item["images"] is JsonArray images)
        {
            var kept = new JsonArray();
            foreach (var image in images.OfType<JsonObject>())
            {
                if (Attachment(image) is not { } attachment)
                {
                    return ("woocommerce_product_invalid_image_id", $"#{image["id"]} is an invalid image ID.");
                }

                kept.Add(attachment);
            }

            item["images"] = kept;
        }

        if (type == "product_variation" && item["image"] is JsonObject { } none && (long?)none["id"] == 0 && none["src"] is null)
        {
            // WooCommerce 4.7 and later: id 0 takes the variation's picture off.
            item["image"] = null;
        }
        else if (type == "product_variation" && item["image"] is JsonObject single)
        {
            if (Attachment(single) is not { } attachment)
            {
                return ("woocommerce_variation_invalid_image_id", $"#{single["id"]} is an invalid image ID.");
            }

            item["image"] = attachment;
        }

        if (type == "product" && item["categories"] is JsonArray categories)
        {
            item["categories"] = new JsonArray([.. categories.OfType<JsonObject>()
                .Select(c => (long?)c["id"] is long id && State.CategoryTable.TryGetValue(id, out var found) ? found : null)
                .OfType<JsonObject>()
                .Select(found => (JsonNode)new JsonObject { ["id"] = found["id"]!.DeepClone(), ["name"] = found["name"]!.DeepClone(), ["slug"] = found["slug"]!.DeepClone() })]);
        }

        return null;
    }

    // After the save: the active price and on_sale as WC_Product::is_on_sale('update-price') decides them.
    private void Derive(JsonObject item, string type)
    {
        if (type is not ("product" or "product_variation"))
        {
            return;
        }

        var regular = Money(item["regular_price"]);
        var sale = Money(item["sale_price"]);
        var now = State.UtcNow();
        var from = Gmt(item["date_on_sale_from_gmt"]);
        var to = Gmt(item["date_on_sale_to_gmt"]);
        var onSale = sale is { } s && regular is { } r && s < r && (from is null || from <= now) && (to is null || to >= now);
        item["on_sale"] = onSale;
        item["price"] = onSale ? (string?)item["sale_price"] : (string?)item["regular_price"] ?? "";
    }

    private (JsonNode? Gmt, JsonNode? Local)? Dates(string text, bool isGmt)
    {
        if (text.Length == 0)
        {
            return (null, null);
        }

        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | (isGmt ? DateTimeStyles.AssumeUniversal : DateTimeStyles.None), out var parsed))
        {
            return null;
        }

        var utc = isGmt || parsed.Kind == DateTimeKind.Utc ? DateTime.SpecifyKind(parsed, DateTimeKind.Utc)
            : TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(parsed, DateTimeKind.Unspecified), Options.TimeZone);
        var local = TimeZoneInfo.ConvertTimeFromUtc(utc, Options.TimeZone);
        return (utc.ToString(DateFormat, CultureInfo.InvariantCulture), local.ToString(DateFormat, CultureInfo.InvariantCulture));
    }

    private JsonObject? Attachment(JsonObject image)
    {
        if ((long?)image["id"] is long id && id > 0)
        {
            return State.MediaTable.TryGetValue(id, out var known)
                ? new JsonObject { ["id"] = id, ["src"] = known, ["name"] = image["name"]?.DeepClone() ?? FileName(known), ["alt"] = image["alt"]?.DeepClone() ?? "" }
                : null;
        }

        if ((string?)image["src"] is not { Length: > 0 } src)
        {
            return null;
        }

        // media_sideload_image: every src given is downloaded again as a new attachment.
        var attachment = State.NextId();
        State.MediaTable[attachment] = src;
        return new JsonObject { ["id"] = attachment, ["src"] = src, ["name"] = image["name"]?.DeepClone() ?? FileName(src), ["alt"] = image["alt"]?.DeepClone() ?? "" };
    }

    private (string Code, string Message)? PrepareCategory(JsonObject item, JsonObject? current)
    {
        var name = (string?)item["name"] ?? (string?)current?["name"];
        if (string.IsNullOrWhiteSpace(name))
        {
            return ("rest_missing_callback_param", "Missing parameter(s): name");
        }

        var parent = (long?)item["parent"] ?? (long?)current?["parent"] ?? 0;
        var currentId = (long?)current?["id"];
        if (State.CategoryTable.Values.Any(c => (long)c["id"]! != currentId && ((long?)c["parent"] ?? 0) == parent
            && string.Equals((string?)c["name"], name.Trim(), StringComparison.OrdinalIgnoreCase)))
        {
            return ("term_exists", "A term with the name provided already exists with this parent.");
        }

        item["name"] = name.Trim();
        item["parent"] = parent;
        item["slug"] = (string?)item["slug"] ?? (string?)current?["slug"] ?? Slug(name);
        return null;
    }

    private static string Slug(string name) =>
        string.Join('-', name.Trim().ToLowerInvariant().Split([' ', '&', '/', '\'', '"'], StringSplitOptions.RemoveEmptyEntries));

    private static string FileName(string src) => Path.GetFileNameWithoutExtension(new Uri(src, UriKind.RelativeOrAbsolute).IsAbsoluteUri ? new Uri(src).AbsolutePath : src);

    private static decimal? Money(JsonNode? node) =>
        node is JsonValue v && decimal.TryParse(v.ToString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var amount) ? amount : null;

    private static DateTime? Gmt(JsonNode? node) =>
        node is JsonValue v && DateTime.TryParse(v.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at) ? at : null;
}
