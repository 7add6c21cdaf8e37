using System.Security.Cryptography;
using FeedbackHub.Data.Email;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace FeedbackHub.Web.Features.Email;

/// <summary>
/// Per-recipient unsubscribe links. The token is the recipient's address, encrypted and signed with
/// the installation's data-protection keys (shared by every node), so it cannot be guessed or
/// altered, and no lookup table is needed.
/// </summary>
public sealed class UnsubscribeLinks(IDataProtectionProvider dataProtection, IOptions<EmailOptions> options)
{
    public const string PathPrefix = "unsubscribe";

    private readonly IDataProtector _protector = dataProtection.CreateProtector("FeedbackHub.Unsubscribe.v1");

    /// <summary>
    /// Makes sure the key ring has a key before a long transaction begins: on SQLite, creating the
    /// first key inside an import's transaction would wait for the write lock the import holds.
    /// </summary>
    public void EnsureKey() => _protector.Protect("key-ring");

    public string For(string address)
    {
        var baseUrl = options.Value.PublicBaseUrl.AbsoluteUri.TrimEnd('/');
        return $"{baseUrl}/{PathPrefix}/{_protector.Protect(Suppression.Normalize(address))}";
    }

    /// <summary>The address a token stands for; null for a token this installation did not issue.</summary>
    public string? AddressFrom(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        try
        {
            return _protector.Unprotect(token);
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
