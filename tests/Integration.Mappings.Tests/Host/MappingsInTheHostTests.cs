using Dapper;
using Integration.Host.Database;
using Integration.Mappings.Echoes;
using Integration.Mappings.KeyMaps;
using Integration.Testing;
using Integration.Testing.Webhooks;
using Microsoft.AspNetCore.Hosting;
using Npgsql;

namespace Integration.Mappings.Tests.Host;

/// <summary>The key map and echo guard in PostgreSQL (migrated as the host migrates), and <c>Mappings.Apply</c> in a flow of the host.</summary>
public sealed class MappingsInTheHostTests
{
    private const string ShopDomain = "mappings-test.myshopify.com";
    private const string ShopSecret = "mappings-secret";

    private static async Task<(TestDatabase Database, NpgsqlDataSource DataSource)> MigratedAsync(string purpose)
    {
        var database = await TestPostgres.CreateDatabaseAsync(purpose);
        await new DatabaseMigrator(database.ConnectionString, MigrationCatalog.All).MigrateAsync(CancellationToken.None);
        return (database, NpgsqlDataSource.Create(database.ConnectionString));
    }

    [Fact]
    public async Task The_key_map_finds_ids_both_ways_per_store_and_relinks()
    {
        var (database, dataSource) = await MigratedAsync("keymap");
        await using var db = database;
        await using var ds = dataSource;
        var keyMap = new PostgresKeyMap(dataSource);

        await keyMap.LinkAsync(new KeyLink("shopify", "customer", "a.myshopify.com", "gid://shopify/Customer/1", "CUST-1"));
        await keyMap.LinkAsync(new KeyLink("shopify", "customer", "a.myshopify.com", "gid://shopify/Customer/1", "CUST-1")); // idempotent
        await keyMap.LinkAsync(new KeyLink("shopify", "customer", "b.myshopify.com", "gid://shopify/Customer/1", "CUST-2"));
        await keyMap.AddMatchValueAsync("customer", "CUST-1", "email", "bob@biller.com");
        await keyMap.AddMatchValueAsync("customer", "CUST-3", "email", "bob@biller.com");

        Assert.Equal("CUST-1", await keyMap.FindErpIdAsync("shopify", "customer", "a.myshopify.com", "gid://shopify/Customer/1"));
        Assert.Equal("CUST-2", await keyMap.FindErpIdAsync("shopify", "customer", "b.myshopify.com", "gid://shopify/Customer/1"));
        Assert.Equal("gid://shopify/Customer/1", await keyMap.FindExternalIdAsync("shopify", "customer", "a.myshopify.com", "CUST-1"));
        Assert.Null(await keyMap.FindErpIdAsync("woocommerce", "customer", "a.myshopify.com", "gid://shopify/Customer/1"));
        Assert.Equal(["CUST-1", "CUST-3"], await keyMap.FindByMatchValueAsync("customer", "email", "bob@biller.com"));

        // The customer was recreated in the store: the ERP record is linked to its new id, the old link goes.
        await keyMap.LinkAsync(new KeyLink("shopify", "customer", "a.myshopify.com", "gid://shopify/Customer/9", "CUST-1"));
        Assert.Equal("gid://shopify/Customer/9", await keyMap.FindExternalIdAsync("shopify", "customer", "a.myshopify.com", "CUST-1"));
        Assert.Null(await keyMap.FindErpIdAsync("shopify", "customer", "a.myshopify.com", "gid://shopify/Customer/1"));
    }

    [Fact]
    public async Task The_latest_link_of_a_stores_entities_moves_only_when_a_new_link_is_made()
    {
        var (database, dataSource) = await MigratedAsync("keymaplatest");
        await using var db = database;
        await using var ds = dataSource;
        var keyMap = new PostgresKeyMap(dataSource);
        Assert.Null(await keyMap.LatestLinkAsync("shopify", "a", ["product", "variant"]));

        await keyMap.LinkAsync(new KeyLink("shopify", "variant", "a", "gid://shopify/ProductVariant/1", "MUG-1"));
        var first = await keyMap.LatestLinkAsync("shopify", "a", ["product", "variant"]);
        await keyMap.LinkAsync(new KeyLink("shopify", "variant", "a", "gid://shopify/ProductVariant/1", "MUG-1")); // already there
        await keyMap.LinkAsync(new KeyLink("shopify", "customer", "a", "gid://shopify/Customer/1", "CUST-1")); // another entity
        await keyMap.LinkAsync(new KeyLink("shopify", "variant", "b", "gid://shopify/ProductVariant/2", "MUG-2")); // another store

        Assert.NotNull(first);
        Assert.Equal(first, await keyMap.LatestLinkAsync("shopify", "a", ["product", "variant"]));
        await Task.Delay(10);
        await keyMap.LinkAsync(new KeyLink("shopify", "product", "a", "gid://shopify/Product/3", "CUP"));
        Assert.True(await keyMap.LatestLinkAsync("shopify", "a", ["product", "variant"]) > first);
        Assert.Equal(first, await keyMap.LatestLinkAsync("shopify", "a", ["product", "variant"], ["MUG-1", "NOPE"])); // of these ERP ids only
        Assert.Null(await keyMap.LatestLinkAsync("shopify", "a", ["product", "variant"], ["NOPE"]));
    }

    [Fact]
    public async Task The_echo_guard_keeps_the_last_write_per_field_until_its_echo_or_expiry()
    {
        var (database, dataSource) = await MigratedAsync("echoguard");
        await using var db = database;
        await using var ds = dataSource;
        var time = new ManualTime(new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.Zero));
        var guard = new PostgresEchoGuard(dataSource, time, TimeSpan.FromMinutes(10));

        await guard.RecordAsync([new EchoFingerprint("shopify", "customer", "S-1", "note", "aaa", time.Now), new EchoFingerprint("shopify", "customer", "S-1", "email", "bbb", time.Now)]);
        time.Advance(TimeSpan.FromMinutes(1));
        await guard.RecordAsync([new EchoFingerprint("shopify", "customer", "S-1", "note", "ccc", time.Now)]); // a newer write of the same field

        var recent = await guard.RecentAsync("shopify", "customer", "S-1");
        Assert.Equal(2, recent.Count);
        Assert.True(recent.Matches("note", "ccc", out _));
        Assert.False(recent.Matches("note", "aaa", out _));
        Assert.Equal(EchoSet.Empty, await guard.RecentAsync("shopify", "customer", "S-2"));

        Assert.True(recent.Matches("email", "bbb", out var echo));
        await guard.ConsumeAsync([echo]);
        Assert.False((await guard.RecentAsync("shopify", "customer", "S-1")).Matches("email", "bbb", out _));

        time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(0, (await guard.RecentAsync("shopify", "customer", "S-1")).Count); // expired
        await guard.RecordAsync([new EchoFingerprint("shopify", "customer", "S-3", "note", "ddd", time.Now)]);
        await using var connection = await database.OpenAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM integration.echo_fingerprint")); // expired rows purged on write
    }

    [Fact]
    public async Task A_flow_maps_a_shopify_order_webhook_to_an_erp_sales_order_with_Mappings_Apply()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("mappingsapply");
        var flows = Directory.CreateTempSubdirectory("flows-mappings-").FullName;
        await File.WriteAllTextAsync(Path.Combine(flows, "order-to-erp.json"), """
            {
              "definitionId": "order-to-erp", "version": 1,
              "variables": [ { "id": "Mapped", "name": "Mapped", "typeName": "Object" } ],
              "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "received", "type": "Shopify.WebhookReceived", "version": 1, "topic": "orders/create", "customProperties": { "canStartWorkflow": true } },
                  { "id": "map", "type": "Mappings.Apply", "version": 1,
                    "mapping": { "typeName": "String", "expression": { "type": "Literal", "value": "shopify-order__erp-sales-order" } },
                    "from": { "typeName": "String", "expression": { "type": "Literal", "value": "shopify" } },
                    "document": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "getInput('payload')" } },
                    "store": { "typeName": "String", "expression": { "type": "Literal", "value": "mappings-test.myshopify.com" } },
                    "values": { "typeName": "Object", "expression": { "type": "Object", "value": "{\"company\":\"EG01\",\"warehouse\":\"Cairo\",\"shippingIncomeAccount\":\"4150\",\"guestCustomer\":\"WALK-IN\"}" } },
                    "result": { "typeName": "Object", "memoryReference": { "id": "Mapped" } } },
                  { "id": "remember", "type": "Mappings.RecordWritten", "version": 1,
                    "result": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "getMapped()" } },
                    "targetId": { "typeName": "String", "expression": { "type": "Literal", "value": "SO-0001" } } },
                  { "id": "summary", "type": "Elsa.SetOutput", "version": 1, "outputName": "summary",
                    "outputValue": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "const m = getMapped(); m.document.customer + ' ' + m.document.source.id + ' ' + m.document.lines.length + ' lines ' + m.written.length + ' written'" } } }
                ],
                "connections": [
                  { "source": { "activity": "received", "port": "Done" }, "target": { "activity": "map", "port": "In" } },
                  { "source": { "activity": "map", "port": "Done" }, "target": { "activity": "remember", "port": "In" } },
                  { "source": { "activity": "remember", "port": "Done" }, "target": { "activity": "summary", "port": "In" } }
                ] } }
            """);
        await using var host = new TestHostFactory().WithWebHostBuilder(builder =>
        {
            builder.UseContentRoot(RepoPaths.Root);
            builder.UseSetting("DATABASE_URL", database.Url);
            builder.UseSetting("Flows:Directory", flows);
            builder.UseSetting("Connectors:Shopify:Stores:0:ShopDomain", ShopDomain);
            builder.UseSetting("Connectors:Shopify:Stores:0:AppSecret", ShopSecret);
        });
        using var client = host.CreateClient();

        var body = RepoPaths.Fixture("shopify/orders-create.shopify-docs-2026-04.json");
        (await client.SendAsync(SignedDelivery.Shopify(body, ShopSecret, ShopDomain))).EnsureSuccessStatusCode();

        string? summary = null;
        for (var i = 0; i < 150 && summary is null; i++)
        {
            await Task.Delay(100);
            await using var connection = await database.OpenAsync();
            summary = await connection.QuerySingleOrDefaultAsync<string?>("SELECT output->>'summary' FROM flows.instance WHERE definition_id = 'order-to-erp' AND status = 'Finished'");
        }

        Assert.Equal("WALK-IN 820982911946154508 6 lines 77 written", summary);
        await using var check = await database.OpenAsync();
        Assert.Equal(0, await check.ExecuteScalarAsync<long>("SELECT count(*) FROM integration.key_map")); // the table exists, migrated with the host
        // 77 written, less the 6 added-line markers: one fingerprint per field of the ERP order, for its echo.
        Assert.Equal(71, await check.ExecuteScalarAsync<long>("SELECT count(*) FROM integration.echo_fingerprint WHERE system = 'erp' AND entity = 'salesOrder' AND record_id = 'mappings-test.myshopify.com/SO-0001'"));
        Assert.Equal(1, await check.ExecuteScalarAsync<long>("SELECT count(*) FROM integration.echo_fingerprint WHERE field = 'lines[gid://shopify/LineItem/487817672276298554].qty'"));
    }
}
