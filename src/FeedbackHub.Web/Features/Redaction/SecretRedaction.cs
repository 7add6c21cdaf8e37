using System.Text.RegularExpressions;

namespace FeedbackHub.Web.Features;

/// <summary>
/// Masks the secrets that travel in FeedbackHub's URLs and headers: survey and unsubscribe links,
/// one-time tokens and codes in query strings (setup, invitations, password links), API key secrets,
/// bearer tokens and cookie values. Every log line passes through it (<see cref="RedactingLoggerFactory"/>),
/// and so does every audit entry. Passwords never reach a log or the audit trail in the first place.
/// </summary>
public static partial class SecretRedaction
{
    public const string Mask = "***";

    /// <summary>The text with every secret-shaped part replaced by <see cref="Mask"/>; the same instance when there was none.</summary>
    public static string Redact(string text)
    {
        if (string.IsNullOrEmpty(text) || !MightHoldSecret(text))
        {
            return text;
        }

        var redacted = LinkToken().Replace(text, m => m.Groups["path"].Value + Mask);
        redacted = QueryToken().Replace(redacted, m => m.Groups["name"].Value + "=" + Mask);
        redacted = ApiKey().Replace(redacted, "fh_" + Mask);
        redacted = Bearer().Replace(redacted, m => m.Groups["scheme"].Value + " " + Mask);
        redacted = Cookie().Replace(redacted, m => m.Groups["name"].Value + "=" + Mask);
        return redacted;
    }

    /// <summary>A cheap first look, so the common line without any of the markers costs no regular expression.</summary>
    private static bool MightHoldSecret(string text) =>
        text.Contains('=', StringComparison.Ordinal) || text.Contains("s/", StringComparison.Ordinal)
        || text.Contains("unsubscribe/", StringComparison.OrdinalIgnoreCase) || text.Contains("fh_", StringComparison.Ordinal)
        || text.Contains("Bearer", StringComparison.OrdinalIgnoreCase) || text.Contains("Basic", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The token segment of a survey link (<c>/s/…</c>) or an unsubscribe link (<c>/unsubscribe/…</c>),
    /// also without the leading slash, as routing logs a catch-all route value.
    /// </summary>
    [GeneratedRegex(@"(?<path>(?<![A-Za-z0-9_\-])(?:s|unsubscribe)/)[A-Za-z0-9_\-%.]{8,}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LinkToken();

    /// <summary>Query or form values whose names mean "secret".</summary>
    [GeneratedRegex(@"(?<name>\b(?:token|code|key|secret|password|access_token|refresh_token|api_key|apikey)\b)=[^&\s""'#;,]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex QueryToken();

    /// <summary>An API key: <c>fh_{keyId}_{secret}</c>.</summary>
    [GeneratedRegex(@"\bfh_[A-Za-z0-9_\-]{8,}", RegexOptions.CultureInvariant)]
    private static partial Regex ApiKey();

    [GeneratedRegex(@"\b(?<scheme>Bearer|Basic)\s+[A-Za-z0-9_\-.~+/=]{8,}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Bearer();

    /// <summary>Our cookies and ASP.NET Core's (authentication, antiforgery, survey session).</summary>
    [GeneratedRegex(@"(?<name>(?:FeedbackHub\.[A-Za-z0-9._\-]+|\.AspNetCore\.[A-Za-z0-9._\-]+|fh_survey))=[^;\s""']+", RegexOptions.CultureInvariant)]
    private static partial Regex Cookie();
}
