using System.Text;

namespace Integration.Mappings.KeyMaps;

/// <summary>Identifying values normalised so two spellings of the same email or phone number meet.</summary>
public static class MatchValue
{
    public static string? Normalize(string matchName, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        switch (matchName)
        {
            case "email":
                return value.Trim().ToLowerInvariant();
            case "phone":
                var digits = new StringBuilder();
                foreach (var c in value)
                {
                    if (char.IsAsciiDigit(c))
                    {
                        digits.Append(c);
                    }
                }

                // Compare the last 9 digits: the same number with and without country code or trunk prefix.
                return digits.Length < 6 ? null : digits.ToString(Math.Max(0, digits.Length - 9), Math.Min(9, digits.Length));
            default:
                return value.Trim();
        }
    }
}
