using System.Text.Json.Nodes;
using Integration.Connectors.WooCommerce.Client;
using Integration.Mappings.KeyMaps;
using Microsoft.Extensions.Logging;

namespace Integration.Connectors.WooCommerce.Products;

/// <summary>
/// The product category of an ERP item group, made once per store and remembered in the key map
/// (<c>woocommerce</c>/<c>category</c>, ERP id = the group). A category of that name made by hand (WooCommerce refuses
/// a second one with <c>term_exists</c>) is adopted, not duplicated; one deleted in the store is made again.
/// </summary>
public sealed class WooCommerceCategories(WooCommerceClients clients, IKeyMap keyMap, ILogger<WooCommerceCategories> logger)
{
    public async Task<long> EnsureAsync(string store, string group, string name, CancellationToken cancellationToken = default)
    {
        var client = clients.For(store);
        if (await keyMap.FindExternalIdAsync("woocommerce", "category", client.Store, group, cancellationToken) is { } linked && long.TryParse(linked, out var known))
        {
            // Still there: a category deleted by hand is made again (WooCommerce drops an unknown category id from a
            // product, which then sits in Uncategorized, rewritten so on every sync).
            if (await client.FindAsync("GetCategory", (api, ct) => api.GetCategoryAsync(known, ct), cancellationToken) is not null)
            {
                return known;
            }

            logger.LogWarning("WooCommerce {Store}: category {CategoryId} of item group {ItemGroup} is gone from the store; it is made again", client.Store, known, group);
        }

        var result = await client.BatchAsync("BatchCategories", (api, body, ct) => api.BatchCategoriesAsync(body, ct),
            create: [new JsonObject { ["name"] = name }], cancellationToken: cancellationToken);
        long id;
        if (result.Created is [var created, ..])
        {
            id = (long)created["id"]!;
            logger.LogInformation("WooCommerce {Store}: category {CategoryId} made for item group {ItemGroup}", client.Store, id, group);
        }
        else if (result.Errors is [{ Code: "term_exists" }, ..])
        {
            id = await FindAsync(client, name, cancellationToken)
                ?? throw new WooCommerceException(client.Store, "BatchCategories", $"the store says category '{name}' exists but does not list it.");
        }
        else
        {
            throw new WooCommerceException(client.Store, "BatchCategories", $"the store refused category '{name}': {string.Join("; ", result.Errors)}", null, (result.Errors.Count > 0 ? result.Errors[0].Code : null));
        }

        await keyMap.LinkAsync(new KeyLink("woocommerce", "category", client.Store, id.ToString(System.Globalization.CultureInfo.InvariantCulture), group), cancellationToken);
        return id;
    }

    private static async Task<long?> FindAsync(WooCommerceClient client, string name, CancellationToken cancellationToken)
    {
        await foreach (var category in client.PagesAsync("ListCategories", (api, page, size, ct) => api.ListCategoriesAsync(page, size, ct), cancellationToken: cancellationToken))
        {
            if (string.Equals(System.Net.WebUtility.HtmlDecode((string?)category["name"] ?? ""), name.Trim(), StringComparison.OrdinalIgnoreCase) && ((long?)category["parent"] ?? 0) == 0)
            {
                return (long)category["id"]!;
            }
        }

        return null;
    }
}
