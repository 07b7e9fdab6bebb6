using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Integration.Sandbox;

/// <summary>
/// Follows each placed order through the host's public API — its run (<c>/api/runs</c>), the invoice the run booked, the
/// ETA receipt of that invoice (<c>/api/eta/receipts</c>) — and prints a line whenever an order gets further.
/// </summary>
public sealed partial class OrderProgress(HostApi api, TextWriter output, TimeProvider time)
{
    private readonly List<DemoOrder> _orders = [];
    private readonly Lock _gate = new();

    /// <summary>Every order placed so far.</summary>
    public IReadOnlyList<DemoOrder> Orders { get { lock (_gate) { return [.. _orders]; } } }

    public void Add(DemoOrder order)
    {
        lock (_gate)
        {
            _orders.Add(order);
        }

        Show(order);
    }

    /// <summary>Reads the state of every unsettled order once, printing the ones that moved.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        foreach (var order in Orders.Where(o => !o.Settled))
        {
            try
            {
                await RefreshAsync(order, cancellationToken);
            }
            catch (HttpRequestException)
            {
                // The host is busy or restarting; the next round asks again.
            }

            Show(order);
        }
    }

    private async Task RefreshAsync(DemoOrder order, CancellationToken cancellationToken)
    {
        if (order.InvoiceNo is null)
        {
            // Other flows run on the same order (shopify-order-receipt writes the receipt back to it): the order-to-cash run books it.
            var runs = await api.GetAsync($"/api/runs?correlationId={Uri.EscapeDataString(order.CorrelationId)}", cancellationToken);
            var newest = runs.EnumerateArray()
                .FirstOrDefault(r => r.GetProperty("definitionId").GetString()?.EndsWith("-order-to-cash", StringComparison.Ordinal) == true);
            if (newest.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            order.RunStatus = newest.GetProperty("status").GetString();
            if (order.RunStatus != "Finished")
            {
                return;
            }

            var run = await api.GetAsync($"/api/runs/{newest.GetProperty("id").GetGuid()}", cancellationToken);
            var invoiced = Invoiced().Match(run.TryGetProperty("output", out var outcome) ? outcome.GetRawText() : "");
            if (!invoiced.Success)
            {
                return;
            }

            order.InvoiceNo = invoiced.Groups[1].Value;
        }

        var receipts = await api.GetAsync($"/api/eta/receipts?documentNo={Uri.EscapeDataString(order.InvoiceNo)}", cancellationToken);
        var receipt = receipts.GetProperty("items").EnumerateArray().FirstOrDefault();
        if (receipt.ValueKind == JsonValueKind.Object)
        {
            order.ReceiptState = receipt.GetProperty("state").GetString();
        }
    }

    private void Show(DemoOrder order)
    {
        var line = Describe(order);
        if (line == order.Shown)
        {
            return;
        }

        order.Shown = line;
        lock (output)
        {
            output.WriteLine($"{time.GetLocalNow():HH:mm:ss}  {line}");
        }
    }

    /// <summary><c>shopify #1042  3 items  EGP 1,197.00  -> invoice SINV-00012 -> receipt Valid</c></summary>
    public static string Describe(DemoOrder order)
    {
        var units = order.Lines.Sum(l => l.Qty);
        var head = string.Create(CultureInfo.InvariantCulture, $"{order.System,-11} {order.Name,-12} {units,2} item{(units == 1 ? " " : "s")}  EGP {order.Total,10:N2}");
        if (order.WebhookStatus is not 200)
        {
            return $"{head}  -> webhook answered {order.WebhookStatus?.ToString(CultureInfo.InvariantCulture) ?? "nothing"}";
        }

        if (order.InvoiceNo is null)
        {
            return order.RunStatus switch
            {
                null => $"{head}  -> received",
                "Faulted" => $"{head}  -> run faulted (see /api/incidents)",
                var status => $"{head}  -> run {status}",
            };
        }

        return $"{head}  -> invoice {order.InvoiceNo}  -> receipt {order.ReceiptState ?? "pending"}";
    }

    [GeneratedRegex(@"invoiced ([A-Za-z0-9][A-Za-z0-9\-/]*)")]
    private static partial Regex Invoiced();
}
