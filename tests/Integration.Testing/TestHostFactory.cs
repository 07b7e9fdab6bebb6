using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Integration.Testing;

/// <summary>
/// The host for tests: configured with an admin operator key (<see cref="AdminKey"/>), and its clients send it, so a
/// test reaches <c>/api</c> as an operator; a test of access itself builds requests without it.
/// </summary>
public class TestHostFactory : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-admin-key-not-a-secret-0001";

    public static AuthenticationHeaderValue AdminAuthorization => new("ApiKey", AdminKey);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Operators:ApiKeys:0", AdminKey);
        base.ConfigureWebHost(builder);
    }

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Authorization = AdminAuthorization;
    }
}
