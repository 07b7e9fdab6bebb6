namespace Integration.Erp.Sales;

/// <summary>
/// A store line whose units left several warehouses is invoiced as several lines of one source line id (one per
/// warehouse). A return naming that source line is shared out over them: first the lines of the warehouse its units
/// come back to, then the others in line order, each taking what it has left to return. A return naming a line by
/// number or SKU, or a source line with one invoice line, is left as it is.
/// </summary>
internal static class SplitLineReturns
{
    public static List<ReturnLineInput> Share(IReadOnlyList<SalesDocumentLine> invoiceLines, IReadOnlyList<ReturnLineInput> returned)
    {
        var taken = new Dictionary<int, decimal>();
        var shared = new List<ReturnLineInput>(returned.Count);
        foreach (var r in returned)
        {
            var parts = r.LineNo is null && r.SourceLineId is { } id ? Parts(invoiceLines, id, r.Warehouse) : [];
            if (parts.Count < 2)
            {
                shared.Add(r);
                continue;
            }

            var left = r.Qty;
            foreach (var line in parts)
            {
                var qty = Math.Min(left, line.Qty - line.ReturnedQty - taken.GetValueOrDefault(line.LineNo));
                if (qty > 0)
                {
                    shared.Add(r with { Qty = qty, LineNo = line.LineNo, SourceLineId = null, Sku = null });
                    taken[line.LineNo] = taken.GetValueOrDefault(line.LineNo) + qty;
                    left -= qty;
                }
            }

            if (left > 0)
            {
                // More than the lines have left: refused (return-exceeds-sold) against the first of them, as ever.
                shared.Add(r with { Qty = left, LineNo = parts[0].LineNo, SourceLineId = null, Sku = null });
            }
        }

        return shared;
    }

    /// <summary>The invoice lines of a source line id, those of <paramref name="warehouse"/> first.</summary>
    public static List<SalesDocumentLine> Parts(IEnumerable<SalesDocumentLine> invoiceLines, string sourceLineId, string? warehouse) =>
        [.. invoiceLines.Where(l => l.SourceLineId == sourceLineId).OrderBy(l => warehouse is not null && l.Warehouse == warehouse ? 0 : 1).ThenBy(l => l.LineNo)];
}
