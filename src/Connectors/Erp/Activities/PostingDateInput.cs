using System.Globalization;
using Integration.Workflows.Activities;

namespace Integration.Connectors.Erp.Activities;

/// <summary>A store record's date (ISO text, its day taken as it stands) as a posting date; today when it has none.</summary>
internal static class PostingDateInput
{
    public static DateOnly Read(ActivityContext context, string? text) =>
        text is { Length: >= 10 } ? DateOnly.Parse(text[..10], CultureInfo.InvariantCulture) : DateOnly.FromDateTime(context.Time.GetUtcNow().UtcDateTime);

    public static DateOnly Read(ActivityContext context) => Read(context, context.Input<string>("postingDate"));
}
