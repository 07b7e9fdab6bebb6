using System.Text.Json;
using Dapper;
using Npgsql;

namespace Integration.Connectors.Shopify.Connect;

/// <summary>The connected shops in <c>integration.shopify_shops</c>, one row per store key.</summary>
public static class ShopifyShopRecords
{
    public static async Task SaveAsync(NpgsqlConnection connection, ShopifyShop shop, DateTimeOffset connectedAt)
    {
        await connection.ExecuteAsync(
            """
            INSERT INTO integration.shopify_shops (store, shop_domain, shop_id, name, currency, locations, connected_at)
            VALUES (@Store, @ShopDomain, @ShopId, @Name, @Currency, CAST(@Locations AS jsonb), @ConnectedAt)
            ON CONFLICT (store) DO UPDATE SET shop_domain = EXCLUDED.shop_domain, shop_id = EXCLUDED.shop_id, name = EXCLUDED.name,
                currency = EXCLUDED.currency, locations = EXCLUDED.locations, connected_at = EXCLUDED.connected_at
            """,
            new
            {
                shop.Store,
                shop.ShopDomain,
                shop.ShopId,
                shop.Name,
                shop.Currency,
                ConnectedAt = connectedAt,
                Locations = JsonSerializer.Serialize(shop.Locations.Select(l => new { id = l.Id, name = l.Name, active = l.IsActive })),
            });
    }
}
