using System.Globalization;
using Integration.Workflows.Activities;

namespace Integration.Connectors.Erp.Activities;

/// <summary>
/// A store record's time (ISO text) as a posting date. The books keep Egypt's day (<see cref="BooksTimeZone"/>), as the
/// order mappings date a sale: a text with an offset or <c>Z</c> is that instant's day in Cairo, so a refund made at
/// 23:30 in New York on the 30th is booked on the 1st, the day the tax authority and the invoices count it in. A text
/// without one is a local day already and taken as it stands. Today in Cairo when there is no text.
/// </summary>
internal static class PostingDateInput
{
    private static readonly TimeZoneInfo BooksTimeZone = TimeZoneInfo.FindSystemTimeZoneById("Africa/Cairo");

    public static DateOnly Read(ActivityContext context, string? text)
    {
        if (text is not { Length: >= 10 })
        {
            return DayInCairo(context.Time.GetUtcNow());
        }

        // Only the time part can carry a zone: the date's own '-' are before index 10.
        return text.AsSpan(10).IndexOfAny('Z', '+', '-') >= 0
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
            ? DayInCairo(at)
            : DateOnly.Parse(text[..10], CultureInfo.InvariantCulture);
    }

    public static DateOnly Read(ActivityContext context) => Read(context, context.Input<string>("postingDate"));

    private static DateOnly DayInCairo(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, BooksTimeZone).DateTime);
}
