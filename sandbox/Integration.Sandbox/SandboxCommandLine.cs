using System.Globalization;

namespace Integration.Sandbox;

/// <summary>
/// <c>scripts/run --sandbox [--orders-per-minute N] [--no-orders] [--fresh] [--port N] [--host-dll PATH]</c>; the database
/// comes from <c>DATABASE_URL</c> (scripts/run points it at <c>integration_sandbox</c>).
/// </summary>
public static class SandboxCommandLine
{
    public const string Usage =
        "usage: scripts/run --sandbox [--orders-per-minute N] [--no-orders] [--fresh] [--port N] [--host-dll PATH]";

    /// <summary>The options the arguments ask for, or the reason they are refused.</summary>
    public static (SandboxOptions? Options, string? Error) Parse(IReadOnlyList<string> args, string? databaseUrl, string repoRoot)
    {
        var ordersPerMinute = 12d;
        var noOrders = false;
        var fresh = false;
        var port = 0;
        string? hostDll = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--sandbox":
                    break;
                case "--no-orders":
                    noOrders = true;
                    break;
                case "--fresh":
                    fresh = true;
                    break;
                case "--orders-per-minute" when i + 1 < args.Count
                    && double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) && rate is > 0 and <= 6000:
                    ordersPerMinute = rate;
                    i++;
                    break;
                case "--orders-per-minute":
                    return (null, "--orders-per-minute needs a number above 0 and at most 6000");
                case "--port" when i + 1 < args.Count && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var p) && p is > 0 and < 65536:
                    port = p;
                    i++;
                    break;
                case "--port":
                    return (null, "--port needs a TCP port number");
                case "--host-dll" when i + 1 < args.Count:
                    hostDll = Path.GetFullPath(args[++i]);
                    break;
                case "-h" or "--help":
                    return (null, Usage);
                default:
                    return (null, $"unknown option {args[i]}\n{Usage}");
            }
        }

        if (string.IsNullOrWhiteSpace(databaseUrl))
        {
            return (null, "DATABASE_URL is not set (scripts/run --sandbox sets it to the local cluster's integration_sandbox database)");
        }

        hostDll ??= new[]
        {
            Path.Combine(AppContext.BaseDirectory, "Integration.Host.dll"),
            Path.Combine(repoRoot, ".data", "host", "Integration.Host.dll"),
        }.FirstOrDefault(File.Exists);
        if (hostDll is null || !File.Exists(hostDll))
        {
            return (null, "Integration.Host.dll not found (build the host, or pass --host-dll PATH)");
        }

        return (new SandboxOptions
        {
            DatabaseUrl = databaseUrl,
            Fresh = fresh,
            RepoRoot = repoRoot,
            HostDll = hostDll,
            OrdersPerMinute = ordersPerMinute,
            NoOrders = noOrders,
            Port = port,
            HostLog = Path.Combine(repoRoot, ".data", "sandbox", "host.log"),
        }, null);
    }

    /// <summary>The folder holding Integration.sln, from the working directory up (then from the program's own folder up).</summary>
    public static string FindRepoRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Integration.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
