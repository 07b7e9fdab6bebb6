namespace Integration.Workflows.Triggers;

/// <summary>
/// <c>Flows:Endpoints</c>: what a caller of the flows' own HTTP endpoints (<c>/workflows/...</c>) may send. Each call
/// is a stored run with its body, and an endpoint is public unless it says <c>authorize</c>: the body is capped and the
/// calls of one client address are limited, so nobody can fill the database through a sample flow.
/// </summary>
public sealed class HttpEndpointOptions
{
    public const string Section = "Flows:Endpoints";

    /// <summary>The rate-limiting policy of <c>/workflows/*</c>.</summary>
    public const string RateLimitPolicy = "flow-endpoints";

    /// <summary>The largest body (bytes) an endpoint takes when it sets no <c>requestSizeLimit</c>; a larger one is 413 and starts no run.</summary>
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>How long a body may take to arrive; one still arriving after it is refused with 408 and starts no run. Default 30 s.</summary>
    public TimeSpan BodyReadTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Calls per minute from one client address over all endpoints; more are 429 with <c>Retry-After</c>. 0 turns the limit off.</summary>
    public int PermitsPerMinute { get; set; } = 300;

    /// <summary>Whose calls count together: an IPv4 address, or an IPv6 address's /64 (one customer's whole network).</summary>
    public static string ClientKey(System.Net.IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new System.Net.IPAddress(bytes) + "/64";
    }
}
