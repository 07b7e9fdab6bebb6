using System.Globalization;
using System.Text.Json;
using Dapper;
using Integration.Testing;

namespace Integration.EndToEnd.Tests.Shopify;

/// <summary>
/// What the ERP booked for one store's records (Shopify by default, or <paramref name="system"/> and <paramref name="store"/>),
/// read through its API and tables: documents, GL, stock.
/// </summary>
internal sealed class ErpBooks(TestHost host, string system = "shopify", string store = ShopifyStoreHost.Store)
{
    /// <summary>The one document of a type created from a Shopify order.</summary>
    public Task<JsonElement> DocumentAsync(ShopifyOrderPayload order, string docType) => DocumentAsync(docType, order.Id);

    /// <summary>The one document of a type created from a Shopify record (order, refund) of the test store.</summary>
    public async Task<JsonElement> DocumentAsync(string docType, long sourceId)
    {
        var id = await SingleAsync<long>("SELECT id FROM erp.sales_document WHERE doc_type = @docType AND source_system = @system AND source_store = @store AND source_id = @id",
            new { docType, system, store, id = sourceId.ToString(CultureInfo.InvariantCulture) });
        return await host.GetJsonAsync($"/api/erp/sales-documents/{id}");
    }

    /// <summary>The Nth supplementary invoice of an order: units an edit added after it was invoiced.</summary>
    public async Task<JsonElement> AddedInvoiceAsync(ShopifyOrderPayload order, int n = 1)
    {
        var id = await SingleAsync<long>("SELECT id FROM erp.sales_document WHERE doc_type = 'Sales Invoice' AND source_system = @system AND source_store = @store AND source_id = @id",
            new { system, store, id = $"{order.Id.ToString(CultureInfo.InvariantCulture)}:added:{n.ToString(CultureInfo.InvariantCulture)}" });
        return await host.GetJsonAsync($"/api/erp/sales-documents/{id}");
    }

    public Task<long> CountAsync(ShopifyOrderPayload order, string docType) => CountAsync(docType, order.Id);

    /// <summary>How many documents of a type the ERP holds for a store record.</summary>
    public Task<long> CountAsync(string docType, long sourceId) =>
        host.CountAsync("SELECT count(*) FROM erp.sales_document WHERE doc_type = @docType AND source_system = @system AND source_store = @store AND source_id = @id",
            new { docType, system, store, id = sourceId.ToString(CultureInfo.InvariantCulture) });

    public async Task<T> SingleAsync<T>(string sql, object parameters)
    {
        await using var connection = await host.OpenAsync();
        return Assert.Single((await connection.QueryAsync<T>(sql, parameters)).ToList());
    }

    public async Task<IReadOnlyList<JsonElement>> GlAsync(string voucherNo) =>
        [.. (await host.GetJsonAsync($"/api/erp/gl-entries?company=EG01&voucherNo={Uri.EscapeDataString(voucherNo)}")).EnumerateArray()];

    public static decimal Debit(IEnumerable<JsonElement> gl, string account) => gl.Where(e => e.GetProperty("account").GetString() == account).Sum(e => e.GetProperty("debit").GetDecimal());

    public static decimal Credit(IEnumerable<JsonElement> gl, string account) => gl.Where(e => e.GetProperty("account").GetString() == account).Sum(e => e.GetProperty("credit").GetDecimal());

    public static decimal Sum(IEnumerable<JsonElement> gl, string side) => gl.Sum(e => e.GetProperty(side).GetDecimal());

    public async Task<decimal> StockMovedAsync(string sku, string voucherNo)
    {
        await using var connection = await host.OpenAsync();
        return await connection.ExecuteScalarAsync<decimal>("SELECT coalesce(sum(qty_change), 0) FROM erp.stock_ledger_entry WHERE sku = @sku AND voucher_no = @voucherNo", new { sku, voucherNo });
    }

    public async Task<decimal> ReservedAsync(string sku) => (await BalanceAsync(sku)).GetProperty("reservedQty").GetDecimal();

    public async Task<decimal> ActualAsync(string sku) => (await BalanceAsync(sku)).GetProperty("actualQty").GetDecimal();

    private async Task<JsonElement> BalanceAsync(string sku) => (await host.GetJsonAsync($"/api/erp/stock-balances?company=EG01&sku={sku}&warehouse=MAIN-WH"))[0];
}
