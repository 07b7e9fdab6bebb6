using System.Globalization;

namespace Integration.WholeLoop.Load;

/// <summary>
/// The host's own runtime counters, read from its <c>/metrics</c> (meter <c>System.Runtime</c>): how much of its
/// processor went to compiling code (tiering that has not settled yet) and to garbage collection pauses.
/// </summary>
public sealed record HostRuntimeFigures(double JitSeconds, double JitMethods, double GcPauseSeconds)
{
    public static async Task<HostRuntimeFigures?> ReadAsync(HttpClient http, string hostUrl, CancellationToken cancellationToken)
    {
        try
        {
            var text = await http.GetStringAsync(new Uri(new Uri(hostUrl), "/metrics"), cancellationToken);
            return new HostRuntimeFigures(Sum(text, "dotnet_jit_compilation_time_seconds_total"), Sum(text, "dotnet_jit_compiled_methods_total"),
                Sum(text, "dotnet_gc_pause_time_seconds_total"));
        }
        catch (HttpRequestException)
        {
            return null; // a host without the endpoint: the report leaves the line out
        }
    }

    public HostRuntimeFigures Minus(HostRuntimeFigures earlier) =>
        new(JitSeconds - earlier.JitSeconds, JitMethods - earlier.JitMethods, GcPauseSeconds - earlier.GcPauseSeconds);

    // The sum of a metric's samples over its labels (Prometheus text: "name{labels} value").
    private static double Sum(string text, string metric)
    {
        var sum = 0.0;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(metric, StringComparison.Ordinal) && line.Length > metric.Length && line[metric.Length] is '{' or ' '
                && double.TryParse(line[(line.LastIndexOf(' ') + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                sum += value;
            }
        }

        return sum;
    }
}
