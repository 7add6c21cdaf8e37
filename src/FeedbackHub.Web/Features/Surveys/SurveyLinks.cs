using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FeedbackHub.Web.Features.Email;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace FeedbackHub.Web.Features.Surveys;

/// <summary>
/// Survey links and the session behind them. A link carries 32 random bytes (base64url); only their
/// SHA-256 is stored, so a copy of the database opens no survey. Opening a link swaps the token for a
/// short-lived, signed cookie and redirects to a URL without it, so the token does not linger in the
/// address bar, the history or a Referer header.
/// </summary>
public sealed class SurveyLinks(IDataProtectionProvider dataProtection, IOptions<EmailOptions> emailOptions, IOptions<SurveyOptions> options, TimeProvider time)
{
    public const string LinkPrefix = "/s";
    public const string SurveyPath = "/survey";
    public const string CookieName = "fh_survey";

    // The expiry travels inside the signed value and is checked against the injected clock.
    private readonly IDataProtector _session = dataProtection.CreateProtector("FeedbackHub.Surveys.Session.v1");

    /// <summary>A new token and the hash to store for it.</summary>
    public static (string Token, string Hash) NewToken()
    {
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return (token, Hash(token));
    }

    public static string Hash(string token) => Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Only strings shaped like our tokens are looked up; anything else is a miss without a query.</summary>
    public static bool LooksLikeToken(string? token) => token is { Length: 43 } && Base64Url.IsValid(token);

    public string Url(string token) => $"{emailOptions.Value.PublicBaseUrl.AbsoluteUri.TrimEnd('/')}{LinkPrefix}/{token}";

    /// <summary>Starts the survey session for this invitation.</summary>
    public void SetSession(HttpContext context, long invitationId)
    {
        ArgumentNullException.ThrowIfNull(context);
        var lifetime = TimeSpan.FromMinutes(options.Value.SessionMinutes);
        var value = _session.Protect(string.Create(CultureInfo.InvariantCulture, $"{invitationId}|{(time.GetUtcNow() + lifetime).UtcTicks}"));
        context.Response.Cookies.Append(CookieName, value, new CookieOptions
        {
            HttpOnly = true,
            // Lax: sent when the customer follows our redirect, not on cross-site form posts.
            SameSite = SameSiteMode.Lax,
            Secure = context.Request.IsHttps,
            Path = SurveyPath,
            MaxAge = lifetime,
            IsEssential = true,
        });
    }

    /// <summary>The invitation of this browser's survey session; null without a valid, unexpired cookie.</summary>
    public long? SessionInvitation(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value))
        {
            return null;
        }

        try
        {
            var parts = _session.Unprotect(value).Split('|');
            return parts.Length == 2
                && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
                && expires > time.GetUtcNow().UtcTicks
                    ? id
                    : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
