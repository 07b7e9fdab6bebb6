using System.Text.Json;
using Dapper;
using Npgsql;

namespace Integration.Erp.Items;

internal static class ItemStore
{
    private const string Columns = """
        i.company AS Company, i.sku AS Sku, i.name AS Name, i.item_group AS ItemGroup, i.uom AS Uom, i.description AS Description,
        i.status AS Status, i.is_stock_item AS IsStockItem, i.valuation_method AS ValuationMethod, i.is_template AS IsTemplate,
        i.template_sku AS TemplateSku, i.attributes::text AS Attributes,
        coalesce((SELECT array_agg(b.barcode ORDER BY b.barcode) FROM erp.item_barcode b WHERE b.company = i.company AND b.sku = i.sku), '{}') AS Barcodes
        """;

    public static async Task CreateGroupAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, ItemGroup group)
    {
        // A sale's income and cost never go to a stock account: its balance is the stock ledger's value (a cost account of
        // type Stock would credit and debit the same account while the stock ledger's value fell).
        var accounts = new[] { group.IncomeAccount, group.CogsAccount }.OfType<string>().ToArray();
        if (accounts.Length > 0 && await connection.QueryFirstOrDefaultAsync<string?>(
                "SELECT id FROM erp.account WHERE company = @Company AND id = ANY(@accounts) AND account_type = 'Stock'", new { group.Company, accounts }, transaction) is { } stock)
        {
            throw new ErpRuleException("stock-account", $"Item group '{group.Id}': account '{stock}' is a stock account; a group's income and cost of goods sold go to accounts of their own.", 400);
        }

        try
        {
            await connection.ExecuteAsync("""
                INSERT INTO erp.item_group (company, id, name, parent, is_group, income_account, cogs_account, stock_account, cost_center)
                VALUES (@Company, @Id, @Name, @Parent, @IsGroup, @IncomeAccount, @CogsAccount, @StockAccount, @CostCenter)
                """, group, transaction);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new ErpRuleException("duplicate-item-group", $"Item group '{group.Id}' exists.", 409);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            throw new ErpRuleException("unknown-reference", $"Unknown parent, account or cost center ({ex.ConstraintName}).", 400);
        }
    }

    public static async Task<IReadOnlyList<ItemGroup>> ListGroupsAsync(NpgsqlConnection connection, string company) =>
        [.. await connection.QueryAsync<ItemGroup>("""
            SELECT company AS Company, id AS Id, name AS Name, parent AS Parent, is_group AS IsGroup, income_account AS IncomeAccount,
                   cogs_account AS CogsAccount, stock_account AS StockAccount, cost_center AS CostCenter
            FROM erp.item_group WHERE company = @company ORDER BY id
            """, new { company })];

    /// <summary>
    /// The rule of effective item groups, as SQL for a <c>WITH RECURSIVE</c> after a <c>wanted_group(id)</c> query:
    /// <c>effective_group</c> holds each wanted group of @company with each account and the cost center taken from
    /// the nearest group up the tree that sets them. Unknown ids are not in it.
    /// </summary>
    private const string EffectiveGroupsSql = """
        up AS (
            SELECT g.id AS start, g.parent, g.income_account, g.cogs_account, g.stock_account, g.cost_center, 0 AS depth
            FROM erp.item_group g WHERE g.company = @company AND g.id IN (SELECT id FROM wanted_group)
            UNION ALL
            SELECT up.start, g.parent, g.income_account, g.cogs_account, g.stock_account, g.cost_center, up.depth + 1
            FROM erp.item_group g JOIN up ON g.company = @company AND g.id = up.parent
        ), effective_group AS (
            SELECT g.id, g.name, g.parent, g.is_group,
                   (SELECT income_account FROM up WHERE up.start = g.id AND income_account IS NOT NULL ORDER BY depth LIMIT 1) AS income_account,
                   (SELECT cogs_account FROM up WHERE up.start = g.id AND cogs_account IS NOT NULL ORDER BY depth LIMIT 1) AS cogs_account,
                   (SELECT stock_account FROM up WHERE up.start = g.id AND stock_account IS NOT NULL ORDER BY depth LIMIT 1) AS stock_account,
                   (SELECT cost_center FROM up WHERE up.start = g.id AND cost_center IS NOT NULL ORDER BY depth LIMIT 1) AS cost_center
            FROM erp.item_group g WHERE g.company = @company AND g.id IN (SELECT id FROM wanted_group)
        )
        """;

    /// <summary>
    /// The items of these SKUs with their effective groups (see <see cref="EffectiveGroupAsync"/>), in one round trip:
    /// what a sales document needs of each line's item. SKUs that are no item are not in the answer.
    /// </summary>
    public static async Task<Dictionary<string, SaleItem>> SaleItemsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string company, IReadOnlyCollection<string> skus)
    {
        var rows = await connection.QueryAsync<SaleItemRow>($"""
            WITH RECURSIVE item AS (
                SELECT sku, status, is_stock_item, is_template, item_group FROM erp.item WHERE company = @company AND sku = ANY(@skus)
            ), wanted_group(id) AS (SELECT item_group FROM item),
            {EffectiveGroupsSql}
            SELECT i.sku AS Sku, i.status AS Status, i.is_stock_item AS IsStockItem, i.is_template AS IsTemplate, i.item_group AS ItemGroup,
                   g.id IS NOT NULL AS GroupFound, g.name AS Name, g.parent AS Parent, coalesce(g.is_group, false) AS IsGroup,
                   g.income_account AS IncomeAccount, g.cogs_account AS CogsAccount, g.stock_account AS StockAccount, g.cost_center AS CostCenter
            FROM item i LEFT JOIN effective_group g ON g.id = i.item_group
            """, new { company, skus = skus as string[] ?? [.. skus] }, transaction);
        var items = new Dictionary<string, SaleItem>(StringComparer.Ordinal);
        foreach (var r in rows)
        {
            var group = r.GroupFound
                ? new ItemGroup(company, r.ItemGroup, r.Name!, r.Parent, r.IsGroup, r.IncomeAccount, r.CogsAccount, r.StockAccount, r.CostCenter)
                : throw new ErpRuleException("unknown-item-group", $"No item group '{r.ItemGroup}' in {company}.", 400);
            items[r.Sku] = new SaleItem(r.Status, r.IsStockItem, group, r.IsTemplate);
        }

        return items;
    }

    /// <summary>The group's accounts and cost center, inherited from the nearest ancestor that sets them.</summary>
    public static async Task<ItemGroup> EffectiveGroupAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string company, string id) =>
        await connection.QuerySingleOrDefaultAsync<ItemGroup>($"""
            WITH RECURSIVE wanted_group(id) AS (VALUES (@id)),
            {EffectiveGroupsSql}
            SELECT @company AS Company, id AS Id, name AS Name, parent AS Parent, is_group AS IsGroup, income_account AS IncomeAccount,
                   cogs_account AS CogsAccount, stock_account AS StockAccount, cost_center AS CostCenter
            FROM effective_group
            """, new { company, id }, transaction)
        ?? throw new ErpRuleException("unknown-item-group", $"No item group '{id}' in {company}.", 400);

    private static readonly string[] GroupField = ["itemGroup"];

    /// <summary>Adds an item; a variant given no item group (empty) takes its template's, as the store shows its product.</summary>
    public static async Task<Item> CreateAsync(NpgsqlConnection connection, Item item)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        if (item.TemplateSku is not null)
        {
            var template = await GetAsync(connection, item.Company, item.TemplateSku, transaction)
                ?? throw new ErpRuleException("unknown-template", $"No template item '{item.TemplateSku}'.", 400);
            if (!template.IsTemplate)
            {
                throw new ErpRuleException("not-a-template", $"'{template.Sku}' is not a template.", 400);
            }

            CheckVariantAttributes(template, item.Attributes);
            if (item.ItemGroup.Length == 0)
            {
                item = item with { ItemGroup = template.ItemGroup };
            }
        }

        var group = await EffectiveGroupAsync(connection, transaction, item.Company, item.ItemGroup);
        if (group.IsGroup)
        {
            throw new ErpRuleException("group-item-group", $"Items belong to a ledger item group; '{group.Id}' is a group.", 400);
        }

        try
        {
            await connection.ExecuteAsync("""
                INSERT INTO erp.item (company, sku, name, item_group, uom, description, status, is_stock_item, valuation_method, is_template, template_sku, attributes)
                VALUES (@Company, @Sku, @Name, @ItemGroup, @Uom, @Description, @Status, @IsStockItem, @ValuationMethod, @IsTemplate, @TemplateSku, @Attributes::jsonb)
                """, new
            {
                item.Company, item.Sku, item.Name, item.ItemGroup, item.Uom, item.Description, item.Status, item.IsStockItem,
                item.ValuationMethod, item.IsTemplate, item.TemplateSku, Attributes = JsonSerializer.Serialize(item.Attributes),
            }, transaction);
            foreach (var barcode in item.Barcodes)
            {
                await connection.ExecuteAsync("INSERT INTO erp.item_barcode (company, barcode, sku) VALUES (@Company, @barcode, @Sku)",
                    new { item.Company, barcode, item.Sku }, transaction);
            }
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw ex.ConstraintName?.Contains("barcode", StringComparison.Ordinal) == true
                ? new ErpRuleException("duplicate-barcode", "A barcode of this item belongs to another item.", 409)
                : new ErpRuleException("duplicate-sku", $"SKU '{item.Sku}' exists in {item.Company}.", 409);
        }

        await Outbox.AddAsync(connection, transaction, "erp.item.changed", item.Company, item.Sku, new { item.Sku, item.TemplateSku, item.Status, change = "created" }, ItemEvents.OrderingKey(item.Sku, item.TemplateSku));
        await transaction.CommitAsync();
        return (await GetAsync(connection, item.Company, item.Sku))!;
    }

    public static async Task<Item?> GetAsync(NpgsqlConnection connection, string company, string sku, NpgsqlTransaction? transaction = null) =>
        (await connection.QuerySingleOrDefaultAsync<Row>($"SELECT {Columns} FROM erp.item i WHERE i.company = @company AND i.sku = @sku", new { company, sku }, transaction))?.ToItem();

    public static async Task<IReadOnlyList<Item>> ListAsync(NpgsqlConnection connection, string company, string? status, string? itemGroup) =>
        [.. (await connection.QueryAsync<Row>($"""
            SELECT {Columns} FROM erp.item i
            WHERE i.company = @company AND (@status::text IS NULL OR i.status = @status) AND (@itemGroup::text IS NULL OR i.item_group = @itemGroup)
            ORDER BY i.sku
            """, new { company, status, itemGroup })).Select(r => r.ToItem())];

    /// <summary>
    /// Changes an item's name, description, group, attributes or barcodes (only those given). The stores hear of it
    /// through the outbox (<c>erp.item.changed</c>, change <c>updated</c>, with the fields that changed) only when
    /// something changed; the same change again is a no-op.
    /// </summary>
    public static async Task<Item> UpdateAsync(NpgsqlConnection connection, string company, string sku, ItemChanges changes)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        var before = await connection.QuerySingleOrDefaultAsync<Row>($"SELECT {Columns} FROM erp.item i WHERE i.company = @company AND i.sku = @sku FOR UPDATE OF i", new { company, sku }, transaction)
            is { } row ? row.ToItem() : throw ErpRuleException.NotFound("unknown-item", $"No item '{sku}' in {company}.");
        if (changes.Name is { } name && string.IsNullOrWhiteSpace(name))
        {
            throw new ErpRuleException("invalid-name", "An item's name is not empty.", 400);
        }

        var after = before with
        {
            Name = changes.Name?.Trim() ?? before.Name,
            Description = changes.Description ?? before.Description,
            ItemGroup = changes.ItemGroup?.Trim() ?? before.ItemGroup,
            Attributes = changes.Attributes ?? before.Attributes,
            Barcodes = changes.Barcodes is { } barcodes ? [.. barcodes.Select(b => b.Trim()).Where(b => b.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)] : before.Barcodes,
        };

        List<string> changed =
        [
            .. after.Name != before.Name ? ["name"] : Array.Empty<string>(),
            .. after.Description != before.Description ? ["description"] : Array.Empty<string>(),
            .. after.ItemGroup != before.ItemGroup ? ["itemGroup"] : Array.Empty<string>(),
            .. !SameAttributes(after.Attributes, before.Attributes) ? ["attributes"] : Array.Empty<string>(),
            .. !after.Barcodes.SequenceEqual(before.Barcodes, StringComparer.Ordinal) ? ["barcodes"] : Array.Empty<string>(),
        ];
        if (changed.Count == 0)
        {
            await transaction.CommitAsync();
            return before;
        }

        if (changed.Contains("itemGroup"))
        {
            var group = await EffectiveGroupAsync(connection, transaction, company, after.ItemGroup);
            if (group.IsGroup)
            {
                throw new ErpRuleException("group-item-group", $"Items belong to a ledger item group; '{group.Id}' is a group.", 400);
            }
        }

        if (changed.Contains("attributes"))
        {
            await CheckAttributesAsync(connection, transaction, after);
        }

        await connection.ExecuteAsync("""
            UPDATE erp.item SET name = @Name, description = @Description, item_group = @ItemGroup, attributes = @Attributes::jsonb, updated_at = now()
            WHERE company = @Company AND sku = @Sku
            """, new { after.Name, after.Description, after.ItemGroup, Attributes = JsonSerializer.Serialize(after.Attributes), after.Company, after.Sku }, transaction);
        if (changed.Contains("barcodes"))
        {
            try
            {
                await connection.ExecuteAsync("DELETE FROM erp.item_barcode WHERE company = @company AND sku = @sku", new { company, sku }, transaction);
                foreach (var barcode in after.Barcodes)
                {
                    await connection.ExecuteAsync("INSERT INTO erp.item_barcode (company, barcode, sku) VALUES (@company, @barcode, @sku)", new { company, barcode, sku }, transaction);
                }
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                throw new ErpRuleException("duplicate-barcode", "A barcode of this item belongs to another item.", 409);
            }
        }

        await Outbox.AddAsync(connection, transaction, "erp.item.changed", company, sku, new { sku, after.TemplateSku, after.Status, change = "updated", fields = changed }, ItemEvents.OrderingKey(sku, after.TemplateSku));
        if (after.IsTemplate && changed.Contains("itemGroup"))
        {
            // Its variants in the template's group move with it: promotions and accounts by group apply to the SKUs sold,
            // and the store shows the product in the template's group. Each is priced again (its own event); a variant
            // put in a group of its own stays there.
            var moved = await connection.QueryAsync<(string Sku, string Status)>("""
                UPDATE erp.item SET item_group = @group, updated_at = now()
                WHERE company = @company AND template_sku = @sku AND item_group = @before
                RETURNING sku, status
                """, new { company, sku, group = after.ItemGroup, before = before.ItemGroup }, transaction);
            foreach (var variant in moved)
            {
                await Outbox.AddAsync(connection, transaction, "erp.item.changed", company, variant.Sku,
                    new { sku = variant.Sku, templateSku = sku, variant.Status, change = "updated", fields = GroupField }, ItemEvents.OrderingKey(variant.Sku, sku));
            }
        }

        await transaction.CommitAsync();
        return (await GetAsync(connection, company, sku))!;
    }

    // A variant's values must be among its template's; a template's allowed values must still hold every variant's.
    private static async Task CheckAttributesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Item item)
    {
        if (item.TemplateSku is not null)
        {
            CheckVariantAttributes((await GetAsync(connection, item.Company, item.TemplateSku, transaction))!, item.Attributes);
        }

        if (item.IsTemplate)
        {
            var variants = await connection.QueryAsync<Row>($"SELECT {Columns} FROM erp.item i WHERE i.company = @Company AND i.template_sku = @Sku", new { item.Company, item.Sku }, transaction);
            foreach (var variant in variants.Select(v => v.ToItem()))
            {
                try
                {
                    CheckVariantAttributes(item, variant.Attributes);
                }
                catch (ErpRuleException ex)
                {
                    throw new ErpRuleException("attribute-in-use", $"Variant '{variant.Sku}' would no longer fit: {ex.Message}", 409);
                }
            }
        }
    }

    private static void CheckVariantAttributes(Item template, IReadOnlyDictionary<string, JsonElement> attributes)
    {
        foreach (var (name, allowed) in template.Attributes)
        {
            if (!attributes.TryGetValue(name, out var value) || value.ValueKind != JsonValueKind.String
                || (allowed.ValueKind == JsonValueKind.Array && !allowed.EnumerateArray().Any(a => a.GetString() == value.GetString())))
            {
                throw new ErpRuleException("invalid-variant-attribute", $"Variant of '{template.Sku}' needs '{name}' as one of {allowed}.", 400);
            }
        }
    }

    private static bool SameAttributes(IReadOnlyDictionary<string, JsonElement> a, IReadOnlyDictionary<string, JsonElement> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var other) && JsonElement.DeepEquals(p.Value, other));

    /// <summary>Puts an item on hold or makes it active again; the stores hear of it through the outbox.</summary>
    public static async Task<Item> SetStatusAsync(NpgsqlConnection connection, string company, string sku, string status)
    {
        if (status is not (Item.Active or Item.OnHold))
        {
            throw new ErpRuleException("invalid-status", "Status is Active or On hold.", 400);
        }

        await using var transaction = await connection.BeginTransactionAsync();
        // The changed row's template comes back with the update (null for a simple item); no row when nothing changed.
        var changed = (await connection.QueryAsync<string?>(
            "UPDATE erp.item SET status = @status, updated_at = now() WHERE company = @company AND sku = @sku AND status <> @status RETURNING template_sku",
            new { company, sku, status }, transaction)).ToList();
        if (changed is [var templateSku])
        {
            await Outbox.AddAsync(connection, transaction, "erp.item.changed", company, sku, new { sku, templateSku, status, change = "status" }, ItemEvents.OrderingKey(sku, templateSku));
        }

        await transaction.CommitAsync();
        return await GetAsync(connection, company, sku) ?? throw ErpRuleException.NotFound("unknown-item", $"No item '{sku}' in {company}.");
    }

    private sealed class Row
    {
        public string Company { get; set; } = "";

        public string Sku { get; set; } = "";

        public string Name { get; set; } = "";

        public string ItemGroup { get; set; } = "";

        public string Uom { get; set; } = "";

        public string? Description { get; set; }

        public string Status { get; set; } = "";

        public bool IsStockItem { get; set; }

        public string ValuationMethod { get; set; } = "";

        public bool IsTemplate { get; set; }

        public string? TemplateSku { get; set; }

        public string Attributes { get; set; } = "{}";

        public string[] Barcodes { get; set; } = [];

        public Item ToItem() => new(Company, Sku, Name, ItemGroup, Uom, Description, Status, IsStockItem, ValuationMethod, IsTemplate, TemplateSku,
            JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Attributes) ?? [], Barcodes);
    }

    private sealed record SaleItemRow(
        string Sku, string Status, bool IsStockItem, bool IsTemplate, string ItemGroup, bool GroupFound, string? Name, string? Parent, bool IsGroup,
        string? IncomeAccount, string? CogsAccount, string? StockAccount, string? CostCenter);
}
