using System.Globalization;

namespace Integration.Faults.Tests;

/// <summary>An order a store took (its system, store and id there) and the quantity of each SKU it sold.</summary>
public sealed record StoreOrder(string System, string Store, long Id, IReadOnlyDictionary<string, decimal> Quantities)
{
    public override string ToString() => $"{System}/{Store} order {Id.ToString(CultureInfo.InvariantCulture)}";
}
