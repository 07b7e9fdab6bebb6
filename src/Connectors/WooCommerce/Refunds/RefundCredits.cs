using System.Globalization;
using System.Text.Json.Nodes;

namespace Integration.Connectors.WooCommerce.Refunds;

/// <summary>
/// Turns an order's WooCommerce refunds into what the ERP credits, refund by refund (oldest first). WooCommerce keeps a
/// refund as a negative copy of the order items it gives back (<c>line_items</c>, <c>shipping_lines</c>, <c>fee_lines</c>,
/// each naming its order item in the meta <c>_refunded_item_id</c>, quantity and totals negative) and an <c>amount</c>
/// that wins over the items. So: a product line refunded with a quantity comes back as goods (its share of the sale;
/// money above that share is a discrepancy); money on a line without quantity, and an amount above the items, is money
/// without goods on <c>RefundDiscrepancyAccount</c>; shipping and fees refunded in full come back as their line,
/// partly as an amount on their income account. A refund with no items that refunds exactly what is left of the order
/// (WooCommerce adds one when the order is set to Refunded) credits the rest of the order line by line, as a cancellation
/// does. Goods go back to stock when WooCommerce restocked them: the order line's <c>_restock_refunded_items</c> counts the
/// units restocked over all its refunds, and goes with each refunded product line (<see cref="RefundCreditLine.RestockedInStore"/>)
/// for the ERP to take what its earlier credit notes did not restock; <see cref="RefundCredit.Restock"/> gives it to the
/// oldest refunds of the line first, for a caller that does not.
/// </summary>
public static class RefundCredits
{
    private const decimal Cent = 0.01m;

    public static IReadOnlyList<RefundCredit> From(
        string store, JsonObject order, IEnumerable<JsonObject> refunds, string shippingIncomeAccount, string feeIncomeAccount, string discrepancyAccount)
    {
        var orderId = Id(order["id"]);
        var items = OrderItems(order, shippingIncomeAccount, feeIncomeAccount);
        var rates = TaxRates(order);
        var orderTotal = Money(order["total"]);
        var refundedMoney = 0m;
        // Money the refunds gave back without goods: a rest of the order after some is matched to the cent.
        var moneyWithoutGoods = 0m;
        var credits = new List<RefundCredit>();
        foreach (var refund in refunds.OrderBy(r => Id(r["id"])))
        {
            var refundId = Id(refund["id"]);
            var lines = new List<RefundCreditLine>();
            var amounts = new List<RefundCreditAmount>();
            decimal itemsValue = 0m, goods = 0m, restocked = 0m;
            foreach (var (kind, refunded) in RefundItems(refund))
            {
                var itemId = RefundedItemId(refunded) ?? throw new RefundNotCreditableException(store, orderId, refundId, $"a refunded {kind} item ({Text(refunded["name"]) ?? Text(refunded["method_title"])}) does not name its order item (_refunded_item_id).");
                var item = items.GetValueOrDefault(itemId) ?? throw new RefundNotCreditableException(store, orderId, refundId, $"it refunds item {itemId}, which the order does not have.");
                var qty = kind == "line" ? Math.Abs(Money(refunded["quantity"])) : 0m;
                var net = Math.Abs(Money(refunded["total"]));
                var tax = Math.Abs(Money(refunded["total_tax"]));
                itemsValue += net + tax;
                if (kind == "line" && qty > 0)
                {
                    if (item.ReturnedQty + qty > item.Qty)
                    {
                        throw new RefundNotCreditableException(store, orderId, refundId, $"it gives back {qty:0.###} of {item.Name}, of which {item.Qty - item.ReturnedQty:0.###} are left to give back.");
                    }

                    var (shareNet, shareTax) = item.Share(qty);
                    var above = net + tax - shareNet - shareTax;
                    if (above < -Cent)
                    {
                        throw new RefundNotCreditableException(store, orderId, refundId,
                            $"it gives back {qty:0.###} x {item.Name} for {net + tax:0.00}, less than they were sold at ({shareNet + shareTax:0.00}); the ERP cannot take goods back for less. Refund the goods at their price and the difference as a separate amount, or credit by hand.");
                    }

                    lines.Add(new RefundCreditLine(item.Id, qty, item.Restocked));
                    item.Return(qty);
                    if (above > Cent / 2)
                    {
                        moneyWithoutGoods += above;
                        amounts.Add(new RefundCreditAmount(Round(above), discrepancyAccount, $"Refunded above the price of {item.Name}", TaxRate: item.Rate(rates), AmountIncludesTax: true));
                    }

                    goods += qty;
                    var restock = Math.Min(qty, Math.Max(0m, item.Restocked - item.RestockGiven));
                    item.RestockGiven += restock;
                    restocked += restock;
                }
                else if (kind == "line")
                {
                    if (net + tax > 0)
                    {
                        moneyWithoutGoods += net + tax;
                        amounts.Add(new RefundCreditAmount(net, discrepancyAccount, $"Refund on {item.Name}", Tax: tax));
                    }
                }
                else if (item.ReturnedQty == 0 && item.MoneyOnly == 0 && Math.Abs(net - item.Net) < Cent / 2 && Math.Abs(tax - item.Tax) < Cent / 2)
                {
                    lines.Add(new RefundCreditLine(item.Id, 1));
                    item.Return(1);
                }
                else if (net + tax > 0)
                {
                    item.MoneyOnly += net + tax;
                    amounts.Add(new RefundCreditAmount(net, kind == "shipping" ? shippingIncomeAccount : feeIncomeAccount, (kind == "shipping" ? "Shipping refund: " : "Fee refund: ") + item.Name, Tax: tax));
                }
            }

            var amount = Money(refund["amount"]);
            var reason = Text(refund["reason"]) ?? "";
            var rest = false;
            if (lines.Count == 0 && amounts.Count == 0 && Math.Abs(refundedMoney + amount - orderTotal) < Cent / 2 && RestOfOrder(items.Values, amount, roundingSlack: moneyWithoutGoods == 0) is { } whole)
            {
                // The order is refunded in full: what the ERP has not credited yet comes back, as a cancellation would.
                rest = true;
                lines.AddRange(whole.Lines);
                amounts.AddRange(whole.Amounts);
                itemsValue = amount;
            }

            var extra = amount - itemsValue;
            if (extra < -Cent)
            {
                throw new RefundNotCreditableException(store, orderId, refundId, $"its amount {amount:0.00} is less than the items it refunds ({itemsValue:0.00}).");
            }

            if (extra > Cent / 2)
            {
                moneyWithoutGoods += extra;
                amounts.Add(new RefundCreditAmount(Round(extra), discrepancyAccount, "Refund without goods" + (reason.Length > 0 ? ": " + reason : ""), AmountIncludesTax: true, Beyond: true, TaxAsInvoiced: true));
            }

            refundedMoney += amount;
            if (lines.Count > 0 || amounts.Count > 0)
            {
                // The instant (date_created_gmt, marked as UTC), which the ERP books on its day in Cairo as it does the
                // invoice's payment: the site's local date_created is another day when the site is not on Cairo time.
                credits.Add(new RefundCredit(refundId, amount, reason, Text(refund["date_created_gmt"]) is { } gmt ? gmt + "Z" : Text(refund["date_created"]),
                    lines, amounts, !rest && goods > 0 && restocked > 0, rest));
            }
        }

        return credits;
    }

    // The rest of a fully refunded order: each line's quantity not given back, shipping and fees not refunded, and what
    // is left of those refunded in part; null when that is not exactly the amount (money was refunded without goods before).
    private static (List<RefundCreditLine> Lines, List<RefundCreditAmount> Amounts)? RestOfOrder(IEnumerable<OrderItem> items, decimal amount, bool roundingSlack)
    {
        var lines = new List<RefundCreditLine>();
        var amounts = new List<RefundCreditAmount>();
        var total = 0m;
        foreach (var item in items)
        {
            if (item.MoneyOnly > 0 && item.Kind != "line")
            {
                var left = item.Net + item.Tax - item.MoneyOnly;
                if (left > Cent / 2)
                {
                    var rate = item.Net == 0 ? 0 : Math.Round(item.Tax / item.Net * 100, 2, MidpointRounding.AwayFromZero);
                    amounts.Add(new RefundCreditAmount(Round(left), item.Account, "Rest of " + item.Name, TaxRate: rate, AmountIncludesTax: true));
                    total += left;
                }

                continue;
            }

            if (item.Qty - item.ReturnedQty > 0)
            {
                var (net, tax) = item.Share(item.Qty - item.ReturnedQty);
                lines.Add(new RefundCreditLine(item.Id, item.Qty - item.ReturnedQty));
                total += net + tax;
            }
        }

        // A cent per line either way when no money went back without goods: with tax rounded at subtotal level the order
        // was booked with the cents its lines' own rounding left off given back (woocommerce-order-to-cash), and the
        // store's refunds give each line as rounded.
        var slack = roundingSlack ? Cent * (lines.Count + amounts.Count) : 0m;
        return (lines.Count > 0 || amounts.Count > 0) && Math.Abs(total - amount) < (Cent / 2) + slack ? (lines, amounts) : null;
    }

    private static Dictionary<string, OrderItem> OrderItems(JsonObject order, string shippingIncomeAccount, string feeIncomeAccount)
    {
        var items = new Dictionary<string, OrderItem>(StringComparer.Ordinal);
        foreach (var (kind, key) in new[] { ("line", "line_items"), ("shipping", "shipping_lines"), ("fee", "fee_lines") })
        {
            foreach (var item in (order[key] as JsonArray ?? []).OfType<JsonObject>())
            {
                var id = Id(item["id"]).ToString(CultureInfo.InvariantCulture);
                var name = Text(item["name"]) ?? Text(item["method_title"]) ?? id;
                var restocked = (item["meta_data"] as JsonArray ?? []).OfType<JsonObject>().Where(m => Text(m["key"]) == "_restock_refunded_items").Sum(m => Money(m["value"]));
                items[id] = new OrderItem(kind, id, kind == "line" ? Money(item["quantity"]) : 1m, Money(item["total"]), Money(item["total_tax"]), name, restocked)
                {
                    Account = kind == "shipping" ? shippingIncomeAccount : feeIncomeAccount,
                };
            }
        }

        return items;
    }

    private static IEnumerable<(string Kind, JsonObject Item)> RefundItems(JsonObject refund) =>
        new[] { ("line", "line_items"), ("shipping", "shipping_lines"), ("fee", "fee_lines") }
            .SelectMany(k => (refund[k.Item2] as JsonArray ?? []).OfType<JsonObject>().Select(i => (k.Item1, i)));

    private static string? RefundedItemId(JsonObject item) =>
        (item["meta_data"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(m => Text(m["key"]) == "_refunded_item_id") is { } meta
            && Text(meta["value"]) is { Length: > 0 } id ? id : null;

    // The rates the order charged (tax_lines rate_percent).
    private static List<decimal> TaxRates(JsonObject order) =>
        [.. (order["tax_lines"] as JsonArray ?? []).OfType<JsonObject>().Select(t => t["rate_percent"]).Where(r => r is not null).Select(Money).Where(r => r > 0).Distinct()];

    private static decimal Round(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);

    private static long Id(JsonNode? node) => (long)Money(node);

    private static string? Text(JsonNode? node) => node is JsonValue v
        ? v.TryGetValue<string>(out var s) ? s : v.ToJsonString()
        : null;

    // WooCommerce writes money as strings ("-10.00") and some numbers (quantity, price) as numbers.
    private static decimal Money(JsonNode? node) => node is JsonValue v
        && decimal.TryParse(v.TryGetValue<string>(out var s) ? s : v.ToJsonString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0m;

    private sealed class OrderItem(string kind, string id, decimal qty, decimal net, decimal tax, string name, decimal restocked)
    {
        public string Kind { get; } = kind;

        public string Id { get; } = id;

        public decimal Qty { get; } = qty;

        public decimal Net { get; } = net;

        public decimal Tax { get; } = tax;

        public string Name { get; } = name;

        public decimal Restocked { get; } = restocked;

        public string Account { get; init; } = "";

        public decimal ReturnedQty { get; private set; }

        public decimal MoneyOnly { get; set; }

        public decimal RestockGiven { get; set; }

        // The ERP's share of the line for qty more given back (as its sales return works it out).
        public (decimal Net, decimal Tax) Share(decimal qty) => (ShareOf(Net, qty), ShareOf(Tax, qty));

        public void Return(decimal qty) => ReturnedQty += qty;

        // The rate this item was taxed at: none without tax, else the order's rate nearest its tax over its net (rounded
        // amounts give 13.99 for 14), or that quotient when the order names no rate near it.
        public decimal Rate(List<decimal> rates)
        {
            if (Tax == 0 || Net == 0)
            {
                return 0m;
            }

            var charged = Tax / Net * 100;
            return rates.Count > 0 && rates.MinBy(r => Math.Abs(r - charged)) is var nearest && Math.Abs(nearest - charged) < 0.5m ? nearest
                : Math.Round(charged, 2, MidpointRounding.AwayFromZero);
        }

        private decimal ShareOf(decimal amount, decimal qty) =>
            Round(amount * (ReturnedQty + qty) / Qty) - Round(amount * ReturnedQty / Qty);
    }
}
