using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Xunit;

namespace Integration.Testing.Telemetry;

/// <summary>One scrape of a host's <c>/metrics</c> (Prometheus text), read by metric name and labels.</summary>
public sealed partial class PrometheusScrape(string text)
{
    public string Text { get; } = text;

    public static async Task<PrometheusScrape> TakeAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new PrometheusScrape(await response.Content.ReadAsStringAsync());
    }

    /// <summary>The sum of the samples of a metric whose labels include all of the given ones (0 when there is none yet).</summary>
    public double Sum(string metric, params string[] labels) =>
        Sample().Matches(Text).Where(m => m.Groups["name"].Value == metric && labels.All(l => m.Groups["labels"].Value.Contains(l, StringComparison.Ordinal)))
            .Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^(?<name>[a-z_]+)\{(?<labels>[^}]*)\} (?<value>[0-9.eE+-]+)", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
