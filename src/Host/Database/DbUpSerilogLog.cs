using DbUp.Engine.Output;
using Serilog;

namespace Integration.Host.Database;

/// <summary>Sends DbUp's progress to Serilog; its chatter is debug-level, its problems are warnings and errors.</summary>
internal sealed class DbUpSerilogLog : IUpgradeLog
{
    private static readonly Serilog.ILogger Logger = Log.ForContext("SourceContext", "DbUp");

    public void LogTrace(string format, params object[] args) => Logger.Verbose(format, args);

    public void LogDebug(string format, params object[] args) => Logger.Debug(format, args);

    public void LogInformation(string format, params object[] args) => Logger.Debug(format, args);

    public void LogWarning(string format, params object[] args) => Logger.Warning(format, args);

    public void LogError(string format, params object[] args) => Logger.Error(format, args);

    public void LogError(Exception ex, string format, params object[] args) => Logger.Error(ex, format, args);
}
