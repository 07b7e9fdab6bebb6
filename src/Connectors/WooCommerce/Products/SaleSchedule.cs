using System.Globalization;

namespace Integration.Connectors.WooCommerce.Products;

/// <summary>
/// A promotion's days as WooCommerce's <c>date_on_sale_from_gmt</c> / <c>date_on_sale_to_gmt</c>: from midnight of the first
/// day to 23:59:59 of the last day in the store's time zone (what WooCommerce's own product editor stores), written in
/// GMT. WooCommerce reads a <c>_gmt</c> date as GMT whatever the site's zone, so the conversion is the host's.
/// </summary>
public static class SaleSchedule
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss";

    /// <summary>The GMT start of <paramref name="from"/> in <paramref name="zone"/>.</summary>
    public static string FromGmt(DateOnly from, TimeZoneInfo zone) => ToGmt(from.ToDateTime(TimeOnly.MinValue), zone);

    /// <summary>The GMT time of 23:59:59 on <paramref name="to"/> in <paramref name="zone"/>.</summary>
    public static string ToGmt(DateOnly to, TimeZoneInfo zone) => ToGmt(to.ToDateTime(new TimeOnly(23, 59, 59)), zone);

    private static string ToGmt(DateTime local, TimeZoneInfo zone)
    {
        // A local time skipped by a daylight-saving change (Cairo springs from 00:00 to 01:00) starts the day at the first valid moment.
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(30);
        }

        return TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone).ToString(Format, CultureInfo.InvariantCulture);
    }
}
