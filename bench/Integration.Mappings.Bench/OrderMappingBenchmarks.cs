using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Integration.Mappings.Definitions;
using Integration.Mappings.Echoes;
using Integration.Mappings.Engine;
using Integration.Mappings.KeyMaps;
using Integration.Mappings.Loading;

namespace Integration.Mappings.Bench;

/// <summary>
/// One Shopify order of 10 lines (VAT, discount allocations, variants, shipping) mapped to an ERP sales order with the
/// shipped <c>shopify-order__erp-sales-order</c> (44 fields, 2 arrays): as a new order (every field written), as a
/// redelivery onto the stored document (every field compared, nothing written), with the outputs the host's activity
/// makes of the result, and parsing the webhook body too.
/// In-memory key map and echo guard: this measures the engine, not PostgreSQL.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class OrderMappingBenchmarks
{
    private Mapper _mapper = null!;
    private MappingDefinition _mapping = null!;
    private MappingContext _context = null!;
    private string _body = null!;
    private JsonNode _order = null!;
    private JsonNode _stored = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        var catalog = new MappingCatalog();
        catalog.Load(Path.Combine(Root(), "mappings"), watch: false);
        var keyMap = new InMemoryKeyMap();
        await keyMap.LinkAsync(new KeyLink("shopify", "customer", "bench.myshopify.com", "gid://shopify/Customer/7001", "CUST-7001"));
        _mapper = new Mapper(catalog, keyMap, new InMemoryEchoGuard(), TimeProvider.System);
        _mapping = catalog.Get("shopify-order__erp-sales-order");
        _context = new MappingContext
        {
            Store = "bench.myshopify.com",
            Values = new Dictionary<string, JsonNode?> { ["company"] = "EG01", ["warehouse"] = "Cairo", ["shippingIncomeAccount"] = "4150", ["guestCustomer"] = "WALK-IN" },
        };
        _body = TenLineOrder();
        _order = JsonNode.Parse(_body)!;
        var first = await _mapper.ApplyAsync(_mapping, MappingDirection.LeftToRight, _order, null, _context);
        if (!first.Succeeded || first.Document["lines"]!.AsArray().Count != 11)
        {
            throw new InvalidOperationException("The bench order does not map: " + first.ToJson().ToJsonString());
        }

        _stored = first.Document;
    }

    /// <summary>The floor under the engine for this order and its ERP document (<see cref="MappingFloor"/>).</summary>
    public MappingFloor Floor() => new(_order.AsObject(), _stored);

    [Benchmark(Description = "10-line order, new ERP document")]
    public ValueTask<MappingResult> NewOrder() => _mapper.ApplyAsync(_mapping, MappingDirection.LeftToRight, _order, null, _context);

    [Benchmark(Description = "10-line order, redelivered onto the stored document")]
    public ValueTask<MappingResult> Redelivery() => _mapper.ApplyAsync(_mapping, MappingDirection.LeftToRight, _order, _stored, _context);

    /// <summary>What the host's <c>Mappings.Apply</c> activity does with a result: its JSON, and copies of the document and the changes as outputs.</summary>
    [Benchmark(Description = "10-line order, new ERP document + outputs as Mappings.Apply sets them")]
    public async ValueTask<MappingResult> NewOrderAsTheActivity()
    {
        var result = await _mapper.ApplyAsync(_mapping, MappingDirection.LeftToRight, _order, null, _context);
        GC.KeepAlive(result.ToJson());
        GC.KeepAlive(result.Document.DeepClone());
        GC.KeepAlive(result.Changes.DeepClone());
        return result;
    }

    [Benchmark(Description = "10-line order, parse webhook body + new ERP document")]
    public ValueTask<MappingResult> ParseAndMap() => _mapper.ApplyAsync(_mapping, MappingDirection.LeftToRight, JsonNode.Parse(_body)!, null, _context);

    /// <summary>The docs example order with 10 lines carrying VAT, allocations and variants.</summary>
    public static string TenLineOrder()
    {
        var order = JsonNode.Parse(File.ReadAllText(Path.Combine(Root(), "..", "shared", "fixtures", "shopify", "orders-create.shopify-docs-2026-04.json")))!.AsObject();
        order["customer"]!["admin_graphql_api_id"] = "gid://shopify/Customer/7001";
        order["taxes_included"] = true;
        var template = order["line_items"]![0]!;
        var lines = new JsonArray();
        for (var i = 0; i < 10; i++)
        {
            var line = template.DeepClone().AsObject();
            line["id"] = 1000 + i;
            line["admin_graphql_api_id"] = $"gid://shopify/LineItem/{1000 + i}";
            line["sku"] = $"SKU-{i:D2}";
            line["variant_id"] = 2000 + i;
            line["variant_title"] = i % 2 == 0 ? "Black / M" : "White / L";
            line["quantity"] = 1 + (i % 3);
            line["price"] = $"{100 + (i * 10)}.00";
            line["tax_lines"] = new JsonArray(new JsonObject { ["title"] = "VAT", ["rate"] = 0.14m, ["price"] = "12.28" });
            line["discount_allocations"] = new JsonArray(new JsonObject { ["amount"] = "5.00", ["discount_application_index"] = 0 });
            lines.Add(line);
        }

        order["line_items"] = lines;
        order["total_discounts"] = "50.00";
        return order.ToJsonString();
    }

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Integration.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Integration.sln not found above " + AppContext.BaseDirectory);
    }
}
