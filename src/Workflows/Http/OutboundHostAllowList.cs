using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integration.Workflows.Http;

/// <summary>
/// The <c>flows</c> HTTP client's gate: a request to a host not in <see cref="FlowHttpOptions.AllowedHosts"/> is refused
/// before it leaves (the run faults with an incident that names the host and the setting). The client follows no
/// redirects, so an allowed host cannot send a call on to one that is not.
/// </summary>
public sealed class OutboundHostAllowList(IOptionsMonitor<FlowHttpOptions> options, ILogger<OutboundHostAllowList> logger) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var host = request.RequestUri?.IdnHost ?? "";
        if (!Allows(options.CurrentValue.AllowedHosts, host))
        {
            logger.LogWarning("Refused a flow's HTTP call to {Host}: not in {Setting}", host, FlowHttpOptions.Section + ":AllowedHosts");
            throw new OutboundHostRefusedException(host);
        }

        return base.SendAsync(request, cancellationToken);
    }

    public static bool Allows(IEnumerable<string> allowed, string host)
    {
        foreach (var entry in allowed)
        {
            var pattern = entry.Trim();
            if (pattern == "*" || string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase)
                || (pattern.StartsWith("*.", StringComparison.Ordinal) && host.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }
}
