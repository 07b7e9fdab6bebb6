using DbUp.Engine.Output;

namespace Integration.Host.Database;

/// <summary>Sends DbUp's progress to Serilog; its chatter is debug-level, its problems are warnings and errors.</summary>
internal sealed class DbUpSerilogLog(Serilog.ILogger log) : IUpgradeLog
{
    private readonly Serilog.ILogger _logger = log.ForContext("SourceContext", "DbUp");

    public void LogTrace(string format, params object[] args) => _logger.Verbose(format, args);

    public void LogDebug(string format, params object[] args) => _logger.Debug(format, args);

    public void LogInformation(string format, params object[] args) => _logger.Debug(format, args);

    public void LogWarning(string format, params object[] args) => _logger.Warning(format, args);

    public void LogError(string format, params object[] args) => _logger.Error(format, args);

    public void LogError(Exception ex, string format, params object[] args) => _logger.Error(ex, format, args);
}
