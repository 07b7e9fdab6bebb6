using Integration.Workflows.Activities;

namespace Integration.Connectors.WooCommerce.Stores;

/// <summary>The configured WooCommerce stores, offered by the designer for the <c>store</c> input of every <c>WooCommerce.*</c> activity.</summary>
internal sealed class WooCommerceStoreOptionsSource(WooCommerceStores stores) : IInputOptionSource
{
    public bool Serves(string activityTypeName, string inputName) =>
        inputName == "store" && activityTypeName.StartsWith("WooCommerce.", StringComparison.Ordinal);

    public IReadOnlyList<InputOption> Options(string activityTypeName, string inputName) =>
        [.. stores.All.Select(s => new InputOption(s.Name, Uri.TryCreate(s.BaseUrl, UriKind.Absolute, out var url) ? $"{s.Name} ({url.Host})" : s.Name))];
}
