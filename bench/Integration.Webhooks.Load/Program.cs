using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;

// Usage: Integration.Webhooks.Load --url http://127.0.0.1:PORT --shop S --secret K --body FILE
//        [--concurrency 1,32] [--seconds 10] [--warmup 2] [--rate N]
// Without --rate each sender sends its next delivery as soon as the last is acknowledged (saturation).
// With --rate the senders together send N deliveries per second on a fixed schedule, and latency counts from the
// scheduled send time, so a slow answer also charges the deliveries queued behind it (no coordinated omission).
var options = LoadOptions.Parse(args);
var body = File.ReadAllBytes(options.BodyFile);
var signature = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(options.Secret), body));

Console.WriteLine($"Webhook intake load: {options.Url}/webhooks/shopify, body {body.Length} bytes, {Environment.ProcessorCount} cores visible, "
    + (options.Rate is { } rate ? $"paced at {rate}/s in total" : "saturation (closed loop)"));
Console.WriteLine("| concurrent senders | acknowledged/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | errors |");
Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (var concurrency in options.Concurrency)
{
    var result = await LoadRun.RunAsync(options, body, signature, concurrency);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {concurrency} | {result.PerSecond:0} | {result.P50:0.00} | {result.P90:0.00} | {result.P99:0.00} | {result.P999:0.00} | {result.Max:0.00} | {result.Errors} |"));
}

internal sealed record LoadOptions(string Url, string Shop, string Secret, string BodyFile, int[] Concurrency, int Seconds, int Warmup, double? Rate)
{
    public static LoadOptions Parse(string[] args)
    {
        string Get(string name, string? fallback = null)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback ?? throw new ArgumentException($"missing {name}");
        }

        return new LoadOptions(
            Get("--url").TrimEnd('/'),
            Get("--shop"),
            Get("--secret"),
            Get("--body"),
            [.. Get("--concurrency", "1,32").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))],
            int.Parse(Get("--seconds", "10"), CultureInfo.InvariantCulture),
            int.Parse(Get("--warmup", "2"), CultureInfo.InvariantCulture),
            args.Contains("--rate") ? double.Parse(Get("--rate"), CultureInfo.InvariantCulture) : null);
    }
}

internal sealed record LoadResult(double PerSecond, double P50, double P90, double P99, double P999, double Max, int Errors);

internal static class LoadRun
{
    public static async Task<LoadResult> RunAsync(LoadOptions options, byte[] body, string signature, int concurrency)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
        using var client = new HttpClient(handler) { BaseAddress = new Uri(options.Url), Timeout = TimeSpan.FromSeconds(10) };

        // Warm-up: JIT, connection pool, database connections.
        await Drive(client, body, signature, options.Shop, concurrency, TimeSpan.FromSeconds(options.Warmup), options.Rate);
        var stopwatch = Stopwatch.StartNew();
        var (latencies, errors) = await Drive(client, body, signature, options.Shop, concurrency, TimeSpan.FromSeconds(options.Seconds), options.Rate);
        var elapsed = stopwatch.Elapsed.TotalSeconds;

        latencies.Sort();
        double At(double q) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)(q * latencies.Count))];
        return new LoadResult(latencies.Count / elapsed, At(0.50), At(0.90), At(0.99), At(0.999), latencies.Count == 0 ? double.NaN : latencies[^1], errors);
    }

    private static async Task<(List<double> Latencies, int Errors)> Drive(
        HttpClient client, byte[] body, string signature, string shop, int concurrency, TimeSpan duration, double? rate)
    {
        var start = Stopwatch.GetTimestamp();
        var deadline = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        // Each sender's share of the schedule: one delivery every `interval`, senders staggered evenly.
        var interval = rate is { } r ? (long)(concurrency / r * Stopwatch.Frequency) : 0;
        var workers = Enumerable.Range(0, concurrency).Select(async worker =>
        {
            var latencies = new List<double>(100_000);
            var errors = 0;
            var scheduled = start + (interval * worker / Math.Max(1, concurrency));
            while (Stopwatch.GetTimestamp() < deadline)
            {
                if (interval > 0)
                {
                    var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), scheduled);
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait);
                    }
                }

                using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/shopify") { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new("application/json");
                request.Headers.Add("X-Shopify-Topic", "orders/create");
                request.Headers.Add("X-Shopify-Hmac-Sha256", signature);
                request.Headers.Add("X-Shopify-Shop-Domain", shop);
                request.Headers.Add("X-Shopify-API-Version", "2026-04");
                request.Headers.Add("X-Shopify-Webhook-Id", Guid.NewGuid().ToString());
                request.Headers.Add("X-Shopify-Event-Id", Guid.NewGuid().ToString());
                var started = interval > 0 ? scheduled : Stopwatch.GetTimestamp();
                scheduled += interval;
                try
                {
                    using var response = await client.SendAsync(request);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    }
                    else
                    {
                        errors++;
                    }
                }
                catch (HttpRequestException)
                {
                    errors++;
                }
            }

            return (latencies, errors);
        }).ToArray();

        var results = await Task.WhenAll(workers);
        return ([.. results.SelectMany(r => r.latencies)], results.Sum(r => r.errors));
    }
}
