using System.Globalization;
using System.Text.Json.Nodes;
using Integration.Connectors.Eta.Canonical;

namespace Integration.Connectors.Eta.Receipts;

/// <summary>
/// Builds an ETA e-receipt (v1.2) from an ERP sales document, in the field order of the reference receipts, every number
/// rounded once by <see cref="EtaAmount"/>, absent optional fields omitted (never null). Pure: no I/O, no clock.
/// </summary>
public static class ReceiptBuilder
{
    public const string TypeVersion = "1.2";

    /// <summary>Person buyers need an id and name from this total (EGP, v1.2).</summary>
    public const decimal PersonIdThresholdEgp = 150_000m;

    /// <summary>ETA refuses a receipt of more item lines (two third-party sources agree; not confirmed on preprod).</summary>
    public const int MaxLines = 300;

    private const int OrderNameMaxLength = 200;

    private static readonly HashSet<string> PaymentMethods = ["C", "V", "CC", "VC", "VO", "PR", "GC", "P", "O"];

    /// <summary>
    /// The receipt with <c>header.uuid = ""</c> in place (the issuer hashes it and writes the uuid there).
    /// </summary>
    /// <exception cref="ReceiptRefusedException">The document holds data ETA would refuse.</exception>
    public static JsonObject Build(ReceiptSource source, EtaSellerOptions seller, ReceiptHeaderValues header)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(seller);
        ArgumentNullException.ThrowIfNull(header);

        var document = source.Document;
        var isReturn = document.DocType switch
        {
            ReceiptDocument.SalesInvoice => false,
            ReceiptDocument.SalesReturn => true,
            _ => throw new ReceiptRefusedException("doc-type", $"Document {document.DocNo} is a {document.DocType}; only sales invoices and sales returns get receipts."),
        };
        if (isReturn && string.IsNullOrWhiteSpace(header.ReferenceUuid))
        {
            throw new ReceiptRefusedException("no-reference", $"Return {document.DocNo} needs the uuid of the original sale's receipt (referenceUUID).");
        }

        IReadOnlyList<ReceiptDocumentLine> lines = Items(document, seller);
        if (lines.Count == 0)
        {
            throw new ReceiptRefusedException("no-lines", $"Document {document.DocNo} has no sold line with a quantity (prepayments such as gift cards are left off); ETA refuses a receipt without items.");
        }

        if (lines.Count > MaxLines)
        {
            lines = Merged(lines, document.TaxesIncluded);
        }

        if (lines.Count > MaxLines)
        {
            throw new ReceiptRefusedException("too-many-lines",
                $"Document {document.DocNo} has {lines.Count} lines, even with the lines of one item at one price merged; ETA accepts at most {MaxLines} per receipt and would refuse it. Issue this sale on the portal by hand, in parts.");
        }

        var amounts = lines.Select(l => ReceiptLineAmounts.Of(l, document.TaxesIncluded)).ToList();
        var currency = string.IsNullOrWhiteSpace(document.Currency) ? "EGP" : document.Currency.Trim().ToUpperInvariant();
        var isEgp = currency == "EGP";
        var exchangeRate = isEgp ? 0m : EtaAmount.Round(document.ExchangeRate);
        var totalAmount = EtaAmount.Round(amounts.Sum(a => a.Total));

        var receipt = new JsonObject
        {
            ["header"] = Header(source, seller, header, isReturn, currency, exchangeRate),
            ["documentType"] = new JsonObject { ["receiptType"] = isReturn ? "r" : "s", ["typeVersion"] = TypeVersion },
            ["seller"] = Seller(seller),
            ["buyer"] = Buyer(source.Buyer, isEgp ? totalAmount : totalAmount * document.ExchangeRate),
            ["itemData"] = new JsonArray([.. lines.Select((l, i) => Item(l, amounts[i], seller))]),
            ["totalSales"] = Number(amounts.Sum(a => a.TotalSale)),
            ["totalCommercialDiscount"] = Number(amounts.Sum(a => a.CommercialDiscount)),
            ["totalItemsDiscount"] = Number(amounts.Sum(a => a.ItemDiscount)),
            ["netAmount"] = Number(amounts.Sum(a => a.NetSale)),
            ["feesAmount"] = Number(0m),
            // Σ total − Σ extraReceiptDiscountData: no receipt-level discounts are produced.
            ["totalAmount"] = Number(totalAmount),
            ["taxTotals"] = new JsonArray([.. amounts.GroupBy(_ => "T1").Select(g => new JsonObject { ["taxType"] = g.Key, ["amount"] = Number(g.Sum(a => a.TaxAmount)) })]),
            ["paymentMethod"] = source.PaymentMethod is { } method && PaymentMethods.Contains(method) ? method : seller.DefaultPaymentMethod,
            ["adjustment"] = Number(0m),
        };
        return receipt;
    }

    /// <summary>The lines a receipt reports: those with a quantity, less prepayments (<see cref="EtaSellerOptions.PrepaidAccounts"/>).</summary>
    public static IReadOnlyList<ReceiptDocumentLine> Items(ReceiptDocument document, EtaSellerOptions seller) =>
        [.. document.Lines.Where(l => l.Qty != 0 && !(l.IncomeAccount is { } account && seller.PrepaidAccounts.Contains(account)))];

    /// <summary>The receipt's <c>totalAmount</c> as written.</summary>
    public static decimal TotalAmount(JsonObject receipt)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        return receipt["totalAmount"]?.GetValue<decimal>() ?? throw new FormatException("The receipt has no totalAmount.");
    }

    // Only a receipt over the limit is merged: every other receipt keeps the document's lines one for one. Lines merge
    // by the VAT rate each declares (a store's rate worked out from rounded amounts, 13.64 %, is 14 % on its line), and
    // the merged line carries that rate, not one worked out again from summed amounts.
    private static List<ReceiptDocumentLine> Merged(IReadOnlyList<ReceiptDocumentLine> lines, bool taxesIncluded) =>
    [
        .. lines
            .Select(l => l with { TaxRate = ReceiptLineAmounts.Of(l, taxesIncluded).TaxRate })
            .GroupBy(l => (Sku: l.Sku?.Trim(), l.Description, l.Rate, l.TaxRate, l.IncomeAccount, Return: l.Qty < 0))
            .Select(g => g.Skip(1).Aggregate(g.First(), (sum, l) => sum with
            {
                Qty = sum.Qty + l.Qty,
                DiscountAmount = sum.DiscountAmount + l.DiscountAmount,
                NetAmount = sum.NetAmount + l.NetAmount,
                TaxAmount = sum.TaxAmount + l.TaxAmount,
            })),
    ];

    /// <summary>The one way a number enters the receipt: rounded, stored as a decimal so the JSON text is normalized.</summary>
    internal static JsonValue Number(decimal value) => JsonValue.Create(EtaAmount.Round(value));

    internal static string IssueTime(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static JsonObject Header(ReceiptSource source, EtaSellerOptions seller, ReceiptHeaderValues values, bool isReturn, string currency, decimal exchangeRate)
    {
        var header = new JsonObject
        {
            ["dateTimeIssued"] = IssueTime(values.DateTimeIssued),
            ["receiptNumber"] = values.ReceiptNumber,
            ["uuid"] = "",
            ["previousUUID"] = values.PreviousUuid,
        };
        if (!string.IsNullOrEmpty(values.ReferenceOldUuid))
        {
            header["referenceOldUUID"] = values.ReferenceOldUuid;
        }

        if (isReturn)
        {
            header["referenceUUID"] = values.ReferenceUuid;
        }

        header["currency"] = currency;
        header["exchangeRate"] = Number(exchangeRate);
        var orderName = ReceiptText.Clean(source.OrderName, OrderNameMaxLength);
        if (orderName.Length > 0)
        {
            header["sOrderNameCode"] = orderName;
        }

        if (!isReturn && !string.IsNullOrEmpty(seller.OrderDeliveryMode))
        {
            header["orderdeliveryMode"] = seller.OrderDeliveryMode;
        }

        return header;
    }

    private static JsonObject Seller(EtaSellerOptions seller)
    {
        var a = seller.BranchAddress;
        var address = new JsonObject
        {
            ["country"] = a.Country,
            ["governate"] = ReceiptText.Clean(a.Governate),
            ["regionCity"] = ReceiptText.Clean(a.RegionCity),
            ["street"] = ReceiptText.Clean(a.Street),
            ["buildingNumber"] = ReceiptText.Clean(a.BuildingNumber),
        };
        AddWhenSet(address, "postalCode", a.PostalCode);
        AddWhenSet(address, "floor", a.Floor);
        AddWhenSet(address, "room", a.Room);
        AddWhenSet(address, "landmark", a.Landmark);
        AddWhenSet(address, "additionalInformation", a.AdditionalInformation);

        var result = new JsonObject
        {
            ["rin"] = seller.Rin,
            ["companyTradeName"] = ReceiptText.Clean(seller.CompanyTradeName),
            ["branchCode"] = seller.BranchCode,
            ["branchAddress"] = address,
            // The POS device that issues the store's receipts (header posserial).
            ["deviceSerialNumber"] = seller.Device,
        };
        AddWhenSet(result, "syndicateLicenseNumber", seller.SyndicateLicenseNumber);
        result["activityCode"] = seller.ActivityCode;
        return result;
    }

    private static JsonObject Buyer(ReceiptBuyer? buyer, decimal totalEgp)
    {
        var type = string.IsNullOrWhiteSpace(buyer?.Type) ? "P" : buyer.Type.Trim().ToUpperInvariant();
        if (type is not ("P" or "B" or "F"))
        {
            throw new ReceiptRefusedException("buyer-type", $"Buyer type '{ReceiptText.Clean(type)}' is not one of P (person), B (business), F (foreigner).");
        }

        var id = ReceiptText.Clean(buyer?.Id);
        var name = ReceiptText.Clean(buyer?.Name);
        var identified = id.Length > 0 && name.Length > 0;
        if (!identified && type != "P")
        {
            throw new ReceiptRefusedException("buyer-id-required", $"A receipt to a {(type == "B" ? "business" : "foreign")} buyer (type {type}) needs the buyer's id and name; fill in both.");
        }

        if (!identified && totalEgp >= PersonIdThresholdEgp)
        {
            throw new ReceiptRefusedException("buyer-id-required",
                $"The receipt totals {totalEgp.ToString("#,0.#####", CultureInfo.InvariantCulture)} EGP; from 150,000 EGP ETA requires the buyer's id (14-digit national ID) and name. Fill in the buyer's id and name.");
        }

        var result = new JsonObject { ["type"] = type };
        AddWhenSet(result, "id", id);
        AddWhenSet(result, "name", name);
        AddWhenSet(result, "mobileNumber", buyer?.MobileNumber);
        AddWhenSet(result, "paymentNumber", buyer?.PaymentNumber);
        return result;
    }

    private static JsonObject Item(ReceiptDocumentLine line, ReceiptLineAmounts amounts, EtaSellerOptions seller)
    {
        var sku = string.IsNullOrWhiteSpace(line.Sku) ? null : line.Sku.Trim();
        // A line without SKU is a charge, coded by its income account (a fee, a refund adjustment), else as shipping.
        var internalCode = sku
            ?? (line.IncomeAccount is { } account && seller.ChargeCodes.TryGetValue(account, out var charge) ? charge : seller.ChargeCode);
        var description = ReceiptText.Clean(line.Description);
        var item = new JsonObject
        {
            ["internalCode"] = ReceiptText.Clean(internalCode),
            ["description"] = description.Length > 0 ? description : ReceiptText.Clean(internalCode),
            ["itemType"] = seller.ItemType,
            ["itemCode"] = ItemCode(internalCode, seller),
            ["unitType"] = seller.UnitType,
            ["quantity"] = Number(amounts.Quantity),
            ["unitPrice"] = Number(amounts.UnitPrice),
            ["netSale"] = Number(amounts.NetSale),
            ["totalSale"] = Number(amounts.TotalSale),
            ["total"] = Number(amounts.Total),
        };
        if (amounts.CommercialDiscount > 0)
        {
            item["commercialDiscountData"] = new JsonArray(new JsonObject { ["amount"] = Number(amounts.CommercialDiscount), ["description"] = "Discount" });
        }

        item["valueDifference"] = Number(amounts.ValueDifference);
        item["taxableItems"] = new JsonArray(new JsonObject
        {
            ["taxType"] = "T1",
            ["amount"] = Number(amounts.TaxAmount),
            ["subType"] = seller.VatSubType,
            ["rate"] = Number(amounts.TaxRate),
        });
        return item;
    }

    private static string ItemCode(string code, EtaSellerOptions seller) =>
        seller.ItemCodes.TryGetValue(code, out var registered)
            ? registered
            : seller.ItemCodeFormat.Replace("{rin}", seller.Rin, StringComparison.Ordinal).Replace("{sku}", ReceiptText.Code(code), StringComparison.Ordinal);

    private static void AddWhenSet(JsonObject target, string name, string? value)
    {
        var clean = ReceiptText.Clean(value);
        if (clean.Length > 0)
        {
            target[name] = clean;
        }
    }
}
