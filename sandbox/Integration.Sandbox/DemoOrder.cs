namespace Integration.Sandbox;

/// <summary>
/// An order the generator placed in a store, and how far the host has taken it: the store's webhook delivered, the
/// order flow's run, the ERP invoice, the ETA receipt's state.
/// </summary>
public sealed class DemoOrder(string system, string store, long id, string name, IReadOnlyList<DemoOrderLine> lines, decimal total)
{
    /// <summary><c>shopify</c> or <c>woocommerce</c>.</summary>
    public string System { get; } = system;

    public string Store { get; } = store;

    public long Id { get; } = id;

    /// <summary>The order's name in the store (<c>#1234</c>).</summary>
    public string Name { get; } = name;

    public IReadOnlyList<DemoOrderLine> Lines { get; } = lines;

    public decimal Total { get; } = total;

    /// <summary>The flow runs' correlation id for this order.</summary>
    public string CorrelationId => $"{System}:{Store}:order:{Id}";

    /// <summary>The HTTP status the host answered the webhook with (null: unreachable).</summary>
    public int? WebhookStatus { get; set; }

    /// <summary>The order flow's run status (Running, Suspended, Finished, Faulted), once there is a run.</summary>
    public string? RunStatus { get; set; }

    /// <summary>The ERP sales invoice's number, once booked.</summary>
    public string? InvoiceNo { get; set; }

    /// <summary>The ETA receipt's state (Draft, Submitting, Submitted, Valid, Invalid), once issued.</summary>
    public string? ReceiptState { get; set; }

    /// <summary>Nothing more will change: a receipt decided, the run faulted, or the webhook refused.</summary>
    public bool Settled => ReceiptState is "Valid" or "Invalid" || RunStatus == "Faulted" || WebhookStatus is { } status && status != 200;

    /// <summary>What the live line last showed, so a line is printed only when something changed.</summary>
    public string? Shown { get; set; }
}
