using System.Globalization;
using Integration.Workflows.Activities;

namespace Integration.Connectors.WooCommerce.Activities;

/// <summary>Reads a WooCommerce id input given as a number or as text ("727").</summary>
internal static class ActivityIds
{
    public static long Read(ActivityContext context, string input)
    {
        var text = context.InputValue(input) switch
        {
            null => null,
            string s => s,
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            var other => other.ToString(),
        };
        return long.TryParse(text?.Trim().Trim('"'), NumberStyles.Integer, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new InvalidOperationException($"{context.Node.Type}: '{input}' must be a WooCommerce id (a whole number), not '{text}'.");
    }
}
