using System.Net;
using Integration.Workflows.Triggers;

namespace Integration.Workflows.Tests.Loading;

/// <summary>Who may call a flow's HTTP endpoint is fixed when the flow loads; the rate limit counts a client's network.</summary>
public sealed class HttpEndpointValidationTests
{
    [Theory]
    [InlineData("true", null)]
    [InlineData("""{ "typeName": "Boolean", "expression": { "type": "Literal", "value": "false" } }""", null)]
    [InlineData("""{ "typeName": "Boolean", "expression": { "type": "JavaScript", "value": "getInput('headers')['X-Open'] === 'yes'" } }""", "authorize is true or false, written as such (not an expression)")]
    [InlineData("\"sometimes\"", "authorize is true or false, written as such (not an expression)")]
    public void Authorize_is_a_literal_true_or_false(string authorize, string? problem) =>
        AssertLoads($""", "authorize": {authorize}""", "authorize", problem);

    [Theory]
    [InlineData("read", null)]
    [InlineData("admin", null)]
    [InlineData("Operate", null)]
    [InlineData("superuser", "policy is one of read, operate or admin, written as such")]
    public void Policy_is_a_known_scope(string policy, string? problem) =>
        AssertLoads($""", "authorize": true, "policy": "{policy}" """, "policy", problem);

    [Theory]
    [InlineData("4096", null)]
    [InlineData("0", "requestSizeLimit is a number of bytes above 0, written as such")]
    [InlineData("\"lots\"", "requestSizeLimit is a number of bytes above 0, written as such")]
    public void The_size_limit_is_a_positive_number(string limit, string? problem) =>
        AssertLoads($""", "requestSizeLimit": {limit}""", "requestSizeLimit", problem);

    [Fact]
    public void Calls_count_per_ipv4_address_and_per_ipv6_network()
    {
        Assert.Equal("203.0.113.7", HttpEndpointOptions.ClientKey(IPAddress.Parse("203.0.113.7")));
        Assert.Equal("203.0.113.7", HttpEndpointOptions.ClientKey(IPAddress.Parse("::ffff:203.0.113.7")));
        Assert.Equal(HttpEndpointOptions.ClientKey(IPAddress.Parse("2001:db8:1:2::1")), HttpEndpointOptions.ClientKey(IPAddress.Parse("2001:db8:1:2:aaaa:bbbb:cccc:dddd")));
        Assert.NotEqual(HttpEndpointOptions.ClientKey(IPAddress.Parse("2001:db8:1:2::1")), HttpEndpointOptions.ClientKey(IPAddress.Parse("2001:db8:1:3::1")));
        Assert.Equal("unknown", HttpEndpointOptions.ClientKey(null));
    }

    private static void AssertLoads(string extra, string input, string? problem)
    {
        var result = FlowTestRuntime.Loader.Load(FlowTestRuntime.Flowchart($$"""
            { "id": "endpoint", "type": "Elsa.HttpEndpoint", "version": 1,
              "path": { "typeName": "String", "expression": { "type": "Literal", "value": "report" } },
              "customProperties": { "canStartWorkflow": true }{{extra}} }
            """, []), "endpoint.json");
        if (problem is null)
        {
            Assert.Empty(result.Problems);
            return;
        }

        var found = Assert.Single(result.Problems);
        Assert.EndsWith(input, found.JsonPath, StringComparison.Ordinal);
        Assert.Contains(problem, found.Message, StringComparison.Ordinal);
    }
}
