using System.Net;
using System.Text.Json;
using Integration.Testing;

namespace Integration.Erp.Tests;

/// <summary>The host over a database of its own; each test makes a company of its own with <see cref="NewCompanyAsync"/>.</summary>
public sealed class ErpHost : TestHost
{
    private int _companies;

    /// <summary>The fiscal year a new company gets: the current calendar year.</summary>
    public static int Year { get; } = DateTime.UtcNow.Year;

    public static DateOnly On(int month, int day) => new(Year, month, day);

    public async Task<string> NewCompanyAsync()
    {
        var id = $"C{Interlocked.Increment(ref _companies):D3}{Guid.NewGuid().ToString("N")[..6]}";
        var (status, body) = await PostAsync("/api/erp/companies", new { id, name = "Test retailer " + id, currency = "EGP" });
        Assert.True(status == HttpStatusCode.Created, body.ToString());
        return id;
    }

    /// <summary>Creates and posts a journal entry; returns the HTTP status and body.</summary>
    public Task<(HttpStatusCode Status, JsonElement Body)> PostEntryAsync(string company, DateOnly date, params object[] lines) =>
        PostAsync("/api/erp/journal-entries", new { company, postingDate = date, post = true, lines });

    public async Task<JsonElement> PostEntryOkAsync(string company, DateOnly date, params object[] lines)
    {
        var (status, body) = await PostEntryAsync(company, date, lines);
        Assert.True(status == HttpStatusCode.Created, $"{(int)status}: {body}");
        return body;
    }

    public static object Debit(string account, decimal amount, string? costCenter = null, string? party = null) =>
        new { account, debit = amount, costCenter, party, partyType = party is null ? null : "Customer" };

    public static object Credit(string account, decimal amount, string? costCenter = null, string? party = null) =>
        new { account, credit = amount, costCenter, party, partyType = party is null ? null : "Customer" };
}
