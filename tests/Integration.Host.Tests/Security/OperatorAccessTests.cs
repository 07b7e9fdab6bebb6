using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Integration.Designer.Access;
using Integration.Host.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace Integration.Host.Tests.Security;

/// <summary>Who may call the operator endpoints: every one of them, as the running host maps them.</summary>
public sealed class OperatorAccessTests(SecurityHost host) : IClassFixture<SecurityHost>
{
    [Fact]
    public async Task Every_operator_endpoint_refuses_an_anonymous_call_with_401_and_a_problem()
    {
        var endpoints = OperatorEndpoint.All(host.Services);
        Assert.Contains(endpoints, e => e.Route.StartsWith("/api/erp", StringComparison.Ordinal));
        Assert.Contains(endpoints, e => e.Route.StartsWith("/elsa/api", StringComparison.Ordinal));
        Assert.Contains(endpoints, e => e.Route.StartsWith("/designer/app", StringComparison.Ordinal));
        Assert.True(endpoints.Count > 100, $"only {endpoints.Count} endpoints found");

        var failures = new List<string>();
        foreach (var endpoint in endpoints.Where(e => !e.AllowsAnonymous))
        {
            using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), endpoint.Path);
            if (endpoint.IsWrite)
            {
                request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
            }

            using var response = await Anonymous(request);
            if (endpoint.Endpoint.Metadata.GetMetadata<SignInPage>() is { } page && endpoint.Method == "GET")
            {
                if (response.StatusCode != HttpStatusCode.Redirect || !response.Headers.Location!.OriginalString.StartsWith(page.Path, StringComparison.Ordinal))
                {
                    failures.Add($"{endpoint}: {(int)response.StatusCode}, not sent to {page.Path}");
                }

                continue;
            }

            var body = await response.Content.ReadAsStringAsync();
            var isHead = endpoint.Method == "HEAD"; // no body to a HEAD
            if (response.StatusCode != HttpStatusCode.Unauthorized || response.Headers.WwwAuthenticate.Count == 0
                || (!isHead && (response.Content.Headers.ContentType?.MediaType != "application/problem+json" || !body.Contains("operator-unauthorized", StringComparison.Ordinal))))
            {
                failures.Add($"{endpoint}: {(int)response.StatusCode} {body}");
            }
        }

        Assert.Empty(failures);
        // The only anonymous ones are the designer's sign-in and sign-out.
        Assert.Equal(["GET /designer/login", "POST /designer/login", "POST /designer/logout"],
            endpoints.Where(e => e.AllowsAnonymous).Select(e => e.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_read_key_is_refused_every_write_with_403_naming_the_scope_and_an_operate_key_every_admin_endpoint()
    {
        var store = host.Services.GetRequiredService<OperatorKeyStore>();
        var (_, read) = await store.CreateAsync("reader", OperatorScope.Read, null, CancellationToken.None);
        var (_, operate) = await store.CreateAsync("operator", OperatorScope.Operate, null, CancellationToken.None);
        var endpoints = OperatorEndpoint.All(host.Services).Where(e => !e.AllowsAnonymous).ToList();
        var admin = endpoints.Where(e => e.NeedsAdmin).Select(e => e.ToString()).ToList();
        Assert.Contains("POST /api/flows", admin);
        Assert.Contains("POST /elsa/api/workflow-definitions/{definitionId}/publish", admin);
        Assert.Contains("POST /elsa/api/workflow-definitions/{definitionId}/retract", admin);
        Assert.Contains("POST /elsa/api/bulk-actions/retract/workflow-definitions/by-definition-ids", admin);
        Assert.Contains("DELETE /elsa/api/workflow-definitions/{definitionId}", admin);
        Assert.Contains("POST /elsa/api/workflow-definitions/import", admin);

        // Studio's queries sent as POST are reads; nothing that changes a run or a flow is among them.
        var readQueries = endpoints.Where(e => e.IsReadQuery && e.IsWrite).Select(e => e.ToString()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
            [
                "POST /elsa/api/activity-executions/report",
                "POST /elsa/api/bulk-actions/export/workflow-definitions",
                "POST /elsa/api/bulk-actions/export/workflow-instances",
                "POST /elsa/api/descriptors/activities/{activityTypeName}/options/{propertyName}",
                "POST /elsa/api/scripting/javascript/type-definitions/{definitionId}",
                "POST /elsa/api/workflow-definitions/{definitionId}/export",
                "POST /elsa/api/workflow-instances",
                "POST /elsa/api/workflow-instances/{id}/export",
                "POST /elsa/api/workflow-instances/{id}/journal",
            ],
            readQueries);
        Assert.DoesNotContain(endpoints, e => e.IsReadQuery && e.NeedsAdmin);

        var failures = new List<string>();
        foreach (var endpoint in endpoints.Where(e => (e.IsWrite && !e.IsReadQuery) || e.NeedsAdmin))
        {
            var (key, scope) = endpoint.NeedsAdmin ? (operate, "admin") : (read, "operate");
            // A JSON body, so routing picks the endpoint itself and not a catch-all that accepts anything.
            using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), endpoint.Path) { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };
            request.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", key);
            using var response = await Anonymous(request);
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.Forbidden || !body.Contains($"'{scope}' scope", StringComparison.Ordinal))
            {
                failures.Add($"{endpoint}: {(int)response.StatusCode} {body}");
            }
        }

        Assert.Empty(failures);
        // And what the scope allows goes through: a read key reads, including the run list Studio asks for with POST.
        using var list = new HttpRequestMessage(HttpMethod.Get, "/api/inbox");
        list.Headers.Authorization = new AuthenticationHeaderValue("Bearer", read);
        Assert.Equal(HttpStatusCode.OK, (await Anonymous(list)).StatusCode);
        using var runs = new HttpRequestMessage(HttpMethod.Post, "/elsa/api/workflow-instances") { Content = new StringContent("""{"page":0,"pageSize":10}""", System.Text.Encoding.UTF8, "application/json") };
        runs.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", read);
        using var runsResponse = await Anonymous(runs);
        Assert.Equal(HttpStatusCode.OK, runsResponse.StatusCode);
        Assert.Contains("\"totalCount\"", await runsResponse.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoked_and_expired_keys_are_refused_and_a_good_one_is_recorded_as_used()
    {
        var store = host.Services.GetRequiredService<OperatorKeyStore>();
        var (good, goodText) = await store.CreateAsync("good", OperatorScope.Operate, TimeSpan.FromDays(1), CancellationToken.None);
        var (revoked, revokedText) = await store.CreateAsync("revoked", OperatorScope.Admin, null, CancellationToken.None);
        var (expired, expiredText) = await store.CreateAsync("expired", OperatorScope.Admin, TimeSpan.FromDays(1), CancellationToken.None);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("/api/inbox", revokedText));
        Assert.True(await store.RevokeAsync(revoked.Id, CancellationToken.None));
        await using (var connection = await host.OpenAsync())
        {
            await Dapper.SqlMapper.ExecuteAsync(connection, "UPDATE integration.operator_keys SET expires_at = now() - interval '1 second' WHERE id = @Id", new { expired.Id });
        }

        Assert.Equal(HttpStatusCode.OK, await StatusAsync("/api/inbox", goodText));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync("/api/inbox", revokedText));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync("/api/inbox", expiredText));
        // Right id, wrong secret; a made-up key; a configured key.
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync("/api/inbox", goodText[..^4] + "AAAA"));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync("/api/inbox", "ih_000000000000_nothing"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("/api/inbox", SecurityHost.ConfiguredKey));

        var listed = (await store.ListAsync(CancellationToken.None)).Single(k => k.Id == good.Id);
        Assert.NotNull(listed.LastUsedAt);
        await using var check = await host.OpenAsync();
        var hash = await Dapper.SqlMapper.ExecuteScalarAsync<byte[]>(check, "SELECT hash FROM integration.operator_keys WHERE id = @Id", new { good.Id });
        Assert.Equal(32, hash!.Length);
        // The secret is base64url and may itself hold '_': take all after "ih_<id>_".
        Assert.DoesNotContain(goodText[("ih_" + good.Id + "_").Length..], Convert.ToBase64String(hash!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_designer_session_opened_with_a_stored_key_ends_when_the_key_is_revoked()
    {
        var store = host.Services.GetRequiredService<OperatorKeyStore>();
        var (key, text) = await store.CreateAsync("designer", OperatorScope.Admin, null, CancellationToken.None);
        using var login = new HttpRequestMessage(HttpMethod.Post, "/designer/login") { Content = new FormUrlEncodedContent([new("key", text)]) };
        using var signedIn = await Anonymous(login);
        Assert.Equal(HttpStatusCode.NoContent, signedIn.StatusCode);
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single();
        Assert.StartsWith(DesignerSession.Cookie + "=", cookie, StringComparison.Ordinal);
        Assert.DoesNotContain(text, cookie, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, await WithCookieAsync("/designer/app/designer.js", cookie));
        await store.RevokeAsync(key.Id, CancellationToken.None);
        Assert.Equal(HttpStatusCode.Unauthorized, await WithCookieAsync("/designer/app/designer.js", cookie));
    }

    [Fact]
    public async Task A_jwt_from_the_configured_issuer_is_accepted_with_its_scope_and_others_refused()
    {
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("/api/inbox", SecurityHost.Token("integration.read"), "Bearer"));
        // read only: a write is forbidden; operate allows it past authorization (the handler then answers for itself).
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync("/api/runs/" + Guid.Empty + "/cancel", SecurityHost.Token("integration.read"), "Bearer", HttpMethod.Post));
        Assert.NotEqual(HttpStatusCode.Forbidden, await StatusAsync("/api/runs/" + Guid.Empty + "/cancel", SecurityHost.Token("integration.operate"), "Bearer", HttpMethod.Post));
        Assert.NotEqual(HttpStatusCode.Unauthorized, await StatusAsync("/api/runs/" + Guid.Empty + "/cancel", SecurityHost.Token("integration.operate"), "Bearer", HttpMethod.Post));
        // No scope, wrong signature, wrong audience, expired.
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync("/api/inbox", SecurityHost.Token(null), "Bearer"));
        var otherKey = new SymmetricSecurityKey("a-different-signing-key-of-enough-length-42"u8.ToArray());
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync("/api/inbox", SecurityHost.Token("integration.admin", otherKey), "Bearer"));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync("/api/inbox", SecurityHost.Token("integration.admin", audience: "someone-else"), "Bearer"));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync("/api/inbox", SecurityHost.Token("integration.admin", expires: DateTime.UtcNow.AddMinutes(-10)), "Bearer"));
    }

    [Fact]
    public async Task A_jwt_carrying_our_own_scope_claims_gets_only_the_scope_its_issuer_granted()
    {
        // An issuer passing a user's custom attributes through: the token names our claim types itself.
        var token = SecurityHost.Token("integration.read", extra: [new("integration:scope", "admin"), new("integration:scope", "operate"), new("integration:key", "k1")]);

        Assert.Equal(HttpStatusCode.OK, await StatusAsync("/api/inbox", token, "Bearer"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync("/api/operator-keys", token, "Bearer"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync("/api/runs/" + Guid.Empty + "/cancel", token, "Bearer", HttpMethod.Post));
        // With no scope granted at all, none of the token's own claims count either.
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync("/api/inbox", SecurityHost.Token(null, extra: [new("integration:scope", "admin")]), "Bearer"));
    }

    [Fact]
    public async Task Webhooks_health_and_metrics_stay_open_and_a_403_says_which_scope_is_needed()
    {
        Assert.Equal(HttpStatusCode.OK, (await Anonymous(new HttpRequestMessage(HttpMethod.Get, "/health/live"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Anonymous(new HttpRequestMessage(HttpMethod.Get, "/health"))).StatusCode);
        // An unsigned delivery is refused by its signature, not by operator auth.
        using var unsigned = await Anonymous(new HttpRequestMessage(HttpMethod.Post, "/webhooks/woocommerce/giza") { Content = new StringContent("{}") });
        Assert.Equal("invalid-signature", JsonDocument.Parse(await unsigned.Content.ReadAsStringAsync()).RootElement.GetProperty("type").GetString());

        var (_, read) = await host.Services.GetRequiredService<OperatorKeyStore>().CreateAsync("r", OperatorScope.Read, null, CancellationToken.None);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/erp/companies") { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", read);
        using var response = await Anonymous(request);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("operator-forbidden", problem.GetProperty("type").GetString());
        Assert.Equal("This needs the 'operate' scope.", problem.GetProperty("title").GetString());
    }

    /// <summary>Sends with only the credentials the request carries itself.</summary>
    private async Task<HttpResponseMessage> Anonymous(HttpRequestMessage request)
    {
        using var client = host.CreateAnonymousClient();
        return await client.SendAsync(request);
    }

    private async Task<HttpStatusCode> StatusAsync(string path, string key, string scheme = "ApiKey", HttpMethod? method = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue(scheme, key);
        using var response = await Anonymous(request);
        return response.StatusCode;
    }

    private async Task<HttpStatusCode> WithCookieAsync(string path, string setCookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", setCookie.Split(';')[0]);
        using var response = await Anonymous(request);
        return response.StatusCode;
    }
}
