using Integration.WholeLoop.Load;
using Integration.Sandbox;

var (options, error) = LoopOptions.Parse(args, Environment.GetEnvironmentVariable("DATABASE_URL"), SandboxCommandLine.FindRepoRoot());
if (options is null)
{
    Console.Error.WriteLine(error);
    return error == LoopOptions.Usage ? 0 : 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

try
{
    var report = await LoopRun.RunAsync(options, Console.Out, stop.Token);
    report.Print(Console.Out);
    return report.Correct ? 0 : 1;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    return 130;
}
