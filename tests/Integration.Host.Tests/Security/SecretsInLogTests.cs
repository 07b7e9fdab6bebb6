using System.Net.Http.Headers;
using Integration.Host.Security;
using Integration.Testing;
using Integration.Testing.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Host.Tests.Security;

/// <summary>A run touching every kind of secret (signed webhooks, good and bad keys, tokens, sign-in) leaves none in the log.</summary>
public sealed class SecretsInLogTests(SecurityHost host) : IClassFixture<SecurityHost>
{
    [Fact]
    public async Task A_full_run_logs_no_secret_and_no_key()
    {
        var (_, stored) = await host.Services.GetRequiredService<OperatorKeyStore>().CreateAsync("log-run", OperatorScope.Operate, null, CancellationToken.None);
        var order = RepoPaths.Fixture("shopify/orders-create.shopify-docs-2026-04.json");
        using var client = host.CreateAnonymousClient();
        var token = SecurityHost.Token("integration.read");

        await client.SendAsync(SignedDelivery.Shopify(order, SecurityHost.ShopSecret, SecurityHost.ShopDomain, webhookId: Guid.NewGuid().ToString()));
        await client.SendAsync(SignedDelivery.Shopify(order, "wrong-secret", SecurityHost.ShopDomain, webhookId: Guid.NewGuid().ToString()));
        await client.SendAsync(SignedDelivery.WooCommerce(order, SecurityHost.WooSecret, "giza"));
        foreach (var (scheme, key) in new[]
                 {
                     ("ApiKey", TestHostFactory.AdminKey), ("ApiKey", SecurityHost.ConfiguredKey), ("Bearer", stored), ("ApiKey", stored + "x"),
                     ("ApiKey", SecurityHost.ShopSecret), ("Bearer", token), ("Bearer", token + "x"),
                 })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/runs/" + Guid.Empty + "/cancel");
            request.Headers.Authorization = new AuthenticationHeaderValue(scheme, key);
            await client.SendAsync(request);
        }

        // A key sent whole where its id goes (a revoke), by callers refused (no key, too low a scope): its path is logged.
        // A configured key too (it has no id: an admin trying to revoke a leaked one is answered 404).
        foreach (var caller in new[] { null, token })
        {
            using var revoke = new HttpRequestMessage(HttpMethod.Post, $"/api/operator-keys/{stored}/revoke");
            revoke.Headers.Authorization = caller is null ? null : new AuthenticationHeaderValue("Bearer", caller);
            Assert.Equal(caller is null ? System.Net.HttpStatusCode.Unauthorized : System.Net.HttpStatusCode.Forbidden, (await client.SendAsync(revoke)).StatusCode);
        }

        foreach (var caller in new[] { token, TestHostFactory.AdminKey })
        {
            using var revoke = new HttpRequestMessage(HttpMethod.Post, $"/api/operator-keys/{SecurityHost.ConfiguredKey}/revoke");
            revoke.Headers.Authorization = new AuthenticationHeaderValue(caller == token ? "Bearer" : "ApiKey", caller);
            Assert.Equal(caller == token ? System.Net.HttpStatusCode.Forbidden : System.Net.HttpStatusCode.NotFound, (await client.SendAsync(revoke)).StatusCode);
        }

        // A base64 key holds '/': the path then matches no route, and is logged all the same.
        using (var slashed = new HttpRequestMessage(HttpMethod.Post, "/api/operator-keys/q8Rz/slashed+key-part-91x7/revoke"))
        {
            slashed.Headers.Authorization = TestHostFactory.AdminAuthorization;
            await client.SendAsync(slashed);
        }

        await client.PostAsync("/designer/login", new FormUrlEncodedContent([new("key", stored)]));
        await client.PostAsync("/designer/login", new FormUrlEncodedContent([new("key", SecurityHost.ConfiguredKey + "-wrong")]));
        await host.GetJsonAsync("/api/inbox");

        // The host logs through an async sink: wait for the run's last lines to arrive.
        var log = string.Join('\n', host.Log);
        for (var wait = 0; wait < 100 && !(log.Contains("refused", StringComparison.OrdinalIgnoreCase) && log.Contains("/api/inbox", StringComparison.Ordinal)); wait++)
        {
            await Task.Delay(50);
            log = string.Join('\n', host.Log);
        }

        Assert.Contains("refused", log, StringComparison.OrdinalIgnoreCase); // the refusals were logged
        Assert.Contains("/api/runs/", log, StringComparison.Ordinal);
        Assert.Contains($"/api/operator-keys/{stored[..15]}_***/revoke", log, StringComparison.Ordinal);
        Assert.Contains("/api/operator-keys/***/revoke", log, StringComparison.Ordinal);
        Assert.DoesNotContain("slashed+key-part-91x7", log, StringComparison.Ordinal);
        // The key's secret part is everything after "ih_<id>_": base64url, so it may hold '_' itself.
        foreach (var secret in SecurityHost.Secrets.Append(stored).Append(stored[(stored.IndexOf('_', 3) + 1)..]))
        {
            Assert.DoesNotContain(secret, log, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(token.Split('.')[2], log, StringComparison.Ordinal);
    }
}
