namespace Integration.Simulators.Shopify;

/// <summary>How the simulated shop looks and behaves.</summary>
public sealed class ShopifySimulatorOptions
{
    public string ShopDomain { get; set; } = "integration-sim.myshopify.com";

    public string ShopName { get; set; } = "Integration Simulator";

    public long ShopId { get; set; } = 548380009;

    public string Currency { get; set; } = "EGP";

    /// <summary>The app's client secret: webhooks are signed with it.</summary>
    public string AppSecret { get; set; } = "hush";

    /// <summary>The Admin API token the simulator accepts; any other answers 401.</summary>
    public string AccessToken { get; set; } = "shpat_simulator";

    public string ApiVersion { get; set; } = "2026-04";

    public ShopifyPlan Plan { get; set; } = ShopifyPlan.Standard;

    /// <summary>Points restored per second; the plan's rate when not set.</summary>
    public double? RestoreRate { get; set; }

    /// <summary>Bucket size in points; 20 seconds of the restore rate when not set.</summary>
    public double? BucketSize { get; set; }

    /// <summary>A throttled request gets HTTP 429 with Retry-After (true) or 200 with a THROTTLED error (false), both seen in the wild.</summary>
    public bool ThrottleWith429 { get; set; } = true;

    /// <summary>Shopify refuses a single query costing more than this (MAX_COST_EXCEEDED).</summary>
    public double MaxQueryCost { get; set; } = 1000;

    /// <summary>
    /// Extra points per quantity of <c>inventorySetQuantities</c>. Shopify prices a mutation at 10 points whatever its
    /// input, so 0 is faithful; a stress run may set more to make a bulk push rate-bound.
    /// </summary>
    public double InventoryCostPerQuantity { get; set; }

    /// <summary>Whether inventory and refund mutations must carry <c>@idempotent(key:)</c> (API 2026-04 and later).</summary>
    public bool RequireIdempotency { get; set; } = true;

    /// <summary>Shop time; tests may pass a fake one.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;
}
