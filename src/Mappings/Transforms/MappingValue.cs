using System.Text.Json.Nodes;

namespace Integration.Mappings.Transforms;

/// <summary>
/// A field's value on its way through the transforms and into the target: missing, a node as read (or made), or a
/// decimal a transform computed. Numbers stay decimals (no <see cref="JsonValue"/> per result) until a caller asks for
/// a node (<see cref="ToNode"/>), which is equal to the <c>JsonValue.Create(decimal)</c> the transforms used to return.
/// </summary>
public readonly struct MappingValue
{
    // Marks a decimal held in _number (a reference compare, and the struct stays 24 bytes).
    private static readonly JsonNode NumberMarker = JsonValue.Create(0m);

    private readonly JsonNode? _node;
    private readonly decimal _number;

    private MappingValue(JsonNode? node, decimal number)
    {
        _node = node;
        _number = number;
    }

    /// <summary>No value (a JSON null or an absent path).</summary>
    public static MappingValue Missing => default;

    /// <summary>True for a decimal a transform computed (<see cref="Number"/>).</summary>
    public bool IsNumber => ReferenceEquals(_node, NumberMarker);

    public decimal Number => _number;

    /// <summary>The node as read (null for a missing value or a computed number).</summary>
    public JsonNode? Node => IsNumber ? null : _node;

    public bool IsMissing => !IsNumber && JsonValues.IsMissing(_node);

    public static MappingValue Of(JsonNode? node) => new(node, 0m);

    public static MappingValue Of(decimal number) => new(NumberMarker, number);

    /// <summary>The value as a node (a new <see cref="JsonValue"/> for a computed number).</summary>
    public JsonNode? ToNode() => IsNumber ? JsonValue.Create(_number) : _node;

    public bool TryDecimal(out decimal value)
    {
        if (IsNumber)
        {
            value = _number;
            return true;
        }

        return JsonValues.TryDecimal(_node, out value);
    }

    public decimal ToDecimal(string what) => IsNumber ? _number : JsonValues.ToDecimal(_node, what);

    /// <summary>As <see cref="JsonValues.Text"/> gives it for the node.</summary>
    public string? Text() => JsonValues.Text(ToNode());

    public bool IsEmptyText => !IsNumber && JsonValues.IsEmptyText(_node);
}
