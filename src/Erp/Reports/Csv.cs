using System.Globalization;
using System.Text;

namespace Integration.Erp.Reports;

/// <summary>Report rows as CSV (RFC 4180 quoting, invariant numbers) for spreadsheets.</summary>
internal static class Csv
{
    public static string Write<T>(IEnumerable<T> rows, params (string Header, Func<T, object?> Value)[] columns)
    {
        var text = new StringBuilder();
        text.AppendJoin(',', columns.Select(c => Quote(c.Header))).Append("\r\n");
        foreach (var row in rows)
        {
            text.AppendJoin(',', columns.Select(c => Quote(Format(c.Value(row))))).Append("\r\n");
        }

        return text.ToString();
    }

    private static string Format(object? value) => value switch
    {
        null => "",
        decimal amount => amount.ToString("0.####", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Quote(string value) =>
        value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
