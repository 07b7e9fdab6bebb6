using Integration.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;

namespace Integration.Host.Tests;

/// <summary>
/// A real host (the same Program the CLI runs) over a database of its own, with two Shopify stores and two
/// WooCommerce stores configured. Test classes share it; each test uses ids of its own.
/// </summary>
public class HostFixture : IAsyncLifetime
{
    public const string ShopDomain = "retail-eg.myshopify.com";
    public const string ShopSecret = "hush";
    public const string RotatedShopDomain = "rotating.myshopify.com";
    public const string RotatedShopSecret = "new-secret";
    public const string RotatedShopOldSecret = "old-secret";
    public const string WooStore = "cairo";
    public const string WooSecret = "hush";
    public const string WooEntityStore = "alex";
    public const string WooEntitySecretAsStored = "s3cr&amp;t";
    public const string WooEntitySecretAsSigned = "s3cr&t";
    public const int MaxBodyBytes = 64 * 1024;

    private TestDatabase? _database;
    private WebApplicationFactory<Program>? _factory;

    public TestDatabase Database => _database ?? throw new InvalidOperationException("Fixture not initialised");

    public HttpClient Client { get; private set; } = null!;

    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings(TestDatabase database) =>
    [
        new("DATABASE_URL", database.Url),
        new("Webhooks:MaxBodyBytes", MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Connectors:Shopify:Stores:0:ShopDomain", ShopDomain),
        new("Connectors:Shopify:Stores:0:AppSecret", ShopSecret),
        new("Connectors:Shopify:Stores:1:ShopDomain", RotatedShopDomain),
        new("Connectors:Shopify:Stores:1:AppSecret", RotatedShopSecret),
        new("Connectors:Shopify:Stores:1:PreviousAppSecrets:0", RotatedShopOldSecret),
        new("Connectors:WooCommerce:Stores:0:Name", WooStore),
        new("Connectors:WooCommerce:Stores:0:BaseUrl", "https://cairo.example.com"),
        new("Connectors:WooCommerce:Stores:0:WebhookSecret", WooSecret),
        new("Connectors:WooCommerce:Stores:1:Name", WooEntityStore),
        new("Connectors:WooCommerce:Stores:1:WebhookSecret", WooEntitySecretAsStored),
    ];

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync(GetType().Name);
        var settings = Settings(_database).ToList();
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseContentRoot(RepoPaths.Root);
            builder.UseEnvironment("Testing");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        });
        Client = _factory.CreateClient();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    public async Task<long> CountAsync(string sql, object? parameters = null)
    {
        await using var connection = await Database.OpenAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, sql, parameters);
    }

    public async Task<NpgsqlConnection> OpenAsync() => await Database.OpenAsync();
}
