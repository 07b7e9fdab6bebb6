using System.Text.Json;

namespace Integration.Erp.Customers;

/// <summary>A customer, with the ids the stores know it by (one per source system and store).</summary>
public sealed record Customer(
    string Company, string Id, string Name, string? Email, string? Phone, string CustomerType, string? TaxId, decimal CreditLimit,
    string? CustomerGroup, JsonElement? BillingAddress, JsonElement? ShippingAddress, IReadOnlyList<ExternalId> ExternalIds,
    DateTimeOffset? ModifiedAt = null);

/// <summary>The id a source system (and store) gives a record.</summary>
public sealed record ExternalId(string Source, string Store, string Id);
