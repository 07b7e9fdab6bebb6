using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Integration.Connectors.Eta.Canonical;
using Integration.Connectors.Eta.Receipts;
using Integration.Testing;

namespace Integration.Connectors.Eta.Tests.Receipts;

public sealed partial class ReceiptBuilderTests
{
    private static readonly DateTimeOffset Issued = new(2024, 5, 1, 13, 15, 30, TimeSpan.FromHours(3));

    private static readonly ReceiptHeaderValues Header = new(Issued, "SHOP-1001", "");

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private static EtaSellerOptions Seller(string? deliveryMode = "FC", Dictionary<string, string>? chargeCodes = null) => new()
    {
        ChargeCodes = chargeCodes ?? [],
        Store = "shopify/main",
        Device = "SHOPIFY-POS-01",
        Rin = "123456789",
        CompanyTradeName = "متجر تجريبي",
        BranchCode = "0",
        BranchAddress = new EtaAddressOptions { Country = "EG", Governate = "Cairo", RegionCity = "Nasr City", Street = "1 Test St", BuildingNumber = "1" },
        ActivityCode = "4791",
        ItemCodes = new Dictionary<string, string> { ["SKU-1"] = "EG-123456789-SKU1", ["SKU-2"] = "EG-123456789-SKU2" },
        OrderDeliveryMode = deliveryMode,
    };

    private static ReceiptDocument Document(IReadOnlyList<ReceiptDocumentLine> lines, string docType = "Sales Invoice", bool taxesIncluded = false,
        string currency = "EGP", decimal exchangeRate = 1) =>
        new(1, "ACME", docType, "SINV-0001", "Walk-in", currency, exchangeRate, taxesIncluded, lines.Sum(l => l.NetAmount), lines.Sum(l => l.TaxAmount),
            lines.Sum(l => l.NetAmount + l.TaxAmount), null, "shopify", "main", "1001", lines);

    private static ReceiptSource FixtureSource() => new(
        Document([
            new ReceiptDocumentLine(1, "SKU-1", "قميص قطن", 2, 250, 50, 450, 14, 63),
            new ReceiptDocumentLine(2, "SKU-2", "Cotton socks", 1, 99.99m, 0, 99.99m, 14, 14m),
        ]),
        OrderName: "#1001",
        PaymentMethod: "V");

    private static ReceiptSource Single(decimal net, decimal qty = 1, ReceiptBuyer? buyer = null, string currency = "EGP", decimal exchangeRate = 1) =>
        new(Document([new ReceiptDocumentLine(1, "SKU-1", "Item", qty, net / qty, 0, net, 0, 0)], currency: currency, exchangeRate: exchangeRate), buyer);

    [Fact]
    public void A_rate_worked_out_from_rounded_amounts_is_declared_at_the_rate_in_force()
    {
        // WooCommerce: an item of 10.00 with VAT included is 8.77 + 1.23, which the order mapping gives as 14.03 %.
        var source = new ReceiptSource(Document([new ReceiptDocumentLine(1, "SKU-1", "Mug", 1, 8.77m, 0, 8.77m, 14.03m, 1.23m)]));

        var item = ReceiptBuilder.Build(source, Seller(), Header)["itemData"]![0]!;

        var tax = item["taxableItems"]![0]!;
        Assert.Equal("14", Raw(tax["rate"]));
        Assert.Equal("1.2278", Raw(tax["amount"])); // 8.77 x 14 %: ETA checks T1 = netSale x rate
        Assert.Equal("9.9978", Raw(item["total"]));
    }

    [Theory]
    [InlineData("0.88", "0.12", "13.64")] // 0.88 x 14 % = 0.1232
    [InlineData("0.75", "0.11", "14.67")] // 0.105, rounded away from zero
    [InlineData("2.10", "0.29", "13.81")]
    [InlineData("0.30", "0.05", "14.44")] // a return of one unit of 3 x 0.30 taxed 0.13 (14.44 %): its share of the tax rounded on its own
    public void A_cheap_lines_rate_worked_out_from_its_rounded_tax_is_declared_at_the_rate_that_gives_that_tax(string net, string tax, string derived)
    {
        static decimal D(string s) => decimal.Parse(s, System.Globalization.CultureInfo.InvariantCulture);
        var source = new ReceiptSource(Document([new ReceiptDocumentLine(1, "SKU-1", "Sticker", 1, D(net), 0, D(net), D(derived), D(tax))]));

        var tax0 = ReceiptBuilder.Build(source, Seller(), Header)["itemData"]![0]!["taxableItems"]![0]!;

        Assert.Equal("14", Raw(tax0["rate"]));
    }

    [Fact]
    public void A_rate_no_vat_rate_explains_is_declared_as_it_is()
    {
        // 1.25 of tax on 10.00 is 12.5 %: neither 14 % (1.40) nor 5 % (0.50) gives it, so it is not bent to one.
        var source = new ReceiptSource(Document([new ReceiptDocumentLine(1, "SKU-1", "Mug", 1, 10m, 0, 10m, 12.5m, 1.25m)]));

        Assert.Equal("12.5", Raw(ReceiptBuilder.Build(source, Seller(), Header)["itemData"]![0]!["taxableItems"]![0]!["rate"]));
    }

    [Fact]
    public void A_line_without_sku_is_coded_by_its_income_account_where_the_seller_names_one_else_as_shipping()
    {
        var source = new ReceiptSource(Document([
            new ReceiptDocumentLine(1, "SKU-1", "Mug", 1, 100m, 0, 100m, 14, 14m),
            new ReceiptDocumentLine(2, null, "Standard", 1, 50m, 0, 50m, 14, 7m, IncomeAccount: "4200"),
            new ReceiptDocumentLine(3, null, "Refund without goods", 1, 10m, 0, 10m, 14, 1.40m, IncomeAccount: "4300"),
        ], docType: "Sales Return"));
        var seller = Seller(chargeCodes: new Dictionary<string, string> { ["4300"] = "ADJUSTMENT" });

        var items = ReceiptBuilder.Build(source, seller, Header with { ReferenceUuid = "ref" })["itemData"]!.AsArray();

        Assert.Equal(["SKU-1", "SHIPPING", "ADJUSTMENT"], items.Select(i => (string?)i!["internalCode"]));
        Assert.Equal("EG-123456789-ADJUSTMENT", (string?)items[2]!["itemCode"]);
    }

    [Fact]
    public void The_fixture_sale_is_rebuilt_with_the_same_amounts()
    {
        var fixture = JsonNode.Parse(RepoPaths.Fixture("eta/receipt-chain-1-sale.json"))!.AsObject();

        var receipt = JsonNode.Parse(EtaJson.Write(ReceiptBuilder.Build(FixtureSource(), Seller(), Header)))!.AsObject();

        string[] lineAmounts = ["quantity", "unitPrice", "netSale", "totalSale", "total", "valueDifference"];
        var expectedItems = fixture["itemData"]!.AsArray();
        var items = receipt["itemData"]!.AsArray();
        Assert.Equal(expectedItems.Count, items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            foreach (var name in lineAmounts)
            {
                Assert.Equal(Raw(expectedItems[i]![name]), Raw(items[i]![name]));
            }

            foreach (var name in new[] { "internalCode", "description", "itemType", "itemCode", "unitType" })
            {
                Assert.Equal(expectedItems[i]![name]!.GetValue<string>(), items[i]![name]!.GetValue<string>());
            }

            Assert.Equal(Raw(expectedItems[i]!["commercialDiscountData"]?[0]?["amount"]), Raw(items[i]!["commercialDiscountData"]?[0]?["amount"]));
            var expectedTax = expectedItems[i]!["taxableItems"]![0]!;
            var tax = items[i]!["taxableItems"]![0]!;
            foreach (var name in new[] { "taxType", "amount", "subType", "rate" })
            {
                Assert.Equal(Raw(expectedTax[name]), Raw(tax[name]));
            }
        }

        foreach (var name in new[] { "totalSales", "totalCommercialDiscount", "totalItemsDiscount", "netAmount", "feesAmount", "totalAmount", "paymentMethod", "adjustment" })
        {
            Assert.Equal(Raw(fixture[name]), Raw(receipt[name]));
        }

        Assert.Equal(Raw(fixture["taxTotals"]), Raw(receipt["taxTotals"]));
        Assert.Equal(626.9886m, ReceiptBuilder.TotalAmount(receipt));
    }

    [Fact]
    public void Fields_come_in_the_fixture_order_and_absent_optionals_are_omitted()
    {
        var receipt = ReceiptBuilder.Build(FixtureSource(), Seller(), Header);
        var fixture = JsonNode.Parse(RepoPaths.Fixture("eta/receipt-chain-1-sale.json"))!.AsObject();

        Assert.Equal(Names(fixture), Names(receipt));
        // The fixture also carries fields we do not send (an empty referenceOldUUID, weights, empty buyer fields).
        Assert.Equal(Names(fixture["header"]!).Except(["referenceOldUUID", "grossWeight", "netWeight"]), Names(receipt["header"]!));
        Assert.Equal(Names(fixture["seller"]!).Except(["syndicateLicenseNumber"]), Names(receipt["seller"]!));
        Assert.Equal(Names(fixture["seller"]!["branchAddress"]!), Names(receipt["seller"]!["branchAddress"]!));
        Assert.Equal(["type"], Names(receipt["buyer"]!));
        Assert.Equal(Names(fixture["itemData"]![1]!), Names(receipt["itemData"]![1]!));
        Assert.Equal(["internalCode", "description", "itemType", "itemCode", "unitType", "quantity", "unitPrice", "netSale", "totalSale", "total",
            "commercialDiscountData", "valueDifference", "taxableItems"], Names(receipt["itemData"]![0]!));
        Assert.Equal(["amount", "description"], Names(receipt["itemData"]![0]!["commercialDiscountData"]![0]!));

        var header = receipt["header"]!;
        Assert.Equal("2024-05-01T10:15:30Z", header["dateTimeIssued"]!.GetValue<string>());
        Assert.Equal("", header["uuid"]!.GetValue<string>());
        Assert.Equal("0", Raw(header["exchangeRate"]));
        Assert.Equal("FC", header["orderdeliveryMode"]!.GetValue<string>());
        Assert.Equal("SHOPIFY-POS-01", receipt["seller"]!["deviceSerialNumber"]!.GetValue<string>());
        Assert.DoesNotContain("null", EtaJson.Write(receipt), StringComparison.Ordinal);
        // The issuer hashes what the builder made.
        Assert.Matches("^[0-9a-f]{64}$", EtaUuid.Compute(EtaJson.Write(receipt)));
    }

    [Fact]
    public void The_source_deserializes_from_the_erp_api_json_of_a_sales_document()
    {
        const string json = """
            {"document":{"id":7,"company":"ACME","docType":"Sales Invoice","docNo":"SINV-0007","customer":"Walk-in","postingDate":"2024-05-01",
             "status":"Posted","currency":"EGP","exchangeRate":1,"taxesIncluded":false,"netTotal":450,"taxTotal":63,"grandTotal":513,"outstanding":0,
             "againstId":null,"voucherId":3,"warehouse":"Main","updateStock":true,"carrier":null,"trackingNo":null,"sourceSystem":"shopify",
             "sourceStore":"main","sourceId":"1001","warnings":[],
             "lines":[{"lineNo":1,"sku":"SKU-1","description":"Shirt","qty":2,"rate":250,"discountAmount":50,"netAmount":450,"taxRate":14,
               "taxAmount":63,"incomeAccount":"4100","costCenter":null,"warehouse":"Main","cogsAmount":100,"returnedQty":0,"sourceLineId":"11"}]},
             "orderName":"#1001","paymentMethod":"V"}
            """;

        var source = JsonSerializer.Deserialize<ReceiptSource>(json, Web)!;
        var receipt = ReceiptBuilder.Build(source, Seller(), Header);

        Assert.Equal("SKU-1", source.Document.Lines[0].Sku);
        Assert.Equal(513m, ReceiptBuilder.TotalAmount(receipt));
        Assert.Equal(source, JsonSerializer.Deserialize<ReceiptSource>(JsonSerializer.Serialize(source, EtaJson.Options), EtaJson.Options)!, new SourceComparer());
    }

    [Fact]
    public void The_equations_hold_exactly_for_random_documents()
    {
        var random = new Random(20240501);
        decimal[] taxRates = [0, 5, 14];
        for (var n = 0; n < 200; n++)
        {
            var taxesIncluded = random.Next(2) == 0;
            var inputs = Enumerable.Range(0, random.Next(1, 6)).Select(_ => (
                Qty: random.Next(4) == 0 ? random.Next(1, 40) / 8m : random.Next(1, 20) * 2 - 1,
                Rate: random.Next(1, 5_000_000) / 1000m,
                Discount: random.Next(3) == 0 ? random.Next(0, 100) / 10m : 0m,
                TaxRate: taxRates[random.Next(3)],
                Sku: random.Next(6) == 0 ? null : $"SKU {random.Next(100)}/x")).ToList();
            var lines = ErpPrice(inputs, random.Next(3) == 0 ? random.Next(0, 50) : 0, taxesIncluded);
            // Identified, as large random totals pass 150,000 EGP.
            var source = new ReceiptSource(Document(lines, taxesIncluded: taxesIncluded), new ReceiptBuyer(Id: "29001011234567", Name: "Buyer"), PaymentMethod: "C");

            var text = EtaJson.Write(ReceiptBuilder.Build(source, Seller(), Header));

            using var parsed = JsonDocument.Parse(text);
            AssertNormalizedNumbers(parsed.RootElement);
            AssertEquations(parsed.RootElement, lines, taxesIncluded);
        }
    }

    [Fact]
    public void Arabic_is_written_unescaped_and_quotes_and_backslashes_are_stripped()
    {
        var source = new ReceiptSource(Document([new ReceiptDocumentLine(1, "SKU-1", "قميص \"قطن\" 10\\20\n", 1, 10, 0, 10, 14, 1.4m)]),
            new ReceiptBuyer(Name: "أحمد \"علي\""), OrderName: "#10\"01\\");

        var text = EtaJson.Write(ReceiptBuilder.Build(source, Seller(), Header));

        Assert.Contains("\"companyTradeName\":\"متجر تجريبي\"", text, StringComparison.Ordinal);
        Assert.Contains("\"description\":\"قميص قطن 1020\"", text, StringComparison.Ordinal);
        Assert.Contains("\"name\":\"أحمد علي\"", text, StringComparison.Ordinal);
        Assert.Contains("\"sOrderNameCode\":\"#1001\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\\", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_person_buyer_needs_id_and_name_from_150000_egp()
    {
        Assert.Equal(149_999.99m, ReceiptBuilder.TotalAmount(ReceiptBuilder.Build(Single(149_999.99m), Seller(), Header)));

        var refused = Assert.Throws<ReceiptRefusedException>(() => ReceiptBuilder.Build(Single(150_000m), Seller(), Header));
        Assert.Equal("buyer-id-required", refused.Code);
        Assert.Contains("150,000", refused.Message, StringComparison.Ordinal);
        Assert.Contains("id", refused.Message, StringComparison.Ordinal);

        var named = ReceiptBuilder.Build(Single(150_000m, buyer: new ReceiptBuyer(Id: "29001011234567", Name: "Ahmed Ali")), Seller(), Header);
        Assert.Equal(["type", "id", "name"], Names(named["buyer"]!));
        Assert.Equal("P", named["buyer"]!["type"]!.GetValue<string>());

        // A foreign-currency total counts in EGP.
        Assert.Equal("buyer-id-required", Assert.Throws<ReceiptRefusedException>(() =>
            ReceiptBuilder.Build(Single(3_000m, currency: "USD", exchangeRate: 50m), Seller(), Header)).Code);
    }

    [Fact]
    public void A_business_buyer_needs_id_and_name_at_any_amount()
    {
        var refused = Assert.Throws<ReceiptRefusedException>(() => ReceiptBuilder.Build(Single(10m, buyer: new ReceiptBuyer("B", Name: "ACME")), Seller(), Header));
        Assert.Equal("buyer-id-required", refused.Code);

        var receipt = ReceiptBuilder.Build(Single(10m, buyer: new ReceiptBuyer("B", "123456789", "ACME", MobileNumber: "01000000000")), Seller(), Header);
        Assert.Equal(["type", "id", "name", "mobileNumber"], Names(receipt["buyer"]!));
    }

    [Fact]
    public void A_return_references_the_sale_and_has_positive_quantities()
    {
        var source = new ReceiptSource(Document([
            new ReceiptDocumentLine(1, "SKU-1", "Shirt", -2, 250, 0, -450, 14, -63),
            new ReceiptDocumentLine(2, null, "Shipping", -1, 50, 0, -50, 14, -7),
        ], docType: "Sales Return"), OrderName: "#1001");
        var sale = new string('a', 64);

        var receipt = ReceiptBuilder.Build(source, Seller(), Header with { ReferenceUuid = sale, ReferenceOldUuid = new string('b', 64) });

        Assert.Equal("r", receipt["documentType"]!["receiptType"]!.GetValue<string>());
        Assert.Equal(["dateTimeIssued", "receiptNumber", "uuid", "previousUUID", "referenceOldUUID", "referenceUUID", "currency", "exchangeRate", "sOrderNameCode"],
            Names(receipt["header"]!));
        Assert.Equal(sale, receipt["header"]!["referenceUUID"]!.GetValue<string>());
        var items = receipt["itemData"]!.AsArray();
        Assert.Equal(["2", "1"], items.Select(i => Raw(i!["quantity"])));
        Assert.Equal("50", Raw(items[0]!["commercialDiscountData"]![0]!["amount"]));
        Assert.Equal("SHIPPING", items[1]!["internalCode"]!.GetValue<string>());
        Assert.Equal("EG-123456789-SHIPPING", items[1]!["itemCode"]!.GetValue<string>());
        Assert.Equal(570m, ReceiptBuilder.TotalAmount(receipt));

        Assert.Equal("no-reference", Assert.Throws<ReceiptRefusedException>(() => ReceiptBuilder.Build(source, Seller(), Header)).Code);
    }

    [Fact]
    public void A_document_without_quantities_is_refused()
    {
        var source = new ReceiptSource(Document([new ReceiptDocumentLine(1, "SKU-1", "Shirt", 0, 250, 0, 0, 14, 0)]));

        Assert.Equal("no-lines", Assert.Throws<ReceiptRefusedException>(() => ReceiptBuilder.Build(source, Seller(), Header)).Code);
    }

    [Fact]
    public void A_sale_over_etas_line_limit_merges_the_lines_of_one_item_at_one_price_and_is_refused_when_still_over()
    {
        // 300 items sold as 2 lines each (a store that lists each unit on its own line): 300 once merged.
        var split = Enumerable.Range(0, 2 * ReceiptBuilder.MaxLines)
            .Select(i => new ReceiptDocumentLine(i + 1, $"SKU-{i / 2}", $"Item {i / 2}", 1, 10, i % 2, 10 - (i % 2), 14, Math.Round((10 - (i % 2)) * 0.14m, 2)))
            .Append(new ReceiptDocumentLine(601, "SKU-0", "Item 0", 1, 10, 0, 10, 14, 1.4m))
            .ToList();

        var items = ReceiptBuilder.Build(new ReceiptSource(Document(split)), Seller(), Header)["itemData"]!.AsArray();

        Assert.Equal(ReceiptBuilder.MaxLines, items.Count);
        Assert.Equal("3", Raw(items[0]!["quantity"])); // SKU-0 twice from the pair and once more at the end
        Assert.Equal("30", Raw(items[0]!["totalSale"]));
        Assert.Equal("1", Raw(items[0]!["commercialDiscountData"]![0]!["amount"]));
        Assert.Equal("29", Raw(items[0]!["netSale"]));
        Assert.Equal("4.06", Raw(items[0]!["taxableItems"]![0]!["amount"]));

        // At or under the limit every line stays as the document has it.
        var underLimit = split.Take(ReceiptBuilder.MaxLines).ToList();
        Assert.Equal(ReceiptBuilder.MaxLines, ReceiptBuilder.Build(new ReceiptSource(Document(underLimit)), Seller(), Header)["itemData"]!.AsArray().Count);

        // Lines merged keep the rate each declares: ten stickers of 0.88 with 0.12 of VAT (13.64 % worked out) are 14 %.
        var stickers = Enumerable.Range(0, 10).Select(i => new ReceiptDocumentLine(i + 1, "STICKER", "Sticker", 1, 0.88m, 0, 0.88m, 13.64m, 0.12m))
            .Concat(Enumerable.Range(0, ReceiptBuilder.MaxLines - 5).Select(i => new ReceiptDocumentLine(i + 11, $"SKU-{i}", "Item", 1, 10, 0, 10, 14, 1.4m)))
            .ToList();
        var sticker = ReceiptBuilder.Build(new ReceiptSource(Document(stickers)), Seller(), Header)["itemData"]!.AsArray()
            .Single(i => i!["internalCode"]!.GetValue<string>() == "STICKER")!;
        Assert.Equal("10", Raw(sticker["quantity"]));
        Assert.Equal("14", Raw(sticker["taxableItems"]![0]!["rate"]));
        Assert.Equal("1.232", Raw(sticker["taxableItems"]![0]!["amount"]));

        var distinct = Enumerable.Range(0, ReceiptBuilder.MaxLines + 1).Select(i => new ReceiptDocumentLine(i + 1, $"SKU-{i}", "Item", 1, 10, 0, 10, 14, 1.4m)).ToList();
        var refused = Assert.Throws<ReceiptRefusedException>(() => ReceiptBuilder.Build(new ReceiptSource(Document(distinct)), Seller(), Header));
        Assert.Equal("too-many-lines", refused.Code);
        Assert.Contains("301 lines", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Item_codes_come_from_the_format_with_the_sku_cleaned()
    {
        var source = new ReceiptSource(Document([new ReceiptDocumentLine(1, "TS/red 42_x-1", null, 1, 10, 0, 10, 14, 1.4m)]));

        var item = ReceiptBuilder.Build(source, Seller(), Header)["itemData"]![0]!;

        Assert.Equal("TS/red 42_x-1", item["internalCode"]!.GetValue<string>());
        Assert.Equal("TS/red 42_x-1", item["description"]!.GetValue<string>());
        Assert.Equal("EG-123456789-TSred42x-1", item["itemCode"]!.GetValue<string>());
    }

    [Fact]
    public void A_foreign_currency_keeps_its_rate_and_sales_without_delivery_mode_omit_it()
    {
        var receipt = ReceiptBuilder.Build(Single(100m, currency: "USD", exchangeRate: 48.123456m), Seller(deliveryMode: null), Header);

        Assert.Equal("USD", receipt["header"]!["currency"]!.GetValue<string>());
        Assert.Equal("48.12346", Raw(receipt["header"]!["exchangeRate"]));
        Assert.Null(receipt["header"]!["orderdeliveryMode"]);
    }

    [Theory]
    [InlineData("V", "V")]
    [InlineData("CC", "CC")]
    [InlineData("GC", "GC")]
    [InlineData("visa", "O")]
    [InlineData("", "O")]
    [InlineData(null, "O")]
    public void Unknown_payment_methods_fall_back_to_the_sellers_default(string? given, string expected)
    {
        var receipt = ReceiptBuilder.Build(Single(10m) with { PaymentMethod = given }, Seller(), Header);

        Assert.Equal(expected, receipt["paymentMethod"]!.GetValue<string>());
        Assert.Equal("C", ReceiptBuilder.Build(Single(10m) with { PaymentMethod = "x" }, new EtaSellerOptions
        {
            Rin = "123456789",
            Device = "D",
            BranchAddress = new EtaAddressOptions(),
            DefaultPaymentMethod = "C",
        }, Header)["paymentMethod"]!.GetValue<string>());
    }

    [Fact]
    public void The_qr_content_follows_the_faq_example_to_the_second()
    {
        using var example = JsonDocument.Parse(RepoPaths.Fixture("eta/qr-faq-example.json"));
        var inputs = example.RootElement.GetProperty("inputs");
        var issued = DateTimeOffset.Parse(inputs.GetProperty("dateTimeIssuedUtc").GetString()!, CultureInfo.InvariantCulture);

        var content = ReceiptQr.Content(inputs.GetProperty("portalBaseUrl").GetString()! + "/", inputs.GetProperty("uuid").GetString()!, issued,
            decimal.Parse(inputs.GetProperty("total").GetString()!, CultureInfo.InvariantCulture), inputs.GetProperty("issuerRin").GetString()!);

        // The FAQ prints minutes and the total as typed; we print seconds and the normalized total the receipt carries.
        var expected = example.RootElement.GetProperty("expected").GetString()!
            .Replace("T02:00Z", "T02:00:00Z", StringComparison.Ordinal).Replace("Total:1000.000", "Total:1000", StringComparison.Ordinal);
        Assert.Equal(expected, content);
        Assert.Matches(QrPattern(), content);
    }

    /// <summary>The ERP's pricing (SalesPricing, 2 decimals): line discounts, the document discount spread, tax per line.</summary>
    [Fact]
    public void A_gift_card_sold_is_a_prepayment_left_off_the_receipt_and_a_document_of_only_gift_cards_has_no_items()
    {
        var tshirt = new ReceiptDocumentLine(1, "TSHIRT-BLU-M", "T-shirt", 1, 250, 0, 250, 14, 35, "4100");
        var giftCard = new ReceiptDocumentLine(2, null, "Gift card 500", 1, 500, 0, 500, 0, 0, "2130");

        var receipt = ReceiptBuilder.Build(new ReceiptSource(Document([tshirt, giftCard])), Seller(), Header);

        var item = Assert.Single(receipt["itemData"]!.AsArray());
        Assert.Equal("TSHIRT-BLU-M", (string?)item!["internalCode"]);
        Assert.Equal(285m, ReceiptBuilder.TotalAmount(receipt));
        Assert.Empty(ReceiptBuilder.Items(Document([giftCard]), Seller()));
        var refused = Assert.Throws<ReceiptRefusedException>(() => ReceiptBuilder.Build(new ReceiptSource(Document([giftCard])), Seller(), Header));
        Assert.Equal("no-lines", refused.Code);
    }

    private static List<ReceiptDocumentLine> ErpPrice(List<(decimal Qty, decimal Rate, decimal Discount, decimal TaxRate, string? Sku)> inputs, decimal documentDiscount, bool taxesIncluded)
    {
        var amounts = inputs.Select(l => Math.Round((l.Qty * l.Rate) - l.Discount, 2, MidpointRounding.AwayFromZero)).ToList();
        var sum = amounts.Sum();
        documentDiscount = Math.Min(documentDiscount, sum / 2);
        var given = 0m;
        var lines = new List<ReceiptDocumentLine>();
        for (var i = 0; i < inputs.Count; i++)
        {
            var share = i == inputs.Count - 1 ? documentDiscount - given : Math.Round(documentDiscount * amounts[i] / sum, 2, MidpointRounding.AwayFromZero);
            given += share;
            var gross = amounts[i] - share;
            var l = inputs[i];
            var net = taxesIncluded ? Math.Round(gross / (1 + (l.TaxRate / 100m)), 2, MidpointRounding.AwayFromZero) : gross;
            var tax = taxesIncluded ? gross - net : Math.Round(net * l.TaxRate / 100m, 2, MidpointRounding.AwayFromZero);
            lines.Add(new ReceiptDocumentLine(i + 1, l.Sku, l.Sku is null ? "Shipping" : "Item", l.Qty, l.Rate, l.Discount + share, net, l.TaxRate, tax));
        }

        return lines;
    }

    private static void AssertEquations(JsonElement receipt, List<ReceiptDocumentLine> lines, bool taxesIncluded)
    {
        var items = receipt.GetProperty("itemData").EnumerateArray().ToList();
        Assert.Equal(lines.Count, items.Count);
        var (totalSales, commercial, itemDiscounts, net, total) = (0m, 0m, 0m, 0m, 0m);
        var taxes = new Dictionary<string, decimal>();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var line = lines[i];
            var quantity = Number(item, "quantity");
            var unitPrice = Number(item, "unitPrice");
            var totalSale = Number(item, "totalSale");
            var netSale = Number(item, "netSale");
            var valueDifference = Number(item, "valueDifference");
            var lineCommercial = Sum(item, "commercialDiscountData");
            var lineItemDiscount = Sum(item, "itemDiscountData");
            var taxable = item.GetProperty("taxableItems").EnumerateArray().ToList();

            Assert.Equal(line.Qty, quantity);
            Assert.Equal(taxesIncluded ? EtaAmount.Round(line.Rate / (1 + (line.TaxRate / 100m))) : line.Rate, unitPrice);
            Assert.Equal(EtaAmount.Round(quantity * unitPrice), totalSale);
            Assert.Equal(totalSale - lineCommercial, netSale);
            Assert.True(lineCommercial >= 0);
            // The receipt's net is the ERP's net but for the ERP's 2-decimal rounding of the line amount.
            Assert.True(Math.Abs(netSale - line.NetAmount) < 0.01m, $"netSale {netSale} vs ERP {line.NetAmount}");
            foreach (var tax in taxable)
            {
                Assert.Equal("T1", tax.GetProperty("taxType").GetString());
                Assert.Equal(line.TaxRate, Number(tax, "rate"));
                Assert.Equal(EtaAmount.Round((netSale + valueDifference) * Number(tax, "rate") / 100m), Number(tax, "amount"));
                taxes[tax.GetProperty("taxType").GetString()!] = taxes.GetValueOrDefault(tax.GetProperty("taxType").GetString()!) + Number(tax, "amount");
            }

            Assert.Equal(netSale + taxable.Sum(t => Number(t, "amount")) - lineItemDiscount, Number(item, "total"));
            totalSales += totalSale;
            commercial += lineCommercial;
            itemDiscounts += lineItemDiscount;
            net += netSale;
            total += Number(item, "total");
        }

        Assert.Equal(totalSales, Number(receipt, "totalSales"));
        Assert.Equal(commercial, Number(receipt, "totalCommercialDiscount"));
        Assert.Equal(itemDiscounts, Number(receipt, "totalItemsDiscount"));
        Assert.Equal(net, Number(receipt, "netAmount"));
        Assert.Equal(0m, Number(receipt, "feesAmount"));
        Assert.Equal(total - Sum(receipt, "extraReceiptDiscountData"), Number(receipt, "totalAmount"));
        Assert.Equal(taxes, receipt.GetProperty("taxTotals").EnumerateArray().ToDictionary(t => t.GetProperty("taxType").GetString()!, t => Number(t, "amount")));
    }

    private static void AssertNormalizedNumbers(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    AssertNormalizedNumbers(property.Value);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    AssertNormalizedNumbers(item);
                }

                break;
            case JsonValueKind.Number:
                Assert.Matches(NormalizedNumber(), element.GetRawText());
                break;
            case JsonValueKind.Null:
                Assert.Fail("A receipt never holds null.");
                break;
        }
    }

    private static decimal Number(JsonElement element, string name) => element.GetProperty(name).GetDecimal();

    private static decimal Sum(JsonElement element, string array) =>
        element.TryGetProperty(array, out var items) ? items.EnumerateArray().Sum(d => Number(d, "amount")) : 0m;

    private static string? Raw(JsonNode? node) => node?.ToJsonString(EtaJson.Options);

    private static List<string> Names(JsonNode node) => [.. node.AsObject().Select(p => p.Key)];

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]{0,4}[1-9])?$")]
    private static partial Regex NormalizedNumber();

    [GeneratedRegex(@"^https?://[^/]+/receipts/search/[0-9a-f]{64}/share/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z#Total:\d+(\.\d{1,5})?,IssuerRIN:\d{9}$")]
    private static partial Regex QrPattern();

    /// <summary>Records compare their lists by reference; a round trip compares them item by item.</summary>
    private sealed class SourceComparer : IEqualityComparer<ReceiptSource>
    {
        public bool Equals(ReceiptSource? x, ReceiptSource? y) =>
            x is not null && y is not null && x with { Document = x.Document with { Lines = [] } } == y with { Document = y.Document with { Lines = [] } }
            && x.Document.Lines.SequenceEqual(y.Document.Lines);

        public int GetHashCode(ReceiptSource obj) => obj.Document.Id.GetHashCode();
    }
}
