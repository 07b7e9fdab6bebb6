using Dapper;
using Npgsql;

namespace Integration.Erp.Prices;

/// <summary>Price lists, item prices with validity dates, promotions, and the effective price they yield.</summary>
public sealed class PriceBook(NpgsqlDataSource dataSource)
{
    /// <summary>The database's clock now: when a read of prices starts, comparable across hosts.</summary>
    public async Task<DateTimeOffset> ClockAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return new DateTimeOffset(await connection.ExecuteScalarAsync<DateTime>(new CommandDefinition("SELECT clock_timestamp()", cancellationToken: cancellationToken)), TimeSpan.Zero);
    }

    public async Task CreatePriceListAsync(string company, string id, string name, string currency)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        try
        {
            await connection.ExecuteAsync("INSERT INTO erp.price_list (company, id, name, currency) VALUES (@company, @id, @name, @currency)",
                new { company, id, name, currency = currency.ToUpperInvariant() });
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new ErpRuleException("duplicate-price-list", $"Price list '{id}' exists.", 409);
        }
    }

    public async Task SetPriceAsync(string company, string priceList, string sku, decimal rate, DateOnly? validFrom, DateOnly? validTo)
    {
        if (validTo < validFrom)
        {
            throw new ErpRuleException("invalid-validity", "A price is valid to a date on or after it is valid from.", 400);
        }

        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        // The item's first price on the list: a store that creates products only once they are priced creates it now.
        var first = await connection.QuerySingleOrDefaultAsync<(string? TemplateSku, string Status)?>("""
            SELECT i.template_sku, i.status FROM erp.item i
            WHERE i.company = @company AND i.sku = @sku
              AND NOT EXISTS (SELECT 1 FROM erp.item_price p WHERE p.company = @company AND p.price_list = @priceList AND p.sku = @sku)
            """, new { company, priceList, sku }, transaction);
        try
        {
            await connection.ExecuteAsync("""
                INSERT INTO erp.item_price (company, price_list, sku, rate, valid_from, valid_to) VALUES (@company, @priceList, @sku, @rate, @validFrom, @validTo)
                ON CONFLICT (company, price_list, sku, coalesce(valid_from, '-infinity'::date)) DO UPDATE SET rate = excluded.rate, valid_to = excluded.valid_to
                """, new { company, priceList, sku, rate, validFrom, validTo }, transaction);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            throw new ErpRuleException("unknown-reference", $"Unknown price list or item ({ex.ConstraintName}).", 400);
        }

        await Outbox.AddAsync(connection, transaction, "erp.price.changed", company, sku, new { sku, priceList, rate, validFrom, validTo });
        if (first is { } item)
        {
            await Outbox.AddAsync(connection, transaction, "erp.item.changed", company, sku, new { sku, item.TemplateSku, item.Status, change = "priced", priceList },
                Items.ItemEvents.OrderingKey(sku, item.TemplateSku));
        }

        await transaction.CommitAsync();
    }

    /// <summary>Adds the promotion; the one stored is returned (an amount off without a currency is in the company's).</summary>
    public async Task<Promotion> CreatePromotionAsync(Promotion promotion)
    {
        if (!Promotion.Kinds.Contains(promotion.Kind) || (promotion.Kind == "BuyXGetY" && (promotion.BuyQty <= 0 || promotion.FreeQty <= 0))
            || (promotion.Kind == "Percentage" && promotion.Value is <= 0 or > 100))
        {
            throw new ErpRuleException("invalid-promotion", "Kind is Percentage (0-100), Amount, or BuyXGetY with buy and free quantities.", 400);
        }

        if (promotion.ValidTo < promotion.ValidFrom)
        {
            throw new ErpRuleException("invalid-promotion", $"Its last day ({promotion.ValidTo:yyyy-MM-dd}) is before its first ({promotion.ValidFrom:yyyy-MM-dd}).", 400);
        }

        await using var connection = await dataSource.OpenConnectionAsync();
        // A template of variants is no price row: a promotion naming it would price nothing, silently.
        if (promotion.Skus.Count > 0 && await connection.ExecuteScalarAsync<string?>(
                "SELECT sku FROM erp.item WHERE company = @Company AND sku = ANY(@skus) AND is_template ORDER BY sku LIMIT 1",
                new { promotion.Company, skus = promotion.Skus.ToArray() }) is { } template)
        {
            throw new ErpRuleException("template-item",
                $"'{template}' is a template of variants, which are what is priced and sold: name its variants, or its item group.", 400);
        }

        await using var transaction = await connection.BeginTransactionAsync();
        try
        {
            promotion = promotion with { Currency = await connection.ExecuteScalarAsync<string?>("""
                INSERT INTO erp.promotion (company, id, name, kind, value, skus, item_groups, valid_from, valid_to, min_qty, buy_qty, free_qty, channel, currency)
                SELECT @Company, @Id, @Name, @Kind, @Value, @skus, @groups, @ValidFrom, @ValidTo, @MinQty, @BuyQty, @FreeQty, @Channel,
                       coalesce(upper(@Currency), CASE WHEN @Kind = 'Amount' THEN c.currency END)
                FROM erp.company c WHERE c.id = @Company
                RETURNING currency
                """, new
            {
                promotion.Company, promotion.Id, promotion.Name, promotion.Kind, promotion.Value, skus = promotion.Skus.ToArray(), groups = promotion.ItemGroups.ToArray(),
                promotion.ValidFrom, promotion.ValidTo, promotion.MinQty, promotion.BuyQty, promotion.FreeQty, promotion.Channel, promotion.Currency,
            }, transaction) };
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new ErpRuleException("duplicate-promotion", $"Promotion '{promotion.Id}' exists.", 409);
        }

        await Outbox.AddAsync(connection, transaction, "erp.promotion.changed", promotion.Company, promotion.Id,
            new { promotion.Id, promotion.Skus, promotion.ItemGroups, promotion.ValidFrom, promotion.ValidTo });
        await transaction.CommitAsync();
        return promotion;
    }

    /// <summary>
    /// Ends a promotion after <paramref name="lastDay"/>, as a merchant does with one found wrong or sold out: from the
    /// next day the stores show the price without it (the <c>erp.promotion.changed</c> event reprices its items at once).
    /// A last day before its first withdraws it: it never applies. It only shortens a promotion, since its days may have
    /// been sold already; the same last day again changes nothing (a retried request).
    /// </summary>
    public async Task<Promotion> EndPromotionAsync(string company, string id, DateOnly lastDay)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var promotion = (await connection.QuerySingleOrDefaultAsync<PromotionRow>($"{PromotionRow.Select} WHERE company = @company AND id = @id FOR UPDATE",
            new { company, id }, transaction))?.ToPromotion()
            ?? throw ErpRuleException.NotFound("unknown-promotion", $"No promotion '{id}' in {company}.");
        var validTo = lastDay < promotion.ValidFrom ? promotion.ValidFrom.AddDays(-1) : lastDay;
        if (validTo > promotion.ValidTo)
        {
            throw new ErpRuleException("promotion-not-shortened",
                $"Promotion '{id}' ends on {promotion.ValidTo:yyyy-MM-dd} already: it is ended earlier, not run longer (add a promotion for the days after).", 409);
        }

        if (validTo == promotion.ValidTo)
        {
            return promotion;
        }

        await connection.ExecuteAsync("UPDATE erp.promotion SET valid_to = @validTo WHERE company = @company AND id = @id", new { company, id, validTo }, transaction);
        promotion = promotion with { ValidTo = validTo };
        await Outbox.AddAsync(connection, transaction, "erp.promotion.changed", company, id,
            new { promotion.Id, promotion.Skus, promotion.ItemGroups, promotion.ValidFrom, promotion.ValidTo, ended = true });
        await transaction.CommitAsync();
        return promotion;
    }

    /// <summary>A company's promotions by id; with <paramref name="on"/>, those that apply that day.</summary>
    public async Task<IReadOnlyList<Promotion>> PromotionsAsync(string company, DateOnly? on)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return [.. (await connection.QueryAsync<PromotionRow>($"{PromotionRow.Select} WHERE company = @company AND (@on::date IS NULL OR @on BETWEEN valid_from AND valid_to) ORDER BY id",
            new { company, on })).Select(r => r.ToPromotion())];
    }

    /// <summary>The price of <paramref name="sku"/> on <paramref name="date"/> for <paramref name="channel"/> and <paramref name="qty"/> units.</summary>
    public async Task<EffectivePrice> EffectiveAsync(string company, string priceList, string sku, DateOnly date, string? channel, decimal qty) =>
        await EffectiveAsync(company, priceList, [sku], date, channel, qty) is [var price]
            ? price
            : throw ErpRuleException.NotFound("no-price", $"'{sku}' has no price in '{priceList}' on {date:yyyy-MM-dd}.");

    /// <summary>
    /// The prices of many SKUs on one date, as <see cref="EffectiveAsync(string, string, string, DateOnly, string?, decimal)"/>
    /// gives each, in one round trip whatever their number (a page of a store's full price upload); a SKU with no price
    /// on the list that day is left out. In the order of <paramref name="skus"/>.
    /// </summary>
    public async Task<IReadOnlyList<EffectivePrice>> EffectiveAsync(string company, string priceList, IReadOnlyCollection<string> skus, DateOnly date, string? channel, decimal qty)
    {
        var list = skus.Distinct(StringComparer.Ordinal).ToArray();
        if (list.Length == 0)
        {
            return [];
        }

        await using var connection = await dataSource.OpenConnectionAsync();
        await using var results = await connection.QueryMultipleAsync("""
            SELECT DISTINCT ON (sku) sku AS Sku, rate AS Rate FROM erp.item_price
            WHERE company = @company AND price_list = @priceList AND sku = ANY(@skus)
              AND (valid_from IS NULL OR valid_from <= @date) AND (valid_to IS NULL OR valid_to >= @date)
            ORDER BY sku, valid_from DESC NULLS LAST;

            WITH RECURSIVE groups AS (
                SELECT i.sku, g.id, g.parent FROM erp.item i JOIN erp.item_group g ON g.company = i.company AND g.id = i.item_group
                WHERE i.company = @company AND i.sku = ANY(@skus)
                UNION
                SELECT groups.sku, g.id, g.parent FROM erp.item_group g JOIN groups ON g.company = @company AND g.id = groups.parent
            ), sku_groups AS (
                SELECT sku, array_agg(id) AS ids FROM groups GROUP BY sku
            ), active AS (
                SELECT * FROM erp.promotion
                WHERE company = @company AND @date BETWEEN valid_from AND valid_to AND min_qty <= @qty
                  AND (channel IS NULL OR channel = ANY(@channels))
                  AND (currency IS NULL OR currency = (SELECT currency FROM erp.price_list WHERE company = @company AND id = @priceList))
            )
            SELECT s.sku AS Sku, p.company AS Company, p.id AS Id, p.name AS Name, p.kind AS Kind, p.value AS Value,
                   p.valid_from AS ValidFrom, p.valid_to AS ValidTo, p.min_qty AS MinQty, p.buy_qty AS BuyQty, p.free_qty AS FreeQty,
                   p.channel AS Channel
            FROM unnest(@skus::text[]) AS s (sku) LEFT JOIN sku_groups sg ON sg.sku = s.sku
            JOIN active p ON s.sku = ANY(p.skus) OR p.item_groups && sg.ids;

            SELECT sku AS Sku, min(d) AS ChangesOn FROM (
                SELECT sku, valid_from AS d FROM erp.item_price WHERE company = @company AND price_list = @priceList AND sku = ANY(@skus) AND valid_from > @date
                UNION ALL SELECT sku, valid_to + 1 FROM erp.item_price WHERE company = @company AND price_list = @priceList AND sku = ANY(@skus) AND valid_to >= @date
            ) changes GROUP BY sku;

            SELECT min(d) FROM (
                SELECT valid_from AS d FROM erp.promotion WHERE company = @company AND valid_from > @date AND valid_to >= valid_from
                UNION ALL SELECT valid_to + 1 FROM erp.promotion WHERE company = @company AND valid_to >= @date AND valid_to >= valid_from
            ) changes;

            SELECT currency FROM erp.price_list WHERE company = @company AND id = @priceList;
            """, new { company, priceList, skus = list, date, qty, channels = Channels(channel) });
        var rates = (await results.ReadAsync<(string Sku, decimal Rate)>()).ToDictionary(r => r.Sku, r => r.Rate, StringComparer.Ordinal);
        var promotions = (await results.ReadAsync<SkuPromotionRow>()).ToLookup(p => p.Sku, StringComparer.Ordinal);
        var priceChanges = (await results.ReadAsync<(string Sku, DateOnly ChangesOn)>()).ToDictionary(c => c.Sku, c => c.ChangesOn, StringComparer.Ordinal);
        var promotionChange = await results.ReadSingleAsync<DateOnly?>();
        // Rates are kept to 4 decimals; a store shows the currency's (a rate of 99.995 is offered at 100.00).
        var places = PriceListCurrency.Decimals(await results.ReadSingleOrDefaultAsync<string?>());

        var prices = new List<EffectivePrice>(rates.Count);
        foreach (var sku in list)
        {
            if (!rates.TryGetValue(sku, out var rate))
            {
                continue;
            }

            rate = Money.Round(rate, places);

            DateOnly? nextChange = priceChanges.TryGetValue(sku, out var changesOn) && (promotionChange is null || changesOn < promotionChange) ? changesOn : promotionChange;
            var best = promotions[sku]
                .Select(p => (Promotion: p, Price: Money.Round(p.ToPromotion().Apply(rate, qty), places)))
                .Where(p => p.Price < rate)
                .OrderBy(p => p.Price).ThenBy(p => p.Promotion.Id, StringComparer.Ordinal)
                .FirstOrDefault();
            prices.Add(best.Promotion is null
                ? new EffectivePrice(sku, priceList, date, rate, rate, null, null, nextChange)
                : new EffectivePrice(sku, priceList, date, rate, best.Price, rate, best.Promotion.Id, nextChange, best.Promotion.ValidFrom, best.Promotion.ValidTo));
        }

        return prices;
    }

    // A store's channel is "system/store" (shopify/cairo-fashion): promotions for its system (shopify), for the store
    // by its name (cairo-fashion) and for the pair all apply there.
    private static string[] Channels(string? channel) =>
        channel?.Trim() is not { Length: > 0 } named ? []
        : named.IndexOf('/', StringComparison.Ordinal) is var slash and > 0 && slash < named.Length - 1 ? [named, named[..slash], named[(slash + 1)..]]
        : [named];

    /// <summary>
    /// The SKUs a price list has a price row for, in order, <paramref name="limit"/> after <paramref name="after"/>: a
    /// full upload of a store's prices walks them a page at a time.
    /// </summary>
    public async Task<IReadOnlyList<string>> SkusAsync(string company, string priceList, string after, int limit)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return [.. await connection.QueryAsync<string>(
            "SELECT DISTINCT sku FROM erp.item_price WHERE company = @company AND price_list = @priceList AND sku > @after ORDER BY sku LIMIT @limit",
            new { company, priceList, after, limit })];
    }

    /// <summary>
    /// Of <paramref name="skus"/>, those whose last price on the list ended on a day from <paramref name="since"/> to the
    /// day before <paramref name="date"/>, with none after it: a store still shows the price that ended. An item whose
    /// price ended before (long sold out, or reported already) or whose next price is still to come is not one of them.
    /// </summary>
    public async Task<IReadOnlyList<string>> LapsedAsync(string company, string priceList, IReadOnlyCollection<string> skus, DateOnly since, DateOnly date)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return [.. await connection.QueryAsync<string>("""
            SELECT sku FROM erp.item_price WHERE company = @company AND price_list = @priceList AND sku = ANY(@skus)
            GROUP BY sku
            HAVING bool_and(valid_to IS NOT NULL AND valid_to < @date) AND max(valid_to) >= @since
            ORDER BY sku
            """, new { company, priceList, skus = skus.ToArray(), since, date })];
    }

    /// <summary>
    /// The SKUs of a price list whose item is in one of <paramref name="groups"/> or in a group under one of them: what a
    /// promotion on item groups reprices.
    /// </summary>
    public async Task<IReadOnlyList<string>> SkusInGroupsAsync(string company, string priceList, IReadOnlyCollection<string> groups)
    {
        if (groups.Count == 0)
        {
            return [];
        }

        await using var connection = await dataSource.OpenConnectionAsync();
        return [.. await connection.QueryAsync<string>("""
            WITH RECURSIVE groups AS (
                SELECT g.id FROM erp.item_group g WHERE g.company = @company AND g.id = ANY(@groups)
                UNION
                SELECT g.id FROM erp.item_group g JOIN groups ON g.company = @company AND g.parent = groups.id
            )
            SELECT DISTINCT p.sku FROM erp.item_price p JOIN erp.item i ON i.company = p.company AND i.sku = p.sku
            WHERE p.company = @company AND p.price_list = @priceList AND i.item_group IN (SELECT id FROM groups)
            ORDER BY p.sku
            """, new { company, priceList, groups = groups.ToArray() })];
    }

    /// <summary>
    /// The SKUs of a price list whose price may change on a day from <paramref name="first"/> to <paramref name="last"/>:
    /// a price row or a promotion (on the SKU or on its item group or a parent group) starts that day or ended the day
    /// before. A store sync recomputes just these when its day begins (several days after the host was down); stores
    /// like Shopify have no scheduled prices of their own.
    /// </summary>
    public async Task<IReadOnlyList<string>> ChangingOnAsync(string company, string priceList, DateOnly first, DateOnly last)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return [.. await connection.QueryAsync<string>("""
            WITH RECURSIVE promoted AS (
                SELECT skus, item_groups FROM erp.promotion
                WHERE company = @company AND (valid_from BETWEEN @first AND @last OR valid_to BETWEEN @first - 1 AND @last - 1)
            ), groups AS (
                SELECT g.id FROM erp.item_group g WHERE g.company = @company AND g.id = ANY(SELECT unnest(item_groups) FROM promoted)
                UNION
                SELECT g.id FROM erp.item_group g JOIN groups ON g.company = @company AND g.parent = groups.id
            )
            SELECT DISTINCT p.sku FROM erp.item_price p JOIN erp.item i ON i.company = p.company AND i.sku = p.sku
            WHERE p.company = @company AND p.price_list = @priceList
              AND (p.valid_from BETWEEN @first AND @last OR p.valid_to BETWEEN @first - 1 AND @last - 1
                   OR p.sku = ANY(SELECT unnest(skus) FROM promoted)
                   OR i.item_group IN (SELECT id FROM groups))
            ORDER BY p.sku
            """, new { company, priceList, first, last })];
    }

    // Properties, not a constructor: Dapper gives a text[] column's type as System.Array, which no constructor matches.
    private sealed class PromotionRow
    {
        public const string Select = """
            SELECT company AS Company, id AS Id, name AS Name, kind AS Kind, value AS Value, skus AS Skus, item_groups AS ItemGroups,
                   valid_from AS ValidFrom, valid_to AS ValidTo, min_qty AS MinQty, buy_qty AS BuyQty, free_qty AS FreeQty, channel AS Channel,
                   rtrim(currency) AS Currency
            FROM erp.promotion
            """;

        public string Company { get; init; } = "";

        public string Id { get; init; } = "";

        public string Name { get; init; } = "";

        public string Kind { get; init; } = "";

        public decimal Value { get; init; }

        public string[] Skus { get; init; } = [];

        public string[] ItemGroups { get; init; } = [];

        public DateOnly ValidFrom { get; init; }

        public DateOnly ValidTo { get; init; }

        public decimal MinQty { get; init; }

        public decimal BuyQty { get; init; }

        public decimal FreeQty { get; init; }

        public string? Channel { get; init; }

        public string? Currency { get; init; }

        public Promotion ToPromotion() => new(Company, Id, Name, Kind, Value, Skus, ItemGroups, ValidFrom, ValidTo, MinQty, BuyQty, FreeQty, Channel, Currency);
    }

    private sealed record SkuPromotionRow(string Sku, string Company, string Id, string Name, string Kind, decimal Value, DateOnly ValidFrom, DateOnly ValidTo,
        decimal MinQty, decimal BuyQty, decimal FreeQty, string? Channel)
    {
        public Promotion ToPromotion() => new(Company, Id, Name, Kind, Value, [], [], ValidFrom, ValidTo, MinQty, BuyQty, FreeQty, Channel);
    }
}
