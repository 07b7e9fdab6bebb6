using System.ComponentModel.DataAnnotations;

namespace Integration.Workflows.Triggers;

/// <summary>How the inbox dispatcher shares out stored webhook deliveries (<c>Flows:Inbox</c>).</summary>
public sealed class InboxDispatchOptions
{
    public const string Section = "Flows:Inbox";

    /// <summary>
    /// Loops claiming deliveries side by side, each running its batch's flows one after the other. A flow spends most of
    /// its time waiting on PostgreSQL and the stores, so more loops than cores keep them busy: on 2 cores, 4 loops kept up
    /// with 30 orders/s where 2 fell behind (docs/benchmarks.md, "Whole loop"). Each loop holds a database connection
    /// while it works.
    /// </summary>
    [Range(1, 64)]
    public int Loops { get; set; } = 4;

    /// <summary>Deliveries a loop claims at once: the last of them waits for the flows of all before it.</summary>
    [Range(1, 500)]
    public int BatchSize { get; set; } = 20;

    /// <summary>
    /// How often an idle loop looks for deliveries. Those this host stores wake a loop at once (<see cref="InboxArrivals"/>);
    /// the poll finds the ones other hosts stored and those fed by a reconciliation.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan Poll { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// How long a loop woken by an arrival waits before it claims. A store sends several deliveries for one change at
    /// once (Shopify: orders/create, orders/updated and orders/paid of a checkout); claimed in one batch, the later ones
    /// are superseded by the first one's run instead of each running the flow again. Zero claims at once.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan Gather { get; set; } = TimeSpan.FromMilliseconds(50);
}
