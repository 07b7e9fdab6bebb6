using System.Net;
using Dapper;
using Integration.Designer.Access;
using Integration.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Integration.Host.Tests.Security;

/// <summary>
/// The Data Protection key ring lives in PostgreSQL: a designer session opened on one host is good on every host of the
/// same database (no sticky sessions), and on no host of another database.
/// </summary>
public sealed class SharedSessionTests
{
    private const string Page = "/designer/app/designer.js";

    [Fact]
    public async Task A_session_cookie_issued_by_host_a_is_accepted_by_host_b_on_the_same_database_and_refused_on_another()
    {
        await using var shared = await TestPostgres.CreateDatabaseAsync("dp-shared");
        await using var other = await TestPostgres.CreateDatabaseAsync("dp-other");
        await using var hostA = Host(shared);
        await using var hostB = Host(shared);
        await using var hostC = Host(other);
        using var a = Anonymous(hostA);
        using var b = Anonymous(hostB);
        using var c = Anonymous(hostC);

        using var login = await a.PostAsync(DesignerSession.LoginPath, new FormUrlEncodedContent([new("key", TestHostFactory.AdminKey)]));
        Assert.Equal(HttpStatusCode.NoContent, login.StatusCode);
        var cookie = login.Headers.GetValues("Set-Cookie").Single().Split(';')[0];

        Assert.Equal(HttpStatusCode.OK, await WithCookieAsync(a, cookie));
        Assert.Equal(HttpStatusCode.OK, await WithCookieAsync(b, cookie));
        // A machine-wide key store would let this host read it too: the keys must come from the database.
        Assert.Equal(HttpStatusCode.Unauthorized, await WithCookieAsync(c, cookie));
        await using var connection = await shared.OpenAsync();
        Assert.True(await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM integration.data_protection_keys WHERE xml LIKE '<key %'") >= 1);
    }

    private static WebApplicationFactory<Program> Host(TestDatabase database) =>
        new TestHostFactory().WithWebHostBuilder(builder =>
        {
            builder.UseContentRoot(RepoPaths.Root);
            builder.UseSetting("DATABASE_URL", database.Url);
            builder.UseSetting("Flows:Schedules", "false");
            builder.UseSetting("Flows:DispatchInbox", "false");
            builder.UseSetting("Flows:DispatchOutbox", "false");
        });

    private static HttpClient Anonymous(WebApplicationFactory<Program> host)
    {
        var client = host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Authorization = null;
        return client;
    }

    private static async Task<HttpStatusCode> WithCookieAsync(HttpClient client, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Page);
        request.Headers.Add("Cookie", cookie);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
