using System.Text.Json;
using Dapper;
using Integration.Erp.Items;
using Integration.Erp.Reports;
using Integration.Erp.Stock;
using Integration.Erp.Warehouses;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;

namespace Integration.Erp.Api;

internal sealed record CreateItemGroupRequest(string? Company, string Id, string Name, string? Parent, bool IsGroup, string? IncomeAccount, string? CogsAccount, string? StockAccount, string? CostCenter);

internal sealed record CreateItemRequest(
    string? Company, string Sku, string Name, string? ItemGroup, string? Uom, string? Description, bool? IsStockItem, string? ValuationMethod,
    bool? IsTemplate, string? TemplateSku, Dictionary<string, JsonElement>? Attributes, IReadOnlyList<string>? Barcodes, string? Status = null);

/// <summary>A partial change of an item: members left out (or null) stay as they are; attributes and barcodes replace the whole set.</summary>
internal sealed record UpdateItemRequest(string? Name, string? Description, string? ItemGroup, Dictionary<string, JsonElement>? Attributes, IReadOnlyList<string>? Barcodes);

internal sealed record ItemStatusRequest(string Status);

internal sealed record CreateWarehouseRequest(string? Company, string Id, string Name, string? Parent, bool IsGroup, string? StockAccount);

internal sealed record PostStockEntryRequest(string? Company, string Purpose, DateOnly PostingDate, IReadOnlyList<StockEntryLine> Lines, string? CounterAccount, string? Remarks, string? IdempotencyKey);

internal sealed record CompanySettingsRequest(bool? AllowNegativeStock, string? ReceivableAccount = null, string? OutputTaxAccount = null);

/// <summary>Items, warehouses, stock entries and stock balances under <c>/api/erp</c>.</summary>
internal static class StockApi
{
    private static string ItemStatus(string? status) => status?.Trim() switch
    {
        null or "" or Item.Active => Item.Active,
        Item.OnHold => Item.OnHold,
        _ => throw new ErpRuleException("invalid-status", "Status is Active or On hold.", 400),
    };

    // A sales account setting names a ledger account of the company, of the role it plays, that postings can use.
    private static async Task RequireAccountAsync(NpgsqlConnection connection, string company, string? account, string accountType, string rootType, string setting)
    {
        if (account is not null && !await connection.ExecuteScalarAsync<bool>("""
                SELECT EXISTS (SELECT 1 FROM erp.account WHERE company = @company AND id = @account AND account_type = @accountType AND root_type = @rootType
                    AND NOT is_group AND NOT disabled)
                """, new { company, account, accountType, rootType }))
        {
            throw new ErpRuleException("invalid-account", $"{setting} '{account}' is no {accountType} {rootType.ToLowerInvariant()} ledger account of {company} that postings can use (not a group, not disabled).", 400);
        }
    }

    public static void MapStock(RouteGroupBuilder erp)
    {
        erp.MapPatch("/companies/{id}", async (NpgsqlDataSource db, string id, CompanySettingsRequest request) =>
        {
            await using var connection = await db.OpenConnectionAsync();
            await RequireAccountAsync(connection, id, request.ReceivableAccount, "Receivable", "Asset", "receivableAccount");
            await RequireAccountAsync(connection, id, request.OutputTaxAccount, "Tax", "Liability", "outputTaxAccount");
            await connection.ExecuteAsync("""
                UPDATE erp.company SET allow_negative_stock = coalesce(@AllowNegativeStock, allow_negative_stock),
                    receivable_account = coalesce(@ReceivableAccount, receivable_account), output_tax_account = coalesce(@OutputTaxAccount, output_tax_account)
                WHERE id = @id
                """, new { id, request.AllowNegativeStock, request.ReceivableAccount, request.OutputTaxAccount });
            return Results.Ok(await Companies.CompanyStore.GetAsync(connection, id));
        }).WithTags("ERP setup").WithName("UpdateCompanySettings")
            .WithSummary("Company settings: `allowNegativeStock`, and the `receivableAccount` and `outputTaxAccount` sales documents post to from then on.");

        var groups = erp.MapGroup("/item-groups").WithTags("Items");
        groups.MapGet("/", async (NpgsqlDataSource db, string? company) =>
        {
            await using var connection = await db.OpenConnectionAsync();
            return Results.Ok(await ItemStore.ListGroupsAsync(connection, await CompanyResolution.ResolveAsync(connection, company)));
        }).WithName("ListItemGroups").WithSummary("The item group tree with default accounts and cost centers.");
        groups.MapPost("/", async (NpgsqlDataSource db, CreateItemGroupRequest r) =>
        {
            await using var connection = await db.OpenConnectionAsync();
            var group = new ItemGroup(await CompanyResolution.ResolveAsync(connection, r.Company), r.Id, r.Name, r.Parent, r.IsGroup, r.IncomeAccount, r.CogsAccount, r.StockAccount, r.CostCenter);
            await ItemStore.CreateGroupAsync(connection, null, group);
            return Results.Created($"/api/erp/item-groups/{group.Id}", group);
        }).WithName("CreateItemGroup").WithSummary("Adds an item group; unset accounts and cost center are inherited from its parents.");

        var items = erp.MapGroup("/items").WithTags("Items");
        items.MapGet("/", async (NpgsqlDataSource db, string? company, string? status, string? itemGroup) =>
        {
            await using var connection = await db.OpenConnectionAsync();
            return Results.Ok(await ItemStore.ListAsync(connection, await CompanyResolution.ResolveAsync(connection, company), status, itemGroup));
        }).WithName("ListItems").WithSummary("Items, optionally by status (Active, On hold) or item group.");
        items.MapGet("/{sku}", async (NpgsqlDataSource db, string sku, string? company) =>
        {
            await using var connection = await db.OpenConnectionAsync();
            var resolved = await CompanyResolution.ResolveAsync(connection, company);
            return await ItemStore.GetAsync(connection, resolved, sku) is { } item
                ? Results.Ok(item)
                : throw ErpRuleException.NotFound("unknown-item", $"No item '{sku}' in {resolved}.");
        }).WithName("GetItem").WithSummary("One item by SKU.");
        items.MapPost("/", async (NpgsqlDataSource db, CreateItemRequest r) =>
        {
            await using var connection = await db.OpenConnectionAsync();
            var item = await ItemStore.CreateAsync(connection, new Item(await CompanyResolution.ResolveAsync(connection, r.Company), r.Sku, r.Name,
                r.ItemGroup ?? (r.TemplateSku is null ? "PRODUCTS" : ""), r.Uom ?? "Nos", r.Description, ItemStatus(r.Status), r.IsStockItem ?? true, r.ValuationMethod ?? Valuation.MovingAverage,
                r.IsTemplate ?? false, r.TemplateSku, r.Attributes ?? [], r.Barcodes ?? []));
            return Results.Created($"/api/erp/items/{item.Sku}", item);
        }).WithName("CreateItem").WithSummary("Adds an item (or a template, or a variant of one, in its template's item group unless `itemGroup` says otherwise), Active unless `status` says On hold; SKU and barcodes are unique.");
        items.MapPatch("/{sku}", async (NpgsqlDataSource db, string sku, string? company, UpdateItemRequest r) =>
        {
            await using var connection = await db.OpenConnectionAsync();
            return Results.Ok(await ItemStore.UpdateAsync(connection, await CompanyResolution.ResolveAsync(connection, company), sku,
                new ItemChanges(r.Name, r.Description, r.ItemGroup, r.Attributes, r.Barcodes)));
        }).WithName("UpdateItem").WithSummary("Changes an item's name, description, item group, attributes or barcodes (only those given); the stores hear of it only when something changed.");
        items.MapPost("/{sku}/status", async (NpgsqlDataSource db, string sku, string? company, ItemStatusRequest r) =>
        {
            await using var connection = await db.OpenConnectionAsync();
            return Results.Ok(await ItemStore.SetStatusAsync(connection, await CompanyResolution.ResolveAsync(connection, company), sku, r.Status));
        }).WithName("SetItemStatus").WithSummary("Puts an item On hold (not sold, not offered as available) or makes it Active.");

        var warehouses = erp.MapGroup("/warehouses").WithTags("Stock");
        warehouses.MapGet("/", async (NpgsqlDataSource db, string? company) =>
        {
            await using var connection = await db.OpenConnectionAsync();
            return Results.Ok(await WarehouseStore.ListAsync(connection, await CompanyResolution.ResolveAsync(connection, company)));
        }).WithName("ListWarehouses").WithSummary("The warehouse tree with stock accounts.");
        warehouses.MapPost("/", async (NpgsqlDataSource db, CreateWarehouseRequest r) =>
        {
            await using var connection = await db.OpenConnectionAsync();
            var warehouse = new Warehouse(await CompanyResolution.ResolveAsync(connection, r.Company), r.Id, r.Name, r.Parent, r.IsGroup, r.StockAccount);
            await WarehouseStore.CreateAsync(connection, null, warehouse);
            return Results.Created($"/api/erp/warehouses/{warehouse.Id}", warehouse);
        }).WithName("CreateWarehouse").WithSummary("Adds a warehouse (a store or branch) with its stock account.");

        var entries = erp.MapGroup("/stock-entries").WithTags("Stock");
        entries.MapPost("/", async (NpgsqlDataSource db, StockEntries stock, PostStockEntryRequest r, CancellationToken ct) =>
        {
            string company;
            await using (var connection = await db.OpenConnectionAsync(ct))
            {
                company = await CompanyResolution.ResolveAsync(connection, r.Company);
            }

            var (entry, existed) = await stock.PostAsync(new StockEntryRequest(company, r.Purpose, r.PostingDate, r.Lines ?? [], r.CounterAccount, r.Remarks), r.IdempotencyKey, ct);
            return existed ? Results.Ok(entry) : Results.Created($"/api/erp/stock-entries/{entry.Id}", entry);
        }).WithName("PostStockEntry").WithSummary("Posts a stock receipt, issue, transfer or reconciliation with its stock ledger and GL; idempotent on `idempotencyKey`.");
        entries.MapGet("/{id:long}", async (StockEntries stock, long id, CancellationToken ct) => Results.Ok(await stock.GetAsync(id, ct)))
            .WithName("GetStockEntry").WithSummary("A stock entry with its stock ledger rows and GL entries.");

        erp.MapGet("/stock-balances", async (NpgsqlDataSource db, string? company, string? sku, string? warehouse) =>
        {
            await using var connection = await db.OpenConnectionAsync();
            return Results.Ok(await StockLedger.BalancesAsync(connection, await CompanyResolution.ResolveAsync(connection, company), sku, warehouse));
        }).WithTags("Stock").WithName("StockBalances").WithSummary("Actual, reserved, ordered, projected and available-to-promise quantities with value, per item and warehouse.");

        erp.MapGet("/stock-changes", async (NpgsqlDataSource db, StockFeed feed, string? company, long? since, string? cursor, int? limit, CancellationToken ct) =>
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            return Results.Ok(await feed.ChangesAsync(await CompanyResolution.ResolveAsync(connection, company), since ?? 0, cursor, limit ?? 250, null, ct));
        }).WithTags("Stock").WithName("StockChanges")
            .WithSummary("Balances changed since a watermark (0: all), a page at a time: follow `cursor` to the end, then keep `watermark` for the next call.");

        erp.MapGet("/reports/stock-ledger", async (HttpResponse response, NpgsqlDataSource db, string? company, string? sku, string? warehouse, DateOnly? from, DateOnly? to,
            string? format, int? limit, long? after, CancellationToken ct) =>
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            var size = Math.Clamp(limit ?? 1000, 1, 10_000);
            var rows = await StockLedger.QueryAsync(connection, await CompanyResolution.ResolveAsync(connection, company), sku, warehouse, from, to, size, after, ct);
            if (rows.Count == size)
            {
                // A full page: there may be more, after its last row.
                response.Headers["X-Next-After"] = rows[^1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return format == "csv"
                ? Results.Text(Csv.Write(rows, ("sku", r => r.Sku), ("warehouse", r => r.Warehouse), ("posting_date", r => r.PostingDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
                    ("voucher_no", r => r.VoucherNo), ("qty_change", r => r.QtyChange), ("qty_after", r => r.QtyAfter), ("incoming_rate", r => r.IncomingRate),
                    ("valuation_rate", r => r.ValuationRate), ("stock_value", r => r.StockValue), ("value_change", r => r.ValueChange)), "text/csv")
                : Results.Ok(rows);
        }).WithTags("Reports").WithName("StockLedgerReport")
            .WithSummary("Stock ledger rows by item, warehouse and dates, `limit` (default 1,000, at most 10,000) a page; a full page's `X-Next-After` header is the `after` of the next.");

        erp.MapGet("/reports/stock-balance", async (NpgsqlDataSource db, string? company, string? warehouse, string? format) =>
        {
            await using var connection = await db.OpenConnectionAsync();
            var rows = await StockLedger.BalancesAsync(connection, await CompanyResolution.ResolveAsync(connection, company), null, warehouse);
            return format == "csv"
                ? Results.Text(Csv.Write(rows, ("sku", r => r.Sku), ("warehouse", r => r.Warehouse), ("actual_qty", r => r.ActualQty), ("projected_qty", r => r.ProjectedQty),
                    ("valuation_rate", r => r.ValuationRate), ("stock_value", r => r.StockValue)), "text/csv")
                : Results.Ok(rows);
        }).WithTags("Reports").WithName("StockBalanceReport").WithSummary("Stock balance and value per item and warehouse.");
    }
}
