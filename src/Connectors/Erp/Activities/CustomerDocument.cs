using System.Text.Json;
using Integration.Erp.Customers;

namespace Integration.Connectors.Erp.Activities;

/// <summary>An ERP customer as a customer mapping writes it (camelCase, every field optional).</summary>
internal sealed record CustomerDocument(
    string? Name = null, string? Email = null, string? Phone = null, string? CustomerType = null, string? TaxId = null, decimal? CreditLimit = null,
    string? CustomerGroup = null, JsonElement? BillingAddress = null, JsonElement? ShippingAddress = null)
{
    /// <summary>
    /// The customer to write. The mapping's document of an existing customer is the current record with the changes,
    /// so it is taken as it is (a field the store cleared is cleared); a new one gets the ERP's defaults where unmapped.
    /// </summary>
    public Customer ToCustomer(string company, string id, IReadOnlyList<ExternalId> externalIds) => new(
        company, id, Name ?? Email ?? throw new InvalidOperationException("The mapped customer has neither a name nor an email."),
        Email, Phone, CustomerType ?? "Person", TaxId, CreditLimit ?? 0, CustomerGroup, Present(BillingAddress), Present(ShippingAddress), externalIds);

    private static JsonElement? Present(JsonElement? element) => element is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } ? element : null;
}
