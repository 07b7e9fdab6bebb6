using System.Net;
using System.Net.Http.Headers;
using System.CommandLine;
using Integration.Host.Cli;

namespace Integration.Host.Tests.Security;

/// <summary><c>keys create | list | revoke</c> through the host binary's command line, against the fixture's database.</summary>
public sealed class KeysCommandTests(SecurityHost host) : IClassFixture<SecurityHost>
{
    [Fact]
    public async Task A_key_created_by_the_cli_is_shown_once_works_at_its_scope_is_listed_without_its_secret_and_stops_when_revoked()
    {
        var (created, text) = await RunAsync("keys", "create", "--name", "ci pipeline", "--scope", "operate", "--expires-in", "90d");
        Assert.Equal(0, created);
        var key = text.Split('\n')[0].Trim();
        Assert.Matches("^ih_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$", key);
        var id = key.Substring(3, 12);

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(HttpMethod.Get, "/api/inbox", key));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(HttpMethod.Post, "/api/flows", key));

        var (listed, list) = await RunAsync("keys", "list");
        Assert.Equal(0, listed);
        var line = Assert.Single(list.Split('\n'), l => l.StartsWith(id, StringComparison.Ordinal));
        Assert.Contains("operate", line, StringComparison.Ordinal);
        Assert.Contains("active", line, StringComparison.Ordinal);
        Assert.Contains("ci pipeline", line, StringComparison.Ordinal);
        Assert.DoesNotContain(key[16..], list, StringComparison.Ordinal);

        Assert.Equal(0, (await RunAsync("keys", "revoke", id)).Exit);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(HttpMethod.Get, "/api/inbox", key));
        Assert.Contains("revoked", (await RunAsync("keys", "list")).Output.Split('\n').Single(l => l.StartsWith(id, StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--scope", "root", "--scope must be read, operate or admin")]
    [InlineData("--expires-in", "soon", "--expires-in must be like")]
    public async Task Bad_arguments_are_refused_with_the_reason_and_no_key_is_made(string option, string value, string reason)
    {
        string[] args = option == "--scope" ? ["keys", "create", "--name", "n", option, value] : ["keys", "create", "--name", "n", "--scope", "read", option, value];
        var (exit, output) = await RunAsync(args);

        Assert.Equal(1, exit);
        Assert.Contains(reason, output, StringComparison.Ordinal);
        Assert.DoesNotContain("ih_", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoking_an_unknown_key_says_so()
    {
        var (exit, output) = await RunAsync("keys", "revoke", "000000000000");
        Assert.Equal(1, exit);
        Assert.Contains("no key with id '000000000000'", output, StringComparison.Ordinal);
    }

    private async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var exit = await HostCommandLine.Create().Parse([.. args, "--DATABASE_URL=" + host.Database.Url])
            .InvokeAsync(new InvocationConfiguration { Output = output, EnableDefaultExceptionHandler = false });
        return (exit, output.ToString());
    }

    private async Task<HttpStatusCode> StatusAsync(HttpMethod method, string path, string key)
    {
        using var client = host.CreateAnonymousClient();
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", key);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
