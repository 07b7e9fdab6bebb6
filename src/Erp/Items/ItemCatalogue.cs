using Dapper;
using Npgsql;

namespace Integration.Erp.Items;

/// <summary>
/// What a store sells of an item: the product (a template, or an item that is neither template nor variant), its
/// variants in the order they were added, its group and its images: the product's in display order, then each
/// variant's (in variant order), each carrying the SKU it belongs to.
/// </summary>
public sealed record CatalogueProduct(Item Product, ItemGroup Group, IReadOnlyList<Item> Variants, IReadOnlyList<ItemImage> Images);

/// <summary>Reads items as the stores' catalogues need them: a variant leads to its template's product.</summary>
public sealed class ItemCatalogue(NpgsqlDataSource dataSource)
{
    /// <summary>The product <paramref name="sku"/> belongs to (its template's, for a variant); null when there is no such item.</summary>
    public async Task<CatalogueProduct?> GetProductAsync(string company, string sku, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var item = await ItemStore.GetAsync(connection, company, sku);
        if (item?.TemplateSku is { } template)
        {
            item = await ItemStore.GetAsync(connection, company, template);
        }

        if (item is null)
        {
            return null;
        }

        var variants = item.IsTemplate
            ? (await connection.QueryAsync<string>(
                "SELECT sku FROM erp.item WHERE company = @company AND template_sku = @sku ORDER BY created_at, sku", new { company, sku = item.Sku })).ToList()
            : [];
        var loaded = new List<Item>(variants.Count);
        foreach (var variant in variants)
        {
            loaded.Add((await ItemStore.GetAsync(connection, company, variant))!);
        }

        var group = (await ItemStore.ListGroupsAsync(connection, company)).Single(g => g.Id == item.ItemGroup);
        var images = new List<ItemImage>(await ItemImages.ListAsync(connection, company, item.Sku));
        foreach (var variant in loaded)
        {
            images.AddRange(await ItemImages.ListAsync(connection, company, variant.Sku));
        }

        return new CatalogueProduct(item, group, loaded, images);
    }

    /// <summary>
    /// The latest <c>erp.item.changed</c> event of a product (<paramref name="productSku"/>: the template or simple
    /// item; its variants' events count too) of one of <paramref name="changes"/>, written after the event
    /// <paramref name="afterEvent"/>; null when there is none. A product's sync that a later change will repeat can stop.
    /// </summary>
    public async Task<long?> ChangedAgainAsync(string company, string productSku, long afterEvent, IReadOnlyCollection<string> changes, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition("""
            SELECT max(id) FROM integration.outbox
            WHERE id > @afterEvent AND topic = 'erp.item.changed' AND company = @company
              AND (entity_key = @productSku OR payload->>'templateSku' = @productSku) AND payload->>'change' = ANY(@changes)
            """, new { company, productSku, afterEvent, changes = changes.ToArray() }, cancellationToken: cancellationToken));
    }
}
