namespace Integration.Sandbox;

/// <summary>How a sandbox runs: its database, the host binary, and the order generator's pace.</summary>
public sealed record SandboxOptions
{
    /// <summary>The sandbox database (<c>postgresql://...</c>); created by the host when missing.</summary>
    public required string DatabaseUrl { get; init; }

    /// <summary>Drop and create the database before the host starts.</summary>
    public bool Fresh { get; init; }

    /// <summary>The repository root: the host's working directory (appsettings.json, flows/, mappings/, .data/designer).</summary>
    public required string RepoRoot { get; init; }

    /// <summary>Integration.Host.dll to run as <c>dotnet HOST serve</c>.</summary>
    public required string HostDll { get; init; }

    /// <summary>Orders the generator creates per minute (Shopify, and every fourth on WooCommerce).</summary>
    public double OrdersPerMinute { get; init; } = 12;

    /// <summary>Start everything and seed, but create no orders.</summary>
    public bool NoOrders { get; init; }

    /// <summary>Where the host listens; a free loopback port when 0.</summary>
    public int Port { get; init; }

    /// <summary>The host's log file (its stdout and stderr).</summary>
    public required string HostLog { get; init; }

    /// <summary>How often the ETA submit-and-poll schedule is fired, so receipts turn Valid within seconds rather than minutes.</summary>
    public TimeSpan EtaRound { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Seed of the order generator's choices (items, quantities, customers).</summary>
    public int Seed { get; init; } = Environment.TickCount;
}
