using Integration.Workflows.Activities;

namespace Integration.Connectors.Shopify.Stores;

/// <summary>The configured Shopify stores, offered by the designer for the <c>store</c> input of every <c>Shopify.*</c> activity.</summary>
internal sealed class ShopifyStoreOptionsSource(ShopifyStores stores) : IInputOptionSource
{
    public bool Serves(string activityTypeName, string inputName) =>
        inputName == "store" && activityTypeName.StartsWith("Shopify.", StringComparison.Ordinal);

    public IReadOnlyList<InputOption> Options(string activityTypeName, string inputName) =>
        [.. stores.All.Select(s => string.IsNullOrEmpty(s.Name) ? new InputOption(s.ShopDomain, s.ShopDomain) : new InputOption(s.Name, $"{s.Name} ({s.ShopDomain})"))];
}
