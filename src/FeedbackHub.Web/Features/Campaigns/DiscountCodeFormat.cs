using System.Security.Cryptography;
using System.Text;

namespace FeedbackHub.Web.Features.Campaigns;

/// <summary>
/// Discount codes in Crockford's base32: digits and capitals without I, L, O and U, so a code read
/// aloud or typed from paper cannot be mistaken. The random part comes from a cryptographic source.
/// Codes are stored and compared in their canonical form (no separator, ambiguous letters mapped);
/// people see them with a hyphen after the campaign prefix.
/// </summary>
public static class DiscountCodeFormat
{
    public const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>12 characters of 5 bits: 60 random bits, so guessing one live code is hopeless.</summary>
    public const int RandomLength = 12;

    /// <summary>A new code: the prefix (already valid, see <see cref="PrefixProblem"/>) followed by the random part.</summary>
    public static string Generate(string? prefix) =>
        (prefix ?? "") + new string(RandomNumberGenerator.GetItems<char>(Alphabet, RandomLength));

    /// <summary>
    /// The canonical form of what a person or shop typed: upper case, without spaces or hyphens, with
    /// O read as 0 and I or L as 1 (Crockford's rule). Null when other characters remain.
    /// </summary>
    public static string? Normalize(string? input)
    {
        if (string.IsNullOrWhiteSpace(input) || input.Length > 64)
        {
            return null;
        }

        var canonical = new StringBuilder(input.Length);
        foreach (var c in input.Trim())
        {
            var upper = char.ToUpperInvariant(c);
            switch (upper)
            {
                case ' ' or '-':
                    continue;
                case 'O':
                    canonical.Append('0');
                    break;
                case 'I' or 'L':
                    canonical.Append('1');
                    break;
                default:
                    if (!Alphabet.Contains(upper, StringComparison.Ordinal))
                    {
                        return null;
                    }

                    canonical.Append(upper);
                    break;
            }
        }

        return canonical.Length == 0 ? null : canonical.ToString();
    }

    /// <summary>How a code is shown: <c>THX-7KQ2M9XR4DAB</c>.</summary>
    public static string Display(string code, string? prefix)
    {
        ArgumentNullException.ThrowIfNull(code);
        return string.IsNullOrEmpty(prefix) || !code.StartsWith(prefix, StringComparison.Ordinal) ? code : $"{prefix}-{code[prefix.Length..]}";
    }

    /// <summary>Why a campaign prefix cannot be used; null when it can (1–8 characters of the alphabet).</summary>
    public static string? PrefixProblem(string? prefix)
    {
        if (string.IsNullOrEmpty(prefix))
        {
            return null;
        }

        if (prefix.Length > FeedbackHub.Data.Campaigns.CampaignLimits.CodePrefix)
        {
            return $"The code prefix is {prefix.Length} characters; at most {FeedbackHub.Data.Campaigns.CampaignLimits.CodePrefix} are allowed.";
        }

        var wrong = prefix.Where(c => !Alphabet.Contains(c, StringComparison.Ordinal)).Distinct().ToList();
        return wrong.Count == 0
            ? null
            : $"The code prefix may use only digits and capitals without I, L, O and U (they are easily misread); '{string.Concat(wrong)}' is not allowed.";
    }
}
