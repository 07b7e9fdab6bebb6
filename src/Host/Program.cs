using System.CommandLine;
using Integration.Host.Cli;
using Integration.Host.Logging;
using Serilog;

HostLogging.UseBootstrapLogger();
try
{
    return await HostCommandLine.Create().Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception ex) when (ex is not HostAbortedException and not OperationCanceledException)
{
    Log.Fatal(ex, "Integration Host stopped on an error");
    return 1;
}
finally
{
    await Log.CloseAndFlushAsync();
}
