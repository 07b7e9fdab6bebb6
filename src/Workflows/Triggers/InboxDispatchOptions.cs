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
}
