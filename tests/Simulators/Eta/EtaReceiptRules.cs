using System.Globalization;
using System.Text.Json;

namespace Integration.Simulators.Eta;

/// <summary>
/// The portal's built-in asynchronous checks: line and receipt arithmetic (decimal), the buyer rules and the issue time.
/// Codes are the simulator's own (ETA publishes few); messages say what was expected.
/// </summary>
internal static class EtaReceiptRules
{
    private const decimal Tolerance = 0.00001m;
    private const decimal TaxTolerance = 0.0001m;
    private const decimal BuyerIdThreshold = 150000m;

    public static List<SimulatedEtaError> Check(JsonElement receipt, DateTimeOffset now)
    {
        var errors = new List<SimulatedEtaError>();
        decimal sumTotalSale = 0, sumNetSale = 0, sumTotal = 0;
        var items = Array(receipt, "itemData");
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var path = $"itemData[{i}]";
            var totalSale = Number(item, "totalSale");
            var netSale = Number(item, "netSale");
            var total = Number(item, "total");
            sumTotalSale += totalSale;
            sumNetSale += netSale;
            sumTotal += total;

            var expectedTotalSale = Number(item, "quantity") * Number(item, "unitPrice");
            Expect(errors, totalSale, expectedTotalSale, Tolerance, $"{path}.totalSale", "CV301", "totalSale must equal quantity x unitPrice");

            var expectedNetSale = totalSale - Sum(item, "commercialDiscountData");
            Expect(errors, netSale, expectedNetSale, Tolerance, $"{path}.netSale", "CV302", "netSale must equal totalSale minus the commercial discounts");

            var taxes = Array(item, "taxableItems");
            decimal taxSum = 0;
            for (var t = 0; t < taxes.Count; t++)
            {
                var amount = Number(taxes[t], "amount");
                taxSum += amount;
                if (Text(taxes[t], "taxType") == "T1")
                {
                    var expectedTax = (netSale + Number(item, "valueDifference")) * Number(taxes[t], "rate") / 100m;
                    Expect(errors, amount, expectedTax, TaxTolerance, $"{path}.taxableItems[{t}].amount", "CV303",
                        "T1 amount must equal (netSale + valueDifference) x rate / 100");
                }
            }

            var expectedTotal = netSale + taxSum - Sum(item, "itemDiscountData");
            Expect(errors, total, expectedTotal, Tolerance, $"{path}.total", "CV304", "total must equal netSale plus taxes minus item discounts");
        }

        Expect(errors, Number(receipt, "totalSales"), sumTotalSale, Tolerance, "totalSales", "CV310", "totalSales must equal the sum of itemData totalSale");
        Expect(errors, Number(receipt, "netAmount"), sumNetSale, Tolerance, "netAmount", "CV311", "netAmount must equal the sum of itemData netSale");
        var totalAmount = Number(receipt, "totalAmount");
        Expect(errors, totalAmount, sumTotal - Sum(receipt, "extraReceiptDiscountData"), Tolerance, "totalAmount", "CV312",
            "totalAmount must equal the sum of itemData total minus the extra receipt discounts");

        CheckBuyer(receipt, totalAmount, errors);
        CheckIssued(receipt, now, errors);
        return errors;
    }

    private static void CheckBuyer(JsonElement receipt, decimal totalAmount, List<SimulatedEtaError> errors)
    {
        var buyer = Child(receipt, "buyer");
        var type = Text(buyer, "type");
        if (type is not ("P" or "B" or "F"))
        {
            errors.Add(new("buyer.type", "CV320", $"buyer.type must be P, B or F, not '{type}'"));
            return;
        }

        var header = Child(receipt, "header");
        var currency = Text(header, "currency");
        var large = currency == "EGP" ? totalAmount >= BuyerIdThreshold : totalAmount * Number(header, "exchangeRate") >= BuyerIdThreshold;
        if (type != "P" || large)
        {
            var why = type == "P" ? "a person buying for 150,000 EGP or more" : $"buyer type {type}";
            if (string.IsNullOrWhiteSpace(Text(buyer, "id")))
            {
                errors.Add(new("buyer.id", "CV321", $"buyer.id is required for {why}"));
            }

            if (string.IsNullOrWhiteSpace(Text(buyer, "name")))
            {
                errors.Add(new("buyer.name", "CV322", $"buyer.name is required for {why}"));
            }
        }
    }

    private static void CheckIssued(JsonElement receipt, DateTimeOffset now, List<SimulatedEtaError> errors)
    {
        var issued = Text(Child(receipt, "header"), "dateTimeIssued");
        if (!DateTimeOffset.TryParseExact(issued, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
        {
            errors.Add(new("header.dateTimeIssued", "CV330", $"dateTimeIssued '{issued}' must be UTC in the form yyyy-MM-ddTHH:mm:ssZ"));
        }
        else if (at > now)
        {
            errors.Add(new("header.dateTimeIssued", "CV331", "Issuance date time value is out of the range (it is in the future)"));
        }
    }

    private static void Expect(List<SimulatedEtaError> errors, decimal actual, decimal expected, decimal tolerance, string path, string code, string rule)
    {
        if (Math.Abs(actual - expected) > tolerance)
        {
            errors.Add(new(path, code, $"{rule}: expected {expected.ToString(CultureInfo.InvariantCulture)}, found {actual.ToString(CultureInfo.InvariantCulture)}"));
        }
    }

    private static decimal Sum(JsonElement parent, string arrayName) => Array(parent, arrayName).Sum(e => Number(e, "amount"));

    private static JsonElement Child(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var child) ? child : default;

    private static List<JsonElement> Array(JsonElement parent, string name) =>
        Child(parent, name) is { ValueKind: JsonValueKind.Array } array ? [.. array.EnumerateArray()] : [];

    private static decimal Number(JsonElement parent, string name) =>
        Child(parent, name) is { ValueKind: JsonValueKind.Number } n && n.TryGetDecimal(out var d) ? d : 0m;

    private static string Text(JsonElement parent, string name) =>
        Child(parent, name) is { ValueKind: JsonValueKind.String } s ? s.GetString()! : "";
}
