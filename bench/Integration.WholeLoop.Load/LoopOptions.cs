using System.Globalization;

namespace Integration.WholeLoop.Load;

/// <summary>
/// <c>Integration.WholeLoop.Load --rate 300 --duration 60s [--warmup 90s] [--drain 180s] [--paid] [--echo] [--eta-round 2s]
/// [--reconcile-every 0s] [--shopify-points 0] [--statements 12] [--statements-by time|calls] [--host-dll PATH] [--host-env K=V]...</c>; the database comes from <c>DATABASE_URL</c>.
/// </summary>
public sealed record LoopOptions
{
    public const string Usage =
        "usage: Integration.WholeLoop.Load --rate N --duration 60s [--warmup 90s] [--drain 180s] [--paid] [--eta-round 2s] [--reconcile-every 0s] [--shopify-points N] [--statements 12] [--statements-by time|calls] [--host-dll PATH] [--host-env KEY=VALUE]...";

    /// <summary>The database the host serves (created and migrated by the host when missing).</summary>
    public required string DatabaseUrl { get; init; }

    public required string RepoRoot { get; init; }

    public required string HostDll { get; init; }

    /// <summary>Orders per second, sent on a fixed schedule whatever the host answers (open loop).</summary>
    public double Rate { get; init; } = 300;

    /// <summary>How long orders are sent at <see cref="Rate"/> and measured.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Orders sent at the same rate before the measured ones (JIT, pools, caches), then drained.</summary>
    // A fresh host spends half a core for the first two minutes or so recompiling its hot methods (tiered JIT): a short
    // warm-up measures that, not the host's steady state.
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>How long to wait after the last order for every invoice and receipt.</summary>
    public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(180);

    /// <summary>Also send <c>orders/paid</c> for each order (a second delivery that must book nothing more).</summary>
    public bool AlsoPaid { get; init; }

    /// <summary>
    /// Send <c>orders/updated</c> whenever the host's write changes an order in the store (its <c>eta.receipt</c>
    /// metafield), as Shopify does: the echo the host must recognise.
    /// </summary>
    public bool Echo { get; init; }

    /// <summary>How often the ETA submit-and-poll schedule is fired (it runs every minute on its own).</summary>
    public TimeSpan EtaRound { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How often the Shopify order reconciliation is fired besides its own 15 minutes (an operator after an outage);
    /// zero leaves it to its schedule. Each run lists the orders updated since the last one, nearly all of them
    /// already delivered by webhook.
    /// </summary>
    public TimeSpan ReconcileEvery { get; init; }

    /// <summary>
    /// GraphQL points per second of the simulated Shopify store; 0 (the default) is unlimited in practice (10,000,000),
    /// so the host is measured rather than the plan. 200 is Advanced, 1,000 Plus, 2,000 Enterprise.
    /// </summary>
    public double ShopifyPoints { get; init; }

    /// <summary>How many of PostgreSQL's statements the report lists.</summary>
    public int Statements { get; init; } = 12;

    /// <summary>List the statements by calls (round trips per order) rather than by time.</summary>
    public bool StatementsByCalls { get; init; }

    /// <summary>Extra host settings for an experiment (<c>Key=Value</c>, <c>:</c> or <c>__</c> separated).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> HostSettings { get; init; } = [];

    /// <summary>The host's stdout and stderr.</summary>
    public required string HostLog { get; init; }

    /// <summary>Seed of the order choices (items, quantities, shoppers).</summary>
    public int Seed { get; init; } = 11;

    public static (LoopOptions? Options, string? Error) Parse(IReadOnlyList<string> args, string? databaseUrl, string repoRoot)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var hostSettings = new List<KeyValuePair<string, string>>();
        var paid = false;
        var echo = false;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "-h" or "--help":
                    return (null, Usage);
                case "--paid":
                    paid = true;
                    break;
                case "--echo":
                    echo = true;
                    break;
                case "--host-env" when i + 1 < args.Count && args[i + 1].Contains('=', StringComparison.Ordinal):
                    var (key, value) = (args[i + 1][..args[i + 1].IndexOf('=', StringComparison.Ordinal)], args[i + 1][(args[i + 1].IndexOf('=', StringComparison.Ordinal) + 1)..]);
                    hostSettings.Add(new(key.Replace("__", ":", StringComparison.Ordinal), value));
                    i++;
                    break;
                case "--rate" or "--duration" or "--warmup" or "--drain" or "--eta-round" or "--reconcile-every" or "--shopify-points" or "--host-dll" or "--seed" or "--statements" or "--statements-by" when i + 1 < args.Count:
                    options[args[i]] = args[++i];
                    break;
                default:
                    return (null, $"unknown or incomplete option {args[i]}\n{Usage}");
            }
        }

        if (string.IsNullOrWhiteSpace(databaseUrl))
        {
            return (null, "DATABASE_URL is not set (bench/loop.sh starts a throwaway cluster and sets it)");
        }

        var hostDll = options.TryGetValue("--host-dll", out var dll) ? Path.GetFullPath(dll) : Path.Combine(AppContext.BaseDirectory, "Integration.Host.dll");
        if (!File.Exists(hostDll))
        {
            return (null, $"{hostDll} not found (build the host, or pass --host-dll PATH)");
        }

        try
        {
            return (new LoopOptions
            {
                DatabaseUrl = databaseUrl,
                RepoRoot = repoRoot,
                HostDll = hostDll,
                Rate = Number(options, "--rate", 300, 0.1, 10_000),
                Duration = Span(options, "--duration", TimeSpan.FromSeconds(60)),
                Warmup = Span(options, "--warmup", TimeSpan.FromSeconds(90)),
                Drain = Span(options, "--drain", TimeSpan.FromSeconds(180)),
                EtaRound = Span(options, "--eta-round", TimeSpan.FromSeconds(2)),
                ReconcileEvery = Span(options, "--reconcile-every", TimeSpan.Zero),
                ShopifyPoints = Number(options, "--shopify-points", 0, 0, 100_000_000),
                Statements = (int)Number(options, "--statements", 12, 1, 1000),
                StatementsByCalls = options.TryGetValue("--statements-by", out var by) && by == "calls",
                AlsoPaid = paid,
                Echo = echo,
                HostSettings = hostSettings,
                HostLog = Path.Combine(repoRoot, ".data", "loop", "host.log"),
                Seed = (int)Number(options, "--seed", 11, int.MinValue, int.MaxValue),
            }, null);
        }
        catch (FormatException e)
        {
            return (null, e.Message);
        }
    }

    /// <summary>"60s", "2m", "500ms" or plain seconds.</summary>
    public static TimeSpan ParseSpan(string text)
    {
        static double Value(string digits, string whole) =>
            double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0 ? v : throw new FormatException($"not a duration: {whole}");
        return text switch
        {
            _ when text.EndsWith("ms", StringComparison.Ordinal) => TimeSpan.FromMilliseconds(Value(text[..^2], text)),
            _ when text.EndsWith('s') => TimeSpan.FromSeconds(Value(text[..^1], text)),
            _ when text.EndsWith('m') => TimeSpan.FromMinutes(Value(text[..^1], text)),
            _ => TimeSpan.FromSeconds(Value(text, text)),
        };
    }

    private static TimeSpan Span(Dictionary<string, string> options, string name, TimeSpan fallback) =>
        options.TryGetValue(name, out var text) ? ParseSpan(text) : fallback;

    private static double Number(Dictionary<string, string> options, string name, double fallback, double min, double max)
    {
        if (!options.TryGetValue(name, out var text))
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new FormatException($"{name} needs a number from {min} to {max}");
    }
}
