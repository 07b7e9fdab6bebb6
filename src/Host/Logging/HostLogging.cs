using Serilog;
using Serilog.Core;
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

    /// <summary>
    /// The host logs through its own logger, not the static one: with the static one, every logger made after a
    /// second host in the same process started (tests, tools) wrote to that host's sinks, and disposing either host
    /// closed the other's. The static logger stays the bootstrap logger, for CLI verbs and start-up failures.
    /// Sinks registered in the container (<see cref="ILogEventSink"/>: an extension, a test's capture) receive the
    /// host's events as well, masked like the rest.
    /// </summary>
    public static void AddHostLogging(this WebApplicationBuilder builder) =>
        builder.Services.AddSerilog(
            (services, logger) =>
            {
                FromConfiguration(logger, services.GetRequiredService<IConfiguration>());
                foreach (var sink in services.GetServices<ILogEventSink>())
                {
                    logger.WriteTo.Sink(sink);
                }
            },
            preserveStaticLogger: true);

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
            // Without it, the request log goes to the static logger (see AddHostLogging).
            options.Logger = app.Services.GetRequiredService<Serilog.ILogger>();
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
