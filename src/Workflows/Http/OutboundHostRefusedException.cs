namespace Integration.Workflows.Http;

/// <summary>A flow tried to call a host that <c>Flows:Http:AllowedHosts</c> does not list.</summary>
public sealed class OutboundHostRefusedException(string host)
    : InvalidOperationException($"A flow may not call {host}: add it to {FlowHttpOptions.Section}:AllowedHosts to allow it.")
{
    public string Host { get; } = host;
}
