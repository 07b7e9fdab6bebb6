using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using WireMock;

namespace Integration.Simulators.Eta;

public sealed partial class EtaPortalSimulator
{
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromSeconds(3600);

    // POST /connect/token: client credentials in the form, the POS identity in headers; errors as OAuth error codes.
    private ResponseMessage IssueToken(IRequestMessage request)
    {
        var form = ParseForm(request.Body ?? "");
        if (form.GetValueOrDefault("grant_type") != "client_credentials")
        {
            return Reply(HttpStatusCode.BadRequest, new JsonObject { ["error"] = "unsupported_grant_type" });
        }

        var clientId = form.GetValueOrDefault("client_id");
        var secret = form.GetValueOrDefault("client_secret");
        if (!_devices.Values.Any(d => d.ClientId == clientId && d.ClientSecret == secret))
        {
            return TokenError("invalid_client");
        }

        var serial = Header(request, "posserial");
        if (serial is null || !_devices.TryGetValue(serial, out var device) || device.ClientId != clientId)
        {
            return TokenError("invalid_posserial");
        }

        if (Header(request, "presharedkey") != device.PresharedKey)
        {
            return TokenError("invalid_presharedkey");
        }

        if (Header(request, "pososversion") != device.OsVersion)
        {
            return TokenError("invalid_pososversion");
        }

        if (Header(request, "posmodelframework") != device.ModelFramework)
        {
            return TokenError("invalid_posmodelframework");
        }

        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
        _tokens[token] = new EtaAccessToken(device.Serial, _clock.GetUtcNow() + TokenLifetime);
        _tokensIssued++;
        return Reply(HttpStatusCode.OK, new JsonObject
        {
            ["access_token"] = token,
            ["token_type"] = "Bearer",
            ["expires_in"] = (int)TokenLifetime.TotalSeconds,
            ["scope"] = "InvoicingAPI",
        });
    }

    private static ResponseMessage TokenError(string code) => Reply(HttpStatusCode.BadRequest, new JsonObject { ["error"] = code });

    private static Dictionary<string, string> ParseForm(string body)
    {
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in body.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var at = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString((at < 0 ? pair : pair[..at]).Replace('+', ' '));
            form[key] = at < 0 ? "" : Uri.UnescapeDataString(pair[(at + 1)..].Replace('+', ' '));
        }

        return form;
    }
}
