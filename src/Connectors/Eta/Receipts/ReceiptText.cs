using System.Text;

namespace Integration.Connectors.Eta.Receipts;

/// <summary>
/// Text for the receipt without <c>"</c>, <c>\</c> and control characters: implementations disagree on whether the
/// hash sees such characters escaped or decoded, so none are sent.
/// </summary>
internal static class ReceiptText
{
    public static string Clean(string? value, int maxLength = int.MaxValue)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        var text = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is not ('"' or '\\') && !char.IsControl(c))
            {
                text.Append(c);
            }
        }

        var clean = text.ToString().Trim();
        if (clean.Length <= maxLength)
        {
            return clean;
        }

        // Never cut a surrogate pair in half.
        var cut = char.IsHighSurrogate(clean[maxLength - 1]) ? maxLength - 1 : maxLength;
        return clean[..cut].TrimEnd();
    }

    /// <summary>A code ETA accepts inside an item code: letters, digits and <c>-</c> only.</summary>
    public static string Code(string value) => string.Concat(value.Where(c => char.IsAsciiLetterOrDigit(c) || c == '-'));
}
