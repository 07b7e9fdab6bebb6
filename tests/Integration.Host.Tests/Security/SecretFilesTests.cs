using System.Net;
using System.Net.Http.Headers;
using Integration.Testing;
using Integration.Testing.Webhooks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Integration.Host.Tests.Security;

/// <summary>Secrets mounted as files (<c>Secrets:Directory</c>, as Docker and Kubernetes do) configure the host like environment variables.</summary>
public sealed class SecretFilesTests : IAsyncLifetime
{
    private const string ShopDomain = "files-eg.myshopify.com";
    private const string FileKey = "key-from-a-mounted-file-0042";
    private const string FileAppSecret = "app-secret-from-a-file";
    private readonly string _secrets = Directory.CreateTempSubdirectory("host-secrets-").FullName;
    private readonly string _flows = Directory.CreateTempSubdirectory("secrets-flows-").FullName;
    private TestDatabase _database = null!;
    private WebApplicationFactory<Program> _factory = null!;

    public async Task InitializeAsync()
    {
        // As a secret is usually written: with a line break at the end.
        await File.WriteAllTextAsync(Path.Combine(_secrets, "Operators__ApiKeys__7"), FileKey + "\n");
        await File.WriteAllTextAsync(Path.Combine(_secrets, "Connectors__Shopify__Stores__0__AppSecret"), FileAppSecret + "\n");
        _database = await TestPostgres.CreateDatabaseAsync("secretfiles");
        _factory = new TestHostFactory().WithWebHostBuilder(builder =>
        {
            builder.UseContentRoot(RepoPaths.Root);
            builder.UseSetting("DATABASE_URL", _database.Url);
            builder.UseSetting("Flows:Schedules", "false");
            builder.UseSetting("Flows:Directory", _flows);
            builder.UseSetting("Flows:DispatchInbox", "false");
            builder.UseSetting("Secrets:Directory", _secrets);
            builder.UseSetting("Connectors:Shopify:Stores:0:Name", "files-eg");
            builder.UseSetting("Connectors:Shopify:Stores:0:ShopDomain", ShopDomain);
        });
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
        Directory.Delete(_secrets, recursive: true);
        Directory.Delete(_flows, recursive: true);
    }

    [Fact]
    public async Task An_operator_key_and_a_store_secret_read_from_files_are_the_ones_the_host_checks()
    {
        using var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = null;

        using var withFileKey = new HttpRequestMessage(HttpMethod.Get, "/api/inbox");
        withFileKey.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", FileKey);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(withFileKey)).StatusCode);
        using var withLineBreak = new HttpRequestMessage(HttpMethod.Get, "/api/inbox");
        withLineBreak.Headers.TryAddWithoutValidation("Authorization", "ApiKey " + FileKey + "0");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(withLineBreak)).StatusCode);

        var body = "{\"id\":820982911946154508}"u8.ToArray();
        using var signed = SignedDelivery.Shopify(body, FileAppSecret, ShopDomain);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(signed)).StatusCode);
        using var signedWithTheLineBreak = SignedDelivery.Shopify(body, FileAppSecret + "\n", ShopDomain);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(signedWithTheLineBreak)).StatusCode);
    }

    [Fact]
    public void A_secrets_folder_that_does_not_exist_stops_the_start_naming_the_setting()
    {
        var missing = Path.Combine(_secrets, "not-mounted");

        var refused = Assert.Throws<InvalidOperationException>(() => IntegrationHost.Build(["--Secrets:Directory=" + missing, "--contentRoot=" + RepoPaths.Root]));

        Assert.Contains("Secrets:Directory", refused.Message, StringComparison.Ordinal);
        Assert.Contains(missing, refused.Message, StringComparison.Ordinal);
    }
}
