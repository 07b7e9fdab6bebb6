using Dapper;
using Npgsql;

namespace Integration.Erp.Items;

/// <summary>An image of an item or of one of its variants, in display order; its checksum tells the stores whether it changed.</summary>
public sealed record ItemImage(string Sku, int Position, string Url, string Checksum, string? AltText);

/// <summary>Item images: added (an image already there by checksum is not added twice), reordered and removed.</summary>
internal static class ItemImages
{
    public static async Task<IReadOnlyList<ItemImage>> ListAsync(NpgsqlConnection connection, string company, string sku, NpgsqlTransaction? transaction = null) =>
        [.. await connection.QueryAsync<ItemImage>(
            "SELECT sku AS Sku, position AS Position, url AS Url, checksum AS Checksum, alt_text AS AltText FROM erp.item_image WHERE company = @company AND sku = @sku ORDER BY position",
            new { company, sku }, transaction)];

    /// <summary>Replaces the item's images with <paramref name="images"/> in that order.</summary>
    public static async Task<IReadOnlyList<ItemImage>> SetAsync(NpgsqlConnection connection, string company, string sku, IReadOnlyList<(string Url, string Checksum, string? AltText)> images)
    {
        if (images.Select(i => i.Checksum).Distinct().Count() != images.Count || images.Any(i => i.Checksum.Length != 64 || !i.Checksum.All(Uri.IsHexDigit)))
        {
            throw new ErpRuleException("invalid-images", "Each image has a distinct SHA-256 checksum (64 hex digits).", 400);
        }

        await using var transaction = await connection.BeginTransactionAsync();
        if (!await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM erp.item WHERE company = @company AND sku = @sku FOR UPDATE)", new { company, sku }, transaction))
        {
            throw ErpRuleException.NotFound("unknown-item", $"No item '{sku}' in {company}.");
        }

        var before = await ListAsync(connection, company, sku, transaction);
        await connection.ExecuteAsync("DELETE FROM erp.item_image WHERE company = @company AND sku = @sku", new { company, sku }, transaction);
        for (var i = 0; i < images.Count; i++)
        {
            await connection.ExecuteAsync(
                "INSERT INTO erp.item_image (company, sku, position, url, checksum, alt_text) VALUES (@company, @sku, @position, @Url, @checksum, @AltText)",
                new { company, sku, position = i + 1, images[i].Url, checksum = images[i].Checksum.ToLowerInvariant(), images[i].AltText }, transaction);
        }

        var after = await ListAsync(connection, company, sku, transaction);
        if (!before.SequenceEqual(after))
        {
            var templateSku = await connection.ExecuteScalarAsync<string?>("SELECT template_sku FROM erp.item WHERE company = @company AND sku = @sku", new { company, sku }, transaction);
            await Outbox.AddAsync(connection, transaction, "erp.item.changed", company, sku, new
            {
                sku, templateSku,
                change = "images",
                added = after.Where(a => before.All(b => b.Checksum != a.Checksum)).Select(a => a.Checksum),
                removed = before.Where(b => after.All(a => a.Checksum != b.Checksum)).Select(b => b.Checksum),
            }, ItemEvents.OrderingKey(sku, templateSku));
        }

        await transaction.CommitAsync();
        return after;
    }
}
