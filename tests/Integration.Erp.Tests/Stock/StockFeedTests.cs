using System.Net;
using System.Text.Json;
using Dapper;
using Integration.Testing;
using Microsoft.Extensions.DependencyInjection;
using static Integration.Erp.Tests.ErpHost;

namespace Integration.Erp.Tests.Stock;

/// <summary><c>GET /api/erp/stock-changes</c>: what the stores must be told, since the last time they were told.</summary>
public sealed class StockFeedTests(ErpHost erp) : IClassFixture<ErpHost>
{
    [Fact]
    public async Task The_feed_pages_every_balance_once_then_only_what_changed_and_an_item_on_hold_promises_nothing()
    {
        var company = await erp.NewCompanyAsync();
        foreach (var sku in new[] { "F-1", "F-2", "F-3" })
        {
            await Ok(erp.PostAsync("/api/erp/items", new { company, sku, name = sku, itemGroup = "PRODUCTS" }));
        }

        await Ok(erp.PostAsync("/api/erp/stock-entries", new
        {
            company, purpose = "Receipt", postingDate = On(5, 1),
            lines = new object[] { new { sku = "F-1", qty = 5, rate = 10, warehouse = "MAIN-WH" }, new { sku = "F-2", qty = 6, rate = 10, warehouse = "MAIN-WH" }, new { sku = "F-3", qty = 7, rate = 10, warehouse = "CAIRO-WH" } },
        }));

        var (all, watermark) = await ReadAllAsync(company, 0, pageSize: 2);
        Assert.Equal(["F-1@MAIN-WH:5", "F-2@MAIN-WH:6", "F-3@CAIRO-WH:7"], all);

        // Nothing changed since: at most a balance again (another test's transaction still open when the watermark was
        // taken makes the feed repeat rather than risk a skip), never a new value.
        Assert.Subset(all.ToHashSet(), (await ReadAllAsync(company, watermark, pageSize: 2)).Balances.ToHashSet());

        await Ok(erp.PostAsync("/api/erp/stock-entries", new { company, purpose = "Issue", postingDate = On(5, 2), lines = new object[] { new { sku = "F-2", qty = 2, warehouse = "MAIN-WH" } } }));
        await Ok(erp.PostAsync($"/api/erp/items/F-3/status?company={company}", new { status = "On hold" }));

        var (changed, next) = await ReadAllAsync(company, watermark, pageSize: 2);
        Assert.Contains("F-2@MAIN-WH:4", changed);
        Assert.Contains("F-3@CAIRO-WH:0", changed);
        Assert.Subset(all.Append("F-2@MAIN-WH:4").Append("F-3@CAIRO-WH:0").ToHashSet(), changed.ToHashSet());
        Assert.True(next >= watermark);
    }

    [Fact]
    public async Task A_change_still_uncommitted_while_the_feed_is_read_comes_in_the_next_read()
    {
        var company = await erp.NewCompanyAsync();
        await Ok(erp.PostAsync("/api/erp/items", new { company, sku = "SLOW", name = "SLOW", itemGroup = "PRODUCTS" }));
        await Ok(erp.PostAsync("/api/erp/stock-entries", new { company, purpose = "Receipt", postingDate = On(6, 1), lines = new object[] { new { sku = "SLOW", qty = 3, rate = 1, warehouse = "MAIN-WH" } } }));
        var (_, watermark) = await ReadAllAsync(company, 0, 250);

        // A transaction changes the bin and stays open while the feed is read: its change cannot be seen yet...
        await using var slow = await erp.OpenAsync();
        await using var transaction = await slow.BeginTransactionAsync();
        await slow.ExecuteAsync("UPDATE erp.bin SET actual_qty = 9 WHERE company = @company AND sku = 'SLOW'", new { company }, transaction);
        var (during, after) = await ReadAllAsync(company, watermark, 250);
        Assert.DoesNotContain("SLOW@MAIN-WH:9", during);
        await transaction.CommitAsync();

        // ...and the watermark that read handed out does not skip it.
        Assert.Equal(["SLOW@MAIN-WH:9"], (await ReadAllAsync(company, after, 250)).Balances);
    }

    [Fact]
    public async Task A_transaction_left_open_in_another_database_does_not_make_the_feed_repeat_itself()
    {
        var company = await erp.NewCompanyAsync();
        await Ok(erp.PostAsync("/api/erp/items", new { company, sku = "SHARED", name = "SHARED", itemGroup = "PRODUCTS" }));

        // Another database on the same server (a report, another tenant) holds a transaction id open throughout.
        await using var elsewhere = await TestPostgres.CreateDatabaseAsync("StockFeedNeighbour");
        await using var neighbour = await elsewhere.OpenAsync();
        await using var open = await neighbour.BeginTransactionAsync();
        await neighbour.ExecuteScalarAsync<string>("SELECT pg_current_xact_id()::text", transaction: open);

        await Ok(erp.PostAsync("/api/erp/stock-entries", new { company, purpose = "Receipt", postingDate = On(7, 1), lines = new object[] { new { sku = "SHARED", qty = 4, rate = 1, warehouse = "MAIN-WH" } } }));
        var (first, watermark) = await ReadAllAsync(company, 0, 250);
        Assert.Equal(["SHARED@MAIN-WH:4"], first);

        // The receipt committed before the read: it is not sent again although the neighbour's transaction is older.
        // (A transaction of this host's own database, running at that instant, may make one read repeat it; the
        // neighbour's stays open throughout, so with it holding the watermark back no read would come back empty.)
        var repeats = 0;
        for (var (balances, next) = await ReadAllAsync(company, watermark, 250); balances.Count > 0; (balances, next) = await ReadAllAsync(company, next, 250))
        {
            Assert.True(++repeats < 10, $"the feed keeps repeating {string.Join(", ", balances)}");
            await Task.Delay(100);
        }
        await open.RollbackAsync();
    }

    [Fact]
    public async Task Units_of_store_orders_the_ERP_has_not_booked_are_held_off_available_to_promise_never_below_zero()
    {
        var company = await erp.NewCompanyAsync();
        foreach (var sku in new[] { "H-1", "H-2" })
        {
            await Ok(erp.PostAsync("/api/erp/items", new { company, sku, name = sku, itemGroup = "PRODUCTS" }));
        }

        await Ok(erp.PostAsync("/api/erp/stock-entries", new
        {
            company, purpose = "Receipt", postingDate = On(8, 1),
            lines = new object[] { new { sku = "H-1", qty = 20, rate = 10, warehouse = "MAIN-WH" }, new { sku = "H-2", qty = 1, rate = 10, warehouse = "MAIN-WH" } },
        }));
        var (_, customer) = await erp.PostAsync("/api/erp/customers", new { company, id = "CUST-H", name = "Hoda Sami", email = "hoda@example.com" });
        // The ERP booked one store order (its sales order reserves 3): that one is counted by the reservation, never held too.
        await Ok(erp.PostAsync("/api/erp/sales-orders", new
        {
            company, customer = customer.GetProperty("id").GetString(), postingDate = On(8, 2), warehouse = "MAIN-WH",
            lines = new[] { new { sku = "H-1", qty = 3, rate = 50 } }, source = new { system = "shopify", store = "s", id = "booked" },
        }));
        // Another's sales order was cancelled (the store's order failed, then was paid): its units are held again.
        var (_, cancelledOrder) = await erp.PostAsync("/api/erp/sales-orders", new
        {
            company, customer = customer.GetProperty("id").GetString(), postingDate = On(8, 2), warehouse = "MAIN-WH",
            lines = new[] { new { sku = "H-1", qty = 1, rate = 50 } }, source = new { system = "shopify", store = "s", id = "cancelled" },
        });
        await Ok(erp.PostAsync($"/api/erp/sales-orders/{cancelledOrder.GetProperty("id").GetInt64()}/cancel", new { company }));
        // One invoiced (2 issued) and not credited: booked. Another invoiced (1 issued), then credited by its cancellation
        // (the store's order set active again): its units are held again.
        var credited = new Integration.Erp.Sales.DocumentSource("shopify", "s", "credited");
        foreach (var (id, qty) in new[] { ("invoiced", 2), ("credited", 1) })
        {
            var (_, invoice) = await erp.PostAsync("/api/erp/sales-invoices", new
            {
                company, customer = customer.GetProperty("id").GetString(), postingDate = On(8, 3), warehouse = "MAIN-WH",
                lines = new[] { new { sku = "H-1", qty, rate = 50 } }, source = new { system = "shopify", store = "s", id },
            });
            if (id == "credited")
            {
                await Ok(erp.PostAsync("/api/erp/sales-returns", new
                {
                    company, invoiceId = invoice.GetProperty("id").GetInt64(), postingDate = On(8, 4), restock = true,
                    lines = new[] { new { lineNo = 1, qty } }, source = new { system = "shopify", store = "s", id = "credited/cancel" },
                }));
            }
        }

        var booked = new Integration.Erp.Sales.DocumentSource("shopify", "s", "booked");
        var invoiced = new Integration.Erp.Sales.DocumentSource("shopify", "s", "invoiced");
        var cancelled = new Integration.Erp.Sales.DocumentSource("shopify", "s", "cancelled");
        var waiting = new Integration.Erp.Sales.DocumentSource("shopify", "s", "waiting");
        var elsewhere = new Integration.Erp.Sales.DocumentSource("woocommerce", "s", "booked");
        Integration.Erp.Stock.StoreOrderLine[] storeOrders =
        [
            new(booked, "H-1", "MAIN-WH", 3), new(waiting, "H-1", "MAIN-WH", 2), new(waiting, "H-2", "MAIN-WH", 5),
            new(elsewhere, "H-1", "MAIN-WH", 1), new(waiting, "H-1", "CAIRO-WH", 4), new(cancelled, "H-1", "MAIN-WH", 1),
            new(invoiced, "H-1", "MAIN-WH", 2), new(credited, "H-1", "MAIN-WH", 1),
        ];

        var feed = erp.Services.GetRequiredService<Integration.Erp.Stock.StockFeed>();
        var page = await feed.ChangesAsync(company, 0, null, 250, null, CancellationToken.None, storeOrders);

        // H-1: 20 received, 2 invoiced, 1 invoiced and returned: 18 on hand, 3 reserved, 2 + 1 + 1 + 1 held (the other store's
        // order of the same id is not the booked one); H-2: 1 - 5, shown as 0.
        Assert.Equal(["H-1@MAIN-WH:10", "H-2@MAIN-WH:0"], page.Balances.Select(b => $"{b.Sku}@{b.Warehouse}:{b.AvailableToPromise:0.##}"));
        Assert.Equal(5m, page.Held![("H-1", "MAIN-WH")]);
        Assert.Equal(5m, page.Held[("H-2", "MAIN-WH")]);
        Assert.Equal(18m, page.Balances[0].ActualQty);

        // The balances of given SKUs hold the same units (a product sync reads those of what it created again after its write).
        var of = await feed.BalancesOfAsync(company, ["H-1", "H-2"], null, CancellationToken.None, storeOrders);
        Assert.Equal(["H-1@MAIN-WH:10", "H-2@MAIN-WH:0"], of.Select(b => $"{b.Sku}@{b.Warehouse}:{b.AvailableToPromise:0.##}"));
        Assert.Equal(["H-1@MAIN-WH:15", "H-2@MAIN-WH:1"], (await feed.BalancesOfAsync(company, ["H-1", "H-2"], null, CancellationToken.None))
            .Select(b => $"{b.Sku}@{b.Warehouse}:{b.AvailableToPromise:0.##}"));
    }

    private async Task<(List<string> Balances, long Watermark)> ReadAllAsync(string company, long since, int pageSize)
    {
        var balances = new List<string>();
        string? cursor = null;
        long? watermark = null;
        do
        {
            var page = await erp.GetJsonAsync($"/api/erp/stock-changes?company={company}&since={since}&limit={pageSize}" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            foreach (var b in page.GetProperty("balances").EnumerateArray())
            {
                balances.Add($"{b.GetProperty("sku").GetString()}@{b.GetProperty("warehouse").GetString()}:{b.GetProperty("availableToPromise").GetDecimal():0.##}");
            }

            Assert.True(watermark is null || watermark == page.GetProperty("watermark").GetInt64(), "every page answers the first page's watermark");
            watermark = page.GetProperty("watermark").GetInt64();
            cursor = page.GetProperty("cursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("cursor").GetString();
        }
        while (cursor is not null);

        return (balances, watermark!.Value);
    }

    private static async Task Ok(Task<(HttpStatusCode Status, JsonElement Body)> call)
    {
        var (status, body) = await call;
        Assert.True((int)status is >= 200 and < 300, $"{(int)status}: {body}");
    }
}
