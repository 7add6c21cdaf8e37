using System.Security.Cryptography;
using System.Text;
using FeedbackHub.Data.Email;

namespace FeedbackHub.Web.Features.Privacy;

/// <summary>
/// How an erased person's email address and shop id are kept: as an HMAC-SHA-256 of the normalised
/// value keyed with <see cref="PrivacyOptions.ErasurePepper"/>. The same address always gives the same
/// hash, so the suppression list still recognises it, but the address itself is gone.
/// </summary>
public static class ErasedAddress
{
    /// <summary>Starts every hashed suppression address; no real address starts like this (it has no @ before the colon).</summary>
    public const string Prefix = "erased:";

    /// <summary>The domain of the placeholder address an erased customer keeps (reserved: it can never receive mail).</summary>
    public const string PlaceholderDomain = "erased.invalid";

    /// <summary>The suppression-list form of an address: <c>erased:</c> and 43 base64url characters.</summary>
    public static string Of(string address, string pepper) => Prefix + Hash(Suppression.Normalize(address), pepper);

    /// <summary>The shop id an erased customer keeps: the same for the same id, so a repeated erasure request is recognised.</summary>
    public static string ExternalIdOf(string externalId, string pepper)
    {
        ArgumentNullException.ThrowIfNull(externalId);
        return Prefix + Hash(externalId, pepper)[..22];
    }

    /// <summary>The address stored on the erased customer's row instead of theirs.</summary>
    public static string Placeholder(long customerId) => $"erased-{customerId}@{PlaceholderDomain}";

    public static bool IsPlaceholder(string email) =>
        email is not null && email.EndsWith("@" + PlaceholderDomain, StringComparison.OrdinalIgnoreCase);

    private static string Hash(string value, string pepper) =>
        System.Buffers.Text.Base64Url.EncodeToString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(pepper ?? ""), Encoding.UTF8.GetBytes(value)));
}
