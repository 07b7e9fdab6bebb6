using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Integration.Workflows.Http;

/// <summary>A request body read whole up to a limit of its own (a webhook's, a flow endpoint's), above or below the host's.</summary>
public static class RequestBody
{
    /// <summary>
    /// The body, or null when it is larger than <paramref name="maxBytes"/> (read no further). A body still arriving
    /// after <paramref name="within"/> is refused with 408 (<see cref="BadHttpRequestException"/>): these endpoints are
    /// open to anyone before the signature or key is checked, and a body trickled in just above Kestrel's minimum rate
    /// would hold its bytes in memory for hours.
    /// </summary>
    public static async Task<byte[]?> ReadAtMostAsync(HttpRequest request, long maxBytes, TimeSpan within, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(within);
        try
        {
            return await ReadAsync(request, maxBytes, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BadHttpRequestException($"The request body did not arrive within {within.TotalSeconds:0.#} s.", StatusCodes.Status408RequestTimeout);
        }
    }

    private static async Task<byte[]?> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {

        // Let Kestrel stream bodies up to our own limit (its default is 30 MB), then count ourselves.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes + 1;
        }

        var reader = request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            if (result.Buffer.Length > maxBytes)
            {
                reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
                return null;
            }

            if (result.IsCompleted)
            {
                var bytes = result.Buffer.ToArray();
                reader.AdvanceTo(result.Buffer.End);
                return bytes;
            }

            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }
}
