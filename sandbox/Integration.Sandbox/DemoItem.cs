namespace Integration.Sandbox;

/// <summary>One item of the demo catalogue: sold at <paramref name="Price"/> (before 14 % VAT), bought at <paramref name="Cost"/>.</summary>
public sealed record DemoItem(string Sku, string Name, string ItemGroup, decimal Price, decimal Cost, int OpeningStock);
