using Dapper;
using Integration.Erp.Items;
using Integration.Erp.Prices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;

namespace Integration.Erp.Api;

internal sealed record CreatePriceListRequest(string? Company, string Id, string Name, string? Currency);

internal sealed record SetItemPriceRequest(string? Company, string Sku, decimal Rate, DateOnly? ValidFrom, DateOnly? ValidTo);

internal sealed record CreatePromotionRequest(
    string? Company, string Id, string Name, string Kind, decimal Value, IReadOnlyList<string>? Skus, IReadOnlyList<string>? ItemGroups,
    DateOnly ValidFrom, DateOnly ValidTo, decimal? MinQty, decimal? BuyQty, decimal? FreeQty, string? Channel, string? Currency);

internal sealed record EndPromotionRequest(string? Company, DateOnly LastDay);

internal sealed record EffectivePricesRequest(string? Company, IReadOnlyList<string> Skus, DateOnly? Date, string? Channel, decimal? Qty);

internal sealed record ReorderRuleRequest(string? Company, string Sku, string Warehouse, decimal Level, decimal Qty);

internal sealed record ImageRequest(string Url, string Checksum, string? AltText);

internal sealed record CreatePurchaseOrderRequest(string? Company, string Supplier, DateOnly OrderDate, IReadOnlyList<Purchasing.PurchaseOrderLine> Lines, long? PurchaseRequestId);

internal sealed record ReceivePurchaseOrderRequest(string? Company, DateOnly Date, IReadOnlyList<Purchasing.ReceiptLine> Lines, string? DeliveryNote = null);

/// <summary>Price lists, promotions, effective prices, reorder rules, purchase requests and item images under <c>/api/erp</c>.</summary>
internal static class PricingApi
{
    public static void MapPricing(RouteGroupBuilder erp)
    {
        erp.MapPost("/price-lists", async (NpgsqlDataSource db, PriceBook book, CreatePriceListRequest r) =>
        {
            var company = await CompanyAsync(db, r.Company);
            await book.CreatePriceListAsync(company, r.Id, r.Name, r.Currency ?? "EGP");
            return Results.Created($"/api/erp/price-lists/{r.Id}", new { company, r.Id, r.Name, currency = r.Currency ?? "EGP" });
        }).WithTags("Prices").WithName("CreatePriceList").WithSummary("Adds a selling price list in a currency.");
        erp.MapPost("/price-lists/{priceList}/prices", async (NpgsqlDataSource db, PriceBook book, string priceList, SetItemPriceRequest r) =>
        {
            await book.SetPriceAsync(await CompanyAsync(db, r.Company), priceList, r.Sku, r.Rate, r.ValidFrom, r.ValidTo);
            return Results.NoContent();
        }).WithTags("Prices").WithName("SetItemPrice").WithSummary("Sets an item's price in a price list, optionally for a validity period.");
        erp.MapGet("/price-lists/{priceList}/effective", async (NpgsqlDataSource db, PriceBook book, TimeProvider time, string priceList, string sku, string? company, DateOnly? date, string? channel, decimal? qty) =>
            Results.Ok(await book.EffectiveAsync(await CompanyAsync(db, company), priceList, sku, date ?? DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), channel, qty ?? 1)))
            .WithTags("Prices").WithName("EffectivePrice").WithSummary("The price of an item for a channel on a date, with the best promotion and the date it next changes.");
        erp.MapPost("/price-lists/{priceList}/effective", async (NpgsqlDataSource db, PriceBook book, TimeProvider time, string priceList, EffectivePricesRequest r) =>
            Results.Ok(await book.EffectiveAsync(await CompanyAsync(db, r.Company), priceList, r.Skus ?? [], r.Date ?? DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), r.Channel, r.Qty ?? 1)))
            .WithTags("Prices").WithName("EffectivePrices")
            .WithSummary("The prices of many items at once, as EffectivePrice gives each, in one read; items without a price on the list that day are left out.");
        erp.MapPost("/promotions", async (NpgsqlDataSource db, PriceBook book, CreatePromotionRequest r) =>
        {
            var promotion = new Promotion(await CompanyAsync(db, r.Company), r.Id, r.Name, r.Kind, r.Value, r.Skus ?? [], r.ItemGroups ?? [], r.ValidFrom, r.ValidTo,
                r.MinQty ?? 0, r.BuyQty ?? 0, r.FreeQty ?? 0, r.Channel, r.Currency);
            return Results.Created($"/api/erp/promotions/{r.Id}", await book.CreatePromotionAsync(promotion));
        }).WithTags("Prices").WithName("CreatePromotion").WithSummary("Adds a promotion (percentage or amount off, or buy X get Y) on items or item groups for a date range.");
        erp.MapGet("/promotions", async (NpgsqlDataSource db, PriceBook book, string? company, DateOnly? on) =>
            Results.Ok(await book.PromotionsAsync(await CompanyAsync(db, company), on)))
            .WithTags("Prices").WithName("ListPromotions").WithSummary("A company's promotions; with on, those that apply that day.");
        erp.MapPost("/promotions/{id}/end", async (NpgsqlDataSource db, PriceBook book, string id, EndPromotionRequest r) =>
            Results.Ok(await book.EndPromotionAsync(await CompanyAsync(db, r.Company), id, r.LastDay)))
            .WithTags("Prices").WithName("EndPromotion")
            .WithSummary("Ends a promotion after a last day (before its first: withdrawn), and reprices its items in the stores; it only shortens.");

        erp.MapPost("/reorder-rules", async (NpgsqlDataSource db, ReorderRuleRequest r) =>
        {
            await using var connection = await db.OpenConnectionAsync();
            var company = await CompanyResolution.ResolveAsync(connection, r.Company);
            await connection.ExecuteAsync("""
                INSERT INTO erp.reorder_rule (company, sku, warehouse, level, qty) VALUES (@company, @Sku, @Warehouse, @Level, @Qty)
                ON CONFLICT (company, sku, warehouse) DO UPDATE SET level = excluded.level, qty = excluded.qty
                """, new { company, r.Sku, r.Warehouse, r.Level, r.Qty });
            return Results.NoContent();
        }).WithTags("Stock").WithName("SetReorderRule").WithSummary("Sets the reorder level and quantity of an item in a warehouse.");
        erp.MapGet("/purchase-requests", async (NpgsqlDataSource db, string? company, string? status, string? sku) =>
        {
            await using var connection = await db.OpenConnectionAsync();
            return Results.Ok(await connection.QueryAsync("""
                SELECT id, sku, warehouse, qty, status, reason, created_at AS "createdAt", closed_at AS "closedAt" FROM erp.purchase_request
                WHERE company = @company AND (@status::text IS NULL OR status = @status) AND (@sku::text IS NULL OR sku = @sku) ORDER BY id
                """, new { company = await CompanyResolution.ResolveAsync(connection, company), status, sku }));
        }).WithTags("Stock").WithName("ListPurchaseRequests").WithSummary("Purchase requests raised by reorder levels.");
        erp.MapPost("/purchase-requests/{id:long}/close", async (NpgsqlDataSource db, long id) =>
        {
            await using var connection = await db.OpenConnectionAsync();
            return await connection.ExecuteAsync("UPDATE erp.purchase_request SET status = 'Closed', closed_at = now() WHERE id = @id AND status = 'Open'", new { id }) == 1
                ? Results.NoContent()
                : throw new ErpRuleException("not-open", $"Purchase request {id} is not open.", 409);
        }).WithTags("Stock").WithName("ClosePurchaseRequest").WithSummary("Closes an open purchase request (a new one may then be raised).");

        erp.MapPost("/purchase-orders", async (NpgsqlDataSource db, Purchasing.PurchaseOrders orders, CreatePurchaseOrderRequest r, CancellationToken ct) =>
        {
            var order = await orders.CreateAsync(new Purchasing.PurchaseOrderRequest(await CompanyAsync(db, r.Company), r.Supplier, r.OrderDate, r.Lines ?? [], r.PurchaseRequestId), ct);
            return Results.Created($"/api/erp/purchase-orders/{order.Id}", order);
        }).WithTags("Stock").WithName("CreatePurchaseOrder").WithSummary("Orders from a supplier (optionally answering a purchase request); the quantities count as ordered.");
        erp.MapGet("/purchase-orders/{id:long}", async (Purchasing.PurchaseOrders orders, long id, CancellationToken ct) => Results.Ok(await orders.GetAsync(id, ct)))
            .WithTags("Stock").WithName("GetPurchaseOrder").WithSummary("A purchase order with what has been received.");
        erp.MapPost("/purchase-orders/{id:long}/receive", async (NpgsqlDataSource db, Purchasing.PurchaseOrders orders, long id, ReceivePurchaseOrderRequest r, CancellationToken ct) =>
                Results.Ok(await orders.ReceiveAsync(await CompanyAsync(db, r.Company), id, r.Date, r.Lines ?? [], ct, r.DeliveryNote)))
            .WithTags("Stock").WithName("ReceivePurchaseOrder").WithSummary("Receives order lines into stock at the order's rate, once per delivery note (or, without one, per lines, quantities and day).");

        erp.MapGet("/items/{sku}/images", async (NpgsqlDataSource db, string sku, string? company) =>
        {
            await using var connection = await db.OpenConnectionAsync();
            return Results.Ok(await ItemImages.ListAsync(connection, await CompanyResolution.ResolveAsync(connection, company), sku));
        }).WithTags("Items").WithName("ListItemImages").WithSummary("An item's (or variant's) images in order.");
        erp.MapPut("/items/{sku}/images", async (NpgsqlDataSource db, string sku, string? company, IReadOnlyList<ImageRequest> images) =>
        {
            await using var connection = await db.OpenConnectionAsync();
            return Results.Ok(await ItemImages.SetAsync(connection, await CompanyResolution.ResolveAsync(connection, company), sku,
                [.. images.Select(i => (i.Url, i.Checksum, i.AltText))]));
        }).WithTags("Items").WithName("SetItemImages").WithSummary("Sets an item's images in order (add, reorder, remove in one call).");
    }

    private static async Task<string> CompanyAsync(NpgsqlDataSource db, string? company)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await CompanyResolution.ResolveAsync(connection, company);
    }
}
