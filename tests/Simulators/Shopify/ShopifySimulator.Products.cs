using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Integration.Simulators.Shopify;

/// <summary>
/// Products written whole (<c>productSet</c>, synchronous), read back (<c>ProductForSync</c>), and smart collections
/// (<c>collectionCreate</c>, found by title or read by id). A product answer costs 1, its variants connection 2 + 2 a variant
/// (variant and inventory item), its media 2 + 1 a medium; productSet adds the mutation's 10.
/// </summary>
public sealed partial class ShopifySimulator
{
    private static double ProductSelectionCost(GraphQLCall call) => 1 + 2 + (call.FirstOf("variants", 250) * 2) + 2 + call.FirstOf("media", 250);

    private static double ProductCost(JsonObject? product) => product is null ? 1
        : 1 + 2 + ((product["variants"]?["nodes"] as JsonArray)?.Count ?? 0) * 2 + 2 + ((product["media"]?["nodes"] as JsonArray)?.Count ?? 0);

    private (JsonObject, double) ProductForSync(GraphQLCall call)
    {
        var product = State.ProductById(NumericId(call.Variables["id"]));
        var json = product is null ? null : State.ProductJson(product);
        return (Data(new JsonObject { ["product"] = json }), ProductCost(json));
    }

    /// <summary>Run once, before the next productSet is applied (a test doing something while a product is being written).</summary>
    public Func<Task>? BeforeNextProductSet { get => _beforeNextProductSet; set => _beforeNextProductSet = value; }

    private Func<Task>? _beforeNextProductSet;

    private (JsonObject, double) ProductSet(GraphQLCall call)
    {
        if (Interlocked.Exchange(ref _beforeNextProductSet, null) is { } before)
        {
            before().GetAwaiter().GetResult(); // WireMock answers synchronously; the other requests go on other threads
        }

        if (call.Variables["synchronous"] is JsonValue sync && !sync.GetValue<bool>() || Regex.IsMatch(call.Query, @"synchronous:\s*false"))
        {
            return (Errors("The simulator answers productSet synchronously only.", "BAD_REQUEST"), MutationCost);
        }

        var input = call.Variables["input"] as JsonObject ?? [];
        var id = call.Variables["identifier"]?["id"] ?? input["id"];
        var (product, errors) = State.ProductSet(id is null ? null : NumericId(id), input);
        var json = product is null ? null : State.ProductJson(product);
        return (Data(new JsonObject
        {
            ["productSet"] = new JsonObject
            {
                ["product"] = json,
                ["productSetOperation"] = null,
                ["userErrors"] = UserErrors(errors),
            },
        }), MutationCost + ProductCost(json));
    }

    private (JsonObject, double) CollectionsByTitle(GraphQLCall call)
    {
        var title = Regex.Match(call.Variables["query"]?.GetValue<string>() ?? "", "title:(?:\"(?<q>(?:[^\"\\\\]|\\\\.)*)\"|'(?<s>[^']*)'|(?<p>\\S+))") is { Success: true } m
            ? (m.Groups["q"].Success ? m.Groups["q"].Value.Replace("\\\"", "\"", StringComparison.Ordinal) : m.Groups["s"].Success ? m.Groups["s"].Value : m.Groups["p"].Value)
            : null;
        var found = State.Collections.Where(c => title is null || string.Equals(c.Title, title, StringComparison.OrdinalIgnoreCase)).Take(call.FirstOf("collections", 10)).ToList();
        return (Data(new JsonObject
        {
            ["collections"] = new JsonObject
            {
                ["nodes"] = new JsonArray([.. found.Select(c => (JsonNode?)Collection(c))]),
            },
        }), 2 + (found.Count * 3));
    }

    // collection(id:) answers null for an id that is not (or no longer) a collection, as Shopify does.
    private (JsonObject, double) CollectionById(GraphQLCall call)
    {
        var id = call.Variables["id"]?.GetValue<string>() ?? "";
        var found = State.Collections.FirstOrDefault(c => "gid://shopify/Collection/" + c.Id.ToString(CultureInfo.InvariantCulture) == id);
        return (Data(new JsonObject { ["collection"] = found is null ? null : Collection(found) }), 1);
    }

    private (JsonObject, double) CollectionCreate(GraphQLCall call)
    {
        var input = call.Variables["input"] as JsonObject ?? [];
        var title = input["title"]?.GetValue<string>();
        var rules = (input["ruleSet"]?["rules"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(r => new SimulatedRule(r["column"]?.GetValue<string>() ?? "", r["relation"]?.GetValue<string>() ?? "", r["condition"]?.GetValue<string>() ?? "")).ToList();
        var errors = new List<(string[] Field, string? Code, string Message)>();
        if (string.IsNullOrWhiteSpace(title))
        {
            errors.Add((["title"], null, "Title can't be blank"));
        }

        if (input["ruleSet"] is JsonObject && (rules.Count == 0 || rules.Any(r => r.Column is not ("TYPE" or "VENDOR" or "TITLE" or "TAG") || r.Relation is not ("EQUALS" or "NOT_EQUALS" or "CONTAINS") || r.Condition.Length == 0)))
        {
            errors.Add((["ruleSet", "rules"], null, "Rules are invalid"));
        }

        var created = errors.Count == 0 ? State.AddCollection(title!, input["ruleSet"]?["appliedDisjunctively"]?.GetValue<bool>() ?? false, rules) : null;
        return (Data(new JsonObject
        {
            ["collectionCreate"] = new JsonObject
            {
                ["collection"] = created is null ? null : Collection(created),
                ["userErrors"] = UserErrors(errors),
            },
        }), MutationCost);
    }

    private static JsonObject Collection(SimulatedCollectionDefinition c) => new()
    {
        ["id"] = "gid://shopify/Collection/" + c.Id.ToString(CultureInfo.InvariantCulture),
        ["title"] = c.Title,
        ["ruleSet"] = new JsonObject
        {
            ["appliedDisjunctively"] = c.Disjunctive,
            ["rules"] = new JsonArray([.. c.Rules.Select(r => (JsonNode?)new JsonObject { ["column"] = r.Column, ["relation"] = r.Relation, ["condition"] = r.Condition })]),
        },
    };
}
