namespace Integration.Sandbox;

/// <summary>The demo company's fifty items: apparel in colours and sizes, accessories and homeware, each with a price and stock.</summary>
public static class DemoCatalogue
{
    public const string Company = "EG01";
    public const string Warehouse = "ONLINE-WH";
    public const string PriceList = "RETAIL-EGP";
    public const string GuestCustomer = "WALK-IN";

    /// <summary>(id, name) of the item groups, all under the default chart's ALL.</summary>
    public static IReadOnlyList<(string Id, string Name)> ItemGroups { get; } =
        [("APPAREL", "Apparel"), ("ACCESSORIES", "Accessories"), ("HOME", "Home and kitchen")];

    public static IReadOnlyList<DemoItem> Items { get; } = Build();

    private static List<DemoItem> Build()
    {
        var items = new List<DemoItem>();
        void Family(string sku, string name, string group, decimal price, decimal cost, int stock, string[] colours, string[]? sizes = null)
        {
            foreach (var colour in colours)
            {
                foreach (var size in sizes ?? [""])
                {
                    var code = colour[..3].ToUpperInvariant() + (size.Length > 0 ? "-" + size : "");
                    items.Add(new DemoItem($"{sku}-{code}", $"{name} {colour.ToLowerInvariant()}{(size.Length > 0 ? " " + size : "")}", group, price, cost, stock));
                }
            }
        }

        Family("TSHIRT", "T-shirt", "APPAREL", 250m, 100m, 400, ["Black", "White", "Blue", "Red"], ["S", "M", "L"]);
        Family("HOODIE", "Hoodie", "APPAREL", 650m, 280m, 200, ["Grey", "Navy", "Olive"], ["S", "M", "L"]);
        Family("JEANS", "Jeans", "APPAREL", 800m, 350m, 150, ["Slim", "Regular"], ["30", "32", "34"]);
        Family("CAP", "Cap", "ACCESSORIES", 150m, 60m, 300, ["Black", "White", "Khaki", "Navy"]);
        Family("TOTE", "Tote bag", "ACCESSORIES", 180m, 70m, 250, ["Natural", "Black", "Green"]);
        Family("SCARF", "Scarf", "ACCESSORIES", 220m, 90m, 200, ["Wool", "Silk", "Cotton"]);
        Family("SOCKS", "Socks pair", "ACCESSORIES", 60m, 20m, 600, ["White", "Black", "Striped"]);
        Family("MUG", "Mug", "HOME", 120m, 40m, 500, ["White", "Black", "Blue", "Yellow"]);
        Family("CANDLE", "Candle", "HOME", 200m, 75m, 200, ["Jasmine", "Oud", "Mint"]);
        Family("CUSHION", "Cushion", "HOME", 350m, 140m, 120, ["Linen", "Velvet", "Kilim"]);
        return items;
    }
}
