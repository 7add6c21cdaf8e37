using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace FeedbackHub.Web.Features.Staff;

/// <summary>The one-time links staff receive; both the host and the CLI build them here.</summary>
public static class StaffLinks
{
    public const string AcceptInvitationPath = "account/accept-invitation";
    public const string SetupPath = "setup";

    public static Uri Invitation(Uri baseUri, Invitation invitation)
    {
        ArgumentNullException.ThrowIfNull(baseUri);
        ArgumentNullException.ThrowIfNull(invitation);
        if (invitation.Token is null)
        {
            throw new ArgumentException("The invitation has no token: its password was set directly.", nameof(invitation));
        }

        var code = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(invitation.Token));
        var query = QueryHelpers.AddQueryString(AcceptInvitationPath, new Dictionary<string, string?>
        {
            ["userId"] = invitation.UserId,
            ["code"] = code,
        });
        return new Uri(WithTrailingSlash(baseUri), query);
    }

    /// <summary>Reverses the encoding of <see cref="Invitation"/>; null when the code was mangled.</summary>
    public static string? DecodeInvitationCode(string? code)
    {
        if (string.IsNullOrEmpty(code))
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(code));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public static Uri Setup(Uri baseUri, string token)
    {
        ArgumentNullException.ThrowIfNull(baseUri);
        return new Uri(WithTrailingSlash(baseUri), QueryHelpers.AddQueryString(SetupPath, "token", token));
    }

    private static Uri WithTrailingSlash(Uri uri) =>
        uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
}
