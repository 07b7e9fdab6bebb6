using System.Globalization;
using System.Text.Json.Nodes;

namespace Integration.Workflows.Execution;

/// <summary>
/// Values of declared variables take the variable's type (<c>typeName</c>): a counter declared Int32 with the initial
/// value "0" is the number 0, so <c>getCounter() + 1</c> is 1, not "01".
/// </summary>
internal static class VariableValue
{
    /// <summary>A declared variable's value when a run starts (and, for one kept in memory only, when it resumes).</summary>
    public static object? Initial(Model.FlowVariable variable) => Coerce(variable.TypeName, variable.Value switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        var node => node.DeepClone(),
    });

    public static object? Coerce(string typeName, object? value)
    {
        if (value is null)
        {
            return null;
        }

        var text = value switch
        {
            string s => s,
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            // A number or a boolean written as JSON (10, true rather than "10", "true"): read from its text.
            JsonValue v when v.GetValueKind() is System.Text.Json.JsonValueKind.Number or System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False
                && typeName is not ("Object" or "String") => v.ToJsonString(),
            _ => null,
        };
        try
        {
            return typeName switch
            {
                "Int32" or "Int64" or "Int16" or "Byte" or "Long" or "Integer" => text is not null ? long.Parse(text, CultureInfo.InvariantCulture) : System.Convert.ToInt64(Unwrap(value), CultureInfo.InvariantCulture),
                "Double" or "Single" or "Float" => text is not null ? double.Parse(text, CultureInfo.InvariantCulture) : System.Convert.ToDouble(Unwrap(value), CultureInfo.InvariantCulture),
                "Decimal" => text is not null ? decimal.Parse(text, CultureInfo.InvariantCulture) : System.Convert.ToDecimal(Unwrap(value), CultureInfo.InvariantCulture),
                "Boolean" => text is not null ? bool.Parse(text) : System.Convert.ToBoolean(Unwrap(value), CultureInfo.InvariantCulture),
                "String" => text ?? (value is JsonNode node ? node.ToJsonString() : System.Convert.ToString(value, CultureInfo.InvariantCulture)),
                _ => value,
            };
        }
        catch (Exception ex) when (ex is FormatException or InvalidCastException or OverflowException)
        {
            throw new InvalidOperationException($"'{value}' is not a {typeName}", ex);
        }
    }

    private static object? Unwrap(object value) => value is JsonValue v ? v.GetValue<object>() : value;
}
