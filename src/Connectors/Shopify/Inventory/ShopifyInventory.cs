using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Integration.Connectors.Shopify.Catalogue;
using Integration.Connectors.Shopify.Client;
using Integration.Connectors.Shopify.Stores;
using Integration.Workflows.Telemetry;
using Microsoft.Extensions.Logging;

namespace Integration.Connectors.Shopify.Inventory;

/// <summary>
/// Sets a store's <c>available</c> quantities to what the ERP promises, with <c>inventorySetQuantities</c>: SKU to
/// inventory item through the <see cref="ShopifySkuIndex"/>, warehouse to location through the store's
/// <c>Locations</c>, at most 250 quantities a request, each request paced by the store's throttle. A compared push
/// (the nightly full upload) first reads what the store shows for each batch and sets only what differs, reporting
/// each difference as drift: what was changed by hand in Shopify, or lost on the way, is then seen, not only healed.
/// </summary>
public sealed class ShopifyInventory(ShopifyAdminClients clients, ShopifyStores stores, ShopifySkuIndex index, ILogger<ShopifyInventory> logger)
{
    /// <summary>Shopify's largest input array.</summary>
    public const int BatchSize = 250;

    // A node of the answer is 3 objects (item, level, its quantities): 1 + 250 x 3 = 751 points, under the 1000 limit.
    internal const string AvailableQuery =
        "query InventoryAvailable($ids: [ID!]!, $locationId: ID!) { nodes(ids: $ids) { ... on InventoryItem { id inventoryLevel(locationId: $locationId) { quantities(names: [\"available\"]) { name quantity } } } } }";

    internal const string Mutation =
        "mutation SetInventory($input: InventorySetQuantitiesInput!, $idempotencyKey: String!) { inventorySetQuantities(input: $input) @idempotent(key: $idempotencyKey) { inventoryAdjustmentGroup { id } userErrors { field code message } } }";

    /// <summary>
    /// Sets each line's quantity (rounded down, never below 0). <paramref name="reference"/> names this push (e.g. the
    /// flow run): it becomes <c>referenceDocumentUri</c> and part of each batch's idempotency key. With
    /// <paramref name="compare"/>, each batch's quantities are read from the store first and only those that differ are
    /// set (<see cref="InventoryPush.Drift"/>); the others count as <see cref="InventoryPush.Unchanged"/>.
    /// </summary>
    public Task<InventoryPush> SetAvailableAsync(
        string? store, IReadOnlyList<StockQuantity> lines, string reason, string reference, bool compare = false, CancellationToken cancellationToken = default) =>
        SetAvailableAsync(store, lines, reason, reference, compare, again: false, cancellationToken);

    private async Task<InventoryPush> SetAvailableAsync(
        string? store, IReadOnlyList<StockQuantity> lines, string reason, string reference, bool compare, bool again, CancellationToken cancellationToken)
    {
        var options = stores.Get(store);
        var client = clients.For(store);
        var skipped = new List<SkippedLine>();
        // Each SKU's lines with a quantity and a location, in order: the last one for a location wins (Shopify refuses
        // the same item and location twice in one input).
        var bySku = new Dictionary<string, List<(StockQuantity Line, long Location, int Quantity)>>(StringComparer.Ordinal);
        var unmapped = new List<StockQuantity>();
        foreach (var line in lines)
        {
            var warehouse = string.IsNullOrWhiteSpace(line.Warehouse) ? options.Warehouse : line.Warehouse.Trim();
            if (string.IsNullOrWhiteSpace(line.Sku))
            {
                skipped.Add(new SkippedLine(line.Sku, warehouse, "no sku"));
            }
            else if (line.Available is not { } available)
            {
                skipped.Add(new SkippedLine(line.Sku, warehouse, "no quantity"));
            }
            else if (options.LocationOf(warehouse) is not { } location)
            {
                unmapped.Add(line with { Warehouse = warehouse });
            }
            else
            {
                var sku = line.Sku.Trim();
                if (!bySku.TryGetValue(sku, out var list))
                {
                    bySku[sku] = list = [];
                }

                list.Add((line with { Warehouse = warehouse }, location, Quantity(available)));
            }
        }

        // While the SKU index reads the catalogue, each page's quantities are sent as soon as 250 are ready: the sends
        // take the time the next page waits for points, rather than adding theirs after the whole read.
        var uri = "gid://integration-host/StockSync/" + Uri.EscapeDataString(reference);
        var batches = Channel.CreateUnbounded<List<KeyValuePair<(long Item, long Location), (StockQuantity Line, int Quantity)>>>(
            new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sending = SendAllAsync(client, batches.Reader, reason, uri, compare, stop);
        var pending = new Dictionary<(long Item, long Location), (StockQuantity Line, int Quantity)>();
        void Flush(bool all)
        {
            while (pending.Count >= BatchSize || (all && pending.Count > 0))
            {
                var batch = pending.Take(BatchSize).ToList();
                foreach (var sent in batch)
                {
                    pending.Remove(sent.Key);
                }

                batches.Writer.TryWrite(batch);
            }
        }

        IReadOnlyDictionary<string, IReadOnlyList<CatalogueVariant>> variants;
        try
        {
            variants = await index.ResolveAsync(store, bySku.Keys.Concat(unmapped.Select(u => u.Sku!)), variant =>
            {
                foreach (var (line, location, quantity) in bySku.GetValueOrDefault(variant.Sku) ?? [])
                {
                    pending[(variant.InventoryItemId, location)] = (line, quantity);
                }

                Flush(all: false);
            }, stop.Token);
            Flush(all: true);
            batches.Writer.Complete();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A send failed and stopped the read: its error is the one to report.
            batches.Writer.TryComplete();
            await sending;
            throw;
        }
        catch
        {
            batches.Writer.TryComplete();
            await stop.CancelAsync();
            await sending.ContinueWith(_ => { }, TaskScheduler.Default); // the read's error is the one to report
            throw;
        }

        var (set, requests, refused, unchanged, drift) = await sending;
        // An inventory item the store no longer has: its product was deleted and made again (by hand, or by another host's
        // product sync) since the SKU index read it. The index is read again and those SKUs sent once more, rather than
        // skipped until the nightly upload.
        var gone = refused.Where(r => r.Reason == InventoryItemGone).Select(r => r.Sku).ToHashSet(StringComparer.Ordinal);
        if (gone.Count > 0 && !again)
        {
            index.Forget(store);
            var retried = await SetAvailableAsync(store, [.. lines.Where(l => gone.Contains(l.Sku))], reason, reference, compare, again: true, cancellationToken);
            // The retry's outcome stands for those SKUs (what the gone items showed, or why they were refused, no longer does).
            refused.RemoveAll(r => gone.Contains(r.Sku));
            refused.AddRange(retried.Skipped);
            (set, requests, unchanged) = (set + retried.Set, requests + retried.Requests, unchanged + retried.Unchanged);
            drift.RemoveAll(d => gone.Contains(d.Sku));
            drift.AddRange(retried.Drift);
        }

        foreach (var line in bySku.Where(p => !variants.ContainsKey(p.Key)).SelectMany(p => p.Value).Select(l => l.Line).Concat(unmapped))
        {
            skipped.Add(new SkippedLine(line.Sku, line.Warehouse, variants.ContainsKey(line.Sku!.Trim()) ? "warehouse mapped to no location" : "sku not in store"));
        }

        skipped.AddRange(refused);
        logger.LogInformation("Shopify {Store}: stock push {Reference} set {Set}, skipped {Skipped} in {Requests} requests", client.Store, reference, set, skipped.Count, requests);
        if (drift.Count > 0)
        {
            var more = drift.Count(d => d.StoreQuantity > d.ErpQuantity);
            logger.LogWarning(
                "Shopify {Store}: stock push {Reference} found {Drifted} quantities different from the ERP's ({More} showing more than the ERP promises, {Unchanged} equal), e.g. {Example}",
                client.Store, reference, drift.Count, more, unchanged, string.Join(", ", drift.Take(5).Select(d => $"{d.Sku}@{d.Warehouse}: store {d.StoreQuantity?.ToString(CultureInfo.InvariantCulture) ?? "not stocked"}, ERP {d.ErpQuantity}")));
            ConnectorTelemetry.StockDrifted(ShopifyAdminClient.Connector, client.Store, drift.Count - more, more);
        }

        var shared = bySku.Keys.Where(sku => variants.TryGetValue(sku, out var found) && found.Count > 1).Order(StringComparer.Ordinal).ToList();
        if (shared.Count > 0)
        {
            // Not an error of the push: the catalogue's. Each variant keeps its own stock, so each was shown the whole balance.
            logger.LogWarning("Shopify {Store}: {Shared} SKUs are on more than one variant, each shown the whole balance (the store may sell it more than once), e.g. {Example}",
                client.Store, shared.Count, string.Join(", ", shared.Take(5)));
        }

        return new InventoryPush(set, skipped, requests) { Unchanged = unchanged, Drift = drift, Shared = shared };
    }

    // Shopify's code for an inventory item id it does not have (InventorySetQuantitiesUserErrorCode).
    private const string InventoryItemGone = "INVALID_INVENTORY_ITEM";

    // Sends the batches in order as they come; a failure stops the catalogue read too (the push is then retried whole).
    private static async Task<(int Set, int Requests, List<SkippedLine> Refused, int Unchanged, List<StockDrift> Drift)> SendAllAsync(
        ShopifyAdminClient client, ChannelReader<List<KeyValuePair<(long Item, long Location), (StockQuantity Line, int Quantity)>>> batches,
        string reason, string uri, bool compare, CancellationTokenSource stop)
    {
        var set = 0;
        var requests = 0;
        var unchanged = 0;
        var refusedLines = new List<SkippedLine>();
        var drift = new List<StockDrift>();
        try
        {
            await foreach (var batch in batches.ReadAllAsync(stop.Token))
            {
                if (compare)
                {
                    unchanged += await KeepDifferingAsync(client, batch, drift, stop.Token);
                }

                while (batch.Count > 0)
                {
                    requests++;
                    var refused = await SendAsync(client, batch, reason, uri, stop.Token);
                    if (refused.Count == 0)
                    {
                        set += batch.Count;
                        break;
                    }

                    // One bad line (an item not stocked at the location) fails the whole request: drop it and send the rest.
                    foreach (var (at, error) in refused.OrderByDescending(r => r.Key))
                    {
                        refusedLines.Add(new SkippedLine(batch[at].Value.Line.Sku, batch[at].Value.Line.Warehouse, error.Code ?? error.Message));
                        batch.RemoveAt(at);
                    }
                }
            }
        }
        catch
        {
            await stop.CancelAsync();
            throw;
        }

        return (set, requests, refusedLines, unchanged, drift);
    }

    /// <summary>
    /// Reads what the store shows of the batch's items (one read per location) and leaves in the batch only the lines
    /// that differ, each recorded as drift; returns how many were equal.
    /// </summary>
    private static async Task<int> KeepDifferingAsync(
        ShopifyAdminClient client, List<KeyValuePair<(long Item, long Location), (StockQuantity Line, int Quantity)>> batch, List<StockDrift> drift, CancellationToken cancellationToken)
    {
        var shown = new Dictionary<(long Item, long Location), int?>();
        foreach (var location in batch.GroupBy(b => b.Key.Location))
        {
            var ids = location.Select(b => b.Key.Item).Distinct().ToList();
            var variables = new JsonObject
            {
                ["ids"] = new JsonArray([.. ids.Select(id => (JsonNode?)ShopifyGid.Format("InventoryItem", id))]),
                ["locationId"] = ShopifyGid.Format("Location", location.Key),
            };
            var data = await client.ExecuteAsync("InventoryAvailable", AvailableQuery, variables, estimatedCost: 1 + (3 * ids.Count),
                costClass: ids.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken: cancellationToken);
            foreach (var node in data["nodes"] as JsonArray ?? [])
            {
                if (node?["id"] is JsonValue id && ShopifyGid.TryParse(id.GetValue<string>(), "InventoryItem", out var item))
                {
                    // No level: the item is not stocked at that location (setting it will be refused and reported).
                    shown[(item, location.Key)] = (node["inventoryLevel"]?["quantities"] as JsonArray)?
                        .FirstOrDefault(q => q?["name"]?.GetValue<string>() == "available")?["quantity"]?.GetValue<int>();
                }
            }
        }

        var differing = new List<KeyValuePair<(long Item, long Location), (StockQuantity Line, int Quantity)>>(batch.Count);
        foreach (var entry in batch)
        {
            var ((item, location), (line, quantity)) = entry;
            var current = shown.GetValueOrDefault((item, location));
            if (current != quantity)
            {
                differing.Add(entry);
                drift.Add(new StockDrift(line.Sku!.Trim(), line.Warehouse, current, quantity));
            }
        }

        var equal = batch.Count - differing.Count;
        batch.Clear();
        batch.AddRange(differing);
        return equal;
    }

    /// <summary>Sends one batch; returns the refused lines by index (empty when all were set).</summary>
    private static async Task<Dictionary<int, ShopifyUserError>> SendAsync(
        ShopifyAdminClient client, List<KeyValuePair<(long Item, long Location), (StockQuantity Line, int Quantity)>> batch, string reason, string uri, CancellationToken cancellationToken)
    {
        var quantities = new JsonArray();
        foreach (var ((item, location), (_, quantity)) in batch)
        {
            quantities.Add(new JsonObject
            {
                ["inventoryItemId"] = ShopifyGid.Format("InventoryItem", item),
                ["locationId"] = ShopifyGid.Format("Location", location),
                ["quantity"] = quantity,
                // The ERP is the source of truth: "As of 2026-04, each quantity in quantities must include a
                // changeFromQuantity value ... to opt out of the check for a quantity, explicitly pass null" (shopify.dev
                // admin-graphql InventorySetQuantitiesPayload; changelog compare-and-swap-redesign-for-inventory-set-quantities).
                ["changeFromQuantity"] = null,
            });
        }

        var variables = new JsonObject
        {
            ["idempotencyKey"] = IdempotencyKey(uri, reason, batch.Select(b => (b.Key.Item, b.Key.Location, b.Value.Quantity))),
            ["input"] = new JsonObject { ["name"] = "available", ["reason"] = reason, ["referenceDocumentUri"] = uri, ["quantities"] = quantities },
        };
        var data = await client.ExecuteAsync("SetInventory", Mutation, variables, estimatedCost: 10, cancellationToken: cancellationToken);
        var errors = ShopifyUserErrorException.Read(data["inventorySetQuantities"]);
        if (errors.Count == 0)
        {
            return [];
        }

        var byLine = new Dictionary<int, ShopifyUserError>();
        foreach (var error in errors)
        {
            // ["input", "quantities", "3", "locationId"]: line 3. Anything else is about the whole request.
            if (error.Field is ["input", "quantities", var i, ..] && int.TryParse(i, NumberStyles.None, CultureInfo.InvariantCulture, out var at) && at < batch.Count)
            {
                byLine[at] = error;
            }
            else
            {
                throw new ShopifyUserErrorException(client.Store, "SetInventory", errors);
            }
        }

        return byLine;
    }

    /// <summary>
    /// The same push of the same batch gets the same key, so a retried request (or a resumed run) is applied once;
    /// another push (another reference) of equal quantities is a new key, so it is applied again.
    /// </summary>
    internal static string IdempotencyKey(string uri, string reason, IEnumerable<(long Item, long Location, int Quantity)> lines)
    {
        var text = new StringBuilder(uri).Append('|').Append(reason);
        foreach (var (item, location, quantity) in lines)
        {
            text.Append(CultureInfo.InvariantCulture, $"|{item}:{location}={quantity}");
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
        return new Guid(hash.AsSpan(0, 16)).ToString();
    }

    /// <summary>Whole units only, never negative: an ERP that promises 2.5 (or -1) makes Shopify offer 2 (or 0).</summary>
    internal static int Quantity(decimal available) => available <= 0 ? 0 : available >= int.MaxValue ? int.MaxValue : (int)decimal.Floor(available);
}
