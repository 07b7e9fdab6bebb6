using System.Net;
using static Integration.Erp.Tests.ErpHost;

namespace Integration.Erp.Tests.Sales;

/// <summary>
/// Numbers past the millionth document: each is its prefix, year and whole id. (The id was cut to 6 characters, so ten
/// documents in a row shared one number and all but the first were refused.) This class's host has a database of its
/// own, so moving its sequences touches no other test.
/// </summary>
public sealed class DocumentNumberTests(ErpHost erp) : IClassFixture<ErpHost>
{
    [Fact]
    public async Task Invoices_vouchers_and_purchase_orders_past_the_millionth_keep_every_digit_of_their_number()
    {
        var company = await erp.NewCompanyAsync();
        var (_, customer) = await erp.PostAsync("/api/erp/customers", new { company, id = "CUST-1", name = "Mona Hassan" });
        await erp.ScalarAsync<long>("""
            SELECT setval(pg_get_serial_sequence('erp.sales_document', 'id'), 999998)
                 + setval(pg_get_serial_sequence('erp.voucher', 'id'), 999998)
                 + setval(pg_get_serial_sequence('erp.purchase_order', 'id'), 999998)
            """);

        var invoices = new List<(long Id, string DocNo)>();
        for (var i = 0; i < 12; i++)
        {
            var (status, invoice) = await erp.PostAsync("/api/erp/sales-invoices", new
            {
                company, customer = customer.GetProperty("id").GetString(), postingDate = On(5, 10),
                lines = new[] { new { qty = 1, rate = 50m + i, incomeAccount = "4200", description = "Gift wrapping" } },
                source = new { system = "shopify", store = "retail-eg.myshopify.com", id = $"numbers-{i}" },
            });
            Assert.True(status == HttpStatusCode.Created, $"invoice {i}: {(int)status} {invoice}");
            invoices.Add((invoice.GetProperty("id").GetInt64(), invoice.GetProperty("docNo").GetString()!));
        }

        Assert.All(invoices, d => Assert.Equal(d.Id < 1000000 ? $"SINV-{Year}-{d.Id:D6}" : $"SINV-{Year}-{d.Id}", d.DocNo));
        Assert.Contains(invoices, d => d.Id > 1000000);
        Assert.Equal(12, invoices.Select(d => d.DocNo).Distinct().Count());
        // Each invoice's GL voucher carries its document's number.
        Assert.Equal(12, await erp.CountAsync(
            "SELECT count(DISTINCT v.voucher_no) FROM erp.voucher v JOIN erp.sales_document d ON d.voucher_id = v.id AND v.voucher_no = d.doc_no WHERE d.company = @company",
            new { company }));

        var entries = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var entry = await erp.PostEntryOkAsync(company, On(5, 11), Debit("5250", 10m + i), Credit("1120", 10m + i));
            entries.Add(entry.GetProperty("voucherNo").GetString()!);
        }

        Assert.All(entries, n => Assert.Matches($"^JV-{Year}-1[0-9]{{6}}$", n));
        Assert.Equal(3, entries.Distinct().Count());

        await erp.PostAsync("/api/erp/items", new { company, sku = "SOAP", name = "Soap" });
        var orders = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var (status, order) = await erp.PostAsync("/api/erp/purchase-orders", new
            {
                company, supplier = "Nile Soap Co.", orderDate = On(3, 4), lines = new[] { new { sku = "SOAP", warehouse = "MAIN-WH", qty = 5m, rate = 4.5m } },
            });
            Assert.True(status == HttpStatusCode.Created, $"purchase order {i}: {(int)status} {order}");
            orders.Add(order.GetProperty("orderNo").GetString()!);
        }

        Assert.Equal([$"PO-{Year}-999999", $"PO-{Year}-1000000", $"PO-{Year}-1000001"], orders);
    }

    [Fact]
    public async Task A_customer_numbered_by_the_erp_never_takes_a_number_given_by_hand_and_keeps_every_digit()
    {
        var company = await erp.NewCompanyAsync();
        var (byHand, _) = await erp.PostAsync("/api/erp/customers", new { company, id = "CUST-000002", name = "Given by hand" });

        var (first, one) = await erp.PostAsync("/api/erp/customers", new { company, name = "Omar Adel" });
        var (second, two) = await erp.PostAsync("/api/erp/customers", new { company, name = "Sara Nabil" });
        await erp.PostAsync("/api/erp/customers", new { company, id = "CUST-999999", name = "The last six-digit number" });
        var (third, three) = await erp.PostAsync("/api/erp/customers", new { company, name = "Mona Hassan" });

        Assert.Equal(HttpStatusCode.Created, byHand);
        Assert.True(first == HttpStatusCode.Created, one.ToString());
        Assert.True(second == HttpStatusCode.Created, two.ToString());
        Assert.True(third == HttpStatusCode.Created, three.ToString());
        Assert.Equal("CUST-000003", one.GetProperty("id").GetString());
        Assert.Equal("CUST-000004", two.GetProperty("id").GetString());
        Assert.Equal("CUST-1000000", three.GetProperty("id").GetString());
    }
}
