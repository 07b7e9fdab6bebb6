using Integration.Host.Logging;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace Integration.Host.Tests.Logging;

public sealed class SecretMaskingEnricherTests
{
    [Fact]
    public void Secret_properties_are_masked_at_any_depth_and_others_kept()
    {
        var sink = new CollectingSink();
        using var logger = new LoggerConfiguration().Enrich.With<SecretMaskingEnricher>().WriteTo.Sink(sink).CreateLogger();

        logger.Information("Store {Shop} with {AppSecret} and {@Store}", "retail-eg.myshopify.com", "hush",
            new { Name = "cairo", WebhookSecret = "hush", AccessToken = "shpat_123" });

        var properties = Assert.Single(sink.Events).Properties;
        Assert.Equal("\"retail-eg.myshopify.com\"", properties["Shop"].ToString());
        Assert.Equal("\"***\"", properties["AppSecret"].ToString());
        var store = properties["Store"].ToString();
        Assert.Contains("cairo", store, StringComparison.Ordinal);
        Assert.DoesNotContain("hush", store, StringComparison.Ordinal);
        Assert.DoesNotContain("shpat_123", store, StringComparison.Ordinal);
    }

    private sealed class CollectingSink : ILogEventSink
    {
        public List<LogEvent> Events { get; } = [];

        public void Emit(LogEvent logEvent) => Events.Add(logEvent);
    }
}
