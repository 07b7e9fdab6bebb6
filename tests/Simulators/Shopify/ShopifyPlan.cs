namespace Integration.Simulators.Shopify;

/// <summary>
/// A shop's plan and its GraphQL Admin API restore rate as Shopify publishes it (shopify.dev, "GraphQL Admin API rate
/// limits"): Standard 100, Advanced 200, Plus 1000, Enterprise 2000 points per second.
/// </summary>
public enum ShopifyPlan
{
    Standard,
    Advanced,
    Plus,
    Enterprise,
}

internal static class ShopifyPlanRates
{
    public static double RestoreRate(this ShopifyPlan plan) => plan switch
    {
        ShopifyPlan.Advanced => 200,
        ShopifyPlan.Plus => 1000,
        ShopifyPlan.Enterprise => 2000,
        _ => 100,
    };

    // Bucket sizes are not in the published table; Shopify's own example throttleStatus shows 2000 for 100/s, so the
    // simulator takes 20 seconds of restore as the bucket for every plan (configurable).
    public static double BucketSize(this ShopifyPlan plan) => plan.RestoreRate() * 20;
}
