using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Integration.Sandbox;

/// <summary>The host's HTTP API as an operator calls it: JSON, with the operator key.</summary>
public sealed class HostApi : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public HostApi(string baseUrl, string operatorKey, HttpMessageHandler? handler = null)
    {
        Http = handler is null ? new HttpClient() : new HttpClient(handler);
        Http.BaseAddress = new Uri(baseUrl);
        Http.Timeout = TimeSpan.FromSeconds(30);
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", operatorKey);
    }

    /// <summary>The client itself (base address and key set), for the stores' webhook deliveries and callers' own requests.</summary>
    public HttpClient Http { get; }

    public async Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await Http.GetAsync(path, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"GET {path} answered {(int)response.StatusCode}: {text}", null, response.StatusCode);
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>POSTs JSON; a 409 (already there) counts as done, so seeding twice is harmless.</summary>
    public async Task<JsonElement> PostAsync(string path, object body, CancellationToken cancellationToken)
    {
        using var response = await Http.PostAsJsonAsync(path, body, Json, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.Conflict)
        {
            throw new HttpRequestException($"POST {path} answered {(int)response.StatusCode}: {text}", null, response.StatusCode);
        }

        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public void Dispose() => Http.Dispose();
}
