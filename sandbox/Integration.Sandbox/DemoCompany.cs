using System.Globalization;
using System.Net;

namespace Integration.Sandbox;

/// <summary>
/// Seeds the demo company through the public ERP API, as an accountant setting up would: the default company EG01
/// (made by the host on first start, with its Egyptian retail chart) gets web cost centers, a marketing budget, an online
/// warehouse, item groups, fifty items with a retail price list and opening stock, and the walk-in customer.
/// Seeding an already seeded database changes nothing.
/// </summary>
public sealed class DemoCompany(HostApi api, TimeProvider time)
{
    public const string Company = DemoCatalogue.Company;

    /// <summary>The (id, name, parent, isGroup) cost centers added under the company's root.</summary>
    public static IReadOnlyList<(string Id, string Name, string Parent, bool IsGroup)> CostCenters { get; } =
    [
        ("WEB", "Web stores", Company, true),
        ("WEB-SHOPIFY", "Shopify store", "WEB", false),
        ("WEB-WOO", "WooCommerce store", "WEB", false),
        ("MARKETING", "Marketing", Company, false),
    ];

    /// <summary>True when it seeded; false when the database already held the demo company.</summary>
    public async Task<bool> SeedAsync(CancellationToken cancellationToken)
    {
        await WaitForCompanyAsync(cancellationToken);
        if (await SeededAsync(cancellationToken))
        {
            return false;
        }

        foreach (var (id, name, parent, isGroup) in CostCenters)
        {
            await api.PostAsync("/api/erp/cost-centers", new { company = Company, id, name, parent, isGroup }, cancellationToken);
        }

        var year = time.GetUtcNow().Year.ToString(CultureInfo.InvariantCulture);
        await api.PostAsync("/api/erp/budgets", new
        {
            company = Company, fiscalYear = year, costCenter = "MARKETING", account = "5230", annualAmount = 240_000m,
            annualAction = "Warn", monthlyAction = "Warn", warnThresholdPercent = 90m,
        }, cancellationToken);
        await api.PostAsync("/api/erp/warehouses", new
        {
            company = Company, id = DemoCatalogue.Warehouse, name = "Online fulfilment", parent = "ALL-WH", isGroup = false, stockAccount = "1160",
        }, cancellationToken);
        foreach (var (id, name) in DemoCatalogue.ItemGroups)
        {
            await api.PostAsync("/api/erp/item-groups", new { company = Company, id, name, parent = "ALL", isGroup = false }, cancellationToken);
        }

        await api.PostAsync("/api/erp/customers", new { company = Company, id = DemoCatalogue.GuestCustomer, name = "Walk-in and guest orders" }, cancellationToken);
        await api.PostAsync("/api/erp/price-lists", new { company = Company, id = DemoCatalogue.PriceList, name = "Retail (EGP)", currency = "EGP" }, cancellationToken);
        // A few at a time: fifty items and their prices are a hundred calls.
        await Parallel.ForEachAsync(DemoCatalogue.Items, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (item, ct) =>
        {
            await api.PostAsync("/api/erp/items", new { company = Company, sku = item.Sku, name = item.Name, itemGroup = item.ItemGroup }, ct);
            await api.PostAsync($"/api/erp/price-lists/{DemoCatalogue.PriceList}/prices", new { company = Company, sku = item.Sku, rate = item.Price }, ct);
        });

        await api.PostAsync("/api/erp/stock-entries", new
        {
            company = Company,
            purpose = "Receipt",
            postingDate = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            remarks = "Opening stock of the sandbox",
            idempotencyKey = "sandbox:opening-stock",
            lines = DemoCatalogue.Items.Select(i => new { sku = i.Sku, qty = i.OpeningStock, rate = i.Cost, warehouse = DemoCatalogue.Warehouse }).ToArray(),
        }, cancellationToken);
        return true;
    }

    // The host makes EG01 on its first start, just after it is ready.
    private async Task WaitForCompanyAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 120; attempt++)
        {
            var companies = await api.GetAsync("/api/erp/companies", cancellationToken);
            if (companies.EnumerateArray().Any(c => c.GetProperty("id").GetString() == Company))
            {
                return;
            }

            await Task.Delay(250, cancellationToken);
        }

        throw new InvalidOperationException($"The host made no company {Company}");
    }

    private async Task<bool> SeededAsync(CancellationToken cancellationToken)
    {
        try
        {
            await api.GetAsync($"/api/erp/items/{DemoCatalogue.Items[^1].Sku}?company={Company}", cancellationToken);
            return true;
        }
        catch (HttpRequestException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }
}
