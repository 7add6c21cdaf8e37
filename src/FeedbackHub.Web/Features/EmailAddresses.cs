using System.Net.Mail;
using FeedbackHub.Data;

namespace FeedbackHub.Web.Features;

/// <summary>The one rule for an email address typed or sent to us.</summary>
internal static class EmailAddresses
{
    /// <summary>
    /// True for a bare address (no display name, no angle brackets) that fits the column;
    /// <paramref name="trimmed"/> must already be trimmed.
    /// </summary>
    public static bool IsPlain(string trimmed) =>
        trimmed.Length is > 0 and <= FieldLengths.Email && MailAddress.TryCreate(trimmed, out var parsed) && parsed.Address == trimmed;
}
