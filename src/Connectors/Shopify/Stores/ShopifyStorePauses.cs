using Dapper;
using Npgsql;

namespace Integration.Connectors.Shopify.Stores;

/// <summary>
/// Stores whose pushes and scheduled reads are paused (the app was uninstalled, so its token no longer works), in
/// <c>integration.shopify_store_pauses</c>. Keyed by the store's key (its Name, else its shop domain).
/// </summary>
public static class ShopifyStorePauses
{
    public static async Task PauseAsync(NpgsqlConnection connection, string store, string reason, DateTimeOffset at) =>
        await connection.ExecuteAsync(
            """
            INSERT INTO integration.shopify_store_pauses (store, paused_at, reason) VALUES (@store, @at, @reason)
            ON CONFLICT (store) DO UPDATE SET paused_at = EXCLUDED.paused_at, reason = EXCLUDED.reason
            """, new { store, at, reason });

    /// <summary>Ends a pause (the store was connected again); false when it was not paused.</summary>
    public static async Task<bool> ResumeAsync(NpgsqlConnection connection, string store) =>
        await connection.ExecuteAsync("DELETE FROM integration.shopify_store_pauses WHERE store = @store", new { store }) > 0;

    /// <summary>Why the store is paused, or null when it is not.</summary>
    public static async Task<string?> ReasonAsync(NpgsqlConnection connection, string store) =>
        await connection.QuerySingleOrDefaultAsync<string>("SELECT reason FROM integration.shopify_store_pauses WHERE store = @store", new { store });
}
