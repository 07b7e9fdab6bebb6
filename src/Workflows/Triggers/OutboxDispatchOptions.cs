using System.ComponentModel.DataAnnotations;

namespace Integration.Workflows.Triggers;

/// <summary>How the host feeds ERP changes (<c>integration.outbox</c>) to flows (<c>Flows:Outbox</c>).</summary>
public sealed class OutboxDispatchOptions
{
    public const string Section = "Flows:Outbox";

    /// <summary>
    /// The changes are split by their record (<c>entity_key</c>) into this many partitions, and a partition is worked by
    /// one loop of the cluster at a time, in id order: the changes of one record reach the flows in the order the ERP made
    /// them, whatever the number of loops and hosts.
    /// </summary>
    public const int Partitions = 16;

    /// <summary>
    /// Loops working partitions side by side (each takes every Loops-th partition, and another host's loop may take
    /// over the ones it finds busy). A bulk change (an item import: one event per item) is fed that many times faster
    /// while PostgreSQL and the stores keep up. Each loop holds a database connection while it works.
    /// </summary>
    [Range(1, Partitions)]
    public int Loops { get; set; } = 4;

    /// <summary>Changes a loop claims at once: the last of them waits for the flows of all before it.</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 50;

    /// <summary>How often an idle loop looks for changes.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan Poll { get; set; } = TimeSpan.FromMilliseconds(200);
}
