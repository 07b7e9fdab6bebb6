using System.Globalization;
using System.Text.Json.Nodes;

namespace Integration.Mappings.Transforms;

/// <summary>
/// <c>dateTime</c>: reads an ISO 8601 time (one without an offset is taken in <c>assumeTimeZone</c>, UTC by default),
/// converts it to <c>timeZone</c> (IANA, e.g. <c>Africa/Cairo</c>) and writes it as <c>date</c> (yyyy-MM-dd),
/// <c>dateTime</c> (ISO with offset, the default), <c>utc</c> (ISO, Z) or a custom .NET format.
/// </summary>
public sealed class DateTimeTransform(TimeZoneInfo? timeZone, TimeZoneInfo assume, string format) : ValueTransform
{
    public override string Name => "dateTime";

    public override MappingValue Apply(MappingValue value, TransformScope scope)
    {
        if (value.Text() is not { Length: > 0 } text)
        {
            return MappingValue.Missing;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var parsed))
        {
            throw new MappingValueException($"dateTime: '{text}' is not a date or time");
        }

        if (!HasOffset(text))
        {
            var local = DateTime.SpecifyKind(parsed.DateTime, DateTimeKind.Unspecified);
            parsed = new DateTimeOffset(local, assume.GetUtcOffset(local));
        }

        var converted = timeZone is null ? parsed : TimeZoneInfo.ConvertTime(parsed, timeZone);
        return MappingValue.Of(JsonValue.Create(format switch
        {
            "date" => converted.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            "dateTime" => converted.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            "utc" => converted.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            _ => converted.ToString(format, CultureInfo.InvariantCulture),
        }));
    }

    /// <summary>Reads a time written by <see cref="Apply"/> or a system (for lastWriterWins).</summary>
    public static DateTimeOffset? Parse(JsonNode? value) =>
        JsonValues.Text(value) is { Length: > 0 } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null;

    private static bool HasOffset(string text)
    {
        var time = text.IndexOf('T', StringComparison.Ordinal);
        if (time < 0)
        {
            time = text.IndexOf(' ', StringComparison.Ordinal);
        }

        return time >= 0 && (text.EndsWith('Z') || text.EndsWith('z') || text.IndexOfAny(['+', '-'], time) > 0);
    }
}
