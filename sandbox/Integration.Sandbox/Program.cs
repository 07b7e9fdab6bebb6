using System.Runtime.InteropServices;
using Integration.Sandbox;

var (options, error) = SandboxCommandLine.Parse(args, Environment.GetEnvironmentVariable("DATABASE_URL"), SandboxCommandLine.FindRepoRoot());
if (options is null)
{
    Console.Error.WriteLine(error);
    return error == SandboxCommandLine.Usage ? 0 : 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl-C stops everything in order; a second one ends the process at once.
    if (!stop.IsCancellationRequested)
    {
        e.Cancel = true;
        Console.WriteLine("sandbox: stopping");
        stop.Cancel();
    }
};

// kill, a closed terminal or a service manager stop the same way: without this the host child outlives the sandbox.
void StopOnSignal(PosixSignalContext context)
{
    if (!stop.IsCancellationRequested)
    {
        context.Cancel = true;
        Console.WriteLine($"sandbox: {context.Signal}, stopping");
        stop.Cancel();
    }
}

using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, StopOnSignal);
using var onHangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, StopOnSignal);

SandboxSession sandbox;
try
{
    sandbox = await SandboxSession.StartAsync(options, Console.Out, TimeProvider.System, stop.Token);
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    return 130;
}
catch (Exception e) when (e is InvalidOperationException or TimeoutException or HttpRequestException or FormatException or Npgsql.NpgsqlException)
{
    Console.Error.WriteLine($"sandbox: {e.Message}");
    return 1;
}

await using (sandbox)
{
    await sandbox.RunAsync(stop.Token);
}

Console.WriteLine("sandbox: stopped");
return 0;
