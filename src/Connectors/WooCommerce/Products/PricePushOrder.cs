using Dapper;
using Npgsql;

namespace Integration.Connectors.WooCommerce.Products;

/// <summary>
/// Keeps price pushes to a store in the order their ERP prices were read, as the Shopify connector does: runs of the
/// price flow may overlap (a price change, a promotion starting, the day-start run), and a run that read before another
/// but pushed after it would leave the older price. Pushes to one store take turns (a lock held across hosts), and a
/// SKU whose pushed price was read later than this one's is left alone (<c>integration.woocommerce_price_pushes</c>).
/// </summary>
public sealed class PricePushOrder(NpgsqlDataSource dataSource)
{
    public const string StaleReason = "a price read later was pushed already";

    public async Task<PricePush> PushAsync(
        string store, DateTimeOffset readAt, IReadOnlyList<WooCommercePrice> prices, Func<IReadOnlyList<WooCommercePrice>, Task<PricePush>> push,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_xact_lock(hashtext('woocommerce.prices:' || @store))", new { store }, transaction, cancellationToken: cancellationToken));
        var skus = prices.Where(p => !string.IsNullOrWhiteSpace(p.Sku)).Select(p => p.Sku!.Trim()).Distinct(StringComparer.Ordinal).ToArray();
        var newer = (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT sku FROM integration.woocommerce_price_pushes WHERE store = @store AND sku = ANY(@skus) AND read_at > @readAt",
            new { store, skus, readAt = readAt.UtcDateTime }, transaction, cancellationToken: cancellationToken))).ToHashSet(StringComparer.Ordinal);

        var fresh = prices.Where(p => string.IsNullOrWhiteSpace(p.Sku) || !newer.Contains(p.Sku.Trim())).ToList();
        var done = fresh.Count > 0 ? await push(fresh) : new PricePush(0, [], 0);
        var notPushed = done.Skipped.Where(s => s.Sku is not null).Select(s => s.Sku!.Trim()).ToHashSet(StringComparer.Ordinal);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO integration.woocommerce_price_pushes (store, sku, read_at, pushed_at)
            SELECT @store, sku, @readAt, now() FROM unnest(@skus) AS sku
            ON CONFLICT (store, sku) DO UPDATE SET read_at = excluded.read_at, pushed_at = excluded.pushed_at
            WHERE woocommerce_price_pushes.read_at <= excluded.read_at
            """, new { store, skus = skus.Where(s => !newer.Contains(s) && !notPushed.Contains(s)).ToArray(), readAt = readAt.UtcDateTime },
            transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);

        return done with
        {
            Skipped = [.. prices.Where(p => p.Sku is not null && newer.Contains(p.Sku.Trim())).Select(p => new SkippedPrice(p.Sku, StaleReason)), .. done.Skipped],
        };
    }
}
