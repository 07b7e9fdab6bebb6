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
