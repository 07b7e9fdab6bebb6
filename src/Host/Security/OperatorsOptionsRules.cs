using Microsoft.Extensions.Options;

namespace Integration.Host.Security;

/// <summary>Checked at start: configured keys long enough to be secrets, and a JWT issuer with its audience. Messages name the setting, never its value.</summary>
internal sealed class OperatorsOptionsRules : IValidateOptions<OperatorsOptions>
{
    public const int MinimumKeyLength = 16;

    public ValidateOptionsResult Validate(string? name, OperatorsOptions options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.ApiKeys.Count; i++)
        {
            var key = options.ApiKeys[i];
            if (!string.IsNullOrWhiteSpace(key) && key.Trim().Length < MinimumKeyLength)
            {
                failures.Add($"Operators:ApiKeys:{i} is shorter than {MinimumKeyLength} characters; use a random key (openssl rand -hex 24).");
            }
        }

        if (options.Jwt.Enabled && string.IsNullOrWhiteSpace(options.Jwt.Audience))
        {
            failures.Add("Operators:Jwt:Audience is required when Operators:Jwt:Authority is set.");
        }

        if (options.Jwt.Enabled && string.IsNullOrWhiteSpace(options.Jwt.ScopeClaim))
        {
            failures.Add("Operators:Jwt:ScopeClaim must name the claim holding the scope.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
