using System.Globalization;
using System.Text.Json.Nodes;
using Integration.Erp.Prices;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.Erp.Activities;

/// <summary>
/// <c>Erp.EffectivePrices</c>: the prices a store should show today (its date, in its time zone): the price list's price, or
/// during a promotion the promotion's price with the base price as compare-at. For given SKUs, or for every SKU
/// whose price changes today (<c>changingToday</c>), which is what a store without scheduled prices needs when its day begins,
/// or every SKU of the price list a page at a time (<c>all</c>, the nightly full upload).
/// </summary>
internal sealed class EffectivePricesActivity : FlowActivity
{
    private const int MaxCatchUpDays = 31;

    public override ActivityDescriptor Descriptor { get; } = new(
        "Erp.EffectivePrices", "ERP", "Effective prices",
        [
            new InputDescriptor("company", "String", true),
            new InputDescriptor("priceList", "String", true),
            new InputDescriptor("skus", "Object", false, "json-editor", "The SKUs to price; empty with changingToday."),
            new InputDescriptor("itemGroups", "Object", false, "json-editor", "Price the SKUs of these item groups too (their subgroups included): a promotion on groups."),
            new InputDescriptor("changingToday", "Boolean", Description: "Price every SKU whose price or promotion starts today or ended yesterday (with changingSince: on any day after it, through today)."),
            new InputDescriptor("changingSince", "String", Description: "With changingToday: the last day already priced (yyyy-MM-dd, e.g. a watermark); nothing when it is today."),
            new InputDescriptor("timeZone", "String", Description: "The store's time zone (IANA id, e.g. Africa/Cairo): today is its date there; UTC when empty."),
            new InputDescriptor("channel", "String", Description: "Promotions for this channel too: a source system, a store, or both as system/store (shopify/cairo-fashion: the promotions for shopify, for cairo-fashion and for the pair)."),
            new InputDescriptor("all", "Boolean", Description: "Price every SKU of the price list, a page at a time (with cursor and pageSize)."),
            new InputDescriptor("cursor", "String", Description: "With all: the page after this cursor (the last page's output; empty for the first)."),
            new InputDescriptor("pageSize", "Int32", Description: "With all: SKUs per page (default 250)."),
        ],
        [
            new OutputDescriptor("prices", "Object", "[{ sku, price, compareAtPrice, basePrice, promotion, changesOn, promotionFrom, promotionTo }]: promotionFrom/To are the first and last day of the promotion applied (stores that schedule sales)."),
            new OutputDescriptor("date", "String", "The store's date the prices are for (yyyy-MM-dd, in timeZone)."),
            new OutputDescriptor("readAt", "String", "When the prices were read (the database's clock): a push given it never overwrites prices read later."),
            new OutputDescriptor("cursor", "String", "With all: the cursor of the next page; empty after the last."),
            new OutputDescriptor("unpriced", "Object", "The SKUs whose last price on the list ended with none after it, so the store still shows the price that ended: of the SKUs named (skus), when it ended yesterday; with changingToday, of those whose price ended on a day not priced before; empty otherwise."),
        ],
        ["Done", "NoPriceList"],
        Description: "Prices items for a store today, promotions included; NoPriceList when the store has none (its prices are not the ERP's to push).");

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var book = context.Services!.GetRequiredService<PriceBook>();
        var company = context.Input<string>("company")!;
        if (context.Input<string>("priceList") is not { Length: > 0 } priceList)
        {
            return ActivityResult.Outcome("NoPriceList");
        }

        // "Today" is the store's: a promotion starts at midnight where the store sells, not at midnight UTC.
        var zone = context.Input<string>("timeZone") is { Length: > 0 } zoneId
            ? TimeZoneInfo.TryFindSystemTimeZoneById(zoneId.Trim(), out var found) ? found : throw new InvalidOperationException($"Erp.EffectivePrices: '{zoneId}' is not a known time zone (an IANA id such as Africa/Cairo).")
            : TimeZoneInfo.Utc;
        var date = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(context.Time.GetUtcNow(), zone).DateTime);
        // Taken before the prices are read: whatever a later read sees, it sees at least what this one did.
        var readAt = await book.ClockAsync(context.CancellationToken);
        var skus = context.HasInput("skus") && ErpJson.Node(context, "skus") is JsonArray list ? list.Select(s => (string)s!).ToList() : [];
        var named = skus.ToHashSet(StringComparer.Ordinal);
        if (context.HasInput("itemGroups") && ErpJson.Node(context, "itemGroups") is JsonArray groups && groups.Count > 0)
        {
            skus = [.. skus.Union(await book.SkusInGroupsAsync(company, priceList, [.. groups.Select(g => (string)g!)]))];
        }

        DateOnly? lapsedSince = null;
        if (context.HasInput("changingToday") && context.Input<bool>("changingToday"))
        {
            // The days after the last one priced (a host down at midnight catches up, a month at most; the nightly
            // compared upload heals anything older), else today alone.
            var first = context.Input<string>("changingSince") is { Length: > 0 } since
                ? DateOnly.ParseExact(since.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture).AddDays(1)
                : date;
            first = first < date.AddDays(-MaxCatchUpDays) ? date.AddDays(-MaxCatchUpDays) : first;
            if (first <= date)
            {
                lapsedSince = first.AddDays(-1);
                skus = [.. skus.Union(await book.ChangingOnAsync(company, priceList, first, date))];
            }
        }

        var cursor = "";
        if (context.HasInput("all") && context.Input<bool>("all"))
        {
            var size = context.HasInput("pageSize") ? context.Input<int>("pageSize") : 250;
            var page = await book.SkusAsync(company, priceList, context.Input<string>("cursor") ?? "", size);
            skus = [.. skus.Union(page)];
            cursor = page.Count == size ? page[^1] : "";
        }

        // One round trip for the whole list; an item not on this price list is not sold in this store: nothing to push.
        var prices = new JsonArray();
        foreach (var p in await book.EffectiveAsync(company, priceList, skus, date, context.Input<string>("channel"), 1))
        {
            prices.Add(new JsonObject
            {
                ["sku"] = p.Sku,
                ["price"] = p.Price,
                ["compareAtPrice"] = p.CompareAtPrice,
                ["basePrice"] = p.BasePrice,
                ["promotion"] = p.Promotion,
                ["changesOn"] = p.ChangesOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["promotionFrom"] = p.PromotionFrom?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["promotionTo"] = p.PromotionTo?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            });
        }

        // Told once: on the day run that first prices the day after the price ended, or on the change that named the SKU
        // when its price ended yesterday (a price row ended as of yesterday: no day run will see its end again). An item
        // whose price ended long ago (sold out for good) is not told again by every event that names it.
        var missing = skus.Except(prices.Select(p => (string)p!["sku"]!), StringComparer.Ordinal).ToList();
        IReadOnlyList<string> unpriced = missing.Where(named.Contains).ToList() is { Count: > 0 } namedMissing
            ? await book.LapsedAsync(company, priceList, namedMissing, date.AddDays(-1), date)
            : [];
        if (lapsedSince is { } lapsedFrom && missing.Count > 0)
        {
            unpriced = [.. unpriced.Union(await book.LapsedAsync(company, priceList, [.. missing.Where(s => !named.Contains(s))], lapsedFrom, date)).Order(StringComparer.Ordinal)];
        }

        context.SetOutput("prices", prices);
        context.SetOutput("unpriced", new JsonArray([.. unpriced.Select(s => (JsonNode?)s)]));
        context.SetOutput("date", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        context.SetOutput("readAt", readAt.ToString("O", CultureInfo.InvariantCulture));
        context.SetOutput("cursor", cursor);
        return ActivityResult.Done;
    }
}
