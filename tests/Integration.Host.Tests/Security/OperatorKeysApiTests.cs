using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Integration.Host.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Host.Tests.Security;

/// <summary><c>/api/operator-keys</c>: admins list, create and revoke keys over HTTP, in the store the CLI uses.</summary>
public sealed class OperatorKeysApiTests(SecurityHost host) : IClassFixture<SecurityHost>
{
    [Fact]
    public async Task An_admin_creates_a_key_shown_once_that_works_at_once_is_listed_without_secret_and_once_revoked_is_refused()
    {
        var (status, created) = await host.PostAsync("/api/operator-keys", new { name = "monitoring", scope = "read", expiresIn = "30d" });
        Assert.Equal(HttpStatusCode.Created, status);
        var key = created.GetProperty("key").GetString()!;
        var id = created.GetProperty("id").GetString()!;
        Assert.StartsWith("ih_" + id + "_", key, StringComparison.Ordinal);
        Assert.Equal("read", created.GetProperty("scope").GetString());
        Assert.InRange(created.GetProperty("expiresAt").GetDateTimeOffset() - DateTimeOffset.UtcNow, TimeSpan.FromDays(29.9), TimeSpan.FromDays(30));

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(HttpMethod.Get, "/api/inbox", key));
        using (var listResponse = await host.Client.GetAsync("/api/operator-keys"))
        {
            var text = await listResponse.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, listResponse.StatusCode);
            // The secret is base64url and may itself hold '_': take all after "ih_<id>_".
            Assert.DoesNotContain(key[("ih_" + id + "_").Length..], text, StringComparison.Ordinal);
            var listed = JsonDocument.Parse(text).RootElement.EnumerateArray().Single(k => k.GetProperty("id").GetString() == id);
            Assert.Equal("monitoring", listed.GetProperty("name").GetString());
            Assert.Equal("active", listed.GetProperty("state").GetString());
            Assert.NotEqual(JsonValueKind.Null, listed.GetProperty("lastUsedAt").ValueKind);
        }

        // The CLI's store sees the same key.
        Assert.Contains(await host.Services.GetRequiredService<OperatorKeyStore>().ListAsync(CancellationToken.None), k => k.Id == id && k.Name == "monitoring");

        var (revokedStatus, revoked) = await host.PostAsync($"/api/operator-keys/{id}/revoke", new { });
        Assert.Equal(HttpStatusCode.OK, revokedStatus);
        Assert.Equal("revoked", revoked.GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(HttpMethod.Get, "/api/inbox", key));
        var (missing, problem) = await host.PostAsync("/api/operator-keys/nosuchkey123/revoke", new { });
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Contains("nosuchkey123", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "admin", null, "name")]
    [InlineData("ci", "root", null, "scope")]
    [InlineData("ci", "operate", "forever", "expiresIn")]
    [InlineData("ci", "operate", "-3d", "expiresIn")]
    public async Task A_key_with_a_missing_name_an_unknown_scope_or_a_bad_lifetime_is_refused_and_none_is_made(string name, string scope, string? expiresIn, string field)
    {
        var before = (await host.Services.GetRequiredService<OperatorKeyStore>().ListAsync(CancellationToken.None)).Count;

        var (status, problem) = await host.PostAsync("/api/operator-keys", new { name, scope, expiresIn });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.Equal(before, (await host.Services.GetRequiredService<OperatorKeyStore>().ListAsync(CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Keys_below_admin_and_anonymous_callers_may_neither_list_nor_create_nor_revoke()
    {
        var store = host.Services.GetRequiredService<OperatorKeyStore>();
        var (victim, _) = await store.CreateAsync("victim", OperatorScope.Read, null, CancellationToken.None);
        var (_, operate) = await store.CreateAsync("operator", OperatorScope.Operate, null, CancellationToken.None);
        var (_, read) = await store.CreateAsync("reader", OperatorScope.Read, null, CancellationToken.None);
        var before = (await store.ListAsync(CancellationToken.None)).Count;

        foreach (var key in new[] { operate, read })
        {
            Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(HttpMethod.Get, "/api/operator-keys", key));
            Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(HttpMethod.Post, "/api/operator-keys", key, new { name = "mine", scope = "admin" }));
            Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(HttpMethod.Post, $"/api/operator-keys/{victim.Id}/revoke", key, new { }));
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(HttpMethod.Get, "/api/operator-keys", null));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(HttpMethod.Post, "/api/operator-keys", null, new { name = "mine", scope = "admin" }));
        var keys = await store.ListAsync(CancellationToken.None);
        Assert.Equal(before, keys.Count);
        Assert.Null(keys.Single(k => k.Id == victim.Id).RevokedAt);
    }

    private async Task<HttpStatusCode> StatusAsync(HttpMethod method, string path, string? key, object? body = null)
    {
        using var client = host.CreateAnonymousClient();
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", key);
        }

        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
