using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Host.Tests.Security;

/// <summary>Every endpoint the running host maps under <c>/api</c>, <c>/elsa/api</c> and <c>/designer</c>, read from its EndpointDataSource.</summary>
internal sealed record OperatorEndpoint(string Method, string Path, string Route, RouteEndpoint Endpoint)
{
    public bool IsWrite => !HttpMethods.IsGet(Method) && !HttpMethods.IsHead(Method);

    public bool AllowsAnonymous => Endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;

    public bool NeedsAdmin => Endpoint.Metadata.OfType<IAuthorizeData>().Any(a => a.Policy == "admin");

    /// <summary>A query that needs only <c>read</c> whatever its method (Studio lists runs with POST).</summary>
    public bool IsReadQuery => Endpoint.Metadata.OfType<IAuthorizeData>().Any(a => a.Policy == "read");

    public override string ToString() => $"{Method} {Route}";

    public static IReadOnlyList<OperatorEndpoint> All(IServiceProvider services) =>
        [.. services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && (raw.StartsWith("/api", StringComparison.Ordinal) || raw.StartsWith("/elsa/api", StringComparison.Ordinal) || raw.StartsWith("/designer", StringComparison.Ordinal)))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST"])
                .Select(method => new OperatorEndpoint(method, Concrete(e.RoutePattern.RawText!), e.RoutePattern.RawText!, e)))];

    /// <summary>A path that matches the route: numbers for numeric parameters, a GUID for guid ones, a word otherwise.</summary>
    private static string Concrete(string route) => Regex.Replace(route, @"\{([^}]*)\}", match => match.Groups[1].Value switch
    {
        var p when p.Contains(":long", StringComparison.Ordinal) || p.Contains(":int", StringComparison.Ordinal) => "1",
        var p when p.Contains(":guid", StringComparison.Ordinal) => Guid.Empty.ToString(),
        _ => "x",
    });
}
