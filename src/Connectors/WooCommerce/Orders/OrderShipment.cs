namespace Integration.Connectors.WooCommerce.Orders;

/// <summary>What recording a delivery did to a WooCommerce order: the tracking note (added now or found), and its status after.</summary>
public sealed record OrderShipment(bool NoteAdded, bool Completed, string Status);
