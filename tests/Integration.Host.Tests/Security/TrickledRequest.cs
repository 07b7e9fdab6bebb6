using System.Net.Sockets;
using System.Text;

namespace Integration.Host.Tests.Security;

/// <summary>
/// A POST whose body is sent at 400 bytes a second (above Kestrel's minimum rate of 240, so only the host's own deadline
/// stops it), as a slow-loris client would, over a raw socket (HttpClient reports a
/// connection the server closes while it is still sending as a send error, not as the answer the server gave).
/// </summary>
internal static class TrickledRequest
{
    private static readonly byte[] Pad = Encoding.ASCII.GetBytes(new string('x', 100));

    /// <summary>The server's whole answer (status line, headers, body), read until it closes the connection or a minute passes.</summary>
    public static async Task<string> SendAsync(Uri server, string path)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST {path} HTTP/1.1\r\nHost: {server.Authority}\r\nContent-Type: application/json\r\nContent-Length: 60000\r\n\r\n{{\"pad\":\""));
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var trickle = Task.Run(async () =>
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    await Task.Delay(250, stop.Token);
                    await stream.WriteAsync(Pad, stop.Token);
                }
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
            {
                // The server closed the connection (as it should), or the test is over.
            }
        });

        var answer = new StringBuilder();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, stop.Token)) > 0)
            {
                answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            // A reset after the answer: what was read is the answer.
        }

        await stop.CancelAsync();
        await trickle;
        return answer.ToString();
    }
}
