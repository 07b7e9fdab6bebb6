namespace Integration.Connectors.Eta.Issuing;

/// <summary>No seller in <c>Connectors:Eta:Sellers</c> issues the receipts of a store.</summary>
public sealed class EtaSellerNotConfiguredException(string store)
    : InvalidOperationException($"No ETA seller is configured for store '{store}' (Connectors:Eta:Sellers: Store = '{store}').")
{
    public string Store { get; } = store;
}
