using Integration.Host.Logging;
using Microsoft.Extensions.Configuration;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace Integration.Host.Tests.Logging;

public sealed class HostLoggingLevelTests
{
    private const string HttpClientCategory = "System.Net.Http.HttpClient.shopify.LogicalHandler";

    [Fact]
    public void Outbound_call_lines_are_off_by_default_and_the_host_own_lines_on()
    {
        using var logger = Logger(new Dictionary<string, string?> { ["Serilog:MinimumLevel:Default"] = "Information" });

        Assert.False(logger.ForContext(Constants.SourceContextPropertyName, HttpClientCategory).IsEnabled(LogEventLevel.Information));
        Assert.True(logger.ForContext(Constants.SourceContextPropertyName, HttpClientCategory).IsEnabled(LogEventLevel.Warning));
        Assert.True(logger.ForContext(Constants.SourceContextPropertyName, "Integration.Workflows.Triggers.InboxDispatcher").IsEnabled(LogEventLevel.Information));
    }

    [Fact]
    public void The_Serilog_section_wins_over_the_defaults()
    {
        using var logger = Logger(new Dictionary<string, string?>
        {
            ["Serilog:MinimumLevel:Default"] = "Information",
            ["Serilog:MinimumLevel:Override:System.Net.Http.HttpClient"] = "Information",
            ["Serilog:MinimumLevel:Override:Microsoft.AspNetCore"] = "Debug",
        });

        Assert.True(logger.ForContext(Constants.SourceContextPropertyName, HttpClientCategory).IsEnabled(LogEventLevel.Information));
        Assert.True(logger.ForContext(Constants.SourceContextPropertyName, "Microsoft.AspNetCore.Routing.EndpointMiddleware").IsEnabled(LogEventLevel.Debug));
    }

    private static Logger Logger(Dictionary<string, string?> settings) =>
        HostLogging.FromConfiguration(new LoggerConfiguration(), new ConfigurationBuilder().AddInMemoryCollection(settings).Build()).CreateLogger();
}
