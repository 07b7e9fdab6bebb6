using Dapper;
using Npgsql;

namespace Integration.Connectors.WooCommerce.Connect;

/// <summary>The connected stores in <c>integration.woocommerce_stores</c>, one row per store name.</summary>
public static class WooCommerceStoreRecords
{
    public static Task SaveAsync(NpgsqlConnection connection, WooCommerceStoreFacts facts, DateTimeOffset connectedAt) =>
        connection.ExecuteAsync(
            """
            INSERT INTO integration.woocommerce_stores (store, site_url, currency, woocommerce_version, wordpress_version, decimals, connected_at)
            VALUES (@Store, @SiteUrl, @Currency, @WooCommerceVersion, @WordPressVersion, @Decimals, @ConnectedAt)
            ON CONFLICT (store) DO UPDATE SET site_url = EXCLUDED.site_url, currency = EXCLUDED.currency,
                woocommerce_version = EXCLUDED.woocommerce_version, wordpress_version = EXCLUDED.wordpress_version,
                decimals = EXCLUDED.decimals, connected_at = EXCLUDED.connected_at
            """,
            new { facts.Store, facts.SiteUrl, facts.Currency, facts.WooCommerceVersion, facts.WordPressVersion, facts.Decimals, ConnectedAt = connectedAt });
}
