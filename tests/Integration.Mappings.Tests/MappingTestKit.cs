using System.Text.Json.Nodes;
using Integration.Mappings.Definitions;
using Integration.Mappings.Echoes;
using Integration.Mappings.Engine;
using Integration.Mappings.KeyMaps;
using Integration.Mappings.Loading;
using Integration.Testing;

namespace Integration.Mappings.Tests;

/// <summary>A mapper over in-memory stores, with the shipped mappings or one written in the test.</summary>
internal sealed class MappingTestKit
{
    public MappingTestKit(params string[] mappingJson)
    {
        Time = new ManualTime(new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.Zero));
        EchoGuard = new InMemoryEchoGuard(Time, TimeSpan.FromMinutes(30));
        foreach (var json in mappingJson)
        {
            Catalog.Add(Load(json));
        }

        Mapper = new Mapper(Catalog, KeyMap, EchoGuard, Time);
    }

    public static string MappingsDirectory => Path.Combine(RepoPaths.Root, "mappings");

    public MappingCatalog Catalog { get; } = new();

    public InMemoryKeyMap KeyMap { get; } = new();

    public InMemoryEchoGuard EchoGuard { get; }

    public ManualTime Time { get; }

    public Mapper Mapper { get; }

    /// <summary>A kit with every shipped mapping of <c>mappings/</c>.</summary>
    public static MappingTestKit Shipped()
    {
        var kit = new MappingTestKit();
        kit.Catalog.Load(MappingsDirectory, watch: false);
        Assert.Empty(kit.Catalog.Refused.SelectMany(r => r.Value).Select(p => p.ToString()));
        return kit;
    }

    public static MappingDefinition Load(string json)
    {
        var result = MappingLoader.Load(json, $"{JsonNode.Parse(json)?["id"]}.json");
        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Problems));
        return result.Definition!;
    }

    public static JsonNode Fixture(string relativePath) => JsonNode.Parse(RepoPaths.Fixture(relativePath))!;

    public static JsonNode Json(string json) => JsonNode.Parse(json)!;
}

/// <summary>A clock the test moves.</summary>
internal sealed class ManualTime(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}
