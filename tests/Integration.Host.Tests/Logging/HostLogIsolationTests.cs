using System.Net;
using System.Net.Http.Headers;
using Integration.Host.Tests.Security;

namespace Integration.Host.Tests.Logging;

/// <summary>
/// Hosts sharing a process (tests, tools) each log to their own sinks. Through the static logger, a host's lines went
/// to whichever host had started last, and disposing that host closed the log of the other.
/// </summary>
public sealed class HostLogIsolationTests
{
    [Fact]
    public async Task A_host_keeps_logging_to_its_own_sinks_after_a_second_host_starts_and_stops()
    {
        var first = new SecurityHost();
        await first.InitializeAsync();
        try
        {
            var second = new SecurityHost();
            await second.InitializeAsync();
            var secondPath = await RefuseAsync(second);
            await second.DisposeAsync();

            var firstPath = await RefuseAsync(first);

            Assert.True(await RefusalLoggedAsync(first, firstPath), "the first host's refusal is missing from its own log");
            Assert.True(await RefusalLoggedAsync(second, secondPath), "the second host's refusal is missing from its own log");
            Assert.DoesNotContain(second.Log, line => line.Contains(firstPath, StringComparison.Ordinal));
            Assert.DoesNotContain(first.Log, line => line.Contains(secondPath, StringComparison.Ordinal));
        }
        finally
        {
            await first.DisposeAsync();
        }
    }

    /// <summary>An unknown key on a path of its own; the refusal's log line names the path.</summary>
    private static async Task<string> RefuseAsync(SecurityHost host)
    {
        var path = "/api/runs/" + Guid.NewGuid() + "/cancel";
        using var client = host.CreateAnonymousClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", "not-a-key-of-this-host");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        return path;
    }

    private static async Task<bool> RefusalLoggedAsync(SecurityHost host, string path)
    {
        for (var wait = 0; wait < 100; wait++)
        {
            if (host.Log.Any(line => line.Contains("refused", StringComparison.Ordinal) && line.Contains(path, StringComparison.Ordinal)))
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }
}
