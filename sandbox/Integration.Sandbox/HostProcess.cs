using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Integration.Sandbox;

/// <summary>
/// The real host, <c>dotnet Integration.Host.dll serve</c>, as a child process in the repository root with the sandbox's
/// settings in its environment; its output goes to a log file so the terminal shows the orders.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private HostProcess(Process process, StreamWriter log, string url)
    {
        _process = process;
        _log = log;
        Url = url;
    }

    public string Url { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The process id (part of the lease owner of the runs it holds; the load benchmark reads its processor time and memory from /proc).</summary>
    public int Id => _process.Id;

    public static HostProcess Start(SandboxOptions options, IEnumerable<KeyValuePair<string, string>> settings, string operatorKey)
    {
        var port = options.Port > 0 ? options.Port : FreePort();
        var url = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = options.RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(options.HostDll);
        start.ArgumentList.Add("serve");
        // Settings of the parent's environment that would point the host elsewhere are replaced, never inherited.
        start.Environment["DATABASE_URL"] = options.DatabaseUrl;
        start.Environment.Remove("ConnectionStrings__Integration");
        start.Environment["ASPNETCORE_URLS"] = url;
        start.Environment["Flows__Directory"] = Path.Combine(options.RepoRoot, "flows");
        start.Environment["Operators__ApiKeys__0"] = operatorKey;
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(options.HostLog)!);
        var log = new StreamWriter(options.HostLog, append: false) { AutoFlush = true };
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new HostProcess(process, log, url);
    }

    /// <summary>Waits until <c>/health/ready</c> answers 200 (migrated and serving); fails if the host exits first.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout, string hostLog, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The host exited with code {_process.ExitCode} before it was ready; see {hostLog}");
            }

            try
            {
                using var response = await http.GetAsync(Url + "/health/ready", cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // A slow answer while it migrates.
            }

            await Task.Delay(250, cancellationToken);
        }

        throw new TimeoutException($"The host was not ready within {timeout.TotalSeconds:0} s; see {hostLog}");
    }

    /// <summary>Ends the host at once with SIGKILL (<c>kill -9</c>), as a crash or the OOM killer does: no shutdown, nothing flushed.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>Stops the host as a service manager would (SIGTERM, a graceful shutdown), killing it if it lingers.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                using var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                await term.WaitForExitAsync();
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // No kill(1) here: the hard stop below does it.
            }
        }

        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            if (log.BaseStream.CanWrite)
            {
                log.WriteLine(line);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
