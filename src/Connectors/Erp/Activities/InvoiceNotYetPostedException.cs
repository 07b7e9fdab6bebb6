using Integration.Workflows.Execution;

namespace Integration.Connectors.Erp.Activities;

/// <summary>
/// A store's refund came before the ERP invoiced its order (the order's run is late, or failed and waits for a retry).
/// Transient: the host retries the refund's incident on its own (<c>Flows:Incidents:AutoRetry</c>), and once the
/// order is invoiced (for what was sold, refunded units included) the retry credits it.
/// </summary>
internal sealed class InvoiceNotYetPostedException(string message) : Exception(message), ITransientFailure
{
    public bool IsTransient => true;
}
