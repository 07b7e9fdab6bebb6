using System.Text.Json.Nodes;

namespace Integration.Simulators.Shopify;

public sealed partial class ShopifyShopState
{
    // Versions of orders the store moves to once an order read has been answered, by order id.
    private readonly Dictionary<long, JsonObject> _afterNextRead = [];

    /// <summary>
    /// The store changes the order to <paramref name="restJson"/> (REST shape, same id) right after it answers the order's
    /// next read: what a run sees when the store changes between its read and its next step (a refund that settles).
    /// </summary>
    public void ChangeOrderAfterNextRead(long id, string restJson)
    {
        lock (Gate)
        {
            _afterNextRead[id] = JsonNode.Parse(restJson)!.AsObject();
        }
    }

    /// <summary>Called once an order read was answered.</summary>
    internal void OrderRead(long id)
    {
        JsonObject? next;
        lock (Gate)
        {
            if (!_afterNextRead.Remove(id, out next))
            {
                return;
            }
        }

        AddOrder(next);
    }
}
