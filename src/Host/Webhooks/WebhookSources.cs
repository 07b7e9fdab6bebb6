using System.Diagnostics.CodeAnalysis;
using Integration.Workflows.Webhooks;

namespace Integration.Host.Webhooks;

/// <summary>The webhook sources the connectors registered, by route name.</summary>
internal sealed class WebhookSources(IEnumerable<IWebhookSource> sources)
{
    private readonly Dictionary<string, IWebhookSource> _byName =
        sources.ToDictionary(source => source.Name, StringComparer.OrdinalIgnoreCase);

    public bool TryGet(string name, [NotNullWhen(true)] out IWebhookSource? source) => _byName.TryGetValue(name, out source);
}
