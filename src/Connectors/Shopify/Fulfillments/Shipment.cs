namespace Integration.Connectors.Shopify.Fulfillments;

/// <summary>The carrier (Shopify's tracking company), tracking number and optional tracking URL.</summary>
public sealed record ShipmentTracking(string? Company, string Number, string? Url);

/// <summary>
/// The fulfillments created (one per location), or the one that already had the tracking number, or the one the number
/// was added to as another parcel (<see cref="ParcelAdded"/>).
/// </summary>
public sealed record Shipment(IReadOnlyList<string> FulfillmentIds, bool Existed, bool ParcelAdded = false);
