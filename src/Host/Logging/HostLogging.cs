using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Integration.Host.Logging;

/// <summary>
/// Serilog for the host: levels from the <c>Serilog</c> configuration section, console output as text for a person
/// at a terminal and as compact JSON when output is redirected (a service, a container, CI), secrets masked.
/// </summary>
internal static class HostLogging
{
    /// <summary>
    /// A console logger for the time before configuration is read (CLI verbs, start-up failures). It is a plain
    /// logger, not Serilog's reloadable bootstrap logger, so several hosts in one process (tests) can each replace it.
    /// </summary>
    public static void UseBootstrapLogger() =>
        Log.Logger = Configure(new LoggerConfiguration().MinimumLevel.Information()).CreateLogger();

    public static LoggerConfiguration Configure(LoggerConfiguration logger) =>
        logger
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            // HttpClientFactory writes four lines per outbound call (start, headers, end, with the URI): per order that
            // was most of the log and 3 % of the host's processor. Connector calls are in the metrics and traces, and
            // the connectors log their failures themselves.
            .MinimumLevel.Override("System.Net.Http.HttpClient", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .Enrich.With<SecretMaskingEnricher>()
            .WriteTo.Async(sink =>
            {
                if (Console.IsOutputRedirected)
                {
                    sink.Console(new CompactJsonFormatter());
                }
                else
                {
                    sink.Console(
                        outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj} {SourceContext}{NewLine}{Exception}",
                        formatProvider: System.Globalization.CultureInfo.InvariantCulture);
                }
            });

    public static void AddHostLogging(this WebApplicationBuilder builder) =>
        builder.Services.AddSerilog((services, logger) => FromConfiguration(logger, builder.Configuration));

    /// <summary>The defaults of <see cref="Configure"/>, then the <c>Serilog</c> section: its levels win over the defaults.</summary>
    public static LoggerConfiguration FromConfiguration(LoggerConfiguration logger, IConfiguration configuration) =>
        Configure(logger).ReadFrom.Configuration(configuration);

    /// <summary>
    /// One line per request. Probes and documentation fetches stay at debug level, and so do webhooks, whose intake
    /// logs each delivery itself with store, topic and inbox id.
    /// </summary>
    public static void UseHostRequestLogging(this WebApplication app) =>
        app.UseSerilogRequestLogging(options =>
        {
            options.MessageTemplate = "HTTP {RequestMethod} {RequestPath} answered {StatusCode} in {Elapsed:0.0} ms";
            options.GetLevel = (context, _, error) =>
                error is not null || context.Response.StatusCode >= 500 ? LogEventLevel.Error
                : IsQuiet(context.Request.Path) ? LogEventLevel.Debug
                : LogEventLevel.Information;
        });

    private static bool IsQuiet(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/openapi") || path.StartsWithSegments("/scalar")
        || path.StartsWithSegments("/webhooks");
}
