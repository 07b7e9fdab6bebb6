using System.Globalization;
using System.Text.Json.Nodes;

namespace Integration.Simulators.Shopify;

/// <summary>
/// Products as <c>productSet</c> writes them: scalar fields given are set and the rest left alone; list fields given
/// (<c>productOptions</c>, <c>variants</c>, <c>files</c>) replace the product's: entries without an id are created,
/// entries with an id updated, and existing entries left out deleted (a deleted variant takes its inventory item
/// with it). Smart collections select products by their rules.
/// </summary>
public sealed partial class ShopifyShopState
{
    private readonly List<SimulatedCollectionDefinition> _collections = [];

    /// <summary>A product as it is now (a copy), or null.</summary>
    public SimulatedProductView? Product(long productId)
    {
        lock (Gate)
        {
            return _products.TryGetValue(productId, out var product) ? View(product) : null;
        }
    }

    /// <summary>Every product, in id order.</summary>
    public IReadOnlyList<SimulatedProductView> Products { get { lock (Gate) { return [.. _products.Values.OrderBy(p => p.Id).Select(View)]; } } }

    public IReadOnlyList<SimulatedCollectionDefinition> Collections { get { lock (Gate) { return [.. _collections]; } } }

    /// <summary>The products a smart collection selects now (its rules over the products' fields).</summary>
    public IReadOnlyList<long> CollectionProducts(long collectionId)
    {
        lock (Gate)
        {
            var collection = _collections.Single(c => c.Id == collectionId);
            return [.. _products.Values.Where(p => collection.Disjunctive ? collection.Rules.Any(r => r.Matches(p)) : collection.Rules.All(r => r.Matches(p))).Select(p => p.Id).Order()];
        }
    }

    /// <summary>A variant added by hand in the admin: its value of the product's first option is added to that option.</summary>
    public SimulatedInventoryItem AddVariant(long productId, string sku, (string Option, string Value) value)
    {
        lock (Gate)
        {
            var product = _products[productId];
            var option = product.Options.Single(o => o.Name == value.Option);
            option.Values.Add(value.Value);
            var item = NewVariant(product, sku);
            item.OptionValues.Add(value);
            product.VariantIds.Add(item.VariantId);
            product.Version++;
            return item;
        }
    }

    /// <summary>A smart collection made in the admin (or by an earlier run whose answer was lost).</summary>
    /// <summary>A collection deleted by hand in the Shopify admin; false when there was none with that id.</summary>
    public bool DeleteCollection(long collectionId)
    {
        lock (Gate)
        {
            return _collections.RemoveAll(c => c.Id == collectionId) > 0;
        }
    }

    public SimulatedCollectionDefinition AddCollection(string title, bool disjunctive, IReadOnlyList<SimulatedRule> rules)
    {
        lock (Gate)
        {
            var collection = new SimulatedCollectionDefinition(NextId(), title, disjunctive, rules);
            _collections.Add(collection);
            return collection;
        }
    }

    internal JsonObject ProductJson(SimulatedProduct product) => new()
    {
        ["id"] = "gid://shopify/Product/" + product.Id.ToString(CultureInfo.InvariantCulture),
        ["title"] = product.Title,
        ["status"] = product.Status,
        ["productType"] = product.ProductType,
        ["descriptionHtml"] = product.DescriptionHtml,
        ["variants"] = new JsonObject
        {
            ["nodes"] = new JsonArray([.. VariantsOf(product).Select(v => (JsonNode?)new JsonObject
            {
                ["id"] = "gid://shopify/ProductVariant/" + v.VariantId.ToString(CultureInfo.InvariantCulture),
                ["sku"] = v.Sku,
                ["price"] = v.Price,
                ["compareAtPrice"] = v.CompareAtPrice,
                ["inventoryItem"] = new JsonObject { ["id"] = "gid://shopify/InventoryItem/" + v.Id.ToString(CultureInfo.InvariantCulture) },
            })]),
        },
        ["media"] = new JsonObject
        {
            ["nodes"] = new JsonArray([.. product.Media.Select(m => (JsonNode?)new JsonObject
            {
                ["id"] = "gid://shopify/MediaImage/" + m.Id.ToString(CultureInfo.InvariantCulture),
                ["alt"] = m.Alt,
            })]),
        },
    };

    /// <summary>
    /// Applies a productSet input (checked first: nothing is changed when any user error is found). The product's
    /// <see cref="SimulatedProduct.Version"/> moves only when something changed.
    /// </summary>
    internal (SimulatedProduct? Product, List<(string[] Field, string? Code, string Message)> Errors) ProductSet(long? productId, JsonObject input)
    {
        var errors = new List<(string[] Field, string? Code, string Message)>();
        SimulatedProduct? product = null;
        if (productId is { } id && !_products.TryGetValue(id, out product))
        {
            errors.Add((["identifier", "id"], "PRODUCT_DOES_NOT_EXIST", "Product does not exist"));
            return (null, errors);
        }

        if (product is null && string.IsNullOrWhiteSpace(input["title"]?.GetValue<string>()))
        {
            errors.Add((["input", "title"], "INVALID_PRODUCT", "Title can't be blank"));
        }

        var optionsInput = input["productOptions"] as JsonArray;
        var variantsInput = input["variants"] as JsonArray;
        if (optionsInput is null != variantsInput is null)
        {
            errors.Add(optionsInput is null
                ? (["input", "productOptions"], "PRODUCT_OPTIONS_INPUT_MISSING", "Product options input is required when updating variants.")
                : (["input", "variants"], "VARIANTS_INPUT_MISSING", "Variants input is required when updating product options."));
        }

        var options = new List<SimulatedOption>();
        foreach (var (option, i) in (optionsInput ?? []).OfType<JsonObject>().Select((o, i) => (o, i)))
        {
            var name = option["name"]?.GetValue<string>() ?? "";
            var values = (option["values"] as JsonArray ?? []).Select(v => v?["name"]?.GetValue<string>() ?? "").ToList();
            if (options.Any(o => o.Name == name))
            {
                errors.Add((["input", "productOptions", At(i), "name"], "DUPLICATED_OPTION_NAME", $"Duplicated option name '{name}'."));
            }

            if (values.Count == 0 || values.Distinct(StringComparer.Ordinal).Count() != values.Count)
            {
                errors.Add((["input", "productOptions", At(i), "values"], "DUPLICATED_OPTION_VALUE", $"Option '{name}' needs distinct values."));
            }

            options.Add(new SimulatedOption(name, values));
        }

        var variants = (variantsInput ?? []).OfType<JsonObject>().ToList();
        var combinations = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < variants.Count; i++)
        {
            var values = (variants[i]["optionValues"] as JsonArray ?? []).OfType<JsonObject>()
                .Select(v => (Option: v["optionName"]?.GetValue<string>() ?? "", Value: v["name"]?.GetValue<string>() ?? "")).ToList();
            if (variants[i]["id"] is JsonNode variantId && (VariantOf(variantId) is not { } existing || existing.ProductId != product?.Id))
            {
                errors.Add((["input", "variants", At(i), "id"], "PRODUCT_VARIANT_DOES_NOT_EXIST", "Product variant does not exist"));
                continue;
            }

            var unknown = values.FindIndex(v => options.All(o => o.Name != v.Option));
            var missing = options.FirstOrDefault(o => values.Count(v => v.Option == o.Name) != 1);
            var notListed = unknown >= 0 || missing is not null ? -1 : values.FindIndex(v => !options.Single(o => o.Name == v.Option).Values.Contains(v.Value));
            if (unknown >= 0)
            {
                errors.Add((["input", "variants", At(i), "optionValues"], "OPTION_DOES_NOT_EXIST", $"Option '{values[unknown].Option}' does not exist."));
            }
            else if (missing is not null)
            {
                errors.Add((["input", "variants", At(i), "optionValues"], "OPTION_VALUES_MISSING", $"The variant needs one value of option '{missing.Name}'."));
            }
            else if (notListed >= 0)
            {
                errors.Add((["input", "variants", At(i), "optionValues"], "OPTION_VALUE_DOES_NOT_EXIST", $"Option value '{values[notListed].Value}' of '{values[notListed].Option}' does not exist."));
            }
            else if (!combinations.Add(string.Join('\u001f', options.Select(o => values.Single(v => v.Option == o.Name).Value))))
            {
                errors.Add((["input", "variants", At(i), "optionValues"], "INVALID_VARIANT", $"The variant '{string.Join(" / ", values.Select(v => v.Value))}' already exists."));
            }
        }

        // Quantities are set when a variant is created (Shopify: "Inventory quantities can only be provided during create").
        for (var i = 0; i < variants.Count; i++)
        {
            foreach (var (quantity, j) in (variants[i]["inventoryQuantities"] as JsonArray ?? []).OfType<JsonObject>().Select((q, j) => (q, j)))
            {
                if (variants[i].ContainsKey("id"))
                {
                    errors.Add((["input", "variants", At(i), "inventoryQuantities"], "NO_INVENTORY_QUANTITES_DURING_UPDATE", "Inventory quantities can only be provided during create."));
                    break;
                }

                if (quantity["locationId"] is not JsonValue location || _locations.All(l => l.Id != NumericId(location)))
                {
                    errors.Add((["input", "variants", At(i), "inventoryQuantities", At(j), "locationId"], "INVALID_INPUT", "Location does not exist."));
                }
                else if (quantity["name"]?.GetValue<string>() is not ("available" or "on_hand"))
                {
                    errors.Add((["input", "variants", At(i), "inventoryQuantities", At(j), "name"], "INVALID_INPUT", "Name must be one of available or on_hand."));
                }
            }
        }

        var files = input["files"] as JsonArray;
        foreach (var (variant, i) in variants.Select((v, i) => (v, i)))
        {
            if (variant["file"] is JsonObject file && FileIndex(files, file) < 0)
            {
                errors.Add((["input", "variants", At(i), "file"], "INVALID_INPUT", "The variant's file must also be in the product's files."));
            }
        }

        foreach (var (file, i) in (files ?? []).OfType<JsonObject>().Select((f, i) => (f, i)))
        {
            if (file["id"] is JsonNode mediaId)
            {
                if (product?.Media.Any(m => m.Id == NumericId(mediaId)) != true)
                {
                    errors.Add((["input", "files", At(i), "id"], "INVALID_INPUT", "File does not exist"));
                }
            }
            else if (!Uri.TryCreate(file["originalSource"]?.GetValue<string>(), UriKind.Absolute, out var source) || source.Scheme is not ("http" or "https"))
            {
                errors.Add((["input", "files", At(i), "originalSource"], "INVALID_INPUT", "Image URL is invalid"));
            }
        }

        if (input["status"]?.GetValue<string>() is { } status && status is not ("ACTIVE" or "DRAFT" or "ARCHIVED" or "UNLISTED"))
        {
            errors.Add((["input", "status"], "INVALID_INPUT", $"Status '{status}' is not one of ACTIVE, ARCHIVED, DRAFT, UNLISTED."));
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        if (product is null)
        {
            product = new SimulatedProduct(NextId(), "");
            _products[product.Id] = product;
        }

        var before = Fingerprint(product);
        var variantFiles = new List<(long VariantId, int File)>();
        product.Title = input["title"]?.GetValue<string>() ?? product.Title;
        product.DescriptionHtml = input["descriptionHtml"]?.GetValue<string>() ?? product.DescriptionHtml;
        product.ProductType = input["productType"]?.GetValue<string>() ?? product.ProductType;
        product.Vendor = input["vendor"]?.GetValue<string>() ?? product.Vendor;
        product.Status = input["status"]?.GetValue<string>() ?? product.Status;
        if (optionsInput is not null)
        {
            product.Options.Clear();
            product.Options.AddRange(options);
            var kept = new List<long>();
            foreach (var variant in variants)
            {
                var fileOf = variant["file"] as JsonObject;
                var item = variant["id"] is JsonNode variantId ? VariantOf(variantId)! : NewVariant(product, variant["sku"]?.GetValue<string>() ?? "");
                if (variant["sku"]?.GetValue<string>() is { } sku && sku != item.Sku)
                {
                    item = Resku(item, sku);
                }

                item.OptionValues.Clear();
                item.OptionValues.AddRange(options.Select(o => (o.Name, (variant["optionValues"] as JsonArray ?? []).OfType<JsonObject>()
                    .Single(v => v["optionName"]?.GetValue<string>() == o.Name)["name"]!.GetValue<string>())));
                item.Barcode = variant.ContainsKey("barcode") ? variant["barcode"]?.GetValue<string>() : item.Barcode;
                item.Tracked = variant["inventoryItem"]?["tracked"]?.GetValue<bool>() ?? item.Tracked;
                foreach (var quantity in (variant["inventoryQuantities"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    // No committed stock in the simulator: on hand and available are the same number.
                    item.Available[NumericId(quantity["locationId"]!)] = quantity["quantity"]!.GetValue<int>();
                }

                if (variant["price"] is JsonValue price)
                {
                    item.Price = decimal.Parse(price.ToString(), NumberStyles.Number, CultureInfo.InvariantCulture).ToString("0.00", CultureInfo.InvariantCulture);
                }

                if (variant.ContainsKey("compareAtPrice"))
                {
                    item.CompareAtPrice = variant["compareAtPrice"] is JsonValue was
                        ? decimal.Parse(was.ToString(), NumberStyles.Number, CultureInfo.InvariantCulture).ToString("0.00", CultureInfo.InvariantCulture) : null;
                }

                kept.Add(item.VariantId);
                if (fileOf is not null)
                {
                    variantFiles.Add((item.VariantId, FileIndex(files, fileOf)));
                }
            }

            foreach (var gone in VariantsOf(product).Where(v => !kept.Contains(v.VariantId)).ToList())
            {
                RemoveVariant(gone);
            }

            product.VariantIds.Clear();
            product.VariantIds.AddRange(kept);
        }

        if (files is not null)
        {
            var media = new List<SimulatedMedia>();
            foreach (var file in files.OfType<JsonObject>())
            {
                media.Add(file["id"] is JsonNode mediaId
                    ? product.Media.Single(m => m.Id == NumericId(mediaId)) with { Alt = file.ContainsKey("alt") ? file["alt"]?.GetValue<string>() : product.Media.Single(m => m.Id == NumericId(mediaId)).Alt }
                    : new SimulatedMedia(NextId(), file["originalSource"]!.GetValue<string>(), file["alt"]?.GetValue<string>()));
            }

            product.Media.Clear();
            product.Media.AddRange(media);
        }

        foreach (var (variantId, file) in variantFiles)
        {
            _items.Single(v => v.VariantId == variantId).MediaId = product.Media[file].Id;
        }

        foreach (var variant in VariantsOf(product).Where(v => v.MediaId is { } m && product.Media.All(x => x.Id != m)))
        {
            variant.MediaId = null; // its image was deleted
        }

        if (Fingerprint(product) != before)
        {
            product.Version++;
        }

        return (product, errors);
    }

    private SimulatedInventoryItem? VariantOf(JsonNode gid) => _items.FirstOrDefault(v => v.VariantId == NumericId(gid));

    private SimulatedInventoryItem NewVariant(SimulatedProduct product, string sku)
    {
        var item = new SimulatedInventoryItem(NextId(), sku, NextId(), product.Id, product.Title);
        foreach (var location in _locations)
        {
            item.Available[location.Id] = 0;
        }

        _items.Add(item);
        _itemsById[item.Id] = item;
        _itemsBySku.TryAdd(item.Sku, item);
        return item;
    }

    // A variant's SKU changed: the same variant and inventory item under the new SKU.
    private SimulatedInventoryItem Resku(SimulatedInventoryItem item, string sku)
    {
        var renamed = item with { Sku = sku };
        _items[_items.IndexOf(item)] = renamed;
        _itemsById[item.Id] = renamed;
        if (_itemsBySku.TryGetValue(item.Sku, out var mapped) && ReferenceEquals(mapped, item))
        {
            _itemsBySku.Remove(item.Sku);
        }

        _itemsBySku.TryAdd(sku, renamed);
        return renamed;
    }

    private void RemoveVariant(SimulatedInventoryItem item)
    {
        _items.Remove(item);
        _itemsById.Remove(item.Id);
        if (_itemsBySku.TryGetValue(item.Sku, out var mapped) && ReferenceEquals(mapped, item))
        {
            _itemsBySku.Remove(item.Sku);
            if (_items.FirstOrDefault(i => i.Sku == item.Sku) is { } other)
            {
                _itemsBySku[item.Sku] = other;
            }
        }
    }

    private List<SimulatedInventoryItem> VariantsOf(SimulatedProduct product) =>
        [.. product.VariantIds.Select(id => _items.FirstOrDefault(v => v.VariantId == id)).OfType<SimulatedInventoryItem>()];

    private string Fingerprint(SimulatedProduct product) => string.Join('|',
        product.Title, product.DescriptionHtml, product.ProductType, product.Vendor, product.Status,
        string.Join(';', product.Options.Select(o => o.Name + "=" + string.Join(',', o.Values))),
        string.Join(';', VariantsOf(product).Select(v => $"{v.VariantId}:{v.Sku}:{v.Barcode}:{v.Tracked}:{v.Price}:{v.CompareAtPrice}:{v.MediaId}:{string.Join(',', v.OptionValues)}")),
        string.Join(';', product.Media.Select(m => $"{m.Id}:{m.Source}:{m.Alt}")));

    private SimulatedProductView View(SimulatedProduct p) => new(
        p.Id, p.Title, p.DescriptionHtml, p.ProductType, p.Vendor, p.Status, [.. p.Options.Select(o => o with { Values = [.. o.Values] })],
        VariantsOf(p), [.. p.Media], p.Version);

    // The entry of files a variant's file names: the same id, or the same source URL.
    private static int FileIndex(JsonArray? files, JsonObject file) =>
        (files ?? []).OfType<JsonObject>().ToList().FindIndex(f => file["id"] is JsonNode id
            ? f["id"]?.GetValue<string>() == id.GetValue<string>()
            : f["id"] is null && f["originalSource"]?.GetValue<string>() == file["originalSource"]?.GetValue<string>());

    private static string At(int i) => i.ToString(CultureInfo.InvariantCulture);

    private static long NumericId(JsonNode? gid) =>
        gid?.GetValue<string>() is { } text && long.TryParse(text[(text.LastIndexOf('/') + 1)..], CultureInfo.InvariantCulture, out var id) ? id : 0;
}

/// <summary>A product: scalar fields, options, variant order, media, and a version that moves on every change.</summary>
public sealed class SimulatedProduct(long id, string title)
{
    public long Id { get; } = id;

    public string Title { get; internal set; } = title;

    public string DescriptionHtml { get; internal set; } = "";

    public string ProductType { get; internal set; } = "";

    public string Vendor { get; internal set; } = "";

    public string Status { get; internal set; } = "ACTIVE";

    internal List<SimulatedOption> Options { get; } = [];

    internal List<long> VariantIds { get; } = [];

    internal List<SimulatedMedia> Media { get; } = [];

    /// <summary>Moves by one each time a write changed the product; the same write again leaves it.</summary>
    public int Version { get; internal set; }
}

/// <summary>A product as tests read it: fields, options, variants in order, media in order, version.</summary>
public sealed record SimulatedProductView(
    long Id, string Title, string DescriptionHtml, string ProductType, string Vendor, string Status,
    IReadOnlyList<SimulatedOption> Options, IReadOnlyList<SimulatedInventoryItem> Variants, IReadOnlyList<SimulatedMedia> Media, int Version);

public sealed record SimulatedOption(string Name, List<string> Values);

/// <summary>An image of a product: the URL it was fetched from and its alt text.</summary>
public sealed record SimulatedMedia(long Id, string Source, string? Alt);

/// <summary>A smart collection: products matching all its rules (any, when disjunctive).</summary>
public sealed record SimulatedCollectionDefinition(long Id, string Title, bool Disjunctive, IReadOnlyList<SimulatedRule> Rules);

/// <summary>A smart collection rule (TYPE, VENDOR, TITLE with EQUALS, NOT_EQUALS, CONTAINS), case-insensitive as Shopify's.</summary>
public sealed record SimulatedRule(string Column, string Relation, string Condition)
{
    internal bool Matches(SimulatedProduct product)
    {
        var value = Column switch { "TYPE" => product.ProductType, "VENDOR" => product.Vendor, "TITLE" => product.Title, _ => "" };
        return Relation switch
        {
            "EQUALS" => string.Equals(value, Condition, StringComparison.OrdinalIgnoreCase),
            "NOT_EQUALS" => !string.Equals(value, Condition, StringComparison.OrdinalIgnoreCase),
            "CONTAINS" => value.Contains(Condition, StringComparison.OrdinalIgnoreCase),
            _ => false,
        };
    }
}
