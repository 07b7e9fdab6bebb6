using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Integration.Connectors.Eta;

/// <summary>
/// <c>Connectors:Eta</c>: which ETA environment, the POS devices registered on the portal (their credentials come from
/// environment variables, e.g. <c>Connectors__Eta__Devices__0__ClientSecret</c>) and the seller data of each store.
/// </summary>
public sealed class EtaOptions
{
    public const string Section = "Connectors:Eta";

    /// <summary><c>preprod</c> or <c>production</c>: picks the identity, API and portal hosts.</summary>
    [RegularExpression("^(preprod|production)$")]
    public string Environment { get; init; } = "preprod";

    /// <summary>Overrides the identity service base URL (tests point it at the simulator).</summary>
    public string? IdentityUrl { get; init; }

    /// <summary>Overrides the e-receipt API base URL.</summary>
    public string? ApiUrl { get; init; }

    /// <summary>Overrides the portal URL printed in QR codes.</summary>
    public string? PortalUrl { get; init; }

    [ValidateEnumeratedItems]
    public List<EtaDeviceOptions> Devices { get; init; } = [];

    [ValidateEnumeratedItems]
    public List<EtaSellerOptions> Sellers { get; init; } = [];

    /// <summary>A submission holds at most this many receipts (ETA: 500).</summary>
    [Range(1, 500)]
    public int MaxReceiptsPerSubmission { get; init; } = 500;

    /// <summary>A submission body is at most this many bytes (ETA: 1.5 MB).</summary>
    [Range(1024, 1_572_864)]
    public int MaxSubmissionBytes { get; init; } = 1_572_864;

    /// <summary>A token is fetched again this long before it expires.</summary>
    public TimeSpan TokenRefreshMargin { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The health check asks the portal for a token at most this often (its answer is kept in between).</summary>
    public TimeSpan HealthCheckInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The health check gives the portal this long to answer before it reports it degraded.</summary>
    public TimeSpan HealthCheckTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long receipts wait after an outage or throttle that named no Retry-After.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A receipt still not submitted this long after its issue time raises an alert (ETA's window is 24 hours).</summary>
    public TimeSpan LateAfter { get; init; } = TimeSpan.FromHours(20);

    /// <summary>A receipt with the portal this long without a verdict (Valid or Invalid) raises an alert: ETA decides in minutes.</summary>
    public TimeSpan VerdictLateAfter { get; init; } = TimeSpan.FromHours(2);

    public string IdentityBaseUrl => IdentityUrl ?? (Environment == "production" ? "https://id.eta.gov.eg" : "https://id.preprod.eta.gov.eg");

    public string ApiBaseUrl => ApiUrl ?? (Environment == "production" ? "https://api.invoicing.eta.gov.eg" : "https://api.preprod.invoicing.eta.gov.eg");

    public string PortalBaseUrl => PortalUrl ?? (Environment == "production" ? "https://invoicing.eta.gov.eg" : "https://preprod.invoicing.eta.gov.eg");
}

/// <summary>A POS device registered on the ETA portal: its serial and the credentials the portal gave it.</summary>
public sealed class EtaDeviceOptions
{
    /// <summary>The POS serial (header <c>posserial</c>, and <c>seller.deviceSerialNumber</c> on its receipts).</summary>
    [Required, MaxLength(100)]
    public string Serial { get; init; } = "";

    [Required]
    public string ClientId { get; init; } = "";

    [Required]
    public string ClientSecret { get; init; } = "";

    [MaxLength(200)]
    public string PresharedKey { get; init; } = "";

    [MaxLength(50)]
    public string OsVersion { get; init; } = "linux";

    [MaxLength(10)]
    public string ModelFramework { get; init; } = "1";
}

/// <summary>
/// What the receipts of one store say about the seller, and how its lines and payments are coded for ETA. The store is
/// the ERP document's source (<c>shopify/main</c>: system and store).
/// </summary>
public sealed class EtaSellerOptions
{
    /// <summary>The source system and store whose documents this seller issues, e.g. <c>shopify/main</c>.</summary>
    [Required]
    public string Store { get; init; } = "";

    /// <summary>The POS device serial that issues its receipts (one of <see cref="EtaOptions.Devices"/>).</summary>
    [Required]
    public string Device { get; init; } = "";

    /// <summary>The taxpayer's registration number (9 digits).</summary>
    [Required, RegularExpression("^[0-9]{9}$")]
    public string Rin { get; init; } = "";

    [Required]
    public string CompanyTradeName { get; init; } = "";

    /// <summary>The branch id from the portal; the head office is usually <c>0</c>.</summary>
    public string BranchCode { get; init; } = "0";

    [Required, ValidateObjectMembers]
    public EtaAddressOptions BranchAddress { get; init; } = new();

    /// <summary>The ETA activity code (e.g. 4791, retail sale via mail order houses or the internet).</summary>
    [Required]
    public string ActivityCode { get; init; } = "";

    public string? SyndicateLicenseNumber { get; init; }

    /// <summary><c>EGS</c> (codes registered by the taxpayer) or <c>GS1</c>.</summary>
    [RegularExpression("^(EGS|GS1)$")]
    public string ItemType { get; init; } = "EGS";

    /// <summary>The item code from the SKU: <c>{rin}</c> and <c>{sku}</c> (SKU without characters ETA refuses) are replaced.</summary>
    public string ItemCodeFormat { get; init; } = "EG-{rin}-{sku}";

    /// <summary>Item codes registered for particular SKUs (override <see cref="ItemCodeFormat"/>).</summary>
    public Dictionary<string, string> ItemCodes { get; init; } = [];

    /// <summary>The ETA unit type of a line (EA: each).</summary>
    public string UnitType { get; init; } = "EA";

    /// <summary>The VAT subtype on T1 lines (V009: general goods).</summary>
    public string VatSubType { get; init; } = "V009";

    /// <summary>The internal code of charge lines without SKU (shipping).</summary>
    public string ChargeCode { get; init; } = "SHIPPING";

    /// <summary>
    /// The internal code of lines without SKU by their ERP income account, where it is not <see cref="ChargeCode"/>: a
    /// store's fees on their own account (FEES), money refunded without goods on the discrepancy account (ADJUSTMENT).
    /// Default: 4100 (the default chart's Sales, where a Shopify store books custom items and tips) = CUSTOM.
    /// </summary>
    public Dictionary<string, string> ChargeCodes { get; init; } = new() { ["4100"] = "CUSTOM" };

    /// <summary>On sales: FC (from customer), TO (takeaway), TC (to customer)...</summary>
    public string? OrderDeliveryMode { get; init; } = "TC";

    /// <summary>
    /// Lines booked to these ERP accounts are prepayments, not sales (a gift card sold is a liability until redeemed):
    /// they are left off the receipt. Default: 2130, the default chart's gift card liability.
    /// </summary>
    public string[] PrepaidAccounts { get; init; } = ["2130"];

    /// <summary>The payment method when the store's gateway is not in the payment mapping (O: others).</summary>
    public string DefaultPaymentMethod { get; init; } = "O";
}

public sealed class EtaAddressOptions
{
    public string Country { get; init; } = "EG";

    [Required]
    public string Governate { get; init; } = "";

    [Required]
    public string RegionCity { get; init; } = "";

    [Required]
    public string Street { get; init; } = "";

    [Required]
    public string BuildingNumber { get; init; } = "";

    public string? PostalCode { get; init; }

    public string? Floor { get; init; }

    public string? Room { get; init; }

    public string? Landmark { get; init; }

    public string? AdditionalInformation { get; init; }
}

/// <summary>Checks the devices and sellers item by item at start (source-generated).</summary>
[OptionsValidator]
internal sealed partial class EtaOptionsValidator : IValidateOptions<EtaOptions>;
