using System.Text.RegularExpressions;

namespace Integration.Workflows.Persistence;

/// <summary>
/// JSON text made fit for a <c>jsonb</c> column: PostgreSQL refuses the escape <c>\u0000</c> there (a NUL in a
/// customer's note, say), and a run or incident that could not be stored would stop its whole dispatch batch, again on
/// every retry. Each escaped NUL becomes U+FFFD, the replacement character; everything else is kept as written.
/// </summary>
internal static partial class JsonbText
{
    public static string? Of(string? json) =>
        json is null || !json.Contains("\\u0000", StringComparison.Ordinal) ? json : EscapedNul().Replace(json, "$1\\uFFFD");

    // \u0000 after an even number of backslashes (an odd number escapes the first backslash of it: literal text).
    [GeneratedRegex(@"(?<!\\)((?:\\\\)*)\\u0000")]
    private static partial Regex EscapedNul();
}
