using System.Buffers;
using System.Buffers.Text;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Integration.Mappings.Bench;

/// <summary>
/// What any engine taking and giving the documents the way <c>Mapper.ApplyAsync</c> does must spend on the bench order,
/// with no mapping logic at all: reading each source value the shipped <c>shopify-order__erp-sales-order</c> reads,
/// once each, from the parsed <see cref="JsonNode"/> order (strings touched as raw UTF-8, amounts parsed as decimals),
/// and writing the ERP document the engine made, token by token, with a <see cref="Utf8JsonWriter"/>.
/// The sum of the two is the floor under the engine's figure on this machine.
/// </summary>
public sealed class MappingFloor : IDisposable
{
    private static readonly string[] OrderMembers = ["processed_at", "currency", "taxes_included", "total_discounts", "financial_status", "admin_graphql_api_id", "name", "presentment_currency", "updated_at"];
    private static readonly string[] AddressMembers = ["name", "company", "address1", "address2", "city", "province_code", "zip", "country_code", "phone"];
    private static readonly string[] LineMembers = ["admin_graphql_api_id", "current_quantity", "sku", "gift_card", "quantity", "price", "title", "variant_title"];

    private readonly JsonObject _order;
    private readonly List<Token> _document = [];
    private readonly ArrayBufferWriter<byte> _buffer = new(8192);
    private readonly Utf8JsonWriter _writer;

    public MappingFloor(JsonObject order, JsonNode document)
    {
        _order = order;
        _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true });
        Flatten(document);
    }

    private enum Kind : byte
    {
        StartObject,
        EndObject,
        StartArray,
        EndArray,
        Name,
        Text,
        Number,
        True,
        False,
        Null,
    }

    public void Dispose() => _writer.Dispose();

    /// <summary>Reads the values; returns a figure made of them so that no read can be left out by the compiler.</summary>
    public decimal Read()
    {
        var order = _order;
        var total = Touch(Path(order, "customer", "admin_graphql_api_id")) + Touch(Path(order, "total_discounts_set", "shop_money", "amount"))
            + Touch(Path(order, "total_price_set", "presentment_money", "amount"));
        foreach (var name in OrderMembers)
        {
            total += Touch(order[name]);
        }

        foreach (var address in (ReadOnlySpan<string>)["shipping_address", "billing_address"])
        {
            if (order[address] is JsonObject obj)
            {
                foreach (var name in AddressMembers)
                {
                    total += Touch(obj[name]);
                }
            }
        }

        foreach (var item in order["line_items"]!.AsArray())
        {
            var line = item!.AsObject();
            foreach (var name in LineMembers)
            {
                total += Touch(line[name]);
            }

            total += Touch(Path(line, "price_set", "shop_money", "amount")) + Amounts(line["discount_allocations"], "amount") + Amounts(line["tax_lines"], "price");
            total += line["tax_lines"] is JsonArray { Count: > 0 } taxes ? Touch(taxes[0]!["rate"]) : 0;
        }

        foreach (var item in order["shipping_lines"]!.AsArray())
        {
            var line = item!.AsObject();
            total += Touch(line["id"]) + Touch(line["title"]) + Touch(line["price"]) + Touch(Path(line, "price_set", "shop_money", "amount"))
                + Amounts(line["discount_allocations"], "amount") + Amounts(line["tax_lines"], "price");
        }

        return total;
    }

    /// <summary>Writes the ERP document; returns its length in bytes.</summary>
    public int Write()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        foreach (var token in _document)
        {
            switch (token.Kind)
            {
                case Kind.StartObject: _writer.WriteStartObject(); break;
                case Kind.EndObject: _writer.WriteEndObject(); break;
                case Kind.StartArray: _writer.WriteStartArray(); break;
                case Kind.EndArray: _writer.WriteEndArray(); break;
                case Kind.Name: _writer.WritePropertyName(token.Name); break;
                case Kind.Text: _writer.WriteStringValue(token.Text); break;
                case Kind.Number: _writer.WriteNumberValue(token.Number); break;
                case Kind.True: _writer.WriteBooleanValue(true); break;
                case Kind.False: _writer.WriteBooleanValue(false); break;
                default: _writer.WriteNullValue(); break;
            }
        }

        _writer.Flush();
        return _buffer.WrittenCount;
    }

    private static JsonNode? Path(JsonObject obj, params ReadOnlySpan<string> names)
    {
        JsonNode? node = obj;
        foreach (var name in names)
        {
            node = node is JsonObject o ? o[name] : null;
        }

        return node;
    }

    private static decimal Amounts(JsonNode? items, string name)
    {
        var total = 0m;
        if (items is JsonArray array)
        {
            foreach (var item in array)
            {
                total += Touch(item is JsonObject obj ? obj[name] : null);
            }
        }

        return total;
    }

    // A number or an amount in a string is parsed as a decimal from its UTF-8; any other string is only measured.
    private static decimal Touch(JsonNode? node)
    {
        if (node is not JsonValue value || !value.TryGetValue<JsonElement>(out var element))
        {
            return 0m;
        }

        var raw = JsonMarshal.GetRawUtf8Value(element);
        if (raw.Length > 1 && raw[0] == (byte)'"')
        {
            raw = raw[1..^1];
        }

        return Utf8Parser.TryParse(raw, out decimal number, out var used) && used == raw.Length ? number : raw.Length;
    }

    private void Flatten(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                _document.Add(new Token(Kind.StartObject));
                foreach (var (name, value) in obj)
                {
                    _document.Add(new Token(Kind.Name) { Name = JsonEncodedText.Encode(name) });
                    Flatten(value);
                }

                _document.Add(new Token(Kind.EndObject));
                break;
            case JsonArray array:
                _document.Add(new Token(Kind.StartArray));
                foreach (var item in array)
                {
                    Flatten(item);
                }

                _document.Add(new Token(Kind.EndArray));
                break;
            case JsonValue value:
                _document.Add(value.GetValueKind() switch
                {
                    JsonValueKind.String => new Token(Kind.Text) { Text = value.GetValue<string>() },
                    JsonValueKind.Number => new Token(Kind.Number) { Number = value.GetValue<decimal>() },
                    JsonValueKind.True => new Token(Kind.True),
                    JsonValueKind.False => new Token(Kind.False),
                    _ => new Token(Kind.Null),
                });
                break;
            default:
                _document.Add(new Token(Kind.Null));
                break;
        }
    }

    private readonly record struct Token(Kind Kind)
    {
        public JsonEncodedText Name { get; init; }

        public string? Text { get; init; }

        public decimal Number { get; init; }
    }
}
